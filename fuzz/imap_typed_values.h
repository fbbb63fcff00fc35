// SPDX-License-Identifier: LGPL-3.0-or-later
// Reads every typed value of a parsed IMAP response the way an application would: the
// accessors decode lazily (RFC 2047 words, dates, modified UTF-7, sequence sets, body part
// numbers), so they are parsers of their own and must survive whatever the server sent.
// Shared by the IMAP parser and capability harnesses.
#pragma once

#include <QtCore/QDebug>
#include <QtCore/QString>

#include <mailwire/imap_mailbox_name.h>
#include <mailwire/imap_response.h>

#include "fuzz_input.h"

namespace mailwire::fuzz {

/// Largest '*' stands for in sequence sets, and how many numbers to list at most.
constexpr quint32 LargestNumber = 1000;
constexpr qsizetype MaxListed = 64;

inline void touchSequenceSet(const SequenceSet &set)
{
    // What the set says, said again, must parse to the same set.
    const QByteArray text = set.toByteArray();
    if (!set.isEmpty())
        MAILWIRE_FUZZ_CHECK(SequenceSet::parse(text) == set);
    const SequenceSet normal = set.normalized();
    MAILWIRE_FUZZ_CHECK(normal.count(LargestNumber) == set.count(LargestNumber));
    const QVector<quint32> listed = set.numbers(LargestNumber, MaxListed);
    MAILWIRE_FUZZ_CHECK(listed.size() <= MaxListed);
    qsizetype index = 0;
    for (const quint32 number : set.iterate(LargestNumber)) {
        if (index == listed.size())
            break;
        MAILWIRE_FUZZ_CHECK(number == listed.at(index));
        MAILWIRE_FUZZ_CHECK(set.contains(number, LargestNumber));
        ++index;
    }
    MAILWIRE_FUZZ_CHECK(index == listed.size());
}

inline void touchMailboxName(const QByteArray &raw, bool utf8Mode)
{
    (void)ImapMailboxName::decode(raw, utf8Mode);
    bool ok = false;
    const QString decoded = ImapMailboxName::decodeUtf7(raw, &ok);
    // decodeUtf7 accepts only the canonical form, so encoding gives the same bytes back.
    if (ok)
        MAILWIRE_FUZZ_CHECK(ImapMailboxName::encodeUtf7(decoded) == raw);
}

inline void touchAddresses(const QList<Address> &addresses)
{
    for (const Address &address : addresses) {
        (void)address.displayName();
        (void)address.addrSpec();
        (void)address.toString();
        (void)address.isGroupStart();
        (void)address.isGroupEnd();
    }
}

inline void touchEnvelope(const Envelope &envelope)
{
    (void)envelope.decodedSubject();
    (void)envelope.parsedDate();
    touchAddresses(envelope.from);
    touchAddresses(envelope.sender);
    touchAddresses(envelope.replyTo);
    touchAddresses(envelope.to);
    touchAddresses(envelope.cc);
    touchAddresses(envelope.bcc);
}

inline void touchBodyStructure(const BodyStructure &body, int depth = 0)
{
    (void)body.mimeType();
    (void)body.parameter("charset");
    (void)body.parameter("name");
    (void)body.dispositionParameter("filename");
    (void)body.fileName();
    (void)body.isAttachment();
    if (body.envelope)
        touchEnvelope(*body.envelope);
    for (const char *section : {"", "0", "1", "2", "1.1", "1.2.1", "2.1.1.1", "3.TEXT", "x"})
        (void)body.partAt(section);
    if (depth < 8) {
        for (const BodyStructure &child : body.children)
            touchBodyStructure(child, depth + 1);
    }
}

inline void touchResponseCode(const ResponseCode &code)
{
    (void)code.capabilities();
    (void)code.permanentFlags();
    (void)code.badCharsets();
    (void)code.uidValidity();
    (void)code.uidNext();
    (void)code.unseen();
    (void)code.highestModSeq();
    if (const auto appendUid = code.appendUid())
        touchSequenceSet(appendUid->uids);
    if (const auto copyUid = code.copyUid()) {
        touchSequenceSet(copyUid->sourceUids);
        touchSequenceSet(copyUid->destinationUids);
    }
    if (const auto modified = code.modified())
        touchSequenceSet(*modified);
}

inline void touchFetch(const FetchData &fetch)
{
    if (fetch.envelope)
        touchEnvelope(*fetch.envelope);
    if (fetch.bodyStructure)
        touchBodyStructure(*fetch.bodyStructure);
    if (fetch.body)
        touchBodyStructure(*fetch.body);
    (void)fetch.section("");
    (void)fetch.section("TEXT");
    (void)fetch.section("1", FetchSection::Kind::Binary);
    (void)fetch.hasFlag("\\Seen");
}

/// Every accessor of one response, and its one-line description for logs.
inline void touchResponse(const ImapResponse &response, bool utf8Mode)
{
    touchResponseCode(response.code);
    (void)response.textString();
    switch (response.type) {
    case ImapResponse::Type::Fetch: touchFetch(response.fetch); break;
    case ImapResponse::Type::List:
    case ImapResponse::Type::Lsub:
        (void)response.mailbox.isSelectable();
        (void)response.mailbox.hasFlag("\\Noselect");
        touchMailboxName(response.mailbox.rawName, utf8Mode);
        break;
    case ImapResponse::Type::Status:
        touchMailboxName(response.statusData.rawMailbox, utf8Mode);
        break;
    case ImapResponse::Type::ESearch: touchSequenceSet(response.search.all); break;
    default: break;
    }
    QString text;
    QDebug(&text) << response;
}

} // namespace mailwire::fuzz
