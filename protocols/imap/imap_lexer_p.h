// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <array>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QVector>

#include <mailwire/imap_sequence_set.h>

// Cursor-style low-level IMAP grammar (RFC 9051 §9, RFC 3501 §9), in the manner of
// Trojita's LowLevelParser: every function takes the input and a position by reference,
// advances the position past what it read on success, and leaves it untouched on failure.
// Failures are values: the first one is recorded in Input (message + offset), nothing
// throws. The functions work on one complete response (a Frame), so they never wait.

namespace mailwire::detail {

/// A literal inside a frame. Its "{n}\r\n" header stays in Frame::text; the bytes are here.
struct FrameLiteral
{
    qsizetype textOffset = 0; ///< offset in Frame::text just after the header's CRLF
    qint64 size = 0;          ///< n
    QByteArray bytes;         ///< the literal's bytes; empty when streamed
    bool streamed = false;    ///< the bytes went to a literal sink instead
    bool binary = false;      ///< a literal8 "~{n}" (RFC 3516 §4.3)
};

/// One complete response as framed from the byte stream: its text (lines joined, each
/// literal header followed by CRLF, the final CRLF removed) and its literals.
struct Frame
{
    QByteArray text;
    QVector<FrameLiteral> literals;
    qint64 streamOffset = 0; ///< stream offset of text[0]

    /// The stream offset of text position pos (literal bytes before it counted in).
    qint64 streamPosition(qsizetype pos) const;
    /// The literal whose header ends (after CRLF) at textOffset, or nullptr.
    const FrameLiteral *literalAt(qsizetype textOffset) const;
    /// Text from..to with literal bytes put back after their headers (for raw values).
    QByteArray rawSlice(qsizetype from, qsizetype to) const;
    void clear();
};

/// The input of the low-level functions: a frame, nesting depth, and the first failure.
class Input
{
public:
    explicit Input(const Frame &frame, int maxDepth = 64)
        : m_frame(frame), m_data(frame.text.constData()), m_size(frame.text.size()),
          m_maxDepth(maxDepth)
    {}

    const Frame &frame() const { return m_frame; }
    const char *data() const { return m_data; }
    qsizetype size() const { return m_size; }
    /// The byte at pos, or '\0' past the end (a frame's text never holds NUL).
    char at(qsizetype pos) const { return pos < m_size ? m_data[pos] : '\0'; }
    bool atEnd(qsizetype pos) const { return pos >= m_size; }

    /// Records a failure (only the first one is kept) and returns false.
    bool fail(qsizetype pos, const char *message);
    bool failed() const { return m_errorPos >= 0; }
    const QByteArray &errorMessage() const { return m_error; }
    qsizetype errorPosition() const { return m_errorPos; }
    /// Forgets a failure (for a caller that tried one alternative and takes another).
    void clearFailure()
    {
        m_error.clear();
        m_errorPos = -1;
    }

    /// Enters a nesting level ("(" of a list); fails past the maximum depth.
    bool enter(qsizetype pos);
    void leave() { --m_depth; }

private:
    const Frame &m_frame;
    const char *m_data;
    qsizetype m_size;
    int m_depth = 0;
    int m_maxDepth;
    QByteArray m_error;
    qsizetype m_errorPos = -1;
};

/// Character classes of RFC 9051 §9.
enum CharClass : unsigned char {
    AtomChar = 1,    ///< ATOM-CHAR
    AStringChar = 2, ///< ASTRING-CHAR (ATOM-CHAR / "]"), plus 8-bit bytes (lenient)
    TagChar = 4,     ///< ASTRING-CHAR except "+"
    Digit = 8,       ///< DIGIT
    SeqChar = 16,    ///< digits, ':', ',', '*' of a sequence-set
    TextChar = 32    ///< TEXT-CHAR: anything but NUL, CR, LF
};

/// The class bits of every byte (RFC 9051 §9 ATOM-CHAR, ASTRING-CHAR, tag, DIGIT, …).
constexpr std::array<unsigned char, 256> makeCharClasses()
{
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 256; ++c) {
        unsigned char bits = 0;
        if (c != 0 && c != '\r' && c != '\n')
            bits |= TextChar;
        // ATOM-CHAR = any CHAR except atom-specials, where atom-specials = "(" / ")" / "{" /
        // SP / CTL / list-wildcards ("%" / "*") / quoted-specials / resp-specials ("]").
        const bool isChar = c >= 0x01 && c <= 0x7f;
        const bool isCtl = c < 0x20 || c == 0x7f;
        const bool special = c == '(' || c == ')' || c == '{' || c == ' ' || c == '%' || c == '*'
            || c == '"' || c == '\\' || c == ']';
        if (isChar && !isCtl && !special)
            bits |= AtomChar;
        // ASTRING-CHAR = ATOM-CHAR / resp-specials; 8-bit bytes are accepted too, because
        // UTF-8 mailbox names (RFC 6855) are sometimes sent unquoted.
        if ((bits & AtomChar) || c == ']' || c >= 0x80)
            bits |= AStringChar;
        // tag = 1*<any ASTRING-CHAR except "+">, 7-bit only.
        if (((bits & AtomChar) || c == ']') && c != '+')
            bits |= TagChar;
        if (c >= '0' && c <= '9')
            bits |= Digit | SeqChar;
        if (c == ':' || c == ',' || c == '*' || c == '$')
            bits |= SeqChar;
        t[size_t(c)] = bits;
    }
    return t;
}
inline constexpr std::array<unsigned char, 256> charClasses = makeCharClasses();

