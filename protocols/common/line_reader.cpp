// SPDX-License-Identifier: LGPL-3.0-or-later
#include "line_reader_p.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace mailwire::detail {

namespace {
// Below this many consumed bytes compaction is not worth a memmove.
constexpr qsizetype CompactThreshold = 4096;
} // namespace

LineReader::LineReader(qsizetype maxLineLength) : m_maxLineLength(maxLineLength) {}

void LineReader::append(const char *data, qsizetype size)
{
    if (m_failed || size <= 0)
        return;
    compact();
    // QByteArray (Qt 5) holds at most INT_MAX bytes; a session never buffers that much,
    // because it pulls lines and literals between reads.
    Q_ASSERT(size <= qsizetype(std::numeric_limits<int>::max()) - m_buffer.size());
    m_buffer.append(data, int(size));
}

void LineReader::compact()
{
    if (m_start == 0)
        return;
    if (m_start == m_buffer.size()) {
        // Everything consumed: start again at the front, nothing to move.
        m_buffer.resize(0);
        m_start = m_scanned = 0;
        return;
    }
    // Move the unconsumed tail to the front only when the consumed head is at least as
    // large: each byte is then moved a bounded number of times (amortised O(1) per byte).
    const qsizetype tail = m_buffer.size() - m_start;
    if (m_start < CompactThreshold || m_start < tail)
        return;
    m_buffer.remove(0, int(m_start));
    m_bytesCompacted += tail;
    m_scanned -= m_start;
    m_start = 0;
}

LineReader::Result LineReader::fail()
{
    // The stream cannot be re-synchronised: drop the buffer so a peer that keeps sending
    // cannot make it grow, and remember the failure.
    m_failed = true;
    m_buffer.clear();
    m_start = m_scanned = 0;
    return Result::TooLong;
}

LineReader::Result LineReader::nextLine(QByteArray *line)
{
    if (m_failed)
        return Result::TooLong;

    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    const void *found =
        m_scanned < size ? std::memchr(data + m_scanned, '\n', size_t(size - m_scanned)) : nullptr;

    if (!found) {
        m_bytesScanned += size - m_scanned;
        m_scanned = size;
        // A trailing CR may be the first half of CRLF: it does not count yet, so a line of
        // exactly maxLineLength bytes split between its CR and LF is still accepted.
        qsizetype pending = size - m_start;
        if (pending > 0 && data[size - 1] == '\r')
            --pending;
        return pending > m_maxLineLength ? fail() : Result::NeedMore;
    }

    const qsizetype lf = static_cast<const char *>(found) - data;
    m_bytesScanned += lf + 1 - m_scanned;
    const bool hasCr = lf > m_start && data[lf - 1] == '\r';
    const qsizetype length = lf - m_start - (hasCr ? 1 : 0);
    if (length > m_maxLineLength)
        return fail();

    *line = m_buffer.mid(int(m_start), int(length));
    m_lastLineHadBareLf = !hasCr;
    m_start = m_scanned = lf + 1;
    return Result::Line;
}

qsizetype LineReader::takeRaw(char *out, qsizetype max)
{
    if (m_failed || max <= 0)
        return 0;
    const qsizetype n = std::min(max, residue());
    if (n > 0)
        std::memcpy(out, m_buffer.constData() + m_start, size_t(n));
    m_start += n;
    // Bytes already searched without finding LF need not be searched again.
    m_scanned = std::max(m_scanned, m_start);
    return n;
}

QByteArray LineReader::takeRaw(qsizetype max)
{
    if (m_failed || max <= 0)
        return QByteArray();
    const qsizetype n = std::min(max, residue());
    QByteArray out = m_buffer.mid(int(m_start), int(n));
    m_start += n;
    m_scanned = std::max(m_scanned, m_start);
    return out;
}

void LineReader::clear()
{
    m_buffer.clear();
    m_start = m_scanned = 0;
    m_lastLineHadBareLf = false;
    m_failed = false;
    m_bytesScanned = 0;
    m_bytesCompacted = 0;
}

} // namespace mailwire::detail
