// SPDX-License-Identifier: LGPL-3.0-or-later
// No secret in any output (DESIGN.md §2, rule 9): every secret-bearing IMAP command, in every
// quoting the protocol allows, against fixture scripts that fix each byte on the wire. The
// password (or token, or SASL payload, in its base64 forms) must appear neither in the
// transcript nor in the mailwire.* debug log nor in an error message.
#include "imap_commands_fixture.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QMutex>
#include <QtCore/QMutexLocker>
#include <QtCore/QRegularExpression>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

using namespace mailwire;
using namespace mailwire::test;

namespace {

/// Turns on every mailwire.* debug category and records what they print, for the lifetime
/// of the object (one at a time). Messages of other categories go to the previous handler.
/// mailwire.fixture is the scripted server, the peer: it logs what it received, as a server
/// would, and is no output of the library.
class LogCapture
{
public:
    LogCapture()
    {
        s_current = this;
        m_previous = qInstallMessageHandler(&LogCapture::handle);
        QLoggingCategory::setFilterRules(
            QStringLiteral("mailwire.*.debug=true\nmailwire.fixture.debug=false"));
    }
    ~LogCapture()
    {
        QLoggingCategory::setFilterRules(QString());
        qInstallMessageHandler(m_previous);
        s_current = nullptr;
    }
    LogCapture(const LogCapture &) = delete;
    LogCapture &operator=(const LogCapture &) = delete;

    QString text() const
    {
        QMutexLocker lock(&m_mutex);
        return m_text;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        LogCapture *self = s_current;
        if (self && context.category && qstrncmp(context.category, "mailwire.", 9) == 0
            && qstrcmp(context.category, "mailwire.fixture") != 0) {
            QMutexLocker lock(&self->m_mutex);
            self->m_text += QString::fromLatin1(context.category) + QLatin1String(": ") + message
                + QLatin1Char('\n');
            return;
        }
        if (self && self->m_previous)
            self->m_previous(type, context, message);
    }

    static LogCapture *s_current;
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QString m_text;
};

LogCapture *LogCapture::s_current = nullptr;

/// value as an IMAP quoted string (RFC 9051 §4.3): '\\' and '"' escaped.
QByteArray quotedString(const QByteArray &value)
{
    QByteArray out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

/// The forms in which a secret could leak: as is, as an IMAP quoted string, in base64 at
/// each of the three alignments it can have inside a larger SASL payload (the characters
/// that depend on the secret's bytes alone), and its printable ASCII runs (so an 8-bit
/// secret is caught whatever a log does to its non-ASCII bytes).
QList<QByteArray> leakForms(const QByteArray &secret)
{
    QList<QByteArray> forms{secret, quotedString(secret)};
    for (int skip = 0; skip < 3; ++skip) {
        const int whole = (secret.size() - skip) / 3 * 3;
        if (whole >= 6)
            forms << secret.mid(skip, whole).toBase64();
    }
    static const QRegularExpression asciiRun(QStringLiteral("[\\x21-\\x7e]{8,}"));
    QRegularExpressionMatchIterator runs = asciiRun.globalMatch(QString::fromLatin1(secret));
    while (runs.hasNext())
        forms << runs.next().captured().toLatin1();
    return forms;
}

/// Asserts that no form of secret occurs in text (bytes as UTF-8 and as Latin-1, since a
/// log may have read 8-bit bytes either way).
void expectHidden(const QString &text, const QByteArray &secret, const char *where)
{
    for (const QByteArray &form : leakForms(secret)) {
        const bool leaked =
            text.contains(QString::fromUtf8(form)) || text.contains(QString::fromLatin1(form));
        BOOST_TEST(!leaked, where << " shows " << form.left(40).toStdString());
    }
}

void expectHidden(const QByteArray &text, const QByteArray &secret, const char *where)
{
    expectHidden(QString::fromUtf8(text), secret, where);
}

/// C= payload for bytes: printable ASCII as is, everything else escaped.
QString rawDirective(const QByteArray &bytes)
{
    QString out = QStringLiteral("C= ");
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b == '\\')
            out += QLatin1String("\\\\");
        else if (b >= 0x20 && b < 0x7f)
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(b, 2, 16, QLatin1Char('0'));
    }
    return out + QLatin1Char('\n');
}

