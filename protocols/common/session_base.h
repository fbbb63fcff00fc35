// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <memory>

#include <QtCore/QObject>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslError>

#include <mailwire/capabilities.h>
#include <mailwire/connection_settings.h>
#include <mailwire/error.h>
#include <mailwire/protocols_export.h>
#include <mailwire/reply.h>
#include <mailwire/transcript.h>

QT_BEGIN_NAMESPACE
class QLoggingCategory;
QT_END_NAMESPACE

namespace mailwire {

class SslSocket;
class CommandPipeline;
class SessionBasePrivate;

/// What IMAP, SMTP and POP3 sessions share: the connection, the ONE upgrade machine
/// (greeting → capabilities → STARTTLS → handshake → verification → forget capabilities →
/// ask again), the security policy, per-phase timeouts, the transcript and error surfacing.
///
/// A protocol derives from it, parses its own replies, and reports what it saw through the
/// protected "...Received" calls; the base decides what happens next and calls the
/// protocol's hooks to send the next command. Nothing but the capability query and the
/// upgrade command is ever sent before TLS in StartTls mode.
class MAILWIRE_PROTOCOLS_EXPORT SessionBase : public QObject
{
    Q_OBJECT
public:
    /// Named after what the session waits for.
    enum class State {
        Disconnected,                 ///< no connection (before the first, or after a clean close)
        Connecting,                   ///< TCP connect (and, with implicit TLS, handshake)
        AwaitingGreeting,             ///< connected; the server's greeting has not come yet
        AwaitingCapabilities,         ///< the capability query is out (before any upgrade)
        AwaitingUpgradeReply,         ///< STARTTLS / STLS sent
        Handshaking,                  ///< the TLS handshake and certificate check run
        AwaitingCapabilitiesAfterTls, ///< the capability query is out again, over TLS
        Connected,                    ///< ready; not authenticated
        Authenticating,               ///< credentials are being exchanged
        Authenticated,                ///< logged in (or PREAUTH over TLS)
        Closing,                      ///< LOGOUT / QUIT sent
        Failed                        ///< lastError() says why; the connection is gone
    };
    Q_ENUM(State)

    /// A disconnected session; protocols derive from it.
    explicit SessionBase(QObject *parent = nullptr);
    /// Drops the connection at once; pending replies fail with Cancelled first.
    ~SessionBase() override;
    Q_DISABLE_COPY(SessionBase)

    /// Host, port, TLS mode, certificates, timeouts and limits for the next connection.
    void setSettings(const ConnectionSettings &settings);
    /// The settings the next connectToServer() uses (and the current connection used).
    const ConnectionSettings &settings() const;
    /// Receives C:/S: lines with secrets redacted; not owned; nullptr turns it off.
    void setTranscriptSink(TranscriptSink *sink);

    /// Where the session is; stateChanged() reports every change.
    State state() const;
    /// Capabilities as last learned; empty between the upgrade and the post-TLS query.
    const Capabilities &capabilities() const;
    /// Why the session failed (state() Failed); Error::Code::None otherwise.
    Error lastError() const;
    /// True once TLS protects the connection (implicit TLS, or after a STARTTLS upgrade).
    bool isEncrypted() const;
    /// The negotiated cipher; null before TLS is up.
    QSslCipher sessionCipher() const;
    /// The negotiated TLS version; QSsl::UnknownProtocol before TLS is up.
    QSsl::SslProtocol sessionProtocol() const;
    /// The server's certificate as verified in the handshake; null before TLS is up.
    QSslCertificate peerCertificate() const;
    /// The verification errors of the handshake (ignored ones included).
    QList<QSslError> sslErrors() const;
    /// Round trips (requests sent that needed an answer) since connectToServer().
    int roundTrips() const;

