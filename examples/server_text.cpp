// SPDX-License-Identifier: LGPL-3.0-or-later
#include "server_text.h"

#include <algorithm>

namespace mailwire::examples {

namespace {

bool needsEscape(QChar c)
{
    switch (c.category()) {
    case QChar::Other_Control:  // C0, DEL, C1: ESC drives the terminal
    case QChar::Other_Format:   // bidi overrides and isolates, zero-width characters
    case QChar::Separator_Line: // U+2028
    case QChar::Separator_Paragraph: return true;
    default: return false;
    }
}

QString escaped(const QString &text, int maxChars, bool quoted)
{
    QString out;
    out.reserve(text.size());
    const int kept = maxChars < 0 ? text.size() : std::min(maxChars, text.size());
    int i = 0;
    for (; i < kept; ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('\\') || (quoted && c == QLatin1Char('"'))) {
            out += QLatin1Char('\\');
            out += c;
        } else if (needsEscape(c)) {
            const ushort u = c.unicode();
            out += u < 0x100 ? QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'))
                             : QStringLiteral("\\u%1").arg(u, 4, 16, QLatin1Char('0'));
        } else if (c.isHighSurrogate() && i + 1 == kept && kept < text.size()) {
            break; // never keep half of a pair at the cut
        } else {
            out += c;
        }
    }
    if (i < text.size())
        out += QChar(0x2026); // …
    return out;
}

} // namespace

QString escapedServerText(const QString &text, int maxChars)
{
    return escaped(text, maxChars, false);
}

QString unverifiedServerText(const QString &text)
{
    return QStringLiteral("(unverified server text before TLS: \"%1\")")
        .arg(escaped(text, UnverifiedTextMaxChars, true));
}

} // namespace mailwire::examples
