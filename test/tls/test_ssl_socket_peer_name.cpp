// SPDX-License-Identifier: LGPL-3.0-or-later
// The verification name of mailwire::SslSocket (peerVerifyName(), else the host name): a name
// that cannot be checked fails the connection before the ClientHello, with
// SslInvalidUserDataError and EncryptionFailure InvalidPeerVerifyName, and never switches the
// host check off (QUrl::toAce() answers "" for names it rejects, and OpenSSL takes "" as "check
// nothing"). The server side proves that nothing was sent: it accepted TCP and received 0
// bytes. Usable names (IDN, IPv4, IPv6, IPv6 with a zone id, absolute, upper case) are checked
// against a certificate that carries them and against one that does not.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <ostream>
#include <string>
#include <vector>

#include <QtCore/QStringList>
#include <QtNetwork/QSslConfiguration>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <mailwire/ssl_socket.h>

#include "client_hello_capture.h"
#include "socket_test_helpers.h"
#include "test_support.h"

namespace bdata = boost::unit_test::data;
using mailwire::SslSocket;
using namespace mailwire::test;

namespace {

const QString kLocalHost = QStringLiteral("127.0.0.1");

// ---- A leaf for names the fixture certificates do not carry ---------------------------------

QByteArray pemOf(int (*write)(BIO *, void *), void *object)
{
    BIO *bio = BIO_new(BIO_s_mem());
    write(bio, object);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, int(size));
    BIO_free(bio);
    return pem;
}

int writeCertificate(BIO *bio, void *x509)
{
    return PEM_write_bio_X509(bio, static_cast<X509 *>(x509));
}
int writeKey(BIO *bio, void *key)
{
    return PEM_write_bio_PrivateKey(bio, static_cast<EVP_PKEY *>(key), nullptr, nullptr, 0, nullptr,
                                    nullptr);
}

bool addExtension(X509 *leaf, X509V3_CTX *context, int nid, const char *value)
{
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, context, nid, value);
    const bool ok = extension && X509_add_ext(leaf, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return ok;
}

