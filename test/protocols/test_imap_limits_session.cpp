// SPDX-License-Identifier: LGPL-3.0-or-later
// Every limit of Limits holds in an IMAP session (DESIGN.md §2, rules 5 and 10): untagged
// responses collected for one command (maxReplyLines), listing entries (maxListingLines) and
// capability atoms across lines and in response codes (maxCapabilities). Each case sets a
// small limit, lets a fixture script go one past it, and expects LimitExceeded, the session
// Failed, and no hang; the same script exactly at the limit passes.
#include "imap_commands_fixture.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>

using namespace mailwire;
using namespace mailwire::test;

namespace {

const QString Preauth =
    QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS ESEARCH] ready\n");

/// count lines "S: <prefix><n><suffix>" for n = 1..count.
QString numbered(int count, const QString &prefix, const QString &suffix = QString())
{
    QString out;
    for (int n = 1; n <= count; ++n)
        out += QStringLiteral("S: %1%2%3\n").arg(prefix).arg(n).arg(suffix);
    return out;
}

/// A session over script with change applied to its limits; connected (PREAUTH).
struct LimitedFixture : CommandsFixture
{
    LimitedFixture(const QString &script, const std::function<void(Limits &)> &change)
        : CommandsFixture(scriptText(script))
    {
        setSettings([&](ConnectionSettings &s) { change(s.limits); });
    }
};

/// What one command under a limit ended with.
struct Outcome
{
    Error::Code reply = Error::Code::None;
    Error::Code session = Error::Code::None;
    SessionBase::State state = SessionBase::State::Disconnected;
    QString message;
};

Outcome runCommand(LimitedFixture &f, const std::function<Reply *()> &issue)
{
    Outcome outcome;
    BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());
    Reply *reply = issue();
    reply->waitForFinished(10000);
    BOOST_TEST(reply->isFinished());
    outcome.reply = reply->error().code();
    outcome.message = reply->error().message();
    outcome.session = f.session.lastError().code();
    outcome.state = f.session.state();
    return outcome;
}

void expectLimitFailure(const Outcome &outcome, const char *limitName)
{
    BOOST_TEST(outcome.reply == Error::Code::LimitExceeded);
    BOOST_TEST(outcome.session == Error::Code::LimitExceeded);
    BOOST_TEST(outcome.state == SessionBase::State::Failed);
    BOOST_TEST(outcome.message.contains(QLatin1String(limitName)), outcome.message.toStdString());
}

/// About `bytes` bytes of distinct capability atoms (some AUTH=, some with '='), space-separated.
QByteArray hugeCapabilityAtoms(int bytes)
{
    QByteArray line;
    line.reserve(bytes + 32);
    for (int n = 0; line.size() < bytes; ++n) {
        if (n % 7 == 0)
            line += "AUTH=MECH" + QByteArray::number(n) + ' ';
        else if (n % 5 == 0)
            line += "X-PARAM=" + QByteArray::number(n) + ' ';
        else
            line += "X-CAP" + QByteArray::number(n) + ' ';
    }
    line.chop(1);
    return line;
}

/// The process's peak virtual size (VmPeak of /proc/self/status) in KiB, or -1. A large
/// malloc() is mapped at once, so a literal reserved in full shows here even though its
/// pages are never touched (and so would not show in the resident size).
qint64 peakVirtualKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmPeak:"))
            return line.mid(7).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

BOOST_AUTO_TEST_SUITE(imap_limits_session)

BOOST_AUTO_TEST_CASE(untagged_responses_for_one_command_are_bounded_by_max_reply_lines)
{
    // A raw command collects every untagged response; five are allowed, the sixth is not.
    for (const int sent : {5, 6}) {
        BOOST_TEST_CONTEXT(sent << " responses")
        {
            LimitedFixture f(Preauth + QStringLiteral("C: A001 XSTATS\n")
                                 + numbered(sent, QStringLiteral("* XSTATS counter "))
                                 + QStringLiteral("S: A001 OK done\nEXPECT-CLOSE\n"),
                             [](Limits &l) { l.maxReplyLines = 5; });
            const Outcome outcome = runCommand(f, [&] { return f.session.command("XSTATS"); });
            if (sent == 5) {
                BOOST_TEST(outcome.reply == Error::Code::None, outcome.message.toStdString());
                BOOST_TEST(outcome.state == SessionBase::State::Authenticated);
            } else {
                expectLimitFailure(outcome, "maxReplyLines");
            }
            f.session.abort();
            BOOST_TEST(f.server.waitForFinished(5000));
            BOOST_TEST(f.server.result().passed, f.describe());
        }
    }
}

