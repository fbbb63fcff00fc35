// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire-imap-upgrade run as a process against its embedded fixture server (--scenario):
// which messages it fetches and in how many commands (issue 7 item 13). The scripts check the
// client's commands line by line; these cases check what a person sees.
#include <boost/test/unit_test.hpp>

#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>

#include <vector>

namespace {

const QString Program = QStringLiteral(MAILWIRE_BINARY_DIR "/bin/mailwire-imap-upgrade");

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
        process.kill();  // our own child, by its handle
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
    static const QRegularExpression row(QStringLiteral(
        "^ {12}([* ]) +(\\d+)  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  (.{24})  (.+)$"));
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

} // namespace

BOOST_AUTO_TEST_SUITE(example_imap_upgrade)

// --- the newest messages (issue 7 item 13)

BOOST_AUTO_TEST_CASE(newest_messages_come_by_sequence_number_in_one_fetch)
{
    // UIDs 3, ..., 4242, 90210, 1000003 and UIDNEXT 4000000000: UID windows walked down from
    // UIDNEXT would take 31 commands; sequence numbers from EXISTS take one.
    const Run result = run(QStringLiteral("fetch_newest_sparse_uids"),
                           {QStringLiteral("--fetch"), QStringLiteral("3"),
                            QStringLiteral("--transcript")});
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == 0, result.describe());
    BOOST_TEST(fetchCommands(result) == QStringList{QStringLiteral("FETCH 3:5 (UID FLAGS ENVELOPE)")},
               result.describe());
    BOOST_TEST(result.out.contains("Messages:     the newest 3 of 5, newest first"), result.describe());

    // Newest first; the unsolicited FETCH of message 1 (UID 3) is not a row.
    const std::vector<Row> rows = messageRows(result);
    BOOST_TEST(uids(rows) == (QStringList{QStringLiteral("1000003"), QStringLiteral("90210"),
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
    const Run result = run(QStringLiteral("fetch_newest_fewer_than_asked"),
                           {QStringLiteral("--fetch"), QStringLiteral("10"),
                            QStringLiteral("--transcript")});
    BOOST_REQUIRE_MESSAGE(result.finished, result.describe());
    BOOST_TEST(result.exitCode == 0, result.describe());
    BOOST_TEST(fetchCommands(result) == QStringList{QStringLiteral("FETCH 1:2 (UID FLAGS ENVELOPE)")},
               result.describe());
    BOOST_TEST(result.out.contains("Messages:     the newest 2 of 2, newest first"), result.describe());
    const std::vector<Row> rows = messageRows(result);
    BOOST_TEST(uids(rows) == (QStringList{QStringLiteral("2000000001"), QStringLiteral("5")}),
               result.describe());
}

BOOST_AUTO_TEST_CASE(an_empty_mailbox_is_not_fetched_from)
{
    const Run result = run(QStringLiteral("fetch_newest_empty_mailbox"),
                           {QStringLiteral("--transcript")});
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
    BOOST_TEST(fetchCommands(result) == QStringList{QStringLiteral("FETCH 1:3 (UID FLAGS ENVELOPE)")},
               result.describe());
    BOOST_TEST(uids(messageRows(result))
                   == (QStringList{QStringLiteral("103"), QStringLiteral("102"), QStringLiteral("101")}),
               result.describe());
}

BOOST_AUTO_TEST_SUITE_END()
