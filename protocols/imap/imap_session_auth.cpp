// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession::authenticate(): SASL (RFC 9051 §6.2.2, SASL-IR RFC 4959) chosen from the
// post-TLS capabilities, or LOGIN (§6.2.3) when no mechanism fits and LOGIN is allowed.
#include <mailwire/imap_session.h>

#include "imap_command_p.h"
#include "imap_session_p.h"
#include "sasl_p.h"

namespace mailwire {

using detail::ImapCommand;
using detail::ImapCommandBuilder;
using detail::SaslMechanism;

namespace {

Error authFailure(const ImapResponse &response)
{
    return Error(Error::Code::AuthenticationFailed,
                 QStringLiteral("The server rejected the credentials"), response.textString());
}

} // namespace

Reply *ImapSession::authenticate(const Credentials &credentials)
{
    if (state() != State::Connected)
        return failedReply(Error(Error::Code::InvalidArgument,
                                 tr("authenticate() needs a connected, unauthenticated session")));
    // Rule: credentials never travel in plaintext unless the caller chose exactly that.
    const Error policy = credentialsPolicy();
    if (policy.isError())
        return failedReply(policy);

    detail::SaslOptions options;
    options.host = settings().host;
    options.port = settings().port ? settings().port : defaultPort(settings().tlsMode);
    options.maxScramIterations = settings().limits.maxScramIterations;
    detail::SaslChoice choice =
        detail::chooseMechanism(capabilities().saslMechanisms(), credentials, true, options);

    auto *reply = new ImapCommandReply(this);
    QPointer<ImapCommandReply> guard(reply);
    auto command = std::make_unique<ImapCommand>();
    const bool loginAllowed = !capabilities().has("LOGINDISABLED")
        && (credentials.preferredMechanisms.isEmpty()
            || credentials.preferredMechanisms.contains(QLatin1String("LOGIN"),
                                                        Qt::CaseInsensitive));

    if (!choice.mechanism) {
        if (!loginAllowed || credentials.password.isEmpty()) {
            delete reply;
            const Error error = capabilities().has("LOGINDISABLED")
                ? Error(Error::Code::AuthenticationUnavailable,
                        tr("The server disables LOGIN and offers no usable SASL mechanism"))
                : choice.error;
            return failedReply(error.isError() ? error
                                               : Error(Error::Code::AuthenticationUnavailable));
        }
        ImapCommandBuilder builder("LOGIN", literalPlus());
        builder.string(credentials.user).string(credentials.password, true);
        if (builder.error().isError()) {
            delete reply;
            return failedReply(builder.error());
        }
        command->name = "LOGIN";
        command->pieces = builder.pieces();
    } else {
        std::shared_ptr<SaslMechanism> mechanism(std::move(choice.mechanism));
        const Error unusable = mechanism->checkCredentials();
        if (unusable.isError()) {
            delete reply;
            return failedReply(unusable);
        }
        ImapCommandBuilder builder("AUTHENTICATE", false);
        builder.raw(mechanism->name().toLatin1());
        if (mechanism->hasInitialResponse() && capabilities().has("SASL-IR")) {
            // RFC 4959 §3: "=" is the empty response and tells nothing; anything else is
            // the credentials (PLAIN, XOAUTH2, OAUTHBEARER) or part of a proof (SCRAM).
            const QByteArray initial =
                detail::initialResponseArgument(mechanism->initialResponse());
            builder.raw(initial, initial != "=");
        }
        command->name = "AUTHENTICATE";
        command->pieces = builder.pieces();
        auto failure = std::make_shared<Error>();
        command->onContinuation = [this, mechanism, failure](const ImapResponse &response) {
            QByteArray challenge;
            if (!detail::saslDecode(response.text.trimmed(), &challenge)) {
                *failure = Error(Error::Code::ProtocolError,
                                 tr("The server's SASL challenge is not valid base64"));
                return sendLine("*"); // RFC 4422 §3.5: cancel; the server answers BAD
            }
            const SaslMechanism::Step step = mechanism->respond(challenge);
            switch (step.status) {
            case SaslMechanism::Step::Status::Continue:
            case SaslMechanism::Step::Status::ServerError:
                if (step.status == SaslMechanism::Step::Status::ServerError)
                    *failure = Error(step.code, step.error);
                return sendLine(detail::saslEncode(step.response), RedactionHint::SaslResponse);
            default: *failure = Error(step.code, step.error); return sendLine("*");
            }
        };
        command->onCompleted = [this, guard, mechanism, failure](const ImapResponse &response) {
            if (response.status != ImapStatus::Ok) {
                setState(State::Connected);
                if (guard)
                    ReplyPrivate::fail(guard,
                                       failure->isError() ? *failure : authFailure(response));
                return;
            }
            // SCRAM: the server must have proved it knows the password too.
            const SaslMechanism::Step step = mechanism->succeeded();
            if (step.status != SaslMechanism::Step::Status::Done) {
                fail(Error(step.code, step.error));
                return;
            }
            setAuthenticated();
            if (guard)
                ReplyPrivate::finish(guard, response.textString());
            if (response.code.kind() != ResponseCode::Kind::Capability)
                capability(); // capabilities may change with authentication
        };
    }
    if (!command->onCompleted) {
        command->onCompleted = [this, guard](const ImapResponse &response) {
            if (response.status != ImapStatus::Ok) {
                setState(State::Connected);
                if (guard)
                    ReplyPrivate::fail(guard, authFailure(response));
                return;
            }
            setAuthenticated();
            if (guard)
                ReplyPrivate::finish(guard, response.textString());
            if (response.code.kind() != ResponseCode::Kind::Capability)
                capability();
        };
    }
    command->onAborted = [guard](const Error &error) {
        if (guard)
            ReplyPrivate::fail(guard, error);
    };
    setState(State::Authenticating);
    d->enqueue(std::move(command));
    return reply;
}

} // namespace mailwire
