// SPDX-License-Identifier: LGPL-3.0-or-later
// SessionBase: the connection, the shared STARTTLS upgrade machine and its security rules.
#include <mailwire/session_base.h>

#include <mailwire/ssl_socket.h>

#include "command_pipeline_p.h"
#include "logging_p.h"
#include "reply_p.h"
#include "session_base_p.h"

namespace mailwire {

namespace {

QString describeSslErrors(const QList<QSslError> &errors)
{
    QStringList texts;
    for (const QSslError &error : errors)
        texts << error.errorString();
    texts.removeDuplicates();
    return texts.join(QLatin1String("; "));
}

const QLoggingCategory &protocolLog(const SessionBasePrivate &d)
{
    return d.protocolLog ? *d.protocolLog : detail::lcSession();
}

} // namespace

SessionBase::SessionBase(QObject *parent)
    : QObject(parent), d(std::make_unique<SessionBasePrivate>())
{
    d->phaseTimer.setSingleShot(true);
    connect(&d->phaseTimer, &QTimer::timeout, this, [this] { onPhaseTimeout(); });
}

SessionBase::~SessionBase()
{
    if (d->socket) {
        d->socket->disconnect(this);
        d->socket->abort();
    }
}

void SessionBase::setSettings(const ConnectionSettings &settings) { d->settings = settings; }

const ConnectionSettings &SessionBase::settings() const { return d->settings; }

void SessionBase::setTranscriptSink(TranscriptSink *sink) { d->transcript = sink; }

void SessionBase::setProtocolLogCategory(const QLoggingCategory &category)
{
    d->protocolLog = &category;
}

SessionBase::State SessionBase::state() const { return d->state; }

const Capabilities &SessionBase::capabilities() const { return d->capabilities; }

Error SessionBase::lastError() const { return d->lastError; }

int SessionBase::roundTrips() const { return d->roundTrips; }

void SessionBase::countRoundTrip() { ++d->roundTrips; }

bool SessionBase::readingFrozen() const { return d->readingFrozen; }

void SessionBase::retireConnectionEvents() { ++d->generation; }

SslSocket *SessionBase::socket() const { return d->socket; }

bool SessionBase::isEncrypted() const { return d->socket && d->socket->isEncrypted(); }

QSslCipher SessionBase::sessionCipher() const
{
    return d->socket ? d->socket->sessionCipher() : QSslCipher();
}

QSsl::SslProtocol SessionBase::sessionProtocol() const
{
    return d->socket ? d->socket->sessionProtocol() : QSsl::UnknownProtocol;
}

QSslCertificate SessionBase::peerCertificate() const
{
    return d->socket ? d->socket->peerCertificate() : QSslCertificate();
}

QList<QSslError> SessionBase::sslErrors() const
{
    return d->socket ? d->socket->sslErrors() : QList<QSslError>();
}

void SessionBase::setState(State state)
{
    if (d->state == state)
        return;
    qCDebug(detail::lcSession) << "state" << state;
    d->state = state;
    emit stateChanged(state);
}

void SessionBase::setCapabilities(const Capabilities &capabilities)
{
    d->capabilities = capabilities;
    emit capabilitiesChanged();
}

Reply *SessionBase::startConnection()
{
    auto *reply = new Reply(this);
    if (d->state != State::Disconnected && d->state != State::Failed) {
        ReplyPrivate::fail(reply,
                           Error(Error::Code::InvalidArgument,
                                 tr("The session is already connected or connecting")));
        return reply;
    }
    if (d->settings.host.isEmpty()) {
        ReplyPrivate::fail(reply, Error(Error::Code::InvalidArgument, tr("No host given")));
        return reply;
    }
    if (d->socket) {
        d->socket->disconnect(this);
        d->socket->abort();
        d->socket->deleteLater();
    }
    d->connectReply = reply;
    d->lastError = Error();
    d->capabilities.clear();
    d->roundTrips = 0;
    d->readingFrozen = false;
    d->upgraded = false;
    d->preauthenticated = false;
    d->closeExpected = false;
    d->closeAcknowledged = false;
    d->dispatchResumePosted = false;
    d->sendProgressPosted = false;
    d->bytesQueued = 0;
    retireConnectionEvents();
    resetProtocol();

    d->socket = new SslSocket(this);
    d->socket->setSslConfiguration(d->settings.ssl);
    d->socket->setProxy(d->settings.proxy);
    if (!d->settings.peerVerifyName.isEmpty())
        d->socket->setPeerVerifyName(d->settings.peerVerifyName);
    if (!d->settings.ignoredSslErrors.isEmpty())
        d->socket->ignoreSslErrors(d->settings.ignoredSslErrors);
    // Queued: the socket emits these from inside its pump, and whatever the session does
    // next reaches the application (reply finished(), exists(), ...). A slot there that
    // waits (Reply::waitForFinished()) needs the pump free to send its command and read
    // the answer; called directly it would find the pump busy and stall until its timeout.
    // One queue keeps the order (data before the error or close that follows it), and
    // events of a connection already given up carry a stale generation.
    const quint64 generation = d->generation;
    const auto queued = [this, generation](void (SessionBase::*handler)()) {
        return [this, generation, handler] {
            if (generation == d->generation)
                (this->*handler)();
        };
    };
    connect(d->socket, &QAbstractSocket::connected, this, queued(&SessionBase::onSocketConnected),
            Qt::QueuedConnection);
    connect(d->socket, &SslSocket::encrypted, this, queued(&SessionBase::onSocketEncrypted),
            Qt::QueuedConnection);
    connect(d->socket, &QIODevice::readyRead, this, queued(&SessionBase::onSocketReadyRead),
            Qt::QueuedConnection);
    connect(d->socket, &QAbstractSocket::errorOccurred, this, queued(&SessionBase::onSocketError),
            Qt::QueuedConnection);
    connect(d->socket, &QAbstractSocket::disconnected, this,
            queued(&SessionBase::onSocketDisconnected), Qt::QueuedConnection);
    // Bytes leaving count as transfer for Timeouts::minimumTransferRate (a large APPEND):
    // on the wire, which is encryptedBytesWritten once TLS is on.
    connect(d->socket, &SslSocket::encryptedBytesWritten, this,
            [this](qint64 bytes) { onSocketBytesWritten(bytes); });
    connect(d->socket, &QIODevice::bytesWritten, this, [this](qint64 bytes) {
        if (d->socket && d->socket->mode() == SslSocket::UnencryptedMode)
            onSocketBytesWritten(bytes);
    });

    const quint16 port = d->settings.port ? d->settings.port : defaultPort(d->settings.tlsMode);
    setState(State::Connecting);
    startPhaseTimer(d->settings.timeouts.connectMs);
    if (d->settings.tlsMode == TlsMode::ImplicitTls)
        d->socket->connectToHostEncrypted(d->settings.host, port);
    else
        d->socket->connectToHost(d->settings.host, port);
    return reply;
}

void SessionBase::onSocketConnected()
{
    d->roundTrips = 1; // connect and greeting; each request the protocol sends adds one
    if (d->settings.tlsMode == TlsMode::ImplicitTls) {
        startPhaseTimer(d->settings.timeouts.handshakeMs); // the greeting follows encrypted()
        return;
    }
    setState(State::AwaitingGreeting);
    startPhaseTimer(d->settings.timeouts.greetingMs);
}

void SessionBase::onSocketEncrypted()
{
    logMarker(QStringLiteral("TLS established: %1, %2")
                  .arg(d->socket->sessionProtocol() == QSsl::TlsV1_3 ? QStringLiteral("TLS 1.3")
                                                                     : QStringLiteral("TLS 1.2"),
                       d->socket->sessionCipher().name()));
    emit encrypted();
    if (d->settings.tlsMode == TlsMode::ImplicitTls) {
        setState(State::AwaitingGreeting);
        startPhaseTimer(d->settings.timeouts.greetingMs);
        return;
    }
    // STARTTLS done: a new protocol stream starts here (RFC 3207 §4.2, RFC 2595 §3.1,
    // RFC 3501 §6.2.1): everything learned before is forgotten and asked again.
    d->upgraded = true;
    d->readingFrozen = false;
    resetProtocol();
    setCapabilities(Capabilities());
    setState(State::AwaitingCapabilitiesAfterTls);
    startPhaseTimer(d->settings.timeouts.commandMs);
    requestCapabilities();
    if (d->socket && d->socket->bytesAvailable() > 0)
        onSocketReadyRead(); // what came while reading was frozen
}

void SessionBase::onSocketReadyRead()
{
    if (!d->socket)
        return;
    // Everything the socket holds is handed to the protocol's parser, 16 KiB at a time, so
    // the socket's read buffer does not grow while the session runs; what a server can make
    // the session hold is bounded by the parser (Limits), not here. While reading is frozen
    // (between the upgrade reply and the handshake) bytes stay in the socket, which fails
    // the handshake if any are there (rule 2).
    char buffer[16 * 1024];
    while (d->socket && d->socket->bytesAvailable() > 0 && !d->readingFrozen
           && d->state != State::Failed) {
        const qint64 got = d->socket->read(buffer, sizeof buffer);
        if (got <= 0)
            break;
        // Counted, never a restart of the deadline: a trickle must not extend it.
        d->transferred += got;
        feed(buffer, got);
    }
}

void SessionBase::onSocketBytesWritten(qint64 bytes)
{
    d->transferred += bytes;
    if (d->sendProgressPosted)
        return;
    // Called from inside the socket's pump: the protocol reports progress to the
    // application from the event loop instead (see prepareDispatch()).
    d->sendProgressPosted = true;
    const quint64 generation = d->generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            d->sendProgressPosted = false;
            if (generation == d->generation && d->state != State::Failed)
                sendProgressed();
        },
        Qt::QueuedConnection);
}

