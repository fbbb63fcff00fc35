# cmake -P script behind the packaging_downstream test (arguments: see downstream.cmake).
# Every step starts from scratch so a file left by an earlier run can hide nothing.
#
# The prefix lies outside the build tree, as a user's would: one directory per build tree in
# the temporary directory (so two build trees can run this at once), cleared here and removed
# when the test passes (a failed run leaves it to look at).
if(DEFINED ENV{TMPDIR} AND IS_DIRECTORY "$ENV{TMPDIR}")
    set(temporary $ENV{TMPDIR})
else()
    set(temporary /tmp)
endif()
string(MD5 build_id "${BUILD_DIR}")
string(SUBSTRING ${build_id} 0 12 build_id)
set(scratch ${temporary}/mailwire-packaging-${build_id})
string(FIND "${scratch}/" "${BUILD_DIR}/" inside)
if(inside EQUAL 0)
    message(FATAL_ERROR "packaging_downstream: ${scratch} is inside the build tree; set TMPDIR "
        "to a directory outside ${BUILD_DIR}")
endif()
set(prefix ${scratch}/prefix)
set(consumer_build ${WORK_DIR}/downstream-build)
file(REMOVE_RECURSE ${scratch} ${consumer_build})
string(REPLACE "," ";" examples "${EXAMPLES}")

# run(<what> <command>...): runs a step, stops the test with its output if it fails.
function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "packaging_downstream: ${what} failed (${rc}):\n${out}")
    endif()
    message(STATUS "${what}: ok")
    set(run_output "${out}" PARENT_SCOPE)
endfunction()

set(config_args "")
if(CONFIG)
    set(config_args --config ${CONFIG})
endif()
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} ${config_args})

set(expected
    include/mailwire/ssl_socket.h include/mailwire/tls_export.h include/mailwire/version.h
    ${LIBDIR}/cmake/Mailwire/MailwireConfig.cmake
    ${LIBDIR}/cmake/Mailwire/MailwireConfigVersion.cmake
    ${LIBDIR}/cmake/Mailwire/MailwireTargets.cmake
    ${LIBDIR}/pkgconfig/mailwire.pc)
foreach(program IN LISTS examples)
    list(APPEND expected bin/${program})
endforeach()
foreach(file IN LISTS expected)
    if(NOT EXISTS ${prefix}/${file})
        message(FATAL_ERROR "packaging_downstream: ${file} was not installed")
    endif()
endforeach()

# A shared library's soname follows the version promise (README.md, "Versions"): 0.x may break
# in a minor release, so 0.x.y is libmailwire_tls.so.0.x; from 1.0 on, .so.<major>.
if(EXISTS ${prefix}/${LIBDIR}/libmailwire_tls.so)
    string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" soversion "${VERSION}")
    if(NOT CMAKE_MATCH_1 EQUAL 0)
        set(soversion ${CMAKE_MATCH_1})
    endif()
    if(NOT EXISTS ${prefix}/${LIBDIR}/libmailwire_tls.so.${soversion})
        message(FATAL_ERROR
            "packaging_downstream: libmailwire_tls.so.${soversion} was not installed")
    endif()
endif()

# A shared libmailwire must be found at run time; a static one makes this harmless.
set(ENV{LD_LIBRARY_PATH} "${prefix}/${LIBDIR}:$ENV{LD_LIBRARY_PATH}")

# The installed example programs, each run with no argument (its self-contained demo: a server
# in the same process, certificates made in memory) from the prefix, in a working directory
# outside the build tree. What each prints when the demo succeeded:
set(success_mailwire-tls-upgrade
    "issued by CN=Mailwire Fixture Ephemeral CA\nVerification: passed, no sslErrors\\(\\)\n"
    "Over TLS: +a2 NOOP -> a2 OK")
set(success_mailwire-imap-upgrade
    "Verification: passed \\(chain to a trusted CA, name \"localhost\" matches\\)\n"
    ".*Logged in: +alice.*Logged out: ")
