// SPDX-License-Identifier: LGPL-3.0-or-later
// The blocking OpenSSL side of tls_bench: server roles run in their own process, client
// functions run in the measuring process.
#pragma once

#include <cstdint>
#include <string>

#include "bench_common.h"

namespace bench {

enum class KeyType {
    Rsa,
    Ecdsa
};

/// Server roles, each run as `tls_bench --role NAME ...` in its own process. Each prints
/// "PORT n" (or "PORTS ...") once listening on 127.0.0.1 and "RESULT key=value ..." at the
/// end, and returns the process exit code.
///  openssl-send-server  accepts one client, sends `bytes`, waits for its close.
///  openssl-recv-server  accepts one client, receives `bytes`, answers one byte, waits for
///                       its close.
///  openssl-hs-server    four ports (rsa/ecdsa × full/resume; the full ports send no tickets),
///                       per connection: handshake, 1 byte ('R' resumed, 'F' full), close_notify.
///                       "STAT" on stdin prints "STAT cpu_us=.. handshakes=.. resumed=..";
///                       EOF on stdin ends it.
int runOpenSslSendServer(std::uint64_t bytes, bool readAhead);
int runOpenSslRecvServer(std::uint64_t bytes, bool readAhead);
int runOpenSslHandshakeServer();

/// Blocking OpenSSL clients in this process (they verify ca.pem and the name "localhost").
BulkResult opensslReceive(int port, std::uint64_t bytes, bool readAhead);
BulkResult opensslSend(int port, std::uint64_t bytes);
HandshakeResult opensslHandshakes(int port, int count, bool resume);

} // namespace bench
