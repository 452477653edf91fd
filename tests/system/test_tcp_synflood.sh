#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A bounded SYN flood (hping3, 2 x 60000 SYNs, about 10 s) at the echo port from spoofed
# on-link sources that do not exist (10.0.0.77 and 10.0.0.78: nobody in the
# namespace answers ARP for them, so the appliance's SYN-ACKs never leave
# it and the handshakes stay half-open). Beyond 128 half-open connections
# the appliance answers with SYN cookies; meanwhile an ordinary Linux
# client connects and echoes 1 MB several times, byte-identical (its
# handshakes complete through cookies). After the flood: more echo, and
# ping is still answered.
. "$(dirname "$0")/lib.sh"
require hping3 timeout

SEED=${TCP_ECHO_SEED:--}
SPOOF=(10.0.0.77 10.0.0.78)
FLOOD_COUNT=${TCP_FLOOD_COUNT:-60000}     # per source, at most one per 100 us
CLIENT_RUNS=5
ns_setup
atoll_start --ip 10.0.0.2/24 --echo
ping_ok 2 -i 0.2        # also resolves the appliance's MAC before the flood
for a in "${SPOOF[@]}"; do
    in_ns ip neigh show "$a" | grep -q lladdr && fail "$a answers ARP in the namespace: not a spoofable address"
done

say "SYN flood: ${#SPOOF[@]} x $FLOOD_COUNT SYNs to port 7 from ${SPOOF[*]} (bounded to 25 s)"
FLOOD=()
for a in "${SPOOF[@]}"; do
    bg_ns "$TMPD/hping.$a.log" timeout 25 hping3 -q -S -p 7 -a "$a" -i u100 -c "$FLOOD_COUNT" "$ATOLL_IP"
    FLOOD+=("$BG_PID")
    SHOW_FILES+=("$TMPD/hping.$a.log")
done
sleep 1
for p in "${FLOOD[@]}"; do
    kill -0 "$p" 2>/dev/null || fail "hping3 exited at once: $(cat "$TMPD"/hping.*.log)"
done

conns=0
for ((i = 1; i <= CLIENT_RUNS; i++)); do
    say "during the flood: client echo $i/$CLIENT_RUNS, 1 MB"
    in_ns timeout 100 "$PY" "$(dirname "$0")/tcp_echo.py" stream "$ATOLL_IP" 1000000 "$SEED" 90 \
        || fail "1 MB echo $i during the SYN flood"
    conns=$((conns + 1))
done
running=0
for p in "${FLOOD[@]}"; do
    kill -0 "$p" 2>/dev/null && running=$((running + 1))
done
[ "$running" -gt 0 ] || fail "the flood had already ended when the client finished: the test proved nothing"
atoll_alive "during the SYN flood"
say "client done while the flood runs; waiting for hping3 to finish"
for p in "${FLOOD[@]}"; do
    _wait_gone "$p" 300 || fail "hping3 (pid $p) still running after 30 s"
done
sent=$(cat "$TMPD"/hping.*.log | sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' | awk '{s += $1} END {print s + 0}')
say "hping3 sent ${sent:-?} SYNs"
atoll_alive "after the SYN flood"

say "after the flood: echo and ping"
in_ns timeout 100 "$PY" "$(dirname "$0")/tcp_echo.py" stream "$ATOLL_IP" 1000000 "$SEED" 90 \
    || fail "1 MB echo after the SYN flood"
conns=$((conns + 1))
ping_ok 5 -i 0.2
sleep 0.5
atoll_stop
say "counters: $(counters_line)"
c() { counter "$1"; }
[ "$(c TCP_SYN_COOKIE_TX)" -gt 1000 ] || fail "TCP_SYN_COOKIE_TX=$(c TCP_SYN_COOKIE_TX): SYN cookies were not used"
[ "$(c TCP_SYN_COOKIE_OK)" -ge 1 ] || fail "TCP_SYN_COOKIE_OK=0: the client's handshakes did not go through cookies"
[ "$(c TCP_CONN_OPEN)" -eq "$conns" ] || fail "TCP_CONN_OPEN=$(c TCP_CONN_OPEN), expected the client's $conns (no spoofed handshake can complete)"
[ "$(c TCP_CONN_CLOSE)" -eq "$conns" ] || fail "TCP_CONN_CLOSE=$(c TCP_CONN_CLOSE), expected $conns"
pass "$conns client echoes of 1 MB identical during/after a flood of ${sent:-?} SYNs; $(c TCP_SYN_COOKIE_TX) cookies sent, $(c TCP_SYN_COOKIE_OK) accepted"
