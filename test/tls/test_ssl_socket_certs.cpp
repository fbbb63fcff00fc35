// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire::SslSocket certificate handling, differential against Qt's QSslSocket: for every
// fixture certificate and peer name, a QSslSocket client and an SslSocket client with the same
// configuration connect to the same server and must report the same QSslError codes and the
// same outcome. Then ignoreSslErrors (both forms), peerVerifyError, verify modes and depth,
// PauseOnSslErrors, client certificates in both directions, CA files by pattern, local
// certificate and key files, and (last, because it is process-wide) the default CA store.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <mailwire/ssl_socket.h>

#include "test_support.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QCryptographicHash>
#include <QtCore/QStringList>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>

#include <deque>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace bdata = boost::unit_test::data;
using mailwire::SslSocket;
using mailwire::test::certPath;
using mailwire::test::fixtureCaCertificates;
using mailwire::test::loadCertificate;
using mailwire::test::loadCertificates;
using mailwire::test::loadKey;
using mailwire::test::waitUntil;

namespace {

const QString kLocalHost = QStringLiteral("127.0.0.1");

// ---- Describing errors so a failed comparison reads well ------------------------------------

const char *sslErrorName(int code)
{
    switch (code) {
    case QSslError::NoError: return "NoError";
    case QSslError::UnableToGetIssuerCertificate: return "UnableToGetIssuerCertificate";
    case QSslError::UnableToDecryptCertificateSignature:
        return "UnableToDecryptCertificateSignature";
    case QSslError::UnableToDecodeIssuerPublicKey: return "UnableToDecodeIssuerPublicKey";
    case QSslError::CertificateSignatureFailed: return "CertificateSignatureFailed";
    case QSslError::CertificateNotYetValid: return "CertificateNotYetValid";
    case QSslError::CertificateExpired: return "CertificateExpired";
    case QSslError::InvalidNotBeforeField: return "InvalidNotBeforeField";
    case QSslError::InvalidNotAfterField: return "InvalidNotAfterField";
    case QSslError::SelfSignedCertificate: return "SelfSignedCertificate";
    case QSslError::SelfSignedCertificateInChain: return "SelfSignedCertificateInChain";
    case QSslError::UnableToGetLocalIssuerCertificate: return "UnableToGetLocalIssuerCertificate";
    case QSslError::UnableToVerifyFirstCertificate: return "UnableToVerifyFirstCertificate";
    case QSslError::CertificateRevoked: return "CertificateRevoked";
    case QSslError::InvalidCaCertificate: return "InvalidCaCertificate";
    case QSslError::PathLengthExceeded: return "PathLengthExceeded";
    case QSslError::InvalidPurpose: return "InvalidPurpose";
    case QSslError::CertificateUntrusted: return "CertificateUntrusted";
    case QSslError::CertificateRejected: return "CertificateRejected";
    case QSslError::SubjectIssuerMismatch: return "SubjectIssuerMismatch";
    case QSslError::AuthorityIssuerSerialNumberMismatch:
        return "AuthorityIssuerSerialNumberMismatch";
    case QSslError::NoPeerCertificate: return "NoPeerCertificate";
    case QSslError::HostNameMismatch: return "HostNameMismatch";
    case QSslError::NoSslSupport: return "NoSslSupport";
    case QSslError::CertificateBlacklisted: return "CertificateBlacklisted";
    case QSslError::UnspecifiedError: return "UnspecifiedError";
    default: return "other";
    }
}

/// The error codes as a sorted set, printed: "{HostNameMismatch(22), SelfSignedCertificate(9)}".
std::string codeSet(const QList<QSslError> &errors)
{
    std::set<int> codes;
    for (const QSslError &error : errors)
        codes.insert(error.error());
    std::string text = "{";
    for (int code : codes) {
        if (text.size() > 1)
            text += ", ";
        text += sslErrorName(code);
        text += '(' + std::to_string(code) + ')';
    }
    return text + '}';
}

/// Code and certificate of every error, sorted: what ignoreSslErrors(list) matches on.
std::string codeAndCertificateSet(const QList<QSslError> &errors)
{
    std::set<std::string> entries;
    for (const QSslError &error : errors) {
        const QSslCertificate cert = error.certificate();
        const std::string who = cert.isNull()
            ? std::string("no certificate")
            : cert.subjectInfo(QSslCertificate::CommonName).join(QLatin1Char(',')).toStdString()
                + " " + cert.digest(QCryptographicHash::Sha256).toHex().left(12).toStdString();
        entries.insert(std::string(sslErrorName(error.error())) + " @ " + who);
    }
    std::string text = "{";
    for (const std::string &entry : entries) {
        if (text.size() > 1)
            text += "; ";
        text += entry;
    }
    return text + '}';
}

std::string socketErrors(const QList<QAbstractSocket::SocketError> &errors)
{
    std::string text = "[";
    for (auto error : errors) {
        if (text.size() > 1)
            text += ", ";
        text += std::to_string(int(error));
    }
    return text + ']';
}

// QSslSocket::sslErrors() const is deprecated in 5.15; SslSocket keeps the 5.6 name.
QList<QSslError> handshakeErrors(const QSslSocket &socket) { return socket.sslHandshakeErrors(); }
QList<QSslError> handshakeErrors(const SslSocket &socket) { return socket.sslErrors(); }

template <class Socket> const char *socketKind();
template <> const char *socketKind<QSslSocket>() { return "QSslSocket"; }
template <> const char *socketKind<SslSocket>() { return "mailwire::SslSocket"; }

/// Replaces the socket's CA list by exactly `cas` (no system store).
template <class Socket> void trustOnly(Socket &socket, const QList<QSslCertificate> &cas)
{
    QSslConfiguration config = socket.sslConfiguration();
    config.setCaCertificates(cas);
    socket.setSslConfiguration(config);
}

/// Chain and key for a server: "leaf-chain.pem" -> leaf-chain.pem + leaf.key.
template <class Socket> void serveFixture(Socket &socket, const QString &chainFile)
{
    QString base = chainFile;
    base.chop(4); // ".pem"
    if (base.endsWith(QLatin1String("-chain")))
        base.chop(6);
    socket.setLocalCertificateChain(loadCertificates(chainFile));
    socket.setPrivateKey(loadKey(base + QStringLiteral(".key")));
}

// ---- A TLS server on 127.0.0.1:0 whose sockets are QSslSocket or SslSocket ------------------

/// What the server side of one connection saw.
struct ServerSide
{
    bool encrypted = false;
    bool disconnected = false;
    QList<QAbstractSocket::SocketError> errors;
    QString errorString;
    QList<QSslError> sslErrors;
    QSslCertificate peerCertificate;
    bool finished() const { return encrypted || !errors.isEmpty() || disconnected; }
};

template <class Socket> class TlsServer : public QTcpServer
{
public:
    using Configure = std::function<void(Socket &)>;

    explicit TlsServer(Configure configure) : m_configure(std::move(configure))
    {
        listen(QHostAddress::LocalHost, 0);
    }
    ~TlsServer() override
    {
        // Before `connections` goes: a dying socket may still emit into it.
        for (Socket *socket : m_sockets)
            delete socket;
    }

    std::deque<ServerSide> connections;

    bool waitForFirstFinished(int timeoutMs = 10000)
    {
        return waitUntil([this] { return !connections.empty() && connections.front().finished(); },
                         timeoutMs);
    }
    Socket *firstSocket() const { return m_sockets.empty() ? nullptr : m_sockets.front(); }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new Socket;
        m_sockets.push_back(socket);
        connections.emplace_back();
        ServerSide *side = &connections.back();
        QObject::connect(socket, &Socket::encrypted, [side, socket] {
            side->encrypted = true;
            side->peerCertificate = socket->peerCertificate();
        });
        QObject::connect(socket, QOverload<const QList<QSslError> &>::of(&Socket::sslErrors),
                         [side](const QList<QSslError> &errors) { side->sslErrors = errors; });
        QObject::connect(socket, &QAbstractSocket::errorOccurred,
                         [side, socket](QAbstractSocket::SocketError error) {
                             side->errors << error;
                             if (side->errorString.isEmpty())
                                 side->errorString = socket->errorString();
                         });
        QObject::connect(socket, &QAbstractSocket::disconnected,
                         [side] { side->disconnected = true; });
        // Echo, so a client can prove the encrypted channel carries data both ways.
        QObject::connect(socket, &QIODevice::readyRead,
                         [socket] { socket->write(socket->readAll()); });
        if (!socket->setSocketDescriptor(descriptor)) {
            side->errors << socket->error();
            return;
        }
        m_configure(*socket);
        socket->startServerEncryption();
    }

private:
    Configure m_configure;
    std::vector<Socket *> m_sockets;
};

