#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Connections that end badly lose nothing and leak nothing: with
# --max-conns 4, 300 connections that reset at once, send garbage in place
# of TLS or of HTTP, reset in the middle of a body, half-close, send
# close_notify first or stop mid-head. The appliance must stay up, free
# every slot (so 40 sequential and 4 parallel clients are then served
# without a single 503), and count the TLS failures.
. "$(dirname "$0")/lib.sh"
require curl openssl
PROBE=$REPO/tests/system/https_probe.py
small_site_image 2000000
ns_setup
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --ip 10.0.0.2/24 --site "$TMPD/site.img" --max-conns 4 --header-timeout 2 --idle-timeout 2
in_ns "$PY" "$PROBE" chaos "$ATOLL_IP" 443 "$CERTS/ca.pem" 300 7 >"$TMPD/chaos.out" 2>&1 ||
    { SHOW_FILES+=("$TMPD/chaos.out"); fail "chaos probe"; }
say "$(cat "$TMPD/chaos.out")"
in_ns "$PY" "$PROBE" chaos "$ATOLL_IP" 80 - 40 8 >/dev/null 2>&1 || true # garbage on the plain port too
atoll_alive "after the chaos"
sleep 3 # header/idle timeouts pass for anything the chaos left half-open
CURL=(in_ns curl -sS --max-time 10 --cacert "$CERTS/ca.pem" --resolve "atoll.test:443:$ATOLL_IP")
for i in $(seq 40); do
    code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' https://atoll.test/index.html) || fail "request $i failed"
    [ "$code" = 200 ] || fail "request $i after the chaos: $code (a slot leaked?)"
done
pids=()
for i in 1 2 3 4; do
    "${CURL[@]}" -o "$TMPD/big.$i" https://atoll.test/big.bin &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a parallel download failed"; done
for i in 1 2 3 4; do cmp -s "$TMPD/site/big.bin" "$TMPD/big.$i" || fail "parallel download $i differs"; done
atoll_stop
grep -Eq '^atoll: info: web: .* tls_failed=[1-9]' "$ATOLL_LOG" || fail "no TLS failure counted"
grep -Eq '^atoll: info: web: .* busy_503=0 ' "$ATOLL_LOG" || fail "503s were sent: slots were not freed in time"
pass "300 bad endings, then 40 + 4 clients served; $(grep -E '^atoll: info: web:' "$ATOLL_LOG" | sed 's/^atoll: info: web: //')"
