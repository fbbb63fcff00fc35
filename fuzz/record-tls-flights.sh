#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# Records every server flight of fuzz/corpus/tls_engine/ again (after a change to the
# client's ClientHello made them stale; fuzz/README.md).
#   fuzz/record-tls-flights.sh [BUILD_DIR]     (default: build/, configured with tests on)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)

cmake --build "$build" --target fuzz-record-tls-flight fuzz_tls_engine mailwire_certs >/dev/null
certs=$build/fixtures/certs
out=$root/fuzz/corpus/tls_engine

# name, scenario (record_tls_flight.cpp), options byte (fuzz_tls_engine.cpp), key type
flights=(
    "tls13_greeting tls13 0x00 rsa"
    "tls13_write_fin tls13 0x03 rsa"
    "tls13_only tls13 0x20 rsa"
    "tls13_verify_none tls13 0x30 rsa"
    "tls13_ecdsa tls13 0x04 ecdsa"
    "tls13_hrr tls13-hrr 0x00 rsa"
    "tls13_client_cert tls13-client-cert 0x20 rsa"
    "tls13_key_update tls13-key-update 0x01 rsa"
    "tls13_bulk tls13-bulk 0x00 rsa"
    "tls12_greeting tls12 0x00 rsa"
    "tls12_only tls12 0x12 rsa"
    "tls12_ecdsa tls12 0x10 ecdsa"
    "tls12_rsa_kx tls12-rsa-kx 0x10 rsa"
    "tls12_client_cert tls12-client-cert 0x10 rsa"
    "tls12_hello_request tls12-hello-request 0x11 rsa"
    "alert_protocol_version alert-version 0x10 rsa"
)
for flight in "${flights[@]}"; do
    read -r name scenario options key <<<"$flight"
    leaf=leaf
    [[ $key == ecdsa ]] && leaf=leaf-ecdsa
    "$build/bin/fuzz-record-tls-flight" "$out/$name" "$scenario" "$options" \
        "$certs/$leaf-chain.pem" "$certs/$leaf.key"
    echo "$name: $(MAILWIRE_FUZZ_TLS_VERBOSE=1 "$build/bin/fuzz_tls_engine" "$out/$name" 2>&1 |
        sed -n 's/^tls_engine: //p')"
done
