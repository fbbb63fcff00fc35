// SPDX-License-Identifier: LGPL-3.0-or-later
// Timeouts are deadlines a trickling server cannot extend (DESIGN.md §2, invariant 10):
// a reply must be complete within commandMs of its command unless it flows at
// Timeouts::minimumTransferRate; the upgrade's phases (greeting, capabilities) are hard
// deadlines however the bytes trickle in. Each case checks the error, the state the
// session failed in, and where the fixture server was when the client gave up.
#include <QtCore/QElapsedTimer>

#include "imap_commands_fixture.h"

using namespace mailwire;
using namespace mailwire::fixtures;
using namespace mailwire::test;

namespace {

/// Script text that sends bytes one at a time, pausing gapMs after each: the trickle.
QString trickle(const QByteArray &bytes, int gapMs)
{
    QString text;
    for (const char c : bytes) {
        QString shown;
        switch (c) {
        case '\r': shown = QStringLiteral("\\r"); break;
        case '\n': shown = QStringLiteral("\\n"); break;
        case '\\': shown = QStringLiteral("\\\\"); break;
        case '$': shown = QStringLiteral("$$"); break;
        default: shown = QChar::fromLatin1(c); break;
        }
        text += QStringLiteral("S~ %1\nWAIT %2\n").arg(shown).arg(gapMs);
    }
    return text;
}

/// The states a session went through; the one before Failed names the phase that failed.
struct StateLog
{
    explicit StateLog(SessionBase &session)
    {
        QObject::connect(&session, &SessionBase::stateChanged,
                         [this](SessionBase::State state) { states << state; });
    }

    SessionBase::State beforeFailure() const
    {
        const int failed = states.lastIndexOf(SessionBase::State::Failed);
        return failed > 0 ? states.at(failed - 1) : SessionBase::State::Failed;
    }

    QList<SessionBase::State> states;
};

/// The script line of the first step whose text contains needle (for verdict checks).
int lineOf(const Script &script, const QString &needle)
{
    for (const Script::Step &step : script.steps()) {
        if (step.source.contains(needle))
            return step.line;
    }
    return -1;
}

const char *const PreauthGreeting = "S: * PREAUTH [CAPABILITY IMAP4rev1] Logged in as alice\n"
                                    "C~ ^(\\S+) FETCH 1 BODY\\[\\]$\n";

} // namespace

BOOST_AUTO_TEST_SUITE(imap_session_deadlines)

BOOST_AUTO_TEST_CASE(a_reply_trickled_a_byte_at_a_time_meets_the_command_deadline)
{
    // 80 literal bytes, one per 100 ms: 8 s of "progress" at 10 bytes/s. Each byte used to
    // restart the 1.5 s timeout, so the reply completed; now the deadline holds.
    const Script script = scriptText(
        QString::fromLatin1(PreauthGreeting) + QStringLiteral("S~ * 1 FETCH (BODY[] {80}\\r\\n\n")
        + trickle(QByteArray(80, 'x'), 100)
        + QStringLiteral("S: )\nS: $1 OK FETCH completed\nEXPECT-CLOSE\n"));
    CommandsFixture f(script);
    f.setSettings([](ConnectionSettings &s) { s.timeouts.commandMs = 1500; });
    StateLog log(f.session);
    BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());

    QElapsedTimer clock;
    clock.start();
    ImapCommandReply *fetch = f.session.command("FETCH 1 BODY[]");
    BOOST_TEST(!fetch->waitForFinished(20000));
    const qint64 elapsed = clock.elapsed();
    BOOST_TEST(fetch->error().code() == Error::Code::Timeout, text(fetch));
    BOOST_TEST(f.session.lastError().message()
               == QStringLiteral("Timed out waiting for the server's reply"));
    BOOST_TEST(log.beforeFailure() == SessionBase::State::Authenticated);
    BOOST_TEST(elapsed >= 1300); // the deadline, not earlier (coarse timers may be 5% early)

    // The client hung up in the middle of the trickle, long before the tagged OK.
    BOOST_TEST(f.server.waitForFinished(15000));
    const FixtureResult verdict = f.server.result();
    BOOST_TEST(!verdict.passed, verdict.describe().toStdString());
    BOOST_TEST(verdict.line > lineOf(script, QStringLiteral("{80}")),
               verdict.describe().toStdString());
    BOOST_TEST(verdict.line < lineOf(script, QStringLiteral("OK FETCH completed")),
               verdict.describe().toStdString());
}

