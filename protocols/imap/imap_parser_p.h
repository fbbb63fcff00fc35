// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <functional>

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <mailwire/error.h>
#include <mailwire/imap_response.h>
#include <mailwire/protocol_limits.h>

#include "imap_lexer_p.h"
#include "imap_response_parser_p.h"

class QIODevice;

namespace mailwire::detail {

/// Why ImapParser::next() returned Malformed.
struct ImapParseError
{
    enum class Kind {
        None,          ///< no error
        Syntax,        ///< the bytes break the IMAP grammar
        LimitExceeded, ///< a line, literal or response is larger than Limits allows
        SinkFailed     ///< the literal sink refused a chunk (e.g. a disk write failed)
    };
    Kind kind = Kind::None;
    QString message;      ///< for people and logs
    qint64 position = -1; ///< stream offset of the offending byte (0 = first byte fed)
    QByteArray excerpt;   ///< up to 80 bytes of the response around the position

    /// True for Kind::LimitExceeded (the session reports Error::Code::LimitExceeded).
    bool isLimit() const { return kind == Kind::LimitExceeded; }
    /// The session-level error: LimitExceeded for limits, Cancelled when the caller's sink
    /// refused data, ProtocolError for syntax.
    Error toError() const;
};

/// Receives one streamed literal's bytes, in order, in chunks of any size; after the last
/// chunk it is called once more with (nullptr, 0). Returning false stops the parser with
/// ImapParseError::Kind::SinkFailed.
using LiteralChunkHandler = std::function<bool(const char *data, qsizetype size)>;
/// Asked once per FETCH body literal (BODY[…], BINARY[…], RFC822…) before its first byte:
/// returns a handler to stream it, or an empty function to keep the bytes in memory.
using LiteralSink = std::function<LiteralChunkHandler(const LiteralContext &context)>;

/// The incremental IMAP response parser: bytes in, typed ImapResponse values out.
///
/// - feed() takes bytes as they arrive, split anywhere (inside a token, the CRLF, a
///   literal's "{n}" header or the literal itself); next() returns one response at a time,
///   or NeedMore. Nothing blocks and nothing throws.
/// - Work is linear: the line-end search (memchr) resumes where it stopped, consumed bytes
///   are dropped in amortised O(1), and literal bytes are copied straight from the fed
///   data into their final QByteArray when the literal header has already been framed.
/// - Literals (RFC 9051 §4.3: "{n}", "{n+}", and "~{n}" literal8 from RFC 3516) are held
///   in memory up to Limits::maxLiteralSize per response, or streamed through a
///   LiteralSink so that a 50 MB BODY[] never sits in memory. An in-memory literal's
///   buffer grows with the bytes received (doubling, up to the announced size), so an
///   announcement alone reserves at most 1 MiB.
/// - Every size is bounded (Limits::maxLineLength per line; Limits::maxLiteralSize for the
///   literals held by one response; maxStreamedLiteralSize() per streamed literal; list
///   nesting). A violation is Malformed with ImapParseError::Kind::LimitExceeded.
/// - After Malformed, next() keeps returning Malformed until recover(), which drops the
///   offending response (skipping an oversized literal by count) and resumes at the next
///   response; or the session simply discards the parser. If memory runs out (std::bad_alloc
///   inside Qt), next() reports LimitExceeded and recover() drops everything buffered.
/// - residue() tells how many fed bytes do not belong to a response returned so far: the
///   STARTTLS upgrade requires 0 right after the tagged OK (DESIGN.md §2, rule 2).
///
/// Not thread-safe; use it from one thread.
class ImapParser
{
public:
    /// What next() produced.
    enum class Result {
        Parsed,   ///< *out holds the next response
        NeedMore, ///< no complete response yet; feed more bytes
        Malformed ///< see error(); then recover() or discard the parser
    };

    /// A parser bounded by limits (maxLineLength, maxLiteralSize).
    explicit ImapParser(const Limits &limits = Limits());

    /// The limits in force.
    const Limits &limits() const { return m_limits; }
    /// Largest literal accepted by a sink (default 16 GiB); streamed literals are not held
    /// in memory, so they are bounded separately from Limits::maxLiteralSize.
    void setMaxStreamedLiteralSize(qint64 size) { m_maxStreamedLiteralSize = size; }
    qint64 maxStreamedLiteralSize() const { return m_maxStreamedLiteralSize; }
    /// Mailbox names are UTF-8 rather than modified UTF-7 (after ENABLE UTF8=ACCEPT or
    /// IMAP4rev2; RFC 6855, RFC 9051 §5.1).
    void setUtf8Mode(bool on) { m_options.utf8Mode = on; }

