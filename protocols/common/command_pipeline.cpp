// SPDX-License-Identifier: LGPL-3.0-or-later
// CommandPipeline: the queue, the commands in flight and the rules between them, shared by
// every protocol's session.
#include "command_pipeline_p.h"

#include <algorithm>

#include <mailwire/session_base.h>

namespace mailwire {

PipelinedCommand::~PipelinedCommand() = default;

CommandPipeline::CommandPipeline(SessionBase &session, Transmit transmit)
    : m_session(session), m_transmit(std::move(transmit))
{}

CommandPipeline::~CommandPipeline() = default;

void CommandPipeline::append(std::unique_ptr<PipelinedCommand> command)
{
    m_queue.push_back(std::move(command));
}

void CommandPipeline::enqueue(std::unique_ptr<PipelinedCommand> command)
{
    append(std::move(command));
    sendNext();
}

void CommandPipeline::enqueueFirst(std::unique_ptr<PipelinedCommand> command)
{
    m_queue.push_front(std::move(command));
    sendNext();
}

bool CommandPipeline::maySendNow(const PipelinedCommand &next) const
{
    using State = SessionBase::State;
    const State state = m_session.state();
    // Before the upgrade is complete only the machine's own commands may go out
    // (DESIGN.md §2, rule 1).
    const bool connected = state == State::Connected || state == State::Authenticated
        || state == State::Authenticating || state == State::Closing;
    if (!next.connectionPhase && !connected)
        return false;
    if (m_inFlight.empty())
        return true;
    return next.pipelinable && std::all_of(m_inFlight.begin(), m_inFlight.end(), [](const auto &c) {
               return c->pipelinable && c->isFullySent();
           });
}

void CommandPipeline::sendNext()
{
    while (!m_queue.empty() && m_session.state() != SessionBase::State::Failed) {
        if (!maySendNow(*m_queue.front()))
            return;
        m_inFlight.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
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
