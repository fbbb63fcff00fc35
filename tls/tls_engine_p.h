// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtNetwork/QSsl>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCipher>

#include "openssl_ptr_p.h"
#include "tls_context_p.h"

class QSslPreSharedKeyAuthenticator;

namespace mailwire::detail {

/// One certificate verification failure as OpenSSL reported it during the handshake.
struct VerifyFailure
{
    int code = 0;  ///< X509_V_ERR_*
    int depth = 0; ///< 0 = the peer's own certificate
};

/// One TLS connection (client or server) over two memory BIOs. No QObject, no signals, no
/// socket: the caller feeds ciphertext in, takes ciphertext out and reacts to the status.
/// Verification errors are collected, never acted on: the caller decides once, after the
/// handshake, exactly as QSslSocket does.
class TlsEngine
{
public:
    enum class Status {
        WantsPeerData, ///< needs more ciphertext from the peer (or nothing to do)
        Established,   ///< handshake complete
        Closed,        ///< the peer sent close_notify
        Truncated,     ///< the peer's stream ended without close_notify (see peerClosedTcp)
        Failed         ///< protocol or configuration error; see lastError()
    };

    explicit TlsEngine(std::shared_ptr<TlsContext> context);
    ~TlsEngine();
    TlsEngine(const TlsEngine &) = delete;
    TlsEngine &operator=(const TlsEngine &) = delete;

    /// Whether a client sends its peer name as SNI (default true; never for an IP literal).
    /// Call before begin().
    void setServerNameIndication(bool enabled) { m_sendServerName = enabled; }

    /// Prepares the SSL object. On a client, peerName drives SNI and host-name verification
    /// (see parsePeerName()); a name that cannot be checked, or no name unless the context
    /// verifies nothing (VerifyNone), fails here, before any byte exists. sessionKey picks a
    /// stored session to resume and is where this connection's sessions go ("" = none).
    /// Returns false with lastError() on failure.
    bool begin(const QString &peerName, const QByteArray &sessionKey = QByteArray());
    bool isActive() const { return bool(m_ssl); }

    /// One handshake step; call again after feeding more ciphertext.
    Status handshake();
    bool isEstablished() const { return m_established; }

    /// Ciphertext from the peer. The memory BIO keeps all of it.
    void feedCiphertext(const char *data, qint64 size);
    /// Ciphertext fed but not yet consumed by OpenSSL.
    qint64 pendingCiphertextIn() const;
    /// Ciphertext waiting to go to the peer.
    qint64 pendingCiphertextOut() const;
    /// Moves up to maxSize bytes of outgoing ciphertext into data; returns how many.
    qint64 takeCiphertext(char *data, qint64 maxSize);
    /// All outgoing ciphertext at once.
    QByteArray takeCiphertext();

    /// Encrypts cleartext (only once established). Returns bytes consumed, -1 on failure.
    qint64 encrypt(const char *data, qint64 size);
    /// Decrypts up to maxSize bytes into data; *produced says how many. The status tells
    /// whether more may come (WantsPeerData/Established), or the stream ended or failed.
    Status decrypt(char *data, qint64 maxSize, qint64 *produced);
    /// Marks that the transport ended: the next decrypt reports Truncated unless a
    /// close_notify was already seen.
    void peerClosedTcp();
    /// Queues a close_notify (if the handshake completed and no error occurred).
    void shutdown();
    bool receivedCloseNotify() const { return m_receivedCloseNotify; }

    const QList<VerifyFailure> &verifyFailures() const { return m_verifyFailures; }
    QList<QSslCertificate> peerCertificateChain() const; ///< leaf first
    /// Whether the peer presented a certificate (no conversion involved).
    bool hasPeerCertificate() const;
    const TlsContext &context() const { return *m_context; }
    QSslCertificate peerCertificate() const;
    QSsl::SslProtocol sessionProtocol() const;
    QSslCipher sessionCipher() const;
    bool sessionWasReused() const;
    QString lastError() const { return m_lastError; }
    /// The SNI host name the peer asked for (server side), empty if none.
    QString requestedServerName() const;

    /// Called during the handshake when a PSK suite is negotiated; fill the authenticator.
    using PskHandler = std::function<void(QSslPreSharedKeyAuthenticator *)>;
    void setPskHandler(PskHandler handler) { m_pskHandler = std::move(handler); }

    /// The key this client's sessions are stored under (SessionCache::keyFor()), empty on a
    /// server.
    const QByteArray &sessionKey() const { return m_sessionKey; }
    /// The caller's verdict once it has decided on the verification errors (the socket's
    /// sslErrors() list, which adds NoPeerCertificate to verifyFailures()). Only a connection
    /// whose verification had no error at all, ignored or not, and which the engine itself
    /// saw verify cleanly (a peer certificate, no failure, X509_V_OK) leaves sessions for
    /// resumption: a resumed handshake verifies nothing, so it must inherit only a clean
    /// verdict. Until called, sessions are held back; the first verdict is final.
    void decideResumption(bool verificationHadNoError);
    /// A new client session (TLS 1.2 session or TLS 1.3 ticket) from OpenSSL.
    void offerSession(SSL_SESSION *session);
    /// The engine that owns ssl (set by begin()), for OpenSSL callbacks.
    static TlsEngine *fromSsl(const SSL *ssl);

    // OpenSSL callbacks, installed on the SSL_CTX by TlsContext.
    static int verifyCallback(int ok, X509_STORE_CTX *store);
    static unsigned int pskClientCallback(SSL *ssl, const char *hint, char *identity,
                                          unsigned int maxIdentityLength, unsigned char *psk,
                                          unsigned int maxPskLength);
    static unsigned int pskServerCallback(SSL *ssl, const char *identity, unsigned char *psk,
                                          unsigned int maxPskLength);

private:
    Status fail(const QString &what);
    Status endOfStream() const;
    void checkHostByHand();
    bool verificationIsClean() const;

    enum class Resumption {
        Undecided,
        Allowed,
        Refused
    };

    std::shared_ptr<TlsContext> m_context;
    SslPtr m_ssl;
    BIO *m_in = nullptr;  // owned by m_ssl after SSL_set_bio
    BIO *m_out = nullptr; // owned by m_ssl after SSL_set_bio
    QByteArray m_sessionKey;
    Resumption m_resumption = Resumption::Undecided;
    SslSessionPtr m_heldSession; // offered before decideResumption()
    bool m_sendServerName = true;
    QByteArray m_manualHostCheck; // VerifyNone: the name still checked after the handshake
    bool m_manualHostIsAddress = false;
    QList<VerifyFailure> m_verifyFailures;
    mutable QList<QSslCertificate> m_peerChain; // converted on first use
    mutable bool m_peerChainConverted = false;
    QString m_lastError;
    PskHandler m_pskHandler;
    bool m_established = false;
    bool m_receivedCloseNotify = false;
    bool m_transportEnded = false;
    bool m_failed = false;
};

} // namespace mailwire::detail
