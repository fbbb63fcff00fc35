// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtNetwork/QSsl>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslError>
#include <QtNetwork/QSslKey>

#include "openssl_ptr_p.h"

// Conversions between Qt's public TLS value types and OpenSSL objects. Everything crosses
// as DER or PEM, so no Qt private header is needed.
namespace mailwire::detail {

X509Ptr toX509(const QSslCertificate &certificate);
QSslCertificate fromX509(X509 *certificate);
/// The private key as an EVP_PKEY (through PEM, which covers RSA, EC and PKCS#8).
EvpPkeyPtr toEvpPkey(const QSslKey &key);

/// X509_V_ERR_* to the QSslError code QSslSocket reports for it.
QSslError::SslError toQSslError(int x509Code);
QSsl::SslProtocol fromOpenSslVersion(int version);
QSslCipher fromOpenSslCipher(const SSL_CIPHER *cipher, QSsl::SslProtocol protocol);

/// The range of TLS versions a QSsl::SslProtocol means: {min, max}, 0 = no bound.
/// Returns false for protocols we refuse (SSLv2, SSLv3, DTLS, unknown).
bool protocolRange(QSsl::SslProtocol protocol, int *minVersion, int *maxVersion);

/// Drains OpenSSL's error queue into one sentence ("a, b, c"); empty if it was empty.
QString takeOpenSslErrors();

} // namespace mailwire::detail
