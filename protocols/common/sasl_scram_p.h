// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>

#include "sasl_p.h"

namespace mailwire::detail {

/// SCRAM-SHA-256 (RFC 7677) and SCRAM-SHA-1 (RFC 5802) without channel binding (GS2 flag
/// "n"; the -PLUS variants are not offered). The server's signature in server-final is
/// verified; a success without it, or with a wrong one, is refused, so a server that does
/// not know the password cannot pass as one that does.
///
/// Names and password go through saslPrep() (sasl_prep_p.h). The server's iteration count
/// is bounded (Limits::maxScramIterations) because PBKDF2 runs on the client's CPU.
class ScramMechanism final : public SaslMechanism
{
public:
    enum class Hash {
        Sha1,
        Sha256
    };

    /// clientNonce is for tests (RFC test vectors); empty means 24 random bytes from
    /// OpenSSL's CSPRNG, base64-encoded. A given nonce must be printable ASCII without ','
    /// (RFC 5802 §7, "printable").
    ScramMechanism(Hash hash, const Credentials &credentials,
                   int maxIterations = Limits().maxScramIterations,
                   const QByteArray &clientNonce = QByteArray());
    ~ScramMechanism() override;
    ScramMechanism(const ScramMechanism &) = delete;
    ScramMechanism &operator=(const ScramMechanism &) = delete;

    QString name() const override;
    bool hasInitialResponse() const override { return true; }
    bool serverVerified() const override { return m_state == State::Verified; }

protected:
    QByteArray makeInitialResponse() override;
    Step onChallenge(const QByteArray &challenge) override;
    Step onSuccess(const QByteArray &additionalData) override;

private:
    enum class State {
        AwaitingServerFirst,
        AwaitingServerFinal,
        Verified
    };

    Step handleServerFirst(const QByteArray &message);
    Step handleServerFinal(const QByteArray &message);

    Hash m_hash;
    State m_state = State::AwaitingServerFirst;
    int m_maxIterations;
    QByteArray m_password;  // SASLprep'd UTF-8
    QByteArray m_gs2Header; // "n,," or "n,a=authzid,"
    QByteArray m_clientNonce;
    QByteArray m_clientFirstBare; // "n=user,r=nonce"
    QByteArray m_serverSignature; // expected in server-final
};

/// RFC 5802 §5.1 saslname: "=" becomes "=3D" and "," becomes "=2C" (also used by the GS2
/// header of OAUTHBEARER, RFC 7628 §3.1 / RFC 5801 §4).
QByteArray scramEscapeName(const QByteArray &utf8);

} // namespace mailwire::detail
