// SPDX-License-Identifier: LGPL-3.0-or-later
#include "session_cache_p.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDataStream>
#include <QtCore/QMutexLocker>

#include "peer_name_p.h"
#include "tls_context_p.h"

namespace mailwire::detail {

QByteArray SessionCache::keyFor(const TlsSettings &settings, const PeerName &verificationName,
                                const QString &host, quint16 port)
{
    // Length-prefixed fields (QDataStream), so no two different tuples give the same bytes.
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << settings.cacheKey() << int(verificationName.kind) << verificationName.checked << host
        << port;
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

SessionCache::~SessionCache() { clear(); }

void SessionCache::store(const QByteArray &key, SSL_SESSION *session)
{
    if (key.isEmpty() || !session || !SSL_SESSION_is_resumable(session))
        return;
    SSL_SESSION_up_ref(session);
    QMutexLocker lock(&m_mutex);
    auto existing = m_sessions.find(key);
    if (existing != m_sessions.end()) {
        SSL_SESSION_free(existing.value());
        existing.value() = session;
        return;
    }
    // A client talks to few servers; a bound keeps a scanner from growing this forever.
    if (m_sessions.size() >= MaxEntries) {
        auto victim = m_sessions.begin();
        SSL_SESSION_free(victim.value());
        m_sessions.erase(victim);
    }
    m_sessions.insert(key, session);
}

SSL_SESSION *SessionCache::take(const QByteArray &key)
{
    QMutexLocker lock(&m_mutex);
    SSL_SESSION *session = m_sessions.value(key);
    if (!session)
        return nullptr;
    // TLS 1.3 tickets are single use (RFC 8446 §C.4): hand it out once and forget it; the
    // resumed connection brings a fresh ticket. TLS 1.2 sessions may be reused.
    if (SSL_SESSION_get_protocol_version(session) >= TLS1_3_VERSION) {
        m_sessions.remove(key);
        return session;
    }
    SSL_SESSION_up_ref(session);
    return session;
}

void SessionCache::clear()
{
    QMutexLocker lock(&m_mutex);
    for (SSL_SESSION *session : qAsConst(m_sessions))
        SSL_SESSION_free(session);
    m_sessions.clear();
}

int SessionCache::size() const
{
    QMutexLocker lock(&m_mutex);
    return m_sessions.size();
}

} // namespace mailwire::detail