// ---- A client socket with every relevant signal recorded -------------------------------------

template <class Socket> class Client
{
public:
    Client()
    {
        QObject::connect(&socket, &Socket::encrypted, [this] {
            encrypted = true;
            events << QStringLiteral("encrypted");
        });
        QObject::connect(&socket, &Socket::peerVerifyError, [this](const QSslError &error) {
            verifyErrors << error;
            events << QStringLiteral("peerVerifyError");
        });
        QObject::connect(&socket, QOverload<const QList<QSslError> &>::of(&Socket::sslErrors),
                         [this](const QList<QSslError> &list) {
                             signalledErrors = list;
                             events << QStringLiteral("sslErrors");
                             if (onSslErrors)
                                 onSslErrors(socket, list);
                         });
        QObject::connect(&socket, &QAbstractSocket::errorOccurred,
                         [this](QAbstractSocket::SocketError error) {
                             errors << error;
                             if (errorString.isEmpty())
                                 errorString = socket.errorString();
                             events << QStringLiteral("error");
                         });
        QObject::connect(&socket, &QAbstractSocket::disconnected, [this] { disconnected = true; });
        QObject::connect(&socket, &QIODevice::readyRead, [this] { received += socket.readAll(); });
    }

    bool finished() const { return encrypted || !errors.isEmpty() || disconnected; }
    bool waitFinished(int timeoutMs = 10000)
    {
        return waitUntil([this] { return finished(); }, timeoutMs);
    }
    /// Writes `payload` and waits until the echo server returned it.
    bool echoes(const QByteArray &payload)
    {
        if (!encrypted)
            return false;
        received.clear();
        socket.write(payload);
        return waitUntil([&] { return received.size() >= payload.size(); }) && received == payload;
    }
    std::string describe() const
    {
        return std::string(socketKind<Socket>()) + ": encrypted=" + (encrypted ? "yes" : "no")
            + " sslErrors=" + codeSet(signalledErrors) + " socketErrors=" + socketErrors(errors)
            + " \"" + errorString.toStdString() + "\"";
    }

    bool encrypted = false;
    bool disconnected = false;
    QList<QSslError> signalledErrors;
    QList<QSslError> verifyErrors;
    QStringList events;
    QList<QAbstractSocket::SocketError> errors;
    QString errorString;
    QByteArray received;
    std::function<void(Socket &, const QList<QSslError> &)> onSslErrors;
    Socket socket; // last: destroyed first, while the members its signals write to still live
};

/// Runs `scenario` once with a QSslSocket client and once with an SslSocket client.
#define FOR_BOTH_CLIENTS(scenario)                                                                 \
    do {                                                                                           \
        BOOST_TEST_CONTEXT("client QSslSocket") { scenario<QSslSocket>(); }                        \
        BOOST_TEST_CONTEXT("client mailwire::SslSocket") { scenario<SslSocket>(); }                \
    } while (false)

/// Outcome of one client handshake, for comparing the two implementations.
struct Outcome
{
    bool encrypted = false;
    std::string codes;
    std::string codesWithCertificates;
    std::string describe;
};

