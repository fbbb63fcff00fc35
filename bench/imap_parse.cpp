// SPDX-License-Identifier: LGPL-3.0-or-later
// imap_parse: IMAP parsing MB/s on FETCH streams beside a memchr('\n') line scan of the same
// bytes in the same run (DESIGN.md §6), plus the memory a streamed 50 MB literal costs.
//
//   imap_parse [--literal-mb N (128)] [--envelope-mb N (64)] [--runs N (5)]
//              [--chunk BYTES (65536)] [--mem-mb N (50)] [--seed N]
//              [--only literal|envelope|memory] [--mode chunked|whole]
//
// Streams (generated in memory at start, deterministic for a seed):
// - literal-heavy: "* n FETCH (UID u RFC822.SIZE s BODY[] {s}\r\n<s bytes>)", s from 200 B
//   to 2 MiB, log-uniform; target: parser >= 50% of the memchr scan.
// - envelope-heavy: "* n FETCH (UID u FLAGS (…) ENVELOPE (…) BODYSTRUCTURE (…))"; target:
//   parser >= 15% of the memchr scan.
// Each round times the memchr scan, the parser fed in --chunk pieces (next() until NeedMore
// after each feed, as a socket reader would) and the parser fed the whole buffer at once;
// the best of --runs rounds counts. The memory check runs in a fresh child process (this
// executable with --role memory) so that its peak RSS is the stream's alone.
// Exit status: 0 all targets met, 1 a target missed, 2 an error.
#include <QtCore/QFile>
#include <QtCore/QtGlobal>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

#include "imap_parser_p.h"
#include "imap_streams.h"

using mailwire::FetchSection;
using mailwire::ImapResponse;
using mailwire::detail::ImapParser;
using mailwire::detail::LiteralChunkHandler;
using mailwire::detail::LiteralContext;

namespace {

constexpr double kLiteralTarget = 0.50;
constexpr double kEnvelopeTarget = 0.15;
constexpr long kMemoryTargetKib = 16 * 1024;

struct Options
{
    std::size_t literalMb = 128;
    std::size_t envelopeMb = 64;
    int runs = 5;
    std::size_t chunk = 64 * 1024;
    std::size_t memMb = 50;
    std::uint64_t seed = 20240305;
    std::string only; // "", "literal", "envelope", "memory"
    std::string mode; // "", "chunked", "whole"
    std::string role; // "", "memory" (the child)
    bool noSink = false;

    bool wants(const char *what) const { return only.empty() || only == what; }
    bool wantsMode(const char *what) const { return mode.empty() || mode == what; }
};

[[noreturn]] void usage(const char *error)
{
    std::fprintf(error ? stderr : stdout,
                 "%s%s%s"
                 "usage: imap_parse [--literal-mb N (128)] [--envelope-mb N (64)] [--runs N (5)]\n"
                 "                  [--chunk BYTES (65536)] [--mem-mb N (50)] [--seed N]\n"
                 "                  [--only literal|envelope|memory] [--mode chunked|whole]\n",
                 error ? "imap_parse: " : "", error ? error : "", error ? "\n" : "");
    std::exit(error ? 2 : 0);
}

Options parseOptions(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                usage(("missing value for " + arg).c_str());
            return argv[++i];
        };
        auto number = [&]() -> unsigned long long {
            const std::string text = value();
            char *end = nullptr;
            const unsigned long long n = std::strtoull(text.c_str(), &end, 10);
            if (text.empty() || *end != '\0' || n == 0)
                usage(("bad number for " + arg).c_str());
            return n;
        };
        if (arg == "--literal-mb")
            o.literalMb = number();
        else if (arg == "--envelope-mb")
            o.envelopeMb = number();
        else if (arg == "--runs")
            o.runs = int(std::min<unsigned long long>(number(), 100));
        else if (arg == "--chunk")
            o.chunk = number();
        else if (arg == "--mem-mb")
            o.memMb = number();
        else if (arg == "--seed")
            o.seed = number();
        else if (arg == "--only")
            o.only = value();
        else if (arg == "--mode")
            o.mode = value();
        else if (arg == "--role")
            o.role = value();
        else if (arg == "--no-sink")
            o.noSink = true;
        else if (arg == "--help" || arg == "-h")
            usage(nullptr);
        else
            usage(("unknown option " + arg).c_str());
    }
    if (!o.only.empty() && o.only != "literal" && o.only != "envelope" && o.only != "memory")
        usage("--only takes literal, envelope or memory");
    if (!o.mode.empty() && o.mode != "chunked" && o.mode != "whole")
        usage("--mode takes chunked or whole");
    return o;
}

