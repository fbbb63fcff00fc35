// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession's message commands (FETCH with streamed bodies, SEARCH, STORE, COPY/MOVE and
// the MOVE fallback, APPEND with both literal kinds) and IDLE, each against a fixture script
// that fixes every client line and must be played to its end.
#include "imap_commands_fixture.h"

#include <QtCore/QBuffer>

using namespace mailwire;
using namespace mailwire::test;

BOOST_AUTO_TEST_SUITE(imap_messages_session)

BOOST_AUTO_TEST_CASE(fetch_returns_typed_data_streams_progress_and_reports_expunges)
{
    CommandsFixture f(namedScript("imap/commands_fetch"));
    BOOST_TEST_REQUIRE(f.connect());
    QList<quint32> expunged;
    QObject::connect(&f.session, &ImapSession::expunged, [&](quint32 n) { expunged << n; });
    QList<QPair<quint32, QStringList>> flagChanges;
    QObject::connect(&f.session, &ImapSession::flagsChanged,
                     [&](quint32 n, const QStringList &flags) {
                         flagChanges.append({n, flags});
                     });

    ImapFetchReply *fetch = f.session.uidFetch(SequenceSet::range(101, 103),
                                               ImapFetchItems()
                                                   .uid()
                                                   .flags()
                                                   .internalDate()
                                                   .rfc822Size()
                                                   .envelope()
                                                   .bodyStructure()
                                                   .bodyPeek("HEADER.FIELDS (DATE FROM)", 0, 1024));
    QList<quint32> progress; // UIDs as each response arrived, before finished()
    QObject::connect(fetch, &ImapFetchReply::messageFetched, [&](const FetchData &data) {
        BOOST_TEST(!fetch->isFinished());
        progress << data.uid.value_or(0);
    });
    BOOST_TEST_REQUIRE(finishedOk(fetch), text(fetch));
    BOOST_TEST(progress == (QList<quint32>{101, 103}));
    BOOST_TEST(expunged == QList<quint32>{2}); // the EXPUNGE in the middle became a signal

    const QList<FetchData> messages = fetch->messages();
    BOOST_TEST_REQUIRE(messages.size() == 2);
    const FetchData &first = messages.at(0);
    BOOST_TEST(first.hasFlag("\\seen"));
    BOOST_TEST(*first.rfc822Size == 2048u);
    BOOST_TEST(first.internalDate->offsetFromUtc() == 3600);
    BOOST_TEST(first.envelope->subject == QByteArray("Quarterly report"));
    BOOST_TEST(first.envelope->to.at(0).addrSpec() == QByteArray("bob@example.org"));
    BOOST_TEST_REQUIRE(first.bodyStructure.has_value());
    BOOST_TEST(first.bodyStructure->mimeType() == QByteArray("multipart/mixed"));
    BOOST_TEST(first.bodyStructure->partAt("2")->fileName() == QStringLiteral("report.pdf"));
    const FetchSection *header = first.section("HEADER.FIELDS (DATE FROM)");
    BOOST_TEST_REQUIRE(header);
    BOOST_TEST(header->origin == 0);
    BOOST_TEST(header->data
               == QByteArray("Date: Mon, 06 Jan 2025 09:15:00 +0100\r\n"
                             "From: alice@example.org\r\n\r\n"));
    BOOST_TEST(messages.at(1).sequenceNumber == 2u);
    BOOST_TEST(messages.at(1).envelope->date.isNull());

    // BINARY (RFC 3516): a literal8 may hold NUL bytes.
    ImapFetchReply *binary =
        f.session.fetch(SequenceSet::single(1), ImapFetchItems().binaryPeek("1").binarySize("1"));
    BOOST_TEST_REQUIRE(finishedOk(binary), text(binary));
    BOOST_TEST_REQUIRE(binary->messages().size() == 1);
    const FetchSection *part = binary->messages().at(0).section("1", FetchSection::Kind::Binary);
    BOOST_TEST_REQUIRE(part);
    BOOST_TEST(part->data == QByteArray("\x00\x01\xff\x02", 4));

    // FLAGS of message 2 were not asked for: they are someone else's change, a signal.
    ImapFetchReply *flags = f.session.fetch(SequenceSet::single(1), ImapFetchItems().flags());
    BOOST_TEST_REQUIRE(finishedOk(flags));
    BOOST_TEST(flags->messages().size() == 1);
    BOOST_TEST_REQUIRE(flagChanges.size() == 1);
    BOOST_TEST(flagChanges.at(0).first == 2u);
    BOOST_TEST(flagChanges.at(0).second.contains(QStringLiteral("\\Deleted")));

    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(a_multi_megabyte_body_streams_to_the_callers_device_not_into_memory)
{
    // 4 MB in 1000-byte lines for UID 7, a small body for UID 8; the in-memory literal limit
    // is 64 KiB, so the big one only passes if it is streamed.
    const QByteArray line = QByteArray(998, 'x');
    QByteArray big;
    QString script = QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1] ready\n"
                                    "C: A001 UID FETCH 7:8 (UID BODY.PEEK[])\n");
    QString lines;
    for (int i = 0; i < 4096; ++i) {
        const QByteArray numbered = QByteArray::number(i).rightJustified(6, '0') + line.mid(6);
        big += numbered + "\r\n";
        lines += QStringLiteral("S: ") + QString::fromLatin1(numbered) + QLatin1Char('\n');
    }
    script += QStringLiteral("S: * 1 FETCH (UID 7 BODY[] {%1}\n").arg(big.size()) + lines
        + QStringLiteral("S: )\n"
                         "S: * 2 FETCH (UID 8 BODY[] {7}\n"
                         "S~ small\\r\\n)\\r\\n\n"
                         "S: A001 OK Fetch completed.\n"
                         "C: A002 LOGOUT\n"
                         "S: A002 OK Logout completed.\n");
    CommandsFixture f(scriptText(script));
    f.setSettings([](ConnectionSettings &s) { s.limits.maxLiteralSize = 64 * 1024; });
    BOOST_TEST_REQUIRE(f.connect());

    QBuffer bigBuffer;
    QBuffer smallBuffer;
    bigBuffer.open(QIODevice::WriteOnly);
    smallBuffer.open(QIODevice::WriteOnly);
    QList<ImapStreamedSection> announced;
    ImapFetchReply *fetch = f.session.uidFetch(
        SequenceSet::range(7, 8),
        ImapFetchItems().uid().bodyPeek().streamBodiesWith([&](const ImapStreamedSection &s) {
            announced << s;
            return s.uid == 7u ? &bigBuffer : &smallBuffer;
        }));
    BOOST_TEST_REQUIRE(finishedOk(fetch), text(fetch));
    BOOST_TEST(bigBuffer.data().size() == big.size());
    BOOST_TEST((bigBuffer.data() == big));
    BOOST_TEST(smallBuffer.data() == QByteArray("small\r\n"));
    BOOST_TEST_REQUIRE(announced.size() == 2);
    BOOST_TEST(announced.at(0).size == big.size());
    BOOST_TEST(announced.at(0).sequenceNumber == 1u);

    const QList<FetchData> messages = fetch->messages();
    BOOST_TEST_REQUIRE(messages.size() == 2);
    const FetchSection *body = messages.at(0).section("");
    BOOST_TEST_REQUIRE(body);
    BOOST_TEST(body->streamed);
    BOOST_TEST(body->data.isNull()); // the reply holds the size, never the bytes
    BOOST_TEST(body->size == big.size());
    BOOST_TEST(f.transcript.text().size() < 64 * 1024); // nor does the transcript
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

