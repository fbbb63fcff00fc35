// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/imap_mailbox_name.h>

#include <QtCore/QVector>

namespace mailwire::ImapMailboxName {

namespace {

// RFC 3501 §5.1.3: modified BASE64 of RFC 2152 with ',' in place of '/'.
int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == ',')
        return 63;
    return -1;
}

bool isPrintableAscii(uint c) { return c >= 0x20 && c <= 0x7e; }

QString fail(bool *ok)
{
    if (ok)
        *ok = false;
    return QString();
}

void flushRun(QByteArray &out, QVector<ushort> &run)
{
    if (run.isEmpty())
        return;
    QByteArray utf16be;
    utf16be.reserve(run.size() * 2);
    for (ushort unit : qAsConst(run)) {
        utf16be.append(char(unit >> 8));
        utf16be.append(char(unit & 0xff));
    }
    QByteArray encoded =
        utf16be.toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
    encoded.replace('/', ',');
    out.append('&');
    out.append(encoded);
    out.append('-');
    run.clear();
}

} // namespace

QString decodeUtf7(const QByteArray &encoded, bool *ok)
{
    QString out;
    out.reserve(encoded.size());
    const int n = encoded.size();
    int i = 0;
    while (i < n) {
        const char c = encoded.at(i);
        if (!isPrintableAscii(uchar(c)))
            return fail(ok); // 8-bit or control: not modified UTF-7
        if (c != '&') {
            out.append(QLatin1Char(c));
            ++i;
            continue;
        }
        ++i;
        if (i < n && encoded.at(i) == '-') { // "&-" is '&' itself
            out.append(QLatin1Char('&'));
            ++i;
            continue;
        }
        quint32 bits = 0;
        int bitCount = 0;
        const int runStart = out.size();
        while (i < n && encoded.at(i) != '-') {
            const int v = base64Value(encoded.at(i));
            if (v < 0)
                return fail(ok);
            bits = (bits << 6) | quint32(v);
            bitCount += 6;
            if (bitCount >= 16) {
                bitCount -= 16;
                out.append(QChar(ushort((bits >> bitCount) & 0xffff)));
            }
            bits &= (1U << bitCount) - 1;
            ++i;
        }
        if (i >= n)
            return fail(ok); // no terminating '-'
        ++i;
        // Leftover bits must be fewer than one base64 character and all zero.
        if (bitCount >= 6 || bits != 0 || out.size() == runStart)
            return fail(ok);
        for (int k = runStart; k < out.size(); ++k) {
            const QChar ch = out.at(k);
            if (isPrintableAscii(ch.unicode()))
                return fail(ok); // printable ASCII must represent itself
            if (ch.isHighSurrogate()) {
                if (k + 1 >= out.size() || !out.at(k + 1).isLowSurrogate())
                    return fail(ok);
                ++k;
            } else if (ch.isLowSurrogate()) {
                return fail(ok);
            }
        }
    }
    if (ok)
        *ok = true;
    return out;
}

QByteArray encodeUtf7(const QString &name)
{
    QByteArray out;
    out.reserve(name.size() + 8);
    QVector<ushort> run;
    for (const QChar ch : name) {
        const ushort u = ch.unicode();
        if (isPrintableAscii(u)) {
            flushRun(out, run);
            if (u == '&')
                out.append("&-");
            else
                out.append(char(u));
        } else {
            run.append(u);
        }
    }
    flushRun(out, run);
    return out;
}

QString decode(const QByteArray &raw, bool utf8Mode)
{
    QString name;
    bool ok = false;
    if (!utf8Mode)
        name = decodeUtf7(raw, &ok);
    if (!ok)
        name = QString::fromUtf8(raw);
    if (name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0)
        name = QStringLiteral("INBOX");
    return name;
}

} // namespace mailwire::ImapMailboxName
