// SPDX-License-Identifier: LGPL-3.0-or-later
// The IMAP parser's framing: split-anywhere feeding, literals, residue, limits, malformed
// input with positions, recover(), and streaming a 50 MB literal in bounded memory.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <random>
#include <vector>

#include <QtCore/QBuffer>
#include <QtCore/QDebug>

#include "imap_parser_p.h"

using mailwire::FetchSection;
using mailwire::ImapResponse;
using mailwire::ImapStatus;
using mailwire::Limits;
using mailwire::detail::ImapParseError;
using mailwire::detail::ImapParser;
using mailwire::detail::LiteralChunkHandler;
using mailwire::detail::LiteralContext;

namespace {

struct Outcome
{
    std::vector<ImapResponse> responses;
    bool malformed = false;
    ImapParseError error;
    qint64 residue = 0;
};

// Feeds input in pieces cut at the given ascending offsets, draining next() after each.
Outcome run(const QByteArray &input, const std::vector<qsizetype> &cuts,
            const Limits &limits = Limits())
{
    ImapParser parser(limits);
    Outcome out;
    qsizetype previous = 0;
    std::vector<qsizetype> ends = cuts;
    ends.push_back(input.size());
    for (const qsizetype end : ends) {
        parser.feed(input.constData() + previous, end - previous);
        previous = end;
        for (;;) {
            ImapResponse response;
            const ImapParser::Result result = parser.next(&response);
            if (result == ImapParser::Result::Parsed) {
                out.responses.push_back(response);
                continue;
            }
            if (result == ImapParser::Result::Malformed) {
                out.malformed = true;
                out.error = parser.error();
                out.residue = parser.residue();
                return out;
            }
            break;
        }
    }
    out.residue = parser.residue();
    return out;
}

QString describe(const Outcome &o)
{
    QString text;
    QDebug debug(&text);
    for (const ImapResponse &r : o.responses)
        debug << r << '\n';
    if (o.malformed)
        debug << "Malformed" << int(o.error.kind) << o.error.message << "at" << o.error.position;
    return text;
}

bool sameOutcome(const Outcome &a, const Outcome &b)
{
    return a.responses == b.responses && a.malformed == b.malformed && a.error.kind == b.error.kind
        && a.error.position == b.error.position
        && a.error.message == b.error.message
        // After Malformed the run stops feeding, so how much was fed depends on the split.
        && (a.malformed || a.residue == b.residue);
}

// Whole, split once at every byte boundary, and byte by byte: all must agree.
Outcome runAllWays(const QByteArray &input, const Limits &limits = Limits())
{
    const Outcome whole = run(input, {}, limits);
    for (qsizetype k = 1; k < input.size(); ++k) {
        const Outcome split = run(input, {k}, limits);
        if (!sameOutcome(whole, split)) {
            BOOST_ERROR("split at " << k << " differs:\n"
                                    << describe(split).toStdString() << "\nwhole:\n"
                                    << describe(whole).toStdString());
            return whole;
        }
    }
    std::vector<qsizetype> bytes;
    for (qsizetype k = 1; k < input.size(); ++k)
        bytes.push_back(k);
    const Outcome byByte = run(input, bytes, limits);
    if (!sameOutcome(whole, byByte)) {
        BOOST_ERROR("byte-by-byte differs:\n"
                    << describe(byByte).toStdString() << "\nwhole:\n"
                    << describe(whole).toStdString());
    }
    return whole;
}

// "abc…z" repeated: the bytes of a test literal, computed once.
const QByteArray &alphabetRun()
{
    static const QByteArray run = [] {
        QByteArray r;
        r.reserve(2 * 1024 * 1024 + 26);
        while (r.size() < 2 * 1024 * 1024 + 26)
            r += "abcdefghijklmnopqrstuvwxyz";
        return r;
    }();
    return run;
}

// The bytes at [offset, offset + size) of an endless "abc…z" stream (size <= 2 MiB).
QByteArray pattern(qint64 offset, qsizetype size)
{
    return alphabetRun().mid(int(offset % 26), int(size));
}

bool matchesPattern(qint64 offset, const char *data, qsizetype size)
{
    return std::memcmp(alphabetRun().constData() + offset % 26, data, size_t(size)) == 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(imap_parser)

BOOST_AUTO_TEST_CASE(frames_responses_split_anywhere)
{
    const QByteArray input = "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n"
                             "* 1 FETCH (UID 7 BODY[] {12}\r\nhello\r\nworld)\r\n"
                             "* 2 FETCH (BODY[TEXT] {0}\r\n FLAGS (\\Seen))\r\n"
                             "A1 OK done\r\n";
    const Outcome o = runAllWays(input);
    BOOST_TEST_REQUIRE(!o.malformed, describe(o).toStdString());
    BOOST_TEST_REQUIRE(o.responses.size() == 4u);
    BOOST_TEST(o.responses[1].fetch.sections.at(0).data == QByteArray("hello\r\nworld"));
    BOOST_TEST(o.responses[2].fetch.sections.at(0).data.isEmpty());
    BOOST_TEST(!o.responses[2].fetch.sections.at(0).data.isNull());
    BOOST_TEST(o.responses[2].fetch.hasFlag("\\seen"));
    BOOST_TEST(o.residue == 0);
}

BOOST_AUTO_TEST_CASE(literal_header_split_between_digits_and_crlf)
{
    // {1234} split inside the digits and between CR and LF: the framing must not decide
    // early that "{12" ended a line or that "}\r" was a complete header.
    const QByteArray body = pattern(0, 1234);
    const QByteArray input = "* 3 FETCH (BODY[1] {1234}\r\n" + body + " UID 9)\r\n";
    for (const std::vector<qsizetype> &cuts :
         {std::vector<qsizetype>{20}, {21, 23}, {24}, {25}, {26}, {20, 22, 24, 26, 27}}) {
        const Outcome o = run(input, cuts);
        BOOST_TEST_REQUIRE(o.responses.size() == 1u);
        BOOST_TEST(o.responses[0].fetch.sections.at(0).data == body);
        BOOST_TEST(*o.responses[0].fetch.uid == 9u);
    }
}

BOOST_AUTO_TEST_CASE(literal8_keeps_nul_bytes)
{
    const QByteArray binary("\x00\x01\x02\r\n\xff", 6);
    const QByteArray input = "* 4 FETCH (BINARY[2] ~{6}\r\n" + binary + ")\r\n";
    const Outcome o = runAllWays(input);
    BOOST_TEST_REQUIRE(o.responses.size() == 1u);
    const FetchSection &s = o.responses[0].fetch.sections.at(0);
    BOOST_TEST(int(s.kind) == int(FetchSection::Kind::Binary));
    BOOST_TEST(s.section == QByteArray("2"));
    BOOST_TEST(s.data == binary);
}

BOOST_AUTO_TEST_CASE(residue_counts_bytes_after_the_last_response)
{
    // STARTTLS: the tagged OK and an injected line arrive in one segment.
    ImapParser parser;
    parser.feed(
        QByteArray("A2 OK Begin TLS negotiation now\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"));
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(r.tag == QByteArray("A2"));
    BOOST_TEST(parser.residue() == qint64(qstrlen("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n")));

    ImapParser clean;
    clean.feed(QByteArray("A2 OK Begin TLS negotiation now\r\n"));
    BOOST_TEST_REQUIRE(int(clean.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(clean.residue() == 0);
    BOOST_TEST(int(clean.next(&r)) == int(ImapParser::Result::NeedMore));
    clean.feed("*", 1); // even one byte counts
    BOOST_TEST(clean.residue() == 1);
    BOOST_TEST(int(clean.next(&r)) == int(ImapParser::Result::NeedMore));
    BOOST_TEST(clean.residue() == 1);
}

BOOST_AUTO_TEST_CASE(recover_skips_to_the_next_response)
{
    ImapParser parser;
    parser.feed(QByteArray("* 1 FETCH (UID)\r\n* 2 EXISTS\r\nbad\x01tag OK x\r\n* 3 EXISTS\r\n"));
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Malformed));
    BOOST_TEST(int(parser.error().kind) == int(ImapParseError::Kind::Syntax));
    BOOST_TEST(parser.error().position == 14); // the ')' where a number was expected
    BOOST_TEST(int(parser.next(&r)) == int(ImapParser::Result::Malformed)); // sticky
    parser.recover();
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(int(r.type) == int(ImapResponse::Type::Exists));
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Malformed));
    parser.recover();
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(r.number == 3u);
    BOOST_TEST(parser.residue() == 0);
}

