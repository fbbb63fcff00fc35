// SPDX-License-Identifier: LGPL-3.0-or-later
// The bounded CRLF line reader: lines split at every byte boundary, bare LF, the length
// limit at and around its edge, raw (literal) reads mixed with lines, the residue the
// STARTTLS upgrade checks, and linear cost on large input.
#include <boost/test/unit_test.hpp>

#include <ostream>

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QList>

#include "line_reader_p.h"

namespace mailwire::detail {

std::ostream &boost_test_print_type(std::ostream &out, LineReader::Result result)
{
    switch (result) {
    case LineReader::Result::Line: return out << "Line";
    case LineReader::Result::NeedMore: return out << "NeedMore";
    case LineReader::Result::TooLong: return out << "TooLong";
    }
    return out << "(not a Result)";
}

} // namespace mailwire::detail

std::ostream &boost_test_print_type(std::ostream &out, const QByteArray &bytes)
{
    constexpr int Shown = 80;
    out << '"';
    for (const char c : bytes.left(Shown)) {
        if (c >= 0x20 && c < 0x7f)
            out << c;
        else
            out << "\\x"
                << "0123456789abcdef"[(c >> 4) & 0xf] << "0123456789abcdef"[c & 0xf];
    }
    return out << (bytes.size() > Shown ? "\"..." : "\"");
}

namespace {

using mailwire::detail::LineReader;
using Result = LineReader::Result;

// A line as the reader returned it, with how it ended.
struct Got
{
    QByteArray line;
    bool bareLf = false;
    bool operator==(const Got &o) const { return line == o.line && bareLf == o.bareLf; }
};

std::ostream &operator<<(std::ostream &out, const Got &got)
{
    boost_test_print_type(out, got.line);
    return out << (got.bareLf ? " (bare LF)" : "");
}

// Pulls every complete line out of the reader.
void drain(LineReader &reader, QList<Got> *out)
{
    QByteArray line;
    while (reader.nextLine(&line) == Result::Line)
        out->append({line, reader.lastLineHadBareLf()});
}

// A tiny IMAP-like consumer: a line ending in "{n}" announces n raw bytes (a literal).
// Returns the lines and literals in order, literals marked with a "literal:" prefix.
struct LiteralConsumer
{
    LineReader reader;
    QList<QByteArray> items;
    qsizetype pendingLiteral = 0;
    QByteArray literal;

