// SPDX-License-Identifier: LGPL-3.0-or-later
// Nothing said before TLS reaches the application in StartTls mode (DESIGN.md §2,
// invariant 8): no [ALERT], no mailbox state, no untagged response; such lines stay in the
// transcript, marked as ignored. Errors of that phase keep the server's words, marked
// unverified. A "+" in answer to STARTTLS is a refused upgrade.
#include "imap_commands_fixture.h"

using namespace mailwire;
using namespace mailwire::fixtures;
using namespace mailwire::test;

namespace {

/// Everything the session tells the application about what the server said, split by
/// whether TLS was up when it was said.
struct Observer
{
    explicit Observer(ImapSession &session)
    {
        const auto before = [&session] { return !session.isEncrypted(); };
        QObject::connect(&session, &ImapSession::alertReceived,
                         [this, before](const QString &text) {
                             (before() ? alertsBeforeTls : alertsAfterTls) << text;
                         });
        QObject::connect(&session, &ImapSession::untaggedReceived,
                         [this, before](const ImapResponse &) {
                             if (before())
                                 ++untaggedBeforeTls;
                         });
        QObject::connect(&session, &ImapSession::exists, [this](quint32) { ++mailboxSignals; });
        QObject::connect(&session, &ImapSession::recent, [this](quint32) { ++mailboxSignals; });
        QObject::connect(&session, &ImapSession::expunged, [this](quint32) { ++mailboxSignals; });
        QObject::connect(&session, &ImapSession::flagsChanged,
                         [this](quint32, const QStringList &) { ++mailboxSignals; });
        QObject::connect(&session, &SessionBase::stateChanged,
                         [this](SessionBase::State state) { states << state; });
    }

    SessionBase::State beforeFailure() const
    {
        const int failed = states.lastIndexOf(SessionBase::State::Failed);
        return failed > 0 ? states.at(failed - 1) : SessionBase::State::Failed;
    }

    QStringList alertsBeforeTls;
    QStringList alertsAfterTls;
    int untaggedBeforeTls = 0;
    int mailboxSignals = 0;
    QList<SessionBase::State> states;
};

/// The transcript entry that follows the server line `line`, or an empty array.
QByteArray entryAfter(const StringTranscript &transcript, const QByteArray &line)
{
    const QList<QByteArray> lines = transcript.lines();
    const int at = lines.indexOf("S: " + line);
    return at >= 0 && at + 1 < lines.size() ? lines.at(at + 1) : QByteArray();
}

const QByteArray IgnoredMarker = "[ignored: sent before TLS, unauthenticated]";
const QByteArray IgnoredAlertMarker = "[ALERT ignored: sent before TLS, unauthenticated]";

} // namespace

BOOST_AUTO_TEST_SUITE(imap_session_before_tls)

