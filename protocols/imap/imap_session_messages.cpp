// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession's message commands (RFC 9051 §6.4): FETCH and UID FETCH (with body literals
// streamed to the caller's device), SEARCH and UID SEARCH, STORE and UID STORE.
#include <mailwire/imap_session.h>

#include "imap_command_p.h"
#include "imap_parser_p.h"
#include "imap_session_commands_p.h"
#include "imap_session_p.h"

namespace mailwire {

using detail::ImapCommand;
using detail::ImapCommandBuilder;
using Type = ImapResponse::Type;

ImapFetchReply *ImapSession::fetch(const SequenceSet &set, const ImapFetchItems &items)
{
    return fetchCommand(false, set, items);
}

ImapFetchReply *ImapSession::uidFetch(const SequenceSet &uids, const ImapFetchItems &items)
{
    return fetchCommand(true, uids, items);
}

ImapFetchReply *ImapSession::fetchCommand(bool uid, const SequenceSet &set,
                                          const ImapFetchItems &items)
{
    auto *reply = new ImapFetchReply(this);
    if (set.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("Empty sequence set")));
    if (items.error().isError())
        return ReplyPrivate::failLater(reply, items.error());
    if (items.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("No FETCH items given")));
    if (items.usesBinary() && !capabilities().has("BINARY") && !capabilities().has("IMAP4rev2"))
        return ReplyPrivate::failLater(reply,
                                       detail::notOffered(QStringLiteral("BINARY (RFC 3516)")));

    ImapCommandBuilder builder(uid ? "UID FETCH" : "FETCH", false);
    builder.raw(set.toByteArray()).raw(items.toByteArray());
    const ImapFetchItems::DeviceChooser chooser = items.deviceChooser();
    QPointer<ImapFetchReply> guard(reply);
    auto accepts = [uid, set, guard](const ImapResponse &r) {
        if (r.type != Type::Fetch)
            return false;
        // Other messages' FETCH data (flag changes by another client) stays unsolicited
        // and becomes flagsChanged(); UID FETCH replies always carry the UID (RFC 9051 §6.4.9).
        if (!detail::setMayContain(set, uid ? r.fetch.uid.value_or(0) : r.number))
            return false;
        if (guard)
            emit guard->messageFetched(r.fetch);
        return true;
    };
    // RFC 3501 §5.5: UID FETCH may travel with other pipelinable commands; FETCH uses
    // sequence numbers that an EXPUNGE in between would shift. A streamed fetch owns the
    // parser's literal sink, so it goes alone.
    const bool pipelinable = uid && !chooser;
    // One message (no '*'): the literals' announced sizes are the whole transfer.
    const std::vector<SequenceSet::Range> &ranges = set.ranges();
    const bool oneMessage = ranges.size() == 1 && ranges.front().first == ranges.front().last
        && ranges.front().first != SequenceSet::Star;
    QPointer<Reply> progressTo(reply);
    d->submitTyped(builder, reply, accepts, pipelinable,
                   [this, chooser, progressTo, oneMessage](ImapCommand &command) {
                       command.progressReply = progressTo;
                       command.downloadTotalKnown = oneMessage;
                       if (!chooser)
                           return;
                       command.onSent = [this, chooser] {
                           if (!d->parser)
                               return;
                           d->parser->setLiteralSink(detail::ImapParser::deviceSink(
                               [chooser](const detail::LiteralContext &context) {
                                   ImapStreamedSection section;
                                   section.sequenceNumber = context.sequenceNumber;
                                   section.uid = context.uid;
                                   section.kind = context.kind;
                                   section.section = context.section;
                                   section.origin = context.origin;
                                   section.size = context.size;
                                   return chooser(section);
                               }));
                       };
                       auto clearSink = [this] {
                           if (d->parser)
                               d->parser->setLiteralSink(nullptr);
                       };
                       auto completed = std::move(command.onCompleted);
                       command.onCompleted = [clearSink, completed](const ImapResponse &response) {
                           clearSink();
                           completed(response);
                       };
                       auto aborted = std::move(command.onAborted);
                       command.onAborted = [clearSink, aborted](const Error &error) {
                           clearSink();
                           aborted(error);
                       };
                   });
    return reply;
}

ImapSearchReply *ImapSession::search(const QByteArray &criteria)
{
    return searchCommand(false, QByteArray(), criteria);
}

ImapSearchReply *ImapSession::search(const QByteArray &charset, const QByteArray &criteria)
{
    return searchCommand(false, charset, criteria);
}

ImapSearchReply *ImapSession::uidSearch(const QByteArray &criteria)
{
    return searchCommand(true, QByteArray(), criteria);
}

ImapSearchReply *ImapSession::uidSearch(const QByteArray &charset, const QByteArray &criteria)
{
    return searchCommand(true, charset, criteria);
}

ImapSearchReply *ImapSession::searchCommand(bool uid, const QByteArray &charset,
                                            const QByteArray &criteria)
{
    auto *reply = new ImapSearchReply(this);
    if (!detail::isValidCriteria(criteria))
        return ReplyPrivate::failLater(
            reply,
            detail::invalidArgument(
                tr("SEARCH criteria must be non-empty, without CR, LF or NUL, and must not end "
                   "with a literal announcement")));
    if (!charset.isNull() && !detail::isAtom(charset))
        return ReplyPrivate::failLater(reply,
                                       detail::invalidArgument(tr("Invalid SEARCH charset")));
    ImapCommandBuilder builder(uid ? "UID SEARCH" : "SEARCH", false);
    if (!charset.isNull())
        builder.raw("CHARSET").raw(charset);
    builder.raw(criteria.trimmed());
    d->submitTyped(
        builder, reply,
        [](const ImapResponse &r) { return r.type == Type::Search || r.type == Type::ESearch; },
        uid);
    return reply;
}

ImapFetchReply *ImapSession::store(const SequenceSet &set, ImapStoreMode mode,
                                   const QStringList &flags, bool silent)
{
    return storeCommand(false, set, mode, flags, silent);
}

ImapFetchReply *ImapSession::uidStore(const SequenceSet &uids, ImapStoreMode mode,
                                      const QStringList &flags, bool silent)
{
    return storeCommand(true, uids, mode, flags, silent);
}

ImapFetchReply *ImapSession::storeCommand(bool uid, const SequenceSet &set, ImapStoreMode mode,
                                          const QStringList &flags, bool silent)
{
    auto *reply = new ImapFetchReply(this);
    if (set.isEmpty())
        return ReplyPrivate::failLater(reply, detail::invalidArgument(tr("Empty sequence set")));
    Error error;
    const QByteArray list = detail::flagList(flags, &error);
    if (error.isError())
        return ReplyPrivate::failLater(reply, error);
    QByteArray item = mode == ImapStoreMode::Add ? "+FLAGS"
        : mode == ImapStoreMode::Remove          ? "-FLAGS"
                                                 : "FLAGS";
    if (silent)
        item += ".SILENT";
    ImapCommandBuilder builder(uid ? "UID STORE" : "STORE", false);
    builder.raw(set.toByteArray()).raw(item).raw(list);
    QPointer<ImapFetchReply> guard(reply);
    d->submitTyped(
        builder, reply,
        [uid, set, guard](const ImapResponse &r) {
            if (r.type != Type::Fetch
                || !detail::setMayContain(set, uid ? r.fetch.uid.value_or(0) : r.number))
                return false;
            if (guard)
                emit guard->messageFetched(r.fetch);
            return true;
        },
        false);
    return reply;
}

} // namespace mailwire
