// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire::SslSocket on loopback against independent TLS implementations: Qt's QSslSocket
// (both directions), `openssl s_server` and `openssl s_client`; delayed (STARTTLS-style)
// upgrades in both modes; the SNI the server sees.
#include <boost/test/unit_test.hpp>

#include <memory>

#include <QtNetwork/QSslSocket>

#include <mailwire/ssl_socket.h>

#include "socket_test_helpers.h"
#include "test_support.h"

using mailwire::SslSocket;
using namespace mailwire::test;

namespace {

constexpr int OneMiB = 1024 * 1024;

std::string str(const QString &s) { return s.toStdString(); }
std::string str(const QByteArray &b) { return b.toStdString(); }

/// Counts the signals a socket emits that the tests care about (disconnects itself when
/// destroyed, so it may die before the socket).
struct Recorder
{
    int encrypted = 0;
    QList<QAbstractSocket::SocketError> errors;
    QList<int> modes;
    QObject context;

    void watch(SslSocket &socket)
    {
        QObject::connect(&socket, &SslSocket::encrypted, &context, [this] { ++encrypted; });
        QObject::connect(&socket, &QAbstractSocket::errorOccurred, &context,
                         [this](QAbstractSocket::SocketError e) { errors.append(e); });
        QObject::connect(&socket, &SslSocket::modeChanged, &context,
                         [this](SslSocket::SslMode m) { modes.append(int(m)); });
    }
};

QSslCertificate fixtureLeaf() { return loadCertificate(QStringLiteral("leaf.pem")); }

/// Connects a mailwire client to a Qt server over `serverProtocol` and checks the session
/// from both ends, then a short line each way.
void checkMailwireClientAgainstQtServer(QSsl::SslProtocol serverProtocol,
                                        QSsl::SslProtocol expected)
{
    LoopbackServer server(ServerSocketKind::Qt);
    BOOST_REQUIRE(server.isListening());
    server.setProtocol(serverProtocol);

    SslSocket client;
    trustFixtureCa(client);
    Recorder recorder;
    recorder.watch(client);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port(),
                                  QStringLiteral("localhost"));

    QSslSocket *peer = server.waitForQtSocket();
    BOOST_REQUIRE(peer);
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted() && peer->isEncrypted(); }),
                          "client " << socketSummary(client) << "; Qt server "
                                    << socketSummary(*peer));
    BOOST_TEST(recorder.encrypted == 1);
    BOOST_TEST(recorder.errors.isEmpty());
    BOOST_TEST(client.mode() == SslSocket::SslClientMode);
    BOOST_TEST(client.sessionProtocol() == expected);
    BOOST_TEST(peer->sessionProtocol() == expected);
    BOOST_TEST(str(client.sessionCipher().name()) == str(peer->sessionCipher().name()));
    BOOST_TEST(!client.sessionCipher().isNull());
    BOOST_TEST((client.peerCertificate() == fixtureLeaf()));
    BOOST_TEST(client.peerCertificateChain().size() == 2);
    BOOST_TEST(client.sslErrors().isEmpty());

    client.write("hello Qt server\n");
    BOOST_TEST(str(waitForLine(*peer)) == "hello Qt server\n");
    peer->write("hello mailwire client\n");
    BOOST_TEST(str(waitForLine(client)) == "hello mailwire client\n");
}