/// How an IMAP string travels (RFC 9051 §4.3), worked out here independently of the
/// command builder: a quoted string for 7-bit text without CR, LF or NUL, else a literal.
bool travelsQuoted(const QByteArray &value)
{
    for (const char c : value) {
        const auto b = static_cast<unsigned char>(c);
        if (b == 0 || b == '\r' || b == '\n' || b > 0x7e)
            return false;
    }
    return true;
}

/// The script of one LOGIN: the greeting (implicit TLS), then the exact bytes of
/// "A001 LOGIN user password", with "+" before each synchronising literal.
QString loginScript(const QByteArray &user, const QByteArray &password, bool literalPlus)
{
    QString script = QStringLiteral("S: * OK [CAPABILITY IMAP4rev1%1] ready\n")
                         .arg(literalPlus ? QStringLiteral(" LITERAL+") : QString());
    QByteArray pending = "A001 LOGIN";
    for (const QByteArray &argument : {user, password}) {
        pending += ' ';
        if (travelsQuoted(argument)) {
            pending += quotedString(argument);
            continue;
        }
        pending += '{' + QByteArray::number(argument.size()) + (literalPlus ? "+}" : "}") + "\r\n";
        script += rawDirective(pending);
        if (!literalPlus)
            script += QStringLiteral("S: + Ready for literal data\n");
        pending = argument;
    }
    script += rawDirective(pending + "\r\n");
    script += QStringLiteral("S: A001 OK [CAPABILITY IMAP4rev1 UIDPLUS] Logged in\nEXPECT-CLOSE\n");
    return script;
}

struct Sample
{
    const char *kind;
    QByteArray value;
};

QList<Sample> users()
{
    return {
        {"atom user", "alice"},
        {"quoted user", "Alice \"Smith\" \\ Jr"},
        {"literal user", "j\xc3\xb6rg"},
    };
}

QList<Sample> passwords()
{
    QByteArray longQuoted;
    while (longQuoted.size() < 3000)
        longQuoted +=
            "Long Secret \"Phrase\" number " + QByteArray::number(longQuoted.size()) + ' ';
    QByteArray longLiteral;
    while (longLiteral.size() < 5000)
        longLiteral += "S\xc3\xa9same-ouvre-toi-" + QByteArray::number(longLiteral.size()) + ' ';
    return {
        {"atom password", "s3cret-Pa55"},
        {"quoted password", "p@ss w0rd \"quoted\" \\back\\ (x) {5}"},
        {"8-bit literal password", "p\xc3\xa4sswort-Geheimnis-\xe2\x82\xac"},
        {"DEL forces a literal",
         "del\x7f"
         "Password-Value"},
        {"long quoted password", longQuoted},
        {"long literal password", longLiteral},
    };
}

/// Runs f's session to Connected, authenticates with credentials and returns the reply's
/// error (None on success), the session left as it ended.
Error::Code authenticateWith(CommandsFixture &f, const Credentials &credentials)
{
    Reply *connect = f.session.connectToServer();
    BOOST_TEST_REQUIRE(connect->waitForFinished(10000), connect->error().toString().toStdString());
    Reply *auth = f.session.authenticate(credentials);
    auth->waitForFinished(10000);
    BOOST_TEST(auth->isFinished());
    return auth->error().code();
}

/// Every output that could carry the secret: transcript, debug log, the error's text.
void expectHiddenEverywhere(CommandsFixture &f, const LogCapture &log, const QByteArray &secret)
{
    expectHidden(f.transcript.text(), secret, "transcript");
    expectHidden(log.text(), secret, "debug log");
    expectHidden(f.session.lastError().toString(), secret, "session error");
}

Credentials saslCredentials(const char *mechanism)
{
    Credentials credentials;
    credentials.user = QStringLiteral("alice");
    credentials.password = QStringLiteral("s3cret-Pa55-\u00e4\u00f6\u00fc");
    credentials.oauthToken = QStringLiteral("ya29.A0ARrdaM-Secret_Token.Value~42");
    credentials.preferredMechanisms = QStringList{QString::fromLatin1(mechanism)};
    return credentials;
}

QByteArray b64(const QByteArray &raw) { return raw.toBase64(); }

const char *const SaslGreeting =
    "S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN AUTH=XOAUTH2 AUTH=OAUTHBEARER%1] ready\n";

QString saslGreeting(bool saslIr)
{
    return QString::fromLatin1(SaslGreeting).arg(saslIr ? QStringLiteral(" SASL-IR") : QString());
}

