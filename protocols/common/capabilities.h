// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QStringList>

#include <mailwire/protocols_export.h>

namespace mailwire {

class CapabilitiesPrivate;

/// What a server says it can do: IMAP CAPABILITY atoms, SMTP EHLO keywords, POP3 CAPA
/// tags. Names compare case-insensitively; each may carry parameters ("AUTH=PLAIN" in
/// IMAP, "AUTH PLAIN LOGIN" or "SIZE 1000" in SMTP/POP3). Discarded on every TLS upgrade.
///
/// Building and querying are linear in what the server sent (a hash per name), so a hostile
/// list of many thousands of atoms costs milliseconds; how many atoms a session accepts at
/// all is Limits::maxCapabilities, which the session checks before building one.
class MAILWIRE_PROTOCOLS_EXPORT Capabilities
{
public:
    /// An empty set: what a session holds before the server has answered, and again right
    /// after a TLS upgrade, when everything learned in plaintext is forgotten.
    Capabilities();
    /// A copy (implicitly shared: cheap until one of the two changes).
    Capabilities(const Capabilities &other);
    /// Takes other's entries; other is left empty.
    Capabilities(Capabilities &&other) noexcept;
    /// Becomes a copy of other (implicitly shared).
    Capabilities &operator=(const Capabilities &other);
    /// Takes other's entries; other is left empty.
    Capabilities &operator=(Capabilities &&other) noexcept;
    ~Capabilities();

    /// Adds one capability as the server named it, with its parameters (SMTP's "SIZE 1000"
    /// is name "SIZE" with parameter "1000"). A name added again gathers the parameters of
    /// both.
    void add(const QByteArray &name, const QList<QByteArray> &parameters = {});
    /// Adds a name the protocol derives from one the server listed, so that has() and
    /// parameters() find it while names() lists only what the server said: IMAP reads
    /// "AUTH=PLAIN" as name "AUTH" with parameter "PLAIN" too.
    void addDerived(const QByteArray &name, const QList<QByteArray> &parameters);
    /// Room for size names, so that building a long list allocates once.
    void reserve(int size);
    /// From keyword lines, such as SMTP EHLO lines after the first or POP3 CAPA lines:
    /// {"PIPELINING", "SIZE 35882577", "AUTH PLAIN LOGIN"}.
    static Capabilities fromKeywordLines(const QList<QByteArray> &lines);

    /// Whether the server announced name, case-insensitively: has("starttls") matches
    /// "STARTTLS". An IMAP atom with a value matches both whole and by its name:
    /// "AUTH=PLAIN" makes has("AUTH=PLAIN") and has("AUTH") true.
    bool has(const QByteArray &name) const;
    /// The parameters of name (accumulated over repeated entries), upper-case as sent.
    QList<QByteArray> parameters(const QByteArray &name) const;
    /// SASL mechanisms offered (IMAP AUTH=X atoms, SMTP/POP3 "AUTH"/"SASL" parameters).
    QStringList saslMechanisms() const;
    /// True before the server announced anything (or after clear()).
    bool isEmpty() const;
    /// How many distinct names are held, counting IMAP's "AUTH" derived from "AUTH=PLAIN";
    /// a repeated name counts once.
    int size() const;
    /// Forgets everything, as a session does on the TLS upgrade: capabilities announced in
    /// plaintext may have been forged and must be asked for again.
    void clear();
    /// Names as sent, in order ("IMAP4rev1", "AUTH=PLAIN", ...), for display and logs.
    QStringList names() const;

    /// Equal when the same names were announced in the same order (as names() lists them).
    friend bool operator==(const Capabilities &a, const Capabilities &b)
    {
        return a.names() == b.names();
    }

private:
    QSharedDataPointer<CapabilitiesPrivate> d;
};

} // namespace mailwire
