// SPDX-License-Identifier: LGPL-3.0-or-later
#include "imap_command_p.h"

#include <mailwire/imap_mailbox_name.h>

namespace mailwire::detail {

bool isQuotable(const QByteArray &value)
{
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0 || byte == '\r' || byte == '\n' || byte > 0x7e)
            return false;
    }
    return true;
}

QByteArray quoted(const QByteArray &value)
{
    QByteArray out;
    out.reserve(value.size() + 2);
    out += '"';
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

QByteArray ImapCommandPiece::transcriptText(const QByteArray &prefix) const
{
    if (secrets.isEmpty() && prefix.isEmpty())
        return redactClientLine(bytes, hint); // shares the bytes: a large literal is not copied
    QByteArray text = prefix;
    int pos = 0;
    for (const ImapSecretSpan &span : secrets) {
        text += bytes.mid(pos, span.from - pos);
        text += redactClientLine(bytes.mid(span.from, span.to - span.from), RedactionHint::Secret);
        pos = span.to;
    }
    text += bytes.mid(pos);
    return redactClientLine(text, hint);
}

ImapCommandBuilder::ImapCommandBuilder(const QByteArray &name, bool literalPlus)
    : m_literalPlus(literalPlus)
{
    m_pieces.append({name, RedactionHint::ImapCommand, false});
}

void ImapCommandBuilder::appendSeparator() { m_pieces.last().bytes += ' '; }

void ImapCommandBuilder::appendText(const QByteArray &text, bool secret)
{
    ImapCommandPiece &piece = m_pieces.last();
    const int from = piece.bytes.size();
    piece.bytes += text;
    if (secret)
        piece.secrets.append({from, piece.bytes.size()});
}

ImapCommandBuilder &ImapCommandBuilder::raw(const QByteArray &token, bool secret)
{
    if (token.contains('\r') || token.contains('\n') || token.contains('\0')) {
        if (!m_error.isError())
            m_error = Error(Error::Code::InvalidArgument,
                            QStringLiteral("A command token contains CR, LF or NUL"));
        return *this;
    }
    appendSeparator();
    appendText(token, secret);
    return *this;
}

ImapCommandBuilder &ImapCommandBuilder::string(const QString &value, bool secret)
{
    const QByteArray utf8 = value.toUtf8();
    // Rule 6: a CR or LF inside an argument would end our command and start another.
    if (utf8.contains('\r') || utf8.contains('\n') || utf8.contains('\0')) {
        if (!m_error.isError())
            m_error = Error(Error::Code::InvalidArgument,
                            QStringLiteral("An argument contains CR, LF or NUL; nothing was sent"));
        return *this;
    }
    appendSeparator();
    if (isQuotable(utf8)) {
        appendText(quoted(utf8), secret);
        return *this;
    }
    appendLiteral(utf8, secret, false);
    return *this;
}

ImapCommandBuilder &ImapCommandBuilder::mailbox(const QString &name, bool utf8)
{
    if (name.contains(QLatin1Char('\r')) || name.contains(QLatin1Char('\n'))
        || name.contains(QChar(0))) {
        if (!m_error.isError())
            m_error =
                Error(Error::Code::InvalidArgument,
                      QStringLiteral("A mailbox name contains CR, LF or NUL; nothing was sent"));
        return *this;
    }
    const QByteArray encoded = utf8 ? name.toUtf8() : ImapMailboxName::encodeUtf7(name);
    appendSeparator();
    if (isQuotable(encoded))
        appendText(quoted(encoded), false);
    else
        appendLiteral(encoded, false, false);
    return *this;
}

ImapCommandBuilder &ImapCommandBuilder::literal(const QByteArray &data, bool binary)
{
    appendSeparator();
    appendLiteral(data, false, binary);
    return *this;
}

void ImapCommandBuilder::appendLiteral(const QByteArray &data, bool secret, bool binary)
{
    // The header goes with the text before it; the literal's bytes start the next piece,
    // and the arguments after the literal join that piece (each keeping its own span).
    appendText((binary ? "~{" : "{") + QByteArray::number(data.size())
                   + (m_literalPlus ? "+}" : "}"),
               secret);
    // Without LITERAL+ the server must say "+" before the literal's bytes go out.
    ImapCommandPiece &head = m_pieces.last();
    head.waitsForContinuation = !m_literalPlus;
    if (m_literalPlus)
        head.bytes += "\r\n";
    ImapCommandPiece literal;
    literal.bytes = data;
    if (secret)
        literal.secrets.append({0, data.size()});
    m_pieces.append(literal);
}

QList<ImapCommandPiece> ImapCommandBuilder::pieces() { return m_pieces; }

} // namespace mailwire::detail
