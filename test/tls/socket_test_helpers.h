// SPDX-License-Identifier: LGPL-3.0-or-later
// Loopback helpers for the SslSocket suites: a listener on 127.0.0.1 port 0 that hands out
// accepted plain, Qt QSslSocket or mailwire::SslSocket server sockets; the same listener
// running in its own thread (for waitFor* tests with no event loop in the test thread);
// and `openssl s_server`/`s_client` processes on free ports, stopped by their own PID.
// Header-only and Q_OBJECT-free (no moc needed). Keep this API stable: other suites use it.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <QtCore/QByteArray>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QList>
#include <QtCore/QMetaObject>
#include <QtCore/QObject>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>
#include <QtCore/QThread>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <openssl/crypto.h>

#include <mailwire/ssl_socket.h>

#include "test_support.h"

namespace mailwire::test {

/// A server's certificate chain (leaf first) and private key.
struct TlsIdentity
{
    QList<QSslCertificate> chain;
    QSslKey key;
    bool isValid() const { return !chain.isEmpty() && !chain.first().isNull() && !key.isNull(); }
};

/// The fixture server identity: leaf-chain.pem (leaf for localhost/127.0.0.1/example.org +
/// intermediate) and leaf.key, or any other generated pair.
inline TlsIdentity serverIdentity(const QString &chainFile = QStringLiteral("leaf-chain.pem"),
                                  const QString &keyFile = QStringLiteral("leaf.key"))
{
    return {loadCertificates(chainFile), loadKey(keyFile)};
}

/// Gives a Qt server socket its certificate chain and key (no deprecated per-socket calls).
inline void applyIdentity(QSslSocket &socket, const TlsIdentity &identity)
{
    QSslConfiguration config = socket.sslConfiguration();
    config.setLocalCertificateChain(identity.chain);
    config.setPrivateKey(identity.key);
    socket.setSslConfiguration(config);
}

inline void applyIdentity(mailwire::SslSocket &socket, const TlsIdentity &identity)
{
    socket.setLocalCertificateChain(identity.chain);
    socket.setPrivateKey(identity.key);
}

/// Makes a Qt client trust exactly the fixture CA (replaces the system store).
inline void trustFixtureCa(QSslSocket &socket)
{
    QSslConfiguration config = socket.sslConfiguration();
    config.setCaCertificates(fixtureCaCertificates());
    socket.setSslConfiguration(config);
}

/// Makes a mailwire client trust the fixture CA (in addition to the system store).
inline void trustFixtureCa(mailwire::SslSocket &socket)
{
    socket.addCaCertificates(fixtureCaCertificates());
}

/// What LoopbackServer makes of an accepted connection.
enum class ServerSocketKind {
    Plain,   ///< QTcpSocket
    Qt,      ///< QSslSocket (Qt's own TLS: an independent oracle)
    Mailwire ///< mailwire::SslSocket
};

/// QTcpServer on 127.0.0.1, port 0 (so suites run in parallel). Every accepted connection
/// becomes a socket of the chosen kind, owned by the server, in this order: descriptor set,
/// identity and protocol applied (TLS kinds), configure callback, startServerEncryption()
/// (if autoStartEncryption), then queued for nextPendingConnection()/waitForConnection().
/// Lives in the thread that creates it.
class LoopbackServer : public QTcpServer
{
public:
    using Configure = std::function<void(QTcpSocket *)>;

    explicit LoopbackServer(ServerSocketKind kind, bool autoStartEncryption = true,
                            TlsIdentity identity = serverIdentity())
        : m_kind(kind), m_autoStart(autoStartEncryption), m_identity(std::move(identity))
    {
        listen(QHostAddress::LocalHost, 0);
    }
    ~LoopbackServer() override { close(); }

    quint16 port() const { return serverPort(); }
    ServerSocketKind kind() const { return m_kind; }

    /// Protocol for accepted TLS sockets (default: the socket's own default).
    void setProtocol(QSsl::SslProtocol protocol)
    {
        m_protocol = protocol;
        m_protocolSet = true;
    }
    /// Called for every accepted socket before the server handshake starts: connect signals
    /// here (e.g. echo, or record what the server sees).
    void setConfigure(Configure configure) { m_configure = std::move(configure); }
    /// Connections accepted so far (including ones already taken).
    int acceptedCount() const { return m_accepted.load(); }