double now()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

/// A field of /proc/self/status in KiB (VmRSS, VmHWM), or -1.
long procStatusKib(const char *field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::size_t length = std::strlen(field);
    while (std::getline(status, line)) {
        if (line.compare(0, length, field) == 0 && line.size() > length && line[length] == ':')
            return std::atol(line.c_str() + length + 1);
    }
    return -1;
}

/// Resets VmHWM to the current RSS (/proc/self/clear_refs "5"); false if refused.
bool resetPeakRss()
{
    std::ofstream clearRefs("/proc/self/clear_refs");
    clearRefs << "5";
    clearRefs.flush();
    return bool(clearRefs);
}

/// The first "model name" of /proc/cpuinfo, for the header.
std::string cpuModel()
{
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.compare(0, 10, "model name") == 0) {
            const std::size_t colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    }
    return "unknown CPU";
}

/// The three load averages of /proc/loadavg: shared cores make figures noisy.
std::string loadAverage()
{
    std::ifstream loadavg("/proc/loadavg");
    std::string a, b, c;
    loadavg >> a >> b >> c;
    return a + " " + b + " " + c;
}

// ---- parsing ------------------------------------------------------------------------------

/// What one pass of the parser saw; the sums keep the compiler from dropping any work.
struct Tally
{
    bool ok = true;
    std::string error;
    std::uint64_t responses = 0;
    std::uint64_t fetches = 0;
    std::uint64_t uidSum = 0;
    std::uint64_t sectionBytes = 0; ///< FetchSection::size summed
    std::uint64_t envelopes = 0;
    std::uint64_t bodyStructures = 0;
    std::uint64_t touch = 0; ///< bytes and counts read out of the values
    qsizetype maxFootprint = 0;

    bool operator==(const Tally &t) const
    {
        return ok == t.ok && responses == t.responses && fetches == t.fetches && uidSum == t.uidSum
            && sectionBytes == t.sectionBytes && envelopes == t.envelopes
            && bodyStructures == t.bodyStructures && touch == t.touch;
    }
};

void touchResponse(const ImapResponse &r, Tally *t)
{
    ++t->responses;
    if (r.type != ImapResponse::Type::Fetch)
        return;
    ++t->fetches;
    const mailwire::FetchData &f = r.fetch;
    if (f.uid)
        t->uidSum += *f.uid;
    for (const FetchSection &s : f.sections) {
        t->sectionBytes += std::uint64_t(s.size);
        if (!s.data.isEmpty()) // the first and last byte: the literal really is there
            t->touch += std::uint8_t(s.data.at(0)) + std::uint8_t(s.data.at(s.data.size() - 1));
    }
    if (f.envelope) {
        ++t->envelopes;
        t->touch += std::uint64_t(f.envelope->subject.size() + f.envelope->to.size()
                                  + f.envelope->messageId.size());
    }
    if (f.bodyStructure) {
        ++t->bodyStructures;
        t->touch += f.bodyStructure->children.size() + std::uint64_t(f.bodyStructure->size + 1);
    }
}

/// Calls next() until NeedMore; false on Malformed.
bool drain(ImapParser &parser, ImapResponse &response, Tally *t)
{
    for (;;) {
        switch (parser.next(&response)) {
        case ImapParser::Result::Parsed: touchResponse(response, t); break;
        case ImapParser::Result::NeedMore: return true;
        case ImapParser::Result::Malformed:
            t->ok = false;
            t->error = parser.error().message.toStdString() + " at byte "
                + std::to_string(parser.error().position) + ": "
                + parser.error().excerpt.toStdString();
            return false;
        }
    }
}

