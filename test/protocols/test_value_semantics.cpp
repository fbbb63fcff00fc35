// SPDX-License-Identifier: LGPL-3.0-or-later
// The implicitly shared value types of the public API (Error, Capabilities, ResponseCode,
// SequenceSet, ImapFetchItems): they keep their data behind a private pointer that is null
// for the default value, so a copy must stay independent of the original once either
// changes, a default value must read as empty, and a moved-from value as the default.
#include <boost/test/unit_test.hpp>

#include <utility>

#include <QtCore/QMetaEnum>

#include <mailwire/capabilities.h>
#include <mailwire/error.h>
#include <mailwire/imap_command_options.h>
#include <mailwire/imap_sequence_set.h>
#include <mailwire/imap_types.h>

#include "imap_capabilities_p.h"

using mailwire::Capabilities;
using mailwire::Error;
using mailwire::ImapFetchItems;
using mailwire::ResponseCode;
using mailwire::SequenceSet;

BOOST_AUTO_TEST_SUITE(value_semantics)

BOOST_AUTO_TEST_CASE(error_codes_are_a_q_enum_and_copies_are_independent)
{
    const QMetaEnum codes = QMetaEnum::fromType<Error::Code>();
    BOOST_TEST(codes.isValid());
    BOOST_TEST(codes.keyCount() == int(Error::Code::ConnectionTruncated) + 1);
    BOOST_TEST((Error::codeName(Error::Code(codes.keyCount())) == QStringLiteral("Unknown")));

    const Error original(Error::Code::CommandFailed, QStringLiteral("no"), QStringLiteral("NO x"));
    Error copy = original;
    BOOST_TEST((copy == original));
    const Error unverified = copy.withUnverifiedServerText();
    BOOST_TEST(original.isServerTextVerified());
    BOOST_TEST(!unverified.isServerTextVerified());
    BOOST_TEST((unverified != original));

    // Error() and an explicit None without text are the same value.
    BOOST_TEST((Error() == Error(Error::Code::None)));
    BOOST_TEST((Error().withUnverifiedServerText() == Error()));

    Error moved = std::move(copy);
    BOOST_TEST((moved == original));
    BOOST_TEST(!copy.isError()); // NOLINT(bugprone-use-after-move): reads as the default
    copy = original;
    BOOST_TEST((copy == original));
}

BOOST_AUTO_TEST_CASE(capabilities_copies_are_independent)
{
    const Capabilities original = mailwire::detail::imapCapabilities({"IMAP4rev1", "AUTH=PLAIN"});
    Capabilities copy = original;
    copy.add("IDLE");
    BOOST_TEST(copy.has("IDLE"));
    BOOST_TEST(!original.has("IDLE"));
    BOOST_TEST((original.names() == QStringList({"IMAP4rev1", "AUTH=PLAIN"})));

    copy.clear();
    BOOST_TEST(copy.isEmpty());
    BOOST_TEST(copy.size() == 0);
    BOOST_TEST(original.size() == 3); // AUTH=PLAIN is also known as AUTH
    BOOST_TEST((copy == Capabilities()));

    const Capabilities none;
    BOOST_TEST(none.isEmpty());
    BOOST_TEST(!none.has("IMAP4rev1"));
    BOOST_TEST(none.saslMechanisms().isEmpty());

    copy = original;
    Capabilities moved = std::move(copy);
    BOOST_TEST((moved == original));
    BOOST_TEST(copy.isEmpty()); // NOLINT(bugprone-use-after-move): reads as the default
    copy.add("ID");
    BOOST_TEST((copy.names() == QStringList({"ID"})));
}

BOOST_AUTO_TEST_CASE(response_code_copies_are_independent)
{
    ResponseCode original("UIDNEXT", "4392");
    original.setNumber(4392);
    ResponseCode copy = original;
    copy.setNumber(7);
    BOOST_TEST(original.uidNext().value() == 4392u);
    BOOST_TEST(copy.uidNext().value() == 7u);
    BOOST_TEST((copy != original));

    copy.demoteToOther();
    BOOST_TEST((copy.kind() == ResponseCode::Kind::Other));
    BOOST_TEST((original.kind() == ResponseCode::Kind::UidNext));

    const ResponseCode none;
    BOOST_TEST(none.isNull());
    BOOST_TEST(none.name().isNull());
    BOOST_TEST(!none.uidNext().has_value());
    BOOST_TEST((none == ResponseCode()));

    // A setter on a code without a private part gives it one and leaves other codes alone.
    ResponseCode built;
    built.setAtoms({"\\Seen"});
    BOOST_TEST(built.isNull()); // still no kind: the atoms are kept for a later kind
    BOOST_TEST((built != none));
    BOOST_TEST((none == ResponseCode()));
}

BOOST_AUTO_TEST_CASE(sequence_set_copies_are_independent)
{
    const SequenceSet original = SequenceSet::parse("1:3,7");
    SequenceSet copy = original;
    copy.add(9);
    BOOST_TEST((original.toByteArray() == QByteArray("1:3,7")));
    BOOST_TEST((copy.toByteArray() == QByteArray("1:3,7,9")));

    // An empty set is the same value however it was made.
    BOOST_TEST((SequenceSet() == SequenceSet::fromNumbers({})));
    BOOST_TEST((SequenceSet() == SequenceSet::parse("")));
    BOOST_TEST(SequenceSet().ranges().empty());
    BOOST_TEST(SequenceSet().normalized().isEmpty());

    // An Iterable keeps its own numbers: the set may change or go away meanwhile.
    SequenceSet::Iterable numbers;
    BOOST_TEST((numbers.begin() == numbers.end()));
    {
        SequenceSet changing = original;
        numbers = changing.iterate();
        changing.add(5);
    }
    QVector<quint32> seen;
    for (quint32 n : numbers)
        seen << n;
    BOOST_TEST((seen == QVector<quint32>({1, 2, 3, 7})));

    SequenceSet moved = std::move(copy);
    BOOST_TEST((moved.toByteArray() == QByteArray("1:3,7,9")));
    BOOST_TEST(copy.isEmpty()); // NOLINT(bugprone-use-after-move): reads as the default
}

BOOST_AUTO_TEST_CASE(fetch_items_copies_are_independent)
{
    const ImapFetchItems none;
    BOOST_TEST(none.isEmpty());
    BOOST_TEST(!none.error().isError());
    BOOST_TEST(!none.deviceChooser());
    BOOST_TEST((none.toByteArray() == QByteArray("()")));

    ImapFetchItems original;
    original.uid().flags();
    ImapFetchItems copy = original;
    copy.bodyPeek("HEADER\r\n");
    BOOST_TEST(copy.error().isError());
    BOOST_TEST(!original.error().isError());
    copy.binaryPeek("1");
    BOOST_TEST(copy.usesBinary());
    BOOST_TEST(!original.usesBinary());
    BOOST_TEST((original.toByteArray() == QByteArray("(UID FLAGS)")));
    BOOST_TEST((copy.toByteArray() == QByteArray("(UID FLAGS BINARY.PEEK[1])")));
}

BOOST_AUTO_TEST_SUITE_END()
