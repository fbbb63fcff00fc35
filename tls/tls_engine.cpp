// SPDX-License-Identifier: LGPL-3.0-or-later
#include "tls_engine_p.h"

#include <cstring>

#include <QtNetwork/QSslPreSharedKeyAuthenticator>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "openssl_convert_p.h"
#include "peer_name_p.h"
#include "session_cache_p.h"

namespace mailwire::detail {

TlsEngine::TlsEngine(std::shared_ptr<TlsContext> context) : m_context(std::move(context)) {}

TlsEngine::~TlsEngine()
{
    // OpenSSL forgets the session of a connection freed without close_notify. A healthy
    // connection we drop ourselves (abort()) keeps its session for resumption; a failed or
    // truncated one does not.
    const bool truncated = m_transportEnded && !m_receivedCloseNotify;
    if (m_ssl && m_established && !m_failed && !truncated)
        SSL_set_shutdown(m_ssl.get(), SSL_SENT_SHUTDOWN);
}

TlsEngine *TlsEngine::fromSsl(const SSL *ssl)
{
    return ssl ? static_cast<TlsEngine *>(SSL_get_app_data(ssl)) : nullptr;
}

bool TlsEngine::begin(const QString &peerName, const QByteArray &sessionKey)
{
    const bool client = m_context->settings().role == TlsRole::Client;
    PeerName name;
    if (client) {
        // Refused before any byte is produced: a name that cannot be checked must never
        // turn the host check off (OpenSSL takes an empty name as "check nothing").
        QString error;
        const bool verifiesNothing = m_context->settings().peerVerifyMode == 0;
        if (!parsePeerName(peerName, verifiesNothing, &name, &error)) {
            m_lastError = error;
            return false;
        }
    }

    ERR_clear_error();
    m_ssl.reset(SSL_new(m_context->native()));
    m_in = BIO_new(BIO_s_mem());
    m_out = BIO_new(BIO_s_mem());
    if (!m_ssl || !m_in || !m_out) {
        BIO_free(m_in);
        BIO_free(m_out);
        m_in = m_out = nullptr;
        m_ssl.reset();
        m_lastError =
            QStringLiteral("Cannot create a TLS connection (%1)").arg(takeOpenSslErrors());
        return false;
    }
    SSL_set_bio(m_ssl.get(), m_in, m_out);
    SSL_set_app_data(m_ssl.get(), this);

    if (!client) {
        SSL_set_accept_state(m_ssl.get());
        return true;
    }
    SSL_set_connect_state(m_ssl.get());

    // SNI carries the ACE form, never an IP literal (RFC 6066 §3), and only if wanted.
    bool ok = true;
    if (name.kind == PeerName::Kind::DnsName && m_sendServerName)
        ok = SSL_set_tlsext_host_name(m_ssl.get(), name.checked.constData()) == 1;
    if (name.isEmpty()) {
        // VerifyNone without a name: nothing to check, nothing to report.
    } else if (m_context->settings().peerVerifyMode == 0) {
        // VerifyNone installs no verify callback, yet QSslSocket still reports a host-name
        // mismatch; checked by hand once the handshake is done.
        m_manualHostCheck = name.checked;
        m_manualHostIsAddress = name.isAddress();
    } else if (ok) {
        // OpenSSL checks the name during chain verification; a mismatch reaches the verify
        // callback as X509_V_ERR_HOSTNAME_MISMATCH / IP_ADDRESS_MISMATCH.
        X509_VERIFY_PARAM *param = SSL_get0_param(m_ssl.get());
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        ok = name.isAddress() ? X509_VERIFY_PARAM_set1_ip_asc(param, name.checked.constData()) == 1
                              : X509_VERIFY_PARAM_set1_host(param, name.checked.constData(),
                                                            size_t(name.checked.size()))
                == 1;
    }
    if (!ok) {
        m_lastError =
            QStringLiteral("Invalid peer name \"%1\" (%2)").arg(peerName, takeOpenSslErrors());
        m_ssl.reset();
        m_in = m_out = nullptr;
        return false;
    }
    m_sessionKey = sessionKey;
    if (!sessionKey.isEmpty()) {
        if (SSL_SESSION *session = m_context->sessions().take(sessionKey)) {
            SSL_set_session(m_ssl.get(), session);
            SSL_SESSION_free(session);
        }
    }
    return true;
}

void TlsEngine::offerSession(SSL_SESSION *session)
{
    switch (m_resumption) {
    case Resumption::Undecided:
        // A TLS 1.2 session arrives inside the handshake, before the caller has decided
        // on the verification errors: held back until decideResumption().
        SSL_SESSION_up_ref(session);
        m_heldSession.reset(session);
        break;
    case Resumption::Allowed: m_context->sessions().store(m_sessionKey, session); break;
    case Resumption::Refused: break;
    }
}

bool TlsEngine::verificationIsClean() const
{
    // The engine's own facts; the caller adds its decisions (NoPeerCertificate, ...).
    return m_ssl && m_established && !m_failed && m_verifyFailures.isEmpty()
        && SSL_get0_peer_certificate(m_ssl.get()) != nullptr
        && SSL_get_verify_result(m_ssl.get()) == X509_V_OK;
}

void TlsEngine::decideResumption(bool verificationHadNoError)
{
    if (m_resumption != Resumption::Undecided)
        return;
    const bool allowed = verificationHadNoError && !m_sessionKey.isEmpty() && verificationIsClean();
    m_resumption = allowed ? Resumption::Allowed : Resumption::Refused;
    if (allowed && m_heldSession)
        m_context->sessions().store(m_sessionKey, m_heldSession.get());
    m_heldSession.reset();
}

TlsEngine::Status TlsEngine::fail(const QString &what)
{
    m_failed = true;
    const QString details = takeOpenSslErrors();
    m_lastError = details.isEmpty() ? what : what + QLatin1String(": ") + details;
    return Status::Failed;
}

TlsEngine::Status TlsEngine::endOfStream() const
{
    return m_receivedCloseNotify ? Status::Closed : Status::Truncated;
}

TlsEngine::Status TlsEngine::handshake()
{
    if (!m_ssl || m_failed)
        return Status::Failed;
    if (m_established)
        return Status::Established;
    ERR_clear_error();
    const int result = SSL_do_handshake(m_ssl.get());
    if (result == 1) {
        m_established = true;
        checkHostByHand();
        return Status::Established;
    }
    switch (SSL_get_error(m_ssl.get(), result)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE: return Status::WantsPeerData;
    case SSL_ERROR_ZERO_RETURN:
        m_receivedCloseNotify = true;
        return fail(QStringLiteral("The peer closed the connection during the TLS handshake"));
    case SSL_ERROR_SYSCALL:
        if (m_transportEnded)
            return fail(QStringLiteral("The connection was closed during the TLS handshake"));
        return fail(QStringLiteral("TLS handshake failed"));
    default:
        if (m_transportEnded
            && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
            return fail(QStringLiteral("The connection was closed during the TLS handshake"));
        return fail(QStringLiteral("TLS handshake failed"));
    }
}

void TlsEngine::feedCiphertext(const char *data, qint64 size)
{
    if (m_in && size > 0)
        BIO_write(m_in, data, int(size));
}

qint64 TlsEngine::pendingCiphertextIn() const { return m_in ? qint64(BIO_ctrl_pending(m_in)) : 0; }

qint64 TlsEngine::pendingCiphertextOut() const
{
    return m_out ? qint64(BIO_ctrl_pending(m_out)) : 0;
}

qint64 TlsEngine::takeCiphertext(char *data, qint64 maxSize)
{
    if (!m_out || maxSize <= 0)
        return 0;
    const int taken = BIO_read(m_out, data, int(qMin<qint64>(maxSize, INT_MAX)));
    return taken > 0 ? taken : 0;
}

QByteArray TlsEngine::takeCiphertext()
{
    QByteArray out(int(pendingCiphertextOut()), Qt::Uninitialized);
    out.resize(int(takeCiphertext(out.data(), out.size())));
    return out;
}

qint64 TlsEngine::encrypt(const char *data, qint64 size)
{
    if (!m_established || m_failed)
        return -1;
    if (size <= 0)
        return 0;
    ERR_clear_error();
    size_t written = 0;
    if (SSL_write_ex(m_ssl.get(), data, size_t(size), &written) == 1)
        return qint64(written);
    switch (SSL_get_error(m_ssl.get(), 0)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE: return 0;
    default: fail(QStringLiteral("Unable to write data")); return -1;
    }
}

TlsEngine::Status TlsEngine::decrypt(char *data, qint64 maxSize, qint64 *produced)
{
    *produced = 0;
    if (!m_ssl || m_failed)
        return Status::Failed;
    if (m_receivedCloseNotify)
        return Status::Closed;
    if (!m_established)
        return Status::WantsPeerData;
    ERR_clear_error();
    size_t got = 0;
    if (SSL_read_ex(m_ssl.get(), data, size_t(maxSize), &got) == 1) {
        *produced = qint64(got);
        return Status::Established;
    }
    switch (SSL_get_error(m_ssl.get(), 0)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE: return Status::WantsPeerData;
    case SSL_ERROR_ZERO_RETURN: m_receivedCloseNotify = true; return Status::Closed;
    case SSL_ERROR_SYSCALL:
        if (m_transportEnded)
            return endOfStream();
        return fail(QStringLiteral("Error while reading"));
    default:
        // OpenSSL 3 reports a transport EOF without close_notify this way: truncation.
        if (m_transportEnded
            && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
            ERR_clear_error();
            return endOfStream();
        }
        return fail(QStringLiteral("Error while reading"));
    }
}

void TlsEngine::peerClosedTcp()
{
    m_transportEnded = true;
    // From now on an empty input BIO means end of stream rather than "try again", so
    // OpenSSL itself tells a partial record (truncation) from a clean record boundary.
    if (m_in)
        BIO_set_mem_eof_return(m_in, 0);
}

void TlsEngine::shutdown()
{
    if (!m_ssl || m_failed || !m_established || SSL_in_init(m_ssl.get()))
        return;
    ERR_clear_error();
    SSL_shutdown(m_ssl.get()); // queues our close_notify; we do not wait for the peer's
    ERR_clear_error();
}

void TlsEngine::checkHostByHand()
{
    if (m_manualHostCheck.isEmpty())
        return;
    X509Ptr leaf(SSL_get1_peer_certificate(m_ssl.get()));
    if (!leaf)
        return;
    const int match = m_manualHostIsAddress
        ? X509_check_ip_asc(leaf.get(), m_manualHostCheck.constData(), 0)
        : X509_check_host(leaf.get(), m_manualHostCheck.constData(),
                          size_t(m_manualHostCheck.size()), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
                          nullptr);
    if (match != 1)
        m_verifyFailures.append({X509_V_ERR_HOSTNAME_MISMATCH, 0});
}

QList<QSslCertificate> TlsEngine::peerCertificateChain() const
{
    if (m_peerChainConverted || !m_ssl)
        return m_peerChain;
    m_peerChainConverted = true;
    // A client's chain from OpenSSL starts with the leaf; a server's omits it.
    if (m_context->settings().role == TlsRole::Server) {
        X509Ptr leaf(SSL_get1_peer_certificate(m_ssl.get()));
        if (leaf)
            m_peerChain << fromX509(leaf.get());
    }
    if (STACK_OF(X509) *chain = SSL_get_peer_cert_chain(m_ssl.get())) {
        for (int i = 0; i < sk_X509_num(chain); ++i)
            m_peerChain << fromX509(sk_X509_value(chain, i));
    }
    return m_peerChain;
}

bool TlsEngine::hasPeerCertificate() const
{
    return m_ssl && SSL_get0_peer_certificate(m_ssl.get()) != nullptr;
}

QSslCertificate TlsEngine::peerCertificate() const
{
    const QList<QSslCertificate> chain = peerCertificateChain();
    return chain.isEmpty() ? QSslCertificate() : chain.first();
}

QSsl::SslProtocol TlsEngine::sessionProtocol() const
{
    return m_established ? fromOpenSslVersion(SSL_version(m_ssl.get())) : QSsl::UnknownProtocol;
}

QSslCipher TlsEngine::sessionCipher() const
{
    if (!m_established)
        return QSslCipher();
    return fromOpenSslCipher(SSL_get_current_cipher(m_ssl.get()), sessionProtocol());
}

bool TlsEngine::sessionWasReused() const { return m_ssl && SSL_session_reused(m_ssl.get()); }

QString TlsEngine::requestedServerName() const
{
    const char *name = m_ssl ? SSL_get_servername(m_ssl.get(), TLSEXT_NAMETYPE_host_name) : nullptr;
    return name ? QString::fromUtf8(name) : QString();
}

int TlsEngine::verifyCallback(int ok, X509_STORE_CTX *store)
{
    // Collect, never decide: the socket decides once after the handshake (sslErrors()).
    if (!ok) {
        const auto *ssl = static_cast<const SSL *>(
            X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
        if (TlsEngine *engine = fromSsl(ssl))
            engine->m_verifyFailures.append(
                {X509_STORE_CTX_get_error(store), X509_STORE_CTX_get_error_depth(store)});
    }
    return 1;
}

unsigned int TlsEngine::pskClientCallback(SSL *ssl, const char *hint, char *identity,
                                          unsigned int maxIdentityLength, unsigned char *psk,
                                          unsigned int maxPskLength)
{
    TlsEngine *engine = fromSsl(ssl);
    if (!engine || !engine->m_pskHandler)
        return 0;
    QSslPreSharedKeyAuthenticator authenticator;
    Q_UNUSED(hint) // Qt offers no public setter for the hint; see SslSocket's class comment
    engine->m_pskHandler(&authenticator);
    const QByteArray id = authenticator.identity();
    const QByteArray key = authenticator.preSharedKey();
    if (key.isEmpty() || uint(id.size()) + 1 > maxIdentityLength || uint(key.size()) > maxPskLength)
        return 0;
    std::memcpy(identity, id.constData(), size_t(id.size()));
    identity[id.size()] = '\0';
    std::memcpy(psk, key.constData(), size_t(key.size()));
    return uint(key.size());
}

unsigned int TlsEngine::pskServerCallback(SSL *ssl, const char *identity, unsigned char *psk,
                                          unsigned int maxPskLength)
{
    TlsEngine *engine = fromSsl(ssl);
    if (!engine || !engine->m_pskHandler)
        return 0;
    QSslPreSharedKeyAuthenticator authenticator;
    authenticator.setIdentity(identity ? QByteArray(identity) : QByteArray());
    engine->m_pskHandler(&authenticator);
    const QByteArray key = authenticator.preSharedKey();
    if (key.isEmpty() || uint(key.size()) > maxPskLength)
        return 0;
    std::memcpy(psk, key.constData(), size_t(key.size()));
    return uint(key.size());
}

} // namespace mailwire::detail
