# cmake -P script behind the abi_exported_symbols test (registered in abi.cmake). It builds
# this source tree's two libraries as shared libraries in a nested build (Debug at -O0, so
# nothing is inlined away and every weak instance shows), lists what they export with
# `nm -D --defined-only -C`, and fails, naming each offender, when an exported symbol
#   - lies in a detail:: namespace of mailwire,
#   - belongs to a mailwire class whose name ends in Private, or
#   - is a mailwire:: symbol of no class or function in ALLOWLIST (exported_api.txt).
# ALLOWLIST is first checked against the installed headers (HEADERS_FILE, one path a
# line): each name a header declares with MAILWIRE_*_EXPORT must be listed, and each listed
# name must be declared so, so the list cannot drift from the API.
#
# Variables: SOURCE_DIR WORK_DIR GENERATOR CXX NM ALLOWLIST HEADERS_FILE [CCACHE] [JOBS].
# Self-test (abi_exported_symbols_selftest): LISTING=<nm -C output> EXPECTED=<offenders,
# one a line> runs only the classification and passes when exactly EXPECTED is reported.
cmake_minimum_required(VERSION 3.16) # the policies of the project (IN_LIST, ...)

# ---- The allow-list and the headers -------------------------------------------------------

# Splits text into a list of its lines. CMake lists treat ";" and square brackets specially
# (a ";" inside "[...]" does not separate), so they travel as @semi@, @open@ and @close@;
# mailwire_abi_unescape() gives them back.
function(mailwire_abi_lines text out)
    string(REPLACE ";" "@semi@" text "${text}")
    string(REPLACE "[" "@open@" text "${text}")
    string(REPLACE "]" "@close@" text "${text}")
    string(REPLACE "\n" ";" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(mailwire_abi_unescape text out)
    string(REPLACE "@semi@" "\\;" text "${text}")
    string(REPLACE "@open@" "[" text "${text}")
    string(REPLACE "@close@" "]" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Reads the allow-list: qualified names, '#' comments and blank lines ignored.
function(mailwire_abi_read_allowlist file out)
    file(STRINGS ${file} lines)
    set(entries "")
    foreach(line IN LISTS lines)
        string(STRIP "${line}" line)
        if(line STREQUAL "" OR line MATCHES "^#")
            continue()
        endif()
        if(NOT line MATCHES "^mailwire::")
            message(FATAL_ERROR "abi: ${file}: '${line}' is not a mailwire:: name")
        endif()
        list(APPEND entries "${line}")
    endforeach()
    set(${out} "${entries}" PARENT_SCOPE)
endfunction()

# The names the headers declare with an export macro: classes and structs by name, functions
# by their unqualified name (operators as "operator==").
function(mailwire_abi_exported_names headers out)
    set(names "")
    foreach(header IN LISTS headers)
        file(READ ${header} text)
        mailwire_abi_lines("${text}" lines)
        set(number 0)
        foreach(line IN LISTS lines)
            math(EXPR number "${number} + 1")
            if(NOT line MATCHES "MAILWIRE_[A-Z]+_EXPORT" OR line MATCHES "^[ \t]*(#|//)")
                continue()
            endif()
            if(line MATCHES "(class|struct)[ \t]+MAILWIRE_[A-Z]+_EXPORT[ \t]+([A-Za-z_][A-Za-z0-9_]*)")
                list(APPEND names ${CMAKE_MATCH_2})
            elseif(line MATCHES "MAILWIRE_[A-Z]+_EXPORT[ \t]+([^(]*)\\(")
                set(declarator "${CMAKE_MATCH_1}")
                if(declarator MATCHES "(operator[^ \t]+)[ \t]*$")
                    list(APPEND names "${CMAKE_MATCH_1}")
                elseif(declarator MATCHES "([A-Za-z_][A-Za-z0-9_]*)[ \t]*$")
                    list(APPEND names ${CMAKE_MATCH_1})
                else()
                    message(FATAL_ERROR "abi: cannot read the exported name at ${header}:${number}")
                endif()
            else()
                # A declaration this script cannot read must not slip through unchecked.
                message(FATAL_ERROR "abi: cannot read the exported name at ${header}:${number}: "
                                    "keep the macro and the name on one line")
            endif()
        endforeach()
    endforeach()
    list(REMOVE_DUPLICATES names)
    set(${out} "${names}" PARENT_SCOPE)
endfunction()

# Fails unless the allow-list and the headers name the same things.
function(mailwire_abi_check_allowlist entries headers)
    mailwire_abi_exported_names("${headers}" declared)
    set(listed "")
    foreach(entry IN LISTS entries)
        string(REGEX REPLACE "^.*::" "" last "${entry}")
        list(APPEND listed "${last}")
    endforeach()
    set(problems "")
    foreach(name IN LISTS declared)
        if(NOT name IN_LIST listed)
            string(APPEND problems "\n  ${name}: exported by a header, missing from ${ALLOWLIST}")
        endif()
    endforeach()
    foreach(entry IN LISTS entries)
        string(REGEX REPLACE "^.*::" "" last "${entry}")
        if(NOT last IN_LIST declared)
            string(APPEND problems "\n  ${entry}: listed, but no installed header exports it")
        endif()
    endforeach()
    if(problems)
        message(FATAL_ERROR "abi: the allow-list and the installed headers differ:${problems}")
    endif()
    list(LENGTH declared count)
    message(STATUS "allow-list matches the ${count} names the installed headers export")
endfunction()

# ---- Symbols --------------------------------------------------------------------------------

# The qualified name of a demangled symbol: without "vtable for" and the like, without its
# parameter list and return type. "mailwire::Error::code() const" -> "mailwire::Error::code".
function(mailwire_abi_symbol_name symbol out)
    set(s "${symbol}")
    foreach(prefix "vtable for " "VTT for " "typeinfo for " "typeinfo name for "
                   "non-virtual thunk to " "virtual thunk to " "covariant return thunk to "
                   "guard variable for " "TLS init function for " "TLS wrapper function for ")
        string(LENGTH "${prefix}" length)
        string(SUBSTRING "${s}" 0 ${length} head)
        if(head STREQUAL prefix)
            string(SUBSTRING "${s}" ${length} -1 s)
        endif()
    endforeach()
    string(REGEX REPLACE "^construction vtable for .*-in-" "" s "${s}")
    # Operator names and "(anonymous namespace)" hold the characters the scan looks for.
    string(REPLACE "(anonymous namespace)" "{anonymous}" s "${s}")
    string(REPLACE "operator()" "operator@call@" s "${s}")
    string(REPLACE "operator " "operator@sp@" s "${s}") # conversions, new, delete
    foreach(op "<<=" ">>=" "->*" "<<" ">>" "<=" ">=" "->" "<" ">")
        string(REPLACE "<" "@lt@" masked "${op}")
        string(REPLACE ">" "@gt@" masked "${masked}")
        string(REPLACE "operator${op}" "operator${masked}" s "${s}")
    endforeach()

    string(FIND "${s}" "(" paren)
    if(paren EQUAL -1)
        set(head "${s}")
    else()
        string(SUBSTRING "${s}" 0 ${paren} head)
    endif()
    if(NOT head MATCHES "[<{ ]")
        set(name "${head}") # no template, no return type: the common case, no scan
    else()
        # The parameter list is the first "(" outside template arguments; a return type
        # ends at the last space before it.
        string(LENGTH "${s}" length)
        set(depth 0)
        set(start 0)
        set(end ${length})
        set(i 0)
        while(i LESS length)
            string(SUBSTRING "${s}" ${i} 1 c)
            if(c STREQUAL "<" OR c STREQUAL "{")
                math(EXPR depth "${depth} + 1")
            elseif(c STREQUAL ">" OR c STREQUAL "}" OR c STREQUAL ")")
                math(EXPR depth "${depth} - 1")
            elseif(c STREQUAL "(")
                if(depth EQUAL 0)
                    set(end ${i})
                    break()
                endif()
                math(EXPR depth "${depth} + 1")
            elseif(c STREQUAL " " AND depth EQUAL 0)
                math(EXPR start "${i} + 1")
            endif()
            math(EXPR i "${i} + 1")
        endwhile()
        math(EXPR count "${end} - ${start}")
        string(SUBSTRING "${s}" ${start} ${count} name)
    endif()
    string(REPLACE "@call@" "()" name "${name}")
    string(REPLACE "@sp@" " " name "${name}")
    string(REPLACE "@lt@" "<" name "${name}")
    string(REPLACE "@gt@" ">" name "${name}")
    string(REPLACE "{anonymous}" "(anonymous namespace)" name "${name}")
    set(${out} "${name}" PARENT_SCOPE)
endfunction()

# Sets out to why symbol may not be exported, or to "" when it may.
function(mailwire_abi_judge symbol entries out)
    mailwire_abi_symbol_name("${symbol}" name)
    if(name MATCHES "mailwire::([A-Za-z0-9_]+::)*detail::")
        set(${out} "in a detail:: namespace" PARENT_SCOPE)
        return()
    endif()
    if(name MATCHES "mailwire::([A-Za-z0-9_]+::)*[A-Za-z0-9_]*Private([^A-Za-z0-9_]|$)")
        set(${out} "belongs to a private class" PARENT_SCOPE)
        return()
    endif()
    set(${out} "" PARENT_SCOPE)
    if(NOT name MATCHES "^mailwire::")
        return() # Qt/std template instances for our types, linker symbols
    endif()
    # The entry itself, a member of it, or (for a template) an instance of it.
    foreach(entry IN LISTS entries)
        foreach(follows "::" "<")
            string(LENGTH "${entry}${follows}" length)
            string(SUBSTRING "${name}::" 0 ${length} head)
            if(head STREQUAL "${entry}${follows}")
                return()
            endif()
        endforeach()
    endforeach()
    set(${out} "not in the exported API (${name})" PARENT_SCOPE)
endfunction()

# Judges every symbol of an `nm -D --defined-only -C` listing: out_symbols gets the
# offending symbols, out_offenders "symbol: why" for each.
function(mailwire_abi_judge_listing listing entries out_symbols out_offenders out_count)
    # [abi:cxx11] tags say nothing about who owns a symbol.
    string(REGEX REPLACE "\\[abi:[A-Za-z0-9]+\\]" "" listing "${listing}")
    mailwire_abi_lines("${listing}" lines)
    set(symbols "")
    set(offenders "")
    set(count 0)
    foreach(line IN LISTS lines)
        if(NOT line MATCHES "^[0-9a-fA-F]+ [A-Za-z] (.+)$")
            continue()
        endif()
        mailwire_abi_unescape("${CMAKE_MATCH_1}" symbol)
        math(EXPR count "${count} + 1")
        mailwire_abi_judge("${symbol}" "${entries}" why)
        if(why AND NOT symbol IN_LIST symbols)
            list(APPEND symbols "${symbol}")
            list(APPEND offenders "${symbol}: ${why}")
        endif()
    endforeach()
    set(${out_symbols} "${symbols}" PARENT_SCOPE)
    set(${out_offenders} "${offenders}" PARENT_SCOPE)
    set(${out_count} ${count} PARENT_SCOPE)
endfunction()

mailwire_abi_read_allowlist(${ALLOWLIST} entries)

# ---- Self-test: the rules on a listing made to break each of them ------------------------

if(LISTING)
    file(READ ${LISTING} listing)
    mailwire_abi_judge_listing("${listing}" "${entries}" got offenders count)
    file(STRINGS ${EXPECTED} expected REGEX "^[^#]")
    list(SORT got)
    list(SORT expected)
    if(NOT got STREQUAL expected)
        list(JOIN offenders "\n  " shown)
        list(JOIN expected "\n  " wanted)
        message(FATAL_ERROR
            "abi self-test: the rules reported\n  ${shown}\nbut should have reported\n  ${wanted}")
    endif()
    list(LENGTH got n)
    message(STATUS "abi self-test: ${count} symbols, the ${n} expected offenders found")
    return()
endif()

# ---- The shared build ---------------------------------------------------------------------

file(STRINGS ${HEADERS_FILE} headers)
mailwire_abi_check_allowlist("${entries}" "${headers}")

# run(<what> <command>...): runs a step, stops the test with its output if it fails.
function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE output
                    ERROR_VARIABLE output)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "abi: ${what} failed (${rc}):\n${output}")
    endif()
    set(run_output "${output}" PARENT_SCOPE)
