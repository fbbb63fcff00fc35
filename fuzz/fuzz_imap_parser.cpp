// SPDX-License-Identifier: LGPL-3.0-or-later
// The IMAP response parser fed what a server sends, split where the fuzzer says, with FETCH
// literals kept in memory or streamed. The same bytes fed whole must give the same
// responses, the same streamed bytes and the same error at the same position: the parser
// promises that however the network cuts the stream (imap_parser_p.h).
//
// Options byte: 1 stream FETCH body literals through a sink; 2 UTF-8 mailbox names;
// 4 small limits (lines, literals, streamed literals); 8 recover() after an error and go
// on; 16 the sink refuses some literals (on the first chunk or at the end).
#include <cstdint>
#include <vector>

#include <QtCore/QByteArray>

#include "fuzz_input.h"
#include "imap_parser_p.h"
#include "imap_typed_values.h"

namespace {

using mailwire::ImapResponse;
using mailwire::detail::ImapParseError;
using mailwire::detail::ImapParser;
using mailwire::detail::LiteralChunkHandler;
using mailwire::detail::LiteralContext;
namespace fuzz = mailwire::fuzz;

enum Option : std::uint8_t {
    StreamLiterals = 1,
    Utf8Mode = 2,
    SmallLimits = 4,
    Recover = 8,
    SinkRefuses = 16,
};

constexpr int MaxErrors = 64; // with Recover: enough to walk a long input, bounded

/// Everything a run produced, in order: responses, streamed literal bytes, errors.
struct Outcome
{
    std::vector<ImapResponse> responses;
    QByteArray streamed; // every streamed literal, each followed by "|end|"
    std::vector<ImapParseError> errors;
    std::vector<std::size_t> errorAfter; // how many responses came before each error
    qint64 residue = 0;

    friend bool operator==(const Outcome &a, const Outcome &b)
    {
        if (a.responses != b.responses || a.streamed != b.streamed || a.errorAfter != b.errorAfter
            || a.residue != b.residue || a.errors.size() != b.errors.size())
            return false;
        for (std::size_t i = 0; i < a.errors.size(); ++i) {
            const ImapParseError &x = a.errors[i];
            const ImapParseError &y = b.errors[i];
            if (x.kind != y.kind || x.message != y.message || x.position != y.position)
                return false;
        }
        return true;
    }
};

mailwire::Limits limitsFor(const fuzz::Input &input)
{
    mailwire::Limits limits;
    if (input.has(SmallLimits)) {
        limits.maxLineLength = 200;
        limits.maxLiteralSize = 300;
    }
    return limits;
}

// Refusals depend only on the literal, never on how its bytes were cut.
LiteralChunkHandler sinkFor(const LiteralContext &context, bool mayRefuse, Outcome *out)
{
    const bool refuseFirstChunk = mayRefuse && context.size % 3 == 1;
    const bool refuseAtEnd = mayRefuse && context.size % 3 == 2;
    return [out, refuseFirstChunk, refuseAtEnd](const char *data, qsizetype size) {
        if (!data) {
            out->streamed += "|end|";
            return !refuseAtEnd;
        }
        if (refuseFirstChunk)
            return false;
        out->streamed.append(data, int(size));
        return true;
    };
}

Outcome run(const fuzz::Input &input, fuzz::Splitter splitter)
{
    Outcome out;
    ImapParser parser(limitsFor(input));
    parser.setUtf8Mode(input.has(Utf8Mode));
    if (input.has(SmallLimits))
        parser.setMaxStreamedLiteralSize(500);
    if (input.has(StreamLiterals)) {
        const bool mayRefuse = input.has(SinkRefuses);
        parser.setLiteralSink([&out, mayRefuse](const LiteralContext &context) {
            // Literals of 7 mod 8 bytes stay in memory: both kinds in one response.
            return context.size % 8 == 7 ? LiteralChunkHandler()
                                         : sinkFor(context, mayRefuse, &out);
        });
    }

    bool stopped = false;
    fuzz::feedInPieces(input.data, input.size, splitter, [&](const char *data, std::size_t size) {
        if (stopped)
            return;
        parser.feed(data, qsizetype(size));
        for (;;) {
            ImapResponse response;
            const ImapParser::Result result = parser.next(&response);
            if (result == ImapParser::Result::NeedMore)
                return;
            if (result == ImapParser::Result::Parsed) {
                out.responses.push_back(response);
                continue;
            }
            out.errors.push_back(parser.error());
            out.errorAfter.push_back(out.responses.size());
            (void)parser.error().toError();
            if (!input.has(Recover) || out.errors.size() >= MaxErrors) {
                stopped = true;
                return;
            }
            parser.recover();
        }
    });
    (void)parser.lastResponseText();
    (void)parser.memoryFootprint();
    out.residue = stopped ? -1 : parser.residue();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Input input;
    if (!fuzz::Input::read(data, size, &input))
        return 0;
    const Outcome whole = run(input, fuzz::Splitter(0));
    for (const ImapResponse &response : whole.responses)
        fuzz::touchResponse(response, input.has(Utf8Mode));
    const fuzz::Splitter splitter(input.split);
    if (!splitter.whole())
        MAILWIRE_FUZZ_CHECK(run(input, splitter) == whole);
    return 0;
}