BOOST_AUTO_TEST_CASE(recover_skips_an_oversized_literal_by_count)
{
    Limits limits;
    limits.maxLiteralSize = 100;
    ImapParser parser(limits);
    const QByteArray big = pattern(0, 500) + "\r\n* 99 EXISTS\r\n"; // looks like lines inside
    parser.feed("* 1 FETCH (BODY[] {515}\r\n" + big + " UID 5)\r\n* 2 EXISTS\r\n");
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Malformed));
    BOOST_TEST(parser.error().isLimit());
    BOOST_TEST(parser.error().position == 18); // the '{'
    BOOST_TEST(int(parser.error().toError().code()) == int(mailwire::Error::Code::LimitExceeded));
    parser.recover();
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(int(r.type) == int(ImapResponse::Type::Exists));
    BOOST_TEST(r.number == 2u); // not the "99 EXISTS" inside the literal
}

BOOST_AUTO_TEST_CASE(limits_are_enforced_the_same_however_split)
{
    Limits limits;
    limits.maxLineLength = 64;
    limits.maxLiteralSize = 32;
    const QByteArray longLine = "* OK " + QByteArray(100, 'x') + "\r\n";
    Outcome o = runAllWays(longLine, limits);
    BOOST_TEST(o.malformed);
    BOOST_TEST(o.error.isLimit());
    BOOST_TEST(o.error.position == 64);

    // Exactly at the limit is fine, with the CRLF split off or not.
    const QByteArray atLimit = "* OK " + QByteArray(59, 'x') + "\r\n";
    o = runAllWays(atLimit, limits);
    BOOST_TEST(!o.malformed);

    const QByteArray twoLiterals = "* 1 FETCH (BODY[1] {20}\r\n" + QByteArray(20, 'a')
        + " BODY[2] {20}\r\n" + QByteArray(20, 'b') + ")\r\n";
    o = runAllWays(twoLiterals, limits);
    BOOST_TEST(o.malformed);
    BOOST_TEST(o.error.isLimit()); // 40 literal bytes in one response > 32
    BOOST_TEST(o.error.position == 25 + 20 + 9);
}