template <class Socket>
Outcome connectAndRecord(quint16 port, const QString &peerName,
                         const std::function<void(Socket &)> &configure)
{
    Client<Socket> client;
    configure(client.socket);
    client.socket.connectToHostEncrypted(kLocalHost, port, peerName);
    BOOST_TEST(client.waitFinished(), socketKind<Socket>() << " handshake never finished");
    Outcome outcome;
    outcome.encrypted = client.encrypted;
    outcome.codes = codeSet(client.signalledErrors);
    outcome.codesWithCertificates = codeAndCertificateSet(client.signalledErrors);
    outcome.describe = client.describe();
    // The getter answers what the signal carried.
    BOOST_TEST(codeAndCertificateSet(handshakeErrors(client.socket))
                   == outcome.codesWithCertificates,
               socketKind<Socket>() << ": sslErrors() getter differs from the signal");
    return outcome;
}

const std::vector<std::string> kServedFixtures = {
    "leaf-chain.pem",      "leaf.pem",       "expired-chain.pem", "notyet-chain.pem",
    "wronghost-chain.pem", "selfsigned.pem", "unknownca.pem",     "leaf-ecdsa-chain.pem"};

const QStringList kPeerNames = {QStringLiteral("localhost"), QStringLiteral("127.0.0.1"),
                                QStringLiteral("example.org"), QStringLiteral("mail.wrong.test")};

} // namespace

BOOST_AUTO_TEST_SUITE(ssl_socket_certs)

// Every served fixture x every peer name: SslSocket must agree with QSslSocket on the error
// codes (as sets), on the certificate each error names, and on accept/reject.
BOOST_DATA_TEST_CASE(verification_matches_qsslsocket, bdata::make(kServedFixtures), servedFile)
{
    const QString served = QString::fromStdString(servedFile);
    TlsServer<QSslSocket> server([&](QSslSocket &socket) { serveFixture(socket, served); });
    BOOST_REQUIRE(server.isListening());
    BOOST_REQUIRE(!loadCertificates(served).isEmpty());

    auto configureQt = [](QSslSocket &socket) { trustOnly(socket, fixtureCaCertificates()); };
    auto configureMw = [](SslSocket &socket) { trustOnly(socket, fixtureCaCertificates()); };

    for (const QString &peerName : kPeerNames) {
        BOOST_TEST_CONTEXT("served " << servedFile << ", peer name " << peerName.toStdString())
        {
            const Outcome qt =
                connectAndRecord<QSslSocket>(server.serverPort(), peerName, configureQt);
            const Outcome mw =
                connectAndRecord<SslSocket>(server.serverPort(), peerName, configureMw);
            BOOST_TEST_MESSAGE(qt.describe << " | " << mw.describe);
            BOOST_TEST(mw.codes == qt.codes,
                       "QSslSocket: " << qt.describe << "; SslSocket: " << mw.describe);
            BOOST_TEST(mw.encrypted == qt.encrypted,
                       "QSslSocket: " << qt.describe << "; SslSocket: " << mw.describe);
            BOOST_TEST(mw.codesWithCertificates == qt.codesWithCertificates);
        }
    }
}

// The fixtures behave as their names say (so the differential test above compares something).
BOOST_AUTO_TEST_CASE(fixture_sanity_under_qsslsocket)
{
    TlsServer<QSslSocket> good(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("leaf-chain.pem")); });
    TlsServer<QSslSocket> self(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("selfsigned.pem")); });
    auto configure = [](QSslSocket &socket) { trustOnly(socket, fixtureCaCertificates()); };
    const Outcome ok =
        connectAndRecord<QSslSocket>(good.serverPort(), QStringLiteral("localhost"), configure);
    BOOST_TEST(ok.encrypted, ok.describe);
    BOOST_TEST(ok.codes == "{}");
    const Outcome bad =
        connectAndRecord<QSslSocket>(self.serverPort(), QStringLiteral("localhost"), configure);
    BOOST_TEST(!bad.encrypted, bad.describe);
    BOOST_TEST(bad.codes == codeSet({QSslError(QSslError::SelfSignedCertificate)}));
}

// ---- ignoreSslErrors ----------------------------------------------------------------------------

namespace {

template <class Socket> void ignoreAllFromSlot()
{
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("selfsigned.pem")); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.onSslErrors = [](Socket &socket, const QList<QSslError> &) { socket.ignoreSslErrors(); };
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(client.encrypted, client.describe());
    BOOST_TEST(codeSet(client.signalledErrors)
               == codeSet({QSslError(QSslError::SelfSignedCertificate)}));
    BOOST_TEST(client.socket.isEncrypted());
    BOOST_TEST(client.echoes("over an ignored self-signed certificate\n"));
}

template <class Socket> void ignoreExactListBeforeConnecting()
{
    const QSslCertificate served = loadCertificate(QStringLiteral("selfsigned.pem"));
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("selfsigned.pem")); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.ignoreSslErrors({QSslError(QSslError::SelfSignedCertificate, served)});
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(client.encrypted, client.describe());
    BOOST_TEST(client.echoes("listed error ignored\n"));
}

template <class Socket> void ignoreExactListFromSlot()
{
    const QSslCertificate served = loadCertificate(QStringLiteral("wronghost.pem"));
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("wronghost-chain.pem")); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.onSslErrors = [served](Socket &socket, const QList<QSslError> &) {
        socket.ignoreSslErrors({QSslError(QSslError::HostNameMismatch, served)});
    };
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(client.encrypted, client.describe());
}