/// A P-256 server leaf signed by the fixture root (ca.pem, ca.key) with these SANs, valid
/// from an hour ago for a day. Made in memory: the fixture set has no IDN or IPv6 leaf.
TlsIdentity makeLeaf(const char *subjectAltNames)
{
    TlsIdentity identity;
    BIO *caCertificateFile = BIO_new_file(certPath(QStringLiteral("ca.pem")).toLocal8Bit(), "r");
    BIO *caKeyFile = BIO_new_file(certPath(QStringLiteral("ca.key")).toLocal8Bit(), "r");
    X509 *ca = caCertificateFile ? PEM_read_bio_X509(caCertificateFile, nullptr, nullptr, nullptr)
                                 : nullptr;
    EVP_PKEY *caKey =
        caKeyFile ? PEM_read_bio_PrivateKey(caKeyFile, nullptr, nullptr, nullptr) : nullptr;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *leaf = X509_new();
    bool ok = ca && caKey && key && leaf;
    if (ok) {
        X509_set_version(leaf, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(leaf),
                         long(QDateTime::currentMSecsSinceEpoch() & 0x7fffffff));
        X509_gmtime_adj(X509_getm_notBefore(leaf), -3600);
        X509_gmtime_adj(X509_getm_notAfter(leaf), 24 * 3600);
        X509_set_pubkey(leaf, key);
        X509_NAME_add_entry_by_txt(X509_get_subject_name(leaf), "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char *>("mailwire name test"),
                                   -1, -1, 0);
        X509_set_issuer_name(leaf, X509_get_subject_name(ca));
        X509V3_CTX context;
        X509V3_set_ctx_nodb(&context);
        X509V3_set_ctx(&context, ca, leaf, nullptr, nullptr, 0);
        ok = addExtension(leaf, &context, NID_subject_alt_name, subjectAltNames)
            && addExtension(leaf, &context, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(leaf, &context, NID_ext_key_usage, "serverAuth")
            && X509_sign(leaf, caKey, EVP_sha256()) > 0;
    }
    if (ok) {
        identity.chain = QSslCertificate::fromData(pemOf(writeCertificate, leaf), QSsl::Pem);
        identity.key = QSslKey(pemOf(writeKey, key), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    }
    X509_free(leaf);
    EVP_PKEY_free(key);
    EVP_PKEY_free(caKey);
    X509_free(ca);
    BIO_free(caKeyFile);
    BIO_free(caCertificateFile);
    return identity;
}

const TlsIdentity &namesLeaf()
{
    static const TlsIdentity identity =
        makeLeaf("DNS:xn--bcher-kva.example,IP:::1,IP:fe80::1,IP:127.0.0.1");
    return identity;
}

// ---- Outcome of one client connection --------------------------------------------------------

struct ClientOutcome
{
    bool encrypted = false;
    QList<QAbstractSocket::SocketError> errors;
    QList<QSslError> sslErrors;
    SslSocket::EncryptionFailure failure = SslSocket::NoEncryptionFailure;
    QString errorString;

    std::string describe() const
    {
        QStringList codes;
        for (const QSslError &error : sslErrors)
            codes << QString::number(int(error.error()));
        return QStringLiteral("encrypted=%1 errors=%2 failure=%3 sslErrors={%4} \"%5\"")
            .arg(encrypted)
            .arg(errors.isEmpty() ? -1 : int(errors.first()))
            .arg(int(failure))
            .arg(codes.join(QLatin1Char(',')), errorString)
            .toStdString();
    }
    bool hasSslError(QSslError::SslError code) const
    {
        for (const QSslError &error : sslErrors) {
            if (error.error() == code)
                return true;
        }
        return false;
    }
};

/// Connects a client trusting the fixture CA to 127.0.0.1:port with this verification name
/// and waits until it is encrypted or failed.
ClientOutcome connectWithName(quint16 port, const QString &name,
                              SslSocket::PeerVerifyMode mode = SslSocket::AutoVerifyPeer)
{
    SslSocket client;
    trustFixtureCa(client);
    client.setPeerVerifyMode(mode);
    ClientOutcome outcome;
    QObject::connect(&client, &SslSocket::encrypted, [&] { outcome.encrypted = true; });
    QObject::connect(&client, &QAbstractSocket::errorOccurred,
                     [&](QAbstractSocket::SocketError error) { outcome.errors << error; });
    client.setPeerVerifyName(name);
    client.connectToHostEncrypted(kLocalHost, port);
    BOOST_TEST(waitUntil([&] { return outcome.encrypted || !outcome.errors.isEmpty(); }),
               "the client neither encrypted nor failed: " << socketSummary(client));
    outcome.sslErrors = client.sslErrors();
    outcome.failure = client.encryptionFailure();
    outcome.errorString = client.errorString();
    return outcome;
}

/// The refusal every unusable name gets: the distinct error, no TLS, and a server that
/// accepted the TCP connection and saw it closed without receiving a single byte.
void checkRefusedBeforeClientHello(const ClientOutcome &outcome, const CaptureServer &server,
                                   int connection)
{
    BOOST_TEST(!outcome.encrypted, outcome.describe());
    BOOST_TEST(outcome.errors
                   == QList<QAbstractSocket::SocketError>{QAbstractSocket::SslInvalidUserDataError},
               outcome.describe());
    BOOST_TEST(outcome.failure == SslSocket::InvalidPeerVerifyName, outcome.describe());
    BOOST_TEST(outcome.errorString.contains(QLatin1String("verif"), Qt::CaseInsensitive),
               outcome.describe());
    BOOST_TEST_REQUIRE(int(server.connections().size()) > connection);
    const QByteArray received = server.connections()[size_t(connection)].received;
    BOOST_TEST(received.isEmpty(),
               "the server received " << received.size()
                                      << " bytes: " << received.left(16).toHex(' ').toStdString());
}

struct NameCase
{
    const char *label;
    QString name;
};

std::ostream &operator<<(std::ostream &out, const NameCase &c) { return out << c.label; }

const std::vector<NameCase> kUnusableNames = {
    {"spaces", QStringLiteral("   ")},
    {"trailing space", QStringLiteral("localhost ")},
    {"leading space", QStringLiteral(" localhost")},
    {"space inside", QStringLiteral("local host")},
    {"label starting with hyphen", QStringLiteral("-a.example")},
    {"label ending with hyphen", QStringLiteral("a-.example")},
    {"empty label", QStringLiteral("a..b")},
    {"two trailing dots", QStringLiteral("localhost..")},
    {"embedded NUL", QStringLiteral("localhost") + QChar(0) + QStringLiteral(".evil.example")},
    {"64-byte label", QString(64, QLatin1Char('a')) + QStringLiteral(".example")},
    {"254-byte name",
     (QString(62, QLatin1Char('a')) + QLatin1Char('.')).repeated(4) + QStringLiteral("ab")},
    {"wildcard", QStringLiteral("*.example.org")},
    {"numeric last label", QStringLiteral("1.2.3.4.5")},
    {"bracketed IPv6", QStringLiteral("[::1]")},
    {"control character", QStringLiteral("local\x01host")},
};

} // namespace

BOOST_AUTO_TEST_SUITE(ssl_socket_peer_name)

BOOST_DATA_TEST_CASE(unusable_name_fails_before_the_client_hello, bdata::make(kUnusableNames),
                     nameCase)
{
    CaptureServer server;
    BOOST_REQUIRE(server.isListening());
    // VerifyNone too: it reports a mismatch like QSslSocket, so it must check the name asked.
    const std::vector<SslSocket::PeerVerifyMode> modes = {
        SslSocket::AutoVerifyPeer, SslSocket::VerifyPeer, SslSocket::QueryPeer,
        SslSocket::VerifyNone};
    for (size_t i = 0; i < modes.size(); ++i) {
        BOOST_TEST_CONTEXT("verify mode " << int(modes[i]))
        {
            const ClientOutcome outcome = connectWithName(server.port(), nameCase.name, modes[i]);
            BOOST_TEST(server.waitForClosed(int(i)), "the client did not close the connection");
            checkRefusedBeforeClientHello(outcome, server, int(i));
        }
    }
}

BOOST_DATA_TEST_CASE(unusable_name_fails_a_starttls_upgrade_before_the_client_hello,
                     bdata::make(kUnusableNames), nameCase)
{
    CaptureServer server;
    BOOST_REQUIRE(server.isListening());
    SslSocket client;
    trustFixtureCa(client);
    client.setPeerVerifyName(nameCase.name);
    client.connectToHost(kLocalHost, server.port());
    BOOST_REQUIRE(client.waitForConnected(10000));
    ClientOutcome outcome;
    QObject::connect(&client, &QAbstractSocket::errorOccurred,
                     [&](QAbstractSocket::SocketError error) { outcome.errors << error; });
    client.startClientEncryption();
    outcome.failure = client.encryptionFailure();
    outcome.errorString = client.errorString();
    BOOST_TEST(client.state() == QAbstractSocket::UnconnectedState, socketSummary(client));
    BOOST_TEST(server.waitForClosed(0));
    checkRefusedBeforeClientHello(outcome, server, 0);
}

BOOST_AUTO_TEST_CASE(empty_name_means_the_host_name)
{
    // connectToHostEncrypted(host, port, "") and setPeerVerifyName("") keep the host name
    // (127.0.0.1, which the fixture leaf carries as an IP SAN).
    LoopbackServer server(ServerSocketKind::Qt);
    BOOST_REQUIRE(server.isListening());
    const ClientOutcome outcome = connectWithName(server.port(), QString());
    BOOST_TEST(outcome.encrypted, outcome.describe());
    BOOST_TEST(outcome.sslErrors.isEmpty(), outcome.describe());
}

BOOST_AUTO_TEST_CASE(no_host_and_no_name_fails_before_the_client_hello)
{
    // A socket from setSocketDescriptor() has no host name; without a verify name there is
    // nothing to check the certificate against.
    CaptureServer server;
    BOOST_REQUIRE(server.isListening());
    for (const SslSocket::PeerVerifyMode mode :
         {SslSocket::AutoVerifyPeer, SslSocket::VerifyNone}) {
        BOOST_TEST_CONTEXT("verify mode " << int(mode))
        {
            const int index = int(server.connections().size());
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            BOOST_REQUIRE(fd >= 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(server.port());
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address)
                          == 0);

            SslSocket client;
            trustFixtureCa(client);
            client.setPeerVerifyMode(mode);
            BOOST_REQUIRE(client.setSocketDescriptor(fd));
            BOOST_REQUIRE(client.peerName().isEmpty());
            client.startClientEncryption();
            if (mode == SslSocket::VerifyNone) {
                // Nothing is verified, so nothing is missing: the ClientHello goes out, no SNI.
                const ClientHelloInfo hello = server.waitForClientHello(index);
                BOOST_TEST(hello.complete);
                BOOST_TEST(!hello.hasServerName);
                BOOST_TEST(client.encryptionFailure() == SslSocket::NoEncryptionFailure);
            } else {
                ClientOutcome outcome;
                outcome.errors << client.error();
                outcome.failure = client.encryptionFailure();
                outcome.errorString = client.errorString();
                BOOST_TEST(server.waitForClosed(index));
                checkRefusedBeforeClientHello(outcome, server, index);
            }
        }
    }
}

