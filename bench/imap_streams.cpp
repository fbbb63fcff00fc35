// SPDX-License-Identifier: LGPL-3.0-or-later
#include "imap_streams.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <vector>

namespace bench {

namespace {

/// splitmix64: small, fast and the same on every platform.
class Rng
{
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n).
    std::uint32_t below(std::uint32_t n) { return std::uint32_t(next() % n); }
    /// Uniform in [lo, hi].
    std::uint32_t between(std::uint32_t lo, std::uint32_t hi) { return lo + below(hi - lo + 1); }
    /// Uniform in [0, 1).
    double unit() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    /// True with probability percent/100.
    bool chance(std::uint32_t percent) { return below(100) < percent; }
    template <typename T, std::size_t N> const T &pick(const T (&items)[N])
    {
        return items[below(std::uint32_t(N))];
    }

private:
    std::uint64_t m_state;
};

void appendf(std::string &out, const char *format, ...) __attribute__((format(printf, 2, 3)));
void appendf(std::string &out, const char *format, ...)
{
    char buffer[512];
    va_list args;
    va_start(args, format);
    const int n = std::vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    if (n > 0)
        out.append(buffer, std::size_t(n) < sizeof buffer ? std::size_t(n) : sizeof buffer - 1);
}

/// An IMAP quoted string (RFC 9051 §4.3): '"' and '\' escaped.
void appendQuoted(std::string &out, const std::string &text)
{
    out += '"';
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
}

// ---- literal-heavy ---------------------------------------------------------------------

/// Mail-like text for literal bodies: header-ish lines, prose and base64 lines, CRLF each.
std::string makeTextPool(std::size_t size, Rng &rng)
{
    static const char *const words[] = {
        "the",       "meeting",  "budget",  "report", "attached", "please",   "review",
        "quarterly", "numbers",  "and",     "let",    "me",       "know",     "if",
        "anything",  "is",       "missing", "thanks", "regards",  "schedule", "project",
        "deadline",  "Friday",   "update",  "draft",  "final",    "server",   "migration",
        "invoice",   "customer", "support", "ticket", "resolved", "of",       "to",
        "in",        "for",      "on",      "with",   "we",       "will",     "should",
        "could",     "have",     "been"};
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string pool;
    pool.reserve(size + 128);
    while (pool.size() < size) {
        const std::uint32_t kind = rng.below(10);
        if (kind < 2) {
            appendf(pool, "X-Header-%u: value %08x; param=%u\r\n", rng.below(50),
                    unsigned(rng.next()), rng.below(100000));
        } else if (kind < 5) {
            for (int i = 0; i < 76; ++i)
                pool += b64[rng.below(64)];
            pool += "\r\n";
        } else {
            const std::size_t target = rng.between(20, 76);
            const std::size_t start = pool.size();
            while (pool.size() - start < target) {
                if (pool.size() != start)
                    pool += ' ';
                pool += rng.pick(words);
            }
            pool += "\r\n";
        }
    }
    return pool;
}

} // namespace

ImapStream makeLiteralHeavyStream(std::size_t targetBytes, std::uint64_t seed)
{
    constexpr std::uint32_t kMinLiteral = 200;
    constexpr std::uint32_t kMaxLiteral = 2 * 1024 * 1024;
    Rng rng(seed);
    const std::string pool = makeTextPool(2 * std::size_t(kMaxLiteral), rng);

    ImapStream s;
    s.bytes.reserve(targetBytes + kMaxLiteral + 256);
    std::uint32_t uid = 40000;
    for (std::uint32_t n = 1; s.bytes.size() < targetBytes; ++n) {
        std::uint32_t size;
        if (n == 1)
            size = kMinLiteral;
        else if (n == 2)
            size = kMaxLiteral;
        else // log-uniform: many small messages, a few large ones
            size = std::uint32_t(kMinLiteral
                                 * std::pow(double(kMaxLiteral) / kMinLiteral, rng.unit()));
        uid += rng.between(1, 3);
        appendf(s.bytes, "* %u FETCH (UID %u RFC822.SIZE %u BODY[] {%u}\r\n", n, uid, size, size);
        const std::size_t from = rng.below(std::uint32_t(pool.size() - size));
        s.bytes.append(pool, from, size);
        s.bytes += ")\r\n";
        ++s.responses;
        ++s.literals;
        s.literalBytes += size;
        s.uidSum += uid;
    }
    s.bytes += "A1 OK UID FETCH completed (0.412 + 0.000 + 0.411 secs).\r\n";
    ++s.responses;
    return s;
}

// ---- envelope-heavy --------------------------------------------------------------------

