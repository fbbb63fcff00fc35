// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession's mailbox commands, pipelining, argument checks (DESIGN.md §2, rule 6) and the
// ways a server can break a session, each against a fixture script that fixes every client
// line (tags included) and must be played to its end.
#include "imap_commands_fixture.h"

using namespace mailwire;
using namespace mailwire::test;

namespace {

/// A server that accepts exactly one NOOP (tag A001): proof that nothing was sent before it.
const QString OnlyNoop = QStringLiteral(
    "S: * PREAUTH [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS MOVE IDLE BINARY ID ENABLE] ready\n"
    "C: A001 NOOP\n"
    "S: A001 OK NOOP completed.\n"
    "EXPECT-CLOSE\n");

/// After refused calls: the next command still carries A001 and the script passes.
void expectNothingSent(CommandsFixture &f)
{
    BOOST_TEST(finishedOk(f.session.noop()));
    f.session.abort();
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
    BOOST_TEST(f.server.result().clientLines == QStringList{QStringLiteral("A001 NOOP")});
}

} // namespace

BOOST_AUTO_TEST_SUITE(imap_commands_session)

BOOST_AUTO_TEST_CASE(mailbox_commands_send_exact_lines_and_return_typed_results)
{
    CommandsFixture f(namedScript("imap/commands_mailboxes"));
    BOOST_TEST_REQUIRE(f.connect(), f.session.lastError().toString().toStdString());

    ImapListReply *list = f.session.list(QString(), QStringLiteral("*"),
                                         ImapStatusItem::Messages | ImapStatusItem::Unseen);
    BOOST_TEST_REQUIRE(finishedOk(list), text(list));
    const QList<MailboxListEntry> mailboxes = list->mailboxes();
    BOOST_TEST_REQUIRE(mailboxes.size() == 4);
    BOOST_TEST(mailboxes.at(0).name == QStringLiteral("INBOX"));
    BOOST_TEST(!mailboxes.at(2).isSelectable());
    BOOST_TEST(mailboxes.at(3).name == QStringLiteral("Entwürfe"));
    BOOST_TEST(list->statuses().size() == 3);
    BOOST_TEST_REQUIRE(list->status(QStringLiteral("inbox")).has_value());
    BOOST_TEST(*list->status(QStringLiteral("inbox"))->messages == 3u);
    BOOST_TEST(*list->status(QStringLiteral("Entwürfe"))->unseen == 2u);
    BOOST_TEST(!list->status(QStringLiteral("Archive/2024")).has_value());

    ImapListReply *lsub = f.session.lsub(QString(), QStringLiteral("Arch*"));
    BOOST_TEST_REQUIRE(finishedOk(lsub));
    BOOST_TEST(lsub->mailboxes().size() == 1);
    BOOST_TEST(lsub->mailboxes().at(0).name == QStringLiteral("Archive"));

    ImapStatusReply *status =
        f.session.status(QStringLiteral("Archive"),
                         ImapStatusItem::Messages | ImapStatusItem::UidNext
                             | ImapStatusItem::UidValidity | ImapStatusItem::Unseen);
    BOOST_TEST_REQUIRE(finishedOk(status));
    BOOST_TEST(*status->status().messages == 120u);
    BOOST_TEST(*status->status().uidNext == 121u);
    BOOST_TEST(*status->status().uidValidity == 1700000001u);

    const QString alt = QStringLiteral("Entwürfe/Alt");
    const QString neu = QStringLiteral("Entwürfe/Neu");
    BOOST_TEST(finishedOk(f.session.createMailbox(alt)));
    BOOST_TEST(finishedOk(f.session.renameMailbox(alt, neu)));
    BOOST_TEST(finishedOk(f.session.subscribe(neu)));
    BOOST_TEST(finishedOk(f.session.unsubscribe(neu)));
    BOOST_TEST(finishedOk(f.session.deleteMailbox(neu)));

    ImapNamespaceReply *ns = f.session.namespaces();
    BOOST_TEST_REQUIRE(finishedOk(ns));
    BOOST_TEST(ns->namespaces().personal.size() == 1);
    BOOST_TEST(ns->namespaces().otherUsers.at(0).prefix == QByteArray("~"));
    BOOST_TEST(ns->namespaces().shared.size() == 2);

    ImapIdReply *id = f.session.id({{QStringLiteral("name"), QStringLiteral("Mailwire")},
                                    {QStringLiteral("version"), QStringLiteral("0.1")}});
    BOOST_TEST_REQUIRE(finishedOk(id));
    BOOST_TEST_REQUIRE(id->serverId().size() == 2);
    BOOST_TEST(id->serverId().at(0).second == QByteArray("Dovecot"));
    BOOST_TEST(id->serverId().at(1).second.isNull());

    ImapEnableReply *enable = f.session.enable({QStringLiteral("UTF8=ACCEPT")});
    BOOST_TEST_REQUIRE(finishedOk(enable));
    BOOST_TEST(enable->enabled() == QList<QByteArray>{"UTF8=ACCEPT"});
    // From now on names travel as UTF-8 (here as a LITERAL+ literal), not modified UTF-7.
    BOOST_TEST(finishedOk(f.session.createMailbox(QStringLiteral("Entwürfe"))));

    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(select_examine_expunge_close_unselect_track_the_selected_mailbox)
{
    CommandsFixture f(namedScript("imap/commands_select"));
    BOOST_TEST_REQUIRE(f.connect());
    BOOST_TEST(!f.session.selectedMailbox().isValid());

    ImapSelectReply *select = f.session.select(QStringLiteral("INBOX"));
    BOOST_TEST_REQUIRE(finishedOk(select), text(select));
    BOOST_TEST(select->exists() == 5u);
    BOOST_TEST(select->recent() == 1u);
    BOOST_TEST(*select->uidValidity() == 1700000000u);
    BOOST_TEST(*select->uidNext() == 106u);
    BOOST_TEST(*select->unseen() == 4u);
    BOOST_TEST(*select->highestModSeq() == 9123u);
    BOOST_TEST(select->flags().size() == 6);
    BOOST_TEST(select->flags().contains("$Forwarded"));
    BOOST_TEST(select->permanentFlags().contains("\\*"));
    BOOST_TEST(!select->isReadOnly());
    ImapMailboxState selected = f.session.selectedMailbox();
    BOOST_TEST(selected.mailbox == QStringLiteral("INBOX"));
    BOOST_TEST(selected.exists == 5u);

    QList<quint32> expungedSeen;
    QObject::connect(&f.session, &ImapSession::expunged, [&](quint32 n) { expungedSeen << n; });
    ImapExpungeReply *expunge = f.session.expunge();
    BOOST_TEST_REQUIRE(finishedOk(expunge));
    BOOST_TEST(expunge->expunged() == (QVector<quint32>{3, 3}));
    ImapExpungeReply *uidExpunge = f.session.uidExpunge(SequenceSet::range(101, 102));
    BOOST_TEST_REQUIRE(finishedOk(uidExpunge));
    BOOST_TEST(uidExpunge->expunged() == QVector<quint32>{1});
    BOOST_TEST(expungedSeen == (QList<quint32>{3, 3, 1}));
    BOOST_TEST(f.session.selectedMailbox().exists == 2u); // kept current by the updates

    BOOST_TEST(finishedOk(f.session.closeMailbox()));
    BOOST_TEST(!f.session.selectedMailbox().isValid());

    ImapSelectReply *examine = f.session.examine(QStringLiteral("Archive"));
    BOOST_TEST_REQUIRE(finishedOk(examine));
    BOOST_TEST(examine->isReadOnly());
    BOOST_TEST(examine->exists() == 120u);
    BOOST_TEST(examine->permanentFlags().isEmpty());
    BOOST_TEST(f.session.selectedMailbox().readOnly);
    BOOST_TEST(finishedOk(f.session.unselect()));
    BOOST_TEST(!f.session.selectedMailbox().isValid());

    BOOST_TEST_REQUIRE(finishedOk(f.session.examine(QStringLiteral("Archive"))));
    BOOST_TEST(f.session.selectedMailbox().isValid());
    // RFC 9051 §6.3.2: a failed SELECT leaves no mailbox selected.
    ImapSelectReply *missing = f.session.select(QStringLiteral("Missing"));
    BOOST_TEST(errorOf(missing) == Error::Code::CommandFailed);
    BOOST_TEST(missing->serverText().contains(QStringLiteral("doesn't exist")));
    BOOST_TEST((missing->completion().code.kind() == ResponseCode::Kind::NonExistent));
    BOOST_TEST(!f.session.selectedMailbox().isValid());

    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(pipelinable_commands_are_all_sent_before_the_first_completes)
{
    CommandsFixture f(namedScript("imap/commands_pipelining"));
    BOOST_TEST_REQUIRE(f.connect());
    // No LIST-STATUS offered: the status items are dropped and a plain LIST goes out.
    ImapListReply *list = f.session.list(QString(), QStringLiteral("%"), ImapStatusItem::Messages);
    ImapStatusReply *status = f.session.status(QStringLiteral("INBOX"),
                                               ImapStatusItem::Messages | ImapStatusItem::Unseen);
    ImapNamespaceReply *ns = f.session.namespaces();
    ImapFetchReply *fetch =
        f.session.uidFetch(SequenceSet::parse("1:*"), ImapFetchItems().uid().flags());
    ImapSelectReply *select = f.session.select(QStringLiteral("INBOX")); // waits for all four
    BOOST_TEST_REQUIRE(finishedOk(select), text(select));
    BOOST_TEST(list->isFinished());
    BOOST_TEST(list->mailboxes().size() == 2);
    BOOST_TEST(list->statuses().isEmpty()); // STATUS INBOX went to the STATUS command
    BOOST_TEST(*status->status().messages == 2u);
    BOOST_TEST(ns->namespaces().personal.size() == 1);
    BOOST_TEST(fetch->messages().size() == 2);
    BOOST_TEST(*fetch->messages().at(1).uid == 102u);
    // The script only answers after it read all four; SELECT left after the last answer.
    const QByteArray transcript = f.transcript.text();
    BOOST_TEST(transcript.indexOf("C: A004 UID FETCH") < transcript.indexOf("S: * LIST"));
    BOOST_TEST(transcript.indexOf("S: A004 OK") < transcript.indexOf("C: A005 SELECT"));
    BOOST_TEST(f.logoutAndFinish(), f.describe());
}

BOOST_AUTO_TEST_CASE(crlf_in_a_mailbox_name_is_refused_before_anything_is_sent)
{
    CommandsFixture f(scriptText(OnlyNoop));
    BOOST_TEST_REQUIRE(f.connect());
    const QString evil = QStringLiteral("INBOX\r\nA999 DELETE INBOX");
    BOOST_TEST(errorOf(f.session.select(evil)) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.examine(QStringLiteral("a\nb"))) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.createMailbox(evil)) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.renameMailbox(QStringLiteral("ok"), evil))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.deleteMailbox(QStringLiteral("x") + QChar(0)))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.subscribe(evil)) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.status(evil, ImapStatusItem::Messages))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.list(QString(), evil)) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.copy(SequenceSet::single(1), evil))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.uidMove(SequenceSet::single(1), evil))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.append(evil, "Subject: x\r\n\r\n"))
               == Error::Code::InvalidArgument);
    expectNothingSent(f);
}

