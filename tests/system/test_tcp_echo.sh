#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# TCP echo (RFC 862) on port 7 from Linux: 100 MB of random data through
# one connection, hashed as it streams and byte-identical; ~200 exchanges of
# sizes around MSS and buffer boundaries on one connection; a dozen short
# connections of 0..100000 bytes. Every connection ends with the client's
# shutdown, the server's FIN and EOF, and the appliance counts each close.
# TCP_ECHO_SEED=N repeats a run.
. "$(dirname "$0")/lib.sh"

SEED=${TCP_ECHO_SEED:--}
ns_setup
atoll_start --ip 10.0.0.2/24 --echo
grep -Eq 'echo service on .*TCP.* port 7' "$ATOLL_LOG" || fail "appliance did not announce the TCP echo service"

say "100 MB through one connection"
in_ns timeout 150 "$PY" "$(dirname "$0")/tcp_echo.py" stream "$ATOLL_IP" 100000000 "$SEED" 120 | tee "$TMPD/stream.out"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "100 MB echo"
say "small exchanges and short connections"
in_ns timeout 150 "$PY" "$(dirname "$0")/tcp_echo.py" small "$ATOLL_IP" "$SEED" | tee "$TMPD/small.out"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "small exchanges"
conns=$(( $(sed -n 's/^connections: //p' "$TMPD/stream.out" "$TMPD/small.out" | paste -sd+) ))
atoll_alive "after the echo runs"
sleep 0.5     # the last ACK of the server's FIN is on its way
atoll_stop
say "counters: $(counters_line)"
c() { counter "$1"; }
[ "$(c TCP_CONN_OPEN)" -eq "$conns" ] || fail "TCP_CONN_OPEN=$(c TCP_CONN_OPEN), expected $conns"
[ "$(c TCP_CONN_CLOSE)" -eq "$conns" ] || fail "TCP_CONN_CLOSE=$(c TCP_CONN_CLOSE), expected $conns clean closes"
for k in TCP_CONN_RESET TCP_CONN_TIMEOUT TCP_RST_TX TCP_RST_RX TCP_DROP_CSUM; do
    [ "$(c $k)" -eq 0 ] || fail "$k=$(c $k) on a clean link, expected 0"
done
pass "100 MB and $((conns - 1)) smaller connections echoed identical; $conns opened, $conns closed cleanly"
