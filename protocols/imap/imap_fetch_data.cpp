// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/imap_fetch_data.h>

#include <QtCore/QDebug>

namespace mailwire {

namespace {

bool same(const QByteArray &a, const QByteArray &b) { return a == b && a.isNull() == b.isNull(); }

const char *kindName(FetchSection::Kind kind)
{
    switch (kind) {
    case FetchSection::Kind::Body: return "BODY";
    case FetchSection::Kind::Binary: return "BINARY";
    case FetchSection::Kind::Rfc822: return "RFC822";
    case FetchSection::Kind::Rfc822Header: return "RFC822.HEADER";
    case FetchSection::Kind::Rfc822Text: return "RFC822.TEXT";
    }
    return "?";
}

} // namespace

bool operator==(const FetchSection &a, const FetchSection &b)
{
    return a.kind == b.kind && a.section == b.section && a.origin == b.origin
        && same(a.data, b.data) && a.isNil == b.isNil && a.streamed == b.streamed
        && a.size == b.size;
}

const FetchSection *FetchData::section(const QByteArray &spec, FetchSection::Kind kind) const
{
    for (const FetchSection &s : sections) {
        if (s.kind == kind && s.section.compare(spec, Qt::CaseInsensitive) == 0)
            return &s;
    }
    return nullptr;
}

bool FetchData::hasFlag(const QByteArray &flag) const
{
    if (!flags)
        return false;
    for (const QByteArray &f : *flags) {
        if (f.compare(flag, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool operator==(const FetchData &a, const FetchData &b)
{
    return a.sequenceNumber == b.sequenceNumber && a.uid == b.uid && a.flags == b.flags
        && same(a.rawInternalDate, b.rawInternalDate) && a.internalDate == b.internalDate
        && a.rfc822Size == b.rfc822Size && a.envelope == b.envelope
        && a.bodyStructure == b.bodyStructure && a.body == b.body && a.modSeq == b.modSeq
        && a.sections == b.sections && a.binarySizes == b.binarySizes && a.other == b.other;
}

QDebug operator<<(QDebug debug, const FetchSection &s)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << kindName(s.kind);
    if (s.kind == FetchSection::Kind::Body || s.kind == FetchSection::Kind::Binary)
        debug << '[' << s.section.constData() << ']';
    if (s.origin >= 0)
        debug << '<' << s.origin << '>';
    if (s.isNil)
        debug << " NIL";
    else if (s.streamed)
        debug << " streamed(" << s.size << ')';
    else if (s.data.size() <= 64)
        debug << ' ' << s.data;
    else
        debug << ' ' << s.data.left(64) << "...(" << s.size << ')';
    return debug;
}

QDebug operator<<(QDebug debug, const FetchData &f)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "FETCH " << f.sequenceNumber << " (";
    if (f.uid)
        debug << " UID " << *f.uid;
    if (f.flags)
        debug << " FLAGS " << *f.flags;
    if (!f.rawInternalDate.isNull())
        debug << " INTERNALDATE " << f.rawInternalDate << ' '
              << f.internalDate.value_or(QDateTime());
    if (f.rfc822Size)
        debug << " RFC822.SIZE " << *f.rfc822Size;
    if (f.modSeq)
        debug << " MODSEQ " << *f.modSeq;
    if (f.envelope)
        debug << ' ' << *f.envelope;
    if (f.bodyStructure)
        debug << " BODYSTRUCTURE " << *f.bodyStructure;
    if (f.body)
        debug << " BODY " << *f.body;
    for (const FetchSection &s : f.sections)
        debug << ' ' << s;
    for (const auto &b : f.binarySizes)
        debug << " BINARY.SIZE[" << b.first.constData() << "] " << b.second;
    for (const auto &o : f.other)
        debug << ' ' << o.first.constData() << ' ' << o.second;
    debug << " )";
    return debug;
}

} // namespace mailwire