BOOST_AUTO_TEST_CASE(nesting_depth_is_bounded)
{
    QByteArray deep = "* 1 FETCH (BODYSTRUCTURE ";
    for (int i = 0; i < 200; ++i)
        deep += '(';
    deep += "\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1";
    for (int i = 0; i < 200; ++i)
        deep += ')';
    deep += ")\r\n";
    const Outcome o = run(deep, {});
    BOOST_TEST(o.malformed);
    BOOST_TEST(o.error.message.contains(QLatin1String("nested")));
}

BOOST_AUTO_TEST_CASE(sink_failure_is_reported_and_recoverable)
{
    ImapParser parser;
    parser.setLiteralSink([](const LiteralContext &) -> LiteralChunkHandler {
        return [](const char *, qsizetype) { return false; };
    });
    parser.feed(QByteArray("* 1 FETCH (BODY[] {10}\r\n0123456789)\r\n* 5 RECENT\r\n"));
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Malformed));
    BOOST_TEST(int(parser.error().kind) == int(ImapParseError::Kind::SinkFailed));
    parser.recover();
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(int(r.type) == int(ImapResponse::Type::Recent));
}

BOOST_AUTO_TEST_CASE(device_sink_writes_the_literal)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    ImapParser parser;
    parser.setLiteralSink(ImapParser::deviceSink([&](const LiteralContext &c) -> QIODevice * {
        return c.section == "1" ? &buffer : nullptr;
    }));
    parser.feed(QByteArray("* 2 FETCH (BODY[1] {5}\r\nhello BODY[2] {3}\r\nabc)\r\n"));
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(buffer.data() == QByteArray("hello"));
    BOOST_TEST(r.fetch.sections.at(0).streamed);
    BOOST_TEST(r.fetch.sections.at(0).data.isNull());
    BOOST_TEST(r.fetch.sections.at(0).size == 5);
    BOOST_TEST(!r.fetch.sections.at(1).streamed);
    BOOST_TEST(r.fetch.sections.at(1).data == QByteArray("abc"));
}

