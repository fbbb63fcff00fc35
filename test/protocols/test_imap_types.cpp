// SPDX-License-Identifier: LGPL-3.0-or-later
// IMAP value types: SequenceSet (parse, format, validation, iteration), modified UTF-7
// mailbox names, RFC 2047/2231 header decoding, and the typed accessors of ResponseCode.
#include <boost/test/unit_test.hpp>

#include <ostream>

#include <mailwire/imap_body_structure.h>
#include <mailwire/imap_mailbox_name.h>
#include <mailwire/imap_sequence_set.h>
#include <mailwire/imap_types.h>

using mailwire::Address;
using mailwire::ResponseCode;
using mailwire::SequenceSet;
namespace MailboxName = mailwire::ImapMailboxName;

std::ostream &operator<<(std::ostream &o, const QString &s) { return o << s.toStdString(); }

namespace mailwire {
std::ostream &operator<<(std::ostream &o, const SequenceSet &s)
{
    return o << s.toByteArray().constData();
}
} // namespace mailwire

namespace {

QVector<quint32> V(std::initializer_list<quint32> numbers) { return QVector<quint32>(numbers); }

} // namespace

BOOST_AUTO_TEST_SUITE(imap_types)

BOOST_AUTO_TEST_CASE(sequence_set_round_trips)
{
    const char *valid[] = {"1",       "*",         "1:5",     "1:*",        "*:4",
                           "4:2",     "1:5,7,9:*", "2,4,6,8", "4294967295", "1:4294967295",
                           "3,1:2,*", "10:1,20"};
    for (const char *text : valid) {
        BOOST_TEST_CONTEXT(text)
        {
            QString error;
            const SequenceSet set = SequenceSet::parse(text, &error);
            BOOST_TEST(!set.isEmpty());
            BOOST_TEST(error.isEmpty());
            BOOST_TEST(set.toByteArray() == QByteArray(text));
        }
    }
}

BOOST_AUTO_TEST_CASE(sequence_set_rejects_invalid_text)
{
    const char *invalid[] = {
        "",    "0",    "01", "1,",   ",1",  "1::2",  "1:",         ":1",
        "1 2", "1, 2", "a",  "1:a",  "**",  "1*",    "4294967296", "99999999999999999999",
        "1:0", "-1",   "+1", "1,,2", "1;2", "1:2:3", "$"};
    for (const char *text : invalid) {
        BOOST_TEST_CONTEXT('"' << text << '"')
        {
            QString error;
            const SequenceSet set = SequenceSet::parse(text, &error);
            BOOST_TEST(set.isEmpty());
            BOOST_TEST(!error.isEmpty());
        }
    }
    QString error;
    SequenceSet::parse("1,2,x", &error);
    BOOST_TEST(error.contains(QLatin1String("offset 4")), error);
}

BOOST_AUTO_TEST_CASE(sequence_set_contains_and_counts)
{
    const SequenceSet set = SequenceSet::parse("1:5,7,9:*");
    BOOST_TEST(set.contains(1));
    BOOST_TEST(set.contains(5));
    BOOST_TEST(!set.contains(6));
    BOOST_TEST(set.contains(7));
    BOOST_TEST(!set.contains(8));
    BOOST_TEST(set.contains(9));
    BOOST_TEST(!set.contains(10));    // '*' unknown: "9:*" is just 9
    BOOST_TEST(set.contains(10, 12)); // '*' = 12
    BOOST_TEST(!set.contains(13, 12));
    BOOST_TEST(!set.contains(0, 12));
    BOOST_TEST(set.hasStar());
    BOOST_TEST(set.count(12) == 10u);
    BOOST_TEST(set.count() == 7u);
    BOOST_TEST(SequenceSet::parse("4:2").contains(3));
    BOOST_TEST(SequenceSet::parse("*").contains(40, 40));
    BOOST_TEST(!SequenceSet::parse("*").contains(39, 40));
    BOOST_TEST(SequenceSet::parse("1:4294967295").count() == 4294967295ull);
    // "n:*" where the mailbox has fewer messages is "*:n" (RFC 9051 §9 seq-range).
    BOOST_TEST(SequenceSet::parse("10:*").numbers(7) == V({7, 8, 9, 10}));
}

