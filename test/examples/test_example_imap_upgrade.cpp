// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire-imap-upgrade run as a process against its embedded fixture server (--scenario):
// which messages it fetches and in how many commands (issue 7 item 13), and how it shows what
// a server said before TLS, where anyone on the path can write it (issue 7 item 8). The
// scripts check the client's commands line by line; these cases check what a person sees.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>

#include "fixture_server.h"
#include "fixture_thread.h"
#include "script.h"

#include <ostream>
#include <vector>

namespace {

const QString Program = QStringLiteral(MAILWIRE_BINARY_DIR "/bin/mailwire-imap-upgrade");
const QByteArray UnverifiedLabel = "(unverified server text before TLS: \"";

/// One run of the program: exit code and both streams.
struct Run
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QList<QByteArray> outLines() const { return out.split('\n'); }
    QList<QByteArray> errLines() const { return err.split('\n'); }
    std::string describe() const
    {
        return "exit " + std::to_string(exitCode) + "\nstdout:\n" + out.toStdString()
            + "\nstderr:\n" + err.toStdString();
    }
};

/// Runs the program with the embedded server playing imap/<scenario>.
Run run(const QString &scenario, const QStringList &extra = QStringList())
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(environment);
    process.start(Program, QStringList{QStringLiteral("--scenario"), scenario} + extra);
    Run result;
    // Generous: a loaded 2-core machine; the program itself finishes in well under a second.
    result.finished = process.waitForStarted(30000) && process.waitForFinished(60000);
    if (!result.finished)
        process.kill(); // our own child, by its handle
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

/// The FETCH commands the client sent, from the --transcript on stderr, without their tags:
/// "FETCH 3:5 (UID FLAGS ENVELOPE)".
QStringList fetchCommands(const Run &result)
{
    static const QRegularExpression command(QStringLiteral("^C: \\S+ ((?:UID )?FETCH .*)$"));
    QStringList commands;
    for (const QByteArray &line : result.errLines()) {
        const QRegularExpressionMatch match = command.match(QString::fromUtf8(line));
        if (match.hasMatch())
            commands << match.captured(1);
    }
    return commands;
}

/// One row of the "Messages:" table.
struct Row
{
    bool unseen = false;
    QString uid;
    QString from;
    QString subject;
};

/// The rows under "Messages:", in the order printed.
std::vector<Row> messageRows(const Run &result)
{
    // "            * 1000003  2025-01-12 12:00  Erin Sparse               The newest"
    static const QRegularExpression row(
        QStringLiteral("^ {12}([* ]) +(\\d+)  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  (.{24})  (.+)$"));
    std::vector<Row> rows;
    for (const QByteArray &line : result.outLines()) {
        const QRegularExpressionMatch match = row.match(QString::fromUtf8(line));
        if (match.hasMatch())
            rows.push_back({match.captured(1) == QLatin1String("*"), match.captured(2),
                            match.captured(3).trimmed(), match.captured(4)});
    }
    return rows;
}

QStringList uids(const std::vector<Row> &rows)
{
    QStringList list;
    for (const Row &r : rows)
        list << r.uid;
    return list;
}

/// True when every occurrence of needle in text sits after the unverified label on its line.
bool onlyLabelled(const QByteArray &text, const QByteArray &needle)
{
    for (const QByteArray &line : text.split('\n')) {
        for (int at = line.indexOf(needle); at >= 0; at = line.indexOf(needle, at + 1)) {
            const int label = line.lastIndexOf(UnverifiedLabel, at);
            if (label < 0 || line.indexOf("\")", label) < at)
                return false;
        }
    }
    return true;
}

