// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/imap_types.h>

#include <QtCore/QDebug>

#include "imap_rfc2047_p.h"
#include "shared_private_p.h"

namespace mailwire {

namespace {

struct CodeName
{
    const char *name;
    ResponseCode::Kind kind;
};

// RFC 9051 §7.1 lists most of these; RFC 4315 (UIDPLUS), RFC 5530 (response codes),
// RFC 7162 (CONDSTORE), RFC 3516 (BINARY) add the rest.
const CodeName codeNames[] = {
    {"ALERT", ResponseCode::Kind::Alert},
    {"ALREADYEXISTS", ResponseCode::Kind::AlreadyExists},
    {"APPENDUID", ResponseCode::Kind::AppendUid},
    {"AUTHENTICATIONFAILED", ResponseCode::Kind::AuthenticationFailed},
    {"AUTHORIZATIONFAILED", ResponseCode::Kind::AuthorizationFailed},
    {"BADCHARSET", ResponseCode::Kind::BadCharset},
    {"CANNOT", ResponseCode::Kind::Cannot},
    {"CAPABILITY", ResponseCode::Kind::Capability},
    {"CLIENTBUG", ResponseCode::Kind::ClientBug},
    {"CLOSED", ResponseCode::Kind::Closed},
    {"CONTACTADMIN", ResponseCode::Kind::ContactAdmin},
    {"COPYUID", ResponseCode::Kind::CopyUid},
    {"CORRUPTION", ResponseCode::Kind::Corruption},
    {"EXPIRED", ResponseCode::Kind::Expired},
    {"EXPUNGEISSUED", ResponseCode::Kind::ExpungeIssued},
    {"HASCHILDREN", ResponseCode::Kind::HasChildren},
    {"HIGHESTMODSEQ", ResponseCode::Kind::HighestModSeq},
    {"INUSE", ResponseCode::Kind::InUse},
    {"LIMIT", ResponseCode::Kind::Limit},
    {"MODIFIED", ResponseCode::Kind::Modified},
    {"NOMODSEQ", ResponseCode::Kind::NoModSeq},
    {"NONEXISTENT", ResponseCode::Kind::NonExistent},
    {"NOPERM", ResponseCode::Kind::NoPerm},
    {"OVERQUOTA", ResponseCode::Kind::OverQuota},
    {"PARSE", ResponseCode::Kind::Parse},
    {"PERMANENTFLAGS", ResponseCode::Kind::PermanentFlags},
    {"PRIVACYREQUIRED", ResponseCode::Kind::PrivacyRequired},
    {"READ-ONLY", ResponseCode::Kind::ReadOnly},
    {"READ-WRITE", ResponseCode::Kind::ReadWrite},
    {"SERVERBUG", ResponseCode::Kind::ServerBug},
    {"TRYCREATE", ResponseCode::Kind::TryCreate},
    {"UIDNEXT", ResponseCode::Kind::UidNext},
    {"UIDNOTSTICKY", ResponseCode::Kind::UidNotSticky},
    {"UIDVALIDITY", ResponseCode::Kind::UidValidity},
    {"UNAVAILABLE", ResponseCode::Kind::Unavailable},
    {"UNKNOWN-CTE", ResponseCode::Kind::UnknownCte},
    {"UNSEEN", ResponseCode::Kind::Unseen},
};

bool sameAddresses(const QList<Address> &a, const QList<Address> &b) { return a == b; }

} // namespace

// ---- ResponseCode -------------------------------------------------------------------------

class ResponseCodePrivate : public QSharedData
{
public:
    ResponseCode::Kind kind = ResponseCode::Kind::None;
    QByteArray name;
    QByteArray text;
    QList<QByteArray> atoms;
    quint64 number = 0;
    SequenceSet first;
    SequenceSet second;
};

ResponseCode::ResponseCode() = default;

ResponseCode::ResponseCode(const QByteArray &name, const QByteArray &text)
    : d(new ResponseCodePrivate)
{
    d->kind = kindForName(name);
    d->name = name;
    d->text = text;
}

ResponseCode::ResponseCode(const ResponseCode &other) = default;
ResponseCode::ResponseCode(ResponseCode &&other) noexcept = default;
ResponseCode &ResponseCode::operator=(const ResponseCode &other) = default;
ResponseCode &ResponseCode::operator=(ResponseCode &&other) noexcept = default;
ResponseCode::~ResponseCode() = default;

ResponseCode::Kind ResponseCode::kind() const { return d ? d->kind : Kind::None; }

QByteArray ResponseCode::name() const { return d ? d->name : QByteArray(); }

QByteArray ResponseCode::text() const { return d ? d->text : QByteArray(); }

void ResponseCode::setAtoms(const QList<QByteArray> &atoms) { detail::writable(d)->atoms = atoms; }

void ResponseCode::setNumber(quint64 number) { detail::writable(d)->number = number; }

void ResponseCode::setSets(const SequenceSet &first, const SequenceSet &second)
{
    ResponseCodePrivate *p = detail::writable(d);
    p->first = first;
    p->second = second;
}

void ResponseCode::demoteToOther() { detail::writable(d)->kind = Kind::Other; }

ResponseCode::Kind ResponseCode::kindForName(const QByteArray &upperName)
{
    for (const CodeName &entry : codeNames) {
        if (upperName == entry.name)
            return entry.kind;
    }
    return upperName.isEmpty() ? Kind::None : Kind::Other;
}

QList<QByteArray> ResponseCode::capabilities() const
{
    return kind() == Kind::Capability ? d->atoms : QList<QByteArray>();
}

QList<QByteArray> ResponseCode::permanentFlags() const
{
    return kind() == Kind::PermanentFlags ? d->atoms : QList<QByteArray>();
}

QList<QByteArray> ResponseCode::badCharsets() const
{
    return kind() == Kind::BadCharset ? d->atoms : QList<QByteArray>();
}

std::optional<quint32> ResponseCode::uidValidity() const
{
    return kind() == Kind::UidValidity ? std::optional<quint32>(quint32(d->number)) : std::nullopt;
}

std::optional<quint32> ResponseCode::uidNext() const
{
    return kind() == Kind::UidNext ? std::optional<quint32>(quint32(d->number)) : std::nullopt;
}

std::optional<quint32> ResponseCode::unseen() const
{
    return kind() == Kind::Unseen ? std::optional<quint32>(quint32(d->number)) : std::nullopt;
}

std::optional<quint64> ResponseCode::highestModSeq() const
{
    return kind() == Kind::HighestModSeq ? std::optional<quint64>(d->number) : std::nullopt;
}

std::optional<AppendUid> ResponseCode::appendUid() const
{
    if (kind() != Kind::AppendUid)
        return std::nullopt;
    return AppendUid{quint32(d->number), d->first};
}

std::optional<CopyUid> ResponseCode::copyUid() const
{
    if (kind() != Kind::CopyUid)
        return std::nullopt;
    return CopyUid{quint32(d->number), d->first, d->second};
}

std::optional<SequenceSet> ResponseCode::modified() const
{
    return kind() == Kind::Modified ? std::optional<SequenceSet>(d->first) : std::nullopt;
}

bool operator==(const ResponseCode &a, const ResponseCode &b)
{
    if (a.d == b.d)
        return true; // the same private part, or both without one
    const ResponseCodePrivate &x = detail::readable(a.d);
    const ResponseCodePrivate &y = detail::readable(b.d);
    return x.kind == y.kind && x.name == y.name && x.text == y.text && x.atoms == y.atoms
        && x.number == y.number && x.first == y.first && x.second == y.second;
}

// ---- Address, Envelope --------------------------------------------------------------------

QString Address::displayName() const { return detail::decodeRfc2047(name); }

QByteArray Address::addrSpec() const
{
    if (host.isNull())
        return mailbox;
    return mailbox + '@' + host;
}

QString Address::toString() const
{
    QString spec = QString::fromUtf8(addrSpec());
    const QString display = displayName();
    if (display.isEmpty())
        return spec;
    return display + QStringLiteral(" <") + spec + QLatin1Char('>');
}

bool operator==(const Address &a, const Address &b)
{
    // isNull() matters: NIL and "" are different values.
    return a.name == b.name && a.name.isNull() == b.name.isNull() && a.adl == b.adl
        && a.adl.isNull() == b.adl.isNull() && a.mailbox == b.mailbox
        && a.mailbox.isNull() == b.mailbox.isNull() && a.host == b.host
        && a.host.isNull() == b.host.isNull();
}

QString Envelope::decodedSubject() const { return detail::decodeRfc2047(subject); }

QDateTime Envelope::parsedDate() const
{
    // Qt's RFC 2822 parser takes "Wed, 17 Jul 1996 02:23:25 -0700" and ignores a trailing
    // comment such as "(PDT)".
    return QDateTime::fromString(QString::fromLatin1(date.trimmed()), Qt::RFC2822Date);
}

bool operator==(const Envelope &a, const Envelope &b)
{
    return a.date == b.date && a.date.isNull() == b.date.isNull() && a.subject == b.subject
        && a.subject.isNull() == b.subject.isNull() && sameAddresses(a.from, b.from)
        && sameAddresses(a.sender, b.sender) && sameAddresses(a.replyTo, b.replyTo)
        && sameAddresses(a.to, b.to) && sameAddresses(a.cc, b.cc) && sameAddresses(a.bcc, b.bcc)
        && a.inReplyTo == b.inReplyTo && a.inReplyTo.isNull() == b.inReplyTo.isNull()
        && a.messageId == b.messageId && a.messageId.isNull() == b.messageId.isNull();
}

// ---- LIST, STATUS, NAMESPACE, SEARCH ------------------------------------------------------

bool MailboxListEntry::hasFlag(const QByteArray &flag) const
{
    for (const QByteArray &f : flags) {
        if (f.compare(flag, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool MailboxListEntry::isSelectable() const
{
    return !hasFlag("\\Noselect") && !hasFlag("\\NonExistent");
}

bool operator==(const MailboxListEntry &a, const MailboxListEntry &b)
{
    return a.flags == b.flags && a.delimiter == b.delimiter
        && a.delimiter.isNull() == b.delimiter.isNull() && a.rawName == b.rawName
        && a.name == b.name && a.extended == b.extended;
}

bool operator==(const StatusData &a, const StatusData &b)
{
    return a.rawMailbox == b.rawMailbox && a.mailbox == b.mailbox && a.messages == b.messages
        && a.recent == b.recent && a.uidNext == b.uidNext && a.uidValidity == b.uidValidity
        && a.unseen == b.unseen && a.deleted == b.deleted && a.size == b.size
        && a.highestModSeq == b.highestModSeq && a.other == b.other;
}

bool operator==(const NamespaceDescriptor &a, const NamespaceDescriptor &b)
{
    return a.prefix == b.prefix && a.delimiter == b.delimiter
        && a.delimiter.isNull() == b.delimiter.isNull() && a.extensions == b.extensions;
}

bool operator==(const NamespaceData &a, const NamespaceData &b)
{
    return a.personal == b.personal && a.otherUsers == b.otherUsers && a.shared == b.shared;
}

bool operator==(const SearchResult &a, const SearchResult &b)
{
    return a.numbers == b.numbers && a.modSeq == b.modSeq && a.tag == b.tag
        && a.tag.isNull() == b.tag.isNull() && a.uid == b.uid && a.min == b.min && a.max == b.max
        && a.count == b.count && a.all == b.all && a.other == b.other;
}

// ---- Debug output -------------------------------------------------------------------------

QDebug operator<<(QDebug debug, const ResponseCode &code)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << '[' << code.name().constData();
    if (!code.text().isEmpty())
        debug << ' ' << code.text().constData();
    debug << ']';
    return debug;
}

QDebug operator<<(QDebug debug, const Address &address)
{
    const QDebugStateSaver saver(debug);
    const auto field = [](const QByteArray &b) {
        return b.isNull() ? QByteArray("NIL") : '"' + b + '"';
    };
    debug.nospace() << '(' << field(address.name).constData() << ' '
                    << field(address.adl).constData() << ' ' << field(address.mailbox).constData()
                    << ' ' << field(address.host).constData() << ')';
    return debug;
}

QDebug operator<<(QDebug debug, const Envelope &e)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "Envelope(date=" << e.date << " subject=" << e.subject << " from=" << e.from
                    << " sender=" << e.sender << " reply-to=" << e.replyTo << " to=" << e.to
                    << " cc=" << e.cc << " bcc=" << e.bcc << " in-reply-to=" << e.inReplyTo
                    << " message-id=" << e.messageId << ')';
    return debug;
}

} // namespace mailwire
