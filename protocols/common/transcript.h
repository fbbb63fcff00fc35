// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <memory>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <mailwire/protocols_export.h>

namespace mailwire {

class StringTranscriptPrivate;
class StderrTranscriptPrivate;

/// Receives the lines a session exchanges, for logs, tools and tests. Sessions redact client
/// lines (see redactClientLine()) before they reach a sink, so a sink never sees a password,
/// token or SASL payload. Called in the session's thread.
class MAILWIRE_PROTOCOLS_EXPORT TranscriptSink
{
public:
    /// Who sent a line.
    enum class Direction {
        Client, ///< we sent it ("C:")
        Server  ///< the server sent it ("S:")
    };

    /// Sinks are owned by the application and may be deleted through this base.
    virtual ~TranscriptSink() = default;

    /// One protocol line without its CRLF. A client command that carries IMAP literals may
    /// arrive as one entry with the literals inline (CRLF inside) or as one entry per
    /// segment; a sink should not assume either.
    virtual void line(Direction direction, const QByteArray &line) = 0;
    /// An event between lines, such as "TLS handshake" or "TLS established". Ignored by
    /// default.
    virtual void marker(const QString &event);
};

/// Collects "C: ..." and "S: ..." lines in memory, markers as "[event]", for tests (compare
/// the whole transcript at once) and tools. Lines are kept byte for byte.
class MAILWIRE_PROTOCOLS_EXPORT StringTranscript : public TranscriptSink
{
public:
    StringTranscript();
    ~StringTranscript() override;
    Q_DISABLE_COPY(StringTranscript)

    void line(Direction direction, const QByteArray &line) override;
    void marker(const QString &event) override;

    /// Every entry so far, e.g. {"S: * OK ready", "C: A1 CAPABILITY", "[TLS handshake]"}.
    QList<QByteArray> lines() const;
    /// lines() joined, each followed by '\n'.
    QByteArray text() const;
    /// Forgets every entry.
    void clear();

private:
    std::unique_ptr<StringTranscriptPrivate> d;
};

/// Writes "C: ..."/"S: ..." lines to stderr (optionally prefixed, such as "imap"), one write per
/// line. Control characters (which a hostile server could use to drive a terminal) are shown
/// as escapes such as `\r` and `\x1b`.
class MAILWIRE_PROTOCOLS_EXPORT StderrTranscript : public TranscriptSink
{
public:
    /// prefix, if not empty, starts every line followed by a space.
    explicit StderrTranscript(const QString &prefix = QString());
    ~StderrTranscript() override;
    Q_DISABLE_COPY(StderrTranscript)

    void line(Direction direction, const QByteArray &line) override;
    void marker(const QString &event) override;

private:
    std::unique_ptr<StderrTranscriptPrivate> d;
};

/// What kind of client line redactClientLine() is looking at. The session knows what it is
/// sending, so it says; the function then hides exactly the secret part.
enum class RedactionHint {
    None,         ///< known to carry no secret: returned unchanged
    ImapCommand,  ///< IMAP command: LOGIN password, AUTHENTICATE initial response
    SmtpCommand,  ///< SMTP command: AUTH initial response (RFC 4954)
    Pop3Command,  ///< POP3 command: PASS, APOP digest, AUTH initial response (RFC 5034)
    SaslResponse, ///< answer to a SASL challenge ("+ ..." / "334 ..."): the whole line,
                  ///< except an empty response and the cancel "*", which hide nothing
    Secret        ///< the whole line is secret (e.g. the bytes of a password literal)
};

/// Returns the line with its secret replaced by "<redacted>"; every other byte unchanged:
///
///     IMAP  "a1 LOGIN fred secret"          -> "a1 LOGIN fred <redacted>"
///           (quoted or literal user and password alike; "a1 LOGIN {4}\r\nfred {6}\r\nsecret"
///           given as one entry -> "a1 LOGIN {4}\r\nfred <redacted>")
///           "a2 AUTHENTICATE PLAIN AGZyZWQA..." -> "a2 AUTHENTICATE PLAIN <redacted>"
///     SMTP  "AUTH PLAIN AGZyZWQA..."        -> "AUTH PLAIN <redacted>"
///     POP3  "PASS secret" -> "PASS <redacted>", "APOP fred c4c9..." -> "APOP fred <redacted>"
///
/// A SASL-IR "=" (empty initial response) is not a secret and stays. If a secret-bearing
/// command cannot be parsed, all of its arguments are redacted (fail closed).
///
/// Per-segment transcripts of IMAP synchronising literals (RFC 3501 §7.5): the first
/// segment ("a1 LOGIN {4}") is an ImapCommand; any later segment that holds part of the
/// password must be logged with RedactionHint::Secret (only the session knows which).
MAILWIRE_PROTOCOLS_EXPORT QByteArray redactClientLine(const QByteArray &line, RedactionHint hint);

} // namespace mailwire
