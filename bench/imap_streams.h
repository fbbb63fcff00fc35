// SPDX-License-Identifier: LGPL-3.0-or-later
// imap_parse: the two FETCH streams it times, generated in memory, deterministically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace bench {

/// A generated server stream and what a correct parse of it must yield.
struct ImapStream
{
    std::string bytes;
    std::uint64_t responses = 0;    ///< untagged FETCH replies plus the final tagged OK
    std::uint64_t literals = 0;     ///< literals in the stream
    std::uint64_t literalBytes = 0; ///< bytes inside those literals
    std::uint64_t uidSum = 0;       ///< sum of the UIDs of the FETCH replies
};

/// "* n FETCH (UID u RFC822.SIZE s BODY[] {s}\r\n<s bytes>)\r\n" replies, s log-uniform in
/// [200 B, 2 MiB] (plus both ends early on), literal bytes mail-like text in CRLF lines;
/// stops at the first reply that reaches targetBytes, then "A1 OK …".
ImapStream makeLiteralHeavyStream(std::size_t targetBytes, std::uint64_t seed);

/// "* n FETCH (UID u FLAGS (…) ENVELOPE (…) BODYSTRUCTURE (…))\r\n" replies: envelopes with
/// quoted strings (escapes, RFC 2047 words, UTF-8), NIL, address lists of 1–4, now and then a
/// literal subject; body structures mostly multipart/alternative (text/plain + text/html),
/// some multipart/mixed with an attachment or a nested message, some single text parts, all
/// with extension data. Then "A1 OK …".
ImapStream makeEnvelopeHeavyStream(std::size_t targetBytes, std::uint64_t seed);

/// Lines ('\n') in bytes, counted with memchr: the ceiling the parser is compared with.
std::uint64_t countLines(const char *data, std::size_t size);

} // namespace bench
