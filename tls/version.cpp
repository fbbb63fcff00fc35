// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire::version(): the version this library was built as (generated <mailwire/version.h>).
#include <mailwire/version.h>

namespace mailwire {

const char *version() noexcept { return MAILWIRE_VERSION_STR; }

} // namespace mailwire
