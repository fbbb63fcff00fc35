// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/capabilities.h>

#include <QtCore/QSet>

namespace mailwire {

const Capabilities::Entry *Capabilities::find(const QByteArray &upperName) const
{
    const auto found = m_index.constFind(upperName);
    return found == m_index.constEnd() ? nullptr : &m_entries.at(found.value());
}

void Capabilities::add(const QByteArray &name, const QList<QByteArray> &parameters)
{
    addEntry(name, parameters, true);
}

void Capabilities::addEntry(const QByteArray &name, const QList<QByteArray> &parameters,
                            bool listed)
{
    if (name.isEmpty())
        return;
    // A hash, not a scan: a list of n distinct atoms must not cost n² comparisons.
    const QByteArray upper = name.toUpper();
    const auto found = m_index.constFind(upper);
    if (found != m_index.constEnd()) {
        Entry &entry = m_entries[found.value()];
        entry.parameters += parameters;
        entry.listed |= listed;
        return;
    }
    m_index.insert(upper, m_entries.size());
    m_entries.append({upper, name, parameters, listed});
}

Capabilities Capabilities::fromImapAtoms(const QList<QByteArray> &atoms)
{
    Capabilities capabilities;
    capabilities.m_entries.reserve(atoms.size());
    capabilities.m_index.reserve(atoms.size());
    for (const QByteArray &atom : atoms) {
        // RFC 3501 §7.2.1: "AUTH=mechanism"; other atoms may carry "=value" too.
        const int equals = atom.indexOf('=');
        capabilities.add(atom); // "AUTH=PLAIN" is itself a capability name
        if (equals > 0)
            capabilities.addEntry(atom.left(equals), {atom.mid(equals + 1).toUpper()}, false);
    }
    return capabilities;
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

bool Capabilities::has(const QByteArray &name) const { return find(name.toUpper()) != nullptr; }

QList<QByteArray> Capabilities::parameters(const QByteArray &name) const
{
    const Entry *entry = find(name.toUpper());
    return entry ? entry->parameters : QList<QByteArray>();
}

QStringList Capabilities::saslMechanisms() const
{
    QStringList mechanisms;
    QSet<QString> seen; // many AUTH= atoms must not make the duplicate check quadratic
    // SMTP and IMAP say AUTH; POP3 CAPA says SASL (RFC 2449 §6.3).
    for (const char *keyword : {"AUTH", "SASL"}) {
        const Entry *entry = find(keyword);
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

QStringList Capabilities::names() const
{
    QStringList names;
    for (const Entry &entry : m_entries) {
        if (entry.listed)
            names << QString::fromLatin1(entry.original);
    }
    return names;
}

} // namespace mailwire
