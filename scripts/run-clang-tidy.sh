#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# Runs clang-tidy (the profile in .clang-tidy) on Mailwire's own sources: tls/, protocols/,
# fixtures/ and examples/, not test/, bench/ or moc/rcc output. Fails on any finding.
#   scripts/run-clang-tidy.sh [--build-dir DIR] [-j N]
# The compile database comes from a configure-only build directory, build-tidy/ unless
# --build-dir or $MAILWIRE_TIDY_BUILD_DIR says otherwise. Only moc runs; nothing is compiled.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

build=${MAILWIRE_TIDY_BUILD_DIR:-$root/build-tidy}
jobs=$(nproc)
while [[ $# -gt 0 ]]; do
    case $1 in
        --build-dir) build=${2:?--build-dir needs a directory}; shift ;;
        -j) jobs=${2:?-j needs a number}; shift ;;
        -h|--help) sed -n '3,7s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "run-clang-tidy: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

# Debian 12's clang-tidy is version 14, the one .clang-tidy was written for (a newer one
# has more checks, so it may report more).
bash "$root/scripts/install-deps.sh" clang-tidy
tidy=$(command -v clang-tidy-14 || command -v clang-tidy) ||
    { echo "run-clang-tidy: clang-tidy not found" >&2; exit 1; }
runner=$(command -v run-clang-tidy-14 || command -v run-clang-tidy) ||
    { echo "run-clang-tidy: run-clang-tidy not found" >&2; exit 1; }
echo "run-clang-tidy: $("$tidy" --version | grep -i 'version' | head -n 1 | sed 's/^ *//')"

# Configure only. Tests and benchmarks off: the database then holds only the project's
# sources. Makefiles, for the <target>/fast rules below.
cmake -S "$root" -B "$build" -G "Unix Makefiles" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    -DMAILWIRE_SANITIZE=OFF -DMAILWIRE_BUILD_TESTS=OFF -DMAILWIRE_BUILD_BENCH=OFF \
    -DMAILWIRE_BUILD_EXAMPLES=ON >/dev/null
# Sources that include "foo.moc" or "moc_foo.cpp" need moc's output: run moc for every
# target (a few seconds). "/fast" skips the targets' dependencies, which would otherwise
# compile the libraries and generate the test certificates first.
mapfile -t autogen < <(cmake --build "$build" --target help |
    sed -nE 's/^\.\.\. ([A-Za-z0-9_.+-]+_autogen)$/\1\/fast/p')
if [[ ${#autogen[@]} -gt 0 ]]; then
    cmake --build "$build" -j "$jobs" --target "${autogen[@]}" >/dev/null
fi

# Only files under the four source folders; the build directory's generated sources
# (mocs_compilation.cpp, qrc_*.cpp) live elsewhere and are left out.
root_re=$(printf '%s' "$root" | sed 's/[][\.*^$+?(){}|/]/\\&/g')
log=$build/clang-tidy.log
status=0
"$runner" -p "$build" -j "$jobs" -quiet -clang-tidy-binary "$tidy" \
    "^$root_re/(tls|protocols|fixtures|examples)/" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >"$log" ||
    status=$?

# run-clang-tidy echoes each command it runs; show the rest (the diagnostics).
grep -vE "^(\S*/)?clang-tidy(-[0-9]+)? " "$log" |
    grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' || true
findings=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$log" || true)
if [[ $status -ne 0 || $findings -ne 0 ]]; then
    echo "run-clang-tidy: FAILED: $findings finding(s) (exit status $status); see $log" >&2
    exit 1
fi
echo "run-clang-tidy: no findings"