BOOST_AUTO_TEST_CASE(sequence_set_iterates_in_order_without_duplicates)
{
    const SequenceSet set = SequenceSet::parse("9,3:5,4:7,1,*");
    BOOST_TEST(set.numbers(11) == V({1, 3, 4, 5, 6, 7, 9, 11}));
    QVector<quint32> seen;
    for (quint32 n : set.iterate(11))
        seen.append(n);
    BOOST_TEST(seen == set.numbers(11));
    BOOST_TEST(set.numbers() == V({1, 3, 4, 5, 6, 7, 9}));
    BOOST_TEST(SequenceSet::parse("1:4294967295").numbers(0, 3) == V({1, 2, 3}));
    // The top of the range does not overflow the iterator.
    BOOST_TEST(SequenceSet::parse("4294967294:4294967295").numbers()
               == V({4294967294u, 4294967295u}));
    SequenceSet empty;
    BOOST_TEST(empty.numbers().isEmpty());
    BOOST_TEST((empty.iterate().begin() == empty.iterate().end()));
}

BOOST_AUTO_TEST_CASE(sequence_set_builds_and_normalizes)
{
    BOOST_TEST(SequenceSet::fromNumbers({5, 1, 2, 3, 9, 3, 0, 10}).toByteArray()
               == QByteArray("1:3,5,9:10"));
    BOOST_TEST(SequenceSet::all().toByteArray() == QByteArray("1:*"));
    BOOST_TEST(SequenceSet::single(SequenceSet::Star).toByteArray() == QByteArray("*"));
    BOOST_TEST(SequenceSet::range(7, 3).toByteArray() == QByteArray("7:3"));
    SequenceSet built;
    built.add(4);
    built.addRange(10, SequenceSet::Star);
    built.add(2);
    BOOST_TEST(built.toByteArray() == QByteArray("4,10:*,2"));
    BOOST_TEST(built.normalized().toByteArray() == QByteArray("2,4,10:*"));
    BOOST_TEST(SequenceSet::parse("9,1:3,2:5,6").normalized().toByteArray() == QByteArray("1:6,9"));
    BOOST_TEST(SequenceSet::parse("5:3,1").normalized().toByteArray() == QByteArray("1,3:5"));
    BOOST_TEST(SequenceSet::parse("1:3,8:*,5,*").normalized().toByteArray()
               == QByteArray("1:3,5,8:*"));
    BOOST_TEST(SequenceSet::parse("1:3,4:*").normalized().toByteArray() == QByteArray("1:*"));
    BOOST_TEST(SequenceSet::parse("7,*").normalized().toByteArray() == QByteArray("7,*"));
    BOOST_TEST(SequenceSet::parse("1:2") == SequenceSet::range(1, 2));
    BOOST_TEST(SequenceSet::parse("1:2") != SequenceSet::range(2, 1));
}

BOOST_AUTO_TEST_CASE(modified_utf7_decodes_rfc_examples)
{
    bool ok = false;
    BOOST_TEST(MailboxName::decodeUtf7("&ZeVnLIqe-", &ok) == QString::fromUtf8("日本語"));
    BOOST_TEST(ok);
    // RFC 3501 §5.1.3: "~peter/mail/&U,BTFw-/&ZeVnLIqe-" is 台北/日本語.
    BOOST_TEST(MailboxName::decodeUtf7("~peter/mail/&U,BTFw-/&ZeVnLIqe-")
               == QString::fromUtf8("~peter/mail/台北/日本語"));
    BOOST_TEST(MailboxName::decodeUtf7("Entw&APw-rfe") == QString::fromUtf8("Entwürfe"));
    BOOST_TEST(MailboxName::decodeUtf7("&-") == QStringLiteral("&"));
    BOOST_TEST(MailboxName::decodeUtf7("a&-b&-") == QStringLiteral("a&b&"));
    BOOST_TEST(MailboxName::decodeUtf7("&2D3eAA-") == QString::fromUtf8("😀"));
    BOOST_TEST(MailboxName::decodeUtf7("") == QString());
}

