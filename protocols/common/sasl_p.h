// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <memory>

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <mailwire/credentials.h>
#include <mailwire/error.h>
#include <mailwire/protocol_limits.h>

namespace mailwire::detail {

/// The client side of one SASL exchange (RFC 4422), on raw bytes: the protocol adds and
/// removes base64 (saslEncode(), saslDecode()) and its own framing (IMAP "+", SMTP "334",
/// POP3 "+"). One object per attempt; not reusable. No socket, no event loop.
///
/// How a session drives it:
///   1. checkCredentials(); a non-None error fails before anything is sent.
///   2. If hasInitialResponse() and the server takes one (SASL-IR, RFC 4959; SMTP AUTH,
///      RFC 4954; POP3 AUTH, RFC 5034), send initialResponseArgument(initialResponse()).
///   3. Each challenge goes through respond(), whose Step says what to send.
///   4. When the server reports success, call succeeded(); only Done means authenticated.
///      (SCRAM refuses a success that came before the server proved itself.)
class SaslMechanism
{
public:
    /// What to do after a challenge (or a success).
    struct Step
    {
        enum class Status {
            Continue,   ///< send response (possibly empty) and wait for the server
            Done,       ///< the exchange is complete (only from succeeded())
            Abort,      ///< send the cancel ("*", RFC 4422 §3.5) and fail with code/error
            ServerError ///< the server reported an error inside the exchange (XOAUTH2,
                        ///< OAUTHBEARER): send response, expect the command to fail,
                        ///< and report error (the server's detail) with code
        };
        Status status = Status::Continue;
        QByteArray response;                  ///< raw bytes to send (Continue, ServerError)
        Error::Code code = Error::Code::None; ///< for Abort and ServerError
        QString error;                        ///< for people (Abort and ServerError)

        static Step send(const QByteArray &response);
        static Step done();
        static Step abort(Error::Code code, const QString &error);
        static Step serverError(const QByteArray &response, const QString &error);
    };

    virtual ~SaslMechanism();
    SaslMechanism(const SaslMechanism &) = delete;
    SaslMechanism &operator=(const SaslMechanism &) = delete;

    /// The registered name, e.g. "SCRAM-SHA-256" (RFC 4422 §3.1; upper case).
    virtual QString name() const = 0;
    /// True if the client speaks first (RFC 4422 §3.3).
    virtual bool hasInitialResponse() const = 0;
    /// True once the server has proved it knows the password (SCRAM's server signature).
    virtual bool serverVerified() const { return false; }

    /// InvalidArgument if the credentials cannot be used with this mechanism (missing
    /// fields, NUL or CR/LF where the wire format cannot carry them, SASLprep failure);
    /// otherwise an Error with code None.
    Error checkCredentials() const { return m_credentialError; }
    /// The client's first message. Without SASL-IR the session sends nothing now and
    /// respond() gives the same bytes for the server's empty challenge.
    QByteArray initialResponse();
    /// Handles one decoded server challenge.
    Step respond(const QByteArray &challenge);
    /// The server reported success, with additionalData if its protocol carries any
    /// (RFC 4422 §3.6). Done, or Abort if the mechanism cannot accept the success.
    Step succeeded(const QByteArray &additionalData = QByteArray());

protected:
    SaslMechanism() = default;
    /// For constructors: records why the credentials are unusable (first reason wins).
    void rejectCredentials(const QString &why);
    virtual QByteArray makeInitialResponse() { return QByteArray(); }
    virtual Step onChallenge(const QByteArray &challenge) = 0;
    virtual Step onSuccess(const QByteArray &additionalData);

private:
    Step finish(const Step &step);

