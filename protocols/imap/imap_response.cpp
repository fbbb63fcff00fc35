// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/imap_response.h>

#include <QtCore/QDebug>

namespace mailwire {

bool operator==(const ImapResponse &a, const ImapResponse &b)
{
    return a.type == b.type && a.tag == b.tag && a.status == b.status && a.code == b.code
        && a.text == b.text && a.number == b.number && a.atoms == b.atoms && a.mailbox == b.mailbox
        && a.statusData == b.statusData && a.fetch == b.fetch && a.search == b.search
        && a.namespaces == b.namespaces && a.idParameters == b.idParameters
        && a.idIsNil == b.idIsNil && a.keyword == b.keyword && a.raw == b.raw;
}

const char *imapResponseTypeName(ImapResponse::Type type)
{
    using T = ImapResponse::Type;
    switch (type) {
    case T::TaggedStatus: return "TaggedStatus";
    case T::UntaggedStatus: return "UntaggedStatus";
    case T::Continuation: return "Continuation";
    case T::Capability: return "Capability";
    case T::Enabled: return "Enabled";
    case T::Flags: return "Flags";
    case T::List: return "List";
    case T::Lsub: return "Lsub";
    case T::Status: return "Status";
    case T::Exists: return "Exists";
    case T::Recent: return "Recent";
    case T::Expunge: return "Expunge";
    case T::Fetch: return "Fetch";
    case T::Search: return "Search";
    case T::ESearch: return "ESearch";
    case T::Namespace: return "Namespace";
    case T::Id: return "Id";
    case T::Unknown: return "Unknown";
    }
    return "?";
}

const char *imapStatusName(ImapStatus status)
{
    switch (status) {
    case ImapStatus::Ok: return "OK";
    case ImapStatus::No: return "NO";
    case ImapStatus::Bad: return "BAD";
    case ImapStatus::Preauth: return "PREAUTH";
    case ImapStatus::Bye: return "BYE";
    }
    return "?";
}

QDebug operator<<(QDebug debug, const ImapResponse &r)
{
    using T = ImapResponse::Type;
    const QDebugStateSaver saver(debug);
    debug.nospace() << imapResponseTypeName(r.type) << '(';
    switch (r.type) {
    case T::TaggedStatus:
    case T::UntaggedStatus:
        if (r.isTagged())
            debug << r.tag.constData() << ' ';
        debug << imapStatusName(r.status);
        if (!r.code.isNull())
            debug << ' ' << r.code;
        debug << ' ' << r.text;
        break;
    case T::Continuation:
        if (!r.code.isNull())
            debug << r.code << ' ';
        debug << r.text;
        break;
    case T::Capability:
    case T::Enabled:
    case T::Flags: debug << r.atoms; break;
    case T::List:
    case T::Lsub:
        debug << r.mailbox.flags << ' ' << r.mailbox.delimiter << ' ' << r.mailbox.rawName << ' '
              << r.mailbox.name << ' ' << r.mailbox.extended;
        break;
    case T::Status:
        debug << r.statusData.rawMailbox << " messages=" << r.statusData.messages.value_or(0)
              << " uidnext=" << r.statusData.uidNext.value_or(0)
              << " unseen=" << r.statusData.unseen.value_or(0) << ' ' << r.statusData.other;
        break;
    case T::Exists:
    case T::Recent:
    case T::Expunge: debug << r.number; break;
    case T::Fetch: debug << r.fetch; break;
    case T::Search:
    case T::ESearch:
        debug << r.search.numbers << " tag=" << r.search.tag << " uid=" << r.search.uid
              << " all=" << r.search.all << " count=" << r.search.count.value_or(0)
              << " modseq=" << r.search.modSeq.value_or(0) << ' ' << r.search.other;
        break;
    case T::Namespace:
        debug << r.namespaces.personal.size() << '/' << r.namespaces.otherUsers.size() << '/'
              << r.namespaces.shared.size();
        break;
    case T::Id: debug << (r.idIsNil ? "NIL " : "") << r.idParameters; break;
    case T::Unknown: debug << r.number << ' ' << r.keyword << ' ' << r.raw; break;
    }
    debug << ')';
    return debug;
}

} // namespace mailwire
