// SPDX-License-Identifier: LGPL-3.0-or-later
#include "imap_lexer_p.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace mailwire::detail {

// ---- Frame --------------------------------------------------------------------------------

qint64 Frame::streamPosition(qsizetype pos) const
{
    qint64 offset = streamOffset + pos;
    for (const FrameLiteral &lit : literals) {
        if (lit.textOffset > pos)
            break;
        offset += lit.size;
    }
    return offset;
}

const FrameLiteral *Frame::literalAt(qsizetype textOffset) const
{
    const auto it = std::lower_bound( // NOLINT(readability-qualified-auto): a pointer only in Qt 5
        literals.cbegin(), literals.cend(), textOffset,
        [](const FrameLiteral &lit, qsizetype offset) { return lit.textOffset < offset; });
    if (it == literals.cend() || it->textOffset != textOffset)
        return nullptr;
    return &*it;
}

QByteArray Frame::rawSlice(qsizetype from, qsizetype to) const
{
    from = qBound(qsizetype(0), from, qsizetype(text.size()));
    to = qBound(from, to, qsizetype(text.size()));
    QByteArray out;
    qsizetype pos = from;
    for (const FrameLiteral &lit : literals) {
        if (lit.textOffset <= from)
            continue;
        if (lit.textOffset > to)
            break;
        out.append(text.constData() + pos, int(lit.textOffset - pos));
        out.append(lit.bytes);
        pos = lit.textOffset;
    }
    out.append(text.constData() + pos, int(to - pos));
    return out;
}

void Frame::clear()
{
    // Keep the text's capacity for the next response unless one response made it large.
    if (text.capacity() > 64 * 1024)
        text = QByteArray();
    else
        text.resize(0);
    literals.clear();
    streamOffset = 0;
}

// ---- Input --------------------------------------------------------------------------------

bool Input::fail(qsizetype pos, const char *message)
{
    if (m_errorPos < 0) {
        m_error = message;
        m_errorPos = pos;
    }
    return false;
}

bool Input::enter(qsizetype pos)
{
    if (m_depth >= m_maxDepth)
        return fail(pos, "lists nested too deeply");
    ++m_depth;
    return true;
}

// ---- Tokens -------------------------------------------------------------------------------

bool eatSpace(Input &in, qsizetype &pos) { return eatChar(in, pos, ' ', "expected a space"); }

bool eatChar(Input &in, qsizetype &pos, char c, const char *message)
{
    if (in.atEnd(pos) || in.at(pos) != c)
        return in.fail(pos, message);
    ++pos;
    return true;
}

bool peekWord(const Input &in, qsizetype pos, const char *word)
{
    const qsizetype len = qsizetype(std::strlen(word));
    if (pos + len > in.size() || qstrnicmp(in.data() + pos, word, uint(len)) != 0)
        return false;
    return in.atEnd(pos + len) || !hasClass(in.at(pos + len), AtomChar);
}

bool eatWord(Input &in, qsizetype &pos, const char *word)
{
    if (!peekWord(in, pos, word))
        return in.fail(pos, "unexpected word");
    pos += qsizetype(std::strlen(word));
    return true;
}

bool peekNil(const Input &in, qsizetype pos) { return peekWord(in, pos, "NIL"); }

namespace {

bool getRun(Input &in, qsizetype &pos, QByteArray *out, CharClass cls, const char *message)
{
    qsizetype end = pos;
    while (end < in.size() && hasClass(in.data()[end], cls))
        ++end;
    if (end == pos)
        return in.fail(pos, message);
    if (out)
        *out = QByteArray(in.data() + pos, int(end - pos));
    pos = end;
    return true;
}

} // namespace

bool getAtom(Input &in, qsizetype &pos, QByteArray *out)
{
    return getRun(in, pos, out, AtomChar, "expected an atom");
}

bool getAStringAtom(Input &in, qsizetype &pos, QByteArray *out)
{
    return getRun(in, pos, out, AStringChar, "expected an atom or a string");
}

bool getNumber64(Input &in, qsizetype &pos, quint64 *out)
{
    qsizetype end = pos;
    quint64 value = 0;
    const quint64 max = quint64(std::numeric_limits<qint64>::max());
    while (end < in.size() && hasClass(in.data()[end], Digit)) {
        value = value * 10 + quint64(in.data()[end] - '0');
        if (value > max)
            return in.fail(pos, "number too large");
        ++end;
    }
    if (end == pos)
        return in.fail(pos, "expected a number");
    *out = value;
    pos = end;
    return true;
}

bool getNumber(Input &in, qsizetype &pos, quint32 *out)
{
    qsizetype p = pos;
    quint64 value = 0;
    if (!getNumber64(in, p, &value))
        return false;
    if (value > std::numeric_limits<quint32>::max())
        return in.fail(pos, "number does not fit in 32 bits");
    *out = quint32(value);
    pos = p;
    return true;
}

