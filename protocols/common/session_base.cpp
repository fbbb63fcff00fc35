// SPDX-License-Identifier: LGPL-3.0-or-later
// SessionBase: the connection, the shared STARTTLS upgrade machine and its security rules.
#include <mailwire/session_base.h>

#include <mailwire/ssl_socket.h>

#include "logging_p.h"

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

} // namespace

SessionBase::SessionBase(QObject *parent) : QObject(parent)
{
    m_phaseTimer.setSingleShot(true);
    connect(&m_phaseTimer, &QTimer::timeout, this, [this] { onPhaseTimeout(); });
}

SessionBase::~SessionBase()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void SessionBase::setSettings(const ConnectionSettings &settings) { m_settings = settings; }

SslSocket *SessionBase::socket() const { return m_socket; }

bool SessionBase::isEncrypted() const { return m_socket && m_socket->isEncrypted(); }

QSslCipher SessionBase::sessionCipher() const
{
    return m_socket ? m_socket->sessionCipher() : QSslCipher();
}

QSsl::SslProtocol SessionBase::sessionProtocol() const
{
    return m_socket ? m_socket->sessionProtocol() : QSsl::UnknownProtocol;
}

QSslCertificate SessionBase::peerCertificate() const
{
    return m_socket ? m_socket->peerCertificate() : QSslCertificate();
}

QList<QSslError> SessionBase::sslErrors() const
{
    return m_socket ? m_socket->sslErrors() : QList<QSslError>();
}

void SessionBase::setState(State state)
{
    if (m_state == state)
        return;
    qCDebug(detail::lcSession) << "state" << state;
    m_state = state;
    emit stateChanged(state);
}

void SessionBase::setCapabilities(const Capabilities &capabilities)
{
    m_capabilities = capabilities;
    emit capabilitiesChanged();
}

Reply *SessionBase::startConnection()
{
    auto *reply = new Reply(this);
    if (m_state != State::Disconnected && m_state != State::Failed) {
        reply->finishWithError(Error(Error::Code::InvalidArgument,
                                     tr("The session is already connected or connecting")));
        return reply;
    }
    if (m_settings.host.isEmpty()) {
        reply->finishWithError(Error(Error::Code::InvalidArgument, tr("No host given")));
        return reply;
    }
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_connectReply = reply;
    m_lastError = Error();
    m_capabilities.clear();
    m_roundTrips = 0;
    m_readingFrozen = false;
    m_upgraded = false;
    m_preauthenticated = false;
    m_closeExpected = false;
    m_closeAcknowledged = false;
    m_dispatchResumePosted = false;
    retireConnectionEvents();
    resetProtocol();

    m_socket = new SslSocket(this);
    m_socket->setSslConfiguration(m_settings.ssl);
    m_socket->setProxy(m_settings.proxy);
    if (!m_settings.peerVerifyName.isEmpty())
        m_socket->setPeerVerifyName(m_settings.peerVerifyName);
    if (!m_settings.ignoredSslErrors.isEmpty())
        m_socket->ignoreSslErrors(m_settings.ignoredSslErrors);
    // Queued: the socket emits these from inside its pump, and whatever the session does
    // next reaches the application (reply finished(), exists(), ...). A slot there that
    // waits (Reply::waitForFinished()) needs the pump free to send its command and read
    // the answer; called directly it would find the pump busy and stall until its timeout.
    // One queue keeps the order (data before the error or close that follows it), and
    // events of a connection already given up carry a stale generation.
    const quint64 generation = m_generation;
    const auto queued = [this, generation](void (SessionBase::*handler)()) {
        return [this, generation, handler] {
            if (generation == m_generation)
                (this->*handler)();
        };
    };
    connect(m_socket, &QAbstractSocket::connected, this, queued(&SessionBase::onSocketConnected),
            Qt::QueuedConnection);
    connect(m_socket, &SslSocket::encrypted, this, queued(&SessionBase::onSocketEncrypted),
            Qt::QueuedConnection);
    connect(m_socket, &QIODevice::readyRead, this, queued(&SessionBase::onSocketReadyRead),
            Qt::QueuedConnection);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, queued(&SessionBase::onSocketError),
            Qt::QueuedConnection);
    connect(m_socket, &QAbstractSocket::disconnected, this,
            queued(&SessionBase::onSocketDisconnected), Qt::QueuedConnection);
    // Bytes leaving count as transfer for Timeouts::minimumTransferRate (a large APPEND):
    // on the wire, which is encryptedBytesWritten once TLS is on.
    connect(m_socket, &SslSocket::encryptedBytesWritten, this,
            [this](qint64 bytes) { onSocketBytesWritten(bytes); });
    connect(m_socket, &QIODevice::bytesWritten, this, [this](qint64 bytes) {
        if (m_socket && m_socket->mode() == SslSocket::UnencryptedMode)
            onSocketBytesWritten(bytes);
    });

    const quint16 port = m_settings.port ? m_settings.port : defaultPort(m_settings.tlsMode);
    setState(State::Connecting);
    startPhaseTimer(m_settings.timeouts.connectMs);
    if (m_settings.tlsMode == TlsMode::ImplicitTls)
        m_socket->connectToHostEncrypted(m_settings.host, port);
    else
        m_socket->connectToHost(m_settings.host, port);
    return reply;
}

