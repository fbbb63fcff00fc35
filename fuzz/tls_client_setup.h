// SPDX-License-Identifier: LGPL-3.0-or-later
// The client side the TLS engine harness runs, shared with the program that records the
// server flights of its seed corpus (record_tls_flight.cpp).
//
// OpenSSL's random bytes are replaced by a fixed stream, restarted for every input: the
// client then sends the same ClientHello (random, session id, key share) every time, so a
// server flight recorded once against it still completes the handshake when replayed, and
// the fuzzer reaches the encrypted part of TLS 1.3 and the records after the handshake.
// A production build never does this; only the harness and the recorder install it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <openssl/rand.h>

#include "tls_context_p.h"
#include "tls_engine_p.h"

namespace mailwire::fuzz {

/// The name the client verifies and sends as SNI.
inline const QString PeerName = QStringLiteral("imap.example.org");

/// Client configurations, chosen by bits 4-5 of the options byte.
enum class ClientConfig : int {
    Secure = 0,    ///< TLS 1.2 or 1.3, VerifyPeer (certificate errors collected)
    Tls12 = 1,     ///< TLS 1.2 only
    Tls13 = 2,     ///< TLS 1.3 only
    VerifyNone = 3 ///< no chain verification; the host name is checked by hand
};

/// A deterministic replacement for OpenSSL's random generator with two independent
/// streams, so that the recorder's server can draw random bytes without shifting the
/// client's: the client sees the same bytes whether or not a server runs beside it.
class FixedRandom
{
public:
    enum Stream {
        Client = 0,
        Server = 1
    };

    /// Installs the method (once per process) and restarts both streams.
    static void restart()
    {
        // Deprecated in OpenSSL 3, but still the one switch that routes every random byte
        // (libssl's and the key generators') through this stream.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        static const bool installed = RAND_set_rand_method(&method()) == 1;
#pragma GCC diagnostic pop
        (void)installed;
        state() = {0x6d61696c77697265ull, 0x7365727665720000ull};
        current() = Client;
    }
    /// Draws from this stream until the next use().
    static void use(Stream stream) { current() = stream; }

private:
    static std::array<std::uint64_t, 2> &state()
    {
        static std::array<std::uint64_t, 2> s{};
        return s;
    }
    static Stream &current()
    {
        static Stream stream = Client;
        return stream;
    }
    // SplitMix64: statistically fine for keys nobody needs to keep secret.
    static std::uint64_t nextWord()
    {
        std::uint64_t z = (state()[current()] += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    static int bytes(unsigned char *out, int count)
    {
        for (int i = 0; i < count; i += 8) {
            const std::uint64_t word = nextWord();
            for (int k = 0; k < 8 && i + k < count; ++k)
                out[i + k] = static_cast<unsigned char>(word >> (8 * k));
        }
        return 1;
    }
    static int seed(const void *, int) { return 1; }
    static int add(const void *, int, double) { return 1; }
    static int status() { return 1; }
    static const RAND_METHOD &method()
    {
        static const RAND_METHOD m = {seed, bytes, nullptr, add, bytes, status};
        return m;
    }
};

/// The client context for a configuration, built once and cached by TlsContext.
inline std::shared_ptr<detail::TlsContext> clientContext(ClientConfig config)
{
    detail::TlsSettings settings;
    settings.role = detail::TlsRole::Client;
    settings.useSystemCaStore = false; // the same verdicts on every machine
    settings.peerVerifyMode = config == ClientConfig::VerifyNone ? 0 : 2;
    if (config == ClientConfig::Tls12)
        settings.protocol = QSsl::TlsV1_2;
    else if (config == ClientConfig::Tls13)
        settings.protocol = QSsl::TlsV1_3;
    QString error;
    return detail::TlsContext::obtain(settings, &error);
}

/// Starts a client engine: restarts the random stream, begins, and returns the
/// ClientHello it sends (empty if the engine could not start).
inline QByteArray startClient(detail::TlsEngine &engine)
{
    FixedRandom::restart();
    // No session key: nothing is resumed, so no state carries from one input to the next.
    if (!engine.begin(PeerName))
        return QByteArray();
    engine.handshake();
    return engine.takeCiphertext();
}

} // namespace mailwire::fuzz
