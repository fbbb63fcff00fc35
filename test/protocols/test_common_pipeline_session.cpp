// SPDX-License-Identifier: LGPL-3.0-or-later
// The shared CommandPipeline and SessionBase's capability fallback, proved for a protocol
// that matches replies in order (SMTP, POP3: RFC 2920, RFC 2449 §6.6) before either
// exists. LineSession below is the smallest such protocol: POP3's shape (greeting "+OK",
// CAPA answered "+OK" + lines + "." or "-ERR", STLS, one "+OK"/"-ERR" line per command),
// framed by LineReader as SMTP and POP3 will be. It supplies only framing and matching;
// everything asserted here is the pipeline's and the upgrade machine's. The server is the
// scripted FixtureServer on 127.0.0.1: a script that waits for several lines before it
// answers proves they were pipelined; one that waits for a line the client must hold back
// proves, by what it recorded, that the line never came.
#include <boost/test/unit_test.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <utility>

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>

#include <mailwire/session_base.h>
#include <mailwire/transcript.h>

#include "command_pipeline_p.h"
#include "fixture_server.h"
#include "line_reader_p.h"
#include "reply_p.h"
#include "script.h"
#include "test_support.h"

namespace mailwire {
// Printable in Boost.Test failure messages (found by argument-dependent lookup).
std::ostream &operator<<(std::ostream &out, Error::Code code)
{
    return out << Error::codeName(code).toStdString();
}
std::ostream &operator<<(std::ostream &out, SessionBase::State state) { return out << int(state); }
} // namespace mailwire

inline std::ostream &operator<<(std::ostream &out, const QStringList &list)
{
    return out << '[' << list.join(QLatin1String(" | ")).toStdString() << ']';
}

using namespace mailwire;
using namespace mailwire::fixtures;
using mailwire::detail::LineReader;
using mailwire::test::waitUntil;

namespace {

/// One command of the line protocol: a line out; back one status line, and for the
/// capability query the lines up to "." that follow its "+OK" (RFC 2449 §5).
struct LineCommand : PipelinedCommand
{
    QByteArray line;
    bool multiline = false;
    std::function<void(bool ok, const QString &text, const QList<QByteArray> &lines)> onCompleted;
};

/// The command behind a pipeline entry: LineSession queues nothing else.
LineCommand &lineCommand(PipelinedCommand &command)
{
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-static-cast-downcast): see above
    return static_cast<LineCommand &>(command);
}

/// A POP3-like session on the shared machinery: its own framing (a line per command) and
/// in-order matching (the oldest command in flight owns the next reply), nothing else.
class LineSession : public SessionBase
{
public:
    LineSession()
        : m_pipeline(*this,
                     [this](PipelinedCommand &command) { sendLine(lineCommand(command).line); })
    {}

    ~LineSession() override
    {
        m_pipeline.failAll(Error(Error::Code::Cancelled, QStringLiteral("destroyed")));
    }
    Q_DISABLE_COPY(LineSession)

    Reply *connectToServer() { return startConnection(); }

    /// Queues line as a command; the reply finishes on "+OK", fails on "-ERR".
    Reply *send(const QByteArray &line, bool pipelinable)
    {
        auto *reply = new Reply(this);
        auto command = std::make_unique<LineCommand>();
        command->name = line.split(' ').value(0);
        command->line = line;
        command->pipelinable = pipelinable;
        QPointer<Reply> guard(reply);
        command->onCompleted = [guard](bool ok, const QString &text, const QList<QByteArray> &) {
            if (!guard)
                return;
            if (ok)
                ReplyPrivate::finish(guard, text);
            else
                ReplyPrivate::fail(
                    guard, Error(Error::Code::CommandFailed, QStringLiteral("refused"), text));
        };
        command->onAborted = [guard](const Error &error) {
            if (guard)
                ReplyPrivate::fail(guard, error);
        };
        m_pipeline.enqueue(std::move(command));
        return reply;
    }

protected:
    quint16 defaultPort(TlsMode mode) const override
    {
        return mode == TlsMode::ImplicitTls ? 995 : 110;
    }

