#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Transmit offload on the tap (IFF_VNET_HDR): the same 30 MB TCP echo
# stream with the kernel completing checksums and cutting super-segments
# (the default), with --no-offload, and under --fault (which must turn
# offload off so that the faults hit wire frames). Each run must echo
# byte-identical data with no checksum drop on either side, and the
# appliance's exit line "tap: ... csum_frames=N tso_frames=N" must show
# super-segments written in the first run and none in the other two.
# TCP_ECHO_SEED=N repeats the data.
. "$(dirname "$0")/lib.sh"

SEED=${TCP_ECHO_SEED:--}
BYTES=30000000
ns_setup

tap_stat() { grep -E '^atoll: info: tap:' "$ATOLL_LOG" | tr ' ' '\n' | grep -E "^$1=" | tail -n 1 | cut -d= -f2; }
# The host's view: TCP segments it found with a bad checksum.
in_csum_errors() { in_ns awk '/^Tcp:/ { if (h) { for (i = 1; i <= NF; i++) if (n[i] == "InCsumErrors") print $i } else { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 } }' /proc/net/snmp; }

run_stream() {
    local what=$1
    shift
    atoll_start --ip 10.0.0.2/24 --echo "$@"
    local errs0
    errs0=$(in_csum_errors)
    say "$what: $BYTES bytes through one connection"
    in_ns timeout 120 "$PY" "$(dirname "$0")/tcp_echo.py" stream "$ATOLL_IP" "$BYTES" "$SEED" 100 \
        | tee "$TMPD/stream.out"
    [ "${PIPESTATUS[0]}" -eq 0 ] || fail "$what: echo stream"
    grep -q 'echoed identical' "$TMPD/stream.out" || fail "$what: the data did not come back identical"
    [ "$(in_csum_errors)" -eq "$errs0" ] || fail "$what: Linux counted TCP checksum errors ($errs0 -> $(in_csum_errors))"
    sleep 0.3
    atoll_stop
    grep -E '^atoll: info: tap:' "$ATOLL_LOG" || fail "$what: no tap: line at exit"
    [ "$(counter TCP_DROP_CSUM)" -eq 0 ] || fail "$what: TCP_DROP_CSUM=$(counter TCP_DROP_CSUM)"
    [ "$(counter IP_TX_FRAG)" -eq 0 ] || fail "$what: IP_TX_FRAG=$(counter IP_TX_FRAG): a segment was fragmented"
}

run_stream "offload (default)"
grep -q 'offload: the device completes TCP checksums and cuts super-segments' "$ATOLL_LOG" \
    || fail "offload was not announced"
tso=$(tap_stat tso_frames)
csum=$(tap_stat csum_frames)
tx=$(tap_stat tx_frames)
[ "${tso:-0}" -gt 0 ] || fail "no super-segment written (tso_frames=${tso:-?})"
[ "$(counter TCP_TSO_TX)" -eq "$tso" ] || fail "TCP_TSO_TX=$(counter TCP_TSO_TX) but the tap wrote $tso super-segments"
# An echo of 30 MB is ~20700 segments; cut by the kernel, far fewer writes.
segs=$(counter TCP_SEG_TX)
[ "$tx" -lt $((segs / 3)) ] || fail "$tx frames written for $segs TCP segments: super-segments did not pay"
say "offload: $segs TCP segments in $tx frames written, $tso of them super-segments, $csum checksummed by the kernel"

run_stream "--no-offload" --no-offload
grep -q 'offload:' "$ATOLL_LOG" && fail "--no-offload still announced offload"
[ "$(tap_stat tso_frames)" -eq 0 ] && [ "$(tap_stat csum_frames)" -eq 0 ] \
    || fail "--no-offload: tso_frames=$(tap_stat tso_frames) csum_frames=$(tap_stat csum_frames)"
[ "$(counter TCP_TSO_TX)" -eq 0 ] || fail "--no-offload: TCP_TSO_TX=$(counter TCP_TSO_TX)"
[ "$(tap_stat tx_frames)" -ge "$(counter TCP_SEG_TX)" ] || fail "--no-offload: fewer frames than segments"

# Duplicates only: harmless to the data, but the injector is on.
run_stream "--fault" --fault dup=0.5
[ "$(tap_stat tso_frames)" -eq 0 ] && [ "$(tap_stat csum_frames)" -eq 0 ] \
    || fail "--fault: offload stayed on (tso_frames=$(tap_stat tso_frames) csum_frames=$(tap_stat csum_frames))"
grep -qE 'faults injected: .* tx drop=0 dup=[1-9]' "$ATOLL_LOG" || fail "--fault: the injector did not act on sent frames"
pass "30 MB echoed identical with offload ($tso super-segments, $tx frames for $segs segments), without, and under --fault"
