// SPDX-License-Identifier: LGPL-3.0-or-later
// What the typed IMAP commands share: argument checks (DESIGN.md §2, rule 6), d->submitTyped()
// and the routing of untagged data among pipelined commands of one kind.
#include <mailwire/imap_session.h>

#include "imap_command_p.h"
#include "imap_session_commands_p.h"
#include "imap_session_p.h"

namespace mailwire {

namespace detail {

Error invalidArgument(const QString &what)
{
    return Error(Error::Code::InvalidArgument, what + QStringLiteral("; nothing was sent"));
}

Error notOffered(const QString &what)
{
    return Error(Error::Code::CommandFailed,
                 QStringLiteral("The server does not offer %1; nothing was sent").arg(what));
}

bool isAtom(const QByteArray &atom)
{
    if (atom.isEmpty())
        return false;
    for (const char c : atom) {
        const auto byte = static_cast<unsigned char>(c);
        // RFC 9051 §9: ATOM-CHAR is any CHAR except atom-specials: "(" ")" "{" SP CTL
        // list-wildcards quoted-specials resp-specials.
        if (byte <= 0x20 || byte >= 0x7f)
            return false;
        switch (c) {
        case '(':
        case ')':
        case '{':
        case '%':
        case '*':
        case '"':
        case '\\':
        case ']': return false;
        default: break;
        }
    }
    return true;
}

bool isValidFlag(const QByteArray &flag)
{
    return flag.startsWith('\\') ? isAtom(flag.mid(1)) : isAtom(flag);
}

QByteArray flagList(const QStringList &flags, Error *error)
{
    QList<QByteArray> atoms;
    for (const QString &flag : flags) {
        const QByteArray bytes = flag.toUtf8();
        if (!isValidFlag(bytes)) {
            *error = invalidArgument(QStringLiteral("A flag must be an atom (no CR, LF, NUL, "
                                                    "space, parentheses, quotes or 8-bit bytes)"));
            return QByteArray();
        }
        atoms << bytes;
    }
    return '(' + atoms.join(' ') + ')';
}

bool isValidCriteria(const QByteArray &criteria)
{
    const QByteArray trimmed = criteria.trimmed();
    if (trimmed.isEmpty() || criteria.contains('\r') || criteria.contains('\n')
        || criteria.contains('\0'))
        return false;
    // A line ending in "{5}" announces a literal (RFC 9051 §4.3): the server would take
    // the start of our next command as its bytes.
    if (trimmed.endsWith('}')) {
        const int open = trimmed.lastIndexOf('{');
        if (open >= 0) {
            QByteArray inside = trimmed.mid(open + 1, trimmed.size() - open - 2);
            if (inside.endsWith('+') || inside.endsWith('-'))
                inside.chop(1);
            bool digits = !inside.isEmpty();
            for (const char c : inside)
                digits = digits && c >= '0' && c <= '9';
            if (digits)
                return false;
        }
    }
    return true;
}

QByteArray imapDateTime(const QDateTime &dateTime)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int offset = dateTime.offsetFromUtc();
    const QDateTime local = dateTime.toOffsetFromUtc(offset);
    const QDate date = local.date();
    const QTime time = local.time();
    const int minutes = qAbs(offset) / 60;
    const QByteArray text = QByteArray::number(date.day()).rightJustified(2, ' ') + '-'
        + months[date.month() - 1] + '-' + QByteArray::number(date.year()).rightJustified(4, '0')
        + ' ' + QByteArray::number(time.hour()).rightJustified(2, '0') + ':'
        + QByteArray::number(time.minute()).rightJustified(2, '0') + ':'
        + QByteArray::number(time.second()).rightJustified(2, '0') + ' ' + (offset < 0 ? '-' : '+')
        + QByteArray::number(minutes / 60).rightJustified(2, '0')
        + QByteArray::number(minutes % 60).rightJustified(2, '0');
    return '"' + text + '"';
}

bool setMayContain(const SequenceSet &set, quint32 number)
{
    for (const SequenceSet::Range &range : set.ranges()) {
        if (range.first == SequenceSet::Star || range.last == SequenceSet::Star)
            return true;
        if (number >= qMin(range.first, range.last) && number <= qMax(range.first, range.last))
            return true;
    }
    return false;
}

} // namespace detail

using detail::ImapCommand;
using detail::ImapCommandBuilder;

void ImapSessionPrivate::submitTyped(ImapCommandBuilder &builder, ImapCommandReply *reply,
                                     ResponseFilter accepts, bool pipelinable,
                                     const std::function<void(ImapCommand &)> &adjust)
{
    auto self = std::make_shared<const ImapCommand *>(nullptr);
    ResponseFilter filter = [this, self, accepts = std::move(accepts)](const ImapResponse &r) {
        return isOldestOfItsKind(*self) && accepts(r);
    };
    std::unique_ptr<ImapCommand> command =
        prepareCommand(builder, std::move(filter), pipelinable, reply);
    if (!command)
        return;
    // "UID FETCH", not "UID": the kind decides which command untagged data belongs to.
    const QList<QByteArray> words = command->pieces.value(0).bytes.split(' ');
    command->name =
        words.value(0) == "UID" ? words.value(0) + ' ' + words.value(1) : words.value(0);
    *self = command.get();
    if (adjust)
        adjust(*command);
    enqueue(std::move(command));
}

bool ImapSessionPrivate::isOldestOfItsKind(const ImapCommand *command) const
{
    // RFC 9051 §5.5: untagged data carries no tag. Commands of one kind that are in flight
    // together (pipelined LISTs) are answered in order, so data goes to the oldest.
    if (!command)
        return false;
    for (const auto &inFlight : pipeline.inFlight()) {
        if (inFlight->name == command->name)
            return inFlight.get() == command;
    }
    return false;
}

void ImapSessionPrivate::enqueueFirst(std::unique_ptr<ImapCommand> command)
{
    pipeline.enqueueFirst(std::move(command));
}

QString ImapSession::byeText() const { return d->byeText; }

} // namespace mailwire
