// SPDX-License-Identifier: LGPL-3.0-or-later
// Engine-to-engine TLS in memory: a client TlsEngine and a server TlsEngine joined by a pump
// that moves ciphertext between them. No socket, no event loop.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtNetwork/QSslCipher>

#include <openssl/x509_vfy.h>

#include "test_support.h"
#include "session_cache_p.h"
#include "tls_context_p.h"
#include "tls_engine_p.h"

namespace {

const char *statusName(mailwire::detail::TlsEngine::Status status)
{
    using Status = mailwire::detail::TlsEngine::Status;
    switch (status) {
    case Status::WantsPeerData: return "WantsPeerData";
    case Status::Established: return "Established";
    case Status::Closed: return "Closed";
    case Status::Truncated: return "Truncated";
    case Status::Failed: return "Failed";
    }
    return "(not a Status)";
}

} // namespace

namespace mailwire::detail {

// Lets BOOST_TEST print the operands of a failed comparison.
std::ostream &boost_test_print_type(std::ostream &out, TlsEngine::Status status)
{
    return out << statusName(status);
}

} // namespace mailwire::detail

std::ostream &boost_test_print_type(std::ostream &out, const QByteArray &bytes)
{
    constexpr int Shown = 120;
    out << bytes.size() << " bytes \"";
    for (const char c : bytes.left(Shown)) {
        if (c >= 0x20 && c < 0x7f)
            out << c;
        else
            out << "\\x"
                << "0123456789abcdef"[(c >> 4) & 0xf] << "0123456789abcdef"[c & 0xf];
    }
    return out << (bytes.size() > Shown ? "\"..." : "\"");
}

std::ostream &boost_test_print_type(std::ostream &out, const QString &text)
{
    return out << '"' << text.toStdString() << '"';
}

namespace bdata = boost::unit_test::data;

namespace {

using mailwire::detail::TlsContext;
using mailwire::detail::TlsEngine;
using mailwire::detail::TlsRole;
using mailwire::detail::TlsSettings;
using mailwire::detail::VerifyFailure;
using Status = TlsEngine::Status;
namespace support = mailwire::test;

constexpr qint64 KiB = 1024;
constexpr qint64 MiB = 1024 * KiB;
constexpr qint64 DecryptBufferSize = 4096;     // what a socket would read at once
constexpr qint64 PlainPieceSize = 20000;       // cleartext handed to encrypt() at once
constexpr qint64 CiphertextBacklog = 32 * KiB; // stop encrypting while this much waits
constexpr qint64 WireChunk = 4093;             // ciphertext moved per round (splits records)
constexpr int MaxDecryptsPerStep = 64;
constexpr int HandshakeRounds = 50;

bool isTerminal(Status status)
{
    return status == Status::Closed || status == Status::Truncated || status == Status::Failed;
}

QString cert(const char *fileName) { return QString::fromLatin1(fileName); }

/// Deterministic, non-periodic bytes, so a lost, repeated or reordered record shows.
QByteArray pattern(qint64 size, quint32 seed)
{
    QByteArray bytes(int(size), Qt::Uninitialized);
    quint32 state = seed * 2654435761u + 1;
    for (qint64 i = 0; i < size; ++i) {
        state = state * 1664525u + 1013904223u;
        bytes[int(i)] = char(state >> 24);
    }
    return bytes;
}

/// Offset of the first differing byte, or -1 if equal (a 10 MiB dump helps nobody).
qint64 firstDifference(const QByteArray &actual, const QByteArray &expected)
{
    const qint64 common = std::min(actual.size(), expected.size());
    const auto mismatch =
        std::mismatch(actual.cbegin(), actual.cbegin() + common, expected.cbegin());
    if (mismatch.first != actual.cbegin() + common)
        return mismatch.first - actual.cbegin();
    return actual.size() == expected.size() ? -1 : common;
}

std::string describe(const QList<VerifyFailure> &failures)
{
    std::string text = "{";
    for (const VerifyFailure &failure : failures) {
        text += ' ' + std::to_string(failure.code) + " ("
            + X509_verify_cert_error_string(failure.code) + ") at depth "
            + std::to_string(failure.depth) + ';';
    }
    return text + " }";
}

bool contains(const QList<VerifyFailure> &failures, int code, int depth)
{
    return std::any_of(failures.cbegin(), failures.cend(), [&](const VerifyFailure &failure) {
        return failure.code == code && failure.depth == depth;
    });
}

/// Corrupts the authentication tag of the (single) record.
void flipLastByte(QByteArray &record)
{
    record[record.size() - 1] = char(record.at(record.size() - 1) ^ 0x01);
}

/// A header claiming more than the largest ciphertext any TLS version allows (2^14 + 2048),
/// and the first bytes of that body: the length alone must be refused (record_overflow),
/// without buffering the rest or waiting for it.
void oversizedRecord(QByteArray &record)
{
    const int length = 0x4001 + 2048;
    record = QByteArray("\x17\x03\x03", 3);
    record.append(char(length >> 8)).append(char(length & 0xff));
    record.append(QByteArray(64, '\x5a'));
}

/// One end of an in-memory connection: the engine, the cleartext it still has to send and
/// everything it has received.
struct Endpoint
{
    std::unique_ptr<TlsEngine> engine;
    Status handshakeStatus = Status::WantsPeerData;
    Status readStatus = Status::WantsPeerData; // last decrypt() result
    QByteArray outgoing;
    qint64 written = 0;
    QByteArray received;
    bool encryptFailed = false;

    bool established() const { return handshakeStatus == Status::Established; }