endfunction()

set(build ${WORK_DIR}/shared-build)
set(launcher "")
if(CCACHE)
    set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
if(NOT JOBS)
    set(JOBS 2)
endif()
string(TIMESTAMP started "%s")
# The build directory is kept between runs: a rerun rebuilds only what changed.
run("configure the shared build" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${build} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX} ${launcher} -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0
    -DBUILD_SHARED_LIBS=ON -DMAILWIRE_BUILD_TESTS=OFF -DMAILWIRE_BUILD_BENCH=OFF
    -DMAILWIRE_BUILD_EXAMPLES=OFF)
run("build the shared libraries" ${CMAKE_COMMAND} --build ${build}
    --target mailwire_tls mailwire_protocols --parallel ${JOBS})
string(TIMESTAMP built "%s")
math(EXPR seconds "${built} - ${started}")
message(STATUS "shared build: ${seconds} s")

set(problems "")
foreach(library mailwire_tls mailwire_protocols)
    file(GLOB_RECURSE found LIST_DIRECTORIES false ${build}/lib${library}.so)
    list(LENGTH found n)
    if(NOT n EQUAL 1)
        message(FATAL_ERROR "abi: expected one lib${library}.so in ${build}, found: ${found}")
    endif()
    run("nm ${found}" ${NM} -D --defined-only -C ${found})
    mailwire_abi_judge_listing("${run_output}" "${entries}" symbols offenders count)
    list(LENGTH offenders bad)
    message(STATUS "lib${library}.so: ${count} exported symbols, ${bad} outside the API")
    foreach(offender IN LISTS offenders)
        string(APPEND problems "\n  lib${library}.so: ${offender}")
    endforeach()
endforeach()
if(problems)
    message(FATAL_ERROR "abi: symbols exported outside the public API:${problems}")
endif()