qint64 SessionBase::bytesQueued() const { return d->bytesQueued; }

qint64 SessionBase::bytesSent() const
{
    const qint64 pending = d->socket ? d->socket->bytesToWrite() : 0;
    return qMax<qint64>(0, d->bytesQueued - pending);
}

void SessionBase::prepareDispatch()
{
    if (d->dispatchResumePosted)
        return;
    d->dispatchResumePosted = true;
    // Normally this runs after the current batch, finds nothing buffered and ends. Inside
    // a nested event loop it carries on with the replies the suspended caller had not
    // reached yet, oldest first.
    const quint64 generation = d->generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            d->dispatchResumePosted = false;
            if (generation != d->generation || d->readingFrozen || d->state == State::Failed)
                return;
            feed(nullptr, 0);
            onSocketReadyRead();
        },
        Qt::QueuedConnection);
}

bool SessionBase::isBeforeUpgrade() const
{
    return d->settings.tlsMode == TlsMode::StartTls && !d->upgraded;
}

void SessionBase::greetingReceived(Greeting greeting, const QString &text,
                                   const Capabilities *capabilities)
{
    if (d->state != State::AwaitingGreeting)
        return fail(Error(Error::Code::ProtocolError, tr("Unexpected greeting"), text));
    if (greeting == Greeting::Rejected)
        return fail(Error(Error::Code::BadGreeting, tr("The server refused the connection"), text));
    if (greeting == Greeting::Preauthenticated) {
        // RFC 3501 §6.2.1 / Trojita: PREAUTH makes STARTTLS impossible; continuing would
        // mean talking in plaintext to whoever answered.
        if (d->settings.tlsMode == TlsMode::StartTls && !isEncrypted())
            return fail(Error(Error::Code::PreauthBeforeTls,
                              tr("The server greeted with PREAUTH before TLS; refusing to "
                                 "continue without encryption"),
                              text));
        d->preauthenticated = true;
    }
    // Capabilities in a plaintext greeting are only used to decide on the upgrade; they
    // are dropped with everything else once TLS is up.
    if (capabilities && !capabilities->isEmpty())
        return handleCapabilities(*capabilities);
    setState(State::AwaitingCapabilities);
    startPhaseTimer(d->settings.timeouts.commandMs);
    requestCapabilities();
}

