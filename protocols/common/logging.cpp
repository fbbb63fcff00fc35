// SPDX-License-Identifier: LGPL-3.0-or-later
#include "logging_p.h"

namespace mailwire::detail {

Q_LOGGING_CATEGORY(lcSession, "mailwire.session", QtInfoMsg)

} // namespace mailwire::detail
