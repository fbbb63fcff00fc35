// SPDX-License-Identifier: LGPL-3.0-or-later
#include "imap_capabilities_p.h"

namespace mailwire::detail {

Capabilities imapCapabilities(const QList<QByteArray> &atoms)
{
    Capabilities capabilities;
    capabilities.reserve(atoms.size());
    for (const QByteArray &atom : atoms) {
        capabilities.add(atom); // "AUTH=PLAIN" is itself a capability name
        // RFC 9051 §7.2.2 "AUTH=mechanism"; other atoms may carry "=value" too.
        const int equals = atom.indexOf('=');
        if (equals > 0)
            capabilities.addDerived(atom.left(equals), {atom.mid(equals + 1).toUpper()});
    }
    return capabilities;
}

} // namespace mailwire::detail