void SessionBase::onSocketConnected()
{
    m_roundTrips = 1; // connect and greeting; each request the protocol sends adds one
    if (m_settings.tlsMode == TlsMode::ImplicitTls) {
        startPhaseTimer(m_settings.timeouts.handshakeMs); // the greeting follows encrypted()
        return;
    }
    setState(State::AwaitingGreeting);
    startPhaseTimer(m_settings.timeouts.greetingMs);
}

void SessionBase::onSocketEncrypted()
{
    logMarker(QStringLiteral("TLS established: %1, %2")
                  .arg(m_socket->sessionProtocol() == QSsl::TlsV1_3 ? QStringLiteral("TLS 1.3")
                                                                    : QStringLiteral("TLS 1.2"),
                       m_socket->sessionCipher().name()));
    emit encrypted();
    if (m_settings.tlsMode == TlsMode::ImplicitTls) {
        setState(State::AwaitingGreeting);
        startPhaseTimer(m_settings.timeouts.greetingMs);
        return;
    }
    // STARTTLS done: a new protocol stream starts here (RFC 3207 §4.2, RFC 2595 §3.1,
    // RFC 3501 §6.2.1): everything learned before is forgotten and asked again.
    m_upgraded = true;
    m_readingFrozen = false;
    resetProtocol();
    setCapabilities(Capabilities());
    setState(State::AwaitingCapabilitiesAfterTls);
    startPhaseTimer(m_settings.timeouts.commandMs);
    requestCapabilities();
    if (m_socket && m_socket->bytesAvailable() > 0)
        onSocketReadyRead(); // what came while reading was frozen
}

void SessionBase::onSocketReadyRead()
{
    if (!m_socket)
        return;
    char buffer[16 * 1024];
    while (m_socket && m_socket->bytesAvailable() > 0 && !m_readingFrozen
           && m_state != State::Failed) {
        const qint64 got = m_socket->read(buffer, sizeof buffer);
        if (got <= 0)
            break;
        // Counted, never a restart of the deadline: a trickle must not extend it.
        m_transferred += got;
        feed(buffer, got);
    }
}

void SessionBase::onSocketBytesWritten(qint64 bytes) { m_transferred += bytes; }

