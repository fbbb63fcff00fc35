// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace mailwire {

/// What a session authenticates with. The mechanism is chosen from the server's
/// capabilities announced after TLS; only the fields it needs are used and none is ever
/// sent before TLS unless the caller chose TlsMode::Plain and allowed plaintext
/// authentication. Never logged: transcripts show "<redacted>" in their place.
struct Credentials
{
    /// Authentication identity (login name), UTF-8 on the wire.
    QString user;
    /// Password for SCRAM-SHA-256, SCRAM-SHA-1, PLAIN and LOGIN (and IMAP LOGIN, POP3 PASS).
    QString password;
    /// OAuth 2.0 bearer token for OAUTHBEARER (RFC 7628) and XOAUTH2; when set, those rank
    /// after SCRAM and before PLAIN in the choice of mechanism.
    QString oauthToken;
    /// Identity to act as (RFC 4422 §3.4.1), usually empty: the user acts as themself.
    QString authorizationId;
    /// Mechanism names in the order the caller wants them tried, such as {"PLAIN"}; when not
    /// empty, only these are used. Empty: Mailwire's order (the strongest first).
    QStringList preferredMechanisms;
};

} // namespace mailwire