/// ignoreSslErrors(list) that does not cover every error: the handshake must fail.
template <class Socket>
void ignoreWrongList(const QString &servedFile, const QString &peerName,
                     const QList<QSslError> &list)
{
    TlsServer<QSslSocket> server([servedFile](QSslSocket &s) { serveFixture(s, servedFile); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.ignoreSslErrors(list);
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(), peerName);
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(!client.encrypted, client.describe());
    BOOST_TEST(!client.signalledErrors.isEmpty());
    BOOST_TEST(client.errors.contains(QAbstractSocket::SslHandshakeFailedError), client.describe());
    BOOST_TEST(!client.errorString.isEmpty());
    // The client lets go of the connection.
    BOOST_TEST(
        waitUntil([&] { return client.socket.state() == QAbstractSocket::UnconnectedState; }),
        "state " << int(client.socket.state()));
}

template <class Socket> void ignoreListWithWrongCertificate()
{
    // Right code, wrong certificate.
    ignoreWrongList<Socket>(
        QStringLiteral("selfsigned.pem"), QStringLiteral("localhost"),
        {QSslError(QSslError::SelfSignedCertificate, loadCertificate(QStringLiteral("leaf.pem")))});
}

template <class Socket> void ignoreListWithWrongCode()
{
    ignoreWrongList<Socket>(QStringLiteral("selfsigned.pem"), QStringLiteral("localhost"),
                            {QSslError(QSslError::HostNameMismatch,
                                       loadCertificate(QStringLiteral("selfsigned.pem")))});
}

template <class Socket> void ignoreListCoveringOnlySomeErrors()
{
    // Self-signed AND wrong name; only the first is ignored.
    ignoreWrongList<Socket>(QStringLiteral("selfsigned.pem"), QStringLiteral("mail.wrong.test"),
                            {QSslError(QSslError::SelfSignedCertificate,
                                       loadCertificate(QStringLiteral("selfsigned.pem")))});
}

/// Outcome of ignoreSslErrors() (no arguments) called before connectToHostEncrypted().
template <class Socket> Outcome ignoreAllBeforeConnectToHostEncrypted(quint16 port)
{
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.ignoreSslErrors();
    client.socket.connectToHostEncrypted(kLocalHost, port, QStringLiteral("localhost"));
    BOOST_TEST(client.waitFinished());
    Outcome outcome;
    outcome.encrypted = client.encrypted;
    outcome.codes = codeSet(client.signalledErrors);
    outcome.describe = client.describe();
    return outcome;
}

/// ignoreSslErrors() (no arguments) on a connected plain socket, before startClientEncryption().
template <class Socket> void ignoreAllBeforeStartClientEncryption()
{
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("selfsigned.pem")); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.setPeerVerifyName(QStringLiteral("localhost"));
    client.socket.connectToHost(kLocalHost, server.serverPort());
    BOOST_REQUIRE(
        waitUntil([&] { return client.socket.state() == QAbstractSocket::ConnectedState; }));
    client.socket.ignoreSslErrors();
    client.socket.startClientEncryption();
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(client.encrypted, client.describe());
    BOOST_TEST(codeSet(client.signalledErrors)
               == codeSet({QSslError(QSslError::SelfSignedCertificate)}));
    BOOST_TEST(client.echoes("ignored before the handshake\n"));
}

/// ignoreSslErrors() (no arguments) right after connectToHostEncrypted(), while TCP connects.
template <class Socket> void ignoreAllWhileConnecting()
{
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("selfsigned.pem")); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    client.socket.ignoreSslErrors();
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(client.encrypted, client.describe());
    BOOST_TEST(codeSet(client.signalledErrors)
               == codeSet({QSslError(QSslError::SelfSignedCertificate)}));
}

} // namespace

BOOST_AUTO_TEST_CASE(ignore_all_from_ssl_errors_slot_proceeds)
{
    FOR_BOTH_CLIENTS(ignoreAllFromSlot);
}

BOOST_AUTO_TEST_CASE(ignore_exact_list_before_connecting_proceeds)
{
    FOR_BOTH_CLIENTS(ignoreExactListBeforeConnecting);
}

BOOST_AUTO_TEST_CASE(ignore_exact_list_from_slot_proceeds)
{
    FOR_BOTH_CLIENTS(ignoreExactListFromSlot);
}

BOOST_AUTO_TEST_CASE(ignore_list_with_wrong_certificate_rejects)
{
    FOR_BOTH_CLIENTS(ignoreListWithWrongCertificate);
}

BOOST_AUTO_TEST_CASE(ignore_list_with_wrong_code_rejects)
{
    FOR_BOTH_CLIENTS(ignoreListWithWrongCode);
}

BOOST_AUTO_TEST_CASE(ignore_list_covering_only_some_errors_rejects)
{
    FOR_BOTH_CLIENTS(ignoreListCoveringOnlySomeErrors);
}

BOOST_AUTO_TEST_CASE(ignore_all_before_start_client_encryption_proceeds)
{
    FOR_BOTH_CLIENTS(ignoreAllBeforeStartClientEncryption);
}

BOOST_AUTO_TEST_CASE(ignore_all_while_connecting_proceeds)
{
    FOR_BOTH_CLIENTS(ignoreAllWhileConnecting);
}

// ignoreSslErrors() before connecting: the reference says to call it "from a slot connected
// to sslErrors(), or before the handshake phase", so the handshake proceeds. (QSslSocket 5.15
// itself forgets the call: connectToHostEncrypted() resets the flag and the handshake is
// rejected; only the list form survives there. Its outcome is logged for comparison.)
BOOST_AUTO_TEST_CASE(ignore_all_before_connecting_proceeds)
{
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("selfsigned.pem")); });
    const Outcome qt = ignoreAllBeforeConnectToHostEncrypted<QSslSocket>(server.serverPort());
    const Outcome mw = ignoreAllBeforeConnectToHostEncrypted<SslSocket>(server.serverPort());
    BOOST_TEST_MESSAGE("for comparison, " << qt.describe << " | " << mw.describe);
    BOOST_TEST(mw.encrypted, mw.describe);
    BOOST_TEST(mw.codes == codeSet({QSslError(QSslError::SelfSignedCertificate)}));
}

// ---- peerVerifyError ------------------------------------------------------------------------