bool getNzNumber(Input &in, qsizetype &pos, quint32 *out)
{
    qsizetype p = pos;
    if (!getNumber(in, p, out))
        return false;
    if (*out == 0)
        return in.fail(pos, "expected a non-zero number");
    pos = p;
    return true;
}

bool getQuoted(Input &in, qsizetype &pos, QByteArray *out)
{
    if (in.at(pos) != '"')
        return in.fail(pos, "expected a quoted string");
    const char *data = in.data();
    qsizetype p = pos + 1;
    // Fast path: no escapes, one copy.
    qsizetype q = p;
    while (q < in.size() && data[q] != '"' && data[q] != '\\' && data[q] != '\r')
        ++q;
    if (q < in.size() && data[q] == '"') {
        *out = QByteArray(data + p, int(q - p));
        if (out->isNull())
            *out = QByteArray("");
        pos = q + 1;
        return true;
    }
    QByteArray value(data + p, int(q - p));
    p = q;
    while (p < in.size()) {
        const char c = data[p];
        if (c == '"') {
            *out = value.isNull() ? QByteArray("") : value;
            pos = p + 1;
            return true;
        }
        if (c == '\r' || c == '\n')
            return in.fail(p, "line break inside a quoted string");
        if (c == '\\') {
            // RFC 9051 §9: only "\\" and "\"" are escapes; others are kept leniently.
            ++p;
            if (p >= in.size() || data[p] == '\r')
                return in.fail(p, "line break inside a quoted string");
        }
        value.append(data[p]);
        ++p;
    }
    return in.fail(pos, "unterminated quoted string");
}

bool getLiteral(Input &in, qsizetype &pos, QByteArray *out, bool allowBinary,
                const FrameLiteral **literal)
{
    qsizetype p = pos;
    if (in.at(p) == '~') {
        if (!allowBinary)
            return in.fail(pos, "literal8 (~{n}) is not allowed here");
        ++p;
    }
    if (in.at(p) != '{')
        return in.fail(pos, "expected a literal");
    ++p;
    const qsizetype digits = p;
    while (hasClass(in.at(p), Digit))
        ++p;
    if (p == digits)
        return in.fail(p, "literal size is not a number");
    if (in.at(p) == '+')
        ++p;
    if (in.at(p) != '}')
        return in.fail(p, "literal size is not a number");
    ++p;
    if (in.at(p) != '\r' || in.at(p + 1) != '\n')
        return in.fail(p, "literal header must end the line");
    p += 2;
    const FrameLiteral *lit = in.frame().literalAt(p);
    if (!lit)
        return in.fail(pos, "literal header without literal data");
    *out = lit->streamed ? QByteArray() : (lit->bytes.isNull() ? QByteArray("") : lit->bytes);
    if (literal)
        *literal = lit;
    pos = p;
    return true;
}

bool getString(Input &in, qsizetype &pos, QByteArray *out)
{
    const char c = in.at(pos);
    if (c == '"')
        return getQuoted(in, pos, out);
    if (c == '{')
        return getLiteral(in, pos, out);
    return in.fail(pos, "expected a string");
}

bool getNString(Input &in, qsizetype &pos, QByteArray *out, bool allowBinary,
                const FrameLiteral **literal)
{
    if (peekNil(in, pos)) {
        *out = QByteArray();
        pos += 3;
        return true;
    }
    const char c = in.at(pos);
    if (c == '"')
        return getQuoted(in, pos, out);
    if (c == '{' || c == '~')
        return getLiteral(in, pos, out, allowBinary, literal);
    return in.fail(pos, "expected a string or NIL");
}

bool getAString(Input &in, qsizetype &pos, QByteArray *out)
{
    const char c = in.at(pos);
    if (c == '"' || c == '{')
        return getString(in, pos, out);
    return getAStringAtom(in, pos, out);
}

bool getFlag(Input &in, qsizetype &pos, QByteArray *out)
{
    if (in.at(pos) == '\\') {
        if (in.at(pos + 1) == '*') {
            *out = QByteArray("\\*");
            pos += 2;
            return true;
        }
        qsizetype p = pos + 1;
        QByteArray atom;
        if (!getAtom(in, p, &atom))
            return in.fail(pos, "expected a flag");
        *out = '\\' + atom;
        pos = p;
        return true;
    }
    return getAtom(in, pos, out) || in.fail(pos, "expected a flag");
}

bool getFlagList(Input &in, qsizetype &pos, QList<QByteArray> *out)
{
    qsizetype p = pos;
    if (!eatChar(in, p, '(', "expected a flag list"))
        return false;
    out->clear();
    // Lenient about extra spaces ("(\\Seen )"), which some servers send.
    for (;;) {
        while (in.at(p) == ' ')
            ++p;
        if (in.at(p) == ')')
            break;
        QByteArray flag;
        if (!getFlag(in, p, &flag))
            return false;
        out->append(flag);
        if (in.at(p) != ' ' && in.at(p) != ')')
            return in.fail(p, "expected a space or ')' in a flag list");
    }
    pos = p + 1;
    return true;
}

