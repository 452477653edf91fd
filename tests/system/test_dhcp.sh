#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# DHCP against dnsmasq (2-minute lease, its minimum; T1/T2 shortened with
# options 58/59, which dnsmasq honours).
#  A. dnsmasq up first: `atoll --dhcp` is bound to an address in
#     10.0.0.50-60, answers ping there, and renews at T1 (REQUEST unicast
#     to the server, seen with tcpdump, and ACK: "dhcp: renewed" in our log, a second DHCPREQUEST/DHCPACK in
#     dnsmasq's), still answering ping afterwards.
#  B. dnsmasq starts late, after the appliance has been discovering for
#     longer than T2: the lease still runs from the REQUEST that got the
#     ACK (RFC 2131 4.4.1), so no renewal may start right after binding.
. "$(dirname "$0")/lib.sh"
require /usr/sbin/dnsmasq tcpdump

DNSMASQ_PID=
DNSMASQ_RUNS=0
# start_dnsmasq T1 T2
start_dnsmasq() {
    DNSMASQ_RUNS=$((DNSMASQ_RUNS + 1))
    DNSMASQ_LOG=$TMPD/dnsmasq.$DNSMASQ_RUNS.log
    SHOW_FILES+=("$DNSMASQ_LOG")
    bg_ns "$DNSMASQ_LOG" /usr/sbin/dnsmasq --no-daemon --conf-file=/dev/null --log-facility=- \
        --interface="$TAP" --bind-interfaces --except-interface=lo --port=0 \
        --dhcp-range=10.0.0.50,10.0.0.60,255.255.255.0,2m \
        --dhcp-option=option:router,10.0.0.1 \
        --dhcp-option=option:T1,"$1" --dhcp-option=option:T2,"$2" \
        --dhcp-leasefile="$TMPD/dnsmasq.leases" --pid-file="$TMPD/dnsmasq.pid" --log-dhcp
    DNSMASQ_PID=$BG_PID
    wait_for_line "$DNSMASQ_LOG" 'DHCP, IP range 10\.0\.0\.50 -- 10\.0\.0\.60' 10 \
        || fail "dnsmasq did not start serving DHCP within 10 s"
    say "dnsmasq serving 10.0.0.50-60, lease 2m, T1 ${1}s, T2 ${2}s"
}

