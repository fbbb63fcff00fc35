# SPDX-License-Identifier: LGPL-3.0-or-later
# cmake -DPROGRAM=<exe> -DARGS="<arguments>" -DPATTERN=<regex> -P expect_success.cmake
# Runs an example that must succeed: exit code 0, nothing on stderr, and stdout matching
# PATTERN (which says the run took the path the arguments asked for).
separate_arguments(arguments UNIX_COMMAND "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${arguments}
    RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
get_filename_component(name ${PROGRAM} NAME)
set(what "${name} ${ARGS}")
if(NOT code STREQUAL "0")
    message(FATAL_ERROR "${what}: exit code ${code}, expected 0\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT err STREQUAL "")
    message(FATAL_ERROR "${what}: printed on stderr:\n${err}")
endif()
if(NOT out MATCHES "${PATTERN}")
    message(FATAL_ERROR "${what}: stdout does not match (${PATTERN}):\n${out}")
endif()
message(STATUS "${what}: exit 0\n${out}")
