// SPDX-License-Identifier: LGPL-3.0-or-later
// SCRAM on raw bytes: the RFC 5802 / RFC 7677 exchanges byte for byte, the server
// signature check, nonce and iteration-count checks, and SASLprep (RFC 4013 §3 examples).
// The other mechanisms and the chooser are in test_common_sasl_mechanisms.cpp.
#include <boost/test/unit_test.hpp>

#include <ostream>

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include "sasl_prep_p.h"
#include "sasl_scram_p.h"

#include "sasl_test_helpers.h"

namespace {

using namespace mailwire;
using namespace mailwire::detail;

// RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256) example exchanges.
struct ScramVector
{
    ScramMechanism::Hash hash;
    QByteArray clientNonce;
    QByteArray clientFirst;
    QByteArray serverFirst;
    QByteArray clientFinal;
    QByteArray serverFinal;
};

const ScramVector Rfc5802{
    ScramMechanism::Hash::Sha1,
    "fyko+d2lbbFgONRv9qkxdawL",
    "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
    "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
    "v=rmF9pqV8S7suAoZWja4dJRkFsKQ="};

const ScramVector Rfc7677{
    ScramMechanism::Hash::Sha256,
    "rOprNGfwEbeRWgbNEkqO",
    "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
    "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="};

ScramMechanism scramFor(const ScramVector &v, int maxIterations = Limits().maxScramIterations)
{
    return ScramMechanism(v.hash, passwordCredentials(), maxIterations, v.clientNonce);
}

void runScramVector(const ScramVector &v)
{
    ScramMechanism scram(v.hash, passwordCredentials(), Limits().maxScramIterations, v.clientNonce);
    BOOST_TEST(!scram.checkCredentials().isError());
    BOOST_TEST(scram.hasInitialResponse());
    BOOST_TEST(scram.initialResponse() == v.clientFirst);

    const auto clientFinal = scram.respond(v.serverFirst);
    BOOST_TEST(clientFinal.status == Status::Continue);
    BOOST_TEST(clientFinal.response == v.clientFinal);
    BOOST_TEST(!scram.serverVerified());

    const auto last = scram.respond(v.serverFinal);
    BOOST_TEST(last.status == Status::Continue);
    BOOST_TEST(last.response.isEmpty());
    BOOST_TEST(scram.serverVerified());
    BOOST_TEST(scram.succeeded().status == Status::Done);
}

// Runs a SCRAM exchange up to the client-final message with a custom server-first.
SaslMechanism::Step scramAfterServerFirst(const QByteArray &serverFirst,
                                          int maxIterations = Limits().maxScramIterations)
{
    ScramMechanism scram(ScramMechanism::Hash::Sha256, passwordCredentials(), maxIterations,
                         Rfc7677.clientNonce);
    scram.initialResponse();
    return scram.respond(serverFirst);
}

} // namespace

BOOST_AUTO_TEST_SUITE(common_sasl)

BOOST_AUTO_TEST_CASE(scram_sha256_rfc7677_example)
{
    runScramVector(Rfc7677);
    BOOST_TEST(ScramMechanism(ScramMechanism::Hash::Sha256, {}).name()
               == QStringLiteral("SCRAM-SHA-256"));
}

BOOST_AUTO_TEST_CASE(scram_sha1_rfc5802_example)
{
    runScramVector(Rfc5802);
    BOOST_TEST(ScramMechanism(ScramMechanism::Hash::Sha1, {}).name()
               == QStringLiteral("SCRAM-SHA-1"));
}

BOOST_AUTO_TEST_CASE(scram_without_initial_response_answers_empty_challenge)
{
    ScramMechanism scram = scramFor(Rfc7677);
    const auto first = scram.respond(QByteArray()); // "+ " without SASL-IR
    BOOST_TEST(first.status == Status::Continue);
    BOOST_TEST(first.response == Rfc7677.clientFirst);
    BOOST_TEST(scram.respond(Rfc7677.serverFirst).response == Rfc7677.clientFinal);
    BOOST_TEST(scram.respond(Rfc7677.serverFinal).status == Status::Continue);
    BOOST_TEST(scram.serverVerified());
}

BOOST_AUTO_TEST_CASE(scram_server_final_as_success_data_is_verified)
{
    ScramMechanism scram = scramFor(Rfc5802);
    scram.initialResponse();
    scram.respond(Rfc5802.serverFirst);
    BOOST_TEST(scram.succeeded(Rfc5802.serverFinal).status == Status::Done);
    BOOST_TEST(scram.serverVerified());
}

