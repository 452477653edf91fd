#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ARP: `arping -c 3 -I tap0 10.0.0.2` gets 3 replies, and every reply
# carries the appliance's MAC: the one passed with --mac, and (second run)
# the random one it logs when none is given.
. "$(dirname "$0")/lib.sh"
require arping

# arping_check EXPECTED_MAC
arping_check() {
    local want=${1,,} out n macs
    out=$(in_ns timeout 20 arping -c 3 -w 10 -I "$TAP" "$ATOLL_IP" 2>&1)
    echo "$out" | sed 's/^/    /'
    n=$(echo "$out" | grep -Ec "reply from $ATOLL_IP \[")
    [ "$n" -eq 3 ] || fail "expected 3 ARP replies, saw $n"
    echo "$out" | grep -Eq 'Received 3 response' || fail "arping did not report 3 responses"
    macs=$(echo "$out" | grep -Eo "reply from $ATOLL_IP \[[0-9A-Fa-f:]+\]" | grep -Eo '[0-9A-Fa-f:]{17}' | tr 'A-F' 'a-f' | sort -u)
    [ "$macs" = "$want" ] || fail "reply MAC(s) '$macs' differ from the appliance's $want"
    # The kernel's neighbour entry agrees too.
    in_ns ping -n -q -c 1 -W 2 "$ATOLL_IP" >/dev/null || fail "no ping reply after arping"
    local neigh
    neigh=$(in_ns ip neigh show "$ATOLL_IP" dev "$TAP" | grep -Eo 'lladdr [0-9a-f:]+' | cut -d' ' -f2)
    [ "$neigh" = "$want" ] || fail "neighbour table has '$neigh' for $ATOLL_IP, expected $want"
}

ns_setup

MAC=02:00:5e:a7:01:1c
atoll_start --ip 10.0.0.2/24 --mac "$MAC"
grep -q "^atoll: info: mac $MAC\$" "$ATOLL_LOG" || fail "appliance did not log 'mac $MAC'"
say "arping with --mac $MAC"
arping_check "$MAC"
atoll_stop
[ "$(counter ARP_REPLY_TX)" -ge 3 ] || fail "ARP_REPLY_TX=$(counter ARP_REPLY_TX), expected >= 3"

in_ns ip neigh flush dev "$TAP"
atoll_start --ip 10.0.0.2/24
MAC2=$(sed -nE 's/^atoll: info: mac ([0-9a-f:]{17})$/\1/p' "$ATOLL_LOG")
[ -n "$MAC2" ] || fail "appliance did not log its MAC"
# A random MAC must be unicast and locally administered.
first=$((16#${MAC2%%:*}))
[ $((first & 1)) -eq 0 ] && [ $((first & 2)) -eq 2 ] || fail "random MAC $MAC2 is not unicast + locally administered"
say "arping with the random MAC $MAC2"
arping_check "$MAC2"
atoll_stop
pass "3/3 ARP replies from the expected MAC, given and random"
