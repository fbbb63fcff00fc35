// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/capabilities.h>

namespace mailwire {

const Capabilities::Entry *Capabilities::find(const QByteArray &upperName) const
{
    for (const Entry &entry : m_entries) {
        if (entry.name == upperName)
            return &entry;
    }
    return nullptr;
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
    const QByteArray upper = name.toUpper();
    for (Entry &entry : m_entries) {
        if (entry.name == upper) {
            entry.parameters += parameters;
            entry.listed |= listed;
            return;
        }
    }
    m_entries.append({upper, name, parameters, listed});
}

Capabilities Capabilities::fromImapAtoms(const QList<QByteArray> &atoms)
{
    Capabilities capabilities;
    for (const QByteArray &atom : atoms) {
        // RFC 3501 §7.2.1: "AUTH=mechanism"; other atoms may carry "=value" too.
        const int equals = atom.indexOf('=');
        capabilities.add(atom);  // "AUTH=PLAIN" is itself a capability name
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

bool Capabilities::has(const QByteArray &name) const
{
    return find(name.toUpper()) != nullptr;
}

QList<QByteArray> Capabilities::parameters(const QByteArray &name) const
{
    const Entry *entry = find(name.toUpper());
    return entry ? entry->parameters : QList<QByteArray>();
}

QStringList Capabilities::saslMechanisms() const
{
    QStringList mechanisms;
    // SMTP and IMAP say AUTH; POP3 CAPA says SASL (RFC 2449 §6.3).
    for (const char *keyword : {"AUTH", "SASL"}) {
        for (const QByteArray &parameter : parameters(keyword)) {
            const QString mechanism = QString::fromLatin1(parameter.toUpper());
            if (!mechanisms.contains(mechanism))
                mechanisms << mechanism;
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
