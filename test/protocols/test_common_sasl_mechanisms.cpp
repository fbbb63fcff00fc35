// SPDX-License-Identifier: LGPL-3.0-or-later
// PLAIN (RFC 4616), LOGIN, XOAUTH2, OAUTHBEARER (RFC 7628 §4.1) byte for byte, their error
// paths, the mechanism chooser and the base64 helpers. SCRAM is in test_common_sasl.cpp.
#include <boost/test/unit_test.hpp>

#include <ostream>

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include "sasl_p.h"

#include "sasl_test_helpers.h"

namespace {

using namespace mailwire;
using namespace mailwire::detail;

Credentials tokenCredentials()
{
    Credentials c;
    c.user = QStringLiteral("someuser@example.com");
    c.oauthToken = QStringLiteral("ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
    return c;
}

} // namespace

BOOST_AUTO_TEST_SUITE(common_sasl_mechanisms)

BOOST_AUTO_TEST_CASE(plain_bytes_are_exact)
{
    PlainMechanism plain(passwordCredentials());
    BOOST_TEST(plain.name() == QStringLiteral("PLAIN"));
    BOOST_TEST(plain.hasInitialResponse());
    BOOST_TEST(plain.initialResponse() == QByteArray("\0user\0pencil", 12));
    BOOST_TEST(plain.succeeded().status == Status::Done);

    Credentials withAuthz =
        passwordCredentials(QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf"));
    withAuthz.authorizationId = QStringLiteral("Ursel");
    PlainMechanism authz(withAuthz);
    BOOST_TEST(authz.initialResponse() == QByteArray("Ursel\0tim\0tanstaaftanstaaf", 26));
    // RFC 4616 §4 example, base64 as IMAP/SMTP carry it.
    BOOST_TEST(saslEncode(authz.initialResponse())
               == QByteArray("VXJzZWwAdGltAHRhbnN0YWFmdGFuc3RhYWY="));
}

BOOST_AUTO_TEST_CASE(plain_without_initial_response_and_bad_input)
{
    PlainMechanism plain(passwordCredentials());
    const auto step = plain.respond(QByteArray());
    BOOST_TEST(step.status == Status::Continue);
    BOOST_TEST(step.response == QByteArray("\0user\0pencil", 12));
    BOOST_TEST(plain.respond("more?").status == Status::Abort);

    // A NUL would move PLAIN's field boundaries.
    PlainMechanism nul(passwordCredentials(QString::fromLatin1("user\0admin", 10)));
    BOOST_TEST(nul.checkCredentials().code() == Code::InvalidArgument);
    BOOST_TEST(nul.initialResponse().isEmpty());
    PlainMechanism empty(passwordCredentials(QStringLiteral("user"), QString()));
    BOOST_TEST(empty.checkCredentials().code() == Code::InvalidArgument);
}

BOOST_AUTO_TEST_CASE(login_prompt_flow)
{
    LoginMechanism login(passwordCredentials());
    BOOST_TEST(!login.hasInitialResponse());
    BOOST_TEST(login.initialResponse().isEmpty());
    BOOST_TEST(login.respond("Username:").response == QByteArray("user"));
    BOOST_TEST(login.respond("Password:").response == QByteArray("pencil"));
    const auto extra = login.respond("Password:");
    BOOST_TEST(extra.status == Status::Abort);
    BOOST_TEST(extra.code == Code::ProtocolError);

    // Prompts worded otherwise are taken in order.
    LoginMechanism other(passwordCredentials());
    BOOST_TEST(other.respond("Identify yourself").response == QByteArray("user"));
    BOOST_TEST(other.respond("Secret please").response == QByteArray("pencil"));
    BOOST_TEST(other.succeeded().status == Status::Done);
}

BOOST_AUTO_TEST_CASE(xoauth2_format_and_error_continuation)
{
    XOAuth2Mechanism xoauth(tokenCredentials());
    BOOST_TEST(xoauth.name() == QStringLiteral("XOAUTH2"));
    const QByteArray initial = xoauth.initialResponse();
    BOOST_TEST(initial
               == QByteArray("user=someuser@example.com\x01"
                             "auth=Bearer "
                             "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"));
    BOOST_TEST(saslEncode(initial)
               == QByteArray("dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRx"
                             "bVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="));

    const QByteArray json =
        R"({"status":"401","schemes":"bearer","scope":"https://mail.google.com/"})";
    const auto error = xoauth.respond(json);
    BOOST_TEST(error.status == Status::ServerError);
    BOOST_TEST(error.response.isEmpty());
    BOOST_TEST(error.code == Code::AuthenticationFailed);
    BOOST_TEST(error.error.contains(QStringLiteral("401")));
    BOOST_TEST(xoauth.respond("again").status == Status::Abort);
    BOOST_TEST(xoauth.succeeded().status == Status::Abort);

    Credentials injected = tokenCredentials();
    injected.oauthToken = QStringLiteral("abc\x01user=evil");
    BOOST_TEST(XOAuth2Mechanism(injected).checkCredentials().code() == Code::InvalidArgument);
}

BOOST_AUTO_TEST_CASE(oauthbearer_rfc7628_example_and_error_continuation)
{
    Credentials c;
    c.user = QStringLiteral("user@example.com");
    c.oauthToken = QStringLiteral("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
    OAuthBearerMechanism bearer(c, QStringLiteral("server.example.com"), 143);
    BOOST_TEST(bearer.name() == QStringLiteral("OAUTHBEARER"));
    const QByteArray initial = bearer.initialResponse();
    BOOST_TEST(initial
               == QByteArray("n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
                             "auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"));
    // RFC 7628 §4.1, the IMAP AUTHENTICATE argument.
    BOOST_TEST(saslEncode(initial)
               == QByteArray(
                   "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQz"
                   "AWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB"));

    // RFC 7628 §3.2.3: the error challenge is answered with a single %x01.
    const auto error = bearer.respond(R"({"status":"invalid_token","scope":"example_scope"})");
    BOOST_TEST(error.status == Status::ServerError);
    BOOST_TEST(error.response == QByteArray("\x01"));
    BOOST_TEST(error.error.contains(QStringLiteral("invalid_token")));

    // Host and port are optional; no user gives an empty authzid.
    Credentials tokenOnly;
    tokenOnly.oauthToken = QStringLiteral("tok");
    BOOST_TEST(OAuthBearerMechanism(tokenOnly, QString(), 0).initialResponse()
               == QByteArray("n,,\x01"
                             "auth=Bearer tok\x01\x01"));
}

BOOST_AUTO_TEST_CASE(chooser_prefers_the_strongest_fitting_mechanism)
{
    const Credentials pw = passwordCredentials();
    const Credentials token = tokenCredentials();
    Credentials both = passwordCredentials(QStringLiteral("someuser@example.com"));
    both.oauthToken = token.oauthToken;
    const QStringList all{QStringLiteral("LOGIN"),
                          QStringLiteral("PLAIN"),
                          QStringLiteral("XOAUTH2"),
                          QStringLiteral("OAUTHBEARER"),
                          QStringLiteral("SCRAM-SHA-1"),
                          QStringLiteral("SCRAM-SHA-256"),
                          QStringLiteral("SCRAM-SHA-256-PLUS")};
    const struct
    {
        QStringList server;
        Credentials credentials;
        QString expected;
    } rows[] = {
        {all, pw, QStringLiteral("SCRAM-SHA-256")},
        {{QStringLiteral("PLAIN"), QStringLiteral("SCRAM-SHA-1")},
         pw,
         QStringLiteral("SCRAM-SHA-1")},
        {{QStringLiteral("LOGIN"), QStringLiteral("PLAIN")}, pw, QStringLiteral("PLAIN")},
        {{QStringLiteral("login")}, pw, QStringLiteral("LOGIN")}, // case-insensitive
        {{QStringLiteral("PLAIN"), QStringLiteral("OAUTHBEARER")}, pw, QStringLiteral("PLAIN")},
        {all, token, QStringLiteral("OAUTHBEARER")},
        {{QStringLiteral("XOAUTH2"), QStringLiteral("PLAIN")}, token, QStringLiteral("XOAUTH2")},
        {all, both, QStringLiteral("SCRAM-SHA-256")},
        {{QStringLiteral("PLAIN"), QStringLiteral("XOAUTH2")}, both, QStringLiteral("XOAUTH2")},
    };
    for (const auto &row : rows) {
        BOOST_TEST_CONTEXT(row.server.join(QLatin1Char(' ')).toStdString())
        {
            const SaslChoice choice = chooseMechanism(row.server, row.credentials, true);
            BOOST_TEST(!choice.error.isError());
            BOOST_REQUIRE(choice.mechanism);
            BOOST_TEST(choice.mechanism->name() == row.expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(chooser_honours_preferred_mechanisms)
{
    Credentials c = passwordCredentials();
    const QStringList server{QStringLiteral("SCRAM-SHA-256"), QStringLiteral("PLAIN"),
                             QStringLiteral("LOGIN")};
    c.preferredMechanisms = QStringList{QStringLiteral("plain")};
    BOOST_TEST(chooseMechanism(server, c, true).mechanism->name() == QStringLiteral("PLAIN"));
    c.preferredMechanisms = QStringList{QStringLiteral("LOGIN"), QStringLiteral("PLAIN")};
    BOOST_TEST(chooseMechanism(server, c, true).mechanism->name() == QStringLiteral("LOGIN"));
    c.preferredMechanisms = QStringList{QStringLiteral("CRAM-MD5"), QStringLiteral("SCRAM-SHA-1")};
    const SaslChoice none = chooseMechanism(server, c, true);
    BOOST_TEST(!none.mechanism);
    BOOST_TEST(none.error.code() == Code::AuthenticationUnavailable);
}

BOOST_AUTO_TEST_CASE(chooser_refuses_when_nothing_fits_or_tls_is_off)
{
    const SaslChoice unknown = chooseMechanism({QStringLiteral("GSSAPI"), QStringLiteral("NTLM")},
                                               passwordCredentials(), true);
    BOOST_TEST(!unknown.mechanism);
    BOOST_TEST(unknown.error.code() == Code::AuthenticationUnavailable);
    BOOST_TEST(unknown.error.message().contains(QStringLiteral("GSSAPI NTLM")));

    // A token cannot feed PLAIN; a password cannot feed OAUTHBEARER.
    BOOST_TEST(chooseMechanism({QStringLiteral("PLAIN")}, tokenCredentials(), true).error.code()
               == Code::AuthenticationUnavailable);
    BOOST_TEST(
        chooseMechanism({QStringLiteral("OAUTHBEARER")}, passwordCredentials(), true).error.code()
        == Code::AuthenticationUnavailable);
    BOOST_TEST(chooseMechanism({}, passwordCredentials(), true).error.code()
               == Code::AuthenticationUnavailable);

    // Credentials never go in clear, whatever the server offers.
    const SaslChoice clear = chooseMechanism(
        {QStringLiteral("SCRAM-SHA-256"), QStringLiteral("PLAIN")}, passwordCredentials(), false);
    BOOST_TEST(!clear.mechanism);
    BOOST_TEST(clear.error.code() == Code::PlaintextAuthRefused);

    // Unusable credentials are reported as such, not as a missing mechanism.
    const SaslChoice bad = chooseMechanism(
        {QStringLiteral("PLAIN")}, passwordCredentials(QString::fromLatin1("a\0b", 3)), true);
    BOOST_TEST(!bad.mechanism);
    BOOST_TEST(bad.error.code() == Code::InvalidArgument);
}

BOOST_AUTO_TEST_CASE(chooser_passes_options_to_mechanisms)
{
    SaslOptions options;
    options.scramClientNonce = "rOprNGfwEbeRWgbNEkqO";
    const SaslChoice choice =
        chooseMechanism({QStringLiteral("SCRAM-SHA-256")}, passwordCredentials(), true, options);
    BOOST_REQUIRE(choice.mechanism);
    BOOST_TEST(choice.mechanism->initialResponse()
               == QByteArray("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));

    options.host = QStringLiteral("imap.example.org");
    options.port = 993;
    const SaslChoice bearer =
        chooseMechanism({QStringLiteral("OAUTHBEARER")}, tokenCredentials(), true, options);
    BOOST_REQUIRE(bearer.mechanism);
    BOOST_TEST(
        bearer.mechanism->initialResponse().contains("\x01host=imap.example.org\x01port=993\x01"));

    const QStringList order{QStringLiteral("SCRAM-SHA-256"), QStringLiteral("SCRAM-SHA-1"),
                            QStringLiteral("OAUTHBEARER"),   QStringLiteral("XOAUTH2"),
                            QStringLiteral("PLAIN"),         QStringLiteral("LOGIN")};
    BOOST_TEST((supportedMechanisms() == order));
    BOOST_TEST(!createMechanism(QStringLiteral("CRAM-MD5"), passwordCredentials()));
}

BOOST_AUTO_TEST_CASE(base64_helpers)
{
    BOOST_TEST(saslEncode(QByteArray()).isEmpty());
    BOOST_TEST(initialResponseArgument(QByteArray()) == QByteArray("="));
    BOOST_TEST(initialResponseArgument("user") == QByteArray("dXNlcg=="));
    QByteArray raw = "untouched";
    BOOST_TEST(saslDecode("dXNlcg==", &raw));
    BOOST_TEST(raw == QByteArray("user"));
    BOOST_TEST(saslDecode(QByteArray(), &raw));
    BOOST_TEST(raw.isEmpty());
    raw = "untouched";
    for (const char *bad : {"dXNlcg", "dX*lcg==", "dXNl cg==", "dXNlcg=x", "===="}) {
        BOOST_TEST_CONTEXT(bad)
        {
            BOOST_TEST(!saslDecode(bad, &raw));
            BOOST_TEST(raw == QByteArray("untouched"));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
