// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QSharedDataPointer>

// The implicitly shared value types of the public API (Error, Capabilities, ResponseCode,
// SequenceSet, ImapFetchItems) keep their data in a QSharedDataPointer<XPrivate> that stays
// null while the value is the default one: a parser that builds thousands of responses
// without a response code or a sequence set then allocates nothing for them, and a
// moved-from value still reads as the default.

namespace mailwire::detail {

/// The private part to read: d's, or a default one when d is null.
template <typename Private> const Private &readable(const QSharedDataPointer<Private> &d)
{
    static const Private none;
    return d ? *d : none;
}

/// The private part to write: d's (detached from its other owners), created when null.
template <typename Private> Private *writable(QSharedDataPointer<Private> &d)
{
    if (!d)
        d = new Private;
    return d.data();
}

} // namespace mailwire::detail
