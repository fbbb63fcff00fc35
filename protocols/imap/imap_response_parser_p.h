// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <optional>

#include <QtCore/QByteArray>

#include <mailwire/imap_fetch_data.h>
#include <mailwire/imap_response.h>

#include "imap_lexer_p.h"

// From one framed response to typed values (RFC 9051 §7, §9). The framing (lines,
// literals, limits) is ImapParser's job; these functions see a complete Frame and never
// wait for bytes.

namespace mailwire::detail {

/// What the sink of a streamed literal is told about it before the first byte.
struct LiteralContext
{
    quint32 sequenceNumber = 0; ///< the FETCH reply's message sequence number
    std::optional<quint32> uid; ///< the UID, if the reply gave it before this item
    FetchSection::Kind kind = FetchSection::Kind::Body; ///< BODY[…], BINARY[…], RFC822…
    QByteArray section;  ///< section spec as sent ("", "1.2", "TEXT")
    qint64 origin = -1;  ///< partial fetch origin, -1 if none
    qint64 size = 0;     ///< the literal's size in bytes
    bool binary = false; ///< a literal8 (may hold NUL bytes)
};

/// How to read what the frame holds.
struct ResponseParseOptions
{
    bool utf8Mode = false; ///< mailbox names are UTF-8 (IMAP4rev2 or UTF8=ACCEPT)
    int maxDepth = 64;     ///< deepest list nesting accepted (BODYSTRUCTURE recursion)
};

/// Parses a complete response. On failure returns false with a message and the text
/// position where parsing stopped.
bool parseResponse(const Frame &frame, const ResponseParseOptions &options, ImapResponse *out,
                   QByteArray *error, qsizetype *errorPos);

/// msg-att: "(" item *(SP item) ")" of a FETCH reply (imap_fetch_parser.cpp).
bool parseFetchAttributes(Input &in, qsizetype &pos, FetchData *out);
/// envelope (RFC 9051 §9).
bool parseEnvelope(Input &in, qsizetype &pos, Envelope *out);
/// body (RFC 9051 §9); extension data is read when present.
bool parseBodyStructure(Input &in, qsizetype &pos, BodyStructure *out);
/// date-time (RFC 9051 §9) from INTERNALDATE's unquoted text; nullopt if invalid.
std::optional<QDateTime> parseInternalDate(const QByteArray &text);

/// If the literal whose header starts at headerPos (at the end of frame.text, its bytes not
/// read yet) is the value of a FETCH body item (BODY[…], BINARY[…], RFC822, RFC822.HEADER,
/// RFC822.TEXT), fills *out (without size/binary) and returns true. Costs one scan of the
/// frame's text.
bool describeFetchLiteral(const Frame &frame, qsizetype headerPos, LiteralContext *out);

} // namespace mailwire::detail
