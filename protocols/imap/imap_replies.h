// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QtCore/QList>
#include <QtCore/QVector>

#include <mailwire/imap_command_options.h>
#include <mailwire/imap_response.h>
#include <mailwire/imap_session.h>
#include <mailwire/protocols_export.h>

// Typed replies of ImapSession's mailbox, message and IDLE commands. Each is an
// ImapCommandReply (completion() and responses() stay available) whose accessors read the
// responses the command collected; they are meaningful once finished() was emitted.

namespace mailwire {

class ImapAppendReplyPrivate;
class ImapCopyReplyPrivate;
class ImapEnableReplyPrivate;
class ImapExpungeReplyPrivate;
class ImapFetchReplyPrivate;
class ImapIdReplyPrivate;
class ImapIdleReplyPrivate;
class ImapListReplyPrivate;
class ImapNamespaceReplyPrivate;
class ImapSearchReplyPrivate;
class ImapSelectReplyPrivate;
class ImapStatusReplyPrivate;

/// LIST or LSUB (RFC 9051 §6.3.9, RFC 3501 §6.3.8/§6.3.9), with the STATUS replies of
/// LIST-STATUS (RFC 5819) when they were asked for and the server offers it.
class MAILWIRE_PROTOCOLS_EXPORT ImapListReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapListReply(QObject *parent = nullptr);
    ~ImapListReply() override;
    Q_DISABLE_COPY(ImapListReply)
    /// The mailboxes, in the order the server listed them.
    QList<MailboxListEntry> mailboxes() const;
    /// The STATUS replies (LIST-STATUS only), in the order received.
    QList<StatusData> statuses() const;
    /// The STATUS reply for a mailbox (decoded name, INBOX case-insensitive), if any.
    std::optional<StatusData> status(const QString &mailbox) const;

private:
    std::unique_ptr<ImapListReplyPrivate> d;
};

/// STATUS (RFC 9051 §6.3.11).
class MAILWIRE_PROTOCOLS_EXPORT ImapStatusReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapStatusReply(QObject *parent = nullptr);
    ~ImapStatusReply() override;
    Q_DISABLE_COPY(ImapStatusReply)
    /// The items the server reported (empty optionals for the ones it did not).
    StatusData status() const;

private:
    std::unique_ptr<ImapStatusReplyPrivate> d;
};

/// SELECT or EXAMINE (RFC 9051 §6.3.2/§6.3.3).
class MAILWIRE_PROTOCOLS_EXPORT ImapSelectReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply for mailbox; ImapSession creates them.
    explicit ImapSelectReply(const QString &mailbox, QObject *parent = nullptr);
    ~ImapSelectReply() override;
    Q_DISABLE_COPY(ImapSelectReply)
    /// Everything the select responses said, as one value.
    ImapMailboxState state() const;
    /// The mailbox asked for.
    QString mailbox() const;
    /// EXISTS: how many messages the mailbox holds.
    quint32 exists() const { return state().exists; }
    /// RECENT (IMAP4rev1 only): messages new since the last session.
    quint32 recent() const { return state().recent; }
    /// UIDVALIDITY: UIDs are only valid with this value; a change means cached UIDs are void.
    std::optional<quint32> uidValidity() const { return state().uidValidity; }
    /// UIDNEXT: the UID the next message will get, at least.
    std::optional<quint32> uidNext() const { return state().uidNext; }
    /// UNSEEN (IMAP4rev1): the sequence number of the first unseen message.
    std::optional<quint32> unseen() const { return state().unseen; }
    /// FLAGS: the flags defined in the mailbox.
    QList<QByteArray> flags() const { return state().flags; }
    /// PERMANENTFLAGS: the flags the client can change permanently ("\\*": new keywords too).
    QList<QByteArray> permanentFlags() const { return state().permanentFlags; }
    /// HIGHESTMODSEQ (RFC 7162 CONDSTORE), when the server reported it.
    std::optional<quint64> highestModSeq() const { return state().highestModSeq; }
    /// [READ-ONLY] in the completion (EXAMINE, or a mailbox the user may not change).
    bool isReadOnly() const { return state().readOnly; }

private:
    std::unique_ptr<ImapSelectReplyPrivate> d;
};

/// NAMESPACE (RFC 2342, RFC 9051 §6.3.10).
class MAILWIRE_PROTOCOLS_EXPORT ImapNamespaceReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapNamespaceReply(QObject *parent = nullptr);
    ~ImapNamespaceReply() override;
    Q_DISABLE_COPY(ImapNamespaceReply)
    /// The personal, other users' and shared namespaces.
    NamespaceData namespaces() const;

private:
    std::unique_ptr<ImapNamespaceReplyPrivate> d;
};

/// ENABLE (RFC 5161).
class MAILWIRE_PROTOCOLS_EXPORT ImapEnableReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapEnableReply(QObject *parent = nullptr);
    ~ImapEnableReply() override;
    Q_DISABLE_COPY(ImapEnableReply)
    /// The capabilities the server enabled ("* ENABLED ..."), as sent.
    QList<QByteArray> enabled() const;

private:
    std::unique_ptr<ImapEnableReplyPrivate> d;
};

