// SPDX-License-Identifier: LGPL-3.0-or-later
#include "imap_parser_p.h"

#include <cstring>
#include <limits>
#include <new>

#include <QtCore/QIODevice>

namespace mailwire::detail {

namespace {

// Qt 5's QByteArray holds at most INT_MAX bytes (less its header).
constexpr qint64 MaxByteArraySize = std::numeric_limits<int>::max() - 64;
constexpr qsizetype InitialBufferCapacity = qsizetype(16) * 1024;
constexpr qsizetype MaxIdleBufferCapacity = qsizetype(1024) * 1024;
// An in-memory literal starts with room for this much (or its size, if smaller, or what is
// already buffered, if more): most messages then take one allocation, and an announcement
// alone holds at most this. Beyond it the literal grows with the bytes that arrive.
constexpr qint64 InitialLiteralCapacity = qint64(1024) * 1024;

struct LiteralHeader
{
    bool found = false;
    bool binary = false;
    bool outOfRange = false;
    qsizetype start = 0; // index of "{" (or "~") in the line
    qint64 size = 0;
};

// RFC 9051 §4.3: a line that ends in "{n}" (or "{n+}", or literal8 "~{n}") announces a
// literal of n bytes after its CRLF. line/length exclude the CRLF.
LiteralHeader findLiteralHeader(const char *line, qsizetype length)
{
    LiteralHeader h;
    if (length < 3 || line[length - 1] != '}')
        return h;
    qsizetype p = length - 2;
    if (line[p] == '+')
        --p;
    const qsizetype lastDigit = p;
    while (p >= 0 && line[p] >= '0' && line[p] <= '9')
        --p;
    if (p == lastDigit || p < 0 || line[p] != '{')
        return h;
    h.found = true;
    h.start = p;
    if (p > 0 && line[p - 1] == '~') {
        h.binary = true;
        h.start = p - 1;
    }
    if (lastDigit - p > 18) {
        h.outOfRange = true;
        return h;
    }
    for (qsizetype i = p + 1; i <= lastDigit; ++i)
        h.size = h.size * 10 + (line[i] - '0');
    return h;
}

// A cheap test before describeFetchLiteral(): the literal follows a FETCH body item name
// ("…] {n}", "…> {n}", "RFC822 {n}", "RFC822.TEXT {n}", "RFC822.HEADER {n}").
bool mayBeFetchBodyLiteral(const QByteArray &text, qsizetype headerStart)
{
    if (!text.startsWith("* ") || headerStart < 2 || text.at(int(headerStart - 1)) != ' ')
        return false;
    const char before = text.at(int(headerStart - 2));
    if (before == ']' || before == '>')
        return true;
    for (const char *name : {"RFC822", "RFC822.TEXT", "RFC822.HEADER"}) {
        const qsizetype len = qsizetype(std::strlen(name));
        if (headerStart - 1 >= len
            && qstrnicmp(text.constData() + headerStart - 1 - len, name, uint(len)) == 0)
            return true;
    }
    return false;
}

} // namespace

Error ImapParseError::toError() const
{
    const QString where = QStringLiteral("%1 (at byte %2)").arg(message).arg(position);
    const Error::Code code = kind == Kind::LimitExceeded ? Error::Code::LimitExceeded
        : kind == Kind::SinkFailed                       ? Error::Code::Cancelled
                                                         : Error::Code::ProtocolError;
    return Error(code, where, QString::fromUtf8(excerpt));
}

ImapParser::ImapParser(const Limits &limits) : m_limits(limits)
{
    m_buf.reserve(InitialBufferCapacity);
}

LiteralSink ImapParser::deviceSink(std::function<QIODevice *(const LiteralContext &)> chooseDevice)
{
    return [pick = std::move(chooseDevice)](const LiteralContext &context) -> LiteralChunkHandler {
        QIODevice *device = pick(context);
        if (!device)
            return LiteralChunkHandler();
        return [device](const char *data, qsizetype size) {
            qsizetype written = 0;
            while (written < size) {
                const qint64 n = device->write(data + written, size - written);
                if (n <= 0)
                    return false;
                written += qsizetype(n);
            }
            return true;
        };
    };
}

void ImapParser::reset()
{
    m_buf = QByteArray();
    m_buf.reserve(InitialBufferCapacity);
    m_bufPos = m_scanPos = 0;
    m_bufBase = m_totalFed = m_frameStart = 0;
    m_mode = Mode::Line;
    m_discarding = false;
    m_frame.clear();
    m_literalBytes = m_litRemaining = m_litFilled = 0;
    m_litHandler = LiteralChunkHandler();
    m_failed = false;
    m_recovery = Recovery::ClearOnly;
    m_error = ImapParseError();
}

qsizetype ImapParser::memoryFootprint() const
{
    qsizetype literals = 0;
    for (const FrameLiteral &literal : m_frame.literals)
        literals += literal.bytes.capacity();
    return m_buf.capacity() + m_frame.text.capacity() + literals;
}

void ImapParser::feed(const char *data, qsizetype size)
{
    if (!data || size <= 0)
        return;
    try {
        feedUnguarded(data, size);
    } catch (const std::bad_alloc &) {
        m_error = ImapParseError();
        fail(ImapParseError::Kind::LimitExceeded,
             QStringLiteral("out of memory while buffering input"), m_totalFed, Recovery::DropAll);
    }
}

void ImapParser::feedUnguarded(const char *data, qsizetype size)
{
    m_totalFed += size;
    // Inside a literal with nothing buffered ahead of it: the bytes go straight to their
    // destination (the literal's QByteArray or the sink), without passing through m_buf.
    if (!m_failed && (m_mode == Mode::Literal || m_mode == Mode::SkipLiteral) && m_litRemaining > 0
        && m_bufPos == m_buf.size()) {
        compact();
        const qsizetype used = consumeLiteral(data, size, m_bufBase);
        m_bufBase += used;
        data += used;
        size -= used;
    }
    if (size > 0)
        m_buf.append(data, int(size));
}

qsizetype ImapParser::consumeLiteral(const char *data, qsizetype size, qint64 position)
{
    const qsizetype n = qsizetype(qMin<qint64>(size, m_litRemaining));
    m_litRemaining -= n;
    if (m_mode == Mode::SkipLiteral || n == 0)
        return n;
    m_literalBytesReceived += n;
    if (m_litHandler) {
        if (!m_litHandler(data, n)) {
            fail(ImapParseError::Kind::SinkFailed,
                 QStringLiteral("the literal sink refused the data"), position,
                 Recovery::SkipLiteralThenResponse);
        }
        return n;
    }
    FrameLiteral &literal = m_frame.literals.last();
    // Grow with the data (doubling, so the copies stay linear), never past the announced
    // size: an announcement is only a promise, and "{200000000}" followed by silence must
    // not hold 200 MB.
    const qint64 needed = m_litFilled + n;
    if (needed > literal.bytes.capacity()) {
        const qint64 grown =
            qMin<qint64>(literal.size, qMax<qint64>(needed, 2 * qint64(literal.bytes.capacity())));
        literal.bytes.reserve(int(grown));
    }
    literal.bytes.append(data, int(n));
    m_litFilled += n;
    return n;
}

ImapParser::Result ImapParser::fail(ImapParseError::Kind kind, const QString &message,
                                    qint64 position, Recovery recovery)
{
    m_failed = true;
    m_recovery = recovery;
    m_error.kind = kind;
    m_error.message = message;
    m_error.position = position;
    if (m_error.excerpt.isNull())
        m_error.excerpt = excerpt(position);
    return Result::Malformed;
}

QByteArray ImapParser::excerpt(qint64 position) const
{
    const qint64 index = position - m_bufBase;
    if (index < 0 || index > m_buf.size())
        return QByteArray();
    const qsizetype from = qsizetype(qMax<qint64>(0, index - 40));
    const qsizetype to = qsizetype(qMin<qint64>(m_buf.size(), index + 40));
    return m_buf.mid(int(from), int(to - from));
}

void ImapParser::recover()
{
    if (!m_failed)
        return;
    m_failed = false;
    m_error = ImapParseError();
    if (m_recovery == Recovery::ClearOnly)
        return; // the bad response was already consumed whole
    if (m_recovery == Recovery::DropAll) {
        // After an allocation failure nothing buffered can be trusted: start afresh at the
        // next byte fed (counters keep counting).
        const qint64 fed = m_totalFed;
        reset(); // keeps the limits, the sink and the options
        m_totalFed = m_bufBase = m_frameStart = fed;
        return;
    }
    m_frame.clear();
    m_literalBytes = 0;
    m_litHandler = LiteralChunkHandler();
    if (m_recovery == Recovery::DiscardLine) {
        m_mode = Mode::DiscardLine;
        m_discarding = false;
    } else {
        // Skip the literal's remaining bytes by count, then the rest of its response.
        m_mode = Mode::SkipLiteral;
        m_discarding = true;
    }
}

void ImapParser::compact()
{
    if (m_bufPos == m_buf.size()) {
        m_bufBase += m_buf.size();
        if (m_buf.capacity() > MaxIdleBufferCapacity) {
            m_buf = QByteArray();
            m_buf.reserve(InitialBufferCapacity);
        } else {
            m_buf.resize(0); // keeps the reserved capacity
        }
        m_bufPos = m_scanPos = 0;
    } else if (m_bufPos >= 4096 && m_bufPos * 2 >= m_buf.size()) {
        // Amortised: the bytes moved are never more than the bytes consumed.
        m_buf.remove(0, int(m_bufPos));
        m_bufBase += m_bufPos;
        m_scanPos -= m_bufPos;
        m_bufPos = 0;
    }
}

ImapParser::Result ImapParser::startLiteral(qsizetype headerTextPos, qint64 size, bool binary,
                                            qint64 headerStreamPos)
{
    LiteralChunkHandler handler;
    if (m_sink && mayBeFetchBodyLiteral(m_frame.text, headerTextPos)
        && m_contextBudget >= m_frame.text.size()) {
        // Bounded work: a response full of literals cannot make this scan quadratic.
        m_contextBudget -= m_frame.text.size();
        LiteralContext context;
        if (describeFetchLiteral(m_frame, headerTextPos, &context)) {
            context.size = size;
            context.binary = binary;
            handler = m_sink(context);
        }
    }
    const qint64 textLimit = m_limits.maxLiteralSize + m_limits.maxLineLength;
    if (handler) {
        if (size > m_maxStreamedLiteralSize) {
            m_litRemaining = size;
            return fail(ImapParseError::Kind::LimitExceeded,
                        QStringLiteral("streamed literal of %1 bytes exceeds the limit of %2")
                            .arg(size)
                            .arg(m_maxStreamedLiteralSize),
                        headerStreamPos, Recovery::SkipLiteralThenResponse);
        }
    } else if (size > m_limits.maxLiteralSize - m_literalBytes || size > MaxByteArraySize
               || m_frame.text.size() + m_literalBytes + size > textLimit) {
        m_litRemaining = size;
        return fail(ImapParseError::Kind::LimitExceeded,
                    QStringLiteral("literal of %1 bytes exceeds the limit of %2 bytes per "
                                   "response")
                        .arg(size)
                        .arg(m_limits.maxLiteralSize),
                    headerStreamPos, Recovery::SkipLiteralThenResponse);
    }
    FrameLiteral literal;
    literal.textOffset = m_frame.text.size();
    literal.size = size;
    literal.binary = binary;
    literal.streamed = bool(handler);
    if (!handler) {
        // Room for what has arrived already (a literal fed whole costs one allocation);
        // the rest is reserved as it comes (consumeLiteral()).
        const qint64 buffered = m_buf.size() - m_bufPos;
        literal.bytes.reserve(
            int(qMin<qint64>(size, qMax<qint64>(InitialLiteralCapacity, buffered))));
        m_literalBytes += size; // the limits count what was announced
    }
    m_frame.literals.append(literal);
    m_literalBytesAnnounced += size;
    m_litRemaining = size;
    m_litFilled = 0;
    m_litHandler = std::move(handler);
    m_mode = Mode::Literal;
    return Result::NeedMore;
}

ImapParser::Result ImapParser::finishFrame(ImapResponse *out)
{
    QByteArray message;
    qsizetype errorPos = 0;
    const bool ok = parseResponse(m_frame, m_options, out, &message, &errorPos);
    ImapParseError error;
    if (!ok) {
        error.position = m_frame.streamPosition(errorPos);
        const qsizetype from = qMax<qsizetype>(0, errorPos - 40);
        error.excerpt = m_frame.text.mid(int(from), 80);
        error.message = QString::fromUtf8(message);
    }
    m_frameStart = streamOffset(m_bufPos);
    // Kept (implicitly shared, so free) for lastResponseText(), formatted only if asked.
    m_lastText = m_frame.text;
    m_frame.clear();
    m_literalBytes = 0;
    compact();
    if (ok)
        return Result::Parsed;
    m_error.excerpt = error.excerpt;
    return fail(ImapParseError::Kind::Syntax, error.message, error.position, Recovery::ClearOnly);
}

ImapParser::Result ImapParser::next(ImapResponse *out)
{
    if (m_failed)
        return Result::Malformed;
    // Qt reports allocation failure with std::bad_alloc; it must not cross the API.
    try {
        return nextUnguarded(out);
    } catch (const std::bad_alloc &) {
        m_error = ImapParseError();
        return fail(ImapParseError::Kind::LimitExceeded,
                    QStringLiteral("out of memory while parsing a response"),
                    streamOffset(m_bufPos), Recovery::DropAll);
    }
}

ImapParser::Result ImapParser::nextUnguarded(ImapResponse *out)
{
    m_error = ImapParseError();
    const qsizetype limit = m_limits.maxLineLength;
    for (;;) {
        if (m_mode == Mode::Literal || m_mode == Mode::SkipLiteral) {
            const qsizetype available = m_buf.size() - m_bufPos;
            if (m_litRemaining > 0 && available > 0) {
                const qsizetype used =
                    consumeLiteral(m_buf.constData() + m_bufPos, available, streamOffset(m_bufPos));
                m_bufPos += used;
                m_scanPos = m_bufPos;
                if (m_failed)
                    return Result::Malformed;
            }
            if (m_litRemaining > 0) {
                compact();
                return Result::NeedMore;
            }
            if (m_mode == Mode::Literal && m_litHandler) {
                const LiteralChunkHandler handler = std::move(m_litHandler);
                m_litHandler = LiteralChunkHandler();
                if (!handler(nullptr, 0)) {
                    return fail(ImapParseError::Kind::SinkFailed,
                                QStringLiteral("the literal sink failed to finish"),
                                streamOffset(m_bufPos), Recovery::SkipLiteralThenResponse);
                }
            }
            m_mode = Mode::Line;
            continue;
        }

        const char *base = m_buf.constData();
        const qsizetype end = m_buf.size();
        const void *hit = m_scanPos < end
            ? std::memchr(base + m_scanPos, '\n', size_t(end - m_scanPos))
            : nullptr;
        if (!hit) {
            m_scanPos = end;
            // Without its LF, a line of up to `limit` bytes can have at most its CR here.
            if (m_mode == Mode::Line && !m_discarding && end - m_bufPos >= limit + 2) {
                return fail(ImapParseError::Kind::LimitExceeded,
                            QStringLiteral("line longer than %1 bytes").arg(limit),
                            streamOffset(m_bufPos) + limit, Recovery::DiscardLine);
            }
            compact();
            return Result::NeedMore;
        }
        const qsizetype lf = static_cast<const char *>(hit) - base;
        if (m_mode == Mode::DiscardLine) {
            m_bufPos = m_scanPos = lf + 1;
            m_frameStart = streamOffset(m_bufPos);
            m_mode = Mode::Line;
            continue;
        }

        const qsizetype lineStart = m_bufPos;
        const bool hasCr = lf > lineStart && base[lf - 1] == '\r';
        const qsizetype lineEnd = hasCr ? lf - 1 : lf; // excludes CRLF
        if (m_discarding) {
            // Framing a response only to drop it (after recover()): no checks, no storage.
            const LiteralHeader h = findLiteralHeader(base + lineStart, lineEnd - lineStart);
            m_bufPos = m_scanPos = lf + 1;
            if (h.found && !h.outOfRange) {
                m_mode = Mode::SkipLiteral;
                m_litRemaining = h.size;
            } else {
                m_discarding = false;
                m_frameStart = streamOffset(m_bufPos);
            }
            continue;
        }
        // Checks in an order that gives the same verdict however the bytes were split.
        if (lineEnd - lineStart > limit) {
            return fail(ImapParseError::Kind::LimitExceeded,
                        QStringLiteral("line longer than %1 bytes").arg(limit),
                        streamOffset(lineStart) + limit, Recovery::DiscardLine);
        }
        if (!hasCr) {
            return fail(ImapParseError::Kind::Syntax,
                        QStringLiteral("line ends with a bare LF (RFC 9051 §2.2 requires CRLF)"),
                        streamOffset(lf), Recovery::DiscardLine);
        }
        if (const void *nul = std::memchr(base + lineStart, '\0', size_t(lineEnd - lineStart))) {
            return fail(ImapParseError::Kind::Syntax, QStringLiteral("NUL byte in a response line"),
                        streamOffset(static_cast<const char *>(nul) - base), Recovery::DiscardLine);
        }
        if (const void *cr = std::memchr(base + lineStart, '\r', size_t(lineEnd - lineStart))) {
            return fail(ImapParseError::Kind::Syntax,
                        QStringLiteral("CR not followed by LF in a response line"),
                        streamOffset(static_cast<const char *>(cr) - base), Recovery::DiscardLine);
        }
        const LiteralHeader h = findLiteralHeader(base + lineStart, lineEnd - lineStart);
        if (h.outOfRange) {
            return fail(ImapParseError::Kind::Syntax, QStringLiteral("literal size out of range"),
                        streamOffset(lineStart + h.start), Recovery::DiscardLine);
        }
        const qint64 textLimit = m_limits.maxLiteralSize + m_limits.maxLineLength;
        if (m_frame.text.size() + (lineEnd - lineStart) + m_literalBytes > textLimit) {
            return fail(ImapParseError::Kind::LimitExceeded,
                        QStringLiteral("response larger than %1 bytes").arg(textLimit),
                        streamOffset(lineStart), Recovery::DiscardLine);
        }
        if (m_frame.text.isEmpty()) {
            m_frame.streamOffset = m_frameStart;
            m_contextBudget = 4 * qint64(limit) + qint64(64) * 1024;
        }
        const qsizetype headerTextPos = m_frame.text.size() + h.start;
        m_frame.text.append(base + lineStart, int(lineEnd - lineStart));
        if (h.found)
            m_frame.text.append("\r\n", 2);
        m_bufPos = m_scanPos = lf + 1;
        if (h.found) {
            if (startLiteral(headerTextPos, h.size, h.binary, streamOffset(lineStart + h.start))
                == Result::Malformed)
                return Result::Malformed;
            continue;
        }
        return finishFrame(out);
    }
}

QByteArray ImapParser::lastResponseText() const
{
    // The response's lines with literal headers but no literal bytes (a FETCH body or a
    // password literal is no transcript material), CRLFs as spaces, at most 4 KiB.
    QByteArray text = m_lastText.left(4096);
    text.replace("\r\n", " ");
    return text;
}

} // namespace mailwire::detail
