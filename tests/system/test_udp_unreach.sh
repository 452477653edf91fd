#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ICMP port unreachable: a connected UDP socket to a closed port gets
# ECONNREFUSED (also for a 3000-byte datagram that arrives in fragments); broadcast datagrams (subnet, limited, link-layer) to a
# closed port or to the echo port draw no reply at all; a burst of 50 is
# rate-limited to about 10 errors. Cross-checked with the exit counters.
. "$(dirname "$0")/lib.sh"
require scapy

ns_setup
atoll_start --ip 10.0.0.2/24 --echo
out=$(in_ns timeout 60 "$PY" "$(dirname "$0")/udp_unreach.py" "$ATOLL_IP" "$TAP" 10.0.0.255 2>&1)
rc=$?
echo "$out" | grep -v '^RESULT'
[ "$rc" -eq 0 ] || fail "port unreachable checks failed (see above)"
atoll_stop
say "counters: $(counters_line)"
result() { echo "$out" | sed -n 's/^RESULT //p' | tr ' ' '\n' | sed -n "s/^$1=\([0-9]*\)\$/\1/p"; }
unicast=$(result unicast)
broadcast=$(result broadcast)
burst=$(result burst)
burst_replies=$(result burst_replies)
[ -n "$unicast" ] && [ -n "$broadcast" ] && [ -n "$burst" ] && [ -n "$burst_replies" ] || fail "no RESULT line from udp_unreach.py"
c() { counter "$1"; }
want_unreach=$((unicast + burst_replies))
[ "$(c ICMP_UNREACH_TX)" -eq "$want_unreach" ] \
    || fail "ICMP_UNREACH_TX=$(c ICMP_UNREACH_TX), expected $want_unreach ($unicast unicast + $burst_replies in the burst; none for broadcasts)"
[ "$(c ICMP_RATE_LIMITED)" -eq $((burst - burst_replies)) ] \
    || fail "ICMP_RATE_LIMITED=$(c ICMP_RATE_LIMITED), expected $((burst - burst_replies))"
# Every closed-port datagram is counted, broadcast ones included: the 6
# limited/subnet broadcasts to the echo port too (services answer unicast only).
want_noport=$((unicast + broadcast + burst))
[ "$(c UDP_DROP_NO_PORT)" -eq "$want_noport" ] \
    || fail "UDP_DROP_NO_PORT=$(c UDP_DROP_NO_PORT), expected $want_noport"
[ "$(c UDP_TX)" -eq 1 ] || fail "UDP_TX=$(c UDP_TX), expected 1 (the one unicast echo)"
pass "port unreachable for unicast only, rate-limited"
