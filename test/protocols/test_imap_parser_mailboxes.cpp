// SPDX-License-Identifier: LGPL-3.0-or-later
// Mailbox-level untagged data: LIST/LSUB (with modified UTF-7 names), STATUS, SEARCH,
// ESEARCH, NAMESPACE, ID and unknown responses, as RFC 3501/9051 and their extensions show
// them and as Dovecot, Gmail and Cyrus write them. Every entry is fed whole, split at every
// byte boundary, and byte by byte, with identical typed results.
#include <boost/test/unit_test.hpp>

#include <functional>
#include <ostream>
#include <vector>

#include <QtCore/QDebug>

#include "imap_parser_p.h"

#include "imap_parser_harness.h"

namespace {} // namespace

BOOST_AUTO_TEST_SUITE(imap_parser_mailboxes)

BOOST_AUTO_TEST_CASE(list_and_lsub)
{
    const std::vector<Case> cases = {
        {"inbox", "* LIST (\\HasNoChildren) \"/\" INBOX\r\n",
         [](const Responses &rs) {
             const ImapResponse &r = only(rs);
             BOOST_TEST(r.type == T::List);
             BOOST_TEST(r.mailbox.flags == L({"\\HasNoChildren"}));
             BOOST_TEST(r.mailbox.delimiter == QByteArray("/"));
             BOOST_TEST(r.mailbox.rawName == QByteArray("INBOX"));
             BOOST_TEST(r.mailbox.name == QStringLiteral("INBOX"));
             BOOST_TEST(r.mailbox.isSelectable());
         }},
        {"lower-case inbox is INBOX", "* LIST () \"/\" inbox\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.rawName == QByteArray("inbox"));
             BOOST_TEST(only(rs).mailbox.name == QStringLiteral("INBOX"));
         }},
        {"gmail folders",
         "* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\n"
         "* LIST (\\HasChildren \\Noselect) \"/\" \"[Gmail]\"\r\n"
         "* LIST (\\All \\HasNoChildren) \"/\" \"[Gmail]/All Mail\"\r\n"
         "* LIST (\\Drafts \\HasNoChildren) \"/\" \"[Gmail]/Drafts\"\r\n"
         "* LIST (\\HasNoChildren \\Important) \"/\" \"[Gmail]/Important\"\r\n"
         "* LIST (\\HasNoChildren \\Sent) \"/\" \"[Gmail]/Sent Mail\"\r\n"
         "* LIST (\\HasNoChildren \\Junk) \"/\" \"[Gmail]/Spam\"\r\n"
         "* LIST (\\Flagged \\HasNoChildren) \"/\" \"[Gmail]/Starred\"\r\n"
         "* LIST (\\HasNoChildren \\Trash) \"/\" \"[Gmail]/Trash\"\r\n"
         "A4 OK Success\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 10u);
             BOOST_TEST(!rs[1].mailbox.isSelectable());
             BOOST_TEST(rs[1].mailbox.name == QStringLiteral("[Gmail]"));
             BOOST_TEST(rs[2].mailbox.hasFlag("\\all"));
             BOOST_TEST(rs[5].mailbox.name == QStringLiteral("[Gmail]/Sent Mail"));
             BOOST_TEST(rs[8].mailbox.hasFlag("\\Trash"));
         }},
        {"hierarchy delimiter query", "* LIST (\\Noselect) \"/\" \"\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.rawName.isEmpty());
             BOOST_TEST(!only(rs).mailbox.rawName.isNull());
             BOOST_TEST(only(rs).mailbox.delimiter == QByteArray("/"));
         }},
        {"flat namespace", "* LIST (\\Noselect) NIL \"\"\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).mailbox.delimiter.isNull()); }},
        {"cyrus dot hierarchy",
         "* LIST (\\HasChildren) \".\" INBOX\r\n* LIST (\\HasNoChildren) \".\" INBOX.Drafts\r\n"
         "* LIST (\\HasNoChildren \\Sent) \".\" INBOX.Sent\r\n",
         [](const Responses &rs) {
             BOOST_TEST(rs.at(1).mailbox.delimiter == QByteArray("."));
             BOOST_TEST(rs.at(1).mailbox.name == QStringLiteral("INBOX.Drafts"));
         }},
        {"backslash delimiter", "* LIST () \"\\\\\" \"Public\\\\Team\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.delimiter == QByteArray("\\"));
             BOOST_TEST(only(rs).mailbox.rawName == QByteArray("Public\\Team"));
         }},
        {"modified utf-7 japanese", "* LIST (\\HasNoChildren) \"/\" \"&ZeVnLIqe-\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.rawName == QByteArray("&ZeVnLIqe-"));
             BOOST_TEST(only(rs).mailbox.name == QString::fromUtf8("日本語"));
         }},
        {"modified utf-7 in a path", "* LIST () \"/\" \"&ZeVnLIqe-/&U,BTFw-\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.name == QString::fromUtf8("日本語/台北"));
         }},
        {"modified utf-7 german", "* LIST (\\HasNoChildren \\Drafts) \"/\" Entw&APw-rfe\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.name == QString::fromUtf8("Entwürfe"));
         }},
        {"modified utf-7 cyrillic", "* LIST () \".\" \"INBOX.&BB8EPgRHBEIEMA-\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.name == QString::fromUtf8("INBOX.Почта"));
         }},
        {"modified utf-7 surrogate pair", "* LIST () \"/\" \"Fun &2D3eAA-\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.name == QString::fromUtf8("Fun 😀"));
         }},
        {"ampersand", "* LIST () \"/\" \"Tom &- Jerry\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.name == QStringLiteral("Tom & Jerry"));
         }},
        {"invalid modified utf-7 is kept as sent", "* LIST () \"/\" \"R&D\"\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).mailbox.name == QStringLiteral("R&D")); }},
        {"raw utf-8 name (UTF8=ACCEPT)", "* LIST () \"/\" \"Entw\xc3\xbcrfe\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.name == QString::fromUtf8("Entwürfe"));
         }},
        {"quoted name with escapes", "* LIST () \"/\" \"say \\\"hi\\\" \\\\o/\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.rawName == QByteArray("say \"hi\" \\o/"));
         }},
        {"literal name", "* LIST (\\HasNoChildren) \"/\" {17}\r\nweird \"name\"\r\nx y\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.rawName == QByteArray("weird \"name\"\r\nx y"));
         }},
        {"empty literal name", "* LIST () \"/\" {0}\r\n\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).mailbox.rawName.isEmpty()); }},
        {"list-extended nonexistent",
         "* LIST (\\Subscribed \\NonExistent) \"/\" \"Fruit/Peach\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(!only(rs).mailbox.isSelectable());
             BOOST_TEST(only(rs).mailbox.hasFlag("\\subscribed"));
         }},
        {"childinfo extended data", "* LIST () \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n",
         [](const Responses &rs) {
             const auto &ext = only(rs).mailbox.extended;
             BOOST_TEST_REQUIRE(ext.size() == 1);
             BOOST_TEST(ext[0].first == QByteArray("CHILDINFO"));
             BOOST_TEST(ext[0].second == QByteArray("(\"SUBSCRIBED\")"));
         }},
        {"oldname extended data",
         "* LIST (\\HasNoChildren) \".\" \"INBOX.Archive\" (\"OLDNAME\" (\"INBOX.Old\") \"X-Y\" "
         "5)\r\n",
         [](const Responses &rs) {
             const auto &ext = only(rs).mailbox.extended;
             BOOST_TEST_REQUIRE(ext.size() == 2);
             BOOST_TEST(ext[0].second == QByteArray("(\"INBOX.Old\")"));
             BOOST_TEST(ext[1].second == QByteArray("5"));
         }},
        {"lsub", "* LSUB () \".\" #news.comp.mail.misc\r\n* LSUB (\\NoSelect) \"/\" Archive\r\n",
         [](const Responses &rs) {
             BOOST_TEST(rs.at(0).type == T::Lsub);
             BOOST_TEST(rs.at(0).mailbox.rawName == QByteArray("#news.comp.mail.misc"));
             BOOST_TEST(!rs.at(1).mailbox.isSelectable());
         }},
        {"name with a bracket atom", "* LIST () \"/\" Lists]Dev\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.rawName == QByteArray("Lists]Dev"));
         }},
        {"dovecot account listing",
         "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
         "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts\r\n"
         "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
         "* LIST (\\HasNoChildren \\Junk) \"/\" Junk\r\n"
         "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
         "* LIST (\\HasChildren \\Archive) \"/\" Archive\r\n"
         "* LIST (\\HasNoChildren) \"/\" Archive/2022\r\n"
         "* LIST (\\HasNoChildren) \"/\" Archive/2023\r\n"
         "* LIST (\\HasChildren) \"/\" Projects\r\n"
         "* LIST (\\HasNoChildren) \"/\" \"Projects/Q1 Launch\"\r\n"
         "* LIST (\\HasNoChildren) \"/\" Projects/&ZeVnLIqe-\r\n"
         "* LIST (\\HasNoChildren) \"/\" \"Projects/R&-D\"\r\n"
         "* LIST (\\HasNoChildren \\Marked) \"/\" Lists/dovecot\r\n"
         "* LIST (\\Noselect \\HasChildren) \"/\" Lists\r\n"
         "* LIST (\\HasNoChildren \\UnMarked) \"/\" Notes\r\n"
         "A7 OK List completed (0.001 + 0.000 secs).\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 16u);
             BOOST_TEST(rs[5].mailbox.hasFlag("\\Archive"));
             BOOST_TEST(rs[9].mailbox.name == QStringLiteral("Projects/Q1 Launch"));
             BOOST_TEST(rs[10].mailbox.name == QString::fromUtf8("Projects/日本語"));
             BOOST_TEST(rs[11].mailbox.name == QStringLiteral("Projects/R&D"));
             BOOST_TEST(!rs[13].mailbox.isSelectable());
             BOOST_TEST(rs[15].isTagged());
         }},
        {"cyrus lsub listing",
         "* LSUB () \".\" INBOX\r\n* LSUB () \".\" INBOX.Sent\r\n* LSUB () \".\" INBOX.Trash\r\n"
         "* LSUB (\\Noselect) \".\" INBOX.Lists\r\n* LSUB () \".\" INBOX.Lists.cyrus-devel\r\n"
         "* LSUB () \".\" \"INBOX.&BB8EPgRHBEIEMA-\"\r\n* LSUB () \".\" user.bob.Shared\r\n"
         "A8 OK Completed (0.000 secs 8 calls)\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 8u);
             for (int i = 0; i < 7; ++i)
                 BOOST_TEST(rs[size_t(i)].type == T::Lsub);
             BOOST_TEST(rs[5].mailbox.name == QString::fromUtf8("INBOX.Почта"));
         }},
        {"no flags at all, many spaces in the flag list",
         "* LIST ( \\Marked  \\HasChildren ) \"/\" Work\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).mailbox.flags == L({"\\Marked", "\\HasChildren"}));
         }},
    };
    const int n = runTable(cases);
    BOOST_TEST_MESSAGE(n << " LIST/LSUB responses");
}

