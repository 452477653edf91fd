#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# UDP echo (RFC 862) on port 7: 1000 datagrams of random sizes 1..1472
# bytes, each returned byte-identical (UDP_ECHO_SEED=N repeats a run); then
# 30 of up to 65507 bytes, fragmented both ways.
. "$(dirname "$0")/lib.sh"

ns_setup
atoll_start --ip 10.0.0.2/24 --echo
grep -Eq 'echo service on .*UDP.* port 7' "$ATOLL_LOG" || fail "appliance did not announce the echo service"
in_ns timeout 150 "$PY" "$(dirname "$0")/udp_echo.py" "$ATOLL_IP" 1000 "${UDP_ECHO_SEED:--}" 1472 \
    || fail "UDP echo: not every datagram came back identical"
say "and 30 datagrams of up to 65507 bytes (fragmented both ways)"
in_ns timeout 60 "$PY" "$(dirname "$0")/udp_echo.py" "$ATOLL_IP" 30 - 65507 \
    || fail "UDP echo of fragmented datagrams: not every datagram came back identical"
atoll_stop
say "counters: $(counters_line)"
[ "$(counter UDP_TX)" -eq 1030 ] || fail "UDP_TX=$(counter UDP_TX), expected 1030"
[ "$(counter ICMP_UNREACH_TX)" -eq 0 ] || fail "the appliance sent port unreachables during the echo run"
pass "1000/1000 datagrams (and 30/30 large ones) echoed byte-identical"
