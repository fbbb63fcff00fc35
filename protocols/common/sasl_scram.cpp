// SPDX-License-Identifier: LGPL-3.0-or-later
#include "sasl_scram_p.h"

#include <limits>

#include <QtCore/QList>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "sasl_prep_p.h"

namespace mailwire::detail {

namespace {

using Step = SaslMechanism::Step;

const EVP_MD *digestFor(ScramMechanism::Hash hash)
{
    return hash == ScramMechanism::Hash::Sha256 ? EVP_sha256() : EVP_sha1();
}

QByteArray hmac(const EVP_MD *md, const QByteArray &key, const QByteArray &data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(md, key.constData(), key.size(),
              reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()), out,
              &length))
        return QByteArray();
    return QByteArray(reinterpret_cast<const char *>(out), int(length));
}

QByteArray digest(const EVP_MD *md, const QByteArray &data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!EVP_Digest(data.constData(), size_t(data.size()), out, &length, md, nullptr))
        return QByteArray();
    return QByteArray(reinterpret_cast<const char *>(out), int(length));
}

// RFC 5802 §7: printable = %x21-2B / %x2D-7E (printable ASCII except ',').
bool isPrintableNonce(const QByteArray &nonce)
{
    for (const char ch : nonce) {
        if (ch < 0x21 || ch > 0x7E || ch == ',')
            return false;
    }
    return !nonce.isEmpty();
}

QByteArray randomNonce()
{
    unsigned char bytes[24];
    if (RAND_bytes(bytes, int(sizeof bytes)) != 1)
        return QByteArray();
    // Base64 uses only printable characters and never ','.
    return QByteArray(reinterpret_cast<const char *>(bytes), int(sizeof bytes)).toBase64();
}

// Wipes secrets held in byte arrays once they are no longer needed.
void wipe(QByteArray &secret)
{
    if (!secret.isEmpty())
        OPENSSL_cleanse(secret.data(), size_t(secret.size()));
    secret.clear();
}

Step protocolError(const QString &what)
{
    return Step::abort(Error::Code::ProtocolError, QStringLiteral("SCRAM: ") + what);
}

} // namespace

QByteArray scramEscapeName(const QByteArray &utf8)
{
    QByteArray out = utf8;
    out.replace('=', "=3D");
    out.replace(',', "=2C");
    return out;
}

ScramMechanism::ScramMechanism(Hash hash, const Credentials &c, int maxIterations,
                               const QByteArray &clientNonce)
    : m_hash(hash), m_maxIterations(maxIterations),
      m_clientNonce(clientNonce.isEmpty() ? randomNonce() : clientNonce)
{
    // RFC 5802 §5.1: the user name and the password are prepared with SASLprep; a failure
    // or an empty result ends the exchange before it starts.
    QByteArray user;
    QByteArray authzid;
    QString why;
    if (!saslPrep(c.user, &user, &why) || user.isEmpty())
        rejectCredentials(QStringLiteral("SCRAM: unusable user name: %1").arg(why));
    if (!saslPrep(c.password, &m_password, &why) || m_password.isEmpty())
        rejectCredentials(QStringLiteral("SCRAM: unusable password: %1").arg(why));
    if (!saslPrep(c.authorizationId, &authzid, &why))
        rejectCredentials(QStringLiteral("SCRAM: unusable authorization id: %1").arg(why));
    if (!isPrintableNonce(m_clientNonce))
        rejectCredentials(QStringLiteral("SCRAM: the client nonce is not printable ASCII"));

    // gs2-header = "n" (no channel binding) "," [ "a=" saslname ] ",".
    m_gs2Header = "n," + (authzid.isEmpty() ? QByteArray() : "a=" + scramEscapeName(authzid)) + ',';
    m_clientFirstBare = "n=" + scramEscapeName(user) + ",r=" + m_clientNonce;
}

ScramMechanism::~ScramMechanism() { wipe(m_password); }

QString ScramMechanism::name() const
{
    return m_hash == Hash::Sha256 ? QStringLiteral("SCRAM-SHA-256") : QStringLiteral("SCRAM-SHA-1");
}

QByteArray ScramMechanism::makeInitialResponse() { return m_gs2Header + m_clientFirstBare; }

SaslMechanism::Step ScramMechanism::onChallenge(const QByteArray &challenge)
{
    switch (m_state) {
    case State::AwaitingServerFirst: return handleServerFirst(challenge);
    case State::AwaitingServerFinal: return handleServerFinal(challenge);
    case State::Verified: break;
    }
    return protocolError(QStringLiteral("challenge after server-final-message"));
}