namespace {

template <class Socket> void peerVerifyErrorOncePerErrorBeforeSslErrors()
{
    // Self-signed and a name the certificate does not carry: two errors.
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("selfsigned.pem")); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("mail.wrong.test"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(!client.encrypted);
    BOOST_TEST(client.signalledErrors.size() == 2, client.describe());
    BOOST_TEST(client.verifyErrors.size() == client.signalledErrors.size(),
               client.verifyErrors.size()
                   << " peerVerifyError for " << client.signalledErrors.size() << " errors");
    BOOST_TEST(codeAndCertificateSet(client.verifyErrors)
               == codeAndCertificateSet(client.signalledErrors));
    const int firstSslErrors = client.events.indexOf(QStringLiteral("sslErrors"));
    const int lastVerify = client.events.lastIndexOf(QStringLiteral("peerVerifyError"));
    BOOST_TEST(firstSslErrors >= 0);
    BOOST_TEST(lastVerify < firstSslErrors, client.events.join(QLatin1Char(' ')).toStdString());
    BOOST_TEST(client.events.count(QStringLiteral("sslErrors")) == 1);
}

template <class Socket> void noPeerVerifyErrorOnGoodChain()
{
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("leaf-chain.pem")); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("example.org"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(client.encrypted, client.describe());
    BOOST_TEST(client.verifyErrors.isEmpty());
    BOOST_TEST(!client.events.contains(QStringLiteral("sslErrors")));
    BOOST_TEST((client.socket.peerCertificate() == loadCertificate(QStringLiteral("leaf.pem"))));
    BOOST_TEST(client.socket.peerCertificateChain().size() == 2);
    BOOST_TEST(client.echoes("good chain\n"));
}

} // namespace

BOOST_AUTO_TEST_CASE(peer_verify_error_once_per_error_before_ssl_errors)
{
    FOR_BOTH_CLIENTS(peerVerifyErrorOncePerErrorBeforeSslErrors);
}

BOOST_AUTO_TEST_CASE(good_chain_no_errors_and_data_flows)
{
    FOR_BOTH_CLIENTS(noPeerVerifyErrorOnGoodChain);
}

// ---- Verify modes and depth, compared with Qt -----------------------------------------------

namespace {

template <class Socket>
std::function<void(Socket &)> withVerify(typename Socket::PeerVerifyMode mode, int depth = 0)
{
    return [mode, depth](Socket &socket) {
        trustOnly(socket, fixtureCaCertificates());
        socket.setPeerVerifyMode(mode);
        if (depth)
            socket.setPeerVerifyDepth(depth);
    };
}

void compareWithQt(const QString &servedFile, const QString &peerName,
                   const std::function<void(QSslSocket &)> &configureQt,
                   const std::function<void(SslSocket &)> &configureMw, bool expectEncrypted)
{
    TlsServer<QSslSocket> server([servedFile](QSslSocket &s) { serveFixture(s, servedFile); });
    BOOST_REQUIRE(server.isListening());
    const Outcome qt = connectAndRecord<QSslSocket>(server.serverPort(), peerName, configureQt);
    const Outcome mw = connectAndRecord<SslSocket>(server.serverPort(), peerName, configureMw);
    BOOST_TEST_MESSAGE(qt.describe << " | " << mw.describe);
    BOOST_TEST(qt.encrypted == expectEncrypted, "oracle: " << qt.describe);
    BOOST_TEST(mw.encrypted == qt.encrypted,
               "QSslSocket: " << qt.describe << "; SslSocket: " << mw.describe);
    BOOST_TEST(mw.codes == qt.codes,
               "QSslSocket: " << qt.describe << "; SslSocket: " << mw.describe);
}

} // namespace

BOOST_AUTO_TEST_CASE(verify_none_client_accepts_selfsigned_like_qt)
{
    compareWithQt(QStringLiteral("selfsigned.pem"), QStringLiteral("localhost"),
                  withVerify<QSslSocket>(QSslSocket::VerifyNone),
                  withVerify<SslSocket>(SslSocket::VerifyNone), true);
    // And a certificate that is wrong in every way at once.
    compareWithQt(QStringLiteral("expired-chain.pem"), QStringLiteral("mail.wrong.test"),
                  withVerify<QSslSocket>(QSslSocket::VerifyNone),
                  withVerify<SslSocket>(SslSocket::VerifyNone), true);
}

BOOST_AUTO_TEST_CASE(query_peer_client_reports_but_proceeds_like_qt)
{
    compareWithQt(QStringLiteral("selfsigned.pem"), QStringLiteral("localhost"),
                  withVerify<QSslSocket>(QSslSocket::QueryPeer),
                  withVerify<SslSocket>(SslSocket::QueryPeer), true);
    compareWithQt(QStringLiteral("leaf-chain.pem"), QStringLiteral("localhost"),
                  withVerify<QSslSocket>(QSslSocket::QueryPeer),
                  withVerify<SslSocket>(SslSocket::QueryPeer), true);
}

BOOST_AUTO_TEST_CASE(verify_peer_and_auto_verify_peer_reject_like_qt)
{
    compareWithQt(QStringLiteral("unknownca.pem"), QStringLiteral("localhost"),
                  withVerify<QSslSocket>(QSslSocket::VerifyPeer),
                  withVerify<SslSocket>(SslSocket::VerifyPeer), false);
    compareWithQt(QStringLiteral("unknownca.pem"), QStringLiteral("localhost"),
                  withVerify<QSslSocket>(QSslSocket::AutoVerifyPeer),
                  withVerify<SslSocket>(SslSocket::AutoVerifyPeer), false);
}

BOOST_AUTO_TEST_CASE(peer_verify_depth_one_like_qt)
{
    // leaf (0) <- intermediate (1) <- root (2): what depth 1 means is OpenSSL's, as in Qt.
    compareWithQt(QStringLiteral("leaf-chain.pem"), QStringLiteral("localhost"),
                  withVerify<QSslSocket>(QSslSocket::VerifyPeer, 1),
                  withVerify<SslSocket>(SslSocket::VerifyPeer, 1),
                  /* whatever Qt says; checked against SslSocket */ true);
    SslSocket socket;
    socket.setPeerVerifyDepth(1);
    BOOST_TEST(socket.peerVerifyDepth() == 1);
    BOOST_TEST(socket.sslConfiguration().peerVerifyDepth() == 1);
}

