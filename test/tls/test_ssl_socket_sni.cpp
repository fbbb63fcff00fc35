// SPDX-License-Identifier: LGPL-3.0-or-later
// Server Name Indication as the server sees it. A capture server reads the raw ClientHello
// (no TLS library involved) and an `openssl s_server` reports the name OpenSSL's own server
// code received: SNI is sent by default for a host name, never for an IP literal, and never
// with QSsl::SslOptionDisableServerNameIndication, which still leaves the host name checked.
#include <boost/test/unit_test.hpp>

#include <QtNetwork/QSslConfiguration>

#include <mailwire/ssl_socket.h>

#include "client_hello_capture.h"
#include "socket_test_helpers.h"
#include "test_support.h"

using mailwire::SslSocket;
using namespace mailwire::test;

namespace {

const QString kLocalHost = QStringLiteral("127.0.0.1");

void disableSni(SslSocket &socket)
{
    QSslConfiguration configuration = socket.sslConfiguration();
    configuration.setSslOption(QSsl::SslOptionDisableServerNameIndication, true);
    socket.setSslConfiguration(configuration);
}

/// The ClientHello of one connectToHostEncrypted(host, port, verifyName) as the server got it.
ClientHelloInfo clientHelloFor(const QString &host, const QString &verifyName, bool sniDisabled)
{
    CaptureServer server;
    BOOST_TEST_REQUIRE(server.isListening());
    SslSocket client;
    trustFixtureCa(client);
    if (sniDisabled)
        disableSni(client);
    client.connectToHostEncrypted(host, server.port(), verifyName);
    const ClientHelloInfo hello = server.waitForClientHello();
    BOOST_TEST_REQUIRE(hello.complete, "no whole ClientHello arrived: " << socketSummary(client));
    return hello;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ssl_socket_sni)

BOOST_AUTO_TEST_CASE(sni_is_sent_for_a_host_name_by_default)
{
    const ClientHelloInfo byVerifyName =
        clientHelloFor(kLocalHost, QStringLiteral("mail.example.org"), false);
    BOOST_TEST(byVerifyName.hasServerName);
    BOOST_TEST(byVerifyName.serverName.toStdString() == "mail.example.org");

    // Connected by host name (localhost may try ::1 first; the server is on 127.0.0.1).
    const ClientHelloInfo byHost = clientHelloFor(QStringLiteral("localhost"), QString(), false);
    BOOST_TEST(byHost.hasServerName);
    BOOST_TEST(byHost.serverName.toStdString() == "localhost");
}

BOOST_AUTO_TEST_CASE(sni_is_never_sent_for_an_ip_literal)
{
    for (const QString &name : {QString(), QStringLiteral("127.0.0.1"), QStringLiteral("::1"),
                                QStringLiteral("fe80::1%eth0")}) {
        BOOST_TEST_CONTEXT("verify name \"" << name.toStdString() << '"')
        {
            const ClientHelloInfo hello = clientHelloFor(kLocalHost, name, false);
            BOOST_TEST(!hello.hasServerName);
        }
    }
}

BOOST_AUTO_TEST_CASE(disabled_sni_sends_no_server_name)
{
    for (const QString &name : {QStringLiteral("mail.example.org"), QStringLiteral("localhost")}) {
        BOOST_TEST_CONTEXT("verify name " << name.toStdString())
        {
            const ClientHelloInfo hello = clientHelloFor(kLocalHost, name, true);
            BOOST_TEST(!hello.hasServerName, "SNI sent: " << hello.serverName.toStdString());
        }
    }
    const ClientHelloInfo byHost = clientHelloFor(QStringLiteral("localhost"), QString(), true);
    BOOST_TEST(!byHost.hasServerName, "SNI sent: " << byHost.serverName.toStdString());
}

BOOST_AUTO_TEST_CASE(openssl_server_sees_sni_only_when_enabled)
{
    // s_server prints the name its servername callback got once -servername is given; it then
    // answers with -cert2, a leaf without its intermediate, which the client is given as a CA.
    OpenSslProcess server;
    if (OpenSslProcess::program().isEmpty()) {
        BOOST_TEST_MESSAGE("openssl not installed: skipped");
        return;
    }
    BOOST_REQUIRE(
        server.startServer({QStringLiteral("-servername"), QStringLiteral("localhost"),
                            QStringLiteral("-cert2"), certPath(QStringLiteral("leaf.pem")),
                            QStringLiteral("-key2"), certPath(QStringLiteral("leaf.key"))}));
    for (const bool disabled : {false, true}) {
        BOOST_TEST_CONTEXT("SNI " << (disabled ? "disabled" : "enabled"))
        {
            server.clearOutput();
            SslSocket client;
            trustFixtureCa(client);
            client.addCaCertificates(loadCertificates(QStringLiteral("intermediate.pem")));
            if (disabled)
                disableSni(client);
            client.connectToHostEncrypted(kLocalHost, server.port(), QStringLiteral("localhost"));
            BOOST_REQUIRE(waitUntil([&] {
                return client.isEncrypted() || client.state() == QAbstractSocket::UnconnectedState;
            }));
            BOOST_TEST(client.isEncrypted(), socketSummary(client));
            BOOST_TEST(client.sslErrors().isEmpty());
            // s_server prints its verdict before it reads stdin and sends it on.
            server.write("hello\n");
            BOOST_TEST(waitForLine(client) == QByteArray("hello\n"), socketSummary(client));
            BOOST_TEST(server.waitForOutput("Secure Renegotiation"), server.output().toStdString());
            const QByteArray seen = server.output();
            BOOST_TEST(seen.contains("Hostname in TLS extension: \"localhost\"") == !disabled,
                       seen.toStdString());
            client.disconnectFromHost();
            BOOST_TEST(
                waitUntil([&] { return client.state() == QAbstractSocket::UnconnectedState; }));
        }
    }
}

BOOST_AUTO_TEST_CASE(disabled_sni_still_checks_the_host_name)
{
    LoopbackServer server(
        ServerSocketKind::Qt, true,
        serverIdentity(QStringLiteral("wronghost-chain.pem"), QStringLiteral("wronghost.key")));
    BOOST_REQUIRE(server.isListening());
    SslSocket client;
    trustFixtureCa(client);
    disableSni(client);
    client.connectToHostEncrypted(kLocalHost, server.port(), QStringLiteral("localhost"));
    BOOST_REQUIRE(waitUntil([&] {
        return client.isEncrypted() || client.state() == QAbstractSocket::UnconnectedState;
    }));
    BOOST_TEST(!client.isEncrypted());
    BOOST_TEST(client.error() == QAbstractSocket::SslHandshakeFailedError, socketSummary(client));
    BOOST_TEST_REQUIRE(client.sslErrors().size() == 1);
    BOOST_TEST(client.sslErrors().first().error() == QSslError::HostNameMismatch);
}

BOOST_AUTO_TEST_SUITE_END()
