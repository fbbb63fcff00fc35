// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire-tls-upgrade: a STARTTLS upgrade with mailwire::SslSocket, step by step.
// A small IMAP-like server runs in a second thread (its TLS is Qt's own QSslSocket, an
// independent implementation), so the client below can use the blocking waitFor* calls.
#include "server_text.h"

#include <mailwire/ssl_socket.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QThread>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>

#include <openssl/crypto.h>

#include <cstdio>
#include <future>
#include <memory>

namespace {

enum Exit {
    Ok = 0,
    Usage = 2,
    Network = 3,
    Tls = 4,
    Policy = 5,
    Protocol = 7
}; // DESIGN.md §4
struct Failure
{
    Exit code;
    QString cause;
};
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): set once, by main()
bool transcript = false;

class DemoServer : public QTcpServer
{
public:
    DemoServer(const QList<QSslCertificate> &localChain, const QSslKey &privateKey)
        : chain(localChain), key(privateKey)
    {}

private:
    const QList<QSslCertificate> chain;
    const QSslKey key;

    void incomingConnection(qintptr descriptor) override
    {
        auto *s = new QSslSocket(this);
        s->setSocketDescriptor(descriptor);
        s->setLocalCertificateChain(chain);
        s->setPrivateKey(key);
        connect(s, &QSslSocket::readyRead, s, [s] {
            while (s->canReadLine()) {
                const QByteArray line = s->readLine().trimmed();
                const QByteArray tag = line.left(line.indexOf(' '));
                const QByteArray command = line.mid(tag.size() + 1).toUpper();
                if (command == "STARTTLS" && !s->isEncrypted()) {
                    s->write(tag + " OK Begin TLS now\r\n"); // still in plaintext
                    s->startServerEncryption();
                } else {
                    s->write(tag + (command == "NOOP" ? " OK NOOP done\r\n" : " BAD unknown\r\n"));
                }
            }
        });
        s->write("* OK [CAPABILITY IMAP4rev1 STARTTLS] Mailwire demo server ready\r\n");
    }
};

using mailwire::examples::escapedServerText;
using mailwire::examples::unverifiedServerText;

// Reads one reply line; with a command, sends it first. Both directions go to the transcript,
// the server's lines escaped (a hostile server must not drive the terminal).
QByteArray exchange(mailwire::SslSocket &socket, const QByteArray &command = QByteArray())
{
    if (!command.isEmpty()) {
        if (transcript)
            std::fprintf(stderr, "C: %s\n", command.constData());
        socket.write(command + "\r\n");
    }
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(5000)) {
            // After the upgrade a TLS failure (e.g. truncation) is not a network error.
            const bool tls = socket.error() == QAbstractSocket::SslInternalError
                || socket.error() == QAbstractSocket::SslHandshakeFailedError;
            throw Failure{tls ? Tls : Network, "no reply from server: " + socket.errorString()};
        }
    }
    QByteArray line = socket.readLine().trimmed();
    if (transcript)
        std::fprintf(stderr, "S: %s\n", qUtf8Printable(escapedServerText(QString::fromUtf8(line))));
    return line;
}