BOOST_AUTO_TEST_CASE(a_large_reply_flowing_steadily_outlives_the_command_deadline)
{
    // 40 chunks of 16 KiB, one per 100 ms: about 4 s at ~160 KiB/s, far above
    // minimumTransferRate, for a 1.5 s commandMs.
    constexpr int Chunks = 40;
    constexpr int ChunkSize = 16 * 1024;
    QString source = QString::fromLatin1(PreauthGreeting)
        + QStringLiteral("S~ * 1 FETCH (BODY[] {%1}\\r\\n\n").arg(Chunks * ChunkSize);
    const QString chunk = QString(ChunkSize, QLatin1Char('y'));
    for (int i = 0; i < Chunks; ++i)
        source += QStringLiteral("S~ %1\nWAIT 100\n").arg(chunk);
    source += QStringLiteral("S: )\nS: $1 OK FETCH completed\nEXPECT-CLOSE\n");
    CommandsFixture f(scriptText(source));
    f.setSettings([](ConnectionSettings &s) { s.timeouts.commandMs = 1500; });
    BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());

    QElapsedTimer clock;
    clock.start();
    ImapCommandReply *fetch = f.session.command("FETCH 1 BODY[]");
    BOOST_TEST_REQUIRE(fetch->waitForFinished(60000), text(fetch));
    BOOST_TEST(clock.elapsed() > 1500); // it did outlive one deadline
    BOOST_TEST_REQUIRE(fetch->responses().size() == 1);
    const FetchSection *body = fetch->responses().at(0).fetch.section("");
    BOOST_TEST_REQUIRE(body);
    BOOST_TEST(body->data.size() == Chunks * ChunkSize);
    BOOST_TEST(f.session.state() == SessionBase::State::Authenticated);
    f.session.abort();
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_CASE(without_a_minimum_rate_the_command_deadline_is_hard)
{
    // The same steady flow, but minimumTransferRate 0: commandMs is final.
    QString source = QString::fromLatin1(PreauthGreeting)
        + QStringLiteral("S~ * 1 FETCH (BODY[] {%1}\\r\\n\n").arg(40 * 1024);
    for (int i = 0; i < 40; ++i)
        source += QStringLiteral("S~ %1\nWAIT 100\n").arg(QString(1024, QLatin1Char('y')));
    source += QStringLiteral("S: )\nS: $1 OK FETCH completed\nEXPECT-CLOSE\n");
    CommandsFixture f(scriptText(source));
    f.setSettings([](ConnectionSettings &s) {
        s.timeouts.commandMs = 1000;
        s.timeouts.minimumTransferRate = 0;
    });
    StateLog log(f.session);
    BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());
    ImapCommandReply *fetch = f.session.command("FETCH 1 BODY[]");
    BOOST_TEST(!fetch->waitForFinished(20000));
    BOOST_TEST(fetch->error().code() == Error::Code::Timeout, text(fetch));
    BOOST_TEST(log.beforeFailure() == SessionBase::State::Authenticated);
}

BOOST_AUTO_TEST_CASE(a_trickled_greeting_or_capability_list_meets_its_phase_deadline)
{
    // The upgrade's phases never stretch: a greeting or a capability list trickled at
    // 10 bytes/s (4 s or more in all) fails at its own deadline, in its own state.
    const QByteArray greeting = "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n";
    const QByteArray capabilities = "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n";
    const struct
    {
        const char *name;
        QString script;
        SessionBase::State state;
        const char *message;
    } phases[] = {
        {"greeting", trickle(greeting, 100), SessionBase::State::AwaitingGreeting,
         "Timed out waiting for the greeting"},
        {"capabilities before tls",
         QStringLiteral("S: * OK ready\nC~ ^(\\S+) CAPABILITY$\n") + trickle(capabilities, 100),
         SessionBase::State::AwaitingCapabilities, "Timed out waiting for capabilities"},
        {"capabilities after tls",
         QStringLiteral("S: * OK [CAPABILITY IMAP4rev1 STARTTLS] ready\nC~ ^(\\S+) STARTTLS$\n"
                        "S: $1 OK go\nTLS\nC~ ^(\\S+) CAPABILITY$\n")
             + trickle(capabilities, 100),
         SessionBase::State::AwaitingCapabilitiesAfterTls, "Timed out waiting for capabilities"},
    };
    for (const auto &phase : phases) {
        BOOST_TEST_CONTEXT("phase " << phase.name)
        {
            const Script script = scriptText(phase.script + QStringLiteral("EXPECT-CLOSE\n"));
            CommandsFixture f(script, TlsMode::StartTls);
            f.setSettings([](ConnectionSettings &s) {
                s.timeouts.greetingMs = 1000;
                s.timeouts.commandMs = 1000;
            });
            StateLog log(f.session);
            Reply *connect = f.session.connectToServer();
            BOOST_TEST(!connect->waitForFinished(20000));
            BOOST_TEST(connect->error().code() == Error::Code::Timeout, text(connect));
            BOOST_TEST(connect->error().message() == QString::fromLatin1(phase.message));
            BOOST_TEST(log.beforeFailure() == phase.state);
            // The server was still trickling when the client gave up.
            BOOST_TEST(f.server.waitForFinished(15000));
            const FixtureResult verdict = f.server.result();
            BOOST_TEST(!verdict.passed);
            BOOST_TEST(verdict.line > 0);
            BOOST_TEST(verdict.line < script.steps().last().line, verdict.describe().toStdString());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