void SessionBase::capabilitiesReceived(const Capabilities &capabilities)
{
    if (d->state == State::AwaitingCapabilities || d->state == State::AwaitingCapabilitiesAfterTls)
        return handleCapabilities(capabilities);
    setCapabilities(capabilities); // a refresh (after authentication, or unsolicited)
}

void SessionBase::capabilitiesRefused(const QString &serverText)
{
    if (d->state != State::AwaitingCapabilities && d->state != State::AwaitingCapabilitiesAfterTls)
        return fail(Error(Error::Code::ProtocolError,
                          tr("Unexpected answer to the capability query"), serverText));
    if (isBeforeUpgrade())
        return fail(Error(Error::Code::StartTlsNotOffered,
                          tr("The server lists no capabilities, so it cannot be known to offer "
                             "STARTTLS, and TLS is required"),
                          serverText));
    handleCapabilities(Capabilities());
}

void SessionBase::handleCapabilities(const Capabilities &capabilities)
{
    setCapabilities(capabilities);
    const bool needsUpgrade = d->settings.tlsMode == TlsMode::StartTls && !d->upgraded;
    if (!needsUpgrade)
        return finishConnect();
    if (!offersUpgrade(capabilities))
        return fail(Error(Error::Code::StartTlsNotOffered,
                          tr("The server does not offer STARTTLS, and TLS is required")));
    setState(State::AwaitingUpgradeReply);
    startPhaseTimer(d->settings.timeouts.commandMs);
    requestUpgrade();
}