/// The parser fed chunk bytes at a time, as a socket reader would.
Tally parseChunked(const std::string &bytes, std::size_t chunk)
{
    Tally t;
    ImapParser parser;
    ImapResponse response;
    const char *data = bytes.data();
    const std::size_t size = bytes.size();
    for (std::size_t offset = 0; offset < size; offset += chunk) {
        parser.feed(data + offset, qsizetype(std::min(chunk, size - offset)));
        if (!drain(parser, response, &t))
            return t;
    }
    if (parser.residue() != 0) {
        t.ok = false;
        t.error = "residue of " + std::to_string(parser.residue()) + " bytes at the end";
    }
    return t;
}

/// The parser fed everything at once.
Tally parseWhole(const std::string &bytes)
{
    Tally t;
    ImapParser parser;
    ImapResponse response;
    parser.feed(bytes.data(), qsizetype(bytes.size()));
    if (drain(parser, response, &t) && parser.residue() != 0) {
        t.ok = false;
        t.error = "residue of " + std::to_string(parser.residue()) + " bytes at the end";
    }
    return t;
}

// ---- throughput ---------------------------------------------------------------------------

struct Row
{
    std::string name;
    double ratio = 0;
    double target = 0;
    bool judged = false;
    bool pass = false;
};
std::vector<Row> g_rows;
bool g_error = false;

double mbps(std::size_t bytes, double seconds)
{
    return seconds > 0 ? double(bytes) / 1e6 / seconds : 0;
}

bool checkTally(const char *what, const Tally &t, const bench::ImapStream &s, bool literalStream)
{
    std::string problem;
    if (!t.ok)
        problem = "parse failed: " + t.error;
    else if (t.responses != s.responses)
        problem = "responses " + std::to_string(t.responses) + ", expected "
            + std::to_string(s.responses);
    else if (t.uidSum != s.uidSum)
        problem = "UID sum differs";
    else if (literalStream && t.sectionBytes != s.literalBytes)
        problem = "BODY[] bytes " + std::to_string(t.sectionBytes) + ", expected "
            + std::to_string(s.literalBytes);
    else if (!literalStream && (t.envelopes != t.fetches || t.bodyStructures != t.fetches))
        problem = "not every FETCH had its ENVELOPE and BODYSTRUCTURE";
    if (problem.empty())
        return true;
    std::printf("  ERROR %s: %s\n", what, problem.c_str());
    g_error = true;
    return false;
}

void runStream(const char *title, const bench::ImapStream &s, bool literalStream, double target,
               const Options &o)
{
    const std::size_t size = s.bytes.size();
    double bestScan = 1e100, bestChunked = 1e100, bestWhole = 1e100;
    std::uint64_t lines = 0;
    Tally chunked, whole;
    bool ok = true;
    for (int round = 0; round < o.runs && ok; ++round) {
        double t0 = now();
        lines = bench::countLines(s.bytes.data(), size);
        bestScan = std::min(bestScan, now() - t0);

        if (o.wantsMode("chunked")) {
            t0 = now();
            const Tally t = parseChunked(s.bytes, o.chunk);
            bestChunked = std::min(bestChunked, now() - t0);
            ok = checkTally("chunked", t, s, literalStream);
            if (round > 0 && !(t == chunked)) {
                std::printf("  ERROR chunked: rounds disagree\n");
                g_error = true;
                ok = false;
            }
            chunked = t;
        }
        if (ok && o.wantsMode("whole")) {
            t0 = now();
            const Tally t = parseWhole(s.bytes);
            bestWhole = std::min(bestWhole, now() - t0);
            ok = checkTally("whole buffer", t, s, literalStream);
            whole = t;
        }
    }
    if (!ok)
        return;
    if (o.mode.empty() && !(chunked == whole)) {
        std::printf("  ERROR: chunked and whole-buffer parses disagree\n");
        g_error = true;
        return;
    }

    const double scan = mbps(size, bestScan);
    std::printf("  %-34s %9.1f MB/s  (%.1f ms, %llu lines)\n", "memchr('\\n') line scan", scan,
                bestScan * 1e3, static_cast<unsigned long long>(lines));
    auto report = [&](const char *how, double seconds, const Tally &t, bool judged) {
        const double rate = mbps(size, seconds);
        const double ratio = scan > 0 ? rate / scan : 0;
        std::printf("  %-34s %9.1f MB/s  (%.1f ms, %.0f responses/s)  parser/memchr %.3f", how,
                    rate, seconds * 1e3, double(t.responses) / seconds, ratio);
        Row row;
        row.name = std::string(title) + ", " + how;
        row.ratio = ratio;
        row.target = target;
        row.judged = judged;
        row.pass = ratio >= target;
        if (judged)
            std::printf("  target >= %.2f  %s\n", target, row.pass ? "PASS" : "MISS");
        else
            std::printf("  (not judged)\n");
        g_rows.push_back(row);
    };
    char how[64];
    std::snprintf(how, sizeof how, "parser, %zu B chunks", o.chunk);
    if (o.wantsMode("chunked"))
        report(how, bestChunked, chunked, true);
    if (o.wantsMode("whole"))
        report("parser, whole buffer in one feed", bestWhole, whole, false);
}

