// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QString>

#include "openssl_ptr_p.h"

namespace mailwire::detail {

struct PeerName;
struct TlsSettings;

/// Client sessions (TLS 1.3 tickets and TLS 1.2 sessions) of one TlsContext, each stored
/// only after a verification without any error (TlsEngine::decideResumption()).
/// Thread-safe: sockets in different threads may share a context.
class SessionCache
{
public:
    /// The key a client session is stored and looked up under. A resumed handshake verifies
    /// nothing, so the key carries everything that decided the verification it skips: the
    /// context settings (trusted CAs and whether the system store is used, verify mode and
    /// depth, protocol, ciphers, local identity: TlsSettings::cacheKey()), the checked
    /// verification name, and the host and port connected to.
    static QByteArray keyFor(const TlsSettings &settings, const PeerName &verificationName,
                             const QString &host, quint16 port);

    SessionCache() = default;
    ~SessionCache();
    SessionCache(const SessionCache &) = delete;
    SessionCache &operator=(const SessionCache &) = delete;

    /// Keeps a reference to session under key, replacing an older one.
    void store(const QByteArray &key, SSL_SESSION *session);
    /// A new reference to the session under key, or null. The caller frees it.
    SSL_SESSION *take(const QByteArray &key);
    void clear();
    int size() const;

private:
    static constexpr int MaxEntries = 256;
    mutable QMutex m_mutex;
    QHash<QByteArray, SSL_SESSION *> m_sessions; // each holds one reference
};

} // namespace mailwire::detail
