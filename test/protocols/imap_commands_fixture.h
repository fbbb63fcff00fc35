// SPDX-License-Identifier: LGPL-3.0-or-later
// Shared by the IMAP command suites: an ImapSession on implicit TLS (or plain) against a
// scripted PREAUTH server, so the first command carries tag A001 and every client line can be
// asserted exactly by the script.
#pragma once

#include <boost/test/unit_test.hpp>

#include <functional>
#include <ostream>

#include "fixture_server.h"
#include <mailwire/imap_replies.h>
#include <mailwire/imap_session.h>
#include "script.h"
#include <mailwire/transcript.h>

#include "test_support.h"

namespace mailwire {
// Printable in Boost.Test failure messages (found by argument-dependent lookup).
inline std::ostream &operator<<(std::ostream &out, Error::Code code)
{
    return out << Error::codeName(code).toStdString();
}
inline std::ostream &operator<<(std::ostream &out, SessionBase::State state)
{
    return out << int(state);
}
} // namespace mailwire

namespace mailwire::test {

/// A session trusting the fixture CA, connected to a FixtureServer playing script.
struct CommandsFixture
{
    explicit CommandsFixture(const fixtures::Script &script, TlsMode mode = TlsMode::ImplicitTls)
        : server(script)
    {
        server.setImplicitTls(mode == TlsMode::ImplicitTls);
        ConnectionSettings settings;
        settings.host = QStringLiteral("127.0.0.1");
        settings.port = server.serverPort();
        settings.peerVerifyName = QStringLiteral("localhost");
        settings.tlsMode = mode;
        settings.ssl.setCaCertificates({fixtures::FixtureServer::caCertificate()});
        settings.timeouts.greetingMs = 5000;
        settings.timeouts.commandMs = 5000;
        settings.timeouts.handshakeMs = 5000;
        session.setSettings(settings);
        session.setTranscriptSink(&transcript);
    }

    void setSettings(const std::function<void(ConnectionSettings &)> &change)
    {
        ConnectionSettings settings = session.settings();
        change(settings);
        session.setSettings(settings);
    }

    /// Connects; true once the PREAUTH session is Authenticated.
    bool connect()
    {
        Reply *reply = session.connectToServer();
        return reply->waitForFinished(10000)
            && session.state() == SessionBase::State::Authenticated;
    }

    /// LOGOUT, then the script must have been played to its end.
    bool logoutAndFinish()
    {
        session.logout()->waitForFinished(10000);
        return server.waitForFinished(5000) && server.result().passed;
    }

    std::string describe() const { return server.result().describe().toStdString(); }

    fixtures::FixtureServer server;
    ImapSession session;
    StringTranscript transcript;
};

/// A script compiled into the fixtures library ("imap/commands_select").
inline fixtures::Script namedScript(const char *name)
{
    const fixtures::Script script = fixtures::Script::loadNamed(QString::fromLatin1(name));
    BOOST_TEST_REQUIRE(script.isValid(), script.errorString().toStdString());
    return script;
}

/// A script from text, which must be valid.
inline fixtures::Script scriptText(const QString &text)
{
    const fixtures::Script script = fixtures::Script::fromText(text, QStringLiteral("<test>"));
    BOOST_TEST_REQUIRE(script.isValid(), script.errorString().toStdString());
    return script;
}

/// Waits for reply; true if it finished without error.
inline bool finishedOk(Reply *reply) { return reply->waitForFinished(10000); }

/// Waits for reply; its error code (None if it succeeded or did not finish).
inline Error::Code errorOf(Reply *reply)
{
    reply->waitForFinished(10000);
    return reply->error().code();
}

inline std::string text(const Reply *reply) { return reply->error().toString().toStdString(); }

} // namespace mailwire::test
