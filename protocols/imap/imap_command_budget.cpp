// SPDX-License-Identifier: LGPL-3.0-or-later
// How much untagged data one IMAP command may collect (security rule 5): which limit of
// protocol_limits.h each kind of response counts against.
#include "imap_command_p.h"

namespace mailwire::detail {

namespace {

Error exceeded(const QString &what, qint64 limit, const char *name)
{
    return Error(Error::Code::LimitExceeded,
                 QStringLiteral("The server sent more than %1 %2 (Limits::%3)")
                     .arg(limit)
                     .arg(what, QLatin1String(name)));
}

// One entry per message or mailbox: what a large mailbox legitimately makes long.
qint64 listingEntries(const ImapResponse &response)
{
    using Type = ImapResponse::Type;
    switch (response.type) {
    case Type::Fetch:
    case Type::List:
    case Type::Lsub:
    case Type::Status: // LIST-STATUS (RFC 5819): one per mailbox listed
    case Type::Expunge: return 1;
    case Type::Search:
        // Each match is an entry; an empty "* SEARCH" still costs one.
        return qMax<qint64>(1, response.search.numbers.size());
    case Type::ESearch:
        // ALL is compact on the wire ("1:500000") but ImapSearchReply::numbers() expands it.
        return qint64(
            qMax<quint64>(1, qMin<quint64>(response.search.all.count(), quint64(1) << 62)));
    default: return 0;
    }
}

} // namespace

Error ImapCollectionBudget::charge(const ImapResponse &response, const Limits &limits)
{
    const qint64 entries = listingEntries(response);
    if (entries > 0) {
        m_listingEntries += entries;
        if (m_listingEntries > limits.maxListingLines)
            return exceeded(
                QStringLiteral("listing entries (messages or mailboxes) for one command"),
                limits.maxListingLines, "maxListingLines");
        return Error();
    }
    if (++m_replyLines > limits.maxReplyLines)
        return exceeded(QStringLiteral("untagged responses for one command"), limits.maxReplyLines,
                        "maxReplyLines");
    if (response.type == ImapResponse::Type::Capability) {
        // Counted over every CAPABILITY line answering the command, not per line.
        m_capabilities += response.atoms.size();
        if (m_capabilities > limits.maxCapabilities)
            return exceeded(QStringLiteral("capabilities"), limits.maxCapabilities,
                            "maxCapabilities");
    }
    return Error();
}

Error checkCapabilityCode(const ImapResponse &response, const Limits &limits)
{
    if (response.code.kind() == ResponseCode::Kind::Capability
        && response.code.capabilities().size() > limits.maxCapabilities)
        return exceeded(QStringLiteral("capabilities"), limits.maxCapabilities, "maxCapabilities");
    return Error();
}

} // namespace mailwire::detail
