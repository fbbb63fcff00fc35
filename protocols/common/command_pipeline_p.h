// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include <QtCore/QByteArray>

#include <mailwire/error.h>

namespace mailwire {

class SessionBase;

/// A command as the pipeline sees it. Each protocol derives its own command type, which
/// carries the framing (IMAP tag and literal pieces, an SMTP line) and what to do with the
/// responses; the pipeline only moves it from the queue to the wire to completion.
class PipelinedCommand
{
public:
    PipelinedCommand() = default;
    virtual ~PipelinedCommand();
    PipelinedCommand(const PipelinedCommand &) = delete;
    PipelinedCommand &operator=(const PipelinedCommand &) = delete;

    /// The verb ("FETCH", "UID FETCH", "MAIL"): for logs, and for protocols that route
    /// untagged data to the oldest command of a kind.
    QByteArray name;
    /// May go out while other pipelinable commands are in flight (RFC 3501 §5.5, RFC 2920,
    /// RFC 2449 §6.6); a command that is not waits until nothing is in flight.
    bool pipelinable = false;
    /// Part of the upgrade machine (capability query, STARTTLS): may go out before the
    /// session is Connected. Every other command waits for the upgrade to finish.
    bool connectionPhase = false;
    /// Called once the command's first bytes are written (LOGOUT/QUIT expect the close
    /// from then on).
    std::function<void()> onSent;
    /// The session failed or closed with the command pending (queued or in flight).
    std::function<void(const Error &)> onAborted;

    /// False while part of the command still waits to be sent (an IMAP synchronising
    /// literal waiting for "+"): nothing may be pipelined behind it.
    virtual bool isFullySent() const { return true; }
};

/// The one command pipeline of every protocol (IMAP, SMTP, POP3): the queue, the commands
/// in flight, whether the next one may be pipelined behind them, the per-command deadline,
/// round-trip counting, and failing everything pending when the connection ends.
///
/// The protocol supplies the framing (transmit: write the command, e.g. with a new IMAP
/// tag) and the matching: it finds the command a response completes, by tag
/// (findInFlight()) or in order (oldestInFlight(), for SMTP and POP3), takes it out with
/// takeInFlight(), runs its completion, and calls completed().
class CommandPipeline
{
public:
    using Transmit = std::function<void(PipelinedCommand &command)>;
    using Predicate = std::function<bool(const PipelinedCommand &command)>;

    /// One per session: it registers with session, which moves the queue on (sendNext())
    /// when the upgrade completes.
    CommandPipeline(SessionBase &session, Transmit transmit);
    ~CommandPipeline();
    CommandPipeline(const CommandPipeline &) = delete;
    CommandPipeline &operator=(const CommandPipeline &) = delete;

    /// Queues command behind everything waiting; sendNext() sends it. On a session that
    /// failed or closed, command is not queued: its onAborted runs from the event loop
    /// (ConnectionClosed), as for enqueue() and enqueueFirst().
    void append(std::unique_ptr<PipelinedCommand> command);
    /// Queues command behind everything waiting and sends what the rules allow.
    void enqueue(std::unique_ptr<PipelinedCommand> command);
    /// Queues command ahead of everything waiting (the steps of one operation stay
    /// together) and sends what the rules allow.
    void enqueueFirst(std::unique_ptr<PipelinedCommand> command);
    /// Sends queued commands while the rules allow: before Connected only the upgrade
    /// machine's own commands (ahead of the others queued meanwhile), in order after; one
    /// at a time unless the next one and all in flight are pipelinable and fully sent.
    void sendNext();

    // --- matching (the protocol's side)
    /// The command sent first among those in flight; nullptr when none.
    PipelinedCommand *oldestInFlight() const;
    /// The oldest command in flight that matches; nullptr when none.
    PipelinedCommand *findInFlight(const Predicate &matches) const;
    /// Whether command is (still) in flight: a callback that ran a nested event loop may
    /// find its command completed meanwhile.
    bool isInFlight(const PipelinedCommand *command) const;
    /// The commands in flight, oldest first.
    const std::vector<std::unique_ptr<PipelinedCommand>> &inFlight() const { return m_inFlight; }
    /// Removes command from the in-flight list and hands it to the caller, who runs its
    /// completion and then calls completed().
    std::unique_ptr<PipelinedCommand> takeInFlight(PipelinedCommand *command);
    /// A command completed: the ones still in flight get a fresh deadline (a completion is
    /// progress; bytes of a reply never are), or the deadline stops when none is left; then
    /// the queue moves on. Does nothing once the session failed.
    void completed();

    // --- the queue
    bool hasQueued() const { return !m_queue.empty(); }
    /// Whether any queued command matches.
    bool anyQueued(const Predicate &matches) const;
    /// Removes a queued command (it will not be sent); nullptr if it is not queued.
    std::unique_ptr<PipelinedCommand> takeQueued(const PipelinedCommand *command);
    /// Moves a queued command behind everything else waiting.
    void moveToBack(const PipelinedCommand *command);

    // --- deadline and accounting
    /// Starts the per-command deadline again (Timeouts::commandMs): a command was sent, or
    /// a long exchange (IMAP IDLE's DONE) asks for its answer.
    void restartDeadline();
    /// No deadline while the protocol waits on purpose (IMAP IDLE).
    void stopDeadline();
    /// One more request that waits for an answer (a continuation, the TLS handshake).
    void countRoundTrip();

    // --- the end of a stream
    /// Forgets the commands in flight without completing them: a new protocol stream
    /// starts (after STARTTLS, nothing in flight belongs to it). The queue stays.
    void discardInFlight();
    /// Completes every command, in flight then queued, with error (onAborted).
    void failAll(const Error &error);

private:
    /// Whether the upgrade machine is done (Connected or later, Closing included).
    bool upgradeDone() const;
    /// The queued command that goes next once the rules allow it; end() when none may.
    std::deque<std::unique_ptr<PipelinedCommand>>::iterator nextToSend();
    bool maySendNow(const PipelinedCommand &next) const;
    /// On a failed or closed session: takes command and fails it from the event loop.
    bool refuseWhenClosed(std::unique_ptr<PipelinedCommand> &command);

    SessionBase &m_session;
    Transmit m_transmit;
    std::deque<std::unique_ptr<PipelinedCommand>> m_queue;
    std::vector<std::unique_ptr<PipelinedCommand>> m_inFlight;
};

} // namespace mailwire
