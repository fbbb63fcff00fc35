// SPDX-License-Identifier: LGPL-3.0-or-later
// The one Boost.Test entry point (shared-library variant), with a QCoreApplication alive
// for the whole run so sockets, timers and the event loop work in every test case.
#define BOOST_TEST_MODULE mailwire
#include <boost/test/unit_test.hpp>

#include <QtCore/QCoreApplication>

namespace {

struct QtApplicationFixture
{
    QtApplicationFixture()
    {
        static int argc = 1;
        static char name[] = "mailwire-test";
        static char *argv[] = {name, nullptr};
        app = new QCoreApplication(argc, argv);
    }
    ~QtApplicationFixture() { delete app; }
    QCoreApplication *app = nullptr;
};

} // namespace

BOOST_TEST_GLOBAL_FIXTURE(QtApplicationFixture);
