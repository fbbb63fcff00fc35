// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/reply.h>

#include <QtCore/QEventLoop>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

#include "reply_p.h"

namespace mailwire {

Reply::Reply(QObject *parent) : QObject(parent), d(std::make_unique<ReplyPrivate>()) {}

Reply::~Reply() = default;

bool Reply::isFinished() const { return d->finished; }

bool Reply::hasError() const { return d->error.isError(); }

Error Reply::error() const { return d->error; }

QString Reply::serverText() const { return d->serverText; }

bool Reply::waitForFinished(int msecs)
{
    if (!d->finished) {
        QEventLoop loop;
        connect(this, &Reply::finished, &loop, &QEventLoop::quit);
        QTimer timer;
        timer.setSingleShot(true);
        if (msecs >= 0) {
            connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
            timer.start(msecs);
        }
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    return d->finished && !d->error.isError();
}

void ReplyPrivate::finish(Reply *reply, const QString &serverText)
{
    ReplyPrivate &d = *reply->d;
    if (d.finished)
        return;
    d.finished = true;
    d.serverText = serverText;
    emit reply->finished();
}

void ReplyPrivate::fail(Reply *reply, const Error &error)
{
    ReplyPrivate &d = *reply->d;
    if (d.finished)
        return;
    d.finished = true;
    d.error = error;
    // Unverified words (said before TLS) are not the server's reply to show; error() keeps
    // them, marked.
    if (error.isServerTextVerified())
        d.serverText = error.serverText();
    emit reply->errorOccurred(error);
    emit reply->finished();
}

void ReplyPrivate::postFailure(Reply *reply, const Error &error)
{
    QMetaObject::invokeMethod(
        reply, [reply, error] { fail(reply, error); }, Qt::QueuedConnection);
}

void ReplyPrivate::finishLater(Reply *reply, const QString &serverText)
{
    QMetaObject::invokeMethod(
        reply, [reply, serverText] { finish(reply, serverText); }, Qt::QueuedConnection);
}

void ReplyPrivate::reportProgress(Reply *reply, qint64 done, qint64 total)
{
    ReplyPrivate &d = *reply->d;
    if (d.finished)
        return;
    if (total >= 0 && done > total)
        done = total;
    done = qMax(done, d.progressDone);
    if (total >= 0 && total < done)
        total = done;
    if (done == d.progressDone && total == d.progressTotal)
        return;
    d.progressDone = done;
    d.progressTotal = total;
    emit reply->progress(done, total);
}

} // namespace mailwire