void SessionBase::prepareDispatch()
{
    if (m_dispatchResumePosted)
        return;
    m_dispatchResumePosted = true;
    // Normally this runs after the current batch, finds nothing buffered and ends. Inside
    // a nested event loop it carries on with the replies the suspended caller had not
    // reached yet, oldest first.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            m_dispatchResumePosted = false;
            if (generation != m_generation || m_readingFrozen || m_state == State::Failed)
                return;
            feed(nullptr, 0);
            onSocketReadyRead();
        },
        Qt::QueuedConnection);
}

bool SessionBase::isBeforeUpgrade() const
{
    return m_settings.tlsMode == TlsMode::StartTls && !m_upgraded;
}

void SessionBase::greetingReceived(Greeting greeting, const QString &text,
                                   const Capabilities *capabilities)
{
    if (m_state != State::AwaitingGreeting)
        return fail(Error(Error::Code::ProtocolError, tr("Unexpected greeting"), text));
    if (greeting == Greeting::Rejected)
        return fail(Error(Error::Code::BadGreeting, tr("The server refused the connection"), text));
    if (greeting == Greeting::Preauthenticated) {
        // RFC 3501 §6.2.1 / Trojita: PREAUTH makes STARTTLS impossible; continuing would
        // mean talking in plaintext to whoever answered.
        if (m_settings.tlsMode == TlsMode::StartTls && !isEncrypted())
            return fail(Error(Error::Code::PreauthBeforeTls,
                              tr("The server greeted with PREAUTH before TLS; refusing to "
                                 "continue without encryption"),
                              text));
        m_preauthenticated = true;
    }
    // Capabilities in a plaintext greeting are only used to decide on the upgrade; they
    // are dropped with everything else once TLS is up.
    if (capabilities && !capabilities->isEmpty())
        return handleCapabilities(*capabilities);
    setState(State::AwaitingCapabilities);
    startPhaseTimer(m_settings.timeouts.commandMs);
    requestCapabilities();
}

void SessionBase::capabilitiesReceived(const Capabilities &capabilities)
{
    if (m_state == State::AwaitingCapabilities || m_state == State::AwaitingCapabilitiesAfterTls)
        return handleCapabilities(capabilities);
    setCapabilities(capabilities); // a refresh (after authentication, or unsolicited)
}

void SessionBase::handleCapabilities(const Capabilities &capabilities)
{
    setCapabilities(capabilities);
    const bool needsUpgrade = m_settings.tlsMode == TlsMode::StartTls && !m_upgraded;
    if (!needsUpgrade)
        return finishConnect();
    if (!offersUpgrade(capabilities))
        return fail(Error(Error::Code::StartTlsNotOffered,
                          tr("The server does not offer STARTTLS, and TLS is required")));
    setState(State::AwaitingUpgradeReply);
    startPhaseTimer(m_settings.timeouts.commandMs);
    requestUpgrade();
}

void SessionBase::upgradeReplyReceived(bool accepted, const QString &text)
{
    if (m_state != State::AwaitingUpgradeReply)
        return fail(Error(Error::Code::ProtocolError, tr("Unexpected reply to STARTTLS"), text));
    if (!accepted)
        return fail(Error(Error::Code::StartTlsRefused, tr("The server refused STARTTLS"), text));
    // Nothing may follow the positive reply before our ClientHello (rule 2): bytes the
    // parser already holds are an injection. SslSocket checks its own buffers too.
    m_readingFrozen = true;
    const qint64 residue = parserResidue();
    if (residue > 0)
        return fail(Error(Error::Code::PlaintextAfterUpgrade,
                          tr("The server sent %1 byte(s) after accepting STARTTLS and before "
                             "the TLS handshake (possible injection)")
                              .arg(residue)));
    setCapabilities(Capabilities()); // RFC 3207 §4.2: forget what was learned in plaintext
    setState(State::Handshaking);
    startPhaseTimer(m_settings.timeouts.handshakeMs);
    logMarker(QStringLiteral("TLS handshake"));
    countRoundTrip();
    m_socket->startClientEncryption();
}