foreach(program IN LISTS examples)
    if(NOT DEFINED success_${program})
        message(FATAL_ERROR "packaging_downstream: say here what ${program} prints on success")
    endif()
    # The sanitizer build cannot be searched: AddressSanitizer records the path of every
    # object it instruments (for its reports), build tree included. The plain build, which
    # the test command runs first, does the search.
    if(EXTRA_FLAGS)
        message(STATUS "${program}: build-tree path check skipped (sanitizer build)")
    else()
        # A path into the build tree would make the program work there and nowhere else
        # (the generated certificates were once the default of --certs), so none may be in
        # it: neither 8-bit nor UTF-16 (QStringLiteral) strings. The debug information does
        # name the directories the objects were compiled in, so a copy without it is searched.
        set(stripped ${scratch}/stripped/${program})
        file(COPY ${prefix}/bin/${program} DESTINATION ${scratch}/stripped)
        run("strip --strip-debug ${program}" ${STRIP} --strip-debug ${stripped})
        foreach(encoding UTF-8 UTF-16LE)
            file(STRINGS ${stripped} strings ENCODING ${encoding})
            string(FIND "${strings}" "${BUILD_DIR}" at)
            if(NOT at EQUAL -1)
                string(SUBSTRING "${strings}" ${at} 200 found)
                string(REGEX REPLACE ";.*" "" found "${found}")
                message(FATAL_ERROR "packaging_downstream: bin/${program} holds a path into the "
                    "build tree (${encoding}): ${found}")
            endif()
        endforeach()
    endif()

    execute_process(COMMAND ${prefix}/bin/${program} WORKING_DIRECTORY ${prefix}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(CONCAT success ${success_${program}})
    if(NOT rc EQUAL 0 OR NOT out MATCHES "${success}")
        message(FATAL_ERROR "packaging_downstream: installed ${program} (no arguments, run in "
            "${prefix}): exit ${rc}, expected 0 and output matching\n${success}\n"
            "stdout:\n${out}\nstderr:\n${err}")
    endif()
    message(STATUS "run the installed ${program}: ok")
endforeach()

run("configure the consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${consumer_build}
    -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_BUILD_TYPE=${CONFIG} -DMAILWIRE_VERSION=${VERSION}
    -DCMAKE_CXX_FLAGS=${EXTRA_FLAGS} -DCMAKE_EXE_LINKER_FLAGS=${EXTRA_FLAGS})
run("build the consumer" ${CMAKE_COMMAND} --build ${consumer_build} ${config_args})
file(GLOB_RECURSE consumer ${consumer_build}/mailwire-downstream)
run("run the consumer" ${consumer})
message(STATUS "${run_output}")

if(NOT PKG_CONFIG)
    message(FATAL_ERROR "packaging_downstream: pkg-config is not installed")
endif()
set(ENV{PKG_CONFIG_PATH} ${prefix}/${LIBDIR}/pkgconfig)
run("pkg-config --modversion mailwire" ${PKG_CONFIG} --modversion mailwire)
string(STRIP "${run_output}" pc_version)
if(NOT pc_version STREQUAL VERSION)
    message(FATAL_ERROR
        "packaging_downstream: mailwire.pc says ${pc_version}, the build is ${VERSION}")
endif()
run("pkg-config --cflags --libs mailwire" ${PKG_CONFIG} --cflags --libs mailwire)
string(STRIP "${run_output}" pc_flags)
message(STATUS "  ${pc_flags}")
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
separate_arguments(extra_flags UNIX_COMMAND "${EXTRA_FLAGS}")
run("compile the consumer with pkg-config flags" ${CXX} -std=c++17 ${extra_flags}
    "-DMAILWIRE_EXPECTED_VERSION=\"${pc_version}\"" ${SOURCE_DIR}/main.cpp ${pc_flags}
    -o ${WORK_DIR}/mailwire-downstream-pc)
run("run the pkg-config consumer" ${WORK_DIR}/mailwire-downstream-pc)

file(REMOVE_RECURSE ${scratch})