namespace {

struct Person
{
    const char *name; // nullptr = NIL
    const char *mailbox;
    const char *host;
};

const Person kPeople[] = {
    {"Terry Gray", "gray", "cac.washington.edu"},
    {"O'Brien, Pat", "pat", "example.org"},
    {"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=", "juergen", "firma.example"},
    {"Example Bank", "noreply", "bank.example"},
    {nullptr, "MAILER-DAEMON", "mx.example.net"},
    {"Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m", "zoe", "uni.example.se"},
    {"\"The Boss\" (CEO)", "boss", "corp.example.com"},
    {"GitHub", "notifications", "github.com"},
    {nullptr, "joe", "example.com"},
    {"Joe Example", "joe", "example.com"},
    {"=?iso-8859-1?Q?Ren=E9_Fran=E7ois?=", "rene", "example.fr"},
    {"Weekly Digest", "list", "lists.example"},
    {"Support Team", "support+ticket-48213", "help.example.io"},
    {nullptr, "bounces-1234-joe=example.com", "mail.lists.example"},
};

const char *const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char *const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char *const kZones[] = {"+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900"};

const char *const kSubjects[] = {
    "Your March statement",
    "Re: Quarterly report",
    "Re: \"Budget\" (draft) and \\back\\slash [v2] {x}",
    "Fwd: Re: meeting notes for Thursday",
    "=?UTF-8?Q?Einladung_zum_Sommerfest_=F0=9F=8E=89?=",
    "=?UTF-8?B?w5xiZXJwcsO8ZnVuZw==?=",
    "[project/repo] Fix parser crash on empty input (#1234)",
    "Weekly digest, Vol 42, Issue 7",
    "Caf\xc3\xa9 \xe2\x98\x95 tomorrow?",
    "Invoice 2024-0042 from Example Hosting",
    "",
};

const char *const kFlags[] = {
    "\\Seen", "", "\\Answered \\Seen", "\\Seen $Forwarded", "\\Seen \\Flagged", "$NotJunk \\Seen"};

void appendNString(std::string &out, const char *text)
{
    if (text)
        appendQuoted(out, text);
    else
        out += "NIL";
}

void appendAddress(std::string &out, const Person &p)
{
    out += '(';
    appendNString(out, p.name);
    out += " NIL ";
    appendQuoted(out, p.mailbox);
    out += ' ';
    appendQuoted(out, p.host);
    out += ')';
}

void appendAddressList(std::string &out, Rng &rng, std::uint32_t minCount, std::uint32_t maxCount)
{
    const std::uint32_t count = rng.between(minCount, maxCount);
    if (count == 0) {
        out += "NIL";
        return;
    }
    out += '(';
    for (std::uint32_t i = 0; i < count; ++i)
        appendAddress(out, rng.pick(kPeople));
    out += ')';
}

void appendMessageId(std::string &out, Rng &rng)
{
    appendf(out, "\"<%016llx.%u@mail.%s>\"", static_cast<unsigned long long>(rng.next()),
            rng.below(100000), rng.pick(kPeople).host);
}

/// Returns the number of literals written (0 or 1).
int appendEnvelope(std::string &out, Rng &rng, std::uint64_t *literalBytes)
{
    int literals = 0;
    out += '(';
    appendf(out, "\"%s, %u %s 2024 %02u:%02u:%02u %s\" ", rng.pick(kDays), rng.between(1, 28),
            rng.pick(kMonths), rng.below(24), rng.below(60), rng.below(60), rng.pick(kZones));
    const std::uint32_t subjectKind = rng.below(100);
    if (subjectKind < 4) {
        // A literal subject, as servers send for 8-bit text or awkward characters.
        std::string subject =
            "Re: \"Smith, J\" said \\ (x) \xe2\x80\x94 na\xc3\xafve r\xc3\xa9sum\xc3\xa9 #";
        appendf(subject, "%u", rng.below(1000));
        appendf(out, "{%zu}\r\n", subject.size());
        out += subject;
        *literalBytes += subject.size();
        literals = 1;
    } else if (subjectKind < 6) {
        out += "NIL";
    } else {
        appendQuoted(out, rng.pick(kSubjects));
    }
    out += ' ';
    const Person &from = rng.pick(kPeople);
    std::string fromList = "(";
    appendAddress(fromList, from);
    fromList += ')';
    out += fromList; // from
    out += ' ';
    if (rng.chance(15)) // sender differs (mailing lists, delegates)
        appendAddressList(out, rng, 1, 1);
    else
        out += fromList;
    out += ' ';
    if (rng.chance(10))
        appendAddressList(out, rng, 1, 1);
    else
        out += fromList; // reply-to
    out += ' ';
    appendAddressList(out, rng, 1, 4); // to
    out += ' ';
    if (rng.chance(30))
        appendAddressList(out, rng, 1, 3); // cc
    else
        out += "NIL";
    out += " NIL "; // bcc
    if (rng.chance(40))
        appendMessageId(out, rng); // in-reply-to
    else
        out += "NIL";
    out += ' ';
    appendMessageId(out, rng);
    out += ')';
    return literals;
}

void appendTextPart(std::string &out, Rng &rng, const char *subtype, bool upper)
{
    if (upper)
        appendf(out,
                "(\"TEXT\" \"%s\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" %u %u "
                "NIL NIL NIL)",
                subtype, rng.between(200, 60000), rng.between(5, 900));
    else
        appendf(out,
                "(\"text\" \"%s\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" %u %u "
                "NIL NIL NIL NIL)",
                subtype, rng.between(200, 60000), rng.between(5, 900));
}

void appendAlternative(std::string &out, Rng &rng)
{
    const bool upper = rng.chance(40); // Gmail style
    out += '(';
    appendTextPart(out, rng, upper ? "PLAIN" : "plain", upper);
    appendTextPart(out, rng, upper ? "HTML" : "html", upper);
    appendf(out,
            upper ? " \"ALTERNATIVE\" (\"BOUNDARY\" \"000000000000%012llx\") NIL NIL)"
                  : " \"alternative\" (\"boundary\" \"_000_%012llx_\") NIL NIL NIL)",
            static_cast<unsigned long long>(rng.next() & 0xffffffffffffULL));
}

void appendBodyStructure(std::string &out, Rng &rng, std::uint64_t *literalBytes,
                         std::uint64_t *literals)
{
    const std::uint32_t kind = rng.below(100);
    if (kind < 60) {
        appendAlternative(out, rng);
    } else if (kind < 80) {
        const std::uint32_t file = rng.below(10000);
        out += '(';
        appendAlternative(out, rng);
        appendf(out,
                "(\"application\" \"pdf\" (\"name\" \"report-%u.pdf\") NIL NIL \"base64\" %u "
                "NIL (\"attachment\" (\"filename\" \"report-%u.pdf\" \"size\" \"%u\")) NIL "
                "NIL) \"mixed\" (\"boundary\" \"b1_%08x\") NIL NIL NIL)",
                file, rng.between(10000, 3000000), file, rng.between(7000, 2200000),
                unsigned(rng.next()));
    } else if (kind < 90) {
        appendf(out,
                "(\"text\" \"plain\" (\"charset\" \"us-ascii\" \"format\" \"flowed\") NIL NIL "
                "\"7bit\" %u %u NIL NIL NIL NIL)",
                rng.between(100, 20000), rng.between(3, 400));
    } else {
        // A forwarded message: message/rfc822 with its own envelope and body.
        out += "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" ";
        appendf(out, "%u %u NIL NIL NIL NIL)", rng.between(20, 2000), rng.between(1, 40));
        appendf(out, "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" %u ", rng.between(1000, 90000));
        *literals += std::uint64_t(appendEnvelope(out, rng, literalBytes));
        out += ' ';
        appendAlternative(out, rng);
        appendf(out,
                " %u NIL (\"inline\" NIL) NIL NIL) \"MIXED\" (\"BOUNDARY\" \"xyz%u\") NIL NIL "
                "NIL)",
                rng.between(20, 3000), rng.below(1000));
    }
}

} // namespace

ImapStream makeEnvelopeHeavyStream(std::size_t targetBytes, std::uint64_t seed)
{
    Rng rng(seed);
    ImapStream s;
    s.bytes.reserve(targetBytes + 8192);
    std::uint32_t uid = 61000;
    for (std::uint32_t n = 1; s.bytes.size() < targetBytes; ++n) {
        uid += rng.between(1, 3);
        appendf(s.bytes, "* %u FETCH (UID %u FLAGS (%s) ENVELOPE ", n, uid, rng.pick(kFlags));
        s.literals += std::uint64_t(appendEnvelope(s.bytes, rng, &s.literalBytes));
        s.bytes += " BODYSTRUCTURE ";
        appendBodyStructure(s.bytes, rng, &s.literalBytes, &s.literals);
        s.bytes += ")\r\n";
        ++s.responses;
        s.uidSum += uid;
    }
    s.bytes += "A1 OK UID FETCH completed (0.061 + 0.000 + 0.060 secs).\r\n";
    ++s.responses;
    return s;
}

std::uint64_t countLines(const char *data, std::size_t size)
{
    std::uint64_t lines = 0;
    const char *p = data;
    const char *const end = data + size;
    while (p < end) {
        const void *hit = std::memchr(p, '\n', std::size_t(end - p));
        if (!hit)
            break;
        ++lines;
        p = static_cast<const char *>(hit) + 1;
    }
    return lines;
}

} // namespace bench
