# The `docs` target: Doxygen HTML of the installed public headers in <build>/docs/html
# (cmake/Doxyfile.in says how). It is not part of `all`; the `docs` test (test/CMakeLists.txt)
# builds it and fails on any warning, so every public declaration stays documented.
# Included after the libraries, so their MAILWIRE_PUBLIC_HEADERS properties exist.
find_package(Doxygen)

set(MAILWIRE_DOCS_DIR ${PROJECT_BINARY_DIR}/docs)

# The input is what cmake/MailwireInstall.cmake installs, minus the generated export headers:
# they hold only the visibility macros, which Doxyfile.in defines away.
set(MAILWIRE_DOCS_HEADERS "")
foreach(library IN ITEMS mailwire_tls mailwire_protocols)
    if(TARGET ${library})
        get_target_property(headers ${library} MAILWIRE_PUBLIC_HEADERS)
        list(FILTER headers EXCLUDE REGEX "_export\\.h$")
        list(APPEND MAILWIRE_DOCS_HEADERS ${headers})
    endif()
endforeach()

if(DOXYGEN_FOUND)
    list(TRANSFORM MAILWIRE_DOCS_HEADERS REPLACE "(.+)" "\"\\1\"" OUTPUT_VARIABLE quoted)
    list(JOIN quoted " \\\n                         " MAILWIRE_DOCS_INPUT)
    configure_file(${CMAKE_CURRENT_LIST_DIR}/Doxyfile.in ${MAILWIRE_DOCS_DIR}/Doxyfile @ONLY)
    # Old pages of a since-removed class would otherwise stay, so start from an empty html/.
    add_custom_target(docs
        COMMAND ${CMAKE_COMMAND} -E rm -rf ${MAILWIRE_DOCS_DIR}/html
        COMMAND Doxygen::doxygen ${MAILWIRE_DOCS_DIR}/Doxyfile
        WORKING_DIRECTORY ${MAILWIRE_DOCS_DIR}
        DEPENDS ${MAILWIRE_DOCS_DIR}/Doxyfile ${MAILWIRE_DOCS_HEADERS}
        COMMENT "Doxygen: API documentation into ${MAILWIRE_DOCS_DIR}/html"
        VERBATIM)
else()
    # Configuring still works without Doxygen, but the target (and so the `docs` test) fails
    # and says why, rather than passing or vanishing unnoticed.
    message(WARNING "doxygen not found: the `docs` target and test will fail "
                    "(scripts/install-deps.sh installs it)")
    add_custom_target(docs
        COMMAND ${CMAKE_COMMAND} -E echo
            "docs: doxygen was not found when configuring; run scripts/install-deps.sh, then reconfigure"
        COMMAND ${CMAKE_COMMAND} -E false
        VERBATIM)
endif()