BOOST_AUTO_TEST_CASE(modified_utf7_rejects_invalid_input)
{
    const char *invalid[] = {
        "&ZeVnLIqe",   // no terminating '-'
        "&Ze/nLIqe-",  // '/' is not modified base64
        "&ZeVnLIq-",   // leftover bits that are not zero / odd length
        "&AGE-",       // encodes printable ASCII "a"
        "&2D0-",       // lone high surrogate
        "&3gA-",       // lone low surrogate
        "caf\xc3\xa9", // 8-bit byte
        "tab\there",   // control character
        "&A-",         // too short to hold one UTF-16 unit
    };
    for (const char *text : invalid) {
        BOOST_TEST_CONTEXT(text)
        {
            bool ok = true;
            BOOST_TEST(MailboxName::decodeUtf7(text, &ok).isNull());
            BOOST_TEST(!ok);
        }
    }
    // decode() falls back to the bytes as UTF-8.
    BOOST_TEST(MailboxName::decode("caf\xc3\xa9") == QString::fromUtf8("café"));
    BOOST_TEST(MailboxName::decode("R&D") == QStringLiteral("R&D"));
    BOOST_TEST(MailboxName::decode("iNbOx") == QStringLiteral("INBOX"));
    BOOST_TEST(MailboxName::decode("&ZeVnLIqe-", true) == QStringLiteral("&ZeVnLIqe-"));
}

BOOST_AUTO_TEST_CASE(modified_utf7_encodes_and_round_trips)
{
    BOOST_TEST(MailboxName::encodeUtf7(QString::fromUtf8("日本語")) == QByteArray("&ZeVnLIqe-"));
    BOOST_TEST(MailboxName::encodeUtf7(QString::fromUtf8("~peter/mail/台北/日本語"))
               == QByteArray("~peter/mail/&U,BTFw-/&ZeVnLIqe-"));
    BOOST_TEST(MailboxName::encodeUtf7(QStringLiteral("Tom & Jerry"))
               == QByteArray("Tom &- Jerry"));
    const QString samples[] = {QString::fromUtf8("Entwürfe"),
                               QString::fromUtf8("Почта/Входящие"),
                               QString::fromUtf8("😀 fun & games 😀"),
                               QStringLiteral("plain"),
                               QString::fromUtf8("ñ"),
                               QString::fromUtf8("a\xc2\x80"
                                                 "b"),
                               QString::fromUtf8("日本語日本語日本語日本語")};
    for (const QString &name : samples) {
        BOOST_TEST_CONTEXT(name.toStdString())
        {
            const QByteArray encoded = MailboxName::encodeUtf7(name);
            for (const char c : encoded)
                BOOST_TEST((c >= 0x20 && c <= 0x7e));
            bool ok = false;
            BOOST_TEST(MailboxName::decodeUtf7(encoded, &ok) == name);
            BOOST_TEST(ok);
        }
    }
}