/// Every progress(done, total) a reply emits, in order.
struct ProgressLog
{
    explicit ProgressLog(Reply *reply)
    {
        QObject::connect(reply, &Reply::progress, reply, [this](qint64 done, qint64 total) {
            steps.append({done, total});
        });
    }
    /// done never decreases, never passes a known total, and the last step has done == total.
    bool monotonicToTotal(qint64 expectedTotal) const
    {
        if (steps.isEmpty())
            return false;
        qint64 previous = -1;
        for (const auto &step : steps) {
            if (step.first < previous || (step.second >= 0 && step.first > step.second))
                return false;
            previous = step.first;
        }
        return steps.last().first == expectedTotal && steps.last().second == expectedTotal;
    }
    std::string describe() const
    {
        std::string out;
        for (const auto &step : steps)
            out += std::to_string(step.first) + "/" + std::to_string(step.second) + " ";
        return out;
    }
    QList<QPair<qint64, qint64>> steps;
};

/// A UID FETCH of setText (the uids) with one body literal of lineCount 1000-byte lines per
/// message; *body receives one message's body.
QString bigFetchScript(const QString &setText, const QList<quint32> &uids, int lineCount,
                       QByteArray *body)
{
    const QByteArray line = QByteArray(998, 'y');
    QString lines;
    body->clear();
    for (int i = 0; i < lineCount; ++i) {
        *body += line + "\r\n";
        lines += QStringLiteral("S: ") + QString::fromLatin1(line) + QLatin1Char('\n');
    }
    QString script = QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1] ready\n");
    script += QStringLiteral("C: A001 UID FETCH %1 (UID BODY.PEEK[])\n").arg(setText);
    int number = 1;
    for (const quint32 uid : uids) {
        script += QStringLiteral("S: * %1 FETCH (UID %2 BODY[] {%3}\n")
                      .arg(number++)
                      .arg(uid)
                      .arg(body->size())
            + lines + QStringLiteral("S: )\n");
    }
    return script
        + QStringLiteral("S: A001 OK Fetch completed.\n"
                         "C: A002 LOGOUT\n"
                         "S: A002 OK Logout completed.\n");
}

