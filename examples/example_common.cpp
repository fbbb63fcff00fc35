// SPDX-License-Identifier: LGPL-3.0-or-later
#include "example_common.h"

#include "fixture_server.h"
#include "script.h"

#include <QtCore/QDateTime>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslConfiguration>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iterator>
#include <string>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace mailwire::examples {

ExitCode exitCodeFor(Error::Code code)
{
    switch (code) {
    case Error::Code::None: return ExitSuccess;
    case Error::Code::ConnectionFailed:
    case Error::Code::Timeout:
    case Error::Code::ConnectionClosed:
    case Error::Code::ConnectionTruncated: return ExitNetwork;
    case Error::Code::TlsHandshakeFailed:
    case Error::Code::CertificateRejected: return ExitTls;
    case Error::Code::StartTlsNotOffered:
    case Error::Code::StartTlsRefused:
    case Error::Code::PlaintextAfterUpgrade:
    case Error::Code::PreauthBeforeTls:
    case Error::Code::PlaintextAuthRefused: return ExitPolicy;
    case Error::Code::AuthenticationFailed:
    case Error::Code::AuthenticationUnavailable: return ExitAuthentication;
    case Error::Code::InvalidArgument: return ExitUsage;
    case Error::Code::BadGreeting:
    case Error::Code::ProtocolError:
    case Error::Code::LimitExceeded:
    case Error::Code::CommandFailed:
    case Error::Code::Cancelled: break;
    }
    return ExitServer;
}

// --- options