void SessionBase::finishConnect()
{
    setState(m_preauthenticated ? State::Authenticated : State::Connected);
    m_phaseTimer.stop();
    if (m_connectReply)
        m_connectReply->finish();
}

void SessionBase::setAuthenticated() { setState(State::Authenticated); }

void SessionBase::expectClose()
{
    m_closeExpected = true;
    setState(State::Closing);
}

void SessionBase::closeAcknowledged()
{
    m_closeExpected = true;
    m_closeAcknowledged = true;
}

void SessionBase::fail(const Error &failure)
{
    if (m_state == State::Failed)
        return;
    // Before TLS anyone on the path could have written the server's words (invariant 8).
    const Error error = isBeforeUpgrade() && !failure.serverText().isEmpty()
        ? failure.withUnverifiedServerText()
        : failure;
    if (error.code() != Error::Code::Cancelled)
        qCInfo(detail::lcSession) << "session failed:" << error.toString();
    m_lastError = error;
    m_phaseTimer.stop();
    m_readingFrozen = true;
    retireConnectionEvents();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    setState(State::Failed);
    failPendingCommands(error);
    if (m_connectReply)
        m_connectReply->finishWithError(error);
    emit errorOccurred(error);
}

void SessionBase::abort()
{
    if (m_state == State::Disconnected || m_state == State::Failed)
        return;
    fail(Error(Error::Code::Cancelled, tr("The session was aborted")));
}

