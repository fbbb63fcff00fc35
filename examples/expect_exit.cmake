# SPDX-License-Identifier: LGPL-3.0-or-later
# cmake -DPROGRAM=<exe> -DARGS="<arguments>" -DEXPECTED=<exit code> -DPATTERN=<regex>
#       -P expect_exit.cmake
# Runs an example that must fail: checks the exact exit code (DESIGN.md §4), that stdout is
# empty (the arguments include --quiet), and that stderr is ONE line naming the cause
# (matching PATTERN).
separate_arguments(arguments UNIX_COMMAND "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${arguments}
    RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
get_filename_component(name ${PROGRAM} NAME)
set(what "${name} ${ARGS}")
if(NOT code STREQUAL "${EXPECTED}")
    message(FATAL_ERROR "${what}: exit code ${code}, expected ${EXPECTED}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT out STREQUAL "")
    message(FATAL_ERROR "${what}: printed on stdout despite --quiet:\n${out}")
endif()
string(REGEX MATCHALL "\n" newlines "${err}")
list(LENGTH newlines lines)
if(NOT lines EQUAL 1 OR NOT err MATCHES "\n$")
    message(FATAL_ERROR "${what}: stderr is not exactly one line:\n${err}")
endif()
if(NOT err MATCHES "^${name}: .*${PATTERN}")
    message(FATAL_ERROR "${what}: stderr does not name the cause (${PATTERN}):\n${err}")
endif()
string(STRIP "${err}" err)
message(STATUS "${what}: exit ${code}, ${err}")