/// ID (RFC 2971).
class MAILWIRE_PROTOCOLS_EXPORT ImapIdReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapIdReply(QObject *parent = nullptr);
    ~ImapIdReply() override;
    Q_DISABLE_COPY(ImapIdReply)
    /// The server's field/value pairs (a value is null for NIL); empty for "* ID NIL".
    ImapParameterList serverId() const;

private:
    std::unique_ptr<ImapIdReplyPrivate> d;
};

/// EXPUNGE or UID EXPUNGE (RFC 9051 §6.4.3, RFC 4315 §2.1).
class MAILWIRE_PROTOCOLS_EXPORT ImapExpungeReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapExpungeReply(QObject *parent = nullptr);
    ~ImapExpungeReply() override;
    Q_DISABLE_COPY(ImapExpungeReply)
    /// The sequence numbers of the "* n EXPUNGE" responses, in order (each as the server
    /// sent it: later numbers already account for earlier removals).
    QVector<quint32> expunged() const;

private:
    std::unique_ptr<ImapExpungeReplyPrivate> d;
};

/// FETCH, UID FETCH, STORE and UID STORE (RFC 9051 §6.4.5, §6.4.6, §6.4.9).
class MAILWIRE_PROTOCOLS_EXPORT ImapFetchReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapFetchReply(QObject *parent = nullptr);
    ~ImapFetchReply() override;
    Q_DISABLE_COPY(ImapFetchReply)
    /// Every FETCH response for the command's messages, in the order received.
    QList<FetchData> messages() const;

Q_SIGNALS:
    /// One FETCH response arrived (emitted as each arrives, before finished()), so a GUI
    /// can show progress. Streamed body bytes are already on the caller's device.
    void messageFetched(const mailwire::FetchData &message);

private:
    std::unique_ptr<ImapFetchReplyPrivate> d;
};

/// SEARCH or UID SEARCH (RFC 9051 §6.4.4), including ESEARCH results (RFC 4731) when the
/// criteria asked for them with RETURN.
class MAILWIRE_PROTOCOLS_EXPORT ImapSearchReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapSearchReply(QObject *parent = nullptr);
    ~ImapSearchReply() override;
    Q_DISABLE_COPY(ImapSearchReply)
    /// The matching sequence numbers (UIDs for UID SEARCH), in the order sent.
    QVector<quint32> numbers() const;
    /// The highest MODSEQ of the matches (RFC 7162 §3.1.5), if the server sent one.
    std::optional<quint64> modSeq() const;
    /// The ESEARCH result (MIN, MAX, COUNT, ALL), if the server sent one.
    std::optional<SearchResult> esearch() const;

private:
    std::unique_ptr<ImapSearchReplyPrivate> d;
};

/// COPY, UID COPY, MOVE and UID MOVE (RFC 9051 §6.4.7/§6.4.8, RFC 6851).
class MAILWIRE_PROTOCOLS_EXPORT ImapCopyReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapCopyReply(QObject *parent = nullptr);
    ~ImapCopyReply() override;
    Q_DISABLE_COPY(ImapCopyReply)
    /// [COPYUID] (UIDPLUS, RFC 4315): where the messages went, from the completion or an
    /// untagged OK (MOVE sends it before the expunges, RFC 6851 §4.3).
    std::optional<CopyUid> copyUid() const;
    /// MOVE: the sequence numbers expunged from the source mailbox, in order.
    QVector<quint32> expunged() const;

private:
    std::unique_ptr<ImapCopyReplyPrivate> d;
};

/// APPEND (RFC 9051 §6.3.12).
class MAILWIRE_PROTOCOLS_EXPORT ImapAppendReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending reply; ImapSession creates them.
    explicit ImapAppendReply(QObject *parent = nullptr);
    ~ImapAppendReply() override;
    Q_DISABLE_COPY(ImapAppendReply)
    /// [APPENDUID] (UIDPLUS): the destination's UIDVALIDITY and the new message's UID.
    std::optional<AppendUid> appendUid() const;

private:
    std::unique_ptr<ImapAppendReplyPrivate> d;
};

/// IDLE (RFC 2177): the session listens for updates (exists(), expunged(), flagsChanged())
/// until stop(). It re-issues IDLE before ImapSession::idleRefreshInterval() passes, and steps aside
/// for commands queued meanwhile (DONE, the commands, then IDLE again). The reply finishes
/// on the tagged OK that follows stop()'s DONE.
class MAILWIRE_PROTOCOLS_EXPORT ImapIdleReply : public ImapCommandReply
{
    Q_OBJECT
public:
    /// A pending IDLE of session; ImapSession::idle() creates them.
    explicit ImapIdleReply(ImapSession *session);
    /// Deleting a running IDLE's reply ends the IDLE (DONE), so later commands can go out.
    ~ImapIdleReply() override;
    Q_DISABLE_COPY(ImapIdleReply)
    /// True while the server has accepted IDLE ("+") and DONE is not yet sent.
    bool isIdling() const;
    /// How many times IDLE was issued (1 + refreshes + resumptions after commands).
    int idleCount() const;
    /// Ends IDLE: DONE is sent (at once, or when the server's "+" arrives).
    void stop();

Q_SIGNALS:
    /// The server accepted IDLE ("+"); emitted again after each re-issue.
    void idling();

private:
    friend class ImapSession; // drives the IDLE through d (imap_session_idle.cpp)
    std::unique_ptr<ImapIdleReplyPrivate> d;
};

} // namespace mailwire
