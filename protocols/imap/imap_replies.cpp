// SPDX-License-Identifier: LGPL-3.0-or-later
// Typed IMAP replies: read-only views of the responses a command collected.
#include <mailwire/imap_replies.h>

#include "imap_replies_p.h"

namespace mailwire {

ImapCommandReply::ImapCommandReply(QObject *parent)
    : Reply(parent), d(std::make_unique<ImapCommandReplyPrivate>())
{}

ImapCommandReply::~ImapCommandReply() = default;

const ImapResponse &ImapCommandReply::completion() const { return d->completion; }

const QList<ImapResponse> &ImapCommandReply::responses() const { return d->responses; }

using Type = ImapResponse::Type;

namespace {

bool sameMailbox(const QString &a, const QString &b)
{
    // RFC 9051 §5.1: INBOX is case-insensitive; every other name is compared exactly.
    if (a.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0)
        return b.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0;
    return a == b;
}

} // namespace

// ---- Construction -------------------------------------------------------------------------

ImapListReply::ImapListReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapListReplyPrivate>())
{}

ImapListReply::~ImapListReply() = default;

ImapStatusReply::ImapStatusReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapStatusReplyPrivate>())
{}

ImapStatusReply::~ImapStatusReply() = default;

ImapNamespaceReply::ImapNamespaceReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapNamespaceReplyPrivate>())
{}

ImapNamespaceReply::~ImapNamespaceReply() = default;

ImapEnableReply::ImapEnableReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapEnableReplyPrivate>())
{}

ImapEnableReply::~ImapEnableReply() = default;

ImapIdReply::ImapIdReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapIdReplyPrivate>())
{}

ImapIdReply::~ImapIdReply() = default;

ImapExpungeReply::ImapExpungeReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapExpungeReplyPrivate>())
{}

ImapExpungeReply::~ImapExpungeReply() = default;

ImapFetchReply::ImapFetchReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapFetchReplyPrivate>())
{}

ImapFetchReply::~ImapFetchReply() = default;

ImapSearchReply::ImapSearchReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapSearchReplyPrivate>())
{}

ImapSearchReply::~ImapSearchReply() = default;

ImapCopyReply::ImapCopyReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapCopyReplyPrivate>())
{}

ImapCopyReply::~ImapCopyReply() = default;

ImapAppendReply::ImapAppendReply(QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapAppendReplyPrivate>())
{}

ImapAppendReply::~ImapAppendReply() = default;

ImapSelectReply::ImapSelectReply(const QString &mailbox, QObject *parent)
    : ImapCommandReply(parent), d(std::make_unique<ImapSelectReplyPrivate>())
{
    d->mailbox = mailbox;
}

ImapSelectReply::~ImapSelectReply() = default;

// ---- Accessors ----------------------------------------------------------------------------

QList<MailboxListEntry> ImapListReply::mailboxes() const
{
    QList<MailboxListEntry> out;
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::List || response.type == Type::Lsub)
            out << response.mailbox;
    }
    return out;
}

QList<StatusData> ImapListReply::statuses() const
{
    QList<StatusData> out;
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Status)
            out << response.statusData;
    }
    return out;
}

std::optional<StatusData> ImapListReply::status(const QString &mailbox) const
{
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Status && sameMailbox(response.statusData.mailbox, mailbox))
            return response.statusData;
    }
    return std::nullopt;
}

StatusData ImapStatusReply::status() const
{
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Status)
            return response.statusData;
    }
    return StatusData();
}

QString ImapSelectReply::mailbox() const { return d->mailbox; }

ImapMailboxState ImapSelectReply::state() const
{
    ImapMailboxState state;
    state.mailbox = d->mailbox;
    for (const ImapResponse &response : responses()) {
        switch (response.type) {
        case Type::Flags: state.flags = response.atoms; break;
        case Type::Exists: state.exists = response.number; break;
        case Type::Recent: state.recent = response.number; break;
        case Type::Expunge:
            if (state.exists > 0)
                --state.exists;
            break;
        case Type::UntaggedStatus:
            switch (response.code.kind()) {
            case ResponseCode::Kind::UidValidity:
                state.uidValidity = response.code.uidValidity();
                break;
            case ResponseCode::Kind::UidNext: state.uidNext = response.code.uidNext(); break;
            case ResponseCode::Kind::Unseen: state.unseen = response.code.unseen(); break;
            case ResponseCode::Kind::PermanentFlags:
                state.permanentFlags = response.code.permanentFlags();
                break;
            case ResponseCode::Kind::HighestModSeq:
                state.highestModSeq = response.code.highestModSeq();
                break;
            case ResponseCode::Kind::NoModSeq: state.highestModSeq.reset(); break;
            default: break;
            }
            break;
        default: break;
        }
    }
    state.readOnly = completion().code.isReadOnly();
    return state;
}

NamespaceData ImapNamespaceReply::namespaces() const
{
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Namespace)
            return response.namespaces;
    }
    return NamespaceData();
}

QList<QByteArray> ImapEnableReply::enabled() const
{
    QList<QByteArray> out;
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Enabled)
            out += response.atoms;
    }
    return out;
}

ImapParameterList ImapIdReply::serverId() const
{
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Id)
            return response.idParameters;
    }
    return ImapParameterList();
}

QVector<quint32> ImapExpungeReply::expunged() const
{
    QVector<quint32> out;
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Expunge)
            out << response.number;
    }
    return out;
}

QList<FetchData> ImapFetchReply::messages() const
{
    QList<FetchData> out;
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Fetch)
            out << response.fetch;
    }
    return out;
}

QVector<quint32> ImapSearchReply::numbers() const
{
    QVector<quint32> out;
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Search)
            out += response.search.numbers;
        else if (response.type == Type::ESearch)
            out += response.search.all.numbers();
    }
    return out;
}

std::optional<quint64> ImapSearchReply::modSeq() const
{
    for (const ImapResponse &response : responses()) {
        if ((response.type == Type::Search || response.type == Type::ESearch)
            && response.search.modSeq)
            return response.search.modSeq;
    }
    return std::nullopt;
}

std::optional<SearchResult> ImapSearchReply::esearch() const
{
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::ESearch)
            return response.search;
    }
    return std::nullopt;
}

std::optional<CopyUid> ImapCopyReply::copyUid() const
{
    if (auto uid = completion().code.copyUid())
        return uid;
    for (const ImapResponse &response : responses()) {
        if (response.isStatus()) {
            if (auto uid = response.code.copyUid())
                return uid;
        }
    }
    return std::nullopt;
}

QVector<quint32> ImapCopyReply::expunged() const
{
    QVector<quint32> out;
    for (const ImapResponse &response : responses()) {
        if (response.type == Type::Expunge)
            out << response.number;
    }
    return out;
}

std::optional<AppendUid> ImapAppendReply::appendUid() const
{
    return completion().code.appendUid();
}

ImapIdleReply::ImapIdleReply(ImapSession *session)
    : ImapCommandReply(session), d(std::make_unique<ImapIdleReplyPrivate>(session))
{
    d->refreshTimer.setSingleShot(true);
}

bool ImapIdleReply::isIdling() const { return d->idling; }

int ImapIdleReply::idleCount() const { return d->idleCount; }

void ImapIdleReply::stop()
{
    if (d->session)
        d->session->stopIdle();
}

} // namespace mailwire