BOOST_AUTO_TEST_CASE(status)
{
    const std::vector<Case> cases = {
        {"rfc example", "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n",
         [](const Responses &rs) {
             const auto &s = only(rs).statusData;
             BOOST_TEST(only(rs).type == T::Status);
             BOOST_TEST(s.mailbox == QStringLiteral("blurdybloop"));
             BOOST_TEST(*s.messages == 231u);
             BOOST_TEST(*s.uidNext == 44292u);
             BOOST_TEST(!s.unseen);
         }},
        {"every imap4rev1 item",
         "* STATUS \"INBOX\" (MESSAGES 4826 RECENT 0 UIDNEXT 61734 UIDVALIDITY 1 UNSEEN 12 "
         "HIGHESTMODSEQ 6598702)\r\n",
         [](const Responses &rs) {
             const auto &s = only(rs).statusData;
             BOOST_TEST(*s.recent == 0u);
             BOOST_TEST(*s.uidValidity == 1u);
             BOOST_TEST(*s.unseen == 12u);
             BOOST_TEST(*s.highestModSeq == 6598702ull);
         }},
        {"imap4rev2 size and deleted",
         "* STATUS Archive (MESSAGES 12 SIZE 8589934592 DELETED 2)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(*only(rs).statusData.size == 8589934592ull);
             BOOST_TEST(*only(rs).statusData.deleted == 2u);
         }},
        {"modified utf-7 mailbox", "* STATUS \"&ZeVnLIqe-\" (UNSEEN 3)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).statusData.mailbox == QString::fromUtf8("日本語"));
         }},
        {"literal mailbox", "* STATUS {5}\r\na b c (MESSAGES 1)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).statusData.rawMailbox == QByteArray("a b c"));
         }},
        {"appendlimit nil and unknown items",
         "* STATUS INBOX (APPENDLIMIT NIL X-GUID \"c1b2\" MESSAGES 3)\r\n",
         [](const Responses &rs) {
             const auto &s = only(rs).statusData;
             BOOST_TEST_REQUIRE(s.other.size() == 2);
             BOOST_TEST(s.other[0].first == QByteArray("APPENDLIMIT"));
             BOOST_TEST(s.other[0].second == QByteArray("NIL"));
             BOOST_TEST(s.other[1].second == QByteArray("\"c1b2\""));
             BOOST_TEST(*s.messages == 3u);
         }},
        {"empty list and trailing space", "* STATUS Trash () \r\n",
         [](const Responses &rs) { BOOST_TEST(!only(rs).statusData.messages); }},
        {"list-status reply pair",
         "* LIST () \".\" \"INBOX.Sent\"\r\n* STATUS \"INBOX.Sent\" (MESSAGES 1024 UNSEEN 0)\r\n"
         "A3 OK List completed.\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 3u);
             BOOST_TEST(rs[1].statusData.rawMailbox == rs[0].mailbox.rawName);
         }},
    };
    const int n = runTable(cases); // outside the lazily evaluated log macro
    BOOST_TEST_MESSAGE(n << " responses");
}

