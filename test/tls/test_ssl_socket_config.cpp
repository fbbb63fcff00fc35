// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire::SslSocket configuration: invalid configurations (missing key, key that does not
// match the certificate, unknown ciphers, a server without a certificate, refused protocols)
// each end in a clear socket error and errorString, with no crash and no hang, as QSslSocket's
// do in the same situation; the QSslConfiguration round trip; session cipher/protocol before
// and after the handshake; and the static library version functions.
#include <boost/test/unit_test.hpp>

#include <mailwire/ssl_socket.h>

#include "test_support.h"

#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using mailwire::SslSocket;
using mailwire::test::certPath;
using mailwire::test::fixtureCaCertificates;
using mailwire::test::loadCertificate;
using mailwire::test::loadCertificates;
using mailwire::test::loadKey;
using mailwire::test::waitUntil;

namespace {

const QString kLocalHost = QStringLiteral("127.0.0.1");

template <class Socket> const char *socketKind();
template <> const char *socketKind<QSslSocket>() { return "QSslSocket"; }
template <> const char *socketKind<SslSocket>() { return "mailwire::SslSocket"; }

/// Everything one TLS socket reported, in order.
struct Record
{
    bool encrypted = false;
    bool disconnected = false;
    QList<QAbstractSocket::SocketError> errors; // every errorOccurred, in order
    QString firstErrorString;                   // errorString() at the first errorOccurred
    QString finalErrorString;                   // errorString() when the record was taken

