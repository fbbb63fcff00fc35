// SPDX-License-Identifier: LGPL-3.0-or-later
// Status responses, response codes, continuations and untagged data other than FETCH, as
// RFC 3501/9051 show them and as Dovecot, Gmail and Cyrus write them. Every entry is fed
// whole, split at every byte boundary, and byte by byte, with identical typed results.
#include <boost/test/unit_test.hpp>

#include <functional>
#include <ostream>
#include <vector>

#include <QtCore/QDebug>

#include "imap_parser_p.h"

#include "imap_parser_harness.h"

namespace {

void status(const ImapResponse &r, T type, ImapStatus st, const char *text)
{
    BOOST_TEST(r.type == type);
    BOOST_TEST(r.status == st);
    BOOST_TEST(r.text == QByteArray(text));
}

} // namespace

BOOST_AUTO_TEST_SUITE(imap_parser_responses)

BOOST_AUTO_TEST_CASE(greetings_and_status_responses)
{
    const std::vector<Case> cases = {
        {"dovecot greeting with capabilities",
         "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
         "LOGINDISABLED] Dovecot (Debian) ready.\r\n",
         [](const Responses &rs) {
             const ImapResponse &r = only(rs);
             status(r, T::UntaggedStatus, ImapStatus::Ok, "Dovecot (Debian) ready.");
             BOOST_TEST(r.code.kind() == K::Capability);
             BOOST_TEST(r.code.capabilities()
                        == L({"IMAP4rev1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE", "IDLE",
                              "LITERAL+", "STARTTLS", "LOGINDISABLED"}));
         }},
        {"gmail greeting", "* OK Gimap ready for requests from 203.0.113.7 p12mb3456ywh\r\n",
         [](const Responses &rs) {
             status(only(rs), T::UntaggedStatus, ImapStatus::Ok,
                    "Gimap ready for requests from 203.0.113.7 p12mb3456ywh");
             BOOST_TEST(only(rs).code.isNull());
         }},
        {"cyrus greeting",
         "* OK [CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE STARTTLS AUTH=PLAIN AUTH=LOGIN SASL-IR] "
         "mail.example.org Cyrus IMAP 3.6.1-Debian server ready\r\n",
         [](const Responses &rs) {
             const ImapResponse &r = only(rs);
             BOOST_TEST(r.code.capabilities().contains("AUTH=PLAIN"));
             BOOST_TEST(r.code.capabilities().size() == 8);
             BOOST_TEST(r.textString() == "mail.example.org Cyrus IMAP 3.6.1-Debian server ready");
         }},
        {"imap4rev2 greeting",
         "* OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=SCRAM-SHA-256 LOGINDISABLED] IMAP4rev2 "
         "server ready\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).code.capabilities().front() == QByteArray("IMAP4rev2"));
         }},
        {"preauth greeting", "* PREAUTH [CAPABILITY IMAP4rev1 IDLE] Logged in as joe\r\n",
         [](const Responses &rs) {
             status(only(rs), T::UntaggedStatus, ImapStatus::Preauth, "Logged in as joe");
             BOOST_TEST(only(rs).code.capabilities() == L({"IMAP4rev1", "IDLE"}));
         }},
        {"bye greeting", "* BYE Too many simultaneous connections from 198.51.100.4, try later\r\n",
         [](const Responses &rs) {
             status(only(rs), T::UntaggedStatus, ImapStatus::Bye,
                    "Too many simultaneous connections from 198.51.100.4, try later");
         }},
        {"logout", "* BYE Logging out\r\nA9 OK Logout completed (0.001 + 0.000 secs).\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 2u);
             status(rs[0], T::UntaggedStatus, ImapStatus::Bye, "Logging out");
             status(rs[1], T::TaggedStatus, ImapStatus::Ok,
                    "Logout completed (0.001 + 0.000 secs).");
             BOOST_TEST(rs[1].tag == QByteArray("A9"));
         }},
        {"tagged OK without text", "A1 OK\r\n",
         [](const Responses &rs) {
             status(only(rs), T::TaggedStatus, ImapStatus::Ok, "");
             BOOST_TEST(only(rs).isTagged());
         }},
        {"tagged NO with AUTHENTICATIONFAILED",
         "a002 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
         [](const Responses &rs) {
             status(only(rs), T::TaggedStatus, ImapStatus::No, "Authentication failed.");
             BOOST_TEST(only(rs).code.kind() == K::AuthenticationFailed);
             BOOST_TEST(only(rs).code.name() == QByteArray("AUTHENTICATIONFAILED"));
         }},
        {"tagged BAD", "A3 BAD Error in IMAP command received by server.\r\n",
         [](const Responses &rs) {
             status(only(rs), T::TaggedStatus, ImapStatus::Bad,
                    "Error in IMAP command received by server.");
         }},
        {"lower-case status and code", "a1 ok [read-write] done\r\n",
         [](const Responses &rs) {
             status(only(rs), T::TaggedStatus, ImapStatus::Ok, "done");
             BOOST_TEST(only(rs).code.isReadWrite());
         }},
        {"gmail login",
         "A1 OK [CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN "
         "X-GM-EXT-1 UIDPLUS COMPRESS=DEFLATE ENABLE MOVE CONDSTORE ESEARCH UTF8=ACCEPT "
         "LIST-EXTENDED LIST-STATUS LITERAL- SPECIAL-USE APPENDLIMIT=35651584] "
         "joe@example.com authenticated (Success)\r\n",
         [](const Responses &rs) {
             const ImapResponse &r = only(rs);
             BOOST_TEST(r.code.capabilities().size() == 21);
             BOOST_TEST(r.code.capabilities().last() == QByteArray("APPENDLIMIT=35651584"));
             BOOST_TEST(r.text == QByteArray("joe@example.com authenticated (Success)"));
         }},
        {"gmail alert on failure",
         "* NO [ALERT] Invalid credentials (Failure)\r\nA1 NO [AUTHENTICATIONFAILED] "
         "Invalid credentials (Failure)\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 2u);
             BOOST_TEST(rs[0].code.isAlert());
             BOOST_TEST(rs[0].status == ImapStatus::No);
             BOOST_TEST(rs[1].code.kind() == K::AuthenticationFailed);
         }},
        {"alert", "* OK [ALERT] System shutdown in 10 minutes\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).code.isAlert());
             BOOST_TEST(only(rs).code.text().isEmpty());
             BOOST_TEST(only(rs).text == QByteArray("System shutdown in 10 minutes"));
         }},
        {"trycreate", "A003 NO [TRYCREATE] Mailbox doesn't exist: Archive/2023\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).code.isTryCreate());
             BOOST_TEST(only(rs).text == QByteArray("Mailbox doesn't exist: Archive/2023"));
         }},
        {"overquota and others from RFC 5530",
         "A4 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)\r\n"
         "A5 NO [NONEXISTENT] Unknown Mailbox: Foo\r\n"
         "A6 NO [ALREADYEXISTS] Mailbox already exists\r\n"
         "A7 NO [NOPERM] Permission denied\r\n"
         "A8 NO [INUSE] Mailbox is locked\r\n"
         "A9 NO [UNAVAILABLE] Internal error occurred. Refer to server log for more "
         "information.\r\n"
         "B1 NO [SERVERBUG] Internal error\r\nB2 BAD [CLIENTBUG] Bad UID\r\n"
         "B3 NO [CANNOT] Renaming INBOX is not supported\r\nB4 NO [LIMIT] Too many\r\n"
         "B5 NO [EXPUNGEISSUED] Some messages were expunged\r\n"
         "B6 NO [CONTACTADMIN] Call us\r\nB7 NO [PRIVACYREQUIRED] Use TLS\r\n"
         "B8 NO [EXPIRED] Password expired\r\nB9 NO [CORRUPTION] Index broken\r\n"
         "C1 NO [AUTHORIZATIONFAILED] No such proxy user\r\n"
         "C2 NO [HASCHILDREN] Mailbox has children\r\n",
         [](const Responses &rs) {
             const K kinds[] = {
                 K::OverQuota,       K::NonExistent, K::AlreadyExists, K::NoPerm,
                 K::InUse,           K::Unavailable, K::ServerBug,     K::ClientBug,
                 K::Cannot,          K::Limit,       K::ExpungeIssued, K::ContactAdmin,
                 K::PrivacyRequired, K::Expired,     K::Corruption,    K::AuthorizationFailed,
                 K::HasChildren};
             BOOST_TEST_REQUIRE(rs.size() == std::size(kinds));
             for (size_t i = 0; i < rs.size(); ++i)
                 BOOST_TEST(rs[i].code.kind() == kinds[i]);
             BOOST_TEST(rs[7].status == ImapStatus::Bad);
         }},
        {"utf-8 in text",
         "A2 NO Mailbox doesn't exist: Entw\xc3\xbc"
         "rfe\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).textString()
                        == QString::fromUtf8("Mailbox doesn't exist: Entwürfe"));
         }},
        {"unusual but valid tags", "a]1 OK fine\r\ntag.007 OK x\r\n0001 NO y\r\nX-1! BAD z\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 4u);
             BOOST_TEST(rs[0].tag == QByteArray("a]1"));
             BOOST_TEST(rs[1].tag == QByteArray("tag.007"));
             BOOST_TEST(rs[2].tag == QByteArray("0001"));
             BOOST_TEST(rs[3].tag == QByteArray("X-1!"));
         }},
        {"closed code", "* OK [CLOSED] Previous mailbox closed.\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).code.kind() == K::Closed); }},
        {"code without text after it", "* OK [READ-WRITE]\r\nA1 OK [READ-ONLY]Examined\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 2u);
             BOOST_TEST(rs[0].code.isReadWrite());
             BOOST_TEST(rs[0].text.isEmpty());
             BOOST_TEST(rs[1].code.isReadOnly());
             BOOST_TEST(rs[1].text == QByteArray("Examined"));
         }},
        {"text that only looks like a code", "* OK ready [not a code]\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).code.isNull());
             BOOST_TEST(only(rs).text == QByteArray("ready [not a code]"));
         }},
        {"status text with brackets and quotes", "* NO \"quoted\" (parens) {braces} [brackets]\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).text == QByteArray("\"quoted\" (parens) {braces} [brackets]"));
         }},
    };
    const int n = runTable(cases);
    BOOST_TEST_MESSAGE(n << " status responses");
}