bool hasTerminalControl(const QByteArray &text)
{
    for (const char c : text) {
        if ((uchar(c) < 0x20 && c != '\n') || c == 0x7f)
            return true;
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(example_imap_upgrade)

// --- the newest messages (issue 7 item 13)

BOOST_AUTO_TEST_CASE(newest_messages_come_by_sequence_number_in_one_fetch)
{
    // UIDs 3, ..., 4242, 90210, 1000003 and UIDNEXT 4000000000: UID windows walked down from
    // UIDNEXT would take 31 commands; sequence numbers from EXISTS take one.
    const Run result =
        run(QStringLiteral("fetch_newest_sparse_uids"),
            {QStringLiteral("--fetch"), QStringLiteral("3"), QStringLiteral("--transcript")});
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == 0, result.describe());
    BOOST_TEST(fetchCommands(result)
                   == QStringList{QStringLiteral("FETCH 3:5 (UID FLAGS ENVELOPE)")},
               result.describe());
    BOOST_TEST(result.out.contains("Messages:     the newest 3 of 5, newest first"),
               result.describe());

    // Newest first; the unsolicited FETCH of message 1 (UID 3) is not a row.
    const std::vector<Row> rows = messageRows(result);
    BOOST_TEST(uids(rows)
                   == (QStringList{QStringLiteral("1000003"), QStringLiteral("90210"),
                                   QStringLiteral("4242")}),
               result.describe());
    BOOST_REQUIRE(rows.size() == 3u);
    BOOST_TEST(rows[0].subject == QStringLiteral("The newest"));
    BOOST_TEST(rows[0].from == QStringLiteral("Erin Sparse"));
    BOOST_TEST(rows[0].unseen);
    BOOST_TEST(rows[1].subject == QStringLiteral("Second newest"));
    BOOST_TEST(!rows[1].unseen);
    BOOST_TEST(rows[2].subject == QStringLiteral("Third newest"));
}

BOOST_AUTO_TEST_CASE(more_wanted_than_exist_are_all_fetched_in_one_command)
{
    const Run result =
        run(QStringLiteral("fetch_newest_fewer_than_asked"),
            {QStringLiteral("--fetch"), QStringLiteral("10"), QStringLiteral("--transcript")});
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == 0, result.describe());
    BOOST_TEST(fetchCommands(result)
                   == QStringList{QStringLiteral("FETCH 1:2 (UID FLAGS ENVELOPE)")},
               result.describe());
    BOOST_TEST(result.out.contains("Messages:     the newest 2 of 2, newest first"),
               result.describe());
    const std::vector<Row> rows = messageRows(result);
    BOOST_TEST(uids(rows) == (QStringList{QStringLiteral("2000000001"), QStringLiteral("5")}),
               result.describe());
}

BOOST_AUTO_TEST_CASE(an_empty_mailbox_is_not_fetched_from)
{
    const Run result =
        run(QStringLiteral("fetch_newest_empty_mailbox"), {QStringLiteral("--transcript")});
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == 0, result.describe());
    BOOST_TEST(fetchCommands(result).isEmpty(), result.describe());
    BOOST_TEST(result.out.contains("\nMessages:     none\n"), result.describe());
    BOOST_TEST(messageRows(result).empty());
}

BOOST_AUTO_TEST_CASE(happy_path_lists_newest_first_and_trusts_text_after_tls)
{
    const Run result = run(QStringLiteral("starttls_happy"), {QStringLiteral("--transcript")});
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == 0, result.describe());
    BOOST_TEST(fetchCommands(result)
                   == QStringList{QStringLiteral("FETCH 1:3 (UID FLAGS ENVELOPE)")},
               result.describe());
    BOOST_TEST(
        uids(messageRows(result))
            == (QStringList{QStringLiteral("103"), QStringLiteral("102"), QStringLiteral("101")}),
        result.describe());
    // Words that came over verified TLS are the server's, shown as such.
    BOOST_TEST(result.out.contains("Logged in:    alice (server: Logged in)"), result.describe());
    BOOST_TEST(!result.out.contains(UnverifiedLabel), result.describe());
}

// --- server text before TLS (issue 7 item 8)

struct Refusal
{
    const char *scenario;
    int exitCode;
    const char *codeName;
    const char *shownText; // as the error line must show it, escaped; nullptr: no text
};

std::ostream &operator<<(std::ostream &out, const Refusal &refusal)
{
    return out << refusal.scenario;
}

