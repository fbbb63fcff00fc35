// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapFetchItems and the STATUS item list: how callers' options become protocol tokens.
#include <mailwire/imap_command_options.h>

#include "shared_private_p.h"

namespace mailwire {

class ImapFetchItemsPrivate : public QSharedData
{
public:
    QList<QByteArray> items;
    ImapFetchItems::DeviceChooser chooser;
    Error error;
    bool usesBinary = false;
};

namespace {

// A section spec (RFC 9051 §9 "section-spec") must stay inside its brackets on one line:
// printable ASCII without brackets. A "]" would end the section early; CR/LF would end the
// command (rule 6).
bool isSectionText(const QByteArray &section)
{
    for (const char c : section) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7e || c == '[' || c == ']')
            return false;
    }
    return true;
}

// RFC 3516 §4.2: section-binary = "[" [section-part] "]"; section-part = nz-number *("."
// nz-number).
bool isSectionPart(const QByteArray &part)
{
    if (part.isEmpty())
        return true;
    for (const QByteArray &number : part.split('.')) {
        if (number.isEmpty() || number.startsWith('0'))
            return false;
        for (const char c : number) {
            if (c < '0' || c > '9')
                return false;
        }
    }
    return true;
}

} // namespace

QByteArray imapStatusItemList(ImapStatusItems items)
{
    static const struct
    {
        ImapStatusItem item;
        const char *name;
    } names[] = {
        {ImapStatusItem::Messages, "MESSAGES"}, {ImapStatusItem::Recent, "RECENT"},
        {ImapStatusItem::UidNext, "UIDNEXT"},   {ImapStatusItem::UidValidity, "UIDVALIDITY"},
        {ImapStatusItem::Unseen, "UNSEEN"},     {ImapStatusItem::Deleted, "DELETED"},
        {ImapStatusItem::Size, "SIZE"},         {ImapStatusItem::HighestModSeq, "HIGHESTMODSEQ"},
    };
    QList<QByteArray> list;
    for (const auto &entry : names) {
        if (items.testFlag(entry.item))
            list << entry.name;
    }
    return '(' + list.join(' ') + ')';
}

// Null until the first item: the default argument of every fetch() allocates nothing.
ImapFetchItems::ImapFetchItems() = default;
ImapFetchItems::ImapFetchItems(const ImapFetchItems &other) = default;
ImapFetchItems::ImapFetchItems(ImapFetchItems &&other) noexcept = default;
ImapFetchItems &ImapFetchItems::operator=(const ImapFetchItems &other) = default;
ImapFetchItems &ImapFetchItems::operator=(ImapFetchItems &&other) noexcept = default;
ImapFetchItems::~ImapFetchItems() = default;

ImapFetchItems &ImapFetchItems::add(const QByteArray &item)
{
    ImapFetchItemsPrivate *p = detail::writable(d);
    if (!p->items.contains(item))
        p->items << item;
    return *this;
}

ImapFetchItems &ImapFetchItems::addSection(const QByteArray &name, const QByteArray &section,
                                           qint64 origin, qint64 length, bool binaryPart)
{
    const bool sectionOk = binaryPart ? isSectionPart(section) : isSectionText(section);
    const bool partialOk = origin < 0 ? length < 0 : length > 0;
    if (!sectionOk || !partialOk) {
        QString why = QStringLiteral("A partial FETCH needs an origin of at least 0 and a "
                                     "positive length");
        if (!sectionOk && binaryPart)
            why = QStringLiteral("A BINARY section is a part number such as \"1.2\"");
        else if (!sectionOk)
            why = QStringLiteral("A FETCH section holds CR, LF, NUL, a bracket or a byte "
                                 "outside printable ASCII");
        ImapFetchItemsPrivate *p = detail::writable(d);
        if (!p->error.isError())
            p->error =
                Error(Error::Code::InvalidArgument, why + QStringLiteral("; nothing was sent"));
        return *this;
    }
    QByteArray item = name + '[' + section + ']';
    if (origin >= 0)
        item += '<' + QByteArray::number(origin) + '.' + QByteArray::number(length) + '>';
    return add(item);
}

ImapFetchItems &ImapFetchItems::bodyPeek(const QByteArray &section, qint64 origin, qint64 length)
{
    return addSection("BODY.PEEK", section, origin, length, false);
}

ImapFetchItems &ImapFetchItems::body(const QByteArray &section, qint64 origin, qint64 length)
{
    return addSection("BODY", section, origin, length, false);
}

ImapFetchItems &ImapFetchItems::binaryPeek(const QByteArray &part, qint64 origin, qint64 length)
{
    detail::writable(d)->usesBinary = true;
    return addSection("BINARY.PEEK", part, origin, length, true);
}

ImapFetchItems &ImapFetchItems::binarySize(const QByteArray &part)
{
    detail::writable(d)->usesBinary = true;
    return addSection("BINARY.SIZE", part, -1, -1, true);
}

ImapFetchItems &ImapFetchItems::streamBodiesTo(QIODevice *device)
{
    detail::writable(d)->chooser = [device](const ImapStreamedSection &) { return device; };
    return *this;
}

ImapFetchItems &ImapFetchItems::streamBodiesWith(DeviceChooser chooser)
{
    detail::writable(d)->chooser = std::move(chooser);
    return *this;
}

QByteArray ImapFetchItems::toByteArray() const
{
    return '(' + detail::readable(d).items.join(' ') + ')';
}

bool ImapFetchItems::isEmpty() const { return detail::readable(d).items.isEmpty(); }

bool ImapFetchItems::usesBinary() const { return detail::readable(d).usesBinary; }

Error ImapFetchItems::error() const { return detail::readable(d).error; }

const ImapFetchItems::DeviceChooser &ImapFetchItems::deviceChooser() const
{
    return detail::readable(d).chooser;
}

} // namespace mailwire
