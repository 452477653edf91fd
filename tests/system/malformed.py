# SPDX-License-Identifier: Apache-2.0
"""Malformed traffic for the appliance, written raw onto the test tap with
an AF_PACKET socket (run inside the test namespace, as root).

  malformed.py TAP ATOLL_MAC set     one defect per frame, category by
                                     category; prints 'EXPECT COUNTER N'
                                     lines for the drop counters
  malformed.py TAP ATOLL_MAC fuzz N [SEED]
                                     N random mutations of valid frames
                                     (ICMP, UDP, ARP, fragments, DHCP, TCP)

Every frame is addressed to ATOLL_MAC / 10.0.0.2 from 10.0.0.1 unless the
category is about the address. Sending is paced and bounded."""
import os
import random
import socket
import struct
import sys
import time

TAP, DST_MAC_S, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
DST_MAC = bytes.fromhex(DST_MAC_S.replace(":", ""))
with open(f"/sys/class/net/{TAP}/address") as f:
    SRC_MAC = bytes.fromhex(f.read().strip().replace(":", ""))
SRC_IP = socket.inet_aton("10.0.0.1")
DST_IP = socket.inet_aton("10.0.0.2")
ETH_IP, ETH_ARP = 0x0800, 0x0806

sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((TAP, 0))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(payload, etype=ETH_IP, dst=DST_MAC, src=SRC_MAC):
    return dst + src + struct.pack("!H", etype) + payload


def ip(payload, proto=1, ihl=5, ver=4, tot=None, ident=None, flags=0, frag=0, src=SRC_IP, dst=DST_IP,
       good_csum=True, opts=b""):
    if ident is None:
        ident = random.getrandbits(16)
    hlen = 20 + len(opts)
    if tot is None:
        tot = hlen + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", (ver << 4) | ihl, 0, tot, ident, (flags << 13) | frag, 64, proto, 0, src, dst) + opts
    c = csum(h)
    if not good_csum:
        c ^= 0x5A5A
    h = h[:10] + struct.pack("!H", c) + h[12:]
    return h + payload


def icmp_echo(data=b"atoll-malformed", ident=0x4D41, seq=1, good_csum=True):
    h = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    c = csum(h)
    if not good_csum:
        c ^= 0x1111
    return h[:2] + struct.pack("!H", c) + h[4:]


def udp(data, sport=40000, dport=7, length=None, good_csum=True, zero_csum=False, src=SRC_IP, dst=DST_IP):
    ln = 8 + len(data) if length is None else length
    h = struct.pack("!HHHH", sport, dport, ln, 0) + data
    if zero_csum:
        return h
    pseudo = src + dst + struct.pack("!BBH", 0, 17, len(h))
    c = csum(pseudo + h) or 0xFFFF
    if not good_csum:
        c ^= 0x2222
    return h[:6] + struct.pack("!H", c) + h[8:]


def arp(op=1, sha=None, spa=SRC_IP, tha=b"\0" * 6, tpa=DST_IP, htype=1, ptype=0x0800, hlen=6, plen=4):
    sha = SRC_MAC if sha is None else sha
    return struct.pack("!HHBBH", htype, ptype, hlen, plen, op) + sha + spa + tha + tpa


sent = refused = 0


def send_all(frames):
    global sent, refused
    for i, f in enumerate(frames):
        try:
            sock.send(f)
            sent += 1
        except OSError:
            refused += 1
        if i % 50 == 49:
            time.sleep(0.005)   # pace: stay far below the tap's queue


def rnd(n):
    return os.urandom(n)


N = 100  # frames per category
expect = {}
cats = []


def cat(name, counter, frames):
    cats.append((name, counter, frames))


