// SPDX-License-Identifier: LGPL-3.0-or-later
// ImapSession with a QTranslator installed that translates every mailwire::SslSocket message:
// the session must still recognise a STARTTLS injection caught by the socket as
// PlaintextAfterUpgrade, because it reads the cause as a value
// (SslSocket::encryptionFailure()), not from the translated errorString(). Its own executable,
// since an installed translator is process-wide.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <ostream>

#include <QtCore/QCoreApplication>
#include <QtCore/QTranslator>

#include "fixture_server.h"
#include <mailwire/imap_session.h>
#include <mailwire/ssl_socket.h>
#include "script.h"

#include "test_support.h"

namespace mailwire {
std::ostream &operator<<(std::ostream &out, Error::Code code)
{
    return out << Error::codeName(code).toStdString();
}
std::ostream &operator<<(std::ostream &out, SessionBase::State state) { return out << int(state); }
} // namespace mailwire

using namespace mailwire;
using namespace mailwire::fixtures;

namespace {

const QString Translated = QStringLiteral("Ung\u00fcltige TLS-Konfiguration");

/// Translates every message of SslSocket into words that share nothing with the English
/// ones (as a real translation would); no .qm file needed.
class SocketTranslator : public QTranslator
{
public:
    QString translate(const char *context, const char *sourceText, const char *disambiguation,
                      int n) const override
    {
        Q_UNUSED(disambiguation)
        Q_UNUSED(n)
        if (qstrcmp(context, SslSocket::staticMetaObject.className()) != 0)
            return QString();
        return std::strstr(sourceText, "%1") ? Translated + QStringLiteral(" (%1)") : Translated;
    }
    bool isEmpty() const override { return false; }
};

/// Installed for one case, removed at its end.
struct TranslatorInstalled
{
    TranslatorInstalled() { QCoreApplication::installTranslator(&translator); }
    ~TranslatorInstalled() { QCoreApplication::removeTranslator(&translator); }
    SocketTranslator translator;
};

// The session reads the socket 16 KiB at a time (SessionBase::onSocketReadyRead). A padding
// line sized so that it and the STARTTLS OK fill one read exactly leaves the forged line in
// the socket, not in the parser: then the socket's own check (startClientEncryption()) is what
// catches the injection, with its translated message.
constexpr int SessionReadSize = 16 * 1024;
const QByteArray OkLine = "A001 OK Begin TLS negotiation now.\r\n";

QString injectionAfterOneFullReadScript()
{
    const QByteArray prefix = "* OK ";
    const int padding = SessionReadSize - OkLine.size() - prefix.size() - 2;
    const QByteArray paddingLine = prefix + QByteArray(padding, 'x');
    return QStringLiteral("S: * OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED] ready\n"
                          "C: A001 STARTTLS\n")
        + QStringLiteral("S: ") + QString::fromLatin1(paddingLine) + QLatin1Char('\n')
        + QStringLiteral("S: ") + QString::fromLatin1(OkLine.chopped(2)) + QLatin1Char('\n')
        + QStringLiteral("S: * CAPABILITY IMAP4rev1 AUTH=PLAIN\n"
                         "TLS\n"
                         "EXPECT-CLOSE\n");
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(imap_translated_session, TranslatorInstalled)

BOOST_AUTO_TEST_CASE(translated_socket_message_still_gives_plaintext_after_upgrade)
{
    // The translator is really in use for SslSocket's messages.
    BOOST_TEST_REQUIRE(SslSocket::tr("Peer sent %1 unexpected byte(s) before the TLS handshake")
                           .startsWith(Translated));

    const Script script = Script::fromText(injectionAfterOneFullReadScript());
    BOOST_TEST_REQUIRE(script.isValid(), script.errorString().toStdString());
    FixtureServer server(script);
    ImapSession session;
    ConnectionSettings settings;
    settings.host = QStringLiteral("127.0.0.1");
    settings.port = server.serverPort();
    settings.peerVerifyName = QStringLiteral("localhost");
    settings.tlsMode = TlsMode::StartTls;
    settings.ssl.setCaCertificates({FixtureServer::caCertificate()});
    settings.timeouts.greetingMs = 10000;
    settings.timeouts.commandMs = 10000;
    settings.timeouts.handshakeMs = 10000;
    session.setSettings(settings);

    Reply *reply = session.connectToServer();
    reply->waitForFinished(15000);
    const Error error = reply->error();
    BOOST_TEST(error.code() == Error::Code::PlaintextAfterUpgrade, error.toString().toStdString());
    // Caught by the socket (its translated words are in the message), not by the parser.
    BOOST_TEST(error.message().contains(Translated), error.toString().toStdString());
    BOOST_TEST(session.state() == SessionBase::State::Failed);
    BOOST_TEST(!session.isEncrypted());
    BOOST_TEST(!session.capabilities().has("AUTH=PLAIN")); // the forged line was never parsed
    BOOST_TEST(server.waitForFinished(5000));
    BOOST_TEST(server.result().passed, server.result().describe().toStdString());
}

BOOST_AUTO_TEST_SUITE_END()
