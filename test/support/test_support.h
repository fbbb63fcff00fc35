// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <functional>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

namespace mailwire::test {

/// Path of a generated test certificate or key (see fixtures/certs/README.md for names).
QString certPath(const QString &fileName);
/// The first certificate in a generated PEM file.
QSslCertificate loadCertificate(const QString &fileName);
/// Every certificate in a generated PEM file (for chains).
QList<QSslCertificate> loadCertificates(const QString &fileName);
/// A generated private key; RSA or EC is chosen from the file name ("ecdsa" in it = EC).
QSslKey loadKey(const QString &fileName, const QByteArray &passPhrase = QByteArray());
/// The fixture CA (ca.pem), the only root the test certificates chain to.
QList<QSslCertificate> fixtureCaCertificates();

/// Runs the event loop until predicate() is true or timeoutMs passes; returns predicate().
bool waitUntil(const std::function<bool()> &predicate, int timeoutMs = 10000);

/// Path of a program that the suite needs (openssl); empty if it is not installed.
QString findProgram(const QString &name);

} // namespace mailwire::test
