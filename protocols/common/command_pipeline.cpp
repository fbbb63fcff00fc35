// SPDX-License-Identifier: LGPL-3.0-or-later
// CommandPipeline: the queue, the commands in flight and the rules between them, shared by
// every protocol's session.
#include "command_pipeline_p.h"

#include <algorithm>

#include <QtCore/QMetaObject>

#include <mailwire/session_base.h>

#include "session_base_p.h"

namespace mailwire {

PipelinedCommand::~PipelinedCommand() = default;

CommandPipeline::CommandPipeline(SessionBase &session, Transmit transmit)
    : m_session(session), m_transmit(std::move(transmit))
{
    m_session.d->pipeline = this; // the session moves the queue on when the upgrade is done
}

CommandPipeline::~CommandPipeline()
{
    if (m_session.d->pipeline == this)
        m_session.d->pipeline = nullptr;
}

void CommandPipeline::append(std::unique_ptr<PipelinedCommand> command)
{
    if (!refuseWhenClosed(command))
        m_queue.push_back(std::move(command));
}

void CommandPipeline::enqueue(std::unique_ptr<PipelinedCommand> command)
{
    append(std::move(command));
    sendNext();
}

void CommandPipeline::enqueueFirst(std::unique_ptr<PipelinedCommand> command)
{
    if (refuseWhenClosed(command))
        return;
    m_queue.push_front(std::move(command));
    sendNext();
}

bool CommandPipeline::refuseWhenClosed(std::unique_ptr<PipelinedCommand> &command)
{
    const SessionBase::State state = m_session.state();
    if (state != SessionBase::State::Failed && state != SessionBase::State::Disconnected)
        return false;
    // Nothing would ever send it or fail it (failAll() already ran). It fails from the
    // event loop, so that the caller, who is only now given its reply, can connect first.
    const std::shared_ptr<PipelinedCommand> refused(std::move(command));
    const Error error(Error::Code::ConnectionClosed,
                      SessionBase::tr("The session is not connected"));
    QMetaObject::invokeMethod(
        &m_session,
        [refused, error] {
            if (refused->onAborted)
                refused->onAborted(error);
        },
        Qt::QueuedConnection);
    return true;
}

bool CommandPipeline::upgradeDone() const
{
    using State = SessionBase::State;
    const State state = m_session.state();
    return state == State::Connected || state == State::Authenticated
        || state == State::Authenticating || state == State::Closing;
}

std::deque<std::unique_ptr<PipelinedCommand>>::iterator CommandPipeline::nextToSend()
{
    if (upgradeDone())
        return m_queue.begin();
    // The upgrade machine's commands go ahead of those the application queued while
    // connecting: those wait for the upgrade, which waits for these.
    return std::find_if(m_queue.begin(), m_queue.end(),
                        [](const auto &c) { return c->connectionPhase; });
}

bool CommandPipeline::maySendNow(const PipelinedCommand &next) const
{
    // Before the upgrade is complete only the machine's own commands may go out
    // (DESIGN.md §2, rule 1).
    if (!next.connectionPhase && !upgradeDone())
        return false;
    if (m_inFlight.empty())
        return true;
    return next.pipelinable && std::all_of(m_inFlight.begin(), m_inFlight.end(), [](const auto &c) {
               return c->pipelinable && c->isFullySent();
           });
}

void CommandPipeline::sendNext()
{
    while (m_session.state() != SessionBase::State::Failed) {
        const auto next = nextToSend();
        if (next == m_queue.end() || !maySendNow(**next))
            return;
        m_inFlight.push_back(std::move(*next));
        m_queue.erase(next);
        PipelinedCommand &sent = *m_inFlight.back();
        countRoundTrip();
        m_transmit(sent);
        restartDeadline();
        // Last, and from a copy: onSent may change the state (LOGOUT), and a slot on
        // stateChanged may wait for a reply, which moves m_inFlight (and `sent`).
        if (const auto onSent = sent.onSent)
            onSent();
    }
}

PipelinedCommand *CommandPipeline::oldestInFlight() const
{
    return m_inFlight.empty() ? nullptr : m_inFlight.front().get();
}

PipelinedCommand *CommandPipeline::findInFlight(const Predicate &matches) const
{
    for (const auto &command : m_inFlight) {
        if (matches(*command))
            return command.get();
    }
    return nullptr;
}

bool CommandPipeline::isInFlight(const PipelinedCommand *command) const
{
    return std::any_of(m_inFlight.begin(), m_inFlight.end(),
                       [command](const auto &c) { return c.get() == command; });
}

std::unique_ptr<PipelinedCommand> CommandPipeline::takeInFlight(PipelinedCommand *command)
{
    auto found = std::find_if(m_inFlight.begin(), m_inFlight.end(),
                              [command](const auto &c) { return c.get() == command; });
    if (found == m_inFlight.end())
        return nullptr;
    std::unique_ptr<PipelinedCommand> taken = std::move(*found);
    m_inFlight.erase(found);
    return taken;
}

void CommandPipeline::completed()
{
    if (m_session.state() == SessionBase::State::Failed)
        return;
    if (m_inFlight.empty())
        stopDeadline();
    else
        restartDeadline();
    sendNext();
}

bool CommandPipeline::anyQueued(const Predicate &matches) const
{
    return std::any_of(m_queue.begin(), m_queue.end(),
                       [&matches](const auto &c) { return matches(*c); });
}

std::unique_ptr<PipelinedCommand> CommandPipeline::takeQueued(const PipelinedCommand *command)
{
    auto found = std::find_if(m_queue.begin(), m_queue.end(),
                              [command](const auto &c) { return c.get() == command; });
    if (found == m_queue.end())
        return nullptr;
    std::unique_ptr<PipelinedCommand> taken = std::move(*found);
    m_queue.erase(found);
    return taken;
}

void CommandPipeline::moveToBack(const PipelinedCommand *command)
{
    if (std::unique_ptr<PipelinedCommand> taken = takeQueued(command))
        m_queue.push_back(std::move(taken));
}

void CommandPipeline::restartDeadline() { m_session.startCommandTimer(); }

void CommandPipeline::stopDeadline() { m_session.stopCommandTimer(); }

void CommandPipeline::countRoundTrip() { m_session.countRoundTrip(); }

void CommandPipeline::discardInFlight() { m_inFlight.clear(); }

void CommandPipeline::failAll(const Error &error)
{
    std::vector<std::unique_ptr<PipelinedCommand>> pending = std::move(m_inFlight);
    m_inFlight.clear();
    while (!m_queue.empty()) {
        pending.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    for (const auto &command : pending) {
        if (command->onAborted)
            command->onAborted(error);
    }
}

} // namespace mailwire
