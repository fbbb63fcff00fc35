// SPDX-License-Identifier: LGPL-3.0-or-later
#include "bench_openssl_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace bench {
namespace {

struct SslFree
{
    void operator()(SSL *ssl) const { SSL_free(ssl); }
};
struct CtxFree
{
    void operator()(SSL_CTX *ctx) const { SSL_CTX_free(ctx); }
};
struct SessionFree
{
    void operator()(SSL_SESSION *s) const { SSL_SESSION_free(s); }
};
using SslPtr = std::unique_ptr<SSL, SslFree>;
using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;
using SessionPtr = std::unique_ptr<SSL_SESSION, SessionFree>;

/// Closes a descriptor on scope exit.
struct Fd
{
    int fd = -1;
    explicit Fd(int f = -1) : fd(f) {}
    ~Fd() { reset(); }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    void reset(int f = -1)
    {
        if (fd >= 0)
            ::close(fd);
        fd = f;
    }
};

std::string sslErrors()
{
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        if (!text.empty())
            text += "; ";
        text += buf;
    }
    if (text.empty())
        text = errno ? std::string("system error: ") + std::strerror(errno)
                     : std::string("connection closed");
    return text;
}

void setNoDelay(int fd)
{
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void setReceiveTimeout(int fd, int seconds)
{
    timeval tv{seconds, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

int listenLoopback(int *port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr *>(&addr), len) != 0 || listen(fd, 64) != 0
        || getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
        ::close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

int connectLoopback(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(std::uint16_t(port));
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void configureReadAhead(SSL_CTX *ctx, bool readAhead)
{
    if (readAhead) {
        SSL_CTX_set_read_ahead(ctx, 1);
        SSL_CTX_set_default_read_buffer_len(ctx, kChunk);
    }
}

/// TLS 1.3 only, TLS_AES_256_GCM_SHA384 only; tickets only if asked.
CtxPtr serverContext(KeyType key, bool tickets, bool readAhead, std::string *error)
{
    CtxPtr ctx(SSL_CTX_new(TLS_server_method()));
    const Certs &c = certs();
    const std::string chain = key == KeyType::Rsa ? c.rsaChain() : c.ecdsaChain();
    const std::string keyFile = key == KeyType::Rsa ? c.rsaKey() : c.ecdsaKey();
    if (!ctx || !SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION)
        || !SSL_CTX_set_max_proto_version(ctx.get(), TLS1_3_VERSION)
        || !SSL_CTX_set_ciphersuites(ctx.get(), "TLS_AES_256_GCM_SHA384")
        || SSL_CTX_use_certificate_chain_file(ctx.get(), chain.c_str()) != 1
        || SSL_CTX_use_PrivateKey_file(ctx.get(), keyFile.c_str(), SSL_FILETYPE_PEM) != 1
        || SSL_CTX_check_private_key(ctx.get()) != 1) {
        *error = "server context (" + chain + "): " + sslErrors();
        return nullptr;
    }
    // Stateless TLS 1.3 tickets need no server cache; without tickets nothing can resume.
    SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
    if (!tickets)
        SSL_CTX_set_num_tickets(ctx.get(), 0);
    configureReadAhead(ctx.get(), readAhead);
    return ctx;
}

CtxPtr clientContext(bool readAhead, std::string *error)
{
    CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
    if (!ctx || !SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION)
        || SSL_CTX_load_verify_locations(ctx.get(), certs().ca().c_str(), nullptr) != 1) {
        *error = "client context: " + sslErrors();
        return nullptr;
    }
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    configureReadAhead(ctx.get(), readAhead);
    return ctx;
}

/// A client SSL over a new loopback connection, handshake done; null and *error on failure.
SslPtr connectClient(SSL_CTX *ctx, int port, SSL_SESSION *session, Fd *fd, std::string *error)
{
    fd->reset(connectLoopback(port));
    if (fd->fd < 0) {
        *error = "connect to port " + std::to_string(port) + " failed";
        return nullptr;
    }
    setNoDelay(fd->fd);
    SslPtr ssl(SSL_new(ctx));
    SSL_set_fd(ssl.get(), fd->fd);
    SSL_set_tlsext_host_name(ssl.get(), "localhost");
    SSL_set1_host(ssl.get(), "localhost");
    if (session)
        SSL_set_session(ssl.get(), session);
    if (SSL_connect(ssl.get()) != 1) {
        *error = "client handshake: " + sslErrors();
        return nullptr;
    }
    return ssl;
}

/// Accepts one connection on a fresh listener after printing "PORT n".
SslPtr acceptOne(SSL_CTX *ctx, Fd *fd, std::string *error)
{
    int port = 0;
    Fd listener(listenLoopback(&port));
    if (listener.fd < 0) {
        *error = "listen failed";
        return nullptr;
    }
    std::printf("PORT %d\n", port);
    std::fflush(stdout);
    fd->reset(::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC));
    if (fd->fd < 0) {
        *error = "accept failed";
        return nullptr;
    }
    SslPtr ssl(SSL_new(ctx));
    SSL_set_fd(ssl.get(), fd->fd);
    if (SSL_accept(ssl.get()) != 1) {
        *error = "server handshake: " + sslErrors();
        return nullptr;
    }
    return ssl;
}

/// Reads until the peer's close_notify or TCP close.
void drainUntilClose(SSL *ssl)
{
    char buf[4096];
    while (SSL_read(ssl, buf, sizeof buf) > 0) {}
}

int printFailure(const std::string &error)
{
    std::printf("RESULT ok=0\n");
    std::fflush(stdout);
    std::fprintf(stderr, "tls_bench peer: %s\n", error.c_str());
    return 1;
}

void printResult(double cpu, double wall, std::uint64_t bytes)
{
    std::printf("RESULT ok=1 cpu=%.6f wall=%.6f bytes=%llu\n", cpu, wall,
                static_cast<unsigned long long>(bytes));
    std::fflush(stdout);
}

} // namespace

