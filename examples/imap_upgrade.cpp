// SPDX-License-Identifier: LGPL-3.0-or-later
// mailwire-imap-upgrade: an IMAP session with mailwire::ImapSession, the way a mail client
// starts one: STARTTLS (required, never opportunistic), certificate verification, the
// capabilities asked again over TLS, authentication, LIST, SELECT and the newest envelopes.
//
// Without --host it plays against the embedded fixture server (the scripts the tests use,
// served by Qt's own QSslSocket in this thread while we wait on replies), so it runs with
// no set-up. With --host it does the same against any IMAP server.
#include "example_common.h"
#include "transfer_progress.h"

#include <mailwire/imap_mailbox_name.h>
#include <mailwire/imap_session.h>
#include <mailwire/transcript.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QLoggingCategory>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include <unistd.h>

using namespace mailwire;
using namespace mailwire::examples;

namespace {

const QString Program = QStringLiteral("mailwire-imap-upgrade");
constexpr int Indent = 14; // where values start: "Before TLS:   "

/// What SELECT said about the mailbox (RFC 9051 §6.3.2).
struct MailboxStatus
{
    std::optional<quint32> exists;
    std::optional<quint32> recent;
    std::optional<quint32> uidValidity;
    std::optional<quint32> uidNext;
    std::optional<quint32> unseen;
    std::optional<quint64> highestModSeq;
    bool readOnly = false;
};

/// A mailbox name as an IMAP4rev1 quoted string (modified UTF-7 inside).
QByteArray quotedMailbox(const QString &name)
{
    const QByteArray encoded = ImapMailboxName::encodeUtf7(name);
    QByteArray quoted = "\"";
    for (const char c : encoded) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    return quoted + '"';
}

QString label(const char *text) { return QString::fromLatin1(text).leftJustified(Indent); }

void printLine(const QString &line) { std::printf("%s\n", qUtf8Printable(line)); }

class ImapUpgrade
{
public:
    ImapUpgrade(const CommonOptions &options, const QString &mailbox, int fetchCount,
                const QString &saveTo)
        : m_options(options),
          m_mailbox(mailbox.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0
                        ? QStringLiteral("INBOX")
                        : mailbox),
          m_fetchCount(fetchCount), m_saveTo(saveTo)
    {}

    int run();

private:
    /// Prints the one error line ("<program>: <step>: <describeError()>"); the exit code.
    /// The server's text in it is labelled as unverified when it came before TLS.
    int fail(const QString &step, const Error &error) const
    {
        QString text = step + QStringLiteral(": ") + describeError(error, m_trust);
        if (error.code() == Error::Code::PlaintextAuthRefused && m_options.plain)
            text += QStringLiteral(" [--plain without --allow-plaintext-auth]");
        printError(Program, text);
        return exitCodeFor(error.code());
    }
    bool verbose() const { return !m_options.quiet; }

    void watchSession();
    int authenticate();
    int listMailboxes();
    int selectMailbox();
    int fetchNewest();
    int saveNewest();
    void printEnvelopes(const QList<FetchData> &messages) const;

