// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include <QtCore/QString>

#include <mailwire/imap_session.h>

#include "imap_command_p.h"
#include "imap_parser_p.h"
#include "imap_session_commands_p.h"

namespace mailwire {

/// ImapSession's state: the parser for the current stream, the queue and the commands in
/// flight (tagged, in the order sent).
struct ImapSession::Private
{
    std::unique_ptr<detail::ImapParser> parser;
    std::deque<std::unique_ptr<detail::ImapCommand>> queue;
    std::vector<std::unique_ptr<detail::ImapCommand>> inFlight;
    int tagCounter = 0;
    QString byeText;                    // the last untagged BYE: why the server is about to close
    detail::ImapCommandsState commands; // selected mailbox, IDLE (imap_session_mailbox.cpp …)
};

} // namespace mailwire