/// Connects a Qt client to a mailwire server over `serverProtocol`, checks both ends.
void checkQtClientAgainstMailwireServer(QSsl::SslProtocol serverProtocol,
                                        QSsl::SslProtocol expected)
{
    LoopbackServer server(ServerSocketKind::Mailwire);
    BOOST_REQUIRE(server.isListening());
    server.setProtocol(serverProtocol);

    QSslSocket client;
    trustFixtureCa(client);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port(),
                                  QStringLiteral("localhost"));

    SslSocket *peer = server.waitForMailwireSocket();
    BOOST_REQUIRE(peer);
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted() && peer->isEncrypted(); }),
                          "Qt client " << socketSummary(client) << "; mailwire server "
                                       << socketSummary(*peer));
    BOOST_TEST(peer->mode() == SslSocket::SslServerMode);
    BOOST_TEST(client.sessionProtocol() == expected);
    BOOST_TEST(peer->sessionProtocol() == expected);
    BOOST_TEST(str(client.sessionCipher().name()) == str(peer->sessionCipher().name()));
    BOOST_TEST(client.sslHandshakeErrors().isEmpty());
    BOOST_TEST(client.peerCertificateChain().size() == 2); // leaf + intermediate were sent
    BOOST_TEST((client.peerCertificate() == fixtureLeaf()));

    client.write("hello mailwire server\n");
    BOOST_TEST(str(waitForLine(*peer)) == "hello mailwire server\n");
    peer->write("hello Qt client\n");
    BOOST_TEST(str(waitForLine(client)) == "hello Qt client\n");
}

/// Writes payload and reads until as many bytes came back; checks they are identical.
void checkEcho(QIODevice &client, const QByteArray &payload)
{
    client.write(payload);
    QByteArray received;
    readAtLeast(client, payload.size(), &received, 60000);
    BOOST_TEST((received == payload),
               "echo of " << payload.size() << " bytes: received " << received.size());
}

QStringList sniServerArgs()
{
    // -servername makes s_server print the SNI it receives; a name other than localhost is
    // refused with a fatal unrecognized_name alert. The secondary context (used when the
    // SNI matches) has no chain, so clients trust the intermediate as well.
    return {QStringLiteral("-servername"),        QStringLiteral("localhost"),
            QStringLiteral("-servername_fatal"),  QStringLiteral("-cert2"),
            certPath(QStringLiteral("leaf.pem")), QStringLiteral("-key2"),
            certPath(QStringLiteral("leaf.key"))};
}

QList<QSslCertificate> caAndIntermediate()
{
    return fixtureCaCertificates() + loadCertificates(QStringLiteral("intermediate.pem"));
}

const QByteArray SniLine = "Hostname in TLS extension: ";

} // namespace

BOOST_AUTO_TEST_SUITE(ssl_socket_interop)

// --- Qt QSslSocket peers -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(client_handshakes_with_qt_server_over_tls12)
{
    checkMailwireClientAgainstQtServer(QSsl::TlsV1_2, QSsl::TlsV1_2);
}

BOOST_AUTO_TEST_CASE(client_handshakes_with_qt_server_over_tls13)
{
    checkMailwireClientAgainstQtServer(QSsl::TlsV1_3, QSsl::TlsV1_3);
}

BOOST_AUTO_TEST_CASE(qt_client_handshakes_with_server_over_tls12)
{
    checkQtClientAgainstMailwireServer(QSsl::TlsV1_2, QSsl::TlsV1_2);
}

BOOST_AUTO_TEST_CASE(qt_client_handshakes_with_server_over_tls13)
{
    checkQtClientAgainstMailwireServer(QSsl::TlsV1_3, QSsl::TlsV1_3);
}

BOOST_AUTO_TEST_CASE(client_data_echoes_through_qt_server_small_and_one_mebibyte)
{
    LoopbackServer server(ServerSocketKind::Qt);
    BOOST_REQUIRE(server.isListening());
    server.setConfigure(echoEverything);

    SslSocket client;
    trustFixtureCa(client);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port(),
                                  QStringLiteral("localhost"));
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted(); }), socketSummary(client));

    checkEcho(client, "x");
    checkEcho(client, "a short line\r\n");
    checkEcho(client, patternBytes(0, OneMiB));
    checkEcho(client, patternBytes(7, OneMiB + 12345)); // not a record multiple
    BOOST_TEST(client.bytesAvailable() == 0);
    BOOST_TEST(client.state() == QAbstractSocket::ConnectedState);
}

