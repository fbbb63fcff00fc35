// SPDX-License-Identifier: LGPL-3.0-or-later
// Transcripts: the redaction table (every secret-bearing client line of IMAP, SMTP and
// POP3, in every form, and non-secret lines left byte-identical) and the sinks.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <ostream>

#include <unistd.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QTemporaryFile>

#include <mailwire/transcript.h>

#include "imap_logging_p.h"
#include "logging_p.h"

std::ostream &boost_test_print_type(std::ostream &out, const QByteArray &bytes)
{
    out << '"';
    for (const char c : bytes) {
        if (c >= 0x20 && c < 0x7f)
            out << c;
        else
            out << "\\x"
                << "0123456789abcdef"[(c >> 4) & 0xf] << "0123456789abcdef"[c & 0xf];
    }
    return out << '"';
}

namespace {

using mailwire::redactClientLine;
using mailwire::RedactionHint;
using Direction = mailwire::TranscriptSink::Direction;

struct Row
{
    RedactionHint hint;
    QByteArray line;
    QByteArray expected;
};

const char *hintName(RedactionHint hint)
{
    switch (hint) {
    case RedactionHint::None: return "None";
    case RedactionHint::ImapCommand: return "ImapCommand";
    case RedactionHint::SmtpCommand: return "SmtpCommand";
    case RedactionHint::Pop3Command: return "Pop3Command";
    case RedactionHint::SaslResponse: return "SaslResponse";
    case RedactionHint::Secret: return "Secret";
    }
    return "?";
}

void checkRows(const QList<Row> &rows)
{
    for (const Row &row : rows) {
        BOOST_TEST_CONTEXT(hintName(row.hint) << " " << row.line.toStdString())
        {
            BOOST_TEST(redactClientLine(row.line, row.hint) == row.expected);
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(common_transcript)

BOOST_AUTO_TEST_CASE(imap_login_password_is_redacted_in_every_form)
{
    const auto I = RedactionHint::ImapCommand;
    checkRows({
        {I, "a1 LOGIN fred secret", "a1 LOGIN fred <redacted>"},
        {I, "a1 login fred secret", "a1 login fred <redacted>"},                   // any case
        {I, "a1 LOGIN \"fred\" \"s3 cr\\\"et\"", "a1 LOGIN \"fred\" <redacted>"},  // quoted
        {I, "a1 LOGIN \"fr \\\"ed\" secret", "a1 LOGIN \"fr \\\"ed\" <redacted>"}, // escaped quote
        {I, "a1 LOGIN fred {6}", "a1 LOGIN fred <redacted>"},            // password literal
        {I, "a1 LOGIN fred {6+}\r\nsecret", "a1 LOGIN fred <redacted>"}, // LITERAL+
        {I, "a1 LOGIN {4}\r\nfred {6}\r\nsecret", "a1 LOGIN {4}\r\nfred <redacted>"},
        {I, "a1 LOGIN {4}\r\nfred \"secret\"", "a1 LOGIN {4}\r\nfred <redacted>"},
        {I, "a1 LOGIN {5}\r\nf red secret", "a1 LOGIN {5}\r\nf red <redacted>"}, // SP in user
        // The first segment of a per-segment transcript carries no secret yet.
        {I, "a1 LOGIN {4}", "a1 LOGIN {4}"},
        {I, "a1 LOGIN fred", "a1 LOGIN fred"},
        // Unparseable: every argument goes (fail closed).
        {I, "a1 LOGIN \"fred secret", "a1 LOGIN <redacted>"},
        {I, "a1 LOGIN {x}\r\nfred secret", "a1 LOGIN <redacted>"},
        {I, "a1 LOGIN \"fred\"secret", "a1 LOGIN <redacted>"},
        {RedactionHint::Secret, "secret", "<redacted>"}, // a password literal's segment
    });
}

BOOST_AUTO_TEST_CASE(sasl_initial_responses_are_redacted)
{
    checkRows({
        {RedactionHint::ImapCommand, "a2 AUTHENTICATE PLAIN AGZyZWQAc2VjcmV0",
         "a2 AUTHENTICATE PLAIN <redacted>"},
        {RedactionHint::ImapCommand, "a2 authenticate XOAUTH2 dXNlcj1m",
         "a2 authenticate XOAUTH2 <redacted>"},
        {RedactionHint::ImapCommand, "a2 AUTHENTICATE PLAIN =", "a2 AUTHENTICATE PLAIN ="},
        {RedactionHint::ImapCommand, "a2 AUTHENTICATE PLAIN", "a2 AUTHENTICATE PLAIN"},
        {RedactionHint::SmtpCommand, "AUTH PLAIN AGZyZWQAc2VjcmV0", "AUTH PLAIN <redacted>"},
        {RedactionHint::SmtpCommand, "auth login ZnJlZA==", "auth login <redacted>"},
        {RedactionHint::SmtpCommand, "AUTH LOGIN", "AUTH LOGIN"},
        {RedactionHint::SmtpCommand, "AUTH PLAIN =", "AUTH PLAIN ="},
        {RedactionHint::Pop3Command, "AUTH PLAIN AGZyZWQAc2VjcmV0", "AUTH PLAIN <redacted>"},
        {RedactionHint::Pop3Command, "AUTH", "AUTH"},
    });
}

BOOST_AUTO_TEST_CASE(sasl_continuation_lines_are_redacted)
{
    const auto S = RedactionHint::SaslResponse;
    checkRows({
        {S, "ZnJlZA==", "<redacted>"},
        {S, "Yz1iaXdzLHI9cm9wck5HZndFYmVSV2diTkVrcU8=", "<redacted>"},
        {S, "", ""},   // empty response (e.g. after SCRAM's server-final): nothing to hide
        {S, "*", "*"}, // cancel
    });
}

BOOST_AUTO_TEST_CASE(pop3_pass_and_apop_are_redacted)
{
    const auto P = RedactionHint::Pop3Command;
    checkRows({
        {P, "PASS secret", "PASS <redacted>"},
        {P, "pass two words", "pass <redacted>"}, // RFC 1939: the rest of the line
        {P, "APOP mrose c4c9334bac560ecc979e58001b3e22fb", "APOP mrose <redacted>"},
        {P, "APOP c4c9334bac560ecc979e58001b3e22fb", "APOP <redacted>"}, // malformed
        {P, "PASS", "PASS"},
    });
}

BOOST_AUTO_TEST_CASE(non_secret_lines_are_untouched)
{
    const QList<QByteArray> imap{
        "a1 CAPABILITY",
        "a2 STARTTLS",
        "a3 SELECT INBOX",
        "a4 LIST \"\" \"*\"",
        "a5 FETCH 1:* (FLAGS ENVELOPE)",
        "a6 LOGOUT",
        "DONE",
        "a7 UID FETCH 1 BODY.PEEK[]",
        "a8 ID (\"name\" \"mailwire\")",
        "a9 SELECT LOGIN",
        "LOGIN",
    };
    const QList<QByteArray> smtp{
        "EHLO client.example.org", "STARTTLS", "MAIL FROM:<a@example.org> SIZE=100",
        "RCPT TO:<b@example.org>", "DATA",     "QUIT",
        "BDAT 100 LAST",           "AUTHOR x",
    };
    const QList<QByteArray> pop3{"CAPA",     "STLS", "USER fred", "STAT",      "RETR 1",
                                 "TOP 1 10", "UIDL", "QUIT",      "PASSWORD x"};
    for (const QByteArray &line : imap)
        BOOST_TEST(redactClientLine(line, RedactionHint::ImapCommand) == line);
    for (const QByteArray &line : smtp)
        BOOST_TEST(redactClientLine(line, RedactionHint::SmtpCommand) == line);
    for (const QByteArray &line : pop3)
        BOOST_TEST(redactClientLine(line, RedactionHint::Pop3Command) == line);
    // The hint decides: POP3's PASS means nothing to IMAP or SMTP, and None touches nothing.
    BOOST_TEST(redactClientLine("PASS secret", RedactionHint::SmtpCommand)
               == QByteArray("PASS secret"));
    BOOST_TEST(redactClientLine("a1 LOGIN fred secret", RedactionHint::None)
               == QByteArray("a1 LOGIN fred secret"));
}

BOOST_AUTO_TEST_CASE(string_transcript_collects_lines_and_markers)
{
    mailwire::StringTranscript transcript;
    mailwire::TranscriptSink &sink = transcript;
    sink.line(Direction::Server, "* OK ready");
    sink.line(Direction::Client,
              redactClientLine("a1 LOGIN fred secret", RedactionHint::ImapCommand));
    sink.marker(QStringLiteral("TLS handshake"));
    sink.line(Direction::Server, "a1 OK");
    const QList<QByteArray> expected{"S: * OK ready", "C: a1 LOGIN fred <redacted>",
                                     "[TLS handshake]", "S: a1 OK"};
    BOOST_TEST(transcript.lines() == expected, boost::test_tools::per_element());
    BOOST_TEST(
        transcript.text()
        == QByteArray("S: * OK ready\nC: a1 LOGIN fred <redacted>\n[TLS handshake]\nS: a1 OK\n"));
    BOOST_TEST(!transcript.text().contains("secret"));
    transcript.clear();
    BOOST_TEST(transcript.lines().isEmpty());
}

BOOST_AUTO_TEST_CASE(stderr_transcript_escapes_control_bytes)
{
    // Capture fd 2 in a temporary file for the duration of the writes.
    QTemporaryFile capture;
    BOOST_REQUIRE(capture.open());
    std::fflush(stderr);
    const int savedStderr = ::dup(2);
    BOOST_REQUIRE(savedStderr >= 0);
    BOOST_REQUIRE(::dup2(capture.handle(), 2) >= 0);
    {
        mailwire::StderrTranscript sink(QStringLiteral("imap"));
        // A hostile server tries to recolour the terminal and hide text with CR and NUL.
        sink.line(Direction::Server,
                  QByteArray("* OK \x1b[31mred\x1b[0m\r\x00"
                             "end\tx\x7f",
                             25));
        sink.line(Direction::Client, "a1 CAPABILITY");
        sink.marker(QStringLiteral("TLS handshake"));
    }
    std::fflush(stderr);
    ::dup2(savedStderr, 2);
    ::close(savedStderr);

    capture.seek(0);
    const QByteArray written = capture.readAll();
    BOOST_TEST(written
               == QByteArray("imap S: * OK \\x1b[31mred\\x1b[0m\\r\\x00end\tx\\x7f\n"
                             "imap C: a1 CAPABILITY\n"
                             "imap [TLS handshake]\n"));
    BOOST_TEST(!written.contains('\x1b'));
}

BOOST_AUTO_TEST_CASE(logging_categories_are_named_per_layer)
{
    BOOST_TEST(QByteArray(mailwire::detail::lcImap().categoryName())
               == QByteArray("mailwire.imap"));
    BOOST_TEST(QByteArray(mailwire::detail::lcSession().categoryName())
               == QByteArray("mailwire.session"));
    // Info by default (debug on request through QT_LOGGING_RULES), like mailwire.tls.
    BOOST_TEST(mailwire::detail::lcImap().isInfoEnabled());
}

BOOST_AUTO_TEST_SUITE_END()