    /// Advances the handshake; once established, encrypts one bounded piece of `outgoing`
    /// and decrypts what arrived. Returns whether anything happened.
    bool step()
    {
        bool progress = false;
        if (!established()) {
            if (isTerminal(handshakeStatus))
                return false;
            const Status status = engine->handshake();
            progress = status != handshakeStatus;
            handshakeStatus = status;
            if (!established())
                return progress;
        }
        if (written < outgoing.size() && !encryptFailed
            && engine->pendingCiphertextOut() < CiphertextBacklog) {
            const qint64 piece = std::min<qint64>(PlainPieceSize, outgoing.size() - written);
            const qint64 consumed = engine->encrypt(outgoing.constData() + written, piece);
            BOOST_TEST_REQUIRE(consumed <= piece);
            if (consumed < 0)
                encryptFailed = true;
            written += std::max<qint64>(consumed, 0);
            progress = progress || consumed != 0;
        }
        char buffer[DecryptBufferSize];
        for (int i = 0; i < MaxDecryptsPerStep && !isTerminal(readStatus); ++i) {
            qint64 produced = -1;
            readStatus = engine->decrypt(buffer, sizeof buffer, &produced);
            BOOST_TEST_REQUIRE(produced >= 0);
            BOOST_TEST_REQUIRE(produced <= qint64(sizeof buffer));
            if (produced == 0)
                break;
            received.append(buffer, int(produced));
            progress = true;
        }
        return progress;
    }
};

/// Moves ciphertext from one engine to the other: everything if chunk is 0, else at most
/// chunk bytes. Returns how many bytes moved.
qint64 moveCiphertext(TlsEngine &from, TlsEngine &to, qint64 chunk)
{
    if (chunk == 0) {
        const QByteArray bytes = from.takeCiphertext();
        if (!bytes.isEmpty())
            to.feedCiphertext(bytes.constData(), bytes.size());
        return bytes.size();
    }
    QByteArray bytes(int(chunk), Qt::Uninitialized);
    const qint64 taken = from.takeCiphertext(bytes.data(), chunk);
    BOOST_TEST_REQUIRE(taken >= 0);
    BOOST_TEST_REQUIRE(taken <= chunk);
    if (taken > 0)
        to.feedCiphertext(bytes.constData(), taken);
    return taken;
}

/// Runs both ends until nothing moves. Bounded, so a bug shows as a failure, not a hang.
void pump(Endpoint &client, Endpoint &server, qint64 chunk = 0, int maxRounds = HandshakeRounds)
{
    for (int round = 0; round < maxRounds; ++round) {
        bool progress = client.step();
        progress = moveCiphertext(*client.engine, *server.engine, chunk) > 0 || progress;
        progress = server.step() || progress;
        progress = moveCiphertext(*server.engine, *client.engine, chunk) > 0 || progress;
        if (!progress)
            return;
    }
    BOOST_ERROR("the engines still exchange bytes after " << maxRounds << " rounds");
}

/// Contexts and engines for one client and one server; each case adjusts what it needs.
struct EngineFixture
{
    EngineFixture()
    {
        TlsContext::clearCache(); // no session or context survives from another case
        BOOST_TEST_REQUIRE(!support::fixtureCaCertificates().isEmpty(),
                           "test certificates missing in " MAILWIRE_CERTS_DIR);
    }

    static TlsSettings serverSettings(QSsl::SslProtocol protocol = QSsl::SecureProtocols,
                                      const QString &chain = cert("leaf-chain.pem"),
                                      const QString &key = cert("leaf.key"))
    {
        TlsSettings settings;
        settings.role = TlsRole::Server;
        settings.protocol = protocol;
        settings.useSystemCaStore = false;
        settings.localCertificateChain = support::loadCertificates(chain);
        settings.privateKey = support::loadKey(key);
        BOOST_TEST_REQUIRE(!settings.localCertificateChain.isEmpty());
        BOOST_TEST_REQUIRE(!settings.privateKey.isNull());
        return settings;
    }

    static TlsSettings clientSettings(QSsl::SslProtocol protocol = QSsl::SecureProtocols)
    {
        TlsSettings settings;
        settings.role = TlsRole::Client;
        settings.protocol = protocol;
        settings.caCertificates = support::fixtureCaCertificates();
        settings.useSystemCaStore = false;
        return settings;
    }

    static std::shared_ptr<TlsContext> obtain(const TlsSettings &settings)
    {
        QString error;
        auto context = TlsContext::obtain(settings, &error);
        BOOST_TEST_REQUIRE(bool(context), "TlsContext::obtain failed: " << error.toStdString());
        return context;
    }

    static Endpoint endpoint(const std::shared_ptr<TlsContext> &context, const QString &peerName,
                             const QByteArray &sessionKey = QByteArray())
    {
        Endpoint end;
        end.engine = std::make_unique<TlsEngine>(context);
        BOOST_TEST_REQUIRE(end.engine->begin(peerName, sessionKey),
                           "begin() failed: " << end.engine->lastError().toStdString());
        BOOST_TEST(end.engine->isActive());
        return end;
    }

    /// New client and server engines (contexts from the cache); no byte moved yet.
    void start(const TlsSettings &clientConfig, const TlsSettings &serverConfig,
               const QString &peerName = QStringLiteral("localhost"),
               const QByteArray &sessionKey = QByteArray())
    {
        clientContext = obtain(clientConfig);
        serverContext = obtain(serverConfig);
        client = endpoint(clientContext, peerName, sessionKey);
        server = endpoint(serverContext, QString());
    }

