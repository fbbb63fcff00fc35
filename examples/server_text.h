// SPDX-License-Identifier: LGPL-3.0-or-later
// Server text shown to a person. Whatever a server writes is shown escaped (a hostile server
// must not drive the terminal); what it wrote before TLS protected the connection is also
// labelled as unverified and cut short, since anyone on the path could have written it
// (issue 7 item 8). Only for the examples; needs nothing but QtCore, so every example can
// use it, mailwire-tls-upgrade included.
#pragma once

#include <QtCore/QString>

namespace mailwire::examples {

/// How many characters of unverified server text are shown at most.
constexpr int UnverifiedTextMaxChars = 160;

/// text with control characters (C0, DEL, C1), invisible format characters (bidi
/// overrides, zero-width ones) and line/paragraph separators written as escapes (\x1b,
/// \u202e) and '\\' doubled, so the result is one inert line. At most maxChars characters of
/// text are kept, then "…"; maxChars < 0 keeps all.
QString escapedServerText(const QString &text, int maxChars = -1);

/// `(unverified server text before TLS: "...")`: text escaped as escapedServerText() (and
/// '"' backslashed) and cut at UnverifiedTextMaxChars characters. Empty text gives
/// `(unverified server text before TLS: "")`.
QString unverifiedServerText(const QString &text);

} // namespace mailwire::examples
