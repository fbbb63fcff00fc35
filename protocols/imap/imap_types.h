// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <optional>

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtCore/QVector>

#include <mailwire/imap_sequence_set.h>
#include <mailwire/protocols_export.h>

class QDebug;

// Typed values carried by IMAP responses (RFC 3501, RFC 9051). Byte strings from the server
// are kept as QByteArray exactly as received; a null QByteArray stands for NIL and an empty,
// non-null one for "". Convenience accessors decode them for people.

namespace mailwire {

class ResponseCodePrivate;

/// The status of a status response (RFC 9051 §7.1): OK, NO, BAD, and the untagged-only
/// PREAUTH and BYE.
enum class ImapStatus {
    Ok,      ///< OK: the command succeeded (tagged), or information (untagged)
    No,      ///< NO: the command failed (tagged), or a warning (untagged)
    Bad,     ///< BAD: the command was not understood (tagged), or a protocol error
    Preauth, ///< PREAUTH: a greeting; the connection is authenticated already
    Bye      ///< BYE: the server is closing the connection
};

/// An attribute/value list such as a body-fld-param, in the order received.
using ImapParameterList = QList<QPair<QByteArray, QByteArray>>;

/// APPENDUID response code data (RFC 4315 §3, RFC 9051 §7.1).
struct AppendUid
{
    quint32 uidValidity = 0; ///< UIDVALIDITY of the destination mailbox
    SequenceSet uids;        ///< UIDs given to the appended message(s)
    /// Field-by-field equality.
    friend bool operator==(const AppendUid &a, const AppendUid &b)
    {
        return a.uidValidity == b.uidValidity && a.uids == b.uids;
    }
};

/// COPYUID response code data (RFC 4315 §3, RFC 9051 §7.1): source UID n was copied to
/// destination UID n (in the order of the two sets).
struct CopyUid
{
    quint32 uidValidity = 0;     ///< UIDVALIDITY of the destination mailbox
    SequenceSet sourceUids;      ///< UIDs in the source mailbox
    SequenceSet destinationUids; ///< matching UIDs in the destination mailbox
    /// Field-by-field equality.
    friend bool operator==(const CopyUid &a, const CopyUid &b)
    {
        return a.uidValidity == b.uidValidity && a.sourceUids == b.sourceUids
            && a.destinationUids == b.destinationUids;
    }
};

/// The bracketed response code of a status response, such as "[UIDNEXT 4392]" (RFC 9051 §7.1,
/// RFC 3501 §7.1, RFC 4315, RFC 5530, RFC 7162). Codes Mailwire knows get a kind and a
/// typed accessor; any other code keeps its name and raw text. A known code whose
/// arguments do not parse is reported as Kind::Other with its raw text, not as an error.
class MAILWIRE_PROTOCOLS_EXPORT ResponseCode
{
public:
    /// The code, by name. Other is any code not listed (see name() and text()).
    enum class Kind {
        None,                 ///< the response carried no code
        Alert,                ///< ALERT: the text must be shown to the user
        AlreadyExists,        ///< ALREADYEXISTS (RFC 5530): the target mailbox exists already
        AppendUid,            ///< APPENDUID (RFC 4315): see appendUid()
        AuthenticationFailed, ///< AUTHENTICATIONFAILED (RFC 5530): wrong credentials
        AuthorizationFailed,  ///< AUTHORIZATIONFAILED (RFC 5530): may not act as that identity
        BadCharset,           ///< BADCHARSET: SEARCH charset not supported; see badCharsets()
        Cannot,               ///< CANNOT (RFC 5530): never possible (such as a forbidden name)
        Capability,           ///< CAPABILITY: the capabilities, see capabilities()
        ClientBug,            ///< CLIENTBUG (RFC 5530): a client error the server tolerated
        Closed,               ///< CLOSED (RFC 7162): the previously selected mailbox is closed
        ContactAdmin,         ///< CONTACTADMIN (RFC 5530): the user should ask the administrator
        CopyUid,              ///< COPYUID (RFC 4315): see copyUid()
        Corruption,           ///< CORRUPTION (RFC 5530): the server found corrupt data
        Expired,              ///< EXPIRED (RFC 5530): the credentials or data have expired
        ExpungeIssued,        ///< EXPUNGEISSUED (RFC 5530): another client expunged messages
        HasChildren,          ///< HASCHILDREN (RFC 9051): DELETE refused, the mailbox has children
        HighestModSeq,        ///< HIGHESTMODSEQ (RFC 7162): see highestModSeq()
        InUse,                ///< INUSE (RFC 5530): the resource is busy (locked); try again later
        Limit,                ///< LIMIT (RFC 5530): a server limit was reached
        Modified,             ///< MODIFIED (RFC 7162): see modified()
        NoModSeq,             ///< NOMODSEQ (RFC 7162): the mailbox keeps no mod-sequences
        NonExistent,          ///< NONEXISTENT (RFC 5530): the mailbox or message does not exist
        NoPerm,               ///< NOPERM (RFC 5530): the user lacks the access rights
        OverQuota,            ///< OVERQUOTA (RFC 5530): the quota is exhausted
        Parse,                ///< PARSE: the server could not parse a message's header
        PermanentFlags,       ///< PERMANENTFLAGS: flags the client may store; see permanentFlags()
        PrivacyRequired,      ///< PRIVACYREQUIRED (RFC 5530): refused without TLS
        ReadOnly,             ///< READ-ONLY: the mailbox was selected read-only
        ReadWrite,            ///< READ-WRITE: the mailbox was selected read-write
        ServerBug,            ///< SERVERBUG (RFC 5530): the server hit an internal error
        TryCreate,            ///< TRYCREATE: the target mailbox does not exist, CREATE may help
        UidNext,              ///< UIDNEXT: see uidNext()
        UidNotSticky,         ///< UIDNOTSTICKY (RFC 4315): UIDs do not persist across sessions
        UidValidity,          ///< UIDVALIDITY: see uidValidity()
        Unavailable,          ///< UNAVAILABLE (RFC 5530): a temporary failure; try again later
        UnknownCte,           ///< UNKNOWN-CTE (RFC 3516): the server cannot decode that encoding
        Unseen,               ///< UNSEEN (IMAP4rev1): see unseen()
        Other                 ///< any other code, or a known one that did not parse
    };

