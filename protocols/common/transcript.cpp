// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/transcript.h>

#include <cstdio>

namespace mailwire {

class StringTranscriptPrivate
{
public:
    QList<QByteArray> lines;
};

class StderrTranscriptPrivate
{
public:
    QByteArray prefix; // "imap " or empty
};

namespace {

const QByteArray Redacted = QByteArrayLiteral("<redacted>");

QByteArray prefixFor(TranscriptSink::Direction direction)
{
    return direction == TranscriptSink::Direction::Client ? QByteArrayLiteral("C: ")
                                                          : QByteArrayLiteral("S: ");
}

// Control bytes are shown as escapes so a server cannot drive the terminal (ANSI escapes).
QByteArray displayable(const QByteArray &line)
{
    static const char hex[] = "0123456789abcdef";
    QByteArray out;
    out.reserve(line.size());
    for (const char ch : line) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        } else {
            out += ch;
        }
    }
    return out;
}

// End of the space-delimited token that starts at pos.
int tokenEnd(const QByteArray &s, int pos)
{
    const int space = s.indexOf(' ', pos);
    return space < 0 ? s.size() : space;
}

bool tokenIs(const QByteArray &s, int from, int to, const char *word)
{
    return s.mid(from, to - from).compare(word, Qt::CaseInsensitive) == 0;
}

QByteArray redactFrom(const QByteArray &line, int pos) { return line.left(pos) + Redacted; }

// "<verb> mechanism [initial-response]" with the mechanism starting at mechStart
// (IMAP AUTHENTICATE with SASL-IR, RFC 4959; SMTP AUTH, RFC 4954 §4; POP3 AUTH, RFC 5034 §4).
QByteArray redactSaslCommand(const QByteArray &line, int mechStart)
{
    const int mechEnd = tokenEnd(line, mechStart);
    if (mechEnd >= line.size())
        return line; // no initial response
    if (line.mid(mechEnd + 1) == "=")
        return line; // "=" is the empty response: no secret
    return redactFrom(line, mechEnd + 1);
}

enum class Skip {
    Done,
    Incomplete,
    Malformed
};

// Skips one IMAP astring (RFC 3501 §9: atom, quoted or literal) at *pos.
Skip skipAstring(const QByteArray &s, int *pos)
{
    int i = *pos;
    if (i >= s.size())
        return Skip::Malformed;
    if (s.at(i) == '"') {
        for (++i; i < s.size(); ++i) {
            if (s.at(i) == '\\') {
                ++i; // quoted-specials are escaped
            } else if (s.at(i) == '"') {
                *pos = i + 1;
                return Skip::Done;
            }
        }
        return Skip::Malformed;
    }
    if (s.at(i) == '{') {
        // "{n}" or LITERAL+ "{n+}", CRLF, then n bytes (RFC 3501 §4.3, RFC 7888).
        qint64 size = 0;
        int digits = 0;
        for (++i; i < s.size() && s.at(i) >= '0' && s.at(i) <= '9' && digits < 10; ++i, ++digits)
            size = size * 10 + (s.at(i) - '0');
        if (i < s.size() && s.at(i) == '+')
            ++i;
        if (digits == 0 || i >= s.size() || s.at(i) != '}')
            return Skip::Malformed;
        ++i;
        if (i == s.size())
            return Skip::Incomplete; // the literal's bytes come in a later entry
        if (s.mid(i, 2) != "\r\n")
            return Skip::Malformed;
        i += 2;
        if (s.size() - i < size)
            return Skip::Incomplete;
        *pos = i + int(size);
        return Skip::Done;
    }
    *pos = tokenEnd(s, i);
    return Skip::Done;
}