BOOST_AUTO_TEST_CASE(search_and_esearch)
{
    const std::vector<Case> cases = {
        {"search", "* SEARCH 2 84 882\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Search);
             BOOST_TEST((only(rs).search.numbers == QVector<quint32>{2, 84, 882}));
         }},
        {"empty search", "* SEARCH\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).search.numbers.isEmpty()); }},
        {"empty search with trailing space", "* SEARCH \r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).search.numbers.isEmpty()); }},
        {"search with modseq", "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).search.numbers.size() == 10);
             BOOST_TEST(*only(rs).search.modSeq == 917162500ull);
         }},
        {"esearch min count", "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n",
         [](const Responses &rs) {
             const auto &s = only(rs).search;
             BOOST_TEST(only(rs).type == T::ESearch);
             BOOST_TEST(s.tag == QByteArray("A282"));
             BOOST_TEST(!s.uid);
             BOOST_TEST(*s.min == 2u);
             BOOST_TEST(*s.count == 3u);
             BOOST_TEST(!s.max);
         }},
        {"esearch all", "* ESEARCH (TAG \"A283\") ALL 2,10:11\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).search.all == S("2,10:11")); }},
        {"esearch uid min max", "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).search.uid);
             BOOST_TEST(*only(rs).search.max == 3800u);
         }},
        {"esearch uid all", "* ESEARCH (TAG \"A301\") UID ALL 17,900,901\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).search.all.numbers() == (QVector<quint32>{17, 900, 901}));
         }},
        {"esearch without correlator", "* ESEARCH UID COUNT 5 ALL 4:19,21,28\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).search.tag.isNull());
             BOOST_TEST(only(rs).search.all.count() == 18u);
         }},
        {"esearch nothing found", "* ESEARCH (TAG \"a\") UID COUNT 0\r\n* ESEARCH (TAG \"b\")\r\n",
         [](const Responses &rs) {
             BOOST_TEST(*rs.at(0).search.count == 0u);
             BOOST_TEST(rs.at(1).search.all.isEmpty());
         }},
        {"esearch modseq and unknown return data",
         "* ESEARCH (TAG \"t1\") UID ALL 1:3 MODSEQ 1236 PARTIAL (1:10 200:210)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(*only(rs).search.modSeq == 1236ull);
             BOOST_TEST_REQUIRE(only(rs).search.other.size() == 1);
             BOOST_TEST(only(rs).search.other[0].second == QByteArray("(1:10 200:210)"));
         }},
        {"multisearch correlator (RFC 7377)",
         "* ESEARCH (TAG \"A1\" MAILBOX \"folder1\" UIDVALIDITY 1) UID ALL 3001:3004\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).search.tag == QByteArray("A1"));
             BOOST_TEST(only(rs).search.all == S("3001:3004"));
         }},
    };
    const int n = runTable(cases); // outside the lazily evaluated log macro
    BOOST_TEST_MESSAGE(n << " responses");
}

