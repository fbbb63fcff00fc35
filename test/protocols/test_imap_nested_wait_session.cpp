// SPDX-License-Identifier: LGPL-3.0-or-later
// Reply::waitForFinished() works wherever a caller uses it, as QAbstractSocket's waitFor*
// do: from a slot connected to another reply's finished() (the socket's pump is never
// busy under the application's slots), from a slot running while the session still holds
// replies it has read but not dispatched, in a plain blocking sequence, and not at all
// (GUI style, signals only).
#include <QtCore/QElapsedTimer>

#include "imap_commands_fixture.h"

using namespace mailwire;
using namespace mailwire::fixtures;
using namespace mailwire::test;

namespace {

const char *const ThreeNoops = "S: * PREAUTH [CAPABILITY IMAP4rev1] Logged in as alice\n"
                               "C~ ^(\\S+) NOOP$\n"
                               "S: $1 OK first\n"
                               "C~ ^(\\S+) NOOP$\n"
                               "S: $1 OK second\n"
                               "C~ ^(\\S+) NOOP$\n"
                               "S: $1 OK third\n"
                               "C~ ^(\\S+) LOGOUT$\n"
                               "S: * BYE logging out\n"
                               "S: $1 OK LOGOUT completed\n";

const char *modeName(TlsMode mode)
{
    return mode == TlsMode::ImplicitTls ? "implicit tls" : "plain";
}

} // namespace

BOOST_AUTO_TEST_SUITE(imap_session_nested_waits)

BOOST_AUTO_TEST_CASE(a_wait_inside_another_replys_finished_slot_completes)
{
    // Tool style: the second command is sent and awaited from the first one's finished()
    // slot, and the third from the second's: two levels of nesting. Before, the nested
    // pump was swallowed and each wait ran into its timeout with nothing sent.
    for (const TlsMode mode : {TlsMode::ImplicitTls, TlsMode::Plain}) {
        BOOST_TEST_CONTEXT(modeName(mode))
        {
            CommandsFixture f(scriptText(QString::fromLatin1(ThreeNoops)), mode);
            BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());
            bool secondOk = false;
            bool thirdOk = false;
            QString secondText;
            QString thirdText;
            qint64 nestedMs = -1;
            ImapCommandReply *first = f.session.noop();
            QObject::connect(first, &Reply::finished, [&] {
                QElapsedTimer clock;
                clock.start();
                ImapCommandReply *second = f.session.noop();
                QObject::connect(second, &Reply::finished, [&, second] {
                    ImapCommandReply *third = f.session.noop();
                    thirdOk = third->waitForFinished(8000);
                    thirdText = third->serverText();
                    Q_UNUSED(second)
                });
                secondOk = second->waitForFinished(8000);
                secondText = second->serverText();
                nestedMs = clock.elapsed();
            });
            BOOST_TEST_REQUIRE(first->waitForFinished(20000), text(first));
            BOOST_TEST(first->serverText() == QStringLiteral("first"));
            BOOST_TEST(secondOk);
            BOOST_TEST(secondText == QStringLiteral("second"));
            BOOST_TEST(thirdOk);
            BOOST_TEST(thirdText == QStringLiteral("third"));
            BOOST_TEST(nestedMs < 8000); // finished, not given up at the wait's limit

            ImapCommandReply *logout = f.session.logout();
            BOOST_TEST(logout->waitForFinished(10000), text(logout));
            BOOST_TEST(
                waitUntil([&] { return f.session.state() == SessionBase::State::Disconnected; }));
            BOOST_TEST(f.server.waitForFinished(5000));
            BOOST_TEST(f.server.result().passed, f.describe());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_wait_inside_a_per_message_signal_sees_the_replies_already_read)
{
    // Both FETCH responses and the tagged OK arrive in one segment. The slot of the first
    // messageFetched() waits for a NOOP queued behind the FETCH: the session must dispatch
    // what it has already read (the second message, the FETCH completion) inside that
    // wait, send the NOOP, and afterwards not deliver anything twice.
    CommandsFixture f(
        scriptText(QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1] Logged in as alice\n"
                                  "C~ ^(\\S+) FETCH 1:2 \\(FLAGS\\)$\n"
                                  "S: * 1 FETCH (FLAGS (\\Seen))\n"
                                  "S: * 2 FETCH (FLAGS ())\n"
                                  "S: $1 OK FETCH completed\n"
                                  "C~ ^(\\S+) NOOP$\n"
                                  "S: $1 OK noop done\n"
                                  "EXPECT-CLOSE\n")));
    BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());
    QList<quint32> fetched;
    bool noopOk = false;
    bool fetchFinishedInside = false;
    ImapFetchReply *fetch = f.session.fetch(SequenceSet::range(1, 2), ImapFetchItems().flags());
    QObject::connect(fetch, &ImapFetchReply::messageFetched, [&](const FetchData &message) {
        fetched << (message.flags && message.flags->contains("\\Seen") ? 1u : 2u);
        if (fetched.size() == 1) {
            ImapCommandReply *noop = f.session.noop();
            noopOk = noop->waitForFinished(8000);
            fetchFinishedInside = fetch->isFinished();
        }
    });
    BOOST_TEST_REQUIRE(fetch->waitForFinished(20000), text(fetch));
    BOOST_TEST(noopOk);
    BOOST_TEST(fetchFinishedInside);
    BOOST_TEST(fetched == (QList<quint32>{1, 2}));
    BOOST_TEST(fetch->responses().size() == 2);
    BOOST_TEST(f.session.state() == SessionBase::State::Authenticated);
    f.session.abort();
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_CASE(signals_only_drive_a_whole_session)
{
    // GUI style: nobody waits; each finished() starts the next step.
    CommandsFixture f(scriptText(QString::fromLatin1(ThreeNoops)));
    QStringList steps;
    Reply *connect = f.session.connectToServer();
    std::function<void(int)> next = [&](int remaining) {
        Reply *reply = remaining > 0 ? static_cast<Reply *>(f.session.noop())
                                     : static_cast<Reply *>(f.session.logout());
        QObject::connect(reply, &Reply::finished, [&, reply, remaining] {
            steps << (reply->hasError() ? reply->error().toString() : reply->serverText());
            if (remaining > 0)
                next(remaining - 1);
        });
    };
    QObject::connect(connect, &Reply::finished, [&] { next(3); });
    BOOST_TEST(
        waitUntil([&] { return f.session.state() == SessionBase::State::Disconnected; }, 20000),
        steps.join(QLatin1Char('|')).toStdString());
    BOOST_TEST(steps
               == (QStringList{QStringLiteral("first"), QStringLiteral("second"),
                               QStringLiteral("third"), QStringLiteral("LOGOUT completed")}));
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_CASE(a_plain_blocking_sequence_works)
{
    CommandsFixture f(scriptText(QString::fromLatin1(ThreeNoops)));
    BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());
    for (const char *expected : {"first", "second", "third"}) {
        ImapCommandReply *noop = f.session.noop();
        BOOST_TEST(noop->waitForFinished(10000), text(noop));
        BOOST_TEST(noop->serverText() == QString::fromLatin1(expected));
    }
    BOOST_TEST(f.session.logout()->waitForFinished(10000));
    BOOST_TEST(waitUntil([&] { return f.session.state() == SessionBase::State::Disconnected; }));
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_SUITE_END()