struct UsableName
{
    const char *label;
    QString name;
    QByteArray serverName; ///< SNI expected; empty = none
};

std::ostream &operator<<(std::ostream &out, const UsableName &c) { return out << c.label; }

const std::vector<UsableName> kUsableNames = {
    {"IDN", QStringLiteral("b\u00fccher.example"), "xn--bcher-kva.example"},
    {"IDN in ACE form", QStringLiteral("xn--bcher-kva.example"), "xn--bcher-kva.example"},
    {"IDN, upper case, absolute", QStringLiteral("B\u00dcCHER.example."), "xn--bcher-kva.example"},
    {"IPv4", QStringLiteral("127.0.0.1"), QByteArray()},
    {"IPv6", QStringLiteral("::1"), QByteArray()},
    {"IPv6, long form", QStringLiteral("0:0:0:0:0:0:0:1"), QByteArray()},
    {"IPv6 with zone id", QStringLiteral("fe80::1%eth0"), QByteArray()},
};

BOOST_DATA_TEST_CASE(usable_name_verifies_against_a_certificate_that_carries_it,
                     bdata::make(kUsableNames), nameCase)
{
    BOOST_REQUIRE_MESSAGE(namesLeaf().isValid(), "could not make the test leaf");
    LoopbackServer server(ServerSocketKind::Qt, true, namesLeaf());
    BOOST_REQUIRE(server.isListening());
    const ClientOutcome outcome = connectWithName(server.port(), nameCase.name);
    BOOST_TEST(outcome.encrypted, outcome.describe());
    BOOST_TEST(outcome.sslErrors.isEmpty(), outcome.describe());
}

