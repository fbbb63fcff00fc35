// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession's transfer progress (Reply::progress()): FETCH body literals counted by the
// parser as they arrive, APPEND's message counted as it leaves the socket.
#include <mailwire/imap_session.h>

#include "imap_command_p.h"
#include "imap_parser_p.h"
#include "imap_session_p.h"
#include "reply_p.h"

namespace mailwire {

using detail::ImapCommand;

void ImapSession::sendProgressed() { d->reportUploadProgress(); }

void ImapSessionPrivate::reportDownloadProgress() const
{
    if (!parser)
        return;
    // Literal data comes in order; with FETCHes pipelined, it belongs to the oldest.
    PipelinedCommand *found = pipeline.findInFlight([](const PipelinedCommand &c) {
        const auto &command = detail::imapCommand(c);
        return command.progressReply && command.uploadSize < 0;
    });
    if (!found)
        return;
    ImapCommand &command = detail::imapCommand(*found);
    const qint64 done = parser->literalBytesReceived() - command.receivedBase;
    const qint64 announced = parser->literalBytesAnnounced() - command.announcedBase;
    if (announced <= 0)
        return;           // no body literal yet: nothing is being transferred
    q->prepareDispatch(); // a slot may wait for a later reply
    ReplyPrivate::reportProgress(command.progressReply, done,
                                 command.downloadTotalKnown ? announced : -1);
}

void ImapSessionPrivate::reportUploadProgress() const
{
    for (const auto &entry : pipeline.inFlight()) {
        ImapCommand &command = detail::imapCommand(*entry);
        if (!command.progressReply || command.uploadSize < 0 || command.firstByte < 0)
            continue;
        // The message is the command's last literal: it ends just before the final CRLF.
        qint64 wireSize = command.tag.size() + 1;
        for (int i = 0; i < command.pieces.size(); ++i) {
            const detail::ImapCommandPiece &piece = command.pieces.at(i);
            wireSize += piece.bytes.size();
            if (piece.waitsForContinuation || i + 1 == command.pieces.size())
                wireSize += 2; // sent as a line
        }
        const qint64 messageStart = command.firstByte + wireSize - 2 - command.uploadSize;
        const qint64 done = qBound<qint64>(0, q->bytesSent() - messageStart, command.uploadSize);
        if (done > 0 || !command.isFullySent())
            ReplyPrivate::reportProgress(command.progressReply, done, command.uploadSize);
    }
}

void ImapSessionPrivate::finishProgress(ImapCommand &command, bool succeeded) const
{
    if (!command.progressReply)
        return;
    if (command.uploadSize >= 0) {
        // The server answered after reading all of it; a refusal before "+" sent none.
        if (succeeded && command.isFullySent())
            ReplyPrivate::reportProgress(command.progressReply, command.uploadSize,
                                         command.uploadSize);
        return;
    }
    if (!parser)
        return;
    const qint64 announced = parser->literalBytesAnnounced() - command.announcedBase;
    if (announced <= 0)
        return;
    const qint64 done = parser->literalBytesReceived() - command.receivedBase;
    ReplyPrivate::reportProgress(command.progressReply, done,
                                 command.downloadTotalKnown ? announced : done);
}

} // namespace mailwire
