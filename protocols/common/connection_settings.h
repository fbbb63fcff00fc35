// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>

#include <mailwire/protocol_limits.h>

namespace mailwire {

/// How a session secures its connection.
enum class TlsMode {
    StartTls,    ///< the default: plain connect, then STARTTLS/STLS; required, never optional
    ImplicitTls, ///< TLS from the first byte (IMAP 993, SMTP 465, POP3 995)
    Plain        ///< no TLS at all: an explicit choice for tests and loopback only
};

/// Everything a session needs to reach and trust a server. A plain value type shared by
/// the IMAP, SMTP and POP3 sessions.
struct ConnectionSettings
{
    /// The server's host name or IP address. Required: connecting without one fails with
    /// Error::Code::InvalidArgument. Unless peerVerifyName is set, it is also the name the
    /// server's certificate must carry (and the SNI sent).
    QString host;
    /// The TCP port; 0 = the protocol's default port for tlsMode (IMAP: 143, or 993 with
    /// ImplicitTls).
    quint16 port = 0;
    /// How the connection is secured; StartTls by default, which fails rather than go on
    /// without TLS when the server does not offer it.
    TlsMode tlsMode = TlsMode::StartTls;
    /// CAs, client certificate, protocol floor. Default: Qt's default configuration, which
    /// trusts the system store.
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    /// The name the certificate must carry, when connecting by address.
    QString peerVerifyName;
    /// Certificate problems the caller accepts for this server (pinning an exception);
    /// every other verification error rejects the connection.
    QList<QSslError> ignoredSslErrors;
    /// The proxy the connection goes through; by default the application-wide proxy
    /// (QNetworkProxy::setApplicationProxy()), none unless the application set one.
    QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::DefaultProxy);
    /// How long each phase may take (connect, greeting, handshake, each command).
    Timeouts timeouts;
    /// Bounds on everything the server controls (line length, literal size, reply lines).
    Limits limits;
    /// Credentials may travel unencrypted. Only honoured with TlsMode::Plain: with the
    /// other modes credentials are only ever sent over TLS.
    bool allowPlaintextAuth = false;
};

} // namespace mailwire
