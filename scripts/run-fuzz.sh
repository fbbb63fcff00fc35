#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# Fuzzes each harness in fuzz/ with libFuzzer for N seconds, starting from its corpus.
#   scripts/run-fuzz.sh [--seconds N] [--build-dir DIR] [HARNESS...]
# Builds the harnesses with clang in build-fuzz/ (or --build-dir / $MAILWIRE_FUZZ_BUILD_DIR)
# with -DMAILWIRE_FUZZ=ON; installs clang first if missing. Fails if any harness crashes and
# prints the path of the input that did it. HARNESS: tls_engine, imap_parser, ... (all).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

seconds=60
build=${MAILWIRE_FUZZ_BUILD_DIR:-$root/build-fuzz}
harnesses=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --seconds) seconds=${2:?--seconds needs a number}; shift ;;
        --build-dir) build=${2:?--build-dir needs a directory}; shift ;;
        -h|--help) sed -n '3,7s/^# \{0,1\}//p' "$0"; exit 0 ;;
        -*) echo "run-fuzz: unknown argument '$1' (try --help)" >&2; exit 2 ;;
        *) harnesses+=("$1") ;;
    esac
    shift
done
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "run-fuzz: --seconds needs a positive number" >&2; exit 2; }
if [[ ${#harnesses[@]} -eq 0 ]]; then
    for source in "$root"/fuzz/fuzz_*.cpp; do
        name=$(basename "$source" .cpp)
        harnesses+=("${name#fuzz_}")
    done
fi
for harness in "${harnesses[@]}"; do
    [[ -f $root/fuzz/fuzz_$harness.cpp ]] || { echo "run-fuzz: no harness '$harness'" >&2; exit 2; }
done

# The library build's packages, then clang with its fuzzer runtime: tried by compiling a
# harness-shaped file, as the package names differ between Debian releases.
bash "$root/scripts/install-deps.sh"
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *, std::size_t) { return 0; }\n' \
    >"$probe_dir/probe.cpp"
fuzzer_works() {
    clang++ -fsanitize=fuzzer,address,undefined "$probe_dir/probe.cpp" -o "$probe_dir/probe" 2>/dev/null
}
if ! fuzzer_works; then
    echo "run-fuzz: installing clang and its fuzzer runtime" >&2
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "run-fuzz: run as root to install clang" >&2; exit 1; }
        sudo=(sudo -n)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        clang libclang-rt-dev
    fuzzer_works || { echo "run-fuzz: clang cannot build a libFuzzer program" >&2; exit 1; }
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ \
    "${launcher[@]}" -DMAILWIRE_FUZZ=ON -DMAILWIRE_BUILD_TESTS=OFF \
    -DMAILWIRE_BUILD_EXAMPLES=OFF -DMAILWIRE_BUILD_BENCH=OFF >/dev/null
# Only the harnesses and what they link: the rest of the project is not needed here.
cmake --build "$build" -j "$(nproc)" --target "${harnesses[@]/#/fuzz_}"

# Longest input worth trying per harness: a little above the largest seed.
max_len() {
    case $1 in
        tls_engine) echo 32768 ;;
        imap_parser|capabilities|fixture_script) echo 8192 ;;
        *) echo 2048 ;;
    esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for harness in "${harnesses[@]}"; do
    # A scratch copy: what the fuzzer adds to its corpus never reaches the checked-in one.
    work=$build/fuzz-work/$harness
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/crashes"
    find "$root/fuzz/corpus/$harness" "$root/fuzz/regressions/$harness" -maxdepth 1 -type f \
        ! -name '.*' -exec cp {} "$work/corpus/" \;
    log=$work/fuzz.log
    echo "run-fuzz: $harness for ${seconds}s ($(ls "$work/corpus" | wc -l) seeds)"
    rc=0
    "$build/bin/fuzz_$harness" -max_total_time="$seconds" -max_len="$(max_len "$harness")" \
        -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
        -artifact_prefix="$work/crashes/" "$work/corpus" >"$log" 2>&1 || rc=$?
    # "#123456<TAB>DONE   cov: 1234 ft: 5678 corp: 90/12Kb ..." is libFuzzer's last status.
    summary=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1 |
        sed -E 's/^#[0-9]+[[:space:]]+[A-Z]+[[:space:]]+//' || true)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "run-fuzz: $harness: ${runs:-?} runs; ${summary:-no status line}"
    crashes=$(find "$work/crashes" -type f | sort)
    if [[ $rc -ne 0 || -n $crashes ]]; then
        status=1
        echo "run-fuzz: $harness FAILED (exit $rc); log: $log" >&2
        grep -E 'ERROR: |runtime error|fuzz check failed|SUMMARY' "$log" | head -n 5 >&2 || true
        for crash in $crashes; do
            echo "run-fuzz: crash input: $crash (add it to fuzz/regressions/$harness/)" >&2
        done
    fi
done
exit $status
