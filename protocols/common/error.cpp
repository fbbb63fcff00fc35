// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/error.h>

#include <QtCore/QDebug>
#include <QtCore/QMetaEnum>

#include "shared_private_p.h"

namespace mailwire {

class ErrorPrivate : public QSharedData
{
public:
    Error::Code code = Error::Code::None;
    QString message;
    QString serverText;
    bool serverTextVerified = true;
};

namespace {

QString defaultMessage(Error::Code code)
{
    using C = Error::Code;
    switch (code) {
    case C::None: return QString();
    case C::ConnectionFailed: return QStringLiteral("could not connect to the server");
    case C::Timeout: return QStringLiteral("the server did not answer in time");
    case C::TlsHandshakeFailed: return QStringLiteral("the TLS handshake failed");
    case C::CertificateRejected:
        return QStringLiteral("the server's certificate could not be verified");
    case C::StartTlsNotOffered:
        return QStringLiteral("the server does not offer TLS, which is required");
    case C::StartTlsRefused: return QStringLiteral("the server refused to start TLS");
    case C::PlaintextAfterUpgrade:
        return QStringLiteral(
            "unencrypted data followed the TLS upgrade reply (possible injection)");
    case C::PreauthBeforeTls:
        return QStringLiteral("the server pre-authenticated the connection before TLS");
    case C::BadGreeting: return QStringLiteral("the server's greeting was not positive");
    case C::AuthenticationFailed: return QStringLiteral("authentication failed");
    case C::AuthenticationUnavailable:
        return QStringLiteral("no usable authentication mechanism is available");
    case C::PlaintextAuthRefused:
        return QStringLiteral("credentials would be sent without encryption");
    case C::ProtocolError: return QStringLiteral("the server sent malformed data");
    case C::LimitExceeded: return QStringLiteral("the server exceeded a configured limit");
    case C::CommandFailed: return QStringLiteral("the command failed");
    case C::InvalidArgument: return QStringLiteral("invalid argument");
    case C::ConnectionClosed: return QStringLiteral("the connection was closed");
    case C::Cancelled: return QStringLiteral("the operation was cancelled");
    case C::ConnectionTruncated:
        return QStringLiteral(
            "the connection ended without a clean TLS close (data may be missing)");
    }
    return QString();
}

// Server text is attacker-controlled: keep toString() one line and free of terminal controls.
QString oneLine(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        const QChar::Category category = c.category();
        if (category == QChar::Other_Control || category == QChar::Separator_Line
            || category == QChar::Separator_Paragraph)
            c = QLatin1Char(' ');
    }
    return out.trimmed();
}

// Registers the metatype when the library is loaded, so queued signal connections work.
void registerErrorMetaType() { qRegisterMetaType<Error>("mailwire::Error"); }
Q_CONSTRUCTOR_FUNCTION(registerErrorMetaType)

} // namespace

Error::Error() = default;

Error::Error(Code code, const QString &message, const QString &serverText)
{
    if (code == Code::None && message.isEmpty() && serverText.isEmpty())
        return; // the same value as Error(): no private part
    d = new ErrorPrivate;
    d->code = code;
    d->message = message.isEmpty() ? defaultMessage(code) : message;
    d->serverText = serverText;
}

Error::Error(const Error &other) = default;
Error::Error(Error &&other) noexcept = default;
Error &Error::operator=(const Error &other) = default;
Error &Error::operator=(Error &&other) noexcept = default;
Error::~Error() = default;

Error::Code Error::code() const { return detail::readable(d).code; }

QString Error::message() const { return detail::readable(d).message; }

QString Error::serverText() const { return detail::readable(d).serverText; }

bool Error::isServerTextVerified() const
{
    const ErrorPrivate &p = detail::readable(d);
    return p.serverTextVerified || p.serverText.isEmpty();
}

bool Error::isError() const { return code() != Code::None; }

QString Error::codeName(Code code)
{
    const char *name = QMetaEnum::fromType<Code>().valueToKey(int(code));
    return name ? QString::fromLatin1(name) : QStringLiteral("Unknown");
}

Error Error::withUnverifiedServerText() const
{
    if (!d)
        return *this; // no server text to doubt
    Error copy = *this;
    copy.d->serverTextVerified = false;
    return copy;
}

bool operator==(const Error &a, const Error &b)
{
    return a.code() == b.code() && a.message() == b.message() && a.serverText() == b.serverText()
        && a.isServerTextVerified() == b.isServerTextVerified();
}

QString Error::toString() const
{
    QString text = codeName(code());
    const QString shownMessage = oneLine(message());
    if (!shownMessage.isEmpty())
        text += QStringLiteral(": ") + shownMessage;
    const QString server = oneLine(serverText());
    if (!server.isEmpty()) {
        text += isServerTextVerified() ? QStringLiteral(" (server: ")
                                       : QStringLiteral(" (unverified server text: ");
        text += server + QLatin1Char(')');
    }
    return text;
}

QDebug operator<<(QDebug debug, const Error &error)
{
    QDebugStateSaver saver(debug);
    debug.noquote() << error.toString();
    return debug;
}

} // namespace mailwire