    /// No code.
    ResponseCode();
    /// A code as received: name (upper-cased) and the raw text between the name and "]".
    /// The kind is looked up from the name; typed data is set with the setters below.
    ResponseCode(const QByteArray &name, const QByteArray &text);
    /// A copy: implicitly shared, so cheap until one of the two changes.
    ResponseCode(const ResponseCode &other);
    /// Takes what other holds; other is left empty.
    ResponseCode(ResponseCode &&other) noexcept;
    /// Becomes a copy of other (implicitly shared).
    ResponseCode &operator=(const ResponseCode &other);
    /// Takes what other holds; other is left empty.
    ResponseCode &operator=(ResponseCode &&other) noexcept;
    ~ResponseCode();

    /// The code's kind; None when the response had no code.
    Kind kind() const;
    /// True when the response had no code.
    bool isNull() const { return kind() == Kind::None; }
    /// The name, upper-cased ("UIDNEXT", "X-GM-FOO").
    QByteArray name() const;
    /// Everything between the name's trailing space and "]", raw ("4392", "(\\Seen \\*)").
    QByteArray text() const;

    /// ALERT: the text must be shown to the user (RFC 9051 §7.1).
    bool isAlert() const { return kind() == Kind::Alert; }
    /// READ-ONLY: the mailbox was selected read-only.
    bool isReadOnly() const { return kind() == Kind::ReadOnly; }
    /// READ-WRITE: the mailbox was selected read-write.
    bool isReadWrite() const { return kind() == Kind::ReadWrite; }
    /// TRYCREATE: APPEND/COPY/MOVE target does not exist and CREATE might help.
    bool isTryCreate() const { return kind() == Kind::TryCreate; }

    /// CAPABILITY code atoms, as sent; empty for other kinds.
    QList<QByteArray> capabilities() const;
    /// PERMANENTFLAGS flags, as sent (may include "\\*"); empty for other kinds.
    QList<QByteArray> permanentFlags() const;
    /// BADCHARSET charsets (possibly none); empty for other kinds.
    QList<QByteArray> badCharsets() const;
    /// UIDVALIDITY value.
    std::optional<quint32> uidValidity() const;
    /// UIDNEXT value.
    std::optional<quint32> uidNext() const;
    /// UNSEEN value: the sequence number of the first unseen message (IMAP4rev1).
    std::optional<quint32> unseen() const;
    /// HIGHESTMODSEQ value (RFC 7162 §3.1.2.1).
    std::optional<quint64> highestModSeq() const;
    /// APPENDUID data.
    std::optional<AppendUid> appendUid() const;
    /// COPYUID data.
    std::optional<CopyUid> copyUid() const;
    /// MODIFIED data (RFC 7162 §3.1.3): the messages a conditional STORE did not change.
    std::optional<SequenceSet> modified() const;

