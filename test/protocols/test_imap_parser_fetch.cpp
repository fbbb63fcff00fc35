// SPDX-License-Identifier: LGPL-3.0-or-later
// FETCH replies: ENVELOPE, BODYSTRUCTURE, BODY[section]<origin>, BINARY, RFC822*, UID,
// FLAGS, INTERNALDATE, RFC822.SIZE, MODSEQ and extension items, as RFC 3501/9051 show them
// and as Dovecot, Gmail and Cyrus write them. Every entry is fed whole, split at every byte
// boundary, and byte by byte, with identical typed results.
#include <boost/test/unit_test.hpp>

#include <functional>
#include <ostream>
#include <vector>

#include <QtCore/QDebug>

#include "imap_parser_p.h"
#include "imap_parser_harness.h"

using mailwire::BodyStructure;
using mailwire::Envelope;
using mailwire::FetchData;
using mailwire::FetchSection;

namespace mailwire {
std::ostream &operator<<(std::ostream &o, BodyStructure::Kind k) { return o << int(k); }
std::ostream &operator<<(std::ostream &o, const FetchData &f)
{
    QString text;
    QDebug(&text) << f;
    return o << text.toStdString();
}
} // namespace mailwire

namespace {

const FetchData &fetch(const Responses &rs)
{
    BOOST_TEST_REQUIRE(rs.size() >= 1u);
    BOOST_TEST_REQUIRE(rs.front().type == T::Fetch);
    return rs.front().fetch;
}

QByteArray filler(int size)
{
    QByteArray data;
    data.reserve(size);
    for (int i = 0; data.size() < size; ++i)
        data += "Line " + QByteArray::number(i) + " of a long message body.\r\n";
    data.truncate(size);
    return data;
}

} // namespace

const char *const rfcEnvelope =
    "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
    "((NIL NIL \"imap\" \"cac.washington.edu\")) "
    "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) "
    "NIL NIL \"<B27397-0100000@cac.washington.edu>\")";

BOOST_AUTO_TEST_SUITE(imap_parser_fetch)

