// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include <QtCore/QList>
#include <QtCore/QStringList>

#include <mailwire/credentials.h>
#include <mailwire/imap_command_options.h>
#include <mailwire/imap_response.h>
#include <mailwire/protocols_export.h>
#include <mailwire/reply.h>
#include <mailwire/session_base.h>

namespace mailwire {

class ImapCommandReplyPrivate;
class ImapSessionPrivate;

// Typed replies (imap_replies.h, included at the end of this file).
class ImapAppendReply;
class ImapCopyReply;
class ImapEnableReply;
class ImapExpungeReply;
class ImapFetchReply;
class ImapIdReply;
class ImapIdleReply;
class ImapListReply;
class ImapNamespaceReply;
class ImapSearchReply;
class ImapSelectReply;
class ImapStatusReply;

/// The reply to one IMAP command: the tagged completion and the untagged responses the
/// command collected while it was in flight.
class MAILWIRE_PROTOCOLS_EXPORT ImapCommandReply : public Reply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapCommandReply(QObject *parent = nullptr);
    ~ImapCommandReply() override;
    Q_DISABLE_COPY(ImapCommandReply)
    /// The tagged status response that completed the command.
    const ImapResponse &completion() const;
    /// Untagged responses received while the command was in flight that belong to it.
    const QList<ImapResponse> &responses() const;

private:
    friend class ImapCommandReplyPrivate;
    std::unique_ptr<ImapCommandReplyPrivate> d;
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
    /// A disconnected session; setSettings(), then connectToServer().
    explicit ImapSession(QObject *parent = nullptr);
    ~ImapSession() override;
    Q_DISABLE_COPY(ImapSession)

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

    // --- Mailboxes (imap_session_mailbox.cpp). Mailbox names are sent in modified UTF-7
    // (UTF-8 after ENABLE UTF8=ACCEPT); CR, LF or NUL in any argument fails the reply with
    // InvalidArgument and nothing is sent (DESIGN.md §2, rule 6).

    /// LIST reference pattern (RFC 9051 §6.3.9). With statusItems and a server offering
    /// LIST-STATUS (RFC 5819), "RETURN (STATUS (...))" asks for each mailbox's status too;
    /// without LIST-STATUS a plain LIST is sent and statuses() stays empty.
    ImapListReply *list(const QString &reference, const QString &pattern,
                        ImapStatusItems statusItems = {});
    /// LSUB reference pattern (RFC 3501 §6.3.9): the subscribed mailboxes.
    ImapListReply *lsub(const QString &reference, const QString &pattern);
    /// STATUS mailbox (items) (RFC 9051 §6.3.11); items must not be empty.
    ImapStatusReply *status(const QString &mailbox, ImapStatusItems items);
    /// SELECT (RFC 9051 §6.3.2); on success selectedMailbox() describes it. The previous
    /// mailbox is deselected as soon as SELECT is sent, whatever the outcome.
    ImapSelectReply *select(const QString &mailbox);
    /// EXAMINE: SELECT read-only (RFC 9051 §6.3.3).
    ImapSelectReply *examine(const QString &mailbox);
    /// The mailbox SELECT/EXAMINE opened, kept current with EXISTS/RECENT/EXPUNGE; an
    /// empty state (isValid() false) when none is selected.
    ImapMailboxState selectedMailbox() const;
    /// CREATE (RFC 9051 §6.3.4).
    ImapCommandReply *createMailbox(const QString &mailbox);
    /// DELETE (RFC 9051 §6.3.5).
    ImapCommandReply *deleteMailbox(const QString &mailbox);
    /// RENAME (RFC 9051 §6.3.6).
    ImapCommandReply *renameMailbox(const QString &from, const QString &to);
    /// SUBSCRIBE (RFC 9051 §6.3.7).
    ImapCommandReply *subscribe(const QString &mailbox);
    /// UNSUBSCRIBE (RFC 9051 §6.3.8).
    ImapCommandReply *unsubscribe(const QString &mailbox);
    /// NAMESPACE (RFC 2342).
    ImapNamespaceReply *namespaces();
    /// CLOSE (RFC 9051 §6.4.1): expunges `\Deleted` messages (unless read-only) and
    /// deselects.
    ImapCommandReply *closeMailbox();
    /// UNSELECT (RFC 3691): deselects without expunging. Only when the server offers
    /// UNSELECT (or IMAP4rev2); otherwise fails with CommandFailed and sends nothing.
    ImapCommandReply *unselect();
    /// EXPUNGE (RFC 9051 §6.4.3).
    ImapExpungeReply *expunge();
    /// UID EXPUNGE uids (RFC 4315 §2.1): only these messages. Needs UIDPLUS (or
    /// IMAP4rev2); otherwise fails with CommandFailed and sends nothing.
    ImapExpungeReply *uidExpunge(const SequenceSet &uids);
    /// ENABLE capabilities (RFC 5161). Enabling UTF8=ACCEPT (RFC 6855) or IMAP4rev2
    /// switches mailbox names to UTF-8 for the rest of the session.
    ImapEnableReply *enable(const QStringList &capabilityNames);
    /// ID (RFC 2971) with the client's field/value pairs ("ID NIL" when empty). Fields
    /// and values must be printable 7-bit text (fields ≤ 30, values ≤ 1024 octets).
    ImapIdReply *id(const QList<QPair<QString, QString>> &fields);