void literalSection(const Options &o)
{
    const double t0 = now();
    const bench::ImapStream s = bench::makeLiteralHeavyStream(o.literalMb * 1000 * 1000, o.seed);
    std::printf("\nliteral-heavy: %.1f MB, %llu FETCH BODY[] replies, literals 200 B..2 MiB "
                "(mean %.0f B), %.2f%% of the bytes inside literals  [generated in %.2f s]\n",
                double(s.bytes.size()) / 1e6, static_cast<unsigned long long>(s.responses - 1),
                double(s.literalBytes) / double(s.literals),
                100.0 * double(s.literalBytes) / double(s.bytes.size()), now() - t0);
    runStream("literal-heavy", s, true, kLiteralTarget, o);
}

void envelopeSection(const Options &o)
{
    const double t0 = now();
    const bench::ImapStream s =
        bench::makeEnvelopeHeavyStream(o.envelopeMb * 1000 * 1000, o.seed + 1);
    std::printf("\nenvelope-heavy: %.1f MB, %llu FETCH ENVELOPE+BODYSTRUCTURE replies (mean %.0f "
                "B each), %llu literal subjects  [generated in %.2f s]\n",
                double(s.bytes.size()) / 1e6, static_cast<unsigned long long>(s.responses - 1),
                double(s.bytes.size()) / double(s.responses),
                static_cast<unsigned long long>(s.literals), now() - t0);
    runStream("envelope-heavy", s, false, kEnvelopeTarget, o);
}

// ---- memory -------------------------------------------------------------------------------

/// The bytes of "* 1 FETCH (… BODY[] {n}\r\n<n bytes>)\r\nA1 OK …\r\n" at any offset, so that
/// the stream never exists in memory as a whole.
class LargeLiteralStream
{
public:
    explicit LargeLiteralStream(std::uint64_t literalSize) : m_literalSize(literalSize)
    {
        m_header = "* 1 FETCH (UID 7 RFC822.SIZE " + std::to_string(literalSize) + " BODY[] {"
            + std::to_string(literalSize) + "}\r\n";
        m_trailer = ")\r\nA1 OK UID FETCH completed\r\n";
        while (m_text.size() < 4096)
            m_text += "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\r\n";
    }
    std::uint64_t size() const { return m_header.size() + m_literalSize + m_trailer.size(); }
    void read(std::uint64_t offset, char *out, std::size_t length) const
    {
        for (std::size_t i = 0; i < length; ++i, ++offset) {
            if (offset < m_header.size())
                out[i] = m_header[offset];
            else if (offset - m_header.size() < m_literalSize)
                out[i] = m_text[(offset - m_header.size()) % m_text.size()];
            else
                out[i] = m_trailer[offset - m_header.size() - m_literalSize];
        }
    }

private:
    std::uint64_t m_literalSize;
    std::string m_header, m_trailer, m_text;
};

