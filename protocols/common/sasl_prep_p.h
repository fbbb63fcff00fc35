// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace mailwire::detail {

/// SASLprep (RFC 4013, the stringprep profile of RFC 3454) of a "query" string, as SCRAM
/// requires for names and passwords (RFC 5802 §2.2: unassigned code points allowed).
/// Returns the prepared UTF-8, or false with *why set when the string is prohibited.
///
/// Printable ASCII, by far the common case, is unchanged by SASLprep and takes a fast path;
/// ASCII control characters are prohibited (RFC 3454 C.2.1). Other strings get the whole
/// profile: non-ASCII spaces (C.1.2) become U+0020, B.1 characters are dropped, NFKC with
/// the Unicode 3.2 tables (Qt's normalizer takes the version), the C.2.2-C.9 prohibitions
/// and the bidi rule of RFC 3454 §6. One honest gap: character properties for the bidi rule
/// come from Qt's current Unicode tables, not 3.2's, which only matters for characters
/// assigned after Unicode 3.2 in right-to-left scripts.
bool saslPrep(const QString &input, QByteArray *prepared, QString *why = nullptr);

} // namespace mailwire::detail