void SessionBase::upgradeReplyReceived(bool accepted, const QString &text)
{
    if (d->state != State::AwaitingUpgradeReply)
        return fail(Error(Error::Code::ProtocolError, tr("Unexpected reply to STARTTLS"), text));
    if (!accepted)
        return fail(Error(Error::Code::StartTlsRefused, tr("The server refused STARTTLS"), text));
    // Nothing may follow the positive reply before our ClientHello (rule 2): bytes the
    // parser already holds are an injection. SslSocket checks its own buffers too.
    d->readingFrozen = true;
    const qint64 residue = parserResidue();
    if (residue > 0)
        return fail(Error(Error::Code::PlaintextAfterUpgrade,
                          tr("The server sent %1 byte(s) after accepting STARTTLS and before "
                             "the TLS handshake (possible injection)")
                              .arg(residue)));
    setCapabilities(Capabilities()); // RFC 3207 §4.2: forget what was learned in plaintext
    setState(State::Handshaking);
    startPhaseTimer(d->settings.timeouts.handshakeMs);
    logMarker(QStringLiteral("TLS handshake"));
    countRoundTrip();
    d->socket->startClientEncryption();
}

void SessionBase::finishConnect()
{
    setState(d->preauthenticated ? State::Authenticated : State::Connected);
    d->phaseTimer.stop();
    // Commands the application queued while connecting were waiting for this. Usually the
    // capability reply completes here and its completion moves the queue on; a greeting
    // that carried the capabilities completes no command, so nothing else would.
    if (d->pipeline)
        d->pipeline->sendNext();
    if (d->connectReply)
        ReplyPrivate::finish(d->connectReply);
}

void SessionBase::setAuthenticated() { setState(State::Authenticated); }

void SessionBase::expectClose()
{
    d->closeExpected = true;
    setState(State::Closing);
}

void SessionBase::closeAcknowledged()
{
    d->closeExpected = true;
    d->closeAcknowledged = true;
}

void SessionBase::fail(const Error &failure)
{
    if (d->state == State::Failed)
        return;
    // Before TLS anyone on the path could have written the server's words (invariant 8).
    const Error error = isBeforeUpgrade() && !failure.serverText().isEmpty()
        ? failure.withUnverifiedServerText()
        : failure;
    if (error.code() != Error::Code::Cancelled)
        qCInfo(detail::lcSession) << "session failed:" << error.toString();
    d->lastError = error;
    d->phaseTimer.stop();
    d->readingFrozen = true;
    retireConnectionEvents();
    if (d->socket) {
        d->socket->disconnect(this);
        d->socket->abort();
    }
    setState(State::Failed);
    failPendingCommands(error);
    if (d->connectReply)
        ReplyPrivate::fail(d->connectReply, error);
    emit errorOccurred(error);
}