BOOST_AUTO_TEST_CASE(literals_outside_fetch_bodies_are_never_streamed)
{
    int asked = 0;
    ImapParser parser;
    parser.setLiteralSink([&](const LiteralContext &) -> LiteralChunkHandler {
        ++asked;
        return [](const char *, qsizetype) { return true; };
    });
    parser.feed(
        QByteArray("* LIST () \"/\" {4}\r\nab]c\r\n"
                   "* 1 FETCH (ENVELOPE (NIL {2}\r\nx] NIL NIL NIL NIL NIL NIL NIL NIL))\r\n"
                   "* 2 FETCH (X-FOO (a] {2}\r\nxy) BODY[] {1}\r\nz)\r\n"));
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(r.mailbox.rawName == QByteArray("ab]c"));
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(r.fetch.envelope->subject == QByteArray("x]"));
    BOOST_TEST(asked == 0);
    // The second reply's BODY[] is a body literal after one that is not.
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(r.fetch.other.at(0).second == QByteArray("(a] {2}\r\nxy)"));
    BOOST_TEST(r.fetch.sections.at(0).streamed);
    BOOST_TEST(asked == 1);
}

BOOST_AUTO_TEST_CASE(sink_context_describes_each_body_item)
{
    std::vector<LiteralContext> contexts;
    ImapParser parser;
    parser.setLiteralSink([&](const LiteralContext &c) -> LiteralChunkHandler {
        contexts.push_back(c);
        return [](const char *, qsizetype) { return true; };
    });
    static const char raw[] = "* 9 FETCH (BINARY[1]<10> ~{4}\r\nab\0c RFC822.TEXT {3}\r\nxyz "
                              "UID 77 BODY[HEADER.FIELDS (FROM \"TO\")] {2}\r\nhi "
                              "rfc822.header {0}\r\n RFC822 {1+}\r\nz)\r\n";
    parser.feed(raw, qsizetype(sizeof(raw) - 1));
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST_REQUIRE(contexts.size() == 5u);
    BOOST_TEST(int(contexts[0].kind) == int(FetchSection::Kind::Binary));
    BOOST_TEST(contexts[0].section == QByteArray("1"));
    BOOST_TEST(contexts[0].origin == 10);
    BOOST_TEST(contexts[0].binary);
    BOOST_TEST(contexts[0].size == 4);
    BOOST_TEST(!contexts[0].uid);
    BOOST_TEST(int(contexts[1].kind) == int(FetchSection::Kind::Rfc822Text));
    BOOST_TEST(!contexts[1].binary);
    BOOST_TEST(int(contexts[2].kind) == int(FetchSection::Kind::Body));
    BOOST_TEST(contexts[2].section == QByteArray("HEADER.FIELDS (FROM \"TO\")"));
    BOOST_TEST(*contexts[2].uid == 77u); // UID came earlier in the same reply
    BOOST_TEST(int(contexts[3].kind) == int(FetchSection::Kind::Rfc822Header));
    BOOST_TEST(contexts[3].size == 0);
    BOOST_TEST(int(contexts[4].kind) == int(FetchSection::Kind::Rfc822));
    for (const LiteralContext &c : contexts)
        BOOST_TEST(c.sequenceNumber == 9u);
    BOOST_TEST(r.fetch.sections.size() == 5);
    for (const FetchSection &section : r.fetch.sections)
        BOOST_TEST(section.streamed);
}

BOOST_AUTO_TEST_CASE(streamed_literal_limit_and_reset)
{
    ImapParser parser;
    parser.setMaxStreamedLiteralSize(1000);
    parser.setLiteralSink([](const LiteralContext &) -> LiteralChunkHandler {
        return [](const char *, qsizetype) { return true; };
    });
    parser.feed(QByteArray("* 1 FETCH (BODY[] {1001}\r\n"));
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Malformed));
    BOOST_TEST(parser.error().isLimit());
    BOOST_TEST(parser.error().position == 18);
    BOOST_TEST(parser.residue() == 26);

    parser.reset();
    BOOST_TEST(parser.residue() == 0);
    BOOST_TEST(parser.bytesFed() == 0);
    parser.feed(QByteArray("* 1 FETCH (BODY[] {1000}\r\n") + QByteArray(1000, 'q') + ")\r\n");
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(r.fetch.sections.at(0).streamed); // the sink and the limit survive reset()
}

