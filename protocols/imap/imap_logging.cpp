// SPDX-License-Identifier: LGPL-3.0-or-later
#include "imap_logging_p.h"

namespace mailwire::detail {

Q_LOGGING_CATEGORY(lcImap, "mailwire.imap", QtInfoMsg)

} // namespace mailwire::detail
