// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

#include <mailwire/capabilities.h>
#include <mailwire/connection_settings.h>
#include <mailwire/error.h>
#include <mailwire/reply.h>
#include <mailwire/session_base.h>
#include <mailwire/ssl_socket.h>
#include <mailwire/transcript.h>

namespace mailwire {

class CommandPipeline;

/// SessionBase's state, out of the installed header so that it can grow without changing
/// the size of an exported class.
class SessionBasePrivate
{
public:
    ConnectionSettings settings;
    QPointer<SslSocket> socket;
    QPointer<Reply> connectReply;
    TranscriptSink *transcript = nullptr;
    const QLoggingCategory *protocolLog = nullptr; // C:/S: lines; lcSession until set
    CommandPipeline *pipeline = nullptr;           // the protocol's; it registers itself
    Capabilities capabilities;
    Error lastError;
    QTimer phaseTimer;
    SessionBase::State state = SessionBase::State::Disconnected;
    int roundTrips = 0;
    quint64 generation = 0; // of the connection whose socket events are handled
    qint64 transferred = 0; // bytes moved since the phase timer last started
    qint64 bytesQueued = 0; // what sendLine()/sendRaw() handed to this connection's socket
    bool dispatchResumePosted = false;
    bool sendProgressPosted = false;
    bool readingFrozen = false;
    bool upgraded = false;
    bool preauthenticated = false;
    bool closeExpected = false;
    bool closeAcknowledged = false;
};

} // namespace mailwire
