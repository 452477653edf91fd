# SPDX-License-Identifier: Apache-2.0
"""Port unreachable checks against the appliance at DST (run in the test
namespace, as root). Prints one line 'RESULT key=value ...' at the end and
exits non-zero on any failed check."""
import select
import socket
import struct
import sys
import time

from scapy.all import Ether, IP, UDP, Raw, conf, get_if_hwaddr, sendp

conf.verb = 0
DST, TAP, BCAST = sys.argv[1], sys.argv[2], sys.argv[3]
CLOSED = 9          # discard: not bound by the appliance
ECHO = 7
failures = []

raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
raw.setblocking(False)


def icmp_from_dst(seconds):
    """ICMP messages from DST seen in the next `seconds`: [(type, code, quoted dport)]."""
    seen = []
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return seen
        r, _, _ = select.select([raw], [], [], left)
        if not r:
            continue
        pkt = raw.recv(65536)
        ihl = (pkt[0] & 15) * 4
        src = socket.inet_ntoa(pkt[12:16])
        if src != DST:
            continue
        typ, code = pkt[ihl], pkt[ihl + 1]
        dport = None
        q = pkt[ihl + 8:]
        if typ == 3 and len(q) >= 20:
            qihl = (q[0] & 15) * 4
            if len(q) >= qihl + 4:
                dport = struct.unpack("!H", q[qihl + 2:qihl + 4])[0]
        seen.append((typ, code, dport))


def drain():
    icmp_from_dst(0.05)


# 1. A connected UDP socket to a closed port gets ECONNREFUSED.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((DST, CLOSED))
s.settimeout(3)
s.send(b"anyone there?")
try:
    data = s.recv(2048)
    failures.append(f"closed port {CLOSED} answered with {len(data)} bytes")
except ConnectionRefusedError:
    print(f"  unicast to closed port {CLOSED}: ECONNREFUSED (port unreachable)")
except socket.timeout:
    failures.append(f"closed port {CLOSED}: no ICMP port unreachable within 3 s (recv timed out)")
seen = icmp_from_dst(0.5)
if (3, 3, CLOSED) not in seen:
    failures.append(f"raw socket did not see type 3 code 3 quoting port {CLOSED}: {seen}")
s.close()

# 1b. The same for a datagram that arrives in fragments (3000 bytes).
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((DST, CLOSED + 1000))
s.settimeout(3)
s.send(bytes(3000))
try:
    s.recv(2048)
    failures.append("closed port answered a fragmented datagram")
except ConnectionRefusedError:
    print(f"  3000-byte (fragmented) datagram to closed port {CLOSED + 1000}: ECONNREFUSED")
except socket.timeout:
    failures.append(f"fragmented datagram to closed port {CLOSED + 1000}: no port unreachable within 3 s")
seen = icmp_from_dst(0.5)
if (3, 3, CLOSED + 1000) not in seen:
    failures.append(f"raw socket did not see type 3 code 3 quoting port {CLOSED + 1000}: {seen}")
s.close()

# The open echo port is not refused.
e = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
e.connect((DST, ECHO))
e.settimeout(3)
e.send(b"ping")
try:
    if e.recv(2048) != b"ping":
        failures.append("echo port returned different data")
except OSError as ex:
    failures.append(f"echo port 7: {ex!r}")
drain()

# 2. Broadcast datagrams to a closed port (and to the echo port): no reply at all.
BC_PER_KIND = 3
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
b.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, TAP.encode())
b.bind(("10.0.0.1", 0))
b.setblocking(False)
sent_bcast = 0
for _ in range(BC_PER_KIND):
    for dst in (BCAST, "255.255.255.255"):
        b.sendto(b"broadcast to a closed port", (dst, CLOSED))
        b.sendto(b"broadcast to the echo port", (dst, ECHO))
        sent_bcast += 2
# Link-layer broadcast carrying a unicast IP destination (RFC 1122 3.2.2: no error either).
src_mac = get_if_hwaddr(TAP)
frames = [Ether(src=src_mac, dst="ff:ff:ff:ff:ff:ff") / IP(src="10.0.0.1", dst=DST) /
          UDP(sport=40000 + i, dport=CLOSED) / Raw(b"link broadcast") for i in range(BC_PER_KIND)]
sendp(frames, iface=TAP, verbose=False)
sent_bcast += len(frames)
seen = icmp_from_dst(1.5)
if seen:
    failures.append(f"broadcast datagrams drew ICMP from {DST}: {seen}")
try:
    data, frm = b.recvfrom(2048)
    failures.append(f"a broadcast datagram was answered by {frm}: {data!r}")
except BlockingIOError:
    pass
print(f"  {sent_bcast} broadcast datagrams (subnet, limited, link-only): no ICMP, no UDP reply")

# 3. Rate limit: a burst of 50 to closed ports draws about the burst size (10).
time.sleep(1.2)     # let the token bucket refill
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
BURST = 50
t0 = time.monotonic()
for i in range(BURST):
    u.sendto(b"x", (DST, 20000 + i))
t_send = time.monotonic() - t0
seen = [x for x in icmp_from_dst(1.0) if x[0] == 3 and x[1] == 3]
n = len(seen)
print(f"  burst of {BURST} to closed ports in {t_send * 1000:.0f} ms: {n} port unreachables")
# Burst 10, refilling at 10/s while the burst is being sent.
limit = 10 + int(t_send * 10) + 1
if n < 10 or n > limit:
    failures.append(f"burst drew {n} port unreachables, expected 10..{limit} (burst 10, 10/s)")

for f in failures:
    print("  FAIL: " + f)
print(f"RESULT unicast=2 broadcast={sent_bcast} burst={BURST} burst_replies={n}")
sys.exit(1 if failures else 0)
