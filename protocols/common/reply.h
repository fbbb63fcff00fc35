// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <memory>

#include <QtCore/QObject>

#include <mailwire/error.h>
#include <mailwire/protocols_export.h>

namespace mailwire {

class ReplyPrivate;

/// The pending result of one session operation (connect, authenticate, a command).
///
/// A GUI connects to finished()/errorOccurred(); a tool calls waitForFinished(), which runs
/// a local event loop. finished() is emitted exactly once, after errorOccurred() when the
/// operation failed. The session is the parent; the caller may deleteLater() a finished
/// reply it no longer needs. Protocols derive typed replies that carry their results.
/// Only the session completes a reply.
class MAILWIRE_PROTOCOLS_EXPORT Reply : public QObject
{
    Q_OBJECT
public:
    /// A pending reply; sessions create them (a reply created elsewhere never finishes).
    explicit Reply(QObject *parent = nullptr);
    ~Reply() override;
    Q_DISABLE_COPY(Reply)

    /// True once finished() has been emitted.
    bool isFinished() const;
    /// True once finished with an error.
    bool hasError() const;
    /// Why the operation failed; code() is Error::Code::None while pending or on success.
    Error error() const;
    /// The server's final reply text (e.g. "OK LOGIN completed"), when there was one.
    /// Empty when the only text came before TLS in StartTls mode: that stays in error(),
    /// marked unverified (Error::isServerTextVerified()).
    QString serverText() const;

    /// Runs a local event loop until finished or msecs pass (-1: no limit). Returns true
    /// if the operation finished without error.
    ///
    /// Works from any slot, like QAbstractSocket::waitForReadyRead(): also from one
    /// connected to another reply's finished() or to a session signal. Sessions never call
    /// out to the application from inside the socket's pump, and the replies the session
    /// has already received but not yet dispatched are dispatched inside this loop, so the
    /// awaited command is sent and its reply read while the caller's slot is suspended.
    bool waitForFinished(int msecs = 30000);

Q_SIGNALS:
    /// The operation ended, with or without error; emitted exactly once.
    void finished();
    /// The operation failed with error; emitted just before finished().
    void errorOccurred(const mailwire::Error &error);
    /// A transfer moved forward: done bytes of total (-1 when the total is not known yet).
    /// Emitted by operations that move message data (IMAP FETCH bodies and APPEND; SMTP
    /// DATA/BDAT and POP3 RETR use it too): done never decreases, and a transfer that
    /// completes ends with done == total. Not emitted for small exchanges.
    void progress(qint64 done, qint64 total);

private:
    friend class ReplyPrivate;
    std::unique_ptr<ReplyPrivate> d;
};

} // namespace mailwire