def build_set():
    echo_ip = ip(icmp_echo())
    cat("IP shorter than its header (14..33-byte frames)", "IP_DROP_TRUNC",
        [eth(echo_ip[:i % 20]) for i in range(N)])
    cat("VLAN-tagged echo requests (802.1Q and 802.1ad)", "ETH_DROP_VLAN",
        [eth(struct.pack("!HH", 5 + i % 100, ETH_IP) + ip(icmp_echo(seq=i)), etype=(0x8100, 0x88A8)[i % 2])
         for i in range(N)])
    cat("bad IPv4 header checksum", "IP_DROP_CSUM", [eth(ip(icmp_echo(seq=i), good_csum=False)) for i in range(N)])
    cat("IHL < 5, and IHL beyond the packet", "IP_DROP_HDRLEN",
        [eth(ip(icmp_echo(seq=i), ihl=(i % 6) if i % 6 < 5 else 15)) for i in range(N)])
    cat("total length beyond the frame, or below the header", "IP_DROP_TOTLEN",
        [eth(ip(icmp_echo(seq=i), tot=(20 + 23 + 1 + i) if i % 2 else (i % 20))) for i in range(N)])
    cat("IP version not 4", "IP_DROP_VERSION", [eth(ip(icmp_echo(seq=i), ver=(6, 0, 5, 15)[i % 4])) for i in range(N)])
    ov = []
    for i in range(N // 2):
        ident = 0x7000 + i
        body = icmp_echo(bytes(40), seq=i)
        ov.append(eth(ip(body[:24], ident=ident, flags=1, frag=0)))
        # bytes 16..39 again, with different contents where they overlap
        ov.append(eth(ip(bytes([0xEE]) * 24, ident=ident, flags=1, frag=2)))
    cat("overlapping fragments with different data (pairs)", "IP_REASM_OVERLAP", ov)
    expect_overlap = N // 2
    cat("fragment beyond 65535 bytes", "IP_DROP_FRAG_RANGE",
        [eth(ip(bytes(200), proto=1, frag=8191 - (i % 10), flags=i % 2)) for i in range(N)])
    cat("non-final fragment not a multiple of 8 bytes", "IP_FRAG_DROP_MALFORMED",
        [eth(ip(bytes(13 + 8 * (i % 5)), flags=1, frag=i)) for i in range(N)])
    cat("UDP length beyond the payload, or below 8", "UDP_DROP_LENGTH",
        [eth(ip(udp(b"x" * 10, length=(18 + 1 + i) if i % 2 else (i % 8), zero_csum=True), proto=17))
         for i in range(N)])
    cat("UDP datagram shorter than its header", "UDP_DROP_TRUNC",
        [eth(ip(rnd(i % 8), proto=17)) for i in range(N)])
    cat("bad UDP checksum (to the echo port)", "UDP_DROP_CSUM",
        [eth(ip(udp(b"bad checksum %d" % i, good_csum=False), proto=17)) for i in range(N)])
    cat("ICMP shorter than its header", "ICMP_DROP_TRUNC", [eth(ip(rnd(1 + i % 7))) for i in range(N)])
    cat("bad ICMP checksum on echo requests", "ICMP_DROP_CSUM",
        [eth(ip(icmp_echo(seq=i, good_csum=False))) for i in range(N)])
    cat("truncated ARP (0..27 bytes)", "ARP_DROP_TRUNC", [eth(arp()[:i % 28], etype=ETH_ARP) for i in range(N)])
    cat("ARP for another hardware/protocol pairing", "ARP_DROP_UNSUPPORTED",
        [eth(arp(htype=(6, 1, 1, 1)[i % 4], ptype=(0x0800, 0x86DD, 0x0800, 0x0800)[i % 4],
                 hlen=(6, 6, 8, 6)[i % 4], plen=(4, 4, 4, 16)[i % 4]), etype=ETH_ARP) for i in range(N)])
    cat("ARP with an unknown opcode", "ARP_DROP_OPCODE", [eth(arp(op=3 + i % 10), etype=ETH_ARP) for i in range(N)])
    cat("ARP whose sender MAC is not the frame's source", "ARP_DROP_BAD_SENDER",
        [eth(arp(sha=bytes([2, 0, 0, 0, 9, i % 256])), etype=ETH_ARP) for i in range(N)])
    cat("spoofed source addresses (loopback, broadcast, multicast, ours, 0)", "IP_DROP_BAD_SRC",
        [eth(ip(icmp_echo(seq=i), src=socket.inet_aton(("127.0.0.1", "10.0.0.255", "255.255.255.255",
                                                         "224.0.0.5", "10.0.0.2", "0.0.0.0")[i % 6])))
         for i in range(N)])
    cat("unknown EtherTypes", "ETH_DROP_ETHERTYPE",
        [eth(rnd(46), etype=(0x88B5, 0x1234, 0x88CC)[i % 3]) for i in range(N)])
    cat("unicast frames for another MAC", "ETH_DROP_NOT_FOR_US",
        [eth(ip(icmp_echo(seq=i)), dst=bytes([2, 0, 0, 0, 0x77, i % 256])) for i in range(N)])
    return expect_overlap


def tcp(flags, data=b"", sport=40001, dport=7, seq=1000, ack=0, opts=b""):
    off = (20 + len(opts)) // 4
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, 65535, 0, 0) + opts + data
    pseudo = SRC_IP + DST_IP + struct.pack("!BBH", 0, 6, len(h))
    return h[:16] + struct.pack("!H", csum(pseudo + h)) + h[18:]


