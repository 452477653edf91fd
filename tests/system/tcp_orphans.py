# SPDX-License-Identifier: Apache-2.0
"""Zero-window abandoners against the appliance at HOST, port PORT.

From the on-link address SRC (answering ARP for it with a made-up MAC, so
the namespace's kernel never sees, nor resets, these connections), opens N
connections, each sending `GET / HTTP/1.1 ... Connection: close` with a
zero receive window, and then never answers again: the response can never
leave, and the appliance is left holding it in a connection its
application has closed (an orphan). The script keeps listening, silent, and
counts what the appliance does to each connection: persist probes, data it
should not send, and the reset that ends it.

  tcp_orphans.py HOST TAP SRC PORT N SECONDS

Prints "ready: N open, A requests acknowledged" once every request is in,
then, when every connection has been reset or SECONDS have passed, one line
"done: ..." with the counts and the reset times (seconds after ready)."""
import random
import select
import sys
import time

from scapy.all import ARP, IP, TCP, Ether, conf

conf.verb = 0
host, tap, src, port, n, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(
    sys.argv[6])
MAC = "02:00:00:00:50:01"
REQ = b"GET / HTTP/1.1\r\nHost: atoll.test\r\nConnection: close\r\n\r\n"
BASE = 20000


def die(msg):
    print("tcp_orphans: FAIL: " + msg, flush=True)
    sys.exit(1)


sock = conf.L2socket(iface=tap)
peer_mac = None


def frames(timeout):
    """Frames from the appliance, for up to timeout seconds."""
    end = time.time() + timeout
    while True:
        left = end - time.time()
        if left <= 0:
            return
        r, _, _ = select.select([sock], [], [], left)
        if not r:
            return
        p = sock.recv()
        if p is None or not p.haslayer(Ether) or p[Ether].src == MAC:
            continue
        yield p


def answer_arp(p):
    if p.haslayer(ARP) and p[ARP].op == 1 and p[ARP].pdst == src:
        sock.send(Ether(src=MAC, dst=p[ARP].hwsrc) / ARP(op=2, hwsrc=MAC, psrc=src, hwdst=p[ARP].hwsrc, pdst=p[ARP].psrc))
        return True
    return False


# The appliance learns our address from our own request (RFC 826), and we
# learn its MAC from the reply.
for attempt in range(5):
    sock.send(Ether(src=MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=MAC, psrc=src, pdst=host))
    for p in frames(1.0):
        if p.haslayer(ARP) and p[ARP].op == 2 and p[ARP].psrc == host:
            peer_mac = p[ARP].hwsrc
            break
        answer_arp(p)
    if peer_mac:
        break
if not peer_mac:
    die("no ARP reply from %s" % host)

isn = {BASE + i: random.getrandbits(32) for i in range(n)}
state = {}  # sport -> "syn" | "asked" | "acked" | "reset"
probes = {}
data_bytes = 0
resets = {}
t_ready = None


def send_tcp(sport, flags, seq, ack, win, payload=b""):
    pkt = Ether(src=MAC, dst=peer_mac) / IP(src=src, dst=host) / TCP(sport=sport, dport=port, flags=flags, seq=seq,
                                                                       ack=ack, window=win,
                                                                       options=[("MSS", 1460)] if flags == "S" else [])
    if payload:
        pkt = pkt / payload
    sock.send(pkt)


def handle(p):
    global data_bytes
    if answer_arp(p) or not p.haslayer(TCP) or p[IP].src != host or p[IP].dst != src:
        return
    t = p[TCP]
    sport = t.dport
    if sport not in isn:
        return
    flags = int(t.flags)
    plen = len(bytes(t.payload))
    if flags & 0x04:  # RST
        if sport not in resets:
            resets[sport] = time.time()
        state[sport] = "reset"
        return
    if (flags & 0x12) == 0x12:  # SYN-ACK
        if state.get(sport) == "syn":
            # The request, with a zero window; then silence.
            send_tcp(sport, "PA", isn[sport] + 1, t.seq + 1, 0, REQ)
            state[sport] = "asked"
        return
    if state.get(sport) == "asked" and t.ack == (isn[sport] + 1 + len(REQ)) & 0xffffffff:
        state[sport] = "acked"
    if plen == 1:
        probes[sport] = probes.get(sport, 0) + 1
    elif plen > 1:
        data_bytes += plen


# Open in batches: the appliance answers beyond 128 half-open connections
# with SYN cookies, which would work too, but this keeps it plain.
ports = sorted(isn)
t0 = time.time()
for b in range(0, n, 32):
    for sport in ports[b:b + 32]:
        state[sport] = "syn"
        send_tcp(sport, "S", isn[sport], 0, 65535)
    deadline = time.time() + 5
    while time.time() < deadline and any(state[s] == "syn" for s in ports[b:b + 32]):
        for p in frames(0.2):
            handle(p)
    for sport in ports[b:b + 32]:
        if state[sport] == "syn":
            die("no SYN-ACK for port %d" % sport)
# Every request acknowledged (the ACK may come with the first probe).
deadline = time.time() + 5
while time.time() < deadline and any(v == "asked" for v in state.values()):
    for p in frames(0.2):
        handle(p)
acked = sum(1 for v in state.values() if v in ("acked", "reset"))
t_ready = time.time()
print("ready: %d open in %.1f s, %d requests acknowledged, %d already reset" % (n, t_ready - t0, acked, len(resets)),
      flush=True)
while time.time() - t_ready < limit and len(resets) < n:
    for p in frames(0.5):
        handle(p)
times = sorted(resets[s] - t_ready for s in resets)
print("done: reset=%d of %d, probes=%d, data_bytes=%d, first_reset=%.1f, last_reset=%.1f" %
      (len(resets), n, sum(probes.values()), data_bytes, times[0] if times else -1, times[-1] if times else -1),
      flush=True)
