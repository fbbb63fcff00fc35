// SPDX-License-Identifier: LGPL-3.0-or-later
// The version: project() in the top-level CMakeLists.txt is the one place it is written, and
// mailwire::version(), <mailwire/version.h> and CHANGELOG.md follow it. (The installed package
// and mailwire.pc are checked by the packaging_downstream test.)
#include <boost/test/unit_test.hpp>

#include <mailwire/version.h>

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QString>
#include <QtCore/QVersionNumber>

#include <string>

namespace {

QString readSourceFile(const char *name)
{
    QFile file(QStringLiteral(MAILWIRE_SOURCE_DIR "/") + QLatin1String(name));
    BOOST_REQUIRE_MESSAGE(file.open(QIODevice::ReadOnly), "cannot read " << name);
    return QString::fromUtf8(file.readAll());
}

} // namespace

BOOST_AUTO_TEST_SUITE(version)

BOOST_AUTO_TEST_CASE(version_is_the_one_in_project)
{
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral(R"(project\(Mailwire\s+VERSION\s+([0-9.]+)\b)"))
            .match(readSourceFile("CMakeLists.txt"));
    BOOST_REQUIRE(match.hasMatch());
    const std::string inProject = match.captured(1).toStdString();
    BOOST_TEST(std::string(mailwire::version()) == inProject);
    BOOST_TEST(std::string(MAILWIRE_VERSION_STR) == inProject);
}

BOOST_AUTO_TEST_CASE(version_parts_agree_with_the_string)
{
    const QVersionNumber number = QVersionNumber::fromString(QLatin1String(mailwire::version()));
    BOOST_TEST(number.segmentCount() == 3);
    BOOST_TEST(number.majorVersion() == MAILWIRE_VERSION_MAJOR);
    BOOST_TEST(number.minorVersion() == MAILWIRE_VERSION_MINOR);
    BOOST_TEST(number.microVersion() == MAILWIRE_VERSION_PATCH);
    BOOST_TEST(MAILWIRE_VERSION
               == MAILWIRE_VERSION_CHECK(MAILWIRE_VERSION_MAJOR, MAILWIRE_VERSION_MINOR,
                                         MAILWIRE_VERSION_PATCH));
    // The packing orders versions as their parts do.
    BOOST_TEST(MAILWIRE_VERSION_CHECK(0, 2, 0) > MAILWIRE_VERSION_CHECK(0, 1, 9));
    BOOST_TEST(MAILWIRE_VERSION_CHECK(1, 0, 0) > MAILWIRE_VERSION_CHECK(0, 255, 255));
}

// Releasing means moving the Unreleased entries under the new version's heading; a version
// bumped in CMakeLists.txt without its CHANGELOG.md section fails here.
BOOST_AUTO_TEST_CASE(changelog_has_unreleased_and_this_version)
{
    const QString changelog = readSourceFile("CHANGELOG.md");
    BOOST_TEST(changelog.contains(QStringLiteral("\n## [Unreleased]\n")));
    const QRegularExpression heading(
        QStringLiteral(R"(\n## \[%1\] - \d{4}-\d{2}-\d{2}\n)")
            .arg(QRegularExpression::escape(QLatin1String(mailwire::version()))));
    BOOST_TEST(heading.match(changelog).hasMatch(),
               "CHANGELOG.md has no \"## [" << mailwire::version() << "] - YYYY-MM-DD\" heading");
}

BOOST_AUTO_TEST_SUITE_END()
