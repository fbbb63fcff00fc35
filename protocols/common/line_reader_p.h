// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>

#include <mailwire/protocol_limits.h>

namespace mailwire::detail {

/// CRLF framing over bytes as they arrive, bounded by a maximum line length. No socket and
/// no event loop: the session appends what it read and pulls lines (or raw literal/body
/// bytes) until the reader says NeedMore.
///
/// Cost is linear in the bytes appended: the newline search resumes where it last stopped
/// and consumed bytes are dropped only once they outweigh what is left (amortised).
///
/// A line longer than the limit is reported as soon as the buffered part of it exceeds the
/// limit, so a server that never sends a newline cannot make the buffer grow. TooLong is
/// final: the stream can no longer be framed, so every later nextLine() repeats it, append()
/// discards, and only clear() resets the reader. Not thread-safe; use it from the thread of
/// the socket it reads from.
class LineReader
{
public:
    /// What nextLine() found.
    enum class Result {
        Line,     ///< a complete line was moved into *line
        NeedMore, ///< no complete line yet; append more bytes
        TooLong   ///< the current line exceeds maxLineLength() (final; see class comment)
    };

    /// A reader that accepts lines of up to maxLineLength bytes, CRLF excluded.
    explicit LineReader(qsizetype maxLineLength = Limits().maxLineLength);

    /// The longest line accepted, CRLF excluded.
    qsizetype maxLineLength() const { return m_maxLineLength; }
    /// Changes the limit for lines not yet returned.
    void setMaxLineLength(qsizetype maxLineLength) { m_maxLineLength = maxLineLength; }

    /// Buffers bytes read from the peer. Ignored after TooLong.
    void append(const char *data, qsizetype size);
    /// Buffers bytes read from the peer. Ignored after TooLong.
    void append(const QByteArray &data) { append(data.constData(), data.size()); }

    /// Moves the next complete line, without its line ending, into *line. A line ends at LF;
    /// a CR just before the LF is part of the ending. A bare LF (no CR) also ends a line,
    /// because some servers send it, but lastLineHadBareLf() reports it so a strict caller
    /// can refuse. A CR not followed by LF is line content.
    Result nextLine(QByteArray *line);
    /// True if the last line returned by nextLine() ended in LF without CR.
    bool lastLineHadBareLf() const { return m_lastLineHadBareLf; }

    /// Moves up to max buffered bytes into out, ignoring line structure (IMAP literals,
    /// RFC 3501 §4.3; BDAT chunks). Returns how many bytes were moved. 0 after TooLong.
    qsizetype takeRaw(char *out, qsizetype max);
    /// Moves up to max buffered bytes out as a byte array (see above).
    QByteArray takeRaw(qsizetype max);

    /// Bytes buffered and not yet consumed by nextLine() or takeRaw(). The STARTTLS
    /// upgrade requires 0 right after the positive reply (RFC 3207 §4.2 / CVE-2021-22947):
    /// anything else arrived in plaintext and must not be trusted.
    qsizetype residue() const { return m_buffer.size() - m_start; }
    /// True after a TooLong until clear().
    bool hasFailed() const { return m_failed; }
    /// Drops all buffered bytes and the TooLong state; keeps the limit.
    void clear();

    /// Bytes examined by the newline search since construction or clear(); for tests and
    /// benchmarks that prove the work is linear (never more than the bytes appended).
    qint64 bytesScanned() const { return m_bytesScanned; }
    /// Bytes moved while compacting the buffer since construction or clear(); linear too.
    qint64 bytesCompacted() const { return m_bytesCompacted; }

private:
    void compact();
    Result fail();

    QByteArray m_buffer;
    qsizetype m_start = 0;   // first unconsumed byte in m_buffer
    qsizetype m_scanned = 0; // the newline search resumes here (m_start <= m_scanned)
    qsizetype m_maxLineLength;
    bool m_lastLineHadBareLf = false;
    bool m_failed = false;
    qint64 m_bytesScanned = 0;
    qint64 m_bytesCompacted = 0;
};

} // namespace mailwire::detail
