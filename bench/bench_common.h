// SPDX-License-Identifier: LGPL-3.0-or-later
// Shared pieces of tls_bench: clocks, options, certificate paths, child processes.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bench {

constexpr int kChunk = 64 * 1024; ///< every application read and write
constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr int kPatternPeriod = 251; ///< payload byte at offset o is (o % 251)

/// The payload: kChunk + kPatternPeriod bytes; send from pattern() + offset % kPatternPeriod.
const char *pattern();

/// This process's user + system CPU time in seconds (getrusage RUSAGE_SELF).
double cpuNow();
/// Monotonic wall clock in seconds.
double wallNow();
/// A field of /proc/self/status in KiB (VmRSS, VmHWM), or -1.
long procStatusKib(const char *field);
/// Resets VmHWM to the current RSS (/proc/self/clear_refs "5"); false if the kernel refuses.
bool resetPeakRss();

/// The figures one side of a transfer measured about itself.
struct BulkResult
{
    bool ok = false;
    std::string error;
    double cpuSeconds = 0;
    double wallSeconds = 0;
    std::uint64_t bytes = 0;
    std::string cipher; ///< negotiated suite, where the side knows it

    double cpuMsPerMiB() const { return bytes ? cpuSeconds * 1000.0 / (double(bytes) / kMiB) : 0; }
    double mbPerSecond() const { return wallSeconds > 0 ? double(bytes) / 1e6 / wallSeconds : 0; }
};

/// A run of sequential client handshakes.
struct HandshakeResult
{
    bool ok = false;
    std::string error;
    int count = 0;   ///< timed handshakes (a warm-up connection comes before them)
    int resumed = 0; ///< of those, how many the server reported as resumed
    double cpuSeconds = 0;
    double wallSeconds = 0;

    double perSecond() const { return wallSeconds > 0 ? count / wallSeconds : 0; }
    double cpuMsEach() const { return count ? cpuSeconds * 1000.0 / count : 0; }
};

/// A slow-reader download: resident memory above the baseline taken after the handshake.
struct MemoryResult
{
    bool ok = false;
    std::string error;
    long baselineKib = 0;
    long peakKib = 0;
    double wallSeconds = 0;
    std::uint64_t bytes = 0;
    bool verified = false; ///< every byte matched the pattern
};

struct Certs
{
    std::string dir;
    std::string ca() const { return dir + "/ca.pem"; }
    std::string rsaChain() const { return dir + "/leaf-chain.pem"; }
    std::string rsaKey() const { return dir + "/leaf.key"; }
    std::string ecdsaChain() const { return dir + "/leaf-ecdsa-chain.pem"; }
    std::string ecdsaKey() const { return dir + "/leaf-ecdsa.key"; }
};
const Certs &certs();
void setCertsDir(const std::string &dir);

/// "key=value key=value" → map (a leading word without '=' is kept under "").
std::map<std::string, std::string> parseFields(const std::string &line);
double fieldDouble(const std::map<std::string, std::string> &fields, const char *key);

/// Another instance of this executable in a given role, stdin and stdout on pipes.
class Child
{
public:
    Child() = default;
    ~Child();
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;

    /// Starts `<this executable> args...`; stderr is inherited.
    bool start(const std::vector<std::string> &args, std::string *error);
    /// Reads one line of the child's stdout (without the newline); false on EOF or timeout.
    bool readLine(std::string *line, int timeoutMs);
    /// Reads lines until one starts with prefix; false on EOF or timeout.
    bool readLineStartingWith(const std::string &prefix, std::string *line, int timeoutMs);
    bool writeLine(const std::string &line);
    void closeInput();
    /// Waits for the child to exit (killing it after timeoutMs); its exit status or -1.
    int wait(int timeoutMs);
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    int m_in = -1;  // our end of the child's stdin
    int m_out = -1; // our end of the child's stdout
    std::string m_pending;
};

} // namespace bench