    // --- Messages (imap_session_messages.cpp, imap_session_copy.cpp)

    /// FETCH set items (RFC 9051 §6.4.5). messageFetched() is emitted per response.
    ImapFetchReply *fetch(const SequenceSet &set, const ImapFetchItems &items);
    /// UID FETCH uids items (RFC 9051 §6.4.9). Pipelinable unless bodies are streamed.
    ImapFetchReply *uidFetch(const SequenceSet &uids, const ImapFetchItems &items);
    /// SEARCH criteria (RFC 9051 §6.4.4). criteria is protocol text the caller builds
    /// ("UNSEEN SINCE 1-Jan-2025"); CR, LF, NUL or a trailing literal "{n}" is refused.
    ImapSearchReply *search(const QByteArray &criteria);
    /// SEARCH CHARSET charset criteria.
    ImapSearchReply *search(const QByteArray &charset, const QByteArray &criteria);
    /// UID SEARCH criteria: the results are UIDs. Pipelinable.
    ImapSearchReply *uidSearch(const QByteArray &criteria);
    /// UID SEARCH CHARSET charset criteria.
    ImapSearchReply *uidSearch(const QByteArray &charset, const QByteArray &criteria);
    /// STORE set (+|-)FLAGS[.SILENT] (flags) (RFC 9051 §6.4.6). The reply's messages()
    /// hold the new flags the server reported (none when silent).
    ImapFetchReply *store(const SequenceSet &set, ImapStoreMode mode, const QStringList &flags,
                          bool silent = false);
    /// UID STORE.
    ImapFetchReply *uidStore(const SequenceSet &uids, ImapStoreMode mode, const QStringList &flags,
                             bool silent = false);
    /// COPY set mailbox (RFC 9051 §6.4.7); copyUid() with UIDPLUS.
    ImapCopyReply *copy(const SequenceSet &set, const QString &mailbox);
    /// UID COPY.
    ImapCopyReply *uidCopy(const SequenceSet &uids, const QString &mailbox);
    /// MOVE set mailbox (RFC 6851) when the server offers MOVE; otherwise, with UIDPLUS,
    /// COPY, UID STORE +FLAGS.SILENT (`\Deleted`) and UID EXPUNGE of the copied UIDs (so no
    /// other deleted message is expunged); otherwise fails with CommandFailed, nothing sent.
    ImapCopyReply *move(const SequenceSet &set, const QString &mailbox);
    /// UID MOVE (same fallback).
    ImapCopyReply *uidMove(const SequenceSet &uids, const QString &mailbox);
    /// APPEND mailbox [(flags)] [date-time] literal (RFC 9051 §6.3.12). The literal waits
    /// for the server's "+" unless LITERAL+ (or LITERAL- for up to 4096 bytes) is offered;
    /// a server answering NO instead of "+" completes the reply with CommandFailed and
    /// nothing more is sent. A message with NUL bytes needs BINARY (sent as literal8).
    ImapAppendReply *append(const QString &mailbox, const QByteArray &message,
                            const QStringList &flags = {}, const QDateTime &internalDate = {});

    // --- IDLE (imap_session_idle.cpp)

