// SPDX-License-Identifier: LGPL-3.0-or-later
#include "sasl_p.h"

#include <QtCore/QSet>

#include "sasl_scram_p.h"

namespace mailwire::detail {

namespace {

using Status = SaslMechanism::Step::Status;

// Server text (e.g. an OAuth error's JSON) shown to people: printable ASCII, bounded.
QString printable(const QByteArray &text, int max = 300)
{
    QString out;
    for (const char ch : text.left(max))
        out += (ch >= 0x20 && ch < 0x7f) ? QLatin1Char(ch) : QLatin1Char(' ');
    return out.simplified();
}

// RFC 6750 §2.1 b64token: the only bytes a bearer token may hold. Checking it keeps a
// token from smuggling the \x01 separators of XOAUTH2/OAUTHBEARER.
bool isBearerToken(const QString &token)
{
    int i = 0;
    for (; i < token.size(); ++i) {
        const QChar c = token.at(i);
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
            || QStringLiteral("-._~+/").contains(c);
        if (!ok)
            break;
    }
    if (i == 0)
        return false;
    for (; i < token.size(); ++i) {
        if (token.at(i) != QLatin1Char('='))
            return false;
    }
    return true;
}

bool hasControl(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    }
    return false;
}

bool wantsPassword(const QString &name)
{
    return name.startsWith(QLatin1String("SCRAM-")) || name == QLatin1String("PLAIN")
        || name == QLatin1String("LOGIN");
}

// Whether the credentials hold what the mechanism needs (not whether they are valid).
bool canFeed(const QString &name, const Credentials &c)
{
    if (wantsPassword(name))
        return !c.user.isEmpty() && !c.password.isEmpty();
    if (name == QLatin1String("XOAUTH2"))
        return !c.user.isEmpty() && !c.oauthToken.isEmpty();
    if (name == QLatin1String("OAUTHBEARER"))
        return !c.oauthToken.isEmpty();
    return false;
}

} // namespace

// --- SaslMechanism ---------------------------------------------------------------------

SaslMechanism::Step SaslMechanism::Step::send(const QByteArray &response)
{
    Step step;
    step.response = response;
    return step;
}

SaslMechanism::Step SaslMechanism::Step::done()
{
    Step step;
    step.status = Status::Done;
    return step;
}

SaslMechanism::Step SaslMechanism::Step::abort(Error::Code code, const QString &error)
{
    Step step;
    step.status = Status::Abort;
    step.code = code;
    step.error = error;
    return step;
}

SaslMechanism::Step SaslMechanism::Step::serverError(const QByteArray &response,
                                                     const QString &error)
{
    Step step;
    step.status = Status::ServerError;
    step.response = response;
    step.code = Error::Code::AuthenticationFailed;
    step.error = error;
    return step;
}

SaslMechanism::~SaslMechanism() = default;

void SaslMechanism::rejectCredentials(const QString &why)
{
    if (!m_credentialError.isError())
        m_credentialError = Error(Error::Code::InvalidArgument, why);
}

QByteArray SaslMechanism::initialResponse()
{
    if (m_credentialError.isError() || !hasInitialResponse())
        return QByteArray();
    m_initialSent = true;
    return makeInitialResponse();
}

SaslMechanism::Step SaslMechanism::finish(const Step &step)
{
    if (step.status == Status::Abort || step.status == Status::ServerError) {
        m_finished = true;
        m_last = step;
    }
    return step;
}

SaslMechanism::Step SaslMechanism::respond(const QByteArray &challenge)
{
    if (m_credentialError.isError())
        return finish(Step::abort(m_credentialError.code(), m_credentialError.message()));
    if (m_finished) {
        return Step::abort(m_last.code == Error::Code::None ? Error::Code::ProtocolError
                                                            : m_last.code,
                           m_last.error);
    }
    // RFC 4422 §5 and RFC 4954 §4: without an initial response in the command, the server
    // starts with an empty challenge and the client answers with what it would have sent
    // first. The challenge's content is ignored: some servers put text there (Exchange
    // sends "334 PLAIN supported"), and it cannot change what the client must send.
    if (hasInitialResponse() && !m_initialSent)
        return Step::send(initialResponse());
    return finish(onChallenge(challenge));
}

SaslMechanism::Step SaslMechanism::succeeded(const QByteArray &additionalData)
{
    if (m_credentialError.isError())
        return finish(Step::abort(m_credentialError.code(), m_credentialError.message()));
    if (m_finished)
        return Step::abort(Error::Code::AuthenticationFailed, m_last.error);
    return finish(onSuccess(additionalData));
}