void addCommonOptions(QCommandLineParser &parser, const QString &defaultScenario)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions({
        {{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help and exit.")},
        {QStringLiteral("host"),
         QStringLiteral("Server to connect to. Without it the embedded fixture server runs "
                        "in this process and the fixture CA is trusted."),
         QStringLiteral("H")},
        {QStringLiteral("port"),
         QStringLiteral("Port (default: the protocol's port for the TLS mode)."),
         QStringLiteral("P")},
        {QStringLiteral("user"),
         QStringLiteral("Login name (required with --host; embedded default: alice)."),
         QStringLiteral("U")},
        {QStringLiteral("ca-file"),
         QStringLiteral("Trust the CA certificates in this PEM file too."), QStringLiteral("PEM")},
        {QStringLiteral("peer-name"),
         QStringLiteral("Name the server certificate must carry (default: the host; "
                        "localhost for the embedded server)."),
         QStringLiteral("NAME")},
        {QStringLiteral("implicit-tls"),
         QStringLiteral("TLS from the first byte (IMAPS 993, SMTPS 465, POP3S 995) instead "
                        "of STARTTLS.")},
        {QStringLiteral("plain"),
         QStringLiteral("No TLS at all (explicit opt-in; credentials are then refused unless "
                        "--allow-plaintext-auth is given too).")},
        {QStringLiteral("allow-plaintext-auth"),
         QStringLiteral("With --plain: send credentials over the unencrypted connection.")},
        {QStringLiteral("transcript"),
         QStringLiteral("Show the C:/S: lines on stderr (secrets redacted).")},
        {QStringLiteral("quiet"), QStringLiteral("Print nothing but errors.")},
        {QStringLiteral("timeout-ms"),
         QStringLiteral("Limit for each phase (connect, greeting, handshake, each command)."),
         QStringLiteral("MS")},
        {QStringLiteral("scenario"),
         QStringLiteral("Embedded server only: the fixture script to play (default: %1).")
             .arg(defaultScenario),
         QStringLiteral("NAME")},
    });
}

namespace {

bool readNumber(const QCommandLineParser &parser, const QString &name, qint64 min, qint64 max,
                qint64 *value, QString *error)
{
    bool ok = false;
    *value = parser.value(name).toLongLong(&ok);
    if (!ok || *value < min || *value > max) {
        *error = QStringLiteral("--%1 wants a number from %2 to %3, not '%4'")
                     .arg(name)
                     .arg(min)
                     .arg(max)
                     .arg(parser.value(name));
        return false;
    }
    return true;
}

} // namespace

ParseResult parseCommandLine(QCommandLineParser &parser, const QStringList &arguments,
                             CommonOptions *options, QString *error)
{
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return ParseResult::UsageError;
    }
    if (parser.isSet(QStringLiteral("help")))
        return ParseResult::Help;
    if (!parser.positionalArguments().isEmpty()) {
        *error = QStringLiteral("unexpected argument '%1'")
                     .arg(parser.positionalArguments().constFirst());
        return ParseResult::UsageError;
    }

    CommonOptions &o = *options;
    o.host = parser.value(QStringLiteral("host"));
    o.user = parser.value(QStringLiteral("user"));
    o.caFile = parser.value(QStringLiteral("ca-file"));
    o.peerName = parser.value(QStringLiteral("peer-name"));
    o.implicitTls = parser.isSet(QStringLiteral("implicit-tls"));
    o.plain = parser.isSet(QStringLiteral("plain"));
    o.allowPlaintextAuth = parser.isSet(QStringLiteral("allow-plaintext-auth"));
    o.transcript = parser.isSet(QStringLiteral("transcript"));
    o.quiet = parser.isSet(QStringLiteral("quiet"));
    o.scenario = parser.value(QStringLiteral("scenario"));

    qint64 number = 0;
    if (parser.isSet(QStringLiteral("port"))) {
        if (!readNumber(parser, QStringLiteral("port"), 1, 65535, &number, error))
            return ParseResult::UsageError;
        o.port = quint16(number);
    }
    if (parser.isSet(QStringLiteral("timeout-ms"))) {
        if (!readNumber(parser, QStringLiteral("timeout-ms"), 1, qint64(24) * 3600 * 1000, &number,
                        error))
            return ParseResult::UsageError;
        o.timeoutMs = int(number);
    }

    const auto given = [&](const char *name) { return parser.isSet(QLatin1String(name)); };
    if (given("host") && o.host.trimmed().isEmpty())
        *error = QStringLiteral("--host needs a host name or address");
    else if (o.implicitTls && o.plain)
        *error = QStringLiteral("--implicit-tls and --plain exclude each other");
    else if (o.allowPlaintextAuth && !o.plain)
        *error = QStringLiteral("--allow-plaintext-auth only applies with --plain "
                                "(TLS modes never send credentials in plaintext)");
    else if (given("user") && o.user.isEmpty())
        *error = QStringLiteral("--user needs a login name");
    else if (!o.embedded() && o.user.isEmpty())
        *error = QStringLiteral("--host needs --user");
    else if (!o.embedded() && given("scenario"))
        *error = QStringLiteral("--scenario is for the embedded server; drop --host");
    else if (o.embedded() && given("port"))
        *error = QStringLiteral("--port needs --host (the embedded server picks a free port)");
    else if (given("scenario") && o.scenario.isEmpty())
        *error = QStringLiteral("--scenario needs a name");
    return error->isEmpty() ? ParseResult::Run : ParseResult::UsageError;
}

QString helpText(const QCommandLineParser &parser)
{
    return parser.helpText()
        + QStringLiteral(
               "\nThe password comes from MAILWIRE_PASSWORD, else it is asked on the terminal "
               "without echo;\nit is never an argument. The embedded server accepts any "
               "password.\n"
               "\nExit codes: 0 success, 2 usage, 3 network, 4 TLS or certificate, 5 security "
               "policy\n(upgrade not offered or refused, injection, PREAUTH before TLS, "
               "plaintext credentials\nrefused), 6 authentication, 7 server or protocol "
               "error.\n");
}

// --- password

