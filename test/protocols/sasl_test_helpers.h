// SPDX-License-Identifier: LGPL-3.0-or-later
// What the SASL suites share: Boost.Test printers for mechanism steps, error codes and
// byte strings (escaped), and credential builders.
#pragma once

#include <boost/test/unit_test.hpp>

#include <ostream>

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include "sasl_p.h"

namespace mailwire::detail {

inline std::ostream &boost_test_print_type(std::ostream &out, SaslMechanism::Step::Status status)
{
    using S = SaslMechanism::Step::Status;
    switch (status) {
    case S::Continue: return out << "Continue";
    case S::Done: return out << "Done";
    case S::Abort: return out << "Abort";
    case S::ServerError: return out << "ServerError";
    }
    return out << "(not a Status)";
}

} // namespace mailwire::detail

namespace mailwire {
inline std::ostream &boost_test_print_type(std::ostream &out, Error::Code code)
{
    return out << Error::codeName(code).toStdString();
}
} // namespace mailwire

inline std::ostream &boost_test_print_type(std::ostream &out, const QByteArray &bytes)
{
    out << '"';
    for (const char c : bytes) {
        if (c >= 0x20 && c < 0x7f)
            out << c;
        else
            out << "\\x"
                << "0123456789abcdef"[(c >> 4) & 0xf] << "0123456789abcdef"[c & 0xf];
    }
    return out << '"';
}

inline std::ostream &boost_test_print_type(std::ostream &out, const QString &text)
{
    return out << '"' << text.toStdString() << '"';
}

namespace sasl_test {

using namespace mailwire;
using namespace mailwire::detail;
using Status = SaslMechanism::Step::Status;
using Code = Error::Code;

inline Credentials passwordCredentials(const QString &user = QStringLiteral("user"),
                                       const QString &password = QStringLiteral("pencil"))
{
    Credentials c;
    c.user = user;
    c.password = password;
    return c;
}

} // namespace sasl_test

using namespace sasl_test;
