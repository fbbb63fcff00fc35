// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace mailwire::detail {

/// The name a client checks the server's certificate against (and sends as SNI), in the
/// form OpenSSL needs. Built only by parsePeerName(), so a name that cannot be checked
/// never reaches X509_VERIFY_PARAM_set1_host(), which takes "" as "check nothing".
struct PeerName
{
    enum class Kind {
        None,
        DnsName,
        IpAddress
    };
    Kind kind = Kind::None;
    /// DnsName: the ACE form (IDN converted, lower case, no trailing dot).
    /// IpAddress: the canonical text of the address, without an IPv6 zone id.
    QByteArray checked;

    bool isEmpty() const { return kind == Kind::None; }
    bool isAddress() const { return kind == Kind::IpAddress; }
};

/// Checks and normalises a verification name. An empty name gives Kind::None if allowEmpty
/// (a client that verifies nothing), else it is refused: no name would mean no host check.
/// Refused too, with a sentence for people in *error:
/// whitespace, control characters or NUL anywhere; a name QUrl::toAce() rejects (a label
/// starting or ending with '-', an empty label as in "a..b", a wildcard); a label longer
/// than 63 bytes or a name longer than 253 in ACE form; a last label of digits only that
/// is no IP address ("1.2.3.4.5"). An IP literal is accepted in any form QHostAddress
/// reads and checked as that address; an IPv6 zone id ("fe80::1%eth0") is dropped,
/// since it only names the local interface and no certificate can carry it.
bool parsePeerName(const QString &name, bool allowEmpty, PeerName *out, QString *error);

} // namespace mailwire::detail