    CommonOptions m_options; // implicitTls may be implied by the scenario
    const QString m_mailbox;
    const int m_fetchCount;
    const QString m_saveTo;             // --save-newest: where the newest message goes
    std::optional<quint32> m_newestUid; // learned by fetchNewest()
    QString m_user;
    QString m_password;
    QString m_where; // "127.0.0.1:4321"
    ImapSession m_session;
    ServerTextTrust m_trust{m_session};
    Capabilities m_capabilitiesAfterTls;
    bool m_printedPlaintextCapabilities = false;
    bool m_selecting = false;
    MailboxStatus m_status;
};

void ImapUpgrade::watchSession()
{
    // Shown as soon as they arrive, so a failed upgrade still shows what the server offered.
    QObject::connect(&m_session, &SessionBase::capabilitiesChanged, &m_session, [this] {
        const Capabilities &capabilities = m_session.capabilities();
        if (!verbose() || m_session.isEncrypted() || capabilities.isEmpty()
            || m_printedPlaintextCapabilities)
            return;
        m_printedPlaintextCapabilities = true;
        printLine(label(m_options.plain ? "Capabilities:" : "Before TLS:")
                  + wrappedCapabilities(capabilities, Indent));
        if (m_trust.beforeTls())
            printLine(
                QString(Indent, QLatin1Char(' '))
                + QStringLiteral("(unverified: anyone on the path can change it before TLS)"));
    });
    // An alert is shown to the user as is, so one from before TLS (a man in the middle's
    // "UI spoofing") is shown only labelled as unverified.
    QObject::connect(
        &m_session, &ImapSession::alertReceived, &m_session, [this](const QString &text) {
            if (!verbose())
                return;
            printLine(label("Server ALERT:")
                      + (m_trust.beforeTls() ? unverifiedServerText(text) : printable(text)));
        });
    // SELECT reports UIDVALIDITY, UIDNEXT, ... in untagged OK responses, which a command's
    // reply does not collect (they are status responses, not data).
    QObject::connect(&m_session, &ImapSession::untaggedReceived, &m_session,
                     [this](const ImapResponse &response) {
                         if (!m_selecting || response.type != ImapResponse::Type::UntaggedStatus)
                             return;
                         const ResponseCode &code = response.code;
                         if (code.uidValidity())
                             m_status.uidValidity = code.uidValidity();
                         if (code.uidNext())
                             m_status.uidNext = code.uidNext();
                         if (code.unseen())
                             m_status.unseen = code.unseen();
                         if (code.highestModSeq())
                             m_status.highestModSeq = code.highestModSeq();
                     });
}

int ImapUpgrade::run()
{
    // The embedded server, when there is no --host.
    EmbeddedServer server;
    if (m_options.embedded()) {
        const QString scenario = !m_options.scenario.isEmpty() ? m_options.scenario
            : m_options.implicitTls ? QStringLiteral("implicit_tls_happy")
                                    : QStringLiteral("starttls_happy");
        if (scenarioIsImplicitTls(scenario) && m_options.plain) {
            printError(Program,
                       QStringLiteral("scenario %1 is served with implicit TLS; drop --plain "
                                      "(try --help)")
                           .arg(scenario));
            return ExitUsage;
        }
        m_options.implicitTls = m_options.implicitTls || scenarioIsImplicitTls(scenario);
        QString error;
        bool usage = false;
        if (!server.start(QStringLiteral("imap"), scenario, m_options.implicitTls, &error,
                          &usage)) {
            printError(Program, error + (usage ? QStringLiteral(" (try --help)") : QString()));
            return usage ? ExitUsage : ExitServer;
        }
        m_user = m_options.user.isEmpty() ? QStringLiteral("alice") : m_options.user;
        m_password = qEnvironmentVariableIsSet("MAILWIRE_PASSWORD")
            ? qEnvironmentVariable("MAILWIRE_PASSWORD")
            : QStringLiteral("any password will do"); // the script accepts any
    } else {
        m_user = m_options.user;
        // Credentials that would be refused anyway (--plain alone) are not even asked for.
        if (!m_options.plain || m_options.allowPlaintextAuth) {
            QString error;
            if (!readPassword(QStringLiteral("Password for %1 at %2: ").arg(m_user, m_options.host),
                              &m_password, &error)) {
                printError(Program, error);
                return ExitUsage;
            }
        }
    }

    ConnectionSettings settings;
    QString error;
    if (!settingsFor(m_options, server.port(), &settings, &error)) {
        printError(Program, error);
        return ExitUsage;
    }
    m_session.setSettings(settings);
    StderrTranscript transcript;
    if (m_options.transcript)
        m_session.setTranscriptSink(&transcript);
    watchSession();

    const quint16 port = settings.port             ? settings.port
        : settings.tlsMode == TlsMode::ImplicitTls ? 993
                                                   : 143;
    m_where = settings.host.contains(QLatin1Char(':'))
        ? QStringLiteral("[%1]:%2").arg(settings.host).arg(port)
        : QStringLiteral("%1:%2").arg(settings.host).arg(port);
    if (verbose()) {
        printLine(label("Server:") + m_where
                  + (m_options.embedded()
                         ? QStringLiteral(", the embedded fixture server playing %1")
                               .arg(server.scriptName())
                         : QString()));
        printLine(label("Security:")
                  + (settings.tlsMode == TlsMode::StartTls
                         ? QStringLiteral("STARTTLS, required (never opportunistic)")
                         : settings.tlsMode == TlsMode::ImplicitTls
                         ? QStringLiteral("implicit TLS from the first byte")
                         : QStringLiteral("none (--plain)")));
    }

    // Greeting, capabilities, STARTTLS, handshake, verification, capabilities again.
    Reply *connected = m_session.connectToServer();
    if (!connected->waitForFinished(-1))
        return fail(QStringLiteral("connecting to %1").arg(m_where), connected->error());
    if (verbose()) {
        if (m_session.isEncrypted()) {
            printTlsSummary(m_session,
                            settings.peerVerifyName.isEmpty() ? settings.host
                                                              : settings.peerVerifyName);
            printLine(label(settings.tlsMode == TlsMode::StartTls ? "After TLS:" : "Capabilities:")
                      + wrappedCapabilities(m_session.capabilities(), Indent));
            if (settings.tlsMode == TlsMode::StartTls)
                printLine(
                    QString(Indent, QLatin1Char(' '))
                    + QStringLiteral("(asked again over TLS; the plaintext list was discarded)"));
        } else {
            printTlsSummary(m_session, QString());
        }
    }
    m_capabilitiesAfterTls = m_session.capabilities();

    if (const int code = authenticate())
        return code;
    if (const int code = listMailboxes())
        return code;
    if (const int code = selectMailbox())
        return code;
    if (const int code = fetchNewest())
        return code;
    if (const int code = saveNewest())
        return code;

    ImapCommandReply *logout = m_session.logout();
    if (!logout->waitForFinished(-1))
        return fail(QStringLiteral("logging out"), logout->error());
    if (verbose())
        printLine(label("Logged out:") + printable(logout->serverText()));

    // The script must have been played to its end: the client said exactly what it should.
    if (m_options.embedded()) {
        const QString left = server.finish(5000);
        if (!left.isEmpty()) {
            printError(Program,
                       QStringLiteral("the embedded server's script did not complete: ") + left);
            return ExitServer;
        }
    }
    return ExitSuccess;
}

int ImapUpgrade::authenticate()
{
    Credentials credentials;
    credentials.user = m_user;
    credentials.password = m_password;
    // A script cannot answer SCRAM (its nonce is random); real servers get the strongest.
    if (m_options.embedded())
        credentials.preferredMechanisms = QStringList{QStringLiteral("PLAIN")};
    Reply *reply = m_session.authenticate(credentials);
    if (!reply->waitForFinished(-1))
        return fail(QStringLiteral("authenticating as %1").arg(m_user), reply->error());
    if (verbose()) {
        printLine(label("Logged in:")
                  + QStringLiteral("%1 (server: %2)")
                        .arg(printable(m_user), printable(reply->serverText())));
        // Servers often announce more after login (in the OK's CAPABILITY code).
        if (!(m_session.capabilities() == m_capabilitiesAfterTls)
            && !m_session.capabilities().isEmpty())
            printLine(label("After login:")
                      + wrappedCapabilities(m_session.capabilities(), Indent));
    }
    return ExitSuccess;
}

int ImapUpgrade::listMailboxes()
{
    ImapCommandReply *reply = m_session.command(R"(LIST "" "*")");
    if (!reply->waitForFinished(-1))
        return fail(QStringLiteral("listing mailboxes"), reply->error());
    if (!verbose())
        return ExitSuccess;
    QList<MailboxListEntry> entries;
    for (const ImapResponse &response : reply->responses()) {
        if (response.type == ImapResponse::Type::List)
            entries << response.mailbox;
    }
    printLine(label("Mailboxes:") + QStringLiteral("%1").arg(entries.size()));
    int width = 0;
    for (const MailboxListEntry &entry : entries)
        width = std::max(width, int(printable(entry.name).size()));
    width = std::min(width, 40);
    for (const MailboxListEntry &entry : entries) {
        QStringList attributes;
        for (const QByteArray &flag : entry.flags) {
            // The child attributes are noise here; special use and \Noselect are not.
            if (flag.compare("\\HasNoChildren", Qt::CaseInsensitive) != 0
                && flag.compare("\\HasChildren", Qt::CaseInsensitive) != 0)
                attributes << printable(QString::fromUtf8(flag));
        }
        printLine(QString(Indent, QLatin1Char(' '))
                  + (attributes.isEmpty() ? printable(entry.name)
                                          : fitted(printable(entry.name), width)
                             + QStringLiteral("  ") + attributes.join(QLatin1Char(' '))));
    }
    return ExitSuccess;
}

int ImapUpgrade::selectMailbox()
{
    m_status = MailboxStatus();
    m_selecting = true;
    ImapCommandReply *reply = m_session.command("SELECT " + quotedMailbox(m_mailbox));
    const bool ok = reply->waitForFinished(-1);
    m_selecting = false;
    if (!ok)
        return fail(QStringLiteral("selecting %1").arg(printable(m_mailbox)), reply->error());
    for (const ImapResponse &response : reply->responses()) {
        if (response.type == ImapResponse::Type::Exists)
            m_status.exists = response.number;
        else if (response.type == ImapResponse::Type::Recent)
            m_status.recent = response.number;
    }
    m_status.readOnly = reply->completion().code.isReadOnly();
    if (!m_status.exists)
        return fail(QStringLiteral("selecting %1").arg(printable(m_mailbox)),
                    Error(Error::Code::ProtocolError,
                          QStringLiteral("The server's SELECT reply has no EXISTS count")));
    if (!verbose())
        return ExitSuccess;
    QString summary =
        QStringLiteral("%1: %2 message(s)").arg(printable(m_mailbox)).arg(*m_status.exists);
    if (m_status.recent)
        summary += QStringLiteral(", %1 recent").arg(*m_status.recent);
    summary += m_status.readOnly ? QStringLiteral(", read-only") : QStringLiteral(", read-write");
    printLine(label("Selected:") + summary);
    QStringList details;
    details << QStringLiteral("UIDVALIDITY %1")
                   .arg(m_status.uidValidity ? QString::number(*m_status.uidValidity)
                                             : QStringLiteral("(not sent)"));
    if (m_status.uidNext)
        details << QStringLiteral("UIDNEXT %1").arg(*m_status.uidNext);
    if (m_status.unseen)
        details << QStringLiteral("first unseen #%1").arg(*m_status.unseen);
    if (m_status.highestModSeq)
        details << QStringLiteral("HIGHESTMODSEQ %1").arg(*m_status.highestModSeq);
    printLine(QString(Indent, QLatin1Char(' ')) + details.join(QStringLiteral(", ")));
    return ExitSuccess;
}

// The newest messages are the highest sequence numbers: both sequence numbers and UIDs
// follow arrival order (RFC 9051 §2.3.1), but only sequence numbers have no gaps. So one FETCH
// of the last N numbers below EXISTS asks for exactly the newest N, however sparse the UIDs
// and however large UIDNEXT: one round trip, and none for an empty mailbox.
int ImapUpgrade::fetchNewest()
{
    const quint32 exists = m_status.exists.value_or(0);
    const quint32 wanted = std::min<quint32>(quint32(m_fetchCount), exists);
    if (wanted == 0) {
        if (verbose() && m_fetchCount > 0)
            printLine(label("Messages:") + QStringLiteral("none"));
        return ExitSuccess;
    }

    const quint32 first = exists - wanted + 1;
    ImapCommandReply *reply =
        m_session.command("FETCH " + QByteArray::number(first) + ':' + QByteArray::number(exists)
                          + " (UID FLAGS ENVELOPE)");
    if (!reply->waitForFinished(-1))
        return fail(QStringLiteral("fetching envelopes in %1").arg(printable(m_mailbox)),
                    reply->error());

    // A server may add unsolicited FETCH responses (flag changes of other messages): only
    // the numbers asked for, each with what is printed.
    std::map<quint32, FetchData> bySequence; // ascending
    for (const ImapResponse &response : reply->responses()) {
        const FetchData &fetch = response.fetch;
        if (response.type == ImapResponse::Type::Fetch && response.number >= first
            && response.number <= exists && fetch.uid && fetch.envelope)
            bySequence[response.number] = fetch;
    }
    QList<FetchData> newest;
    for (auto it = bySequence.rbegin(); it != bySequence.rend(); ++it)
        newest << it->second;
    if (!newest.isEmpty())
        m_newestUid = newest.first().uid;
    if (verbose())
        printEnvelopes(newest);
    return ExitSuccess;
}

// The whole newest message (BODY.PEEK[], so it stays unseen), streamed to the file as it
// arrives: a 50 MB message never sits in memory. On a terminal, a progress line shows how
// far a large one has come.
int ImapUpgrade::saveNewest()
{
    if (m_saveTo.isEmpty())
        return ExitSuccess;
    if (!m_newestUid) {
        if (verbose())
            printLine(label("Saved:") + QStringLiteral("nothing, the mailbox is empty"));
        return ExitSuccess;
    }
    QFile file(m_saveTo);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        printError(
            Program,
            QStringLiteral("cannot write %1: %2").arg(printable(m_saveTo), file.errorString()));
        return ExitUsage;
    }
    ImapFetchReply *reply =
        m_session.uidFetch(SequenceSet::single(*m_newestUid),
                           ImapFetchItems().bodyPeek().streamBodiesWith(
                               [&file](const ImapStreamedSection &) { return &file; }));
    examples::TransferProgress progress(stderr, isatty(fileno(stderr)) == 1,
                                        QStringLiteral("Saving UID %1").arg(*m_newestUid));
    progress.attach(reply);
    if (!reply->waitForFinished(-1))
        return fail(QStringLiteral("saving UID %1").arg(*m_newestUid), reply->error());
    file.close();
    if (verbose())
        printLine(label("Saved:")
                  + QStringLiteral("UID %1, %2 bytes, to %3")
                        .arg(*m_newestUid)
                        .arg(file.size())
                        .arg(printable(m_saveTo)));
    return ExitSuccess;
}

