// SPDX-License-Identifier: LGPL-3.0-or-later
// Built against an installed Mailwire: the headers, the library and OpenSSL must all resolve,
// and the library, its headers and the package (CMake or pkg-config) must agree on the version.
#include <mailwire/ssl_socket.h>
#include <mailwire/version.h>

#include <QtCore/QCoreApplication>

#include <cstdio>
#include <cstring>

#ifndef MAILWIRE_EXPECTED_VERSION
#error "MAILWIRE_EXPECTED_VERSION: the version the package reports, as a string literal"
#endif

namespace {

bool checkVersion()
{
    char parts[32];
    std::snprintf(parts, sizeof parts, "%d.%d.%d", MAILWIRE_VERSION_MAJOR, MAILWIRE_VERSION_MINOR,
                  MAILWIRE_VERSION_PATCH);
    const bool ok = std::strcmp(mailwire::version(), MAILWIRE_EXPECTED_VERSION) == 0
        && std::strcmp(MAILWIRE_VERSION_STR, MAILWIRE_EXPECTED_VERSION) == 0
        && std::strcmp(parts, MAILWIRE_EXPECTED_VERSION) == 0
        && MAILWIRE_VERSION
            == MAILWIRE_VERSION_CHECK(MAILWIRE_VERSION_MAJOR, MAILWIRE_VERSION_MINOR,
                                      MAILWIRE_VERSION_PATCH);
    if (!ok) {
        std::fprintf(stderr,
                     "mailwire-downstream: the package says %s, mailwire::version() %s, "
                     "MAILWIRE_VERSION_STR %s, the parts %s\n",
                     MAILWIRE_EXPECTED_VERSION, mailwire::version(), MAILWIRE_VERSION_STR, parts);
    }
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (!checkVersion())
        return 1;
    mailwire::SslSocket socket;
    if (!mailwire::SslSocket::supportsSsl()) {
        std::fprintf(stderr, "mailwire-downstream: SslSocket::supportsSsl() is false\n");
        return 1;
    }
    if (socket.mode() != mailwire::SslSocket::UnencryptedMode || socket.isEncrypted()) {
        std::fprintf(stderr, "mailwire-downstream: a new socket is not in plain mode\n");
        return 1;
    }
    std::printf("mailwire-downstream: Mailwire %s on %s\n", mailwire::version(),
                mailwire::SslSocket::sslLibraryVersionString().toUtf8().constData());
    return 0;
}