BOOST_AUTO_TEST_CASE(namespace_id_and_unknown)
{
    const std::vector<Case> cases = {
        {"personal only", "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n",
         [](const Responses &rs) {
             const auto &n = only(rs).namespaces;
             BOOST_TEST(only(rs).type == T::Namespace);
             BOOST_TEST_REQUIRE(n.personal.size() == 1);
             BOOST_TEST(n.personal[0].prefix.isEmpty());
             BOOST_TEST(n.personal[0].delimiter == QByteArray("/"));
             BOOST_TEST(n.otherUsers.isEmpty());
             BOOST_TEST(n.shared.isEmpty());
         }},
        {"shared only", "* NAMESPACE NIL NIL ((\"\" \".\"))\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).namespaces.shared.size() == 1); }},
        {"all three (RFC 2342 example 5.6)",
         "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")"
         "(\"#ftp/\" \"/\")(\"#news.\" \".\"))\r\n",
         [](const Responses &rs) {
             const auto &n = only(rs).namespaces;
             BOOST_TEST(n.otherUsers.at(0).prefix == QByteArray("~"));
             BOOST_TEST_REQUIRE(n.shared.size() == 4);
             BOOST_TEST(n.shared[3].prefix == QByteArray("#news."));
             BOOST_TEST(n.shared[3].delimiter == QByteArray("."));
         }},
        {"courier style", "* NAMESPACE ((\"INBOX.\" \".\")) NIL ((\"#shared.\" \".\"))\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).namespaces.personal.at(0).prefix == QByteArray("INBOX."));
         }},
        {"nil delimiter and extensions",
         "* NAMESPACE ((\"\" NIL \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL NIL\r\n",
         [](const Responses &rs) {
             const auto &d = only(rs).namespaces.personal.at(0);
             BOOST_TEST(d.delimiter.isNull());
             BOOST_TEST_REQUIRE(d.extensions.size() == 1);
             BOOST_TEST(d.extensions[0].first == QByteArray("X-PARAM"));
             BOOST_TEST(d.extensions[0].second == L({"FLAG1", "FLAG2"}));
         }},
        {"dovecot id", "* ID (\"name\" \"Dovecot\")\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Id);
             BOOST_TEST_REQUIRE(only(rs).idParameters.size() == 1);
             BOOST_TEST(only(rs).idParameters[0].second == QByteArray("Dovecot"));
         }},
        {"id nil", "* ID NIL\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).idIsNil);
             BOOST_TEST(only(rs).idParameters.isEmpty());
         }},
        {"gmail id with a nil value",
         "* ID (\"name\" \"GImap\" \"vendor\" \"Google, Inc.\" \"support-url\" NIL)\r\n",
         [](const Responses &rs) {
             const auto &p = only(rs).idParameters;
             BOOST_TEST_REQUIRE(p.size() == 3);
             BOOST_TEST(p[1].second == QByteArray("Google, Inc."));
             BOOST_TEST(p[2].second.isNull());
         }},
        {"cyrus id",
         "* ID (\"name\" \"Cyrus IMAPD\" \"version\" \"3.6.1-Debian-3.6.1-4\" \"vendor\" "
         "\"Project Cyrus\" \"support-url\" \"https://www.cyrusimap.org\" \"os\" \"Linux\" "
         "\"os-version\" \"6.1.0\" \"environment\" \"Built w/Cyrus SASL 2.1.28\")\r\n",
         [](const Responses &rs) { BOOST_TEST(only(rs).idParameters.size() == 7); }},
        {"quota", "* QUOTA \"\" (STORAGE 10 512)\r\n* QUOTAROOT INBOX \"\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(rs.at(0).type == T::Unknown);
             BOOST_TEST(rs.at(0).keyword == QByteArray("QUOTA"));
             BOOST_TEST(rs.at(0).raw == QByteArray("\"\" (STORAGE 10 512)"));
             BOOST_TEST(rs.at(1).keyword == QByteArray("QUOTAROOT"));
         }},
        {"xlist", "* XLIST (\\HasNoChildren \\Inbox) \"/\" \"Inbox\"\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Unknown);
             BOOST_TEST(only(rs).raw == QByteArray("(\\HasNoChildren \\Inbox) \"/\" \"Inbox\""));
         }},
        {"numbered unknown", "* 5 XFOO bar baz\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).type == T::Unknown);
             BOOST_TEST(only(rs).number == 5u);
             BOOST_TEST(only(rs).keyword == QByteArray("XFOO"));
             BOOST_TEST(only(rs).raw == QByteArray("bar baz"));
         }},
        {"unknown with a literal (METADATA)",
         "* METADATA \"INBOX\" (/private/comment {5}\r\nhello)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).keyword == QByteArray("METADATA"));
             BOOST_TEST(only(rs).raw == QByteArray("\"INBOX\" (/private/comment {5}\r\nhello)"));
         }},
        {"unknown keyword alone", "* XNOOP\r\n",
         [](const Responses &rs) {
             BOOST_TEST(only(rs).keyword == QByteArray("XNOOP"));
             BOOST_TEST(only(rs).raw.isEmpty());
         }},
    };
    const int n = runTable(cases); // outside the lazily evaluated log macro
    BOOST_TEST_MESSAGE(n << " responses");
}

BOOST_AUTO_TEST_CASE(utf8_mode_reads_names_as_utf8)
{
    // After ENABLE UTF8=ACCEPT a 7-bit name that happens to look like modified UTF-7 is
    // taken literally (RFC 6855 §3).
    ImapParser parser;
    parser.setUtf8Mode(true);
    parser.feed(QByteArray("* LIST () \"/\" \"&ZeVnLIqe-\"\r\n"));
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(r.mailbox.name == QStringLiteral("&ZeVnLIqe-"));
}

BOOST_AUTO_TEST_SUITE_END()