    /// start() + pump, and requires both ends to be established.
    void establish(const TlsSettings &clientConfig, const TlsSettings &serverConfig,
                   const QString &peerName = QStringLiteral("localhost"),
                   const QByteArray &sessionKey = QByteArray())
    {
        start(clientConfig, serverConfig, peerName, sessionKey);
        pump(client, server);
        BOOST_TEST_REQUIRE(client.handshakeStatus == Status::Established,
                           "client: " << client.engine->lastError().toStdString());
        BOOST_TEST_REQUIRE(server.handshakeStatus == Status::Established,
                           "server: " << server.engine->lastError().toStdString());
        BOOST_TEST(client.engine->isEstablished());
        BOOST_TEST(server.engine->isEstablished());
        // What SslSocket does once it decided on the errors: a clean verification lets the
        // connection's sessions be kept for resumption.
        client.engine->decideResumption(client.engine->verifyFailures().isEmpty());
    }

    void establish(QSsl::SslProtocol protocol)
    {
        establish(clientSettings(protocol), serverSettings(protocol));
    }

    /// Client hands its ClientHello over; returns it (the server has not answered yet).
    QByteArray sendClientHello()
    {
        client.handshakeStatus = client.engine->handshake();
        BOOST_TEST(client.handshakeStatus == Status::WantsPeerData);
        const QByteArray hello = client.engine->takeCiphertext();
        BOOST_TEST_REQUIRE(hello.size() > 5);
        BOOST_TEST(int(hello.at(0)) == 0x16); // a handshake record
        return hello;
    }

    void checkHandshake(QSsl::SslProtocol protocol)
    {
        establish(protocol);
        const QSslCertificate leaf = support::loadCertificate(cert("leaf.pem"));
        BOOST_TEST(client.engine->sessionProtocol() == protocol);
        BOOST_TEST(server.engine->sessionProtocol() == protocol);
        BOOST_TEST(!client.engine->sessionCipher().isNull());
        BOOST_TEST(!server.engine->sessionCipher().isNull());
        BOOST_TEST(client.engine->sessionCipher().name() == server.engine->sessionCipher().name());
        BOOST_TEST((client.engine->peerCertificate() == leaf));
        BOOST_TEST(client.engine->peerCertificate().subjectInfo(QSslCertificate::CommonName)
                   == leaf.subjectInfo(QSslCertificate::CommonName));
        const auto chain = client.engine->peerCertificateChain();
        BOOST_TEST_REQUIRE(!chain.isEmpty());
        BOOST_TEST((chain.first() == leaf));
        BOOST_TEST(client.engine->verifyFailures().isEmpty(),
                   describe(client.engine->verifyFailures()));
        BOOST_TEST(!client.engine->sessionWasReused());
        BOOST_TEST(client.engine->lastError().isEmpty(), client.engine->lastError().toStdString());
    }

    void checkTransferBothWays(QSsl::SslProtocol protocol, qint64 size)
    {
        establish(protocol);
        client.outgoing = pattern(size, 1);
        server.outgoing = pattern(size, 2);
        if (size == 0) {
            char nothing = 0;
            BOOST_TEST(client.engine->encrypt(&nothing, 0) == 0);
            BOOST_TEST(server.engine->encrypt(&nothing, 0) == 0);
        }
        const int rounds = int(HandshakeRounds + 4 * (size / WireChunk));
        pump(client, server, WireChunk, rounds);
        BOOST_TEST(!client.encryptFailed, client.engine->lastError().toStdString());
        BOOST_TEST(!server.encryptFailed, server.engine->lastError().toStdString());
        BOOST_TEST(client.written == size);
        BOOST_TEST(server.written == size);
        BOOST_TEST(server.received.size() == size);
        BOOST_TEST(client.received.size() == size);
        BOOST_TEST(firstDifference(server.received, client.outgoing) == -1);
        BOOST_TEST(firstDifference(client.received, server.outgoing) == -1);
        BOOST_TEST(!isTerminal(client.readStatus));
        BOOST_TEST(!isTerminal(server.readStatus));
        BOOST_TEST(client.engine->pendingCiphertextOut() == 0);
        BOOST_TEST(server.engine->pendingCiphertextIn() == 0);
    }

    /// After the handshake, one record from the client reaches the server altered by
    /// `spoil`; the server must fail cleanly and deliver none of it.
    template <typename Spoil> void checkServerRejects(QSsl::SslProtocol protocol, Spoil spoil)
    {
        establish(protocol);
        pump(client, server); // settle tickets
        const QByteArray secret("not for your eyes");
        BOOST_TEST_REQUIRE(client.engine->encrypt(secret.constData(), secret.size())
                           == secret.size());
        QByteArray record = client.engine->takeCiphertext();
        BOOST_TEST_REQUIRE(record.size() > secret.size());
        spoil(record);
        server.engine->feedCiphertext(record.constData(), record.size());
        const qint64 before = server.received.size();
        server.step();
        BOOST_TEST(server.readStatus == Status::Failed);
        BOOST_TEST(!server.engine->lastError().isEmpty());
        BOOST_TEST(server.received.size() == before);
        BOOST_TEST(!server.received.contains(secret));
        // Still failed, still no crash, on the next call.
        char buffer[64];
        qint64 produced = -1;
        BOOST_TEST(server.engine->decrypt(buffer, sizeof buffer, &produced) == Status::Failed);
        BOOST_TEST(produced == 0);
    }

