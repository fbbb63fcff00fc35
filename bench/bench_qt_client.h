// SPDX-License-Identifier: LGPL-3.0-or-later
// The event-loop client code, written once for any socket with the QSslSocket API.
// Include only from bench_qt_sslsocket.cpp and bench_qt_qsslsocket.cpp.
#pragma once

#include <QtCore/QEventLoop>
#include <QtCore/QTimer>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>

#include "bench_qt.h"

namespace bench {

constexpr qint64 kSendWindow = 4 * kChunk; ///< most plaintext + ciphertext a sender queues
constexpr int kStallSeconds = 20;          ///< no progress for this long fails a run

/// How a socket type carries a session to the next connection. SslSocket keeps tickets by
/// itself (per host, port and configuration), so the default does nothing.
template <class Socket> struct TicketCarrier
{
    static void keep(const Socket &, QSslConfiguration *) {}
};

inline QSslConfiguration clientConfiguration()
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates(QSslCertificate::fromPath(QString::fromStdString(certs().ca())));
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return config;
}

inline const QString &loopbackHost()
{
    static const QString host = QStringLiteral("127.0.0.1");
    return host;
}

inline const QString &peerName()
{
    static const QString name = QStringLiteral("localhost");
    return name;
}

/// Quits `loop` with an error if progress() stays the same for kStallSeconds.
class Watchdog
{
public:
    Watchdog(QEventLoop *loop, std::function<std::uint64_t()> progress, std::string *error)
    {
        m_timer.setInterval(1000);
        QObject::connect(&m_timer, &QTimer::timeout, loop, [=] {
            const std::uint64_t now = progress();
            if (now != m_last) {
                m_last = now;
                m_idle = 0;
            } else if (++m_idle >= kStallSeconds) {
                *error = "stalled: no progress for " + std::to_string(kStallSeconds) + " s at "
                    + std::to_string(now);
                loop->quit();
            }
        });
        m_timer.start();
    }

private:
    QTimer m_timer;
    std::uint64_t m_last = ~std::uint64_t(0);
    int m_idle = 0;
};

/// Wires the failure signals of a bulk socket: any error before `*done` ends the loop.
template <class Socket>
void failOnErrors(Socket *socket, QEventLoop *loop, const bool *done, std::string *error)
{
    QObject::connect(socket, QOverload<const QList<QSslError> &>::of(&Socket::sslErrors), loop,
                     [=](const QList<QSslError> &errors) {
                         *error = "certificate: " + errors.value(0).errorString().toStdString();
                         loop->quit();
                     });
    QObject::connect(socket, &QAbstractSocket::errorOccurred, loop, [=] {
        if (!*done) {
            *error = "socket: " + socket->errorString().toStdString();
            loop->quit();
        }
    });
}

template <class Socket> void closeAndWait(Socket *socket)
{
    socket->disconnectFromHost();
    if (socket->state() != QAbstractSocket::UnconnectedState)
        socket->waitForDisconnected(5000);
}

template <class Socket> BulkResult receiveBulk(int port, std::uint64_t bytes)
{
    BulkResult r;
    QEventLoop loop;
    Socket socket;
    socket.setSslConfiguration(clientConfiguration());
    QByteArray buffer(kChunk, Qt::Uninitialized);
    Watchdog watchdog(
        &loop, [&] { return r.bytes; }, &r.error);
    failOnErrors(&socket, &loop, &r.ok, &r.error);

    const double cpu0 = cpuNow(), wall0 = wallNow();
    QObject::connect(&socket, &Socket::readyRead, &loop, [&] {
        qint64 n = 0;
        while (r.bytes < bytes && (n = socket.read(buffer.data(), kChunk)) > 0)
            r.bytes += std::uint64_t(n);
        if (r.bytes >= bytes && !r.ok) {
            r.cpuSeconds = cpuNow() - cpu0;
            r.wallSeconds = wallNow() - wall0;
            r.ok = true;
            loop.quit();
        }
    });
    socket.connectToHostEncrypted(loopbackHost(), quint16(port), peerName());
    loop.exec();
    r.cipher = socket.sessionCipher().name().toStdString();
    closeAndWait(&socket);
    return r;
}

template <class Socket> BulkResult sendBulk(int port, std::uint64_t bytes)
{
    BulkResult r;
    QEventLoop loop;
    Socket socket;
    socket.setSslConfiguration(clientConfiguration());
    std::uint64_t queued = 0;
    bool pumping = false;
    Watchdog watchdog(
        &loop, [&] { return queued; }, &r.error);
    failOnErrors(&socket, &loop, &r.ok, &r.error);

    const double cpu0 = cpuNow(), wall0 = wallNow();
    auto pump = [&] {
        if (pumping)
            return;
        pumping = true;
        while (queued < bytes
               && socket.bytesToWrite() + socket.encryptedBytesToWrite() < kSendWindow) {
            const qint64 n = qint64(std::min<std::uint64_t>(kChunk, bytes - queued));
            const qint64 written = socket.write(pattern() + queued % kPatternPeriod, n);
            if (written <= 0) {
                r.error = "write failed: " + socket.errorString().toStdString();
                loop.quit();
                break;
            }
            queued += std::uint64_t(written);
        }
        pumping = false;
    };
    QObject::connect(&socket, &Socket::encrypted, &loop, pump);
    QObject::connect(&socket, &Socket::bytesWritten, &loop, pump);
    QObject::connect(&socket, &Socket::encryptedBytesWritten, &loop, pump);
    QObject::connect(&socket, &Socket::readyRead, &loop, [&] {
        char ack = 0;
        if (!r.ok && queued >= bytes && socket.read(&ack, 1) == 1) {
            r.cpuSeconds = cpuNow() - cpu0;
            r.wallSeconds = wallNow() - wall0;
            r.bytes = queued;
            r.ok = true;
            loop.quit();
        }
    });
    socket.connectToHostEncrypted(loopbackHost(), quint16(port), peerName());
    loop.exec();
    r.cipher = socket.sessionCipher().name().toStdString();
    closeAndWait(&socket);
    return r;
}