BOOST_AUTO_TEST_CASE(response_codes_with_data)
{
    const std::vector<Case> cases = {
        {"uidvalidity uidnext unseen",
         "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n* OK [UIDNEXT 4392] Predicted next UID\r\n"
         "* OK [UNSEEN 12] Message 12 is first unseen\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 3u);
             BOOST_TEST(*rs[0].code.uidValidity() == 3857529045u);
             BOOST_TEST(!rs[0].code.uidNext());
             BOOST_TEST(*rs[1].code.uidNext() == 4392u);
             BOOST_TEST(*rs[2].code.unseen() == 12u);
             BOOST_TEST(rs[2].text == QByteArray("Message 12 is first unseen"));
         }},
        {"permanentflags",
         "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] "
         "Flags permitted.\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).code.permanentFlags()
                        == L({"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft",
                              "$Forwarded", "\\*"}));
             BOOST_TEST(
                 only(rs).code.text()
                 == QByteArray("(\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)"));
         }},
        {"empty permanentflags", "* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).code.kind() == K::PermanentFlags);
             BOOST_TEST(only(rs).code.permanentFlags().isEmpty());
         }},
        {"highestmodseq and nomodseq",
         "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n* OK [NOMODSEQ] Sorry, this mailbox "
         "format doesn't support modsequences\r\n",
         [](const Responses &rs) {
             BOOST_TEST(*rs.at(0).code.highestModSeq() == 715194045007ull);
             BOOST_TEST(rs.at(1).code.kind() == K::NoModSeq);
         }},
        {"appenduid", "A003 OK [APPENDUID 38505 3955] APPEND completed\r\n",
         [](const Responses &rs) {
             const auto a = only(rs).code.appendUid();
             BOOST_TEST_REQUIRE(bool(a));
             BOOST_TEST(a->uidValidity == 38505u);
             BOOST_TEST(a->uids.toByteArray() == QByteArray("3955"));
             BOOST_TEST(!only(rs).code.copyUid());
         }},
        {"appenduid for a multiappend",
         "A004 OK [APPENDUID 1696448012 101:103] Append completed (0.025 + 0.000 secs).\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).code.appendUid()->uids == S("101:103")); }},
        {"copyuid", "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
         [](const Responses &rs) {
             const auto c = only(rs).code.copyUid();
             BOOST_TEST_REQUIRE(bool(c));
             BOOST_TEST(c->uidValidity == 38505u);
             BOOST_TEST(c->sourceUids == S("304,319:320"));
             BOOST_TEST(c->destinationUids == S("3956:3958"));
             BOOST_TEST(c->sourceUids.count() == c->destinationUids.count());
         }},
        {"copyuid in an untagged OK during MOVE (RFC 6851)",
         "* OK [COPYUID 432432 42:69 1202:1229]\r\n* 22 EXPUNGE\r\na OK Move completed.\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 3u);
             BOOST_TEST(rs[0].code.copyUid()->destinationUids == S("1202:1229"));
             BOOST_TEST(rs[1].type == T::Expunge);
             BOOST_TEST(rs[1].number == 22u);
         }},
        {"uidnotsticky", "* NO [UIDNOTSTICKY] Non-persistent UIDs\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).code.kind() == K::UidNotSticky); }},
        {"modified", "d105 OK [MODIFIED 7,9] Conditional STORE failed\r\n",
         [](const Responses &rs) { BOOST_TEST(*only(rs).code.modified() == S("7,9")); }},
        {"badcharset with and without list",
         "A1 NO [BADCHARSET (UTF-8 \"x-unk]nown\")] unsupported charset\r\nA2 NO [BADCHARSET] "
         "no\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 2u);
             BOOST_TEST(rs[0].code.badCharsets() == L({"UTF-8", "x-unk]nown"}));
             BOOST_TEST(rs[0].text == QByteArray("unsupported charset"));
             BOOST_TEST(rs[1].code.kind() == K::BadCharset);
             BOOST_TEST(rs[1].code.badCharsets().isEmpty());
         }},
        {"parse and unknown-cte",
         "* NO [PARSE] Invalid header\r\nA1 NO [UNKNOWN-CTE] Can't decode\r\n",
         [](const Responses &rs) {
             BOOST_TEST(rs.at(0).code.kind() == K::Parse);
             BOOST_TEST(rs.at(1).code.kind() == K::UnknownCte);
         }},
        {"unknown codes keep name and text",
         "* OK [XPROXYREUSE] reuse\r\nA1 OK [X-DOVECOT-DEBUG one (two) \"three\"] ok\r\n",
         [](const Responses &rs) {
             BOOST_TEST(rs.at(0).code.kind() == K::Other);
             BOOST_TEST(rs.at(0).code.name() == QByteArray("XPROXYREUSE"));
             BOOST_TEST(rs.at(1).code.name() == QByteArray("X-DOVECOT-DEBUG"));
             BOOST_TEST(rs.at(1).code.text() == QByteArray("one (two) \"three\""));
         }},
        {"known code with bad arguments is demoted",
         "* OK [UIDNEXT abc] hm\r\n* OK [UIDVALIDITY 0] zero\r\n* OK [UNSEEN] none\r\n"
         "* OK [COPYUID 1 2] short\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 4u);
             for (const ImapResponse &r : rs)
                 BOOST_TEST(r.code.kind() == K::Other);
             BOOST_TEST(rs[0].code.text() == QByteArray("abc"));
             BOOST_TEST(!rs[0].code.uidNext());
             BOOST_TEST(rs[1].code.name() == QByteArray("UIDVALIDITY"));
         }},
    };
    const int n = runTable(cases);
    BOOST_TEST_MESSAGE(n << " responses with codes");
}