    void feed(const QByteArray &bytes)
    {
        reader.append(bytes);
        for (;;) {
            if (pendingLiteral > 0) {
                const QByteArray part = reader.takeRaw(pendingLiteral);
                literal += part;
                pendingLiteral -= part.size();
                if (pendingLiteral > 0)
                    return;
                items.append("literal:" + literal);
                literal.clear();
            }
            QByteArray line;
            if (reader.nextLine(&line) != Result::Line)
                return;
            items.append(line);
            const int open = line.lastIndexOf('{');
            if (open >= 0 && line.endsWith('}'))
                pendingLiteral = line.mid(open + 1, line.size() - open - 2).toLongLong();
        }
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(common_line_reader)

BOOST_AUTO_TEST_CASE(returns_crlf_lines_without_their_ending)
{
    LineReader reader;
    reader.append(QByteArrayLiteral("* OK ready\r\n\r\nA1 OK done\r\n"));
    QList<Got> got;
    drain(reader, &got);
    const QList<Got> expected{{"* OK ready", false}, {"", false}, {"A1 OK done", false}};
    BOOST_TEST(got == expected, boost::test_tools::per_element());
    BOOST_TEST(reader.residue() == 0);
}

BOOST_AUTO_TEST_CASE(lines_split_at_every_byte_boundary)
{
    // CRLF, an empty line, a CR inside a line (content), a bare LF, CR CR LF.
    const QByteArray input = QByteArrayLiteral("+OK POP3\r\n\r\na\rb\r\nbare\nx\r\r\nlast\r\n");
    const QList<Got> expected{{"+OK POP3", false}, {"", false},    {"a\rb", false},
                              {"bare", true},      {"x\r", false}, {"last", false}};
    for (int i = 0; i <= input.size(); ++i) {
        for (int j = i; j <= input.size(); ++j) {
            LineReader reader;
            QList<Got> got;
            reader.append(input.left(i));
            drain(reader, &got);
            reader.append(input.mid(i, j - i));
            drain(reader, &got);
            reader.append(input.mid(j));
            drain(reader, &got);
            BOOST_TEST_CONTEXT("split at " << i << " and " << j)
            {
                BOOST_TEST(got == expected, boost::test_tools::per_element());
                BOOST_TEST(reader.residue() == 0);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(crlf_split_across_appends)
{
    LineReader reader;
    QByteArray line;
    reader.append(QByteArrayLiteral("250 OK\r"));
    BOOST_TEST(reader.nextLine(&line) == Result::NeedMore);
    BOOST_TEST(reader.residue() == 7);
    reader.append(QByteArrayLiteral("\n"));
    BOOST_TEST(reader.nextLine(&line) == Result::Line);
    BOOST_TEST(line == QByteArray("250 OK"));
    BOOST_TEST(!reader.lastLineHadBareLf());
}

BOOST_AUTO_TEST_CASE(bare_lf_ends_a_line_and_is_flagged)
{
    LineReader reader;
    QByteArray line;
    reader.append(QByteArrayLiteral("* OK bare\nA1 OK crlf\r\n"));
    BOOST_TEST(reader.nextLine(&line) == Result::Line);
    BOOST_TEST(line == QByteArray("* OK bare"));
    BOOST_TEST(reader.lastLineHadBareLf());
    BOOST_TEST(reader.nextLine(&line) == Result::Line);
    BOOST_TEST(line == QByteArray("A1 OK crlf"));
    BOOST_TEST(!reader.lastLineHadBareLf());
}

BOOST_AUTO_TEST_CASE(line_of_exactly_the_limit_is_accepted)
{
    constexpr int Max = 16;
    const QByteArray content(Max, 'x');
    for (const QByteArray &ending : {QByteArray("\r\n"), QByteArray("\n")}) {
        // Also split between CR and LF: the pending CR must not count against the limit.
        for (int split = 0; split <= Max + ending.size(); ++split) {
            LineReader reader(Max);
            const QByteArray input = content + ending;
            QByteArray line;
            reader.append(input.left(split));
            if (split < input.size())
                BOOST_TEST(reader.nextLine(&line) == Result::NeedMore);
            reader.append(input.mid(split));
            BOOST_TEST(reader.nextLine(&line) == Result::Line);
            BOOST_TEST(line == content);
        }
    }
}

BOOST_AUTO_TEST_CASE(line_of_limit_plus_one_is_too_long)
{
    constexpr int Max = 16;
    LineReader complete(Max);
    QByteArray line;
    complete.append(QByteArray(Max + 1, 'x') + "\r\n");
    BOOST_TEST(complete.nextLine(&line) == Result::TooLong);

    // Detected before the newline arrives: Max + 1 content bytes are already too many.
    LineReader partial(Max);
    partial.append(QByteArray(Max, 'x'));
    BOOST_TEST(partial.nextLine(&line) == Result::NeedMore);
    partial.append(QByteArrayLiteral("y"));
    BOOST_TEST(partial.nextLine(&line) == Result::TooLong);
    BOOST_TEST(partial.hasFailed());
}

BOOST_AUTO_TEST_CASE(too_long_is_final_and_keeps_nothing)
{
    LineReader reader(64);
    QByteArray line;
    reader.append(QByteArray(100, 'x'));
    BOOST_TEST(reader.nextLine(&line) == Result::TooLong);
    // A server that keeps sending cannot make the buffer grow, and cannot resynchronise.
    reader.append(QByteArrayLiteral("\r\nA1 OK forged\r\n"));
    BOOST_TEST(reader.residue() == 0);
    BOOST_TEST(reader.nextLine(&line) == Result::TooLong);
    char raw[8];
    BOOST_TEST(reader.takeRaw(raw, sizeof raw) == 0);

    reader.clear();
    BOOST_TEST(!reader.hasFailed());
    reader.append(QByteArrayLiteral("A2 OK\r\n"));
    BOOST_TEST(reader.nextLine(&line) == Result::Line);
    BOOST_TEST(line == QByteArray("A2 OK"));
}

BOOST_AUTO_TEST_CASE(endless_line_is_refused_with_bounded_buffer)
{
    constexpr int Max = 4096;
    LineReader reader(Max);
    QByteArray line;
    const QByteArray chunk(1000, 'z');
    Result result = Result::NeedMore;
    int appended = 0;
    while (result == Result::NeedMore && appended < 1000) {
        reader.append(chunk);
        ++appended;
        BOOST_TEST(reader.residue() <= Max + chunk.size());
        result = reader.nextLine(&line);
    }
    BOOST_TEST(result == Result::TooLong);
    BOOST_TEST(appended == 5); // 5000 bytes > 4096: refused on the first append past it
}

BOOST_AUTO_TEST_CASE(take_raw_mixed_with_lines)
{
    LineReader reader(32);
    // The literal is longer than the line limit and holds CRLF and bare LF: raw reads
    // ignore both the structure and the limit (literals have their own, maxLiteralSize).
    const QByteArray literal = QByteArray(40, 'L') + "\r\nbody\nmore\r\n";
    reader.append("* 1 FETCH (BODY[] {" + QByteArray::number(literal.size()) + "}\r\n" + literal
                  + ")\r\nA1 OK\r\n");
    QByteArray line;
    BOOST_TEST(reader.nextLine(&line) == Result::Line);
    BOOST_TEST(line == "* 1 FETCH (BODY[] {" + QByteArray::number(literal.size()) + "}");
    char first[10];
    BOOST_TEST(reader.takeRaw(first, sizeof first) == 10);
    BOOST_TEST(QByteArray(first, 10) == literal.left(10));
    BOOST_TEST(reader.takeRaw(literal.size() - 10) == literal.mid(10));
    BOOST_TEST(reader.nextLine(&line) == Result::Line);
    BOOST_TEST(line == QByteArray(")"));
    BOOST_TEST(reader.nextLine(&line) == Result::Line);
    BOOST_TEST(line == QByteArray("A1 OK"));
    BOOST_TEST(reader.takeRaw(100).isEmpty());
    BOOST_TEST(reader.nextLine(&line) == Result::NeedMore);
}

BOOST_AUTO_TEST_CASE(literals_split_at_every_byte_boundary)
{
    const QByteArray input = QByteArrayLiteral("* 1 FETCH (BODY[] {10}\r\nhi\r\nthere\n)\r\n"
                                               "* 2 FETCH (BODY[] {0}\r\n)\r\nA1 OK\r\n");
    const QList<QByteArray> expected{"* 1 FETCH (BODY[] {10}",
                                     "literal:hi\r\nthere\n",
                                     ")",
                                     "* 2 FETCH (BODY[] {0}",
                                     ")",
                                     "A1 OK"};
    for (int i = 0; i <= input.size(); ++i) {
        for (int j = i; j <= input.size(); ++j) {
            LiteralConsumer consumer;
            consumer.feed(input.left(i));
            consumer.feed(input.mid(i, j - i));
            consumer.feed(input.mid(j));
            BOOST_TEST_CONTEXT("split at " << i << " and " << j)
            {
                BOOST_TEST(consumer.items == expected, boost::test_tools::per_element());
                BOOST_TEST(consumer.reader.residue() == 0);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(raw_take_after_partial_scan_then_line)
{
    // The search already passed "abc" without finding LF; after takeRaw consumes part of
    // it, the rest still forms the next line with what follows.
    LineReader reader;
    QByteArray line;
    reader.append(QByteArrayLiteral("abc"));
    BOOST_TEST(reader.nextLine(&line) == Result::NeedMore);
    BOOST_TEST(reader.takeRaw(2) == QByteArray("ab"));
    reader.append(QByteArrayLiteral("d\r\n"));
    BOOST_TEST(reader.nextLine(&line) == Result::Line);
    BOOST_TEST(line == QByteArray("cd"));
}

BOOST_AUTO_TEST_CASE(residue_counts_bytes_after_the_upgrade_reply)
{
    // RFC 3207 §4.2 / CVE-2021-22947: a forged line in the same segment as the STARTTLS
    // reply must be visible to the session as residue.
    const QByteArray forged = QByteArrayLiteral("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
    LineReader reader;
    reader.append("A2 OK begin TLS now\r\n" + forged);
    QByteArray line;
    BOOST_TEST(reader.nextLine(&line) == Result::Line);
    BOOST_TEST(line == QByteArray("A2 OK begin TLS now"));
    BOOST_TEST(reader.residue() == forged.size());

    LineReader partial;
    partial.append(QByteArrayLiteral("220 Ready to start TLS\r\nx"));
    BOOST_TEST(partial.nextLine(&line) == Result::Line);
    BOOST_TEST(partial.residue() == 1);

    LineReader clean;
    clean.append(QByteArrayLiteral("+OK Begin TLS\r\n"));
    BOOST_TEST(clean.nextLine(&line) == Result::Line);
    BOOST_TEST(clean.residue() == 0);
    clean.append(QByteArrayLiteral("late"));
    clean.clear();
    BOOST_TEST(clean.residue() == 0);
}

BOOST_AUTO_TEST_CASE(ten_megabytes_in_any_chunk_size_is_linear)
{
    QByteArray input;
    int lines = 0;
    while (input.size() < 10 * 1024 * 1024) {
        input += "* " + QByteArray::number(lines) + " FETCH (FLAGS (\\Seen))\r\n";
        ++lines;
    }
    for (const int chunk : {1, 7, 4096, input.size()}) {
        BOOST_TEST_CONTEXT("chunk " << chunk)
        {
            QElapsedTimer timer;
            timer.start();
            LineReader reader;
            QByteArray line;
            int count = 0;
            for (int pos = 0; pos < input.size(); pos += chunk) {
                reader.append(input.constData() + pos, qMin(chunk, input.size() - pos));
                while (reader.nextLine(&line) == Result::Line)
                    ++count;
            }
            BOOST_TEST(count == lines);
            BOOST_TEST(line == "* " + QByteArray::number(lines - 1) + " FETCH (FLAGS (\\Seen))");
            // Each byte is searched once and moved at most once by compaction.
            BOOST_TEST(reader.bytesScanned() <= input.size());
            BOOST_TEST(reader.bytesCompacted() <= input.size());
            // Generous even for sanitizer builds; a quadratic reader takes minutes.
            BOOST_TEST(timer.elapsed() < 20000);
        }
    }
}

BOOST_AUTO_TEST_CASE(long_lines_byte_by_byte_are_scanned_once)
{
    // Lines at the maximum length fed one byte at a time: re-searching each partial line
    // from its start would cost max²/2 per line.
    const int max = mailwire::Limits().maxLineLength;
    const QByteArray oneLine = QByteArray(max, 'a') + "\r\n";
    QByteArray input;
    for (int i = 0; i < 16; ++i)
        input += oneLine;
    LineReader reader;
    QByteArray line;
    int count = 0;
    for (const char byte : input) {
        reader.append(&byte, 1);
        while (reader.nextLine(&line) == Result::Line) {
            BOOST_TEST(line.size() == max);
            ++count;
        }
    }
    BOOST_TEST(count == 16);
    BOOST_TEST(reader.bytesScanned() <= input.size());
    BOOST_TEST(reader.bytesCompacted() <= input.size());
}

BOOST_AUTO_TEST_SUITE_END()