BOOST_DATA_TEST_CASE(usable_name_is_checked_not_switched_off, bdata::make(kUsableNames), nameCase)
{
    // The fixture leaf carries localhost, 127.0.0.1 and example.org only.
    if (nameCase.name == QLatin1String("127.0.0.1"))
        return; // it is on the fixture leaf
    LoopbackServer server(ServerSocketKind::Qt);
    BOOST_REQUIRE(server.isListening());
    const ClientOutcome outcome = connectWithName(server.port(), nameCase.name);
    BOOST_TEST(!outcome.encrypted, outcome.describe());
    BOOST_TEST(outcome.hasSslError(QSslError::HostNameMismatch), outcome.describe());
    BOOST_TEST(outcome.failure == SslSocket::PeerVerificationFailed, outcome.describe());
}

BOOST_DATA_TEST_CASE(usable_name_sends_the_expected_sni, bdata::make(kUsableNames), nameCase)
{
    CaptureServer server;
    BOOST_REQUIRE(server.isListening());
    SslSocket client;
    trustFixtureCa(client);
    client.connectToHostEncrypted(kLocalHost, server.port(), nameCase.name);
    const ClientHelloInfo hello = server.waitForClientHello();
    BOOST_TEST_REQUIRE(hello.complete);
    BOOST_TEST(hello.hasServerName == !nameCase.serverName.isEmpty());
    BOOST_TEST(hello.serverName.toStdString() == nameCase.serverName.toStdString());
}

BOOST_AUTO_TEST_SUITE_END()
