// SPDX-License-Identifier: LGPL-3.0-or-later
// SslSocket: the connection lifecycle (connect, inner-socket wiring, close) and the waits.
// The TLS pump lives in ssl_socket_io.cpp, configuration in ssl_socket_config.cpp.
#include "ssl_socket_p.h"

#include <QtCore/QDeadlineTimer>
#include <QtNetwork/QAuthenticator>
#include <QtNetwork/QNetworkProxy>

Q_LOGGING_CATEGORY(lcMailwireTls, "mailwire.tls", QtInfoMsg)

namespace mailwire {

namespace {

int remainingMs(const QDeadlineTimer &deadline)
{
    return deadline.isForever() ? -1 : int(qMax<qint64>(0, deadline.remainingTime()));
}

} // namespace

SslSocket::SslSocket(QObject *parent) : QTcpSocket(parent), d(new SslSocketPrivate(this))
{
    d->configuration = defaultSslConfiguration();
    // Reserved capacity survives resize(0) in Qt 5 (clear() would free it): the buffers
    // are emptied after every record, and re-allocating them each time, often through
    // mmap for these sizes, cost more than the copy itself.
    d->plainIn.reserve(64 * 1024);
    d->writeBuffer.reserve(64 * 1024);
}

SslSocket::~SslSocket()
{
    if (d->plain) {
        d->plain->disconnect(this);
        d->plain->abort();
    }
    // QAbstractSocket's destructor would otherwise "disconnect" a socket it never owned.
    setSocketState(UnconnectedState);
}

void SslSocketPrivate::resetForNewConnection()
{
    if (plain) {
        plain->disconnect(q);
        plain->abort();
        plain->deleteLater();
        plain = nullptr;
    }
    engine.reset();
    mode = SslSocket::UnencryptedMode;
    plainIn.resize(0);
    plainInPos = 0;
    writeBuffer.resize(0);
    writeBufferPos = 0;
    sslErrors.clear();
    encryptionFailure = SslSocket::NoEncryptionFailure;
    autoStartHandshake = false;
    connectionEncrypted = false;
    handshakeFailed = false;
    pendingClose = false;
    paused = false;
    streamEndReported = false;
    abortCalled = false;
    localCloseStarted = false;
    closeAfterFlush = false;
    plaintextConsumed = false;
}

void SslSocketPrivate::createPlainSocket()
{
    plain = new QTcpSocket(q);
#ifndef QT_NO_NETWORKPROXY
    plain->setProxy(q->proxy());
#endif
    plain->setReadBufferSize(readBufferMaxSize);
    for (auto it = pendingSocketOptions.cbegin(); it != pendingSocketOptions.cend(); ++it)
        plain->setSocketOption(QAbstractSocket::SocketOption(it.key()), it.value());
    // Direct connections: the handshake and decryption progress inside the inner socket's
    // signal emission, which is what makes the waitFor*() functions work without a loop.
    const auto direct = Qt::DirectConnection;
    QObject::connect(
        plain, &QAbstractSocket::connected, q, [this] { onPlainConnected(); }, direct);
    QObject::connect(plain, &QAbstractSocket::hostFound, q, &QAbstractSocket::hostFound, direct);
    QObject::connect(
        plain, &QAbstractSocket::stateChanged, q,
        [this](QAbstractSocket::SocketState s) { onPlainStateChanged(s); }, direct);
    QObject::connect(
        plain, &QAbstractSocket::errorOccurred, q,
        [this](QAbstractSocket::SocketError e) { onPlainError(e); }, direct);
    QObject::connect(
        plain, &QIODevice::readyRead, q, [this] { onPlainReadyRead(); }, direct);
    QObject::connect(
        plain, &QIODevice::bytesWritten, q,
        [this](qint64 written) { onPlainBytesWritten(written); }, direct);
    QObject::connect(
        plain, &QAbstractSocket::disconnected, q, [this] { onPlainDisconnected(); }, direct);
#ifndef QT_NO_NETWORKPROXY
    QObject::connect(plain, &QAbstractSocket::proxyAuthenticationRequired, q,
                     &QAbstractSocket::proxyAuthenticationRequired, direct);
#endif
}

void SslSocket::connectToHost(const QString &hostName, quint16 port, OpenMode openMode,
                              NetworkLayerProtocol protocol)
{
    if (state() == ConnectedState || state() == ConnectingState || state() == HostLookupState) {
        qCWarning(lcMailwireTls, "SslSocket::connectToHost() called while already connecting");
        return;
    }
    const bool autoStart = d->autoStartHandshake;
    d->resetForNewConnection();
    d->autoStartHandshake = autoStart;
    d->createPlainSocket();
    setPeerName(hostName);
    setPeerPort(port);
    setSocketError(UnknownSocketError);
    setErrorString(QString());
    QIODevice::open(openMode);
    // The inner socket stays buffered even for an Unbuffered caller: it must notice the
    // peer's FIN, and our own buffers already give the caller unbuffered semantics.
    d->plain->connectToHost(hostName, port, openMode & ~QIODevice::Unbuffered, protocol);
}

void SslSocket::connectToHostEncrypted(const QString &hostName, quint16 port, OpenMode mode,
                                       NetworkLayerProtocol protocol)
{
    connectToHostEncrypted(hostName, port, QString(), mode, protocol);
}

void SslSocket::connectToHostEncrypted(const QString &hostName, quint16 port,
                                       const QString &sslPeerName, OpenMode mode,
                                       NetworkLayerProtocol protocol)
{
    if (state() != UnconnectedState) {
        qCWarning(lcMailwireTls, "SslSocket::connectToHostEncrypted() called when not unconnected");
        return;
    }
    if (!sslPeerName.isEmpty())
        d->verificationPeerName = sslPeerName;
    d->autoStartHandshake = true;
    connectToHost(hostName, port, mode, protocol);
}

bool SslSocket::setSocketDescriptor(qintptr socketDescriptor, SocketState socketState,
                                    OpenMode openMode)
{
    d->resetForNewConnection();
    d->createPlainSocket();
    const bool ok = d->plain->setSocketDescriptor(socketDescriptor, socketState,
                                                  openMode & ~QIODevice::Unbuffered);
    setSocketError(d->plain->error());
    setErrorString(d->plain->errorString());
    setSocketState(d->plain->state());
    setLocalPort(d->plain->localPort());
    setLocalAddress(d->plain->localAddress());
    setPeerPort(d->plain->peerPort());
    setPeerAddress(d->plain->peerAddress());
    setPeerName(d->plain->peerName());
    if (ok)
        QIODevice::open(openMode);
    return ok;
}

void SslSocket::setSocketOption(QAbstractSocket::SocketOption option, const QVariant &value)
{
    d->pendingSocketOptions.insert(int(option), value);
    if (d->plain)
        d->plain->setSocketOption(option, value);
}

QVariant SslSocket::socketOption(QAbstractSocket::SocketOption option)
{
    if (d->plain)
        return d->plain->socketOption(option);
    return d->pendingSocketOptions.value(int(option));
}

void SslSocketPrivate::onPlainConnected()
{
    q->setLocalPort(plain->localPort());
    q->setLocalAddress(plain->localAddress());
    q->setPeerPort(plain->peerPort());
    q->setPeerAddress(plain->peerAddress());
    // As QSslSocket: the handshake starts (modeChanged) before connected() is emitted.
    // Data written before the handshake waits in writeBuffer until encrypted().
    const bool startHandshake = autoStartHandshake;
    if (startHandshake) {
        autoStartHandshake = false; // startClientEncryption() takes over from here
        q->startClientEncryption();
    }
    emit q->connected();
    if (pendingClose && !startHandshake) {
        pendingClose = false;
        q->disconnectFromHost();
    }
}

// NOLINTNEXTLINE(readability-make-member-function-const): changes the socket through q
void SslSocketPrivate::onPlainStateChanged(QAbstractSocket::SocketState newState)
{
    // Unconnected is announced by onPlainDisconnected(), after the last bytes are decrypted.
    if (newState == QAbstractSocket::UnconnectedState && mode != SslSocket::UnencryptedMode
        && engine)
        return;
    if (q->state() == newState)
        return;
    q->setSocketState(newState);
    emit q->stateChanged(newState);
}

void SslSocketPrivate::onPlainError(QAbstractSocket::SocketError error)
{
    if (error == QAbstractSocket::RemoteHostClosedError && engine && !localCloseStarted) {
        // Decrypt what is left first; then report close_notify or truncation, not a bare
        // TCP close.
        drainAfterTransportEnd();
        return;
    }
    setErrorAndEmit(error, plain->errorString());
}

void SslSocketPrivate::onPlainReadyRead()
{
    if (isPlainPassThrough() && !engine) {
        if (readyReadEmittedPointer)
            *readyReadEmittedPointer = true;
        emit q->readyRead();
        return;
    }
    if (!paused)
        pump();
}

void SslSocketPrivate::onPlainBytesWritten(qint64 written)
{
    if (mode == SslSocket::UnencryptedMode)
        emit q->bytesWritten(written);
    else
        emit q->encryptedBytesWritten(written);
    if (closeAfterFlush && plain && plain->bytesToWrite() == 0)
        disconnectPlainWhenFlushed();
}

void SslSocketPrivate::onPlainDisconnected()
{
    if (engine && !localCloseStarted)
        drainAfterTransportEnd();
    if (q->state() != QAbstractSocket::UnconnectedState) {
        q->setSocketState(QAbstractSocket::UnconnectedState);
        emit q->stateChanged(QAbstractSocket::UnconnectedState);
    }
    // ignoreSslErrors() lasts for one connection: it may be called before connecting (as
    // the reference says) but must not silently carry over to the next one.
    ignoreAllSslErrors = false;
    ignoreErrorsList.clear();
    emit q->disconnected();
}

void SslSocketPrivate::setErrorAndEmit(QAbstractSocket::SocketError code, const QString &text)
{
    // A slot connected to errorOccurred() may call back into the socket; don't recurse.
    if (inSetAndEmitError)
        return;
    inSetAndEmitError = true;
    qCDebug(lcMailwireTls) << "error" << code << text;
    q->setSocketError(code);
    q->setErrorString(text);
    emit q->errorOccurred(code);
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    emit q->QAbstractSocket::error(code); // the Qt 5 name, still connected by older code
    QT_WARNING_POP
    inSetAndEmitError = false;
}

void SslSocket::disconnectFromHost()
{
    if (!d->plain || state() == UnconnectedState)
        return;
    if (d->isPlainPassThrough() && !d->engine) {
        d->plain->disconnectFromHost();
        return;
    }
    if (state() <= ConnectingState
        || (d->engine && !d->connectionEncrypted && !d->handshakeFailed)) {
        d->pendingClose = true; // closes once connected / encrypted (or on failure)
        return;
    }
    if (state() != ClosingState) {
        setSocketState(ClosingState);
        emit stateChanged(ClosingState);
    }
    if (d->writeBufferPos < d->writeBuffer.size()) {
        d->pendingClose = true; // the pump closes after the last byte is encrypted
        d->scheduleFlush();
        return;
    }
    d->sendCloseNotifyAndDisconnect();
}

void SslSocket::close()
{
    if (d->connectionEncrypted && !d->abortCalled)
        flush();
    if (d->plain) {
        d->localCloseStarted = true;
        if (d->abortCalled) {
            d->plain->abort();
        } else {
            if (d->engine && d->connectionEncrypted)
                d->sendCloseNotifyAndDisconnect();
            d->plain->close();
        }
    }
    QTcpSocket::close(); // closes the QIODevice (dropping its buffer) and our state
    d->plainIn.resize(0);
    d->plainInPos = 0;
    d->writeBuffer.resize(0);
    d->writeBufferPos = 0;
    d->abortCalled = false;
}

void SslSocket::abort()
{
    d->abortCalled = true;
    d->pendingClose = false;
    close();
}

bool SslSocket::flush()
{
    if (!d->plain)
        return false;
    if (d->isPlainPassThrough() && !d->engine)
        return d->plain->flush();
    const qint64 before = d->plain->bytesToWrite() + d->writeBuffer.size() - d->writeBufferPos;
    d->pump();
    const bool wrote = d->plain->flush();
    return wrote || before != d->plain->bytesToWrite() + d->writeBuffer.size() - d->writeBufferPos;
}

void SslSocket::resume()
{
    if (!d->paused)
        return;
    // Continuing may emit signals; do it from the event loop, as QSslSocket does.
    QMetaObject::invokeMethod(
        this, [this] { d->resumeAfterPause(); }, Qt::QueuedConnection);
}

bool SslSocket::waitForConnected(int msecs)
{
    if (!d->plain)
        return false;
    if (state() == ConnectedState || state() == ClosingState)
        return true;
    const bool ok = d->plain->waitForConnected(msecs);
    if (!ok) {
        setSocketError(d->plain->error());
        setErrorString(d->plain->errorString());
    }
    return ok && state() == ConnectedState;
}

bool SslSocket::waitForEncrypted(int msecs)
{
    if (!d->plain || d->connectionEncrypted)
        return false;
    if (d->mode == UnencryptedMode && !d->autoStartHandshake)
        return false;
    QDeadlineTimer deadline(msecs);
    if (d->plain->state() != ConnectedState && !d->plain->waitForConnected(msecs))
        return false;
    while (!d->connectionEncrypted) {
        if (d->mode == UnencryptedMode)
            startClientEncryption();
        if (d->handshakeFailed || d->paused || !d->engine || state() != ConnectedState)
            return false;
        d->pump(); // ciphertext may already be waiting in the inner socket
        if (d->connectionEncrypted)
            break;
        if (d->handshakeFailed || state() != ConnectedState)
            return false;
        if (!d->plain->waitForReadyRead(remainingMs(deadline))) {
            if (!d->connectionEncrypted && d->plain->error() == SocketTimeoutError) {
                setSocketError(SocketTimeoutError);
                setErrorString(tr("Timed out waiting for the TLS handshake"));
            }
            break;
        }
    }
    return d->connectionEncrypted;
}

bool SslSocket::waitForReadyRead(int msecs)
{
    if (!d->plain || state() == UnconnectedState)
        return false;
    if (d->isPlainPassThrough() && !d->engine) {
        bool readyReadEmitted = false;
        bool *previous = d->readyReadEmittedPointer;
        d->readyReadEmittedPointer = &readyReadEmitted;
        const bool ok = d->plain->waitForReadyRead(msecs);
        d->readyReadEmittedPointer = previous;
        if (previous && readyReadEmitted)
            *previous = true;
        return ok || readyReadEmitted;
    }
    bool readyReadEmitted = false;
    bool *previous = d->readyReadEmittedPointer;
    d->readyReadEmittedPointer = &readyReadEmitted;
    QDeadlineTimer deadline(msecs);
    if (!d->connectionEncrypted && !waitForEncrypted(msecs)) {
        d->readyReadEmittedPointer = previous;
        return readyReadEmitted;
    }
    d->pump();
    while (!readyReadEmitted && state() != UnconnectedState) {
        if (!d->plain->waitForReadyRead(remainingMs(deadline)))
            break;
    }
    d->readyReadEmittedPointer = previous;
    if (previous && readyReadEmitted)
        *previous = true;
    return readyReadEmitted;
}

bool SslSocket::waitForBytesWritten(int msecs)
{
    if (!d->plain)
        return false;
    if (d->isPlainPassThrough() && !d->engine)
        return d->plain->waitForBytesWritten(msecs);
    QDeadlineTimer deadline(msecs);
    if (!d->connectionEncrypted && !waitForEncrypted(msecs))
        return false;
    // The pump may encrypt and hand everything to the kernel at once; bytesWritten() was
    // then emitted here and there is nothing left to wait for.
    const qint64 pendingCleartext = d->writeBuffer.size() - d->writeBufferPos;
    d->pump();
    if (pendingCleartext > 0 && d->writeBuffer.size() - d->writeBufferPos < pendingCleartext
        && d->plain->bytesToWrite() == 0)
        return true;
    return d->plain->waitForBytesWritten(remainingMs(deadline));
}

bool SslSocket::waitForDisconnected(int msecs)
{
    if (!d->plain || state() == UnconnectedState) {
        qCWarning(lcMailwireTls,
                  "SslSocket::waitForDisconnected() is not allowed in UnconnectedState");
        return false;
    }
    QDeadlineTimer deadline(msecs);
    if (d->mode != UnencryptedMode && !d->connectionEncrypted && !waitForEncrypted(msecs))
        return false;
    d->pump();
    const bool ok = d->plain->waitForDisconnected(remainingMs(deadline));
    if (!ok) {
        setSocketError(d->plain->error());
        setErrorString(d->plain->errorString());
    }
    return ok || state() == UnconnectedState;
}

} // namespace mailwire
