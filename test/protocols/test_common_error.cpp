// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire::Error: code names, messages, the one-line toString(), and use as a queued
// signal argument.
#include <boost/test/unit_test.hpp>

#include <ostream>

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QThread>
#include <QtCore/QVariant>

#include <mailwire/error.h>
#include <mailwire/protocol_limits.h>

#include "test_support.h"

std::ostream &boost_test_print_type(std::ostream &out, const QString &text)
{
    return out << '"' << text.toStdString() << '"';
}

namespace mailwire {
std::ostream &boost_test_print_type(std::ostream &out, Error::Code code)
{
    return out << Error::codeName(code).toStdString();
}
} // namespace mailwire

namespace {

using mailwire::Error;
using Code = Error::Code;

// Emits an Error from another thread, so the connection is queued (needs the metatype).
class Emitter : public QObject
{
    Q_OBJECT
signals:
    void failed(const mailwire::Error &error);
};

} // namespace

BOOST_AUTO_TEST_SUITE(common_error)

BOOST_AUTO_TEST_CASE(code_names_match_the_enumerators)
{
    const struct
    {
        Code code;
        const char *name;
    } rows[] = {
        {Code::None, "None"},
        {Code::ConnectionFailed, "ConnectionFailed"},
        {Code::Timeout, "Timeout"},
        {Code::TlsHandshakeFailed, "TlsHandshakeFailed"},
        {Code::CertificateRejected, "CertificateRejected"},
        {Code::StartTlsNotOffered, "StartTlsNotOffered"},
        {Code::StartTlsRefused, "StartTlsRefused"},
        {Code::PlaintextAfterUpgrade, "PlaintextAfterUpgrade"},
        {Code::PreauthBeforeTls, "PreauthBeforeTls"},
        {Code::BadGreeting, "BadGreeting"},
        {Code::AuthenticationFailed, "AuthenticationFailed"},
        {Code::AuthenticationUnavailable, "AuthenticationUnavailable"},
        {Code::PlaintextAuthRefused, "PlaintextAuthRefused"},
        {Code::ProtocolError, "ProtocolError"},
        {Code::LimitExceeded, "LimitExceeded"},
        {Code::CommandFailed, "CommandFailed"},
        {Code::InvalidArgument, "InvalidArgument"},
        {Code::ConnectionClosed, "ConnectionClosed"},
        {Code::Cancelled, "Cancelled"},
    };
    // Every enumerator is listed: Cancelled is the last one.
    BOOST_TEST(int(Code::Cancelled) + 1 == int(sizeof rows / sizeof rows[0]));
    for (const auto &row : rows) {
        BOOST_TEST(Error::codeName(row.code) == QString::fromLatin1(row.name));
        // Every real error gets a message for people even when none was given.
        const Error error(row.code);
        BOOST_TEST(error.isError() == (row.code != Code::None));
        BOOST_TEST(error.message().isEmpty() == (row.code == Code::None));
    }
}

BOOST_AUTO_TEST_CASE(default_error_is_none)
{
    const Error none;
    BOOST_TEST(none.code() == Code::None);
    BOOST_TEST(!none.isError());
    BOOST_TEST(none.message().isEmpty());
    BOOST_TEST(none.serverText().isEmpty());
    BOOST_TEST(none.toString() == QStringLiteral("None"));
}

BOOST_AUTO_TEST_CASE(to_string_is_one_line)
{
    const Error refused(Code::StartTlsRefused, QStringLiteral("the server refused STARTTLS"),
                        QStringLiteral("A2 NO TLS not available"));
    BOOST_TEST(refused.code() == Code::StartTlsRefused);
    BOOST_TEST(refused.message() == QStringLiteral("the server refused STARTTLS"));
    BOOST_TEST(refused.serverText() == QStringLiteral("A2 NO TLS not available"));
    BOOST_TEST(refused.toString()
               == QStringLiteral("StartTlsRefused: the server refused STARTTLS "
                                 "(server: A2 NO TLS not available)"));

    BOOST_TEST(Error(Code::Timeout, QStringLiteral("no greeting within 30 s")).toString()
               == QStringLiteral("Timeout: no greeting within 30 s"));
    BOOST_TEST(Error(Code::Timeout).toString()
               == QStringLiteral("Timeout: the server did not answer in time"));

    // Server text cannot break the line or send terminal controls.
    const Error hostile(Code::AuthenticationFailed, QStringLiteral("login failed"),
                        QStringLiteral("535 no\r\nS: 235 ok\x1b[2J"));
    const QString line = hostile.toString();
    BOOST_TEST(!line.contains(QLatin1Char('\n')));
    BOOST_TEST(!line.contains(QLatin1Char('\r')));
    BOOST_TEST(!line.contains(QChar(0x1b)));
    BOOST_TEST(line.startsWith(QStringLiteral("AuthenticationFailed: login failed (server: 535 no")));
    // serverText() itself stays verbatim.
    BOOST_TEST(hostile.serverText() == QStringLiteral("535 no\r\nS: 235 ok\x1b[2J"));
}

BOOST_AUTO_TEST_CASE(errors_compare_by_value)
{
    const Error a(Code::LimitExceeded, QStringLiteral("line too long"));
    BOOST_TEST((a == Error(Code::LimitExceeded, QStringLiteral("line too long"))));
    BOOST_TEST((a != Error(Code::LimitExceeded, QStringLiteral("literal too large"))));
    BOOST_TEST((a != Error(Code::ProtocolError, QStringLiteral("line too long"))));
}

BOOST_AUTO_TEST_CASE(error_travels_through_qvariant_and_queued_signals)
{
    const Error sent(Code::PlaintextAfterUpgrade, QString(), QStringLiteral("* CAPABILITY X"));
    const QVariant variant = QVariant::fromValue(sent);
    BOOST_TEST((variant.value<Error>() == sent));
    BOOST_TEST(QMetaType::type("mailwire::Error") != int(QMetaType::UnknownType));

    Emitter emitter;
    QThread thread;
    emitter.moveToThread(&thread);
    Error received;
    QObject receiver;
    QObject::connect(&emitter, &Emitter::failed, &receiver,
                     [&received](const Error &error) { received = error; }, Qt::QueuedConnection);
    QObject::connect(&thread, &QThread::started, &emitter, [&emitter, &sent] {
        emit emitter.failed(sent);
    });
    thread.start();
    BOOST_TEST(mailwire::test::waitUntil([&] { return received.isError(); }, 5000));
    thread.quit();
    thread.wait();
    BOOST_TEST((received == sent));
}

BOOST_AUTO_TEST_CASE(limits_have_documented_defaults)
{
    const mailwire::Limits limits;
    BOOST_TEST(limits.maxLineLength == 64 * 1024);
    BOOST_TEST(limits.maxLiteralSize == qint64(256) * 1024 * 1024);
    BOOST_TEST(limits.maxReplyLines == 1000);
    BOOST_TEST(limits.maxListingLines == 1000 * 1000);
    BOOST_TEST(limits.maxCapabilities == 512);
    BOOST_TEST(limits.maxScramIterations == 1000 * 1000);
    const mailwire::Timeouts timeouts;
    BOOST_TEST(timeouts.connectMs == 30000);
    BOOST_TEST(timeouts.greetingMs == 30000);
    BOOST_TEST(timeouts.handshakeMs == 30000);
    BOOST_TEST(timeouts.commandMs == 60000);
    BOOST_TEST(timeouts.idleMs == 29 * 60 * 1000);
}

BOOST_AUTO_TEST_SUITE_END()

#include "test_common_error.moc"
