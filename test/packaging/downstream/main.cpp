// SPDX-License-Identifier: LGPL-3.0-or-later
// Built against an installed Mailwire: the header, the library and OpenSSL must all resolve.
#include <mailwire/ssl_socket.h>

#include <QtCore/QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    mailwire::SslSocket socket;
    if (!mailwire::SslSocket::supportsSsl()) {
        std::fprintf(stderr, "mailwire-downstream: SslSocket::supportsSsl() is false\n");
        return 1;
    }
    if (socket.mode() != mailwire::SslSocket::UnencryptedMode || socket.isEncrypted()) {
        std::fprintf(stderr, "mailwire-downstream: a new socket is not in plain mode\n");
        return 1;
    }
    std::printf("mailwire-downstream: %s\n",
                mailwire::SslSocket::sslLibraryVersionString().toUtf8().constData());
    return 0;
}
