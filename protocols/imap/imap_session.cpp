// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession: the hooks of the shared upgrade machine, IMAP's framing on the shared
// CommandPipeline (tags, literals) and the routing of responses by tag. Authentication
// lives in imap_session_auth.cpp; mailbox and message commands in their own files.
#include <mailwire/imap_session.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QVarLengthArray>

#include <mailwire/ssl_socket.h>

#include "imap_capabilities_p.h"
#include "imap_command_p.h"
#include "imap_parser_p.h"
#include "imap_session_p.h"
#include "imap_logging_p.h"
#include "reply_p.h"

namespace mailwire {

using detail::ImapCommand;
using detail::ImapCommandBuilder;

namespace {
constexpr int MaxTranscriptPiece = 1024; // longer pieces are literal data: shown by size
// Transcript markers for what the server said before TLS and the session dropped.
const char *const IgnoredBeforeTls = "ignored: sent before TLS, unauthenticated";
const char *const AlertIgnoredBeforeTls = "ALERT ignored: sent before TLS, unauthenticated";
} // namespace

ImapSessionPrivate::ImapSessionPrivate(ImapSession *session)
    : q(session), pipeline(*session, [this](PipelinedCommand &command) {
          // IMAP's framing: each command goes out under the next tag (RFC 9051 §2.2.1).
          ImapCommand &imap = detail::imapCommand(command);
          ++tagCounter;
          imap.tag = "A" + QByteArray::number(tagCounter).rightJustified(3, '0');
          sendPieces(imap);
      })
{}

ImapSession::ImapSession(QObject *parent)
    : SessionBase(parent), d(std::make_unique<ImapSessionPrivate>(this))
{
    setProtocolLogCategory(detail::lcImap());
}

ImapSession::~ImapSession()
{
    // Replies still pending learn that the session is gone before it is.
    failPendingCommands(Error(Error::Code::Cancelled, tr("The session was destroyed")));
}

quint16 ImapSession::defaultPort(TlsMode mode) const
{
    return mode == TlsMode::ImplicitTls ? 993 : 143; // RFC 8314 §7.1, RFC 9051 §2.1
}

Reply *ImapSession::connectToServer()
{
    d->parser = std::make_unique<detail::ImapParser>(settings().limits);
    return startConnection();
}

bool ImapSession::literalPlus() const
{
    return capabilities().has("LITERAL+") || capabilities().has("LITERAL-");
}

void ImapSession::resetProtocol()
{
    // A new connection, or the stream that starts after STARTTLS: nothing carries over.
    d->parser = std::make_unique<detail::ImapParser>(settings().limits);
    d->pipeline.discardInFlight();
    d->commands.reset();
    d->byeText.clear();
}

qint64 ImapSession::parserResidue() const { return d->parser ? d->parser->residue() : 0; }

bool ImapSession::offersUpgrade(const Capabilities &capabilities) const
{
    return capabilities.has("STARTTLS");
}

void ImapSession::requestCapabilities()
{
    auto command = std::make_unique<ImapCommand>();
    command->name = "CAPABILITY";
    command->pieces = {{"CAPABILITY", RedactionHint::None, false}};
    command->connectionPhase = true;
    auto collected = std::make_shared<QList<QByteArray>>();
    command->onUntagged = [collected](const ImapResponse &response) {
        if (response.type != ImapResponse::Type::Capability)
            return false;
        *collected += response.atoms;
        return true;
    };
    command->onCompleted = [this, collected](const ImapResponse &response) {
        if (response.status != ImapStatus::Ok)
            return fail(
                Error(Error::Code::ProtocolError, tr("CAPABILITY failed"), response.textString()));
        QList<QByteArray> atoms = *collected;
        if (atoms.isEmpty())
            atoms = response.code.capabilities();
        capabilitiesReceived(detail::imapCapabilities(atoms));
    };
    d->enqueue(std::move(command));
}

void ImapSession::requestUpgrade()
{
    auto command = std::make_unique<ImapCommand>();
    command->name = "STARTTLS";
    command->pieces = {{"STARTTLS", RedactionHint::None, false}};
    command->connectionPhase = true;
    command->onCompleted = [this](const ImapResponse &response) {
        upgradeReplyReceived(response.status == ImapStatus::Ok, response.textString());
    };
    // "+" is no answer STARTTLS can have (RFC 9051 §6.2.1): whatever the server means by
    // it, TLS does not start. A refusal, not a grammar error: the policy decides what
    // follows (StartTlsRefused).
    command->onContinuation = [this](const ImapResponse &response) {
        upgradeReplyReceived(false, response.textString());
    };
    d->enqueue(std::move(command));
}

void ImapSession::feed(const char *data, qsizetype size)
{
    if (!d->parser)
        return;
    if (size > 0) {
        d->parser->feed(data, size);
        d->reportDownloadProgress();
    }
    while (!readingFrozen() && d->parser) {
        ImapResponse response;
        const detail::ImapParser::Result result = d->parser->next(&response);
        if (result == detail::ImapParser::Result::NeedMore)
            return;
        if (result == detail::ImapParser::Result::Malformed) {
            logServerLine(d->parser->error().excerpt);
            return fail(d->parser->error().toError());
        }
        if (isLoggingServerLines())
            logServerLine(d->parser->lastResponseText());
        prepareDispatch(); // a slot may wait for a later reply (Reply::waitForFinished)
        dispatch(response);
    }
}

void ImapSession::dispatch(const ImapResponse &response)
{
    // Rule 5: a [CAPABILITY] code (greeting, LOGIN OK, ...) is bounded like the command.
    const Error tooMany = detail::checkCapabilityCode(response, settings().limits);
    if (tooMany.isError())
        return fail(tooMany);
    if (state() == State::AwaitingGreeting)
        return handleGreeting(response);
    switch (response.type) {
    case ImapResponse::Type::TaggedStatus: return handleTagged(response);
    case ImapResponse::Type::Continuation: return handleContinuation(response);
    default: return handleUntagged(response);
    }
}

void ImapSession::handleGreeting(const ImapResponse &response)
{
    if (response.type != ImapResponse::Type::UntaggedStatus)
        return fail(Error(Error::Code::BadGreeting, tr("The server did not send an IMAP greeting"),
                          QString::fromUtf8(d->parser->lastResponseText())));
    const QList<QByteArray> atoms = response.code.capabilities();
    const Capabilities greetingCapabilities = detail::imapCapabilities(atoms);
    if (response.code.isAlert())
        noteResponseCode(response); // over TLS the user sees it; before TLS it is dropped
    switch (response.status) {
    case ImapStatus::Ok:
        return greetingReceived(Greeting::Ok, response.textString(),
                                atoms.isEmpty() ? nullptr : &greetingCapabilities);
    case ImapStatus::Preauth:
        return greetingReceived(Greeting::Preauthenticated, response.textString(),
                                atoms.isEmpty() ? nullptr : &greetingCapabilities);
    default: // BYE (RFC 9051 §7.1.5): the server will not serve us
        return greetingReceived(Greeting::Rejected, response.textString());
    }
}

void ImapSession::noteResponseCode(const ImapResponse &response)
{
    // Before TLS an [ALERT] is a man in the middle's best way to talk to the user
    // (CVE-2021-29969, CVE-2021-38372): kept in the transcript, never shown.
    if (isBeforeUpgrade()) {
        if (response.code.isAlert())
            logMarker(QString::fromLatin1(AlertIgnoredBeforeTls));
        return;
    }
    if (response.code.isAlert())
        emit alertReceived(response.textString());
    // A CAPABILITY code after authentication saves a round trip (RFC 9051 §7.1). Before
    // the upgrade completes capabilities only come from the explicit query.
    if (response.code.kind() == ResponseCode::Kind::Capability
        && (state() == State::Connected || state() == State::Authenticated
            || state() == State::Authenticating))
        setCapabilities(detail::imapCapabilities(response.code.capabilities()));
}

void ImapSession::handleTagged(const ImapResponse &response)
{
    ImapCommand *matched = d->inFlightWithTag(response.tag);
    if (!matched)
        return fail(Error(Error::Code::ProtocolError,
                          tr("The server completed a command that was never sent"),
                          QString::fromUtf8(response.tag)));
    const std::unique_ptr<PipelinedCommand> command = d->pipeline.takeInFlight(matched);
    noteResponseCode(response);
    d->finishProgress(*matched, response.status == ImapStatus::Ok);
    if (matched->onCompleted)
        matched->onCompleted(response);
    d->pipeline.completed();
}

void ImapSession::handleContinuation(const ImapResponse &response)
{
    // First a command still sending synchronising literals, then one that talks in
    // continuations (AUTHENTICATE, IDLE).
    for (const auto &entry : d->pipeline.inFlight()) {
        ImapCommand &command = detail::imapCommand(*entry);
        if (!command.isFullySent()) {
            d->sendPieces(command);
            return;
        }
    }
    for (const auto &entry : d->pipeline.inFlight()) {
        ImapCommand &command = detail::imapCommand(*entry);
        if (command.onContinuation) {
            command.onContinuation(response);
            return;
        }
    }
    fail(Error(Error::Code::ProtocolError, tr("Unexpected continuation request"),
               response.textString()));
}

void ImapSession::handleUntagged(const ImapResponse &response)
{
    if (isBeforeUpgrade())
        return handleUntaggedBeforeTls(response);
    noteResponseCode(response);
    emit untaggedReceived(response);
    const bool claimed = offerToCommands(response);
    if (state() == State::Failed)
        return; // a command's collection went over its limit (rule 5)
    switch (response.type) {
    case ImapResponse::Type::Exists: emit exists(response.number); break;
    case ImapResponse::Type::Recent: emit recent(response.number); break;
    case ImapResponse::Type::Expunge: emit expunged(response.number); break;
    case ImapResponse::Type::Fetch:
        if (!claimed && response.fetch.flags) {
            QStringList flags;
            for (const QByteArray &flag : *response.fetch.flags)
                flags << QString::fromUtf8(flag);
            emit flagsChanged(response.number, flags);
        }
        break;
    case ImapResponse::Type::UntaggedStatus:
        if (response.status == ImapStatus::Bye)
            d->byeText = response.textString();
        break;
    default: break;
    }
}

void ImapSession::handleUntaggedBeforeTls(const ImapResponse &response)
{
    // Invariant 8: in StartTls mode nothing the server says before TLS reaches the
    // application. The capability list goes to the CAPABILITY command (it decides the
    // upgrade and is forgotten after it); a BYE ends the session; everything else (ALERT,
    // EXISTS, RECENT, FETCH, EXPUNGE, FLAGS, ...) stays in the transcript, marked.
    if (response.type == ImapResponse::Type::UntaggedStatus && response.status == ImapStatus::Bye)
        return fail(Error(Error::Code::ConnectionClosed,
                          tr("The server ended the connection before TLS (BYE)"),
                          response.textString()));
    if (response.type == ImapResponse::Type::Capability && offerToCommands(response))
        return;
    logMarker(
        QString::fromLatin1(response.code.isAlert() ? AlertIgnoredBeforeTls : IgnoredBeforeTls));
}

bool ImapSession::offerToCommands(const ImapResponse &response)
{
    // A command's callback may reach a slot that waits for another reply, and inside that
    // wait commands complete and leave inFlight. So: walk the tags seen now, find each
    // command again before calling it, and call a copy of its callback (the command may
    // be gone by the time the callback returns).
    QVarLengthArray<QByteArray, 8> tags;
    for (const auto &entry : d->pipeline.inFlight()) {
        const ImapCommand &command = detail::imapCommand(*entry);
        if (command.onUntagged)
            tags.append(command.tag);
    }
    bool claimed = false;
    for (const QByteArray &tag : tags) {
        const ImapCommand *found = d->inFlightWithTag(tag);
        if (!found)
            continue;
        const std::function<bool(const ImapResponse &)> callback = found->onUntagged;
        if (!callback(response)) {
            if (state() == State::Failed)
                break;
            continue;
        }
        claimed = true;
        if (state() == State::Failed)
            break;
        // Charged to the command that kept it, found again for the same reason as above.
        ImapCommand *keeper = d->inFlightWithTag(tag);
        if (!keeper)
            continue;
        const Error overLimit = keeper->collected.charge(response, settings().limits);
        if (overLimit.isError()) {
            fail(overLimit); // rule 5: a server this verbose is hostile or broken
            break;
        }
    }
    return claimed;
}

void ImapSessionPrivate::enqueue(std::unique_ptr<ImapCommand> command)
{
    pipeline.append(std::move(command));
    q->idleYield(); // a running IDLE ends first (RFC 2177 §3)
    pipeline.sendNext();
}

ImapCommand *ImapSessionPrivate::inFlightWithTag(const QByteArray &tag) const
{
    PipelinedCommand *found = pipeline.findInFlight(
        [&tag](const PipelinedCommand &c) { return detail::imapCommand(c).tag == tag; });
    return found ? &detail::imapCommand(*found) : nullptr;
}

void ImapSessionPrivate::sendPieces(ImapCommand &command)
{
    if (command.nextPiece == 0) {
        command.firstByte = q->bytesQueued();
        if (parser) {
            command.receivedBase = parser->literalBytesReceived();
            command.announcedBase = parser->literalBytesAnnounced();
        }
    }
    while (command.nextPiece < command.pieces.size()) {
        const detail::ImapCommandPiece &piece = command.pieces.at(command.nextPiece);
        const QByteArray prefix = command.nextPiece == 0 ? command.tag + ' ' : QByteArray();
        const QByteArray bytes = prefix + piece.bytes;
        const bool last = command.nextPiece + 1 == command.pieces.size();
        ++command.nextPiece;
        // Each secret argument hides its own span, whichever piece it travels in; the
        // text is always given, so nothing falls back to logging the raw bytes.
        QByteArray shown = piece.transcriptText(prefix);
        // A message being appended is no transcript material; its size is.
        if (shown.size() > MaxTranscriptPiece && piece.secrets.isEmpty() && shown == bytes)
            shown = "<" + QByteArray::number(bytes.size()) + " bytes of literal data>";
        if (piece.waitsForContinuation || last) {
            q->sendLine(bytes, RedactionHint::None, shown);
            if (piece.waitsForContinuation) {
                pipeline.countRoundTrip();
                return; // the server's "+" sends the rest (handleContinuation)
            }
        } else {
            q->sendRaw(bytes, RedactionHint::None, shown); // LITERAL+: the literal follows at once
        }
    }
}

ImapCommandReply *ImapSession::failedReply(const Error &error)
{
    return ReplyPrivate::failLater(new ImapCommandReply(this), error);
}

ImapCommandReply *ImapSessionPrivate::submit(ImapCommandBuilder &builder, ResponseFilter filter,
                                             bool pipelinable, ImapCommandReply *reply)
{
    if (!reply)
        reply = new ImapCommandReply(q);
    if (auto command = prepareCommand(builder, std::move(filter), pipelinable, reply))
        enqueue(std::move(command));
    return reply;
}

std::unique_ptr<ImapCommand> ImapSessionPrivate::prepareCommand(ImapCommandBuilder &builder,
                                                                ResponseFilter filter,
                                                                bool pipelinable,
                                                                ImapCommandReply *reply) const
{
    if (builder.error().isError()) {
        ReplyPrivate::failLater(reply, builder.error());
        return nullptr;
    }
    if (q->state() == SessionBase::State::Failed
        || q->state() == SessionBase::State::Disconnected) {
        ReplyPrivate::failLater(
            reply,
            Error(Error::Code::ConnectionClosed, QStringLiteral("The session is not connected")));
        return nullptr;
    }
    auto command = std::make_unique<ImapCommand>();
    command->pieces = builder.pieces();
    command->name = command->pieces.value(0).bytes.split(' ').value(0);
    command->pipelinable = pipelinable;
    QPointer<ImapCommandReply> guard(reply);
    command->onUntagged = [guard, filter = std::move(filter)](const ImapResponse &response) {
        const bool wanted = filter ? filter(response) : !response.isStatus();
        if (wanted && guard)
            ImapCommandReplyPrivate::get(guard).responses.append(response);
        return wanted;
    };
    command->onCompleted = [guard](const ImapResponse &response) {
        if (!guard)
            return;
        ImapCommandReplyPrivate::get(guard).completion = response;
        if (response.status == ImapStatus::Ok)
            ReplyPrivate::finish(guard, response.textString());
        else
            ReplyPrivate::fail(guard,
                               Error(Error::Code::CommandFailed,
                                     QStringLiteral("The server refused the command"),
                                     response.textString()));
    };
    command->onAborted = [guard](const Error &error) {
        if (guard)
            ReplyPrivate::fail(guard, error);
    };
    return command;
}

void ImapSession::failPendingCommands(const Error &error)
{
    // After "* BYE" the close is the server's decision: its words say why.
    const bool closed = error.code() == Error::Code::ConnectionClosed
        || error.code() == Error::Code::ConnectionTruncated;
    const Error reported = closed && error.serverText().isEmpty() && !d->byeText.isEmpty()
        ? Error(error.code(), error.message(), d->byeText)
        : error;
    d->pipeline.failAll(reported);
}

ImapCommandReply *ImapSession::capability()
{
    ImapCommandBuilder builder("CAPABILITY", false);
    auto *reply = d->submit(
        builder, [](const ImapResponse &r) { return r.type == ImapResponse::Type::Capability; },
        true);
    connect(reply, &Reply::finished, this, [this, reply] {
        if (reply->hasError())
            return;
        QList<QByteArray> atoms;
        for (const ImapResponse &response : reply->responses())
            atoms += response.atoms;
        capabilitiesReceived(detail::imapCapabilities(atoms));
    });
    return reply;
}

ImapCommandReply *ImapSession::noop()
{
    ImapCommandBuilder builder("NOOP", false);
    return d->submit(builder);
}

ImapCommandReply *ImapSession::logout()
{
    ImapCommandBuilder builder("LOGOUT", false);
    if (state() == State::Failed || state() == State::Disconnected)
        return d->submit(builder);
    auto *reply = new ImapCommandReply(this);
    auto command = std::make_unique<ImapCommand>();
    command->name = "LOGOUT";
    command->pieces = builder.pieces();
    // RFC 9051 §6.1.3: BYE, the tagged OK, then the server closes: from the moment LOGOUT
    // leaves, the close is expected, not an error.
    command->onSent = [this] { expectClose(); };
    QPointer<ImapCommandReply> guard(reply);
    command->onCompleted = [this, guard](const ImapResponse &response) {
        // Confirmed: the server's close that follows ends the session cleanly, with or
        // without close_notify.
        closeAcknowledged();
        if (guard) {
            ImapCommandReplyPrivate::get(guard).completion = response;
            ReplyPrivate::finish(guard, response.textString());
        }
    };
    command->onAborted = [guard](const Error &error) {
        // The server may close right after BYE, before or without its tagged OK.
        if (guard && error.code() == Error::Code::ConnectionClosed)
            ReplyPrivate::finish(guard);
        else if (guard)
            ReplyPrivate::fail(guard, error);
    };
    d->enqueue(std::move(command));
    return reply;
}

ImapCommandReply *ImapSession::command(const QByteArray &commandText)
{
    if (commandText.contains('\r') || commandText.contains('\n') || commandText.contains('\0'))
        return failedReply(Error(Error::Code::InvalidArgument,
                                 tr("The command contains CR, LF or NUL; nothing was sent")));
    // A trailing "{n}" announces a literal: the server would take the next command's bytes
    // as its contents. Literals go through the typed commands, which send them properly.
    static const QRegularExpression literalAnnouncement(QStringLiteral("~?\\{\\d+[+-]?\\}$"));
    if (literalAnnouncement.match(QString::fromLatin1(commandText.trimmed())).hasMatch())
        return failedReply(
            Error(Error::Code::InvalidArgument,
                  tr("The command ends in a literal announcement; nothing was sent")));
    ImapCommandBuilder builder(commandText.trimmed(), literalPlus());
    return d->submit(builder);
}

} // namespace mailwire