/// The child process: streams one large literal and prints one "MEMORY …" line.
int runMemoryChild(const Options &o)
{
    const std::uint64_t literalSize = std::uint64_t(o.memMb) * 1000 * 1000;
    const LargeLiteralStream stream(literalSize);
    std::vector<char> chunk(o.chunk);
    QFile devNull(QStringLiteral("/dev/null"));
    if (!devNull.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        std::printf("MEMORY error=cannot-open-/dev/null\n");
        return 2;
    }
    std::uint64_t sinkBytes = 0;
    int sinkCalls = 0;
    const auto attach = [&](ImapParser &parser) {
        if (o.noSink)
            return;
        const auto toDevice = ImapParser::deviceSink(
            [&devNull](const LiteralContext &) -> QIODevice * { return &devNull; });
        parser.setLiteralSink(
            [toDevice, &sinkBytes, &sinkCalls](const LiteralContext &c) -> LiteralChunkHandler {
                LiteralChunkHandler write = toDevice(c);
                ++sinkCalls;
                return [write, &sinkBytes](const char *data, qsizetype n) {
                    if (data)
                        sinkBytes += std::uint64_t(n);
                    return write(data, n);
                };
            });
    };

    // Warm-up on a small stream of the same shape, so that code pages and one-time
    // allocations are part of the baseline, not of the peak.
    {
        ImapParser warm;
        attach(warm);
        ImapResponse response;
        Tally t;
        const LargeLiteralStream small(300 * 1000);
        std::vector<char> all(small.size());
        small.read(0, all.data(), all.size());
        for (std::size_t offset = 0; offset < all.size(); offset += o.chunk) {
            warm.feed(all.data() + offset, qsizetype(std::min(o.chunk, all.size() - offset)));
            drain(warm, response, &t);
        }
    }
    sinkBytes = 0;
    sinkCalls = 0;

    ImapParser parser;
    attach(parser);
    ImapResponse response;
    Tally t;
    std::fill(chunk.begin(), chunk.end(), 0);
    const long baselineKib = procStatusKib("VmRSS");
    const bool reset = resetPeakRss();
    const long hwmAtStart = procStatusKib("VmHWM");

    const double t0 = now();
    const std::uint64_t total = stream.size();
    qsizetype footprint = parser.memoryFootprint();
    for (std::uint64_t offset = 0; offset < total && t.ok; offset += o.chunk) {
        const std::size_t n = std::size_t(std::min<std::uint64_t>(o.chunk, total - offset));
        stream.read(offset, chunk.data(), n);
        parser.feed(chunk.data(), qsizetype(n));
        footprint = std::max(footprint, parser.memoryFootprint());
        drain(parser, response, &t);
        footprint = std::max(footprint, parser.memoryFootprint());
    }
    const double seconds = now() - t0;
    const long peakKib = procStatusKib("VmHWM");

    bool ok = t.ok && t.responses == 2 && t.sectionBytes == literalSize && parser.residue() == 0;
    if (!o.noSink)
        ok = ok && sinkBytes == literalSize && sinkCalls == 1;
    std::printf("MEMORY ok=%d baseline_kib=%ld hwm_start_kib=%ld peak_kib=%ld reset=%d "
                "footprint_max=%lld sink_bytes=%llu seconds=%.3f error=%s\n",
                ok ? 1 : 0, baselineKib, hwmAtStart, peakKib, reset ? 1 : 0,
                static_cast<long long>(footprint), static_cast<unsigned long long>(sinkBytes),
                seconds, t.ok ? "none" : t.error.c_str());
    return ok ? 0 : 2;
}

struct MemoryResult
{
    bool ok = false;
    long baselineKib = 0, hwmStartKib = 0, peakKib = 0;
    int reset = 0;
    long long footprintMax = 0;
    unsigned long long sinkBytes = 0;
    double seconds = 0;
    std::string raw;
};

MemoryResult runMemoryChildProcess(const Options &o, bool noSink)
{
    MemoryResult r;
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        r.raw = "cannot find /proc/self/exe";
        return r;
    }
    exe[n] = '\0';
    const std::string command = std::string("'") + exe + "' --role memory --mem-mb "
        + std::to_string(o.memMb) + " --chunk " + std::to_string(o.chunk)
        + (noSink ? " --no-sink" : "");
    FILE *pipe = popen(command.c_str(), "r");
    if (!pipe) {
        r.raw = "popen failed";
        return r;
    }
    char line[1024];
    while (std::fgets(line, sizeof line, pipe)) {
        if (std::strncmp(line, "MEMORY ", 7) == 0)
            r.raw = line;
    }
    const int status = pclose(pipe);
    int ok = 0;
    if (std::sscanf(r.raw.c_str(),
                    "MEMORY ok=%d baseline_kib=%ld hwm_start_kib=%ld peak_kib=%ld reset=%d "
                    "footprint_max=%lld sink_bytes=%llu seconds=%lf",
                    &ok, &r.baselineKib, &r.hwmStartKib, &r.peakKib, &r.reset, &r.footprintMax,
                    &r.sinkBytes, &r.seconds)
        == 8)
        r.ok = ok == 1 && status == 0;
    return r;
}

