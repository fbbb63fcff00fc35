// SPDX-License-Identifier: LGPL-3.0-or-later
// FETCH reply items, ENVELOPE and BODYSTRUCTURE (RFC 9051 §7.5.2 and §9, RFC 3501 §7.4.2).
#include "imap_response_parser_p.h"

namespace mailwire::detail {

namespace {

void skipSpaces(const Input &in, qsizetype &pos)
{
    while (in.at(pos) == ' ')
        ++pos;
}

// ---- ENVELOPE -----------------------------------------------------------------------------

// address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
bool parseAddress(Input &in, qsizetype &pos, Address *out)
{
    return eatChar(in, pos, '(', "expected an address") && getNString(in, pos, &out->name)
        && eatSpace(in, pos) && getNString(in, pos, &out->adl) && eatSpace(in, pos)
        && getNString(in, pos, &out->mailbox) && eatSpace(in, pos)
        && getNString(in, pos, &out->host)
        && eatChar(in, pos, ')', "expected ')' after an address");
}

// "(" 1*address ")" / nil. Lenient: "()" and spaces between addresses are accepted.
bool parseAddressList(Input &in, qsizetype &pos, QList<Address> *out)
{
    if (peekNil(in, pos)) {
        pos += 3;
        return true;
    }
    if (!eatChar(in, pos, '(', "expected an address list or NIL") || !in.enter(pos))
        return false;
    for (;;) {
        skipSpaces(in, pos);
        if (in.at(pos) == ')')
            break;
        Address address;
        if (!parseAddress(in, pos, &address))
            return false;
        out->append(address);
    }
    in.leave();
    ++pos;
    return true;
}

// ---- BODYSTRUCTURE ------------------------------------------------------------------------

// body-fld-octets / body-fld-lines: a number, or NIL from lenient servers (-1).
bool getSize(Input &in, qsizetype &pos, qint64 *out)
{
    if (peekNil(in, pos)) {
        pos += 3;
        *out = -1;
        return true;
    }
    quint64 value = 0;
    if (!getNumber64(in, pos, &value))
        return false;
    *out = qint64(value);
    return true;
}

// body-fld-dsp = "(" string SP body-fld-param ")" / nil
bool parseDisposition(Input &in, qsizetype &pos, BodyStructure *out)
{
    if (peekNil(in, pos)) {
        pos += 3;
        return true;
    }
    return eatChar(in, pos, '(', "expected a disposition or NIL")
        && getNString(in, pos, &out->disposition) && eatSpace(in, pos)
        && getParameterList(in, pos, &out->dispositionParameters)
        && eatChar(in, pos, ')', "expected ')' after the disposition");
}

// body-fld-lang = nstring / "(" string *(SP string) ")"
bool parseLanguage(Input &in, qsizetype &pos, QList<QByteArray> *out)
{
    if (in.at(pos) == '(')
        return getStringList(in, pos, out);
    QByteArray language;
    if (!getNString(in, pos, &language))
        return false;
    if (!language.isNull())
        out->append(language);
    return true;
}

// The optional tail shared by both part kinds, after md5 (single) or params (multipart):
// [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
bool parseExtensionTail(Input &in, qsizetype &pos, BodyStructure *out)
{
    if (in.at(pos) != ' ')
        return true;
    ++pos;
    if (!parseDisposition(in, pos, out))
        return false;
    if (in.at(pos) != ' ')
        return true;
    ++pos;
    if (!parseLanguage(in, pos, &out->language))
        return false;
    if (in.at(pos) != ' ')
        return true;
    ++pos;
    if (!getNString(in, pos, &out->location))
        return false;
    // body-extension: future data, tolerated and skipped.
    while (in.at(pos) == ' ') {
        ++pos;
        if (!skipValue(in, pos))
            return false;
    }
    return true;
}

bool parseBody(Input &in, qsizetype &pos, BodyStructure *out);

bool parseMultipart(Input &in, qsizetype &pos, BodyStructure *out)
{
    out->kind = BodyStructure::Kind::MultiPart;
    out->type = QByteArray("MULTIPART");
    // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
    while (in.at(pos) == '(') {
        out->children.emplace_back();
        if (!parseBody(in, pos, &out->children.back()))
            return false;
        if (in.at(pos) == ' ' && in.at(pos + 1) == '(')
            ++pos; // lenient: a space between parts
    }
    if (!eatSpace(in, pos) || !getString(in, pos, &out->subtype))
        return false;
    if (in.at(pos) == ' ') {
        // body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang …]]
        ++pos;
        out->hasExtensionData = true;
        if (!getParameterList(in, pos, &out->parameters) || !parseExtensionTail(in, pos, out))
            return false;
    }
    return true;
}

bool parseSinglePart(Input &in, qsizetype &pos, BodyStructure *out)
{
    // body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP
    //               body-fld-octets
    if (!getString(in, pos, &out->type) || !eatSpace(in, pos) || !getString(in, pos, &out->subtype)
        || !eatSpace(in, pos) || !getParameterList(in, pos, &out->parameters) || !eatSpace(in, pos)
        || !getNString(in, pos, &out->id) || !eatSpace(in, pos)
        || !getNString(in, pos, &out->description) || !eatSpace(in, pos)
        || !getNString(in, pos, &out->encoding) || !eatSpace(in, pos)
        || !getSize(in, pos, &out->size))
        return false;
    const QByteArray type = out->type.toUpper();
    const QByteArray subtype = out->subtype.toUpper();
    if (type == "MESSAGE" && (subtype == "RFC822" || subtype == "GLOBAL") && in.at(pos) == ' '
        && in.at(pos + 1) == '(') {
        // body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines
        out->kind = BodyStructure::Kind::Message;
        ++pos;
        out->envelope.emplace();
        out->children.emplace_back();
        if (!parseEnvelope(in, pos, &*out->envelope) || !eatSpace(in, pos)
            || !parseBody(in, pos, &out->children.back()) || !eatSpace(in, pos)
            || !getSize(in, pos, &out->lines))
            return false;
    } else if (type == "TEXT" && in.at(pos) == ' ') {
        // body-type-text = media-text SP body-fields SP body-fld-lines
        ++pos;
        if (!getSize(in, pos, &out->lines))
            return false;
    }
    if (in.at(pos) == ' ') {
        // body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang …]]
        ++pos;
        out->hasExtensionData = true;
        if (!getNString(in, pos, &out->md5) || !parseExtensionTail(in, pos, out))
            return false;
    }
    return true;
}

// body = "(" (body-type-1part / body-type-mpart) ")"
bool parseBody(Input &in, qsizetype &pos, BodyStructure *out)
{
    if (!eatChar(in, pos, '(', "expected a body structure") || !in.enter(pos))
        return false;
    const bool ok =
        in.at(pos) == '(' ? parseMultipart(in, pos, out) : parseSinglePart(in, pos, out);
    if (!ok)
        return false;
    in.leave();
    return eatChar(in, pos, ')', "expected ')' at the end of a body structure");
}

// ---- FETCH items --------------------------------------------------------------------------

struct ItemName
{
    QByteArray name;    // upper-cased, without section: "BODY", "BINARY.SIZE", "UID"
    QByteArray section; // inside "[...]"
    bool hasSection = false;
    qint64 origin = -1;  // "<n>"
    qsizetype start = 0; // where the item name started
};

// msg-att item name: an atom up to "[", then an optional "[section]" and "<origin>".
bool parseItemName(Input &in, qsizetype &pos, ItemName *out)
{
    out->start = pos;
    qsizetype p = pos;
    while (hasClass(in.at(p), AtomChar) && in.at(p) != '[')
        ++p;
    if (p == pos)
        return in.fail(pos, "expected a FETCH item name");
    out->name = QByteArray(in.data() + pos, int(p - pos)).toUpper();
    if (in.at(p) == '[') {
        out->hasSection = true;
        if (!getBracketed(in, p, &out->section))
            return false;
        if (in.at(p) == '<') {
            ++p;
            quint32 origin = 0;
            if (!getNumber(in, p, &origin) || !eatChar(in, p, '>', "expected '>'"))
                return false;
            out->origin = origin;
        }
    }
    pos = p;
    return true;
}

bool sectionKind(const ItemName &item, FetchSection::Kind *kind)
{
    if (item.hasSection) {
        if (item.name == "BODY")
            *kind = FetchSection::Kind::Body;
        else if (item.name == "BINARY")
            *kind = FetchSection::Kind::Binary;
        else
            return false;
        return true;
    }
    if (item.name == "RFC822")
        *kind = FetchSection::Kind::Rfc822;
    else if (item.name == "RFC822.HEADER")
        *kind = FetchSection::Kind::Rfc822Header;
    else if (item.name == "RFC822.TEXT")
        *kind = FetchSection::Kind::Rfc822Text;
    else
        return false;
    return true;
}

bool parseItemValue(Input &in, qsizetype &pos, const ItemName &item, FetchData *out)
{
    const QByteArray &name = item.name;
    FetchSection::Kind kind{};
    if (sectionKind(item, &kind)) {
        FetchSection section;
        section.kind = kind;
        section.section = item.section;
        section.origin = item.origin;
        const FrameLiteral *literal = nullptr;
        if (!getNString(in, pos, &section.data, kind == FetchSection::Kind::Binary, &literal))
            return false;
        section.isNil = section.data.isNull() && !literal;
        section.streamed = literal && literal->streamed;
        section.size = literal ? literal->size : section.data.size();
        out->sections.append(section);
        return true;
    }
    if (item.hasSection && name == "BINARY.SIZE") {
        quint64 size = 0;
        if (!getNumber64(in, pos, &size))
            return false;
        out->binarySizes.append(qMakePair(item.section, size));
        return true;
    }
    if (item.hasSection) {
        const qsizetype valueStart = pos;
        if (!skipValue(in, pos))
            return false;
        out->other.append(qMakePair(in.frame().rawSlice(item.start, valueStart - 1),
                                    in.frame().rawSlice(valueStart, pos)));
        return true;
    }
    if (name == "UID") {
        quint32 uid = 0;
        if (!getNzNumber(in, pos, &uid))
            return false;
        out->uid = uid;
    } else if (name == "FLAGS") {
        QList<QByteArray> flags;
        if (!getFlagList(in, pos, &flags))
            return false;
        out->flags = flags;
    } else if (name == "INTERNALDATE") {
        if (!getNString(in, pos, &out->rawInternalDate))
            return false;
        out->internalDate = parseInternalDate(out->rawInternalDate);
    } else if (name == "RFC822.SIZE") {
        quint64 size = 0;
        if (!getNumber64(in, pos, &size))
            return false;
        out->rfc822Size = size;
    } else if (name == "ENVELOPE") {
        out->envelope.emplace();
        return parseEnvelope(in, pos, &*out->envelope);
    } else if (name == "BODYSTRUCTURE") {
        out->bodyStructure.emplace();
        return parseBodyStructure(in, pos, &*out->bodyStructure);
    } else if (name == "BODY") {
        out->body.emplace();
        return parseBodyStructure(in, pos, &*out->body);
    } else if (name == "MODSEQ") {
        // RFC 7162 §7: "MODSEQ" SP "(" permsg-modsequence ")"
        quint64 modSeq = 0;
        if (!eatChar(in, pos, '(', "expected '(' after MODSEQ") || !getNumber64(in, pos, &modSeq)
            || !eatChar(in, pos, ')', "expected ')' after the mod-sequence"))
            return false;
        out->modSeq = modSeq;
    } else {
        // X-GM-LABELS, X-GM-MSGID, PREVIEW, EMAILID …: kept raw.
        const qsizetype valueStart = pos;
        if (!skipValue(in, pos))
            return false;
        out->other.append(qMakePair(name, in.frame().rawSlice(valueStart, pos)));
    }
    return true;
}

int monthNumber(const char *m)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; ++i) {
        if (qstrnicmp(m, names + qptrdiff(3) * i, 3) == 0)
            return i + 1;
    }
    return 0;
}

} // namespace