BOOST_AUTO_TEST_CASE(continuation_requests)
{
    const std::vector<Case> cases = {
        {"idle", "+ idling\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Continuation);
             BOOST_TEST(only(rs).text == QByteArray("idling"));
         }},
        {"literal", "+ Ready for literal data\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).text == QByteArray("Ready for literal data"));
         }},
        {"empty sasl challenge", "+ \r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Continuation);
             BOOST_TEST(only(rs).text.isEmpty());
         }},
        {"bare plus", "+\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).type == T::Continuation); }},
        {"base64 challenge (RFC 9051 §6.2.2)",
         "+ "
         "YGgGCSqGSIb3EgECAgIAb1kwV6ADAgEFoQMCAQ+"
         "iSzBJoAMCAQGiQgRAtHTEuOP2BXb9sBYFR4SJlDZxmg39IxmRBOhXRKdDA0uHTCOT9Bq3OsUTXUlk0CsFLoa8j+"
         "gvGDlgHuqzWHPSQg==\r\n",
         [](const Responses &rs) {
             const QByteArray decoded = QByteArray::fromBase64(only(rs).text);
             BOOST_TEST(decoded.size() == 106);
             BOOST_TEST(only(rs).code.isNull());
         }},
        {"continuation with a code", "+ [ALERT] Please re-authenticate\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).code.isAlert());
             BOOST_TEST(only(rs).text == QByteArray("Please re-authenticate"));
         }},
        {"dovecot idle session with notifications",
         "+ idling\r\n* 173 EXISTS\r\n* 1 RECENT\r\n* 12 FETCH (FLAGS (\\Seen))\r\n"
         "* OK Still here\r\n* 5 EXPUNGE\r\n* 172 EXISTS\r\n"
         "* 40 FETCH (UID 4391 FLAGS (\\Seen \\Flagged) MODSEQ (715194045010))\r\n"
         "* OK Still here\r\n* 173 EXISTS\r\n* 0 RECENT\r\nA9 OK Idle completed (0.001 + 1800.000 "
         "+ 0.001 secs).\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 12u);
             BOOST_TEST(rs[0].type == T::Continuation);
             BOOST_TEST(rs[3].fetch.hasFlag("\\Seen"));
             BOOST_TEST(rs[5].type == T::Expunge);
             BOOST_TEST(*rs[7].fetch.modSeq == 715194045010ull);
             BOOST_TEST(rs[8].status == ImapStatus::Ok);
             BOOST_TEST(rs[11].isTagged());
         }},
        {"gmail idle",
         "+ idling\r\n* 3 EXISTS\r\n* 1 RECENT\r\nA7 OK IDLE terminated (Success)\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 4u);
             BOOST_TEST(rs[1].type == T::Exists);
             BOOST_TEST(rs[2].type == T::Recent);
         }},
    };
    const int n = runTable(cases); // outside the lazily evaluated log macro
    BOOST_TEST_MESSAGE(n << " responses");
}

