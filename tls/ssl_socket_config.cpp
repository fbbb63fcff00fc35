// SPDX-License-Identifier: LGPL-3.0-or-later
// SslSocket's configuration surface: protocol, verification, local identity, CAs, the
// static defaults and library versions, and the TlsSettings an upgrade is built from.
#include "ssl_socket_p.h"

#include <QtCore/QFile>
#include <QtCore/QMetaMethod>
#include <QtCore/QMutex>
#include <QtCore/QMutexLocker>
#include <QtNetwork/QSslSocket>

#include <openssl/crypto.h>
#include <openssl/opensslv.h>

namespace mailwire {

namespace {

QMutex &defaultsMutex()
{
    static QMutex mutex;
    return mutex;
}

QList<QSslCertificate> &addedDefaultCas()
{
    static QList<QSslCertificate> certificates;
    return certificates;
}

QSslCertificate::PatternSyntax toPatternSyntax(QRegExp::PatternSyntax syntax)
{
    switch (syntax) {
    case QRegExp::FixedString: return QSslCertificate::PatternSyntax::FixedString;
    case QRegExp::Wildcard:
    case QRegExp::WildcardUnix: return QSslCertificate::PatternSyntax::Wildcard;
    default: return QSslCertificate::PatternSyntax::RegularExpression;
    }
}

// Qt keeps "load the system roots on demand" as a private flag of QSslConfiguration, which
// setCaCertificates() clears. Comparing with a copy whose flag we cleared ourselves reads it
// through the public API.
bool loadsSystemRootsOnDemand(const QSslConfiguration &configuration)
{
    QSslConfiguration cleared = configuration;
    cleared.setCaCertificates(configuration.caCertificates());
    return !(cleared == configuration);
}

} // namespace

QSslConfiguration defaultSslConfiguration()
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    QMutexLocker lock(&defaultsMutex());
    if (!addedDefaultCas().isEmpty()) {
        configuration.setCaCertificates(configuration.caCertificates() + addedDefaultCas());
    }
    return configuration;
}

detail::TlsSettings SslSocketPrivate::settingsFor(SslSocket::SslMode newMode) const
{
    detail::TlsSettings settings;
    settings.role =
        newMode == SslSocket::SslServerMode ? detail::TlsRole::Server : detail::TlsRole::Client;
    settings.protocol = configuration.protocol();
    settings.peerVerifyMode = int(configuration.peerVerifyMode());
    settings.peerVerifyDepth = configuration.peerVerifyDepth();
    settings.caCertificates = configuration.caCertificates();
    settings.useSystemCaStore = useSystemCaStore;
    settings.localCertificateChain = configuration.localCertificateChain();
    settings.privateKey = configuration.privateKey();
    // Qt's default list is "whatever the library offers": leave OpenSSL's secure defaults.
    static const QList<QSslCipher> qtDefaultCiphers =
        QSslConfiguration::defaultConfiguration().ciphers();
    if (configuration.ciphers() != qtDefaultCiphers)
        settings.ciphers = configuration.ciphers();
    settings.pskIdentityHint = configuration.preSharedKeyIdentityHint();
    static const QMetaMethod pskSignal =
        QMetaMethod::fromSignal(&SslSocket::preSharedKeyAuthenticationRequired);
    settings.pskCallbackWanted = q->isSignalConnected(pskSignal);
    return settings;
}

SslSocket::SslMode SslSocket::mode() const { return d->mode; }

bool SslSocket::isEncrypted() const { return d->connectionEncrypted; }

QSsl::SslProtocol SslSocket::protocol() const { return d->configuration.protocol(); }

void SslSocket::setProtocol(QSsl::SslProtocol protocol) { d->configuration.setProtocol(protocol); }

SslSocket::PeerVerifyMode SslSocket::peerVerifyMode() const
{
    return PeerVerifyMode(d->configuration.peerVerifyMode());
}

void SslSocket::setPeerVerifyMode(PeerVerifyMode mode)
{
    d->configuration.setPeerVerifyMode(QSslSocket::PeerVerifyMode(mode));
}

int SslSocket::peerVerifyDepth() const { return d->configuration.peerVerifyDepth(); }

void SslSocket::setPeerVerifyDepth(int depth)
{
    if (depth < 0) {
        qCWarning(lcMailwireTls, "SslSocket::setPeerVerifyDepth: invalid depth %d", depth);
        return;
    }
    d->configuration.setPeerVerifyDepth(depth);
}

QString SslSocket::peerVerifyName() const { return d->verificationPeerName; }

void SslSocket::setPeerVerifyName(const QString &hostName) { d->verificationPeerName = hostName; }

QSslConfiguration SslSocket::sslConfiguration() const { return d->configuration; }

