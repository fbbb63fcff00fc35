// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QObject>

#include <mailwire/error.h>
#include <mailwire/protocols_export.h>

namespace mailwire {

/// The pending result of one session operation (connect, authenticate, a command).
///
/// A GUI connects to finished()/errorOccurred(); a tool calls waitForFinished(), which runs
/// a local event loop. finished() is emitted exactly once, after errorOccurred() when the
/// operation failed. The session is the parent; the caller may deleteLater() a finished
/// reply it no longer needs. Protocols derive typed replies that carry their results.
class MAILWIRE_PROTOCOLS_EXPORT Reply : public QObject
{
    Q_OBJECT
public:
    explicit Reply(QObject *parent = nullptr);
    ~Reply() override;
    Q_DISABLE_COPY(Reply)

    bool isFinished() const { return m_finished; }
    /// True once finished with an error.
    bool hasError() const { return m_error.isError(); }
    Error error() const { return m_error; }
    /// The server's final reply text (e.g. "OK LOGIN completed"), when there was one.
    /// Empty when the only text came before TLS in StartTls mode: that stays in error(),
    /// marked unverified (Error::isServerTextVerified()).
    QString serverText() const { return m_serverText; }

    /// Runs a local event loop until finished or msecs pass (-1: no limit). Returns true
    /// if the operation finished without error.
    ///
    /// Works from any slot, like QAbstractSocket::waitForReadyRead(): also from one
    /// connected to another reply's finished() or to a session signal. Sessions never call
    /// out to the application from inside the socket's pump, and the replies the session
    /// has already received but not yet dispatched are dispatched inside this loop, so the
    /// awaited command is sent and its reply read while the caller's slot is suspended.
    bool waitForFinished(int msecs = 30000);

    /// Completes the operation (for sessions; callers never need these).
    void finish(const QString &serverText = QString());
    void finishWithError(const Error &error);

Q_SIGNALS:
    void finished();
    void errorOccurred(const mailwire::Error &error);

private:
    Error m_error;
    QString m_serverText;
    bool m_finished = false;
};

} // namespace mailwire
