// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <mailwire/protocols_export.h>

/// Mailbox names on the wire (RFC 3501 §5.1.3, RFC 9051 §5.1).
///
/// IMAP4rev1 servers send international mailbox names in "modified UTF-7": printable ASCII
/// stands for itself except '&', which is written "&-"; anything else is UTF-16BE in a
/// modified base64 (',' instead of '/', no padding) between '&' and '-', e.g. "&ZeVnLIqe-"
/// for 日本語. IMAP4rev2 servers, and IMAP4rev1 servers after ENABLE UTF8=ACCEPT
/// (RFC 6855), send raw UTF-8 instead.
namespace mailwire::ImapMailboxName {

/// Decodes modified UTF-7. Returns a null QString and sets *ok to false if the bytes are
/// not valid modified UTF-7 (8-bit bytes, a bad base64 character, a missing '-', an odd
/// number of UTF-16 bytes, a broken surrogate pair, non-zero padding bits, or an encoded
/// run that only holds printable ASCII).
MAILWIRE_PROTOCOLS_EXPORT QString decodeUtf7(const QByteArray &encoded, bool *ok = nullptr);

/// Encodes a name in modified UTF-7 for an IMAP4rev1 command.
MAILWIRE_PROTOCOLS_EXPORT QByteArray encodeUtf7(const QString &name);

/// The name a person should see for a name the server sent: modified UTF-7 if the bytes
/// are valid modified UTF-7 and utf8Mode is false, else UTF-8 (invalid UTF-8 sequences
/// become U+FFFD). Bytes with the high bit set are never modified UTF-7, so raw UTF-8
/// names are recognised in either mode. "INBOX" in any case becomes "INBOX" (RFC 9051
/// §5.1: the name is case-insensitive).
MAILWIRE_PROTOCOLS_EXPORT QString decode(const QByteArray &raw, bool utf8Mode = false);

} // namespace mailwire::ImapMailboxName
