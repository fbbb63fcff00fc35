// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QtGlobal>

// Not named limits.h: protocols/common is on the include path and would shadow <limits.h>.

namespace mailwire {

/// Bounds on what a server can make a session hold, so that a hostile or broken server
/// cannot make the client use unbounded memory or CPU. Plain values: copy, change, pass to
/// a session (ConnectionSettings::limits).
///
/// ImapSession is the only session so far and enforces every field as its comment says:
/// exceeding one ends the operation with Error::Code::LimitExceeded, nothing is truncated
/// silently. SMTP and POP3 are named below for their sessions once they exist; until then no
/// code applies those parts.
struct Limits
{
    /// Longest line accepted, in bytes, excluding the CRLF. IMAP (enforced): every line of
    /// a response, literals not counted; a longer one fails the session. RFC 3501 sets no
    /// line limit, and CAPABILITY, FETCH ENVELOPE or SEARCH lines can be long. For SMTP/POP3
    /// once they exist: each reply line; RFC 5321 §4.5.3.1.5 allows 512 bytes for an SMTP
    /// reply line and RFC 2449 §4 512 for POP3, but real servers send longer. 64 KiB leaves
    /// room for large SEARCH results while keeping a hostile server from filling memory.
    qsizetype maxLineLength = qsizetype(64) * 1024;

    /// Most literal bytes held in memory for one response, in bytes. IMAP (enforced): the
    /// literals (RFC 3501 §4.3) of one response together, and with maxLineLength the whole
    /// response (its lines and in-memory literals at most maxLiteralSize + maxLineLength
    /// bytes); a larger announcement fails the session before the bytes arrive. FETCH
    /// BODY[] of a large message with attachments is the usual reason to raise it. A body
    /// streamed to a device (ImapFetchItems::streamBodiesWith()) is not held and not counted
    /// here; the parser bounds each such literal separately, at 16 GiB. For SMTP/POP3 once
    /// they exist: a POP3 RETR or TOP body held for one message.
    qint64 maxLiteralSize = qint64(256) * 1024 * 1024;

    /// Most untagged responses one command collects, other than listing entries (below).
    /// IMAP (enforced): CAPABILITY lines, the data SELECT returns, ENABLED, ID, NAMESPACE,
    /// untagged OK with codes, and whatever a raw ImapSession::command() keeps. Untagged data
    /// no command keeps is not held, so not counted (unsolicited EXISTS and FETCH become
    /// signals). Exceeding it fails the session. For SMTP/POP3 once they exist: the lines of
    /// one multi-line reply, SMTP EHLO (RFC 5321 §4.2.1) and POP3 CAPA (RFC 2449 §5).
    int maxReplyLines = 1000;

    /// Most entries of a per-message or per-mailbox listing one command collects. IMAP
    /// (enforced): the FETCH responses of one FETCH, UID FETCH or STORE; the LIST/LSUB
    /// responses of one listing (with their LIST-STATUS STATUS replies); the EXPUNGE
    /// responses of one EXPUNGE or MOVE; and the matches of one SEARCH (each number an entry,
    /// ESEARCH ALL counted as the numbers it stands for). Exceeding it fails the session.
    /// For POP3 once it exists: the lines of LIST and UIDL (RFC 1939 §5). One entry per
    /// message, so mailboxes of a few hundred thousand messages fit.
    int maxListingLines = 1000 * 1000;

    /// Most capabilities kept. IMAP (enforced): the atoms of every CAPABILITY line answering
    /// one command together, and the atoms of one [CAPABILITY] response code (greeting,
    /// LOGIN/AUTHENTICATE OK) on their own; the check comes after parsing (linear) and
    /// before the Capabilities set is built, and exceeding it fails the session. For
    /// SMTP/POP3 once they exist: EHLO keywords, CAPA tags. Real servers announce fewer than
    /// a hundred.
    int maxCapabilities = 512;

    /// Highest SCRAM iteration count accepted from a server (RFC 5802 §5.1 "i="). IMAP
    /// (enforced, AUTHENTICATE SCRAM-SHA-*): a larger count cancels the exchange and the
    /// authentication fails with LimitExceeded, before any PBKDF2 work. The SASL code is
    /// shared, so SMTP/POP3 AUTH will apply it too once they exist. PBKDF2 costs client
    /// CPU per iteration; RFC 7677 §4 recommends at least 4096 and servers use up to
    /// ~100000, so a larger count is a denial of service, not extra safety.
    int maxScramIterations = 1000 * 1000;
};

/// How long each phase of a session may take, in milliseconds; 0 disables a timeout.
/// A stalled peer meets one of these, and each is a deadline: bytes arriving never restart
/// it, so a server trickling a byte at a time cannot hold a session open. Running out ends
/// the operation with Error::Code::Timeout. The one way to earn more time is a transfer that
/// keeps flowing at minimumTransferRate (see there). The session layer all protocols share
/// applies every field; ImapSession is the only session so far, SMTP and POP3 sessions will
/// get the same once they exist. (How often IMAP IDLE is re-issued is
/// ImapSession::setIdleRefreshInterval().)
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
};

} // namespace mailwire