BOOST_AUTO_TEST_CASE(capability_flags_and_counters)
{
    const std::vector<Case> cases = {
        {"rfc 3501 capability", "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Capability);
             BOOST_TEST(only(rs).atoms
                        == L({"IMAP4rev1", "STARTTLS", "AUTH=GSSAPI", "LOGINDISABLED"}));
         }},
        {"dovecot after login",
         "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY "
         "THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE "
         "UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH "
         "ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY "
         "PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE\r\n"
         "A1 OK Capability completed.\r\n",
         [](const Responses &rs) {
             BOOST_TEST(rs.at(0).atoms.size() == 38);
             BOOST_TEST(rs.at(0).atoms.contains("QRESYNC"));
         }},
        {"trailing space (Exchange)", "* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN IDLE \r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).atoms.size() == 4); }},
        {"lower-case keyword", "* capability imap4rev1 idle\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Capability);
             BOOST_TEST(only(rs).atoms == L({"imap4rev1", "idle"}));
         }},
        {"enabled", "* ENABLED CONDSTORE QRESYNC\r\nA2 OK Enabled.\r\n",
         [](const Responses &rs) {
             BOOST_TEST(rs.at(0).type == T::Enabled);
             BOOST_TEST(rs.at(0).atoms == L({"CONDSTORE", "QRESYNC"}));
         }},
        {"enabled nothing", "* ENABLED\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Enabled);
             BOOST_TEST(only(rs).atoms.isEmpty());
         }},
        {"flags", "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Flags);
             BOOST_TEST(only(rs).atoms
                        == L({"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"}));
         }},
        {"flags with keywords",
         "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded $MDNSent Junk NonJunk "
         "$label1)\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).atoms.size() == 10); }},
        {"no flags", "* FLAGS ()\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).atoms.isEmpty()); }},
        {"exists recent expunge",
         "* 172 EXISTS\r\n* 1 RECENT\r\n* 0 EXISTS\r\n* 44 EXPUNGE\r\n* 3 exists\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 5u);
             BOOST_TEST(rs[0].type == T::Exists);
             BOOST_TEST(rs[0].number == 172u);
             BOOST_TEST(rs[1].type == T::Recent);
             BOOST_TEST(rs[2].number == 0u);
             BOOST_TEST(rs[3].type == T::Expunge);
             BOOST_TEST(rs[3].number == 44u);
             BOOST_TEST(rs[4].type == T::Exists);
         }},
        {"largest numbers", "* 4294967295 EXISTS\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).number == 4294967295u); }},
    };
    const int n = runTable(cases); // outside the lazily evaluated log macro
    BOOST_TEST_MESSAGE(n << " responses");
}

