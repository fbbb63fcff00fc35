// SPDX-License-Identifier: LGPL-3.0-or-later
#include "openssl_convert_p.h"

#include <QtCore/QHash>
#include <QtCore/QStringList>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

namespace mailwire::detail {

X509Ptr toX509(const QSslCertificate &certificate)
{
    const QByteArray der = certificate.toDer();
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    return X509Ptr(d2i_X509(nullptr, &cursor, der.size()));
}

QSslCertificate fromX509(X509 *certificate)
{
    if (!certificate)
        return QSslCertificate();
    const int length = i2d_X509(certificate, nullptr);
    if (length <= 0)
        return QSslCertificate();
    QByteArray der(length, Qt::Uninitialized);
    auto *cursor = reinterpret_cast<unsigned char *>(der.data());
    i2d_X509(certificate, &cursor);
    return QSslCertificate(der, QSsl::Der);
}

EvpPkeyPtr toEvpPkey(const QSslKey &key)
{
    if (key.isNull() || key.type() != QSsl::PrivateKey)
        return nullptr;
    const QByteArray pem = key.toPem();
    BioPtr bio(BIO_new_mem_buf(pem.constData(), pem.size()));
    if (!bio)
        return nullptr;
    return EvpPkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

QSslError::SslError toQSslError(int x509Code)
{
    // The same mapping QSslSocket's OpenSSL backend applies, as data.
    static const QHash<int, QSslError::SslError> table = {
        {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, QSslError::UnableToGetIssuerCertificate},
        {X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE,
         QSslError::UnableToDecryptCertificateSignature},
        {X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, QSslError::UnableToDecodeIssuerPublicKey},
        {X509_V_ERR_CERT_SIGNATURE_FAILURE, QSslError::CertificateSignatureFailed},
        {X509_V_ERR_CERT_NOT_YET_VALID, QSslError::CertificateNotYetValid},
        {X509_V_ERR_CERT_HAS_EXPIRED, QSslError::CertificateExpired},
        {X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD, QSslError::InvalidNotBeforeField},
        {X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD, QSslError::InvalidNotAfterField},
        {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, QSslError::SelfSignedCertificate},
        {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, QSslError::SelfSignedCertificateInChain},
        {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
         QSslError::UnableToGetLocalIssuerCertificate},
        {X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, QSslError::UnableToVerifyFirstCertificate},
        {X509_V_ERR_CERT_REVOKED, QSslError::CertificateRevoked},
        {X509_V_ERR_INVALID_CA, QSslError::InvalidCaCertificate},
        {X509_V_ERR_PATH_LENGTH_EXCEEDED, QSslError::PathLengthExceeded},
        {X509_V_ERR_INVALID_PURPOSE, QSslError::InvalidPurpose},
        {X509_V_ERR_CERT_UNTRUSTED, QSslError::CertificateUntrusted},
        {X509_V_ERR_CERT_REJECTED, QSslError::CertificateRejected},
        {X509_V_ERR_HOSTNAME_MISMATCH, QSslError::HostNameMismatch},
        {X509_V_ERR_IP_ADDRESS_MISMATCH, QSslError::HostNameMismatch},
    };
    return table.value(x509Code, QSslError::UnspecifiedError);
}

QSsl::SslProtocol fromOpenSslVersion(int version)
{
    switch (version) {
    case TLS1_VERSION: return QSsl::TlsV1_0;
    case TLS1_1_VERSION: return QSsl::TlsV1_1;
    case TLS1_2_VERSION: return QSsl::TlsV1_2;
    case TLS1_3_VERSION: return QSsl::TlsV1_3;
    default: return QSsl::UnknownProtocol;
    }
}

QSslCipher fromOpenSslCipher(const SSL_CIPHER *cipher, QSsl::SslProtocol protocol)
{
    if (!cipher)
        return QSslCipher();
    const QString name = QString::fromLatin1(SSL_CIPHER_get_name(cipher));
    QSslCipher exact(name, protocol);
    return exact.isNull() ? QSslCipher(name) : exact;
}

bool protocolRange(QSsl::SslProtocol protocol, int *minVersion, int *maxVersion)
{
    int low = 0;
    int high = 0;
    switch (protocol) {
    case QSsl::TlsV1_0: low = high = TLS1_VERSION; break;
    case QSsl::TlsV1_1: low = high = TLS1_1_VERSION; break;
    case QSsl::TlsV1_2: low = high = TLS1_2_VERSION; break;
    case QSsl::TlsV1_3: low = high = TLS1_3_VERSION; break;
    case QSsl::TlsV1_0OrLater: low = TLS1_VERSION; break;
    case QSsl::TlsV1_1OrLater: low = TLS1_1_VERSION; break;
    case QSsl::TlsV1_2OrLater: low = TLS1_2_VERSION; break;
    case QSsl::TlsV1_3OrLater: low = TLS1_3_VERSION; break;
    case QSsl::AnyProtocol: low = TLS1_VERSION; break;       // Qt 5.15: SSLv3 is gone from "any"
    case QSsl::SecureProtocols: low = TLS1_2_VERSION; break; // our floor (DESIGN.md §1)
    default: return false; // SslV2, SslV3, TlsV1SslV3, DTLS, UnknownProtocol
    }
    *minVersion = low;
    *maxVersion = high;
    return true;
}

QString takeOpenSslErrors()
{
    QStringList parts;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        const char *reason = ERR_reason_error_string(code);
        parts << (reason ? QString::fromLatin1(reason) : QString::fromLatin1(buffer));
    }
    parts.removeDuplicates();
    return parts.join(QLatin1String(", "));
}

} // namespace mailwire::detail
