// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QtGlobal>

// Not named limits.h: protocols/common is on the include path and would shadow <limits.h>.

namespace mailwire {

/// Every size a server controls is bounded by one of these, so a hostile or broken server
/// cannot make the client use unbounded memory or CPU.
/// Exceeding one ends the operation with Error::Code::LimitExceeded; nothing grows without
/// bound and nothing is truncated silently. Plain values: copy, change, pass to a session.
struct Limits
{
    /// Longest line accepted, in bytes, excluding the CRLF. RFC 5321 §4.5.3.1.5 allows
    /// 512 bytes for an SMTP reply line and RFC 2449 §4 512 for POP3, but real servers
    /// send longer, and IMAP (CAPABILITY, FETCH ENVELOPE, SEARCH) sets no line limit at all.
    /// 64 KiB leaves room for large SEARCH results while keeping a hostile server from
    /// filling memory.
    qsizetype maxLineLength = qsizetype(64) * 1024;

    /// Largest IMAP literal (RFC 3501 §4.3) or POP3/SMTP body held for one item, in bytes.
    /// FETCH BODY[] of a large message with attachments is the usual reason to raise it;
    /// streamed consumers may lower it.
    qint64 maxLiteralSize = qint64(256) * 1024 * 1024;

    /// Most lines in one multi-line reply kept in memory: SMTP EHLO and other multi-line
    /// replies (RFC 5321 §4.2.1), POP3 CAPA (RFC 2449 §5). IMAP: the untagged responses one
    /// command collects that are not listing entries (below): CAPABILITY lines, the data
    /// SELECT returns, ENABLED, ID, NAMESPACE, untagged OK with codes, and whatever a raw
    /// ImapSession::command() keeps. Exceeding it fails the session with LimitExceeded.
    int maxReplyLines = 1000;

    /// Most entries of a per-message or per-mailbox listing kept in memory, one command's
    /// worth: POP3 LIST and UIDL lines (RFC 1939 §5). IMAP: the FETCH responses of one
    /// FETCH, UID FETCH or STORE; the LIST/LSUB responses of one listing (with their
    /// LIST-STATUS STATUS replies); the EXPUNGE responses of one EXPUNGE or MOVE; and the
    /// matches of one SEARCH (each number an entry, ESEARCH ALL counted as the numbers it
    /// stands for). One entry per message, so mailboxes of a few hundred thousand messages
    /// fit. Exceeding it fails the session with LimitExceeded.
    int maxListingLines = 1000 * 1000;

    /// Most capabilities (IMAP CAPABILITY atoms, EHLO keywords, CAPA tags) kept. IMAP counts
    /// the atoms of every CAPABILITY line answering one command together, and the atoms of
    /// one [CAPABILITY] response code (greeting, LOGIN/AUTHENTICATE OK) on their own. The
    /// check comes after parsing (linear) and before the Capabilities set is built; exceeding
    /// it fails the session with LimitExceeded. Real servers announce fewer than a hundred.
    int maxCapabilities = 512;

    /// Highest SCRAM iteration count accepted from a server (RFC 5802 §5.1 "i="). PBKDF2
    /// costs client CPU per iteration; RFC 7677 §4 recommends at least 4096 and servers use
    /// up to ~100000, so a larger count is a denial of service, not extra safety.
    int maxScramIterations = 1000 * 1000;
};

/// How long each phase of a session may take, in milliseconds; 0 disables a timeout.
/// A stalled peer meets one of these, and each is a deadline: bytes arriving never restart
/// it, so a server trickling a byte at a time cannot hold a session open. Running out ends
/// the operation with Error::Code::Timeout. The one way to earn more time
/// is a transfer that keeps flowing at minimumTransferRate (see there).
struct Timeouts
{
    /// TCP connect (including DNS and proxy negotiation).
    int connectMs = 30 * 1000;
    /// From connected to the server's complete greeting, however it trickles in.
    int greetingMs = 30 * 1000;
    /// The TLS handshake and certificate verification.
    int handshakeMs = 30 * 1000;
    /// A command's reply must be complete within commandMs of the command being sent (or,
    /// with several commands in flight, of the previous one completing). During the
    /// upgrade (capabilities before and after TLS, the STARTTLS reply) this is a hard
    /// deadline; once connected, a reply still arriving at minimumTransferRate when it
    /// passes (a large FETCH or RETR) is given another commandMs, period by period.
    /// A server that is silent while it works (a long SEARCH or COPY) must finish within
    /// commandMs: raise it for such commands rather than lowering minimumTransferRate.
    int commandMs = 60 * 1000;
    /// Bytes per second, in either direction, that keep a command alive past commandMs:
    /// when a commandMs period ends with the reply incomplete, the command gets another
    /// period only if at least minimumTransferRate × commandMs / 1000 bytes moved during
    /// the one that ended; otherwise it fails with Error::Code::Timeout. 1 KiB/s is far
    /// below any link a mail client can work over and far above a trickle. 0 makes
    /// commandMs a hard deadline for every reply.
    int minimumTransferRate = 1024;
    /// IMAP IDLE is re-issued after this long: RFC 2177 §3 advises clients to re-issue IDLE
    /// at least every 29 minutes, since servers may log out clients inactive for 30.
    int idleMs = 29 * 60 * 1000;
};

} // namespace mailwire
