// SPDX-License-Identifier: LGPL-3.0-or-later
// The TLS engine as a client, after a real ClientHello, fed whatever the "server" sends: the
// payload is the server's byte stream, cut into pieces where the fuzzer says (inside a
// record, between records). The engine must never crash, whatever it reports; once it says
// Established, what it reports about the session must be readable.
//
// Options byte: bits 4-5 pick the client (ClientConfig in tls_client_setup.h); 1 the client
// writes a line after the handshake and after each piece; 2 the transport then ends (TCP
// FIN, with or without close_notify); 4 the client sends close_notify at the end.
// Seeds are recorded server flights (record_tls_flight.cpp); the random stream is fixed, so
// they complete the handshake every time.
#include <cstdint>

#include <QtCore/QByteArray>
#include <QtNetwork/QSslCertificate>

#include "fuzz_input.h"
#include "tls_client_setup.h"

namespace {

using mailwire::detail::TlsEngine;
using Status = TlsEngine::Status;
namespace fuzz = mailwire::fuzz;

enum Option : std::uint8_t {
    WriteData = 1,
    EndOfStream = 2,
    CloseNotify = 4,
};

constexpr qint64 ReadBufferSize = 4096; // what a socket would read at once
constexpr int MaxDecryptsPerPiece = 256;

bool isTerminal(Status status)
{
    return status == Status::Closed || status == Status::Truncated || status == Status::Failed;
}

/// What the socket reads once the handshake is done (SslSocket shows it to the user).
void inspectSession(const TlsEngine &engine)
{
    (void)engine.verifyFailures();
    (void)engine.hasPeerCertificate();
    for (const QSslCertificate &certificate : engine.peerCertificateChain()) {
        (void)certificate.subjectInfo(QSslCertificate::CommonName);
        (void)certificate.subjectAlternativeNames();
        (void)certificate.expiryDate();
        (void)certificate.toDer();
    }
    (void)engine.peerCertificate();
    (void)engine.sessionProtocol();
    (void)engine.sessionCipher();
    (void)engine.sessionWasReused();
}

class Client
{
public:
    Client(TlsEngine &engine, bool writeData) : m_engine(engine), m_writeData(writeData) {}

    bool finished() const { return m_finished; }
    qint64 cleartextBytes() const { return m_cleartext; }

    /// One round of what SslSocket's pump does after bytes arrived.
    void pump()
    {
        if (m_finished)
            return;
        if (!m_engine.isEstablished()) {
            const Status status = m_engine.handshake();
            (void)m_engine.takeCiphertext(); // what the client answers goes nowhere
            if (status == Status::Established) {
                inspectSession(m_engine);
            } else {
                m_finished = isTerminal(status);
                return;
            }
        }
        if (m_writeData) {
            static const char line[] = "A1 NOOP\r\n";
            MAILWIRE_FUZZ_CHECK(m_engine.encrypt(line, sizeof line - 1) >= 0
                                || !m_engine.lastError().isEmpty());
        }
        char buffer[ReadBufferSize];
        for (int i = 0; i < MaxDecryptsPerPiece; ++i) {
            qint64 produced = 0;
            const Status status = m_engine.decrypt(buffer, sizeof buffer, &produced);
            MAILWIRE_FUZZ_CHECK(produced >= 0 && produced <= qint64(sizeof buffer));
            if (isTerminal(status)) {
                m_finished = true;
                break;
            }
            m_cleartext += produced;
            if (produced == 0)
                break;
        }
        (void)m_engine.takeCiphertext();
    }

private:
    TlsEngine &m_engine;
    bool m_writeData;
    bool m_finished = false;
    qint64 m_cleartext = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Input input;
    if (!fuzz::Input::read(data, size, &input))
        return 0;
    const auto config = static_cast<fuzz::ClientConfig>((input.options >> 4) & 3);
    static const std::shared_ptr<mailwire::detail::TlsContext> contexts[] = {
        fuzz::clientContext(fuzz::ClientConfig::Secure),
        fuzz::clientContext(fuzz::ClientConfig::Tls12),
        fuzz::clientContext(fuzz::ClientConfig::Tls13),
        fuzz::clientContext(fuzz::ClientConfig::VerifyNone)};
    MAILWIRE_FUZZ_CHECK(contexts[int(config)] != nullptr);

    TlsEngine engine(contexts[int(config)]);
    MAILWIRE_FUZZ_CHECK(!fuzz::startClient(engine).isEmpty());
    Client client(engine, input.has(WriteData));
    fuzz::feedInPieces(input.data, input.size, fuzz::Splitter(input.split),
                       [&](const char *piece, std::size_t length) {
                           if (client.finished())
                               return;
                           engine.feedCiphertext(piece, qint64(length));
                           client.pump();
                       });
    if (input.has(EndOfStream)) {
        engine.peerClosedTcp();
        client.pump();
    }
    if (input.has(CloseNotify)) {
        engine.shutdown();
        (void)engine.takeCiphertext();
    }
    // MAILWIRE_FUZZ_TLS_VERBOSE=1 says how far an input got (to check a recorded seed).
    static const bool verbose = qEnvironmentVariableIsSet("MAILWIRE_FUZZ_TLS_VERBOSE");
    if (verbose) {
        std::fprintf(
            stderr, "tls_engine: %s, %lld cleartext bytes, %d verify failures, %s%s\n",
            engine.isEstablished() ? "established" : "not established",
            static_cast<long long>(client.cleartextBytes()), int(engine.verifyFailures().size()),
            engine.receivedCloseNotify() ? "close_notify, " : "", qPrintable(engine.lastError()));
    }
    return 0;
}