/// A plain-TCP IMAP server that plays the server side of SCRAM (-SHA-256 or -SHA-1) up to
/// the client's final message, then refuses. A fixture script cannot: the server-first
/// message must extend the client's random nonce (RFC 5802 §5.1).
class ScramServer : public QObject
{
public:
    ScramServer(const QByteArray &mechanism, bool saslIr) : m_mechanism(mechanism), m_saslIr(saslIr)
    {
        BOOST_TEST_REQUIRE(m_server.listen(QHostAddress::LocalHost));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            m_socket = m_server.nextPendingConnection();
            connect(m_socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
            m_socket->write("* OK [" + capabilities() + "] ready\r\n");
        });
    }

    quint16 port() const { return m_server.serverPort(); }
    /// The decoded client-final message, once it came.
    QByteArray clientFinal() const { return m_clientFinal; }
    /// Every line the client sent.
    QList<QByteArray> lines() const { return m_lines; }

private:
    enum class Step {
        Command,
        ClientFirst,
        ClientFinal,
        Done
    };

    QByteArray capabilities() const
    {
        return "CAPABILITY IMAP4rev1 AUTH=" + m_mechanism + (m_saslIr ? " SASL-IR" : "");
    }

    void onReadyRead()
    {
        while (m_socket->canReadLine()) {
            QByteArray line = m_socket->readLine();
            line.chop(2);
            m_lines << line;
            handle(line);
        }
    }

    void handle(const QByteArray &line)
    {
        const QByteArray tag = line.left(line.indexOf(' '));
        switch (m_step) {
        case Step::Command:
            if (line.endsWith(" CAPABILITY")) {
                m_socket->write("* " + capabilities() + "\r\n" + tag + " OK done\r\n");
            } else if (line.startsWith(tag + " AUTHENTICATE " + m_mechanism + ' ')) {
                serverFirst(QByteArray::fromBase64(line.mid(line.lastIndexOf(' ') + 1)));
            } else if (line == tag + " AUTHENTICATE " + m_mechanism) {
                m_socket->write("+ \r\n");
                m_step = Step::ClientFirst;
            }
            return;
        case Step::ClientFirst: return serverFirst(QByteArray::fromBase64(line));
        case Step::ClientFinal:
            m_clientFinal = QByteArray::fromBase64(line);
            m_socket->write("A001 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
            m_step = Step::Done;
            return;
        case Step::Done: return;
        }
    }

    void serverFirst(const QByteArray &clientFirst)
    {
        const QByteArray nonce = clientFirst.mid(clientFirst.indexOf(",r=") + 3);
        const QByteArray message =
            "r=" + nonce + "3rfcNHYJY1ZVvWVs7j,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        m_socket->write("+ " + message.toBase64() + "\r\n");
        m_step = Step::ClientFinal;
    }

    QTcpServer m_server;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_mechanism;
    bool m_saslIr = false;
    Step m_step = Step::Command;
    QByteArray m_clientFinal;
    QList<QByteArray> m_lines;
};

/// One SCRAM exchange against ScramServer (plain TCP on loopback: the nonce rules out a
/// script, and TLS adds nothing to what is checked here): the client-final message goes
/// out, and neither it, its proof nor the password shows in any output.
void expectScramRedacted(const char *mechanism, bool saslIr)
{
    ScramServer server(mechanism, saslIr);
    ImapSession session;
    StringTranscript transcript;
    ConnectionSettings settings;
    settings.host = QStringLiteral("127.0.0.1");
    settings.port = server.port();
    settings.tlsMode = TlsMode::Plain;
    settings.allowPlaintextAuth = true;
    settings.timeouts.greetingMs = settings.timeouts.commandMs = 5000;
    session.setSettings(settings);
    session.setTranscriptSink(&transcript);
    const Credentials credentials = saslCredentials(mechanism);
    const QByteArray password = credentials.password.toUtf8();

    LogCapture log;
    BOOST_TEST_REQUIRE(session.connectToServer()->waitForFinished(10000));
    Reply *auth = session.authenticate(credentials);
    BOOST_TEST(!auth->waitForFinished(10000));
    BOOST_TEST(auth->error().code() == Error::Code::AuthenticationFailed,
               auth->error().toString().toStdString());

    const QByteArray final = server.clientFinal();
    BOOST_TEST_REQUIRE(final.startsWith("c=biws,r="), final.toStdString());
    const QByteArray proof = final.mid(final.indexOf(",p=") + 3);
    // base64 of an HMAC: SHA-256 32 bytes, SHA-1 20 bytes.
    BOOST_TEST(proof.size() == (qstrcmp(mechanism, "SCRAM-SHA-1") == 0 ? 28 : 44));
    for (const QString &output :
         {QString::fromUtf8(transcript.text()), log.text(), auth->error().toString()}) {
        expectHidden(output, password, "output");
        expectHidden(output, final.toBase64(), "output");
        expectHidden(output, proof, "output");
    }
    BOOST_TEST(transcript.text().contains("<redacted>"));
    session.abort();
}

