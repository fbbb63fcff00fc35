// SPDX-License-Identifier: LGPL-3.0-or-later
// In-memory IMAP literals grow with the bytes that arrive, not with the size the server
// announces (DESIGN.md §2, rule 5): "{200000000}" followed by a trickle or a close must not
// reserve 200 MB, and literals of every size still parse however the bytes are split.
#include <boost/test/unit_test.hpp>

#include <vector>

#include "imap_parser_p.h"

using mailwire::ImapResponse;
using mailwire::detail::ImapParser;

namespace {

// Distinct bytes per offset, so a misplaced chunk is seen.
QByteArray pattern(qint64 from, qsizetype size)
{
    QByteArray out(int(size), Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[int(i)] = char('a' + (from + i) % 23);
    return out;
}

constexpr qsizetype MiB = 1024 * 1024;

} // namespace

BOOST_AUTO_TEST_SUITE(imap_parser_literals)

BOOST_AUTO_TEST_CASE(an_announcement_alone_reserves_almost_nothing)
{
    ImapParser parser; // default limits: 200 000 000 is below maxLiteralSize (256 MiB)
    const qsizetype empty = parser.memoryFootprint();
    const QByteArray header = "* 1 FETCH (BODY[] {200000000}\r\n";
    parser.feed(header + "only a few bytes");
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::NeedMore));
    BOOST_TEST_MESSAGE("footprint after the announcement: " << parser.memoryFootprint() << " B");
    BOOST_TEST(parser.memoryFootprint() - empty <= MiB + 64 * 1024); // not 190 MiB

    // A trickle grows the literal with the data: past the first MiB, never more than
    // twice what arrived.
    qint64 received = 16;
    for (int i = 0; i < 64; ++i) {
        parser.feed(pattern(received, 64 * 1024));
        received += 64 * 1024;
        BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::NeedMore));
    }
    BOOST_TEST_MESSAGE("footprint after " << received << " B: " << parser.memoryFootprint()
                                          << " B");
    BOOST_TEST(parser.memoryFootprint() - empty <= qMax<qint64>(MiB, 2 * received) + 64 * 1024);
    BOOST_TEST(parser.residue() == header.size() + received);
}

BOOST_AUTO_TEST_CASE(a_literal_stays_within_its_announced_size)
{
    // Doubling stops at the announced size: no slack once the literal is complete.
    const qsizetype size = 3 * MiB + 12345;
    ImapParser parser;
    parser.feed("* 2 FETCH (BODY[] {" + QByteArray::number(size) + "}\r\n");
    ImapResponse r;
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::NeedMore));
    for (qsizetype fed = 0; fed < size; fed += 100000)
        parser.feed(pattern(fed, qMin<qsizetype>(100000, size - fed)));
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::NeedMore));
    BOOST_TEST(parser.memoryFootprint() <= size + 256 * 1024);
    parser.feed(QByteArray(")\r\n"));
    BOOST_TEST_REQUIRE(int(parser.next(&r)) == int(ImapParser::Result::Parsed));
    BOOST_TEST_REQUIRE(r.fetch.sections.size() == 1);
    BOOST_TEST(r.fetch.sections.at(0).data == pattern(0, size));
}

BOOST_AUTO_TEST_CASE(literals_of_every_size_parse_however_the_bytes_are_split)
{
    // Sizes around the initial room (1 MiB) and a doubling step, two literals in one
    // response, fed whole, in odd chunks and in chunks that end inside the headers.
    for (const qsizetype size :
         {qsizetype(0), qsizetype(1), qsizetype(65537), MiB - 1, MiB, MiB + 1, 2 * MiB + 3}) {
        const QByteArray first = pattern(0, size);
        const QByteArray second = pattern(size, 70001);
        const QByteArray input = "* 3 FETCH (UID 9 BODY[1] {" + QByteArray::number(size) + "}\r\n"
            + first + " BODY[2] {70001}\r\n" + second + ")\r\nA1 OK done\r\n";
        for (const qsizetype chunk : {qsizetype(input.size()), qsizetype(7), qsizetype(4093),
                                      qsizetype(65536), qsizetype(131071)}) {
            BOOST_TEST_CONTEXT("size " << size << ", chunk " << chunk)
            {
                ImapParser parser;
                std::vector<ImapResponse> responses;
                for (qsizetype at = 0; at < input.size(); at += chunk) {
                    parser.feed(input.constData() + at, qMin<qsizetype>(chunk, input.size() - at));
                    ImapResponse r;
                    ImapParser::Result result;
                    while ((result = parser.next(&r)) == ImapParser::Result::Parsed)
                        responses.push_back(r);
                    BOOST_TEST_REQUIRE(int(result) == int(ImapParser::Result::NeedMore));
                }
                BOOST_TEST_REQUIRE(responses.size() == 2u);
                const ImapResponse &fetch = responses.at(0);
                BOOST_TEST_REQUIRE(fetch.fetch.sections.size() == 2);
                BOOST_TEST(fetch.fetch.sections.at(0).data == first);
                BOOST_TEST(fetch.fetch.sections.at(1).data == second);
                BOOST_TEST(*fetch.fetch.uid == 9u);
                BOOST_TEST(parser.residue() == 0);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(the_announced_size_still_counts_against_the_literal_limit)
{
    // Growing lazily must not turn the limit lazy too: refused at the header.
    mailwire::Limits limits;
    limits.maxLiteralSize = 1000;
    ImapParser parser(limits);
    parser.feed(QByteArray("* 1 FETCH (BODY[] {1001}\r\n"));
    ImapResponse r;
    BOOST_TEST(int(parser.next(&r)) == int(ImapParser::Result::Malformed));
    BOOST_TEST(parser.error().isLimit());
}

BOOST_AUTO_TEST_SUITE_END()