    bool finished() const { return encrypted || !errors.isEmpty() || disconnected; }
    QAbstractSocket::SocketError firstError() const
    {
        return errors.isEmpty() ? QAbstractSocket::UnknownSocketError : errors.first();
    }
    std::string describe() const
    {
        std::string text = std::string("encrypted=") + (encrypted ? "yes" : "no") + " errors=[";
        for (int i = 0; i < errors.size(); ++i)
            text += (i ? " " : "") + std::to_string(int(errors[i]));
        return text + "] first=\"" + firstErrorString.toStdString() + "\" final=\""
            + finalErrorString.toStdString() + "\"";
    }
};

template <class Socket> void watch(Socket *socket, Record *record)
{
    QObject::connect(socket, &Socket::encrypted, [record] { record->encrypted = true; });
    QObject::connect(socket, &QAbstractSocket::errorOccurred,
                     [record, socket](QAbstractSocket::SocketError error) {
                         if (record->errors.isEmpty())
                             record->firstErrorString = socket->errorString();
                         record->errors << error;
                         record->finalErrorString = socket->errorString();
                     });
    QObject::connect(socket, &QAbstractSocket::disconnected,
                     [record] { record->disconnected = true; });
}

/// A TLS server on 127.0.0.1:0 whose accepted sockets (QSslSocket or SslSocket) get
/// `configure` and then startServerEncryption(); records what each of them reported.
template <class Socket> class TlsServer : public QTcpServer
{
public:
    explicit TlsServer(std::function<void(Socket &)> configure) : m_configure(std::move(configure))
    {
        listen(QHostAddress::LocalHost, 0);
    }
    ~TlsServer() override
    {
        for (Socket *socket : m_sockets)
            delete socket; // before `records`, which their signals write to
    }
    std::vector<std::unique_ptr<Record>> records;
    Socket *first() const { return m_sockets.empty() ? nullptr : m_sockets.front(); }
    bool waitFirstFinished()
    {
        return waitUntil([this] { return !records.empty() && records.front()->finished(); });
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new Socket;
        m_sockets.push_back(socket);
        records.push_back(std::make_unique<Record>());
        watch(socket, records.back().get());
        QObject::connect(socket, &QIODevice::readyRead,
                         [socket] { socket->write(socket->readAll()); });
        socket->setSocketDescriptor(descriptor);
        m_configure(*socket);
        socket->startServerEncryption();
    }

private:
    std::function<void(Socket &)> m_configure;
    std::vector<Socket *> m_sockets;
};

template <class Socket> struct Client
{
    Client() { watch(&socket, &record); }
    bool waitFinished()
    {
        return waitUntil([this] { return record.finished(); });
    }
    Record record;
    Socket socket; // last: destroyed first
};

template <class Socket> void trustFixtureCaOnly(Socket &socket)
{
    QSslConfiguration config = socket.sslConfiguration();
    config.setCaCertificates(fixtureCaCertificates());
    socket.setSslConfiguration(config);
}

/// What happened on both ends when a server socket of kind ServerSocket was configured with
/// `configure`, and a Qt client (trusting the fixture CA) connected to it.
struct ServerRun
{
    Record server;
    Record client;
    bool serverFinished = false;
    QAbstractSocket::SocketState serverStateAfterError = QAbstractSocket::UnconnectedState;
    bool clientFinished = false;
    bool clientGone = false;
};

template <class ServerSocket>
ServerRun runServer(const std::function<void(ServerSocket &)> &configure)
{
    ServerRun run;
    TlsServer<ServerSocket> server(configure);
    BOOST_REQUIRE(server.isListening());
    Client<QSslSocket> client;
    trustFixtureCaOnly(client.socket);
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    run.serverFinished = server.waitFirstFinished();
    if (!server.records.empty()) {
        run.server = *server.records.front();
        run.server.finalErrorString = server.first()->errorString();
        run.serverStateAfterError = server.first()->state();
        // QSslSocket keeps the TCP connection after a configuration error; the application
        // then drops it, and the peer must learn so at once.
        if (!run.server.encrypted)
            server.first()->abort();
    }
    run.clientFinished = client.waitFinished();
    run.clientGone =
        waitUntil([&] { return client.socket.state() == QAbstractSocket::UnconnectedState; });
    run.client = client.record;
    return run;
}

/// A server configuration that must fail: SslSocket fails like QSslSocket (same first error
/// code, which is `expected`), says why, and abort() then releases the client.
void expectServerFailsLikeQt(const std::function<void(QSslSocket &)> &configureQt,
                             const std::function<void(SslSocket &)> &configureMw,
                             QAbstractSocket::SocketError expected)
{
    const ServerRun qt = runServer<QSslSocket>(configureQt);
    const ServerRun mw = runServer<SslSocket>(configureMw);
    BOOST_TEST_MESSAGE("QSslSocket server: " << qt.server.describe() << " state "
                                             << int(qt.serverStateAfterError) << " | client "
                                             << qt.client.describe());
    BOOST_TEST_MESSAGE("SslSocket server:  " << mw.server.describe() << " state "
                                             << int(mw.serverStateAfterError) << " | client "
                                             << mw.client.describe());
    BOOST_TEST_CONTEXT("oracle (QSslSocket server)")
    {
        BOOST_TEST(!qt.server.encrypted);
        BOOST_TEST(qt.server.firstError() == expected, qt.server.describe());
    }
    BOOST_TEST(mw.serverFinished, "SslSocket server never reported anything (hang?)");
    BOOST_TEST(!mw.server.encrypted, mw.server.describe());
    BOOST_TEST(mw.server.firstError() == qt.server.firstError(),
               "QSslSocket: " << qt.server.describe() << "; SslSocket: " << mw.server.describe());
    BOOST_TEST(!mw.server.firstErrorString.isEmpty());
    BOOST_TEST(mw.clientFinished,
               "the client of the SslSocket server hangs: " << mw.client.describe());
    BOOST_TEST(!mw.client.encrypted, mw.client.describe());
    BOOST_TEST(mw.clientGone, "the client of the SslSocket server is still connected");
}

/// A client configuration that must fail before or during the handshake, compared with Qt.
template <class Socket>
Record runClient(const std::function<void(Socket &)> &configure, quint16 port)
{
    Client<Socket> client;
    trustFixtureCaOnly(client.socket);
    configure(client.socket);
    client.socket.connectToHostEncrypted(kLocalHost, port, QStringLiteral("localhost"));
    BOOST_TEST(client.waitFinished(),
               socketKind<Socket>() << " never finished: " << client.record.describe());
    Record record = client.record;
    record.finalErrorString = client.socket.errorString();
    // Like QSslSocket, the socket may stay connected after a configuration error; then the
    // application drops it.
    client.socket.abort();
    BOOST_TEST(client.socket.state() == QAbstractSocket::UnconnectedState);
    return record;
}

void expectClientFailsLikeQt(const std::function<void(QSslSocket &)> &configureQt,
                             const std::function<void(SslSocket &)> &configureMw,
                             QAbstractSocket::SocketError expected)
{
    TlsServer<QSslSocket> server([](QSslSocket &socket) {
        socket.setLocalCertificateChain(loadCertificates(QStringLiteral("leaf-chain.pem")));
        socket.setPrivateKey(loadKey(QStringLiteral("leaf.key")));
    });
    BOOST_REQUIRE(server.isListening());
    const Record qt = runClient<QSslSocket>(configureQt, server.serverPort());
    const Record mw = runClient<SslSocket>(configureMw, server.serverPort());
    BOOST_TEST_MESSAGE("QSslSocket client: " << qt.describe());
    BOOST_TEST_MESSAGE("SslSocket client:  " << mw.describe());
    BOOST_TEST_CONTEXT("oracle (QSslSocket client)")
    {
        BOOST_TEST(!qt.encrypted);
        BOOST_TEST(qt.firstError() == expected, qt.describe());
    }
    BOOST_TEST(!mw.encrypted, mw.describe());
    BOOST_TEST(mw.firstError() == qt.firstError(),
               "QSslSocket: " << qt.describe() << "; SslSocket: " << mw.describe());
    BOOST_TEST(!mw.firstErrorString.isEmpty());
}

template <class Socket> void serveLeafChainWithKeyFile(Socket &socket, const QString &keyFile)
{
    socket.setLocalCertificateChain(loadCertificates(QStringLiteral("leaf-chain.pem")));
    socket.setPrivateKey(keyFile);
}

} // namespace

