#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# TLS 1.3 interop against real peers, over Atoll's own TCP on a tap in a
# namespace: the TLS echo service with three certificates (ECDSA P-256,
# RSA-2048, ECDSA P-384) for SNI. openssl s_client for every suite x group x
# signature scheme, each handshake verified against the test CA and an
# echoed line checked; HelloRetryRequest; resumption with -sess_out/-sess_in;
# KeyUpdate both ways ('k' and 'K'); SNI picking the certificate; gnutls-cli;
# curl --tlsv1.3 (handshake; the echo is no HTTP server).
. "$(dirname "$0")/lib.sh"
require openssl gnutls-cli curl

CERTS=$TMPD/certs
"$(dirname "$0")/tls_certs.sh" "$CERTS" || fail "test certificates"
PORT=4433
ns_setup
# "address ... up" comes before the services start: wait for the service.
ATOLL_READY="tls echo service on TCP port $PORT"
atoll_start --ip 10.0.0.2/24 --tls-echo $PORT --cert "$CERTS/ec.pem" --key "$CERTS/ec.key" \
    --cert "$CERTS/rsa.pem" --key "$CERTS/rsa.key" --cert "$CERTS/p384.pem" --key "$CERTS/p384.key"
grep -q "tls echo service on TCP port $PORT" "$ATOLL_LOG" || fail "no TLS echo service announced"
CRYPTO=$(sed -n 's/.*tls: crypto \([a-z]*\).*/\1/p' "$ATOLL_LOG" | head -1)
[ -n "$CRYPTO" ] || fail "the appliance did not name its crypto backend"
[ -z "${ATOLL_CRYPTO_EXPECT:-}" ] || [ "$CRYPTO" = "$ATOLL_CRYPTO_EXPECT" ] ||
    fail "the appliance runs $CRYPTO, not $ATOLL_CRYPTO_EXPECT"
say "crypto backend: $CRYPTO"

n=0
# s_client NAME INPUT ARGS...: runs openssl s_client feeding INPUT lines with
# pauses (so replies arrive before stdin ends), output in $TMPD/NAME.out.
s_client() {
    local name=$1 input=$2
    shift 2
    n=$((n + 1))
    {
        while IFS= read -r line; do
            echo "$line"
            sleep 0.3
        done <<<"$input"
        sleep 0.5
    } | in_ns timeout 20 openssl s_client -connect "$ATOLL_IP:$PORT" -tls1_3 -CAfile "$CERTS/ca.pem" \
        -verify_return_error "$@" >"$TMPD/$name.out" 2>&1
}
expect() { # NAME PATTERN WHAT
    grep -Eq "$2" "$TMPD/$1.out" || { SHOW_FILES+=("$TMPD/$1.out"); fail "$1: $3"; }
}

for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
    for group in X25519 P-256 P-384; do
        for sig in ecdsa_secp256r1_sha256 rsa_pss_rsae_sha256 rsa_pss_rsae_sha384 rsa_pss_rsae_sha512; do
            name="$suite-$group-$sig"
            line="hello $name $RANDOM"
            s_client "$name" "$line" -ciphersuites "$suite" -groups "$group" -sigalgs "$sig" \
                -servername atoll.test
            expect "$name" "^$line\$" "no echo"
            expect "$name" "Verify return code: 0 \(ok\)|Verification: OK" "certificate not verified"
            expect "$name" "New, TLSv1.3, Cipher is $suite" "wrong suite"
            case $group in X25519) k="X25519" ;; P-256) k="ECDH, prime256v1" ;; P-384) k="ECDH, secp384r1" ;; esac
            expect "$name" "Server Temp Key: $k" "wrong group"
            case $sig in ecdsa*) t="ECDSA" ;; *) t="RSA-PSS" ;; esac
            expect "$name" "Peer signature type: $t" "wrong signature type"
        done
    done
done
say "$n suite x group x signature handshakes with echo"

# ECDSA P-384 certificate chosen by SNI.
s_client p384 "p384 line" -servername p384.atoll.test
expect p384 "^p384 line\$" "no echo"
expect p384 "subject=CN ?= ?p384.atoll.test" "SNI did not select the P-384 certificate"
# Both credentials serve atoll.test: the client's preference picks the key.
s_client pref-rsa "x" -servername atoll.test -sigalgs "rsa_pss_rsae_sha256:ecdsa_secp256r1_sha256"
expect pref-rsa "Peer signature type: RSA-PSS" "client preferred RSA-PSS"
s_client pref-ec "x" -servername atoll.test -sigalgs "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256"
expect pref-ec "Peer signature type: ECDSA" "client preferred ECDSA"

# HelloRetryRequest: the client's only key share is for a group we lack.
s_client hrr "after hrr" -groups X448:P-256 -servername atoll.test -msg
expect hrr "^after hrr\$" "no echo after HRR"
expect hrr "ServerHello" "no ServerHello seen"
expect hrr "Server Temp Key: ECDH, prime256v1" "HRR did not settle on P-256"
grep -c "ServerHello" "$TMPD/hrr.out" | grep -q '^[2-9]' || { SHOW_FILES+=("$TMPD/hrr.out"); fail "hrr: expected a HelloRetryRequest and a ServerHello"; }

# Resumption: a ticket from one connection resumes the next.
s_client sess1 "first" -servername atoll.test -sess_out "$TMPD/sess.pem"
expect sess1 "^first\$" "no echo"
[ -s "$TMPD/sess.pem" ] || fail "no session ticket received"
s_client sess2 "resumed" -servername atoll.test -sess_in "$TMPD/sess.pem"
expect sess2 "^resumed\$" "no echo on the resumed connection"
expect sess2 "Reused, TLSv1.3" "session not resumed"

# KeyUpdate: 'k' updates the client's keys, 'K' also asks us to update ours.
s_client keyupdate "$(printf 'before\nk\nmiddle\nK\nafter')" -servername atoll.test
expect keyupdate "^before\$" "no echo before KeyUpdate"
expect keyupdate "^middle\$" "no echo after KeyUpdate (k)"
expect keyupdate "^after\$" "no echo after KeyUpdate (K)"

# GnuTLS.
{ echo "gnutls line"; sleep 1; } | in_ns timeout 20 gnutls-cli --x509cafile "$CERTS/ca.pem" -p $PORT \
    --sni-hostname atoll.test --verify-hostname atoll.test \
    --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3" "$ATOLL_IP" >"$TMPD/gnutls.out" 2>&1
expect gnutls "^gnutls line\$" "gnutls-cli: no echo"
expect gnutls "TLS1.3" "gnutls-cli: not TLS 1.3"

# curl: the handshake completes and verifies; the echo then returns the
# request itself, which curl rightly refuses as an HTTP reply.
in_ns timeout 20 curl -sv --tlsv1.3 --cacert "$CERTS/ca.pem" --resolve "atoll.test:$PORT:$ATOLL_IP" \
    "https://atoll.test:$PORT/" >"$TMPD/curl.out" 2>&1
expect curl "SSL connection using TLSv1.3" "curl: no TLS 1.3 connection"
expect curl "SSL certificate verify ok" "curl: certificate not verified"

atoll_alive "after the interop runs"
atoll_stop
pass "$n handshakes over every suite/group/scheme, SNI, HRR, resumption, KeyUpdate, gnutls-cli, curl (crypto $CRYPTO)"