BOOST_AUTO_TEST_CASE(fetch_of_one_message_reports_progress_up_to_the_literal_size)
{
    QByteArray body;
    CommandsFixture f(scriptText(bigFetchScript(QStringLiteral("7"), {7}, 2048, &body))); // 2 MB
    BOOST_TEST_REQUIRE(f.connect());
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    ImapFetchReply *fetch =
        f.session.uidFetch(SequenceSet::single(7),
                           ImapFetchItems().uid().bodyPeek().streamBodiesWith(
                               [&](const ImapStreamedSection &) { return &sink; }));
    ProgressLog log(fetch);
    BOOST_TEST_REQUIRE(finishedOk(fetch), text(fetch));
    BOOST_TEST(log.monotonicToTotal(body.size()), log.describe());
    BOOST_TEST(log.steps.size() > 2, log.describe()); // reported as it came, not once
    for (const auto &step : log.steps)
        BOOST_TEST(step.second == body.size()); // one message: the total is known throughout
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(fetch_of_several_messages_reports_an_unknown_total_until_it_completes)
{
    QByteArray body;
    CommandsFixture f(scriptText(bigFetchScript(QStringLiteral("7:8"), {7, 8}, 600, &body)));
    f.setSettings([](ConnectionSettings &s) { s.limits.maxLiteralSize = 8 * 1024 * 1024; });
    BOOST_TEST_REQUIRE(f.connect());
    ImapFetchReply *fetch =
        f.session.uidFetch(SequenceSet::range(7, 8), ImapFetchItems().uid().bodyPeek());
    ProgressLog log(fetch);
    BOOST_TEST_REQUIRE(finishedOk(fetch), text(fetch));
    BOOST_TEST(log.monotonicToTotal(2 * body.size()), log.describe());
    for (int i = 0; i + 1 < log.steps.size(); ++i)
        BOOST_TEST(log.steps.at(i).second == -1);
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(fetch_without_bodies_reports_no_progress)
{
    CommandsFixture f(scriptText(QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1] ready\n"
                                                "C: A001 UID FETCH 7 (UID FLAGS)\n"
                                                "S: * 1 FETCH (UID 7 FLAGS (\\Seen))\n"
                                                "S: A001 OK Fetch completed.\n"
                                                "C: A002 LOGOUT\n"
                                                "S: A002 OK Logout completed.\n")));
    BOOST_TEST_REQUIRE(f.connect());
    ImapFetchReply *fetch =
        f.session.uidFetch(SequenceSet::single(7), ImapFetchItems().uid().flags());
    ProgressLog log(fetch);
    BOOST_TEST_REQUIRE(finishedOk(fetch), text(fetch));
    BOOST_TEST(log.steps.isEmpty(), log.describe());
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(append_reports_the_message_leaving_up_to_its_size)
{
    const QByteArray message = "Subject: big\r\n\r\n" + QByteArray(3 * 1024 * 1024, 'z') + "\r\n";
    CommandsFixture f(
        scriptText(QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] ready\n"
                                  "C= A001 APPEND \"Drafts\" {%1+}\\r\\n\n"
                                  "C* %1\n"
                                  "C:\n"
                                  "S: A001 OK [APPENDUID 1 9] Append completed.\n"
                                  "C: A002 LOGOUT\n"
                                  "S: A002 OK Logout completed.\n")
                       .arg(message.size())));
    BOOST_TEST_REQUIRE(f.connect());
    ImapAppendReply *append = f.session.append(QStringLiteral("Drafts"), message);
    ProgressLog log(append);
    BOOST_TEST_REQUIRE(finishedOk(append), text(append));
    BOOST_TEST(log.monotonicToTotal(message.size()), log.describe());
    for (const auto &step : log.steps)
        BOOST_TEST(step.second == message.size());
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(a_literal_over_the_limit_fails_the_session_with_limit_exceeded)
{
    CommandsFixture f(scriptText(QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1] ready\n"
                                                "C: A001 FETCH 1 (BODY.PEEK[])\n"
                                                "S: * 1 FETCH (BODY[] {5000}\n"
                                                "S~ %1)\\r\\n\n"
                                                "EXPECT-CLOSE\n")
                                     .arg(QString(5000, QLatin1Char('y')))));
    f.setSettings([](ConnectionSettings &s) { s.limits.maxLiteralSize = 1024; });
    BOOST_TEST_REQUIRE(f.connect());
    ImapFetchReply *fetch = f.session.fetch(SequenceSet::single(1), ImapFetchItems().bodyPeek());
    BOOST_TEST(errorOf(fetch) == Error::Code::LimitExceeded, text(fetch));
    BOOST_TEST(f.session.state() == SessionBase::State::Failed);
    BOOST_TEST(f.session.lastError().code() == Error::Code::LimitExceeded);
}