// ---- PauseOnSslErrors ---------------------------------------------------------------------------

namespace {

template <class Socket> void pauseOnSslErrorsThenResume()
{
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("selfsigned.pem")); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.setPauseMode(QAbstractSocket::PauseOnSslErrors);
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_REQUIRE(
        waitUntil([&] { return !client.signalledErrors.isEmpty() || client.finished(); }));
    BOOST_TEST(codeSet(client.signalledErrors)
               == codeSet({QSslError(QSslError::SelfSignedCertificate)}));
    // Paused: neither encrypted nor failed once the emission is over and queued work ran.
    QCoreApplication::processEvents();
    BOOST_TEST(!client.encrypted, client.describe());
    BOOST_TEST(client.errors.isEmpty(), client.describe());
    BOOST_TEST(client.socket.state() == QAbstractSocket::ConnectedState);

    client.socket.ignoreSslErrors();
    client.socket.resume();
    BOOST_REQUIRE(waitUntil([&] { return client.encrypted || !client.errors.isEmpty(); }));
    BOOST_TEST(client.encrypted, client.describe());
    BOOST_TEST(client.events.count(QStringLiteral("sslErrors")) == 1);
    BOOST_TEST(client.echoes("resumed\n"));
}

template <class Socket> void pauseOnSslErrorsWithoutErrorsDoesNotPause()
{
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("leaf-chain.pem")); });
    Client<Socket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.setPauseMode(QAbstractSocket::PauseOnSslErrors);
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(client.encrypted, client.describe());
}

} // namespace

BOOST_AUTO_TEST_CASE(pause_on_ssl_errors_then_ignore_and_resume)
{
    FOR_BOTH_CLIENTS(pauseOnSslErrorsThenResume);
}

BOOST_AUTO_TEST_CASE(pause_on_ssl_errors_without_errors_does_not_pause)
{
    FOR_BOTH_CLIENTS(pauseOnSslErrorsWithoutErrorsDoesNotPause);
}

// ---- Client certificates --------------------------------------------------------------------

namespace {

/// A server that demands a client certificate chaining to the fixture CA.
template <class Socket> void requireClientCertificate(Socket &socket)
{
    serveFixture(socket, QStringLiteral("leaf-chain.pem"));
    trustOnly(socket, fixtureCaCertificates());
    socket.setPeerVerifyMode(Socket::VerifyPeer);
}

/// client.pem is issued by the intermediate: present the chain, as a real client would.
template <class Socket> void presentClientCertificate(Socket &socket)
{
    socket.setLocalCertificateChain(loadCertificates(QStringLiteral("client-chain.pem")));
    socket.setPrivateKey(certPath(QStringLiteral("client.key")));
}

template <class ServerSocket, class ClientSocket> void clientCertificateAccepted()
{
    TlsServer<ServerSocket> server([](ServerSocket &s) { requireClientCertificate(s); });
    BOOST_REQUIRE(server.isListening());
    Client<ClientSocket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    presentClientCertificate(client.socket);
    BOOST_TEST(!client.socket.privateKey().isNull(), "client.key did not load");
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(client.encrypted, client.describe());
    BOOST_REQUIRE(server.waitForFirstFinished());
    const ServerSide &side = server.connections.front();
    BOOST_TEST(side.encrypted,
               "server errors " << socketErrors(side.errors) << " "
                                << side.errorString.toStdString() << " "
                                << codeSet(side.sslErrors));
    BOOST_TEST((side.peerCertificate == loadCertificate(QStringLiteral("client.pem"))));
    BOOST_TEST(
        (server.firstSocket()->peerCertificate() == loadCertificate(QStringLiteral("client.pem"))));
    BOOST_TEST(side.sslErrors.isEmpty(), codeSet(side.sslErrors));
    BOOST_TEST(client.echoes("authenticated client\n"));
}

/// What both ends saw when the client had no certificate to give.
struct NoClientCertificate
{
    bool serverEncrypted = false;
    QList<QAbstractSocket::SocketError> serverErrors;
    std::string serverSslErrors;
    QString serverErrorString;
    bool clientEncrypted = false;
    QList<QAbstractSocket::SocketError> clientErrors;
    QString clientErrorString;
    bool clientDisconnected = false;

    std::string describe() const
    {
        return "server: encrypted=" + std::string(serverEncrypted ? "yes" : "no")
            + " errors=" + socketErrors(serverErrors) + " sslErrors=" + serverSslErrors + " \""
            + serverErrorString.toStdString() + "\"; client: encrypted="
            + (clientEncrypted ? "yes" : "no") + " errors=" + socketErrors(clientErrors) + " \""
            + clientErrorString.toStdString() + "\"";
    }
};

template <class ServerSocket, class ClientSocket>
NoClientCertificate clientWithoutCertificate(QSsl::SslProtocol protocol)
{
    TlsServer<ServerSocket> server([](ServerSocket &s) { requireClientCertificate(s); });
    Client<ClientSocket> client;
    trustOnly(client.socket, fixtureCaCertificates());
    client.socket.setProtocol(protocol);
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_TEST(server.waitForFirstFinished(), "server side never finished");
    // The client learns of the refusal during the handshake (TLS 1.2) or right after it
    // (TLS 1.3, where the client's Finished precedes the server's check).
    BOOST_TEST(waitUntil([&] { return !client.errors.isEmpty() || client.disconnected; }),
               "client never learned that the server refused it: " << client.describe());
    NoClientCertificate result;
    if (!server.connections.empty()) {
        const ServerSide &side = server.connections.front();
        result.serverEncrypted = side.encrypted;
        result.serverErrors = side.errors;
        result.serverSslErrors = codeSet(side.sslErrors);
        result.serverErrorString = side.errorString;
    }
    result.clientEncrypted = client.encrypted;
    result.clientErrors = client.errors;
    result.clientErrorString = client.errorString;
    result.clientDisconnected = client.disconnected;
    return result;
}

void checkRefused(const NoClientCertificate &seen)
{
    BOOST_TEST(!seen.serverEncrypted, seen.describe());
    BOOST_TEST(seen.serverErrors.contains(QAbstractSocket::SslHandshakeFailedError),
               seen.describe());
    BOOST_TEST(!seen.serverErrorString.isEmpty());
    BOOST_TEST((!seen.clientErrors.isEmpty() || seen.clientDisconnected), seen.describe());
    BOOST_TEST((seen.clientErrors.isEmpty() || !seen.clientErrorString.isEmpty()), seen.describe());
}

} // namespace