BOOST_AUTO_TEST_CASE(nothing_said_before_tls_reaches_the_application)
{
    CommandsFixture f(namedScript("imap/pretls_untagged_ignored"), TlsMode::StartTls);
    Observer seen(f.session);
    Reply *connect = f.session.connectToServer();
    BOOST_TEST_REQUIRE(connect->waitForFinished(10000), text(connect));
    BOOST_TEST(f.session.isEncrypted());
    BOOST_TEST(f.session.state() == SessionBase::State::Connected);

    BOOST_TEST(seen.alertsBeforeTls.isEmpty(),
               seen.alertsBeforeTls.join(QLatin1Char('|')).toStdString());
    BOOST_TEST(seen.untaggedBeforeTls == 0);
    BOOST_TEST(seen.mailboxSignals == 0);
    // After TLS the server's own alert is shown: the filter is about trust, not alerts.
    BOOST_TEST(seen.alertsAfterTls
               == QStringList{QStringLiteral("System maintenance tonight at 22:00 UTC")});
    BOOST_TEST(f.session.capabilities().has("AUTH=PLAIN"));
    BOOST_TEST(!f.session.capabilities().has("LOGINDISABLED"));
    BOOST_TEST(connect->serverText().isEmpty());

    // Each line is in the transcript, followed by the marker that says it was dropped.
    for (const QByteArray &line :
         {QByteArray("* OK [ALERT] Your mailbox is locked: confirm your password at "
                     "https://evil.example/"),
          QByteArray("* OK [ALERT] Security notice: call +1 555 0100 now"),
          QByteArray("A001 OK [ALERT] Capability completed, password expired"),
          QByteArray("* OK [ALERT] One more thing before TLS"),
          QByteArray("A002 OK [ALERT] Begin TLS negotiation now.")}) {
        BOOST_TEST(entryAfter(f.transcript, line).startsWith(IgnoredAlertMarker), line.constData());
    }
    for (const QByteArray &line :
         {QByteArray("* 23 EXISTS"), QByteArray("* 5 RECENT"),
          QByteArray("* 1 FETCH (FLAGS (\\Deleted))"), QByteArray("* 2 EXPUNGE"),
          QByteArray("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)"),
          QByteArray("* 24 EXISTS")}) {
        BOOST_TEST(entryAfter(f.transcript, line) == IgnoredMarker, line.constData());
    }
    f.session.abort();
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_CASE(each_kind_of_untagged_data_before_tls_is_dropped)
{
    // One kind at a time, between our CAPABILITY and its completion.
    const struct
    {
        const char *line;
        QByteArray marker;
    } kinds[] = {
        {"* OK [ALERT] Please log in again at https://evil.example/", IgnoredAlertMarker},
        {"* NO [ALERT] Quota exceeded: delete everything", IgnoredAlertMarker},
        {"* 23 EXISTS", IgnoredMarker},
        {"* 5 RECENT", IgnoredMarker},
        {"* 1 FETCH (FLAGS (\\Seen \\Deleted))", IgnoredMarker},
        {"* 2 EXPUNGE", IgnoredMarker},
        {"* FLAGS (\\Answered \\Seen)", IgnoredMarker},
        {"* OK [UIDVALIDITY 42] fake mailbox", IgnoredMarker},
        {"* LIST () \"/\" INBOX", IgnoredMarker},
    };
    for (const auto &kind : kinds) {
        BOOST_TEST_CONTEXT(kind.line)
        {
            CommandsFixture f(scriptText(QStringLiteral("S: * OK ready\n"
                                                        "C~ ^(\\S+) CAPABILITY$\n"
                                                        "S: %1\n"
                                                        "S: * CAPABILITY IMAP4rev1 STARTTLS\n"
                                                        "S: $1 OK done\n"
                                                        "C~ ^(\\S+) STARTTLS$\n"
                                                        "S: $1 OK go\n"
                                                        "TLS\n"
                                                        "C~ ^(\\S+) CAPABILITY$\n"
                                                        "S: * CAPABILITY IMAP4rev1\n"
                                                        "S: $1 OK done\n"
                                                        "EXPECT-CLOSE\n")
                                             .arg(QString::fromLatin1(kind.line))),
                              TlsMode::StartTls);
            Observer seen(f.session);
            Reply *connect = f.session.connectToServer();
            BOOST_TEST_REQUIRE(connect->waitForFinished(10000), text(connect));
            BOOST_TEST(seen.alertsBeforeTls.isEmpty());
            BOOST_TEST(seen.alertsAfterTls.isEmpty());
            BOOST_TEST(seen.untaggedBeforeTls == 0);
            BOOST_TEST(seen.mailboxSignals == 0);
            BOOST_TEST(entryAfter(f.transcript, kind.line).startsWith(kind.marker));
            f.session.abort();
            BOOST_TEST(f.server.waitForFinished(5000));
            BOOST_TEST(f.server.result().passed, f.describe());
        }
    }
}

BOOST_AUTO_TEST_CASE(after_tls_the_same_kinds_do_reach_the_application)
{
    // The counterpart: over TLS (implicit here) alerts and mailbox updates are signals.
    CommandsFixture f(scriptText(QStringLiteral("S: * OK [ALERT] Welcome, maintenance at 22:00\n"
                                                "C~ ^(\\S+) CAPABILITY$\n"
                                                "S: * 23 EXISTS\n"
                                                "S: * OK [ALERT] Quota at 90%\n"
                                                "S: * CAPABILITY IMAP4rev1\n"
                                                "S: $1 OK done\n"
                                                "EXPECT-CLOSE\n")),
                      TlsMode::ImplicitTls);
    Observer seen(f.session);
    Reply *connect = f.session.connectToServer();
    BOOST_TEST_REQUIRE(connect->waitForFinished(10000), text(connect));
    BOOST_TEST(seen.alertsAfterTls
               == (QStringList{QStringLiteral("Welcome, maintenance at 22:00"),
                               QStringLiteral("Quota at 90%")}));
    BOOST_TEST(seen.mailboxSignals == 1);
    f.session.abort();
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_CASE(bye_before_tls_fails_at_once_with_unverified_text)
{
    // The server does not close after its BYE: the session must not wait for it.
    CommandsFixture f(namedScript("imap/pretls_bye"), TlsMode::StartTls);
    f.setSettings([](ConnectionSettings &s) { s.timeouts.commandMs = 30000; });
    Observer seen(f.session);
    Reply *connect = f.session.connectToServer();
    BOOST_TEST(!connect->waitForFinished(20000));
    const Error error = connect->error();
    BOOST_TEST(error.code() == Error::Code::ConnectionClosed, error.toString().toStdString());
    BOOST_TEST(seen.beforeFailure() == SessionBase::State::AwaitingCapabilities);
    BOOST_TEST(error.serverText().contains(QStringLiteral("suspended")));
    BOOST_TEST(!error.isServerTextVerified());
    BOOST_TEST(error.toString().contains(QStringLiteral("(unverified server text: ")));
    BOOST_TEST(connect->serverText().isEmpty());
    BOOST_TEST(!f.session.lastError().isServerTextVerified());
    BOOST_TEST(seen.alertsBeforeTls.isEmpty());
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
    BOOST_TEST(f.server.result().clientLines == QStringList{QStringLiteral("A001 CAPABILITY")});
}

BOOST_AUTO_TEST_CASE(a_continuation_in_answer_to_starttls_is_a_refused_upgrade)
{
    CommandsFixture f(namedScript("imap/starttls_continuation"), TlsMode::StartTls);
    Observer seen(f.session);
    Reply *connect = f.session.connectToServer();
    BOOST_TEST(!connect->waitForFinished(10000));
    const Error error = connect->error();
    BOOST_TEST(error.code() == Error::Code::StartTlsRefused, error.toString().toStdString());
    BOOST_TEST(seen.beforeFailure() == SessionBase::State::AwaitingUpgradeReply);
    BOOST_TEST(error.serverText() == QStringLiteral("Send your password in the clear instead"));
    BOOST_TEST(!error.isServerTextVerified());
    BOOST_TEST(!f.session.isEncrypted());
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
    BOOST_TEST(f.server.result().clientLines == QStringList{QStringLiteral("A001 STARTTLS")});
}

BOOST_AUTO_TEST_CASE(errors_before_tls_mark_the_servers_words_unverified)
{
    {
        CommandsFixture f(namedScript("imap/starttls_refused"), TlsMode::StartTls);
        Reply *connect = f.session.connectToServer();
        BOOST_TEST(!connect->waitForFinished(10000));
        const Error error = connect->error();
        BOOST_TEST(error.code() == Error::Code::StartTlsRefused);
        BOOST_TEST(error.serverText().contains(QStringLiteral("not available")));
        BOOST_TEST(!error.isServerTextVerified());
        BOOST_TEST(connect->serverText().isEmpty());
        BOOST_TEST(error.toString().endsWith(
                       QStringLiteral("(unverified server text: TLS is not available right now.)")),
                   error.toString().toStdString());
    }
    {
        CommandsFixture f(namedScript("imap/bye_greeting"), TlsMode::StartTls);
        Reply *connect = f.session.connectToServer();
        BOOST_TEST(!connect->waitForFinished(10000));
        BOOST_TEST(connect->error().code() == Error::Code::BadGreeting);
        BOOST_TEST(!connect->error().isServerTextVerified());
    }
    // The same greeting over implicit TLS comes from the certified server: verified.
    {
        CommandsFixture f(namedScript("imap/bye_greeting"), TlsMode::ImplicitTls);
        Reply *connect = f.session.connectToServer();
        BOOST_TEST(!connect->waitForFinished(10000));
        BOOST_TEST(connect->error().code() == Error::Code::BadGreeting);
        BOOST_TEST(connect->error().isServerTextVerified());
        BOOST_TEST(connect->serverText().contains(QStringLiteral("Maximum number of connections")));
    }
    // After the upgrade, a refusal is the server's word.
    {
        CommandsFixture f(
            scriptText(QStringLiteral("S: * OK [CAPABILITY IMAP4rev1 STARTTLS] ready\n"
                                      "C~ ^(\\S+) STARTTLS$\n"
                                      "S: $1 OK go\n"
                                      "TLS\n"
                                      "C~ ^(\\S+) CAPABILITY$\n"
                                      "S: * CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\n"
                                      "S: $1 OK done\n"
                                      "C~ ^(\\S+) AUTHENTICATE PLAIN \\S+$\n"
                                      "S: $1 NO [AUTHENTICATIONFAILED] Invalid credentials\n"
                                      "EXPECT-CLOSE\n")),
            TlsMode::StartTls);
        Reply *connect = f.session.connectToServer();
        BOOST_TEST_REQUIRE(connect->waitForFinished(10000), text(connect));
        Credentials credentials;
        credentials.user = QStringLiteral("alice");
        credentials.password = QStringLiteral("wrong");
        credentials.preferredMechanisms = QStringList{QStringLiteral("PLAIN")};
        Reply *auth = f.session.authenticate(credentials);
        BOOST_TEST(!auth->waitForFinished(10000));
        BOOST_TEST(auth->error().code() == Error::Code::AuthenticationFailed);
        BOOST_TEST(auth->error().isServerTextVerified());
        BOOST_TEST(auth->serverText().contains(QStringLiteral("Invalid credentials")));
        f.session.abort();
    }
}

BOOST_AUTO_TEST_SUITE_END()
