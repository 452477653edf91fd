#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Atoll's TLS 1.3 client (build/atoll-tls-client: the engine on a Linux
# socket) against real servers on the loopback of a test namespace:
# openssl s_server -rev for every suite x group with ECDSA and RSA
# certificates, resumption with a ticket, KeyUpdate, gnutls-serv --echo;
# a CertificateRequest answered with an empty Certificate; and the chain
# checks: an unknown CA gives unknown_ca, a name the
# certificate does not carry gives bad_certificate.
. "$(dirname "$0")/lib.sh"
require openssl gnutls-serv
CLIENT=$REPO/build/atoll-tls-client
[ -x "$CLIENT" ] || fail "$CLIENT not built"

CERTS=$TMPD/certs
"$(dirname "$0")/tls_certs.sh" "$CERTS" || fail "test certificates"
ns_setup
PORT=5544

server() { # ARGS...: openssl s_server in the namespace, background
    ip netns exec "$NS" openssl s_server -accept "127.0.0.1:$PORT" -tls1_3 -rev "$@" >"$TMPD/server.log" 2>&1 &
    SPID=$!
    BG_PIDS+=("$SPID")
    for _ in $(seq 50); do in_ns ss -ltn | grep -q ":$PORT " && return 0; sleep 0.1; done
    fail "s_server did not start"
}
server_stop() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; }
client() { # NAME LINE ARGS...
    local name=$1 line=$2
    shift 2
    { echo "$line"; sleep 0.6; } | in_ns timeout 20 "$CLIENT" 127.0.0.1 "$PORT" --ca "$CERTS/ca.pem" "$@" \
        >"$TMPD/$name.out" 2>&1
}
expect() { grep -Eq "$2" "$TMPD/$1.out" || { SHOW_FILES+=("$TMPD/$1.out" "$TMPD/server.log"); fail "$1: $3"; }; }

n=0
for cert in ec rsa; do
    server -cert "$CERTS/$cert.pem" -key "$CERTS/$cert.key"
    for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
        for group in x25519 secp256r1 secp384r1; do
          for crypto in wolfcrypt mbedtls; do
            name=$cert-$suite-$group-$crypto
            client "$name" "hello $name" --name atoll.test --suite "$suite" --group "$group" --crypto "$crypto"
            expect "$name" "^$(echo "hello $name" | rev)\$" "no reversed line from s_server"
            case $cert in ec) sig=ecdsa ;; rsa) sig=rsa_pss ;; esac
            expect "$name" "TLSv1.3 $suite $group $sig" "wrong parameters"
            n=$((n + 1))
          done
        done
    done
    server_stop
done
say "$n handshakes against openssl s_server (each with both crypto backends)"

server -cert "$CERTS/ec.pem" -key "$CERTS/ec.key"
client sess1 "first" --name atoll.test --sess "$TMPD/sess.bin"
expect sess1 "^tsrif\$" "no reply"
[ -s "$TMPD/sess.bin" ] || fail "no ticket stored"
client sess2 "second" --name atoll.test --sess "$TMPD/sess.bin"
expect sess2 "resumed" "ticket not accepted by s_server"
expect sess2 "^dnoces\$" "no reply on the resumed connection"
client ku "after update" --name atoll.test --key-update
expect ku "^etadpu retfa\$" "no reply after KeyUpdate"
client wrongname "x" --name other.test
expect wrongname "alert sent 42" "a name not in the certificate must give bad_certificate"
server_stop

# A server asking for a client certificate (optional) gets an empty one.
server -cert "$CERTS/ec.pem" -key "$CERTS/ec.key" -verify 1
client certreq "asked for a certificate" --name atoll.test
expect certreq "^etacifitrec a rof deksa\$" "no reply after CertificateRequest"
server_stop

"$(dirname "$0")/tls_certs.sh" "$TMPD/other" || fail "second CA"
server -cert "$TMPD/other/ec.pem" -key "$TMPD/other/ec.key"
client unknownca "x" --name atoll.test
expect unknownca "alert sent 48" "a chain to another CA must give unknown_ca"
server_stop

ip netns exec "$NS" gnutls-serv --echo -p $PORT --x509certfile "$CERTS/rsa.pem" --x509keyfile "$CERTS/rsa.key" \
    --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3" >"$TMPD/server.log" 2>&1 &
BG_PIDS+=($!)
for _ in $(seq 50); do in_ns ss -ltn | grep -q ":$PORT " && break; sleep 0.1; done
client gnutls "gnutls echo" --name rsa.atoll.test
expect gnutls "^gnutls echo\$" "no echo from gnutls-serv"
expect gnutls "TLSv1.3" "not TLS 1.3"
pass "$n s_server handshakes, resumption, KeyUpdate, gnutls-serv, unknown_ca and bad_certificate"
