// SPDX-License-Identifier: LGPL-3.0-or-later
#include "peer_name_p.h"

#include <QtCore/QList>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>

namespace mailwire::detail {

namespace {

constexpr int MaxLabelLength = 63; // RFC 1035 §2.3.4
constexpr int MaxNameLength = 253; // 255 octets on the wire, without the root label

bool isLabelCharacter(char c)
{
    // LDH, plus '_' which some internal hosts carry; X509_check_host() compares it exactly.
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool isDigits(const QByteArray &label)
{
    for (const char c : label) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

QString invalid(const QString &name, const QString &why)
{
    return QStringLiteral("Invalid peer verification name \"%1\": %2").arg(name, why);
}

} // namespace

bool parsePeerName(const QString &name, bool allowEmpty, PeerName *out, QString *error)
{
    *out = PeerName();
    if (name.isEmpty()) {
        if (!allowEmpty)
            *error = QStringLiteral("No host name to verify the peer's certificate against: "
                                    "connect by host name or set a peer verify name");
        return allowEmpty;
    }
    for (const QChar c : name) {
        // toAce() would refuse most of these; checked first so that the reason is exact
        // and a NUL can never cut the name short on its way into C strings.
        if (c.isNull() || c.isSpace() || c.category() == QChar::Other_Control) {
            *error = invalid(name, QStringLiteral("it contains white space or control characters"));
            return false;
        }
    }

    QHostAddress address;
    if (address.setAddress(name)) {
        address.setScopeId(QString());
        out->kind = PeerName::Kind::IpAddress;
        out->checked = address.toString().toLatin1();
        return true;
    }

    QString host = name;
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1); // the absolute form names the same host; SNI forbids the dot
    const QByteArray ace = QUrl::toAce(host);
    if (ace.isEmpty()) {
        *error = invalid(name, QStringLiteral("not a valid host name"));
        return false;
    }
    if (ace.size() > MaxNameLength) {
        *error = invalid(name, QStringLiteral("longer than %1 characters").arg(MaxNameLength));
        return false;
    }
    const QList<QByteArray> labels = ace.split('.');
    for (const QByteArray &label : labels) {
        if (label.isEmpty() || label.size() > MaxLabelLength) {
            *error = invalid(
                name, QStringLiteral("each label needs 1 to %1 characters").arg(MaxLabelLength));
            return false;
        }
        if (label.startsWith('-') || label.endsWith('-')) {
            *error = invalid(name, QStringLiteral("a label starts or ends with '-'"));
            return false;
        }
        for (const char c : label) {
            if (!isLabelCharacter(c)) {
                *error =
                    invalid(name, QStringLiteral("it contains characters a host name cannot hold"));
                return false;
            }
        }
    }
    if (isDigits(labels.last())) {
        *error = invalid(name, QStringLiteral("neither an IP address nor a host name"));
        return false;
    }
    out->kind = PeerName::Kind::DnsName;
    out->checked = ace;
    return true;
}

} // namespace mailwire::detail
