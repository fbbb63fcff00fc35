// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace mailwire::detail {

/// Decodes RFC 2047 encoded-words ("=?UTF-8?B?...?=", "=?iso-8859-1?q?...?=") in a header
/// value such as an ENVELOPE subject or address name. Whitespace between two adjacent
/// encoded-words is dropped (RFC 2047 §6.2); text outside them is taken as UTF-8
/// (RFC 6532). An encoded-word with an unknown charset or bad encoding is left as it is.
QString decodeRfc2047(const QByteArray &value);

/// Decodes an RFC 2231 §4 extended parameter value ("utf-8'en'%E2%82%AC.pdf"); returns a
/// null QString if the value is not in that form or the charset is unknown.
QString decodeRfc2231(const QByteArray &value);

} // namespace mailwire::detail
