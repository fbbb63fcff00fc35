// SPDX-License-Identifier: LGPL-3.0-or-later
#include "imap_response_parser_p.h"

#include <mailwire/imap_mailbox_name.h>

namespace mailwire::detail {

namespace {

using Type = ImapResponse::Type;

void skipSpaces(const Input &in, qsizetype &pos)
{
    while (in.at(pos) == ' ')
        ++pos;
}

// ---- Response codes (RFC 9051 §7.1) -------------------------------------------------------

// Space-separated atoms up to `end` (CAPABILITY lists; lenient about repeated spaces).
bool getAtomList(Input &in, qsizetype &pos, QList<QByteArray> *out)
{
    for (;;) {
        skipSpaces(in, pos);
        if (in.atEnd(pos) || in.at(pos) == ']')
            return true;
        QByteArray atom;
        if (!getAtom(in, pos, &atom))
            return false;
        out->append(atom);
        if (!in.atEnd(pos) && in.at(pos) != ' ' && in.at(pos) != ']')
            return in.fail(pos, "expected a space between atoms");
    }
}

// The typed arguments of a known code, read from [pos, end). False if they do not match.
bool parseCodeArguments(Input &in, qsizetype pos, qsizetype end, ResponseCode *code)
{
    using Kind = ResponseCode::Kind;
    QList<QByteArray> atoms;
    quint32 number = 0;
    quint64 number64 = 0;
    SequenceSet first;
    SequenceSet second;
    switch (code->kind()) {
    case Kind::Capability:
        if (!getAtomList(in, pos, &atoms))
            return false;
        code->setAtoms(atoms);
        break;
    case Kind::PermanentFlags:
        if (!getFlagList(in, pos, &atoms))
            return false;
        code->setAtoms(atoms);
        break;
    case Kind::BadCharset:
        // RFC 9051 §7.1: BADCHARSET [SP "(" charset *(SP charset) ")"], charset = astring.
        if (pos < end) {
            if (!eatChar(in, pos, '(', "expected '('"))
                return false;
            for (;;) {
                QByteArray charset;
                if (!getAString(in, pos, &charset))
                    return false;
                atoms.append(charset);
                if (in.at(pos) == ')')
                    break;
                if (!eatSpace(in, pos))
                    return false;
            }
            ++pos;
        }
        code->setAtoms(atoms);
        break;
    case Kind::UidValidity:
    case Kind::UidNext:
    case Kind::Unseen:
        if (!getNzNumber(in, pos, &number))
            return false;
        code->setNumber(number);
        break;
    case Kind::HighestModSeq:
        if (!getNumber64(in, pos, &number64))
            return false;
        code->setNumber(number64);
        break;
    case Kind::AppendUid:
        // RFC 4315 §4: "APPENDUID" SP nz-number SP append-uid
        if (!getNzNumber(in, pos, &number) || !eatSpace(in, pos)
            || !getSequenceSet(in, pos, &first))
            return false;
        code->setNumber(number);
        code->setSets(first);
        break;
    case Kind::CopyUid:
        // RFC 4315 §4: "COPYUID" SP nz-number SP uid-set SP uid-set
        if (!getNzNumber(in, pos, &number) || !eatSpace(in, pos) || !getSequenceSet(in, pos, &first)
            || !eatSpace(in, pos) || !getSequenceSet(in, pos, &second))
            return false;
        code->setNumber(number);
        code->setSets(first, second);
        break;
    case Kind::Modified:
        if (!getSequenceSet(in, pos, &first))
            return false;
        code->setSets(first);
        break;
    default: return true; // no typed arguments; text() has them
    }
    return pos == end;
}

// "[" resp-text-code "]" at pos.
bool parseCode(Input &in, qsizetype &pos, ResponseCode *out)
{
    qsizetype p = pos + 1;
    QByteArray name;
    if (!getAtom(in, p, &name))
        return in.fail(p, "expected a response code name");
    name = name.toUpper();
    qsizetype argStart = p;
    qsizetype argEnd = p;
    if (in.at(p) == ' ') {
        argStart = argEnd = p + 1;
        // Up to the "]" that closes the code; quoted strings may hold "]".
        while (!in.atEnd(argEnd) && in.at(argEnd) != ']') {
            if (in.at(argEnd) == '"') {
                Input probe(in.frame());
                QByteArray ignored;
                if (getQuoted(probe, argEnd, &ignored))
                    continue;
            }
            ++argEnd;
        }
    } else if (in.at(p) != ']') {
        return in.fail(p, "expected a space or ']' after the response code name");
    }
    if (in.at(argEnd) != ']')
        return in.fail(pos, "unterminated response code");
    *out = ResponseCode(name, in.frame().rawSlice(argStart, argEnd));
    const bool needsArguments = out->kind() == ResponseCode::Kind::UidValidity
        || out->kind() == ResponseCode::Kind::UidNext || out->kind() == ResponseCode::Kind::Unseen
        || out->kind() == ResponseCode::Kind::HighestModSeq
        || out->kind() == ResponseCode::Kind::AppendUid
        || out->kind() == ResponseCode::Kind::CopyUid || out->kind() == ResponseCode::Kind::Modified
        || out->kind() == ResponseCode::Kind::PermanentFlags;
    // A known code with arguments that do not parse keeps its raw text as Kind::Other.
    Input probe(in.frame());
    if ((needsArguments && argStart == argEnd) || !parseCodeArguments(probe, argStart, argEnd, out))
        out->demoteToOther();
    pos = argEnd + 1;
    return true;
}

// resp-text = ["[" resp-text-code "]" SP] text, lenient: the text may be empty and the
// space after "]" may be missing.
bool parseRespText(Input &in, qsizetype &pos, ImapResponse *out)
{
    if (in.at(pos) == '[') {
        if (!parseCode(in, pos, &out->code))
            return false;
        if (in.at(pos) == ' ')
            ++pos;
    }
    out->text = in.frame().rawSlice(pos, in.size());
    pos = in.size();
    return true;
}

bool parseStatusWord(const QByteArray &upper, ImapStatus *status)
{
    if (upper == "OK")
        *status = ImapStatus::Ok;
    else if (upper == "NO")
        *status = ImapStatus::No;
    else if (upper == "BAD")
        *status = ImapStatus::Bad;
    else if (upper == "PREAUTH")
        *status = ImapStatus::Preauth;
    else if (upper == "BYE")
        *status = ImapStatus::Bye;
    else
        return false;
    return true;
}

// After the status word: end of line, or SP resp-text.
bool parseStatusRest(Input &in, qsizetype &pos, ImapResponse *out)
{
    if (in.atEnd(pos))
        return true;
    if (!eatSpace(in, pos))
        return false;
    return parseRespText(in, pos, out);
}

// ---- Untagged data ------------------------------------------------------------------------

// mailbox-list (RFC 9051 §7.3.1, RFC 5258 §9 mbox-list-extended).
bool parseList(Input &in, qsizetype &pos, const ResponseParseOptions &options,
               MailboxListEntry *out)
{
    if (!getFlagList(in, pos, &out->flags) || !eatSpace(in, pos))
        return false;
    if (peekNil(in, pos)) {
        pos += 3;
    } else if (!getQuoted(in, pos, &out->delimiter)) {
        return false;
    }
    if (!eatSpace(in, pos) || !getAString(in, pos, &out->rawName))
        return false;
    out->name = ImapMailboxName::decode(out->rawName, options.utf8Mode);
    if (in.at(pos) == ' ' && in.at(pos + 1) == '(') {
        pos += 2;
        if (!in.enter(pos))
            return false;
        while (in.at(pos) != ')') {
            QByteArray tag;
            if (!getAString(in, pos, &tag) || !eatSpace(in, pos))
                return false;
            const qsizetype valueStart = pos;
            if (!skipValue(in, pos))
                return false;
            out->extended.append(qMakePair(tag, in.frame().rawSlice(valueStart, pos)));
            if (in.at(pos) == ' ')
                ++pos;
            else if (in.at(pos) != ')')
                return in.fail(pos, "expected a space or ')'");
        }
        in.leave();
        ++pos;
    }
    return true;
}

// "STATUS" SP mailbox SP "(" [status-att-list] ")" (RFC 9051 §7.3.2).
bool parseStatus(Input &in, qsizetype &pos, const ResponseParseOptions &options, StatusData *out)
{
    if (!getAString(in, pos, &out->rawMailbox) || !eatSpace(in, pos)
        || !eatChar(in, pos, '(', "expected '(' after the mailbox name"))
        return false;
    out->mailbox = ImapMailboxName::decode(out->rawMailbox, options.utf8Mode);
    for (;;) {
        skipSpaces(in, pos);
        if (in.at(pos) == ')')
            break;
        QByteArray name;
        if (!getAtom(in, pos, &name) || !eatSpace(in, pos))
            return false;
        name = name.toUpper();
        std::optional<quint32> *small = nullptr;
        std::optional<quint64> *large = nullptr;
        if (name == "MESSAGES")
            small = &out->messages;
        else if (name == "RECENT")
            small = &out->recent;
        else if (name == "UIDNEXT")
            small = &out->uidNext;
        else if (name == "UIDVALIDITY")
            small = &out->uidValidity;
        else if (name == "UNSEEN")
            small = &out->unseen;
        else if (name == "DELETED")
            small = &out->deleted;
        else if (name == "SIZE")
            large = &out->size;
        else if (name == "HIGHESTMODSEQ")
            large = &out->highestModSeq;
        if (small) {
            quint32 value = 0;
            if (!getNumber(in, pos, &value))
                return false;
            *small = value;
        } else if (large) {
            quint64 value = 0;
            if (!getNumber64(in, pos, &value))
                return false;
            *large = value;
        } else {
            const qsizetype valueStart = pos;
            if (!skipValue(in, pos))
                return false;
            out->other.append(qMakePair(name, in.frame().rawSlice(valueStart, pos)));
        }
        if (in.at(pos) != ' ' && in.at(pos) != ')')
            return in.fail(pos, "expected a space or ')'");
    }
    ++pos;
    return true;
}

// "SEARCH" *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"] (RFC 7162 §3.1.5).
bool parseSearch(Input &in, qsizetype &pos, SearchResult *out)
{
    for (;;) {
        skipSpaces(in, pos);
        if (in.atEnd(pos))
            return true;
        if (in.at(pos) == '(') {
            ++pos;
            quint64 modSeq = 0;
            if (!eatWord(in, pos, "MODSEQ") || !eatSpace(in, pos) || !getNumber64(in, pos, &modSeq)
                || !eatChar(in, pos, ')', "expected ')' after MODSEQ"))
                return false;
            out->modSeq = modSeq;
            continue;
        }
        quint32 n = 0;
        if (!getNumber(in, pos, &n))
            return false;
        out->numbers.append(n);
        if (!in.atEnd(pos) && in.at(pos) != ' ')
            return in.fail(pos, "expected a space between numbers");
    }
}

// esearch-response (RFC 4731 §3.1, RFC 9051 §7.3.4).
bool parseESearch(Input &in, qsizetype &pos, SearchResult *out)
{
    if (in.at(pos) == ' ' && in.at(pos + 1) == '(') {
        // search-correlator: "(" "TAG" SP tag-string ")"; RFC 7377 adds MAILBOX and
        // UIDVALIDITY pairs, which are accepted and ignored.
        pos += 2;
        for (;;) {
            QByteArray name;
            QByteArray value;
            if (!getAtom(in, pos, &name) || !eatSpace(in, pos) || !getAString(in, pos, &value))
                return false;
            if (name.compare("TAG", Qt::CaseInsensitive) == 0)
                out->tag = value;
            if (in.at(pos) == ')')
                break;
            if (!eatSpace(in, pos))
                return false;
        }
        ++pos;
    }
    if (in.at(pos) == ' ' && peekWord(in, pos + 1, "UID")) {
        out->uid = true;
        pos += 4;
    }
    while (!in.atEnd(pos)) {
        if (!eatSpace(in, pos))
            return false;
        if (in.atEnd(pos))
            break; // trailing space
        QByteArray name;
        if (!getAtom(in, pos, &name) || !eatSpace(in, pos))
            return false;
        name = name.toUpper();
        quint32 n = 0;
        if (name == "MIN" || name == "MAX") {
            if (!getNzNumber(in, pos, &n))
                return false;
            (name == "MIN" ? out->min : out->max) = n;
        } else if (name == "COUNT") {
            if (!getNumber(in, pos, &n))
                return false;
            out->count = n;
        } else if (name == "ALL") {
            if (!getSequenceSet(in, pos, &out->all))
                return false;
        } else if (name == "MODSEQ") {
            quint64 modSeq = 0;
            if (!getNumber64(in, pos, &modSeq))
                return false;
            out->modSeq = modSeq;
        } else {
            const qsizetype valueStart = pos;
            if (!skipValue(in, pos))
                return false;
            out->other.append(qMakePair(name, in.frame().rawSlice(valueStart, pos)));
        }
    }
    return true;
}

// namespace = nil / "(" 1*namespace-descr ")" (RFC 2342 §5, RFC 9051 §9).
bool parseNamespaceClass(Input &in, qsizetype &pos, QList<NamespaceDescriptor> *out)
{
    if (peekNil(in, pos)) {
        pos += 3;
        return true;
    }
    if (!eatChar(in, pos, '(', "expected a namespace list or NIL") || !in.enter(pos))
        return false;
    do {
        NamespaceDescriptor d;
        if (!eatChar(in, pos, '(', "expected a namespace description")
            || !getString(in, pos, &d.prefix) || !eatSpace(in, pos))
            return false;
        if (peekNil(in, pos))
            pos += 3;
        else if (!getQuoted(in, pos, &d.delimiter))
            return false;
        while (in.at(pos) == ' ') { // Namespace-Response-Extensions
            ++pos;
            QByteArray name;
            QList<QByteArray> values;
            if (!getString(in, pos, &name) || !eatSpace(in, pos)
                || !getStringList(in, pos, &values))
                return false;
            d.extensions.append(qMakePair(name, values));
        }
        if (!eatChar(in, pos, ')', "expected ')' after a namespace description"))
            return false;
        out->append(d);
        skipSpaces(in, pos);
    } while (in.at(pos) == '(');
    in.leave();
    return eatChar(in, pos, ')', "expected ')' after the namespace list");
}

// "ID" SP ("(" [string SP nstring *(SP string SP nstring)] ")" / NIL) (RFC 2971 §3.2).
bool parseId(Input &in, qsizetype &pos, ImapResponse *out)
{
    if (peekNil(in, pos)) {
        pos += 3;
        out->idIsNil = true;
        return true;
    }
    if (!eatChar(in, pos, '(', "expected '(' or NIL after ID"))
        return false;
    while (in.at(pos) != ')') {
        QByteArray name;
        QByteArray value;
        if (!getString(in, pos, &name) || !eatSpace(in, pos) || !getNString(in, pos, &value))
            return false;
        out->idParameters.append(qMakePair(name, value));
        if (in.at(pos) == ' ')
            ++pos;
        else if (in.at(pos) != ')')
            return in.fail(pos, "expected a space or ')'");
    }
    ++pos;
    return true;
}

// "* " already read.
bool parseUntagged(Input &in, qsizetype &pos, const ResponseParseOptions &options,
                   ImapResponse *out)
{
    if (hasClass(in.at(pos), Digit)) {
        const qsizetype numberPos = pos;
        if (!getNumber(in, pos, &out->number) || !eatSpace(in, pos)
            || !getAtom(in, pos, &out->keyword))
            return false;
        out->keyword = out->keyword.toUpper();
        const QByteArray &kw = out->keyword;
        if (kw == "EXISTS")
            out->type = Type::Exists;
        else if (kw == "RECENT")
            out->type = Type::Recent;
        else if (kw == "EXPUNGE" || kw == "FETCH") {
            if (out->number == 0)
                return in.fail(numberPos, "message sequence number 0");
            out->type = kw == "FETCH" ? Type::Fetch : Type::Expunge;
            if (out->type == Type::Fetch) {
                out->fetch.sequenceNumber = out->number;
                return eatSpace(in, pos) && parseFetchAttributes(in, pos, &out->fetch);
            }
        } else {
            out->type = Type::Unknown;
            if (in.at(pos) == ' ')
                ++pos;
            out->raw = in.frame().rawSlice(pos, in.size());
            pos = in.size();
        }
        return true;
    }
    if (!getAtom(in, pos, &out->keyword))
        return in.fail(pos, "expected a response keyword after '* '");
    out->keyword = out->keyword.toUpper();
    const QByteArray &kw = out->keyword;
    if (parseStatusWord(kw, &out->status)) {
        out->type = Type::UntaggedStatus;
        return parseStatusRest(in, pos, out);
    }
    if (kw == "CAPABILITY" || kw == "ENABLED") {
        out->type = kw == "CAPABILITY" ? Type::Capability : Type::Enabled;
        if (!in.atEnd(pos) && !eatSpace(in, pos))
            return false;
        return getAtomList(in, pos, &out->atoms)
            && (in.atEnd(pos) || in.fail(pos, "unexpected ']'"));
    }
    if (kw == "FLAGS") {
        out->type = Type::Flags;
        return eatSpace(in, pos) && getFlagList(in, pos, &out->atoms);
    }
    if (kw == "LIST" || kw == "LSUB") {
        out->type = kw == "LIST" ? Type::List : Type::Lsub;
        return eatSpace(in, pos) && parseList(in, pos, options, &out->mailbox);
    }
    if (kw == "STATUS") {
        out->type = Type::Status;
        return eatSpace(in, pos) && parseStatus(in, pos, options, &out->statusData);
    }
    if (kw == "SEARCH") {
        out->type = Type::Search;
        return parseSearch(in, pos, &out->search);
    }
    if (kw == "ESEARCH") {
        out->type = Type::ESearch;
        return parseESearch(in, pos, &out->search);
    }
    if (kw == "NAMESPACE") {
        out->type = Type::Namespace;
        return eatSpace(in, pos) && parseNamespaceClass(in, pos, &out->namespaces.personal)
            && eatSpace(in, pos) && parseNamespaceClass(in, pos, &out->namespaces.otherUsers)
            && eatSpace(in, pos) && parseNamespaceClass(in, pos, &out->namespaces.shared);
    }
    if (kw == "ID") {
        out->type = Type::Id;
        return eatSpace(in, pos) && parseId(in, pos, out);
    }
    // Unknown untagged data (RFC 9051 §7: a client must accept responses it does not
    // know): kept raw for whoever asked for it.
    out->type = Type::Unknown;
    if (in.at(pos) == ' ')
        ++pos;
    else if (!in.atEnd(pos))
        return in.fail(pos, "expected a space after the response keyword");
    out->raw = in.frame().rawSlice(pos, in.size());
    pos = in.size();
    return true;
}

bool parseTop(Input &in, qsizetype &pos, const ResponseParseOptions &options, ImapResponse *out)
{
    const char first = in.at(0);
    if (first == '+') {
        // continue-req = "+" SP (resp-text / base64); "+" alone is accepted too.
        out->type = Type::Continuation;
        pos = 1;
        if (in.at(pos) == ' ')
            ++pos;
        else if (!in.atEnd(pos))
            return in.fail(pos, "expected a space after '+'");
        if (in.at(pos) == '[') {
            Input probe(in.frame());
            qsizetype p = pos;
            ImapResponse withCode;
            if (parseRespText(probe, p, &withCode)) {
                out->code = withCode.code;
                out->text = withCode.text;
                pos = p;
                return true;
            }
        }
        out->text = in.frame().rawSlice(pos, in.size());
        pos = in.size();
        return true;
    }
    if (first == '*') {
        pos = 1;
        return eatSpace(in, pos) && parseUntagged(in, pos, options, out);
    }
    // response-tagged = tag SP resp-cond-state CRLF
    while (hasClass(in.at(pos), TagChar))
        ++pos;
    if (pos == 0)
        return in.fail(0, in.atEnd(0) ? "empty response line" : "invalid tag");
    if (in.at(pos) != ' ')
        return in.fail(pos, "invalid character in tag");
    out->tag = QByteArray(in.data(), int(pos));
    ++pos;
    QByteArray word;
    if (!getAtom(in, pos, &word))
        return in.fail(pos, "expected OK, NO or BAD after the tag");
    if (!parseStatusWord(word.toUpper(), &out->status) || out->status == ImapStatus::Preauth
        || out->status == ImapStatus::Bye)
        return in.fail(pos - word.size(), "expected OK, NO or BAD after the tag");
    out->type = Type::TaggedStatus;
    return parseStatusRest(in, pos, out);
}

} // namespace

bool parseResponse(const Frame &frame, const ResponseParseOptions &options, ImapResponse *out,
                   QByteArray *error, qsizetype *errorPos)
{
    Input in(frame, options.maxDepth);
    qsizetype pos = 0;
    *out = ImapResponse();
    bool ok = parseTop(in, pos, options, out);
    if (ok && !in.atEnd(pos)) {
        // Trailing spaces after data are a harmless, common server quirk.
        qsizetype p = pos;
        skipSpaces(in, p);
        if (!in.atEnd(p))
            ok = in.fail(pos, "unexpected data after the end of the response");
    }
    if (ok)
        return true;
    *error = in.errorMessage().isEmpty() ? QByteArray("syntax error") : in.errorMessage();
    *errorPos = in.errorPosition() >= 0 ? in.errorPosition() : pos;
    return false;
}

} // namespace mailwire::detail