    /// Literal bytes taken in so far, streamed or kept (skipped ones are not counted):
    /// never decreases. A session reads it between feeds to report the
    /// progress of a transfer.
    qint64 literalBytesReceived() const { return m_literalBytesReceived; }
    /// The sizes of the literals started so far, streamed or kept, summed like
    /// literalBytesReceived(): the difference is what the literal under way still owes.
    qint64 literalBytesAnnounced() const { return m_literalBytesAnnounced; }
    /// Streams FETCH body literals through sink (or nullptr for none). Takes effect from
    /// the next literal header.
    void setLiteralSink(LiteralSink sink) { m_sink = std::move(sink); }
    /// A LiteralSink that writes to the device chooseDevice returns (nullptr = keep in
    /// memory). The device is not closed or deleted.
    static LiteralSink deviceSink(std::function<QIODevice *(const LiteralContext &)> chooseDevice);

    /// Buffers bytes read from the server.
    void feed(const char *data, qsizetype size);
    /// Buffers bytes read from the server.
    void feed(const QByteArray &data) { feed(data.constData(), data.size()); }

    /// Frames and parses the next response.
    Result next(ImapResponse *out);
    /// Why the last next() returned Malformed.
    const ImapParseError &error() const { return m_error; }
    /// After Malformed: drops the rest of the offending response and continues with the
    /// next one. Does nothing otherwise.
    void recover();
    /// Forgets everything: buffered bytes, the partial response, errors, counters.
    void reset();

    /// Bytes fed that are not part of a response returned by next() (or dropped by
    /// recover()): the partial next response and anything after it.
    qint64 residue() const { return m_totalFed - m_frameStart; }
    /// The last response returned by next(), as text for a transcript: its lines with
    /// literal headers but without literal bytes, at most 4 KiB.
    QByteArray lastResponseText() const;
    /// Total bytes fed since construction or reset().
    qint64 bytesFed() const { return m_totalFed; }
    /// Memory the parser holds for bytes not yet returned: the capacity of its input buffer,
    /// of the current response's text and of its in-memory literals (which grow with the
    /// bytes received, not with the size announced). For tests and benchmarks.
    qsizetype memoryFootprint() const;

private:
    enum class Mode {
        Line,
        Literal,
        SkipLiteral,
        DiscardLine
    };
    enum class Recovery {
        ClearOnly,
        DiscardLine,
        SkipLiteralThenResponse,
        DropAll
    };

    void feedUnguarded(const char *data, qsizetype size);
    Result fail(ImapParseError::Kind kind, const QString &message, qint64 position,
                Recovery recovery);
    Result nextUnguarded(ImapResponse *out);
    Result finishFrame(ImapResponse *out);
    Result startLiteral(qsizetype headerTextPos, qint64 size, bool binary, qint64 headerStreamPos);
    qsizetype consumeLiteral(const char *data, qsizetype size, qint64 position);
    void compact();
    qint64 streamOffset(qsizetype bufferIndex) const { return m_bufBase + bufferIndex; }
    QByteArray excerpt(qint64 position) const;

    Limits m_limits;
    qint64 m_maxStreamedLiteralSize = qint64(16) * 1024 * 1024 * 1024;
    ResponseParseOptions m_options;
    LiteralSink m_sink;
    qint64 m_literalBytesReceived = 0;  // see literalBytesReceived()
    qint64 m_literalBytesAnnounced = 0; // see literalBytesAnnounced()

    QByteArray m_buf;        // bytes fed and not yet framed
    qsizetype m_bufPos = 0;  // first unconsumed byte in m_buf
    qsizetype m_scanPos = 0; // the LF search resumes here
    qint64 m_bufBase = 0;    // stream offset of m_buf[0]
    qint64 m_totalFed = 0;
    qint64 m_frameStart = 0; // stream offset where the current response starts

    Mode m_mode = Mode::Line;
    bool m_discarding = false; // framing a response only to drop it (after recover())
    Frame m_frame;             // the response being framed
    qint64 m_literalBytes = 0; // announced sizes of m_frame's in-memory literals (for limits)
    qint64 m_litRemaining = 0; // bytes still expected for the current literal
    qint64 m_litFilled = 0;    // bytes already stored into the current literal
    LiteralChunkHandler m_litHandler;
    qint64 m_contextBudget = 0; // text bytes describeFetchLiteral() may still scan

    bool m_failed = false;
    QByteArray m_lastText;
    Recovery m_recovery = Recovery::ClearOnly;
    ImapParseError m_error;
};

} // namespace mailwire::detail
