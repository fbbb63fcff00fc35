// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <functional>
#include <optional>

#include <QtCore/QByteArray>
#include <QtCore/QFlags>
#include <QtCore/QList>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>

#include <mailwire/error.h>
#include <mailwire/imap_fetch_data.h>
#include <mailwire/protocols_export.h>

class QIODevice;

// What callers pass to ImapSession's mailbox and message commands: STATUS items, the STORE
// mode, FETCH items, and the state of the selected mailbox the session remembers.

namespace mailwire {

class ImapFetchItemsPrivate;

/// One STATUS item (RFC 9051 §6.3.11, RFC 3501 §6.3.10, RFC 7162 HIGHESTMODSEQ).
enum class ImapStatusItem : unsigned {
    Messages = 0x01,     ///< MESSAGES
    Recent = 0x02,       ///< RECENT (IMAP4rev1 only)
    UidNext = 0x04,      ///< UIDNEXT
    UidValidity = 0x08,  ///< UIDVALIDITY
    Unseen = 0x10,       ///< UNSEEN
    Deleted = 0x20,      ///< DELETED (IMAP4rev2)
    Size = 0x40,         ///< SIZE (IMAP4rev2)
    HighestModSeq = 0x80 ///< HIGHESTMODSEQ (CONDSTORE)
};
/// A set of STATUS items.
Q_DECLARE_FLAGS(ImapStatusItems, ImapStatusItem)
Q_DECLARE_OPERATORS_FOR_FLAGS(ImapStatusItems)

/// The items as a STATUS argument list, "(MESSAGES UNSEEN)", in the order of the enum.
MAILWIRE_PROTOCOLS_EXPORT QByteArray imapStatusItemList(ImapStatusItems items);

/// How STORE changes flags (RFC 9051 §6.4.6).
enum class ImapStoreMode {
    Add,    ///< +FLAGS: add these flags
    Remove, ///< -FLAGS: remove these flags
    Replace ///< FLAGS: set exactly these flags
};

/// What the session knows about the mailbox SELECT or EXAMINE opened (RFC 9051 §6.3.2):
/// the data of the select responses, kept current with later EXISTS, RECENT and EXPUNGE.
struct MAILWIRE_PROTOCOLS_EXPORT ImapMailboxState
{
    QString mailbox;                      ///< the name as the caller gave it; empty: none
    bool readOnly = false;                ///< [READ-ONLY] (always for EXAMINE)
    quint32 exists = 0;                   ///< "* n EXISTS"
    quint32 recent = 0;                   ///< "* n RECENT" (IMAP4rev1)
    std::optional<quint32> uidValidity;   ///< [UIDVALIDITY n]
    std::optional<quint32> uidNext;       ///< [UIDNEXT n]
    std::optional<quint32> unseen;        ///< [UNSEEN n]: first unseen message (IMAP4rev1)
    QList<QByteArray> flags;              ///< "* FLAGS (...)", as sent
    QList<QByteArray> permanentFlags;     ///< [PERMANENTFLAGS (...)], as sent (may hold "\\*")
    std::optional<quint64> highestModSeq; ///< [HIGHESTMODSEQ n] (CONDSTORE)

    /// True when a mailbox is selected.
    bool isValid() const { return !mailbox.isEmpty(); }
};

/// A body literal about to be streamed to the caller's device (see ImapFetchItems).
struct ImapStreamedSection
{
    quint32 sequenceNumber = 0; ///< the message's sequence number
    std::optional<quint32> uid; ///< its UID, when the server sent UID before the body
    FetchSection::Kind kind = FetchSection::Kind::Body; ///< BODY[…], BINARY[…], RFC822…
    QByteArray section; ///< the section spec as sent ("", "1.2", "TEXT")
    qint64 origin = -1; ///< the partial fetch's origin, -1 if none
    qint64 size = 0;    ///< bytes that will be written
};

/// The items of a FETCH or UID FETCH (RFC 9051 §6.4.5), built fluently:
///
///     ImapFetchItems().uid().flags().envelope().bodyPeek("HEADER.FIELDS (DATE FROM)")
///
/// Sections are checked as they are added (printable ASCII, no "[", "]", CR, LF or NUL;
/// BINARY sections are part numbers only); the first problem is kept in error() and the
/// session refuses the fetch with it before anything is sent.
///
/// Body literals are kept in FetchData::sections, or, with streamBodiesTo() or
/// streamBodiesWith(), written to the caller's device as they arrive (a 50 MB BODY[] is then
/// never held in memory; the FetchSection says streamed and carries the size only).
class MAILWIRE_PROTOCOLS_EXPORT ImapFetchItems
{
public:
    /// Chooses the device for one streamed literal; nullptr keeps that literal in memory.
    using DeviceChooser = std::function<QIODevice *(const ImapStreamedSection &)>;

