// SPDX-License-Identifier: LGPL-3.0-or-later
// The sections of tls_bench and what they share: options, printing, targets, peer runs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bench_common.h"

namespace bench {

/// Command-line options (see tls_bench.cpp); the last group is for the peer roles only.
struct Options
{
    std::uint64_t sizeMiB = 1024;
    int handshakes = 500;
    std::string only;
    int repeat = 1;
    int memoryIntervalMs = 2;
    std::int64_t readBufferSize = 1024 * 1024;
    std::string certsDir;
    std::string client; ///< only this client's rows (lower case name prefix), no targets
    std::string kind;   ///< handshakes: only "full" or only "resumed" rows, no targets

    std::string role;
    std::string impl;
    std::uint64_t bytes = 0;
    bool readAhead = false;

    std::uint64_t sizeBytes() const { return sizeMiB * kMiB; }
    bool wants(const char *section) const { return only.empty() || only == section; }
    /// Whether rows of the client called `name` run (--client filters them, for profiling).
    bool runs(const std::string &name) const;
};

/// printf to stdout, flushed (progress stays visible when piped).
void say(const char *format, ...) __attribute__((format(printf, 1, 2)));

/// Records and prints "target: <what>  ratio r (<= or >= limit)  PASS|MISS".
void target(const std::string &what, double ratio, double limit, bool atMost);
/// Records a target that could not be measured (a MISS).
void targetUnavailable(const std::string &what, const std::string &why);
/// Makes target() and targetUnavailable() do nothing (some rows were filtered out).
void suppressTargets();
/// Counts a run that failed (the exit status says so).
void runFailed();
/// Prints every recorded target again; returns the number of failed runs.
int printSummary();

/// One measured side and its peer's report.
struct BulkPair
{
    BulkResult self;
    BulkResult peer;
};

/// Starts a peer role that prints "PORT n", runs client(port), collects the peer's RESULT.
BulkPair runAgainstPeer(const std::vector<std::string> &peerArgs,
                        const std::function<BulkResult(int)> &client);

void warmUp(const Options &o);
void receiveSection(const Options &o);
void sendSection(const Options &o);
void handshakeSection(const Options &o);
void memorySection(const Options &o);
/// The mem-receiver role (a fresh process, so its peak RSS is this download's alone).
int runMemoryReceiver(const Options &o);

} // namespace bench