BOOST_AUTO_TEST_CASE(client_certificate_to_qt_server)
{
    BOOST_TEST_CONTEXT("client QSslSocket") { clientCertificateAccepted<QSslSocket, QSslSocket>(); }
    BOOST_TEST_CONTEXT("client mailwire::SslSocket")
    {
        clientCertificateAccepted<QSslSocket, SslSocket>();
    }
}

BOOST_AUTO_TEST_CASE(missing_client_certificate_refused_by_qt_server)
{
    for (QSsl::SslProtocol protocol : {QSsl::TlsV1_2, QSsl::TlsV1_3}) {
        BOOST_TEST_CONTEXT("protocol " << int(protocol))
        {
            const NoClientCertificate qt =
                clientWithoutCertificate<QSslSocket, QSslSocket>(protocol);
            const NoClientCertificate mw =
                clientWithoutCertificate<QSslSocket, SslSocket>(protocol);
            BOOST_TEST_MESSAGE("QSslSocket client: " << qt.describe());
            BOOST_TEST_MESSAGE("SslSocket client: " << mw.describe());
            BOOST_TEST_CONTEXT("oracle (QSslSocket client)") { checkRefused(qt); }
            BOOST_TEST_CONTEXT("SslSocket client") { checkRefused(mw); }
            BOOST_TEST(mw.serverSslErrors == qt.serverSslErrors);
            BOOST_TEST(mw.clientEncrypted == qt.clientEncrypted,
                       "QSslSocket: " << qt.describe() << " | SslSocket: " << mw.describe());
        }
    }
}

BOOST_AUTO_TEST_CASE(mailwire_server_requires_client_certificate)
{
    BOOST_TEST_CONTEXT("server mailwire::SslSocket, client QSslSocket")
    {
        clientCertificateAccepted<SslSocket, QSslSocket>();
    }
    BOOST_TEST_CONTEXT("server mailwire::SslSocket, client mailwire::SslSocket")
    {
        clientCertificateAccepted<SslSocket, SslSocket>();
    }
}

BOOST_AUTO_TEST_CASE(mailwire_server_refuses_missing_client_certificate_like_qt)
{
    for (QSsl::SslProtocol protocol : {QSsl::TlsV1_2, QSsl::TlsV1_3}) {
        BOOST_TEST_CONTEXT("protocol " << int(protocol))
        {
            const NoClientCertificate qt =
                clientWithoutCertificate<QSslSocket, QSslSocket>(protocol);
            const NoClientCertificate mw =
                clientWithoutCertificate<SslSocket, QSslSocket>(protocol);
            BOOST_TEST_MESSAGE("QSslSocket server: " << qt.describe());
            BOOST_TEST_MESSAGE("SslSocket server: " << mw.describe());
            BOOST_TEST_CONTEXT("oracle (QSslSocket server)") { checkRefused(qt); }
            BOOST_TEST_CONTEXT("SslSocket server") { checkRefused(mw); }
            BOOST_TEST(mw.serverSslErrors == qt.serverSslErrors,
                       "QSslSocket server: " << qt.describe()
                                             << " | SslSocket server: " << mw.describe());
        }
    }
}

// ---- CA certificates from a path + pattern --------------------------------------------------

BOOST_AUTO_TEST_CASE(ca_certificates_from_wildcard_path)
{
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("leaf-chain.pem")); });

    Client<SslSocket> client;
    trustOnly(client.socket, {});
    BOOST_TEST(client.socket.addCaCertificates(
        certPath(QStringLiteral("cas")) + QStringLiteral("/*.pem"), QSsl::Pem, QRegExp::Wildcard));
    const QList<QSslCertificate> cas = client.socket.sslConfiguration().caCertificates();
    BOOST_TEST(cas.contains(loadCertificate(QStringLiteral("ca.pem"))));
    BOOST_TEST(cas.contains(loadCertificate(QStringLiteral("unknown-ca.pem"))));
    BOOST_TEST(cas.size() == 2);
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(client.encrypted, client.describe());
    BOOST_TEST(client.signalledErrors.isEmpty());
}

BOOST_AUTO_TEST_CASE(ca_certificates_path_pattern_edge_cases)
{
    const QString cas = certPath(QStringLiteral("cas"));
    SslSocket socket;
    trustOnly(socket, {});
    // Nothing matches.
    BOOST_TEST(
        !socket.addCaCertificates(cas + QStringLiteral("/*.crt"), QSsl::Pem, QRegExp::Wildcard));
    BOOST_TEST(!socket.addCaCertificates(QStringLiteral("/nonexistent/dir/*.pem"), QSsl::Pem,
                                         QRegExp::Wildcard));
    BOOST_TEST(!socket.addCaCertificates(cas + QStringLiteral("/nope.pem")));
    // A file that matches but holds no certificate adds nothing.
    BOOST_TEST(!socket.addCaCertificates(cas + QStringLiteral("/readme.txt")));
    BOOST_TEST(socket.sslConfiguration().caCertificates().isEmpty());
    // A plain file name (FixedString, the default).
    BOOST_TEST(socket.addCaCertificates(cas + QStringLiteral("/fixture-ca.pem")));
    BOOST_TEST(socket.sslConfiguration().caCertificates().size() == 1);
    // "*" matches readme.txt too, which is skipped; the two CAs are found.
    SslSocket all;
    trustOnly(all, {});
    BOOST_TEST(all.addCaCertificates(cas + QStringLiteral("/*"), QSsl::Pem, QRegExp::Wildcard));
    BOOST_TEST(all.sslConfiguration().caCertificates().size() == 2);
    // The same with a regular expression.
    SslSocket regexp;
    trustOnly(regexp, {});
    BOOST_TEST(regexp.addCaCertificates(cas + QStringLiteral("/fixture-.*\\.pem"), QSsl::Pem,
                                        QRegExp::RegExp));
    BOOST_TEST((regexp.sslConfiguration().caCertificates() == fixtureCaCertificates()));
}