BOOST_AUTO_TEST_CASE(envelopes)
{
    const std::vector<Case> cases = {
        {"rfc 3501 example",
         QByteArray("* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
                    "RFC822.SIZE 4286 ENVELOPE ")
             + rfcEnvelope
             + " BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 "
               "92))\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             BOOST_TEST(f.sequenceNumber == 12u);
             BOOST_TEST(f.hasFlag("\\Seen"));
             BOOST_TEST(*f.rfc822Size == 4286u);
             BOOST_TEST(f.internalDate->toUTC().toString(Qt::ISODate)
                        == QStringLiteral("1996-07-17T09:44:25Z"));
             BOOST_TEST(f.internalDate->offsetFromUtc() == -7 * 3600);
             const Envelope &e = *f.envelope;
             BOOST_TEST(e.subject == QByteArray("IMAP4rev1 WG mtg summary and minutes"));
             BOOST_TEST(e.parsedDate().toUTC().toString(Qt::ISODate)
                        == QStringLiteral("1996-07-17T09:23:25Z"));
             BOOST_TEST_REQUIRE(e.from.size() == 1);
             BOOST_TEST(e.from[0].displayName() == QStringLiteral("Terry Gray"));
             BOOST_TEST(e.from[0].addrSpec() == QByteArray("gray@cac.washington.edu"));
             BOOST_TEST(e.from[0].adl.isNull());
             BOOST_TEST(e.to[0].name.isNull());
             BOOST_TEST_REQUIRE(e.cc.size() == 2);
             BOOST_TEST(e.cc[1].toString() == QStringLiteral("John Klensin <KLENSIN@MIT.EDU>"));
             BOOST_TEST(e.bcc.isEmpty());
             BOOST_TEST(e.inReplyTo.isNull());
             BOOST_TEST(e.messageId == QByteArray("<B27397-0100000@cac.washington.edu>"));
             BOOST_TEST(f.body->mimeType() == QByteArray("text/plain"));
             BOOST_TEST(f.body->lines == 92);
             BOOST_TEST(!f.bodyStructure);
         }},
        {"all nil", "* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             const Envelope &e = *fetch(rs).envelope;
             BOOST_TEST(e.date.isNull());
             BOOST_TEST(e.subject.isNull());
             BOOST_TEST(e.from.isEmpty());
             BOOST_TEST(e.messageId.isNull());
             BOOST_TEST(!e.parsedDate().isValid());
         }},
        {"empty strings are not nil",
         "* 2 FETCH (ENVELOPE (\"\" \"\" NIL NIL NIL NIL NIL NIL \"\" \"\"))\r\n",
         [](const Responses &rs) {
             const Envelope &e = *fetch(rs).envelope;
             BOOST_TEST(!e.subject.isNull());
             BOOST_TEST(e.subject.isEmpty());
             BOOST_TEST(!e.inReplyTo.isNull());
         }},
        {"quoted specials in the subject",
         "* 3 FETCH (UID 10 ENVELOPE (NIL \"Re: \\\"quoted\\\" and \\\\back\\\\slash (x) [y] {z}\" "
         "NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).envelope->subject
                        == QByteArray("Re: \"quoted\" and \\back\\slash (x) [y] {z}"));
         }},
        {"literal subject (Dovecot sends one for CR, LF or 8-bit text)",
         "* 4 FETCH (UID 11 ENVELOPE (\"Tue, 05 Mar 2024 10:00:00 +0100\" {31}\r\n"
         "Subject with \"quotes\"\r\nand CRLF ((\"A\" NIL \"a\" \"example.org\")) NIL NIL NIL NIL "
         "NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             const Envelope &e = *fetch(rs).envelope;
             BOOST_TEST(e.subject == QByteArray("Subject with \"quotes\"\r\nand CRLF"));
             BOOST_TEST(e.from.at(0).mailbox == QByteArray("a"));
             BOOST_TEST(*fetch(rs).uid == 11u);
         }},
        {"encoded-word subjects",
         "* 5 FETCH (ENVELOPE (NIL \"=?UTF-8?B?w5xiZXJwcsO8ZnVuZw==?=\" NIL NIL NIL NIL NIL NIL "
         "NIL NIL))\r\n"
         "* 6 FETCH (ENVELOPE (NIL \"=?iso-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?= "
         "=?UTF-8?Q?_und_Z=C3=BCrich?=\" "
         "NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 2u);
             BOOST_TEST(rs[0].fetch.envelope->decodedSubject() == QString::fromUtf8("Überprüfung"));
             BOOST_TEST(rs[1].fetch.envelope->decodedSubject()
                        == QString::fromUtf8("Grüße aus Köln und Zürich"));
         }},
        {"raw utf-8 subject (RFC 6532)",
         "* 7 FETCH (ENVELOPE (NIL \"Caf\xc3\xa9 \xe2\x98\x95\" NIL NIL NIL NIL NIL NIL NIL "
         "NIL))\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).envelope->decodedSubject() == QString::fromUtf8("Café ☕"));
         }},
        {"group syntax",
         "* 8 FETCH (ENVELOPE (NIL \"x\" NIL NIL NIL ((NIL NIL \"undisclosed-recipients\" NIL)"
         "(NIL NIL NIL NIL)) NIL NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             const auto &to = fetch(rs).envelope->to;
             BOOST_TEST_REQUIRE(to.size() == 2);
             BOOST_TEST(to[0].isGroupStart());
             BOOST_TEST(to[0].mailbox == QByteArray("undisclosed-recipients"));
             BOOST_TEST(to[1].isGroupEnd());
         }},
        {"encoded display name and source route",
         "* 9 FETCH (ENVELOPE (NIL NIL ((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL \"joerg\" "
         "\"example.de\")) "
         "((NIL \"@relay.example\" \"user\" \"example.org\")) NIL NIL NIL NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             const Envelope &e = *fetch(rs).envelope;
             BOOST_TEST(e.from[0].toString()
                        == QString::fromUtf8("Jörg Müller <joerg@example.de>"));
             BOOST_TEST(e.sender[0].adl == QByteArray("@relay.example"));
         }},
        {"gmail reply",
         "* 4821 FETCH (X-GM-THRID 1792309876543210987 UID 61730 ENVELOPE (\"Mon, 04 Mar 2024 "
         "18:21:07 +0000\" \"Re: Quarterly report\" ((\"Alice Example\" NIL \"alice\" "
         "\"example.com\")) "
         "((\"Alice Example\" NIL \"alice\" \"example.com\")) ((\"Alice Example\" NIL \"alice\" "
         "\"example.com\")) ((NIL NIL \"bob\" \"example.net\")) NIL NIL "
         "\"<CAB1234x@mail.gmail.com>\" \"<CAC5678y@mail.gmail.com>\"))\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             BOOST_TEST(f.envelope->inReplyTo == QByteArray("<CAB1234x@mail.gmail.com>"));
             BOOST_TEST(f.other.at(0).first == QByteArray("X-GM-THRID"));
             BOOST_TEST(f.other.at(0).second == QByteArray("1792309876543210987"));
         }},
        {"gmail bulk envelope fetch",
         "* 4820 FETCH (UID 61721 FLAGS (\\Seen) ENVELOPE (\"Mon, 4 Mar 2024 08:00:01 -0800\" "
         "\"Your March statement\" ((\"Example Bank\" NIL \"noreply\" \"bank.example\")) "
         "((\"Example Bank\" NIL \"noreply\" \"bank.example\")) ((\"Example Bank\" NIL \"noreply\" "
         "\"bank.example\")) ((NIL NIL \"joe\" \"example.com\")) NIL NIL NIL "
         "\"<stmt-2024-03@bank.example>\"))\r\n"
         "* 4821 FETCH (UID 61722 FLAGS () ENVELOPE (\"Mon, 04 Mar 2024 17:05:44 +0100\" "
         "\"=?UTF-8?Q?Einladung_zum_Sommerfest_=F0=9F=8E=89?=\" ((\"=?UTF-8?Q?J=C3=BCrgen?=\" NIL "
         "\"juergen\" \"firma.example\")) ((\"=?UTF-8?Q?J=C3=BCrgen?=\" NIL \"juergen\" "
         "\"firma.example\")) ((\"=?UTF-8?Q?J=C3=BCrgen?=\" NIL \"juergen\" \"firma.example\")) "
         "((NIL NIL \"team\" \"firma.example\")) ((\"Joe\" NIL \"joe\" \"example.com\")) NIL NIL "
         "\"<abc123@firma.example>\"))\r\n"
         "* 4822 FETCH (UID 61723 FLAGS (\\Answered \\Seen) ENVELOPE (\"Tue, 5 Mar 2024 09:12:00 "
         "+0000\" \"Re: \\\"Budget\\\" (draft)\" ((\"O'Brien, Pat\" NIL \"pat\" \"example.org\")) "
         "((\"O'Brien, Pat\" NIL \"pat\" \"example.org\")) ((\"O'Brien, Pat\" NIL \"pat\" "
         "\"example.org\")) ((\"Joe\" NIL \"joe\" \"example.com\")) NIL NIL \"<prev@example.com>\" "
         "\"<reply@example.org>\"))\r\n"
         "* 4823 FETCH (UID 61724 FLAGS (\\Seen) ENVELOPE (NIL \"\" ((NIL NIL \"MAILER-DAEMON\" "
         "\"mx.example.net\")) ((NIL NIL \"MAILER-DAEMON\" \"mx.example.net\")) ((NIL NIL "
         "\"MAILER-DAEMON\" \"mx.example.net\")) ((NIL NIL \"joe\" \"example.com\")) NIL NIL NIL "
         "NIL))\r\n"
         "* 4824 FETCH (UID 61725 FLAGS (\\Seen) ENVELOPE (\"Tue, 5 Mar 2024 11:00:00 +0000\" "
         "\"Weekly digest\" ((\"List\" NIL \"list\" \"lists.example\")) ((NIL NIL \"bounces\" "
         "\"lists.example\")) ((\"List\" NIL \"list\" \"lists.example\")) ((NIL NIL "
         "\"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL ((NIL NIL \"archive\" "
         "\"lists.example\")) NIL \"<digest-10@lists.example>\"))\r\n"
         "A12 OK Success\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 6u);
             BOOST_TEST(rs[0].fetch.envelope->from.at(0).toString()
                        == QStringLiteral("Example Bank <noreply@bank.example>"));
             BOOST_TEST(rs[1].fetch.envelope->decodedSubject()
                        == QString::fromUtf8("Einladung zum Sommerfest 🎉"));
             BOOST_TEST(rs[1].fetch.envelope->from.at(0).displayName()
                        == QString::fromUtf8("Jürgen"));
             BOOST_TEST(rs[1].fetch.flags->isEmpty());
             BOOST_TEST(rs[2].fetch.envelope->subject == QByteArray("Re: \"Budget\" (draft)"));
             BOOST_TEST(rs[2].fetch.envelope->from.at(0).name == QByteArray("O'Brien, Pat"));
             BOOST_TEST(rs[3].fetch.envelope->date.isNull());
             BOOST_TEST(rs[3].fetch.envelope->subject.isEmpty());
             BOOST_TEST(rs[4].fetch.envelope->to.at(0).isGroupStart());
             BOOST_TEST(rs[4].fetch.envelope->bcc.at(0).mailbox == QByteArray("archive"));
             BOOST_TEST(rs[4].fetch.envelope->sender.at(0).name.isNull());
         }},
        {"spaces between addresses and empty lists (lenient)",
         "* 10 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"a\" \"b\") (NIL NIL \"c\" \"d\")) () NIL NIL "
         "NIL NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).envelope->from.size() == 2);
             BOOST_TEST(fetch(rs).envelope->sender.isEmpty());
         }},
        {"literal display name",
         "* 11 FETCH (ENVELOPE (NIL NIL (({14}\r\nSmith, \"J\" (x) NIL \"js\" \"example.com\")) "
         "NIL NIL NIL NIL NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).envelope->from.at(0).name == QByteArray("Smith, \"J\" (x)"));
         }},
    };
    const int n = runTable(cases);
    BOOST_TEST_MESSAGE(n << " ENVELOPE responses");
}