    /// Drops the connection at once; pending operations fail with Cancelled.
    void abort();

Q_SIGNALS:
    /// state() changed to state.
    void stateChanged(mailwire::SessionBase::State state);
    /// TLS is up and the server's certificate passed verification (or its errors were
    /// ignored as ConnectionSettings::ignoredSslErrors allows).
    void encrypted();
    /// capabilities() changed: learned, forgotten at the upgrade, or refreshed.
    void capabilitiesChanged();
    /// The session failed with error (state() is Failed); emitted once per failure, after
    /// the pending replies failed.
    void errorOccurred(const mailwire::Error &error);

protected:
    /// How the greeting reads.
    enum class Greeting {
        Ok,               ///< ready (IMAP OK, SMTP 220, POP3 +OK)
        Preauthenticated, ///< IMAP PREAUTH: already logged in
        Rejected          ///< the server will not serve (IMAP BYE, SMTP 554, POP3 -ERR)
    };

    /// Starts the connection; the reply finishes when the session is Connected (upgraded
    /// and capabilities known) or failed.
    Reply *startConnection();

    // --- what the protocol reports (from its parser)
    /// The greeting came and reads as greeting, with the server's text; capabilities:
    /// those carried in the greeting (IMAP [CAPABILITY ...]), or nullptr.
    void greetingReceived(Greeting greeting, const QString &text,
                          const Capabilities *capabilities = nullptr);
    /// The answer to the capability query (or a later refresh): decides the upgrade, or
    /// completes the connection.
    void capabilitiesReceived(const Capabilities &capabilities);
    /// The capability query failed in a way the protocol defines as "no extensions" (SMTP:
    /// EHLO refused with 500/502 and HELO accepted; POP3: CAPA answered -ERR). The session
    /// goes on with no capabilities, except in StartTls mode before the upgrade: a server
    /// that lists nothing cannot be known to offer STARTTLS, so the session fails with
    /// StartTlsNotOffered. A protocol whose query must succeed (IMAP) calls fail() instead.
    void capabilitiesRefused(const QString &serverText);
    /// The server answered the upgrade command (STARTTLS, STLS): accepted starts the
    /// handshake, provided nothing followed the reply; a refusal fails with StartTlsRefused.
    void upgradeReplyReceived(bool accepted, const QString &text);
    /// The protocol saw something it cannot accept; the session fails.
    void fail(const Error &failure);
    /// LOGOUT/QUIT was sent: the server's close is expected, not an error.
    void expectClose();
    /// The server confirmed LOGOUT/QUIT (IMAP tagged OK, SMTP 221, POP3 +OK): from here on
    /// the end of the connection is the clean end of the session, even without a TLS
    /// close_notify (many servers just close TCP). Before this point a close without
    /// close_notify stays an error (ConnectionTruncated).
    void closeAcknowledged();
    /// After successful authentication.
    void setAuthenticated();

    // --- what the protocol calls to talk
    /// Sends one command line (CRLF added) and logs it, redacted per hint, or as shown
    /// when that is not empty ("<N bytes of literal data>", for instance).
    void sendLine(const QByteArray &line, RedactionHint hint = RedactionHint::None,
                  const QByteArray &shown = QByteArray());
    /// Sends raw bytes (literal data); logged like sendLine().
    void sendRaw(const QByteArray &bytes, RedactionHint hint = RedactionHint::None,
                 const QByteArray &shown = QByteArray());
    /// The category the protocol's lines (C:/S:) are logged to at debug level, e.g.
    /// "mailwire.imap"; the upgrade machine's own events go to "mailwire.session". Set once,
    /// in the protocol's constructor; the category must outlive the session.
    void setProtocolLogCategory(const QLoggingCategory &category);
    /// Bytes of this connection's sendLine()/sendRaw() data (CRLFs included) that have
    /// left the session's buffers; with bytesQueued(), the progress of an upload.
    qint64 bytesSent() const;
    /// Bytes passed to sendLine()/sendRaw() on this connection (CRLFs included).
    qint64 bytesQueued() const;
    /// Logs one server line to the transcript.
    void logServerLine(const QByteArray &line);
    /// Whether anyone reads server lines (a transcript sink or debug logging): formatting
    /// them costs more than parsing.
    bool isLoggingServerLines() const;
    /// Writes an event ("TLS handshake") to the transcript between the protocol lines.
    void logMarker(const QString &event);
    /// True in StartTls mode until TLS is up: what the server says now is unauthenticated
    /// (a man in the middle may have written it). The protocol uses only what the upgrade needs (the
    /// greeting, the capability list, the upgrade reply) and drops the rest unseen by the
    /// application; errors of this phase carry the server's words marked unverified.
    bool isBeforeUpgrade() const;
    /// Call just before handing one parsed reply to code that may reach the application
    /// (signals, reply completion). If that code runs a nested event loop (a slot calling
    /// Reply::waitForFinished()), the replies still buffered behind this one are fed on
    /// inside that loop (feed(nullptr, 0)), so the awaited reply can complete there.
    void prepareDispatch();
    /// Whether credentials may be sent now: over TLS, or Plain mode with plaintext
    /// authentication allowed. Otherwise an Error (PlaintextAuthRefused).
    Error credentialsPolicy() const;
    /// While true the protocol must not parse further input (the upgrade is under way).
    bool readingFrozen() const;
    /// Moves to state (emits stateChanged()); for the protocol's own steps (authentication).
    void setState(State state);
    /// Replaces capabilities() (emits capabilitiesChanged()).
    void setCapabilities(const Capabilities &capabilities);
    /// The connection's socket; nullptr before the first connection.
    SslSocket *socket() const;

