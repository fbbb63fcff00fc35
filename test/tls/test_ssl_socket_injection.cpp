// SPDX-License-Identifier: LGPL-3.0-or-later
// The stricter upgrade rule of mailwire::SslSocket: startClientEncryption() and
// startServerEncryption() fail with SslInvalidUserDataError and close the connection when
// any unread plaintext byte is buffered (in the socket's own buffers, QIODevice's buffer after
// peek()/ungetChar(), or the inner socket), and such bytes are never returned by read().
// In STARTTLS the peer may not speak between the upgrade reply and the handshake, so those
// bytes are an injection (CVE-2021-22947, CVE-2020-15953, CVE-2021-29969).
#include <boost/test/unit_test.hpp>

#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>

#include <mailwire/ssl_socket.h>

#include "socket_test_helpers.h"
#include "test_support.h"

using mailwire::SslSocket;
using namespace mailwire::test;

namespace {

std::string str(const QByteArray &b) { return b.toStdString(); }

const QByteArray OkLine = "a1 OK begin TLS\r\n";
const QByteArray StartTlsLine = "a1 STARTTLS\r\n";
const QByteArray Injected = "INJECTED\r\n";

/// What a mailwire socket emitted (disconnects itself when destroyed).
struct Recorder
{
    int encrypted = 0;
    QList<QAbstractSocket::SocketError> errors;
    QObject context;

