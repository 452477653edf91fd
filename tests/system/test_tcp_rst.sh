#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# RSTs: connect() to closed ports fails with ECONNREFUSED at once (the
# appliance answers the SYN with RST); connections aborted by the client
# (SO_LINGER 0: close() sends RST), idle and in the middle of a transfer,
# are dropped by the appliance (a stray ACK on the old port pair then gets
# RST; TCP_CONN_RESET counts them); new connections work afterwards.
. "$(dirname "$0")/lib.sh"
require scapy

ns_setup
atoll_start --ip 10.0.0.2/24 --echo
in_ns timeout 90 "$PY" "$(dirname "$0")/tcp_rst.py" "$ATOLL_IP" "$TAP" | tee "$TMPD/rst.out"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "RST checks"
say "and more connections after the aborts"
in_ns timeout 100 "$PY" "$(dirname "$0")/tcp_echo.py" small "$ATOLL_IP" | tee "$TMPD/small.out"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "echo after the aborts"
aborted=$(sed -n 's/^aborted: //p' "$TMPD/rst.out")
conns=$(( $(sed -n 's/^connections: //p' "$TMPD/rst.out" "$TMPD/small.out" | paste -sd+) ))
atoll_alive
sleep 0.5
atoll_stop
say "counters: $(counters_line)"
c() { counter "$1"; }
[ "$(c TCP_RST_TX)" -ge 6 ] || fail "TCP_RST_TX=$(c TCP_RST_TX), expected >= 6 (one per closed port, one per probe)"
[ "$(c TCP_RST_RX)" -ge "$aborted" ] || fail "TCP_RST_RX=$(c TCP_RST_RX), expected >= $aborted"
[ "$(c TCP_CONN_RESET)" -eq "$aborted" ] || fail "TCP_CONN_RESET=$(c TCP_CONN_RESET), expected $aborted (the client's aborts)"
[ "$(c TCP_CONN_OPEN)" -eq "$conns" ] || fail "TCP_CONN_OPEN=$(c TCP_CONN_OPEN), expected $conns"
[ "$(c TCP_CONN_CLOSE)" -eq $((conns - aborted)) ] || fail "TCP_CONN_CLOSE=$(c TCP_CONN_CLOSE), expected $((conns - aborted))"
pass "closed ports refused at once; $aborted client aborts cleaned up; $((conns - aborted)) later connections fine"
