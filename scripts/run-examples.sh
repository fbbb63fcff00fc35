#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# Builds the example programs and runs each one against its in-process server, showing the
# C:/S: transcript on stderr.
#   scripts/run-examples.sh [--build-dir DIR]     (default build/, or $MAILWIRE_BUILD_DIR)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

build=${MAILWIRE_BUILD_DIR:-$root/build}
while [[ $# -gt 0 ]]; do
    case $1 in
        --build-dir) build=${2:?--build-dir needs a directory}; shift ;;
        -h|--help) sed -n '3,5s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "run-examples: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

bash "$root/scripts/install-deps.sh"
export QT_QPA_PLATFORM=offscreen

cmake -S "$root" -B "$build"
# Only what the examples need, not the tests and benchmarks.
cmake --build "$build" -j "$(nproc)" --target mailwire_examples

# examples/CMakeLists.txt writes the list, so a new example is run here with no edit.
status=0
while read -r program; do
    echo "== $(basename "$program")"
    "$program" --transcript || { status=$?; echo "== $(basename "$program") failed (exit $status)" >&2; }
    echo
done <"$build/examples/programs.txt"
exit $status