    /// Sets the atom list (CAPABILITY, PERMANENTFLAGS, BADCHARSET). For parsers and tests.
    void setAtoms(const QList<QByteArray> &atoms);
    /// Sets the number (UIDVALIDITY, UIDNEXT, UNSEEN, HIGHESTMODSEQ). For parsers and tests.
    void setNumber(quint64 number);
    /// Sets APPENDUID/COPYUID/MODIFIED sets. For parsers and tests.
    void setSets(const SequenceSet &first, const SequenceSet &second = SequenceSet());
    /// Turns a known code whose arguments did not parse into Kind::Other.
    void demoteToOther();

    /// The kind for an upper-cased code name (Other if unknown).
    static Kind kindForName(const QByteArray &upperName);

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const ResponseCode &a, const ResponseCode &b);
    /// Negation of operator==.
    friend bool operator!=(const ResponseCode &a, const ResponseCode &b) { return !(a == b); }

private:
    // Null for "no code", which most responses have: parsing them allocates nothing here.
    QSharedDataPointer<ResponseCodePrivate> d;
};

/// One address of an envelope (RFC 9051 §7.5.2 "address"). Group syntax (RFC 5322 §3.4)
/// appears as a start marker (host NIL, mailbox = group name), the members, and an end
/// marker (host and mailbox NIL).
struct MAILWIRE_PROTOCOLS_EXPORT Address
{
    QByteArray name;    ///< display name (may hold RFC 2047 encoded-words), or null
    QByteArray adl;     ///< source route (obsolete), usually null
    QByteArray mailbox; ///< local part, or the group name of a group start marker
    QByteArray host;    ///< domain; null in group markers

    /// True for the marker that opens a group.
    bool isGroupStart() const { return host.isNull() && !mailbox.isNull(); }
    /// True for the marker that closes a group.
    bool isGroupEnd() const { return host.isNull() && mailbox.isNull(); }
    /// The display name with RFC 2047 encoded-words decoded.
    QString displayName() const;
    /// "mailbox@host" (raw bytes); just the mailbox if host is null.
    QByteArray addrSpec() const;
    /// "Display Name <mailbox@host>", or the bare address when there is no name.
    QString toString() const;

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const Address &a, const Address &b);
    /// Negation of operator==.
    friend bool operator!=(const Address &a, const Address &b) { return !(a == b); }
};

/// The ENVELOPE of a message (RFC 9051 §7.5.2): header fields as the server parsed them.
/// String fields are raw (null = NIL); address lists are empty for NIL.
struct MAILWIRE_PROTOCOLS_EXPORT Envelope
{
    QByteArray date;        ///< Date header, raw
    QByteArray subject;     ///< Subject header, raw (may hold RFC 2047 encoded-words)
    QList<Address> from;    ///< From
    QList<Address> sender;  ///< Sender
    QList<Address> replyTo; ///< Reply-To
    QList<Address> to;      ///< To
    QList<Address> cc;      ///< Cc
    QList<Address> bcc;     ///< Bcc
    QByteArray inReplyTo;   ///< In-Reply-To, raw
    QByteArray messageId;   ///< Message-ID, raw

    /// The subject with RFC 2047 encoded-words decoded (and raw UTF-8 accepted, RFC 6532).
    QString decodedSubject() const;
    /// The Date header as a QDateTime (RFC 5322 §3.3); invalid if it does not parse.
    QDateTime parsedDate() const;

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const Envelope &a, const Envelope &b);
    /// Negation of operator==.
    friend bool operator!=(const Envelope &a, const Envelope &b) { return !(a == b); }
};

/// One LIST or LSUB reply (RFC 9051 §7.3.1, RFC 3501 §7.2.2/§7.2.3, RFC 5258 extended data).
struct MAILWIRE_PROTOCOLS_EXPORT MailboxListEntry
{
    QList<QByteArray> flags;    ///< name attributes as sent: "\\HasNoChildren", "\\Noselect"…
    QByteArray delimiter;       ///< the hierarchy delimiter (one byte), or null for NIL
    QByteArray rawName;         ///< the name as sent (modified UTF-7 or UTF-8)
    QString name;               ///< the name decoded (see ImapMailboxName::decode)
    ImapParameterList extended; ///< RFC 5258 extended items: tag and raw value

