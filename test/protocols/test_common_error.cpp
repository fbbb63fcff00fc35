// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire::Error: code names, messages, the one-line toString(), and use as a queued
// signal argument.
#include <boost/test/unit_test.hpp>

#include <ostream>

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QThread>
#include <QtCore/QVariant>

#include <mailwire/connection_settings.h>
#include <mailwire/error.h>
#include <mailwire/protocol_limits.h>

#include "imap_parser_p.h"
#include "line_reader_p.h"

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
        {Code::ConnectionTruncated, "ConnectionTruncated"},
    };
    // Every enumerator is listed: ConnectionTruncated is the last one.
    BOOST_TEST(int(Code::ConnectionTruncated) + 1 == int(sizeof rows / sizeof rows[0]));
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
    BOOST_TEST(
        line.startsWith(QStringLiteral("AuthenticationFailed: login failed (server: 535 no")));
    // serverText() itself stays verbatim.
    BOOST_TEST(hostile.serverText() == QStringLiteral("535 no\r\nS: 235 ok\x1b[2J"));
}

BOOST_AUTO_TEST_CASE(server_text_from_before_tls_is_marked_unverified)
{
    const Error refused(Code::StartTlsRefused, QStringLiteral("the server refused STARTTLS"),
                        QStringLiteral("Use port 143 without TLS, it is safe"));
    BOOST_TEST(refused.isServerTextVerified());
    const Error unverified = refused.withUnverifiedServerText();
    BOOST_TEST(!unverified.isServerTextVerified());
    // The words are kept verbatim, for the transcript or a clearly labelled display...
    BOOST_TEST(unverified.serverText() == refused.serverText());
    BOOST_TEST(unverified.code() == refused.code());
    // ...and toString() labels them instead of presenting them as the server's.
    BOOST_TEST(unverified.toString()
               == QStringLiteral("StartTlsRefused: the server refused STARTTLS "
                                 "(unverified server text: Use port 143 without TLS, it is safe)"));
    BOOST_TEST((unverified != refused));
    BOOST_TEST((unverified == refused.withUnverifiedServerText()));
    // Nothing to verify without server text.
    BOOST_TEST(Error(Code::Timeout).withUnverifiedServerText().isServerTextVerified());
    BOOST_TEST((Error(Code::Timeout).withUnverifiedServerText() == Error(Code::Timeout)));
    BOOST_TEST(Error().isServerTextVerified());
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
    QObject::connect(
        &emitter, &Emitter::failed, &receiver,
        [&received](const Error &error) { received = error; }, Qt::QueuedConnection);
    QObject::connect(&thread, &QThread::started, &emitter,
                     [&emitter, &sent] { emit emitter.failed(sent); });
    thread.start();
    BOOST_TEST(mailwire::test::waitUntil([&] { return received.isError(); }, 5000));
    thread.quit();
    thread.wait();
    BOOST_TEST((received == sent));
}

BOOST_AUTO_TEST_CASE(default_settings_enforce_the_documented_limits)
{
    // What a caller gets without choosing: the sizes protocol_limits.h documents are the
    // ones the readers enforce, at the exact boundary.
    const mailwire::ConnectionSettings settings;
    constexpr int MaxLine = 64 * 1024; // "64 KiB"

    // LineReader (SMTP, POP3): a line of exactly the limit is read; one byte more is not.
    mailwire::detail::LineReader reader(settings.limits.maxLineLength);
    reader.append(QByteArray(MaxLine, 'a') + "\r\n");
    QByteArray line;
    BOOST_TEST((reader.nextLine(&line) == mailwire::detail::LineReader::Result::Line));
    BOOST_TEST(line.size() == MaxLine);
    reader.append(QByteArray(MaxLine + 1, 'b') + "\r\n");
    BOOST_TEST((reader.nextLine(&line) == mailwire::detail::LineReader::Result::TooLong));

    // IMAP parser, as a session builds it from the settings: the same line limit...
    using mailwire::detail::ImapParser;
    const QByteArray prefix = "* OK ";
    {
        ImapParser parser(settings.limits);
        parser.feed(prefix + QByteArray(MaxLine - prefix.size(), 'c') + "\r\n");
        mailwire::ImapResponse response;
        BOOST_TEST((parser.next(&response) == ImapParser::Result::Parsed));
    }
    {
        ImapParser parser(settings.limits);
        parser.feed(prefix + QByteArray(MaxLine - prefix.size() + 1, 'c') + "\r\n");
        mailwire::ImapResponse response;
        BOOST_TEST((parser.next(&response) == ImapParser::Result::Malformed));
        BOOST_TEST(parser.error().isLimit());
    }
    // ...and a literal announced one byte over "256 MiB" is refused before any byte of it.
    {
        ImapParser parser(settings.limits);
        parser.feed("* 1 FETCH (BODY[] {" + QByteArray::number(qint64(256) * 1024 * 1024 + 1)
                    + "}\r\n");
        mailwire::ImapResponse response;
        BOOST_TEST((parser.next(&response) == ImapParser::Result::Malformed));
        BOOST_TEST(parser.error().isLimit());
        BOOST_TEST(parser.error().toError().code() == Code::LimitExceeded);
    }
}

BOOST_AUTO_TEST_SUITE_END()

#include "test_common_error.moc"
