// SPDX-License-Identifier: LGPL-3.0-or-later
// The table harness the IMAP parser suites share: printers for Boost.Test, and runAllWays(),
// which feeds one input whole, split at every byte boundary and byte by byte, and requires
// identical typed results.
#pragma once

#include <boost/test/unit_test.hpp>

#include <functional>
#include <ostream>
#include <vector>

#include <QtCore/QDebug>

#include "imap_parser_p.h"

using mailwire::ImapResponse;
using mailwire::ImapStatus;
using mailwire::ResponseCode;
using mailwire::SequenceSet;
using mailwire::detail::ImapParser;
using T = mailwire::ImapResponse::Type;
using K = mailwire::ResponseCode::Kind;
using Responses = std::vector<ImapResponse>;
using ByteList = QList<QByteArray>;

namespace mailwire {
inline std::ostream &operator<<(std::ostream &o, ImapResponse::Type t)
{
    return o << imapResponseTypeName(t);
}
inline std::ostream &operator<<(std::ostream &o, ImapStatus s) { return o << imapStatusName(s); }
inline std::ostream &operator<<(std::ostream &o, ResponseCode::Kind k) { return o << int(k); }
inline std::ostream &operator<<(std::ostream &o, const SequenceSet &s)
{
    return o << s.toByteArray().constData();
}
} // namespace mailwire

inline std::ostream &operator<<(std::ostream &o, const QString &s) { return o << s.toStdString(); }

inline std::ostream &operator<<(std::ostream &o, const ByteList &l)
{
    o << '(';
    for (const QByteArray &b : l)
        o << '"' << b.constData() << "\" ";
    return o << ')';
}

namespace imap_parser_test {

struct Outcome
{
    Responses responses;
    bool malformed = false;
    QString error;
    qint64 position = -1;
};

inline Outcome run(const QByteArray &input, const std::vector<qsizetype> &cuts)
{
    ImapParser parser;
    Outcome out;
    qsizetype previous = 0;
    std::vector<qsizetype> ends = cuts;
    ends.push_back(input.size());
    for (const qsizetype end : ends) {
        parser.feed(input.constData() + previous, end - previous);
        previous = end;
        ImapResponse r;
        ImapParser::Result result;
        while ((result = parser.next(&r)) == ImapParser::Result::Parsed)
            out.responses.push_back(r);
        if (result == ImapParser::Result::Malformed) {
            out.malformed = true;
            out.error = parser.error().message;
            out.position = parser.error().position;
            return out;
        }
    }
    BOOST_TEST(parser.residue() == 0);
    return out;
}

inline QString describe(const Outcome &o)
{
    QString text;
    QDebug debug(&text);
    for (const ImapResponse &r : o.responses)
        debug << r << '\n';
    if (o.malformed)
        debug << "Malformed:" << o.error << "at" << o.position;
    return text;
}

inline bool same(const Outcome &a, const Outcome &b)
{
    return a.responses == b.responses && a.malformed == b.malformed && a.error == b.error
        && a.position == b.position;
}

// Returns the whole-feed responses after checking that every other feeding agrees.
inline Responses runAllWays(const QByteArray &input)
{
    const Outcome whole = run(input, {});
    BOOST_TEST_REQUIRE(!whole.malformed, describe(whole));
    for (qsizetype k = 1; k < input.size(); ++k) {
        const Outcome split = run(input, {k});
        if (!same(whole, split)) {
            BOOST_ERROR("split at " << k << " differs: " << describe(split));
            break;
        }
    }
    std::vector<qsizetype> cuts;
    for (qsizetype k = 1; k < input.size(); ++k)
        cuts.push_back(k);
    const Outcome byByte = run(input, cuts);
    BOOST_TEST(same(whole, byByte), "byte by byte differs: " << describe(byByte));
    return whole.responses;
}

struct Case
{
    const char *name;
    QByteArray input;
    std::function<void(const Responses &)> check;
};

inline const ImapResponse &only(const Responses &rs)
{
    BOOST_TEST_REQUIRE(rs.size() == 1u);
    return rs.front();
}

inline ByteList L(std::initializer_list<const char *> items)
{
    ByteList list;
    for (const char *item : items)
        list.append(QByteArray(item));
    return list;
}

inline SequenceSet S(const char *text) { return SequenceSet::parse(text); }

inline int runTable(const std::vector<Case> &cases)
{
    int responses = 0;
    for (const Case &c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const Responses rs = runAllWays(c.input);
            responses += int(rs.size());
            c.check(rs);
        }
    }
    return responses;
}

} // namespace imap_parser_test

using namespace imap_parser_test;
