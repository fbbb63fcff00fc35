// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <memory>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslKey>

#include "openssl_ptr_p.h"

namespace mailwire::detail {

class SessionCache;

enum class TlsRole {
    Client,
    Server
};

/// Everything an SSL_CTX is built from. Two equal settings share one context.
struct TlsSettings
{
    TlsRole role = TlsRole::Client;
    QSsl::SslProtocol protocol = QSsl::SecureProtocols;
    /// QSslSocket::PeerVerifyMode values: 0 VerifyNone, 1 QueryPeer, 2 VerifyPeer, 3 Auto.
    int peerVerifyMode = 3;
    int peerVerifyDepth = 0;               ///< 0 = no limit
    QList<QSslCertificate> caCertificates; ///< trusted in addition to the system store
    bool useSystemCaStore = true;
    QList<QSslCertificate> localCertificateChain; ///< leaf first
    QSslKey privateKey;
    QList<QSslCipher> ciphers;      ///< empty = OpenSSL's secure defaults
    QByteArray pskIdentityHint;     ///< server side PSK hint
    bool pskCallbackWanted = false; ///< install the PSK callbacks

    /// A digest of every field, used as the context cache key.
    QByteArray cacheKey() const;
    /// Whether the peer's certificate must verify (VerifyPeer, or AutoVerifyPeer on a client).
    bool verifiesPeer() const;
};

/// One SSL_CTX built from TlsSettings, shared by every connection with equal settings
/// (building it and loading CAs is the expensive part of a handshake).
class TlsContext
{
public:
    /// Returns the cached context for these settings, building it on first use.
    /// On invalid settings (bad key, key not matching the certificate, unknown cipher,
    /// unsupported protocol) returns null and sets *error to a sentence for people.
    static std::shared_ptr<TlsContext> obtain(const TlsSettings &settings, QString *error);
    /// Drops every cached context (tests use it to measure cold handshakes).
    static void clearCache();

    ~TlsContext();
    SSL_CTX *native() const { return m_ctx.get(); }
    const TlsSettings &settings() const { return m_settings; }
    SessionCache &sessions() const { return *m_sessions; }

    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

private:
    TlsContext(SslCtxPtr ctx, TlsSettings settings);
    static std::shared_ptr<TlsContext> build(const TlsSettings &settings, QString *error);

    SslCtxPtr m_ctx;
    TlsSettings m_settings;
    std::unique_ptr<SessionCache> m_sessions;
};

} // namespace mailwire::detail