const Refusal Refusals[] = {
    {"starttls_refused_spoofed_text", 5, "StartTlsRefused",
     "Login succeeded, visit http://evil.example/ \\x1b[31mto confirm\\x1b[0m your account."},
    {"starttls_refused", 5, "StartTlsRefused", "TLS is not available right now."},
    {"preauth_greeting", 5, "PreauthBeforeTls", "Logged in as alice."},
    {"starttls_not_offered", 5, "StartTlsNotOffered", nullptr},
    {"bye_greeting", 7, "BadGreeting",
     "Maximum number of connections from user+IP exceeded "
     "(mail_max_userip_connections=10)"},
};

BOOST_DATA_TEST_CASE(refusals_before_tls_show_the_server_text_only_labelled_as_unverified,
                     boost::unit_test::data::make(Refusals), refusal)
{
    const Run result = run(QString::fromLatin1(refusal.scenario));
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == refusal.exitCode, result.describe());

    // The one error line names the cause; the server's words follow only under the label.
    const QList<QByteArray> errLines = result.err.trimmed().split('\n');
    BOOST_REQUIRE_MESSAGE(errLines.size() == 1, result.describe());
    const QByteArray line = errLines.first();
    BOOST_TEST(line.startsWith("mailwire-imap-upgrade: connecting to 127.0.0.1:"),
               line.toStdString());
    BOOST_TEST(line.contains(QByteArray(refusal.codeName) + ": "), line.toStdString());
    BOOST_TEST(!line.contains("(server:"), line.toStdString());
    if (refusal.shownText)
        BOOST_TEST(line.endsWith(UnverifiedLabel + refusal.shownText + "\")"), line.toStdString());
    else
        BOOST_TEST(!line.contains(UnverifiedLabel), line.toStdString());
    BOOST_TEST(!hasTerminalControl(result.out + result.err), result.describe());
}

BOOST_AUTO_TEST_CASE(spoofed_words_before_tls_reach_the_user_only_labelled_and_escaped)
{
    // The script says "Login succeeded, visit http://evil..." twice before TLS: in an [ALERT]
    // and in the STARTTLS refusal, with ANSI escapes in both.
    const Run result = run(QStringLiteral("starttls_refused_spoofed_text"));
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == 5, result.describe());
    BOOST_TEST(result.err.contains("Login succeeded"), result.describe());
    BOOST_TEST(onlyLabelled(result.out, "Login succeeded"), result.describe());
    BOOST_TEST(onlyLabelled(result.err, "Login succeeded"), result.describe());
    BOOST_TEST(onlyLabelled(result.out + result.err, "http://evil"), result.describe());
    BOOST_TEST(!hasTerminalControl(result.out + result.err), result.describe());
}

BOOST_AUTO_TEST_CASE(the_transcript_shows_pre_tls_text_escaped)
{
    // --transcript is where the server's words may appear as they came: still escaped.
    const Run result = run(QStringLiteral("starttls_refused_spoofed_text"),
                           {QStringLiteral("--transcript"), QStringLiteral("--quiet")});
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == 5, result.describe());
    BOOST_TEST(result.out.isEmpty(), result.describe());
    BOOST_TEST(result.err.contains("NO Login succeeded, visit http://evil.example/ \\x1b[31m"),
               result.describe());
    BOOST_TEST(!hasTerminalControl(result.err), result.describe());
}

BOOST_AUTO_TEST_CASE(long_unverified_text_is_cut)
{
    const Run result =
        run(QStringLiteral("bye_greeting_spoofed_text"), {QStringLiteral("--quiet")});
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == 7, result.describe());
    BOOST_TEST(result.out.isEmpty(), result.describe());
    BOOST_TEST(result.err.contains("BadGreeting: "), result.describe());
    BOOST_TEST(result.err.contains(UnverifiedLabel
                                   + "Login succeeded, visit http://evil.example/ "
                                     "\\x1b]8;;http://evil.example/\\x07to confirm"),
               result.describe());
    BOOST_TEST(result.err.contains("\xE2\x80\xA6\")\n"), result.describe()); // "…")
    BOOST_TEST(!result.err.contains("END-OF-TEXT"), result.describe());
    BOOST_TEST(onlyLabelled(result.err, "Login succeeded"), result.describe());
    BOOST_TEST(!hasTerminalControl(result.err), result.describe());
}

