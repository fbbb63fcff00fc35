// SPDX-License-Identifier: LGPL-3.0-or-later
#include "test_support.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QThread>
#include <QtCore/QTimer>

namespace mailwire::test {

QString certPath(const QString &fileName)
{
    return QStringLiteral(MAILWIRE_CERTS_DIR "/") + fileName;
}

QList<QSslCertificate> loadCertificates(const QString &fileName)
{
    QFile file(certPath(fileName));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QSslCertificate::fromData(file.readAll(), QSsl::Pem);
}

QSslCertificate loadCertificate(const QString &fileName)
{
    const auto certificates = loadCertificates(fileName);
    return certificates.isEmpty() ? QSslCertificate() : certificates.first();
}

QSslKey loadKey(const QString &fileName, const QByteArray &passPhrase)
{
    QFile file(certPath(fileName));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QSsl::KeyAlgorithm algorithm =
        fileName.contains(QLatin1String("ecdsa")) ? QSsl::Ec : QSsl::Rsa;
    return QSslKey(file.readAll(), algorithm, QSsl::Pem, QSsl::PrivateKey, passPhrase);
}

QList<QSslCertificate> fixtureCaCertificates()
{
    return loadCertificates(QStringLiteral("ca.pem"));
}

bool waitUntil(const std::function<bool()> &predicate, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    // The tick wakes the dispatcher every 10 ms so a predicate on state changed by another
    // thread is seen; between events the thread sleeps (processEvents(flags, ms) would drop
    // WaitForMoreEvents and spin). Never a fixed number of turns.
    QTimer tick;
    tick.start(10);
    while (!predicate()) {
        if (deadline.hasExpired())
            return predicate();
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

QString findProgram(const QString &name) { return QStandardPaths::findExecutable(name); }

} // namespace mailwire::test