void SslSocket::setSslConfiguration(const QSslConfiguration &config)
{
    // Keep the system store unless the caller replaced the CA list on purpose.
    const bool sameCas = config.caCertificates() == d->configuration.caCertificates();
    d->useSystemCaStore = loadsSystemRootsOnDemand(config) || (sameCas && d->useSystemCaStore);
    d->configuration = config;
}

void SslSocket::setLocalCertificateChain(const QList<QSslCertificate> &localChain)
{
    d->configuration.setLocalCertificateChain(localChain);
}

QList<QSslCertificate> SslSocket::localCertificateChain() const
{
    return d->configuration.localCertificateChain();
}

void SslSocket::setLocalCertificate(const QSslCertificate &certificate)
{
    d->configuration.setLocalCertificate(certificate);
}

void SslSocket::setLocalCertificate(const QString &fileName, QSsl::EncodingFormat format)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcMailwireTls) << "SslSocket::setLocalCertificate: cannot read" << fileName;
        return;
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), format);
    d->configuration.setLocalCertificate(certificates.value(0));
}

QSslCertificate SslSocket::localCertificate() const { return d->configuration.localCertificate(); }

QSslCertificate SslSocket::peerCertificate() const
{
    return d->engine ? d->engine->peerCertificate() : QSslCertificate();
}

QList<QSslCertificate> SslSocket::peerCertificateChain() const
{
    return d->engine ? d->engine->peerCertificateChain() : QList<QSslCertificate>();
}

QSslCipher SslSocket::sessionCipher() const
{
    return d->engine ? d->engine->sessionCipher() : QSslCipher();
}

QSsl::SslProtocol SslSocket::sessionProtocol() const
{
    return d->engine ? d->engine->sessionProtocol() : QSsl::UnknownProtocol;
}

void SslSocket::setPrivateKey(const QSslKey &key) { d->configuration.setPrivateKey(key); }

void SslSocket::setPrivateKey(const QString &fileName, QSsl::KeyAlgorithm algorithm,
                              QSsl::EncodingFormat format, const QByteArray &passPhrase)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcMailwireTls) << "SslSocket::setPrivateKey: cannot read" << fileName;
        return; // as QSslSocket: an unreadable file leaves the key as it was
    }
    QSslKey key(file.readAll(), algorithm, format, QSsl::PrivateKey, passPhrase);
    if (key.isNull())
        qCWarning(lcMailwireTls) << "SslSocket::setPrivateKey: no usable key in" << fileName;
    d->configuration.setPrivateKey(key);
}

QSslKey SslSocket::privateKey() const { return d->configuration.privateKey(); }

bool SslSocket::addCaCertificates(const QString &path, QSsl::EncodingFormat format,
                                  QRegExp::PatternSyntax syntax)
{
    const QList<QSslCertificate> certificates =
        QSslCertificate::fromPath(path, format, toPatternSyntax(syntax));
    if (certificates.isEmpty())
        return false;
    addCaCertificates(certificates);
    return true;
}

void SslSocket::addCaCertificate(const QSslCertificate &certificate)
{
    addCaCertificates(QList<QSslCertificate>{certificate});
}

void SslSocket::addCaCertificates(const QList<QSslCertificate> &certificates)
{
    d->configuration.setCaCertificates(d->configuration.caCertificates() + certificates);
}

void SslSocket::addDefaultCaCertificate(const QSslCertificate &certificate)
{
    addDefaultCaCertificates(QList<QSslCertificate>{certificate});
}

bool SslSocket::addDefaultCaCertificates(const QString &path, QSsl::EncodingFormat encoding,
                                         QRegExp::PatternSyntax syntax)
{
    const QList<QSslCertificate> certificates =
        QSslCertificate::fromPath(path, encoding, toPatternSyntax(syntax));
    if (certificates.isEmpty())
        return false;
    addDefaultCaCertificates(certificates);
    return true;
}

void SslSocket::addDefaultCaCertificates(const QList<QSslCertificate> &certificates)
{
    QMutexLocker lock(&defaultsMutex());
    addedDefaultCas() += certificates;
}

QList<QSslError> SslSocket::sslErrors() const { return d->sslErrors; }

SslSocket::EncryptionFailure SslSocket::encryptionFailure() const { return d->encryptionFailure; }

void SslSocket::ignoreSslErrors() { d->ignoreAllSslErrors = true; }

void SslSocket::ignoreSslErrors(const QList<QSslError> &errors) { d->ignoreErrorsList = errors; }

bool SslSocket::supportsSsl() { return OpenSSL_version_num() >= 0x30000000L; }

long SslSocket::sslLibraryVersionNumber() { return long(OpenSSL_version_num()); }

QString SslSocket::sslLibraryVersionString()
{
    return QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION));
}

long SslSocket::sslLibraryBuildVersionNumber() { return OPENSSL_VERSION_NUMBER; }

QString SslSocket::sslLibraryBuildVersionString() { return QStringLiteral(OPENSSL_VERSION_TEXT); }

} // namespace mailwire
