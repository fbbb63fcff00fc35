# Install rules: libraries, public headers, example programs, the CMake package
# (find_package(Mailwire) -> Mailwire::Tls, Mailwire::Protocols) and mailwire.pc.
# Included last from the top-level CMakeLists.txt, so every target already exists.
include(CMakePackageConfigHelpers)

# Each library here that exists in this configuration is installed, exported as
# Mailwire::<EXPORT_NAME> and listed in mailwire.pc. Dependencies first: static linkers need
# dependents before them, and the .pc list is emitted reversed. A new library joins by being
# appended. (mailwire_protocols exists only once protocols/ has sources.)
set(MAILWIRE_INSTALL_LIBRARIES mailwire_tls mailwire_protocols)

set(MAILWIRE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Mailwire)

# The version is project()'s (top-level CMakeLists.txt); the package version file,
# mailwire.pc and <mailwire/version.h> all read it. What it promises is in README.md
# ("Versions"): before 1.0 a minor release may break the API and the ABI, so 0.x.y is
# compatible with 0.x.* only: find_package(Mailwire 0.1) accepts 0.1.* and shared libraries
# carry 0.x in their soname. From 1.0 on, the major version alone decides.
if(PROJECT_VERSION_MAJOR EQUAL 0)
    set(MAILWIRE_VERSION_COMPATIBILITY SameMinorVersion)
    set(MAILWIRE_SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
else()
    set(MAILWIRE_VERSION_COMPATIBILITY SameMajorVersion)
    set(MAILWIRE_SOVERSION ${PROJECT_VERSION_MAJOR})
endif()

set(MAILWIRE_EXPORT_NAMES "")
set(MAILWIRE_PC_LIBS "")
set(MAILWIRE_ANY_STATIC FALSE)
foreach(library IN LISTS MAILWIRE_INSTALL_LIBRARIES)
    if(NOT TARGET ${library})
        continue()
    endif()
    set_target_properties(${library} PROPERTIES
        VERSION ${PROJECT_VERSION}
        SOVERSION ${MAILWIRE_SOVERSION})
    install(TARGETS ${library} EXPORT MailwireTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    # The include directory comes from each target's $<INSTALL_INTERFACE:...>. Headers
    # are flat under mailwire/, as in the build tree's include/ directory.
    get_target_property(headers ${library} MAILWIRE_PUBLIC_HEADERS)
    if(headers)
        install(FILES ${headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mailwire)
    endif()
    get_target_property(export_name ${library} EXPORT_NAME)
    get_target_property(output_name ${library} OUTPUT_NAME)
    if(NOT output_name)
        set(output_name ${library})
    endif()
    get_target_property(library_type ${library} TYPE)
    if(library_type STREQUAL "STATIC_LIBRARY")
        set(MAILWIRE_ANY_STATIC TRUE)
    endif()
    list(APPEND MAILWIRE_EXPORT_NAMES ${export_name})
    list(PREPEND MAILWIRE_PC_LIBS -l${output_name})
endforeach()

# Example programs register themselves in this global property (examples/CMakeLists.txt).
get_property(MAILWIRE_EXAMPLE_PROGRAMS GLOBAL PROPERTY MAILWIRE_EXAMPLE_PROGRAMS)
if(MAILWIRE_EXAMPLE_PROGRAMS)
    # With shared libraries, let installed programs find them in a non-system prefix.
    file(RELATIVE_PATH bin_to_lib ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
    set_target_properties(${MAILWIRE_EXAMPLE_PROGRAMS} PROPERTIES
        INSTALL_RPATH "$ORIGIN/${bin_to_lib}")
    install(TARGETS ${MAILWIRE_EXAMPLE_PROGRAMS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT MailwireTargets
    NAMESPACE Mailwire::
    FILE MailwireTargets.cmake
    DESTINATION ${MAILWIRE_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/MailwireConfig.cmake.in
    ${PROJECT_BINARY_DIR}/cmake/MailwireConfig.cmake
    INSTALL_DESTINATION ${MAILWIRE_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/MailwireConfigVersion.cmake
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY ${MAILWIRE_VERSION_COMPATIBILITY})
install(FILES
        ${PROJECT_BINARY_DIR}/cmake/MailwireConfig.cmake
        ${PROJECT_BINARY_DIR}/cmake/MailwireConfigVersion.cmake
    DESTINATION ${MAILWIRE_INSTALL_CMAKEDIR})

# pkg-config. The prefix is found relative to the .pc file, so `cmake --install --prefix P`
# into any P gives a working file. OpenSSL is only a private dependency of a shared library,
# but a static one needs -lssl -lcrypto on every link, also without `pkg-config --static`.
# Cflags carry -fPIC because our headers include Qt's, which refuse to compile without it
# (Qt is built with -reduce-relocations); Qt5Core.pc does not say so, Qt's CMake targets do.
file(RELATIVE_PATH MAILWIRE_PC_TO_PREFIX
    ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" MAILWIRE_PC_TO_PREFIX "${MAILWIRE_PC_TO_PREFIX}")
list(JOIN MAILWIRE_PC_LIBS " " MAILWIRE_PC_LIBS)
if(MAILWIRE_ANY_STATIC)
    set(MAILWIRE_PC_REQUIRES "Qt5Core Qt5Network libssl libcrypto")
    set(MAILWIRE_PC_REQUIRES_PRIVATE "")
else()
    set(MAILWIRE_PC_REQUIRES "Qt5Core Qt5Network")
    set(MAILWIRE_PC_REQUIRES_PRIVATE "libssl libcrypto")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/mailwire.pc.in ${PROJECT_BINARY_DIR}/cmake/mailwire.pc
    @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cmake/mailwire.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
