// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include <QtCore/QString>

#include <mailwire/imap_session.h>

#include "command_pipeline_p.h"
#include "imap_command_p.h"
#include "imap_parser_p.h"
#include "imap_replies_p.h"
#include "imap_session_commands_p.h"
#include "reply_p.h"

namespace mailwire {

/// ImapSession's state and its IMAP framing on the shared CommandPipeline: the parser for
/// the current stream, tags, literal pieces, and the commands' response routing.
class ImapSessionPrivate
{
public:
    /// Which untagged responses a command collects into its reply.
    using ResponseFilter = std::function<bool(const ImapResponse &)>;

    explicit ImapSessionPrivate(ImapSession *session);

    /// Queues the command builder describes. The reply finishes on the tagged response
    /// (OK: success; NO/BAD: CommandFailed with the server's text) and collects the
    /// untagged responses filter accepts (null: every untagged data response). An argument
    /// error fails the reply at once and sends nothing. pipelinable: may be sent while
    /// other pipelinable commands are in flight (RFC 3501 §5.5).
    ImapCommandReply *submit(detail::ImapCommandBuilder &builder, ResponseFilter filter = {},
                             bool pipelinable = false, ImapCommandReply *reply = nullptr);
    /// What submit() queues: the command for builder, completing reply, or nullptr when
    /// reply already failed (argument error, no connection; finished from the event loop).
    std::unique_ptr<detail::ImapCommand> prepareCommand(detail::ImapCommandBuilder &builder,
                                                        ResponseFilter filter, bool pipelinable,
                                                        ImapCommandReply *reply) const;
    /// submit() for the typed commands: untagged responses accepts takes go to the oldest
    /// in-flight command of the same kind; adjust may set onSent or wrap the callbacks.
    void submitTyped(detail::ImapCommandBuilder &builder, ImapCommandReply *reply,
                     ResponseFilter accepts, bool pipelinable,
                     const std::function<void(detail::ImapCommand &)> &adjust = {});
    /// Queues a fully prepared command: a running IDLE ends first (RFC 2177 §3), then the
    /// pipeline sends it when the rules allow.
    void enqueue(std::unique_ptr<detail::ImapCommand> command);
    /// Queues command ahead of everything waiting (the steps of one operation stay together).
    void enqueueFirst(std::unique_ptr<detail::ImapCommand> command);
    /// True if command is the oldest in flight with its name (untagged data of pipelined
    /// commands of one kind goes to the oldest).
    bool isOldestOfItsKind(const detail::ImapCommand *command) const;
    /// The in-flight command with tag, or nullptr.
    detail::ImapCommand *inFlightWithTag(const QByteArray &tag) const;
    /// Writes the command's pieces up to the next synchronising literal: the framing the
    /// pipeline calls (a new tag on the first piece), and the continuation of a literal.
    void sendPieces(detail::ImapCommand &command);

    /// Reports the download progress of the oldest FETCH in flight that streams or keeps
    /// body literals (Reply::progress()): between feeds, never from inside the parser.
    void reportDownloadProgress() const;
    /// Reports how much of an APPEND's message has left (Reply::progress()).
    void reportUploadProgress() const;
    /// The last report of command's transfer when it completes: done == total.
    void finishProgress(detail::ImapCommand &command, bool succeeded) const;

    ImapSession *const q;
    std::unique_ptr<detail::ImapParser> parser;
    CommandPipeline pipeline;
    int tagCounter = 0;
    int idleRefreshMs = 29 * 60 * 1000; // setIdleRefreshInterval(); RFC 2177 §3
    QString byeText;                    // the last untagged BYE: why the server is about to close
    detail::ImapCommandsState commands; // selected mailbox, IDLE (imap_session_mailbox.cpp …)
};

namespace detail {
// The IMAP command behind a pipeline entry. Every command ImapSession puts into its
// pipeline is an ImapCommand (it never queues anything else), so the
// downcast cannot go wrong; these two are the only places that make it.
/// The IMAP command behind a pipeline entry.
inline ImapCommand &imapCommand(PipelinedCommand &command)
{
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-static-cast-downcast)
    return static_cast<ImapCommand &>(command);
}
/// The IMAP command behind a pipeline entry, read-only.
inline const ImapCommand &imapCommand(const PipelinedCommand &command)
{
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-static-cast-downcast)
    return static_cast<const ImapCommand &>(command);
}
} // namespace detail

} // namespace mailwire
