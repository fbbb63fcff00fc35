// SPDX-License-Identifier: LGPL-3.0-or-later
#include <mailwire/imap_sequence_set.h>

#include <algorithm>
#include <limits>

#include <QtCore/QDebug>

#include "shared_private_p.h"

namespace mailwire {

using Range = SequenceSet::Range;

class SequenceSetPrivate : public QSharedData
{
public:
    std::vector<Range> ranges;

    // The ranges of set, to append to: a set without a private part gets one.
    static std::vector<Range> &writableRanges(SequenceSet &set)
    {
        return detail::writable(set.d)->ranges;
    }

    // A set holding ranges (no private part if there are none).
    static SequenceSet fromRanges(std::vector<Range> ranges)
    {
        SequenceSet set;
        if (!ranges.empty())
            writableRanges(set) = std::move(ranges);
        return set;
    }
};

class SequenceSetIterablePrivate : public QSharedData
{
public:
    std::vector<Range> resolved; // normalized, '*' resolved, merged
};

namespace {

constexpr quint32 Star = SequenceSet::Star;

// Reads one seq-number at text[pos]: '*' or an nz-number without leading zeros
// (RFC 9051 §9: nz-number = digit-nz *DIGIT), at most 4294967295.
bool readNumber(const QByteArray &text, int &pos, quint32 *out, QString *error)
{
    const int size = text.size();
    if (pos < size && text.at(pos) == '*') {
        *out = SequenceSet::Star;
        ++pos;
        return true;
    }
    if (pos >= size || text.at(pos) < '1' || text.at(pos) > '9') {
        if (error) {
            *error = pos >= size
                ? QStringLiteral("sequence set ends where a number or '*' is expected")
                : QStringLiteral("unexpected character at offset %1 (expected a number from "
                                 "1 or '*')")
                      .arg(pos);
        }
        return false;
    }
    quint64 value = 0;
    while (pos < size && text.at(pos) >= '0' && text.at(pos) <= '9') {
        value = value * 10 + quint64(text.at(pos) - '0');
        if (value > std::numeric_limits<quint32>::max()) {
            if (error)
                *error = QStringLiteral("number at offset %1 does not fit in 32 bits").arg(pos);
            return false;
        }
        ++pos;
    }
    *out = quint32(value);
    return true;
}

// The ranges low:high with '*' resolved to largest (see contains()), sorted and merged.
std::vector<Range> resolvedSorted(const std::vector<Range> &input, quint32 largest)
{
    std::vector<Range> ranges;
    ranges.reserve(input.size());
    for (Range r : input) {
        if (largest == 0) {
            if (r.first == Star && r.last == Star)
                continue;
            if (r.first == Star)
                r.first = r.last;
            if (r.last == Star)
                r.last = r.first;
        } else {
            if (r.first == Star)
                r.first = largest;
            if (r.last == Star)
                r.last = largest;
        }
        if (r.first > r.last)
            std::swap(r.first, r.last);
        ranges.push_back(r);
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const Range &a, const Range &b) { return a.first < b.first; });
    std::vector<Range> merged;
    merged.reserve(ranges.size());
    for (const Range &r : ranges) {
        if (!merged.empty() && quint64(merged.back().last) + 1 >= r.first) {
            merged.back().last = qMax(merged.back().last, r.last);
            continue;
        }
        merged.push_back(r);
    }
    return merged;
}

} // namespace

SequenceSet::SequenceSet() = default;
SequenceSet::SequenceSet(const SequenceSet &other) = default;
SequenceSet::SequenceSet(SequenceSet &&other) noexcept = default;
SequenceSet &SequenceSet::operator=(const SequenceSet &other) = default;
SequenceSet &SequenceSet::operator=(SequenceSet &&other) noexcept = default;
SequenceSet::~SequenceSet() = default;

bool SequenceSet::isEmpty() const { return !d || d->ranges.empty(); }