void SessionBase::abort()
{
    if (d->state == State::Disconnected || d->state == State::Failed)
        return;
    fail(Error(Error::Code::Cancelled, tr("The session was aborted")));
}

Error SessionBase::socketErrorAsError() const
{
    const QString text = d->socket ? d->socket->errorString() : QString();
    const QAbstractSocket::SocketError code =
        d->socket ? d->socket->error() : QAbstractSocket::UnknownSocketError;
    switch (code) {
    case QAbstractSocket::SslHandshakeFailedError: {
        const QList<QSslError> errors = d->socket->sslErrors();
        if (!errors.isEmpty())
            return Error(
                Error::Code::CertificateRejected,
                tr("The server's certificate was rejected: %1").arg(describeSslErrors(errors)));
        return Error(Error::Code::TlsHandshakeFailed, tr("TLS handshake failed: %1").arg(text));
    }
    case QAbstractSocket::SslInvalidUserDataError:
        // The cause as a value: errorString() is translated.
        if (d->socket->encryptionFailure() == SslSocket::UnreadPlaintextBeforeHandshake)
            return Error(Error::Code::PlaintextAfterUpgrade,
                         tr("The server sent data after accepting STARTTLS and before the "
                            "TLS handshake (possible injection): %1")
                             .arg(text));
        return Error(Error::Code::TlsHandshakeFailed,
                     tr("Invalid TLS configuration: %1").arg(text));
    case QAbstractSocket::RemoteHostClosedError:
    case QAbstractSocket::SslInternalError:
        if (d->state == State::Handshaking || d->state == State::Connecting)
            return Error(Error::Code::TlsHandshakeFailed, tr("TLS handshake failed: %1").arg(text));
        // Over TLS a clean end is close_notify (RemoteHostClosedError); SslInternalError
        // is the stream ending without it, or breaking: what was due may be cut off.
        if (code == QAbstractSocket::SslInternalError && d->socket->isEncrypted())
            return Error(Error::Code::ConnectionTruncated,
                         tr("The connection ended without a TLS close_notify; data may have "
                            "been cut off: %1")
                             .arg(text));
        return Error(Error::Code::ConnectionClosed,
                     tr("The server closed the connection: %1").arg(text));
    default: return Error(Error::Code::ConnectionFailed, tr("Connection failed: %1").arg(text));
    }
}

void SessionBase::onSocketError()
{
    if (!d->socket || d->state == State::Failed)
        return;
    // The server answered LOGOUT/QUIT by closing, as it should. Once it confirmed, how
    // the stream ends (close_notify or not) no longer matters: nothing more was due.
    if (d->closeAcknowledged)
        return;
    if (d->closeExpected && d->socket->error() == QAbstractSocket::RemoteHostClosedError)
        return;
    fail(socketErrorAsError());
}

void SessionBase::onSocketDisconnected()
{
    if (d->state == State::Failed)
        return;
    if (d->closeExpected) {
        d->phaseTimer.stop();
        retireConnectionEvents();
        failPendingCommands(Error(Error::Code::ConnectionClosed, tr("The session was closed")));
        setState(State::Disconnected);
        return;
    }
    fail(Error(Error::Code::ConnectionClosed, tr("The server closed the connection")));
}

void SessionBase::startPhaseTimer(int msecs)
{
    d->transferred = 0;
    if (msecs > 0)
        d->phaseTimer.start(msecs);
    else
        d->phaseTimer.stop();
}

bool SessionBase::inCommandPhase() const
{
    // Before Connected the upgrade machine owns the timer (greeting, handshake...): a
    // command completing there must not stop or stretch the phase's own deadline.
    return d->state == State::Connected || d->state == State::Authenticating
        || d->state == State::Authenticated || d->state == State::Closing
        || d->state == State::AwaitingCapabilities || d->state == State::AwaitingUpgradeReply
        || d->state == State::AwaitingCapabilitiesAfterTls;
}

