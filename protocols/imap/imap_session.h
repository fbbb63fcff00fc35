// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include <QtCore/QList>
#include <QtCore/QStringList>

#include <mailwire/credentials.h>
#include <mailwire/imap_response.h>
#include <mailwire/protocols_export.h>
#include <mailwire/reply.h>
#include <mailwire/session_base.h>

namespace mailwire {

namespace detail {
struct ImapCommand;
class ImapCommandBuilder;
class ImapParser;
}

/// The reply to one IMAP command: the tagged completion and the untagged responses the
/// command collected while it was in flight.
class MAILWIRE_PROTOCOLS_EXPORT ImapCommandReply : public Reply
{
    Q_OBJECT
public:
    explicit ImapCommandReply(QObject *parent = nullptr) : Reply(parent) {}
    /// The tagged status response that completed the command.
    const ImapResponse &completion() const { return m_completion; }
    /// Untagged responses received while the command was in flight that belong to it.
    const QList<ImapResponse> &responses() const { return m_responses; }

    /// For the session.
    void setCompletion(const ImapResponse &response) { m_completion = response; }
    void addResponse(const ImapResponse &response) { m_responses.append(response); }

private:
    ImapResponse m_completion;
    QList<ImapResponse> m_responses;
};

/// An IMAP4rev1/IMAP4rev2 client session (RFC 3501, RFC 9051) on the shared upgrade
/// machine: STARTTLS by default (required), implicit TLS on 993, or plain by explicit
/// choice. Every command returns a reply object; untagged updates become signals.
///
/// Security (DESIGN.md §2): nothing but CAPABILITY and STARTTLS before TLS; bytes after
/// the STARTTLS OK fail the session; capabilities are asked again over TLS; PREAUTH before
/// TLS is refused; credentials never travel in plaintext unless Plain mode and
/// allowPlaintextAuth are both chosen; LOGINDISABLED is honoured; CR/LF in an argument is
/// refused before anything is sent.
class MAILWIRE_PROTOCOLS_EXPORT ImapSession : public SessionBase
{
    Q_OBJECT
public:
    explicit ImapSession(QObject *parent = nullptr);
    ~ImapSession() override;

    /// Connects, reads the greeting, upgrades (StartTls) and learns the capabilities.
    Reply *connectToServer();
    /// Authenticates with the strongest SASL mechanism the post-TLS capabilities offer
    /// (SASL-IR used when offered), or LOGIN when no mechanism fits and LOGIN is allowed.
    Reply *authenticate(const Credentials &credentials);
    /// CAPABILITY (RFC 9051 §6.1.1); capabilities() is updated.
    ImapCommandReply *capability();
    /// NOOP (RFC 9051 §6.1.2): lets the server deliver updates.
    ImapCommandReply *noop();
    /// LOGOUT (RFC 9051 §6.1.3); the session ends Disconnected.
    ImapCommandReply *logout();
    /// Any command (without tag and CRLF), for extensions Mailwire lacks. The text is sent
    /// as is; CR, LF and NUL are refused. Every untagged response while it is in flight is
    /// collected in the reply.
    ImapCommandReply *command(const QByteArray &commandText);

    /// The tag the next command will carry ("A001", "A002", ...).
    QByteArray nextTag() const;

Q_SIGNALS:
    /// "* n EXISTS": the mailbox now has n messages.
    void exists(quint32 count);
    /// "* n RECENT".
    void recent(quint32 count);
    /// "* n EXPUNGE": message n was removed (later numbers shift down).
    void expunged(quint32 sequenceNumber);
    /// "* n FETCH (FLAGS (...))" not asked for by a command: flags changed.
    void flagsChanged(quint32 sequenceNumber, const QStringList &flags);
    /// "[ALERT]" text the user must see (RFC 9051 §7.1).
    void alertReceived(const QString &text);
    /// Every untagged response, before commands see it (for extensions and tools).
    void untaggedReceived(const mailwire::ImapResponse &response);

protected:
    quint16 defaultPort(TlsMode mode) const override;
    void feed(const char *data, qsizetype size) override;
    qint64 parserResidue() const override;
    void requestCapabilities() override;
    void requestUpgrade() override;
    bool offersUpgrade(const Capabilities &capabilities) const override;
    void resetProtocol() override;
    void failPendingCommands(const Error &error) override;

    /// Which untagged responses a command collects into its reply.
    using ResponseFilter = std::function<bool(const ImapResponse &)>;
    /// Queues the command builder describes. The reply finishes on the tagged response
    /// (OK: success; NO/BAD: CommandFailed with the server's text) and collects the
    /// untagged responses filter accepts (null: every untagged data response). An argument
    /// error fails the reply at once and sends nothing. pipelinable: may be sent while
    /// other pipelinable commands are in flight (RFC 3501 §5.5).
    ImapCommandReply *submit(detail::ImapCommandBuilder &builder, ResponseFilter filter = {},
                             bool pipelinable = false, ImapCommandReply *reply = nullptr);
    /// Queues a fully prepared command; the session sends it when the rules allow.
    void enqueue(std::unique_ptr<detail::ImapCommand> command);
    /// A reply that already failed with error (nothing was sent).
    ImapCommandReply *failedReply(const Error &error);
    /// The server offers LITERAL+ or LITERAL- (RFC 7888).
    bool literalPlus() const;

private:
    void dispatch(const ImapResponse &response);
    void handleGreeting(const ImapResponse &response);
    void handleTagged(const ImapResponse &response);
    void handleContinuation(const ImapResponse &response);
    void handleUntagged(const ImapResponse &response);
    void sendNextCommands();
    void sendPieces(detail::ImapCommand &command);
    void noteResponseCode(const ImapResponse &response);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mailwire
