// SPDX-License-Identifier: LGPL-3.0-or-later
// Records what a real OpenSSL server sends to the TLS harness's client, as a seed for
// fuzz/corpus/tls_engine/ (fuzz/README.md says how to run it):
//
//   fuzz-record-tls-flight OUT SCENARIO OPTIONS CHAIN.pem KEY.pem
//
// The client is the harness's (same configuration, same fixed random stream), so the server
// flight written to OUT (after the two control bytes: OPTIONS, then 0 = fed whole) completes
// the handshake when the harness replays it. The server draws from its own random stream,
// which leaves the client's untouched. After the handshake the server sends an IMAP
// greeting (and what the scenario adds), then close_notify.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tls_client_setup.h"

namespace {

using mailwire::detail::TlsEngine;
using mailwire::fuzz::FixedRandom;
namespace fuzz = mailwire::fuzz;

const char *const Scenarios =
    "tls13 tls12 tls13-hrr tls12-rsa-kx tls12-client-cert tls13-client-cert tls13-key-update "
    "tls13-bulk tls12-hello-request alert-version";

int acceptAnyCertificate(int, X509_STORE_CTX *) { return 1; }

/// The server: plain OpenSSL over memory BIOs, configured per scenario.
class Server
{
public:
    Server(const std::string &scenario, const char *chain, const char *key) : m_scenario(scenario)
    {
        // SSL_CTX_new draws the ticket keys: from the server's stream, like all it does.
        FixedRandom::use(FixedRandom::Server);
        m_ctx = SSL_CTX_new(TLS_server_method());
        if (SSL_CTX_use_certificate_chain_file(m_ctx, chain) != 1
            || SSL_CTX_use_PrivateKey_file(m_ctx, key, SSL_FILETYPE_PEM) != 1) {
            ERR_print_errors_fp(stderr);
            std::exit(1);
        }
        if (is("tls12"))
            SSL_CTX_set_max_proto_version(m_ctx, TLS1_2_VERSION);
        if (is("tls13-hrr")) // the client's first key share is X25519: ask for another
            SSL_CTX_set1_groups_list(m_ctx, "P-256");
        if (is("tls12-rsa-kx"))
            SSL_CTX_set_cipher_list(m_ctx, "AES128-GCM-SHA256");
        if (is("tls12-client-cert") || is("tls13-client-cert"))
            SSL_CTX_set_verify(m_ctx, SSL_VERIFY_PEER, acceptAnyCertificate);
        if (is("alert-version")) // replayed against the TLS 1.2-only client
            SSL_CTX_set_min_proto_version(m_ctx, TLS1_3_VERSION);
        m_ssl = SSL_new(m_ctx);
        m_in = BIO_new(BIO_s_mem());
        m_out = BIO_new(BIO_s_mem());
        SSL_set_bio(m_ssl, m_in, m_out);
        SSL_set_accept_state(m_ssl);
        FixedRandom::use(FixedRandom::Client);
    }
    ~Server()
    {
        SSL_free(m_ssl);
        SSL_CTX_free(m_ctx);
    }

    bool is(const char *prefix) const { return m_scenario.rfind(prefix, 0) == 0; }

    /// Takes the client's bytes and runs the handshake; false once it failed.
    bool handshake(const QByteArray &fromClient)
    {
        FixedRandom::use(FixedRandom::Server);
        if (!fromClient.isEmpty())
            BIO_write(m_in, fromClient.constData(), fromClient.size());
        const int result = SSL_do_handshake(m_ssl);
        FixedRandom::use(FixedRandom::Client);
        if (result == 1)
            m_established = true;
        return result == 1 || SSL_get_error(m_ssl, result) == SSL_ERROR_WANT_READ;
    }
    bool established() const { return m_established; }

    void write(const QByteArray &data)
    {
        FixedRandom::use(FixedRandom::Server);
        SSL_write(m_ssl, data.constData(), data.size());
        FixedRandom::use(FixedRandom::Client);
    }

    /// Application data, the scenario's post-handshake messages, then close_notify.
    void finish()
    {
        write("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] fuzz server ready\r\n");
        FixedRandom::use(FixedRandom::Server);
        if (is("tls13-key-update"))
            SSL_key_update(m_ssl, SSL_KEY_UPDATE_REQUESTED);
        if (is("tls12-hello-request")) {
            SSL_renegotiate(m_ssl);
            SSL_do_handshake(m_ssl);
        }
        FixedRandom::use(FixedRandom::Client);
        if (is("tls13-key-update"))
            write("* 3 EXISTS\r\n");
        if (is("tls13-bulk")) {
            QByteArray literal = "* 1 FETCH (BODY[] {20000}\r\n";
            for (int i = 0; i < 20000; ++i)
                literal += char('a' + i % 26);
            write(literal + ")\r\n");
        }
        FixedRandom::use(FixedRandom::Server);
        SSL_shutdown(m_ssl);
        FixedRandom::use(FixedRandom::Client);
    }

    QByteArray take()
    {
        QByteArray out(int(BIO_ctrl_pending(m_out)), Qt::Uninitialized);
        out.resize(BIO_read(m_out, out.data(), out.size()) > 0 ? out.size() : 0);
        return out;
    }

private:
    std::string m_scenario;
    SSL_CTX *m_ctx = nullptr;
    SSL *m_ssl = nullptr;
    BIO *m_in = nullptr;  // owned by m_ssl
    BIO *m_out = nullptr; // owned by m_ssl
    bool m_established = false;
};

} // namespace

int main(int argc, char **argv)
{
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s OUT SCENARIO OPTIONS CHAIN.pem KEY.pem\nscenarios: %s\n",
                     argv[0], Scenarios);
        return 2;
    }
    const std::string scenario = argv[2];
    if (std::string(" ").append(Scenarios).append(" ").find(" " + scenario + " ")
        == std::string::npos) {
        std::fprintf(stderr, "unknown scenario %s (known: %s)\n", argv[2], Scenarios);
        return 2;
    }
    const int options = int(std::strtol(argv[3], nullptr, 0));
    const auto config = static_cast<fuzz::ClientConfig>((options >> 4) & 3);

    TlsEngine client(fuzz::clientContext(config));
    QByteArray toServer = fuzz::startClient(client); // restarts the random streams
    Server server(scenario, argv[4], argv[5]);
    QByteArray flight;
    bool serverFailed = false;
    for (int round = 0; round < 20 && !toServer.isEmpty(); ++round) {
        serverFailed = !server.handshake(toServer);
        const QByteArray fromServer = server.take();
        flight += fromServer;
        client.feedCiphertext(fromServer.constData(), fromServer.size());
        client.handshake();
        toServer = client.takeCiphertext();
        if (serverFailed)
            break;
    }
    if (server.established() && client.isEstablished()) {
        server.finish();
        flight += server.take();
    }
    std::fprintf(stderr, "%s: server %s, client %s, %d bytes\n", scenario.c_str(),
                 server.established() ? "established" : "not established",
                 client.isEstablished() ? "established" : "not established", flight.size());

    std::ofstream out(argv[1], std::ios::binary);
    out.put(char(options)).put('\0');
    out.write(flight.constData(), flight.size());
    return out ? 0 : 1;
}