/// True if the byte is in the class.
inline bool hasClass(char c, CharClass cls) { return (charClasses[uchar(c)] & cls) != 0; }

/// SP.
bool eatSpace(Input &in, qsizetype &pos);
/// The character c.
bool eatChar(Input &in, qsizetype &pos, char c, const char *message);
/// True if the next bytes are word (case-insensitive) followed by a non-atom character.
bool peekWord(const Input &in, qsizetype pos, const char *word);
/// The word (case-insensitive) as a whole atom.
bool eatWord(Input &in, qsizetype &pos, const char *word);
/// True if the next token is NIL.
bool peekNil(const Input &in, qsizetype pos);

/// 1*ATOM-CHAR.
bool getAtom(Input &in, qsizetype &pos, QByteArray *out);
/// 1*ASTRING-CHAR (an atom that may hold "]").
bool getAStringAtom(Input &in, qsizetype &pos, QByteArray *out);
/// number (RFC 9051: 32-bit).
bool getNumber(Input &in, qsizetype &pos, quint32 *out);
/// nz-number.
bool getNzNumber(Input &in, qsizetype &pos, quint32 *out);
/// number64 / mod-sequence-value (RFC 9051, RFC 7162: up to 2^63-1).
bool getNumber64(Input &in, qsizetype &pos, quint64 *out);

/// quoted: DQUOTE *QUOTED-CHAR DQUOTE, escapes removed. Always non-null.
bool getQuoted(Input &in, qsizetype &pos, QByteArray *out);
/// literal "{n}\r\n" (or literal8 "~{n}\r\n" when allowBinary): its bytes, or a null
/// array with *streamed set for a streamed literal.
bool getLiteral(Input &in, qsizetype &pos, QByteArray *out, bool allowBinary = false,
                const FrameLiteral **literal = nullptr);
/// string = quoted / literal.
bool getString(Input &in, qsizetype &pos, QByteArray *out);
/// nstring = string / NIL (NIL gives a null array; a string is never null).
bool getNString(Input &in, qsizetype &pos, QByteArray *out, bool allowBinary = false,
                const FrameLiteral **literal = nullptr);
/// astring = 1*ASTRING-CHAR / string.
bool getAString(Input &in, qsizetype &pos, QByteArray *out);

/// flag: "\" atom, "\*", or a keyword atom.
bool getFlag(Input &in, qsizetype &pos, QByteArray *out);
/// "(" [flag *(SP flag)] ")".
bool getFlagList(Input &in, qsizetype &pos, QList<QByteArray> *out);
/// A sequence-set token, validated.
bool getSequenceSet(Input &in, qsizetype &pos, SequenceSet *out);
/// "(" string *(SP string) ")" or NIL (an empty list).
bool getStringList(Input &in, qsizetype &pos, QList<QByteArray> *out);
/// body-fld-param: "(" string SP string *(SP string SP string) ")" / NIL.
bool getParameterList(Input &in, qsizetype &pos, QList<QPair<QByteArray, QByteArray>> *out);

/// The text between "[" (at pos) and its matching "]", raw: a section specification such as
/// "HEADER.FIELDS (DATE FROM)". Quoted strings inside may hold "]".
bool getBracketed(Input &in, qsizetype &pos, QByteArray *inside);

/// Skips one value of any shape: atom, number, quoted, literal, NIL, or a parenthesised
/// list of values (also "[...]"-suffixed atoms such as "BODY[1]"). Depth-limited.
bool skipValue(Input &in, qsizetype &pos);

} // namespace mailwire::detail
