// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QMutex>

#include "openssl_ptr_p.h"

namespace mailwire::detail {

/// Client sessions (TLS 1.3 tickets and TLS 1.2 sessions) kept per host and port, for one
/// TlsContext. The context is already one configuration, so the key need not repeat it.
/// Thread-safe: sockets in different threads may share a context.
class SessionCache
{
public:
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
    QHash<QByteArray, SSL_SESSION *> m_sessions;  // each holds one reference
};

} // namespace mailwire::detail