BOOST_AUTO_TEST_CASE(qt_client_data_echoes_through_server_small_and_one_mebibyte)
{
    LoopbackServer server(ServerSocketKind::Mailwire);
    BOOST_REQUIRE(server.isListening());
    server.setConfigure(echoEverything);

    QSslSocket client;
    trustFixtureCa(client);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port(),
                                  QStringLiteral("localhost"));
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted(); }), socketSummary(client));

    checkEcho(client, "x");
    checkEcho(client, "a short line\r\n");
    checkEcho(client, patternBytes(0, OneMiB));
    checkEcho(client, patternBytes(7, OneMiB + 12345));
    BOOST_TEST(client.state() == QAbstractSocket::ConnectedState);
}

// --- openssl s_server / s_client -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(client_exchanges_lines_with_openssl_s_server)
{
    OpenSslProcess openssl;
    BOOST_REQUIRE_MESSAGE(openssl.startServer({}), str(openssl.output()));

    SslSocket client;
    trustFixtureCa(client);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), openssl.port(),
                                  QStringLiteral("localhost"));
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted(); }),
                          socketSummary(client) << "\ns_server: " << str(openssl.output()));
    BOOST_TEST(client.sessionProtocol() == QSsl::TlsV1_3); // both ends allow 1.3
    BOOST_TEST((client.peerCertificate() == fixtureLeaf()));

    client.write("line from mailwire\n");
    BOOST_TEST(openssl.waitForOutput("line from mailwire\n"), str(openssl.output()));
    openssl.write("line from s_server\n");
    BOOST_TEST(str(waitForLine(client)) == "line from s_server\n");
}

BOOST_AUTO_TEST_CASE(client_exchanges_lines_with_openssl_s_server_over_tls12)
{
    OpenSslProcess openssl;
    BOOST_REQUIRE_MESSAGE(openssl.startServer({QStringLiteral("-tls1_2")}), str(openssl.output()));

    SslSocket client;
    trustFixtureCa(client);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), openssl.port(),
                                  QStringLiteral("localhost"));
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted(); }),
                          socketSummary(client) << "\ns_server: " << str(openssl.output()));
    BOOST_TEST(client.sessionProtocol() == QSsl::TlsV1_2);

    client.write("tls12 line from mailwire\n");
    BOOST_TEST(openssl.waitForOutput("tls12 line from mailwire\n"), str(openssl.output()));
    openssl.write("tls12 line from s_server\n");
    BOOST_TEST(str(waitForLine(client)) == "tls12 line from s_server\n");
}

BOOST_AUTO_TEST_CASE(client_reads_openssl_www_page_until_clean_close)
{
    OpenSslProcess openssl;
    BOOST_REQUIRE_MESSAGE(openssl.startServer({QStringLiteral("-www")}), str(openssl.output()));

    SslSocket client;
    trustFixtureCa(client);
    Recorder recorder;
    recorder.watch(client);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), openssl.port(),
                                  QStringLiteral("localhost"));
    client.write("GET / HTTP/1.0\r\n\r\n"); // queued until encrypted, as in QSslSocket

    // s_server sends close_notify after the page but keeps TCP open for a while; like
    // QSslSocket, the socket reports the close_notify at once (the TCP end comes later).
    QByteArray page;
    const bool ended = waitUntil([&] {
        page += client.readAll();
        return !recorder.errors.isEmpty() || client.state() == QAbstractSocket::UnconnectedState;
    });
    page += client.readAll();
    BOOST_TEST(ended, socketSummary(client));
    BOOST_TEST(recorder.encrypted == 1);
    BOOST_TEST(page.startsWith("HTTP/1.0 200 ok\r\n"), str(page.left(200)));
    BOOST_TEST(page.contains("</BODY></HTML>"));
    // s_server -www ends with close_notify: a clean end, not truncation.
    BOOST_TEST(client.error() == QAbstractSocket::RemoteHostClosedError, socketSummary(client));
}

