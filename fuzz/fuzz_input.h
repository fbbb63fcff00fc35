// SPDX-License-Identifier: LGPL-3.0-or-later
// What every harness reads first: two control bytes, then the payload (fuzz/README.md).
//   byte 0: harness options (bit flags, each harness says which)
//   byte 1: how the payload is cut into the pieces fed one at a time (see Splitter)
// Keeping the control bytes in front, rather than hashing the payload, lets the fuzzer
// change how an input is fed without changing what it says.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace mailwire::fuzz {

/// Cuts a payload into pieces, the way a network hands bytes over: 0 feeds it whole, 255
/// byte by byte, anything else pseudo-random sizes from 1 to 4 * seed, the same ones for
/// the same seed (a crash must replay).
class Splitter
{
public:
    explicit Splitter(std::uint8_t seed) : m_seed(seed), m_state(seed * 2654435761u + 1) {}

    /// The size of the next piece, at least 1 and at most remaining (which must be > 0).
    std::size_t next(std::size_t remaining)
    {
        if (m_seed == 0)
            return remaining;
        if (m_seed == 255)
            return 1;
        m_state = m_state * 1664525u + 1013904223u;
        const std::size_t size = 1 + (m_state >> 16) % (4u * m_seed);
        return size < remaining ? size : remaining;
    }

    /// True when the payload is fed in one piece.
    bool whole() const { return m_seed == 0; }

private:
    std::uint8_t m_seed;
    std::uint32_t m_state;
};

/// The two control bytes and the payload after them.
struct Input
{
    std::uint8_t options = 0;
    std::uint8_t split = 0;
    const char *data = nullptr;
    std::size_t size = 0;

    /// False when the input is too short to hold the control bytes (nothing to run).
    static bool read(const std::uint8_t *bytes, std::size_t length, Input *out)
    {
        if (length < 2)
            return false;
        out->options = bytes[0];
        out->split = bytes[1];
        out->data = reinterpret_cast<const char *>(bytes + 2);
        out->size = length - 2;
        return true;
    }

    bool has(std::uint8_t flag) const { return (options & flag) != 0; }
};

/// Calls feed(data, size) for each piece of [data, data + size) as the splitter cuts it.
template <typename Feed>
void feedInPieces(const char *data, std::size_t size, Splitter splitter, Feed &&feed)
{
    while (size > 0) {
        const std::size_t piece = splitter.next(size);
        feed(data, piece);
        data += piece;
        size -= piece;
    }
}

} // namespace mailwire::fuzz

/// Stops the run the way a sanitizer finding does, so libFuzzer keeps the input: for
/// properties no sanitizer can see (two feedings of one input disagree).
#define MAILWIRE_FUZZ_CHECK(condition)                                                             \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__,             \
                         #condition);                                                              \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
