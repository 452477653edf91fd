#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# TCP echo under 2 % packet loss in each direction, applied by nftables in
# the test namespace on tap0 (TCP only, so ARP and the rest stay clean):
# 100 MB through one connection, byte-identical, ending with a clean close;
# the appliance must have retransmitted (timeouts and/or fast retransmit).
# tap0 gets gso_max_segs 1 and the appliance --no-offload so that a drop is
# one wire segment, not a whole GSO burst. Measured on a 2-vCPU machine
# shared with other jobs: the
# 100 MB take 13-15 s when the machine is quiet, ~30 s under load (a clean
# link: 2-3 s); the whole test 17-37 s. TCP_ECHO_SEED=N repeats the data,
# TCP_LOSS_PERCENT=N changes the loss.
. "$(dirname "$0")/lib.sh"
require nft

SEED=${TCP_ECHO_SEED:--}
LOSS=${TCP_LOSS_PERCENT:-2}
ns_setup
# One TCP segment per packet, so that nftables drops single wire segments
# rather than whole GSO bursts.
in_ns ip link set dev "$TAP" gso_max_segs 1 || fail "gso_max_segs 1 on $TAP"
in_ns nft -f - <<NFT || fail "nftables rules for ${LOSS}% loss"
table inet atoll_loss {
    chain input {
        type filter hook input priority 0; policy accept;
        meta iifname "$TAP" meta l4proto tcp counter comment "all"
        meta iifname "$TAP" meta l4proto tcp numgen random mod 100 < $LOSS counter drop comment "lost"
    }
    chain output {
        type filter hook output priority 0; policy accept;
        meta oifname "$TAP" meta l4proto tcp counter comment "all"
        meta oifname "$TAP" meta l4proto tcp numgen random mod 100 < $LOSS counter drop comment "lost"
    }
}
NFT
# And one segment per frame from the appliance: with offload, Linux would
# take (and drop) a whole super-segment as one packet.
atoll_start --ip 10.0.0.2/24 --echo --no-offload

say "100 MB through one connection with ${LOSS}% loss each way"
in_ns timeout 230 "$PY" "$(dirname "$0")/tcp_echo.py" stream "$ATOLL_IP" 100000000 "$SEED" 220 | tee "$TMPD/stream.out"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "100 MB echo with ${LOSS}% loss"
say "and a few short connections"
in_ns timeout 100 "$PY" "$(dirname "$0")/tcp_echo.py" many "$ATOLL_IP" 20 20000 "$SEED" | tee "$TMPD/many.out"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "short connections with ${LOSS}% loss"
nft_sum() { in_ns nft list table inet atoll_loss | grep "comment \"$1\"" | grep -o 'packets [0-9]*' | awk '{s += $2} END {print s + 0}'; }
dropped=$(nft_sum lost)
say "nftables dropped $dropped of $(nft_sum all) TCP packets"
[ "$dropped" -gt 1000 ] || fail "nftables dropped only $dropped packets: was the loss applied?"
conns=$(( $(sed -n 's/^connections: //p' "$TMPD/stream.out" "$TMPD/many.out" | paste -sd+) ))
atoll_alive "after the echo runs"
# A lost ACK of the server's FIN costs a retransmission timeout (RTO >= 200 ms,
# backing off): give the last closes time to finish.
sleep 3
atoll_stop
say "counters: $(counters_line)"
c() { counter "$1"; }
[ "$(c TCP_CONN_OPEN)" -eq "$conns" ] || fail "TCP_CONN_OPEN=$(c TCP_CONN_OPEN), expected $conns"
[ "$(c TCP_CONN_CLOSE)" -eq "$conns" ] || fail "TCP_CONN_CLOSE=$(c TCP_CONN_CLOSE), expected $conns clean closes"
rex=$(( $(c TCP_REXMIT) + $(c TCP_FAST_REXMIT) ))
[ "$rex" -gt 0 ] || fail "no retransmissions counted (TCP_REXMIT + TCP_FAST_REXMIT = 0) despite $dropped drops"
[ "$(c TCP_CONN_RESET)" -eq 0 ] || fail "TCP_CONN_RESET=$(c TCP_CONN_RESET)"
pass "100 MB echoed identical through ${LOSS}% loss each way ($dropped packets dropped, $rex retransmissions by the appliance)"