namespace {

// The terminal state to restore if a signal ends the program while echo is off.
// NOLINTBEGIN(cppcoreguidelines-avoid-non-const-global-variables): the signal handler reads them
int g_ttyFd = -1;
termios g_ttySaved;
// NOLINTEND(cppcoreguidelines-avoid-non-const-global-variables)

void restoreTerminalAndReraise(int signo)
{
    if (g_ttyFd >= 0)
        tcsetattr(g_ttyFd, TCSAFLUSH, &g_ttySaved); // async-signal-safe
    std::signal(signo, SIG_DFL);
    std::raise(signo);
}

constexpr int TerminalSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

} // namespace

bool readPassword(const QString &prompt, QString *password, QString *error)
{
    if (qEnvironmentVariableIsSet("MAILWIRE_PASSWORD")) {
        *password = qEnvironmentVariable("MAILWIRE_PASSWORD");
        return true;
    }
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    termios saved{};
    if (fd < 0 || tcgetattr(fd, &saved) != 0) {
        if (fd >= 0)
            ::close(fd);
        *error = QStringLiteral("no password: set MAILWIRE_PASSWORD or run on a terminal");
        return false;
    }

    g_ttySaved = saved;
    g_ttyFd = fd;
    struct sigaction handler
    {};
    handler.sa_handler = restoreTerminalAndReraise;
    sigemptyset(&handler.sa_mask);
    struct sigaction previous[std::size(TerminalSignals)];
    for (std::size_t i = 0; i < std::size(TerminalSignals); ++i)
        sigaction(TerminalSignals[i], &handler, &previous[i]);

    termios silent = saved;
    silent.c_lflag &= ~tcflag_t(ECHO);
    silent.c_lflag |= ECHONL; // the Enter key still moves to the next line
    tcsetattr(fd, TCSAFLUSH, &silent);
    const QByteArray promptBytes = prompt.toLocal8Bit();
    if (::write(fd, promptBytes.constData(), size_t(promptBytes.size())) < 0) {
        // A terminal that takes no prompt still gives the password.
    }

    std::string line;
    bool complete = false;
    for (;;) {
        char c = 0;
        const ssize_t got = ::read(fd, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (c == '\n') {
            complete = true;
            break;
        }
        line.push_back(c);
    }

    tcsetattr(fd, TCSAFLUSH, &saved);
    for (std::size_t i = 0; i < std::size(TerminalSignals); ++i)
        sigaction(TerminalSignals[i], &previous[i], nullptr);
    g_ttyFd = -1;
    if (!complete && ::write(fd, "\n", 1) < 0) {
        // Ctrl-D: the cursor stays on the prompt line; nothing worse.
    }
    ::close(fd);

    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    *password = QString::fromLocal8Bit(line.data(), int(line.size()));
    for (char &c : line) // not a guarantee (QString keeps a copy), but no needless leftovers
        static_cast<volatile char &>(c) = 0;
    if (!complete && password->isEmpty()) {
        *error = QStringLiteral("no password entered");
        return false;
    }
    return true;
}

// --- settings and the embedded server

bool settingsFor(const CommonOptions &options, quint16 embeddedPort, ConnectionSettings *settings,
                 QString *error)
{
    ConnectionSettings s;
    s.host = options.embedded() ? QStringLiteral("127.0.0.1") : options.host;
    s.port = options.embedded() ? embeddedPort : options.port;
    s.tlsMode = options.implicitTls ? TlsMode::ImplicitTls
        : options.plain             ? TlsMode::Plain
                                    : TlsMode::StartTls;
    s.allowPlaintextAuth = options.allowPlaintextAuth;
    s.peerVerifyName = !options.peerName.isEmpty() ? options.peerName
        : options.embedded()                       ? QStringLiteral("localhost")
                                                   : QString();

    QList<QSslCertificate> extra;
    if (!options.caFile.isEmpty()) {
        extra = QSslCertificate::fromPath(options.caFile);
        if (extra.isEmpty()) {
            *error = QStringLiteral("--ca-file %1: no PEM certificate could be read")
                         .arg(options.caFile);
            return false;
        }
    }
    if (options.embedded()) {
        s.ssl.setCaCertificates(QList<QSslCertificate>{fixtures::FixtureServer::caCertificate()}
                                + extra); // only the fixture CA (and the file's)
    } else if (!extra.isEmpty()) {
        // Setting a CA list turns off Qt's "system roots on demand", so the system list is
        // named explicitly: the file's CAs are trusted in addition, not instead.
        s.ssl.setCaCertificates(QSslConfiguration::systemCaCertificates() + extra);
    }
    if (options.timeoutMs > 0) {
        s.timeouts.connectMs = options.timeoutMs;
        s.timeouts.greetingMs = options.timeoutMs;
        s.timeouts.handshakeMs = options.timeoutMs;
        s.timeouts.commandMs = options.timeoutMs;
    }
    *settings = s;
    return true;
}

bool scenarioIsImplicitTls(const QString &scenario)
{
    return scenario.startsWith(QLatin1String("implicit_tls"));
}

EmbeddedServer::EmbeddedServer() = default;
EmbeddedServer::~EmbeddedServer() = default;

bool EmbeddedServer::start(const QString &protocol, const QString &scenario, bool implicitTls,
                           QString *error, bool *usage)
{
    *usage = false;
    QString name = scenario;
    if (name.startsWith(protocol + QLatin1Char('/')))
        name = name.mid(protocol.size() + 1);
    m_name = protocol + QLatin1Char('/') + name;
    const QStringList known = fixtures::Script::namedScripts();
    if (!known.contains(m_name)) {
        QStringList mine;
        for (const QString &candidate : known) {
            if (candidate.startsWith(protocol + QLatin1Char('/')))
                mine << candidate.mid(protocol.size() + 1);
        }
        *error = QStringLiteral("unknown scenario '%1' (known: %2)")
                     .arg(name, mine.join(QStringLiteral(", ")));
        *usage = true;
        return false;
    }
    const fixtures::Script script = fixtures::Script::loadNamed(m_name);
    if (!script.isValid()) {
        *error = QStringLiteral("fixture script %1: %2").arg(m_name, script.errorString());
        return false;
    }
    if (fixtures::FixtureServer::caCertificate().isNull()) {
        *error = QStringLiteral("fixture certificates: %1")
                     .arg(fixtures::FixtureServer::certificateError());
        return false;
    }
    m_server = std::make_unique<fixtures::FixtureServer>(script);
    m_server->setImplicitTls(implicitTls);
    if (!m_server->isListening()) {
        *error = QStringLiteral("embedded server: cannot listen on 127.0.0.1: %1")
                     .arg(m_server->errorString());
        return false;
    }
    return true;
}

quint16 EmbeddedServer::port() const { return m_server ? m_server->serverPort() : 0; }

QString EmbeddedServer::finish(int msecs)
{
    if (!m_server)
        return QString();
    m_server->waitForFinished(msecs);
    const fixtures::FixtureResult result = m_server->result();
    return result.passed ? QString() : result.describe();
}

// --- output

QString printable(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        const ushort u = c.unicode();
        const bool bidi = (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069);
        if (bidi || c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            c = QLatin1Char('?');
    }
    return out;
}

QString fitted(const QString &text, int width)
{
    if (text.size() > width)
        return text.left(width - 1) + QChar(0x2026); // …
    return text.leftJustified(width);
}

QString wrappedCapabilities(const Capabilities &capabilities, int indent)
{
    if (capabilities.isEmpty())
        return QStringLiteral("(none)");
    constexpr int Width = 88;
    QString out;
    int column = indent;
    for (const QString &name : capabilities.names()) {
        const QString item = printable(name);
        if (column > indent && column + 1 + item.size() > Width) {
            out += QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
            column = indent;
        } else if (column > indent) {
            out += QLatin1Char(' ');
            ++column;
        }
        out += item;
        column += item.size();
    }
    return out;
}

namespace {

QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_3: return QStringLiteral("TLS 1.3");
    case QSsl::TlsV1_2: return QStringLiteral("TLS 1.2");
    case QSsl::TlsV1_1: return QStringLiteral("TLS 1.1");
    case QSsl::TlsV1_0: return QStringLiteral("TLS 1.0");
    default: return QStringLiteral("unknown protocol");
    }
}