BOOST_AUTO_TEST_CASE(in_memory_literal_is_filled_straight_from_the_fed_bytes)
{
    // Once the header is framed, literal bytes skip the input buffer entirely.
    ImapParser parser;
    parser.feed(QByteArray("* 1 FETCH (BODY[] {200000}\r\n"));
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::NeedMore));
    const qsizetype before = parser.memoryFootprint();
    for (int i = 0; i < 200; ++i)
        parser.feed(pattern(i * 1000, 1000));
    // Only the literal itself grew: no copy of it waits in the input buffer.
    BOOST_TEST(parser.memoryFootprint() - before <= 200000 + 64);
    BOOST_TEST(parser.residue() == 28 + 200000);
    parser.feed(QByteArray(")\r\n"));
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST(r.fetch.sections.at(0).data == pattern(0, 200000));
    BOOST_TEST(parser.residue() == 0);
}

BOOST_AUTO_TEST_CASE(streams_a_50_mb_literal_in_bounded_memory)
{
    const qint64 total = qint64(50) * 1024 * 1024;
    for (const qsizetype chunkSize : {qsizetype(65536), qsizetype(65521), qsizetype(1000003)}) {
        BOOST_TEST_CONTEXT("chunk size " << chunkSize)
        {
            ImapParser parser;
            qint64 received = 0;
            int ends = 0;
            bool contentOk = true;
            LiteralContext seen;
            parser.setLiteralSink([&](const LiteralContext &c) -> LiteralChunkHandler {
                seen = c;
                return [&](const char *data, qsizetype size) {
                    if (!data) {
                        ++ends;
                        return true;
                    }
                    if (contentOk && !matchesPattern(received, data, size))
                        contentOk = false;
                    received += size;
                    return true;
                };
            });
            const QByteArray head =
                "* 7 FETCH (UID 42 BODY[] {" + QByteArray::number(total) + "}\r\n";
            const QByteArray tail = " FLAGS (\\Seen))\r\nA5 OK FETCH completed\r\n";
            // The stream: head + literal + tail, cut into chunkSize pieces regardless of
            // where the head and the tail end.
            const qint64 streamSize = head.size() + total + tail.size();
            std::vector<ImapResponse> responses;
            qsizetype maxFootprint = 0;
            for (qint64 offset = 0; offset < streamSize; offset += chunkSize) {
                const qint64 end = qMin(streamSize, offset + chunkSize);
                QByteArray chunk;
                for (qint64 p = offset; p < end;) {
                    if (p < head.size()) {
                        const qint64 n = qMin<qint64>(end, head.size()) - p;
                        chunk += head.mid(int(p), int(n));
                        p += n;
                    } else if (p < head.size() + total) {
                        const qint64 n = qMin<qint64>(end, head.size() + total) - p;
                        chunk += pattern(p - head.size(), qsizetype(n));
                        p += n;
                    } else {
                        const qint64 n = end - p;
                        chunk += tail.mid(int(p - head.size() - total), int(n));
                        p += n;
                    }
                }
                parser.feed(chunk);
                maxFootprint = qMax(maxFootprint, parser.memoryFootprint());
                ImapResponse r;
                ImapParser::Result result;
                while ((result = parser.next(&r)) == ImapParser::Result::Parsed)
                    responses.push_back(r);
                BOOST_TEST_REQUIRE(int(result) == int(ImapParser::Result::NeedMore));
                maxFootprint = qMax(maxFootprint, parser.memoryFootprint());
            }
            BOOST_TEST(maxFootprint <= 2 * chunkSize + 64 * 1024);
            BOOST_TEST(maxFootprint <= qsizetype(3) * 1024 * 1024);
            if (chunkSize <= 65536)
                BOOST_TEST(maxFootprint <= 1024 * 1024);
            BOOST_TEST(received == total);
            BOOST_TEST(ends == 1);
            BOOST_TEST(contentOk);
            BOOST_TEST(seen.sequenceNumber == 7u);
            BOOST_TEST(*seen.uid == 42u);
            BOOST_TEST(seen.size == total);
            BOOST_TEST(seen.section.isEmpty());
            BOOST_TEST_REQUIRE(responses.size() == 2u);
            const FetchSection &s = responses[0].fetch.sections.at(0);
            BOOST_TEST(s.streamed);
            BOOST_TEST(s.size == total);
            BOOST_TEST(s.data.isNull());
            BOOST_TEST(responses[0].fetch.hasFlag("\\Seen"));
            BOOST_TEST(responses[1].tag == QByteArray("A5"));
            BOOST_TEST(parser.residue() == 0);
        }
    }
}