void memorySection(const Options &o)
{
    std::printf("\nmemory: one %zu MB BODY[] literal fed in %zu B chunks, each run in a fresh "
                "process\n",
                o.memMb, o.chunk);
    const MemoryResult sink = runMemoryChildProcess(o, false);
    Row row;
    row.name = "memory, streamed literal (RSS growth KiB)";
    row.judged = true;
    row.target = double(kMemoryTargetKib);
    if (!sink.ok) {
        std::printf("  ERROR: the memory child failed: %s\n", sink.raw.c_str());
        g_error = true;
        row.pass = false;
        g_rows.push_back(row);
        return;
    }
    const long growth = sink.peakKib - sink.baselineKib;
    row.ratio = double(growth);
    row.pass = growth < kMemoryTargetKib;
    std::printf("  deviceSink -> QFile /dev/null: baseline VmRSS %ld KiB, peak VmHWM %ld KiB "
                "(VmHWM %s at start: %ld KiB)\n",
                sink.baselineKib, sink.peakKib, sink.reset ? "reset to VmRSS" : "NOT reset",
                sink.hwmStartKib);
    std::printf("    growth %ld KiB (%.2f MiB)  target < %ld KiB (16 MiB)  %s\n", growth,
                double(growth) / 1024.0, kMemoryTargetKib, row.pass ? "PASS" : "MISS");
    std::printf("    parser.memoryFootprint() max %lld B (%.1f KiB); %llu B reached the sink; "
                "%.1f MB/s\n",
                sink.footprintMax, double(sink.footprintMax) / 1024.0, sink.sinkBytes,
                mbps(std::size_t(o.memMb) * 1000 * 1000, sink.seconds));
    g_rows.push_back(row);

    const MemoryResult held = runMemoryChildProcess(o, true);
    if (held.ok)
        std::printf("  for contrast, no sink (literal held in memory): growth %ld KiB, "
                    "memoryFootprint() max %lld B  (not judged)\n",
                    held.peakKib - held.baselineKib, held.footprintMax);
    else
        std::printf("  for contrast, no sink: child failed: %s\n", held.raw.c_str());
}

} // namespace

int main(int argc, char **argv)
{
    const Options o = parseOptions(argc, argv);
    if (o.role == "memory")
        return runMemoryChild(o);
    if (!o.role.empty())
        usage(("unknown role " + o.role).c_str());

    std::printf("imap_parse: mailwire::detail::ImapParser vs a memchr('\\n') line scan of the "
                "same bytes, same run\n  Qt %s; MB = 10^6 bytes; best of %d interleaved rounds "
                "(steady_clock); chunk %zu B\n  %s; load average %s\n",
                qVersion(), o.runs, o.chunk, cpuModel().c_str(), loadAverage().c_str());
    if (o.wants("memory"))
        memorySection(o);
    if (o.wants("literal"))
        literalSection(o);
    if (o.wants("envelope"))
        envelopeSection(o);

    std::printf("\nsummary\n");
    bool missed = false;
    for (const Row &row : g_rows) {
        if (!row.judged)
            continue;
        if (row.name.rfind("memory", 0) == 0)
            std::printf("  %-52s %8.0f  target < %.0f   %s\n", row.name.c_str(), row.ratio,
                        row.target, row.pass ? "PASS" : "MISS");
        else
            std::printf("  %-52s %8.3f  target >= %.2f  %s\n", row.name.c_str(), row.ratio,
                        row.target, row.pass ? "PASS" : "MISS");
        missed = missed || !row.pass;
    }
    if (g_error)
        std::printf("  ERRORS occurred (see above)\n");
    return g_error ? 2 : missed ? 1 : 0;
}
