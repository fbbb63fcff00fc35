// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession's IDLE (RFC 2177, RFC 9051 §6.3.13): IDLE, the server's "+", updates as
// signals, DONE on stop(), re-issued before idleRefreshInterval(), and out of the way of
// commands queued meanwhile (DONE, the commands, IDLE again).
#include <mailwire/imap_session.h>

#include <algorithm>

#include "imap_command_p.h"
#include "imap_replies_p.h"
#include "imap_session_commands_p.h"
#include "imap_session_p.h"

namespace mailwire {

using detail::ImapCommand;

void ImapSession::setIdleRefreshInterval(int msecs) { d->idleRefreshMs = qMax(0, msecs); }

int ImapSession::idleRefreshInterval() const { return d->idleRefreshMs; }

ImapIdleReply *ImapSession::idle()
{
    auto *reply = new ImapIdleReply(this);
    if (!capabilities().has("IDLE") && !capabilities().has("IMAP4rev2"))
        return ReplyPrivate::failLater(reply,
                                       detail::notOffered(QStringLiteral("IDLE (RFC 2177)")));
    if (d->commands.idle)
        return ReplyPrivate::failLater(
            reply,
            Error(Error::Code::CommandFailed, tr("An IDLE is already running; nothing was sent")));
    if (state() == State::Failed || state() == State::Disconnected)
        return ReplyPrivate::failLater(
            reply, Error(Error::Code::ConnectionClosed, tr("The session is not connected")));
    d->commands.idle = reply;
    connect(&reply->d->refreshTimer, &QTimer::timeout, reply, [this, reply] {
        // RFC 2177 §3: servers may log out a client idle for 30 minutes; re-issue first.
        if (reply->d->phase != ImapIdleReplyPrivate::Phase::Idling)
            return;
        reply->d->next = ImapIdleReplyPrivate::Next::Refresh;
        sendIdleDone(reply);
    });
    issueIdle(reply);
    return reply;
}

void ImapSession::issueIdle(ImapIdleReply *reply)
{
    auto command = std::make_unique<ImapCommand>();
    command->name = "IDLE";
    command->pieces = {{"IDLE", RedactionHint::None, false}};
    QPointer<ImapIdleReply> guard(reply);
    command->onSent = [guard] {
        if (guard) {
            guard->d->phase = ImapIdleReplyPrivate::Phase::AwaitingContinuation;
            ++guard->d->idleCount;
        }
    };
    command->onContinuation = [this, guard](const ImapResponse &) {
        if (guard)
            onIdleContinuation(guard);
        else
            sendLine("DONE"); // nobody listens any more
    };
    command->onCompleted = [this, guard](const ImapResponse &response) {
        if (guard)
            onIdleCompleted(guard, response);
    };
    command->onAborted = [this, guard](const Error &error) {
        if (!guard)
            return;
        guard->d->refreshTimer.stop();
        guard->d->idling = false;
        guard->d->command = nullptr;
        if (d->commands.idle == guard)
            d->commands.idle = nullptr;
        ReplyPrivate::fail(guard, error);
    };
    reply->d->phase = ImapIdleReplyPrivate::Phase::Queued;
    reply->d->next = ImapIdleReplyPrivate::Next::Finish;
    reply->d->command = command.get();
    // Behind anything already waiting: IDLE is what the session does when it has nothing
    // else to do.
    d->pipeline.enqueue(std::move(command));
}

void ImapSession::onIdleContinuation(ImapIdleReply *reply)
{
    if (reply->d->phase != ImapIdleReplyPrivate::Phase::AwaitingContinuation)
        return;
    reply->d->phase = ImapIdleReplyPrivate::Phase::Idling;
    reply->d->idling = true;
    // Silence is the point now: no command timeout until DONE is sent.
    d->pipeline.stopDeadline();
    if (reply->d->stopRequested) {
        reply->d->next = ImapIdleReplyPrivate::Next::Finish;
        return sendIdleDone(reply);
    }
    if (d->pipeline.hasQueued()) {
        reply->d->next = ImapIdleReplyPrivate::Next::Resume;
        return sendIdleDone(reply);
    }
    if (d->idleRefreshMs > 0)
        reply->d->refreshTimer.start(d->idleRefreshMs);
    emit reply->idling();
}

void ImapSession::sendIdleDone(ImapIdleReply *reply)
{
    reply->d->refreshTimer.stop();
    reply->d->idling = false;
    reply->d->phase = ImapIdleReplyPrivate::Phase::AwaitingCompletion;
    sendLine("DONE");
    d->pipeline.restartDeadline();
}

void ImapSession::onIdleCompleted(ImapIdleReply *reply, const ImapResponse &response)
{
    reply->d->refreshTimer.stop();
    reply->d->idling = false;
    reply->d->command = nullptr;
    // A queued LOGOUT ends the session: resuming IDLE behind it would only be aborted.
    const bool loggingOut =
        d->pipeline.anyQueued([](const PipelinedCommand &c) { return c.name == "LOGOUT"; });
    if (response.status == ImapStatus::Ok && reply->d->next != ImapIdleReplyPrivate::Next::Finish
        && !reply->d->stopRequested && !loggingOut) {
        issueIdle(reply); // a refresh goes out at once; a resumption after the queue
        return;
    }
    if (d->commands.idle == reply)
        d->commands.idle = nullptr;
    ImapCommandReplyPrivate::get(reply).completion = response;
    if (response.status == ImapStatus::Ok)
        ReplyPrivate::finish(reply, response.textString());
    else
        ReplyPrivate::fail(reply,
                           Error(Error::Code::CommandFailed, tr("The server refused IDLE"),
                                 response.textString()));
}

void ImapSession::idleYield()
{
    ImapIdleReply *reply = d->commands.idle;
    if (!reply || !reply->d->command)
        return;
    switch (reply->d->phase) {
    case ImapIdleReplyPrivate::Phase::Queued: {
        // Waiting to resume: stay behind the command just queued.
        d->pipeline.moveToBack(reply->d->command);
        break;
    }
    case ImapIdleReplyPrivate::Phase::AwaitingContinuation:
        break; // DONE goes out with the "+" (onIdleContinuation sees the queue)
    case ImapIdleReplyPrivate::Phase::Idling:
        reply->d->next = ImapIdleReplyPrivate::Next::Resume;
        sendIdleDone(reply);
        break;
    case ImapIdleReplyPrivate::Phase::AwaitingCompletion:
        if (reply->d->next == ImapIdleReplyPrivate::Next::Refresh)
            reply->d->next =
                ImapIdleReplyPrivate::Next::Resume; // re-issued behind the queue either way
        break;
    }
}

void ImapSession::stopIdle()
{
    ImapIdleReply *reply = d->commands.idle;
    if (!reply)
        return;
    reply->d->stopRequested = true;
    switch (reply->d->phase) {
    case ImapIdleReplyPrivate::Phase::Queued: {
        // Not sent yet (resuming after other commands): drop it; nothing to tell the server.
        d->pipeline.takeQueued(reply->d->command);
        reply->d->command = nullptr;
        d->commands.idle = nullptr;
        ReplyPrivate::finishLater(reply);
        break;
    }
    case ImapIdleReplyPrivate::Phase::AwaitingContinuation: break; // DONE follows the "+"
    case ImapIdleReplyPrivate::Phase::Idling:
        reply->d->next = ImapIdleReplyPrivate::Next::Finish;
        sendIdleDone(reply);
        break;
    case ImapIdleReplyPrivate::Phase::AwaitingCompletion:
        reply->d->next = ImapIdleReplyPrivate::Next::Finish;
        break;
    }
}

ImapIdleReply::~ImapIdleReply()
{
    // Deleted while IDLE runs: end it, or the session would wait on it forever.
    if (d->session && !isFinished())
        d->session->stopIdle();
}

} // namespace mailwire