Error SessionBase::socketErrorAsError() const
{
    const QString text = m_socket ? m_socket->errorString() : QString();
    const QAbstractSocket::SocketError code =
        m_socket ? m_socket->error() : QAbstractSocket::UnknownSocketError;
    switch (code) {
    case QAbstractSocket::SslHandshakeFailedError: {
        const QList<QSslError> errors = m_socket->sslErrors();
        if (!errors.isEmpty())
            return Error(
                Error::Code::CertificateRejected,
                tr("The server's certificate was rejected: %1").arg(describeSslErrors(errors)));
        return Error(Error::Code::TlsHandshakeFailed, tr("TLS handshake failed: %1").arg(text));
    }
    case QAbstractSocket::SslInvalidUserDataError:
        // The cause as a value: errorString() is translated.
        if (m_socket->encryptionFailure() == SslSocket::UnreadPlaintextBeforeHandshake)
            return Error(Error::Code::PlaintextAfterUpgrade,
                         tr("The server sent data after accepting STARTTLS and before the "
                            "TLS handshake (possible injection): %1")
                             .arg(text));
        return Error(Error::Code::TlsHandshakeFailed,
                     tr("Invalid TLS configuration: %1").arg(text));
    case QAbstractSocket::RemoteHostClosedError:
    case QAbstractSocket::SslInternalError:
        if (m_state == State::Handshaking || m_state == State::Connecting)
            return Error(Error::Code::TlsHandshakeFailed, tr("TLS handshake failed: %1").arg(text));
        // Over TLS a clean end is close_notify (RemoteHostClosedError); SslInternalError
        // is the stream ending without it, or breaking: what was due may be cut off.
        if (code == QAbstractSocket::SslInternalError && m_socket->isEncrypted())
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
    if (!m_socket || m_state == State::Failed)
        return;
    // The server answered LOGOUT/QUIT by closing, as it should. Once it confirmed, how
    // the stream ends (close_notify or not) no longer matters: nothing more was due.
    if (m_closeAcknowledged)
        return;
    if (m_closeExpected && m_socket->error() == QAbstractSocket::RemoteHostClosedError)
        return;
    fail(socketErrorAsError());
}

void SessionBase::onSocketDisconnected()
{
    if (m_state == State::Failed)
        return;
    if (m_closeExpected) {
        m_phaseTimer.stop();
        retireConnectionEvents();
        failPendingCommands(Error(Error::Code::ConnectionClosed, tr("The session was closed")));
        setState(State::Disconnected);
        return;
    }
    fail(Error(Error::Code::ConnectionClosed, tr("The server closed the connection")));
}

void SessionBase::startPhaseTimer(int msecs)
{
    m_transferred = 0;
    if (msecs > 0)
        m_phaseTimer.start(msecs);
    else
        m_phaseTimer.stop();
}

bool SessionBase::inCommandPhase() const
{
    // Before Connected the upgrade machine owns the timer (greeting, handshake...): a
    // command completing there must not stop or stretch the phase's own deadline.
    return m_state == State::Connected || m_state == State::Authenticating
        || m_state == State::Authenticated || m_state == State::Closing
        || m_state == State::AwaitingCapabilities || m_state == State::AwaitingUpgradeReply
        || m_state == State::AwaitingCapabilitiesAfterTls;
}

void SessionBase::startCommandTimer()
{
    if (inCommandPhase())
        startPhaseTimer(m_settings.timeouts.commandMs);
}

void SessionBase::stopCommandTimer()
{
    if (m_state == State::Connected || m_state == State::Authenticating
        || m_state == State::Authenticated || m_state == State::Closing)
        m_phaseTimer.stop();
}

bool SessionBase::transferKeepsCommandAlive() const
{
    // Only a connected session's commands: the upgrade's phases are hard deadlines, and
    // what they wait for (a greeting, a capability list, a handshake) is small.
    const bool commandPhase = m_state == State::Connected || m_state == State::Authenticating
        || m_state == State::Authenticated || m_state == State::Closing;
    const qint64 rate = m_settings.timeouts.minimumTransferRate;
    const qint64 period = m_settings.timeouts.commandMs;
    if (!commandPhase || rate <= 0 || period <= 0)
        return false;
    const qint64 needed = qMax<qint64>(1, (rate * period + 999) / 1000);
    return m_transferred >= needed;
}

void SessionBase::onPhaseTimeout()
{
    if (transferKeepsCommandAlive()) {
        qCDebug(detail::lcSession)
            << "command deadline extended:" << m_transferred << "bytes moved in the last period";
        startPhaseTimer(m_settings.timeouts.commandMs);
        return;
    }
    QString what;
    switch (m_state) {
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
    if (m_settings.tlsMode == TlsMode::Plain && m_settings.allowPlaintextAuth)
        return Error();
    return Error(Error::Code::PlaintextAuthRefused,
                 tr("Refusing to send credentials over an unencrypted connection"));
}

void SessionBase::sendLine(const QByteArray &line, RedactionHint hint, const QByteArray &shown)
{
    if (!m_socket)
        return;
    logClientLine(line, hint, shown);
    m_socket->write(line + "\r\n");
}

void SessionBase::sendRaw(const QByteArray &bytes, RedactionHint hint, const QByteArray &shown)
{
    if (!m_socket)
        return;
    logClientLine(bytes, hint, shown);
    m_socket->write(bytes);
}

void SessionBase::logClientLine(const QByteArray &line, RedactionHint hint, const QByteArray &shown)
{
    if (!m_transcript && !detail::lcSession().isDebugEnabled())
        return;
    // Redaction first: a large secret must not escape through the summary either.
    const QByteArray redacted = redactClientLine(line, hint);
    const QByteArray text = shown.isEmpty() || redacted != line ? redacted : shown;
    if (m_transcript)
        m_transcript->line(TranscriptSink::Direction::Client, text);
    qCDebug(detail::lcSession).noquote() << "C:" << text;
}

bool SessionBase::isLoggingServerLines() const
{
    return m_transcript || detail::lcSession().isDebugEnabled();
}

void SessionBase::logServerLine(const QByteArray &line)
{
    if (m_transcript)
        m_transcript->line(TranscriptSink::Direction::Server, line);
    qCDebug(detail::lcSession).noquote() << "S:" << line;
}

void SessionBase::logMarker(const QString &event)
{
    if (m_transcript)
        m_transcript->marker(event);
}

} // namespace mailwire
