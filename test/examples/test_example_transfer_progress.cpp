// SPDX-License-Identifier: LGPL-3.0-or-later
// The examples' progress line (examples/transfer_progress.h): shown on a terminal for
// transfers over 1 MB, rewritten in place and ended by the reply's end; never written into a
// pipe or file, and not for small transfers (issue 8 item 4).
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <memory>

#include <QtCore/QByteArray>

#include "transfer_progress.h"

using namespace mailwire::examples;

namespace {

/// A FILE* whose contents can be read back.
class CapturedFile
{
public:
    CapturedFile() : m_file(std::tmpfile()) { BOOST_TEST_REQUIRE(m_file); }
    ~CapturedFile() { std::fclose(m_file); }
    CapturedFile(const CapturedFile &) = delete;
    CapturedFile &operator=(const CapturedFile &) = delete;

    std::FILE *file() const { return m_file; }
    QByteArray contents() const
    {
        std::fflush(m_file);
        std::rewind(m_file);
        QByteArray out;
        char buffer[4096];
        size_t got = 0;
        while ((got = std::fread(buffer, 1, sizeof buffer, m_file)) > 0)
            out.append(buffer, int(got));
        return out;
    }

private:
    std::FILE *m_file;
};

constexpr qint64 MB = 1024 * 1024;

} // namespace

BOOST_AUTO_TEST_SUITE(example_transfer_progress)

BOOST_AUTO_TEST_CASE(a_large_transfer_on_a_terminal_is_one_line_rewritten_in_place)
{
    CapturedFile out;
    TransferProgress progress(out.file(), true, QStringLiteral("Saving UID 7"));
    progress.update(512 * 1024, 4 * MB);
    progress.update(MB, 4 * MB);
    progress.update(4 * MB, 4 * MB);
    progress.finish();
    const QByteArray text = out.contents();
    BOOST_TEST(text.count('\r') == 3, text.toStdString());
    BOOST_TEST(text.count('\n') == 1, text.toStdString());
    BOOST_TEST(text.endsWith('\n'));
    BOOST_TEST(text.contains("Saving UID 7: 1.0 of 4.0 MB (25%)"), text.toStdString());
    BOOST_TEST(text.contains("Saving UID 7: 4.0 of 4.0 MB (100%)"), text.toStdString());
}

BOOST_AUTO_TEST_CASE(nothing_is_written_when_the_output_is_not_a_terminal)
{
    CapturedFile out;
    TransferProgress progress(out.file(), false, QStringLiteral("Saving UID 7"));
    progress.update(MB, 40 * MB);
    progress.update(40 * MB, 40 * MB);
    progress.finish();
    BOOST_TEST(out.contents().isEmpty(), out.contents().toStdString());
}

BOOST_AUTO_TEST_CASE(a_small_transfer_shows_nothing_even_on_a_terminal)
{
    CapturedFile out;
    TransferProgress progress(out.file(), true, QStringLiteral("Saving UID 7"));
    progress.update(100 * 1024, 900 * 1024);
    progress.update(900 * 1024, 900 * 1024);
    progress.finish();
    BOOST_TEST(out.contents().isEmpty(), out.contents().toStdString());
}

BOOST_AUTO_TEST_CASE(an_unknown_total_shows_what_has_come)
{
    BOOST_TEST(TransferProgress::describe(QStringLiteral("Saving"), 3 * MB / 2, -1).toStdString()
               == "Saving: 1.5 MB");
}

BOOST_AUTO_TEST_SUITE_END()