# check_bound: sets LEASED (and t_bound) from the appliance's bound line.
check_bound() {
    t_bound=$(date +%s.%N)
    local line lease last
    line=$(grep -E '^atoll: info: dhcp: bound ' "$ATOLL_LOG" | head -n 1)
    say "$line"
    LEASED=$(echo "$line" | sed -nE 's/^atoll: info: dhcp: bound ([0-9.]+), lease ([0-9]+)s$/\1/p')
    lease=$(echo "$line" | sed -nE 's/^atoll: info: dhcp: bound ([0-9.]+), lease ([0-9]+)s$/\2/p')
    [ -n "$LEASED" ] || fail "cannot parse the bound line: $line"
    last=${LEASED##*.}
    [[ "$LEASED" == 10.0.0.* ]] && [ "$last" -ge 50 ] && [ "$last" -le 60 ] \
        || fail "leased address $LEASED is outside 10.0.0.50-10.0.0.60"
    [ "$lease" -eq 120 ] || fail "lease is ${lease}s, dnsmasq granted 120s"
    grep -qE "^atoll: info: address $LEASED/24 up\$" "$ATOLL_LOG" || fail "no 'address $LEASED/24 up' line"
    grep -qE "DHCPACK\($TAP\) $LEASED " "$DNSMASQ_LOG" || fail "dnsmasq log shows no DHCPACK for $LEASED"
}

since_bound() { awk -v a="$t_bound" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

ns_setup

# ---- A: server first; bound, ping, renewal at T1.
T1=20
T2=40
start_dnsmasq $T1 $T2
TCPDUMP_LOG=$TMPD/tcpdump.txt
SHOW_FILES+=("$TCPDUMP_LOG")
bg_ns "$TCPDUMP_LOG" tcpdump -i "$TAP" -n -l -c 50 'udp and (port 67 or port 68)'
TCPDUMP_PID=$BG_PID
wait_for_line "$TCPDUMP_LOG" 'listening on' 10 || fail "tcpdump did not start"
ATOLL_READY='atoll: info: dhcp: bound '
ATOLL_READY_SECS=30
atoll_start --dhcp
check_bound
say "ping $LEASED"
PING_DST=$LEASED ping_ok 5 -i 0.2
in_ns ping -n -q -c 1 -W 1 "$ATOLL_IP" >/dev/null 2>&1 && fail "$ATOLL_IP answers, but only $LEASED was leased"

say "waiting for the renewal at T1 (${T1}s)"
wait_for_line "$ATOLL_LOG" '^atoll: info: dhcp: renewed ' $((T1 + 30)) \
    || fail "no 'dhcp: renewed' within $((T1 + 30)) s of being bound (T1 ${T1}s)"
dt=$(since_bound)
line=$(grep -E '^atoll: info: dhcp: renewed ' "$ATOLL_LOG" | head -n 1)
say "$line (${dt}s after bound)"
[ "$line" = "atoll: info: dhcp: renewed $LEASED, lease 120s" ] || fail "unexpected renewal: $line"
# The lease (and T1) runs from the REQUEST, sent just before the ACK that
# bound us (dnsmasq ping-checks an address for ~3 s before offering it,
# so timing from the DISCOVER would renew ~3 s early).
awk -v d="$dt" -v t=$T1 'BEGIN { exit !(d >= t - 2) }' || fail "renewed ${dt}s after bound, before T1 (${T1}s): lease timed from the DISCOVER?"
grep -qE '^atoll: (info|warn): (dhcp: (NAK|lease|rebound)|address .* down)' "$ATOLL_LOG" \
    && fail "lost the address or rebound during the renewal"

# dnsmasq's side: two REQUEST/ACK exchanges for our address and a single
# DISCOVER (a renewal, not a new lease).
sleep 0.5
nreq=$(grep -cE "DHCPREQUEST\($TAP\) $LEASED " "$DNSMASQ_LOG")
nack=$(grep -cE "DHCPACK\($TAP\) $LEASED " "$DNSMASQ_LOG")
ndis=$(grep -cE "DHCPDISCOVER\($TAP\)" "$DNSMASQ_LOG")
grep -E "DHCP(DISCOVER|REQUEST|ACK|NAK)\($TAP\)" "$DNSMASQ_LOG" | sed 's/^/    /'
[ "$nreq" -ge 2 ] && [ "$nack" -ge 2 ] || fail "dnsmasq log does not show a second DHCPREQUEST/DHCPACK for $LEASED"
[ "$ndis" -eq 1 ] || fail "dnsmasq saw $ndis DHCPDISCOVERs, expected 1"
# RENEWING: the REQUEST goes unicast from the leased address to the server.
bg_stop "$TCPDUMP_PID"
grep -E '^[0-9:.]+ IP ' "$TCPDUMP_LOG" | sed 's/^/    /'
grep -qE " IP $LEASED\.68 > 10\.0\.0\.1\.67: " "$TCPDUMP_LOG" \
    || fail "no unicast DHCPREQUEST from $LEASED:68 to the server 10.0.0.1:67 seen on the wire"

say "ping $LEASED after the renewal"
PING_DST=$LEASED ping_ok 3 -i 0.2
atoll_stop
say "counters: $(counters_line)"
[ "$(counter DHCP_TX)" -eq 3 ] || fail "DHCP_TX=$(counter DHCP_TX), expected 3 (DISCOVER, REQUEST, renewing REQUEST)"
bg_stop "$DNSMASQ_PID"
say "part A passed: bound $LEASED, answered ping, renewed"

# ---- B: server late (longer than T2 after the first DISCOVER).
T1=10
T2=14
LATE=16
ATOLL_READY='atoll: info: dhcp: discovering'
atoll_start --dhcp
say "appliance discovering with no server; dnsmasq starts in ${LATE}s"
sleep "$LATE"
grep -q '^atoll: info: dhcp: bound' "$ATOLL_LOG" && fail "bound with no DHCP server running"
start_dnsmasq $T1 $T2
# DISCOVER retransmissions come at about 4, 12, 28, 60 s.
wait_for_line "$ATOLL_LOG" '^atoll: info: dhcp: bound ' 40 || fail "not bound within 40 s of dnsmasq starting"
check_bound
PING_DST=$LEASED ping_ok 2 -i 0.2
# T1 runs from the REQUEST that was ACKed, i.e. from just now: nothing may
# happen to the lease for the next T1 - 2 seconds.
sleep $((T1 - 2))
after=$(sed -n '/^atoll: info: dhcp: bound /,$p' "$ATOLL_LOG" | grep -E 'dhcp: (renewed|rebound|lease)|address .* down|dhcp: discovering' || true)
if [ -n "$after" ]; then
    grep -E "DHCP(DISCOVER|REQUEST|ACK|NAK)\($TAP\)" "$DNSMASQ_LOG" | sed 's/^/    /'
    fail "within $((T1 - 2)) s of being bound (T1 ${T1}s) the appliance already logged: $(echo "$after" | tr '\n' '|') -- the lease/T1/T2 seem to be timed from the first DISCOVER, ${LATE}+ s earlier, not from the REQUEST (RFC 2131 4.4.1)"
fi
say "no renewal before T1 (${T1}s after the ACK)"
wait_for_line "$ATOLL_LOG" '^atoll: info: dhcp: renewed ' 20 || fail "no renewal within $((T1 + 18)) s of being bound"
say "$(grep -E '^atoll: info: dhcp: renewed ' "$ATOLL_LOG" | head -n 1) ($(since_bound)s after bound)"
PING_DST=$LEASED ping_ok 2 -i 0.2
atoll_stop
pass "bound, answered ping, renewed at T1; lease timed from the ACKed REQUEST"
