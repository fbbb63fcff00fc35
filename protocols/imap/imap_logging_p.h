// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QLoggingCategory>

namespace mailwire::detail {

// "mailwire.imap": the IMAP protocol lines (C:/S:, redacted) of every ImapSession. Info and
// above by default; QT_LOGGING_RULES="mailwire.imap.debug=true" shows the lines.
Q_DECLARE_LOGGING_CATEGORY(lcImap)

} // namespace mailwire::detail