    /// No item yet.
    ImapFetchItems();
    /// A copy: implicitly shared, so cheap until one of the two changes.
    ImapFetchItems(const ImapFetchItems &other);
    /// Takes what other holds; other is left empty.
    ImapFetchItems(ImapFetchItems &&other) noexcept;
    /// Becomes a copy of other (implicitly shared).
    ImapFetchItems &operator=(const ImapFetchItems &other);
    /// Takes what other holds; other is left empty.
    ImapFetchItems &operator=(ImapFetchItems &&other) noexcept;
    ~ImapFetchItems();

    /// UID: the message's unique identifier, into FetchData::uid.
    ImapFetchItems &uid() { return add("UID"); }
    /// FLAGS: the message's flags ("\\Seen", "$Forwarded"), into FetchData::flags.
    ImapFetchItems &flags() { return add("FLAGS"); }
    /// INTERNALDATE: when the server received the message, into FetchData::internalDate.
    ImapFetchItems &internalDate() { return add("INTERNALDATE"); }
    /// RFC822.SIZE: the message's size in octets, into FetchData::rfc822Size.
    ImapFetchItems &rfc822Size() { return add("RFC822.SIZE"); }
    /// ENVELOPE: date, subject, addresses and ids as the server parsed them, into
    /// FetchData::envelope.
    ImapFetchItems &envelope() { return add("ENVELOPE"); }
    /// BODYSTRUCTURE: the MIME tree with extension data, into FetchData::bodyStructure.
    ImapFetchItems &bodyStructure() { return add("BODYSTRUCTURE"); }
    /// MODSEQ (RFC 7162; the server must offer CONDSTORE), into FetchData::modSeq.
    ImapFetchItems &modSeq() { return add("MODSEQ"); }
    /// `BODY.PEEK[section]<origin.length>`: the section without setting `\Seen`. section "" is
    /// the whole message; origin -1 fetches all of it, else length must be positive.
    ImapFetchItems &bodyPeek(const QByteArray &section = QByteArray(), qint64 origin = -1,
                             qint64 length = -1);
    /// `BODY[section]<origin.length>`: as bodyPeek() but sets `\Seen`.
    ImapFetchItems &body(const QByteArray &section = QByteArray(), qint64 origin = -1,
                         qint64 length = -1);
    /// `BINARY.PEEK[part]<origin.length>` (RFC 3516; the server must offer BINARY): the part
    /// with its transfer encoding removed. part: "", "1", "1.2" …
    ImapFetchItems &binaryPeek(const QByteArray &part = QByteArray(), qint64 origin = -1,
                               qint64 length = -1);
    /// BINARY.SIZE[part] (RFC 3516): the part's size once decoded, into
    /// FetchData::binarySizes.
    ImapFetchItems &binarySize(const QByteArray &part);

    /// Streams every body literal of the reply into device, one after the other (the
    /// FetchSection sizes tell where each ends). The device must be open for writing and
    /// outlive the reply; it is not closed.
    ImapFetchItems &streamBodiesTo(QIODevice *device);
    /// Streams each body literal into the device chooser returns for it.
    ImapFetchItems &streamBodiesWith(DeviceChooser chooser);

    /// True if no item was added.
    bool isEmpty() const;
    /// True if a BINARY item was added.
    bool usesBinary() const;
    /// The first invalid item (InvalidArgument), or none.
    Error error() const;
    /// The items as sent: "(UID FLAGS BODY.PEEK[HEADER]<0.1024>)".
    QByteArray toByteArray() const;
    /// The streaming chooser, if any.
    const DeviceChooser &deviceChooser() const;

private:
    ImapFetchItems &add(const QByteArray &item);
    ImapFetchItems &addSection(const QByteArray &name, const QByteArray &section, qint64 origin,
                               qint64 length, bool binaryPart);

    QSharedDataPointer<ImapFetchItemsPrivate> d;
};

} // namespace mailwire