SaslMechanism::Step SaslMechanism::onSuccess(const QByteArray &additionalData)
{
    // RFC 4422 §3.6: additional data with success only where the mechanism defines it.
    if (!additionalData.isEmpty()) {
        return Step::abort(
            Error::Code::ProtocolError,
            QStringLiteral("%1: unexpected data with the success reply").arg(name()));
    }
    return Step::done();
}

// --- PLAIN (RFC 4616) ------------------------------------------------------------------

PlainMechanism::PlainMechanism(const Credentials &c)
{
    // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd; a NUL inside a field
    // would move the boundaries (e.g. turn part of the user name into an authzid).
    if (c.user.isEmpty() || c.password.isEmpty())
        rejectCredentials(QStringLiteral("PLAIN needs a user name and a password"));
    if (c.user.contains(QChar(0)) || c.password.contains(QChar(0))
        || c.authorizationId.contains(QChar(0)))
        rejectCredentials(QStringLiteral("PLAIN cannot carry a NUL character"));
    m_message = c.authorizationId.toUtf8() + '\0' + c.user.toUtf8() + '\0' + c.password.toUtf8();
}

QByteArray PlainMechanism::makeInitialResponse() { return m_message; }

SaslMechanism::Step PlainMechanism::onChallenge(const QByteArray & /*challenge*/)
{
    return Step::abort(Error::Code::ProtocolError,
                       QStringLiteral("PLAIN: the server sent a challenge after the credentials"));
}

// --- LOGIN (draft-murchison-sasl-login) ------------------------------------------------

LoginMechanism::LoginMechanism(const Credentials &c)
    : m_user(c.user.toUtf8()), m_password(c.password.toUtf8())
{
    if (c.user.isEmpty() || c.password.isEmpty())
        rejectCredentials(QStringLiteral("LOGIN needs a user name and a password"));
}

SaslMechanism::Step LoginMechanism::onChallenge(const QByteArray &challenge)
{
    const QByteArray prompt = challenge.toLower();
    bool password = prompt.contains("pass");
    bool user = !password && prompt.contains("user");
    if (!password && !user) {
        user = !m_sentUser;
        password = m_sentUser;
    }
    if (user && !m_sentUser) {
        m_sentUser = true;
        return Step::send(m_user);
    }
    if (password && !m_sentPassword) {
        m_sentPassword = true;
        return Step::send(m_password);
    }
    return Step::abort(Error::Code::ProtocolError,
                       QStringLiteral("LOGIN: unexpected prompt \"%1\"").arg(printable(challenge)));
}

// --- XOAUTH2 (Google) ------------------------------------------------------------------

XOAuth2Mechanism::XOAuth2Mechanism(const Credentials &c)
{
    if (c.user.isEmpty() || hasControl(c.user))
        rejectCredentials(QStringLiteral("XOAUTH2 needs a user name without control characters"));
    if (!isBearerToken(c.oauthToken))
        rejectCredentials(QStringLiteral("XOAUTH2 needs an OAuth bearer token (RFC 6750 syntax)"));
    m_message = "user=" + c.user.toUtf8()
        + "\x01"
          "auth=Bearer "
        + c.oauthToken.toLatin1() + "\x01\x01";
}

QByteArray XOAuth2Mechanism::makeInitialResponse() { return m_message; }

SaslMechanism::Step XOAuth2Mechanism::onChallenge(const QByteArray &challenge)
{
    // The only challenge after the initial response is an error (JSON with status, schemes
    // and scope); the client must answer it with an empty response, and the server then
    // fails the command with its own message.
    return Step::serverError(
        QByteArray(),
        QStringLiteral("the server rejected the OAuth token: %1").arg(printable(challenge)));
}

// --- OAUTHBEARER (RFC 7628) ------------------------------------------------------------

OAuthBearerMechanism::OAuthBearerMechanism(const Credentials &c, const QString &host, quint16 port)
{
    const QString authzid = c.authorizationId.isEmpty() ? c.user : c.authorizationId;
    if (hasControl(authzid) || hasControl(host))
        rejectCredentials(QStringLiteral("OAUTHBEARER cannot carry control characters"));
    if (!isBearerToken(c.oauthToken))
        rejectCredentials(
            QStringLiteral("OAUTHBEARER needs an OAuth bearer token (RFC 6750 syntax)"));

    // RFC 7628 §3.1: gs2-header (RFC 5801 §4, no channel binding) then kvpairs, each
    // ended by %x01, and a final %x01.
    QByteArray message = "n,";
    if (!authzid.isEmpty())
        message += "a=" + scramEscapeName(authzid.toUtf8());
    message += ",\x01";
    if (!host.isEmpty())
        message += "host=" + host.toUtf8() + '\x01';
    if (port != 0)
        message += "port=" + QByteArray::number(port) + '\x01';
    message += "auth=Bearer " + c.oauthToken.toLatin1() + "\x01\x01";
    m_message = message;
}

