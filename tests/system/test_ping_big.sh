#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Large pings: fragmented on the way in (reassembly) and on the way out
# (the replies are fragmented): -s 5000 several times, sizes around the
# fragment boundaries, the maximum -s 65507; then too big: ping -s 65508
# (refused by ping itself), and a crafted "ping of death" whose fragments
# add up to more than 65535 bytes, which must be dropped without harm.
. "$(dirname "$0")/lib.sh"
require scapy

MAC=02:00:5e:a7:02:2c
ns_setup
atoll_start --ip 10.0.0.2/24 --mac "$MAC"

say "ping -s 5000, 5 times"
ping_ok 5 -i 0.2 -s 5000
for s in 1472 1473 1480 2952 2953 8972 30000; do
    say "ping -s $s"
    ping_ok 2 -i 0.2 -s "$s"
done
say "ping -s 65507 (the largest IPv4 echo), 3 times"
ping_ok 3 -i 0.5 -s 65507

say "ping -s 65508: too big for IPv4"
out=$(in_ns timeout 10 ping -n -c 1 -W 1 -s 65508 "$ATOLL_IP" 2>&1)
echo "$out" | sed 's/^/    /' | tail -n 3
atoll_alive "after ping -s 65508"

say "crafted oversize echo request (65508 data bytes, 65536 in all) in 45 fragments"
in_ns timeout 60 "$PY" - "$TAP" "$MAC" <<'PYEOF' || fail "scapy sender failed"
import sys
from scapy.all import Ether, IP, Raw, sendp, conf, get_if_hwaddr
conf.verb = 0
tap, mac = sys.argv[1], sys.argv[2]
src_mac = get_if_hwaddr(tap)
# ICMP echo request header (checksum irrelevant: it never reassembles) + 65508 bytes.
icmp = bytes([8, 0, 0, 0, 0x12, 0x34, 0, 1]) + bytes(65508)
frames = []
for ident, extra in ((0x4242, 0), (0x4243, 600)):   # 65536 and 66136 bytes in all
    data = icmp + bytes(extra)
    off = 0
    while off < len(data):
        chunk = data[off:off + 1480]
        mf = off + len(chunk) < len(data)
        frag = off // 8
        if frag > 8191:
            break
        frames.append(Ether(src=src_mac, dst=mac) /
                      IP(src="10.0.0.1", dst="10.0.0.2", id=ident, proto=1,
                         flags="MF" if mf else 0, frag=frag) / Raw(chunk))
        off += len(chunk)
sendp(frames, iface=tap, verbose=False)
print(f"    sent {len(frames)} fragments")
PYEOF
sleep 0.5
atoll_alive "after the oversize fragments"
say "normal pings still answered"
ping_ok 3 -i 0.2
ping_ok 2 -i 0.2 -s 5000

atoll_stop
say "counters: $(counters_line)"
c() { counter "$1"; }
[ "$(c IP_REASM_OK)" -ge 22 ] || fail "IP_REASM_OK=$(c IP_REASM_OK), expected >= 22 reassembled pings"
[ "$(c IP_TX_FRAG)" -gt 0 ] || fail "IP_TX_FRAG=0: the large replies were not fragmented"
[ "$(c ICMP_ECHO_REPLY_TX)" -ge 27 ] || fail "ICMP_ECHO_REPLY_TX=$(c ICMP_ECHO_REPLY_TX), expected >= 27"
[ "$(c ICMP_RX)" -eq 27 ] || fail "ICMP_RX=$(c ICMP_RX), expected exactly the 27 pings: was an oversize datagram delivered?"
bad=$(( $(c IP_FRAG_DROP_MALFORMED) + $(c IP_DROP_FRAG_RANGE) ))
[ "$bad" -ge 2 ] || fail "the oversize fragments were not counted as dropped (IP_FRAG_DROP_MALFORMED + IP_DROP_FRAG_RANGE = $bad)"
pass "large pings answered up to 65507 bytes; oversize datagrams dropped"
