// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession's COPY/MOVE (RFC 9051 §6.4.7/§6.4.8, RFC 6851, COPYUID from RFC 4315) and
// APPEND (RFC 9051 §6.3.12, LITERAL+ RFC 7888, APPENDUID RFC 4315, literal8 RFC 3516).
#include <mailwire/imap_session.h>

#include "imap_command_p.h"
#include "imap_session_commands_p.h"
#include "imap_session_p.h"

namespace mailwire {

using detail::ImapCommand;
using detail::ImapCommandBuilder;
using Type = ImapResponse::Type;

namespace {

Error refused(const ImapResponse &response)
{
    return Error(Error::Code::CommandFailed, QStringLiteral("The server refused the command"),
                 response.textString());
}

} // namespace

ImapCopyReply *ImapSession::copy(const SequenceSet &set, const QString &mailbox)
{
    return copyCommand(false, false, set, mailbox);
}

ImapCopyReply *ImapSession::uidCopy(const SequenceSet &uids, const QString &mailbox)
{
    return copyCommand(true, false, uids, mailbox);
}

ImapCopyReply *ImapSession::move(const SequenceSet &set, const QString &mailbox)
{
    return copyCommand(false, true, set, mailbox);
}

ImapCopyReply *ImapSession::uidMove(const SequenceSet &uids, const QString &mailbox)
{
    return copyCommand(true, true, uids, mailbox);
}

ImapCopyReply *ImapSession::copyCommand(bool uid, bool move, const SequenceSet &set,
                                        const QString &mailbox)
{
    auto *reply = new ImapCopyReply(this);
    if (set.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("Empty sequence set")));
    if (mailbox.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("No mailbox name given")));
    const bool hasUidPlus = capabilities().has("UIDPLUS") || capabilities().has("IMAP4rev2");
    if (move && !capabilities().has("MOVE") && !capabilities().has("IMAP4rev2")) {
        // Without UIDPLUS the only way to remove the originals is a plain EXPUNGE, which
        // would also remove every other message marked \Deleted: refuse instead.
        if (!hasUidPlus)
            return ReplyPrivate::failLater(
                reply,
                detail::notOffered(
                    QStringLiteral("MOVE (RFC 6851), nor UIDPLUS for COPY + UID EXPUNGE")));
        // Validate the name now, before the first step could be sent.
        ImapCommandBuilder check("COPY", false);
        check.mailbox(mailbox);
        if (check.error().isError())
            return ReplyPrivate::failLater(reply, check.error());
        moveByCopy(uid, set, mailbox, reply);
        return reply;
    }
    QByteArray verb = move ? "MOVE" : "COPY";
    if (uid)
        verb.prepend("UID ");
    ImapCommandBuilder builder(verb, literalPlus());
    builder.raw(set.toByteArray()).mailbox(mailbox, d->commands.utf8);
    d->submitTyped(
        builder, reply,
        [move](const ImapResponse &r) {
            // RFC 6851 §4.3: MOVE reports COPYUID in an untagged OK before the expunges.
            if (r.type == Type::UntaggedStatus)
                return r.code.kind() == ResponseCode::Kind::CopyUid;
            return move && r.type == Type::Expunge;
        },
        false);
    return reply;
}

