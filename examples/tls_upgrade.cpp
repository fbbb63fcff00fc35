// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire-tls-upgrade: a STARTTLS upgrade with mailwire::SslSocket, step by step.
// A small IMAP-like server runs in a second thread (its TLS is Qt's own QSslSocket, an
// independent implementation), so the client below can use the blocking waitFor* calls.
// Its certificate is made in memory at start (the fixture library's ephemeral CA), so the
// program needs no files wherever it is installed; --certs DIR serves certificate files instead.
#include "fixture_server.h"
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

constexpr const char *Help =
    "usage: mailwire-tls-upgrade [--certs DIR] [--transcript] [--quiet]\n"
    "\n"
    "A STARTTLS upgrade with mailwire::SslSocket against a small IMAP-like server in this\n"
    "process: greeting, STARTTLS, handshake and verification, then NOOP over TLS.\n"
    "\n"
    "  --certs DIR    serve leaf-chain.pem and leaf.key (RSA) from DIR and trust only its\n"
    "                 ca.pem (a build's <build>/fixtures/certs has them); default: a CA and\n"
    "                 leaf made in memory at start, so no file is needed\n"
    "  --transcript   show the C:/S: lines on stderr\n"
    "  --quiet        print nothing but errors\n"
    "\n"
    "Exit codes: 0 success, 2 usage, 3 network, 4 TLS or certificate, 5 security policy\n"
    "(STARTTLS refused, plaintext buffered at the upgrade), 7 server or protocol error.\n";

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

// What the demo server presents and the client trusts.
struct Certificates
{
    QList<QSslCertificate> chain; ///< leaf first
    QSslKey key;
    QList<QSslCertificate> trusted;
};

// The fixture library's in-memory CA and leaf, made once per process (no file, nothing to
// expire). False and *error if OpenSSL could not make them.
bool inMemoryCertificates(Certificates *certificates, QString *error)
{
    using mailwire::fixtures::FixtureServer;
    certificates->chain = FixtureServer::defaultCertificateChain();
    certificates->key = FixtureServer::defaultPrivateKey();
    certificates->trusted = {FixtureServer::caCertificate()};
    if (certificates->chain.isEmpty() || certificates->key.isNull()
        || certificates->trusted.constFirst().isNull()) {
        *error = "cannot make the in-memory certificates: " + FixtureServer::certificateError();
        return false;
    }
    return true;
}

// leaf-chain.pem, leaf.key (RSA) and ca.pem from dir: the layout of the build's generated
// certificates (fixtures/certs/README.md). False and *error if any is missing.
bool certificatesFrom(const QString &dir, Certificates *certificates, QString *error)
{
    certificates->chain = QSslCertificate::fromPath(dir + QStringLiteral("/leaf-chain.pem"));
    certificates->trusted = QSslCertificate::fromPath(dir + QStringLiteral("/ca.pem"));
    QFile keyFile(dir + QStringLiteral("/leaf.key"));
    // QSsl::Rsa is not optional here: without it QSslKey(Qt::HANDLE) takes the QFile pointer.
    certificates->key =
        keyFile.open(QIODevice::ReadOnly) ? QSslKey(&keyFile, QSsl::Rsa) : QSslKey();
    if (certificates->chain.isEmpty() || certificates->trusted.isEmpty()
        || certificates->key.isNull()) {
        *error = "--certs " + dir + ": no leaf-chain.pem, leaf.key (RSA) and ca.pem there";
        return false;
    }
    return true;
}

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
    QString certs; // empty: the in-memory certificates
    bool quiet = false;
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        QString usageError;
        if (args[i] == QLatin1String("--help")) {
            std::fputs(Help, stdout);
            return Ok;
        }
        if (args[i] == QLatin1String("--transcript"))
            transcript = true; // C:/S: lines on stderr
        else if (args[i] == QLatin1String("--quiet"))
            quiet = true; // nothing on stdout when all goes well
        else if (args[i] != QLatin1String("--certs"))
            usageError = "unknown argument '" + args[i] + '\'';
        else if (i + 1 == args.size() || args[i + 1].isEmpty())
            usageError = QStringLiteral("--certs needs a directory");
        else
            certs = args[++i];
        if (!usageError.isEmpty()) {
            std::fprintf(stderr, "mailwire-tls-upgrade: %s (try --help)\n",
                         qUtf8Printable(usageError));
            return Usage;
        }
    }
    Certificates certificates;
    QString error;
    if (certs.isEmpty() ? !inMemoryCertificates(&certificates, &error)
                        : !certificatesFrom(certs, &certificates, &error)) {
        std::fprintf(stderr, "mailwire-tls-upgrade: %s\n", qUtf8Printable(error));
        return certs.isEmpty() ? Protocol : Usage; // the demo server cannot start; a bad --certs
    }

    // The server gets its own thread and event loop, so the client may block in this one.
    std::promise<quint16> listening;
    const std::unique_ptr<QThread> serverThread(QThread::create([&] {
        DemoServer server(certificates.chain, certificates.key);
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
        run(port, certificates.trusted, quiet);
    } catch (const Failure &failure) {
        std::fprintf(stderr, "mailwire-tls-upgrade: %s\n", qUtf8Printable(failure.cause));
        code = failure.code;
    }
    serverThread->quit();
    serverThread->wait();
    return code;
}
