#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tls_certs.sh DIR: a test CA (ECDSA P-256) and three server certificates
# it signs, for atoll.test (ECDSA P-256), rsa.atoll.test (RSA-2048) and
# p384.atoll.test (ECDSA P-384); each DIR/<name>.pem holds leaf + CA (the
# chain a server sends), DIR/<name>.key its key, DIR/ca.pem the trust anchor.
set -eu
d=$1
mkdir -p "$d"
cd "$d"
q() { "$@" >/dev/null 2>&1 || { echo "tls_certs.sh: failed: $*" >&2; exit 1; }; }
q openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
    -days 30 -subj "/CN=Atoll Test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
leaf() { # name keyopts san
    local name=$1 san=$3
    # shellcheck disable=SC2086
    q openssl req -new -newkey $2 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=${san%%,*}"
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        "$(echo "$san" | sed 's/\([^,]*\)/DNS:\1/g')" >"$name.ext"
    q openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
        -extfile "$name.ext" -out "$name.leaf.pem"
    cat "$name.leaf.pem" ca.pem >"$name.pem"
}
leaf ec "ec -pkeyopt ec_paramgen_curve:P-256" "atoll.test,www.atoll.test"
leaf rsa "rsa:2048" "rsa.atoll.test,atoll.test"
leaf p384 "ec -pkeyopt ec_paramgen_curve:P-384" "p384.atoll.test"
