// SPDX-License-Identifier: LGPL-3.0-or-later
#include "transfer_progress.h"

#include <mailwire/reply.h>

namespace mailwire::examples {

namespace {
QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1);
}
} // namespace

TransferProgress::TransferProgress(std::FILE *out, bool terminal, const QString &label)
    : m_out(out), m_label(label), m_terminal(terminal)
{}

void TransferProgress::attach(Reply *reply)
{
    QObject::connect(reply, &Reply::progress, reply,
                     [this](qint64 done, qint64 total) { update(done, total); });
    QObject::connect(reply, &Reply::finished, reply, [this] { finish(); });
}

QString TransferProgress::describe(const QString &label, qint64 done, qint64 total)
{
    if (total <= 0)
        return QStringLiteral("%1: %2 MB").arg(label, megabytes(done));
    return QStringLiteral("%1: %2 of %3 MB (%4%)")
        .arg(label, megabytes(done), megabytes(total))
        .arg(done * 100 / total);
}

void TransferProgress::update(qint64 done, qint64 total)
{
    if (!m_terminal || (done < MinimumBytes && total < MinimumBytes))
        return;
    // Padded so that a shorter line fully covers the previous one.
    std::fprintf(m_out, "\r%-60s", qUtf8Printable(describe(m_label, done, total)));
    std::fflush(m_out);
    m_shown = true;
}

void TransferProgress::finish()
{
    if (!m_shown)
        return;
    std::fputc('\n', m_out);
    std::fflush(m_out);
    m_shown = false;
}

} // namespace mailwire::examples
