// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <memory>

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtNetwork/QSslConfiguration>

#include "ssl_socket.h"
#include "tls_engine_p.h"

Q_DECLARE_LOGGING_CATEGORY(lcMailwireTls)

namespace mailwire {

/// A new socket's configuration: Qt's default plus the CAs added with
/// SslSocket::addDefaultCaCertificate(s) (ssl_socket_config.cpp).
QSslConfiguration defaultSslConfiguration();

/// The state behind SslSocket: the inner plain socket, the TLS engine, the buffers and the
/// flags that drive them. Every member runs in the socket's thread.
class SslSocketPrivate
{
public:
    explicit SslSocketPrivate(SslSocket *owner) : q(owner) {}

    // --- lifecycle (ssl_socket.cpp)
    void resetForNewConnection();
    void createPlainSocket();
    void onPlainConnected();
    void onPlainStateChanged(QAbstractSocket::SocketState state);
    void onPlainError(QAbstractSocket::SocketError error);
    void onPlainReadyRead();
    void onPlainBytesWritten(qint64 written);
    void onPlainDisconnected();
    void setErrorAndEmit(QAbstractSocket::SocketError code, const QString &text);
    bool isPlainPassThrough() const
    {
        return mode == SslSocket::UnencryptedMode && !autoStartHandshake;
    }

    // --- the TLS machinery (ssl_socket_io.cpp)
    /// Bytes that arrived before the handshake and were not read: outer buffer, inner
    /// socket buffer and the kernel's receive queue.
    qint64 bufferedPlaintextSize() const;
    void startEncryption(SslSocket::SslMode newMode);
    /// Refuses to start the handshake: SslInvalidUserDataError, closed, nothing sent.
    void failBeforeHandshake(SslSocket::EncryptionFailure failure, const QString &text);
    /// The one pump: cleartext -> engine -> wire, wire -> engine -> cleartext, handshake.
    void pump();
    bool encryptPendingWrites();
    bool flushCiphertext();
    bool feedCiphertext();
    bool advanceHandshake();
    bool decryptAvailable();
    /// Decides once on the collected verification errors; true if the handshake may finish.
    bool checkSslErrors();
    void finishHandshake();
    bool verifyErrorsHaveBeenIgnored() const;
    void resumeAfterPause();
    /// The transport ended: decrypt what is left and report close_notify or truncation.
    void drainAfterTransportEnd();
    void reportStreamEnd(detail::TlsEngine::Status status);
    void sendCloseNotifyAndDisconnect();
    void drainKernelReceiveQueue();
    void disconnectPlainWhenFlushed();
    void scheduleFlush();
    qint64 decryptedSize() const { return qint64(plainIn.size()) - plainInPos; }
    bool readBufferFull() const
    {
        return readBufferMaxSize > 0 && decryptedSize() >= readBufferMaxSize;
    }
    detail::TlsSettings settingsFor(SslSocket::SslMode newMode) const;
    QString effectivePeerName() const;
    QList<QSslError> translatedVerifyErrors() const;

    SslSocket *const q;
    QTcpSocket *plain = nullptr; // child of q, recreated per connection
    std::unique_ptr<detail::TlsEngine> engine;

    SslSocket::SslMode mode = SslSocket::UnencryptedMode;
    QSslConfiguration configuration;
    bool useSystemCaStore = true;
    QString verificationPeerName;
    QHash<int, QVariant> pendingSocketOptions; // set before the inner socket exists

    QByteArray plainIn; // decrypted bytes not yet read
    qsizetype plainInPos = 0;
    QByteArray writeBuffer; // cleartext waiting for encryption
    qsizetype writeBufferPos = 0;
    QByteArray scratch; // reused for ciphertext moves
    qint64 readBufferMaxSize = 0;

    QList<QSslError> sslErrors;
    SslSocket::EncryptionFailure encryptionFailure = SslSocket::NoEncryptionFailure;
    QList<QSslError> ignoreErrorsList;
    bool ignoreAllSslErrors = false;

    bool autoStartHandshake = false;
    bool connectionEncrypted = false;
    bool handshakeFailed = false;
    bool pendingClose = false;
    bool paused = false;
    bool flushTriggered = false;
    bool inPump = false;
    bool inSetAndEmitError = false;
    bool streamEndReported = false;
    bool abortCalled = false;
    // We closed (close(), disconnectFromHost(), abort()): the transport's end that follows
    // is no truncation.
    bool localCloseStarted = false;
    // Our last records (close_notify, when encrypted) wait in the inner socket's write
    // buffer: close it once bytesWritten() shows it drained (disconnectPlainWhenFlushed()).
    bool closeAfterFlush = false;
    // The pump gave the inner socket ciphertext: flush it to the kernel once the pump ends.
    bool wroteCiphertext = false;
    bool plaintextConsumed = false; // the application read plaintext (a STARTTLS exchange)
    bool *readyReadEmittedPointer = nullptr;
};

} // namespace mailwire
