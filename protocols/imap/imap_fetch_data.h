// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <optional>

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QList>

#include <mailwire/imap_body_structure.h>
#include <mailwire/imap_types.h>
#include <mailwire/protocols_export.h>

class QDebug;

namespace mailwire {

/// One body section of a FETCH reply: `BODY[section]<origin>`, `BINARY[section]<origin>`
/// (RFC 3516, RFC 9051 §7.5.2) or the IMAP4rev1 RFC822, RFC822.HEADER and RFC822.TEXT.
struct MAILWIRE_PROTOCOLS_EXPORT FetchSection
{
    /// Which item carried the bytes.
    enum class Kind {
        Body,         ///< `BODY[section]`: the bytes as stored, transfer encoding and all
        Binary,       ///< `BINARY[section]` (RFC 3516): decoded, may hold NUL bytes
        Rfc822,       ///< RFC822 (IMAP4rev1): the whole message, as `BODY[]`
        Rfc822Header, ///< RFC822.HEADER (IMAP4rev1): the header, as `BODY[HEADER]`
        Rfc822Text    ///< RFC822.TEXT (IMAP4rev1): the text after the header, as `BODY[TEXT]`
    };

    /// Which item carried the bytes; with section, what to look them up by (see
    /// FetchData::section()).
    Kind kind = Kind::Body;
    QByteArray section;    ///< the section spec as sent between "[" and "]": "", "1.2",
                           ///< "HEADER.FIELDS (DATE FROM)"; empty for the RFC822 items
    qint64 origin = -1;    ///< the "<origin>" of a partial fetch, -1 if absent
    QByteArray data;       ///< the bytes; null for NIL and for a streamed literal
    bool isNil = false;    ///< the server sent NIL
    bool streamed = false; ///< the bytes went to the parser's literal sink, not into data
    qint64 size = 0;       ///< how many bytes the server sent (also when streamed)

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const FetchSection &a, const FetchSection &b);
    /// Negation of operator==.
    friend bool operator!=(const FetchSection &a, const FetchSection &b) { return !(a == b); }
};

/// Everything one untagged FETCH reply said about one message (RFC 9051 §7.5.2,
/// RFC 3501 §7.4.2, RFC 7162 MODSEQ, RFC 3516 BINARY). Items the reply did not carry
/// stay empty; a server may send several FETCH replies for one message (e.g. FLAGS
/// updates), so callers merge by sequence number or UID.
struct MAILWIRE_PROTOCOLS_EXPORT FetchData
{
    quint32 sequenceNumber = 0;                 ///< the message sequence number
    std::optional<quint32> uid;                 ///< UID
    std::optional<QList<QByteArray>> flags;     ///< FLAGS, as sent ("\\Seen", "$Forwarded")
    QByteArray rawInternalDate;                 ///< INTERNALDATE as sent, null if absent
    std::optional<QDateTime> internalDate;      ///< INTERNALDATE parsed (with its UTC offset)
    std::optional<quint64> rfc822Size;          ///< RFC822.SIZE
    std::optional<Envelope> envelope;           ///< ENVELOPE
    std::optional<BodyStructure> bodyStructure; ///< BODYSTRUCTURE (with extension data)
    std::optional<BodyStructure> body;          ///< BODY without a section (no extension data)
    std::optional<quint64> modSeq;              ///< MODSEQ (RFC 7162 §3.1.4)
    QList<FetchSection> sections;               ///< BODY[…], BINARY[…], RFC822* items, in order
    QList<QPair<QByteArray, quint64>> binarySizes; ///< BINARY.SIZE[section] values
    ImapParameterList other; ///< unknown items (X-GM-LABELS …): name, raw value

    /// The first section of the given kind whose spec matches case-insensitively, or
    /// nullptr. section("") is BODY[] (the whole message).
    const FetchSection *section(const QByteArray &spec,
                                FetchSection::Kind kind = FetchSection::Kind::Body) const;
    /// True if the reply carried FLAGS containing flag (case-insensitive).
    bool hasFlag(const QByteArray &flag) const;

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const FetchData &a, const FetchData &b);
    /// Negation of operator==.
    friend bool operator!=(const FetchData &a, const FetchData &b) { return !(a == b); }
};

/// Writes a short description for logs and test failures.
MAILWIRE_PROTOCOLS_EXPORT QDebug operator<<(QDebug debug, const FetchSection &section);
/// Writes a short description for logs and test failures.
MAILWIRE_PROTOCOLS_EXPORT QDebug operator<<(QDebug debug, const FetchData &fetch);

} // namespace mailwire
