#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# TCP echo through the appliance's own fault injector (--fault, both
# directions): 20 MB through one connection and 10 short connections for
# each of reorder=2, dup=2, corrupt=1 and everything at once
# (drop=1,dup=1,reorder=1,corrupt=1). The data must come back
# byte-identical and every connection close cleanly; the counters must show
# the faults were injected and what the stacks made of them: out-of-order
# segments queued, duplicates discarded, corrupted segments dropped on their
# checksum by the appliance (TCP_DROP_CSUM) and by Linux (TcpInCsumErrors).
# TCP_ECHO_SEED=N repeats the data.
. "$(dirname "$0")/lib.sh"

SEED=${TCP_ECHO_SEED:--}
BYTES=${TCP_FAULT_BYTES:-20000000}
ns_setup

# fault DIR NAME: a count from the appliance's "faults injected" line.
fault() {
    sed -n 's/^atoll: info: faults injected: //p' "$ATOLL_LOG" | sed 's/, /\n/' \
        | grep "^$1 " | grep -o "$2=[0-9]*" | cut -d= -f2
}
# snmp PROTO FIELD: a Linux counter of the test namespace (/proc/net/snmp).
snmp() {
    in_ns cat /proc/net/snmp | awk -v p="$1:" -v f="$2" \
        '$1 == p && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
         $1 == p && h { print $col[f]; exit }'
}
c() { counter "$1"; }
check() { # description, condition...
    local what=$1
    shift
    "$@" || fail "$SPEC: $what"
}

run() { # fault spec
    SPEC=$1
    local csum0 out
    csum0=$(snmp Tcp InCsumErrors)
    atoll_start --ip 10.0.0.2/24 --echo --fault "$SPEC"
    say "--fault $SPEC: $BYTES bytes through one connection"
    out=$TMPD/stream.$ATOLL_RUNS.out
    in_ns timeout 150 "$PY" "$(dirname "$0")/tcp_echo.py" stream "$ATOLL_IP" "$BYTES" "$SEED" 120 | tee "$out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || fail "$SPEC: echo of $BYTES bytes"
    in_ns timeout 100 "$PY" "$(dirname "$0")/tcp_echo.py" many "$ATOLL_IP" 10 20000 "$SEED" | tee -a "$out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || fail "$SPEC: short connections"
    CONNS=$(( $(sed -n 's/^connections: //p' "$out" | paste -sd+) ))
    atoll_alive "with --fault $SPEC"
    sleep 3   # a lost or corrupted last ACK costs a retransmission timeout
    atoll_stop
    LINUX_CSUM=$(( $(snmp Tcp InCsumErrors) - csum0 ))
    say "$(sed -n 's/^atoll: info: //p' "$ATOLL_LOG" | grep '^faults injected')"
    say "counters: $(counters_line)"
    say "Linux: TcpInCsumErrors +$LINUX_CSUM"
    check "TCP_CONN_OPEN=$(c TCP_CONN_OPEN), expected $CONNS" [ "$(c TCP_CONN_OPEN)" -eq "$CONNS" ]
    check "TCP_CONN_CLOSE=$(c TCP_CONN_CLOSE), expected $CONNS clean closes" [ "$(c TCP_CONN_CLOSE)" -eq "$CONNS" ]
    check "TCP_CONN_RESET=$(c TCP_CONN_RESET), expected 0" [ "$(c TCP_CONN_RESET)" -eq 0 ]
    check "TCP_CONN_TIMEOUT=$(c TCP_CONN_TIMEOUT), expected 0" [ "$(c TCP_CONN_TIMEOUT)" -eq 0 ]
}

run reorder=2
check "no frames reordered (rx $(fault rx reorder), tx $(fault tx reorder))" \
    [ "$(fault rx reorder)" -gt 0 -a "$(fault tx reorder)" -gt 0 ]
check "TCP_OOO_RX=0: the appliance never saw a segment out of order" [ "$(c TCP_OOO_RX)" -gt 0 ]
[ "$(c TCP_DROP_CSUM)" -eq 0 ] || fail "$SPEC: TCP_DROP_CSUM=$(c TCP_DROP_CSUM) without corruption"

run dup=2
check "no frames duplicated (rx $(fault rx dup), tx $(fault tx dup))" \
    [ "$(fault rx dup)" -gt 0 -a "$(fault tx dup)" -gt 0 ]
# A duplicate of a segment already received is not acceptable (RFC 9293
# 3.10.7.4): it is dropped and ACKed. Most frames into the appliance carry data.
dups=$(( $(c TCP_DROP_NOT_ACCEPTABLE) + $(c TCP_DUP_DATA) ))
check "only $dups duplicate segments discarded (TCP_DROP_NOT_ACCEPTABLE + TCP_DUP_DATA) for $(fault rx dup) duplicated frames in" \
    [ "$dups" -ge $(( $(fault rx dup) / 4 )) ]
[ "$(c TCP_DROP_CSUM)" -eq 0 ] || fail "$SPEC: TCP_DROP_CSUM=$(c TCP_DROP_CSUM) without corruption"

run corrupt=1
check "no frames corrupted (rx $(fault rx corrupt), tx $(fault tx corrupt))" \
    [ "$(fault rx corrupt)" -gt 0 -a "$(fault tx corrupt)" -gt 0 ]
check "TCP_DROP_CSUM=0: the appliance dropped no corrupted segment" [ "$(c TCP_DROP_CSUM)" -gt 0 ]
check "Linux counted no TCP checksum errors" [ "$LINUX_CSUM" -gt 0 ]
check "no retransmissions after corruption" [ $(( $(c TCP_REXMIT) + $(c TCP_FAST_REXMIT) )) -gt 0 ]

run drop=1,dup=1,reorder=1,corrupt=1
for f in drop dup reorder corrupt; do
    check "no $f injected (rx $(fault rx $f), tx $(fault tx $f))" [ "$(fault rx $f)" -gt 0 -a "$(fault tx $f)" -gt 0 ]
done
check "TCP_DROP_CSUM=0" [ "$(c TCP_DROP_CSUM)" -gt 0 ]
check "no retransmissions" [ $(( $(c TCP_REXMIT) + $(c TCP_FAST_REXMIT) )) -gt 0 ]
check "TCP_OOO_RX=0" [ "$(c TCP_OOO_RX)" -gt 0 ]

pass "$BYTES bytes and 10 short connections echoed identical with reorder, dup, corrupt and all combined"