const std::vector<Range> &SequenceSet::ranges() const { return detail::readable(d).ranges; }

bool operator==(const SequenceSet &a, const SequenceSet &b) { return a.ranges() == b.ranges(); }

SequenceSet SequenceSet::single(quint32 number)
{
    SequenceSet set;
    set.add(number);
    return set;
}

SequenceSet SequenceSet::range(quint32 first, quint32 last)
{
    SequenceSet set;
    set.addRange(first, last);
    return set;
}

SequenceSet SequenceSet::all() { return range(1, Star); }

SequenceSet SequenceSet::fromNumbers(QVector<quint32> numbers)
{
    std::sort(numbers.begin(), numbers.end());
    SequenceSet set;
    std::vector<Range> &ranges = SequenceSetPrivate::writableRanges(set);
    for (quint32 n : qAsConst(numbers)) {
        if (n == 0)
            continue;
        if (!ranges.empty()) {
            Range &last = ranges.back();
            if (n == last.last)
                continue;
            if (n == last.last + 1) {
                last.last = n;
                continue;
            }
        }
        ranges.push_back({n, n});
    }
    if (ranges.empty())
        return SequenceSet(); // nothing allocated for an empty set
    return set;
}

SequenceSet SequenceSet::parse(const QByteArray &text, QString *error)
{
    if (text.isEmpty()) {
        if (error)
            *error = QStringLiteral("empty sequence set");
        return SequenceSet();
    }
    SequenceSet set;
    std::vector<Range> &ranges = SequenceSetPrivate::writableRanges(set);
    int pos = 0;
    for (;;) {
        Range r;
        if (!readNumber(text, pos, &r.first, error))
            return SequenceSet();
        r.last = r.first;
        if (pos < text.size() && text.at(pos) == ':') {
            ++pos;
            if (!readNumber(text, pos, &r.last, error))
                return SequenceSet();
        }
        ranges.push_back(r);
        if (pos == text.size())
            break;
        if (text.at(pos) != ',') {
            if (error) {
                *error = QStringLiteral("unexpected character at offset %1 (expected ',' or "
                                        "':')")
                             .arg(pos);
            }
            return SequenceSet();
        }
        ++pos;
    }
    if (error)
        error->clear();
    return set;
}

void SequenceSet::add(quint32 number)
{
    SequenceSetPrivate::writableRanges(*this).push_back({number, number});
}

void SequenceSet::addRange(quint32 first, quint32 last)
{
    SequenceSetPrivate::writableRanges(*this).push_back({first, last});
}

bool SequenceSet::hasStar() const
{
    const std::vector<Range> &ranges = this->ranges();
    return std::any_of(ranges.cbegin(), ranges.cend(),
                       [](const Range &r) { return r.first == Star || r.last == Star; });
}

QByteArray SequenceSet::toByteArray() const
{
    const std::vector<Range> &ranges = this->ranges();
    QByteArray out;
    out.reserve(int(ranges.size() * 8));
    const auto append = [&out](quint32 n) {
        if (n == Star)
            out.append('*');
        else
            out.append(QByteArray::number(n));
    };
    for (const Range &r : ranges) {
        if (!out.isEmpty())
            out.append(',');
        append(r.first);
        if (r.last != r.first) {
            out.append(':');
            append(r.last);
        }
    }
    return out;
}

