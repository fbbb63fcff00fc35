// SPDX-License-Identifier: LGPL-3.0-or-later
// ConnectionSettings::proxy reaches the socket: an IMAP STARTTLS session through a SOCKS5
// proxy (a minimal one written here, RFC 1928, no authentication) to the fixture server.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include <QtCore/QtEndian>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <mailwire/imap_session.h>
#include <mailwire/transcript.h>

#include "fixture_server.h"
#include "script.h"
#include "test_support.h"

using namespace mailwire;
using namespace mailwire::fixtures;

namespace {

/// Accepts SOCKS5 CONNECT requests and relays bytes both ways; counts what it relayed.
class Socks5Proxy : public QTcpServer
{
public:
    Socks5Proxy() { listen(QHostAddress::LocalHost, 0); }

    int connectRequests = 0;
    quint16 lastTargetPort = 0;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *client = new QTcpSocket(this);
        client->setSocketDescriptor(descriptor);
        auto *buffer = new QByteArray;
        auto *greeted = new bool(false);
        connect(client, &QObject::destroyed, [greeted] { delete greeted; });
        auto *upstream = new QTcpSocket(this);
        connect(client, &QObject::destroyed, [buffer] { delete buffer; });
        connect(client, &QTcpSocket::readyRead, this, [this, client, upstream, buffer, greeted] {
            if (upstream->state() == QAbstractSocket::ConnectedState) {
                upstream->write(client->readAll());
                return;
            }
            *buffer += client->readAll();
            handshake(client, upstream, buffer, greeted);
        });
        connect(upstream, &QTcpSocket::readyRead, client,
                [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
    }

private:
    // Greeting "05 n methods..." -> "05 00"; request "05 01 00 atyp addr port" -> connect.
    void handshake(QTcpSocket *client, QTcpSocket *upstream, QByteArray *buffer, bool *greeted)
    {
        if (!*greeted) {
            if (buffer->size() < 2 || buffer->size() < 2 + quint8(buffer->at(1)))
                return;
            buffer->remove(0, 2 + quint8(buffer->at(1)));
            client->write(QByteArray("\x05\x00", 2)); // no authentication
            *greeted = true;
        }
        if (buffer->size() < 4 || buffer->at(1) != 1)
            return;
        QString host;
        int used = 0;
        if (buffer->at(3) == 1 && buffer->size() >= 10) {
            host = QHostAddress(qFromBigEndian<quint32>(buffer->constData() + 4)).toString();
            used = 10;
        } else if (buffer->at(3) == 3 && buffer->size() >= 5 + quint8(buffer->at(4)) + 2) {
            const int length = quint8(buffer->at(4));
            host = QString::fromLatin1(buffer->mid(5, length));
            used = 5 + length + 2;
        } else {
            return;
        }
        const quint16 port = qFromBigEndian<quint16>(buffer->constData() + used - 2);
        buffer->remove(0, used);
        ++connectRequests;
        lastTargetPort = port;
        connect(upstream, &QTcpSocket::connected, client, [client, upstream, buffer] {
            client->write(QByteArray("\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x00", 10));
            if (!buffer->isEmpty())
                upstream->write(*buffer);
            buffer->clear();
        });
        upstream->connectToHost(host, port);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(imap_proxy_session)

BOOST_AUTO_TEST_CASE(a_session_goes_through_the_configured_socks5_proxy)
{
    FixtureServer server(
        Script::fromText(QStringLiteral("S: * OK [CAPABILITY IMAP4rev1 STARTTLS] ready\n"
                                        "C~ ^(\\S+) STARTTLS$\n"
                                        "S: $1 OK go\n"
                                        "TLS\n"
                                        "C~ ^(\\S+) CAPABILITY$\n"
                                        "S: * CAPABILITY IMAP4rev1 AUTH=PLAIN\n"
                                        "S: $1 OK done\n"
                                        "EXPECT-CLOSE\n")));
    Socks5Proxy proxy;
    BOOST_TEST_REQUIRE(proxy.isListening());

    ConnectionSettings settings;
    settings.host = QStringLiteral("127.0.0.1");
    settings.port = server.serverPort();
    settings.peerVerifyName = QStringLiteral("localhost");
    settings.ssl.setCaCertificates({FixtureServer::caCertificate()});
    settings.proxy =
        QNetworkProxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.1"), proxy.serverPort());
    ImapSession session;
    session.setSettings(settings);
    Reply *reply = session.connectToServer();
    BOOST_TEST_REQUIRE(reply->waitForFinished(10000), reply->error().toString().toStdString());
    BOOST_TEST(session.isEncrypted());
    BOOST_TEST(proxy.connectRequests == 1);
    BOOST_TEST(proxy.lastTargetPort == server.serverPort());
    session.abort();
    BOOST_TEST(server.waitForFinished(5000));
    BOOST_TEST(server.result().passed, server.result().describe().toStdString());
}

BOOST_AUTO_TEST_CASE(an_unreachable_proxy_is_a_connection_failure)
{
    // Bound but never listening: connecting is refused, and no test running in parallel can
    // take the port while we hold it (a port merely closed again could be reused at once).
    const int held = ::socket(AF_INET, SOCK_STREAM, 0);
    BOOST_TEST_REQUIRE(held >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    BOOST_TEST_REQUIRE(::bind(held, reinterpret_cast<sockaddr *>(&address), length) == 0);
    BOOST_TEST_REQUIRE(::getsockname(held, reinterpret_cast<sockaddr *>(&address), &length) == 0);
    const quint16 deadPort = ntohs(address.sin_port);

    ConnectionSettings settings;
    settings.host = QStringLiteral("127.0.0.1");
    settings.port = 143;
    settings.proxy =
        QNetworkProxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.1"), deadPort);
    ImapSession session;
    session.setSettings(settings);
    Reply *reply = session.connectToServer();
    BOOST_TEST(!reply->waitForFinished(10000));
    BOOST_TEST(int(reply->error().code()) == int(Error::Code::ConnectionFailed),
               reply->error().toString().toStdString());
    ::close(held);
}

BOOST_AUTO_TEST_SUITE_END()
