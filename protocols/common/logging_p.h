// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QLoggingCategory>

namespace mailwire::detail {

// One category per layer (DESIGN.md §2), each defined by the layer that logs to it: this
// one by the shared upgrade machine; "mailwire.imap" in protocols/imap (SMTP and POP3 bring
// theirs). Like "mailwire.tls", they log info and above by default; enable debug with
// QT_LOGGING_RULES="mailwire.session.debug=true". Client lines are logged only after
// redactClientLine().
Q_DECLARE_LOGGING_CATEGORY(lcSession) // "mailwire.session": the shared upgrade machine

} // namespace mailwire::detail