BOOST_AUTO_TEST_CASE(select_and_examine)
{
    const std::vector<Case> cases = {
        {"dovecot select",
         "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"
         "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] "
         "Flags permitted.\r\n"
         "* 172 EXISTS\r\n* 0 RECENT\r\n* OK [UNSEEN 12] First unseen.\r\n"
         "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n* OK [UIDNEXT 4392] Predicted next UID\r\n"
         "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n"
         "A142 OK [READ-WRITE] Select completed (0.002 + 0.000 + 0.001 secs).\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 9u);
             BOOST_TEST(rs[0].type == T::Flags);
             BOOST_TEST(rs[1].code.permanentFlags().contains("\\*"));
             BOOST_TEST(rs[2].number == 172u);
             BOOST_TEST(*rs[4].code.unseen() == 12u);
             BOOST_TEST(*rs[5].code.uidValidity() == 3857529045u);
             BOOST_TEST(*rs[6].code.uidNext() == 4392u);
             BOOST_TEST(*rs[7].code.highestModSeq() == 715194045007ull);
             BOOST_TEST(rs[8].tag == QByteArray("A142"));
             BOOST_TEST(rs[8].code.isReadWrite());
         }},
        {"gmail select",
         "* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing)\r\n"
         "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing "
         "$Phishing \\*)] Flags permitted.\r\n"
         "* OK [UIDVALIDITY 1] UIDs valid.\r\n* 4826 EXISTS\r\n* 0 RECENT\r\n"
         "* OK [UIDNEXT 61734] Predicted next UID.\r\n* OK [HIGHESTMODSEQ 6598702]\r\n"
         "A3 OK [READ-WRITE] INBOX selected. (Success)\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 8u);
             BOOST_TEST(*rs[2].code.uidValidity() == 1u);
             BOOST_TEST(rs[6].text.isEmpty());
             BOOST_TEST(rs[7].text == QByteArray("INBOX selected. (Success)"));
         }},
        {"cyrus examine",
         "* 17 EXISTS\r\n* 2 RECENT\r\n* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)\r\n"
         "* OK [PERMANENTFLAGS ()] Ok\r\n* OK [UIDVALIDITY 1468859183] Ok\r\n"
         "* OK [UIDNEXT 18] Ok\r\n* OK [HIGHESTMODSEQ 40] Ok\r\n* OK [URLMECH INTERNAL] Ok\r\n"
         "* OK [ANNOTATIONS 65536] Ok\r\nA5 OK [READ-ONLY] Completed\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 10u);
             BOOST_TEST(rs[7].code.name() == QByteArray("URLMECH"));
             BOOST_TEST(rs[7].code.text() == QByteArray("INTERNAL"));
             BOOST_TEST(rs[9].code.isReadOnly());
         }},
        {"rfc 9051 select example",
         "* 172 EXISTS\r\n* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
         "* OK [UIDNEXT 4392] Predicted next UID\r\n"
         "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
         "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n"
         "* LIST () \"/\" INBOX\r\nA142 OK [READ-WRITE] SELECT completed\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 7u);
             BOOST_TEST(rs[5].type == T::List);
             BOOST_TEST(rs[5].mailbox.name == QStringLiteral("INBOX"));
         }},
        {"qresync select with vanished and fetch",
         "* OK [CLOSED] Previous mailbox closed.\r\n* 314 EXISTS\r\n"
         "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n* OK [HIGHESTMODSEQ 20010715194045319] "
         "Highest\r\n"
         "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n"
         "* 49 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045001))\r\n"
         "A02 OK [READ-WRITE] Sorry, UIDVALIDITY mismatch\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 7u);
             BOOST_TEST(rs[4].type == T::Unknown);
             BOOST_TEST(rs[4].keyword == QByteArray("VANISHED"));
             BOOST_TEST(rs[4].raw == QByteArray("(EARLIER) 41,43:116,118,120:211,214:540"));
             BOOST_TEST(*rs[5].fetch.modSeq == 90060115194045001ull);
         }},
    };
    const int n = runTable(cases); // outside the lazily evaluated log macro
    BOOST_TEST_MESSAGE(n << " responses");
}

BOOST_AUTO_TEST_SUITE_END()
