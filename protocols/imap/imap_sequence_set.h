// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtCore/QVector>

#include <vector>

#include <mailwire/protocols_export.h>

class QDebug;

namespace mailwire {

class SequenceSetPrivate;
class SequenceSetIterablePrivate;

/// An IMAP sequence set (RFC 9051 §9 "sequence-set", RFC 3501 §9): message sequence numbers
/// or UIDs written as "1:5,7,9:*". Used in commands (FETCH, STORE, COPY, UID …) and in
/// responses (APPENDUID/COPYUID codes, ESEARCH ALL, VANISHED).
///
/// The set keeps its ranges in the order they were added or parsed, so toByteArray()
/// reproduces what was parsed; normalized() sorts and merges them. '*' ("the largest number
/// in use", RFC 9051 §6.4.5) is kept symbolic and only resolved when a caller passes the
/// largest number to contains(), count() or numbers().
class MAILWIRE_PROTOCOLS_EXPORT SequenceSet
{
public:
    /// Stands for '*' in a Range endpoint. 0 is never a valid sequence number or UID
    /// (nz-number), so it cannot collide with a real number.
    static constexpr quint32 Star = 0;

    /// One "a:b" range (or a single number when first == last), as written: first may be
    /// larger than last ("4:2" means the same as "2:4", RFC 9051 §9 seq-range).
    struct Range
    {
        quint32 first = 1; ///< an nz-number, or Star
        quint32 last = 1;  ///< an nz-number, or Star
        /// Same ranges in the same order.
        friend bool operator==(const Range &a, const Range &b)
        {
            return a.first == b.first && a.last == b.last;
        }
        /// Negation of operator==.
        friend bool operator!=(const Range &a, const Range &b) { return !(a == b); }
    };

    /// An empty set (not valid in a command; see isEmpty()).
    SequenceSet();
    /// A copy: implicitly shared, so cheap until one of the two changes.
    SequenceSet(const SequenceSet &other);
    /// Takes what other holds; other is left empty.
    SequenceSet(SequenceSet &&other) noexcept;
    /// Becomes a copy of other (implicitly shared).
    SequenceSet &operator=(const SequenceSet &other);
    /// Takes what other holds; other is left empty.
    SequenceSet &operator=(SequenceSet &&other) noexcept;
    ~SequenceSet();

    /// The set holding one number (Star for "*").
    static SequenceSet single(quint32 number);
    /// The range first:last (either may be Star).
    static SequenceSet range(quint32 first, quint32 last);
    /// "1:*": every message.
    static SequenceSet all();
    /// The numbers given, sorted and compressed into ranges ("1,2,3,5" → "1:3,5").
    /// Zeros are ignored.
    static SequenceSet fromNumbers(QVector<quint32> numbers);

    /// Parses the RFC 9051 §9 syntax: nz-numbers without leading zeros, '*', ':' and ',',
    /// no spaces. Returns an empty set and fills *error (if given) with a message naming the
    /// offending byte when the text is not a sequence set, or when a number does not fit
    /// in 32 bits.
    static SequenceSet parse(const QByteArray &text, QString *error = nullptr);

    /// Adds one number (Star for "*"); 0 is ignored.
    void add(quint32 number);
    /// Adds the range first:last (either may be Star); a range with a 0 endpoint is ignored.
    void addRange(quint32 first, quint32 last);

    /// True if the set has no range. An empty set cannot be sent in a command.
    bool isEmpty() const;
    /// True if any endpoint is '*'.
    bool hasStar() const;
    /// The ranges, in the order they were added or parsed.
    const std::vector<Range> &ranges() const;

    /// The set in IMAP syntax ("1:5,7,9:*"); empty for an empty set.
    QByteArray toByteArray() const;
    /// toByteArray() as a QString.
    QString toString() const { return QString::fromLatin1(toByteArray()); }

    /// The same set with every range ordered low:high, sorted and merged ("9,1:3,2:5,6" →
    /// "1:6,9"). Ranges with '*' are kept at the end, after the numeric ones.
    SequenceSet normalized() const;

    /// True if number is in the set. '*' resolves to largest (the highest sequence number
    /// or UID in the mailbox); with largest 0 a '*' endpoint matches nothing by itself and
    /// "n:*" is taken as "n".
    bool contains(quint32 number, quint32 largest = 0) const;
    /// How many distinct numbers the set holds once '*' resolves to largest.
    quint64 count(quint32 largest = 0) const;
    /// The distinct numbers in ascending order, '*' resolved to largest; at most maxCount
    /// of them (a guard against "1:4294967295").
    QVector<quint32> numbers(quint32 largest = 0, qsizetype maxCount = 1 << 20) const;

    /// Iterates over numbers(largest) lazily: for (quint32 n : set.iterate(largest)) …
    /// Distinct numbers in ascending order, without building a list.
    class MAILWIRE_PROTOCOLS_EXPORT Iterable
    {
    public:
        /// A forward iterator over the numbers. Like Qt's container iterators it holds its
        /// position inline (a pointer to the Iterable's private part, an index, a value), so
        /// stepping costs no call into the library; that layout is part of the ABI.
        class const_iterator
        {
        public:
            /// The current number.
            quint32 operator*() const { return m_value; }
            /// Moves to the next number (or to end()).
            const_iterator &operator++();
            /// True at the same position (all end iterators are equal).
            bool operator==(const const_iterator &o) const
            {
                return m_index == o.m_index && (m_index < 0 || m_value == o.m_value);
            }
            /// Negation of operator==.
            bool operator!=(const const_iterator &o) const { return !(*this == o); }

        private:
            friend class Iterable;
            const SequenceSetIterablePrivate *m_d = nullptr; // normalized, resolved, merged
            qsizetype m_index = -1;                          // -1 = end
            quint32 m_value = 0;
        };

        /// Iterates over nothing.
        Iterable();
        /// A copy: implicitly shared, so cheap until one of the two changes.
        Iterable(const Iterable &other);
        /// Takes what other holds; other is left empty.
        Iterable(Iterable &&other) noexcept;
        /// Becomes a copy of other (implicitly shared).
        Iterable &operator=(const Iterable &other);
        /// Takes what other holds; other is left empty.
        Iterable &operator=(Iterable &&other) noexcept;
        ~Iterable();

        /// The first (lowest) number.
        const_iterator begin() const;
        /// Past the last number.
        const_iterator end() const { return const_iterator(); }

    private:
        friend class SequenceSet;
        QSharedDataPointer<SequenceSetIterablePrivate> d;
    };
    /// The numbers of the set for a range-based for loop, '*' resolved to largest: distinct,
    /// ascending and produced one at a time, so even "1:4294967295" builds no list (unlike
    /// numbers()).
    Iterable iterate(quint32 largest = 0) const;

    /// Same ranges in the same order.
    friend MAILWIRE_PROTOCOLS_EXPORT bool operator==(const SequenceSet &a, const SequenceSet &b);
    /// Negation of operator==.
    friend bool operator!=(const SequenceSet &a, const SequenceSet &b) { return !(a == b); }

private:
    friend class SequenceSetPrivate;
    // Null for an empty set, the common case in responses: nothing is allocated for it.
    QSharedDataPointer<SequenceSetPrivate> d;
};

/// Writes the set in IMAP syntax.
MAILWIRE_PROTOCOLS_EXPORT QDebug operator<<(QDebug debug, const SequenceSet &set);

} // namespace mailwire