    /// IDLE (RFC 2177): see ImapIdleReply. Needs IDLE (or IMAP4rev2); otherwise, or when
    /// an IDLE is already running, fails with CommandFailed and sends nothing.
    ImapIdleReply *idle();
    /// Ends the running IDLE (DONE); nothing happens when none runs.
    void stopIdle();
    /// How long an IDLE runs before it is re-issued (DONE, then IDLE again), in
    /// milliseconds; 0 never re-issues. RFC 2177 §3 advises every 29 minutes (the default),
    /// since servers may log out a client inactive for 30. Takes effect at the next IDLE.
    void setIdleRefreshInterval(int msecs);
    /// See setIdleRefreshInterval().
    int idleRefreshInterval() const;

    /// The text of the last untagged BYE (RFC 9051 §7.1.5): why the server closed. Replies
    /// that fail with ConnectionClosed or ConnectionTruncated after a BYE carry it as their
    /// serverText(). A BYE before TLS (StartTls mode) is not kept here: it fails the
    /// session at once, its text in lastError(), marked unverified.
    QString byeText() const;

Q_SIGNALS:
    // None of these fires for what the server says before TLS in StartTls mode (DESIGN.md
    // §2, invariant 8): such responses appear only in the transcript, marked as ignored.

    /// "* n EXISTS": the mailbox now has n messages.
    void exists(quint32 count);
    /// "* n RECENT".
    void recent(quint32 count);
    /// "* n EXPUNGE": message n was removed (later numbers shift down).
    void expunged(quint32 sequenceNumber);
    /// "* n FETCH (FLAGS (...))" not asked for by a command: flags changed.
    void flagsChanged(quint32 sequenceNumber, const QStringList &flags);
    /// "[ALERT]" text the user must see (RFC 9051 §7.1), in the greeting or any response.
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
    void sendProgressed() override;

    /// A reply that already failed with error (nothing was sent), finished from the event
    /// loop so the caller can connect to it first.
    ImapCommandReply *failedReply(const Error &error);
    /// The server offers LITERAL+ or LITERAL- (RFC 7888).
    bool literalPlus() const;

private:
    void dispatch(const ImapResponse &response);
    void handleGreeting(const ImapResponse &response);
    void handleTagged(const ImapResponse &response);
    void handleContinuation(const ImapResponse &response);
    void handleUntagged(const ImapResponse &response);
    void handleUntaggedBeforeTls(const ImapResponse &response);
    /// Offers an untagged response to the commands in flight; true if one claimed it.
    bool offerToCommands(const ImapResponse &response);
    void noteResponseCode(const ImapResponse &response);
    // imap_session_mailbox.cpp, imap_session_messages.cpp, imap_session_copy.cpp
    ImapSelectReply *openMailbox(const QByteArray &verb, const QString &mailbox);
    ImapCommandReply *mailboxCommand(const QByteArray &verb, const QString &mailbox);
    ImapListReply *listCommand(const QByteArray &verb, const QString &reference,
                               const QString &pattern, ImapStatusItems statusItems);
    ImapFetchReply *fetchCommand(bool uid, const SequenceSet &set, const ImapFetchItems &items);
    ImapSearchReply *searchCommand(bool uid, const QByteArray &charset, const QByteArray &criteria);
    ImapFetchReply *storeCommand(bool uid, const SequenceSet &set, ImapStoreMode mode,
                                 const QStringList &flags, bool silent);
    ImapCopyReply *copyCommand(bool uid, bool move, const SequenceSet &set, const QString &mailbox);
    void moveByCopy(bool uid, const SequenceSet &set, const QString &mailbox, ImapCopyReply *reply);
    void trackSelectedMailbox();
    // imap_session_idle.cpp
    void issueIdle(ImapIdleReply *reply);
    void onIdleContinuation(ImapIdleReply *reply);
    void onIdleCompleted(ImapIdleReply *reply, const ImapResponse &response);
    void sendIdleDone(ImapIdleReply *reply);
    /// A command was queued: a running IDLE ends (DONE) and resumes after the queue.
    void idleYield();

    friend class ImapSessionPrivate;
    std::unique_ptr<ImapSessionPrivate> d;
};

} // namespace mailwire

// The typed replies, so that one include gives the whole session API.
#include <mailwire/imap_replies.h>