    Error m_credentialError;
    bool m_initialSent = false;
    bool m_finished = false; // after Abort/ServerError every further call aborts
    Step m_last;
};

/// PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd, in one initial response.
class PlainMechanism final : public SaslMechanism
{
public:
    explicit PlainMechanism(const Credentials &credentials);
    QString name() const override { return QStringLiteral("PLAIN"); }
    bool hasInitialResponse() const override { return true; }

protected:
    QByteArray makeInitialResponse() override;
    Step onChallenge(const QByteArray &challenge) override;

private:
    QByteArray m_message;
};

/// LOGIN (draft-murchison-sasl-login): the server prompts "Username:" then "Password:".
/// Prompts are matched loosely ("user"/"pass", any case) and otherwise taken in order, as
/// servers word them differently.
class LoginMechanism final : public SaslMechanism
{
public:
    explicit LoginMechanism(const Credentials &credentials);
    QString name() const override { return QStringLiteral("LOGIN"); }
    bool hasInitialResponse() const override { return false; }

protected:
    Step onChallenge(const QByteArray &challenge) override;

private:
    QByteArray m_user;
    QByteArray m_password;
    bool m_sentUser = false;
    bool m_sentPassword = false;
};

/// XOAUTH2 (Google's format): "user=U\1auth=Bearer T\1\1". An error challenge (base64
/// JSON with status and scope) is answered with an empty response; the server then fails.
class XOAuth2Mechanism final : public SaslMechanism
{
public:
    explicit XOAuth2Mechanism(const Credentials &credentials);
    QString name() const override { return QStringLiteral("XOAUTH2"); }
    bool hasInitialResponse() const override { return true; }

protected:
    QByteArray makeInitialResponse() override;
    Step onChallenge(const QByteArray &challenge) override;

private:
    QByteArray m_message;
};

/// OAUTHBEARER (RFC 7628): GS2 header "n,a=U," then "\1host=H\1port=P\1auth=Bearer T\1\1".
/// An error challenge (RFC 7628 §3.2.2, JSON) is answered with a single %x01 (§3.2.3); the
/// server then fails.
class OAuthBearerMechanism final : public SaslMechanism
{
public:
    /// host and port are sent so the server can check the token's audience; empty host or
    /// port 0 leaves them out (both are optional, RFC 7628 §3.1).
    OAuthBearerMechanism(const Credentials &credentials, const QString &host, quint16 port);
    QString name() const override { return QStringLiteral("OAUTHBEARER"); }
    bool hasInitialResponse() const override { return true; }

protected:
    QByteArray makeInitialResponse() override;
    Step onChallenge(const QByteArray &challenge) override;

private:
    QByteArray m_message;
};

/// Context the chooser passes to mechanisms that need more than the credentials.
struct SaslOptions
{
    QString host;     ///< server host name, for OAUTHBEARER's host= (RFC 7628 §3.1)
    quint16 port = 0; ///< server port, for OAUTHBEARER's port=
    int maxScramIterations = Limits().maxScramIterations; ///< see Limits
    QByteArray scramClientNonce; ///< tests only: fixed SCRAM client nonce (empty = random)
};

/// The chooser's answer: a mechanism to run, or why there is none.
struct SaslChoice
{
    std::unique_ptr<SaslMechanism> mechanism; ///< null when error is set
    Error error;                              ///< None when mechanism is set
};

/// Mechanisms Mailwire implements, strongest first: SCRAM-SHA-256, SCRAM-SHA-1,
/// OAUTHBEARER, XOAUTH2, PLAIN, LOGIN.
QStringList supportedMechanisms();

/// Creates the named mechanism (case-insensitive), or null if Mailwire has no such one.
std::unique_ptr<SaslMechanism> createMechanism(const QString &name, const Credentials &credentials,
                                               const SaslOptions &options = SaslOptions());

/// Picks the mechanism for the post-TLS capabilities: the first, in the caller's
/// preferredMechanisms order if given (and only from that list), else in
/// supportedMechanisms() order, that the server offers and the credentials can feed (a
/// password for SCRAM/PLAIN/LOGIN, a token for OAUTHBEARER/XOAUTH2). tlsActive is false
/// when the channel is not encrypted and the caller did not explicitly allow plaintext
/// authentication: then nothing is chosen (PlaintextAuthRefused). No fit gives
/// AuthenticationUnavailable; unusable credentials give InvalidArgument.
SaslChoice chooseMechanism(const QStringList &serverMechanisms, const Credentials &credentials,
                           bool tlsActive, const SaslOptions &options = SaslOptions());

/// Base64 of a response (RFC 4648 §4, with padding); empty for an empty response.
QByteArray saslEncode(const QByteArray &raw);
/// An initial response as a command argument: base64, or "=" when it is empty (RFC 4959
/// §3, RFC 4954 §4, RFC 5034 §4).
QByteArray initialResponseArgument(const QByteArray &raw);
/// Strictly decodes a base64 challenge; false (and *raw untouched) on any invalid byte or
/// padding. An empty challenge decodes to empty.
bool saslDecode(const QByteArray &base64, QByteArray *raw);

} // namespace mailwire::detail