namespace {

QStringList sClientArgs()
{
    return {QStringLiteral("-CAfile"),
            certPath(QStringLiteral("ca.pem")),
            QStringLiteral("-verify_return_error"),
            QStringLiteral("-verify_hostname"),
            QStringLiteral("localhost"),
            QStringLiteral("-servername"),
            QStringLiteral("localhost"),
            QStringLiteral("-nocommands")};
}

void checkServerAgainstOpensslClient(const QString &protocolFlag, QSsl::SslProtocol expected)
{
    LoopbackServer server(ServerSocketKind::Mailwire);
    BOOST_REQUIRE(server.isListening());

    OpenSslProcess openssl;
    BOOST_REQUIRE(openssl.startClient(server.port(), sClientArgs() << protocolFlag));

    SslSocket *peer = server.waitForMailwireSocket();
    BOOST_REQUIRE_MESSAGE(peer, str(openssl.output()));
    Recorder recorder;
    recorder.watch(*peer);
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return peer->isEncrypted(); }),
                          socketSummary(*peer) << "\ns_client: " << str(openssl.output()));
    BOOST_TEST(peer->sessionProtocol() == expected);

    openssl.write("line from s_client\n");
    BOOST_TEST(str(waitForLine(*peer)) == "line from s_client\n");
    peer->write("line from mailwire server\n");
    BOOST_TEST(openssl.waitForOutput("line from mailwire server\n"), str(openssl.output()));
    BOOST_TEST(openssl.output().contains("Verify return code: 0 (ok)"), str(openssl.output()));

    // stdin EOF: s_client sends close_notify and closes; the server sees a clean end.
    openssl.closeInput();
    BOOST_TEST(waitUntil([&] { return peer->state() == QAbstractSocket::UnconnectedState; }),
               socketSummary(*peer));
    BOOST_TEST(peer->error() == QAbstractSocket::RemoteHostClosedError, socketSummary(*peer));
    BOOST_TEST(!recorder.errors.contains(QAbstractSocket::SslInternalError));
}

} // namespace

BOOST_AUTO_TEST_CASE(server_exchanges_lines_with_openssl_s_client_over_tls13)
{
    checkServerAgainstOpensslClient(QStringLiteral("-tls1_3"), QSsl::TlsV1_3);
}

BOOST_AUTO_TEST_CASE(server_exchanges_lines_with_openssl_s_client_over_tls12)
{
    checkServerAgainstOpensslClient(QStringLiteral("-tls1_2"), QSsl::TlsV1_2);
}