// "CN=localhost, O=Example" in the certificate's own order.
QString distinguishedName(const QSslCertificate &certificate, bool issuer)
{
    QStringList parts;
    const QList<QByteArray> attributes =
        issuer ? certificate.issuerInfoAttributes() : certificate.subjectInfoAttributes();
    for (const QByteArray &attribute : attributes) {
        const QStringList values =
            issuer ? certificate.issuerInfo(attribute) : certificate.subjectInfo(attribute);
        for (const QString &value : values)
            parts << QString::fromLatin1(attribute) + QLatin1Char('=') + printable(value);
    }
    return parts.isEmpty() ? QStringLiteral("(empty)") : parts.join(QStringLiteral(", "));
}

} // namespace

void printTlsSummary(const SessionBase &session, const QString &verifiedName)
{
    if (!session.isEncrypted()) {
        std::printf("TLS:          none: --plain, nothing on this connection is encrypted\n");
        return;
    }
    const QSslCipher cipher = session.sessionCipher();
    std::printf("TLS:          %s, cipher %s (%d bits)\n",
                qUtf8Printable(protocolName(session.sessionProtocol())),
                qUtf8Printable(cipher.name()), cipher.usedBits());
    const QSslCertificate peer = session.peerCertificate();
    std::printf("Certificate:  %s\n", qUtf8Printable(distinguishedName(peer, false)));
    std::printf("  issued by   %s\n", qUtf8Printable(distinguishedName(peer, true)));
    QStringList names;
    const auto alternatives = peer.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it) {
        if (it.key() == QSsl::DnsEntry || it.key() == QSsl::IpAddressEntry)
            names << printable(it.value());
    }
    if (!names.isEmpty())
        std::printf("  names       %s\n", qUtf8Printable(names.join(QStringLiteral(", "))));
    std::printf("  valid until %s\n",
                qUtf8Printable(peer.expiryDate().toUTC().toString(Qt::ISODate)));
    const QList<QSslError> errors = session.sslErrors();
    if (errors.isEmpty()) {
        std::printf("Verification: passed (chain to a trusted CA, name \"%s\" matches)\n",
                    qUtf8Printable(printable(verifiedName)));
    } else {
        QStringList texts;
        for (const QSslError &e : errors)
            texts << e.errorString();
        std::printf("Verification: errors accepted by the caller: %s\n",
                    qUtf8Printable(texts.join(QStringLiteral("; "))));
    }
}

ServerTextTrust::ServerTextTrust(const SessionBase &session) : m_session(session)
{
    // encrypted() comes once the handshake and the certificate verification have passed.
    QObject::connect(&session, &SessionBase::encrypted, &session,
                     [this] { m_tlsEstablished = true; });
}

bool ServerTextTrust::beforeTls() const
{
    return m_session.settings().tlsMode == TlsMode::StartTls && !m_tlsEstablished;
}

bool ServerTextTrust::isUnverified(const Error &error) const
{
    // The session marks the words it received before TLS protected the connection.
    return !error.isServerTextVerified();
}

QString describeError(const Error &error, const ServerTextTrust &trust)
{
    if (error.serverText().isEmpty() || !trust.isUnverified(error))
        return error.toString();
    return Error(error.code(), error.message()).toString() + QLatin1Char(' ')
        + unverifiedServerText(error.serverText());
}

void printError(const QString &program, const QString &text)
{
    std::fflush(stdout); // what was printed before comes first
    std::fprintf(stderr, "%s: %s\n", qUtf8Printable(program), qUtf8Printable(text));
    std::fflush(stderr);
}

} // namespace mailwire::examples