BOOST_AUTO_TEST_CASE(rfc2047_decoding)
{
    // Through the public API: an address's display name is a decoded header value.
    const auto decodeRfc2047 = [](const QByteArray &value) {
        return Address{value, QByteArray(), QByteArray("x"), QByteArray("y")}.displayName();
    };
    BOOST_TEST(decodeRfc2047("plain text") == QStringLiteral("plain text"));
    BOOST_TEST(decodeRfc2047("=?UTF-8?B?w5xiZXJwcsO8ZnVuZw==?=")
               == QString::fromUtf8("Überprüfung"));
    BOOST_TEST(decodeRfc2047("=?iso-8859-1?q?caf=E9?=") == QString::fromUtf8("café"));
    // RFC 2047 §8 examples.
    BOOST_TEST(decodeRfc2047("(=?ISO-8859-1?Q?a?= b)") == QStringLiteral("(a b)"));
    BOOST_TEST(decodeRfc2047("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)") == QStringLiteral("(ab)"));
    BOOST_TEST(decodeRfc2047("(=?ISO-8859-1?Q?a?=  \t =?ISO-8859-1?Q?b?=)")
               == QStringLiteral("(ab)"));
    BOOST_TEST(decodeRfc2047("(=?ISO-8859-1?Q?a_b?=)") == QStringLiteral("(a b)"));
    BOOST_TEST(decodeRfc2047("Re: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from Bob")
               == QString::fromUtf8("Re: Grüße from Bob"));
    BOOST_TEST(decodeRfc2047("=?UTF-8*en?Q?hi?=") == QStringLiteral("hi"));
    // Not encoded-words: left as they are.
    BOOST_TEST(decodeRfc2047("=?unknown-charset?Q?x?=")
               == QStringLiteral("=?unknown-charset?Q?x?="));
    BOOST_TEST(decodeRfc2047("=?UTF-8?X?abc?=") == QStringLiteral("=?UTF-8?X?abc?="));
    BOOST_TEST(decodeRfc2047("=?UTF-8?Q?bad=Z?=") == QStringLiteral("=?UTF-8?Q?bad=Z?="));
    BOOST_TEST(decodeRfc2047("=?UTF-8?Q?a b?=") == QStringLiteral("=?UTF-8?Q?a b?="));
    BOOST_TEST(decodeRfc2047("price =? 5") == QStringLiteral("price =? 5"));
    BOOST_TEST(decodeRfc2047("=?") == QStringLiteral("=?"));
    BOOST_TEST(decodeRfc2047("a =?UTF-8?Q?x?") == QStringLiteral("a =?UTF-8?Q?x?"));
}

BOOST_AUTO_TEST_CASE(address_helpers)
{
    Address a{QByteArray("=?UTF-8?Q?Ren=C3=A9e?="), QByteArray(), QByteArray("renee"),
              QByteArray("example.fr")};
    BOOST_TEST(a.displayName() == QString::fromUtf8("Renée"));
    BOOST_TEST(a.toString() == QString::fromUtf8("Renée <renee@example.fr>"));
    BOOST_TEST(!a.isGroupStart());
    Address bare{QByteArray(), QByteArray(), QByteArray("x"), QByteArray("y.org")};
    BOOST_TEST(bare.toString() == QStringLiteral("x@y.org"));
    Address nil;
    Address empty{QByteArray(""), QByteArray(), QByteArray(), QByteArray()};
    BOOST_TEST(!(nil == empty)); // NIL and "" differ
    BOOST_TEST(nil.isGroupEnd());
}

BOOST_AUTO_TEST_CASE(response_code_accessors_match_their_kind)
{
    ResponseCode uidNext("UIDNEXT", "4392");
    uidNext.setNumber(4392);
    BOOST_TEST(int(uidNext.kind()) == int(ResponseCode::Kind::UidNext));
    BOOST_TEST(*uidNext.uidNext() == 4392u);
    BOOST_TEST(!uidNext.uidValidity());
    BOOST_TEST(!uidNext.unseen());
    BOOST_TEST(!uidNext.highestModSeq());
    BOOST_TEST(uidNext.capabilities().isEmpty());

    ResponseCode copy("COPYUID", "1 2:3 7:8");
    copy.setNumber(1);
    copy.setSets(SequenceSet::parse("2:3"), SequenceSet::parse("7:8"));
    BOOST_TEST(copy.copyUid()->destinationUids == SequenceSet::parse("7:8"));
    BOOST_TEST(!copy.appendUid());
    copy.demoteToOther();
    BOOST_TEST(!copy.copyUid());
    BOOST_TEST(copy.name() == QByteArray("COPYUID"));

    BOOST_TEST(int(ResponseCode::kindForName("READ-ONLY")) == int(ResponseCode::Kind::ReadOnly));
    BOOST_TEST(int(ResponseCode::kindForName("X-SOMETHING")) == int(ResponseCode::Kind::Other));
    BOOST_TEST(ResponseCode().isNull());
}

BOOST_AUTO_TEST_SUITE_END()