// ---- Local certificate and key from files -----------------------------------------------------

namespace {

struct KeyFiles
{
    const char *certificate;
    QSsl::EncodingFormat certificateFormat;
    const char *key;
    QSsl::EncodingFormat keyFormat;
    const char *passPhrase;
};

std::ostream &operator<<(std::ostream &out, const KeyFiles &files)
{
    return out << files.certificate << " + " << files.key
               << (files.passPhrase ? " (pass phrase)" : "");
}

const std::vector<KeyFiles> kKeyFiles = {
    {"leaf.pem", QSsl::Pem, "leaf.key", QSsl::Pem, nullptr},
    {"leaf.der", QSsl::Der, "leaf.key", QSsl::Pem, nullptr},
    {"leaf.pem", QSsl::Pem, "leaf.key.der", QSsl::Der, nullptr},
    {"leaf.der", QSsl::Der, "leaf.key.der", QSsl::Der, nullptr},
    {"leaf.pem", QSsl::Pem, "leaf-encrypted.key", QSsl::Pem, "mailwire"},
};

} // namespace

BOOST_DATA_TEST_CASE(mailwire_server_with_certificate_and_key_files, bdata::make(kKeyFiles), files)
{
    const QSslCertificate leaf = loadCertificate(QStringLiteral("leaf.pem"));
    const QSslKey leafKey = loadKey(QStringLiteral("leaf.key"));
    BOOST_REQUIRE(!leaf.isNull());
    BOOST_REQUIRE(!leafKey.isNull());
    BOOST_TEST_MESSAGE(files);
    // (QSslSocket 5.15 itself fails the DER certificate rows: setLocalCertificate(path) opens the
    // file in Text mode, which drops every 0x0D byte of the DER encoding.)

    int configured = 0;
    TlsServer<SslSocket> server([&](SslSocket &socket) {
        socket.setLocalCertificate(certPath(QString::fromLatin1(files.certificate)),
                                   files.certificateFormat);
        socket.setPrivateKey(certPath(QString::fromLatin1(files.key)), QSsl::Rsa, files.keyFormat,
                             files.passPhrase ? QByteArray(files.passPhrase) : QByteArray());
        BOOST_TEST((socket.localCertificate() == leaf));
        BOOST_TEST((socket.localCertificateChain() == QList<QSslCertificate>{leaf}));
        BOOST_TEST(!socket.privateKey().isNull());
        BOOST_TEST((socket.privateKey() == leafKey), "the key read from the file is not leaf.key");
        ++configured;
    });
    BOOST_REQUIRE(server.isListening());

    // The server presents the leaf alone, so the client trusts the intermediate too.
    Client<QSslSocket> client;
    trustOnly(client.socket,
              fixtureCaCertificates() << loadCertificate(QStringLiteral("intermediate.pem")));
    client.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                         QStringLiteral("localhost"));
    BOOST_REQUIRE(client.waitFinished());
    BOOST_TEST(configured == 1);
    BOOST_TEST(client.encrypted, client.describe());
    BOOST_TEST((client.socket.peerCertificate() == leaf));
    BOOST_TEST(client.echoes("served from files\n"));
    BOOST_REQUIRE(server.waitForFirstFinished());
    BOOST_TEST(server.connections.front().encrypted);
}

BOOST_AUTO_TEST_CASE(encrypted_key_with_wrong_pass_phrase_does_not_load)
{
    SslSocket socket;
    socket.setPrivateKey(certPath(QStringLiteral("leaf-encrypted.key")), QSsl::Rsa, QSsl::Pem,
                         "wrong");
    BOOST_TEST(socket.privateKey().isNull());
    socket.setLocalCertificate(QStringLiteral("/nonexistent/leaf.pem"));
    BOOST_TEST(socket.localCertificate().isNull());
}

// ---- Default CA certificates: process-wide, so this case stays LAST in the file -------------

BOOST_AUTO_TEST_CASE(default_ca_certificates_apply_to_new_sockets)
{
    TlsServer<QSslSocket> server(
        [](QSslSocket &s) { serveFixture(s, QStringLiteral("leaf-chain.pem")); });

    { // Before: the system store does not know the fixture CA.
        Client<SslSocket> before;
        before.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                             QStringLiteral("localhost"));
        BOOST_REQUIRE(before.waitFinished());
        BOOST_TEST(!before.encrypted, before.describe());
        BOOST_TEST(!before.signalledErrors.isEmpty());
    }

    BOOST_TEST(!SslSocket::addDefaultCaCertificates(QStringLiteral("/nonexistent/*.pem"), QSsl::Pem,
                                                    QRegExp::Wildcard));
    BOOST_TEST(SslSocket::addDefaultCaCertificates(certPath(QStringLiteral("cas"))
                                                       + QStringLiteral("/fixture-*.pem"),
                                                   QSsl::Pem, QRegExp::Wildcard));

    { // After: a fresh socket with no configuration of its own verifies the chain.
        Client<SslSocket> after;
        BOOST_TEST(after.socket.sslConfiguration().caCertificates().contains(
            loadCertificate(QStringLiteral("ca.pem"))));
        after.socket.connectToHostEncrypted(kLocalHost, server.serverPort(),
                                            QStringLiteral("localhost"));
        BOOST_REQUIRE(after.waitFinished());
        BOOST_TEST(after.encrypted, after.describe());
        BOOST_TEST(after.signalledErrors.isEmpty());
    }
}

BOOST_AUTO_TEST_SUITE_END()
