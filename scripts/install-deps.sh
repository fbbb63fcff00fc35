#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# Installs the Debian 12 packages that building and testing Mailwire need, and only when one
# of them is missing, so the run-*.sh scripts can call it every time at no cost. Packages
# given as arguments are needed too (scripts/run-clang-tidy.sh adds clang-tidy).
set -euo pipefail

# ccache: the abi_exported_symbols test compiles the libraries a second time (shared).
packages=(cmake make g++ pkg-config qtbase5-dev libssl-dev openssl libboost-test-dev
          clang-format doxygen ccache "$@")

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo -n)   # -n: never wait for a password prompt (CI has no stdin)
fi
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