BOOST_AUTO_TEST_SUITE(ssl_socket_config)

// ---- Invalid configurations -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(missing_key_file_leaves_key_null)
{
    SslSocket socket;
    socket.setPrivateKey(QStringLiteral("/nonexistent"));
    BOOST_TEST(socket.privateKey().isNull());
    socket.setPrivateKey(QStringLiteral("/nonexistent"), QSsl::Rsa, QSsl::Der);
    BOOST_TEST(socket.privateKey().isNull());
    // A file that is not a key at all.
    socket.setPrivateKey(certPath(QStringLiteral("ca.pem")));
    BOOST_TEST(socket.privateKey().isNull());
    // A key set before is not replaced by a missing file (QSslSocket ignores the call).
    QSslSocket qt;
    qt.setPrivateKey(loadKey(QStringLiteral("leaf.key")));
    qt.setPrivateKey(QStringLiteral("/nonexistent"));
    socket.setPrivateKey(loadKey(QStringLiteral("leaf.key")));
    socket.setPrivateKey(QStringLiteral("/nonexistent"));
    BOOST_TEST(socket.privateKey().isNull() == qt.privateKey().isNull());
}

BOOST_AUTO_TEST_CASE(server_with_missing_key_file_fails_like_qt)
{
    expectServerFailsLikeQt(
        [](QSslSocket &s) { serveLeafChainWithKeyFile(s, QStringLiteral("/nonexistent")); },
        [](SslSocket &s) { serveLeafChainWithKeyFile(s, QStringLiteral("/nonexistent")); },
        QAbstractSocket::SslInvalidUserDataError);
}

