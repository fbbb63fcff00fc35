// SPDX-License-Identifier: LGPL-3.0-or-later
// How the examples show server text (examples/server_text.h, example_common.h): escaped so a
// hostile server cannot drive the terminal, and labelled as unverified when it came before
// TLS protected a StartTls session (issue 7 item 8).
#include <boost/test/unit_test.hpp>

#include "example_common.h"
#include "server_text.h"

#include <mailwire/imap_session.h>

using namespace mailwire;
using namespace mailwire::examples;

namespace {

std::string str(const QString &text) { return text.toStdString(); }

/// A session that is never connected, set to a TLS mode.
struct Session
{
    explicit Session(TlsMode mode)
    {
        ConnectionSettings settings;
        settings.tlsMode = mode;
        session.setSettings(settings);
    }
    ImapSession session;
};

} // namespace

BOOST_AUTO_TEST_SUITE(example_server_text)

BOOST_AUTO_TEST_CASE(control_and_invisible_characters_are_escaped)
{
    BOOST_TEST(str(escapedServerText(QStringLiteral("plain text, caf\u00e9 \U0001F600")))
               == "plain text, caf\u00e9 \U0001F600");
    BOOST_TEST(str(escapedServerText(QStringLiteral("\x1b[31mred\x1b[0m\a")))
               == "\\x1b[31mred\\x1b[0m\\x07");
    BOOST_TEST(str(escapedServerText(QStringLiteral("a\r\nb\tc\x7f")))
               == "a\\x0d\\x0ab\\x09c\\x7f");
    BOOST_TEST(str(escapedServerText(QStringLiteral("\u009b2J"))) == "\\x9b2J"); // C1 CSI
    // Bidi override and isolate, zero-width space, line separator.
    BOOST_TEST(str(escapedServerText(QStringLiteral("a\u202eb\u2066c\u200bd\u2028e")))
               == "a\\u202eb\\u2066c\\u200bd\\u2028e");
    // A backslash is doubled, so an escape in the output always means an escaped character.
    BOOST_TEST(str(escapedServerText(QStringLiteral("C:\\x1b"))) == "C:\\\\x1b");
    BOOST_TEST(str(escapedServerText(QStringLiteral("say \"hi\""))) == "say \"hi\"");
}

BOOST_AUTO_TEST_CASE(text_is_cut_at_the_limit_and_never_inside_a_character)
{
    BOOST_TEST(str(escapedServerText(QStringLiteral("abcdef"), 3)) == "abc\u2026");
    BOOST_TEST(str(escapedServerText(QStringLiteral("abc"), 3)) == "abc");
    // U+1F600 is two UTF-16 units: cut before it rather than through it.
    BOOST_TEST(str(escapedServerText(QStringLiteral("ab\U0001F600z"), 3)) == "ab\u2026");
    BOOST_TEST(str(escapedServerText(QStringLiteral("ab\U0001F600z"), 4)) == "ab\U0001F600\u2026");
}

BOOST_AUTO_TEST_CASE(unverified_text_is_labelled_quoted_and_capped)
{
    BOOST_TEST(str(unverifiedServerText(QStringLiteral("Login \"ok\"\x1b[2J")))
               == "(unverified server text before TLS: \"Login \\\"ok\\\"\\x1b[2J\")");
    const QString shown = unverifiedServerText(QString(1000, QLatin1Char('q')));
    BOOST_TEST(shown.count(QLatin1Char('q')) == UnverifiedTextMaxChars);
    BOOST_TEST(shown.endsWith(QStringLiteral("q\u2026\")")), str(shown));
}

BOOST_AUTO_TEST_CASE(text_the_session_marked_unverified_is_labelled_in_every_mode)
{
    // The session marks what it heard before TLS (Error::withUnverifiedServerText()); the
    // example only follows that mark, whatever the mode.
    for (const TlsMode mode : {TlsMode::StartTls, TlsMode::ImplicitTls, TlsMode::Plain}) {
        Session s(mode);
        const ServerTextTrust trust(s.session);
        for (const Error::Code code :
             {Error::Code::StartTlsNotOffered, Error::Code::StartTlsRefused,
              Error::Code::PreauthBeforeTls, Error::Code::PlaintextAfterUpgrade,
              Error::Code::BadGreeting}) {
            const Error error = Error(code, QString(), QStringLiteral("Login succeeded"))
                                    .withUnverifiedServerText();
            BOOST_TEST(trust.isUnverified(error), Error::codeName(code).toStdString());
            BOOST_TEST(str(describeError(error, trust))
                       == str(Error(code).toString()
                              + QStringLiteral(" (unverified server text before TLS: "
                                               "\"Login succeeded\")")));
        }
    }
}

BOOST_AUTO_TEST_CASE(unmarked_text_is_the_servers_own_and_escaped_text_stays_labelled)
{
    Session s(TlsMode::StartTls);
    const ServerTextTrust trust(s.session);
    BOOST_TEST(trust.beforeTls());
    const Error capability = Error(Error::Code::ProtocolError, QStringLiteral("CAPABILITY failed"),
                                   QStringLiteral("BAD \x1b[2J"))
                                 .withUnverifiedServerText();
    BOOST_TEST(str(describeError(capability, trust))
               == "ProtocolError: CAPABILITY failed "
                  "(unverified server text before TLS: \"BAD \\x1b[2J\")");

    emit s.session.encrypted(); // what the session says once TLS is verified and up
    BOOST_TEST(!trust.beforeTls());
    const Error refused(Error::Code::CommandFailed, QStringLiteral("SELECT failed"),
                        QStringLiteral("NO no such mailbox"));
    BOOST_TEST(!trust.isUnverified(refused));
    BOOST_TEST(str(describeError(refused, trust)) == str(refused.toString()));
    BOOST_TEST(str(describeError(refused, trust)).find("(server: NO no such mailbox)")
               != std::string::npos);
}

BOOST_AUTO_TEST_CASE(implicit_tls_text_is_the_servers_own)
{
    // The greeting of an implicit-TLS session already came over verified TLS.
    Session s(TlsMode::ImplicitTls);
    const ServerTextTrust trust(s.session);
    const Error greeting(Error::Code::BadGreeting, QStringLiteral("refused"),
                         QStringLiteral("too many connections"));
    BOOST_TEST(!trust.beforeTls());
    BOOST_TEST(!trust.isUnverified(greeting));
    BOOST_TEST(str(describeError(greeting, trust)) == str(greeting.toString()));
}

BOOST_AUTO_TEST_CASE(an_error_without_server_text_is_unchanged)
{
    Session s(TlsMode::StartTls);
    const ServerTextTrust trust(s.session);
    const Error error(Error::Code::StartTlsNotOffered);
    BOOST_TEST(str(describeError(error, trust)) == str(error.toString()));
}

BOOST_AUTO_TEST_SUITE_END()