// --- delayed upgrade (STARTTLS) --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(client_upgrades_after_plaintext_exchange_with_qt_server)
{
    LoopbackServer server(ServerSocketKind::Qt, /*autoStartEncryption=*/false);
    BOOST_REQUIRE(server.isListening());

    SslSocket client;
    trustFixtureCa(client);
    Recorder recorder;
    recorder.watch(client);
    client.connectToHost(QStringLiteral("127.0.0.1"), server.port());
    QSslSocket *peer = server.waitForQtSocket();
    BOOST_REQUIRE(peer);
    BOOST_REQUIRE(waitUntil([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    BOOST_TEST(client.mode() == SslSocket::UnencryptedMode);
    BOOST_TEST(!client.isEncrypted());

    peer->write("* OK plaintext greeting\r\n");
    BOOST_TEST(str(waitForLine(client)) == "* OK plaintext greeting\r\n");
    client.write("a1 STARTTLS\r\n");
    BOOST_TEST(str(waitForLine(*peer)) == "a1 STARTTLS\r\n");
    peer->write("a1 OK begin TLS\r\n");
    peer->startServerEncryption(); // before the client can send its ClientHello
    BOOST_TEST(str(waitForLine(client)) == "a1 OK begin TLS\r\n");
    BOOST_TEST(client.bytesAvailable() == 0);

    client.setPeerVerifyName(QStringLiteral("localhost"));
    client.startClientEncryption();
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted() && peer->isEncrypted(); }),
                          "client " << socketSummary(client) << "; Qt server "
                                    << socketSummary(*peer));
    BOOST_TEST(client.mode() == SslSocket::SslClientMode);
    BOOST_TEST((recorder.modes == QList<int>{int(SslSocket::SslClientMode)}));
    BOOST_TEST(recorder.errors.isEmpty());

    client.write("a2 CAPABILITY\r\n");
    BOOST_TEST(str(waitForLine(*peer)) == "a2 CAPABILITY\r\n");
    peer->write("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
    BOOST_TEST(str(waitForLine(client)) == "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
}

BOOST_AUTO_TEST_CASE(server_upgrades_after_plaintext_exchange_with_qt_client)
{
    LoopbackServer server(ServerSocketKind::Mailwire, /*autoStartEncryption=*/false);
    BOOST_REQUIRE(server.isListening());

    QSslSocket client;
    trustFixtureCa(client);
    client.connectToHost(QStringLiteral("127.0.0.1"), server.port());
    SslSocket *peer = server.waitForMailwireSocket();
    BOOST_REQUIRE(peer);
    Recorder recorder;
    recorder.watch(*peer);
    BOOST_REQUIRE(waitUntil([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    BOOST_TEST(peer->mode() == SslSocket::UnencryptedMode);

    peer->write("220 plaintext greeting\r\n");
    BOOST_TEST(str(waitForLine(client)) == "220 plaintext greeting\r\n");
    client.write("STARTTLS\r\n");
    BOOST_TEST(str(waitForLine(*peer)) == "STARTTLS\r\n");
    BOOST_TEST(peer->bytesAvailable() == 0);
    peer->write("220 go ahead\r\n");
    peer->startServerEncryption();
    BOOST_TEST(recorder.errors.isEmpty(), socketSummary(*peer));
    BOOST_TEST(str(waitForLine(client)) == "220 go ahead\r\n");

    client.setPeerVerifyName(QStringLiteral("localhost"));
    client.startClientEncryption();
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted() && peer->isEncrypted(); }),
                          "Qt client " << socketSummary(client) << "; mailwire server "
                                       << socketSummary(*peer));
    BOOST_TEST(peer->mode() == SslSocket::SslServerMode);
    BOOST_TEST((recorder.modes == QList<int>{int(SslSocket::SslServerMode)}));
    BOOST_TEST(recorder.encrypted == 1);

    client.write("EHLO client\r\n");
    BOOST_TEST(str(waitForLine(*peer)) == "EHLO client\r\n");
    peer->write("250 encrypted hello\r\n");
    BOOST_TEST(str(waitForLine(client)) == "250 encrypted hello\r\n");
}

// --- SNI ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(sni_is_the_peer_name_when_connecting_by_address)
{
    OpenSslProcess openssl;
    BOOST_REQUIRE_MESSAGE(openssl.startServer(sniServerArgs()), str(openssl.output()));

    SslSocket client;
    client.addCaCertificates(caAndIntermediate());
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), openssl.port(),
                                  QStringLiteral("localhost"));
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted(); }),
                          socketSummary(client) << "\ns_server: " << str(openssl.output()));
    client.write("sni marker\n");
    BOOST_REQUIRE(openssl.waitForOutput("sni marker\n"));
    BOOST_TEST(openssl.output().contains(SniLine + "\"localhost\""), str(openssl.output()));
}

