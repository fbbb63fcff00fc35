// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QMetaType>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>

#include <mailwire/protocols_export.h>

class QDebug;

namespace mailwire {

class ErrorPrivate;

/// What went wrong in a session, as a value: a code to branch on, a message for people and,
/// where the server said something, the server's own words. Sessions report failures with
/// it (signals, replies, lastError()); nothing in Mailwire throws across its API.
class MAILWIRE_PROTOCOLS_EXPORT Error
{
    Q_GADGET
public:
    /// The cause. Each code names one thing a caller may want to react to differently.
    enum class Code {
        None,                      ///< no error
        ConnectionFailed,          ///< TCP connect, DNS or proxy failure; or a socket error
        Timeout,                   ///< a phase (connect, greeting, handshake, command) timed out
        TlsHandshakeFailed,        ///< the TLS handshake failed (protocol, cipher, alert)
        CertificateRejected,       ///< the server's certificate did not verify
        StartTlsNotOffered,        ///< TLS required but the server does not offer the upgrade
        StartTlsRefused,           ///< the server answered the upgrade command negatively
        PlaintextAfterUpgrade,     ///< bytes followed the positive upgrade reply (injection)
        PreauthBeforeTls,          ///< IMAP PREAUTH while TLS was required and not yet up
        BadGreeting,               ///< the greeting was negative or not a greeting at all
        AuthenticationFailed,      ///< the server rejected the credentials or the exchange
        AuthenticationUnavailable, ///< no usable mechanism (or IMAP LOGINDISABLED)
        PlaintextAuthRefused,      ///< credentials would have been sent in the clear
        ProtocolError,             ///< the server broke the protocol grammar
        LimitExceeded,             ///< the server exceeded a bound in mailwire::Limits
        CommandFailed,             ///< a command completed with a negative reply
        InvalidArgument,           ///< the caller's argument is unusable (e.g. CR/LF inside)
        ConnectionClosed,          ///< the connection ended before the operation completed
                                   ///< (a clean close: TLS close_notify, or a plaintext TCP
                                   ///< close; see ConnectionTruncated)
        Cancelled,                 ///< the caller aborted the operation
        ConnectionTruncated        ///< the TLS stream ended without close_notify (or broke)
                                   ///< where more was due: data may have been cut off
    };
    Q_ENUM(Code)

    /// No error: code() is None.
    Error();
    /// An error with a message for people; an empty message is replaced by a generic
    /// description of the code. serverText is what the server said, verbatim.
    explicit Error(Code code, const QString &message = QString(),
                   const QString &serverText = QString());
    /// A copy: implicitly shared, so cheap until one of the two changes.
    Error(const Error &other);
    /// Takes what other holds; other is left empty.
    Error(Error &&other) noexcept;
    /// Becomes a copy of other (implicitly shared).
    Error &operator=(const Error &other);
    /// Takes what other holds; other is left empty.
    Error &operator=(Error &&other) noexcept;
    ~Error();

    /// The cause.
    Code code() const;
    /// A sentence for people (never empty unless code() is None).
    QString message() const;
    /// The server's own words (reply text), empty when the server said nothing relevant.
    /// Check isServerTextVerified() before showing them to a user.
    QString serverText() const;
    /// False when serverText() was received before TLS protected the connection (StartTls
    /// mode, before the upgrade): anyone on the path could have written it, so it may be
    /// shown only in a transcript or clearly labelled as unverified, never as the server's
    /// word (a man in the middle would use it to tell the user what to do). True when there
    /// is no server text.
    bool isServerTextVerified() const;
    /// A copy whose serverText() is marked as unverified (see isServerTextVerified()).
    /// Sessions mark the errors of the pre-TLS phase; callers never need to.
    Error withUnverifiedServerText() const;
    /// True unless code() is None.
    bool isError() const;

    /// The code's enumerator name, e.g. "StartTlsRefused" (from the Q_ENUM metadata).
    static QString codeName(Code code);
    /// One line: "CodeName: message (server: text)", or "(unverified server text: text)"
    /// when isServerTextVerified() is false; CR, LF and other control characters from the
    /// server are shown as spaces so the result stays one line.
    QString toString() const;

    /// Same code, message, server text and verification of the server text.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const Error &a, const Error &b);
    /// Not operator==().
    friend bool operator!=(const Error &a, const Error &b) { return !(a == b); }

private:
    // Null for no error, so a default Error (in every reply and session) costs nothing.
    QSharedDataPointer<ErrorPrivate> d;
};

/// Writes toString() to a debug stream.
MAILWIRE_PROTOCOLS_EXPORT QDebug operator<<(QDebug debug, const Error &error);

} // namespace mailwire

// A signal argument (errorOccurred). The type is also registered at load time so queued
// connections across threads work without the caller calling qRegisterMetaType().
Q_DECLARE_METATYPE(mailwire::Error)
