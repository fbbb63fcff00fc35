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

ImapCommandBuilder::ImapCommandBuilder(const QByteArray &name, bool literalPlus)
    : m_literalPlus(literalPlus)
{
    m_pieces.append({name, RedactionHint::ImapCommand, false});
}

void ImapCommandBuilder::appendSeparator()
{
    m_pieces.last().bytes += ' ';
}

ImapCommandBuilder &ImapCommandBuilder::raw(const QByteArray &token)
{
    if (token.contains('\r') || token.contains('\n') || token.contains('\0')) {
        if (!m_error.isError())
            m_error = Error(Error::Code::InvalidArgument,
                            QStringLiteral("A command token contains CR, LF or NUL"));
        return *this;
    }
    appendSeparator();
    m_pieces.last().bytes += token;
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
        m_pieces.last().bytes += quoted(utf8);
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
            m_error = Error(Error::Code::InvalidArgument,
                            QStringLiteral("A mailbox name contains CR, LF or NUL; nothing was sent"));
        return *this;
    }
    const QByteArray encoded = utf8 ? name.toUtf8() : ImapMailboxName::encodeUtf7(name);
    appendSeparator();
    if (isQuotable(encoded))
        m_pieces.last().bytes += quoted(encoded);
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
    ImapCommandPiece &head = m_pieces.last();
    head.bytes += (binary ? "~{" : "{") + QByteArray::number(data.size())
                  + (m_literalPlus ? "+}" : "}");
    // Without LITERAL+ the server must say "+" before the literal's bytes go out.
    head.waitsForContinuation = !m_literalPlus;
    const RedactionHint hint = secret ? RedactionHint::Secret : RedactionHint::None;
    if (m_literalPlus) {
        head.bytes += "\r\n";
        m_pieces.append({data, hint, false});
    } else {
        m_pieces.append({data, hint, false});
    }
}

QList<ImapCommandPiece> ImapCommandBuilder::pieces()
{
    return m_pieces;
}

} // namespace mailwire::detail