BOOST_AUTO_TEST_CASE(body_structures)
{
    const std::vector<Case> cases = {
        {"dovecot text/plain with extension data",
         "* 1 FETCH (UID 3 BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL "
         "\"quoted-printable\" 1315 42 NIL NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).bodyStructure;
             BOOST_TEST(b.kind == BodyStructure::Kind::SinglePart);
             BOOST_TEST(b.mimeType() == QByteArray("text/plain"));
             BOOST_TEST(b.parameter("CHARSET") == QByteArray("utf-8"));
             BOOST_TEST(b.encoding == QByteArray("quoted-printable"));
             BOOST_TEST(b.size == 1315);
             BOOST_TEST(b.lines == 42);
             BOOST_TEST(b.hasExtensionData);
             BOOST_TEST(b.md5.isNull());
             BOOST_TEST(b.disposition.isNull());
             BOOST_TEST(b.partAt("1") == &b);
         }},
        {"gmail multipart/alternative",
         "* 2 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL "
         "\"QUOTED-PRINTABLE\" 1345 30 NIL NIL NIL)(\"TEXT\" \"HTML\" (\"CHARSET\" \"UTF-8\") NIL "
         "NIL "
         "\"QUOTED-PRINTABLE\" 5678 120 NIL NIL NIL) \"ALTERNATIVE\" (\"BOUNDARY\" "
         "\"000000000000abcdef0123456789\") NIL NIL))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).bodyStructure;
             BOOST_TEST(b.kind == BodyStructure::Kind::MultiPart);
             BOOST_TEST(b.mimeType() == QByteArray("multipart/alternative"));
             BOOST_TEST_REQUIRE(b.children.size() == 2u);
             BOOST_TEST(b.children[1].mimeType() == QByteArray("text/html"));
             BOOST_TEST(b.parameter("boundary") == QByteArray("000000000000abcdef0123456789"));
             BOOST_TEST(b.partAt("2") == &b.children[1]);
             BOOST_TEST(b.partAt("3") == nullptr);
             BOOST_TEST(b.partAt("1.1") == nullptr);
         }},
        {"multipart/mixed with an attachment",
         "* 3 FETCH (BODYSTRUCTURE (((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
         "\"7bit\" 120 4 "
         "NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 300 10 "
         "NIL NIL NIL "
         "NIL) \"alternative\" (\"boundary\" \"b2\") NIL NIL NIL)(\"application\" \"pdf\" "
         "(\"name\" "
         "\"report.pdf\") NIL NIL \"base64\" 245760 NIL (\"attachment\" (\"filename\" "
         "\"report.pdf\" "
         "\"size\" \"179600\")) NIL NIL) \"mixed\" (\"boundary\" \"b1\") NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).bodyStructure;
             BOOST_TEST(b.children.size() == 2u);
             const BodyStructure *pdf = b.partAt("2");
             BOOST_TEST_REQUIRE(pdf);
             BOOST_TEST(pdf->isAttachment());
             BOOST_TEST(pdf->fileName() == QStringLiteral("report.pdf"));
             BOOST_TEST(pdf->dispositionParameter("SIZE") == QByteArray("179600"));
             BOOST_TEST(pdf->lines == -1);
             BOOST_TEST(b.partAt("1.2")->mimeType() == QByteArray("text/html"));
         }},
        {"message/rfc822 nested",
         "* 4 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL "
         "\"7BIT\" 24 1 "
         "NIL NIL NIL NIL)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 1234 (\"Mon, 7 Feb 1994 "
         "21:52:25 -0800\" \"Fwd: test\" ((\"Fred\" NIL \"fred\" \"example.com\")) NIL NIL NIL NIL "
         "NIL NIL \"<id@example.com>\") ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL "
         "\"7BIT\" 500 10 NIL NIL NIL NIL)(\"IMAGE\" \"GIF\" (\"NAME\" \"cat.gif\") \"<cat@x>\" "
         "NIL "
         "\"BASE64\" 4000 NIL NIL NIL NIL) \"MIXED\" (\"BOUNDARY\" \"inner\") NIL NIL NIL) 40 NIL "
         "(\"inline\" NIL) NIL NIL) \"MIXED\" (\"BOUNDARY\" \"xyz\") NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).bodyStructure;
             const BodyStructure *msg = b.partAt("2");
             BOOST_TEST_REQUIRE(msg);
             BOOST_TEST(msg->kind == BodyStructure::Kind::Message);
             BOOST_TEST(msg->envelope->subject == QByteArray("Fwd: test"));
             BOOST_TEST(msg->lines == 40);
             BOOST_TEST(msg->disposition == QByteArray("inline"));
             BOOST_TEST(msg->dispositionParameters.isEmpty());
             BOOST_TEST_REQUIRE(msg->children.size() == 1u);
             BOOST_TEST(b.partAt("2.2")->mimeType() == QByteArray("image/gif"));
             BOOST_TEST(b.partAt("2.2")->id == QByteArray("<cat@x>"));
             BOOST_TEST(b.partAt("2.1")->size == 500);
             BOOST_TEST(b.partAt("2.3") == nullptr);
         }},
        {"message/rfc822 with a single-part body",
         "* 5 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 300 (NIL \"inner\" "
         "NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 20 2) 12))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).bodyStructure;
             BOOST_TEST(b.kind == BodyStructure::Kind::Message);
             BOOST_TEST(!b.hasExtensionData);
             BOOST_TEST(b.parameters.isEmpty());
             BOOST_TEST(b.partAt("1") == &b);
         }},
        {"message/global (RFC 6532)",
         "* 6 FETCH (BODYSTRUCTURE (\"message\" \"global\" NIL NIL NIL \"8bit\" 300 (NIL \"x\" NIL "
         "NIL "
         "NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" NIL NIL NIL \"8bit\" 20 2) 12 NIL NIL NIL "
         "NIL))\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).bodyStructure->kind == BodyStructure::Kind::Message);
         }},
        {"message/rfc822 without envelope (lenient)",
         "* 7 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 300 NIL NIL NIL "
         "NIL))\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).bodyStructure->kind == BodyStructure::Kind::SinglePart);
             BOOST_TEST(fetch(rs).bodyStructure->hasExtensionData);
         }},
        {"every extension field and future extensions",
         "* 8 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL \"<id@x>\" \"A description\" \"8BIT\" "
         "10 1 "
         "\"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"INLINE\" NIL) (\"EN\" \"DE\") \"http://example.org/loc\" "
         "123 "
         "(\"x\" (\"y\" 4)) NIL))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).bodyStructure;
             BOOST_TEST(b.description == QByteArray("A description"));
             BOOST_TEST(b.md5 == QByteArray("Q2hlY2sgSW50ZWdyaXR5IQ=="));
             BOOST_TEST(b.disposition == QByteArray("INLINE"));
             BOOST_TEST(b.language == L({"EN", "DE"}));
             BOOST_TEST(b.location == QByteArray("http://example.org/loc"));
         }},
        {"single language string",
         "* 9 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 10 1 NIL NIL \"fr\" "
         "NIL))\r\n",
         [](const Responses &rs) { BOOST_TEST(fetch(rs).bodyStructure->language == L({"fr"})); }},
        {"cyrus multipart/related inside alternative",
         "* 10 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" "
         "12 1 "
         "NIL NIL NIL NIL)((\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 80 3 NIL "
         "NIL "
         "NIL NIL)(\"IMAGE\" \"PNG\" NIL \"<logo@example>\" NIL \"BASE64\" 1024 NIL (\"INLINE\" "
         "(\"FILENAME\" \"logo.png\")) NIL NIL) \"RELATED\" (\"BOUNDARY\" \"r\" \"TYPE\" "
         "\"text/html\") NIL NIL NIL) \"ALTERNATIVE\" (\"BOUNDARY\" \"a\") NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).bodyStructure;
             BOOST_TEST(b.partAt("2")->mimeType() == QByteArray("multipart/related"));
             BOOST_TEST(b.partAt("2.2")->fileName() == QStringLiteral("logo.png"));
             BOOST_TEST(b.partAt("2")->parameter("type") == QByteArray("text/html"));
         }},
        {"rfc 2231 and rfc 2047 file names",
         "* 11 FETCH (BODYSTRUCTURE ((\"APPLICATION\" \"PDF\" NIL NIL NIL \"BASE64\" 100 NIL "
         "(\"ATTACHMENT\" (\"FILENAME*\" \"utf-8''%E2%82%AC%20rates.pdf\")) NIL NIL)"
         "(\"APPLICATION\" \"PDF\" (\"NAME\" \"=?UTF-8?B?w5xiZXJzaWNodC5wZGY=?=\") NIL NIL "
         "\"BASE64\" 100 NIL NIL NIL NIL)(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1 NIL "
         "(\"attachment\" (\"filename*0*\" \"utf-8''long%20na\" \"filename*1*\" \"me.txt\")) NIL "
         "NIL) "
         "\"MIXED\" (\"BOUNDARY\" \"z\") NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).bodyStructure;
             BOOST_TEST(b.partAt("1")->fileName() == QString::fromUtf8("€ rates.pdf"));
             BOOST_TEST(b.partAt("2")->fileName() == QString::fromUtf8("Übersicht.pdf"));
             BOOST_TEST(b.partAt("3")->fileName() == QStringLiteral("long name.txt"));
         }},
        {"rfc 3501 BODY example (no extension data)",
         "* 12 FETCH (BODY ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 "
         "23)"
         "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") "
         "\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73) "
         "\"MIXED\"))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).body;
             BOOST_TEST(!b.hasExtensionData);
             BOOST_TEST(b.children.at(1).parameter("name") == QByteArray("cc.diff"));
             BOOST_TEST(b.children.at(1).fileName() == QStringLiteral("cc.diff"));
             BOOST_TEST(b.children.at(1).description == QByteArray("Compiler diff"));
         }},
        {"lenient: NIL sizes, empty parameter list, space between parts",
         "* 13 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" () NIL NIL \"7BIT\" NIL NIL) "
         "(\"IMAGE\" \"JPEG\" NIL NIL NIL \"BASE64\" 10) \"MIXED\"))\r\n",
         [](const Responses &rs) {
             const BodyStructure &b = *fetch(rs).bodyStructure;
             BOOST_TEST(b.children.size() == 2u);
             BOOST_TEST(b.children[0].size == -1);
             BOOST_TEST(b.children[0].lines == -1);
         }},
        {"literal parameter value",
         "* 14 FETCH (BODYSTRUCTURE (\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" {9}\r\na "
         "\"b\".bin) NIL NIL \"BASE64\" 8 NIL NIL NIL NIL))\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).bodyStructure->parameter("name") == QByteArray("a \"b\".bin"));
         }},
    };
    const int n = runTable(cases);
    BOOST_TEST_MESSAGE(n << " BODYSTRUCTURE responses");
}

