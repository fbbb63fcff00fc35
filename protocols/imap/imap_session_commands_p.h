// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <memory>

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <mailwire/error.h>
#include <mailwire/imap_command_options.h>
#include <mailwire/imap_sequence_set.h>
#include <mailwire/reply.h>

namespace mailwire {
class ImapIdleReply;
}

namespace mailwire::detail {

struct ImapCommand;

/// What ImapSession's mailbox, message and IDLE commands keep between commands (part of
/// ImapSession::Private; reset with each new connection).
struct ImapCommandsState
{
    ImapMailboxState selected;    // the mailbox SELECT/EXAMINE opened; empty name: none
    QPointer<ImapIdleReply> idle; // the IDLE in progress, if any
    bool utf8 = false;            // ENABLE UTF8=ACCEPT / IMAP4rev2 took effect
    bool tracking = false;        // exists/expunged/recent keep `selected` current

    /// Forgets the connection's state; `tracking` stays (its connections stay too).
    void reset()
    {
        selected = ImapMailboxState();
        utf8 = false;
    }
};

/// InvalidArgument naming what was wrong, for the caller's arguments refused before sending.
Error invalidArgument(const QString &what);
/// CommandFailed for a command the server does not offer (nothing was sent).
Error notOffered(const QString &what);

/// A flag or keyword (RFC 9051 §9 "flag"): an atom, optionally after one "\\". Refuses
/// CR, LF, NUL, spaces, parentheses, quotes, "{", "%", "*", "]" and 8-bit bytes.
bool isValidFlag(const QByteArray &flag);
/// "(\\Seen $Label)" from validated flags; sets *error and returns null on a bad one.
QByteArray flagList(const QStringList &flags, Error *error);
/// An atom (ENABLE capabilities, SEARCH charset): ATOM-CHARs only.
bool isAtom(const QByteArray &atom);
/// SEARCH criteria the caller built: no CR, LF or NUL, and no trailing "{n}" that the
/// server would read as a literal announcement swallowing our next command.
bool isValidCriteria(const QByteArray &criteria);
/// RFC 3501 §9 date-time for APPEND: "\" 7-Jan-2025 10:00:00 +0100\"" (English month,
/// space-padded day), in the date-time's own UTC offset.
QByteArray imapDateTime(const QDateTime &dateTime);

/// True if a FETCH response belongs to the set (number for FETCH, UID for UID FETCH). '*'
/// (the largest number, unknown here) makes a range open-ended.
bool setMayContain(const SequenceSet &set, quint32 number);

} // namespace mailwire::detail