BOOST_AUTO_TEST_CASE(client_certificate_without_key_fails_like_qt)
{
    const auto clientCert = loadCertificates(QStringLiteral("client-chain.pem"));
    expectClientFailsLikeQt(
        [&](QSslSocket &s) {
            s.setLocalCertificateChain(clientCert);
            s.setPrivateKey(QStringLiteral("/nonexistent"));
        },
        [&](SslSocket &s) {
            s.setLocalCertificateChain(clientCert);
            s.setPrivateKey(QStringLiteral("/nonexistent"));
        },
        QAbstractSocket::SslInvalidUserDataError);
}

BOOST_AUTO_TEST_CASE(server_key_not_matching_certificate_fails_like_qt)
{
    auto configure = [](auto &socket) {
        socket.setLocalCertificate(loadCertificate(QStringLiteral("leaf.pem")));
        socket.setPrivateKey(loadKey(QStringLiteral("selfsigned.key")));
    };
    expectServerFailsLikeQt(configure, configure, QAbstractSocket::SslInvalidUserDataError);
}

BOOST_AUTO_TEST_CASE(server_ecdsa_certificate_with_rsa_key_fails_like_qt)
{
    auto configure = [](auto &socket) {
        socket.setLocalCertificateChain(loadCertificates(QStringLiteral("leaf-ecdsa-chain.pem")));
        socket.setPrivateKey(loadKey(QStringLiteral("leaf.key")));
    };
    expectServerFailsLikeQt(configure, configure, QAbstractSocket::SslInvalidUserDataError);
}

BOOST_AUTO_TEST_CASE(unknown_cipher_name_is_null)
{
    const QSslCipher unknown(QStringLiteral("NOT-A-CIPHER"));
    BOOST_TEST(unknown.isNull());
    BOOST_TEST(unknown.name().isEmpty());
}

BOOST_AUTO_TEST_CASE(client_with_only_unknown_ciphers_fails_like_qt)
{
    auto configure = [](auto &socket) {
        QSslConfiguration config = socket.sslConfiguration();
        config.setCiphers({QSslCipher(QStringLiteral("NOT-A-CIPHER"))});
        socket.setSslConfiguration(config);
    };
    expectClientFailsLikeQt(configure, configure, QAbstractSocket::SslInvalidUserDataError);
}

BOOST_AUTO_TEST_CASE(server_with_only_unknown_ciphers_fails_like_qt)
{
    auto configure = [](auto &socket) {
        socket.setLocalCertificateChain(loadCertificates(QStringLiteral("leaf-chain.pem")));
        socket.setPrivateKey(loadKey(QStringLiteral("leaf.key")));
        QSslConfiguration config = socket.sslConfiguration();
        config.setCiphers({QSslCipher(QStringLiteral("NOT-A-CIPHER"))});
        socket.setSslConfiguration(config);
    };
    expectServerFailsLikeQt(configure, configure, QAbstractSocket::SslInvalidUserDataError);
}

BOOST_AUTO_TEST_CASE(server_without_certificate_fails_like_qt)
{
    ServerRun qt = runServer<QSslSocket>([](QSslSocket &) {});
    ServerRun mw = runServer<SslSocket>([](SslSocket &) {});
    BOOST_TEST_MESSAGE("QSslSocket server: " << qt.server.describe() << " | client "
                                             << qt.client.describe());
    BOOST_TEST_MESSAGE("SslSocket server:  " << mw.server.describe() << " | client "
                                             << mw.client.describe());
    BOOST_TEST_CONTEXT("oracle (QSslSocket server)")
    {
        BOOST_TEST(!qt.server.encrypted);
        BOOST_TEST(!qt.server.errors.isEmpty());
    }
    BOOST_TEST(mw.serverFinished, "SslSocket server without a certificate never reported anything");
    BOOST_TEST(!mw.server.encrypted);
    BOOST_TEST(mw.server.firstError() == qt.server.firstError(),
               "QSslSocket: " << qt.server.describe() << "; SslSocket: " << mw.server.describe());
    BOOST_TEST(!mw.server.firstErrorString.isEmpty());
    BOOST_TEST(mw.clientFinished);
    BOOST_TEST(!mw.client.encrypted);
    BOOST_TEST(mw.clientGone);
}

