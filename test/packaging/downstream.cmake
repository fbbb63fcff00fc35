# packaging_downstream: installs this build into a scratch prefix, then builds and runs a tiny
# consumer against it twice, through find_package(Mailwire) and through mailwire.pc. It proves
# what a user of `cmake --install` gets, which no in-tree test can (they see the build tree),
# and that the package, mailwire.pc, <mailwire/version.h> and mailwire::version() all say
# PROJECT_VERSION and that the package refuses the versions README.md calls incompatible.
# The prefix lies outside the build tree, and the installed example programs run there with
# no argument: they must need nothing from the build (no certificate file, no path of it).
find_program(MAILWIRE_PKG_CONFIG_PROGRAM pkg-config)
# Every example program the install puts in bin/ (examples/CMakeLists.txt registers them),
# comma-separated so the list survives the command line.
get_property(_mailwire_downstream_examples GLOBAL PROPERTY MAILWIRE_EXAMPLE_PROGRAMS)
list(JOIN _mailwire_downstream_examples "," _mailwire_downstream_examples)
set(_mailwire_downstream_flags "")
if(MAILWIRE_SANITIZE)
    # The instrumented library needs the sanitizer runtimes in the consumer's link too.
    set(_mailwire_downstream_flags "-fsanitize=address,undefined")
endif()
add_test(NAME packaging_downstream
    COMMAND ${CMAKE_COMMAND}
        -DBUILD_DIR=${PROJECT_BINARY_DIR}
        -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/packaging
        -DSOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}/downstream
        -DCONFIG=$<CONFIG>
        -DGENERATOR=${CMAKE_GENERATOR}
        -DCXX=${CMAKE_CXX_COMPILER}
        -DEXTRA_FLAGS=${_mailwire_downstream_flags}
        -DLIBDIR=${CMAKE_INSTALL_LIBDIR}
        -DVERSION=${PROJECT_VERSION}
        -DEXAMPLES=${_mailwire_downstream_examples}
        -DSTRIP=${CMAKE_STRIP}
        -DPKG_CONFIG=${MAILWIRE_PKG_CONFIG_PROGRAM}
        -P ${CMAKE_CURRENT_LIST_DIR}/run_downstream.cmake)
# The lock keeps two runs from sharing the scratch prefix.
set_tests_properties(packaging_downstream PROPERTIES
    TIMEOUT 300
    RESOURCE_LOCK mailwire_packaging_prefix
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
