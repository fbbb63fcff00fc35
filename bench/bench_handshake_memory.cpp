// SPDX-License-Identifier: LGPL-3.0-or-later
// The handshake and memory sections.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "bench_openssl_peer.h"
#include "bench_qt.h"
#include "bench_sections.h"

namespace bench {

// --- handshakes --------------------------------------------------------------------------------

namespace {

double serverCpu(Child *server)
{
    std::string line;
    if (!server->writeLine("STAT") || !server->readLineStartingWith("STAT ", &line, 10000))
        return 0;
    return fieldDouble(parseFields(line), "cpu");
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values[values.size() / 2];
}

/// The median rate and the median client CPU of several runs (each may come from another
/// run); resumed is the smallest count seen.
HandshakeResult medianOf(const std::vector<HandshakeResult> &runs)
{
    std::vector<double> rates, cpus;
    HandshakeResult m = runs.front();
    for (const HandshakeResult &r : runs) {
        rates.push_back(r.perSecond());
        cpus.push_back(r.cpuMsEach());
        m.resumed = std::min(m.resumed, r.resumed);
    }
    m.cpuSeconds = median(cpus) * m.count / 1000.0;
    m.wallSeconds = m.count / median(rates);
    return m;
}

} // namespace

void handshakeSection(const Options &o)
{
    say("\n== handshakes: %d sequential connections per row against one blocking OpenSSL server "
        "(own process) ==\n",
        o.handshakes);
    Child server;
    std::string error, line;
    if (!server.start({"--role", "openssl-hs-server"}, &error)
        || !server.readLineStartingWith("PORTS ", &line, 10000)) {
        runFailed();
        say("handshake server did not start: %s\n", error.c_str());
        return;
    }
    const auto ports = parseFields(line);

    struct Client
    {
        const char *name;
        std::function<HandshakeResult(int, int, bool)> run;
    };
    const Client clients[] = {
        {"SslSocket", sslSocketClient().handshakes},
        {"QSslSocket", qSslSocketClient().handshakes},
        {"openssl", opensslHandshakes},
    };
    const struct
    {
        const char *label;
        const char *port;
    } keys[] = {{"P-256", "ecdsa"}, {"RSA-2048", "rsa"}};
    for (const auto &key : keys) {
        std::vector<HandshakeResult> runs[3][2]; // [client][resume], one per repetition
        std::vector<double> serverMs[3][2];
        for (int rep = 0; rep < o.repeat; ++rep) {
            for (int ci = 0; ci < 3; ++ci) {
                if (!o.runs(clients[ci].name))
                    continue;
                for (int resume = 0; resume < 2; ++resume) {
                    if (!o.kind.empty() && o.kind != (resume ? "resumed" : "full"))
                        continue;
                    const int port = std::atoi(
                        ports.at(std::string(key.port) + (resume ? "_resume" : "_full")).c_str());
                    const double server0 = serverCpu(&server);
                    const HandshakeResult r = clients[ci].run(port, o.handshakes, resume != 0);
                    const double ms = (serverCpu(&server) - server0) * 1000.0 / (o.handshakes + 1);
                    if (!r.ok) {
                        runFailed();
                        say("handshake %-8s %-7s %-10s FAILED: %s\n", key.label,
                            resume ? "resumed" : "full", clients[ci].name, r.error.c_str());
                        continue;
                    }
                    runs[ci][resume].push_back(r);
                    serverMs[ci][resume].push_back(ms);
                    if (o.repeat > 1)
                        say("  (run %d) %-8s %-7s %-10s %6.0f /s   client %6.3f ms CPU each\n",
                            rep + 1, key.label, resume ? "resumed" : "full", clients[ci].name,
                            r.perSecond(), r.cpuMsEach());
                }
            }
        }
        HandshakeResult results[3][2];
        for (int ci = 0; ci < 3; ++ci) {
            for (int resume = 0; resume < 2; ++resume) {
                if (runs[ci][resume].empty())
                    continue;
                const HandshakeResult &r = results[ci][resume] = medianOf(runs[ci][resume]);
                say("handshake %-8s %-7s %-10s %6.0f /s   client %6.3f ms CPU each   | server "
                    "%6.3f ms CPU each   (%d of %d resumed)\n",
                    key.label, resume ? "resumed" : "full", clients[ci].name, r.perSecond(),
                    r.cpuMsEach(), median(serverMs[ci][resume]), r.resumed, r.count);
            }
        }
        const HandshakeResult &mwFull = results[0][0], &qsFull = results[1][0];
        const HandshakeResult &mwResumed = results[0][1], &qsResumed = results[1][1];
        const std::string k = key.label;
        if (mwFull.ok && qsFull.ok)
            target(k + " client CPU/full handshake: SslSocket <= 0.7 x QSslSocket",
                   mwFull.cpuMsEach() / qsFull.cpuMsEach(), 0.7, true);
        else
            targetUnavailable(k + " client CPU/full handshake", "a run failed");
        if (mwFull.ok && mwResumed.ok && mwResumed.resumed == mwResumed.count)
            target(k + " resumed/s >= 2 x full/s (SslSocket)",
                   mwResumed.perSecond() / mwFull.perSecond(), 2.0, false);
        else
            targetUnavailable(k + " resumed/s >= 2 x full/s (SslSocket)",
                              mwResumed.ok ? std::to_string(mwResumed.resumed) + " of "
                                      + std::to_string(mwResumed.count) + " resumed"
                                           : "the run failed");
        if (qsResumed.ok && qsResumed.resumed == 0)
            say("  QSslSocket resumption: n/a (no connection resumed)\n");
        else if (qsResumed.ok && qsFull.ok)
            say("  (informative) QSslSocket resumed/full rate %.2f\n",
                qsResumed.perSecond() / qsFull.perSecond());
        if (qsResumed.ok && mwResumed.ok)
            say("  (informative) client CPU per resumed handshake, SslSocket / QSslSocket %.2f\n",
                mwResumed.cpuMsEach() / qsResumed.cpuMsEach());
    }
    server.closeInput();
    server.wait(10000);
}

// --- memory -------------------------------------------------------------------------------------

/// The mem-receiver role: a fresh process, so its peak RSS is this download's alone.
int runMemoryReceiver(const Options &o)
{
    const QtClient &client = o.impl == "qsslsocket" ? qSslSocketClient() : sslSocketClient();
    MemoryResult m;
    BulkPair pair = runAgainstPeer(
        {"--role", "openssl-send-server", "--bytes", std::to_string(o.bytes)}, [&](int port) {
            m = client.slowReceive(port, o.bytes, o.readBufferSize, o.memoryIntervalMs);
            BulkResult b;
            b.ok = m.ok;
            b.error = m.error;
            return b;
        });
    if (!m.ok)
        std::fprintf(stderr, "tls_bench memory receiver: %s\n",
                     (m.error.empty() ? pair.self.error : m.error).c_str());
    say("RESULT ok=%d baseline=%ld peak=%ld wall=%.3f bytes=%llu verified=%d\n", m.ok ? 1 : 0,
        m.baselineKib, m.peakKib, m.wallSeconds, static_cast<unsigned long long>(m.bytes),
        m.verified ? 1 : 0);
    return m.ok ? 0 : 1;
}

void memorySection(const Options &o)
{
    say("\n== memory: %llu MiB download, setReadBufferSize(%lld), one 64 KiB read every %d ms "
        "(receiver in a fresh process;\n   baseline RSS at encrypted(), before the first read) "
        "==\n",
        static_cast<unsigned long long>(o.sizeMiB), static_cast<long long>(o.readBufferSize),
        o.memoryIntervalMs);
    for (const char *impl : {"sslsocket", "qsslsocket"}) {
        const bool ours = std::strcmp(impl, "sslsocket") == 0;
        const char *name = ours ? "SslSocket" : "QSslSocket";
        if (!o.runs(name))
            continue;
        Child receiver;
        std::string error, line;
        const bool ran = receiver.start({"--role", "mem-receiver", "--impl", impl, "--bytes",
                                         std::to_string(o.sizeBytes()), "--read-buffer",
                                         std::to_string(o.readBufferSize), "--memory-interval-ms",
                                         std::to_string(o.memoryIntervalMs), "--certs", o.certsDir},
                                        &error)
            && receiver.readLineStartingWith("RESULT ", &line, 3600 * 1000);
        receiver.wait(10000);
        const auto f = parseFields(line);
        if (!ran || f.count("ok") == 0 || f.at("ok") != "1") {
            runFailed();
            say("memory   %-10s FAILED %s\n", name, error.c_str());
            if (ours)
                targetUnavailable("memory: SslSocket peak above baseline / 16 MiB", "run failed");
            continue;
        }
        const double aboveMiB = (fieldDouble(f, "peak") - fieldDouble(f, "baseline")) / 1024.0;
        const double seconds = fieldDouble(f, "wall");
        say("memory   %-10s peak RSS %6.1f MiB above baseline (%.1f MiB)   %5.1f MB/s   data "
            "%s\n",
            name, aboveMiB, fieldDouble(f, "baseline") / 1024.0,
            seconds > 0 ? fieldDouble(f, "bytes") / 1e6 / seconds : 0.0,
            f.count("verified") && f.at("verified") == "1" ? "verified" : "CORRUPT");
        if (ours)
            target("memory: SslSocket peak above baseline / 16 MiB", aboveMiB / 16.0, 1.0, true);
    }
}

} // namespace bench