BOOST_AUTO_TEST_CASE(scram_tampered_server_signature_fails)
{
    QByteArray tampered = Rfc7677.serverFinal;
    tampered[5] = tampered.at(5) == 'A' ? 'B' : 'A';
    ScramMechanism scram = scramFor(Rfc7677);
    scram.initialResponse();
    scram.respond(Rfc7677.serverFirst);
    const auto step = scram.respond(tampered);
    BOOST_TEST(step.status == Status::Abort);
    BOOST_TEST(step.code == Code::AuthenticationFailed);
    BOOST_TEST(!scram.serverVerified());
    // The server's OK afterwards does not make it authentic.
    BOOST_TEST(scram.succeeded().status == Status::Abort);

    // A signature of the wrong length (SHA-1 size for SHA-256) fails the same way.
    ScramMechanism shortSig = scramFor(Rfc7677);
    shortSig.initialResponse();
    shortSig.respond(Rfc7677.serverFirst);
    BOOST_TEST(shortSig.respond(Rfc5802.serverFinal).status == Status::Abort);
}

BOOST_AUTO_TEST_CASE(scram_success_without_server_signature_fails)
{
    ScramMechanism scram = scramFor(Rfc7677);
    scram.initialResponse();
    scram.respond(Rfc7677.serverFirst);
    const auto step = scram.succeeded();
    BOOST_TEST(step.status == Status::Abort);
    BOOST_TEST(step.code == Code::AuthenticationFailed);

    ScramMechanism early = scramFor(Rfc7677);
    early.initialResponse();
    BOOST_TEST(early.succeeded().status == Status::Abort);
}

BOOST_AUTO_TEST_CASE(scram_server_error_attribute_fails)
{
    ScramMechanism scram = scramFor(Rfc7677);
    scram.initialResponse();
    scram.respond(Rfc7677.serverFirst);
    const auto step = scram.respond("e=invalid-proof");
    BOOST_TEST(step.status == Status::Abort);
    BOOST_TEST(step.code == Code::AuthenticationFailed);
    BOOST_TEST(step.error.contains(QStringLiteral("invalid-proof")));
}

