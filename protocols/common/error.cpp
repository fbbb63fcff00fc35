// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/error.h>

#include <QtCore/QDebug>

namespace mailwire {

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

Error::Error(Code code, const QString &message, const QString &serverText)
    : m_code(code), m_message(message.isEmpty() ? defaultMessage(code) : message),
      m_serverText(serverText)
{}

QString Error::codeName(Code code)
{
    using C = Code;
    switch (code) {
    case C::None: return QStringLiteral("None");
    case C::ConnectionFailed: return QStringLiteral("ConnectionFailed");
    case C::Timeout: return QStringLiteral("Timeout");
    case C::TlsHandshakeFailed: return QStringLiteral("TlsHandshakeFailed");
    case C::CertificateRejected: return QStringLiteral("CertificateRejected");
    case C::StartTlsNotOffered: return QStringLiteral("StartTlsNotOffered");
    case C::StartTlsRefused: return QStringLiteral("StartTlsRefused");
    case C::PlaintextAfterUpgrade: return QStringLiteral("PlaintextAfterUpgrade");
    case C::PreauthBeforeTls: return QStringLiteral("PreauthBeforeTls");
    case C::BadGreeting: return QStringLiteral("BadGreeting");
    case C::AuthenticationFailed: return QStringLiteral("AuthenticationFailed");
    case C::AuthenticationUnavailable: return QStringLiteral("AuthenticationUnavailable");
    case C::PlaintextAuthRefused: return QStringLiteral("PlaintextAuthRefused");
    case C::ProtocolError: return QStringLiteral("ProtocolError");
    case C::LimitExceeded: return QStringLiteral("LimitExceeded");
    case C::CommandFailed: return QStringLiteral("CommandFailed");
    case C::InvalidArgument: return QStringLiteral("InvalidArgument");
    case C::ConnectionClosed: return QStringLiteral("ConnectionClosed");
    case C::Cancelled: return QStringLiteral("Cancelled");
    case C::ConnectionTruncated: return QStringLiteral("ConnectionTruncated");
    }
    return QStringLiteral("Unknown");
}

Error Error::withUnverifiedServerText() const
{
    Error copy = *this;
    copy.m_serverTextVerified = false;
    return copy;
}

QString Error::toString() const
{
    QString text = codeName(m_code);
    const QString message = oneLine(m_message);
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    const QString server = oneLine(m_serverText);
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