SequenceSet SequenceSet::normalized() const
{
    std::vector<Range> numeric;
    std::vector<Range> starred;
    for (const Range &r : ranges()) {
        if (r.first == Star || r.last == Star) {
            // "n:*" and "*:n" are the same range; write the number first.
            const quint32 n = r.first == Star ? r.last : r.first;
            starred.push_back({n, Star});
        } else {
            numeric.push_back({qMin(r.first, r.last), qMax(r.first, r.last)});
        }
    }
    numeric = resolvedSorted(numeric, 0);
    // Without knowing the largest number, "n:*" can only absorb numeric ranges above n.
    std::sort(starred.begin(), starred.end(), [](const Range &a, const Range &b) {
        // Star (0) sorts after every number, so "*" alone comes last.
        return quint64(a.first == Star ? quint64(1) << 32 : a.first)
            < quint64(b.first == Star ? quint64(1) << 32 : b.first);
    });
    if (!starred.empty()) {
        const quint32 low = starred.front().first;
        std::vector<Range> out;
        for (const Range &r : numeric) {
            if (low != Star && r.last + quint64(1) >= low) {
                // Overlaps or touches "low:*": extend the star range downwards.
                out.push_back({qMin(r.first, low), Star});
                return SequenceSetPrivate::fromRanges(std::move(out));
            }
            out.push_back(r);
        }
        out.push_back(starred.front());
        return SequenceSetPrivate::fromRanges(std::move(out));
    }
    return SequenceSetPrivate::fromRanges(std::move(numeric));
}

bool SequenceSet::contains(quint32 number, quint32 largest) const
{
    if (number == 0)
        return false;
    for (Range r : ranges()) {
        if (largest == 0) {
            if (r.first == Star && r.last == Star)
                continue;
            if (r.first == Star)
                r.first = r.last;
            if (r.last == Star)
                r.last = r.first;
        } else {
            if (r.first == Star)
                r.first = largest;
            if (r.last == Star)
                r.last = largest;
        }
        if (number >= qMin(r.first, r.last) && number <= qMax(r.first, r.last))
            return true;
    }
    return false;
}

quint64 SequenceSet::count(quint32 largest) const
{
    quint64 total = 0;
    for (const Range &r : resolvedSorted(ranges(), largest))
        total += quint64(r.last) - r.first + 1;
    return total;
}

QVector<quint32> SequenceSet::numbers(quint32 largest, qsizetype maxCount) const
{
    QVector<quint32> out;
    for (quint32 n : iterate(largest)) {
        if (out.size() >= maxCount)
            break;
        out.append(n);
    }
    return out;
}

SequenceSet::Iterable SequenceSet::iterate(quint32 largest) const
{
    Iterable it;
    std::vector<Range> resolved = resolvedSorted(ranges(), largest);
    if (!resolved.empty()) {
        it.d = new SequenceSetIterablePrivate;
        it.d->resolved = std::move(resolved);
    }
    return it;
}

SequenceSet::Iterable::Iterable() = default;
SequenceSet::Iterable::Iterable(const Iterable &other) = default;
SequenceSet::Iterable::Iterable(Iterable &&other) noexcept = default;
SequenceSet::Iterable &SequenceSet::Iterable::operator=(const Iterable &other) = default;
SequenceSet::Iterable &SequenceSet::Iterable::operator=(Iterable &&other) noexcept = default;
SequenceSet::Iterable::~Iterable() = default;

SequenceSet::Iterable::const_iterator SequenceSet::Iterable::begin() const
{
    const_iterator it;
    it.m_d = d.constData();
    if (d && !d->resolved.empty()) {
        it.m_index = 0;
        it.m_value = d->resolved.front().first;
    }
    return it;
}

SequenceSet::Iterable::const_iterator &SequenceSet::Iterable::const_iterator::operator++()
{
    if (m_index < 0)
        return *this;
    const std::vector<Range> &ranges = m_d->resolved;
    if (m_value < ranges[size_t(m_index)].last) {
        ++m_value;
        return *this;
    }
    ++m_index;
    if (size_t(m_index) >= ranges.size()) {
        m_index = -1;
        m_value = 0;
    } else {
        m_value = ranges[size_t(m_index)].first;
    }
    return *this;
}

QDebug operator<<(QDebug debug, const SequenceSet &set)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "SequenceSet(" << set.toByteArray().constData() << ')';
    return debug;
}

} // namespace mailwire