void ImapUpgrade::printEnvelopes(const QList<FetchData> &messages) const
{
    printLine(label("Messages:")
              + QStringLiteral("the newest %1 of %2, newest first (* unseen)")
                    .arg(messages.size())
                    .arg(m_status.exists.value_or(0)));
    int uidWidth = 3;
    for (const FetchData &message : messages)
        uidWidth = std::max(uidWidth, int(QString::number(*message.uid).size()));
    constexpr int DateWidth = 16;
    constexpr int FromWidth = 24;
    constexpr int SubjectWidth = 56;
    const QString margin(Indent - 2, QLatin1Char(' '));
    printLine(margin + QStringLiteral("  ") + QStringLiteral("UID").rightJustified(uidWidth)
              + QStringLiteral("  ") + fitted(QStringLiteral("Date"), DateWidth)
              + QStringLiteral("  ") + fitted(QStringLiteral("From"), FromWidth)
              + QStringLiteral("  ") + QStringLiteral("Subject"));
    for (const FetchData &message : messages) {
        const Envelope &envelope = *message.envelope;
        const QDateTime date = envelope.parsedDate();
        // In the sender's own UTC offset, as the Date header wrote it.
        const QString when = date.isValid() ? date.toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                            : printable(QString::fromUtf8(envelope.date));
        QString from;
        for (const Address &address : envelope.from) {
            if (address.isGroupStart() || address.isGroupEnd())
                continue;
            from = address.displayName().trimmed();
            if (from.isEmpty())
                from = QString::fromUtf8(address.addrSpec());
            break;
        }
        QString subject = envelope.decodedSubject().simplified();
        if (subject.isEmpty())
            subject = QStringLiteral("(no subject)");
        const bool unseen = message.flags && !message.hasFlag("\\Seen");
        printLine(margin + (unseen ? QStringLiteral("* ") : QStringLiteral("  "))
                  + QString::number(*message.uid).rightJustified(uidWidth) + QStringLiteral("  ")
                  + fitted(when, DateWidth) + QStringLiteral("  ")
                  + fitted(printable(from), FromWidth) + QStringLiteral("  ")
                  + fitted(printable(subject), SubjectWidth).trimmed());
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(Program);
    // Line by line even into a pipe or file, so our lines and the --transcript on stderr
    // appear in the order they happened.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    // The library logs failures at info level; this program prints its own one line.
    // (QT_LOGGING_RULES still wins, for debugging.)
    QLoggingCategory::setFilterRules(QStringLiteral("mailwire.*.info=false"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "An IMAP session the way a mail client starts one: STARTTLS (required), certificate\n"
        "verification, capabilities asked again over TLS, login, LIST, SELECT, and the\n"
        "newest envelopes. Without --host it runs against the embedded fixture server."));
    addCommonOptions(parser,
                     QStringLiteral("starttls_happy; implicit_tls_happy with --implicit-tls"));
    parser.addOptions({
        {QStringLiteral("mailbox"), QStringLiteral("Mailbox to select (default: INBOX)."),
         QStringLiteral("NAME"), QStringLiteral("INBOX")},
        {QStringLiteral("fetch"),
         QStringLiteral("How many of the newest envelopes to show (default: 3; 0: none)."),
         QStringLiteral("N"), QStringLiteral("3")},
        {QStringLiteral("save-newest"),
         QStringLiteral("Save the newest message (RFC 5322, unseen stays unseen) to FILE; with\n"
                        "--host only. On a terminal, a progress line shows transfers over 1 MB."),
         QStringLiteral("FILE")},
    });

    CommonOptions options;
    QString error;
    switch (parseCommandLine(parser, QCoreApplication::arguments(), &options, &error)) {
    case ParseResult::Help:
        std::fputs(qUtf8Printable(helpText(parser)), stdout);
        return ExitSuccess;
    case ParseResult::UsageError:
        printError(Program, error + QStringLiteral(" (try --help)"));
        return ExitUsage;
    case ParseResult::Run: break;
    }
    const QString mailbox = parser.value(QStringLiteral("mailbox")); // INBOX in any case is INBOX
    bool ok = false;
    const int fetchCount = parser.value(QStringLiteral("fetch")).toInt(&ok);
    if (!ok || fetchCount < 0 || fetchCount > 10000) {
        printError(Program,
                   QStringLiteral("--fetch wants a number from 0 to 10000, not '%1' (try --help)")
                       .arg(parser.value(QStringLiteral("fetch"))));
        return ExitUsage;
    }
    if (mailbox.isEmpty() || mailbox.contains(QLatin1Char('\r'))
        || mailbox.contains(QLatin1Char('\n')) || mailbox.contains(QChar(0))) {
        printError(Program,
                   QStringLiteral("--mailbox needs a name without CR, LF or NUL (try --help)"));
        return ExitUsage;
    }

    const QString saveTo = parser.value(QStringLiteral("save-newest"));
    if (!saveTo.isEmpty() && options.embedded()) {
        // The embedded server's scripts serve envelopes, not message bodies.
        printError(Program, QStringLiteral("--save-newest needs --host (try --help)"));
        return ExitUsage;
    }

    return ImapUpgrade(options, mailbox, fetchCount, saveTo).run();
}
