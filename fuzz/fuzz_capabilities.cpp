// SPDX-License-Identifier: LGPL-3.0-or-later
// Capability lists as a server sends them, into Capabilities and back out through every
// query a session makes (has(), parameters(), SASL mechanisms, the choice of mechanism).
//
// Options byte, bits 0-1, where the payload goes:
//   0  "* CAPABILITY <payload>\r\n" through the IMAP parser (the atom path)
//   1  "* OK [CAPABILITY <payload>] ready\r\n" through the IMAP parser (the greeting code)
//   2  the payload is the server's IMAP bytes; every CAPABILITY response and code counts
//   3  the payload is SMTP EHLO / POP3 CAPA keyword lines ('\n', an optional '\r' dropped)
// In modes 0-2 the payload split on spaces also goes to detail::imapCapabilities() directly, so atoms
// the parser would refuse reach it too. The split byte is unused (imap_parser splits).
#include <cstdint>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QStringList>

#include <mailwire/capabilities.h>
#include <mailwire/credentials.h>

#include "imap_capabilities_p.h"
#include "fuzz_input.h"
#include "imap_parser_p.h"
#include "imap_typed_values.h"
#include "sasl_p.h"

namespace {

using mailwire::Capabilities;
using mailwire::ImapResponse;
using mailwire::detail::ImapParser;
namespace fuzz = mailwire::fuzz;

/// Every atom from CAPABILITY responses and codes in what an IMAP server sent.
QList<QList<QByteArray>> imapAtomLists(const QByteArray &serverBytes)
{
    QList<QList<QByteArray>> lists;
    ImapParser parser;
    parser.feed(serverBytes);
    ImapResponse response;
    ImapParser::Result result;
    int errors = 0;
    while ((result = parser.next(&response)) != ImapParser::Result::NeedMore) {
        if (result == ImapParser::Result::Malformed) {
            if (++errors > 16)
                break;
            parser.recover();
            continue;
        }
        fuzz::touchResponse(response, false);
        if (response.type == ImapResponse::Type::Capability)
            lists.append(response.atoms);
        if (response.code.kind() == mailwire::ResponseCode::Kind::Capability)
            lists.append(response.code.capabilities());
    }
    return lists;
}

void query(const Capabilities &capabilities)
{
    for (const char *name : {"IMAP4rev1", "IMAP4rev2", "STARTTLS", "LOGINDISABLED", "AUTH",
                             "SASL-IR", "LITERAL+", "SIZE", "PIPELINING", "UIDPLUS"})
        (void)capabilities.has(name);
    (void)capabilities.parameters("AUTH");
    (void)capabilities.parameters("SIZE");
    (void)capabilities.names();
    (void)capabilities.isEmpty();
    MAILWIRE_FUZZ_CHECK(capabilities == capabilities);

    // What the session then does with the mechanisms the server offers.
    mailwire::Credentials credentials;
    credentials.user = QStringLiteral("user");
    credentials.password = QStringLiteral("pencil");
    const QStringList mechanisms = capabilities.saslMechanisms();
    const mailwire::detail::SaslChoice choice =
        mailwire::detail::chooseMechanism(mechanisms, credentials, true);
    MAILWIRE_FUZZ_CHECK(bool(choice.mechanism) != choice.error.isError());
}

void checkImapAtoms(const QList<QByteArray> &atoms)
{
    const Capabilities capabilities = mailwire::detail::imapCapabilities(atoms);
    for (const QByteArray &atom : atoms)
        MAILWIRE_FUZZ_CHECK(atom.isEmpty() || capabilities.has(atom));
    query(capabilities);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Input input;
    if (!fuzz::Input::read(data, size, &input))
        return 0;
    const QByteArray payload(input.data, int(input.size));
    switch (input.options & 3) {
    case 0:
        for (const QList<QByteArray> &atoms : imapAtomLists("* CAPABILITY " + payload + "\r\n"))
            checkImapAtoms(atoms);
        break;
    case 1:
        for (const QList<QByteArray> &atoms :
             imapAtomLists("* OK [CAPABILITY " + payload + "] ready\r\n"))
            checkImapAtoms(atoms);
        break;
    case 2:
        for (const QList<QByteArray> &atoms : imapAtomLists(payload))
            checkImapAtoms(atoms);
        break;
    default: {
        QList<QByteArray> lines = payload.split('\n');
        for (QByteArray &line : lines) {
            if (line.endsWith('\r'))
                line.chop(1);
        }
        const Capabilities capabilities = Capabilities::fromKeywordLines(lines);
        for (const QByteArray &line : lines) {
            const QByteArray keyword = line.simplified().split(' ').first();
            MAILWIRE_FUZZ_CHECK(keyword.isEmpty() || capabilities.has(keyword));
        }
        query(capabilities);
        return 0;
    }
    }
    checkImapAtoms(payload.split(' '));
    return 0;
}
