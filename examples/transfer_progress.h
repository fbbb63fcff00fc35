// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <cstdio>

#include <QtCore/QString>

namespace mailwire {
class Reply;
}

namespace mailwire::examples {

/// A one-line progress display for a large transfer (Reply::progress()), the way command-line
/// mail tools show a download: "\rSaving UID 7: 3.2 of 12.0 MB (26%)", rewritten in place on
/// a terminal and ended with a newline when the reply finishes. Nothing at all is written
/// unless out is a terminal (a pipe or a log file would fill with carriage returns) and the
/// transfer reaches MinimumBytes (small ones finish before anyone could read it).
class TransferProgress
{
public:
    static constexpr qint64 MinimumBytes = qint64(1024) * 1024;

    /// terminal: whether out is a terminal (isatty(fileno(out)) in the programs).
    TransferProgress(std::FILE *out, bool terminal, const QString &label);

    /// Shows reply's progress until it finishes.
    void attach(Reply *reply);
    /// One update: what attach() connects to Reply::progress().
    void update(qint64 done, qint64 total);
    /// Ends the line, if one was shown.
    void finish();

    /// The text of one update, without the leading carriage return.
    static QString describe(const QString &label, qint64 done, qint64 total);

private:
    std::FILE *m_out;
    QString m_label;
    bool m_terminal;
    bool m_shown = false;
};

} // namespace mailwire::examples
