// SPDX-License-Identifier: LGPL-3.0-or-later
#include "tls_context_p.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDataStream>
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QMutexLocker>
#include <QtCore/QStringList>

#include <openssl/err.h>

#include "openssl_convert_p.h"
#include "session_cache_p.h"
#include "tls_engine_p.h"

namespace mailwire::detail {

namespace {

constexpr int MaxCachedContexts = 32;

QMutex &cacheMutex()
{
    static QMutex mutex;
    return mutex;
}

QHash<QByteArray, std::shared_ptr<TlsContext>> &contextCache()
{
    static QHash<QByteArray, std::shared_ptr<TlsContext>> cache;
    return cache;
}

// New client sessions (TLS 1.3 tickets arrive after the handshake) go to the engine, which
// stores them in its context's cache only once the verification was found clean.
int onNewClientSession(SSL *ssl, SSL_SESSION *session)
{
    if (TlsEngine *engine = TlsEngine::fromSsl(ssl))
        engine->offerSession(session);
    return 0; // whoever keeps the session took its own reference
}

// TLS 1.3 would otherwise ask the old PSK callback for an external PSK on every ClientHello.
int noTls13ExternalPsk(SSL * /*ssl*/, const EVP_MD * /*md*/, const unsigned char **id,
                       size_t *idLength, SSL_SESSION **session)
{
    *id = nullptr;
    *idLength = 0;
    *session = nullptr;
    return 1;
}

bool setCiphers(SSL_CTX *ctx, const QList<QSslCipher> &ciphers, QString *error)
{
    QStringList tls12;
    QStringList tls13;
    for (const QSslCipher &cipher : ciphers) {
        if (cipher.isNull()) {
            *error = QStringLiteral("Invalid or empty cipher list");
            return false;
        }
        // TLS 1.3 suites have their own list in OpenSSL and are all named TLS_*.
        (cipher.name().startsWith(QLatin1String("TLS_")) ? tls13 : tls12) << cipher.name();
    }
    const QByteArray list12 = tls12.join(QLatin1Char(':')).toLatin1();
    const QByteArray list13 = tls13.join(QLatin1Char(':')).toLatin1();
    if (!SSL_CTX_set_ciphersuites(ctx, list13.constData())) {
        *error = QStringLiteral("Invalid or empty cipher list (%1)").arg(takeOpenSslErrors());
        return false;
    }
    if (tls12.isEmpty()) {
        // Only TLS 1.3 suites were asked for: nothing older can be negotiated.
        SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    } else if (!SSL_CTX_set_cipher_list(ctx, list12.constData())) {
        *error = QStringLiteral("Invalid or empty cipher list (%1)").arg(takeOpenSslErrors());
        return false;
    }
    return true;
}

bool setLocalIdentity(SSL_CTX *ctx, const TlsSettings &settings, QString *error)
{
    if (settings.localCertificateChain.isEmpty())
        return true;
    const X509Ptr leaf = toX509(settings.localCertificateChain.first());
    if (!leaf || !SSL_CTX_use_certificate(ctx, leaf.get())) {
        *error = QStringLiteral("Cannot use the local certificate (%1)").arg(takeOpenSslErrors());
        return false;
    }
    for (int i = 1; i < settings.localCertificateChain.size(); ++i) {
        const X509Ptr link = toX509(settings.localCertificateChain.at(i));
        if (!link || !SSL_CTX_add1_chain_cert(ctx, link.get())) {
            *error = QStringLiteral("Cannot use the local certificate chain (%1)")
                         .arg(takeOpenSslErrors());
            return false;
        }
    }
    if (settings.privateKey.isNull()) {
        *error = QStringLiteral("A local certificate needs a private key");
        return false;
    }
    const EvpPkeyPtr key = toEvpPkey(settings.privateKey);
    if (!key || !SSL_CTX_use_PrivateKey(ctx, key.get())) {
        *error = QStringLiteral("Cannot use the private key (%1)").arg(takeOpenSslErrors());
        return false;
    }
    if (!SSL_CTX_check_private_key(ctx)) {
        *error =
            QStringLiteral("Private key does not certify public key, %1").arg(takeOpenSslErrors());
        return false;
    }
    return true;
}

bool setTrust(SSL_CTX *ctx, const TlsSettings &settings, QString *error)
{
    if (settings.useSystemCaStore)
        SSL_CTX_set_default_verify_paths(ctx);
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    for (const QSslCertificate &ca : settings.caCertificates) {
        const X509Ptr x509 = toX509(ca);
        if (!x509) {
            *error = QStringLiteral("Invalid CA certificate");
            return false;
        }
        X509_STORE_add_cert(store, x509.get()); // a duplicate is not an error
    }
    ERR_clear_error();
    return true;
}

int verifyModeFor(const TlsSettings &settings)
{
    switch (settings.peerVerifyMode) {
    case 0:
        return SSL_VERIFY_NONE; // VerifyNone
    // A missing client certificate is reported by the socket as NoPeerCertificate, which
    // the application may ignore, as in QSslSocket; so no SSL_VERIFY_FAIL_IF_NO_PEER_CERT.
    default: return SSL_VERIFY_PEER; // QueryPeer, VerifyPeer, Auto
    }
}

} // namespace

QByteArray TlsSettings::cacheKey() const
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << int(role) << int(protocol) << peerVerifyMode << peerVerifyDepth << useSystemCaStore
        << pskIdentityHint << pskCallbackWanted;
    out << caCertificates.size();
    for (const QSslCertificate &ca : caCertificates)
        out << ca.toDer();
    out << localCertificateChain.size();
    for (const QSslCertificate &certificate : localCertificateChain)
        out << certificate.toDer();
    out << privateKey.toDer();
    out << ciphers.size();
    for (const QSslCipher &cipher : ciphers)
        out << cipher.name();
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

bool TlsSettings::verifiesPeer() const
{
    return peerVerifyMode == 2 || (peerVerifyMode == 3 && role == TlsRole::Client);
}

TlsContext::TlsContext(SslCtxPtr ctx, TlsSettings settings)
    : m_ctx(std::move(ctx)), m_settings(std::move(settings)),
      m_sessions(std::make_unique<SessionCache>())
{}

TlsContext::~TlsContext() = default;

std::shared_ptr<TlsContext> TlsContext::obtain(const TlsSettings &settings, QString *error)
{
    const QByteArray key = settings.cacheKey();
    {
        QMutexLocker lock(&cacheMutex());
        if (auto cached = contextCache().value(key))
            return cached;
    }
    std::shared_ptr<TlsContext> context = build(settings, error);
    if (!context)
        return nullptr;
    QMutexLocker lock(&cacheMutex());
    auto &cache = contextCache();
    if (cache.size() >= MaxCachedContexts)
        cache.erase(cache.begin());
    cache.insert(key, context);
    return context;
}

void TlsContext::clearCache()
{
    QMutexLocker lock(&cacheMutex());
    contextCache().clear();
}

std::shared_ptr<TlsContext> TlsContext::build(const TlsSettings &settings, QString *error)
{
    ERR_clear_error();
    int minVersion = 0;
    int maxVersion = 0;
    if (!protocolRange(settings.protocol, &minVersion, &maxVersion)) {
        *error = QStringLiteral("Unsupported protocol: SSLv2, SSLv3 and DTLS are refused");
        return nullptr;
    }
    const bool client = settings.role == TlsRole::Client;
    SslCtxPtr ctx(SSL_CTX_new(client ? TLS_client_method() : TLS_server_method()));
    if (!ctx) {
        *error = QStringLiteral("Cannot create a TLS context (%1)").arg(takeOpenSslErrors());
        return nullptr;
    }
    SSL_CTX_set_min_proto_version(ctx.get(), minVersion);
    SSL_CTX_set_max_proto_version(ctx.get(), maxVersion);
    SSL_CTX_set_options(ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    // No SSL_MODE_ENABLE_PARTIAL_WRITE: the memory BIO never blocks, and a partial write
    // would hand back one record per SSL_write.
    SSL_CTX_set_mode(ctx.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (!settings.ciphers.isEmpty() && !setCiphers(ctx.get(), settings.ciphers, error))
        return nullptr;
    if (!setLocalIdentity(ctx.get(), settings, error) || !setTrust(ctx.get(), settings, error))
        return nullptr;

    SSL_CTX_set_verify(ctx.get(), verifyModeFor(settings),
                       verifyModeFor(settings) == SSL_VERIFY_NONE ? nullptr
                                                                  : TlsEngine::verifyCallback);
    if (settings.peerVerifyDepth > 0)
        SSL_CTX_set_verify_depth(ctx.get(), settings.peerVerifyDepth);

    if (client) {
        SSL_CTX_set_session_cache_mode(ctx.get(),
                                       SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx.get(), onNewClientSession);
    } else {
        static const unsigned char sessionContext[] = "mailwire";
        SSL_CTX_set_session_id_context(ctx.get(), sessionContext, sizeof sessionContext - 1);
    }
    if (settings.pskCallbackWanted) {
        if (client) {
            SSL_CTX_set_psk_client_callback(ctx.get(), TlsEngine::pskClientCallback);
            SSL_CTX_set_psk_use_session_callback(ctx.get(), noTls13ExternalPsk);
        } else {
            SSL_CTX_set_psk_server_callback(ctx.get(), TlsEngine::pskServerCallback);
            if (!settings.pskIdentityHint.isEmpty())
                SSL_CTX_use_psk_identity_hint(ctx.get(), settings.pskIdentityHint.constData());
        }
    }
    return std::shared_ptr<TlsContext>(new TlsContext(std::move(ctx), settings));
}

} // namespace mailwire::detail
