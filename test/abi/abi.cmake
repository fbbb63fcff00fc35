# ABI checks (label abi): what a shared libmailwire exports, and what the installed headers
# show. Both read the installed headers from the MAILWIRE_PUBLIC_HEADERS property of the two
# libraries, written here one path a line.
set(_mailwire_abi_dir ${CMAKE_CURRENT_BINARY_DIR}/abi)
set(_mailwire_public_headers "")
foreach(_library mailwire_tls mailwire_protocols)
    if(TARGET ${_library})
        get_target_property(_headers ${_library} MAILWIRE_PUBLIC_HEADERS)
        list(APPEND _mailwire_public_headers ${_headers})
    endif()
endforeach()
list(JOIN _mailwire_public_headers "\n" _mailwire_public_headers)
file(WRITE ${_mailwire_abi_dir}/public_headers.txt "${_mailwire_public_headers}\n")

# abi_no_detail_in_headers: no installed header mentions detail:: or includes a *_p.h.
add_test(NAME abi_no_detail_in_headers
    COMMAND ${CMAKE_COMMAND} -DHEADERS_FILE=${_mailwire_abi_dir}/public_headers.txt
        -P ${CMAKE_CURRENT_LIST_DIR}/check_public_headers.cmake)
set_tests_properties(abi_no_detail_in_headers PROPERTIES LABELS abi TIMEOUT 60)

# abi_exported_symbols_selftest: the symbol rules on a made-up listing that breaks each of
# them (selftest_listing.txt), so a rule that stops catching anything fails here.
add_test(NAME abi_exported_symbols_selftest
    COMMAND ${CMAKE_COMMAND} -DALLOWLIST=${CMAKE_CURRENT_LIST_DIR}/exported_api.txt
        -DLISTING=${CMAKE_CURRENT_LIST_DIR}/selftest_listing.txt
        -DEXPECTED=${CMAKE_CURRENT_LIST_DIR}/selftest_expected.txt
        -P ${CMAKE_CURRENT_LIST_DIR}/check_exported_symbols.cmake)
set_tests_properties(abi_exported_symbols_selftest PROPERTIES LABELS abi TIMEOUT 60)

# abi_exported_symbols: a nested shared build of this tree (the two libraries only), whose
# dynamic symbols must all belong to the API in exported_api.txt. It compiles the libraries
# again, so it is left out of the sanitizer configuration, which runs the suite for memory
# errors, not for the ABI.
find_program(MAILWIRE_CCACHE_PROGRAM ccache)
if(MAILWIRE_SANITIZE)
    message(STATUS "abi_exported_symbols: not registered with MAILWIRE_SANITIZE")
elseif(NOT CMAKE_NM)
    message(WARNING "nm not found: the abi_exported_symbols test is not registered")
else()
    cmake_host_system_information(RESULT _mailwire_cores QUERY NUMBER_OF_LOGICAL_CORES)
    add_test(NAME abi_exported_symbols
        COMMAND ${CMAKE_COMMAND}
            -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DWORK_DIR=${_mailwire_abi_dir}
            -DGENERATOR=${CMAKE_GENERATOR}
            -DCXX=${CMAKE_CXX_COMPILER}
            -DCCACHE=${MAILWIRE_CCACHE_PROGRAM}
            -DNM=${CMAKE_NM}
            -DJOBS=${_mailwire_cores}
            -DALLOWLIST=${CMAKE_CURRENT_LIST_DIR}/exported_api.txt
            -DHEADERS_FILE=${_mailwire_abi_dir}/public_headers.txt
            -P ${CMAKE_CURRENT_LIST_DIR}/check_exported_symbols.cmake)
    # The lock keeps two runs from building in the same directory.
    set_tests_properties(abi_exported_symbols PROPERTIES
        LABELS abi TIMEOUT 600 RESOURCE_LOCK mailwire_abi_shared_build)
endif()