const QString LoggedIn =
    QStringLiteral("S: A001 OK [CAPABILITY IMAP4rev1 UIDPLUS] Logged in\nEXPECT-CLOSE\n");

} // namespace

BOOST_AUTO_TEST_SUITE(imap_redaction_session)

BOOST_AUTO_TEST_CASE(a_quoted_password_after_a_literal_user_name_is_redacted)
{
    // The reported case: "C: jörg \"s3cret-Pa55\"" showed the password in the transcript.
    LogCapture log;
    CommandsFixture f(namedScript("imap/auth_login_literal_user"));
    Credentials credentials;
    credentials.user = QString::fromUtf8("j\xc3\xb6rg");
    credentials.password = QStringLiteral("s3cret-Pa55");
    BOOST_TEST(authenticateWith(f, credentials) == Error::Code::None);
    BOOST_TEST(f.session.state() == SessionBase::State::Authenticated);
    f.session.abort();
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());

    expectHiddenEverywhere(f, log, "s3cret-Pa55");
    BOOST_TEST(f.transcript.lines().contains(QByteArray("C: A001 LOGIN {5}")),
               f.transcript.text().toStdString());
    BOOST_TEST(f.transcript.lines().contains(QByteArray("C: j\xc3\xb6rg <redacted>")),
               f.transcript.text().toStdString());
    BOOST_TEST(log.text().contains(QStringLiteral("<redacted>"))); // the capture works
}

BOOST_AUTO_TEST_CASE(protocol_lines_log_to_mailwire_imap_and_the_machine_to_mailwire_session)
{
    // Each layer logs to its own category (DESIGN.md §2): a user turns on
    // mailwire.imap.debug to see the IMAP conversation, mailwire.session for the upgrade.
    LogCapture log;
    CommandsFixture f(namedScript("imap/auth_login_literal_user"));
    Credentials credentials;
    credentials.user = QString::fromUtf8("j\xc3\xb6rg");
    credentials.password = QStringLiteral("s3cret-Pa55");
    BOOST_TEST(authenticateWith(f, credentials) == Error::Code::None);
    f.session.abort();
    BOOST_TEST(f.server.waitForFinished(5000));
    const QString text = log.text();
    BOOST_TEST(text.contains(QStringLiteral("mailwire.imap: C: A001 LOGIN {5}")),
               text.toStdString());
    BOOST_TEST(text.contains(QStringLiteral("mailwire.imap: S: ")), text.toStdString());
    BOOST_TEST(text.contains(QStringLiteral("mailwire.session: state")), text.toStdString());
    BOOST_TEST(!text.contains(QStringLiteral("mailwire.session: C:")), text.toStdString());
    BOOST_TEST(!text.contains(QStringLiteral("mailwire.session: S:")), text.toStdString());
}