BOOST_AUTO_TEST_CASE(bad_flags_are_refused_before_anything_is_sent)
{
    CommandsFixture f(scriptText(OnlyNoop));
    BOOST_TEST_REQUIRE(f.connect());
    const SequenceSet one = SequenceSet::single(1);
    BOOST_TEST(errorOf(f.session.store(one, ImapStoreMode::Add,
                                       {QStringLiteral("\\Seen)\r\nA999 EXPUNGE")}))
               == Error::Code::InvalidArgument);
    BOOST_TEST(
        errorOf(f.session.uidStore(one, ImapStoreMode::Replace, {QStringLiteral("two words")}))
        == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.store(one, ImapStoreMode::Remove, {QStringLiteral("$A(")}))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.append(QStringLiteral("Drafts"), "Subject: x\r\n\r\n",
                                        {QStringLiteral("\\Draft\n")}))
               == Error::Code::InvalidArgument);
    expectNothingSent(f);
}

BOOST_AUTO_TEST_CASE(bad_search_criteria_are_refused_before_anything_is_sent)
{
    CommandsFixture f(scriptText(OnlyNoop));
    BOOST_TEST_REQUIRE(f.connect());
    BOOST_TEST(errorOf(f.session.search("ALL\r\nA999 EXPUNGE")) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.uidSearch("UNSEEN\n")) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.search(QByteArray("ALL\0", 4))) == Error::Code::InvalidArgument);
    // A trailing "{n}" would make the server swallow our next command as literal data.
    BOOST_TEST(errorOf(f.session.search("SUBJECT {5}")) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.uidSearch("SUBJECT {12+} ")) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.search("  ")) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.search("UTF-8\r\n", "ALL")) == Error::Code::InvalidArgument);
    expectNothingSent(f);
}