BOOST_AUTO_TEST_CASE(body_sections_and_literals)
{
    const QByteArray big = filler(8000);
    const std::vector<Case> cases = {
        {"empty literal", "* 1 FETCH (UID 1 BODY[] {0}\r\n)\r\n",
         [](const Responses &rs) {
             const FetchSection *s = fetch(rs).section("");
             BOOST_TEST_REQUIRE(s);
             BOOST_TEST(!s->isNil);
             BOOST_TEST(!s->data.isNull());
             BOOST_TEST(s->data.isEmpty());
             BOOST_TEST(s->size == 0);
         }},
        {"one byte", "* 2 FETCH (BODY[] {1}\r\nx)\r\n",
         [](const Responses &rs) { BOOST_TEST(fetch(rs).section("")->data == QByteArray("x")); }},
        {"large literal", "* 3 FETCH (UID 77 RFC822.SIZE 8000 BODY[] {8000}\r\n" + big + ")\r\n",
         [big](const Responses &rs) {
             BOOST_TEST(fetch(rs).section("")->data == big);
             BOOST_TEST(fetch(rs).section("")->size == 8000);
         }},
        {"literal that is all CRLF and parentheses",
         "* 4 FETCH (BODY[TEXT] {9}\r\n\r\n)(\r\n{1})\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).section("TEXT")->data == QByteArray("\r\n)(\r\n{1}"));
         }},
        {"header fields",
         "* 5 FETCH (UID 4001 BODY[HEADER.FIELDS (DATE FROM SUBJECT)] {101}\r\n"
         "Date: Tue, 05 Mar 2024 10:00:00 +0100\r\nFrom: Alice <alice@example.com>\r\n"
         "Subject: Lunch on Friday?\r\n\r\n)\r\n",
         [](const Responses &rs) {
             const FetchSection *s = fetch(rs).section("header.fields (date from subject)");
             BOOST_TEST_REQUIRE(s);
             BOOST_TEST(s->section == QByteArray("HEADER.FIELDS (DATE FROM SUBJECT)"));
             BOOST_TEST(s->data.endsWith("Friday?\r\n\r\n"));
             BOOST_TEST(s->data.size() == 101);
         }},
        {"header fields with quoted names and .NOT",
         "* 6 FETCH (BODY[HEADER.FIELDS.NOT (\"Received\" \"X-]odd\")] {4}\r\nA: b)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).sections.at(0).section
                        == QByteArray("HEADER.FIELDS.NOT (\"Received\" \"X-]odd\")"));
         }},
        {"mime part header and partial fetch",
         "* 7 FETCH (BODY[1.2.MIME] {28}\r\nContent-Type: text/plain\r\n\r\n BODY[TEXT]<0> {5}\r\n"
         "Hello BODY[]<1024> {3}\r\nabc)\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             BOOST_TEST_REQUIRE(f.sections.size() == 3);
             BOOST_TEST(f.sections[0].section == QByteArray("1.2.MIME"));
             BOOST_TEST(f.sections[0].origin == -1);
             BOOST_TEST(f.sections[1].origin == 0);
             BOOST_TEST(f.sections[2].origin == 1024);
             BOOST_TEST(f.sections[2].data == QByteArray("abc"));
         }},
        {"non-synchronizing literal form {n+}", "* 8 FETCH (BODY[1] {3+}\r\nabc)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).section("1")->data == QByteArray("abc"));
         }},
        {"nil and quoted bodies",
         "* 8 FETCH (BODY[1] NIL BODY[2] \"\" BODY[3] \"hello \\\"world\\\"\")\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             BOOST_TEST(f.sections.at(0).isNil);
             BOOST_TEST(f.sections.at(0).data.isNull());
             BOOST_TEST(!f.sections.at(1).isNil);
             BOOST_TEST(f.sections.at(1).data.isEmpty());
             BOOST_TEST(f.sections.at(2).data == QByteArray("hello \"world\""));
         }},
        {"binary with nul bytes and binary.size",
         QByteArray("* 9 FETCH (BINARY[1] ~{5}\r\n") + QByteArray("a\0b\0c", 5)
             + " BINARY[2] {3}\r\nxyz BINARY.SIZE[1] 2048 BINARY[3] NIL)\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             const FetchSection *b1 = f.section("1", FetchSection::Kind::Binary);
             BOOST_TEST_REQUIRE(b1);
             BOOST_TEST(b1->data == QByteArray("a\0b\0c", 5));
             BOOST_TEST(f.section("2", FetchSection::Kind::Binary)->data == QByteArray("xyz"));
             BOOST_TEST(f.section("3", FetchSection::Kind::Binary)->isNil);
             BOOST_TEST(f.binarySizes.at(0).first == QByteArray("1"));
             BOOST_TEST(f.binarySizes.at(0).second == 2048u);
             BOOST_TEST(f.section("1") == nullptr); // BODY[1] was not sent
         }},
        {"rfc822 items",
         "* 10 FETCH (RFC822.HEADER {12}\r\nSubject: x\r\n RFC822.TEXT {4}\r\nbody RFC822 "
         "{5}\r\nwhole)\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             BOOST_TEST(f.section("", FetchSection::Kind::Rfc822Header)->data
                        == QByteArray("Subject: x\r\n"));
             BOOST_TEST(f.section("", FetchSection::Kind::Rfc822Text)->data == QByteArray("body"));
             BOOST_TEST(f.section("", FetchSection::Kind::Rfc822)->data == QByteArray("whole"));
         }},
        {"several literals in one reply",
         "* 11 FETCH (UID 5 ENVELOPE (NIL {3}\r\nabc NIL NIL NIL NIL NIL NIL NIL NIL) BODY[1] "
         "{2}\r\n"
         "xy BODY[2] {2}\r\nzw)\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             BOOST_TEST(f.envelope->subject == QByteArray("abc"));
             BOOST_TEST(f.section("1")->data == QByteArray("xy"));
             BOOST_TEST(f.section("2")->data == QByteArray("zw"));
         }},
        {"dovecot uid fetch of headers for many messages",
         "* 1 FETCH (UID 101 FLAGS (\\Seen) BODY[HEADER.FIELDS (FROM)] {23}\r\nFrom: "
         "a@example.org\r\n\r\n)\r\n"
         "* 2 FETCH (UID 102 FLAGS () BODY[HEADER.FIELDS (FROM)] {2}\r\n\r\n)\r\n"
         "* 3 FETCH (UID 103 FLAGS (\\Answered \\Seen) BODY[HEADER.FIELDS (FROM)] {23}\r\nFrom: "
         "b@example.org\r\n\r\n)\r\n"
         "A9 OK Fetch completed (0.001 + 0.000 secs).\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 4u);
             BOOST_TEST(*rs[1].fetch.uid == 102u);
             BOOST_TEST(rs[1].fetch.flags->isEmpty());
             BOOST_TEST(rs[2].fetch.hasFlag("\\answered"));
             BOOST_TEST(rs[3].status == ImapStatus::Ok);
         }},
    };
    const int n = runTable(cases);
    BOOST_TEST_MESSAGE(n << " body section responses");
}