QByteArray OAuthBearerMechanism::makeInitialResponse() { return m_message; }

SaslMechanism::Step OAuthBearerMechanism::onChallenge(const QByteArray &challenge)
{
    // RFC 7628 §3.2.2/§3.2.3: an error challenge is answered with a single %x01, after
    // which the server fails the exchange.
    return Step::serverError(
        QByteArrayLiteral("\x01"),
        QStringLiteral("the server rejected the OAuth token: %1").arg(printable(challenge)));
}

// --- Choosing --------------------------------------------------------------------------

QStringList supportedMechanisms()
{
    return {QStringLiteral("SCRAM-SHA-256"), QStringLiteral("SCRAM-SHA-1"),
            QStringLiteral("OAUTHBEARER"),   QStringLiteral("XOAUTH2"),
            QStringLiteral("PLAIN"),         QStringLiteral("LOGIN")};
}

std::unique_ptr<SaslMechanism> createMechanism(const QString &name, const Credentials &c,
                                               const SaslOptions &options)
{
    const QString upper = name.trimmed().toUpper();
    if (upper == QLatin1String("SCRAM-SHA-256") || upper == QLatin1String("SCRAM-SHA-1")) {
        const auto hash = upper == QLatin1String("SCRAM-SHA-256") ? ScramMechanism::Hash::Sha256
                                                                  : ScramMechanism::Hash::Sha1;
        return std::make_unique<ScramMechanism>(hash, c, options.maxScramIterations,
                                                options.scramClientNonce);
    }
    if (upper == QLatin1String("OAUTHBEARER"))
        return std::make_unique<OAuthBearerMechanism>(c, options.host, options.port);
    if (upper == QLatin1String("XOAUTH2"))
        return std::make_unique<XOAuth2Mechanism>(c);
    if (upper == QLatin1String("PLAIN"))
        return std::make_unique<PlainMechanism>(c);
    if (upper == QLatin1String("LOGIN"))
        return std::make_unique<LoginMechanism>(c);
    return nullptr;
}

SaslChoice chooseMechanism(const QStringList &serverMechanisms, const Credentials &c,
                           bool tlsActive, const SaslOptions &options)
{
    SaslChoice choice;
    // DESIGN.md §2: credentials never cross an unencrypted channel unless the caller chose
    // Plain mode and allowed it. SCRAM included: its proof allows an offline dictionary
    // attack, and a token or password is worse.
    if (!tlsActive) {
        choice.error =
            Error(Error::Code::PlaintextAuthRefused,
                  QStringLiteral("refusing to authenticate over an unencrypted connection"));
        return choice;
    }

    QSet<QString> offered;
    for (const QString &mechanism : serverMechanisms)
        offered.insert(mechanism.trimmed().toUpper());
    QStringList order = supportedMechanisms();
    if (!c.preferredMechanisms.isEmpty()) {
        order.clear();
        for (const QString &mechanism : c.preferredMechanisms)
            order.append(mechanism.trimmed().toUpper());
    }

    for (const QString &name : qAsConst(order)) {
        if (!offered.contains(name) || !canFeed(name, c))
            continue;
        std::unique_ptr<SaslMechanism> mechanism = createMechanism(name, c, options);
        if (!mechanism)
            continue; // a preferred name Mailwire lacks
        const Error error = mechanism->checkCredentials();
        if (error.isError()) {
            choice.error = error;
            return choice;
        }
        choice.mechanism = std::move(mechanism);
        return choice;
    }

    QStringList shown = serverMechanisms.mid(0, 20);
    choice.error =
        Error(Error::Code::AuthenticationUnavailable,
              QStringLiteral("no mechanism fits the credentials (server offers: %1%2)")
                  .arg(shown.isEmpty() ? QStringLiteral("none") : shown.join(QLatin1Char(' ')),
                       serverMechanisms.size() > 20 ? QStringLiteral(" ...") : QString()));
    return choice;
}

// --- Base64 ----------------------------------------------------------------------------

QByteArray saslEncode(const QByteArray &raw) { return raw.toBase64(); }

QByteArray initialResponseArgument(const QByteArray &raw)
{
    return raw.isEmpty() ? QByteArrayLiteral("=") : raw.toBase64();
}

bool saslDecode(const QByteArray &base64, QByteArray *raw)
{
    // Qt accepts unpadded input even with AbortOnBase64DecodingErrors; the SASL profiles
    // (RFC 3501 §6.2.2, RFC 4954 §4, RFC 5034 §4) use padded base64 (RFC 4648 §4), so
    // insist on a multiple of four.
    if (base64.size() % 4 != 0)
        return false;
    auto result = QByteArray::fromBase64Encoding(
        base64, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return false;
    *raw = result.decoded;
    return true;
}

} // namespace mailwire::detail