BOOST_AUTO_TEST_CASE(search_and_store_send_exact_lines_and_return_numbers_and_flags)
{
    CommandsFixture f(namedScript("imap/commands_search_store"));
    BOOST_TEST_REQUIRE(f.connect());
    ImapSearchReply *unseen = f.session.search("UNSEEN SINCE 1-Jan-2025");
    BOOST_TEST_REQUIRE(finishedOk(unseen));
    BOOST_TEST(unseen->numbers() == (QVector<quint32>{2, 4, 5}));
    ImapSearchReply *from = f.session.search("UTF-8", "FROM \"alice\"");
    BOOST_TEST_REQUIRE(finishedOk(from));
    BOOST_TEST(from->numbers() == QVector<quint32>{1});
    ImapSearchReply *esearch = f.session.uidSearch("RETURN (MIN MAX COUNT ALL) FLAGGED");
    BOOST_TEST_REQUIRE(finishedOk(esearch), text(esearch));
    BOOST_TEST(esearch->numbers() == (QVector<quint32>{101, 103, 105}));
    BOOST_TEST_REQUIRE(esearch->esearch().has_value());
    BOOST_TEST(*esearch->esearch()->count == 3u);
    BOOST_TEST(esearch->esearch()->uid);
    ImapSearchReply *modseq = f.session.uidSearch("MODSEQ 9000");
    BOOST_TEST_REQUIRE(finishedOk(modseq));
    BOOST_TEST(modseq->numbers() == (QVector<quint32>{101, 104}));
    BOOST_TEST(*modseq->modSeq() == 9130u);

    ImapFetchReply *store =
        f.session.store(SequenceSet::range(2, 3), ImapStoreMode::Add,
                        {QStringLiteral("$Important"), QStringLiteral("\\Seen")});
    BOOST_TEST_REQUIRE(finishedOk(store));
    BOOST_TEST_REQUIRE(store->messages().size() == 2);
    BOOST_TEST(store->messages().at(1).hasFlag("\\Answered"));
    ImapFetchReply *silent = f.session.uidStore(SequenceSet::single(101), ImapStoreMode::Remove,
                                                {QStringLiteral("\\Flagged")}, true);
    BOOST_TEST_REQUIRE(finishedOk(silent));
    BOOST_TEST(silent->messages().isEmpty());
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(copy_and_move_parse_copyuid)
{
    CommandsFixture f(namedScript("imap/commands_copy_move"));
    BOOST_TEST_REQUIRE(f.connect());
    ImapCopyReply *copy = f.session.copy(SequenceSet::range(1, 2), QStringLiteral("Archive"));
    BOOST_TEST_REQUIRE(finishedOk(copy));
    BOOST_TEST_REQUIRE(copy->copyUid().has_value());
    BOOST_TEST(copy->copyUid()->uidValidity == 1700000001u);
    BOOST_TEST((copy->copyUid()->destinationUids == SequenceSet::range(121, 122)));

    ImapCopyReply *move = f.session.uidMove(SequenceSet::single(103), QStringLiteral("Trash"));
    BOOST_TEST_REQUIRE(finishedOk(move), text(move));
    BOOST_TEST_REQUIRE(move->copyUid().has_value()); // from the untagged OK
    BOOST_TEST((move->copyUid()->destinationUids == SequenceSet::single(57)));
    BOOST_TEST(move->expunged() == QVector<quint32>{3});

    ImapCopyReply *refused = f.session.copy(SequenceSet::single(9), QStringLiteral("Nowhere"));
    BOOST_TEST(errorOf(refused) == Error::Code::CommandFailed);
    BOOST_TEST(refused->completion().code.isTryCreate());
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(move_without_move_copies_marks_and_expunges_only_the_copied_uids)
{
    CommandsFixture f(namedScript("imap/commands_move_fallback"));
    BOOST_TEST_REQUIRE(f.connect());
    ImapCopyReply *move = f.session.uidMove(SequenceSet::range(104, 105), QStringLiteral("Trash"));
    ImapCommandReply *noop = f.session.noop(); // queued now, must follow all three steps
    BOOST_TEST_REQUIRE(finishedOk(move), text(move));
    BOOST_TEST((move->copyUid()->destinationUids == SequenceSet::range(58, 59)));
    BOOST_TEST(move->expunged() == (QVector<quint32>{4, 4}));
    BOOST_TEST(finishedOk(noop));
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(append_waits_for_the_continuation_and_a_no_instead_sends_nothing_more)
{
    CommandsFixture f(namedScript("imap/commands_append"));
    BOOST_TEST_REQUIRE(f.connect());
    const QByteArray message = "From: alice@example.org\r\nSubject: Hello\r\n\r\nHi Bob.\r\n";
    const QDateTime date(QDate(2025, 1, 7), QTime(10, 0), Qt::OffsetFromUTC, 3600);
    ImapAppendReply *append =
        f.session.append(QStringLiteral("Sent"), message, {QStringLiteral("\\Seen")}, date);
    BOOST_TEST_REQUIRE(finishedOk(append), text(append));
    BOOST_TEST_REQUIRE(append->appendUid().has_value());
    BOOST_TEST(append->appendUid()->uidValidity == 1700000003u);
    BOOST_TEST((append->appendUid()->uids == SequenceSet::single(42)));

    ImapAppendReply *refused = f.session.append(QStringLiteral("Nope"), message);
    BOOST_TEST(errorOf(refused) == Error::Code::CommandFailed);
    BOOST_TEST(refused->completion().code.isTryCreate());
    BOOST_TEST(f.session.state() == SessionBase::State::Authenticated);
    BOOST_TEST(finishedOk(f.session.noop())); // A003: the literal never went out
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(append_with_literal_plus_sends_the_message_without_waiting)
{
    CommandsFixture f(namedScript("imap/commands_append_literal_plus"));
    BOOST_TEST_REQUIRE(f.connect());
    const QByteArray message = "From: alice@example.org\r\nSubject: Hello\r\n\r\nHi Bob.\r\n";
    ImapAppendReply *append =
        f.session.append(QStringLiteral("Drafts"), message, {QStringLiteral("\\Draft")});
    BOOST_TEST_REQUIRE(finishedOk(append), text(append));
    BOOST_TEST((append->appendUid()->uids == SequenceSet::single(7)));
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(idle_emits_updates_and_a_logout_ends_it_with_done)
{
    CommandsFixture f(namedScript("imap/commands_idle"));
    BOOST_TEST_REQUIRE(f.connect());
    QList<quint32> exists;
    QList<quint32> expunged;
    QList<quint32> flagged;
    QObject::connect(&f.session, &ImapSession::exists, [&](quint32 n) { exists << n; });
    QObject::connect(&f.session, &ImapSession::expunged, [&](quint32 n) { expunged << n; });
    QObject::connect(&f.session, &ImapSession::flagsChanged,
                     [&](quint32 n, const QStringList &) { flagged << n; });
    ImapIdleReply *idle = f.session.idle();
    BOOST_TEST_REQUIRE(waitUntil([&] { return idle->isIdling() && flagged.size() == 1; }));
    BOOST_TEST(exists == QList<quint32>{4});
    BOOST_TEST(expunged == QList<quint32>{2});
    BOOST_TEST(flagged == QList<quint32>{1});
    BOOST_TEST(!idle->isFinished());
    // LOGOUT while idling: DONE, the IDLE completes (not resumed), then LOGOUT.
    ImapCommandReply *logout = f.session.logout();
    BOOST_TEST_REQUIRE(finishedOk(idle), text(idle));
    BOOST_TEST(idle->idleCount() == 1);
    BOOST_TEST(finishedOk(logout), text(logout));
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_CASE(idle_is_reissued_before_the_idle_timeout)
{
    CommandsFixture f(namedScript("imap/commands_idle_refresh"));
    f.session.setIdleRefreshInterval(300);
    BOOST_TEST_REQUIRE(f.connect());
    ImapIdleReply *idle = f.session.idle();
    // Stop on the second "+", from the signal itself, so no third refresh can race it.
    QObject::connect(idle, &ImapIdleReply::idling, [&] {
        if (idle->idleCount() == 2)
            f.session.stopIdle();
    });
    BOOST_TEST_REQUIRE(finishedOk(idle), text(idle));
    BOOST_TEST(idle->idleCount() == 2);
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(a_command_queued_while_idling_sends_done_first_then_idles_again)
{
    CommandsFixture f(namedScript("imap/commands_idle_interrupted"));
    BOOST_TEST_REQUIRE(f.connect());
    ImapIdleReply *idle = f.session.idle();
    ImapCommandReply *noop = nullptr;
    QObject::connect(idle, &ImapIdleReply::idling, [&] {
        if (idle->idleCount() == 1)
            noop = f.session.noop(); // DONE, NOOP, then IDLE again
        else
            idle->stop();
    });
    BOOST_TEST_REQUIRE(finishedOk(idle), text(idle));
    BOOST_TEST_REQUIRE(noop);
    BOOST_TEST(noop->isFinished());
    BOOST_TEST(!noop->hasError());
    BOOST_TEST(idle->idleCount() == 2);
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_SUITE_END()
