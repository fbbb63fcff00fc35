// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QTimer>

#include <mailwire/imap_replies.h>
#include <mailwire/imap_session.h>

#include "command_pipeline_p.h"

// The private parts of the typed replies (imap_replies.h). Most replies only read the
// responses ImapCommandReply collected and keep nothing of their own yet; each still has a
// private part, so a later version can add state without changing the reply's layout.

namespace mailwire {

/// What an ImapCommandReply holds; the session fills it.
class ImapCommandReplyPrivate
{
public:
    ImapResponse completion;
    QList<ImapResponse> responses;

    static ImapCommandReplyPrivate &get(ImapCommandReply *reply) { return *reply->d; }
};

class ImapListReplyPrivate
{};

class ImapStatusReplyPrivate
{};

class ImapSelectReplyPrivate
{
public:
    QString mailbox; // as the caller asked for it
};

class ImapNamespaceReplyPrivate
{};

class ImapEnableReplyPrivate
{};

class ImapIdReplyPrivate
{};

class ImapExpungeReplyPrivate
{};

class ImapFetchReplyPrivate
{};

class ImapSearchReplyPrivate
{};

class ImapCopyReplyPrivate
{};

class ImapAppendReplyPrivate
{};

/// Where an IDLE stands. ImapSession (imap_session_idle.cpp) drives it; the reply only
/// reports isIdling() and idleCount().
class ImapIdleReplyPrivate
{
public:
    enum class Phase {
        Queued,
        AwaitingContinuation,
        Idling,
        AwaitingCompletion
    };
    /// What follows the tagged OK of the current IDLE.
    enum class Next {
        Finish,
        Refresh,
        Resume
    };

    explicit ImapIdleReplyPrivate(ImapSession *owner) : session(owner) {}

    QPointer<ImapSession> session;
    QTimer refreshTimer;
    const PipelinedCommand *command = nullptr; // the IDLE command queued or in flight
    Phase phase = Phase::Queued;
    Next next = Next::Finish;
    bool stopRequested = false;
    bool idling = false;
    int idleCount = 0;
};

} // namespace mailwire