BOOST_AUTO_TEST_CASE(login_redacts_the_password_in_every_quoting_of_user_and_password)
{
    // User atom-like, quoted or literal x password atom-like, quoted, literal (8-bit, DEL),
    // long quoted, long literal; with synchronising literals and with LITERAL+.
    for (const bool literalPlus : {false, true}) {
        for (const Sample &user : users()) {
            for (const Sample &password : passwords()) {
                BOOST_TEST_CONTEXT(user.kind << " x " << password.kind
                                             << (literalPlus ? " (LITERAL+)" : " (sync)"))
                {
                    LogCapture log;
                    CommandsFixture f(
                        scriptText(loginScript(user.value, password.value, literalPlus)));
                    Credentials credentials;
                    credentials.user = QString::fromUtf8(user.value);
                    credentials.password = QString::fromUtf8(password.value);
                    BOOST_TEST(authenticateWith(f, credentials) == Error::Code::None);
                    f.session.abort();
                    BOOST_TEST(f.server.waitForFinished(5000));
                    BOOST_TEST(f.server.result().passed, f.describe());

                    expectHiddenEverywhere(f, log, password.value);
                    BOOST_TEST(f.transcript.text().contains("<redacted>"));
                    // Redaction hides the password only: the user name stays readable.
                    const QByteArray shownUser =
                        travelsQuoted(user.value) ? quotedString(user.value) : user.value;
                    BOOST_TEST(f.transcript.text().contains(shownUser),
                               f.transcript.text().left(300).toStdString());
                    // A literal's size is part of the secret: no "{n}" of the password.
                    if (!travelsQuoted(password.value)) {
                        BOOST_TEST(!f.transcript.text().contains(
                            '{' + QByteArray::number(password.value.size())));
                    }
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(authenticate_plain_hides_the_payload_with_and_without_sasl_ir)
{
    for (const bool saslIr : {true, false}) {
        BOOST_TEST_CONTEXT((saslIr ? "SASL-IR" : "continuation"))
        {
            const Credentials credentials = saslCredentials("PLAIN");
            const QByteArray password = credentials.password.toUtf8();
            const QByteArray payload = b64(QByteArray("\0alice\0", 7) + password);
            const QString exchange = saslIr
                ? QStringLiteral("C: A001 AUTHENTICATE PLAIN %1\n")
                      .arg(QString::fromLatin1(payload))
                : QStringLiteral("C: A001 AUTHENTICATE PLAIN\nS: + \nC: %1\n")
                      .arg(QString::fromLatin1(payload));
            LogCapture log;
            CommandsFixture f(scriptText(saslGreeting(saslIr) + exchange + LoggedIn));
            BOOST_TEST(authenticateWith(f, credentials) == Error::Code::None);
            f.session.abort();
            BOOST_TEST(f.server.waitForFinished(5000));
            BOOST_TEST(f.server.result().passed, f.describe());
            expectHiddenEverywhere(f, log, password);
            expectHiddenEverywhere(f, log, payload);
            BOOST_TEST(f.transcript.lines().contains(
                           saslIr ? QByteArray("C: A001 AUTHENTICATE PLAIN <redacted>")
                                  : QByteArray("C: <redacted>")),
                       f.transcript.text().toStdString());
        }
    }
}

BOOST_AUTO_TEST_CASE(authenticate_plain_hides_8bit_and_very_long_passwords)
{
    for (const Sample &password : passwords()) {
        BOOST_TEST_CONTEXT(password.kind)
        {
            Credentials credentials = saslCredentials("PLAIN");
            credentials.password = QString::fromUtf8(password.value);
            const QByteArray payload = b64(QByteArray("\0alice\0", 7) + password.value);
            LogCapture log;
            CommandsFixture f(scriptText(saslGreeting(true)
                                         + QStringLiteral("C: A001 AUTHENTICATE PLAIN %1\n")
                                               .arg(QString::fromLatin1(payload))
                                         + LoggedIn));
            BOOST_TEST(authenticateWith(f, credentials) == Error::Code::None);
            f.session.abort();
            BOOST_TEST(f.server.waitForFinished(5000));
            BOOST_TEST(f.server.result().passed, f.describe());
            expectHiddenEverywhere(f, log, password.value);
            expectHiddenEverywhere(f, log, payload);
        }
    }
}

BOOST_AUTO_TEST_CASE(authenticate_login_hides_the_password_continuation)
{
    const Credentials credentials = saslCredentials("LOGIN");
    const QByteArray password = credentials.password.toUtf8();
    LogCapture log;
    CommandsFixture f(
        scriptText(saslGreeting(true)
                   + QStringLiteral("C: A001 AUTHENTICATE LOGIN\n"
                                    "S: + VXNlcm5hbWU6\n"
                                    "C: %1\n"
                                    "S: + UGFzc3dvcmQ6\n"
                                    "C: %2\n")
                         .arg(QString::fromLatin1(b64("alice")), QString::fromLatin1(b64(password)))
                   + LoggedIn));
    BOOST_TEST(authenticateWith(f, credentials) == Error::Code::None);
    f.session.abort();
    BOOST_TEST(f.server.waitForFinished(5000));
    BOOST_TEST(f.server.result().passed, f.describe());
    expectHiddenEverywhere(f, log, password);
    BOOST_TEST(f.transcript.lines().count(QByteArray("C: <redacted>")) == 2,
               f.transcript.text().toStdString());
}

BOOST_AUTO_TEST_CASE(oauth_tokens_are_hidden_with_and_without_sasl_ir)
{
    for (const char *mechanism : {"XOAUTH2", "OAUTHBEARER"}) {
        for (const bool saslIr : {true, false}) {
            BOOST_TEST_CONTEXT(mechanism << (saslIr ? " SASL-IR" : " continuation"))
            {
                const Credentials credentials = saslCredentials(mechanism);
                const QByteArray token = credentials.oauthToken.toLatin1();
                const QString verb =
                    QStringLiteral("A001 AUTHENTICATE ") + QLatin1String(mechanism);
                // The payload is base64; OAUTHBEARER's names the server's port (RFC 7628
                // §3.1), known only once the server listens, so it is checked afterwards.
                const QString payload = QStringLiteral("[A-Za-z0-9+/]+={0,2}");
                LogCapture log;
                CommandsFixture f(scriptText(
                    saslGreeting(saslIr)
                    + (saslIr ? QStringLiteral("C~ %1 %2\n").arg(verb, payload)
                              : QStringLiteral("C: %1\nS: + \nC~ %2\n").arg(verb, payload))
                    + LoggedIn));
                BOOST_TEST(authenticateWith(f, credentials) == Error::Code::None);
                f.session.abort();
                BOOST_TEST(f.server.waitForFinished(5000));
                BOOST_TEST(f.server.result().passed, f.describe());

                const QByteArray message = qstrcmp(mechanism, "XOAUTH2") == 0 ? "user=alice\x01"
                                                                                "auth=Bearer "
                        + token + "\x01\x01"
                                                                              : "n,a=alice,\x01"
                                                                                "host=127.0.0.1\x01"
                                                                                "port="
                        + QByteArray::number(f.server.serverPort())
                        + "\x01"
                          "auth=Bearer "
                        + token + "\x01\x01";
                const QByteArray sent =
                    f.server.result().clientLines.value(saslIr ? 0 : 1).toLatin1();
                BOOST_TEST(sent.endsWith(b64(message)), sent.toStdString());
                expectHiddenEverywhere(f, log, token);
                expectHiddenEverywhere(f, log, b64(message));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(an_oauth_error_challenge_and_its_answer_reveal_no_token)
{
    // XOAUTH2 answers the error JSON with an empty line, OAUTHBEARER with %x01 (RFC 7628
    // §3.2.3); the server then fails the command.
    const QByteArray json =
        R"({"status":"401","schemes":"bearer","scope":"https://mail.example.org/"})";
    for (const char *mechanism : {"XOAUTH2", "OAUTHBEARER"}) {
        BOOST_TEST_CONTEXT(mechanism)
        {
            const Credentials credentials = saslCredentials(mechanism);
            const bool xoauth2 = qstrcmp(mechanism, "XOAUTH2") == 0;
            LogCapture log;
            CommandsFixture f(scriptText(
                saslGreeting(true)
                + QStringLiteral("C~ A001 AUTHENTICATE %1 [A-Za-z0-9+/]+={0,2}\n"
                                 "S: + %2\n"
                                 "C: %3\n"
                                 "S: A001 NO [AUTHENTICATIONFAILED] Invalid credentials\n"
                                 "EXPECT-CLOSE\n")
                      .arg(QLatin1String(mechanism), QString::fromLatin1(b64(json)),
                           xoauth2 ? QString() : QStringLiteral("AQ=="))));
            BOOST_TEST(authenticateWith(f, credentials) == Error::Code::AuthenticationFailed);
            f.session.abort();
            BOOST_TEST(f.server.waitForFinished(5000));
            BOOST_TEST(f.server.result().passed, f.describe());
            expectHiddenEverywhere(f, log, credentials.oauthToken.toLatin1());
        }
    }
}

BOOST_AUTO_TEST_CASE(scram_client_messages_reveal_neither_password_nor_proof)
{
    for (const char *mechanism : {"SCRAM-SHA-256", "SCRAM-SHA-1"}) {
        for (const bool saslIr : {true, false}) {
            BOOST_TEST_CONTEXT(mechanism << (saslIr ? " SASL-IR" : " continuation"))
            {
                expectScramRedacted(mechanism, saslIr);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
