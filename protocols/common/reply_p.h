// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QString>

#include <mailwire/error.h>
#include <mailwire/reply.h>

namespace mailwire {

/// What a Reply holds, and the completion calls only sessions make (a caller that could
/// finish a reply could forge a command's outcome).
class ReplyPrivate
{
public:
    Error error;
    QString serverText;
    qint64 progressDone = -1;  // last reported; progress never goes back
    qint64 progressTotal = -1; // last reported total
    bool finished = false;

    /// Completes reply successfully with the server's final text. Only the first
    /// completion counts.
    static void finish(Reply *reply, const QString &serverText = QString());
    /// Completes reply with error (errorOccurred(), then finished()).
    static void fail(Reply *reply, const Error &error);
    /// fail() from the event loop, so that the caller, who has just received reply, can
    /// connect to it first. Returns reply.
    template <typename R> static R *failLater(R *reply, const Error &error)
    {
        postFailure(reply, error);
        return reply;
    }
    /// finish() from the event loop (see failLater()).
    static void finishLater(Reply *reply, const QString &serverText = QString());
    /// Emits progress(done, total) when done grew or total changed since the last report
    /// (a transfer whose size was unknown reports it at the end); done is clamped to
    /// total when total is known, and never reported smaller than before.
    static void reportProgress(Reply *reply, qint64 done, qint64 total);

private:
    static void postFailure(Reply *reply, const Error &error);
};

} // namespace mailwire
