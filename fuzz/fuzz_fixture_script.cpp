// SPDX-License-Identifier: LGPL-3.0-or-later
// The fixture script parser (fixtures/script.h) on any text: a script either loads with
// steps or fails with a message naming a line of the text; the steps of a valid script
// expand and describe themselves. Scripts are test input, written by people, but the
// parser validates everything up front and must not fall over on a typo.
//
// Options byte: 1 the text is Latin-1 rather than UTF-8. The split byte is unused.
#include <cstdint>

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include "fuzz_input.h"
#include "script.h"

namespace {

using mailwire::fixtures::Script;
namespace fuzz = mailwire::fuzz;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Input input;
    if (!fuzz::Input::read(data, size, &input))
        return 0;
    const QString text = (input.options & 1) ? QString::fromLatin1(input.data, int(input.size))
                                             : QString::fromUtf8(input.data, int(input.size));
    QByteArray unescaped;
    QString error;
    if (!Script::unescape(text, &unescaped, &error))
        MAILWIRE_FUZZ_CHECK(!error.isEmpty());

    const Script script = Script::fromText(text, QStringLiteral("fuzz.script"));

    if (!script.isValid()) {
        MAILWIRE_FUZZ_CHECK(script.steps().isEmpty());
        MAILWIRE_FUZZ_CHECK(script.errorString().startsWith(QLatin1String("fuzz.script:")));
        MAILWIRE_FUZZ_CHECK(script.errorLine() >= 0
                            && script.errorLine() <= text.count(QLatin1Char('\n')) + 1);
        return 0;
    }
    MAILWIRE_FUZZ_CHECK(!script.steps().isEmpty());
    (void)script.hasStartTls();
    const QStringList captures = {QStringLiteral("A1 NOOP"), QStringLiteral("A1"),
                                  QStringLiteral("NOOP")};
    int previousLine = 0;
    for (const Script::Step &step : script.steps()) {
        MAILWIRE_FUZZ_CHECK(step.line > previousLine);
        previousLine = step.line;
        (void)mailwire::fixtures::describeStep(step);
        if (step.kind == Script::Kind::Send || step.kind == Script::Kind::SendRaw) {
            const QByteArray bytes = Script::expand(step, captures);
            if (step.kind == Script::Kind::Send)
                MAILWIRE_FUZZ_CHECK(bytes.endsWith("\r\n"));
            else
                MAILWIRE_FUZZ_CHECK(!step.pieces.isEmpty());
        }
        if (step.kind == Script::Kind::ExpectMatch)
            MAILWIRE_FUZZ_CHECK(step.pattern.isValid());
    }
    return 0;
}
