// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>

#include <mailwire/capabilities.h>

namespace mailwire::detail {

/// The capabilities an IMAP CAPABILITY response or [CAPABILITY] code lists, from its atoms
/// ({"IMAP4rev1", "STARTTLS", "AUTH=PLAIN"}). An atom with a value ("AUTH=PLAIN") is a
/// capability itself and also, derived, its name with the value as parameter ("AUTH" with
/// "PLAIN"), which is how saslMechanisms() finds the mechanisms. Linear in the atoms: the
/// session bounds their number (Limits::maxCapabilities) before it calls this.
Capabilities imapCapabilities(const QList<QByteArray> &atoms);

} // namespace mailwire::detail
