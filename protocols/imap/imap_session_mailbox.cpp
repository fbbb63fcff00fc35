// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession's mailbox commands (RFC 9051 §6.3, RFC 3501 §6.3): LIST (and LIST-STATUS),
// LSUB, STATUS, SELECT/EXAMINE and the selected-mailbox state, CREATE/DELETE/RENAME,
// SUBSCRIBE/UNSUBSCRIBE, NAMESPACE, CLOSE/UNSELECT, EXPUNGE/UID EXPUNGE, ENABLE, ID.
#include <mailwire/imap_session.h>

#include "imap_command_p.h"
#include "imap_session_commands_p.h"
#include "imap_session_p.h"

namespace mailwire {

using detail::ImapCommand;
using detail::ImapCommandBuilder;
using Type = ImapResponse::Type;

namespace {

bool sameMailboxName(const QString &a, const QString &b)
{
    if (a.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0)
        return b.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0;
    return a == b;
}

/// Runs before the command's own completion (which finishes the reply), so state the
/// session keeps is up to date when finished() is emitted.
void beforeCompletion(ImapCommand &command, std::function<void(const ImapResponse &)> hook)
{
    auto finish = std::move(command.onCompleted);
    command.onCompleted = [hook = std::move(hook), finish](const ImapResponse &response) {
        hook(response);
        finish(response);
    };
}

} // namespace

ImapListReply *ImapSession::list(const QString &reference, const QString &pattern,
                                 ImapStatusItems statusItems)
{
    return listCommand("LIST", reference, pattern, statusItems);
}

ImapListReply *ImapSession::lsub(const QString &reference, const QString &pattern)
{
    return listCommand("LSUB", reference, pattern, {});
}

ImapListReply *ImapSession::listCommand(const QByteArray &verb, const QString &reference,
                                        const QString &pattern, ImapStatusItems statusItems)
{
    auto *reply = new ImapListReply(this);
    ImapCommandBuilder builder(verb, literalPlus());
    builder.mailbox(reference, d->commands.utf8).mailbox(pattern, d->commands.utf8);
    // RFC 5819: one round trip for the list and each mailbox's counters.
    const bool withStatus = statusItems && capabilities().has("LIST-STATUS");
    if (withStatus)
        builder.raw("RETURN (STATUS " + imapStatusItemList(statusItems) + ')');
    const Type wanted = verb == "LSUB" ? Type::Lsub : Type::List;
    d->submitTyped(
        builder, reply,
        [wanted, withStatus](const ImapResponse &r) {
            return r.type == wanted || (withStatus && r.type == Type::Status);
        },
        true);
    return reply;
}

ImapStatusReply *ImapSession::status(const QString &mailbox, ImapStatusItems items)
{
    auto *reply = new ImapStatusReply(this);
    if (!items)
        return ReplyPrivate::failLater(
            reply, detail::invalidArgument(tr("STATUS needs at least one item")));
    ImapCommandBuilder builder("STATUS", literalPlus());
    builder.mailbox(mailbox, d->commands.utf8).raw(imapStatusItemList(items));
    d->submitTyped(
        builder, reply,
        [mailbox](const ImapResponse &r) {
            return r.type == Type::Status && sameMailboxName(r.statusData.mailbox, mailbox);
        },
        true);
    return reply;
}

ImapSelectReply *ImapSession::select(const QString &mailbox)
{
    return openMailbox("SELECT", mailbox);
}

ImapSelectReply *ImapSession::examine(const QString &mailbox)
{
    return openMailbox("EXAMINE", mailbox);
}

ImapSelectReply *ImapSession::openMailbox(const QByteArray &verb, const QString &mailbox)
{
    trackSelectedMailbox();
    auto *reply = new ImapSelectReply(mailbox, this);
    if (mailbox.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("No mailbox name given")));
    ImapCommandBuilder builder(verb, literalPlus());
    builder.mailbox(mailbox, d->commands.utf8);
    QPointer<ImapSelectReply> guard(reply);
    d->submitTyped(
        builder, reply,
        [](const ImapResponse &r) {
            switch (r.type) {
            case Type::Flags:
            case Type::Exists:
            case Type::Recent:
            case Type::Expunge: return true;
            case Type::UntaggedStatus:
                return !r.code.isNull(); // [UIDVALIDITY], [UNSEEN], [PERMANENTFLAGS] …
            default: return false;
            }
        },
        false,
        [this, guard](ImapCommand &command) {
            // RFC 9051 §6.3.2: sending SELECT deselects the current mailbox even if it fails.
            command.onSent = [this] { d->commands.selected = ImapMailboxState(); };
            beforeCompletion(command, [this, guard](const ImapResponse &response) {
                if (response.status != ImapStatus::Ok || !guard)
                    return;
                ImapCommandReplyPrivate::get(guard).completion = response;
                d->commands.selected = guard->state();
            });
        });
    return reply;
}