template <class Socket> HandshakeResult handshakeRun(int port, int count, bool resume)
{
    struct Connection
    {
        Socket *socket = nullptr;
        bool gotByte = false;
        bool done = false;
    };

    HandshakeResult r;
    QEventLoop loop;
    QSslConfiguration config = clientConfiguration();
    if (resume)
        config.setSslOption(QSsl::SslOptionDisableSessionPersistence, false);
    int finished = -1; // connection 0 is the warm-up
    double cpu0 = 0, wall0 = 0;
    Watchdog watchdog(
        &loop, [&] { return std::uint64_t(finished + 1); }, &r.error);
    auto fail = [&](const std::string &error) {
        if (r.error.empty())
            r.error = error;
        loop.quit();
    };

    std::function<void()> startNext;
    startNext = [&] {
        auto c = std::make_shared<Connection>();
        c->socket = new Socket(&loop);
        Socket *socket = c->socket;
        socket->setSslConfiguration(config);

        auto takeByte = [&, c] {
            char byte = 0;
            if (c->gotByte || c->socket->read(&byte, 1) != 1)
                return;
            c->gotByte = true;
            if (finished >= 0 && byte == 'R')
                ++r.resumed;
            if (resume)
                TicketCarrier<Socket>::keep(*c->socket, &config);
            c->socket->disconnectFromHost();
        };
        auto closed = [&, c, takeByte] {
            if (c->done)
                return;
            takeByte();
            if (!c->gotByte)
                return fail("connection closed before the server's byte");
            c->done = true;
            c->socket->deleteLater();
            if (++finished == 0) {
                cpu0 = cpuNow();
                wall0 = wallNow();
            }
            if (finished == count) {
                r.cpuSeconds = cpuNow() - cpu0;
                r.wallSeconds = wallNow() - wall0;
                r.count = count;
                r.ok = true;
                loop.quit();
                return;
            }
            QTimer::singleShot(0, &loop, startNext);
        };
        QObject::connect(socket, &Socket::connected, &loop,
                         [socket] { socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
        QObject::connect(socket, &Socket::readyRead, &loop, takeByte);
        QObject::connect(socket, &Socket::disconnected, &loop, closed);
        QObject::connect(socket, QOverload<const QList<QSslError> &>::of(&Socket::sslErrors), &loop,
                         [&](const QList<QSslError> &errors) {
                             fail("certificate: " + errors.value(0).errorString().toStdString());
                         });
        QObject::connect(socket, &QAbstractSocket::errorOccurred, &loop,
                         [&, c, takeByte](QAbstractSocket::SocketError error) {
                             takeByte();
                             if (c->gotByte && error == QAbstractSocket::RemoteHostClosedError)
                                 return;
                             fail("socket: " + c->socket->errorString().toStdString());
                         });
        socket->connectToHostEncrypted(loopbackHost(), quint16(port), peerName());
    };

    QTimer::singleShot(0, &loop, startNext);
    loop.exec();
    return r;
}

template <class Socket>
MemoryResult slowReceiveRun(int port, std::uint64_t bytes, std::int64_t readBufferSize,
                            int intervalMs)
{
    MemoryResult r;
    QEventLoop loop;
    Socket socket;
    socket.setSslConfiguration(clientConfiguration());
    socket.setReadBufferSize(readBufferSize);
    QByteArray buffer(kChunk, Qt::Uninitialized);
    bool done = false;
    r.verified = true;
    Watchdog watchdog(
        &loop, [&] { return r.bytes; }, &r.error);
    failOnErrors(&socket, &loop, &done, &r.error);

    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(intervalMs);
    const double wall0 = wallNow();
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        const qint64 n = socket.read(buffer.data(), kChunk);
        if (n > 0) {
            if (std::memcmp(buffer.constData(), pattern() + r.bytes % kPatternPeriod, size_t(n)))
                r.verified = false;
            r.bytes += std::uint64_t(n);
        }
        if (r.bytes >= bytes) {
            r.wallSeconds = wallNow() - wall0;
            done = r.ok = true;
            loop.quit();
        }
    });
    // The baseline is taken once the TLS stack is loaded and the handshake done, before any
    // application byte is read.
    QObject::connect(&socket, &Socket::encrypted, &tick, [&] {
        r.baselineKib = procStatusKib("VmRSS");
        resetPeakRss();
        tick.start();
    });
    socket.connectToHostEncrypted(loopbackHost(), quint16(port), peerName());
    loop.exec();
    r.peakKib = procStatusKib("VmHWM");
    closeAndWait(&socket);
    return r;
}

} // namespace bench
