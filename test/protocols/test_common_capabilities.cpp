// SPDX-License-Identifier: LGPL-3.0-or-later
// Capabilities: what the set means (case-insensitive names, AUTH=X parameters, repeated
// entries merged) and that building it is linear (DESIGN.md §2, rule 10): a hostile server
// sending tens of thousands of atoms must cost milliseconds, not seconds of a blocked loop.
#include <boost/test/unit_test.hpp>

#include <ctime>

#include <QtCore/QElapsedTimer>

#include <mailwire/capabilities.h>

#include "imap_capabilities_p.h"
#include "imap_parser_p.h"

using mailwire::Capabilities;

namespace {

/// Distinct atoms filling about `bytes` bytes: plain names, AUTH=mechanisms and NAME=value.
QList<QByteArray> manyAtoms(int bytes)
{
    QList<QByteArray> atoms;
    int size = 0;
    for (int n = 0; size < bytes; ++n) {
        QByteArray atom = n % 7 == 0 ? "AUTH=MECH" + QByteArray::number(n)
            : n % 5 == 0             ? "X-PARAM=" + QByteArray::number(n)
                                     : "X-CAP" + QByteArray::number(n);
        size += atom.size() + 1;
        atoms << atom;
    }
    return atoms;
}

// Generous bound: the work takes milliseconds; a loaded 2-core machine must not flake.
constexpr qint64 BoundMs = 2000;

/// CPU time of this thread in ms (user and system): the figure to report, since wall time
/// on a shared machine also counts other processes.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1000.0 + double(t.tv_nsec) / 1e6;
}

} // namespace

BOOST_AUTO_TEST_SUITE(common_capabilities)

BOOST_AUTO_TEST_CASE(names_compare_case_insensitively_and_auth_atoms_give_mechanisms)
{
    const Capabilities caps = mailwire::detail::imapCapabilities(
        {"IMAP4rev1", "STARTTLS", "AUTH=PLAIN", "auth=scram-sha-256", "AUTH=PLAIN", "Literal+"});
    BOOST_TEST(caps.has("starttls"));
    BOOST_TEST(caps.has("LITERAL+"));
    BOOST_TEST(caps.has("AUTH=plain"));
    BOOST_TEST(caps.has("AUTH"));
    BOOST_TEST(!caps.has("LOGINDISABLED"));
    BOOST_TEST(caps.saslMechanisms()
               == (QStringList{QStringLiteral("PLAIN"), QStringLiteral("SCRAM-SHA-256")}));
    // Names as sent, each once, without the derived "AUTH".
    BOOST_TEST(caps.names()
               == (QStringList{QStringLiteral("IMAP4rev1"), QStringLiteral("STARTTLS"),
                               QStringLiteral("AUTH=PLAIN"), QStringLiteral("auth=scram-sha-256"),
                               QStringLiteral("Literal+")}));
    Capabilities copy = caps;
    copy.clear();
    BOOST_TEST(copy.isEmpty());
    BOOST_TEST(!copy.has("IMAP4rev1"));
    BOOST_TEST(caps.has("IMAP4rev1"));
}

BOOST_AUTO_TEST_CASE(keyword_lines_merge_repeated_keywords)
{
    const Capabilities caps = Capabilities::fromKeywordLines(
        {"PIPELINING", "SIZE 35882577", "AUTH PLAIN LOGIN", "auth XOAUTH2", "SASL PLAIN"});
    BOOST_TEST(caps.parameters("size") == QList<QByteArray>{"35882577"});
    BOOST_TEST(caps.parameters("AUTH") == (QList<QByteArray>{"PLAIN", "LOGIN", "XOAUTH2"}));
    BOOST_TEST(caps.saslMechanisms()
               == (QStringList{QStringLiteral("PLAIN"), QStringLiteral("LOGIN"),
                               QStringLiteral("XOAUTH2")}));
    BOOST_TEST(caps.size() == 4);
}

BOOST_AUTO_TEST_CASE(forty_thousand_atoms_build_in_linear_time)
{
    // The reported case: 40 000 distinct atoms blocked for 5 s (a scan per atom).
    QList<QByteArray> atoms;
    for (int n = 0; n < 40000; ++n)
        atoms << "X-CAPABILITY-" + QByteArray::number(n);
    QElapsedTimer clock;
    clock.start();
    const double cpu = threadCpuMs();
    const Capabilities caps = mailwire::detail::imapCapabilities(atoms);
    const qint64 ms = clock.elapsed();
    BOOST_TEST_MESSAGE("40 000 atoms: " << ms << " ms wall, " << threadCpuMs() - cpu << " ms CPU");
    BOOST_TEST(caps.size() == 40000);
    BOOST_TEST(caps.has("x-capability-39999"));
    BOOST_TEST(ms < BoundMs);
}

BOOST_AUTO_TEST_CASE(a_megabyte_capability_line_parses_and_builds_in_linear_time)
{
    const QList<QByteArray> atoms = manyAtoms(1024 * 1024);
    const QByteArray line = "* CAPABILITY " + atoms.join(' ') + "\r\n";
    BOOST_TEST_REQUIRE(line.size() > 1024 * 1024);

    mailwire::Limits limits;
    limits.maxLineLength = 2 * 1024 * 1024;
    mailwire::detail::ImapParser parser(limits);
    QElapsedTimer clock;
    clock.start();
    const double cpu0 = threadCpuMs();
    parser.feed(line);
    mailwire::ImapResponse response;
    BOOST_TEST_REQUIRE(int(parser.next(&response))
                       == int(mailwire::detail::ImapParser::Result::Parsed));
    const qint64 parseMs = clock.restart();
    const double cpu1 = threadCpuMs();
    const Capabilities caps = mailwire::detail::imapCapabilities(response.atoms);
    const qint64 buildMs = clock.restart();
    const double cpu2 = threadCpuMs();
    const QStringList mechanisms = caps.saslMechanisms();
    const bool found = caps.has("X-CAP1") && caps.has("x-param=5");
    const qint64 queryMs = clock.elapsed();
    const double cpu3 = threadCpuMs();
    BOOST_TEST_MESSAGE("1 MB CAPABILITY line (" << atoms.size() << " atoms), wall (CPU) ms: parse "
                                                << parseMs << " (" << cpu1 - cpu0 << "), build "
                                                << buildMs << " (" << cpu2 - cpu1 << "), queries "
                                                << queryMs << " (" << cpu3 - cpu2 << ")");

    BOOST_TEST(response.atoms.size() == atoms.size());
    BOOST_TEST(found);
    BOOST_TEST(mechanisms.size() == (atoms.size() + 6) / 7);
    BOOST_TEST(parseMs + buildMs + queryMs < BoundMs);
}

BOOST_AUTO_TEST_SUITE_END()