    /// True if the entry has the attribute (case-insensitive, e.g. "\\Noselect").
    bool hasFlag(const QByteArray &flag) const;
    /// False for "\\Noselect" and "\\NonExistent" entries.
    bool isSelectable() const;

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const MailboxListEntry &a,
                                                     const MailboxListEntry &b);
    /// Negation of operator==.
    friend bool operator!=(const MailboxListEntry &a, const MailboxListEntry &b)
    {
        return !(a == b);
    }
};

/// A STATUS reply (RFC 9051 §7.3.2, RFC 7162 HIGHESTMODSEQ, RFC 7889 APPENDLIMIT). Items
/// the server did not send stay empty.
struct MAILWIRE_PROTOCOLS_EXPORT StatusData
{
    QByteArray rawMailbox;                ///< the mailbox name as sent
    QString mailbox;                      ///< decoded (see ImapMailboxName::decode)
    std::optional<quint32> messages;      ///< MESSAGES
    std::optional<quint32> recent;        ///< RECENT (IMAP4rev1 only)
    std::optional<quint32> uidNext;       ///< UIDNEXT
    std::optional<quint32> uidValidity;   ///< UIDVALIDITY
    std::optional<quint32> unseen;        ///< UNSEEN
    std::optional<quint32> deleted;       ///< DELETED (RFC 9051)
    std::optional<quint64> size;          ///< SIZE (RFC 9051), octets
    std::optional<quint64> highestModSeq; ///< HIGHESTMODSEQ (RFC 7162)
    ImapParameterList other;              ///< any other item: name and raw value

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const StatusData &a, const StatusData &b);
    /// Negation of operator==.
    friend bool operator!=(const StatusData &a, const StatusData &b) { return !(a == b); }
};

/// One namespace of a NAMESPACE reply (RFC 2342 §5, RFC 9051 §7.3.5).
struct MAILWIRE_PROTOCOLS_EXPORT NamespaceDescriptor
{
    QByteArray prefix;    ///< prefix as sent, e.g. "" or "#shared/"
    QByteArray delimiter; ///< hierarchy delimiter, or null for NIL
    /// Namespace-Response-Extensions: name and its string values.
    QList<QPair<QByteArray, QList<QByteArray>>> extensions;

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const NamespaceDescriptor &a,
                                                     const NamespaceDescriptor &b);
};

/// A NAMESPACE reply: the three classes, each possibly empty (NIL).
struct MAILWIRE_PROTOCOLS_EXPORT NamespaceData
{
    QList<NamespaceDescriptor> personal;   ///< the user's own namespaces
    QList<NamespaceDescriptor> otherUsers; ///< other users' namespaces
    QList<NamespaceDescriptor> shared;     ///< shared namespaces

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const NamespaceData &a,
                                                     const NamespaceData &b);
};

/// A SEARCH reply (RFC 3501 §7.2.5, with RFC 7162 §3.1.5 MODSEQ) or an ESEARCH reply
/// (RFC 4731, RFC 9051 §7.3.4).
struct MAILWIRE_PROTOCOLS_EXPORT SearchResult
{
    QVector<quint32> numbers;      ///< SEARCH: the matching numbers, in the order sent
    std::optional<quint64> modSeq; ///< "(MODSEQ n)" after SEARCH, or ESEARCH MODSEQ
    QByteArray tag;                ///< ESEARCH: the correlator's tag, null if absent
    bool uid = false;              ///< ESEARCH: results are UIDs
    std::optional<quint32> min;    ///< ESEARCH MIN
    std::optional<quint32> max;    ///< ESEARCH MAX
    std::optional<quint32> count;  ///< ESEARCH COUNT
    SequenceSet all;               ///< ESEARCH ALL (empty if absent)
    ImapParameterList other;       ///< any other ESEARCH return item: name and raw value

    /// Field-by-field equality.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const SearchResult &a, const SearchResult &b);
    /// Negation of operator==.
    friend bool operator!=(const SearchResult &a, const SearchResult &b) { return !(a == b); }
};

/// Writes a short description for logs and test failures.
MAILWIRE_PROTOCOLS_EXPORT QDebug operator<<(QDebug debug, const ResponseCode &code);
/// Writes a short description for logs and test failures.
MAILWIRE_PROTOCOLS_EXPORT QDebug operator<<(QDebug debug, const Address &address);
/// Writes a short description for logs and test failures.
MAILWIRE_PROTOCOLS_EXPORT QDebug operator<<(QDebug debug, const Envelope &envelope);

} // namespace mailwire