BOOST_AUTO_TEST_CASE(ssl_v3_is_refused)
{
    // Documented: SslV2/SslV3 are refused with SslInvalidUserDataError.
    TlsServer<QSslSocket> server([](QSslSocket &socket) {
        socket.setLocalCertificateChain(loadCertificates(QStringLiteral("leaf-chain.pem")));
        socket.setPrivateKey(loadKey(QStringLiteral("leaf.key")));
    });
    for (QSsl::SslProtocol protocol : {QSsl::SslV3, QSsl::SslV2}) {
        BOOST_TEST_CONTEXT("protocol " << int(protocol))
        {
            const Record mw = runClient<SslSocket>(
                [protocol](SslSocket &s) { s.setProtocol(protocol); }, server.serverPort());
            BOOST_TEST(!mw.encrypted);
            BOOST_TEST(mw.firstError() == QAbstractSocket::SslInvalidUserDataError, mw.describe());
            BOOST_TEST(!mw.firstErrorString.isEmpty());
        }
    }
}

BOOST_AUTO_TEST_CASE(encrypted_key_without_pass_phrase_does_not_load)
{
    SslSocket socket;
    socket.setPrivateKey(certPath(QStringLiteral("leaf-encrypted.key")));
    BOOST_TEST(socket.privateKey().isNull());
    socket.setPrivateKey(certPath(QStringLiteral("leaf-encrypted.key")), QSsl::Rsa, QSsl::Pem,
                         "mailwire");
    BOOST_TEST(!socket.privateKey().isNull());
    BOOST_TEST((socket.privateKey() == loadKey(QStringLiteral("leaf.key"))));
}

// ---- QSslConfiguration round trip ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(configuration_round_trip)
{
    const QList<QSslCertificate> chain = loadCertificates(QStringLiteral("leaf-chain.pem"));
    const QSslKey key = loadKey(QStringLiteral("leaf.key"));
    const QList<QSslCertificate> cas = fixtureCaCertificates()
        << loadCertificate(QStringLiteral("unknown-ca.pem"));
    const QSslCipher cipher(QStringLiteral("ECDHE-RSA-AES128-GCM-SHA256"));
    BOOST_REQUIRE(chain.size() == 2);
    BOOST_REQUIRE(!key.isNull());
    BOOST_REQUIRE(!cipher.isNull());

    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    config.setPeerVerifyDepth(3);
    config.setCaCertificates(cas);
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setCiphers({cipher});

    SslSocket socket;
    socket.setSslConfiguration(config);
    const QSslConfiguration back = socket.sslConfiguration();
    BOOST_TEST(back.protocol() == QSsl::TlsV1_2OrLater);
    BOOST_TEST(back.peerVerifyMode() == QSslSocket::VerifyPeer);
    BOOST_TEST(back.peerVerifyDepth() == 3);
    BOOST_TEST((back.caCertificates() == cas));
    BOOST_TEST((back.localCertificateChain() == chain));
    BOOST_TEST((back.localCertificate() == chain.first()));
    BOOST_TEST((back.privateKey() == key));
    BOOST_TEST(back.ciphers().size() == 1);
    BOOST_TEST(back.ciphers().value(0).name() == cipher.name());

    // The per-field getters agree.
    BOOST_TEST(socket.protocol() == QSsl::TlsV1_2OrLater);
    BOOST_TEST(socket.peerVerifyMode() == SslSocket::VerifyPeer);
    BOOST_TEST(socket.peerVerifyDepth() == 3);
    BOOST_TEST((socket.localCertificateChain() == chain));
    BOOST_TEST((socket.localCertificate() == chain.first()));
    BOOST_TEST((socket.privateKey() == key));

    // And a second socket given the first one's configuration ends up identical.
    SslSocket copy;
    copy.setSslConfiguration(back);
    BOOST_TEST((copy.sslConfiguration() == back));
}