def fix_csums(f):
    """Recomputes the IPv4 header checksum and the ICMP/UDP/TCP checksum of a
    (mutated) frame where its lengths allow, so the mutation reaches past
    checksum validation into the protocol logic."""
    if len(f) < 34 or f[12:14] != b"\x08\x00":
        return f
    ihl = (f[14] & 15) * 4
    if ihl < 20 or 14 + ihl > len(f):
        return f
    f[24:26] = b"\0\0"
    f[24:26] = struct.pack("!H", csum(bytes(f[14:14 + ihl])))
    tot = struct.unpack("!H", f[16:18])[0]
    frag = struct.unpack("!H", f[20:22])[0]
    if frag & 0x3FFF or tot < ihl or 14 + tot > len(f):
        return f
    seg = bytearray(f[14 + ihl:14 + tot])
    proto = f[23]
    pos = {1: 2, 17: 6, 6: 16}.get(proto)
    if pos is None or len(seg) < pos + 2:
        return f
    seg[pos:pos + 2] = b"\0\0"
    if proto == 1:
        c = csum(bytes(seg))
    else:
        c = csum(bytes(f[26:34]) + struct.pack("!BBH", 0, proto, len(seg)) + bytes(seg))
        if proto == 17 and c == 0:
            c = 0xFFFF
    seg[pos:pos + 2] = struct.pack("!H", c)
    f[14 + ihl:14 + tot] = seg
    return f


def build_fuzz(n, seed):
    rng = random.Random(seed)
    bases = [
        eth(ip(icmp_echo(rnd(32)))),
        eth(ip(udp(rnd(40)), proto=17)),
        eth(arp(), etype=ETH_ARP),
        eth(ip(icmp_echo(bytes(40))[:24], flags=1, ident=0x6000)),
        eth(ip(bytes(16), frag=3, ident=0x6000)),
        eth(ip(udp(rnd(20), dport=68, sport=67), proto=17)),
        eth(ip(icmp_echo(rnd(8)), opts=b"\x01\x01\x01\x00")),
        eth(ip(tcp(0x02, opts=b"\x02\x04\x05\xb4\x01\x03\x03\x07\x04\x02\x01\x01"), proto=6)),  # SYN
        eth(ip(tcp(0x18, rnd(30), ack=1), proto=6)),                                      # PSH+ACK
    ]
    out = []
    for _ in range(n):
        f = bytearray(rng.choice(bases))
        kind = rng.random()
        if kind < 0.6:          # change a few bytes; half the time fix the checksums up
            for _ in range(rng.randint(1, 4)):
                p = rng.randrange(14, len(f))
                f[p] = rng.randrange(256)
            if rng.random() < 0.5:
                f = fix_csums(f)
        elif kind < 0.8:        # truncate
            f = f[:rng.randint(14, len(f))]
        else:                   # random payload after a valid Ethernet header
            f = f[:14] + bytearray(os.urandom(rng.randint(0, 1486)))
        out.append(bytes(f))
    return out


if MODE == "set":
    runts = [DST_MAC[: i] if i <= 6 else DST_MAC + SRC_MAC[: i - 6] for i in range(1, 14)]
    send_all(runts)
    print(f"RUNTS sent={sent} refused={refused}")
    sent = refused = 0
    n_overlap = build_set()
    for name, counter, frames in cats:
        before = sent
        send_all(frames)
        n = sent - before
        if counter == "IP_REASM_OVERLAP":
            n = n_overlap
        print(f"  {len(frames):4d} frames: {name} -> {counter}")
        expect[counter] = expect.get(counter, 0) + n
    # Oversize frames need a larger MTU on our side of the tap.
    os.system(f"ip link set {TAP} mtu 9000")
    before = sent
    send_all([eth(ip(bytes(min(1501 + i * 80, 8000)))) for i in range(N)])
    os.system(f"ip link set {TAP} mtu 1500")
    print(f"  {N:4d} frames: oversize (1515..8014 bytes) -> ETH_DROP_OVERSIZE")
    expect["ETH_DROP_OVERSIZE"] = sent - before
    for k, v in expect.items():
        print(f"EXPECT {k} {v}")
    print(f"SENT {sent} refused {refused}")
elif MODE == "fuzz":
    n = int(sys.argv[4])
    seed = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else int.from_bytes(os.urandom(4), "big")
    send_all(build_fuzz(n, seed))
    print(f"SENT {sent} refused {refused} (fuzz seed {seed}; MALFORMED_SEED={seed} repeats it)")
