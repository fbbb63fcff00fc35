// SPDX-License-Identifier: LGPL-3.0-or-later
// Session resumption of mailwire::SslSocket clients against `openssl s_server`, which prints
// "Reused session-id" for every resumed handshake (the server side proves resumption), over
// TLS 1.2 and TLS 1.3. A resumed handshake verifies nothing, so (DESIGN.md §2 rule 7):
// - a connection whose verification had any error, even ignored, leaves no session: the next
//   connection verifies in full and fails on the same error;
// - a change of anything that decides verification (CAs, verify mode, verify depth,
//   verification name) gives a full handshake;
// - a clean session is resumed and reports the same peer certificate and chain.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>

#include <QtNetwork/QSslConfiguration>

#include <mailwire/ssl_socket.h>

#include "socket_test_helpers.h"
#include "test_support.h"
#include "tls_context_p.h"

namespace bdata = boost::unit_test::data;
using mailwire::SslSocket;
using namespace mailwire::test;

namespace {

const QString kLocalHost = QStringLiteral("127.0.0.1");
const QString kVerifyName = QStringLiteral("localhost");

const char *protocolName(QSsl::SslProtocol protocol)
{
    return protocol == QSsl::TlsV1_3 ? "TLS 1.3" : "TLS 1.2";
}

/// What one client connection showed, on both sides.
struct Connection
{
    bool encrypted = false;
    bool resumed = false; ///< s_server printed "Reused session-id" for it
    QList<QSslError> sslErrors;
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    SslSocket::EncryptionFailure failure = SslSocket::NoEncryptionFailure;
    QSslCertificate peerCertificate;
    QList<QSslCertificate> peerChain;
    std::string summary;

    bool hasSslError(QSslError::SslError code) const
    {
        for (const QSslError &sslError : sslErrors) {
            if (sslError.error() == code)
                return true;
        }
        return false;
    }
};

/// One `openssl s_server` for a whole case; connections are served one after the other. Its
/// output is read only up to the "Secure Renegotiation" line that ends each verdict, which
/// s_server flushes; so no line of one connection is taken for the next one's.
class ResumptionServer
{
public:
    explicit ResumptionServer(const QString &leaf = QStringLiteral("leaf"))
    {
        // Later -cert/-key win over serverIdentityArgs(); the intermediate stays the chain.
        m_started =
            m_server.startServer({QStringLiteral("-cert"), certPath(leaf + QStringLiteral(".pem")),
                                  QStringLiteral("-key"), certPath(leaf + QStringLiteral(".key"))});
    }
    bool isRunning() const { return m_started; }
    quint16 port() const { return m_server.port(); }