QByteArray redactImap(const QByteArray &line)
{
    const int tagEnd = line.indexOf(' ');
    if (tagEnd < 0)
        return line;
    const int verbStart = tagEnd + 1;
    const int verbEnd = tokenEnd(line, verbStart);
    if (verbEnd >= line.size())
        return line; // no arguments, nothing to hide
    if (tokenIs(line, verbStart, verbEnd, "AUTHENTICATE"))
        return redactSaslCommand(line, verbEnd + 1);
    if (!tokenIs(line, verbStart, verbEnd, "LOGIN"))
        return line;

    // RFC 3501 §6.2.3: LOGIN userid password, both astrings.
    const int userStart = verbEnd + 1;
    int userEnd = userStart;
    switch (skipAstring(line, &userEnd)) {
    case Skip::Incomplete: return line;                       // the password is not in this entry
    case Skip::Malformed: return redactFrom(line, userStart); // fail closed
    case Skip::Done: break;
    }
    if (userEnd == line.size())
        return line; // user only; the password follows later
    if (line.at(userEnd) != ' ')
        return redactFrom(line, userStart);
    return redactFrom(line, userEnd + 1);
}

QByteArray redactPop3(const QByteArray &line)
{
    const int verbEnd = tokenEnd(line, 0);
    if (verbEnd >= line.size())
        return line;
    // RFC 1939 §7: PASS takes the rest of the line (it may contain spaces).
    if (tokenIs(line, 0, verbEnd, "PASS"))
        return redactFrom(line, verbEnd + 1);
    // RFC 1939 §7: APOP name digest. The digest is an MD5 over the shared secret.
    if (tokenIs(line, 0, verbEnd, "APOP")) {
        const int nameEnd = tokenEnd(line, verbEnd + 1);
        return redactFrom(line, nameEnd >= line.size() ? verbEnd + 1 : nameEnd + 1);
    }
    if (tokenIs(line, 0, verbEnd, "AUTH"))
        return redactSaslCommand(line, verbEnd + 1);
    return line;
}

QByteArray redactSmtp(const QByteArray &line)
{
    const int verbEnd = tokenEnd(line, 0);
    if (verbEnd < line.size() && tokenIs(line, 0, verbEnd, "AUTH"))
        return redactSaslCommand(line, verbEnd + 1);
    return line;
}

} // namespace

void TranscriptSink::marker(const QString & /*event*/) {}

StringTranscript::StringTranscript() : d(std::make_unique<StringTranscriptPrivate>()) {}

StringTranscript::~StringTranscript() = default;

void StringTranscript::line(Direction direction, const QByteArray &line)
{
    d->lines.append(prefixFor(direction) + line);
}

void StringTranscript::marker(const QString &event) { d->lines.append('[' + event.toUtf8() + ']'); }

QList<QByteArray> StringTranscript::lines() const { return d->lines; }

void StringTranscript::clear() { d->lines.clear(); }

QByteArray StringTranscript::text() const
{
    QByteArray out;
    for (const QByteArray &entry : qAsConst(d->lines)) {
        out += entry;
        out += '\n';
    }
    return out;
}

StderrTranscript::StderrTranscript(const QString &prefix)
    : d(std::make_unique<StderrTranscriptPrivate>())
{
    if (!prefix.isEmpty())
        d->prefix = prefix.toUtf8() + ' ';
}

StderrTranscript::~StderrTranscript() = default;

void StderrTranscript::line(Direction direction, const QByteArray &line)
{
    // One fwrite per line, so lines from several sessions do not interleave mid-line.
    const QByteArray out = d->prefix + prefixFor(direction) + displayable(line) + '\n';
    std::fwrite(out.constData(), 1, size_t(out.size()), stderr);
    std::fflush(stderr);
}

void StderrTranscript::marker(const QString &event)
{
    const QByteArray out = d->prefix + '[' + displayable(event.toUtf8()) + "]\n";
    std::fwrite(out.constData(), 1, size_t(out.size()), stderr);
    std::fflush(stderr);
}

QByteArray redactClientLine(const QByteArray &line, RedactionHint hint)
{
    switch (hint) {
    case RedactionHint::None: return line;
    case RedactionHint::ImapCommand: return redactImap(line);
    case RedactionHint::SmtpCommand: return redactSmtp(line);
    case RedactionHint::Pop3Command: return redactPop3(line);
    case RedactionHint::SaslResponse:
        // RFC 4422 §3.5: "*" cancels; an empty line is an empty response. Neither is secret.
        return line.isEmpty() || line == "*" ? line : Redacted;
    case RedactionHint::Secret: return Redacted;
    }
    return Redacted;
}

} // namespace mailwire
