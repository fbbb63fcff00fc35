// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <functional>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QString>

#include <mailwire/error.h>
#include <mailwire/imap_response.h>
#include <mailwire/protocol_limits.h>
#include <mailwire/transcript.h>

#include "command_pipeline_p.h"

namespace mailwire {
class Reply;
} // namespace mailwire

namespace mailwire::detail {

/// Where a secret argument sits in a piece's bytes: [from, to). For a literal it covers the
/// "{n}" header too (the size of a password is part of the secret).
struct ImapSecretSpan
{
    int from = 0;
    int to = 0;
};

/// One piece of a command as it goes on the wire. A command with synchronising literals
/// (RFC 3501 §4.3) is several pieces: the server's "+" continuation releases the next.
///
/// Redaction follows the argument, not the piece (DESIGN.md §2, rule 9): after a literal,
/// the next arguments travel in the literal's piece, so each secret argument records its
/// own span, and transcriptText() hides exactly those spans whatever piece they landed in.
struct ImapCommandPiece
{
    ImapCommandPiece(const QByteArray &pieceBytes = QByteArray(),
                     RedactionHint pieceHint = RedactionHint::None, bool waits = false)
        : bytes(pieceBytes), hint(pieceHint), waitsForContinuation(waits)
    {}

    QByteArray bytes; // without the trailing CRLF of the last piece
    /// Applied to the whole text after the secret spans are hidden: ImapCommand for a
    /// command's first piece (a caller's raw "LOGIN user pass" is still recognised).
    RedactionHint hint = RedactionHint::None;
    bool waitsForContinuation = false; // ends with a synchronising "{n}" header
    QList<ImapSecretSpan> secrets;     // the secret arguments, in order

    /// What a transcript or log may show for prefix (the tag, for the first piece) followed
    /// by this piece: every secret span replaced by "<redacted>", then hint applied.
    QByteArray transcriptText(const QByteArray &prefix = QByteArray()) const;
};

/// What one command has collected so far, counted against the limits that bound it
/// (DESIGN.md §2, rule 5; protocol_limits.h says which limit governs which response).
class ImapCollectionBudget
{
public:
    /// Counts response, which the command just kept. LimitExceeded, naming the limit, once
    /// the command holds more than limits allow; None otherwise.
    Error charge(const ImapResponse &response, const Limits &limits);

private:
    qint64 m_replyLines = 0;     // Limits::maxReplyLines
    qint64 m_listingEntries = 0; // Limits::maxListingLines
    qint64 m_capabilities = 0;   // Limits::maxCapabilities, over all CAPABILITY lines
};

/// LimitExceeded if response carries a [CAPABILITY] code with more atoms than
/// Limits::maxCapabilities (a greeting, or the OK of LOGIN/AUTHENTICATE); None otherwise.
Error checkCapabilityCode(const ImapResponse &response, const Limits &limits);

/// An IMAP command in the session's CommandPipeline (queued or in flight): its pieces, its
/// tag, and what to do with its responses. name, pipelinable (RFC 3501 §5.5),
/// connectionPhase, onSent and onAborted are the pipeline's (PipelinedCommand).
struct ImapCommand : PipelinedCommand
{
    QList<ImapCommandPiece> pieces;
    QByteArray tag; // set when sent
    int nextPiece = 0;
    /// Untagged responses while in flight; return true if this command used it.
    std::function<bool(const ImapResponse &)> onUntagged;
    /// What the responses onUntagged used add up to (the session fails past a limit).
    ImapCollectionBudget collected;
    /// "+" continuation (AUTHENTICATE, IDLE) once all pieces are sent.
    std::function<void(const ImapResponse &)> onContinuation;
    /// The tagged completion.
    std::function<void(const ImapResponse &)> onCompleted;

    /// Where the command's transfer progress goes (Reply::progress()): FETCH body literals
    /// as they arrive, or APPEND's message as it leaves. Null: nothing to report.
    QPointer<Reply> progressReply;
    /// APPEND: the size of the message, the command's last literal; -1 for a download.
    qint64 uploadSize = -1;
    /// FETCH of one message: the total is the sizes its literals announce; otherwise
    /// unknown (-1) until the command completes.
    bool downloadTotalKnown = false;
    /// SessionBase::bytesQueued() when the first piece went out.
    qint64 firstByte = -1;
    /// The parser's literal counters when the command was sent (FETCH).
    qint64 receivedBase = 0;
    qint64 announcedBase = 0;

    /// A synchronising literal still waits for the server's "+".
    bool isFullySent() const override { return nextPiece >= pieces.size(); }
};

/// Builds one command, choosing atom, quoted string or literal for each argument and
/// rejecting arguments that could inject a second command (DESIGN.md §2, rule 6).
class ImapCommandBuilder
{
public:
    /// name: the command verb(s), e.g. "UID FETCH". literalPlus: the server offers
    /// LITERAL+ or LITERAL- (RFC 7888), so literals need no round trip.
    ImapCommandBuilder(const QByteArray &name, bool literalPlus);

    /// A protocol token we produce ourselves (sequence set, fetch items, a SASL initial
    /// response); must not contain CR, LF or NUL. secret: the transcript shows <redacted>.
    ImapCommandBuilder &raw(const QByteArray &token, bool secret = false);
    /// A caller's string: 7-bit text as a quoted string, 8-bit text as a literal.
    /// CR, LF and NUL are refused. secret: the transcript shows <redacted> in its place,
    /// in whichever piece it travels (a literal's header and bytes included).
    ImapCommandBuilder &string(const QString &value, bool secret = false);
    /// A mailbox name: modified UTF-7 (or UTF-8 when utf8 is set), then as string().
    ImapCommandBuilder &mailbox(const QString &name, bool utf8 = false);
    /// Arbitrary bytes as a literal (APPEND message data). binary: literal8 "~{n}".
    ImapCommandBuilder &literal(const QByteArray &data, bool binary = false);

    /// The first argument error (InvalidArgument), or none.
    Error error() const { return m_error; }
    /// The pieces to send; call once.
    QList<ImapCommandPiece> pieces();

private:
    void appendSeparator();
    /// Appends text to the current piece, recording its span if it is secret.
    void appendText(const QByteArray &text, bool secret);
    void appendLiteral(const QByteArray &data, bool secret, bool binary);

    QList<ImapCommandPiece> m_pieces;
    Error m_error;
    bool m_literalPlus = false;
};

/// True if value can be sent as an IMAP quoted string (7-bit, no CR/LF/NUL).
bool isQuotable(const QByteArray &value);
/// value as a quoted string, escaping '\' and '"'.
QByteArray quoted(const QByteArray &value);

} // namespace mailwire::detail