namespace {

struct MalformedCase
{
    const char *name;
    QByteArray input;
    ImapParseError::Kind kind;
    qint64 position;
    bool smallLimits = false; // maxLineLength 64, maxLiteralSize 32
};

QByteArray bytes(const char *data, int size) { return QByteArray(data, size); }

const ImapParseError::Kind Syntax = ImapParseError::Kind::Syntax;
const ImapParseError::Kind Limit = ImapParseError::Kind::LimitExceeded;

const std::vector<MalformedCase> &malformedCases()
{
    static const std::vector<MalformedCase> cases = {
        {"tag starts with a space", " A1 OK x\r\n", Syntax, 0},
        {"tag with a parenthesis", "A(1 OK done\r\n", Syntax, 1},
        {"tag with an 8-bit byte",
         "A\xe9"
         "1 OK done\r\n",
         Syntax, 1},
        {"tag with a brace", "A{1} OK done\r\n", Syntax, 1},
        {"tag with a quote", "A\"1 OK done\r\n", Syntax, 1},
        {"tag alone", "A1\r\n", Syntax, 2},
        {"tag and space only", "A1 \r\n", Syntax, 3},
        {"unknown tagged status", "A1 OKAY done\r\n", Syntax, 3},
        {"tagged PREAUTH", "A1 PREAUTH welcome\r\n", Syntax, 3},
        {"tagged BYE", "A1 BYE\r\n", Syntax, 3},
        {"empty line", "\r\n", Syntax, 0},
        {"star alone", "*\r\n", Syntax, 1},
        {"star and space", "* \r\n", Syntax, 2},
        {"plus without space", "+x\r\n", Syntax, 1},
        {"unbalanced FETCH list", "* 1 FETCH (UID 5\r\n", Syntax, 16},
        {"extra closing parenthesis", "* 1 FETCH (UID 5))\r\n", Syntax, 17},
        {"unbalanced FLAGS", "* FLAGS (\\Seen\r\n", Syntax, 14},
        {"FETCH of message 0", "* 0 FETCH (UID 1)\r\n", Syntax, 2},
        {"EXPUNGE of message 0", "* 0 EXPUNGE\r\n", Syntax, 2},
        {"UID 0", "* 1 FETCH (UID 0)\r\n", Syntax, 15},
        {"UID beyond 32 bits", "* 1 FETCH (UID 4294967296)\r\n", Syntax, 15},
        {"sequence number beyond 32 bits", "* 99999999999 EXISTS\r\n", Syntax, 2},
        {"FETCH without list", "* 1 FETCH UID 1\r\n", Syntax, 10},
        {"FETCH item without value", "* 1 FETCH (UID)\r\n", Syntax, 14},
        {"literal size {abc}", "* 1 FETCH (BODY[] {abc}\r\n", Syntax, 19},
        {"literal size {-1}", "* 1 FETCH (BODY[] {-1}\r\n", Syntax, 19},
        {"literal size {}", "* 1 FETCH (BODY[] {}\r\n", Syntax, 19},
        {"literal size {99999999999}", "* 1 FETCH (BODY[] {99999999999}\r\n", Limit, 18},
        {"literal size of 20 digits", "* 1 FETCH (BODY[] {99999999999999999999}\r\n", Syntax, 18},
        {"literal8 where not allowed", "* 1 FETCH (BODY[] ~{3}\r\nabc)\r\n", Syntax, 18},
        {"missing CRLF after literal header", "* 1 FETCH (BODY[] {3}abc)\r\n", Syntax, 21},
        {"truncated literal then garbage", "* 1 FETCH (BODY[] {10}\r\nabc\r\n* 2 EXISTS\r\n",
         Syntax, 34},
        {"NUL in a line", bytes("* OK hel\0lo\r\n", 13), Syntax, 8},
        {"NUL after a literal", bytes("* 1 FETCH (BODY[] {1}\r\nx\0)\r\n", 28), Syntax, 24},
        {"NUL in a continuation", bytes("+ \0\r\n", 5), Syntax, 2},
        {"bare CR", "* OK a\rb\r\n", Syntax, 6},
        {"bare LF", "* OK hello\n", Syntax, 10},
        {"bare LF after a literal", "* 1 FETCH (BODY[] {1}\r\nx)\n", Syntax, 25},
        {"unterminated quoted string", "* 1 FETCH (ENVELOPE (\"abc))\r\n", Syntax, 21},
        {"envelope too short", "* 1 FETCH (ENVELOPE (NIL NIL))\r\n", Syntax, 28},
        {"address with three fields",
         "* 1 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"a\")) NIL NIL NIL NIL NIL NIL NIL))\r\n", Syntax,
         42},
        {"body structure not closed",
         "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 10 1)\r\n", Syntax, 65},
        {"body size not a number",
         "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" abc 1))\r\n", Syntax,
         60},
        {"multipart without subtype",
         "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)))\r\n", Syntax,
         65},
        {"unterminated response code", "* OK [ALERT hello\r\n", Syntax, 5},
        {"response code name then junk", "* OK [ALERT(\r\n", Syntax, 11},
        {"LIST without delimiter", "* LIST (\\Noselect)\r\n", Syntax, 18},
        {"LIST without flag list", "* LIST \\Noselect \"/\" foo\r\n", Syntax, 7},
        {"LIST with unquoted delimiter", "* LIST () / foo\r\n", Syntax, 10},
        {"STATUS value not a number", "* STATUS INBOX (MESSAGES x)\r\n", Syntax, 25},
        {"STATUS without list", "* STATUS INBOX MESSAGES 1\r\n", Syntax, 15},
        {"SEARCH with an atom", "* SEARCH 1 2 x\r\n", Syntax, 13},
        {"ESEARCH with a bad set", "* ESEARCH ALL 1::2\r\n", Syntax, 14},
        {"NAMESPACE with one class", "* NAMESPACE ((\"\" \"/\"))\r\n", Syntax, 22},
        {"ID with an odd list", "* ID (\"name\")\r\n", Syntax, 12},
        {"CAPABILITY with a bracket", "* CAPABILITY IMAP4rev1 ]\r\n", Syntax, 23},
        {"INTERNALDATE unquoted", "* 1 FETCH (INTERNALDATE 17-Jul-1996)\r\n", Syntax, 24},
        {"MODSEQ without parentheses", "* 1 FETCH (MODSEQ 5)\r\n", Syntax, 18},
        {"section not closed", "* 1 FETCH (BODY[HEADER NIL)\r\n", Syntax, 26},
        {"partial origin not a number", "* 1 FETCH (BODY[]<x> NIL)\r\n", Syntax, 18},
        {"line over the limit", "* OK " + QByteArray(200, 'x') + "\r\n", Limit, 64, true},
        {"line over the limit without CRLF", "* OK " + QByteArray(70, 'x'), Limit, 64, true},
        {"literal over the limit", "* 1 FETCH (BODY[] {33}\r\n" + QByteArray(33, 'x') + ")\r\n",
         Limit, 18, true},
        {"literals over the response limit",
         "* 1 FETCH (BODY[1] {20}\r\n" + QByteArray(20, 'x') + " BODY[2] {13}\r\n"
             + QByteArray(13, 'y') + ")\r\n",
         Limit, 54, true},
    };
    return cases;
}

} // namespace