void run(quint16 port, const QList<QSslCertificate> &trusted, bool quiet)
{
    mailwire::SslSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port); // plain: TLS starts on request
    if (!socket.waitForConnected(5000))
        throw Failure{Network, "cannot connect to 127.0.0.1: " + socket.errorString()};
    if (!exchange(socket).startsWith("* OK"))
        throw Failure{Protocol, QStringLiteral("the server greeting is not \"* OK\"")};
    const QByteArray reply = exchange(socket, "a1 STARTTLS");
    // Before TLS anyone on the path can write the refusal: its text is shown only labelled.
    if (!reply.startsWith("a1 OK"))
        throw Failure{Policy,
                      "the server refused STARTTLS "
                          + unverifiedServerText(QString::fromUtf8(reply))};

    QSslConfiguration config = socket.sslConfiguration();
    config.setCaCertificates(trusted); // only the fixture CA, not the system store
    socket.setSslConfiguration(config);
    socket.startClientEncryption(); // refuses if any plaintext byte is still buffered
    if (!socket.waitForEncrypted(5000)) {
        if (socket.error() == QAbstractSocket::SslInvalidUserDataError) // bytes were buffered
            throw Failure{Policy, "upgrade refused: " + socket.errorString()};
        QStringList errors;
        for (const QSslError &error : socket.sslErrors())
            errors << error.errorString();
        throw Failure{Tls,
                      errors.isEmpty()
                          ? "TLS handshake failed: " + socket.errorString()
                          : "certificate rejected: " + errors.join(QStringLiteral("; "))};
    }
    const QSsl::SslProtocol protocol = socket.sessionProtocol();
    const QSslCertificate peer = socket.peerCertificate();
    if (!quiet)
        std::printf("Protocol:     %s, cipher %s\nCertificate:  CN=%s, issued by CN=%s\n"
                    "Verification: %s\n",
                    protocol == QSsl::TlsV1_3       ? "TLS 1.3"
                        : protocol == QSsl::TlsV1_2 ? "TLS 1.2"
                                                    : "other",
                    qUtf8Printable(socket.sessionCipher().name()),
                    qUtf8Printable(peer.subjectInfo(QSslCertificate::CommonName).join(',')),
                    qUtf8Printable(peer.issuerInfo(QSslCertificate::CommonName).join(',')),
                    socket.sslErrors().isEmpty() ? "passed, no sslErrors()" : "errors ignored");
    const QByteArray noop = exchange(socket, "a2 NOOP");
    if (!noop.startsWith("a2 OK"))
        throw Failure{Protocol,
                      "NOOP over TLS failed: " + escapedServerText(QString::fromUtf8(noop))};
    if (!quiet)
        std::printf("Over TLS:     a2 NOOP -> %s\n",
                    qUtf8Printable(escapedServerText(QString::fromUtf8(noop))));
    socket.disconnectFromHost(); // sends close_notify
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QString certs = QStringLiteral(MAILWIRE_EXAMPLE_CERTS_DIR); // generated by the build
    bool quiet = false;
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--transcript"))
            transcript = true; // C:/S: lines on stderr
        else if (args[i] == QLatin1String("--quiet"))
            quiet = true; // nothing on stdout when all goes well
        else if (args[i] == QLatin1String("--certs") && i + 1 < args.size())
            certs = args[++i];
        else {
            std::fputs("usage: mailwire-tls-upgrade [--certs DIR] [--transcript] [--quiet]\n",
                       stderr);
            return args[i] == QLatin1String("--help") ? Ok : Usage;
        }
    }
    const auto chain = QSslCertificate::fromPath(certs + QStringLiteral("/leaf-chain.pem"));
    const auto trusted = QSslCertificate::fromPath(certs + QStringLiteral("/ca.pem"));
    QFile keyFile(certs + QStringLiteral("/leaf.key"));
    // QSsl::Rsa is not optional here: without it QSslKey(Qt::HANDLE) takes the QFile pointer.
    const QSslKey key =
        keyFile.open(QIODevice::ReadOnly) ? QSslKey(&keyFile, QSsl::Rsa) : QSslKey();
    if (chain.isEmpty() || trusted.isEmpty() || key.isNull()) {
        std::fprintf(stderr, "mailwire-tls-upgrade: no test certificates in %s (use --certs DIR)\n",
                     qUtf8Printable(certs));
        return Usage;
    }

    // The server gets its own thread and event loop, so the client may block in this one.
    std::promise<quint16> listening;
    const std::unique_ptr<QThread> serverThread(QThread::create([&] {
        DemoServer server(chain, key);
        listening.set_value(server.listen(QHostAddress::LocalHost) ? server.serverPort() : 0);
        QEventLoop().exec(); // until serverThread->quit()
        // OpenSSL frees this thread's state (DRBGs, error queue) from a thread-exit handler
        // that may run after wait() returned and the program ended: free it here, in time.
        OPENSSL_thread_stop();
    }));
    serverThread->start();
    const quint16 port = listening.get_future().get();

    int code = Ok;
    try {
        if (port == 0)
            throw Failure{Network, QStringLiteral("cannot listen on 127.0.0.1")};
        run(port, trusted, quiet);
    } catch (const Failure &failure) {
        std::fprintf(stderr, "mailwire-tls-upgrade: %s\n", qUtf8Printable(failure.cause));
        code = failure.code;
    }
    serverThread->quit();
    serverThread->wait();
    return code;
}
