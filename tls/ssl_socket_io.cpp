// SPDX-License-Identifier: LGPL-3.0-or-later
// SslSocket's TLS machinery: the upgrade, the one pump, verification decisions, and the
// QIODevice read/write side.
#include "ssl_socket_p.h"

#include "openssl_convert_p.h"
#include "peer_name_p.h"
#include "session_cache_p.h"

#include <cstring>

#include <QtCore/QMetaMethod>
#include <QtNetwork/QSslPreSharedKeyAuthenticator>

#ifdef Q_OS_UNIX
#include <sys/ioctl.h>
#include <sys/socket.h>
#endif

namespace mailwire {

using detail::TlsEngine;

namespace {

constexpr qint64 ScratchSize = qint64(64) * 1024;   // one ciphertext move
constexpr qint64 DecryptChunk = qint64(16) * 1024;  // one TLS record of plaintext
constexpr qint64 EncryptChunk = qint64(256) * 1024; // bounds ciphertext held in memory per turn

qint64 kernelBytesAvailable(const QTcpSocket *socket)
{
#ifdef Q_OS_UNIX
    int pending = 0;
    if (socket->socketDescriptor() >= 0
        && ::ioctl(int(socket->socketDescriptor()), FIONREAD, &pending) == 0)
        return pending;
#else
    Q_UNUSED(socket)
#endif
    return 0;
}

} // namespace

qint64 SslSocketPrivate::bufferedPlaintextSize() const
{
    // QIODevice's own read-ahead on the outer device, the inner socket's buffer, and what
    // the kernel has received but nobody has read yet.
    const qint64 outer = q->QIODevice::bytesAvailable();
    return outer + (plain ? plain->bytesAvailable() + kernelBytesAvailable(plain) : 0);
}

void SslSocket::startClientEncryption() { d->startEncryption(SslClientMode); }

void SslSocket::startServerEncryption() { d->startEncryption(SslServerMode); }

void SslSocketPrivate::startEncryption(SslSocket::SslMode newMode)
{
    if (mode != SslSocket::UnencryptedMode) {
        qCWarning(lcMailwireTls, "SslSocket: cannot start handshake on non-plain connection");
        return;
    }
    if (!plain || q->state() != QAbstractSocket::ConnectedState) {
        qCWarning(lcMailwireTls, "SslSocket: cannot start handshake when not connected");
        return;
    }
    // In STARTTLS the peer speaks only after the handshake starts. Anything already here
    // was sent before the upgrade (an injection) and must never reach the application.
    // A server that read nothing yet (implicit TLS) may already hold the ClientHello.
    const bool strict = newMode == SslSocket::SslClientMode || plaintextConsumed;
    const qint64 injected = strict ? bufferedPlaintextSize() : 0;
    if (injected > 0) {
        failBeforeHandshake(
            SslSocket::UnreadPlaintextBeforeHandshake,
            SslSocket::tr("Peer sent %1 unexpected byte(s) before the TLS handshake")
                .arg(injected));
        return;
    }
    const bool client = newMode == SslSocket::SslClientMode;
    // Checked before anything is sent: a name that cannot be checked must fail the
    // connection, never switch the host check off.
    detail::PeerName peerName;
    QString error;
    if (client
        && !detail::parsePeerName(effectivePeerName(),
                                  int(configuration.peerVerifyMode()) == SslSocket::VerifyNone,
                                  &peerName, &error)) {
        failBeforeHandshake(SslSocket::InvalidPeerVerifyName, error);
        return;
    }
    std::shared_ptr<detail::TlsContext> context =
        detail::TlsContext::obtain(settingsFor(newMode), &error);
    if (!context) {
        failBeforeHandshake(SslSocket::InvalidTlsConfiguration, error);
        return;
    }
    const QByteArray sessionKey = client && !peerName.isEmpty()
        ? detail::SessionCache::keyFor(context->settings(), peerName, q->peerName(), q->peerPort())
        : QByteArray();
    mode = newMode;
    emit q->modeChanged(mode);
    engine = std::make_unique<TlsEngine>(std::move(context));
    engine->setPskHandler([this](QSslPreSharedKeyAuthenticator *authenticator) {
        emit q->preSharedKeyAuthenticationRequired(authenticator);
    });
    engine->setServerNameIndication(
        !configuration.testSslOption(QSsl::SslOptionDisableServerNameIndication));
    if (!engine->begin(client ? effectivePeerName() : QString(), sessionKey)) {
        handshakeFailed = true;
        encryptionFailure = SslSocket::HandshakeFailed;
        setErrorAndEmit(QAbstractSocket::SslInternalError, engine->lastError());
        q->abort();
        return;
    }
    pump();
}

void SslSocketPrivate::failBeforeHandshake(SslSocket::EncryptionFailure failure,
                                           const QString &text)
{
    encryptionFailure = failure;
    setErrorAndEmit(QAbstractSocket::SslInvalidUserDataError, text);
    q->abort();
}

QString SslSocketPrivate::effectivePeerName() const
{
    return verificationPeerName.isEmpty() ? q->peerName() : verificationPeerName;
}

void SslSocketPrivate::pump()
{
    if (inPump || !engine || !engine->isActive() || paused)
        return;
    inPump = true;
    bool moved = true;
    while (moved && engine && engine->isActive() && !paused && !handshakeFailed) {
        moved = false;
        if (connectionEncrypted)
            moved |= encryptPendingWrites();
        moved |= flushCiphertext();
        moved |= feedCiphertext();
        if (!connectionEncrypted && !handshakeFailed) {
            moved |= advanceHandshake();
            if (!engine || handshakeFailed || paused)
                break;
        }
        if (connectionEncrypted)
            moved |= decryptAvailable();
        if (connectionEncrypted)
            moved |= flushCiphertext();
    }
    inPump = false;
    if (wroteCiphertext && plain && plain->state() == QAbstractSocket::ConnectedState) {
        wroteCiphertext = false;
        plain->flush(); // straight to the kernel, not one block per later notification
    }
    if (pendingClose && connectionEncrypted && engine && writeBufferPos >= writeBuffer.size()
        && q->state() == QAbstractSocket::ClosingState) {
        pendingClose = false;
        sendCloseNotifyAndDisconnect();
    }
}

bool SslSocketPrivate::encryptPendingWrites()
{
    if (writeBufferPos >= writeBuffer.size())
        return false;
    qint64 total = 0;
    while (writeBufferPos < writeBuffer.size()) {
        const qint64 chunk = qMin<qint64>(EncryptChunk, writeBuffer.size() - writeBufferPos);
        const qint64 written = engine->encrypt(writeBuffer.constData() + writeBufferPos, chunk);
        if (written < 0) {
            setErrorAndEmit(QAbstractSocket::SslInternalError, engine->lastError());
            q->abort();
            return false;
        }
        if (written == 0)
            break;
        writeBufferPos += written;
        total += written;
        flushCiphertext(); // keep at most one chunk of ciphertext in memory
    }
    if (writeBufferPos >= writeBuffer.size()) {
        writeBuffer.resize(0); // keeps the reserved capacity
        writeBufferPos = 0;
    }
    if (total > 0)
        emit q->bytesWritten(total);
    return total > 0;
}

bool SslSocketPrivate::flushCiphertext()
{
    // After the transport ended there is no one to send an alert to.
    if (!engine || !plain || plain->state() != QAbstractSocket::ConnectedState)
        return false;
    if (engine->pendingCiphertextOut() <= 0)
        return false;
    // Everything pending goes to the inner socket as one block: QAbstractSocket writes
    // one buffer block per write notification, so a block per TLS record would mean a
    // syscall and an event-loop turn per 16 KiB. The QByteArray is adopted, not copied.
    const QByteArray ciphertext = engine->takeCiphertext();
    if (plain->write(ciphertext) != ciphertext.size()) {
        setErrorAndEmit(plain->error(), plain->errorString());
        return false;
    }
    wroteCiphertext = true;
    return true;
}

bool SslSocketPrivate::feedCiphertext()
{
    if (!plain || readBufferFull())
        return false;
    bool moved = false;
    qint64 available = plain->bytesAvailable();
    // With a read limit, ciphertext stays in the inner socket (whose buffer is limited too,
    // so TCP pushes back) rather than piling up in the engine.
    while (available > 0 && engine
           && (readBufferMaxSize == 0 || engine->pendingCiphertextIn() < ScratchSize)) {
        if (scratch.size() < ScratchSize)
            scratch.resize(int(ScratchSize));
        const qint64 got = plain->read(scratch.data(), qMin(available, ScratchSize));
        if (got <= 0)
            break;
        engine->feedCiphertext(scratch.constData(), got);
        moved = true;
        available = plain->bytesAvailable();
    }
    return moved;
}

bool SslSocketPrivate::advanceHandshake()
{
    const TlsEngine::Status status = engine->handshake();
    if (status == TlsEngine::Status::WantsPeerData)
        return flushCiphertext(); // the step may have produced our next flight
    flushCiphertext();            // our Finished, or the alert that explains a failure
    if (status != TlsEngine::Status::Established) {
        handshakeFailed = true;
        encryptionFailure = SslSocket::HandshakeFailed;
        setErrorAndEmit(QAbstractSocket::SslHandshakeFailedError, engine->lastError());
        if (plain)
            plain->flush();
        q->abort();
        return false;
    }
    if (!checkSslErrors())
        return false;
    finishHandshake();
    return true;
}

QList<QSslError> SslSocketPrivate::translatedVerifyErrors() const
{
    // The common case, a chain that verified, costs no certificate conversion: turning
    // X509 into QSslCertificate (through DER, parsed again by Qt) was half of a handshake.
    QList<QSslError> errors;
    const bool verifies = engine->context().settings().verifiesPeer();
    if (verifies && !engine->hasPeerCertificate())
        errors << QSslError(QSslError::NoPeerCertificate);
    if (engine->verifyFailures().isEmpty())
        return errors;
    const QList<QSslCertificate> chain = engine->peerCertificateChain();
    for (const detail::VerifyFailure &failure : engine->verifyFailures()) {
        const QSslError error(detail::toQSslError(failure.code), chain.value(failure.depth));
        if (!errors.contains(error))
            errors << error;
    }
    return errors;
}

bool SslSocketPrivate::verifyErrorsHaveBeenIgnored() const
{
    if (!ignoreErrorsList.isEmpty()) {
        for (const QSslError &error : sslErrors) {
            if (!ignoreErrorsList.contains(error))
                return false;
        }
        return true;
    }
    return ignoreAllSslErrors;
}

bool SslSocketPrivate::checkSslErrors()
{
    const QList<QSslError> errors = translatedVerifyErrors();
    // Decided before any slot runs: a resumed handshake skips verification, so only a
    // connection with no error at all, ignored or not, may leave a session behind.
    engine->decideResumption(errors.isEmpty());
    for (const QSslError &error : errors) {
        emit q->peerVerifyError(error);
        if (q->state() != QAbstractSocket::ConnectedState || !engine)
            return false; // a slot aborted
    }
    sslErrors = errors;
    if (sslErrors.isEmpty())
        return true;
    emit q->sslErrors(sslErrors);
    if (!engine || q->state() != QAbstractSocket::ConnectedState)
        return false;
    const bool verifies = engine->context().settings().verifiesPeer();
    if (!verifies || verifyErrorsHaveBeenIgnored())
        return true;
    if (q->pauseMode() & QAbstractSocket::PauseOnSslErrors) {
        paused = true; // resume() decides, after ignoreSslErrors() or not
        return false;
    }
    handshakeFailed = true;
    encryptionFailure = SslSocket::PeerVerificationFailed;
    setErrorAndEmit(QAbstractSocket::SslHandshakeFailedError, sslErrors.first().errorString());
    plain->disconnectFromHost();
    return false;
}

void SslSocketPrivate::finishHandshake()
{
    connectionEncrypted = true;
    qCDebug(lcMailwireTls) << "encrypted" << engine->sessionProtocol()
                           << engine->sessionCipher().name();
    emit q->encrypted();
    if (pendingClose && engine && q->state() == QAbstractSocket::ConnectedState) {
        pendingClose = false;
        q->disconnectFromHost();
    }
}

void SslSocketPrivate::resumeAfterPause()
{
    if (!paused)
        return;
    paused = false; // the inner socket was never paused: we just stopped pumping
    if (!connectionEncrypted && engine && engine->isEstablished()) {
        if (!verifyErrorsHaveBeenIgnored()) {
            handshakeFailed = true;
            encryptionFailure = SslSocket::PeerVerificationFailed;
            setErrorAndEmit(QAbstractSocket::SslHandshakeFailedError,
                            sslErrors.isEmpty() ? SslSocket::tr("TLS verification failed")
                                                : sslErrors.first().errorString());
            if (plain)
                plain->disconnectFromHost();
            return;
        }
        finishHandshake();
    }
    pump();
}

bool SslSocketPrivate::decryptAvailable()
{
    bool produced = false;
    while (engine && !readBufferFull()) {
        // Reuse the space already read from the front before growing the buffer.
        if (plainInPos > 0 && plainInPos == plainIn.size()) {
            plainIn.resize(0);
            plainInPos = 0;
        } else if (plainInPos > 0 && plainInPos >= plainIn.size() / 2
                   && plainIn.capacity() - plainIn.size() < DecryptChunk) {
            plainIn.remove(0, int(plainInPos));
            plainInPos = 0;
        }
        const int oldSize = plainIn.size();
        plainIn.resize(oldSize + int(DecryptChunk));
        qint64 got = 0;
        const TlsEngine::Status status =
            engine->decrypt(plainIn.data() + oldSize, DecryptChunk, &got);
        plainIn.resize(oldSize + int(got));
        if (got > 0) {
            produced = true;
            continue;
        }
        if (status == TlsEngine::Status::WantsPeerData || status == TlsEngine::Status::Established)
            break;
        if (produced) {
            if (readyReadEmittedPointer)
                *readyReadEmittedPointer = true;
            emit q->readyRead();
            produced = false;
        }
        reportStreamEnd(status);
        return false;
    }
    if (produced) {
        if (readyReadEmittedPointer)
            *readyReadEmittedPointer = true;
        emit q->readyRead();
    }
    return produced;
}

void SslSocketPrivate::reportStreamEnd(TlsEngine::Status status)
{
    if (streamEndReported)
        return;
    streamEndReported = true;
    switch (status) {
    case TlsEngine::Status::Closed:
        setErrorAndEmit(QAbstractSocket::RemoteHostClosedError,
                        SslSocket::tr("The TLS/SSL connection has been closed"));
        break;
    case TlsEngine::Status::Truncated:
        setErrorAndEmit(QAbstractSocket::SslInternalError,
                        SslSocket::tr("TLS stream truncated: the peer closed the connection "
                                      "without close_notify"));
        break;
    default:
        setErrorAndEmit(QAbstractSocket::SslInternalError,
                        SslSocket::tr("Error while reading: %1").arg(engine->lastError()));
        if (plain)
            plain->abort();
        break;
    }
}

void SslSocketPrivate::drainAfterTransportEnd()
{
    if (!engine || !plain)
        return;
    // Everything the peer sent before its FIN is decrypted, whatever the buffer limit.
    const qint64 limit = readBufferMaxSize;
    readBufferMaxSize = 0;
    feedCiphertext();
    engine->peerClosedTcp();
    if (!connectionEncrypted && !handshakeFailed) {
        pump();
        if (!connectionEncrypted && !handshakeFailed && !paused) {
            handshakeFailed = true;
            encryptionFailure = SslSocket::HandshakeFailed;
            setErrorAndEmit(QAbstractSocket::SslHandshakeFailedError,
                            SslSocket::tr("The connection was closed during the TLS handshake"));
        }
    } else if (connectionEncrypted) {
        decryptAvailable();
        if (!streamEndReported && engine) {
            reportStreamEnd(engine->receivedCloseNotify() ? TlsEngine::Status::Closed
                                                          : TlsEngine::Status::Truncated);
        }
    }
    readBufferMaxSize = limit;
}

void SslSocketPrivate::drainKernelReceiveQueue()
{
#ifdef Q_OS_UNIX
    // Closing a TCP socket with unread received data makes the kernel answer with RST,
    // and an RST can destroy what is still in flight to the peer: our last records and
    // close_notify. What usually waits here is the peer's TLS 1.3 session tickets; they
    // go to the engine (and so to the session cache), nothing is thrown away unread.
    if (!plain || !engine || plain->socketDescriptor() < 0)
        return;
    feedCiphertext();
    char buffer[16 * 1024];
    while (kernelBytesAvailable(plain) > 0) {
        const ssize_t got =
            ::recv(int(plain->socketDescriptor()), buffer, sizeof buffer, MSG_DONTWAIT);
        if (got <= 0)
            break;
        engine->feedCiphertext(buffer, got);
    }
    if (connectionEncrypted && !streamEndReported)
        decryptAvailable();
#endif
}

void SslSocketPrivate::sendCloseNotifyAndDisconnect()
{
    localCloseStarted = true;
    if (engine && connectionEncrypted && !streamEndReported) {
        engine->shutdown();
        flushCiphertext();
    }
    disconnectPlainWhenFlushed();
}

void SslSocketPrivate::disconnectPlainWhenFlushed()
{
    if (!plain)
        return;
    // QAbstractSocket stops reading once it is Closing, so whatever the peer sends while
    // our last records drain (typically its session tickets) would sit unread when the
    // socket closes, and the kernel would answer with RST, which can destroy our last
    // records and close_notify at the peer. So: stay Connected (and reading) until the
    // write buffer is empty, read what has arrived, then close.
    if (plain->state() == QAbstractSocket::ConnectedState && plain->bytesToWrite() > 0) {
        closeAfterFlush = true;
        return;
    }
    closeAfterFlush = false;
    drainKernelReceiveQueue();
    plain->disconnectFromHost();
}

void SslSocketPrivate::scheduleFlush()
{
    if (flushTriggered)
        return;
    flushTriggered = true;
    QMetaObject::invokeMethod(
        q,
        [this] {
            flushTriggered = false;
            pump();
        },
        Qt::QueuedConnection);
}

qint64 SslSocket::readData(char *data, qint64 maxlen)
{
    if (d->isPlainPassThrough() && !d->engine) {
        const qint64 got = d->plain ? d->plain->read(data, maxlen) : -1;
        d->plaintextConsumed |= got > 0;
        return got;
    }
    const qint64 available = d->decryptedSize();
    if (available <= 0) {
        if (!d->plain || state() == UnconnectedState)
            return -1;
        return 0;
    }
    if (maxlen <= 0)
        return 0;
    const qint64 count = qMin(available, maxlen);
    std::memcpy(data, d->plainIn.constData() + d->plainInPos, size_t(count));
    d->plainInPos += count;
    if (d->plainInPos == d->plainIn.size()) {
        d->plainIn.resize(0);
        d->plainInPos = 0;
    }
    // Reading made room below the limit: decrypt what waits in the engine or inner socket.
    if (d->readBufferMaxSize > 0 && d->engine && d->plain
        && (d->plain->bytesAvailable() > 0 || d->engine->pendingCiphertextIn() > 0))
        d->scheduleFlush();
    return count;
}

qint64 SslSocket::readLineData(char *data, qint64 maxlen)
{
    if (d->isPlainPassThrough() && !d->engine) {
        // QIODevice::readLine() leaves room for the terminating NUL, so maxlen + 1 fits.
        const qint64 got = d->plain ? d->plain->readLine(data, maxlen + 1) : -1;
        d->plaintextConsumed |= got > 0;
        return got;
    }
    const qint64 available = d->decryptedSize();
    if (available <= 0)
        return (!d->plain || state() == UnconnectedState) ? -1 : 0;
    const char *start = d->plainIn.constData() + d->plainInPos;
    const qint64 window = qMin(available, maxlen);
    const void *newline = std::memchr(start, '\n', size_t(window));
    const qint64 count = newline ? static_cast<const char *>(newline) - start + 1 : window;
    return readData(data, count);
}

qint64 SslSocket::writeData(const char *data, qint64 len)
{
    if (d->isPlainPassThrough() && !d->engine)
        return d->plain ? d->plain->write(data, len) : -1;
    if (d->handshakeFailed || !d->plain)
        return -1;
    d->writeBuffer.append(data, int(len));
    d->scheduleFlush(); // once per event-loop turn, like QSslSocket
    return len;
}

qint64 SslSocket::bytesAvailable() const
{
    if (d->isPlainPassThrough() && !d->engine)
        return QTcpSocket::bytesAvailable() + (d->plain ? d->plain->bytesAvailable() : 0);
    return QTcpSocket::bytesAvailable() + d->decryptedSize();
}

qint64 SslSocket::bytesToWrite() const
{
    if (d->isPlainPassThrough() && !d->engine)
        return d->plain ? d->plain->bytesToWrite() : 0;
    return d->writeBuffer.size() - d->writeBufferPos;
}

bool SslSocket::canReadLine() const
{
    if (QTcpSocket::canReadLine())
        return true;
    if (d->isPlainPassThrough() && !d->engine)
        return d->plain && d->plain->canReadLine();
    const qint64 available = d->decryptedSize();
    return available > 0
        && std::memchr(d->plainIn.constData() + d->plainInPos, '\n', size_t(available));
}

bool SslSocket::atEnd() const
{
    if (d->isPlainPassThrough() && !d->engine)
        return QTcpSocket::atEnd() && (!d->plain || d->plain->atEnd());
    return QTcpSocket::atEnd();
}

qint64 SslSocket::encryptedBytesAvailable() const
{
    if (d->mode == UnencryptedMode || !d->plain)
        return 0;
    return d->plain->bytesAvailable() + (d->engine ? d->engine->pendingCiphertextIn() : 0);
}

qint64 SslSocket::encryptedBytesToWrite() const
{
    if (d->mode == UnencryptedMode || !d->plain)
        return 0;
    return d->plain->bytesToWrite() + (d->engine ? d->engine->pendingCiphertextOut() : 0);
}

void SslSocket::setReadBufferSize(qint64 size)
{
    d->readBufferMaxSize = size;
    if (d->plain)
        d->plain->setReadBufferSize(size);
    QTcpSocket::setReadBufferSize(size);
}

} // namespace mailwire