void SessionBase::startCommandTimer()
{
    if (inCommandPhase())
        startPhaseTimer(d->settings.timeouts.commandMs);
}

void SessionBase::stopCommandTimer()
{
    if (d->state == State::Connected || d->state == State::Authenticating
        || d->state == State::Authenticated || d->state == State::Closing)
        d->phaseTimer.stop();
}

bool SessionBase::transferKeepsCommandAlive() const
{
    // Only a connected session's commands: the upgrade's phases are hard deadlines, and
    // what they wait for (a greeting, a capability list, a handshake) is small.
    const bool commandPhase = d->state == State::Connected || d->state == State::Authenticating
        || d->state == State::Authenticated || d->state == State::Closing;
    const qint64 rate = d->settings.timeouts.minimumTransferRate;
    const qint64 period = d->settings.timeouts.commandMs;
    if (!commandPhase || rate <= 0 || period <= 0)
        return false;
    const qint64 needed = qMax<qint64>(1, (rate * period + 999) / 1000);
    return d->transferred >= needed;
}

void SessionBase::onPhaseTimeout()
{
    if (transferKeepsCommandAlive()) {
        qCDebug(detail::lcSession)
            << "command deadline extended:" << d->transferred << "bytes moved in the last period";
        startPhaseTimer(d->settings.timeouts.commandMs);
        return;
    }
    QString what;
    switch (d->state) {
    case State::Connecting: what = tr("connecting"); break;
    case State::AwaitingGreeting: what = tr("waiting for the greeting"); break;
    case State::Handshaking: what = tr("in the TLS handshake"); break;
    case State::AwaitingCapabilities:
    case State::AwaitingCapabilitiesAfterTls: what = tr("waiting for capabilities"); break;
    case State::AwaitingUpgradeReply: what = tr("waiting for the STARTTLS reply"); break;
    default: what = tr("waiting for the server's reply"); break;
    }
    fail(Error(Error::Code::Timeout, tr("Timed out %1").arg(what)));
}

Error SessionBase::credentialsPolicy() const
{
    if (isEncrypted())
        return Error();
    if (d->settings.tlsMode == TlsMode::Plain && d->settings.allowPlaintextAuth)
        return Error();
    return Error(Error::Code::PlaintextAuthRefused,
                 tr("Refusing to send credentials over an unencrypted connection"));
}

void SessionBase::sendLine(const QByteArray &line, RedactionHint hint, const QByteArray &shown)
{
    if (!d->socket)
        return;
    logClientLine(line, hint, shown);
    d->bytesQueued += line.size() + 2;
    d->socket->write(line + "\r\n");
}

void SessionBase::sendRaw(const QByteArray &bytes, RedactionHint hint, const QByteArray &shown)
{
    if (!d->socket)
        return;
    logClientLine(bytes, hint, shown);
    d->bytesQueued += bytes.size();
    d->socket->write(bytes);
}

void SessionBase::logClientLine(const QByteArray &line, RedactionHint hint, const QByteArray &shown)
{
    if (!d->transcript && !protocolLog(*d).isDebugEnabled())
        return;
    // Redaction first: a large secret must not escape through the summary either.
    const QByteArray redacted = redactClientLine(line, hint);
    const QByteArray text = shown.isEmpty() || redacted != line ? redacted : shown;
    if (d->transcript)
        d->transcript->line(TranscriptSink::Direction::Client, text);
    qCDebug(protocolLog(*d)).noquote() << "C:" << text;
}

bool SessionBase::isLoggingServerLines() const
{
    return d->transcript || protocolLog(*d).isDebugEnabled();
}

void SessionBase::logServerLine(const QByteArray &line)
{
    if (d->transcript)
        d->transcript->line(TranscriptSink::Direction::Server, line);
    qCDebug(protocolLog(*d)).noquote() << "S:" << line;
}

void SessionBase::logMarker(const QString &event)
{
    if (d->transcript)
        d->transcript->marker(event);
}

} // namespace mailwire