    void feed(const char *data, qsizetype size) override
    {
        if (size > 0)
            m_reader.append(data, size);
        QByteArray line;
        while (!readingFrozen() && state() != State::Failed) {
            const LineReader::Result result = m_reader.nextLine(&line);
            if (result == LineReader::Result::NeedMore)
                return;
            if (result == LineReader::Result::TooLong)
                return fail(Error(Error::Code::LimitExceeded, QStringLiteral("line too long")));
            logServerLine(line);
            prepareDispatch();
            handleLine(line);
        }
    }

    qint64 parserResidue() const override { return m_reader.residue(); }

    void requestCapabilities() override
    {
        auto command = std::make_unique<LineCommand>();
        command->name = command->line = "CAPA";
        command->multiline = true;
        command->connectionPhase = true;
        command->onCompleted = [this](bool ok, const QString &text,
                                      const QList<QByteArray> &lines) {
            if (ok)
                capabilitiesReceived(Capabilities::fromKeywordLines(lines));
            else
                capabilitiesRefused(text);
        };
        m_pipeline.enqueue(std::move(command));
    }

    void requestUpgrade() override
    {
        auto command = std::make_unique<LineCommand>();
        command->name = command->line = "STLS";
        command->connectionPhase = true;
        command->onCompleted = [this](bool ok, const QString &text, const QList<QByteArray> &) {
            upgradeReplyReceived(ok, text);
        };
        m_pipeline.enqueue(std::move(command));
    }

    bool offersUpgrade(const Capabilities &capabilities) const override
    {
        return capabilities.has("STLS");
    }

    void resetProtocol() override
    {
        m_reader.clear();
        m_collecting = false;
        m_lines.clear();
        m_pipeline.discardInFlight();
    }

    void failPendingCommands(const Error &error) override { m_pipeline.failAll(error); }

private:
    void handleLine(const QByteArray &line)
    {
        const bool ok = line.startsWith("+OK");
        const QString text = QString::fromUtf8(line.mid(ok ? 3 : 4)).trimmed();
        if (state() == State::AwaitingGreeting)
            return handleGreeting(ok, text);
        // In order: whatever comes belongs to the oldest command in flight.
        PipelinedCommand *oldest = m_pipeline.oldestInFlight();
        if (!oldest)
            return fail(Error(Error::Code::ProtocolError, QStringLiteral("a reply to nothing"),
                              QString::fromUtf8(line)));
        LineCommand &command = lineCommand(*oldest);
        if (m_collecting) {
            if (line == ".")
                return complete(command, true, m_status);
            m_lines.append(line.startsWith("..") ? line.mid(1) : line);
            return;
        }
        if (!ok && !line.startsWith("-ERR"))
            return fail(Error(Error::Code::ProtocolError, QStringLiteral("not a status line"),
                              QString::fromUtf8(line)));
        if (ok && command.multiline) {
            m_collecting = true;
            m_status = text;
            return;
        }
        complete(command, ok, text);
    }

    /// "+OK [A B] text" carries capabilities A and B (as an IMAP greeting may): the upgrade
    /// machine then asks for none.
    void handleGreeting(bool ok, const QString &text)
    {
        const int end = text.indexOf(QLatin1Char(']'));
        if (!ok || !text.startsWith(QLatin1Char('[')) || end < 0)
            return greetingReceived(ok ? Greeting::Ok : Greeting::Rejected, text);
        Capabilities capabilities;
        for (const QString &name : text.mid(1, end - 1).split(QLatin1Char(' ')))
            capabilities.add(name.toLatin1());
        greetingReceived(Greeting::Ok, text.mid(end + 1).trimmed(), &capabilities);
    }