void ImapSession::moveByCopy(bool uid, const SequenceSet &set, const QString &mailbox,
                             ImapCopyReply *reply)
{
    // Three steps kept together at the head of the queue: [UID] COPY, then UID STORE
    // +FLAGS.SILENT (\Deleted) and UID EXPUNGE of exactly the source UIDs COPYUID names.
    QPointer<ImapCopyReply> guard(reply);
    ImapCommandBuilder copyBuilder(uid ? "UID COPY" : "COPY", literalPlus());
    copyBuilder.raw(set.toByteArray()).mailbox(mailbox, d->commands.utf8);
    std::unique_ptr<ImapCommand> copyStep = d->prepareCommand(
        copyBuilder,
        [](const ImapResponse &r) {
            return r.type == Type::UntaggedStatus && r.code.kind() == ResponseCode::Kind::CopyUid;
        },
        false, reply);
    if (!copyStep)
        return;
    copyStep->onCompleted = [this, guard](const ImapResponse &copied) {
        if (!guard)
            return;
        if (copied.status != ImapStatus::Ok) {
            ImapCommandReplyPrivate::get(guard).completion = copied;
            return ReplyPrivate::fail(guard, refused(copied));
        }
        ImapCommandReplyPrivate::get(guard).responses.append(
            copied); // copyUid() reads the COPYUID code from here
        const std::optional<CopyUid> copyUid = guard->copyUid();
        if (!copyUid || copyUid->sourceUids.isEmpty()) {
            ImapCommandReplyPrivate::get(guard).completion = copied;
            return ReplyPrivate::fail(
                guard,
                Error(Error::Code::CommandFailed,
                      QStringLiteral("The server copied the messages but reported no COPYUID, so "
                                     "the originals were left in place"),
                      copied.textString()));
        }
        const QByteArray uids = copyUid->sourceUids.toByteArray();
        ImapCommandBuilder storeBuilder("UID STORE", false);
        storeBuilder.raw(uids).raw("+FLAGS.SILENT").raw("(\\Deleted)");
        std::unique_ptr<ImapCommand> storeStep = d->prepareCommand(
            storeBuilder, [](const ImapResponse &) { return false; }, false, guard);
        if (!storeStep)
            return;
        storeStep->onCompleted = [this, guard, uids](const ImapResponse &stored) {
            if (!guard)
                return;
            if (stored.status != ImapStatus::Ok) {
                ImapCommandReplyPrivate::get(guard).completion = stored;
                return ReplyPrivate::fail(guard, refused(stored));
            }
            ImapCommandBuilder expungeBuilder("UID EXPUNGE", false);
            expungeBuilder.raw(uids);
            std::unique_ptr<ImapCommand> expungeStep = d->prepareCommand(
                expungeBuilder, [](const ImapResponse &r) { return r.type == Type::Expunge; },
                false, guard);
            if (expungeStep)
                d->enqueueFirst(std::move(expungeStep));
        };
        d->enqueueFirst(std::move(storeStep));
    };
    d->enqueueFirst(std::move(copyStep));
}

ImapAppendReply *ImapSession::append(const QString &mailbox, const QByteArray &message,
                                     const QStringList &flags, const QDateTime &internalDate)
{
    auto *reply = new ImapAppendReply(this);
    if (mailbox.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("No mailbox name given")));
    Error error;
    const QByteArray flagBytes = flags.isEmpty() ? QByteArray() : detail::flagList(flags, &error);
    if (error.isError())
        return ReplyPrivate::failLater(reply, error);
    // RFC 3516 §4.4: only literal8 may carry NUL bytes.
    const bool binary = message.contains('\0');
    if (binary && !capabilities().has("BINARY"))
        return ReplyPrivate::failLater(
            reply,
            detail::invalidArgument(
                tr("The message contains NUL bytes and the server does not offer BINARY")));
    // RFC 7888: LITERAL+ takes any size without waiting; LITERAL- only up to 4096 bytes.
    const bool nonSynchronising = capabilities().has("LITERAL+")
        || (capabilities().has("LITERAL-") && message.size() <= 4096);
    ImapCommandBuilder builder("APPEND", nonSynchronising);
    builder.mailbox(mailbox, d->commands.utf8);
    if (!flagBytes.isNull())
        builder.raw(flagBytes);
    if (internalDate.isValid())
        builder.raw(detail::imapDateTime(internalDate));
    builder.literal(message, binary);
    // A NO instead of "+" completes the command: the literal's bytes are never sent.
    const qint64 size = message.size();
    QPointer<Reply> progressTo(reply);
    d->submitTyped(
        builder, reply, [](const ImapResponse &) { return false; }, false,
        [progressTo, size](ImapCommand &command) {
            command.progressReply = progressTo;
            command.uploadSize = size;
        });
    return reply;
}

} // namespace mailwire