    void watch(SslSocket &socket)
    {
        QObject::connect(&socket, &SslSocket::encrypted, &context, [this] { ++encrypted; });
        QObject::connect(&socket, &QAbstractSocket::errorOccurred, &context,
                         [this](QAbstractSocket::SocketError e) { errors.append(e); });
    }
};

/// After a refused upgrade: the distinct error, a closed connection, no TLS, nothing of the
/// buffered bytes readable, and nothing sent to the peer (no ClientHello/ServerHello).
void checkUpgradeRefused(SslSocket &socket, const Recorder &recorder, QTcpSocket &peer,
                         int bufferedBytes)
{
    BOOST_TEST(waitUntil([&] { return !recorder.errors.isEmpty() || socket.isEncrypted(); }, 5000));
    BOOST_TEST(socket.error() == QAbstractSocket::SslInvalidUserDataError, socketSummary(socket));
    BOOST_TEST(recorder.errors.contains(QAbstractSocket::SslInvalidUserDataError));
    // The cause as a value, for code that must not parse a translated errorString().
    BOOST_TEST(socket.encryptionFailure() == SslSocket::UnreadPlaintextBeforeHandshake);
    const QString text = socket.errorString();
    BOOST_TEST((text.contains(QString::number(bufferedBytes))
                || text.contains(QLatin1String("before the TLS handshake"), Qt::CaseInsensitive)),
               "errorString names neither the byte count "
                   << bufferedBytes << " nor \"before the TLS handshake\": " << text.toStdString());
    BOOST_TEST(waitUntil([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 5000),
               socketSummary(socket));
    BOOST_TEST(!socket.isEncrypted());
    BOOST_TEST(recorder.encrypted == 0);

    // The buffered bytes are gone for good.
    BOOST_TEST(socket.bytesAvailable() == 0);
    BOOST_TEST(!socket.canReadLine());
    if (socket.isOpen()) { // reading a closed QIODevice only prints a warning
        const QByteArray rest = socket.readAll();
        BOOST_TEST(rest.isEmpty(), "read() returned buffered bytes: " << str(rest.toHex(' ')));
        char c = 0;
        BOOST_TEST(!socket.getChar(&c));
    }

    // The peer sees the connection close and receives nothing: the handshake never began.
    QByteArray seenByPeer;
    BOOST_TEST(waitUntil(
                   [&] {
                       seenByPeer += peer.readAll();
                       return peer.state() == QAbstractSocket::UnconnectedState;
                   },
                   5000),
               "peer still connected: " << socketSummary(peer));
    seenByPeer += peer.readAll();
    BOOST_TEST(seenByPeer.isEmpty(),
               "peer received " << seenByPeer.size()
                                << " bytes: " << str(seenByPeer.left(16).toHex(' ')));
}

/// A mailwire client in plain mode connected to a plain QTcpSocket server.
struct ClientSide
{
    LoopbackServer server{ServerSocketKind::Plain};
    Recorder recorder;
    SslSocket client;
    QTcpSocket *peer = nullptr;

    ClientSide()
    {
        BOOST_REQUIRE(server.isListening());
        trustFixtureCa(client);
        client.setPeerVerifyName(QStringLiteral("localhost"));
        recorder.watch(client);
        client.connectToHost(QStringLiteral("127.0.0.1"), server.port());
        peer = server.waitForConnection();
        BOOST_REQUIRE(peer);
        BOOST_REQUIRE(waitUntil([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    }
    void waitForBytes(qint64 size)
    {
        BOOST_REQUIRE_MESSAGE(waitUntil([&] { return client.bytesAvailable() >= size; }),
                              "only " << client.bytesAvailable() << " of " << size << " bytes");
    }
};

/// A mailwire server in plain mode (identity set) with a plain QTcpSocket client.
struct ServerSide
{
    LoopbackServer server{ServerSocketKind::Mailwire, /*autoStartEncryption=*/false};
    Recorder recorder;
    QTcpSocket client;
    SslSocket *peer = nullptr;

    ServerSide()
    {
        BOOST_REQUIRE(server.isListening());
        client.connectToHost(QStringLiteral("127.0.0.1"), server.port());
        peer = server.waitForMailwireSocket();
        BOOST_REQUIRE(peer);
        recorder.watch(*peer);
        BOOST_REQUIRE(waitUntil([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    }
    void waitForBytes(qint64 size)
    {
        BOOST_REQUIRE_MESSAGE(waitUntil([&] { return peer->bytesAvailable() >= size; }),
                              "only " << peer->bytesAvailable() << " of " << size << " bytes");
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(ssl_socket_injection)

// --- client side: startClientEncryption() ---------------------------------------------------

BOOST_AUTO_TEST_CASE(client_refuses_upgrade_when_injection_came_in_the_same_write_as_ok)
{
    ClientSide s;
    s.peer->write(OkLine + Injected); // one write: one segment on loopback
    s.waitForBytes(OkLine.size() + Injected.size());
    BOOST_TEST(str(s.client.readLine()) == str(OkLine));
    s.client.startClientEncryption();
    checkUpgradeRefused(s.client, s.recorder, *s.peer, Injected.size());
}

BOOST_AUTO_TEST_CASE(client_refuses_upgrade_when_it_read_less_than_available)
{
    ClientSide s;
    s.peer->write(OkLine + Injected);
    s.waitForBytes(OkLine.size() + Injected.size());
    BOOST_TEST(str(s.client.read(OkLine.size())) == str(OkLine));
    s.client.startClientEncryption();
    checkUpgradeRefused(s.client, s.recorder, *s.peer, Injected.size());
}

BOOST_AUTO_TEST_CASE(client_refuses_upgrade_when_injection_was_peeked_into_the_device_buffer)
{
    ClientSide s;
    s.peer->write(OkLine + Injected);
    s.waitForBytes(OkLine.size() + Injected.size());
    // peek() on a sequential device moves the bytes into QIODevice's own buffer.
    BOOST_TEST(str(s.client.peek(OkLine.size() + Injected.size())) == str(OkLine + Injected));
    BOOST_TEST(str(s.client.readLine()) == str(OkLine));
    s.client.startClientEncryption();
    checkUpgradeRefused(s.client, s.recorder, *s.peer, Injected.size());
}

BOOST_AUTO_TEST_CASE(client_refuses_upgrade_when_injection_was_pushed_back_with_ungetchar)
{
    ClientSide s;
    s.peer->write(OkLine + Injected);
    s.waitForBytes(OkLine.size() + Injected.size());
    BOOST_TEST(str(s.client.readLine()) == str(OkLine));
    char c = 0;
    BOOST_REQUIRE(s.client.getChar(&c));
    BOOST_TEST(c == 'I');
    s.client.ungetChar(c); // 'I' in QIODevice's buffer, "NJECTED\r\n" further down
    s.client.startClientEncryption();
    checkUpgradeRefused(s.client, s.recorder, *s.peer, Injected.size());
}

BOOST_AUTO_TEST_CASE(client_refuses_upgrade_when_only_the_device_buffer_holds_a_byte)
{
    ClientSide s;
    s.peer->write(OkLine);
    s.waitForBytes(OkLine.size());
    BOOST_TEST(str(s.client.readLine()) == str(OkLine));
    BOOST_TEST(s.client.bytesAvailable() == 0);
    s.client.ungetChar('\n'); // the one unread byte lives only in QIODevice's buffer
    BOOST_TEST(s.client.bytesAvailable() == 1);
    s.client.startClientEncryption();
    checkUpgradeRefused(s.client, s.recorder, *s.peer, 1);
}

BOOST_AUTO_TEST_CASE(client_refuses_upgrade_when_a_byte_arrived_after_the_ok_line)
{
    ClientSide s;
    s.peer->write(OkLine);
    BOOST_TEST(str(waitForLine(s.client)) == str(OkLine));
    BOOST_TEST(s.client.bytesAvailable() == 0);
    s.peer->write("X"); // arrives in the inner socket after the reply was consumed
    s.waitForBytes(1);
    s.client.startClientEncryption();
    checkUpgradeRefused(s.client, s.recorder, *s.peer, 1);
}

BOOST_AUTO_TEST_CASE(client_upgrades_when_nothing_follows_the_ok_line)
{
    // Positive control: the same exchange with no extra byte succeeds (Qt server).
    LoopbackServer server(ServerSocketKind::Qt, /*autoStartEncryption=*/false);
    BOOST_REQUIRE(server.isListening());
    Recorder recorder;
    SslSocket client;
    trustFixtureCa(client);
    client.setPeerVerifyName(QStringLiteral("localhost"));
    recorder.watch(client);
    client.connectToHost(QStringLiteral("127.0.0.1"), server.port());
    QSslSocket *peer = server.waitForQtSocket();
    BOOST_REQUIRE(peer);

    peer->write(OkLine);
    peer->startServerEncryption();
    BOOST_TEST(str(waitForLine(client)) == str(OkLine));
    BOOST_TEST(client.bytesAvailable() == 0);
    client.startClientEncryption();
    BOOST_TEST(waitUntil([&] { return client.isEncrypted() && peer->isEncrypted(); }),
               "client " << socketSummary(client) << "; Qt server " << socketSummary(*peer));
    BOOST_TEST(recorder.errors.isEmpty(), socketSummary(client));
    BOOST_TEST(recorder.encrypted == 1);

    peer->write("* CAPABILITY IMAP4rev1\r\n");
    BOOST_TEST(str(waitForLine(client)) == "* CAPABILITY IMAP4rev1\r\n");
}

// --- server side: startServerEncryption() ---------------------------------------------------

BOOST_AUTO_TEST_CASE(server_refuses_upgrade_when_injection_came_in_the_same_write_as_starttls)
{
    ServerSide s;
    s.client.write(StartTlsLine + Injected);
    s.waitForBytes(StartTlsLine.size() + Injected.size());
    BOOST_TEST(str(s.peer->readLine()) == str(StartTlsLine));
    s.peer->startServerEncryption();
    checkUpgradeRefused(*s.peer, s.recorder, s.client, Injected.size());
}

BOOST_AUTO_TEST_CASE(server_refuses_upgrade_when_it_read_less_than_available)
{
    ServerSide s;
    s.client.write(StartTlsLine + Injected);
    s.waitForBytes(StartTlsLine.size() + Injected.size());
    BOOST_TEST(str(s.peer->read(StartTlsLine.size())) == str(StartTlsLine));
    s.peer->startServerEncryption();
    checkUpgradeRefused(*s.peer, s.recorder, s.client, Injected.size());
}

BOOST_AUTO_TEST_CASE(server_refuses_upgrade_when_injection_was_peeked_into_the_device_buffer)
{
    ServerSide s;
    s.client.write(StartTlsLine + Injected);
    s.waitForBytes(StartTlsLine.size() + Injected.size());
    BOOST_TEST(str(s.peer->peek(StartTlsLine.size() + Injected.size()))
               == str(StartTlsLine + Injected));
    BOOST_TEST(str(s.peer->readLine()) == str(StartTlsLine));
    s.peer->startServerEncryption();
    checkUpgradeRefused(*s.peer, s.recorder, s.client, Injected.size());
}

BOOST_AUTO_TEST_CASE(server_refuses_upgrade_when_injection_was_pushed_back_with_ungetchar)
{
    ServerSide s;
    s.client.write(StartTlsLine + Injected);
    s.waitForBytes(StartTlsLine.size() + Injected.size());
    BOOST_TEST(str(s.peer->readLine()) == str(StartTlsLine));
    char c = 0;
    BOOST_REQUIRE(s.peer->getChar(&c));
    s.peer->ungetChar(c);
    s.peer->startServerEncryption();
    checkUpgradeRefused(*s.peer, s.recorder, s.client, Injected.size());
}

BOOST_AUTO_TEST_CASE(server_refuses_upgrade_when_a_byte_arrived_after_the_command)
{
    ServerSide s;
    s.client.write(StartTlsLine);
    BOOST_TEST(str(waitForLine(*s.peer)) == str(StartTlsLine));
    BOOST_TEST(s.peer->bytesAvailable() == 0);
    s.client.write("X");
    s.waitForBytes(1);
    s.peer->startServerEncryption();
    checkUpgradeRefused(*s.peer, s.recorder, s.client, 1);
}

BOOST_AUTO_TEST_CASE(server_upgrades_when_nothing_follows_the_command)
{
    // Positive control: Qt client, STARTTLS, reply, then the client's ClientHello.
    LoopbackServer server(ServerSocketKind::Mailwire, /*autoStartEncryption=*/false);
    BOOST_REQUIRE(server.isListening());
    QSslSocket client;
    trustFixtureCa(client);
    client.connectToHost(QStringLiteral("127.0.0.1"), server.port());
    SslSocket *peer = server.waitForMailwireSocket();
    BOOST_REQUIRE(peer);
    Recorder recorder;
    recorder.watch(*peer);

    client.write(StartTlsLine);
    BOOST_TEST(str(waitForLine(*peer)) == str(StartTlsLine));
    peer->write(OkLine);
    peer->startServerEncryption();
    BOOST_TEST(recorder.errors.isEmpty(), socketSummary(*peer));
    BOOST_TEST(str(waitForLine(client)) == str(OkLine));
    client.setPeerVerifyName(QStringLiteral("localhost"));
    client.startClientEncryption();
    BOOST_TEST(waitUntil([&] { return client.isEncrypted() && peer->isEncrypted(); }),
               "Qt client " << socketSummary(client) << "; server " << socketSummary(*peer));
    BOOST_TEST(recorder.errors.isEmpty(), socketSummary(*peer));
    BOOST_TEST(recorder.encrypted == 1);

    client.write("a2 LOGIN\r\n");
    BOOST_TEST(str(waitForLine(*peer)) == "a2 LOGIN\r\n");
}

BOOST_AUTO_TEST_SUITE_END()