    /// Connects a client configured by `configure` (after it trusts the fixture CA), reads a
    /// line the server sends once encrypted (so TLS 1.3 tickets have been processed), closes
    /// with close_notify, and reports what both sides saw.
    Connection connect(const std::function<void(SslSocket &)> &configure)
    {
        m_server.clearOutput();
        Connection result;
        SslSocket client;
        trustFixtureCa(client);
        client.setPeerVerifyName(kVerifyName);
        configure(client);
        client.connectToHostEncrypted(kLocalHost, m_server.port());
        BOOST_TEST_REQUIRE(waitUntil([&] {
                               return client.isEncrypted()
                                   || client.state() == QAbstractSocket::UnconnectedState;
                           }),
                           "handshake never finished: " << socketSummary(client));
        result.encrypted = client.isEncrypted();
        result.sslErrors = client.sslErrors();
        result.error = client.error();
        result.failure = client.encryptionFailure();
        result.summary = socketSummary(client);
        if (result.encrypted) {
            result.peerCertificate = client.peerCertificate();
            result.peerChain = client.peerCertificateChain();
            m_server.write("hello\n");
            BOOST_TEST(waitForLine(client) == QByteArray("hello\n"), socketSummary(client));
            // s_server prints its verdict (and "Reused session-id") before reading stdin.
            BOOST_TEST(m_server.waitForOutput("Secure Renegotiation"),
                       m_server.output().toStdString());
            result.resumed = m_server.output().contains("Reused session-id");
            client.disconnectFromHost();
            BOOST_TEST(
                waitUntil([&] { return client.state() == QAbstractSocket::UnconnectedState; }),
                socketSummary(client));
        } else if (m_server.output().contains("Secure Renegotiation")) {
            result.resumed = m_server.output().contains("Reused session-id");
        }
        // s_server serves the next connection once it has closed this one (its closing
        // words stay in its stdout buffer until the next verdict flushes them).
        return result;
    }

private:
    OpenSslProcess m_server;
    bool m_started = false;
};

/// Starts every case with no cached context (and so no cached session).
struct Fresh
{
    Fresh() { mailwire::detail::TlsContext::clearCache(); }
    ~Fresh() { mailwire::detail::TlsContext::clearCache(); }
};

const auto kProtocols = bdata::make({QSsl::TlsV1_2, QSsl::TlsV1_3});

std::function<void(SslSocket &)> withProtocol(QSsl::SslProtocol protocol,
                                              const std::function<void(SslSocket &)> &more = {})
{
    return [protocol, more](SslSocket &socket) {
        socket.setProtocol(protocol);
        if (more)
            more(socket);
    };
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(ssl_socket_resumption, Fresh)

BOOST_DATA_TEST_CASE(ignored_host_mismatch_is_not_trusted_on_the_next_connection, kProtocols,
                     protocol)
{
    BOOST_TEST_CONTEXT(protocolName(protocol))
    {
        ResumptionServer server(QStringLiteral("wronghost"));
        BOOST_REQUIRE_MESSAGE(server.isRunning(), "openssl s_server did not start");

        // "Accept this certificate once."
        const Connection accepted = server.connect(
            withProtocol(protocol, [](SslSocket &socket) { socket.ignoreSslErrors(); }));
        BOOST_TEST_REQUIRE(accepted.encrypted, accepted.summary);
        BOOST_TEST(accepted.hasSslError(QSslError::HostNameMismatch), accepted.summary);
        BOOST_TEST(!accepted.resumed);

        // Nothing ignored: the same server must fail verification again, in full.
        const Connection strict = server.connect(withProtocol(protocol));
        BOOST_TEST(!strict.encrypted, strict.summary);
        BOOST_TEST(strict.hasSslError(QSslError::HostNameMismatch), strict.summary);
        BOOST_TEST(strict.error == QAbstractSocket::SslHandshakeFailedError, strict.summary);
        BOOST_TEST(strict.failure == SslSocket::PeerVerificationFailed, strict.summary);
        BOOST_TEST(!strict.resumed);
    }
}

BOOST_DATA_TEST_CASE(ignored_error_list_is_not_trusted_on_the_next_connection, kProtocols, protocol)
{
    // The same through ignoreSslErrors(list) from the sslErrors() slot.
    BOOST_TEST_CONTEXT(protocolName(protocol))
    {
        ResumptionServer server(QStringLiteral("wronghost"));
        BOOST_REQUIRE_MESSAGE(server.isRunning(), "openssl s_server did not start");
        const Connection accepted = server.connect(withProtocol(protocol, [](SslSocket &socket) {
            QObject::connect(
                &socket, QOverload<const QList<QSslError> &>::of(&SslSocket::sslErrors), &socket,
                [&socket](const QList<QSslError> &errors) { socket.ignoreSslErrors(errors); });
        }));
        BOOST_TEST_REQUIRE(accepted.encrypted, accepted.summary);
        const Connection strict = server.connect(withProtocol(protocol));
        BOOST_TEST(!strict.encrypted, strict.summary);
        BOOST_TEST(strict.hasSslError(QSslError::HostNameMismatch), strict.summary);
        BOOST_TEST(!strict.resumed);
    }
}

BOOST_DATA_TEST_CASE(clean_session_resumes_with_the_same_certificate_and_chain, kProtocols,
                     protocol)
{
    BOOST_TEST_CONTEXT(protocolName(protocol))
    {
        ResumptionServer server;
        BOOST_REQUIRE_MESSAGE(server.isRunning(), "openssl s_server did not start");
        const Connection full = server.connect(withProtocol(protocol));
        BOOST_TEST_REQUIRE(full.encrypted, full.summary);
        BOOST_TEST(full.sslErrors.isEmpty(), full.summary);
        BOOST_TEST(!full.resumed);
        BOOST_TEST_REQUIRE(full.peerChain.size() == 2); // leaf + intermediate, as served

        for (int again = 0; again < 2; ++again) {
            BOOST_TEST_CONTEXT("resumed connection " << again)
            {
                const Connection resumed = server.connect(withProtocol(protocol));
                BOOST_TEST_REQUIRE(resumed.encrypted, resumed.summary);
                BOOST_TEST(resumed.resumed);
                BOOST_TEST(resumed.sslErrors.isEmpty(), resumed.summary);
                BOOST_TEST((resumed.peerCertificate == full.peerCertificate));
                BOOST_TEST((resumed.peerChain == full.peerChain),
                           "resumed chain has " << resumed.peerChain.size() << " certificates");
            }
        }
    }
}

struct Variation
{
    const char *label;
    std::function<void(SslSocket &)> apply;
};

std::ostream &operator<<(std::ostream &out, const Variation &variation)
{
    return out << variation.label;
}

const std::vector<Variation> kVariations = {
    {"one more trusted CA",
     [](SslSocket &socket) {
         socket.addCaCertificates(loadCertificates(QStringLiteral("unknown-ca.pem")));
     }},
    {"CA list replaced, no system store",
     [](SslSocket &socket) {
         QSslConfiguration configuration = socket.sslConfiguration();
         configuration.setCaCertificates(fixtureCaCertificates()
                                         + loadCertificates(QStringLiteral("intermediate.pem")));
         socket.setSslConfiguration(configuration);
     }},
    {"verify name 127.0.0.1", [](SslSocket &socket) { socket.setPeerVerifyName(kLocalHost); }},
    {"verify mode VerifyPeer",
     [](SslSocket &socket) { socket.setPeerVerifyMode(SslSocket::VerifyPeer); }},
    {"verify mode QueryPeer",
     [](SslSocket &socket) { socket.setPeerVerifyMode(SslSocket::QueryPeer); }},
    {"verify depth 5", [](SslSocket &socket) { socket.setPeerVerifyDepth(5); }},
};

BOOST_DATA_TEST_CASE(changed_verification_inputs_give_a_full_handshake,
                     kProtocols *bdata::make(kVariations), protocol, variation)
{
    BOOST_TEST_CONTEXT(protocolName(protocol))
    {
        ResumptionServer server;
        BOOST_REQUIRE_MESSAGE(server.isRunning(), "openssl s_server did not start");
        BOOST_TEST_REQUIRE(server.connect(withProtocol(protocol)).encrypted);

        const Connection changed = server.connect(withProtocol(protocol, variation.apply));
        BOOST_TEST_REQUIRE(changed.encrypted, changed.summary);
        BOOST_TEST(!changed.resumed, "resumed a session made under other verification settings");

        // The original settings still find their own session: only the change prevented it.
        const Connection original = server.connect(withProtocol(protocol));
        BOOST_TEST_REQUIRE(original.encrypted, original.summary);
        BOOST_TEST(original.resumed);
    }
}

BOOST_AUTO_TEST_SUITE_END()