BOOST_AUTO_TEST_CASE(scram_server_nonce_must_extend_client_nonce)
{
    const auto foreign = scramAfterServerFirst("r=XXXXNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj,"
                                               "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
    BOOST_TEST(foreign.status == Status::Abort);
    BOOST_TEST(foreign.code == Code::AuthenticationFailed);
    BOOST_TEST(foreign.response.isEmpty());

    // The bare client nonce echoed back (no server part) is not an extension either.
    const auto echoed =
        scramAfterServerFirst("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
    BOOST_TEST(echoed.status == Status::Abort);
}

BOOST_AUTO_TEST_CASE(scram_iteration_count_is_bounded)
{
    const QByteArray prefix = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                              "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=";
    const auto overLimit = scramAfterServerFirst(prefix + "1000001");
    BOOST_TEST(overLimit.status == Status::Abort);
    BOOST_TEST(overLimit.code == Code::LimitExceeded);
    const auto absurd = scramAfterServerFirst(prefix + "999999999999999999999999999999");
    BOOST_TEST(absurd.code == Code::LimitExceeded);
    const auto intOverflow = scramAfterServerFirst(prefix + "4294967297");
    BOOST_TEST(intOverflow.code == Code::LimitExceeded);

    // The limit is the caller's: at the limit passes, one above it does not.
    BOOST_TEST(scramAfterServerFirst(prefix + "4096", 4096).status == Status::Continue);
    BOOST_TEST(scramAfterServerFirst(prefix + "4097", 4096).code == Code::LimitExceeded);

    BOOST_TEST(scramAfterServerFirst(prefix + "0").code == Code::ProtocolError);
    BOOST_TEST(scramAfterServerFirst(prefix + "-1").code == Code::ProtocolError);
    BOOST_TEST(scramAfterServerFirst(prefix + "40x").code == Code::ProtocolError);
    BOOST_TEST(scramAfterServerFirst(prefix).code == Code::ProtocolError);
}

BOOST_AUTO_TEST_CASE(scram_malformed_server_first_is_a_protocol_error)
{
    const QByteArray nonce = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    for (const QByteArray &bad :
         {QByteArray("m=ext," + nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"),
          QByteArray(nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==x,i=4096"), // bad base64
          QByteArray(nonce + ",s=,i=4096"),                          // empty salt
          QByteArray(nonce + ",i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ=="),  // wrong order
          QByteArray(nonce), QByteArray()}) {
        BOOST_TEST_CONTEXT(bad.constData())
        {
            const auto step = scramAfterServerFirst(bad);
            BOOST_TEST(step.status == Status::Abort);
            BOOST_TEST(step.code == Code::ProtocolError);
        }
    }
    // Unknown extensions after the iteration count are allowed (RFC 5802 §7); they are part
    // of AuthMessage, so the proof differs from the RFC example's.
    const auto extended = scramAfterServerFirst(nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,x=ext");
    BOOST_TEST(extended.status == Status::Continue);
    BOOST_TEST(extended.response.startsWith("c=biws," + nonce + ",p="));
    BOOST_TEST(extended.response != Rfc7677.clientFinal);
}

BOOST_AUTO_TEST_CASE(scram_after_abort_keeps_failing)
{
    ScramMechanism scram = scramFor(Rfc7677);
    scram.initialResponse();
    BOOST_TEST(scram.respond("garbage").status == Status::Abort);
    BOOST_TEST(scram.respond(Rfc7677.serverFirst).status == Status::Abort);
    BOOST_TEST(scram.succeeded().status == Status::Abort);
}

BOOST_AUTO_TEST_CASE(scram_escapes_names_and_sends_authzid)
{
    Credentials c = passwordCredentials(QStringLiteral("a,b=c"));
    c.authorizationId = QStringLiteral("admin");
    ScramMechanism scram(ScramMechanism::Hash::Sha256, c, 4096, "abc");
    BOOST_TEST(scram.initialResponse() == QByteArray("n,a=admin,n=a=2Cb=3Dc,r=abc"));
    // c= carries the GS2 header with the authzid (RFC 5802 §7 cbind-input).
    const auto step = scram.respond("r=abcdef,s=QSXCR+Q6sek8bf92,i=1");
    BOOST_TEST(
        step.response.startsWith("c=" + QByteArray("n,a=admin,").toBase64() + ",r=abcdef,p="));
}

BOOST_AUTO_TEST_CASE(scram_random_nonce_is_fresh_and_printable)
{
    ScramMechanism a(ScramMechanism::Hash::Sha256, passwordCredentials());
    ScramMechanism b(ScramMechanism::Hash::Sha256, passwordCredentials());
    const QByteArray first = a.initialResponse();
    BOOST_TEST(first.startsWith("n,,n=user,r="));
    BOOST_TEST(first != b.initialResponse());
    const QByteArray nonce = first.mid(12);
    BOOST_TEST(nonce.size() >= 24);
    BOOST_TEST(!nonce.contains(','));
}

BOOST_AUTO_TEST_CASE(scram_rejects_unusable_credentials)
{
    ScramMechanism control(ScramMechanism::Hash::Sha256,
                           passwordCredentials(QStringLiteral("user"), QStringLiteral("pen\ncil")));
    BOOST_TEST(control.checkCredentials().code() == Code::InvalidArgument);
    BOOST_TEST(control.initialResponse().isEmpty());
    BOOST_TEST(control.respond(QByteArray()).code == Code::InvalidArgument);

    ScramMechanism empty(ScramMechanism::Hash::Sha1,
                         passwordCredentials(QString(), QStringLiteral("x")));
    BOOST_TEST(empty.checkCredentials().code() == Code::InvalidArgument);

    ScramMechanism badNonce(ScramMechanism::Hash::Sha1, passwordCredentials(), 4096, "a,b");
    BOOST_TEST(badNonce.checkCredentials().code() == Code::InvalidArgument);
}

BOOST_AUTO_TEST_CASE(saslprep_rfc4013_examples)
{
    // RFC 4013 §3, examples 1-7.
    const struct
    {
        QString input;
        bool ok;
        QByteArray output;
    } rows[] = {
        {QString::fromUtf8("I\u00ADX"), true, "IX"}, // SOFT HYPHEN mapped to nothing
        {QStringLiteral("user"), true, "user"},
        {QStringLiteral("USER"), true, "USER"},         // case preserved
        {QString::fromUtf8("\u00AA"), true, "a"},       // NFKC
        {QString::fromUtf8("\u2168"), true, "IX"},      // NFKC
        {QString::fromUtf8("\u0007"), false, {}},       // prohibited
        {QString::fromUtf8("\u0627\u0031"), false, {}}, // bidi rule
        // Beyond the RFC's list:
        {QString::fromUtf8("pen\u00A0cil"), true, "pen cil"},          // C.1.2 space -> SPACE
        {QString::fromUtf8("\u0627\u0628"), true, "\xD8\xA7\xD8\xA8"}, // all RandAL is fine
        {QString::fromUtf8("x\uE000"), false, {}},                     // C.3 private use
        {QString::fromUtf8("x\u200Ey"), false, {}},                    // C.8 LRM
        {QString(QChar(0xD800)) + QLatin1Char('x'), false, {}},        // lone surrogate
        {QString::fromUtf8("caf\u00E9"), true, "caf\xC3\xA9"},         // already NFKC
        {QString(), true, {}},
    };
    for (const auto &row : rows) {
        BOOST_TEST_CONTEXT(row.input.toStdString())
        {
            QByteArray out;
            QString why;
            BOOST_TEST(saslPrep(row.input, &out, &why) == row.ok);
            if (row.ok)
                BOOST_TEST(out == row.output);
            else
                BOOST_TEST(!why.isEmpty());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