    // --- hooks
    /// The port used when ConnectionSettings::port is 0 (IMAP: 143, or 993 for implicit TLS).
    virtual quint16 defaultPort(TlsMode mode) const = 0;
    /// Bytes from the server; parse and dispatch, stopping when readingFrozen().
    virtual void feed(const char *data, qsizetype size) = 0;
    /// Bytes fed but not consumed by a complete reply (must be 0 after the upgrade reply).
    virtual qint64 parserResidue() const = 0;
    /// Send the capability query (IMAP CAPABILITY, SMTP EHLO, POP3 CAPA); report the answer
    /// with capabilitiesReceived(), capabilitiesRefused() or fail().
    virtual void requestCapabilities() = 0;
    /// Send the upgrade command (STARTTLS, STLS); report with upgradeReplyReceived().
    virtual void requestUpgrade() = 0;
    /// Whether capabilities announce the upgrade command.
    virtual bool offersUpgrade(const Capabilities &capabilities) const = 0;
    /// A fresh connection (or the TLS layer) starts: forget parser state.
    virtual void resetProtocol() = 0;
    /// The session failed or closed: complete every pending command with error.
    virtual void failPendingCommands(const Error &error) = 0;
    /// Some of what was sent has left (bytesSent() grew), for upload progress. Called from
    /// the event loop, at most once per batch of the socket's write notifications.
    virtual void sendProgressed() {}

private:
    // The CommandPipeline drives these.
    /// Counts a request that waits for an answer (round-trip accounting).
    void countRoundTrip();
    /// Starts (or restarts) the command deadline (Timeouts::commandMs): when a command is
    /// sent, or completes while others are still in flight. Never for bytes received: a
    /// reply outlives the deadline only by flowing at Timeouts::minimumTransferRate.
    /// stopCommandTimer() when nothing is pending.
    void startCommandTimer();
    void stopCommandTimer();
    void logClientLine(const QByteArray &line, RedactionHint hint, const QByteArray &shown);
    bool inCommandPhase() const;
    void onSocketConnected();
    void onSocketEncrypted();
    void onSocketReadyRead();
    void onSocketError();
    void onSocketDisconnected();
    void onSocketBytesWritten(qint64 bytes);
    void onPhaseTimeout();
    bool transferKeepsCommandAlive() const;
    /// Queued socket events of an older connection (or of this one after it failed or
    /// closed) carry a stale generation and are dropped.
    void retireConnectionEvents();
    void startPhaseTimer(int msecs);
    void finishConnect();
    void handleCapabilities(const Capabilities &capabilities);
    Error socketErrorAsError() const;

    friend class CommandPipeline;
    friend class SessionBasePrivate;
    std::unique_ptr<SessionBasePrivate> d;
};

} // namespace mailwire
