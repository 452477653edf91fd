#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 500 TCP connections open at once to the echo service (the stack keeps up
# to 512; beyond 128 half-open it answers with SYN cookies), each echoing
# 16 KB of its own random data byte-identical and closing cleanly; then a
# second round of 500 on the same appliance, so nothing (connections,
# buffers) may leak from the first. The appliance must count 1000 opens and
# 1000 clean closes. TCP_ECHO_SEED=N repeats a run.
. "$(dirname "$0")/lib.sh"

SEED=${TCP_ECHO_SEED:--}
N=${TCP_CONCURRENT:-500}
BYTES=${TCP_CONCURRENT_BYTES:-16384}
ROUNDS=2
ns_setup
atoll_start --ip 10.0.0.2/24 --echo
ping_ok 1     # resolve the MAC first: 500 SYNs queued behind ARP would overflow it

say "$N concurrent connections x $BYTES bytes, $ROUNDS rounds"
in_ns timeout 200 "$PY" "$(dirname "$0")/tcp_concurrent.py" "$ATOLL_IP" "$N" "$BYTES" "$SEED" "$ROUNDS" | tee "$TMPD/conc.out"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$N concurrent connections"
total=$(sed -n 's/^connections: //p' "$TMPD/conc.out")
[ "$total" = $((N * ROUNDS)) ] || fail "the client reported ${total:-no} connections"
atoll_alive "after $N concurrent connections"
say "and the echo still works for a single connection"
in_ns timeout 60 "$PY" "$(dirname "$0")/tcp_echo.py" many "$ATOLL_IP" 1 100000 "$SEED" || fail "echo after the concurrent rounds"
total=$((total + 1))
sleep 0.5
atoll_stop
say "counters: $(counters_line)"
c() { counter "$1"; }
[ "$(c TCP_CONN_OPEN)" -eq "$total" ] || fail "TCP_CONN_OPEN=$(c TCP_CONN_OPEN), expected $total"
[ "$(c TCP_CONN_CLOSE)" -eq "$total" ] || fail "TCP_CONN_CLOSE=$(c TCP_CONN_CLOSE), expected $total clean closes"
[ "$(c TCP_CONN_RESET)" -eq 0 ] || fail "TCP_CONN_RESET=$(c TCP_CONN_RESET)"
pass "$ROUNDS rounds of $N concurrent connections echoed $BYTES bytes each identical; $total opened, $total closed"
