// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <optional>
#include <vector>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <mailwire/imap_types.h>
#include <mailwire/protocols_export.h>

class QDebug;

namespace mailwire {

/// The MIME structure of a message as the server describes it in FETCH BODYSTRUCTURE or
/// BODY (RFC 9051 §7.5.2 "body", RFC 3501 §7.4.2): a tree of parts.
///
/// - A single part has type/subtype, parameters, id, description, transfer encoding and
///   size; text parts also have a line count.
/// - A message/rfc822 (or message/global, RFC 6532) part also carries the encapsulated
///   message's envelope, its body (the one child) and its line count.
/// - A multipart has its children and its subtype (type() is "MULTIPART").
///
/// BODYSTRUCTURE adds extension data (MD5, disposition, language, location); anything
/// beyond what RFC 9051 defines is tolerated and skipped. String fields are raw
/// (null = NIL); sizes and line counts are -1 when absent or NIL.
struct MAILWIRE_PROTOCOLS_EXPORT BodyStructure
{
    /// Which of the three part shapes this is.
    enum class Kind {
        SinglePart, ///< a leaf part (text/plain, image/png...)
        Message,    ///< message/rfc822 or message/global: envelope and body (the one child)
        MultiPart   ///< multipart/*: the parts are children
    };

    Kind kind = Kind::SinglePart;     ///< shape of this part
    QByteArray type;                  ///< media type as sent ("TEXT"); "MULTIPART" for multiparts
    QByteArray subtype;               ///< media subtype as sent ("PLAIN", "MIXED")
    ImapParameterList parameters;     ///< body-fld-param (multipart: from the extension data)
    QByteArray id;                    ///< Content-ID, raw
    QByteArray description;           ///< Content-Description, raw
    QByteArray encoding;              ///< Content-Transfer-Encoding as sent ("BASE64")
    qint64 size = -1;                 ///< body size in octets (encoded), -1 if unknown
    qint64 lines = -1;                ///< text and message parts: size in lines, else -1
    std::optional<Envelope> envelope; ///< Message parts: the encapsulated message's envelope
    std::vector<BodyStructure> children; ///< MultiPart: the parts; Message: its body

    bool hasExtensionData = false;           ///< BODYSTRUCTURE extension data was present
    QByteArray md5;                          ///< Content-MD5 (single parts), raw
    QByteArray disposition;                  ///< Content-Disposition type ("attachment"), raw
    ImapParameterList dispositionParameters; ///< Content-Disposition parameters
    QList<QByteArray> language;              ///< Content-Language tags
    QByteArray location;                     ///< Content-Location, raw

    /// The lower-case "type/subtype" ("text/plain", "multipart/alternative").
    QByteArray mimeType() const;
    /// A parameter's raw value by case-insensitive name ("charset"); null if absent.
    QByteArray parameter(const QByteArray &name) const;
    /// A disposition parameter's raw value by case-insensitive name; null if absent.
    QByteArray dispositionParameter(const QByteArray &name) const;
    /// The file name from the disposition's "filename" (RFC 2231 "filename*" included) or
    /// the type's "name" parameter, with RFC 2047/2231 encodings decoded; empty if none.
    QString fileName() const;
    /// True if the disposition is "attachment".
    bool isAttachment() const;

    /// The part at an IMAP section number such as "1.2" (RFC 9051 §6.4.5): child n of a
    /// multipart; for a message part, the numbering continues in its body (whose part 1 is
    /// the body itself when it is not a multipart). "" or "0" is this part. nullptr if
    /// there is no such part.
    const BodyStructure *partAt(const QByteArray &section) const;

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const BodyStructure &a,
                                                     const BodyStructure &b);
    /// Negation of operator==.
    friend bool operator!=(const BodyStructure &a, const BodyStructure &b) { return !(a == b); }
};

/// Writes the tree on one line for logs and test failures.
MAILWIRE_PROTOCOLS_EXPORT QDebug operator<<(QDebug debug, const BodyStructure &body);

} // namespace mailwire