BOOST_AUTO_TEST_CASE(save_newest_streams_the_message_to_the_file_without_a_progress_line_in_a_pipe)
{
    // A real server's conversation (--host), played by the fixture in its own thread: the
    // happy STARTTLS session, plus the newest message (UID 103, 1.5 MB) fetched whole.
    QFile happy(QStringLiteral(MAILWIRE_SOURCE_DIR "/fixtures/scripts/imap/starttls_happy.script"));
    BOOST_TEST_REQUIRE(happy.open(QIODevice::ReadOnly));
    QString script = QString::fromUtf8(happy.readAll());
    QByteArray body;
    QString bodyLines;
    for (int i = 0; i < 1536; ++i) {
        const QByteArray line =
            "line " + QByteArray::number(i).rightJustified(6, '0') + ' ' + QByteArray(986, 'm');
        body += line + "\r\n";
        bodyLines += QStringLiteral("S: ") + QString::fromLatin1(line) + QLatin1Char('\n');
    }
    // Against --host the program prefers SCRAM, which a script cannot play (its nonce is
    // random): this server offers PLAIN only.
    script.remove(QStringLiteral(" AUTH=SCRAM-SHA-256"));
    const QString logout = QStringLiteral("C~ ^(\\S+) LOGOUT$\n");
    BOOST_TEST_REQUIRE(script.count(logout) == 1);
    script.replace(logout,
                   QStringLiteral("C~ ^(\\S+) UID FETCH 103 \\(BODY.PEEK\\[\\]\\)$\n"
                                  "S: * 3 FETCH (UID 103 BODY[] {%1}\n")
                           .arg(body.size())
                       + bodyLines
                       + QStringLiteral("S: )\n"
                                        "S: $1 OK Fetch completed.\n")
                       + logout);
    mailwire::fixtures::FixtureThread server(
        mailwire::fixtures::Script::fromText(script, QStringLiteral("<test>")));
    BOOST_TEST_REQUIRE(server.start());

    QTemporaryDir dir;
    BOOST_TEST_REQUIRE(dir.isValid());
    const QString caFile = dir.filePath(QStringLiteral("ca.pem"));
    QFile ca(caFile);
    BOOST_TEST_REQUIRE(ca.open(QIODevice::WriteOnly));
    ca.write(mailwire::fixtures::FixtureServer::caCertificate().toPem());
    ca.close();
    const QString saved = dir.filePath(QStringLiteral("newest.eml"));

    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("MAILWIRE_PASSWORD"), QStringLiteral("s3cret"));
    process.setProcessEnvironment(environment);
    process.start(Program,
                  QStringList{QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                              QStringLiteral("--port"), QString::number(server.serverPort()),
                              QStringLiteral("--peer-name"), QStringLiteral("localhost"),
                              QStringLiteral("--ca-file"), caFile, QStringLiteral("--user"),
                              QStringLiteral("alice"), QStringLiteral("--save-newest"), saved});
    const bool finished = process.waitForStarted(30000) && process.waitForFinished(60000);
    if (!finished)
        process.kill(); // our own child, by its handle
    const QByteArray out = process.readAllStandardOutput();
    const QByteArray err = process.readAllStandardError();
    BOOST_TEST_REQUIRE(finished);
    BOOST_TEST(process.exitCode() == 0, out.toStdString() + err.toStdString());
    BOOST_TEST(server.waitForFinished(10000));
    BOOST_TEST(server.result().passed, server.result().describe().toStdString());

    QFile file(saved);
    BOOST_TEST_REQUIRE(file.open(QIODevice::ReadOnly));
    BOOST_TEST((file.readAll() == body));
    BOOST_TEST(out.contains("UID 103, " + QByteArray::number(body.size()) + " bytes"),
               out.toStdString());
    // stderr is a pipe here, not a terminal: no progress line, no carriage return.
    BOOST_TEST(!err.contains('\r'), err.toStdString());
    BOOST_TEST(!out.contains('\r'));
}

BOOST_AUTO_TEST_SUITE_END()
