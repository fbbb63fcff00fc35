// SPDX-License-Identifier: LGPL-3.0-or-later
#include "sasl_prep_p.h"

#include <QtCore/QVector>

namespace mailwire::detail {

namespace {

struct Range
{
    uint first;
    uint last;
};

template <size_t N> bool inTable(uint c, const Range (&table)[N])
{
    for (const Range &r : table) {
        if (c >= r.first && c <= r.last)
            return true;
    }
    return false;
}

// RFC 3454 Table C.1.2: non-ASCII space characters, mapped to SPACE (RFC 4013 §2.1).
const Range NonAsciiSpace[] = {{0x00A0, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200B},
                               {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}};

// RFC 3454 Table B.1: commonly mapped to nothing (RFC 4013 §2.1).
const Range MappedToNothing[] = {{0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x1806, 0x1806},
                                 {0x180B, 0x180D}, {0x200B, 0x200D}, {0x2060, 0x2060},
                                 {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}};

// RFC 4013 §2.3: C.1.2, C.2.1, C.2.2, C.3, C.4 (except the per-plane xFFFE/xFFFF, tested
// below), C.5, C.6, C.7, C.8, C.9 of RFC 3454.
const Range Prohibited[] = {{0x0000, 0x001F},   {0x007F, 0x009F}, // C.2.1, C.2.2
                            {0x00A0, 0x00A0},   {0x1680, 0x1680},    {0x2000, 0x200B}, // C.1.2
                            {0x202F, 0x202F},   {0x205F, 0x205F},    {0x3000, 0x3000}, // C.1.2
                            {0x0340, 0x0341},                                          // C.8
                            {0x06DD, 0x06DD},   {0x070F, 0x070F},    {0x180E, 0x180E}, // C.2.2
                            {0x200C, 0x200F},   {0x2028, 0x202E},    {0x2060, 0x2063}, // C.2.2, C.8
                            {0x206A, 0x206F},                                          // C.2.2, C.8
                            {0x2FF0, 0x2FFB},                                          // C.7
                            {0xD800, 0xDFFF},                                          // C.5
                            {0xE000, 0xF8FF},                                          // C.3
                            {0xFDD0, 0xFDEF},                                          // C.4
                            {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFD},                      // C.2.2, C.6
                            {0x1D173, 0x1D17A},                                        // C.2.2
                            {0xE0001, 0xE0001}, {0xE0020, 0xE007F},                    // C.9
                            {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD}};                 // C.3

bool isProhibited(uint c)
{
    return inTable(c, Prohibited) || (c & 0xFFFE) == 0xFFFE; // C.4: U+xFFFE, U+xFFFF
}

bool fail(QString *why, const QString &text)
{
    if (why)
        *why = text;
    return false;
}

} // namespace

bool saslPrep(const QString &input, QByteArray *prepared, QString *why)
{
    bool ascii = true;
    for (const QChar c : input) {
        if (c.unicode() >= 0x80) {
            ascii = false;
            break;
        }
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            return fail(why, QStringLiteral("control characters are not allowed (RFC 4013)"));
    }
    if (ascii) {
        // Printable ASCII: no mapping, NFKC and the prohibitions leave it unchanged.
        *prepared = input.toUtf8();
        return true;
    }

    // RFC 4013 §2.1 mapping, on code points (surrogate pairs joined; a lone surrogate is
    // prohibited by C.5).
    QVector<uint> mapped;
    mapped.reserve(input.size());
    for (int i = 0; i < input.size(); ++i) {
        uint c = input.at(i).unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < input.size() && input.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(input.at(i), input.at(i + 1));
            ++i;
        } else if (QChar::isSurrogate(c)) {
            return fail(why, QStringLiteral("unpaired surrogate (RFC 3454 C.5)"));
        }
        if (inTable(c, NonAsciiSpace))
            mapped.append(0x20);
        else if (!inTable(c, MappedToNothing))
            mapped.append(c);
    }

    // RFC 4013 §2.2: NFKC, with the Unicode version stringprep was defined against.
    const QString normalized = QString::fromUcs4(mapped.constData(), mapped.size())
                                   .normalized(QString::NormalizationForm_KC, QChar::Unicode_3_2);

    // RFC 4013 §2.3 prohibitions and §2.4 / RFC 3454 §6 bidi rule.
    const QVector<uint> chars = normalized.toUcs4();
    bool hasRandAL = false;
    bool hasL = false;
    for (const uint c : chars) {
        if (isProhibited(c))
            return fail(why,
                        QStringLiteral("prohibited character U+%1 (RFC 4013 §2.3)")
                            .arg(c, 4, 16, QLatin1Char('0'))
                            .toUpper());
        const QChar::Direction d = QChar::direction(c);
        hasRandAL = hasRandAL || d == QChar::DirR || d == QChar::DirAL;
        hasL = hasL || d == QChar::DirL;
    }
    if (hasRandAL) {
        const auto isRandAL = [](uint c) {
            const QChar::Direction d = QChar::direction(c);
            return d == QChar::DirR || d == QChar::DirAL;
        };
        if (hasL || !isRandAL(chars.first()) || !isRandAL(chars.last()))
            return fail(why, QStringLiteral("mixed-direction text violates RFC 3454 §6"));
    }
    *prepared = normalized.toUtf8();
    return true;
}

} // namespace mailwire::detail
