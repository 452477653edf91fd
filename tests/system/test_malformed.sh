#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Malformed traffic does not hurt the appliance.
#  1. ~2200 frames, each with exactly one defect (runts, IP shorter than its
#     header, VLAN tags, bad IP/UDP/ICMP checksums, IHL < 5, total length
#     beyond the frame, wrong IP version, overlapping fragments, fragments
#     past 64 KiB, UDP length beyond the payload, truncated and odd ARP,
#     spoofed sources, unknown EtherTypes, oversize frames...): none is
#     answered, ping and UDP echo still work, and each lands in its own
#     drop counter exactly once.
#  2. 1000 random mutations of valid frames (ICMP, UDP, ARP, fragments,
#     DHCP, TCP; MALFORMED_SEED=N repeats a run): ping and echo still
#     work, and the appliance exits cleanly.
. "$(dirname "$0")/lib.sh"
require scapy

MAC=02:00:5e:a7:08:08
ns_setup

echo_check() {
    in_ns timeout 30 "$PY" "$(dirname "$0")/udp_echo.py" "$ATOLL_IP" 20 || fail "UDP echo broken after malformed traffic"
}

atoll_start --ip 10.0.0.2/24 --mac "$MAC" --echo
drops0=$(in_ns cat /sys/class/net/$TAP/statistics/tx_dropped)
out=$(in_ns timeout 90 "$PY" "$(dirname "$0")/malformed.py" "$TAP" "$MAC" set 2>&1) || { echo "$out"; fail "malformed.py set failed"; }
echo "$out" | grep -vE '^(EXPECT|SENT|RUNTS) '
echo "$out" | grep -E '^(SENT|RUNTS) ' | sed 's/^/    /'
drops=$(( $(in_ns cat /sys/class/net/$TAP/statistics/tx_dropped) - drops0 ))
sleep 0.3
atoll_alive "after the malformed frames"
say "ping and UDP echo still work"
ping_ok 5 -i 0.1
echo_check
atoll_stop
say "counters: $(counters_line)"

# Runts (< 14 bytes) cannot be put on a tap from outside: the kernel's
# packet socket refuses frames shorter than the Ethernet header (EINVAL),
# so ETH_DROP_RUNT is checked only if some did get through.
runts_sent=$(echo "$out" | sed -nE 's/^RUNTS sent=([0-9]+).*/\1/p')
if [ "${runts_sent:-0}" -gt 0 ]; then
    [ "$(counter ETH_DROP_RUNT)" -eq "$runts_sent" ] || fail "ETH_DROP_RUNT=$(counter ETH_DROP_RUNT), sent $runts_sent runts"
else
    say "note: the kernel refused all 13 runt frames (< 14 bytes), ETH_DROP_RUNT not reachable from outside"
fi

[ "$drops" -eq 0 ] || say "warning: the tap dropped $drops frames (queue full); counts may fall short"
bad=0
while read -r _ name want; do
    got=$(counter "$name")
    if [ "$got" -eq "$want" ]; then
        printf '    %-24s %5s  ok\n' "$name" "$got"
    elif [ "$drops" -gt 0 ] && [ "$got" -gt 0 ] && [ "$got" -le "$want" ]; then
        printf '    %-24s %5s  (sent %s, tap dropped some)\n' "$name" "$got" "$want"
    else
        printf '    %-24s %5s  WRONG: expected %s\n' "$name" "$got" "$want"
        bad=1
    fi
done < <(echo "$out" | grep '^EXPECT ')
[ "$bad" -eq 0 ] || fail "drop counters do not match the malformed frames sent"
# Nothing malformed drew an answer: only the 5 pings and the echo check's
# 20 datagrams were answered, and no ICMP error went out.
[ "$(counter ICMP_ECHO_REPLY_TX)" -eq 5 ] || fail "ICMP_ECHO_REPLY_TX=$(counter ICMP_ECHO_REPLY_TX), expected 5 (a malformed echo request was answered)"
[ "$(counter UDP_TX)" -eq 20 ] || fail "UDP_TX=$(counter UDP_TX), expected 20 (a malformed datagram was echoed)"
[ "$(counter ICMP_UNREACH_TX)" -eq 0 ] || fail "ICMP_UNREACH_TX=$(counter ICMP_UNREACH_TX): a malformed datagram drew an ICMP error"
[ "$(counter IP_REASM_OK)" -eq 0 ] || fail "IP_REASM_OK=$(counter IP_REASM_OK): a malformed fragment set was reassembled"

say "part 2: 1000 random mutations of valid frames"
atoll_start --ip 10.0.0.2/24 --mac "$MAC" --echo
out=$(in_ns timeout 90 "$PY" "$(dirname "$0")/malformed.py" "$TAP" "$MAC" fuzz 1000 "${MALFORMED_SEED:-}" 2>&1) || { echo "$out"; fail "malformed.py fuzz failed"; }
echo "$out" | sed 's/^/    /'
sleep 0.3
atoll_alive "after the fuzzed frames"
ping_ok 5 -i 0.1
ping_ok 2 -i 0.2 -s 3000
echo_check
atoll_stop
say "counters: $(counters_line)"
pass "malformed frames dropped and counted; ping and echo unharmed"
