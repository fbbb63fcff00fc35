// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QLoggingCategory>

namespace mailwire::detail {

// One category per layer (DESIGN.md §2). Like "mailwire.tls", they log info and above by
// default; enable debug with QT_LOGGING_RULES="mailwire.imap.debug=true". Client lines are
// logged only after redactClientLine().
Q_DECLARE_LOGGING_CATEGORY(lcImap)    // "mailwire.imap"
Q_DECLARE_LOGGING_CATEGORY(lcSmtp)    // "mailwire.smtp"
Q_DECLARE_LOGGING_CATEGORY(lcPop3)    // "mailwire.pop3"
Q_DECLARE_LOGGING_CATEGORY(lcSession) // "mailwire.session": the shared upgrade machine

} // namespace mailwire::detail
