// SPDX-License-Identifier: LGPL-3.0-or-later
// The client side of SASL fed the server's challenges: SCRAM server-first and server-final,
// OAUTHBEARER and XOAUTH2 error JSON, LOGIN prompts, a challenge PLAIN never expects, and
// the additional data of a success. The payload is one challenge per line ('\n'); each is
// base64 as on the wire (decoded with saslDecode, as a session does) or raw.
//
// Options byte: bits 0-2 the mechanism (SCRAM-SHA-256, SCRAM-SHA-1, OAUTHBEARER, XOAUTH2,
// PLAIN, LOGIN; 6 and 7: chosen by chooseMechanism() from the first line, a space-separated
// mechanism list); 8 lines are base64; 16 the last line is the success's additional data;
// 32 the first two lines are the user name and the password (SASLprep'd, checked); 64 no
// initial response (no SASL-IR: the first challenge, usually empty, asks for it). The split
// byte is unused.
//
// The SCRAM credentials and client nonces are the RFC 5802 / RFC 7677 examples, so the
// RFC's server messages (and the seeds) verify; iterations are capped at the RFC's 4096.
#include <cstdint>
#include <memory>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include "fuzz_input.h"
#include "sasl_p.h"
#include "sasl_prep_p.h"
#include "sasl_scram_p.h"

namespace {

using mailwire::Credentials;
using mailwire::detail::SaslMechanism;
using Step = SaslMechanism::Step;
namespace detail = mailwire::detail;
namespace fuzz = mailwire::fuzz;

enum Option : std::uint8_t {
    MechanismMask = 7,
    Base64 = 8,
    SuccessData = 16,
    CredentialsFromInput = 32,
    NoInitialResponse = 64,
};

constexpr int MaxIterations = 4096;

std::unique_ptr<SaslMechanism> create(int which, const Credentials &credentials,
                                      QList<QByteArray> *lines)
{
    using Hash = detail::ScramMechanism::Hash;
    switch (which) {
    case 0:
        return std::make_unique<detail::ScramMechanism>(Hash::Sha256, credentials, MaxIterations,
                                                        "rOprNGfwEbeRWgbNEkqO");
    case 1:
        return std::make_unique<detail::ScramMechanism>(Hash::Sha1, credentials, MaxIterations,
                                                        "fyko+d2lbbFgONRv9qkxdawL");
    case 2:
        return std::make_unique<detail::OAuthBearerMechanism>(
            credentials, QStringLiteral("imap.example.org"), 993);
    case 3: return std::make_unique<detail::XOAuth2Mechanism>(credentials);
    case 4: return std::make_unique<detail::PlainMechanism>(credentials);
    case 5: return std::make_unique<detail::LoginMechanism>(credentials);
    default: {
        // What the session does with the server's AUTH= list.
        const QStringList offered = lines->isEmpty()
            ? QStringList()
            : QString::fromUtf8(lines->takeFirst()).split(QLatin1Char(' '));
        detail::SaslOptions options;
        options.host = QStringLiteral("imap.example.org");
        options.port = 993;
        options.maxScramIterations = MaxIterations;
        options.scramClientNonce = "rOprNGfwEbeRWgbNEkqO";
        detail::SaslChoice choice =
            detail::chooseMechanism(offered, credentials, which == 6, options);
        MAILWIRE_FUZZ_CHECK(bool(choice.mechanism) != choice.error.isError());
        return std::move(choice.mechanism);
    }
    }
}

bool isFinal(const Step &step) { return step.status != Step::Status::Continue; }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Input input;
    if (!fuzz::Input::read(data, size, &input))
        return 0;
    QList<QByteArray> lines = QByteArray::fromRawData(input.data, int(input.size)).split('\n');

    Credentials credentials;
    credentials.user = QStringLiteral("user");
    credentials.password = QStringLiteral("pencil");
    credentials.oauthToken = QStringLiteral("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
    if (input.has(CredentialsFromInput) && lines.size() >= 2) {
        credentials.user = QString::fromUtf8(lines.takeFirst());
        credentials.password = QString::fromUtf8(lines.takeFirst());
        QByteArray prepared;
        (void)detail::saslPrep(credentials.user, &prepared);
        (void)detail::saslPrep(credentials.password, &prepared);
    }

    std::unique_ptr<SaslMechanism> mechanism =
        create(input.options & MechanismMask, credentials, &lines);
    if (!mechanism || mechanism->checkCredentials().isError())
        return 0;
    (void)mechanism->name();
    if (!input.has(NoInitialResponse))
        (void)detail::initialResponseArgument(mechanism->initialResponse());

    QByteArray successData;
    if (input.has(SuccessData) && !lines.isEmpty())
        successData = lines.takeLast();

    for (const QByteArray &line : lines) {
        QByteArray challenge = line;
        if (input.has(Base64) && !detail::saslDecode(line, &challenge))
            return 0; // the session answers an undecodable challenge with "*" and fails
        const Step step = mechanism->respond(challenge);
        (void)detail::saslEncode(step.response);
        if (isFinal(step)) {
            // After Abort or ServerError every further step aborts too.
            MAILWIRE_FUZZ_CHECK(mechanism->respond("again").status == Step::Status::Abort);
            return 0;
        }
    }
    if (input.has(Base64) && !detail::saslDecode(successData, &successData))
        return 0;
    const Step done = mechanism->succeeded(successData);
    // Authenticated only if SCRAM saw the server prove itself.
    if (done.status == Step::Status::Done && mechanism->name().startsWith(QLatin1String("SCRAM")))
        MAILWIRE_FUZZ_CHECK(mechanism->serverVerified());
    return 0;
}
