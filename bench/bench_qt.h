// SPDX-License-Identifier: LGPL-3.0-or-later
// The event-loop clients of tls_bench: one code path, instantiated for mailwire::SslSocket
// (bench_qt_sslsocket.cpp) and for QSslSocket (bench_qt_qsslsocket.cpp).
#pragma once

#include <cstdint>

#include "bench_common.h"

namespace bench {

struct QtClient
{
    const char *name;
    /// Connects to 127.0.0.1:port, verifies "localhost" against ca.pem, reads `bytes` in
    /// 64 KiB reads on readyRead.
    BulkResult (*receive)(int port, std::uint64_t bytes);
    /// Connects, writes `bytes` in 64 KiB writes (refilling on bytesWritten while less than
    /// kSendWindow is queued), then waits for the receiver's one-byte acknowledgement.
    BulkResult (*send)(int port, std::uint64_t bytes);
    /// `count` sequential connections (after one warm-up), each: handshake, read the server's
    /// byte, disconnect. With resume, the TLS 1.3 ticket of each is used by the next.
    HandshakeResult (*handshakes)(int port, int count, bool resume);
    /// setReadBufferSize(readBufferSize), then one 64 KiB read every intervalMs; the baseline
    /// RSS is taken at encrypted(), the peak (VmHWM, reset then) at the end.
    MemoryResult (*slowReceive)(int port, std::uint64_t bytes, std::int64_t readBufferSize,
                                int intervalMs);
};

const QtClient &sslSocketClient();
const QtClient &qSslSocketClient();

} // namespace bench
