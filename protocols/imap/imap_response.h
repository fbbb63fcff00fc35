// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <mailwire/imap_body_structure.h>
#include <mailwire/imap_fetch_data.h>
#include <mailwire/imap_types.h>
#include <mailwire/protocols_export.h>

class QDebug;

namespace mailwire {

/// One complete server response (RFC 9051 §7, RFC 3501 §7): a status response (tagged or
/// untagged), untagged data, or a continuation request. Only the members that belong to
/// type are filled; the others keep their default values.
struct MAILWIRE_PROTOCOLS_EXPORT ImapResponse
{
    /// What the response is.
    enum class Type {
        TaggedStatus,   ///< "A1 OK …": tag, status, code, text
        UntaggedStatus, ///< "* OK …", greeting, "* PREAUTH", "* BYE": status, code, text
        Continuation,   ///< "+ …": code (rare), text (raw; may be base64 for SASL)
        Capability,     ///< "* CAPABILITY …": atoms
        Enabled,        ///< "* ENABLED …" (RFC 5161): atoms
        Flags,          ///< "* FLAGS (…)": atoms
        List,           ///< "* LIST …": mailbox
        Lsub,           ///< "* LSUB …": mailbox
        Status,         ///< "* STATUS …": status data
        Exists,         ///< "* n EXISTS": number
        Recent,         ///< "* n RECENT": number
        Expunge,        ///< "* n EXPUNGE": number
        Fetch,          ///< "* n FETCH (…)": number, fetch
        Search,         ///< "* SEARCH …": search
        ESearch,        ///< "* ESEARCH …" (RFC 4731): search
        Namespace,      ///< "* NAMESPACE …" (RFC 2342): namespaces
        Id,             ///< "* ID …" (RFC 2971): idParameters
        Unknown         ///< any other untagged data: keyword, number (if any), raw
    };

    /// What the response is, and so which of the members below are filled.
    Type type = Type::Unknown;
    QByteArray tag;                     ///< TaggedStatus: the command's tag
    ImapStatus status = ImapStatus::Ok; ///< TaggedStatus, UntaggedStatus
    ResponseCode code;                  ///< status responses (and continuations): "[…]"
    QByteArray text;                    ///< status/continuation human text, raw bytes
    quint32 number = 0;                 ///< Exists, Recent, Expunge, Fetch; Unknown "* n X"
    QList<QByteArray> atoms;            ///< Capability, Enabled, Flags
    MailboxListEntry mailbox;           ///< List, Lsub
    StatusData statusData;              ///< Status
    FetchData fetch;                    ///< Fetch (fetch.sequenceNumber == number)
    SearchResult search;                ///< Search, ESearch
    NamespaceData namespaces;           ///< Namespace
    ImapParameterList idParameters;     ///< Id: field/value pairs (value null for NIL)
    bool idIsNil = false;               ///< Id: the server sent "* ID NIL"
    QByteArray keyword;                 ///< untagged data keyword, upper-cased ("FETCH", "X-FOO")
    QByteArray raw;                     ///< Unknown: everything after the keyword, raw

    /// True for a tagged status response.
    bool isTagged() const { return type == Type::TaggedStatus; }
    /// True for tagged and untagged status responses.
    bool isStatus() const { return type == Type::TaggedStatus || type == Type::UntaggedStatus; }
    /// The human text decoded as UTF-8 (RFC 9051 allows UTF-8 in resp-text).
    QString textString() const { return QString::fromUtf8(text); }

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const ImapResponse &a, const ImapResponse &b);
    /// Negation of operator==.
    friend bool operator!=(const ImapResponse &a, const ImapResponse &b) { return !(a == b); }
};

/// The enumerator name ("TaggedStatus").
MAILWIRE_PROTOCOLS_EXPORT const char *imapResponseTypeName(ImapResponse::Type type);
/// "OK", "NO", "BAD", "PREAUTH" or "BYE".
MAILWIRE_PROTOCOLS_EXPORT const char *imapStatusName(ImapStatus status);

/// Writes a one-line description for logs and test failures.
MAILWIRE_PROTOCOLS_EXPORT QDebug operator<<(QDebug debug, const ImapResponse &response);

} // namespace mailwire
