#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# How responses leave, seen by a client that watches records and segments
# (tests/system/https_records.py):
#   - a small response is one TLS record and one TCP segment (head and
#     body together); a 2 MB body leaves in full 16 KiB records, the last
#     one excepted;
#   - 100 requests pipelined in one record get 100 answers;
#   - lingering close: a client that sends more after its Connection: close
#     request, or goes on uploading a body refused with 413, still reads
#     the whole response (no reset destroys it);
#   - eviction takes no connection whose response is still undelivered:
#     at --max-conns 1, a reader holding its whole response unread in our
#     buffers is not reset for a newcomer (who gets 503), and reads it all.
. "$(dirname "$0")/lib.sh"
require curl
REC=$REPO/tests/system/https_records.py
small_site_image 2000000
head -c 40000 /dev/urandom >"$TMPD/site/mid.bin"
"$REPO/build/atoll-pack" "$TMPD/site" --cert "$CERTS/ec.pem" --key "$CERTS/ec.key" -o "$TMPD/site.img" -q ||
    fail "atoll-pack"
ns_setup
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --ip 10.0.0.2/24 --site "$TMPD/site.img"
rec() { in_ns timeout 60 "$PY" "$REC" "$1" "$ATOLL_IP" 443 "$CERTS/ca.pem" "${@:2}"; }

out=$(rec small /index.html 20) || fail "small requests: $out"
say "small response: $out"
[ "${out% bytes *}" = "records 1.00 segments 1.00" ] || fail "a small response is not one record in one segment: $out"
say "ok: a small response is one record, one segment"

out=$(rec bulk /big.bin) || fail "bulk: $out"
say "bulk: $out"
read -r _ n _ _ _ _ _ k <<<"$out"
[ "$k" -eq $((n - 1)) ] || fail "a bulk body is not in full records: $out"
say "ok: a 2 MB body leaves in full records"

out=$(rec pipeline /index.html 100) || fail "pipeline: $out"
[ "$out" = 100 ] || fail "100 pipelined requests in one record: $out answers"
say "ok: 100 pipelined requests in one record, 100 answers"

out=$(rec closeextra /big.bin) || fail "closeextra: $out"
[ "$out" = 2000000 ] || fail "bytes after a Connection: close request cut the response: $out of 2000000"
say "ok: bytes sent after Connection: close do not cut the response"

out=$(rec upload413) || fail "upload413: $out"
read -r st n rst <<<"$out"
[ "$st" = 413 ] && [ "$n" -gt 0 ] || fail "an upload refused with 413 did not get its response: $out"
[ "$rst" = noreset ] || fail "the upload going on after its 413 was reset: $out"
say "ok: an upload going on after its 413 still reads it ($out)"
atoll_stop
grep -Eq '^atoll: info: web: .* lingered=[1-9]' "$ATOLL_LOG" || fail "no lingering close counted"

atoll_start --ip 10.0.0.2/24 --site "$TMPD/site.img" --max-conns 1
bg_ns "$TMPD/hold.out" "$PY" "$REC" hold "$ATOLL_IP" 443 "$CERTS/ca.pem" /mid.bin 3
HOLD=$BG_PID
wait_for_line "$TMPD/hold.out" '^sent$' 10 || fail "the holding reader did not start: $(cat "$TMPD/hold.out")"
sleep 1
code=$(in_ns curl -sS --max-time 10 --cacert "$CERTS/ca.pem" --resolve "atoll.test:443:$ATOLL_IP" \
    -o /dev/null -w '%{http_code}' https://atoll.test/index.html) || true
[ "$code" = 503 ] || fail "at the cap, a newcomer got $code (expected 503: the other connection is mid-response)"
wait "$HOLD"
[ "$(tail -n 1 "$TMPD/hold.out")" = 40000 ] || fail "the held response was cut: $(cat "$TMPD/hold.out")"
say "ok: a response still in our buffers is not evicted"
atoll_stop
grep -Eq '^atoll: info: web: .* evicted=0 ' "$ATOLL_LOG" || fail "a connection was evicted"
pass "one record per small response, full bulk records, deep pipelines, lingering close, eviction"
