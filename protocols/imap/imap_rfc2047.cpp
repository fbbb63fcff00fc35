// SPDX-License-Identifier: LGPL-3.0-or-later
#include "imap_rfc2047_p.h"

#include <QtCore/QTextCodec>

namespace mailwire::detail {

namespace {

QTextCodec *codecFor(QByteArray charset)
{
    // RFC 2231 §5: "charset*language" in an encoded-word.
    const int star = charset.indexOf('*');
    if (star >= 0)
        charset.truncate(star);
    if (charset.isEmpty())
        return nullptr;
    return QTextCodec::codecForName(charset);
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// RFC 2047 §4.2 "Q" encoding: '_' is a space, "=XX" a byte.
bool decodeQ(const QByteArray &text, QByteArray *out)
{
    out->reserve(text.size());
    for (int i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '_') {
            out->append(' ');
        } else if (c == '=') {
            if (i + 2 >= text.size())
                return false;
            const int hi = hexValue(text.at(i + 1));
            const int lo = hexValue(text.at(i + 2));
            if (hi < 0 || lo < 0)
                return false;
            out->append(char(hi * 16 + lo));
            i += 2;
        } else {
            out->append(c);
        }
    }
    return true;
}

// Decodes one encoded-word body; false if it is not a well-formed encoded-word.
bool decodeWord(const QByteArray &charset, char encoding, const QByteArray &text, QString *out)
{
    QTextCodec *codec = codecFor(charset);
    if (!codec)
        return false;
    QByteArray bytes;
    if (encoding == 'B' || encoding == 'b') {
        const auto result = QByteArray::fromBase64Encoding(text);
        if (!result)
            return false;
        bytes = result.decoded;
    } else if (encoding == 'Q' || encoding == 'q') {
        if (!decodeQ(text, &bytes))
            return false;
    } else {
        return false;
    }
    *out = codec->toUnicode(bytes);
    return true;
}

bool isBlank(const QByteArray &value, int from, int to)
{
    for (int i = from; i < to; ++i) {
        const char c = value.at(i);
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

} // namespace

QString decodeRfc2047(const QByteArray &value)
{
    if (!value.contains("=?"))
        return QString::fromUtf8(value);
    QString out;
    int pos = 0;    // first byte not yet copied to out
    int search = 0; // where to look for the next "=?"
    bool lastWasWord = false;
    for (;;) {
        const int start = value.indexOf("=?", search);
        if (start < 0)
            break;
        // encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
        const int q1 = value.indexOf('?', start + 2);
        const int q2 = q1 < 0 ? -1 : value.indexOf('?', q1 + 1);
        const int end = q2 < 0 ? -1 : value.indexOf("?=", q2 + 1);
        QString decoded;
        const bool ok = q1 > start + 2 && q2 == q1 + 2 && end > q2
            && !value.mid(q2 + 1, end - q2 - 1).contains(' ')
            && decodeWord(value.mid(start + 2, q1 - start - 2), value.at(q1 + 1),
                          value.mid(q2 + 1, end - q2 - 1), &decoded);
        if (!ok) {
            search = start + 2;
            continue;
        }
        // RFC 2047 §6.2: white space between adjacent encoded-words is not displayed.
        if (!(lastWasWord && isBlank(value, pos, start)))
            out += QString::fromUtf8(value.constData() + pos, start - pos);
        out += decoded;
        pos = search = end + 2;
        lastWasWord = true;
    }
    out += QString::fromUtf8(value.constData() + pos, value.size() - pos);
    return out;
}

QString decodeRfc2231(const QByteArray &value)
{
    const int first = value.indexOf('\'');
    const int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
    if (second < 0)
        return QString();
    QTextCodec *codec = codecFor(value.left(first));
    if (!codec)
        return QString();
    return codec->toUnicode(QByteArray::fromPercentEncoding(value.mid(second + 1)));
}

} // namespace mailwire::detail