ImapMailboxState ImapSession::selectedMailbox() const { return d->commands.selected; }

void ImapSession::trackSelectedMailbox()
{
    if (d->commands.tracking)
        return;
    d->commands.tracking = true;
    // Untagged updates change the selected mailbox at any time (RFC 9051 §7.4).
    connect(this, &ImapSession::exists, this,
            [this](quint32 count) { d->commands.selected.exists = count; });
    connect(this, &ImapSession::recent, this,
            [this](quint32 count) { d->commands.selected.recent = count; });
    connect(this, &ImapSession::expunged, this, [this](quint32) {
        if (d->commands.selected.exists > 0)
            --d->commands.selected.exists;
    });
}

ImapCommandReply *ImapSession::mailboxCommand(const QByteArray &verb, const QString &mailbox)
{
    auto *reply = new ImapCommandReply(this);
    if (mailbox.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("No mailbox name given")));
    ImapCommandBuilder builder(verb, literalPlus());
    builder.mailbox(mailbox, d->commands.utf8);
    d->submitTyped(
        builder, reply, [](const ImapResponse &) { return false; }, false);
    return reply;
}

ImapCommandReply *ImapSession::createMailbox(const QString &mailbox)
{
    return mailboxCommand("CREATE", mailbox);
}

ImapCommandReply *ImapSession::deleteMailbox(const QString &mailbox)
{
    return mailboxCommand("DELETE", mailbox);
}

ImapCommandReply *ImapSession::renameMailbox(const QString &from, const QString &to)
{
    auto *reply = new ImapCommandReply(this);
    if (from.isEmpty() || to.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("No mailbox name given")));
    ImapCommandBuilder builder("RENAME", literalPlus());
    builder.mailbox(from, d->commands.utf8).mailbox(to, d->commands.utf8);
    d->submitTyped(
        builder, reply, [](const ImapResponse &) { return false; }, false);
    return reply;
}

ImapCommandReply *ImapSession::subscribe(const QString &mailbox)
{
    return mailboxCommand("SUBSCRIBE", mailbox);
}

ImapCommandReply *ImapSession::unsubscribe(const QString &mailbox)
{
    return mailboxCommand("UNSUBSCRIBE", mailbox);
}

ImapNamespaceReply *ImapSession::namespaces()
{
    auto *reply = new ImapNamespaceReply(this);
    ImapCommandBuilder builder("NAMESPACE", false);
    d->submitTyped(
        builder, reply, [](const ImapResponse &r) { return r.type == Type::Namespace; }, true);
    return reply;
}

ImapCommandReply *ImapSession::closeMailbox()
{
    auto *reply = new ImapCommandReply(this);
    ImapCommandBuilder builder("CLOSE", false);
    d->submitTyped(
        builder, reply, [](const ImapResponse &) { return false; }, false,
        [this](ImapCommand &command) {
            beforeCompletion(command, [this](const ImapResponse &response) {
                if (response.status == ImapStatus::Ok)
                    d->commands.selected = ImapMailboxState();
            });
        });
    return reply;
}

