#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Zero-window abandoners do not wedge the appliance. As many clients as
# the TCP buffer pool has buffers (the memory plan's figure; scapy, from an
# on-link address nobody else uses) each ask the plain-HTTP port for a page
# with `Connection: close` and a zero receive window, then fall silent:
# every 301 is stuck in a connection the application has closed (an
# orphan), one pool buffer each, and together they hold the whole pool. An ordinary client must be served at once all the same (the oldest
# orphan's buffers are reclaimed for it), and every orphan must be gone
# after its lifetime, shortened here with --orphan-retries 3 (about 15 s
# at the 1 s RTO of a connection without an RTT sample).
. "$(dirname "$0")/lib.sh"
require curl scapy
SRC=10.0.0.50
small_site_image 1000
ns_setup
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --ip 10.0.0.2/24 --site "$TMPD/site.img" --orphan-retries 3
N=$(sed -nE 's/^atoll: info: memory: .* ([0-9]+) TCP buffers .*/\1/p' "$ATOLL_LOG")
[ -n "$N" ] && [ "$N" -ge 64 ] || fail "no TCP buffer count in the memory plan line"
ping_ok 1
in_ns ip neigh show "$SRC" | grep -q lladdr && fail "$SRC answers ARP in the namespace: not a free address"

say "$N zero-window abandoners from $SRC on port 80"
bg_ns "$TMPD/orphans.log" "$PY" "$(dirname "$0")/tcp_orphans.py" "$ATOLL_IP" "$TAP" "$SRC" 80 "$N" 40
ABANDON=$BG_PID
SHOW_FILES+=("$TMPD/orphans.log")
wait_for_line "$TMPD/orphans.log" '^(ready|tcp_orphans: FAIL)' 60 || fail "the abandoners did not get going within 60 s"
grep -q '^tcp_orphans: FAIL' "$TMPD/orphans.log" && fail "$(cat "$TMPD/orphans.log")"
say "$(grep '^ready' "$TMPD/orphans.log")"
grep -Eq "^ready: $N open .* $N requests acknowledged, 0 already reset" "$TMPD/orphans.log" \
    || fail "not every abandoner's request was taken before the first reset: the pool was never full"

# The pool is full of orphans now: an ordinary client is served at once.
out=$(in_ns curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{time_total}' "http://$ATOLL_IP/index.html") \
    || fail "a client was not served while orphans held the pool"
say "client while the orphans hold the pool: $out"
read -r code secs <<<"$out"
[ "$code" = 301 ] || fail "client while the orphans hold the pool: HTTP $code"
awk -v s="$secs" 'BEGIN { exit !(s < 1.0) }' || fail "client served after $secs s, not at once"

# Every orphan goes within its lifetime.
_wait_gone "$ABANDON" 500 || fail "the abandoners' script still running after 50 s"
wait "$ABANDON"
say "$(grep '^done' "$TMPD/orphans.log")"
grep -Eq "^done: reset=$N of $N, .* data_bytes=0," "$TMPD/orphans.log" \
    || fail "not every orphan was reset within 40 s, or data went beyond a zero window"
last=$(sed -n 's/^done: .*last_reset=\([0-9.]*\).*/\1/p' "$TMPD/orphans.log")
awk -v s="$last" 'BEGIN { exit !(s <= 30) }' || fail "the last orphan lived $last s, beyond its lifetime"

out=$(in_ns curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://$ATOLL_IP/index.html") || fail "client after the orphans"
[ "$out" = 301 ] || fail "client after the orphans: HTTP $out"
atoll_alive "after the abandoners"
atoll_stop
say "counters: $(counters_line)"
c() { counter "$1"; }
[ "$(c TCP_ORPHAN_RECLAIM)" -ge 1 ] || fail "TCP_ORPHAN_RECLAIM=0: the pool was never the constraint"
gone=$(($(c TCP_ORPHAN_TIMEOUT) + $(c TCP_ORPHAN_RECLAIM) + $(c TCP_ORPHAN_EVICT)))
[ "$gone" -ge "$N" ] || fail "only $gone orphans ended by timeout, reclaim or eviction, expected $N"
[ "$(c TCP_ORPHAN_TIMEOUT)" -ge $((N - 8)) ] || fail "TCP_ORPHAN_TIMEOUT=$(c TCP_ORPHAN_TIMEOUT): the orphans did not time out"
pass "$N zero-window orphans held the pool; a client was served in $secs s; all gone by ${last} s ($(c TCP_ORPHAN_TIMEOUT) timed out, $(c TCP_ORPHAN_RECLAIM) reclaimed, $(c TCP_ORPHAN_EVICT) evicted)"