int runOpenSslSendServer(std::uint64_t bytes, bool readAhead)
{
    std::string error;
    CtxPtr ctx = serverContext(KeyType::Rsa, true, readAhead, &error);
    Fd fd;
    SslPtr ssl = ctx ? acceptOne(ctx.get(), &fd, &error) : nullptr;
    if (!ssl)
        return printFailure(error);
    const double cpu0 = cpuNow(), wall0 = wallNow();
    std::uint64_t sent = 0;
    while (sent < bytes) {
        const int n = int(std::min<std::uint64_t>(kChunk, bytes - sent));
        const int w = SSL_write(ssl.get(), pattern() + sent % kPatternPeriod, n);
        if (w <= 0)
            return printFailure("send failed after " + std::to_string(sent)
                                + " bytes: " + sslErrors());
        sent += std::uint64_t(w);
    }
    const double wall1 = wallNow();
    drainUntilClose(ssl.get());
    SSL_shutdown(ssl.get());
    printResult(cpuNow() - cpu0, wall1 - wall0, sent);
    return 0;
}

int runOpenSslRecvServer(std::uint64_t bytes, bool readAhead)
{
    std::string error;
    CtxPtr ctx = serverContext(KeyType::Rsa, true, readAhead, &error);
    Fd fd;
    SslPtr ssl = ctx ? acceptOne(ctx.get(), &fd, &error) : nullptr;
    if (!ssl)
        return printFailure(error);
    const double cpu0 = cpuNow(), wall0 = wallNow();
    std::unique_ptr<char[]> buf(new char[kChunk]);
    std::uint64_t received = 0;
    while (received < bytes) {
        const int n = SSL_read(ssl.get(), buf.get(), kChunk);
        if (n <= 0)
            return printFailure("receive failed after " + std::to_string(received)
                                + " bytes: " + sslErrors());
        received += std::uint64_t(n);
    }
    SSL_write(ssl.get(), "A", 1);
    const double wall1 = wallNow();
    drainUntilClose(ssl.get());
    SSL_shutdown(ssl.get());
    printResult(cpuNow() - cpu0, wall1 - wall0, received);
    return 0;
}

int runOpenSslHandshakeServer()
{
    struct Listener
    {
        const char *name;
        KeyType key;
        bool tickets;
        CtxPtr ctx;
        Fd fd;
        int port = 0;
    };
    Listener listeners[4] = {{"rsa_full", KeyType::Rsa, false, {}, Fd(), 0},
                             {"rsa_resume", KeyType::Rsa, true, {}, Fd(), 0},
                             {"ecdsa_full", KeyType::Ecdsa, false, {}, Fd(), 0},
                             {"ecdsa_resume", KeyType::Ecdsa, true, {}, Fd(), 0}};
    std::string error;
    std::string ports = "PORTS";
    for (Listener &l : listeners) {
        l.ctx = serverContext(l.key, l.tickets, false, &error);
        if (!l.ctx)
            return printFailure(error);
        l.fd.reset(listenLoopback(&l.port));
        if (l.fd.fd < 0)
            return printFailure("listen failed");
        ports += std::string(" ") + l.name + "=" + std::to_string(l.port);
    }
    std::printf("%s\n", ports.c_str());
    std::fflush(stdout);

    const double cpu0 = cpuNow();
    long handshakes = 0, resumed = 0, failures = 0;
    std::string input;
    for (;;) {
        pollfd pfds[5];
        pfds[0] = {STDIN_FILENO, POLLIN, 0};
        for (int i = 0; i < 4; ++i)
            pfds[i + 1] = {listeners[i].fd.fd, POLLIN, 0};
        if (poll(pfds, 5, -1) < 0)
            continue;
        if (pfds[0].revents) {
            char buf[256];
            const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n <= 0)
                break;
            input.append(buf, size_t(n));
            for (auto nl = input.find('\n'); nl != std::string::npos; nl = input.find('\n')) {
                if (input.compare(0, 4, "STAT") == 0) {
                    std::printf("STAT cpu=%.6f handshakes=%ld resumed=%ld failures=%ld\n",
                                cpuNow() - cpu0, handshakes, resumed, failures);
                    std::fflush(stdout);
                }
                input.erase(0, nl + 1);
            }
        }
        for (int i = 0; i < 4; ++i) {
            if (!pfds[i + 1].revents)
                continue;
            Fd fd(::accept4(listeners[i].fd.fd, nullptr, nullptr, SOCK_CLOEXEC));
            if (fd.fd < 0)
                continue;
            setNoDelay(fd.fd);
            setReceiveTimeout(fd.fd, 5);
            SslPtr ssl(SSL_new(listeners[i].ctx.get()));
            SSL_set_fd(ssl.get(), fd.fd);
            if (SSL_accept(ssl.get()) != 1) {
                ++failures;
                std::fprintf(stderr, "tls_bench hs server: %s\n", sslErrors().c_str());
                continue;
            }
            ++handshakes;
            const bool reused = SSL_session_reused(ssl.get()) == 1;
            resumed += reused;
            SSL_write(ssl.get(), reused ? "R" : "F", 1);
            SSL_shutdown(ssl.get());
            drainUntilClose(ssl.get());
        }
    }
    std::printf("RESULT ok=1 cpu=%.6f handshakes=%ld resumed=%ld\n", cpuNow() - cpu0, handshakes,
                resumed);
    std::fflush(stdout);
    return 0;
}