bool parseEnvelope(Input &in, qsizetype &pos, Envelope *out)
{
    // envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP
    //            env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
    if (!eatChar(in, pos, '(', "expected an envelope") || !in.enter(pos))
        return false;
    const bool ok = getNString(in, pos, &out->date) && eatSpace(in, pos)
        && getNString(in, pos, &out->subject) && eatSpace(in, pos)
        && parseAddressList(in, pos, &out->from) && eatSpace(in, pos)
        && parseAddressList(in, pos, &out->sender) && eatSpace(in, pos)
        && parseAddressList(in, pos, &out->replyTo) && eatSpace(in, pos)
        && parseAddressList(in, pos, &out->to) && eatSpace(in, pos)
        && parseAddressList(in, pos, &out->cc) && eatSpace(in, pos)
        && parseAddressList(in, pos, &out->bcc) && eatSpace(in, pos)
        && getNString(in, pos, &out->inReplyTo) && eatSpace(in, pos)
        && getNString(in, pos, &out->messageId);
    if (!ok)
        return false;
    in.leave();
    return eatChar(in, pos, ')', "expected ')' at the end of the envelope");
}

bool parseBodyStructure(Input &in, qsizetype &pos, BodyStructure *out)
{
    return parseBody(in, pos, out);
}

std::optional<QDateTime> parseInternalDate(const QByteArray &text)
{
    // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
    //   e.g. "17-Jul-1996 02:44:25 -0700"; date-day-fixed = (SP DIGIT) / 2DIGIT.
    QByteArray t = text.trimmed();
    if (t.size() == 25)
        t.prepend('0');
    if (t.size() != 26 || t.at(2) != '-' || t.at(6) != '-' || t.at(11) != ' ' || t.at(14) != ':'
        || t.at(17) != ':' || t.at(20) != ' ' || (t.at(21) != '+' && t.at(21) != '-'))
        return std::nullopt;
    const auto num = [&t](int from, int len, int *out) {
        int v = 0;
        for (int i = from; i < from + len; ++i) {
            if (t.at(i) < '0' || t.at(i) > '9')
                return false;
            v = v * 10 + (t.at(i) - '0');
        }
        *out = v;
        return true;
    };
    int day = 0;
    int year = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int zh = 0;
    int zm = 0;
    const int month = monthNumber(t.constData() + 3);
    if (!month || !num(0, 2, &day) || !num(7, 4, &year) || !num(12, 2, &hour)
        || !num(15, 2, &minute) || !num(18, 2, &second) || !num(22, 2, &zh) || !num(24, 2, &zm))
        return std::nullopt;
    const QDate date(year, month, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid() || zm >= 60)
        return std::nullopt;
    const int offset = (t.at(21) == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
    return QDateTime(date, time, Qt::OffsetFromUTC, offset);
}

bool parseFetchAttributes(Input &in, qsizetype &pos, FetchData *out)
{
    // msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic /
    //           msg-att-static)) ")"
    if (!eatChar(in, pos, '(', "expected '(' after FETCH") || !in.enter(pos))
        return false;
    for (;;) {
        skipSpaces(in, pos); // lenient: "( UID 1 )"
        if (in.at(pos) == ')')
            break;
        ItemName item;
        if (!parseItemName(in, pos, &item) || !eatSpace(in, pos)
            || !parseItemValue(in, pos, item, out))
            return false;
        if (in.at(pos) != ' ' && in.at(pos) != ')')
            return in.fail(pos, "expected a space or ')' after a FETCH item");
    }
    in.leave();
    ++pos;
    return true;
}

bool describeFetchLiteral(const Frame &frame, qsizetype headerPos, LiteralContext *out)
{
    Input in(frame);
    qsizetype pos = 0;
    quint32 number = 0;
    if (!eatChar(in, pos, '*', "") || !eatSpace(in, pos) || !getNzNumber(in, pos, &number)
        || !eatSpace(in, pos) || !eatWord(in, pos, "FETCH") || !eatSpace(in, pos)
        || !eatChar(in, pos, '(', ""))
        return false;
    out->sequenceNumber = number;
    for (;;) {
        skipSpaces(in, pos);
        ItemName item;
        if (!parseItemName(in, pos, &item) || !eatSpace(in, pos))
            return false;
        if (pos == headerPos) {
            out->section = item.section;
            out->origin = item.origin;
            return sectionKind(item, &out->kind);
        }
        if (item.name == "UID" && !item.hasSection) {
            quint32 uid = 0;
            if (!getNumber(in, pos, &uid))
                return false;
            out->uid = uid;
        } else if (!skipValue(in, pos)) {
            return false;
        }
        if (in.at(pos) != ' ')
            return false;
    }
}

} // namespace mailwire::detail
