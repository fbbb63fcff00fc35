// SPDX-License-Identifier: LGPL-3.0-or-later
// Printing and targets, peer runs, and the bulk receive and send sections.
#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_openssl_peer.h"
#include "bench_qt.h"
#include "bench_sections.h"

namespace bench {

void say(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    std::vfprintf(stdout, format, args);
    va_end(args);
    std::fflush(stdout);
}

// --- targets --------------------------------------------------------------------------------

namespace {
struct Verdict
{
    std::string text;
    bool pass;
};
std::vector<Verdict> g_verdicts;
int g_failures = 0;
bool g_targetsSuppressed = false;
} // namespace

bool Options::runs(const std::string &name) const
{
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return client.empty() || lower.compare(0, client.size(), client) == 0;
}

void suppressTargets() { g_targetsSuppressed = true; }

void target(const std::string &what, double ratio, double limit, bool atMost)
{
    if (g_targetsSuppressed)
        return;
    const bool pass = atMost ? ratio <= limit : ratio >= limit;
    char line[256];
    std::snprintf(line, sizeof line, "%-58s ratio %.2f (%s %.2f)  %s", what.c_str(), ratio,
                  atMost ? "<=" : ">=", limit, pass ? "PASS" : "MISS");
    say("  target: %s\n", line);
    g_verdicts.push_back({line, pass});
}

void targetUnavailable(const std::string &what, const std::string &why)
{
    if (g_targetsSuppressed)
        return;
    const std::string line = what + "  n/a (" + why + ")  MISS";
    say("  target: %s\n", line.c_str());
    g_verdicts.push_back({line, false});
}

void runFailed() { ++g_failures; }

int printSummary()
{
    int misses = 0;
    say("\n== summary ==\n");
    for (const Verdict &v : g_verdicts) {
        say("  %s\n", v.text.c_str());
        misses += !v.pass;
    }
    say("%zu targets, %d missed, %d runs failed\n", g_verdicts.size(), misses, g_failures);
    return g_failures;
}

// --- bulk transfers ---------------------------------------------------------------------------

BulkPair runAgainstPeer(const std::vector<std::string> &peerArgs,
                        const std::function<BulkResult(int)> &client)
{
    BulkPair pair;
    Child peer;
    std::string line;
    if (!peer.start(peerArgs, &pair.self.error))
        return pair;
    if (!peer.readLineStartingWith("PORT ", &line, 10000)) {
        pair.self.error = "the peer did not start listening";
        return pair;
    }
    pair.self = client(std::atoi(line.c_str() + 5));
    if (peer.readLineStartingWith("RESULT ", &line, 60000)) {
        const auto fields = parseFields(line);
        pair.peer.ok = fields.count("ok") && fields.at("ok") == "1";
        pair.peer.cpuSeconds = fieldDouble(fields, "cpu");
        pair.peer.wallSeconds = fieldDouble(fields, "wall");
        pair.peer.bytes = std::uint64_t(fieldDouble(fields, "bytes"));
    }
    peer.closeInput();
    peer.wait(10000);
    return pair;
}

namespace {

struct BulkCase
{
    std::string name;
    std::function<BulkPair()> run;
    std::vector<BulkPair> runs;
    BulkPair median;
};

/// Runs every case `repeat` times, round-robin, keeps the median by own CPU per MiB.
void runCases(std::vector<BulkCase> &cases, const Options &o, const char *direction,
              const char *peerLabel)
{
    const int repeat = o.repeat;
    for (int rep = 0; rep < repeat; ++rep) {
        for (BulkCase &c : cases) {
            if (!o.runs(c.name))
                continue;
            BulkPair p = c.run();
            if (!p.self.ok) {
                runFailed();
                say("%-8s %-20s FAILED: %s\n", direction, c.name.c_str(), p.self.error.c_str());
                continue;
            }
            c.runs.push_back(p);
            if (repeat > 1)
                say("  (run %d) %-20s %.3f ms CPU/MiB  %.0f MB/s\n", rep + 1, c.name.c_str(),
                    p.self.cpuMsPerMiB(), p.self.mbPerSecond());
        }
    }
    for (BulkCase &c : cases) {
        if (c.runs.empty())
            continue;
        std::sort(c.runs.begin(), c.runs.end(), [](const BulkPair &a, const BulkPair &b) {
            return a.self.cpuMsPerMiB() < b.self.cpuMsPerMiB();
        });
        c.median = c.runs[c.runs.size() / 2];
        const BulkPair &p = c.median;
        say("%-8s %-20s %6.3f ms CPU/MiB  %6.0f MB/s   | %s %6.3f ms CPU/MiB%s%s\n", direction,
            c.name.c_str(), p.self.cpuMsPerMiB(), p.self.mbPerSecond(), peerLabel,
            p.peer.cpuMsPerMiB(), p.self.cipher.empty() ? "" : "   ", p.self.cipher.c_str());
    }
}

const BulkCase *findCase(const std::vector<BulkCase> &cases, const std::string &name)
{
    for (const BulkCase &c : cases) {
        if (c.name == name && !c.runs.empty())
            return &c;
    }
    return nullptr;
}

double ratioOf(const BulkCase *a, const BulkCase *b)
{
    return a->median.self.cpuMsPerMiB() / b->median.self.cpuMsPerMiB();
}

} // namespace

void receiveSection(const Options &o)
{
    const std::uint64_t bytes = o.sizeBytes();
    say("\n== receive: a blocking OpenSSL sender (own process) sends %llu MiB to each receiver "
        "==\n",
        static_cast<unsigned long long>(o.sizeMiB));
    const std::vector<std::string> sender{"--role", "openssl-send-server", "--bytes",
                                          std::to_string(bytes)};
    auto qt = [&](const QtClient &client) {
        return BulkCase{client.name,
                        [&client, sender, bytes] {
                            return runAgainstPeer(
                                sender, [&](int port) { return client.receive(port, bytes); });
                        },
                        {},
                        {}};
    };
    auto blocking = [&](const char *name, bool readAhead) {
        return BulkCase{name,
                        [sender, bytes, readAhead] {
                            return runAgainstPeer(sender, [&](int port) {
                                return opensslReceive(port, bytes, readAhead);
                            });
                        },
                        {},
                        {}};
    };
    std::vector<BulkCase> cases{qt(sslSocketClient()), qt(qSslSocketClient()),
                                blocking("openssl", false), blocking("openssl read-ahead", true)};
    runCases(cases, o, "receive", "sender");
    say("  (the same blocking OpenSSL sender serves every row: its CPU/MiB is the "
        "informative comparison;\n   throughput on 2 cores is set by whichever side saturates "
        "its core; 'openssl read-ahead' is informative)\n");
    const BulkCase *mw = findCase(cases, "SslSocket");
    const BulkCase *qs = findCase(cases, "QSslSocket");
    const BulkCase *floor = findCase(cases, "openssl");
    if (mw && qs)
        target("receive CPU/MiB: SslSocket <= QSslSocket", ratioOf(mw, qs), 1.0, true);
    else
        targetUnavailable("receive CPU/MiB: SslSocket <= QSslSocket", "a run failed");
    if (mw && floor)
        target("receive CPU/MiB: SslSocket within 10% of bare OpenSSL", ratioOf(mw, floor), 1.10,
               true);
    else
        targetUnavailable("receive CPU/MiB: SslSocket within 10% of bare OpenSSL", "a run failed");
}

void sendSection(const Options &o)
{
    const std::uint64_t bytes = o.sizeBytes();
    say("\n== send: each sender sends %llu MiB in 64 KiB writes to a blocking OpenSSL receiver "
        "(own process) ==\n",
        static_cast<unsigned long long>(o.sizeMiB));
    const std::vector<std::string> receiver{"--role", "openssl-recv-server", "--bytes",
                                            std::to_string(bytes)};
    auto qt = [&](const QtClient &client) {
        return BulkCase{client.name,
                        [&client, receiver, bytes] {
                            return runAgainstPeer(
                                receiver, [&](int port) { return client.send(port, bytes); });
                        },
                        {},
                        {}};
    };
    std::vector<BulkCase> cases{qt(sslSocketClient()), qt(qSslSocketClient()),
                                BulkCase{"openssl",
                                         [receiver, bytes] {
                                             return runAgainstPeer(receiver, [&](int port) {
                                                 return opensslSend(port, bytes);
                                             });
                                         },
                                         {},
                                         {}}};
    runCases(cases, o, "send", "receiver");
    const BulkCase *mw = findCase(cases, "SslSocket");
    const BulkCase *qs = findCase(cases, "QSslSocket");
    const BulkCase *bare = findCase(cases, "openssl");
    if (mw && qs)
        target("send CPU/MiB: SslSocket <= 0.9 x QSslSocket", ratioOf(mw, qs), 0.9, true);
    else
        targetUnavailable("send CPU/MiB: SslSocket <= 0.9 x QSslSocket", "a run failed");
    if (mw && bare)
        say("  (informative) SslSocket / bare OpenSSL send CPU/MiB: %.2f\n", ratioOf(mw, bare));
}

/// One small untimed download per client first, so no row pays for loading and initialising
/// the TLS libraries.
void warmUp(const Options &o)
{
    const std::uint64_t bytes = 4 * kMiB;
    const std::vector<std::string> sender{"--role", "openssl-send-server", "--bytes",
                                          std::to_string(bytes)};
    for (const QtClient *client : {&sslSocketClient(), &qSslSocketClient()}) {
        if (!o.runs(client->name))
            continue;
        const BulkPair p =
            runAgainstPeer(sender, [&](int port) { return client->receive(port, bytes); });
        if (!p.self.ok)
            say("warm-up with %s failed: %s\n", client->name, p.self.error.c_str());
    }
}

} // namespace bench
