# cmake -P script behind the abi_no_detail_in_headers test (registered in abi.cmake): no
# installed header (HEADERS_FILE, one path a line) names an internal type. Internals live in
# namespace mailwire::detail and in *_p.h headers, so an installed header must neither
# mention detail (a declaration or a use) nor include a *_p.h header: a user would then
# compile against types whose layout we change at will.
cmake_minimum_required(VERSION 3.16)

file(STRINGS ${HEADERS_FILE} headers)
set(problems "")
foreach(header IN LISTS headers)
    file(READ ${header} text)
    # Lines as a list; ";" and "[" would confuse CMake's list splitting (put back below).
    string(REPLACE ";" "@semi@" text "${text}")
    string(REPLACE "[" "@open@" text "${text}")
    string(REPLACE "]" "@close@" text "${text}")
    string(REPLACE "\n" ";" lines "${text}")
    set(number 0)
    foreach(line IN LISTS lines)
        math(EXPR number "${number} + 1")
        if(line MATCHES "detail::|namespace[ \t]+([A-Za-z0-9_]+::)*detail([^A-Za-z0-9_]|$)"
           OR line MATCHES "^[ \t]*#[ \t]*include[ \t]*[<\"][^>\"]*_p\\.h[>\"]")
            string(STRIP "${line}" line)
            string(REPLACE "@semi@" ";" line "${line}")
            string(REPLACE "@open@" "[" line "${line}")
            string(REPLACE "@close@" "]" line "${line}")
            string(APPEND problems "\n  ${header}:${number}: ${line}")
        endif()
    endforeach()
endforeach()
list(LENGTH headers count)
if(problems)
    message(FATAL_ERROR "abi: installed headers name internals (detail::, *_p.h):${problems}")
endif()
message(STATUS "${count} installed headers, none names detail:: or includes a *_p.h header")