    /// Runs the event loop until a connection was accepted; returns it (owned by the server)
    /// or nullptr on timeout.
    QTcpSocket *waitForConnection(int timeoutMs = 10000)
    {
        waitUntil([this] { return hasPendingConnections(); }, timeoutMs);
        return nextPendingConnection();
    }
    QSslSocket *waitForQtSocket(int timeoutMs = 10000)
    {
        return qobject_cast<QSslSocket *>(waitForConnection(timeoutMs));
    }
    mailwire::SslSocket *waitForMailwireSocket(int timeoutMs = 10000)
    {
        return qobject_cast<mailwire::SslSocket *>(waitForConnection(timeoutMs));
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        QTcpSocket *socket = nullptr;
        switch (m_kind) {
        case ServerSocketKind::Plain: {
            socket = new QTcpSocket(this);
            socket->setSocketDescriptor(descriptor);
            break;
        }
        case ServerSocketKind::Qt: {
            auto *tls = new QSslSocket(this);
            tls->setSocketDescriptor(descriptor);
            applyIdentity(*tls, m_identity);
            if (m_protocolSet)
                tls->setProtocol(m_protocol);
            socket = tls;
            break;
        }
        case ServerSocketKind::Mailwire: {
            auto *tls = new mailwire::SslSocket(this);
            tls->setSocketDescriptor(descriptor);
            applyIdentity(*tls, m_identity);
            if (m_protocolSet)
                tls->setProtocol(m_protocol);
            socket = tls;
            break;
        }
        }
        if (m_configure)
            m_configure(socket);
        if (m_autoStart) {
            if (auto *qt = qobject_cast<QSslSocket *>(socket))
                qt->startServerEncryption();
            else if (auto *mw = qobject_cast<mailwire::SslSocket *>(socket))
                mw->startServerEncryption();
        }
        ++m_accepted;
        addPendingConnection(socket);
    }

private:
    ServerSocketKind m_kind;
    bool m_autoStart;
    TlsIdentity m_identity;
    QSsl::SslProtocol m_protocol = QSsl::SecureProtocols;
    bool m_protocolSet = false;
    Configure m_configure;
    std::atomic<int> m_accepted{0};
};

/// Echo: everything the socket receives is written back (connect in a Configure callback).
inline void echoEverything(QTcpSocket *socket)
{
    QObject::connect(socket, &QIODevice::readyRead, socket,
                     [socket] { socket->write(socket->readAll()); });
}

/// A LoopbackServer in its own thread with its own event loop, so the test thread can block
/// in waitFor* with no event loop. The configure callback runs in the server thread (guard
/// what it shares with the test: atomics or a mutex). Accepted sockets live and die there.
class ThreadedServer
{
public:
    explicit ThreadedServer(ServerSocketKind kind, LoopbackServer::Configure configure,
                            bool autoStartEncryption = true,
                            TlsIdentity identity = serverIdentity())
    {
        m_thread.start();
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            m_context,
            [&, this] {
                m_server = new LoopbackServer(kind, autoStartEncryption, identity);
                m_server->setConfigure(std::move(configure));
                m_port = m_server->port();
            },
            Qt::BlockingQueuedConnection);
    }
    ~ThreadedServer()
    {
        QMetaObject::invokeMethod(
            m_context,
            [this] {
                delete m_server;
                m_server = nullptr;
                // Free this thread's OpenSSL state now: its thread-exit handler may run only
                // after the process ended, which LeakSanitizer reports as leaks.
                OPENSSL_thread_stop();
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
        delete m_context; // its thread has finished: nothing can run on it any more
    }
    ThreadedServer(const ThreadedServer &) = delete;
    ThreadedServer &operator=(const ThreadedServer &) = delete;

    quint16 port() const { return m_port; }
    bool isListening() const { return m_port != 0; }
    /// Connections accepted so far (safe from any thread).
    int acceptedCount() const { return m_server->acceptedCount(); }

private:
    QThread m_thread;
    QObject *m_context = nullptr;
    LoopbackServer *m_server = nullptr;
    quint16 m_port = 0;
};

/// An `openssl s_server` or `s_client` process. stdout and stderr are merged and collected;
/// the process is stopped (SIGTERM, then SIGKILL) through its own QProcess/PID, never by name.
class OpenSslProcess
{
public:
    OpenSslProcess()
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(&m_process, &QProcess::readyRead, [this] { collect(); });
    }
    ~OpenSslProcess() { stop(); }
    OpenSslProcess(const OpenSslProcess &) = delete;
    OpenSslProcess &operator=(const OpenSslProcess &) = delete;

    static QString program() { return findProgram(QStringLiteral("openssl")); }

    /// Arguments that make s_server present leaf + intermediate with leaf.key.
    static QStringList serverIdentityArgs()
    {
        return {QStringLiteral("-cert"),       certPath(QStringLiteral("leaf.pem")),
                QStringLiteral("-key"),        certPath(QStringLiteral("leaf.key")),
                QStringLiteral("-cert_chain"), certPath(QStringLiteral("intermediate.pem"))};
    }

    /// Starts `openssl s_server -accept 127.0.0.1:0 <serverIdentityArgs> <extraArgs>` and
    /// waits for its "ACCEPT 127.0.0.1:<port>" line. stdin stays open (EOF would make
    /// s_server close the connection). Returns false if it did not start listening.
    bool startServer(const QStringList &extraArgs, int timeoutMs = 10000)
    {
        QStringList args{QStringLiteral("s_server"), QStringLiteral("-accept"),
                         QStringLiteral("127.0.0.1:0")};
        args << serverIdentityArgs() << extraArgs;
        if (!start(args))
            return false;
        static const QRegularExpression accept(QStringLiteral("ACCEPT [^\\n]*:(\\d+)\\r?\\n"));
        QRegularExpressionMatch match;
        waitUntil(
            [&] {
                match = accept.match(QString::fromLatin1(output()));
                return match.hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            timeoutMs);
        if (!match.hasMatch())
            return false;
        m_port = quint16(match.captured(1).toUInt());
        return m_port != 0;
    }

    /// Starts `openssl s_client -connect 127.0.0.1:<port> <extraArgs>` (no wait).
    bool startClient(quint16 port, const QStringList &extraArgs)
    {
        QStringList args{QStringLiteral("s_client"), QStringLiteral("-connect"),
                         QStringLiteral("127.0.0.1:%1").arg(port)};
        args << extraArgs;
        return start(args);
    }

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QProcess &process() { return m_process; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    /// Everything the process printed so far (stdout and stderr merged).
    QByteArray output()
    {
        collect();
        return m_output;
    }
    /// Forgets the output collected so far (e.g. between connections to one s_server).
    void clearOutput()
    {
        collect();
        m_output.clear();
    }
    /// Runs the event loop until the output contains needle; false on timeout.
    bool waitForOutput(const QByteArray &needle, int timeoutMs = 10000)
    {
        return waitUntil([&] { return output().contains(needle); }, timeoutMs);
    }
    /// Writes to the process's stdin.
    void write(const QByteArray &data) { m_process.write(data); }
    /// Closes stdin (s_server/s_client then close the TLS connection with close_notify).
    void closeInput() { m_process.closeWriteChannel(); }

    /// Stops the process through its own PID: SIGTERM, then SIGKILL if it lingers.
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(3000)) {
            m_process.kill();
            m_process.waitForFinished(3000);
        }
    }

private:
    bool start(const QStringList &args)
    {
        const QString openssl = program();
        if (openssl.isEmpty())
            return false;
        m_process.start(openssl, args);
        return m_process.waitForStarted(10000);
    }
    void collect()
    {
        if (m_process.isOpen())
            m_output += m_process.readAll();
    }

    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
};

/// "state=…, error=…, errorString=…" of a socket, for assertion messages.
inline std::string socketSummary(const QAbstractSocket &socket)
{
    return QStringLiteral("state=%1 error=%2 errorString=\"%3\"")
        .arg(int(socket.state()))
        .arg(int(socket.error()))
        .arg(socket.errorString())
        .toStdString();
}

/// Runs the event loop until a whole line can be read, then reads it; empty on timeout.
inline QByteArray waitForLine(QIODevice &device, int timeoutMs = 10000)
{
    if (!waitUntil([&] { return device.canReadLine(); }, timeoutMs))
        return {};
    return device.readLine();
}

/// Runs the event loop, appending everything readable to *received, until it holds at least
/// size bytes; returns whether it does.
inline bool readAtLeast(QIODevice &device, qint64 size, QByteArray *received, int timeoutMs = 30000)
{
    return waitUntil(
        [&] {
            *received += device.readAll();
            return received->size() >= size;
        },
        timeoutMs);
}

/// A deterministic byte pattern for bulk transfers: byte n of the stream is n mod 251.
inline QByteArray patternBytes(qint64 offset, int size)
{
    QByteArray data(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        data[i] = char((offset + i) % 251);
    return data;
}

/// Whether data matches patternBytes(offset, data.size()).
inline bool matchesPattern(const QByteArray &data, qint64 offset)
{
    for (int i = 0; i < data.size(); ++i) {
        if (static_cast<unsigned char>(data[i]) != (offset + i) % 251)
            return false;
    }
    return true;
}

} // namespace mailwire::test