BOOST_AUTO_TEST_CASE(malformed_inputs_report_kind_and_position)
{
    Limits small;
    small.maxLineLength = 64;
    small.maxLiteralSize = 32;
    for (const MalformedCase &c : malformedCases()) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const Limits limits = c.smallLimits ? small : Limits();
            const Outcome o = runAllWays(c.input, limits);
            BOOST_TEST_REQUIRE(o.malformed, describe(o).toStdString());
            BOOST_TEST(int(o.error.kind) == int(c.kind));
            BOOST_TEST(o.error.position == c.position, o.error.message.toStdString());
            BOOST_TEST(!o.error.message.isEmpty());

            // The parser stays usable: recover() and next() always terminate.
            ImapParser parser(limits);
            parser.feed(c.input);
            parser.feed(QByteArray("\r\n* 1 EXISTS\r\n"));
            ImapResponse r;
            int steps = 0;
            for (ImapParser::Result result;
                 (result = parser.next(&r)) != ImapParser::Result::NeedMore;) {
                if (result == ImapParser::Result::Malformed)
                    parser.recover();
                BOOST_TEST_REQUIRE(++steps < 20);
            }
        }
    }
    BOOST_TEST_MESSAGE(malformedCases().size() << " malformed inputs");
}

BOOST_AUTO_TEST_CASE(random_garbage_never_crashes_or_hangs)
{
    // Mutations of valid responses, fed in random pieces; every outcome is a value.
    const QByteArray seeds[] = {
        "* 1 FETCH (UID 5 ENVELOPE (\"d\" {3}\r\nabc ((\"N\" NIL \"m\" \"h\")) NIL NIL NIL NIL NIL "
        "NIL NIL) BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" "
        "3 1)(\"APPLICATION\" \"PDF\" NIL NIL NIL \"BASE64\" 10) \"MIXED\") BODY[] "
        "{4}\r\nabcd)\r\n",
        "* OK [PERMANENTFLAGS (\\Seen \\*)] x\r\n* LIST (\\Noselect) \"/\" \"&ZeVnLIqe-\"\r\n",
        "* ESEARCH (TAG \"A1\") UID ALL 1:3,5 COUNT 4\r\nA1 OK [COPYUID 9 1:2 5:6] ok\r\n",
        "* NAMESPACE ((\"\" \"/\")) NIL ((\"#shared/\" \"/\" \"X\" (\"a\" \"b\")))\r\n+ idling\r\n",
    };
    std::mt19937 rng(20240229);
    const char alphabet[] = "(){}[]<>\"\\ *+~:,0123456789\r\n\x00\x80NILOK";
    int malformed = 0;
    int parsed = 0;
    for (int iteration = 0; iteration < 3000; ++iteration) {
        QByteArray input = seeds[iteration % 4];
        const int mutations = 1 + int(rng() % 4);
        for (int m = 0; m < mutations; ++m) {
            const int pos = int(rng() % uint(input.size()));
            switch (rng() % 3) {
            case 0: input[pos] = alphabet[rng() % (sizeof(alphabet) - 1)]; break;
            case 1: input.insert(pos, alphabet[rng() % (sizeof(alphabet) - 1)]); break;
            default: input.remove(pos, 1 + int(rng() % 3)); break;
            }
        }
        Limits limits;
        limits.maxLineLength = 512;
        limits.maxLiteralSize = 4096;
        ImapParser parser(limits);
        qsizetype offset = 0;
        while (offset < input.size()) {
            const qsizetype n = qMin<qsizetype>(input.size() - offset, 1 + rng() % 40);
            parser.feed(input.constData() + offset, n);
            offset += n;
            ImapResponse r;
            for (int guard = 0; guard < 1000; ++guard) {
                const ImapParser::Result result = parser.next(&r);
                if (result == ImapParser::Result::NeedMore)
                    break;
                if (result == ImapParser::Result::Malformed) {
                    ++malformed;
                    BOOST_TEST_REQUIRE(parser.error().position >= 0);
                    BOOST_TEST_REQUIRE(parser.error().position <= parser.bytesFed());
                    parser.recover();
                } else {
                    ++parsed;
                }
            }
        }
    }
    BOOST_TEST(malformed > 0);
    BOOST_TEST(parsed > 0);
}

BOOST_AUTO_TEST_SUITE_END()
