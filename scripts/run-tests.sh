#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# Builds Mailwire and runs the whole test suite with CTest.
#   scripts/run-tests.sh [--sanitize] [--build-dir DIR]
# The build directory is build/ (build-asan/ with --sanitize) unless --build-dir or
# $MAILWIRE_BUILD_DIR says otherwise. --sanitize builds with ASan + UBSan.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

sanitize=OFF
build=${MAILWIRE_BUILD_DIR:-}
while [[ $# -gt 0 ]]; do
    case $1 in
        --sanitize) sanitize=ON ;;
        --build-dir) build=${2:?--build-dir needs a directory}; shift ;;
        -h|--help) sed -n '3,6s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "run-tests: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [[ -z $build ]]; then
    build=$root/build
    [[ $sanitize == ON ]] && build=$root/build-asan
fi

bash "$root/scripts/install-deps.sh"
# Tests never need a display; Qt must not go looking for one.
export QT_QPA_PLATFORM=offscreen
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# Benchmarks are not tests; the sanitizer build skips them to keep CI short.
bench=ON
[[ $sanitize == ON ]] && bench=OFF
cmake -S "$root" -B "$build" -DMAILWIRE_SANITIZE=$sanitize -DMAILWIRE_BUILD_TESTS=ON \
    -DMAILWIRE_BUILD_BENCH=$bench
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure -j2