bool getSequenceSet(Input &in, qsizetype &pos, SequenceSet *out)
{
    qsizetype end = pos;
    while (hasClass(in.at(end), SeqChar))
        ++end;
    QString error;
    *out = SequenceSet::parse(QByteArray::fromRawData(in.data() + pos, int(end - pos)), &error);
    if (out->isEmpty())
        return in.fail(pos, "invalid sequence set");
    pos = end;
    return true;
}

bool getStringList(Input &in, qsizetype &pos, QList<QByteArray> *out)
{
    out->clear();
    if (peekNil(in, pos)) {
        pos += 3;
        return true;
    }
    qsizetype p = pos;
    if (!eatChar(in, p, '(', "expected a list of strings"))
        return false;
    for (;;) {
        QByteArray value;
        if (!getString(in, p, &value))
            return false;
        out->append(value);
        if (in.at(p) == ')')
            break;
        if (!eatSpace(in, p))
            return false;
    }
    pos = p + 1;
    return true;
}

bool getParameterList(Input &in, qsizetype &pos, QList<QPair<QByteArray, QByteArray>> *out)
{
    out->clear();
    if (peekNil(in, pos)) {
        pos += 3;
        return true;
    }
    qsizetype p = pos;
    if (!eatChar(in, p, '(', "expected a parameter list or NIL"))
        return false;
    if (in.at(p) == ')') { // "()" is not in the grammar but some servers send it
        pos = p + 1;
        return true;
    }
    for (;;) {
        QByteArray name;
        QByteArray value;
        if (!getString(in, p, &name) || !eatSpace(in, p) || !getNString(in, p, &value))
            return false;
        out->append(qMakePair(name, value));
        if (in.at(p) == ')')
            break;
        if (!eatSpace(in, p))
            return false;
    }
    pos = p + 1;
    return true;
}

namespace {

// The inside of "[...]" after an atom such as BODY[HEADER.FIELDS ("X-A]" B)]: up to the
// matching "]", skipping quoted strings. pos is just after "[".
bool skipBracketed(Input &in, qsizetype &pos)
{
    qsizetype p = pos;
    int parens = 0;
    while (!in.atEnd(p)) {
        const char c = in.at(p);
        if (c == '"') {
            QByteArray ignored;
            if (!getQuoted(in, p, &ignored))
                return false;
            continue;
        }
        if (c == '\r')
            return in.fail(p, "literal inside a section specification");
        if (c == '(')
            ++parens;
        else if (c == ')' && --parens < 0)
            return in.fail(p, "unbalanced ')' in a section specification");
        else if (c == ']' && parens == 0) {
            pos = p + 1;
            return true;
        }
        ++p;
    }
    return in.fail(pos, "unterminated '['");
}

} // namespace

bool getBracketed(Input &in, qsizetype &pos, QByteArray *inside)
{
    if (in.at(pos) != '[')
        return in.fail(pos, "expected '['");
    qsizetype p = pos + 1;
    if (!skipBracketed(in, p))
        return false;
    *inside = QByteArray(in.data() + pos + 1, int(p - pos - 2));
    pos = p;
    return true;
}

bool skipValue(Input &in, qsizetype &pos)
{
    const char c = in.at(pos);
    if (in.atEnd(pos))
        return in.fail(pos, "expected a value");
    if (c == '"') {
        QByteArray ignored;
        return getQuoted(in, pos, &ignored);
    }
    if (c == '{' || c == '~') {
        QByteArray ignored;
        return getLiteral(in, pos, &ignored, true);
    }
    if (c == '(') {
        if (!in.enter(pos))
            return false;
        qsizetype p = pos + 1;
        for (;;) {
            while (in.at(p) == ' ')
                ++p;
            if (in.at(p) == ')')
                break;
            if (!skipValue(in, p))
                return false;
        }
        in.leave();
        pos = p + 1;
        return true;
    }
    // An atom, number, flag ("\\Seen"), sequence set ("1:*") or section name ("BODY[1]<0>").
    qsizetype p = pos;
    while (!in.atEnd(p)) {
        const char ch = in.at(p);
        if (ch == '[') {
            ++p;
            if (!skipBracketed(in, p))
                return false;
            continue;
        }
        if (!hasClass(ch, AtomChar) && ch != '\\' && ch != '*' && ch != '%' && ch != ']')
            break;
        ++p;
    }
    if (p == pos)
        return in.fail(pos, "unexpected character");
    pos = p;
    return true;
}

} // namespace mailwire::detail
