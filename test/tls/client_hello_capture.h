// SPDX-License-Identifier: LGPL-3.0-or-later
// The server side of "what did the client send before any answer": a TCP server on
// 127.0.0.1 port 0 that never answers and records every byte each connection sent, and a
// ClientHello reader that finds the server_name extension (SNI) in those raw bytes by the
// RFC 8446 / RFC 6066 layout, with no TLS library involved (an independent witness).
// Header-only and Q_OBJECT-free, like socket_test_helpers.h.
#pragma once

#include <deque>

#include <QtCore/QByteArray>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include "test_support.h"

namespace mailwire::test {

/// What one ClientHello says about SNI.
struct ClientHelloInfo
{
    bool complete = false;      ///< a whole ClientHello handshake message was found
    bool hasServerName = false; ///< it carries a server_name extension
    QByteArray serverName;      ///< the host_name entry of that extension
};

/// Reads the first handshake message from raw TLS records. Incomplete or malformed input
/// gives complete == false (wait for more bytes, or fail the test).
inline ClientHelloInfo parseClientHello(const QByteArray &wire)
{
    ClientHelloInfo info;
    // Handshake records (content type 22) carry the message, possibly in fragments.
    QByteArray message;
    for (int at = 0; at + 5 <= wire.size();) {
        const int type = quint8(wire.at(at));
        const int length = (quint8(wire.at(at + 3)) << 8) | quint8(wire.at(at + 4));
        if (type != 22 || at + 5 + length > wire.size())
            break;
        message += wire.mid(at + 5, length);
        at += 5 + length;
    }
    if (message.size() < 4 || quint8(message.at(0)) != 1) // msg_type client_hello
        return info;
    const int bodyLength =
        (quint8(message.at(1)) << 16) | (quint8(message.at(2)) << 8) | quint8(message.at(3));
    if (message.size() < 4 + bodyLength)
        return info;
    const QByteArray body = message.mid(4, bodyLength);

    int at = 2 + 32; // legacy_version, random
    auto u8 = [&](int offset) { return offset < body.size() ? int(quint8(body.at(offset))) : -1; };
    auto u16 = [&](int offset) {
        return offset + 1 < body.size() ? (u8(offset) << 8) | u8(offset + 1) : -1;
    };
    if (u8(at) < 0)
        return info;
    at += 1 + u8(at); // legacy_session_id
    if (u16(at) < 0)
        return info;
    at += 2 + u16(at); // cipher_suites
    if (u8(at) < 0)
        return info;
    at += 1 + u8(at); // legacy_compression_methods
    const int extensionsLength = u16(at);
    if (extensionsLength < 0 || at + 2 + extensionsLength > body.size())
        return info;
    at += 2;
    const int end = at + extensionsLength;
    while (at + 4 <= end) {
        const int extensionType = u16(at);
        const int extensionLength = u16(at + 2);
        const int data = at + 4;
        if (data + extensionLength > end)
            return info;
        if (extensionType == 0) { // server_name: list length, then (type, length, name)*
            info.hasServerName = true;
            int entry = data + 2;
            while (entry + 3 <= data + extensionLength) {
                const int nameLength = u16(entry + 1);
                if (u8(entry) == 0 && entry + 3 + nameLength <= data + extensionLength)
                    info.serverName = body.mid(entry + 3, nameLength);
                entry += 3 + nameLength;
            }
        }
        at = data + extensionLength;
    }
    info.complete = at == end;
    return info;
}

/// Accepts TCP on 127.0.0.1:0, answers nothing, records everything each connection sends.
class CaptureServer : public QTcpServer
{
public:
    struct Connection
    {
        QByteArray received;
        bool closed = false;
    };

    CaptureServer() { listen(QHostAddress::LocalHost, 0); }
    ~CaptureServer() override
    {
        close();
        for (QTcpSocket *socket : m_sockets) {
            socket->disconnect();
            delete socket;
        }
    }

    quint16 port() const { return serverPort(); }
    /// One entry per accepted connection, in order.
    const std::deque<Connection> &connections() const { return m_connections; }

    /// Runs the event loop until connection `index` exists and holds a whole ClientHello.
    ClientHelloInfo waitForClientHello(int index = 0, int timeoutMs = 10000)
    {
        ClientHelloInfo info;
        waitUntil(
            [&] {
                if (int(m_connections.size()) <= index)
                    return false;
                info = parseClientHello(m_connections[size_t(index)].received);
                return info.complete || m_connections[size_t(index)].closed;
            },
            timeoutMs);
        return info;
    }
    /// Runs the event loop until connection `index` exists and was closed by the client.
    bool waitForClosed(int index = 0, int timeoutMs = 10000)
    {
        return waitUntil(
            [&] {
                return int(m_connections.size()) > index && m_connections[size_t(index)].closed;
            },
            timeoutMs);
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket;
        m_sockets.push_back(socket);
        m_connections.emplace_back();
        const size_t index = m_connections.size() - 1;
        QObject::connect(socket, &QIODevice::readyRead, [this, socket, index] {
            m_connections[index].received += socket->readAll();
        });
        QObject::connect(socket, &QAbstractSocket::disconnected, [this, socket, index] {
            m_connections[index].received += socket->readAll();
            m_connections[index].closed = true;
        });
        socket->setSocketDescriptor(descriptor);
    }

private:
    std::deque<Connection> m_connections; // a deque: entries stay put while it grows
    std::deque<QTcpSocket *> m_sockets;
};

} // namespace mailwire::test