BOOST_AUTO_TEST_CASE(bad_id_fields_are_refused_before_anything_is_sent)
{
    CommandsFixture f(scriptText(OnlyNoop));
    BOOST_TEST_REQUIRE(f.connect());
    using Fields = QList<QPair<QString, QString>>;
    BOOST_TEST(errorOf(f.session.id(Fields{{QStringLiteral("name\r\n"), QStringLiteral("x")}}))
               == Error::Code::InvalidArgument);
    BOOST_TEST(
        errorOf(f.session.id(Fields{{QStringLiteral("name"), QStringLiteral("x\nA999 LOGOUT")}}))
        == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.id(Fields{{QString(31, QLatin1Char('n')), QStringLiteral("x")}}))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.id(Fields{{QStringLiteral("os"), QStringLiteral("Gnu/Lïnux")}}))
               == Error::Code::InvalidArgument);
    expectNothingSent(f);
}

BOOST_AUTO_TEST_CASE(bad_fetch_items_and_capability_names_are_refused_before_anything_is_sent)
{
    CommandsFixture f(scriptText(OnlyNoop));
    BOOST_TEST_REQUIRE(f.connect());
    const SequenceSet one = SequenceSet::single(1);
    BOOST_TEST(errorOf(f.session.fetch(one, ImapFetchItems().bodyPeek("TEXT]\r\nA999 EXPUNGE")))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.uidFetch(one, ImapFetchItems().binaryPeek("1.TEXT")))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.fetch(one, ImapFetchItems().bodyPeek("", 0, 0)))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.fetch(one, ImapFetchItems())) == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.fetch(SequenceSet(), ImapFetchItems().uid()))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.enable({QStringLiteral("UTF8=ACCEPT\r\nA999 LOGOUT")}))
               == Error::Code::InvalidArgument);
    BOOST_TEST(errorOf(f.session.enable({})) == Error::Code::InvalidArgument);
    expectNothingSent(f);
}

