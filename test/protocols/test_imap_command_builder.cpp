// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapCommandBuilder: how arguments are framed into pieces (quoted strings, synchronising
// literals, LITERAL+) and what each piece shows in a transcript. Redaction follows the
// argument: a secret is hidden in whichever piece it travels (DESIGN.md §2, rule 9).
#include <boost/test/unit_test.hpp>

#include "imap_command_p.h"

using mailwire::detail::ImapCommandBuilder;
using mailwire::detail::ImapCommandPiece;

namespace {

QList<QByteArray> wire(const QList<ImapCommandPiece> &pieces)
{
    QList<QByteArray> out;
    for (const ImapCommandPiece &piece : pieces)
        out << piece.bytes;
    return out;
}

QList<QByteArray> shown(const QList<ImapCommandPiece> &pieces)
{
    QList<QByteArray> out;
    for (int i = 0; i < pieces.size(); ++i)
        out << pieces.at(i).transcriptText(i == 0 ? QByteArray("A001 ") : QByteArray());
    return out;
}

QList<ImapCommandPiece> login(const QString &user, const QString &password, bool literalPlus)
{
    ImapCommandBuilder builder("LOGIN", literalPlus);
    builder.string(user).string(password, true);
    BOOST_TEST_REQUIRE(!builder.error().isError());
    return builder.pieces();
}

const QString Jorg = QString::fromUtf8("j\xc3\xb6rg");
const QString Umlauts = QString::fromUtf8("p\xc3\xa4ss");

} // namespace

BOOST_AUTO_TEST_SUITE(imap_command_builder)

BOOST_AUTO_TEST_CASE(a_quoted_password_after_a_literal_is_hidden_in_the_literals_piece)
{
    const auto pieces = login(Jorg, QStringLiteral("s3cret"), false);
    BOOST_TEST(wire(pieces) == (QList<QByteArray>{"LOGIN {5}", "j\xc3\xb6rg \"s3cret\""}));
    BOOST_TEST(pieces.at(0).waitsForContinuation);
    BOOST_TEST(shown(pieces) == (QList<QByteArray>{"A001 LOGIN {5}", "j\xc3\xb6rg <redacted>"}));
}

BOOST_AUTO_TEST_CASE(every_quoting_of_user_and_password_hides_exactly_the_password)
{
    struct Row
    {
        QString user;
        QString password;
        bool literalPlus;
        QList<QByteArray> wire;
        QList<QByteArray> shown;
    };
    const QList<Row> rows = {
        {QStringLiteral("alice"),
         QStringLiteral("s3cret"),
         false,
         {"LOGIN \"alice\" \"s3cret\""},
         {"A001 LOGIN \"alice\" <redacted>"}},
        {QStringLiteral("a \"b\""),
         QStringLiteral("p \\w"),
         false,
         {"LOGIN \"a \\\"b\\\"\" \"p \\\\w\""},
         {"A001 LOGIN \"a \\\"b\\\"\" <redacted>"}},
        {QStringLiteral("alice"),
         Umlauts,
         false,
         {"LOGIN \"alice\" {5}", "p\xc3\xa4ss"},
         {"A001 LOGIN \"alice\" <redacted>", "<redacted>"}},
        {Jorg,
         Umlauts,
         false,
         {"LOGIN {5}", "j\xc3\xb6rg {5}", "p\xc3\xa4ss"},
         {"A001 LOGIN {5}", "j\xc3\xb6rg <redacted>", "<redacted>"}},
        {QStringLiteral("alice"),
         Umlauts,
         true,
         {"LOGIN \"alice\" {5+}\r\n", "p\xc3\xa4ss"},
         {"A001 LOGIN \"alice\" <redacted>", "<redacted>"}}, // the LOGIN rule hides the CRLF too
        {Jorg,
         QStringLiteral("s3cret"),
         true,
         {"LOGIN {5+}\r\n", "j\xc3\xb6rg \"s3cret\""},
         {"A001 LOGIN {5+}\r\n", "j\xc3\xb6rg <redacted>"}},
        {Jorg,
         Umlauts,
         true,
         {"LOGIN {5+}\r\n", "j\xc3\xb6rg {5+}\r\n", "p\xc3\xa4ss"},
         {"A001 LOGIN {5+}\r\n", "j\xc3\xb6rg <redacted>\r\n", "<redacted>"}},
    };
    for (const Row &row : rows) {
        BOOST_TEST_CONTEXT(row.user.toStdString() << " / " << row.password.toStdString()
                                                  << (row.literalPlus ? " LITERAL+" : ""))
        {
            const auto pieces = login(row.user, row.password, row.literalPlus);
            BOOST_TEST(wire(pieces) == row.wire);
            BOOST_TEST(shown(pieces) == row.shown);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_secret_raw_token_is_hidden_and_other_tokens_are_not)
{
    ImapCommandBuilder builder("AUTHENTICATE", false);
    builder.raw("PLAIN").raw("AGFsaWNlAHMzY3JldA==", true);
    const auto pieces = builder.pieces();
    BOOST_TEST(wire(pieces) == QList<QByteArray>{"AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA=="});
    BOOST_TEST(shown(pieces) == QList<QByteArray>{"A001 AUTHENTICATE PLAIN <redacted>"});

    ImapCommandBuilder empty("AUTHENTICATE", false);
    empty.raw("EXTERNAL").raw("=");
    BOOST_TEST(shown(empty.pieces()) == QList<QByteArray>{"A001 AUTHENTICATE EXTERNAL ="});
}

BOOST_AUTO_TEST_CASE(non_secret_literals_and_mailboxes_stay_readable)
{
    ImapCommandBuilder builder("APPEND", false);
    builder.mailbox(QString::fromUtf8("Entw\xc3\xbcrfe"), true).literal("Subject: x\r\n\r\nhi\r\n");
    const auto pieces = builder.pieces();
    const QList<QByteArray> sent{"APPEND {9}", "Entw\xc3\xbcrfe {18}", "Subject: x\r\n\r\nhi\r\n"};
    BOOST_TEST(wire(pieces) == sent);
    BOOST_TEST(shown(pieces) == (QList<QByteArray>{"A001 " + sent.at(0), sent.at(1), sent.at(2)}));
}

BOOST_AUTO_TEST_CASE(a_raw_login_given_as_command_text_is_still_recognised)
{
    // ImapSession::command("LOGIN alice s3cret"): the whole text is the name, the first
    // piece's ImapCommand hint still hides the password.
    ImapCommandBuilder builder("LOGIN alice s3cret", false);
    BOOST_TEST(shown(builder.pieces()) == QList<QByteArray>{"A001 LOGIN alice <redacted>"});
}

BOOST_AUTO_TEST_SUITE_END()
