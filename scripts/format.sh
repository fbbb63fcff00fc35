#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# Formats every C++ source of the project with clang-format 14 and the .clang-format beside
# this folder.
#   scripts/format.sh           rewrite the files in place
#   scripts/format.sh --check   change nothing; fail and name each file that is not formatted
# Installs clang-format (Debian package clang-format) if it is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

check=false
case ${1:-} in
    --check) check=true ;;
    '') ;;
    -h|--help) sed -n '3,7s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "format: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

formatter=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z $formatter ]]; then
    bash "$root/scripts/install-deps.sh"  # clang-format is among its packages
    formatter=$(command -v clang-format-14 || command -v clang-format)
fi

cd "$root"
# The project's own C++ folders only: build trees and fuzz corpora live elsewhere.
mapfile -t files < <(find tls protocols fixtures examples test bench fuzz \
    \( -name '*.cpp' -o -name '*.h' \) -type f | sort)
[[ ${#files[@]} -gt 0 ]] || { echo "format: no sources found" >&2; exit 1; }

if $check; then
    # --dry-run -Werror prints each offending place and fails on the first unformatted file.
    "$formatter" --dry-run -Werror --style=file "${files[@]}"
    echo "format: ${#files[@]} files formatted as .clang-format says"
else
    "$formatter" -i --style=file "${files[@]}"
fi
