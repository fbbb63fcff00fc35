// SPDX-License-Identifier: LGPL-3.0-or-later
// What the mailwire-{imap,smtp,pop3}-upgrade programs share (DESIGN.md §4): the common
// options, the exit codes, the password prompt, the embedded fixture server, and how a
// session's TLS state is shown. Only for the examples; not part of the library.
#pragma once

#include <mailwire/capabilities.h>
#include <mailwire/connection_settings.h>
#include <mailwire/error.h>
#include <mailwire/session_base.h>

#include "server_text.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>

namespace mailwire::fixtures {
class FixtureServer;
}

namespace mailwire::examples {

/// Exit codes, the same for every example (DESIGN.md §4).
enum ExitCode {
    ExitSuccess = 0,
    ExitUsage = 2,          ///< bad options, unreadable --ca-file, no password available
    ExitNetwork = 3,        ///< connect failed, timed out, connection lost
    ExitTls = 4,            ///< TLS handshake failed, certificate rejected
    ExitPolicy = 5,         ///< upgrade not offered or refused, injection, PREAUTH before
                            ///< TLS, credentials refused in plaintext
    ExitAuthentication = 6, ///< credentials rejected, no usable mechanism
    ExitServer = 7          ///< the server refused a command or broke the protocol
};

/// The exit code for a session error.
ExitCode exitCodeFor(Error::Code code);

/// The options every example understands; the program adds its own to the same parser.
struct CommonOptions
{
    QString host;     ///< empty: the embedded fixture server
    quint16 port = 0; ///< 0: the protocol's default for the TLS mode
    QString user;
    QString caFile;   ///< PEM file of CAs trusted in addition to the system's
    QString peerName; ///< the name the certificate must carry
    bool implicitTls = false;
    bool plain = false;
    bool allowPlaintextAuth = false;
    bool transcript = false;
    bool quiet = false;
    int timeoutMs = 0; ///< 0: the library's per-phase defaults
    QString scenario;  ///< fixture script name without "<protocol>/"

    /// No --host: the program serves itself with the embedded fixture server.
    bool embedded() const { return host.isEmpty(); }
};

/// Declares the common options (and -h/--help) on parser. defaultScenario is shown in the
/// help text of --scenario.
void addCommonOptions(QCommandLineParser &parser, const QString &defaultScenario);

/// What parseCommandLine() decided.
enum class ParseResult {
    Run,
    Help,
    UsageError
};

/// Parses arguments (argv as a list, program name first) and fills options. On
/// UsageError, *error says why in one line; on Help the caller prints helpText(parser).
ParseResult parseCommandLine(QCommandLineParser &parser, const QStringList &arguments,
                             CommonOptions *options, QString *error);

/// The help text: Qt's option list followed by the notes on passwords and exit codes.
QString helpText(const QCommandLineParser &parser);

/// The password for the session: MAILWIRE_PASSWORD if set, else asked on the terminal
/// (/dev/tty) with echo off. Returns false and sets *error when neither is possible.
bool readPassword(const QString &prompt, QString *password, QString *error);

/// Settings for options: TLS mode, CAs (system store plus --ca-file), peer name, timeouts.
/// For the embedded server host is 127.0.0.1, the fixture CA is the only trusted one (plus
/// --ca-file) and the peer name defaults to localhost. False and *error when --ca-file holds
/// no certificate.
bool settingsFor(const CommonOptions &options, quint16 embeddedPort, ConnectionSettings *settings,
                 QString *error);

/// The embedded fixture server: plays "<protocol>/<scenario>" on 127.0.0.1, port 0, in
/// this thread (it runs while the caller waits on a reply).
class EmbeddedServer
{
public:
    EmbeddedServer();
    ~EmbeddedServer();
    EmbeddedServer(const EmbeddedServer &) = delete;
    EmbeddedServer &operator=(const EmbeddedServer &) = delete;

    /// Loads the script and listens. Scenarios named "implicit_tls..." are served with
    /// implicit TLS. False and *error (naming the known scenarios) on failure; *usage tells
    /// whether the scenario name was the problem.
    bool start(const QString &protocol, const QString &scenario, bool implicitTls, QString *error,
               bool *usage);
    quint16 port() const;
    /// "imap/starttls_happy".
    QString scriptName() const { return m_name; }
    /// Waits up to msecs for the script to end; empty if it was played to its end, else a
    /// one-line description of where the client left it.
    QString finish(int msecs);

private:
    std::unique_ptr<fixtures::FixtureServer> m_server;
    QString m_name;
};

/// True for scenario names that need implicit TLS ("implicit_tls_happy").
bool scenarioIsImplicitTls(const QString &scenario);

/// A string from the server made safe for a terminal: control characters and bidi
/// overrides become '?'.
QString printable(const QString &text);
/// text cut to width characters ("…" at the end), then padded to width.
QString fitted(const QString &text, int width);

/// "IMAP4rev1 STARTTLS ...", wrapped at about 88 columns, continuation lines indented by
/// indent spaces.
QString wrappedCapabilities(const Capabilities &capabilities, int indent);

/// Prints what TLS the session has: protocol, cipher, certificate subject/issuer/expiry,
/// and that verification passed (or which errors were ignored).
void printTlsSummary(const SessionBase &session, const QString &verifiedName);

/// Whether the server's words can be believed (issue 7 item 8). Before TLS protects a
/// StartTls session, anyone on the path can write what the "server" says, so its text is
/// shown only labelled as unverified (unverifiedServerText()).
class ServerTextTrust
{
public:
    /// Watches session for the end of its TLS handshake; session must outlive this.
    explicit ServerTextTrust(const SessionBase &session);
    ~ServerTextTrust() = default;
    ServerTextTrust(const ServerTextTrust &) = delete;
    ServerTextTrust &operator=(const ServerTextTrust &) = delete;

    /// True while a StartTls session has not completed its TLS handshake: what the server
    /// says now is unverified.
    bool beforeTls() const;
    /// True when error.serverText() was written before TLS protected the session.
    bool isUnverified(const Error &error) const;

private:
    const SessionBase &m_session;
    bool m_tlsEstablished = false;
};

/// One line for error: Error::toString() ("CodeName: message (server: text)") when the
/// server's text is trusted, else "CodeName: message" followed by unverifiedServerText().
QString describeError(const Error &error, const ServerTextTrust &trust);

/// Writes "<program>: <text>" and a newline to stderr.
void printError(const QString &program, const QString &text);

} // namespace mailwire::examples