BulkResult opensslReceive(int port, std::uint64_t bytes, bool readAhead)
{
    BulkResult r;
    CtxPtr ctx = clientContext(readAhead, &r.error);
    if (!ctx)
        return r;
    std::unique_ptr<char[]> buf(new char[kChunk]);
    const double cpu0 = cpuNow(), wall0 = wallNow();
    Fd fd;
    SslPtr ssl = connectClient(ctx.get(), port, nullptr, &fd, &r.error);
    if (!ssl)
        return r;
    r.cipher = SSL_get_cipher_name(ssl.get());
    while (r.bytes < bytes) {
        const int n = SSL_read(ssl.get(), buf.get(), kChunk);
        if (n <= 0) {
            r.error = "receive failed: " + sslErrors();
            return r;
        }
        r.bytes += std::uint64_t(n);
    }
    r.cpuSeconds = cpuNow() - cpu0;
    r.wallSeconds = wallNow() - wall0;
    SSL_shutdown(ssl.get());
    r.ok = true;
    return r;
}

BulkResult opensslSend(int port, std::uint64_t bytes)
{
    BulkResult r;
    CtxPtr ctx = clientContext(false, &r.error);
    if (!ctx)
        return r;
    const double cpu0 = cpuNow(), wall0 = wallNow();
    Fd fd;
    SslPtr ssl = connectClient(ctx.get(), port, nullptr, &fd, &r.error);
    if (!ssl)
        return r;
    r.cipher = SSL_get_cipher_name(ssl.get());
    while (r.bytes < bytes) {
        const int n = int(std::min<std::uint64_t>(kChunk, bytes - r.bytes));
        const int w = SSL_write(ssl.get(), pattern() + r.bytes % kPatternPeriod, n);
        if (w <= 0) {
            r.error = "send failed: " + sslErrors();
            return r;
        }
        r.bytes += std::uint64_t(w);
    }
    char ack = 0;
    if (SSL_read(ssl.get(), &ack, 1) != 1) {
        r.error = "no acknowledgement: " + sslErrors();
        return r;
    }
    r.cpuSeconds = cpuNow() - cpu0;
    r.wallSeconds = wallNow() - wall0;
    SSL_shutdown(ssl.get());
    r.ok = true;
    return r;
}

HandshakeResult opensslHandshakes(int port, int count, bool resume)
{
    HandshakeResult r;
    CtxPtr ctx = clientContext(false, &r.error);
    if (!ctx)
        return r;
    SessionPtr session;
    double cpu0 = 0, wall0 = 0;
    for (int i = 0; i <= count; ++i) {
        if (i == 1) { // connection 0 warms up (and fetches the first ticket)
            cpu0 = cpuNow();
            wall0 = wallNow();
        }
        Fd fd;
        SslPtr ssl =
            connectClient(ctx.get(), port, resume ? session.get() : nullptr, &fd, &r.error);
        if (!ssl)
            return r;
        char byte = 0;
        if (SSL_read(ssl.get(), &byte, 1) != 1) {
            r.error = "no byte after the handshake: " + sslErrors();
            return r;
        }
        if (i > 0)
            r.resumed += byte == 'R';
        if (resume)
            session.reset(SSL_get1_session(ssl.get()));
        if (SSL_shutdown(ssl.get()) == 0)
            SSL_shutdown(ssl.get());
    }
    r.cpuSeconds = cpuNow() - cpu0;
    r.wallSeconds = wallNow() - wall0;
    r.count = count;
    r.ok = true;
    return r;
}

} // namespace bench
