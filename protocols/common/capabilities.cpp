// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/capabilities.h>

#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtCore/QVector>

#include "shared_private_p.h"

namespace mailwire {

class CapabilitiesPrivate : public QSharedData
{
public:
    struct Entry
    {
        QByteArray name;     // upper-cased for lookup
        QByteArray original; // as sent
        QList<QByteArray> parameters;
        bool listed = true; // false for "AUTH" derived from IMAP's "AUTH=PLAIN"
    };

    const Entry *find(const QByteArray &upperName) const
    {
        const auto found = index.constFind(upperName);
        return found == index.constEnd() ? nullptr : &entries.at(found.value());
    }

    void addEntry(const QByteArray &name, const QList<QByteArray> &parameters, bool listed)
    {
        if (name.isEmpty())
            return;
        // A hash, not a scan: a list of n distinct atoms must not cost n² comparisons.
        const QByteArray upper = name.toUpper();
        const auto found = index.constFind(upper);
        if (found != index.constEnd()) {
            Entry &entry = entries[found.value()];
            entry.parameters += parameters;
            entry.listed |= listed;
            return;
        }
        index.insert(upper, entries.size());
        entries.append({upper, name, parameters, listed});
    }

    QVector<Entry> entries;
    QHash<QByteArray, int> index; // upper-cased name -> position in entries
};

Capabilities::Capabilities() = default;
Capabilities::Capabilities(const Capabilities &other) = default;
Capabilities::Capabilities(Capabilities &&other) noexcept = default;
Capabilities &Capabilities::operator=(const Capabilities &other) = default;
Capabilities &Capabilities::operator=(Capabilities &&other) noexcept = default;
Capabilities::~Capabilities() = default;

void Capabilities::add(const QByteArray &name, const QList<QByteArray> &parameters)
{
    detail::writable(d)->addEntry(name, parameters, true);
}

void Capabilities::addDerived(const QByteArray &name, const QList<QByteArray> &parameters)
{
    detail::writable(d)->addEntry(name, parameters, false);
}

void Capabilities::reserve(int size)
{
    CapabilitiesPrivate *entries = detail::writable(d);
    entries->entries.reserve(size);
    entries->index.reserve(size);
}

Capabilities Capabilities::fromKeywordLines(const QList<QByteArray> &lines)
{
    Capabilities capabilities;
    for (const QByteArray &line : lines) {
        const QList<QByteArray> words = line.simplified().split(' ');
        if (words.isEmpty() || words.first().isEmpty())
            continue;
        QList<QByteArray> parameters = words.mid(1);
        capabilities.add(words.first(), parameters);
    }
    return capabilities;
}

bool Capabilities::has(const QByteArray &name) const
{
    return detail::readable(d).find(name.toUpper()) != nullptr;
}

QList<QByteArray> Capabilities::parameters(const QByteArray &name) const
{
    const CapabilitiesPrivate::Entry *entry = detail::readable(d).find(name.toUpper());
    return entry ? entry->parameters : QList<QByteArray>();
}

QStringList Capabilities::saslMechanisms() const
{
    QStringList mechanisms;
    QSet<QString> seen; // many AUTH= atoms must not make the duplicate check quadratic
    // SMTP and IMAP say AUTH; POP3 CAPA says SASL (RFC 2449 §6.3).
    for (const char *keyword : {"AUTH", "SASL"}) {
        const CapabilitiesPrivate::Entry *entry = detail::readable(d).find(keyword);
        if (!entry)
            continue;
        for (const QByteArray &parameter : entry->parameters) {
            const QString mechanism = QString::fromLatin1(parameter.toUpper());
            if (!seen.contains(mechanism)) {
                seen.insert(mechanism);
                mechanisms << mechanism;
            }
        }
    }
    return mechanisms;
}

bool Capabilities::isEmpty() const { return detail::readable(d).entries.isEmpty(); }

int Capabilities::size() const { return detail::readable(d).entries.size(); }

void Capabilities::clear() { d = nullptr; }

QStringList Capabilities::names() const
{
    QStringList names;
    for (const CapabilitiesPrivate::Entry &entry : detail::readable(d).entries) {
        if (entry.listed)
            names << QString::fromLatin1(entry.original);
    }
    return names;
}

} // namespace mailwire