BOOST_AUTO_TEST_CASE(commands_the_server_does_not_offer_fail_clearly_and_send_nothing)
{
    CommandsFixture f(scriptText(QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1] ready\n"
                                                "C: A001 NOOP\n"
                                                "S: A001 OK NOOP completed.\n"
                                                "EXPECT-CLOSE\n")));
    BOOST_TEST_REQUIRE(f.connect());
    const SequenceSet one = SequenceSet::single(1);
    Reply *unselect = f.session.unselect();
    BOOST_TEST(errorOf(unselect) == Error::Code::CommandFailed);
    BOOST_TEST(unselect->error().message().contains(QStringLiteral("UNSELECT")));
    BOOST_TEST(errorOf(f.session.uidExpunge(one)) == Error::Code::CommandFailed);
    // Neither MOVE nor UIDPLUS: a plain EXPUNGE would remove other deleted messages too.
    Reply *move = f.session.uidMove(one, QStringLiteral("Trash"));
    BOOST_TEST(errorOf(move) == Error::Code::CommandFailed);
    BOOST_TEST(move->error().message().contains(QStringLiteral("MOVE")));
    BOOST_TEST(errorOf(f.session.idle()) == Error::Code::CommandFailed);
    BOOST_TEST(errorOf(f.session.fetch(one, ImapFetchItems().binaryPeek("1")))
               == Error::Code::CommandFailed);
    BOOST_TEST(errorOf(f.session.append(QStringLiteral("Drafts"), QByteArray("a\0b", 3)))
               == Error::Code::InvalidArgument);
    expectNothingSent(f);
}

BOOST_AUTO_TEST_CASE(a_malformed_response_fails_the_session_with_protocol_error)
{
    CommandsFixture f(scriptText(QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1] ready\n"
                                                "C: A001 UID FETCH 1 (UID FLAGS)\n"
                                                "S: * 1 FETCH (UID banana FLAGS (\\Seen))\n"
                                                "EXPECT-CLOSE\n")));
    BOOST_TEST_REQUIRE(f.connect());
    ImapFetchReply *fetch =
        f.session.uidFetch(SequenceSet::single(1), ImapFetchItems().uid().flags());
    BOOST_TEST(errorOf(fetch) == Error::Code::ProtocolError, text(fetch));
    BOOST_TEST(f.session.state() == SessionBase::State::Failed);
    BOOST_TEST(f.session.lastError().code() == Error::Code::ProtocolError);
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_CASE(a_bye_then_close_fails_pending_commands_with_the_bye_text)
{
    CommandsFixture f(scriptText(QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1] ready\n"
                                                "C: A001 NOOP\n"
                                                "S: * BYE Server shutting down for maintenance\n"
                                                "SHUTDOWN\n")));
    BOOST_TEST_REQUIRE(f.connect());
    ImapCommandReply *noop = f.session.noop();
    BOOST_TEST(errorOf(noop) == Error::Code::ConnectionClosed, text(noop));
    BOOST_TEST(noop->error().serverText()
               == QStringLiteral("Server shutting down for maintenance"));
    BOOST_TEST(f.session.byeText() == QStringLiteral("Server shutting down for maintenance"));
    BOOST_TEST(f.session.lastError().code() == Error::Code::ConnectionClosed);
    BOOST_TEST(f.session.state() == SessionBase::State::Failed);
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
}

BOOST_AUTO_TEST_SUITE_END()