BOOST_AUTO_TEST_CASE(message_attributes)
{
    const std::vector<Case> cases = {
        {"flags update", "* 14 FETCH (FLAGS (\\Seen \\Deleted))\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).sequenceNumber == 14u);
             BOOST_TEST(*fetch(rs).flags == L({"\\Seen", "\\Deleted"}));
             BOOST_TEST(!fetch(rs).uid);
         }},
        {"recent and keywords",
         "* 15 FETCH (FLAGS (\\Recent $Forwarded $Junk NonJunk $MDNSent) UID 9)\r\n",
         [](const Responses &rs) { BOOST_TEST(fetch(rs).flags->size() == 5); }},
        {"uid flags internaldate size modseq",
         "* 23 FETCH (UID 4827 MODSEQ (12121231000) FLAGS (\\Seen) INTERNALDATE \" 7-Feb-2024 "
         "09:05:01 +0000\" RFC822.SIZE 44827)\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             BOOST_TEST(*f.uid == 4827u);
             BOOST_TEST(*f.modSeq == 12121231000ull);
             BOOST_TEST(f.rawInternalDate == QByteArray(" 7-Feb-2024 09:05:01 +0000"));
             BOOST_TEST(f.internalDate->toString(Qt::ISODate)
                        == QStringLiteral("2024-02-07T09:05:01Z"));
             BOOST_TEST(*f.rfc822Size == 44827u);
         }},
        {"internaldate with minutes in the zone",
         "* 1 FETCH (INTERNALDATE \"31-Dec-2023 23:59:59 +0530\")\r\n",
         [](const Responses &rs) {
             BOOST_TEST(fetch(rs).internalDate->offsetFromUtc() == 5 * 3600 + 30 * 60);
         }},
        {"invalid internaldate keeps the raw text",
         "* 1 FETCH (INTERNALDATE \"31-Foo-2023 23:59:59 +0000\") * 2 FETCH (INTERNALDATE "
         "\"30-Feb-2023 10:00:00 +0000\")\r\n",
         nullptr},
        {"rfc822.size beyond 32 bits (RFC 9051 number64)", "* 1 FETCH (RFC822.SIZE 5368709120)\r\n",
         [](const Responses &rs) { BOOST_TEST(*fetch(rs).rfc822Size == 5368709120ull); }},
        {"gmail extensions",
         "* 1 FETCH (X-GM-THRID 1278455344230334865 X-GM-MSGID 1278455344230334865 X-GM-LABELS "
         "(\\Inbox \\Sent Important \"Muy Importante\") UID 123 FLAGS (\\Seen))\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             BOOST_TEST_REQUIRE(f.other.size() == 3);
             BOOST_TEST(f.other[2].first == QByteArray("X-GM-LABELS"));
             BOOST_TEST(f.other[2].second
                        == QByteArray("(\\Inbox \\Sent Important \"Muy Importante\")"));
             BOOST_TEST(*f.uid == 123u);
         }},
        {"preview emailid savedate",
         "* 2 FETCH (UID 7 PREVIEW \"Hi Bob, the meeting moved to...\" EMAILID (M6d99ac3275bb4e) "
         "THREADID NIL SAVEDATE NIL)\r\n",
         [](const Responses &rs) {
             const FetchData &f = fetch(rs);
             BOOST_TEST_REQUIRE(f.other.size() == 4);
             BOOST_TEST(f.other[0].first == QByteArray("PREVIEW"));
             BOOST_TEST(f.other[1].second == QByteArray("(M6d99ac3275bb4e)"));
             BOOST_TEST(f.other[3].second == QByteArray("NIL"));
         }},
        {"lower-case item names", "* 1 fetch (uid 5 flags (\\seen) rfc822.size 10)\r\n",
         [](const Responses &rs) {
             BOOST_TEST(*fetch(rs).uid == 5u);
             BOOST_TEST(*fetch(rs).rfc822Size == 10u);
         }},
        {"extra spaces inside the list", "* 1 FETCH ( UID 5  FLAGS () )\r\n",
         [](const Responses &rs) { BOOST_TEST(*fetch(rs).uid == 5u); }},
        {"empty item list", "* 1 FETCH ()\r\n",
         [](const Responses &rs) {
             FetchData empty;
             empty.sequenceNumber = 1;
             BOOST_TEST(fetch(rs) == empty);
         }},
        {"expunge and fetch interleaved",
         "* 3 EXPUNGE\r\n* 3 EXPUNGE\r\n* 12 FETCH (FLAGS (\\Seen) UID 50)\r\nA1 OK [HIGHESTMODSEQ "
         "99] Store completed\r\n",
         [](const Responses &rs) {
             BOOST_TEST_REQUIRE(rs.size() == 4u);
             BOOST_TEST(rs[2].fetch.sequenceNumber == 12u);
             BOOST_TEST(*rs[3].code.highestModSeq() == 99u);
         }},
    };
    int n = 0;
    for (const Case &c : cases) {
        if (!c.check) {
            // A reply with a date that is syntactically a string but not a date: the parse
            // succeeds, internalDate stays empty.
            ImapParser parser;
            parser.feed(QByteArray("* 1 FETCH (INTERNALDATE \"31-Foo-2023 23:59:59 +0000\")\r\n"
                                   "* 2 FETCH (INTERNALDATE \"30-Feb-2023 10:00:00 +0000\")\r\n"));
            for (int i = 0; i < 2; ++i) {
                ImapResponse r;
                BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
                BOOST_TEST(!r.fetch.internalDate);
                BOOST_TEST(!r.fetch.rawInternalDate.isEmpty());
                ++n;
            }
            continue;
        }
        BOOST_TEST_CONTEXT(c.name)
        {
            const Responses rs = runAllWays(c.input);
            n += int(rs.size());
            c.check(rs);
        }
    }
    BOOST_TEST_MESSAGE(n << " attribute responses");
}

BOOST_AUTO_TEST_SUITE_END()