    void complete(LineCommand &command, bool ok, const QString &text)
    {
        const std::unique_ptr<PipelinedCommand> done = m_pipeline.takeInFlight(&command);
        m_collecting = false;
        const QList<QByteArray> lines = std::exchange(m_lines, {});
        if (command.onCompleted)
            command.onCompleted(ok, text, lines);
        m_pipeline.completed();
    }

    CommandPipeline m_pipeline;
    LineReader m_reader;
    bool m_collecting = false; // inside a multi-line reply
    QString m_status;          // its "+OK" text
    QList<QByteArray> m_lines; // its lines so far
};

/// A LineSession trusting the fixture CA, for a FixtureServer playing script.
struct PipelineFixture
{
    explicit PipelineFixture(const QString &scriptText, TlsMode mode = TlsMode::Plain,
                             int commandMs = 5000)
        : server(Script::fromText(scriptText, QStringLiteral("<test>")))
    {
        server.setImplicitTls(mode == TlsMode::ImplicitTls);
        ConnectionSettings settings;
        settings.host = QStringLiteral("127.0.0.1");
        settings.port = server.serverPort();
        settings.peerVerifyName = QStringLiteral("localhost");
        settings.tlsMode = mode;
        settings.ssl.setCaCertificates({FixtureServer::caCertificate()});
        settings.timeouts.connectMs = 5000;
        settings.timeouts.greetingMs = 5000;
        settings.timeouts.handshakeMs = 5000;
        settings.timeouts.commandMs = commandMs;
        session.setSettings(settings);
        session.setTranscriptSink(&transcript);
    }

    // The checks below return what went wrong, empty when nothing did, so that a failed
    // BOOST_TEST shows it (a message argument would be evaluated before the wait).

    /// Connects and waits until the session is Connected.
    std::string connect()
    {
        Reply *reply = session.connectToServer();
        if (reply->waitForFinished(10000) && session.state() == SessionBase::State::Connected)
            return std::string();
        return "not connected: " + session.lastError().toString().toStdString() + "; server "
            + describe();
    }

    /// Waits for reply to succeed.
    std::string failureOf(Reply *reply) const
    {
        if (reply->waitForFinished(10000))
            return std::string();
        const std::string why =
            reply->isFinished() ? reply->error().toString().toStdString() : "not finished";
        return why + "; server " + describe();
    }

    /// Hangs up; the script (ending in EXPECT-CLOSE) must then have passed.
    std::string hangUpAndFinish()
    {
        session.abort();
        if (server.waitForFinished(5000) && server.result().passed)
            return std::string();
        return "server " + describe();
    }

    /// Where in the transcript entry is; -1 if it is not there.
    int at(const QByteArray &entry) const { return transcript.lines().indexOf(entry); }

    std::string describe() const { return server.result().describe().toStdString(); }

    FixtureServer server;
    LineSession session;
    StringTranscript transcript;
};

/// Waits for reply; its error code (None if it succeeded, or did not finish in time).
Error::Code errorOf(Reply *reply)
{
    reply->waitForFinished(10000);
    return reply->error().code();
}

/// Greeting and a capability list with PIPELINING (no STLS): for Plain and ImplicitTls.
const char *const PlainStart = "S: +OK ready\n"
                               "C: CAPA\n"
                               "S: +OK capability list follows\n"
                               "S: PIPELINING\n"
                               "S: .\n";

/// Greeting, CAPA with STLS, the upgrade, CAPA again over TLS.
const char *const StartTlsStart = "S: +OK ready\n"
                                  "C: CAPA\n"
                                  "S: +OK capability list follows\n"
                                  "S: STLS\n"
                                  "S: PIPELINING\n"
                                  "S: .\n"
                                  "C: STLS\n"
                                  "S: +OK begin TLS\n"
                                  "TLS\n"
                                  "C: CAPA\n"
                                  "S: +OK capability list follows\n"
                                  "S: PIPELINING\n"
                                  "S: USER\n"
                                  "S: .\n";

QString script(const char *start, const char *rest)
{
    return QString::fromLatin1(start) + QString::fromLatin1(rest);
}

} // namespace

