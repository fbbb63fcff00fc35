// SPDX-License-Identifier: LGPL-3.0-or-later
// tls_bench: mailwire::SslSocket against QSslSocket and blocking OpenSSL on loopback, each
// side in its own process and judged by its own CPU time (getrusage), throughput beside it.
//
//   tls_bench [--size MiB] [--handshakes N] [--only receive|send|handshake|memory]
//             [--repeat K] [--memory-interval-ms MS] [--certs DIR]
//             [--client sslsocket|qsslsocket|openssl] [--kind full|resumed]
//             (--client and --kind run only some rows, for profiling, and judge no target)
//
// The peer processes are this executable again with --role (see bench_openssl_peer.h).
#include <QtCore/QCoreApplication>
#include <QtNetwork/QSslSocket>

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_common.h"
#include "bench_openssl_peer.h"
#include "bench_sections.h"

#ifndef MAILWIRE_CERTS_DIR
#error "MAILWIRE_CERTS_DIR must name the generated test certificates"
#endif

using namespace bench;

namespace {

[[noreturn]] void usage(const char *error)
{
    std::fprintf(error ? stderr : stdout,
                 "%s%s%s"
                 "usage: tls_bench [--size MiB (1024)] [--handshakes N (500)]\n"
                 "                 [--only receive|send|handshake|memory] [--repeat K (1)]\n"
                 "                 [--memory-interval-ms MS (2)] [--certs DIR]\n"
                 "                 [--client sslsocket|qsslsocket|openssl] [--kind full|resumed]\n"
                 "--repeat runs every row K times, interleaved, and reports the median.\n"
                 "--client and --kind run only some rows (for profiling) and judge no target.\n",
                 error ? "tls_bench: " : "", error ? error : "", error ? "\n" : "");
    std::exit(error ? 2 : 0);
}

Options parseOptions(int argc, char **argv)
{
    Options o;
    o.certsDir = MAILWIRE_CERTS_DIR;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                usage(("missing value for " + arg).c_str());
            return argv[++i];
        };
        auto number = [&]() -> long long {
            const std::string text = value();
            char *end = nullptr;
            const long long n = std::strtoll(text.c_str(), &end, 10);
            if (text.empty() || *end || n < 0)
                usage(("bad number for " + arg).c_str());
            return n;
        };
        if (arg == "--size")
            o.sizeMiB = std::uint64_t(std::max(1LL, number()));
        else if (arg == "--handshakes")
            o.handshakes = int(std::max(1LL, number()));
        else if (arg == "--only")
            o.only = value();
        else if (arg == "--repeat")
            o.repeat = int(std::max(1LL, number()));
        else if (arg == "--memory-interval-ms")
            o.memoryIntervalMs = int(number());
        else if (arg == "--certs")
            o.certsDir = value();
        else if (arg == "--client")
            o.client = value();
        else if (arg == "--kind")
            o.kind = value();
        else if (arg == "--role")
            o.role = value();
        else if (arg == "--impl")
            o.impl = value();
        else if (arg == "--bytes")
            o.bytes = std::uint64_t(number());
        else if (arg == "--read-buffer")
            o.readBufferSize = number();
        else if (arg == "--read-ahead")
            o.readAhead = true;
        else if (arg == "--help" || arg == "-h")
            usage(nullptr);
        else
            usage(("unknown option " + arg).c_str());
    }
    if (!o.only.empty() && o.only != "receive" && o.only != "send" && o.only != "handshake"
        && o.only != "memory")
        usage("--only takes receive, send, handshake or memory");
    if (!o.kind.empty() && o.kind != "full" && o.kind != "resumed")
        usage("--kind takes full or resumed");
    return o;
}

bool fileExists(const std::string &path)
{
    struct stat st
    {};
    return stat(path.c_str(), &st) == 0;
}

} // namespace

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const Options o = parseOptions(argc, argv);
    setCertsDir(o.certsDir);

    if (o.role == "openssl-send-server")
        return runOpenSslSendServer(o.bytes, o.readAhead);
    if (o.role == "openssl-recv-server")
        return runOpenSslRecvServer(o.bytes, o.readAhead);
    if (o.role == "openssl-hs-server")
        return runOpenSslHandshakeServer();

    QCoreApplication app(argc, argv);
    if (o.role == "mem-receiver")
        return runMemoryReceiver(o);
    if (!o.role.empty())
        usage(("unknown role " + o.role).c_str());

    for (const std::string &file : {certs().ca(), certs().rsaChain(), certs().rsaKey(),
                                    certs().ecdsaChain(), certs().ecdsaKey()}) {
        if (!fileExists(file)) {
            std::fprintf(stderr, "tls_bench: missing %s (build target mailwire_certs)\n",
                         file.c_str());
            return 2;
        }
    }
    say("tls_bench: TLS 1.3 TLS_AES_256_GCM_SHA384 on 127.0.0.1; every figure is one process's "
        "own CPU time\n(getrusage user+sys) per MiB or per handshake; the peer runs in its own "
        "process. %s, %s\n",
        QSslSocket::sslLibraryVersionString().toStdString().c_str(), qVersion());

    if (!o.client.empty() || !o.kind.empty())
        suppressTargets();
    if (o.only != "memory")
        warmUp(o);
    if (o.wants("receive"))
        receiveSection(o);
    if (o.wants("send"))
        sendSection(o);
    if (o.wants("handshake"))
        handshakeSection(o);
    if (o.wants("memory"))
        memorySection(o);

    return printSummary() ? 1 : 0;
}