BOOST_AUTO_TEST_CASE(listings_are_bounded_by_max_listing_lines)
{
    // Ten entries allowed: per message (FETCH), per mailbox (LIST), per match (SEARCH
    // numbers, ESEARCH ALL as the numbers it stands for, an empty SEARCH line as one).
    struct Listing
    {
        const char *name;
        std::function<QString(int)> exchange; // the command line and its answer, n entries
        std::function<Reply *(ImapSession &)> issue;
    };
    const QList<Listing> listings = {
        {"UID FETCH",
         [](int n) {
             return QStringLiteral("C~ A001 UID FETCH 1:\\* \\(?FLAGS\\)?\n")
                 + numbered(n, QStringLiteral("* "), QStringLiteral(" FETCH (FLAGS ())"));
         },
         [](ImapSession &s) -> Reply * {
             return s.uidFetch(SequenceSet::parse("1:*"), ImapFetchItems().flags());
         }},
        {"LIST",
         [](int n) {
             return QStringLiteral("C: A001 LIST \"\" \"*\"\n")
                 + numbered(n, QStringLiteral("* LIST () \"/\" Folder"));
         },
         [](ImapSession &s) -> Reply * { return s.list(QString(), QStringLiteral("*")); }},
        {"SEARCH numbers",
         [](int n) {
             QString numbers;
             for (int i = 1; i <= n; ++i)
                 numbers += QStringLiteral(" %1").arg(i);
             return QStringLiteral("C: A001 SEARCH ALL\nS: * SEARCH%1\n").arg(numbers);
         },
         [](ImapSession &s) -> Reply * { return s.search("ALL"); }},
        {"ESEARCH ALL",
         [](int n) {
             return QStringLiteral("C: A001 UID SEARCH RETURN (ALL) ALL\n"
                                   "S: * ESEARCH (TAG \"A001\") UID ALL 1:%1\n")
                 .arg(n);
         },
         [](ImapSession &s) -> Reply * { return s.uidSearch("RETURN (ALL) ALL"); }},
        {"empty SEARCH lines",
         [](int n) {
             QString lines = QStringLiteral("C: A001 SEARCH ALL\n");
             for (int i = 0; i < n; ++i)
                 lines += QStringLiteral("S: * SEARCH\n");
             return lines;
         },
         [](ImapSession &s) -> Reply * { return s.search("ALL"); }},
    };
    for (const Listing &listing : listings) {
        for (const int sent : {10, 11}) {
            BOOST_TEST_CONTEXT(listing.name << " with " << sent << " entries")
            {
                LimitedFixture f(Preauth + listing.exchange(sent)
                                     + QStringLiteral("S: A001 OK done\nEXPECT-CLOSE\n"),
                                 [](Limits &l) { l.maxListingLines = 10; });
                const Outcome outcome = runCommand(f, [&] { return listing.issue(f.session); });
                if (sent == 10) {
                    BOOST_TEST(outcome.reply == Error::Code::None, outcome.message.toStdString());
                    BOOST_TEST(outcome.state == SessionBase::State::Authenticated);
                } else {
                    expectLimitFailure(outcome, "maxListingLines");
                }
                f.session.abort();
                BOOST_TEST(f.server.waitForFinished(5000));
                BOOST_TEST(f.server.result().passed, f.describe());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(capability_atoms_are_counted_across_lines_and_in_codes)
{
    // Eight atoms allowed. Each script stays under the limit line by line and goes over it
    // in total (two lines of five), or puts nine in one response code.
    struct Case
    {
        const char *name;
        QString script;
        bool authenticateFirst;
        bool capabilityQueryAfterLogin = false;
    };
    const QString fiveA = QStringLiteral("IMAP4rev1 A1 A2 A3 A4");
    const QString fiveB = QStringLiteral("B1 B2 B3 B4 B5");
    const QString nine = fiveA + QStringLiteral(" B1 B2 B3 B4");
    const QList<Case> cases = {
        {"two CAPABILITY lines answering the connection's query",
         QStringLiteral(
             "S: * OK ready\nC: A001 CAPABILITY\nS: * CAPABILITY %1\nS: * CAPABILITY %2\n"
             "S: A001 OK done\nEXPECT-CLOSE\n")
             .arg(fiveA, fiveB),
         false},
        {"the greeting's code",
         QStringLiteral("S: * OK [CAPABILITY %1] ready\nEXPECT-CLOSE\n").arg(nine), false},
        {"the CAPABILITY code of the connection query's OK",
         QStringLiteral("S: * OK ready\nC: A001 CAPABILITY\nS: A001 OK [CAPABILITY %1] done\n"
                        "EXPECT-CLOSE\n")
             .arg(nine),
         false},
        {"the LOGIN OK's code",
         QStringLiteral("S: * OK [CAPABILITY IMAP4rev1] ready\nC: A001 LOGIN \"alice\" \"pw\"\n"
                        "S: A001 OK [CAPABILITY %1] Logged in\nEXPECT-CLOSE\n")
             .arg(nine),
         true},
        {"two CAPABILITY lines answering capability() after login",
         QStringLiteral("S: * OK [CAPABILITY IMAP4rev1] ready\nC: A001 LOGIN \"alice\" \"pw\"\n"
                        "S: A001 OK Logged in\nC: A002 CAPABILITY\nS: * CAPABILITY %1\n"
                        "S: * CAPABILITY %2\nS: A002 OK done\nEXPECT-CLOSE\n")
             .arg(fiveA, fiveB),
         true, true},
    };
    for (const Case &c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            CommandsFixture f(scriptText(c.script));
            f.setSettings([](ConnectionSettings &s) { s.limits.maxCapabilities = 8; });
            Reply *connect = f.session.connectToServer();
            connect->waitForFinished(10000);
            Reply *last = connect;
            if (c.authenticateFirst) {
                BOOST_TEST_REQUIRE(!connect->hasError(), connect->error().toString().toStdString());
                Credentials credentials;
                credentials.user = QStringLiteral("alice");
                credentials.password = QStringLiteral("pw");
                last = f.session.authenticate(credentials);
                last->waitForFinished(10000);
            }
            // The reply that was waiting fails; after LOGIN without a code the session asks
            // for the capabilities on its own, and that query fails the session.
            BOOST_TEST_REQUIRE(
                waitUntil([&] { return f.session.state() == SessionBase::State::Failed; }));
            BOOST_TEST(f.session.lastError().code() == Error::Code::LimitExceeded);
            BOOST_TEST(f.session.lastError().message().contains(QLatin1String("maxCapabilities")));
            BOOST_TEST(last->isFinished());
            if (!c.capabilityQueryAfterLogin)
                BOOST_TEST(last->error().code() == Error::Code::LimitExceeded,
                           last->error().toString().toStdString());
            BOOST_TEST(f.session.capabilities().size() <= 8);
            BOOST_TEST(f.server.waitForFinished(5000));
        }
    }
}

BOOST_AUTO_TEST_CASE(capability_atoms_up_to_the_limit_are_accepted)
{
    // Four plus four across two lines: exactly the limit.
    CommandsFixture f(scriptText(
        QStringLiteral("S: * OK ready\nC: A001 CAPABILITY\nS: * CAPABILITY IMAP4rev1 A1 A2 A3\n"
                       "S: * CAPABILITY B1 B2 B3 AUTH=PLAIN\nS: A001 OK done\nEXPECT-CLOSE\n")));
    f.setSettings([](ConnectionSettings &s) { s.limits.maxCapabilities = 8; });
    Reply *connect = f.session.connectToServer();
    BOOST_TEST(connect->waitForFinished(10000), connect->error().toString().toStdString());
    BOOST_TEST(f.session.state() == SessionBase::State::Connected);
    BOOST_TEST(f.session.capabilities().has("B3"));
    BOOST_TEST(f.session.capabilities().saslMechanisms() == QStringList{QStringLiteral("PLAIN")});
    f.session.abort();
}

BOOST_AUTO_TEST_CASE(a_megabyte_capability_line_is_parsed_quickly_then_refused)
{
    // Parsed in linear time (the line limit raised so it is parsed at all), then refused for
    // its atom count before any Capabilities set is built.
    const QByteArray atoms = hugeCapabilityAtoms(1024 * 1024);
    CommandsFixture f(scriptText(
        QStringLiteral("S: * OK ready\nC: A001 CAPABILITY\nS: * CAPABILITY ")
        + QString::fromLatin1(atoms) + QStringLiteral("\nS: A001 OK done\nEXPECT-CLOSE\n")));
    f.setSettings([](ConnectionSettings &s) { s.limits.maxLineLength = 2 * 1024 * 1024; });
    QElapsedTimer clock;
    clock.start();
    Reply *connect = f.session.connectToServer();
    connect->waitForFinished(20000);
    const qint64 ms = clock.elapsed();
    BOOST_TEST_MESSAGE("1 MB CAPABILITY line, connect to LimitExceeded: " << ms << " ms");
    BOOST_TEST(connect->error().code() == Error::Code::LimitExceeded,
               connect->error().toString().toStdString());
    BOOST_TEST(connect->error().message().contains(QLatin1String("maxCapabilities")));
    BOOST_TEST(f.session.state() == SessionBase::State::Failed);
    BOOST_TEST(ms < 5000); // includes the TLS handshake and 1 MB over loopback
}

BOOST_AUTO_TEST_CASE(a_huge_literal_announcement_does_not_reserve_its_size)
{
    // "{200000000}" (below the 256 MiB default limit), a few bytes, then the server hangs
    // up without close_notify: the session fails as a truncated connection, and memory
    // never jumped by 190 MiB.
    CommandsFixture f(scriptText(Preauth
                                 + QStringLiteral("C: A001 FETCH 1 BODY[]\n"
                                                  "S: * 1 FETCH (BODY[] {200000000}\n"
                                                  "S~ only a few bytes\n"
                                                  "CLOSE\n")));
    BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());
    const qint64 before = peakVirtualKiB();
    BOOST_TEST_REQUIRE(before > 0);
    ImapCommandReply *fetch = f.session.command("FETCH 1 BODY[]");
    BOOST_TEST(!fetch->waitForFinished(10000));
    BOOST_TEST(fetch->error().code() == Error::Code::ConnectionTruncated,
               fetch->error().toString().toStdString());
    BOOST_TEST(f.session.state() == SessionBase::State::Failed);
    const qint64 grown = peakVirtualKiB() - before;
    BOOST_TEST_MESSAGE("VmPeak grew by " << grown << " KiB");
    BOOST_TEST(grown < 64 * 1024);
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_CASE(a_literal_of_normal_size_still_arrives_whole)
{
    const QByteArray body = "Subject: hello\r\n\r\n" + QByteArray(300000, 'b') + "\r\n";
    CommandsFixture f(scriptText(Preauth
                                 + QStringLiteral("C: A001 FETCH 1 BODY[]\n"
                                                  "S: * 1 FETCH (BODY[] {%1}\n"
                                                  "S~ %2\n"
                                                  "S: )\n"
                                                  "S: A001 OK done\n"
                                                  "EXPECT-CLOSE\n")
                                       .arg(body.size())
                                       .arg(QString::fromLatin1(body).replace(
                                           QLatin1String("\r\n"), QLatin1String("\\r\\n")))));
    BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());
    ImapCommandReply *fetch = f.session.command("FETCH 1 BODY[]");
    BOOST_TEST_REQUIRE(fetch->waitForFinished(10000), fetch->error().toString().toStdString());
    BOOST_TEST_REQUIRE(fetch->responses().size() == 1);
    BOOST_TEST_REQUIRE(fetch->responses().at(0).fetch.sections.size() == 1);
    BOOST_TEST(fetch->responses().at(0).fetch.sections.at(0).data == body);
    f.session.abort();
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_SUITE_END()