SaslMechanism::Step ScramMechanism::handleServerFirst(const QByteArray &message)
{
    // RFC 5802 §7: server-first-message = [reserved-mext ","] nonce "," salt ","
    //                                      iteration-count ["," extensions]
    const QList<QByteArray> attributes = message.split(',');
    if (!attributes.isEmpty() && attributes.first().startsWith("m="))
        return protocolError(QStringLiteral("the server requires an unsupported extension"));
    if (attributes.size() < 3 || !attributes.at(0).startsWith("r=")
        || !attributes.at(1).startsWith("s=") || !attributes.at(2).startsWith("i="))
        return protocolError(QStringLiteral("malformed server-first-message"));

    const QByteArray nonce = attributes.at(0).mid(2);
    // §5.1: the server's nonce extends ours; otherwise this is not our exchange (replay).
    if (!nonce.startsWith(m_clientNonce) || nonce.size() <= m_clientNonce.size()
        || !isPrintableNonce(nonce))
        return Step::abort(
            Error::Code::AuthenticationFailed,
            QStringLiteral("SCRAM: the server nonce does not extend the client nonce"));

    QByteArray salt;
    if (!saslDecode(attributes.at(1).mid(2), &salt) || salt.isEmpty())
        return protocolError(QStringLiteral("malformed salt"));

    QByteArray count = attributes.at(2).mid(2);
    bool numeric = !count.isEmpty();
    for (const char ch : count)
        numeric = numeric && ch >= '0' && ch <= '9';
    if (!numeric)
        return protocolError(QStringLiteral("malformed iteration count"));
    while (count.size() > 1 && count.startsWith('0'))
        count.remove(0, 1);
    // More than 18 digits cannot be parsed into 64 bits, and is far beyond any limit anyway.
    const qint64 iterations =
        count.size() > 18 ? std::numeric_limits<qint64>::max() : count.toLongLong();
    if (iterations < 1)
        return protocolError(QStringLiteral("iteration count must be positive"));
    if (iterations > m_maxIterations) {
        return Step::abort(Error::Code::LimitExceeded,
                           QStringLiteral("SCRAM: the server asks for %1 iterations, more than "
                                          "the limit of %2")
                               .arg(QString::fromLatin1(count.left(24)))
                               .arg(m_maxIterations));
    }

    // RFC 5802 §3: SaltedPassword := Hi(Normalize(password), salt, i) (PBKDF2-HMAC),
    // ClientKey := HMAC(SaltedPassword, "Client Key"), StoredKey := H(ClientKey),
    // AuthMessage := client-first-bare "," server-first "," client-final-without-proof,
    // ClientProof := ClientKey XOR HMAC(StoredKey, AuthMessage),
    // ServerSignature := HMAC(HMAC(SaltedPassword, "Server Key"), AuthMessage).
    const EVP_MD *md = digestFor(m_hash);
    QByteArray salted(EVP_MD_get_size(md), '\0');
    if (!PKCS5_PBKDF2_HMAC(m_password.constData(), m_password.size(),
                           reinterpret_cast<const unsigned char *>(salt.constData()), salt.size(),
                           int(iterations), md, salted.size(),
                           reinterpret_cast<unsigned char *>(salted.data())))
        return Step::abort(Error::Code::AuthenticationFailed,
                           QStringLiteral("SCRAM: key derivation failed"));
    wipe(m_password); // not needed again

    const QByteArray withoutProof = "c=" + m_gs2Header.toBase64() + ",r=" + nonce;
    const QByteArray authMessage = m_clientFirstBare + ',' + message + ',' + withoutProof;
    QByteArray clientKey = hmac(md, salted, QByteArrayLiteral("Client Key"));
    const QByteArray clientSignature = hmac(md, digest(md, clientKey), authMessage);
    QByteArray serverKey = hmac(md, salted, QByteArrayLiteral("Server Key"));
    m_serverSignature = hmac(md, serverKey, authMessage);
    wipe(salted);
    wipe(serverKey);
    if (clientKey.isEmpty() || clientSignature.size() != clientKey.size()
        || m_serverSignature.isEmpty())
        return Step::abort(Error::Code::AuthenticationFailed,
                           QStringLiteral("SCRAM: HMAC computation failed"));

    QByteArray proof = clientKey;
    for (int i = 0; i < proof.size(); ++i)
        proof[i] = char(proof.at(i) ^ clientSignature.at(i));
    wipe(clientKey);

    m_state = State::AwaitingServerFinal;
    return Step::send(withoutProof + ",p=" + proof.toBase64());
}

SaslMechanism::Step ScramMechanism::handleServerFinal(const QByteArray &message)
{
    // RFC 5802 §7: server-final-message = (server-error / verifier) ["," extensions]
    const QByteArray first = message.split(',').first();
    if (first.startsWith("e=")) {
        return Step::abort(Error::Code::AuthenticationFailed,
                           QStringLiteral("SCRAM: the server reported \"%1\"")
                               .arg(QString::fromUtf8(first.mid(2).left(100))));
    }
    QByteArray signature;
    if (!first.startsWith("v=") || !saslDecode(first.mid(2), &signature))
        return protocolError(QStringLiteral("malformed server-final-message"));
    // Constant-time comparison: the signature is a MAC.
    if (signature.size() != m_serverSignature.size()
        || CRYPTO_memcmp(signature.constData(), m_serverSignature.constData(),
                         size_t(signature.size()))
            != 0) {
        return Step::abort(Error::Code::AuthenticationFailed,
                           QStringLiteral("SCRAM: the server's signature is wrong; it may not be "
                                          "the server it claims to be"));
    }
    m_state = State::Verified;
    // RFC 5802 §5: the client answers the server-final challenge with an empty response
    // where the protocol carries it as a challenge (IMAP, SMTP and POP3 all do).
    return Step::send(QByteArray());
}

SaslMechanism::Step ScramMechanism::onSuccess(const QByteArray &additionalData)
{
    // RFC 4422 §3.6: server-final may also arrive as additional data with success.
    if (m_state == State::AwaitingServerFinal && !additionalData.isEmpty()) {
        Step step = handleServerFinal(additionalData);
        if (step.status != Step::Status::Continue)
            return step;
    }
    if (m_state != State::Verified) {
        return Step::abort(Error::Code::AuthenticationFailed,
                           QStringLiteral("SCRAM: the server reported success without proving "
                                          "it knows the password"));
    }
    return Step::done();
}

} // namespace mailwire::detail