    std::shared_ptr<TlsContext> clientContext;
    std::shared_ptr<TlsContext> serverContext;
    Endpoint client;
    Endpoint server;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(tls_engine, EngineFixture)

// --- handshakes --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(tls12_handshake_reports_protocol_cipher_and_leaf)
{
    checkHandshake(QSsl::TlsV1_2);
}

BOOST_AUTO_TEST_CASE(tls13_handshake_reports_protocol_cipher_and_leaf)
{
    checkHandshake(QSsl::TlsV1_3);
}

// --- data, both ways at once, around the 16 KiB record limit ------------------------------

BOOST_AUTO_TEST_CASE(tls13_transfers_nothing_both_ways) { checkTransferBothWays(QSsl::TlsV1_3, 0); }

BOOST_AUTO_TEST_CASE(tls13_transfers_one_byte_both_ways)
{
    checkTransferBothWays(QSsl::TlsV1_3, 1);
}

BOOST_AUTO_TEST_CASE(tls13_transfers_16k_minus_one_both_ways)
{
    checkTransferBothWays(QSsl::TlsV1_3, 16383);
}

BOOST_AUTO_TEST_CASE(tls13_transfers_16k_both_ways) { checkTransferBothWays(QSsl::TlsV1_3, 16384); }

BOOST_AUTO_TEST_CASE(tls13_transfers_16k_plus_one_both_ways)
{
    checkTransferBothWays(QSsl::TlsV1_3, 16385);
}

BOOST_AUTO_TEST_CASE(tls13_transfers_10_mib_both_ways)
{
    checkTransferBothWays(QSsl::TlsV1_3, 10 * MiB);
}

BOOST_AUTO_TEST_CASE(tls12_transfers_nothing_both_ways) { checkTransferBothWays(QSsl::TlsV1_2, 0); }

BOOST_AUTO_TEST_CASE(tls12_transfers_one_byte_both_ways)
{
    checkTransferBothWays(QSsl::TlsV1_2, 1);
}

BOOST_AUTO_TEST_CASE(tls12_transfers_16k_minus_one_both_ways)
{
    checkTransferBothWays(QSsl::TlsV1_2, 16383);
}

BOOST_AUTO_TEST_CASE(tls12_transfers_16k_both_ways) { checkTransferBothWays(QSsl::TlsV1_2, 16384); }

BOOST_AUTO_TEST_CASE(tls12_transfers_16k_plus_one_both_ways)
{
    checkTransferBothWays(QSsl::TlsV1_2, 16385);
}

BOOST_AUTO_TEST_CASE(tls12_transfers_10_mib_both_ways)
{
    checkTransferBothWays(QSsl::TlsV1_2, 10 * MiB);
}

// --- the end of the stream ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(client_close_notify_reaches_server_as_closed_after_the_data)
{
    establish(QSsl::TlsV1_3);
    client.outgoing = QByteArray("a LOGOUT\r\n");
    pump(client, server);
    client.engine->shutdown();
    BOOST_TEST(client.engine->pendingCiphertextOut() > 0); // the close_notify alert
    pump(client, server);
    BOOST_TEST(server.received == client.outgoing);
    BOOST_TEST(server.readStatus == Status::Closed);
    BOOST_TEST(server.engine->receivedCloseNotify());
    BOOST_TEST(!client.engine->receivedCloseNotify());
}

BOOST_AUTO_TEST_CASE(server_close_notify_reaches_client_as_closed_after_the_data)
{
    establish(QSsl::TlsV1_2);
    server.outgoing = QByteArray("* BYE\r\n");
    pump(client, server);
    server.engine->shutdown();
    pump(client, server);
    BOOST_TEST(client.received == server.outgoing);
    BOOST_TEST(client.readStatus == Status::Closed);
    BOOST_TEST(client.engine->receivedCloseNotify());
}

BOOST_AUTO_TEST_CASE(tcp_close_without_close_notify_after_data_is_truncated)
{
    establish(QSsl::TlsV1_3);
    server.outgoing = QByteArray("* OK still here\r\n");
    pump(client, server);
    BOOST_TEST_REQUIRE(client.received == server.outgoing);
    BOOST_TEST(!isTerminal(client.readStatus));
    client.engine->peerClosedTcp();
    client.step();
    BOOST_TEST(client.readStatus == Status::Truncated);
    BOOST_TEST(!client.engine->receivedCloseNotify());
    char buffer[64];
    qint64 produced = -1;
    const Status again = client.engine->decrypt(buffer, sizeof buffer, &produced);
    BOOST_TEST(again == Status::Truncated); // stays truncated; never turns into Closed
    BOOST_TEST(produced == 0);
}

BOOST_AUTO_TEST_CASE(close_notify_then_tcp_close_is_closed_not_truncated)
{
    establish(QSsl::TlsV1_3);
    server.outgoing = QByteArray("* BYE\r\n");
    pump(client, server);
    server.engine->shutdown();
    const QByteArray alert = server.engine->takeCiphertext();
    BOOST_TEST_REQUIRE(!alert.isEmpty());
    client.engine->feedCiphertext(alert.constData(), alert.size());
    client.engine->peerClosedTcp(); // the FIN arrives with the alert, before any decrypt
    client.step();
    BOOST_TEST(client.readStatus == Status::Closed);
    BOOST_TEST(client.engine->receivedCloseNotify());
}

BOOST_AUTO_TEST_CASE(tcp_close_inside_a_record_is_truncated_and_delivers_only_whole_records)
{
    establish(QSsl::TlsV1_2);
    pump(client, server);
    const QByteArray first("first record"), second("second record, cut short");
    BOOST_TEST_REQUIRE(server.engine->encrypt(first.constData(), first.size()) == first.size());
    const QByteArray firstRecord = server.engine->takeCiphertext();
    BOOST_TEST_REQUIRE(server.engine->encrypt(second.constData(), second.size()) == second.size());
    const QByteArray secondRecord = server.engine->takeCiphertext();
    client.engine->feedCiphertext(firstRecord.constData(), firstRecord.size());
    client.engine->feedCiphertext(secondRecord.constData(), secondRecord.size() - 3);
    client.engine->peerClosedTcp();
    client.step();
    BOOST_TEST(client.received == first);
    BOOST_TEST(client.readStatus == Status::Truncated);
    BOOST_TEST(!client.engine->receivedCloseNotify());
}

// --- broken handshakes --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(client_fails_on_http_reply_instead_of_server_hello)
{
    start(clientSettings(), serverSettings());
    sendClientHello();
    const QByteArray http("HTTP/1.1 400 Bad Request\r\n\r\n");
    client.engine->feedCiphertext(http.constData(), http.size());
    BOOST_TEST(client.engine->handshake() == Status::Failed);
    BOOST_TEST(!client.engine->lastError().isEmpty());
    BOOST_TEST(!client.engine->isEstablished());
}

BOOST_AUTO_TEST_CASE(client_fails_on_random_bytes_instead_of_server_hello)
{
    start(clientSettings(), serverSettings());
    sendClientHello();
    std::mt19937 random(20240229);
    QByteArray noise(4096, Qt::Uninitialized);
    for (char &byte : noise)
        byte = char(random() & 0xff);
    client.engine->feedCiphertext(noise.constData(), noise.size());
    BOOST_TEST(client.engine->handshake() == Status::Failed);
    BOOST_TEST(!client.engine->lastError().isEmpty());
    BOOST_TEST(!client.engine->isEstablished());
}

BOOST_AUTO_TEST_CASE(client_fails_when_server_closes_after_client_hello)
{
    start(clientSettings(), serverSettings());
    sendClientHello();
    client.engine->peerClosedTcp();
    const Status status = client.engine->handshake();
    BOOST_TEST((status == Status::Failed || status == Status::Truncated),
               "status " << statusName(status));
    BOOST_TEST(!client.engine->isEstablished());
    BOOST_TEST(client.engine->handshake() != Status::Established);
    client.engine->shutdown(); // nothing to close; must not crash
    (void)client.engine->peerCertificate();
    (void)client.engine->sessionCipher();
}

BOOST_AUTO_TEST_CASE(client_fails_when_server_closes_inside_its_first_flight)
{
    start(clientSettings(QSsl::TlsV1_2), serverSettings(QSsl::TlsV1_2));
    const QByteArray hello = sendClientHello();
    server.engine->feedCiphertext(hello.constData(), hello.size());
    BOOST_TEST(server.engine->handshake() == Status::WantsPeerData);
    const QByteArray flight = server.engine->takeCiphertext();
    BOOST_TEST_REQUIRE(flight.size() > 100);
    client.engine->feedCiphertext(flight.constData(), flight.size() / 2);
    client.engine->handshake();
    client.engine->peerClosedTcp();
    const Status status = client.engine->handshake();
    BOOST_TEST((status == Status::Failed || status == Status::Truncated),
               "status " << statusName(status));
    BOOST_TEST(!client.engine->isEstablished());
    (void)client.engine->peerCertificateChain();
    (void)client.engine->sessionProtocol();
}

BOOST_AUTO_TEST_CASE(server_fails_when_client_closes_before_its_finished)
{
    start(clientSettings(QSsl::TlsV1_3), serverSettings(QSsl::TlsV1_3));
    const QByteArray hello = sendClientHello();
    server.engine->feedCiphertext(hello.constData(), hello.size());
    BOOST_TEST(server.engine->handshake() == Status::WantsPeerData);
    BOOST_TEST_REQUIRE(server.engine->takeCiphertext().size() > 0); // never reaches the client
    server.engine->peerClosedTcp();
    const Status status = server.engine->handshake();
    BOOST_TEST((status == Status::Failed || status == Status::Truncated),
               "status " << statusName(status));
    BOOST_TEST(!server.engine->isEstablished());
    server.engine->shutdown();
    (void)server.engine->requestedServerName();
}

// --- verification: collected during the handshake, never decided by the engine -----------

BOOST_AUTO_TEST_CASE(wrong_peer_name_is_collected_as_hostname_mismatch)
{
    establish(clientSettings(), serverSettings(), QStringLiteral("wrong.example.net"));
    const auto &failures = client.engine->verifyFailures();
    BOOST_TEST_MESSAGE("collected: " << describe(failures));
    BOOST_TEST(contains(failures, X509_V_ERR_HOSTNAME_MISMATCH, 0), describe(failures));
    BOOST_TEST(failures.size() == 1, describe(failures)); // the chain itself is fine
}

BOOST_AUTO_TEST_CASE(unknown_ca_is_collected_as_missing_local_issuer)
{
    establish(clientSettings(),
              serverSettings(QSsl::SecureProtocols, cert("unknownca.pem"), cert("unknownca.key")));
    const auto &failures = client.engine->verifyFailures();
    BOOST_TEST_MESSAGE("collected: " << describe(failures));
    BOOST_TEST(contains(failures, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0),
               describe(failures));
    BOOST_TEST(!contains(failures, X509_V_ERR_HOSTNAME_MISMATCH, 0), describe(failures));
}

BOOST_AUTO_TEST_CASE(expired_leaf_is_collected_as_expired)
{
    establish(
        clientSettings(),
        serverSettings(QSsl::SecureProtocols, cert("expired-chain.pem"), cert("expired.key")));
    const auto &failures = client.engine->verifyFailures();
    BOOST_TEST_MESSAGE("collected: " << describe(failures));
    BOOST_TEST(contains(failures, X509_V_ERR_CERT_HAS_EXPIRED, 0), describe(failures));
    BOOST_TEST(!contains(failures, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0),
               describe(failures));
}

BOOST_AUTO_TEST_CASE(ip_literal_peer_name_verifies_against_ip_san)
{
    establish(clientSettings(), serverSettings(), QStringLiteral("127.0.0.1"));
    BOOST_TEST(client.engine->verifyFailures().isEmpty(),
               describe(client.engine->verifyFailures()));
}

// --- resumption ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(tls13_second_connection_resumes_with_a_ticket)
{
    const QByteArray key("imap.example:993");
    establish(clientSettings(QSsl::TlsV1_3), serverSettings(QSsl::TlsV1_3),
              QStringLiteral("localhost"), key);
    BOOST_TEST(!client.engine->sessionWasReused());
    // Tickets arrive after the handshake; the client sees them only when it decrypts.
    server.outgoing = QByteArray("* OK ready\r\n");
    pump(client, server);
    BOOST_TEST_REQUIRE(client.received == server.outgoing);
    client.engine->shutdown();
    pump(client, server);

    establish(clientSettings(QSsl::TlsV1_3), serverSettings(QSsl::TlsV1_3),
              QStringLiteral("localhost"), key);
    BOOST_TEST(client.engine->sessionWasReused());
    BOOST_TEST(server.engine->sessionWasReused());
    BOOST_TEST(client.engine->sessionProtocol() == QSsl::TlsV1_3);
}

BOOST_AUTO_TEST_CASE(tls12_second_connection_resumes_the_session)
{
    const QByteArray key("smtp.example:465");
    establish(clientSettings(QSsl::TlsV1_2), serverSettings(QSsl::TlsV1_2),
              QStringLiteral("localhost"), key);
    BOOST_TEST(!client.engine->sessionWasReused());
    client.engine->shutdown();
    pump(client, server);

    establish(clientSettings(QSsl::TlsV1_2), serverSettings(QSsl::TlsV1_2),
              QStringLiteral("localhost"), key);
    BOOST_TEST(client.engine->sessionWasReused());
    BOOST_TEST(server.engine->sessionWasReused());
    BOOST_TEST(client.engine->sessionProtocol() == QSsl::TlsV1_2);
}

BOOST_AUTO_TEST_CASE(tls13_each_resumed_connection_brings_the_next_ticket)
{
    // Tickets are used once; the resumed connection must leave a fresh one behind.
    const QByteArray key("pop.example:995");
    for (int connection = 0; connection < 3; ++connection) {
        establish(clientSettings(QSsl::TlsV1_3), serverSettings(QSsl::TlsV1_3),
                  QStringLiteral("localhost"), key);
        BOOST_TEST(client.engine->sessionWasReused() == (connection > 0),
                   "connection " << connection);
        server.outgoing = QByteArray("+OK\r\n");
        pump(client, server);
        client.engine->shutdown();
        pump(client, server);
    }
}

BOOST_AUTO_TEST_CASE(empty_session_key_never_resumes)
{
    establish(clientSettings(QSsl::TlsV1_3), serverSettings(QSsl::TlsV1_3));
    server.outgoing = QByteArray("* OK\r\n");
    pump(client, server);
    client.engine->shutdown();
    pump(client, server);

    establish(clientSettings(QSsl::TlsV1_3), serverSettings(QSsl::TlsV1_3));
    BOOST_TEST(!client.engine->sessionWasReused());
}

/// One full handshake with a session key, data both ways (TLS 1.3 tickets arrive after the
/// handshake) and a clean close: what leaves a session behind if the verdict allows it.
void connectAndClose(EngineFixture &f, const TlsSettings &clientConfig,
                     const TlsSettings &serverConfig, const QString &peerName,
                     const QByteArray &key)
{
    f.establish(clientConfig, serverConfig, peerName, key);
    f.server.outgoing = QByteArray("* OK ready\r\n");
    pump(f.client, f.server);
    BOOST_TEST_REQUIRE(f.client.received == f.server.outgoing);
    f.client.engine->shutdown();
    pump(f.client, f.server);
}

BOOST_DATA_TEST_CASE(resumed_connection_reports_the_full_connections_chain,
                     bdata::make({QSsl::TlsV1_2, QSsl::TlsV1_3}), protocol)
{
    const QByteArray key("chain.example:993");
    connectAndClose(*this, clientSettings(protocol), serverSettings(protocol),
                    QStringLiteral("localhost"), key);
    BOOST_TEST_REQUIRE(!client.engine->sessionWasReused());
    const QList<QSslCertificate> fullChain = client.engine->peerCertificateChain();
    BOOST_TEST_REQUIRE(fullChain.size() == 2); // leaf + intermediate, as served

    establish(clientSettings(protocol), serverSettings(protocol), QStringLiteral("localhost"), key);
    BOOST_TEST_REQUIRE(client.engine->sessionWasReused());
    BOOST_TEST((client.engine->peerCertificateChain() == fullChain),
               "resumed chain has " << client.engine->peerCertificateChain().size()
                                    << " certificates");
    BOOST_TEST((client.engine->peerCertificate() == fullChain.first()));
    BOOST_TEST(client.engine->hasPeerCertificate());
    BOOST_TEST(client.engine->verifyFailures().isEmpty());
}

BOOST_DATA_TEST_CASE(no_verdict_keeps_no_session, bdata::make({QSsl::TlsV1_2, QSsl::TlsV1_3}),
                     protocol)
{
    // Without decideResumption() (a socket still deciding, or one that failed before
    // deciding), nothing is stored, not even a TLS 1.2 session offered inside the handshake.
    const QByteArray key("undecided.example:993");
    start(clientSettings(protocol), serverSettings(protocol), QStringLiteral("localhost"), key);
    pump(client, server);
    BOOST_TEST_REQUIRE(client.established());
    server.outgoing = QByteArray("* OK\r\n");
    pump(client, server);
    client.engine->shutdown();
    pump(client, server);
    BOOST_TEST(clientContext->sessions().size() == 0);
}

BOOST_DATA_TEST_CASE(verdict_with_errors_keeps_no_session,
                     bdata::make({QSsl::TlsV1_2, QSsl::TlsV1_3}), protocol)
{
    // The wrong-host certificate, errors "ignored" by the caller: still no session, so the
    // next connection verifies again and sees the mismatch again.
    const QByteArray key("wronghost.example:993");
    const TlsSettings wrongHost =
        serverSettings(protocol, cert("wronghost-chain.pem"), cert("wronghost.key"));
    for (int connection = 0; connection < 2; ++connection) {
        start(clientSettings(protocol), wrongHost, QStringLiteral("localhost"), key);
        pump(client, server);
        BOOST_TEST_REQUIRE(client.established());
        BOOST_TEST(!client.engine->sessionWasReused(), "connection " << connection);
        BOOST_TEST(contains(client.engine->verifyFailures(), X509_V_ERR_HOSTNAME_MISMATCH, 0),
                   describe(client.engine->verifyFailures()));
        client.engine->decideResumption(false);
        server.outgoing = QByteArray("* OK\r\n");
        pump(client, server);
        client.engine->shutdown();
        pump(client, server);
        BOOST_TEST(clientContext->sessions().size() == 0);
    }
}

BOOST_DATA_TEST_CASE(engine_refuses_to_keep_what_it_saw_fail,
                     bdata::make({QSsl::TlsV1_2, QSsl::TlsV1_3}), protocol)
{
    // A caller that says "no error" cannot override the engine's own failures.
    const QByteArray key("unknownca.example:993");
    start(clientSettings(protocol),
          serverSettings(protocol, cert("unknownca.pem"), cert("unknownca.key")),
          QStringLiteral("localhost"), key);
    pump(client, server);
    BOOST_TEST_REQUIRE(client.established());
    BOOST_TEST_REQUIRE(!client.engine->verifyFailures().isEmpty());
    client.engine->decideResumption(true);
    server.outgoing = QByteArray("* OK\r\n");
    pump(client, server);
    client.engine->shutdown();
    pump(client, server);
    BOOST_TEST(clientContext->sessions().size() == 0);
}

// --- peer names ---------------------------------------------------------------------------

struct NameCase
{
    const char *label;
    QString name;
};

std::ostream &operator<<(std::ostream &out, const NameCase &c) { return out << c.label; }

const std::vector<NameCase> kUnusableNames = {
    {"spaces", QStringLiteral("  ")},
    {"inner space", QStringLiteral("local host")},
    {"trailing space", QStringLiteral("localhost ")},
    {"leading hyphen", QStringLiteral("-a.example")},
    {"trailing hyphen", QStringLiteral("a-.example")},
    {"empty label", QStringLiteral("a..b")},
    {"embedded NUL", QStringLiteral("localhost") + QChar(0) + QStringLiteral("evil.example")},
    {"64-byte label", QString(64, QLatin1Char('a')) + QStringLiteral(".example")},
    {"wildcard", QStringLiteral("*.example.org")},
    {"numeric last label", QStringLiteral("1.2.3.4.5")},
    {"brackets", QStringLiteral("[::1]")},
    {"tab", QStringLiteral("local\thost")},
};

BOOST_DATA_TEST_CASE(unusable_peer_name_fails_begin_before_any_byte, bdata::make(kUnusableNames),
                     nameCase)
{
    // Every verify mode: not even VerifyNone may check a different name than was asked.
    for (const int verifyMode : {0, 1, 2, 3}) {
        TlsSettings settings = clientSettings();
        settings.peerVerifyMode = verifyMode;
        TlsEngine engine(obtain(settings));
        BOOST_TEST(!engine.begin(nameCase.name), "verify mode " << verifyMode);
        BOOST_TEST(engine.lastError().contains(QLatin1String("peer verification name")),
                   engine.lastError().toStdString());
        BOOST_TEST(!engine.isActive());
        BOOST_TEST(engine.handshake() == Status::Failed);
        BOOST_TEST(engine.pendingCiphertextOut() == 0);
    }
}

BOOST_AUTO_TEST_CASE(no_name_is_refused_unless_nothing_is_verified)
{
    for (const int verifyMode : {1, 2, 3}) {
        TlsSettings settings = clientSettings();
        settings.peerVerifyMode = verifyMode;
        TlsEngine engine(obtain(settings));
        BOOST_TEST(!engine.begin(QString()), "verify mode " << verifyMode);
        BOOST_TEST(engine.pendingCiphertextOut() == 0);
    }
    TlsSettings verifyNone = clientSettings();
    verifyNone.peerVerifyMode = 0;
    TlsEngine engine(obtain(verifyNone));
    BOOST_TEST(engine.begin(QString()), engine.lastError().toStdString());
}

BOOST_AUTO_TEST_CASE(idn_name_is_checked_in_ace_form)
{
    // The fixture leaf does not carry the name: the check must run (and fail) on the ACE form.
    establish(clientSettings(), serverSettings(), QStringLiteral("b\u00fccher.example"));
    BOOST_TEST(contains(client.engine->verifyFailures(), X509_V_ERR_HOSTNAME_MISMATCH, 0),
               describe(client.engine->verifyFailures()));
    BOOST_TEST(server.engine->requestedServerName() == QStringLiteral("xn--bcher-kva.example"));
}

BOOST_AUTO_TEST_CASE(ipv6_zone_id_is_dropped_and_the_address_checked)
{
    establish(clientSettings(), serverSettings(), QStringLiteral("fe80::1%eth0"));
    BOOST_TEST(contains(client.engine->verifyFailures(), X509_V_ERR_IP_ADDRESS_MISMATCH, 0),
               describe(client.engine->verifyFailures()));
    BOOST_TEST(server.engine->requestedServerName() == QString());
}

BOOST_AUTO_TEST_CASE(absolute_name_and_upper_case_verify_like_the_plain_name)
{
    for (const QString &name : {QStringLiteral("localhost."), QStringLiteral("LocalHost")}) {
        establish(clientSettings(), serverSettings(), name);
        BOOST_TEST(client.engine->verifyFailures().isEmpty(),
                   describe(client.engine->verifyFailures()));
        BOOST_TEST(server.engine->requestedServerName() == QStringLiteral("localhost"));
    }
}

// --- the context cache --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(equal_settings_share_one_context)
{
    const auto first = obtain(clientSettings(QSsl::TlsV1_2));
    const auto second = obtain(clientSettings(QSsl::TlsV1_2)); // built anew, equal
    BOOST_TEST(first.get() == second.get());
    const auto server1 = obtain(serverSettings());
    const auto server2 = obtain(serverSettings());
    BOOST_TEST(server1.get() == server2.get());
}

BOOST_AUTO_TEST_CASE(different_settings_get_different_contexts)
{
    const auto tls12 = obtain(clientSettings(QSsl::TlsV1_2));
    const auto tls13 = obtain(clientSettings(QSsl::TlsV1_3));
    BOOST_TEST(tls12.get() != tls13.get());
    TlsSettings noCa = clientSettings(QSsl::TlsV1_2);
    noCa.caCertificates.clear();
    BOOST_TEST(obtain(noCa).get() != tls12.get());
}

BOOST_AUTO_TEST_CASE(key_not_matching_certificate_is_rejected)
{
    const TlsSettings settings =
        serverSettings(QSsl::SecureProtocols, cert("leaf-chain.pem"), cert("selfsigned.key"));
    QString error;
    BOOST_TEST(!TlsContext::obtain(settings, &error));
    BOOST_TEST(!error.isEmpty());
}

BOOST_AUTO_TEST_CASE(null_or_unknown_cipher_is_rejected)
{
    const QSslCipher known(QStringLiteral("ECDHE-RSA-AES128-GCM-SHA256"));
    BOOST_TEST_REQUIRE(!known.isNull());
    TlsSettings settings = clientSettings();
    settings.ciphers = {known};
    obtain(settings); // the list is fine without the bad entry
    for (const QSslCipher &bad : {QSslCipher(), QSslCipher(QStringLiteral("NO-SUCH-CIPHER"))}) {
        settings.ciphers = {known, bad};
        QString error;
        BOOST_TEST(!TlsContext::obtain(settings, &error));
        BOOST_TEST(!error.isEmpty());
    }
}

BOOST_AUTO_TEST_CASE(sslv3_is_rejected)
{
    TlsSettings settings = clientSettings(QSsl::SslV3);
    QString error;
    BOOST_TEST(!TlsContext::obtain(settings, &error));
    BOOST_TEST(!error.isEmpty());
}

// --- malformed records after the handshake ------------------------------------------------

BOOST_AUTO_TEST_CASE(tls13_oversized_record_fails_cleanly)
{
    checkServerRejects(QSsl::TlsV1_3, oversizedRecord);
}

BOOST_AUTO_TEST_CASE(tls12_oversized_record_fails_cleanly)
{
    checkServerRejects(QSsl::TlsV1_2, oversizedRecord);
}

BOOST_AUTO_TEST_CASE(tls13_record_with_bad_mac_fails_cleanly)
{
    checkServerRejects(QSsl::TlsV1_3, flipLastByte);
}

BOOST_AUTO_TEST_CASE(tls12_record_with_bad_mac_fails_cleanly)
{
    checkServerRejects(QSsl::TlsV1_2, flipLastByte);
}

// --- SNI ----------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(server_sees_host_name_as_sni)
{
    establish(clientSettings(), serverSettings(), QStringLiteral("localhost"));
    BOOST_TEST(server.engine->requestedServerName() == QStringLiteral("localhost"));
}

BOOST_AUTO_TEST_CASE(disabled_sni_sends_none)
{
    start(clientSettings(), serverSettings(), QStringLiteral("localhost"));
    // start() already began the engine; begin a fresh one with SNI switched off.
    client.engine = std::make_unique<TlsEngine>(clientContext);
    client.engine->setServerNameIndication(false);
    BOOST_TEST_REQUIRE(client.engine->begin(QStringLiteral("localhost")));
    pump(client, server);
    BOOST_TEST_REQUIRE(client.established());
    BOOST_TEST(server.engine->requestedServerName() == QString());
    BOOST_TEST(client.engine->verifyFailures().isEmpty()); // the host is still checked
}

BOOST_AUTO_TEST_CASE(ip_literal_sends_no_sni)
{
    establish(clientSettings(), serverSettings(), QStringLiteral("127.0.0.1"));
    BOOST_TEST(server.engine->requestedServerName() == QString());
}

BOOST_AUTO_TEST_SUITE_END()