BOOST_AUTO_TEST_CASE(setters_show_in_configuration)
{
    const QList<QSslCertificate> chain = loadCertificates(QStringLiteral("leaf-chain.pem"));
    const QSslKey key = loadKey(QStringLiteral("leaf.key"));
    SslSocket socket;
    socket.setProtocol(QSsl::TlsV1_3);
    socket.setPeerVerifyMode(SslSocket::QueryPeer);
    socket.setPeerVerifyDepth(2);
    socket.setPeerVerifyName(QStringLiteral("example.org"));
    socket.setLocalCertificateChain(chain);
    socket.setPrivateKey(key);
    trustFixtureCaOnly(socket);
    socket.addCaCertificate(loadCertificate(QStringLiteral("unknown-ca.pem")));

    const QSslConfiguration config = socket.sslConfiguration();
    BOOST_TEST(config.protocol() == QSsl::TlsV1_3);
    BOOST_TEST(config.peerVerifyMode() == QSslSocket::QueryPeer);
    BOOST_TEST(config.peerVerifyDepth() == 2);
    BOOST_TEST((config.localCertificateChain() == chain));
    BOOST_TEST((config.privateKey() == key));
    BOOST_TEST((config.caCertificates()
                == (fixtureCaCertificates() << loadCertificate(QStringLiteral("unknown-ca.pem")))));
    BOOST_TEST(socket.peerVerifyName().toStdString() == "example.org");

    // setLocalCertificate replaces the chain by that one certificate.
    socket.setLocalCertificate(loadCertificate(QStringLiteral("leaf.pem")));
    BOOST_TEST(socket.localCertificateChain().size() == 1);
    BOOST_TEST((socket.sslConfiguration().localCertificate()
                == loadCertificate(QStringLiteral("leaf.pem"))));
}

BOOST_AUTO_TEST_CASE(defaults_match_qsslsocket)
{
    SslSocket mw;
    QSslSocket qt;
    BOOST_TEST(int(mw.mode()) == int(qt.mode()));
    BOOST_TEST(mw.mode() == SslSocket::UnencryptedMode);
    BOOST_TEST(!mw.isEncrypted());
    BOOST_TEST(int(mw.peerVerifyMode()) == int(qt.peerVerifyMode()));
    BOOST_TEST(mw.peerVerifyDepth() == qt.peerVerifyDepth());
    BOOST_TEST(mw.protocol() == qt.protocol());
    BOOST_TEST(mw.peerVerifyName().isEmpty());
    BOOST_TEST(mw.localCertificate().isNull());
    BOOST_TEST(mw.privateKey().isNull());
    BOOST_TEST(mw.peerCertificate().isNull());
    BOOST_TEST(mw.peerCertificateChain().isEmpty());
    BOOST_TEST(mw.sslErrors().isEmpty());
}

// ---- Session cipher and protocol ------------------------------------------------------------

namespace {

struct Session
{
    QString cipher;
    QSsl::SslProtocol protocol = QSsl::UnknownProtocol;
    QString protocolString;
    int usedBits = 0;
};

template <class Socket> Session negotiate(quint16 port, QSsl::SslProtocol protocol)
{
    Client<Socket> client;
    trustFixtureCaOnly(client.socket);
    client.socket.setProtocol(protocol);
    // Nothing negotiated yet.
    BOOST_TEST(client.socket.sessionCipher().isNull());
    BOOST_TEST(client.socket.sessionProtocol() == QSsl::UnknownProtocol);
    client.socket.connectToHostEncrypted(kLocalHost, port, QStringLiteral("localhost"));
    BOOST_TEST(client.socket.sessionCipher().isNull()); // still connecting
    BOOST_REQUIRE(client.waitFinished());
    BOOST_REQUIRE_MESSAGE(client.record.encrypted,
                          socketKind<Socket>() << ": " << client.record.describe());
    Session session;
    const QSslCipher cipher = client.socket.sessionCipher();
    BOOST_TEST(!cipher.isNull());
    session.cipher = cipher.name();
    session.protocol = client.socket.sessionProtocol();
    session.protocolString = cipher.protocolString();
    session.usedBits = cipher.usedBits();
    client.socket.disconnectFromHost();
    waitUntil([&] { return client.socket.state() == QAbstractSocket::UnconnectedState; });
    return session;
}

} // namespace

