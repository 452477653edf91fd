#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The connection cap's graceful refusal: with --max-conns 2 and both
# connections in the middle of a response (readers that stopped reading a
# large file, so neither may be evicted), a third client gets 503 with
# Retry-After over TLS instead of a reset; once the stalled readers are
# dropped (stall timeout), clients are served again.
. "$(dirname "$0")/lib.sh"
require curl openssl
PROBE=$REPO/tests/system/https_probe.py
small_site_image 8000000
ns_setup
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --ip 10.0.0.2/24 --site "$TMPD/site.img" --max-conns 2 --header-timeout 2 --idle-timeout 3
CURL=(in_ns curl -sS --max-time 20 --cacert "$CERTS/ca.pem" --resolve "atoll.test:443:$ATOLL_IP")
for i in 1 2; do
    bg_ns "$TMPD/stall$i.out" "$PY" "$PROBE" stall "$ATOLL_IP" 443 "$CERTS/ca.pem" /big.bin 8
done
sleep 2
h=$("${CURL[@]}" -o "$TMPD/body" -D - https://atoll.test/index.html | tr -d '\r') || fail "no answer at the cap"
grep -q '^HTTP/1.1 503' <<<"$h" || { echo "$h" >&2; fail "expected 503 at the cap"; }
grep -Eq '^Retry-After: [0-9]+$' <<<"$h" || { echo "$h" >&2; fail "503 without Retry-After"; }
grep -qi '^Connection: close' <<<"$h" || fail "503 keeps the connection open"
say "ok: 503 with Retry-After at the cap"
# The stall timeout is header + idle timeout (5 s) without progress.
for _ in $(seq 100); do
    code=$("${CURL[@]}" -o "$TMPD/body" -w '%{http_code}' https://atoll.test/index.html) || true
    [ "$code" = 200 ] && break
    sleep 0.2
done
[ "$code" = 200 ] || fail "still $code after the stalled readers should have been dropped"
say "ok: served again once a stalled reader was dropped"
# One free slot is enough for that 200; the other reader's window may have
# closed a little later, so its stall deadline may still be ahead.
for _ in $(seq 50); do
    [ -z "$(in_ns ss -Htn state established '( dport = :443 )')" ] && break
    sleep 0.2
done
[ -z "$(in_ns ss -Htn state established '( dport = :443 )')" ] || fail "a stalled reader still holds its connection"
say "ok: both stalled readers dropped"
atoll_stop
grep -Eq '^atoll: info: web: .* busy_503=[1-9]' "$ATOLL_LOG" || fail "no busy (503) connection counted"
grep -Eq '^atoll: info: web: .* stalled=2$' "$ATOLL_LOG" || fail "the two stalled readers were not dropped"
grep -Eq '"GET /index.html HTTP/1.1" 503 ' "$ATOLL_LOG" || fail "no access-log line for the 503"
pass "503 with Retry-After at the cap; stalled readers dropped"