BOOST_AUTO_TEST_CASE(sni_is_the_host_name_when_connecting_by_name)
{
    OpenSslProcess openssl;
    BOOST_REQUIRE_MESSAGE(openssl.startServer(sniServerArgs()), str(openssl.output()));

    SslSocket client;
    client.addCaCertificates(caAndIntermediate());
    // IPv4 only: s_server listens on 127.0.0.1, and "localhost" may resolve to ::1 first.
    client.connectToHostEncrypted(QStringLiteral("localhost"), openssl.port(), QIODevice::ReadWrite,
                                  QAbstractSocket::IPv4Protocol);
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted(); }),
                          socketSummary(client) << "\ns_server: " << str(openssl.output()));
    client.write("sni marker\n");
    BOOST_REQUIRE(openssl.waitForOutput("sni marker\n"));
    BOOST_TEST(openssl.output().contains(SniLine + "\"localhost\""), str(openssl.output()));
}

BOOST_AUTO_TEST_CASE(no_sni_is_sent_for_an_ip_literal_like_qt)
{
    OpenSslProcess openssl;
    BOOST_REQUIRE_MESSAGE(openssl.startServer(sniServerArgs()), str(openssl.output()));

    {
        SslSocket client;
        client.addCaCertificates(caAndIntermediate());
        client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), openssl.port());
        // The leaf carries IP:127.0.0.1, so verification by address succeeds.
        BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.isEncrypted(); }),
                              socketSummary(client) << "\ns_server: " << str(openssl.output()));
        BOOST_TEST(client.sslErrors().isEmpty());
        client.write("ip marker\n");
        BOOST_REQUIRE(openssl.waitForOutput("ip marker\n"));
        BOOST_TEST(!openssl.output().contains(SniLine), str(openssl.output()));
        client.disconnectFromHost();
        // s_server serves one connection at a time: wait until it finished this one.
        BOOST_TEST(waitUntil([&] {
            return openssl.output().contains("DONE\n") || openssl.output().contains("ERROR\n");
        }));
    }

    // Oracle: Qt's QSslSocket sends none either.
    openssl.clearOutput();
    QSslSocket qtClient;
    QSslConfiguration config = qtClient.sslConfiguration();
    config.setCaCertificates(caAndIntermediate());
    qtClient.setSslConfiguration(config);
    qtClient.connectToHostEncrypted(QStringLiteral("127.0.0.1"), openssl.port());
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return qtClient.isEncrypted(); }),
                          socketSummary(qtClient));
    qtClient.write("qt ip marker\n");
    BOOST_REQUIRE(openssl.waitForOutput("qt ip marker\n"));
    BOOST_TEST(!openssl.output().contains(SniLine), str(openssl.output()));
}

BOOST_AUTO_TEST_CASE(a_peer_name_the_server_does_not_serve_is_sent_and_refused)
{
    OpenSslProcess openssl;
    BOOST_REQUIRE_MESSAGE(openssl.startServer(sniServerArgs()), str(openssl.output()));

    SslSocket client;
    client.addCaCertificates(caAndIntermediate());
    Recorder recorder;
    recorder.watch(client);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), openssl.port(),
                                  QStringLiteral("example.org"));
    BOOST_TEST(waitUntil([&] { return !recorder.errors.isEmpty() || client.isEncrypted(); }));
    BOOST_TEST(!client.isEncrypted());
    BOOST_TEST(recorder.encrypted == 0);
    BOOST_TEST(client.error() == QAbstractSocket::SslHandshakeFailedError, socketSummary(client));
    BOOST_TEST(waitUntil([&] { return client.state() == QAbstractSocket::UnconnectedState; }),
               socketSummary(client));

    // s_server printed the refused name into its stdio buffer; a good connection flushes it.
    SslSocket good;
    good.addCaCertificates(caAndIntermediate());
    good.connectToHostEncrypted(QStringLiteral("127.0.0.1"), openssl.port(),
                                QStringLiteral("localhost"));
    BOOST_REQUIRE_MESSAGE(waitUntil([&] { return good.isEncrypted(); }), socketSummary(good));
    good.write("flush marker\n");
    BOOST_REQUIRE(openssl.waitForOutput("flush marker\n"));
    BOOST_TEST(openssl.output().contains(SniLine + "\"example.org\""), str(openssl.output()));
}

BOOST_AUTO_TEST_SUITE_END()