ImapCommandReply *ImapSession::unselect()
{
    auto *reply = new ImapCommandReply(this);
    if (!capabilities().has("UNSELECT") && !capabilities().has("IMAP4rev2"))
        return ReplyPrivate::failLater(reply,
                                       detail::notOffered(QStringLiteral("UNSELECT (RFC 3691)")));
    ImapCommandBuilder builder("UNSELECT", false);
    d->submitTyped(
        builder, reply, [](const ImapResponse &) { return false; }, false,
        [this](ImapCommand &command) {
            beforeCompletion(command, [this](const ImapResponse &response) {
                if (response.status == ImapStatus::Ok)
                    d->commands.selected = ImapMailboxState();
            });
        });
    return reply;
}

ImapExpungeReply *ImapSession::expunge()
{
    auto *reply = new ImapExpungeReply(this);
    ImapCommandBuilder builder("EXPUNGE", false);
    d->submitTyped(
        builder, reply, [](const ImapResponse &r) { return r.type == Type::Expunge; }, false);
    return reply;
}

ImapExpungeReply *ImapSession::uidExpunge(const SequenceSet &uids)
{
    auto *reply = new ImapExpungeReply(this);
    if (!capabilities().has("UIDPLUS") && !capabilities().has("IMAP4rev2"))
        return ReplyPrivate::failLater(reply,
                                       detail::notOffered(QStringLiteral("UID EXPUNGE (UIDPLUS)")));
    if (uids.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("Empty UID set")));
    ImapCommandBuilder builder("UID EXPUNGE", false);
    builder.raw(uids.toByteArray());
    d->submitTyped(
        builder, reply, [](const ImapResponse &r) { return r.type == Type::Expunge; }, false);
    return reply;
}

ImapEnableReply *ImapSession::enable(const QStringList &capabilityNames)
{
    auto *reply = new ImapEnableReply(this);
    ImapCommandBuilder builder("ENABLE", false);
    for (const QString &name : capabilityNames) {
        if (!detail::isAtom(name.toUtf8()))
            return ReplyPrivate::failLater(
                reply,
                detail::invalidArgument(
                    tr("A capability to enable must be an atom (no CR, LF, NUL or spaces)")));
        builder.raw(name.toUtf8());
    }
    if (capabilityNames.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("Nothing to enable")));
    QPointer<ImapEnableReply> guard(reply);
    d->submitTyped(
        builder, reply, [](const ImapResponse &r) { return r.type == Type::Enabled; }, false,
        [this, guard](ImapCommand &command) {
            beforeCompletion(command, [this, guard](const ImapResponse &response) {
                if (response.status != ImapStatus::Ok || !guard)
                    return;
                // RFC 6855 §3 / RFC 9051 §5.1: mailbox names are UTF-8 from now on.
                for (const QByteArray &name : guard->enabled()) {
                    if (name.compare("UTF8=ACCEPT", Qt::CaseInsensitive) == 0
                        || name.compare("IMAP4rev2", Qt::CaseInsensitive) == 0) {
                        d->commands.utf8 = true;
                        if (d->parser)
                            d->parser->setUtf8Mode(true);
                    }
                }
            });
        });
    return reply;
}

ImapIdReply *ImapSession::id(const QList<QPair<QString, QString>> &fields)
{
    auto *reply = new ImapIdReply(this);
    ImapCommandBuilder builder("ID", false);
    if (fields.isEmpty()) {
        builder.raw("NIL");
    } else {
        // RFC 2971 §3.3: field strings up to 30 octets, values up to 1024, at most 30 pairs.
        QList<QByteArray> items;
        for (const auto &field : fields) {
            const QByteArray name = field.first.toUtf8();
            const QByteArray value = field.second.toUtf8();
            if (name.isEmpty() || !detail::isQuotable(name) || !detail::isQuotable(value)
                || name.size() > 30 || value.size() > 1024 || fields.size() > 30)
                return ReplyPrivate::failLater(
                    reply,
                    detail::invalidArgument(
                        tr("ID fields and values must be 7-bit text without CR, LF or NUL, "
                           "fields of 1 to 30 octets, values of at most 1024, at most 30 pairs")));
            items << detail::quoted(name) << detail::quoted(value);
        }
        builder.raw('(' + items.join(' ') + ')');
    }
    d->submitTyped(
        builder, reply, [](const ImapResponse &r) { return r.type == Type::Id; }, false);
    return reply;
}

} // namespace mailwire
