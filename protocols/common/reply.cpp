// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/reply.h>

#include <QtCore/QEventLoop>
#include <QtCore/QTimer>

namespace mailwire {

Reply::Reply(QObject *parent) : QObject(parent) {}

Reply::~Reply() = default;

bool Reply::waitForFinished(int msecs)
{
    if (!m_finished) {
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
    return m_finished && !m_error.isError();
}

void Reply::finish(const QString &serverText)
{
    if (m_finished)
        return;
    m_finished = true;
    m_serverText = serverText;
    emit finished();
}

void Reply::finishWithError(const Error &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    // Unverified words (said before TLS) are not the server's reply to show; error() keeps
    // them, marked.
    if (error.isServerTextVerified())
        m_serverText = error.serverText();
    emit errorOccurred(error);
    emit finished();
}

} // namespace mailwire