BOOST_AUTO_TEST_SUITE(common_pipeline_in_order)

BOOST_AUTO_TEST_CASE(pipelinable_commands_go_out_in_one_batch_and_complete_in_order)
{
    // The script reads all three before it answers: sent one at a time, they would stall.
    PipelineFixture f(script(PlainStart,
                             "C: LIST 1\n"
                             "C: LIST 2\n"
                             "C: LIST 3\n"
                             "S: +OK one\n"
                             "S: +OK two\n"
                             "S: +OK three\n"
                             "EXPECT-CLOSE\n"));
    BOOST_TEST_REQUIRE(f.connect() == "");
    BOOST_TEST(f.session.capabilities().has("PIPELINING"));
    BOOST_TEST(f.session.roundTrips() == 2); // connect with greeting, CAPA

    QList<Reply *> replies;
    QStringList completions; // each reply's text, in the order they finished
    for (const char *line : {"LIST 1", "LIST 2", "LIST 3"}) {
        Reply *reply = f.session.send(line, true);
        QObject::connect(reply, &Reply::finished,
                         [&completions, reply] { completions << reply->serverText(); });
        replies << reply;
    }
    BOOST_TEST_REQUIRE(f.failureOf(replies.at(2)) == "");
    for (Reply *reply : replies)
        BOOST_TEST(!reply->hasError());
    // Matched in order: each reply has its own line.
    BOOST_TEST(
        completions
        == (QStringList{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")}));
    // Each command sent is a request that needed an answer.
    BOOST_TEST(f.session.roundTrips() == 5);
    BOOST_TEST(f.at("C: LIST 3") < f.at("S: +OK one"));
    BOOST_TEST(f.hangUpAndFinish() == "");
}

BOOST_AUTO_TEST_CASE(a_command_that_is_not_pipelinable_waits_until_nothing_is_in_flight)
{
    PipelineFixture f(script(PlainStart,
                             "C: LIST 1\n"
                             "C: LIST 2\n"
                             "S: +OK one\n"
                             "S: +OK two\n"
                             "C: RETR 1\n"
                             "S: +OK three\n"
                             "C: LIST 3\n"
                             "S: +OK four\n"
                             "EXPECT-CLOSE\n"));
    BOOST_TEST_REQUIRE(f.connect() == "");
    Reply *list1 = f.session.send("LIST 1", true);
    Reply *list2 = f.session.send("LIST 2", true);
    Reply *retr = f.session.send("RETR 1", false);
    Reply *list3 = f.session.send("LIST 3", true); // nothing is pipelined behind RETR either
    BOOST_TEST_REQUIRE(f.failureOf(list3) == "");
    BOOST_TEST(list1->serverText() == QStringLiteral("one"));
    BOOST_TEST(list2->serverText() == QStringLiteral("two"));
    BOOST_TEST(retr->serverText() == QStringLiteral("three"));
    BOOST_TEST(list3->serverText() == QStringLiteral("four"));
    // The client's own record: RETR left after the last answer, LIST 3 after RETR's.
    BOOST_TEST(f.at("C: LIST 2") < f.at("S: +OK one"));
    BOOST_TEST(f.at("S: +OK two") < f.at("C: RETR 1"));
    BOOST_TEST(f.at("S: +OK three") < f.at("C: LIST 3"));
    BOOST_TEST(f.hangUpAndFinish() == "");
}

BOOST_AUTO_TEST_CASE(a_server_waiting_for_the_held_back_command_never_sees_it)
{
    // The server's side of the rule: it wants RETR before it answers anything. A client
    // that pipelined RETR would pass this script; ours holds it back until the deadline.
    PipelineFixture f(script(PlainStart,
                             "C: LIST 1\n"
                             "C: LIST 2\n"
                             "C: RETR 1\n"
                             "S: +OK one\n"
                             "S: +OK two\n"
                             "S: +OK three\n"
                             "EXPECT-CLOSE\n"),
                      TlsMode::Plain, 500);
    BOOST_TEST_REQUIRE(f.connect() == "");
    Reply *list1 = f.session.send("LIST 1", true);
    Reply *list2 = f.session.send("LIST 2", true);
    Reply *retr = f.session.send("RETR 1", false);
    BOOST_TEST(errorOf(retr) == Error::Code::Timeout);
    BOOST_TEST(list1->error().code() == Error::Code::Timeout);
    BOOST_TEST(list2->error().code() == Error::Code::Timeout);
    BOOST_TEST_REQUIRE(f.server.waitForFinished(5000));
    const FixtureResult result = f.server.result();
    BOOST_TEST(!result.passed);
    BOOST_TEST(result.clientLines
               == (QStringList{QStringLiteral("CAPA"), QStringLiteral("LIST 1"),
                               QStringLiteral("LIST 2")}));
    BOOST_TEST(f.at("C: RETR 1") == -1);
}

BOOST_AUTO_TEST_CASE(a_stalled_server_fails_every_pending_command_with_timeout)
{
    PipelineFixture f(script(PlainStart,
                             "C: LIST 1\n"
                             "STALL\n"),
                      TlsMode::Plain, 400);
    BOOST_TEST_REQUIRE(f.connect() == "");
    QElapsedTimer clock;
    clock.start();
    Reply *list = f.session.send("LIST 1", true);
    Reply *retr = f.session.send("RETR 1", false); // queued behind it
    BOOST_TEST(errorOf(list) == Error::Code::Timeout);
    BOOST_TEST(clock.elapsed() >= 350);
    BOOST_TEST(clock.elapsed() < 3000);
    BOOST_TEST(retr->error().code() == Error::Code::Timeout);
    BOOST_TEST(f.session.state() == SessionBase::State::Failed);
    BOOST_TEST(f.session.lastError().code() == Error::Code::Timeout);
    BOOST_TEST(f.at("C: RETR 1") == -1);
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe()); // STALL passes once the client gives up
}

BOOST_AUTO_TEST_CASE(a_completion_restarts_the_deadline_of_the_commands_still_in_flight)
{
    // Both sent at t0, deadline 800 ms. "one" at ~450 ms; "two" at ~900 ms: past the
    // deadline counted from t0, within the one restarted when "one" completed.
    PipelineFixture f(script(PlainStart,
                             "C: LIST 1\n"
                             "C: LIST 2\n"
                             "WAIT 450\n"
                             "S: +OK one\n"
                             "WAIT 450\n"
                             "S: +OK two\n"
                             "EXPECT-CLOSE\n"),
                      TlsMode::Plain, 800);
    BOOST_TEST_REQUIRE(f.connect() == "");
    QElapsedTimer clock;
    clock.start();
    Reply *list1 = f.session.send("LIST 1", true);
    Reply *list2 = f.session.send("LIST 2", true);
    BOOST_TEST_REQUIRE(f.failureOf(list2) == "");
    BOOST_TEST(clock.elapsed() > 800); // or the test would prove nothing
    BOOST_TEST(!list1->hasError());
    // Nothing in flight: no deadline runs, however long the session stays idle.
    BOOST_TEST(
        !waitUntil([&] { return f.session.state() != SessionBase::State::Connected; }, 1200));
    BOOST_TEST(f.hangUpAndFinish() == "");
}

BOOST_AUTO_TEST_CASE(a_dropped_connection_fails_every_pending_reply_with_connection_closed)
{
    PipelineFixture f(script(PlainStart,
                             "C: LIST 1\n"
                             "C: LIST 2\n"
                             "CLOSE\n"));
    BOOST_TEST_REQUIRE(f.connect() == "");
    Reply *list1 = f.session.send("LIST 1", true);
    Reply *list2 = f.session.send("LIST 2", true);
    Reply *retr = f.session.send("RETR 1", false); // queued, never sent
    BOOST_TEST(errorOf(retr) == Error::Code::ConnectionClosed);
    BOOST_TEST(list1->error().code() == Error::Code::ConnectionClosed);
    BOOST_TEST(list2->error().code() == Error::Code::ConnectionClosed);
    BOOST_TEST(f.at("C: RETR 1") == -1);
    BOOST_TEST(f.session.state() == SessionBase::State::Failed);

    // A command for the failed session: refused from the event loop, so that the caller,
    // who only now holds the reply, can connect to it first.
    Reply *late = f.session.send("LIST 4", true);
    BOOST_TEST(!late->isFinished());
    bool finished = false;
    QObject::connect(late, &Reply::finished, [&finished] { finished = true; });
    BOOST_TEST(waitUntil([&] { return finished; }, 5000));
    BOOST_TEST(late->error().code() == Error::Code::ConnectionClosed);
    BOOST_TEST(f.at("C: LIST 4") == -1);
    BOOST_TEST(f.server.waitForFinished(5000));
}

BOOST_AUTO_TEST_CASE(capa_refused_before_tls_fails_with_starttls_not_offered)
{
    // POP3 CAPA answered -ERR: no capabilities, so STLS cannot be known to be offered.
    PipelineFixture f(QStringLiteral("S: +OK ready\n"
                                     "C: CAPA\n"
                                     "S: -ERR unknown command\n"
                                     "EXPECT-CLOSE\n"),
                      TlsMode::StartTls);
    Reply *connect = f.session.connectToServer();
    Reply *waiting = f.session.send("LIST 1", true); // queued for after the upgrade
    BOOST_TEST(errorOf(connect) == Error::Code::StartTlsNotOffered);
    BOOST_TEST(f.session.state() == SessionBase::State::Failed);
    const Error error = f.session.lastError();
    BOOST_TEST(error.code() == Error::Code::StartTlsNotOffered);
    BOOST_TEST(error.serverText() == QStringLiteral("unknown command"));
    BOOST_TEST(!error.isServerTextVerified()); // said before TLS, by anyone on the path
    BOOST_TEST(errorOf(waiting) == Error::Code::StartTlsNotOffered);
    // Nothing but the capability query went out: no STLS, no queued command.
    BOOST_TEST_REQUIRE(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
    BOOST_TEST(f.server.result().clientLines == QStringList{QStringLiteral("CAPA")});
}

BOOST_AUTO_TEST_CASE(capa_refused_without_starttls_connects_with_no_capabilities)
{
    for (const TlsMode mode : {TlsMode::Plain, TlsMode::ImplicitTls}) {
        BOOST_TEST_CONTEXT("implicit TLS: " << (mode == TlsMode::ImplicitTls))
        {
            PipelineFixture f(QStringLiteral("S: +OK ready\n"
                                             "C: CAPA\n"
                                             "S: -ERR unknown command\n"
                                             "C: LIST 1\n"
                                             "S: +OK one\n"
                                             "EXPECT-CLOSE\n"),
                              mode);
            BOOST_TEST_REQUIRE(f.connect() == "");
            BOOST_TEST(f.session.capabilities().isEmpty());
            BOOST_TEST(f.session.isEncrypted() == (mode == TlsMode::ImplicitTls));
            BOOST_TEST(!f.session.lastError().isError());
            Reply *list = f.session.send("LIST 1", true);
            BOOST_TEST(f.failureOf(list) == "");
            BOOST_TEST(f.hangUpAndFinish() == "");
        }
    }
}

BOOST_AUTO_TEST_CASE(capa_refused_after_tls_connects_with_no_capabilities)
{
    // Over TLS a -ERR to CAPA is the server's word: no extensions. What the plaintext list
    // said (STLS, PIPELINING) is forgotten all the same.
    PipelineFixture f(QStringLiteral("S: +OK ready\n"
                                     "C: CAPA\n"
                                     "S: +OK capability list follows\n"
                                     "S: STLS\n"
                                     "S: PIPELINING\n"
                                     "S: .\n"
                                     "C: STLS\n"
                                     "S: +OK begin TLS\n"
                                     "TLS\n"
                                     "C: CAPA\n"
                                     "S: -ERR not now\n"
                                     "C: LIST 1\n"
                                     "S: +OK one\n"
                                     "EXPECT-CLOSE\n"),
                      TlsMode::StartTls);
    BOOST_TEST_REQUIRE(f.connect() == "");
    BOOST_TEST(f.session.isEncrypted());
    BOOST_TEST(f.session.capabilities().isEmpty());
    Reply *list = f.session.send("LIST 1", true);
    BOOST_TEST(f.failureOf(list) == "");
    BOOST_TEST(f.hangUpAndFinish() == "");
}

BOOST_AUTO_TEST_CASE(commands_queued_before_connected_wait_for_the_upgrade)
{
    PipelineFixture f(script(StartTlsStart,
                             "C: LIST 1\n"
                             "C: LIST 2\n"
                             "S: +OK one\n"
                             "S: +OK two\n"
                             "C: RETR 1\n"
                             "S: +OK three\n"
                             "EXPECT-CLOSE\n"),
                      TlsMode::StartTls);
    QStringList finishedOrder;
    Reply *connect = f.session.connectToServer();
    QObject::connect(connect, &Reply::finished,
                     [&finishedOrder] { finishedOrder << QStringLiteral("connect"); });
    // Queued while connecting: none of them may leave before TLS and the new CAPA.
    Reply *list1 = f.session.send("LIST 1", true);
    Reply *list2 = f.session.send("LIST 2", true);
    Reply *retr = f.session.send("RETR 1", false);
    QObject::connect(list1, &Reply::finished,
                     [&finishedOrder] { finishedOrder << QStringLiteral("LIST 1"); });
    BOOST_TEST_REQUIRE(f.failureOf(retr) == "");
    BOOST_TEST(!connect->hasError());
    BOOST_TEST(!list1->hasError());
    BOOST_TEST(list2->serverText() == QStringLiteral("two"));
    BOOST_TEST(retr->serverText() == QStringLiteral("three"));
    BOOST_TEST(finishedOrder == (QStringList{QStringLiteral("connect"), QStringLiteral("LIST 1")}));
    BOOST_TEST(f.session.capabilities().has("USER"));
    BOOST_TEST(f.hangUpAndFinish() == "");
    const FixtureResult result = f.server.result();
    BOOST_TEST(result.clientLinesBeforeTls
               == (QStringList{QStringLiteral("CAPA"), QStringLiteral("STLS")}));
    BOOST_TEST(result.clientLinesAfterTls
               == (QStringList{QStringLiteral("CAPA"), QStringLiteral("LIST 1"),
                               QStringLiteral("LIST 2"), QStringLiteral("RETR 1")}));
}

BOOST_AUTO_TEST_CASE(commands_queued_while_connecting_go_out_when_the_greeting_completes_it)
{
    // Capabilities in the greeting: no capability query, so no completion moves the queue
    // on; the session does, when it becomes Connected.
    PipelineFixture f(QStringLiteral("S: +OK [PIPELINING USER] ready\n"
                                     "C: LIST 1\n"
                                     "C: LIST 2\n"
                                     "S: +OK one\n"
                                     "S: +OK two\n"
                                     "EXPECT-CLOSE\n"));
    Reply *connect = f.session.connectToServer();
    Reply *list1 = f.session.send("LIST 1", true);
    Reply *list2 = f.session.send("LIST 2", true);
    BOOST_TEST(f.failureOf(connect) == "");
    BOOST_TEST(f.session.capabilities().has("USER"));
    BOOST_TEST(f.failureOf(list2) == "");
    BOOST_TEST(list1->serverText() == QStringLiteral("one"));
    BOOST_TEST(f.hangUpAndFinish() == "");
}

BOOST_AUTO_TEST_SUITE_END()