BOOST_AUTO_TEST_CASE(session_cipher_and_protocol_like_qt)
{
    TlsServer<QSslSocket> server([](QSslSocket &socket) {
        socket.setLocalCertificateChain(loadCertificates(QStringLiteral("leaf-chain.pem")));
        socket.setPrivateKey(loadKey(QStringLiteral("leaf.key")));
    });
    BOOST_REQUIRE(server.isListening());
    struct Row
    {
        QSsl::SslProtocol requested;
        QSsl::SslProtocol expected;
    };
    for (Row row : {Row{QSsl::TlsV1_2, QSsl::TlsV1_2}, Row{QSsl::TlsV1_3, QSsl::TlsV1_3},
                    Row{QSsl::SecureProtocols, QSsl::TlsV1_3}}) {
        BOOST_TEST_CONTEXT("requested protocol " << int(row.requested))
        {
            const Session qt = negotiate<QSslSocket>(server.serverPort(), row.requested);
            const Session mw = negotiate<SslSocket>(server.serverPort(), row.requested);
            BOOST_TEST(qt.protocol == row.expected);
            BOOST_TEST(mw.protocol == qt.protocol);
            BOOST_TEST(mw.cipher.toStdString() == qt.cipher.toStdString());
            BOOST_TEST(mw.protocolString.toStdString() == qt.protocolString.toStdString());
            BOOST_TEST(mw.usedBits == qt.usedBits);
            BOOST_TEST(mw.usedBits >= 128);
        }
    }
}

BOOST_AUTO_TEST_CASE(failed_handshake_is_not_encrypted)
{
    TlsServer<QSslSocket> server([](QSslSocket &socket) {
        socket.setLocalCertificate(loadCertificate(QStringLiteral("selfsigned.pem")));
        socket.setPrivateKey(loadKey(QStringLiteral("selfsigned.key")));
    });
    Client<SslSocket> client;
    trustFixtureCaOnly(client.socket);
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(!client.record.encrypted);
    BOOST_TEST(!client.socket.isEncrypted());
    BOOST_TEST(client.socket.mode() == SslSocket::SslClientMode);
}

// ---- Library version ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(library_version_functions)
{
    BOOST_TEST(SslSocket::supportsSsl());
    BOOST_TEST(SslSocket::sslLibraryVersionNumber() >= 0x30000000L);
    BOOST_TEST(SslSocket::sslLibraryBuildVersionNumber() >= 0x30000000L);
    BOOST_TEST(SslSocket::sslLibraryVersionString().startsWith(QLatin1String("OpenSSL 3")),
               SslSocket::sslLibraryVersionString().toStdString());
    BOOST_TEST(SslSocket::sslLibraryBuildVersionString().startsWith(QLatin1String("OpenSSL 3")),
               SslSocket::sslLibraryBuildVersionString().toStdString());
    // The runtime library is the one Qt loaded too (one libssl in the process).
    BOOST_TEST(SslSocket::sslLibraryVersionNumber() == QSslSocket::sslLibraryVersionNumber());
    BOOST_TEST(SslSocket::sslLibraryVersionString().toStdString()
               == QSslSocket::sslLibraryVersionString().toStdString());
}

BOOST_AUTO_TEST_SUITE_END()
