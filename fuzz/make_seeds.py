#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpora fuzz/corpus/<harness>/ (stdlib only, deterministic).

Run from anywhere:  /usr/bin/python3 fuzz/make_seeds.py
Each corpus directory is emptied and rewritten, so the committed files are
exactly what this script produces. Seeds are small valid and near-valid
inputs: the fuzzer mutates from there.

The stack harness's input format is described at the top of fuzz/fuzz_stack.c.
Addresses match the harness: we are 02:00:00:00:00:02 / 10.0.0.2/24, the
peer (and gateway, and DHCP server) is 02:00:00:00:00:01 / 10.0.0.1.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

OUR_MAC = bytes.fromhex("020000000002")
PEER_MAC = bytes.fromhex("020000000001")
OTHER_MAC = bytes.fromhex("020000000003")
BCAST_MAC = b"\xff" * 6
ZERO_MAC = b"\x00" * 6


def ip(s):
    a, b, c, d = (int(x) for x in s.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


OUR_IP = ip("10.0.0.2")
PEER_IP = ip("10.0.0.1")
OTHER_IP = ip("10.0.0.3")
LEASED_IP = ip("10.0.0.50")
SUBNET_BCAST = ip("10.0.0.255")


# ---------------------------------------------------------------- wire formats

def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(dst, src, etype, payload):
    return dst + src + struct.pack("!H", etype) + payload


def arp(op, sha, spa, tha, tpa, htype=1, ptype=0x0800, hlen=6, plen=4):
    return struct.pack("!HHBBH", htype, ptype, hlen, plen, op) + sha + struct.pack("!I", spa) + tha + struct.pack("!I", tpa)


def ipv4(src, dst, proto, payload, ident=0x1234, df=False, mf=False, frag_off=0, ttl=64, options=b"",
         total_len=None, good_csum=True, tos=0):
    assert len(options) % 4 == 0
    hlen = 20 + len(options)
    tl = hlen + len(payload) if total_len is None else total_len
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | frag_off
    hdr = struct.pack("!BBHHHBBHII", 0x40 | (hlen // 4), tos, tl, ident, flags, ttl, proto, 0, src, dst) + options
    c = csum(hdr)
    if not good_csum:
        c ^= 0x0101
    hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
    return hdr + payload


def udp(src, dst, sport, dport, payload, with_csum=True, length=None):
    ulen = 8 + len(payload) if length is None else length
    hdr = struct.pack("!HHHH", sport, dport, ulen, 0)
    if with_csum:
        pseudo = struct.pack("!IIBBH", src, dst, 0, 17, ulen)
        c = csum(pseudo + hdr + payload) or 0xFFFF
        hdr = hdr[:6] + struct.pack("!H", c)
    return hdr + payload


def icmp(typ, code, rest, payload, good_csum=True):
    msg = struct.pack("!BBHI", typ, code, 0, rest) + payload
    c = csum(msg)
    if not good_csum:
        c ^= 0x0101
    return msg[:2] + struct.pack("!H", c) + msg[4:]


def fragments(src, dst, proto, payload, sizes, ident=0x4242):
    """Splits payload into fragments of the given sizes (multiples of 8 but the last)."""
    out, off = [], 0
    for i, n in enumerate(sizes):
        last = i == len(sizes) - 1
        chunk = payload[off:] if last else payload[off:off + n]
        out.append(ipv4(src, dst, proto, chunk, ident=ident, mf=not last, frag_off=off // 8))
        off += n
    return out


TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 1, 2, 4, 8, 16


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b"", window=65535, options=b""):
    assert len(options) % 4 == 0
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (5 + len(options) // 4) << 4, flags, window, 0, 0) + options
    seg = hdr + payload
    pseudo = struct.pack("!IIBBH", src, dst, 0, 6, len(seg))
    c = csum(pseudo + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


TCP_SYN_OPTS = b"\x02\x04\x05\xb4" + b"\x01\x03\x03\x07" + b"\x04\x02\x08\x0a" + b"\x00\x00\x00\x01\x00\x00\x00\x00"

COOKIE = bytes.fromhex("63825363")


def dhcp_opt(code, value):
    return bytes([code, len(value)]) + value


def dhcp(op, xid, msg_type=None, yiaddr=0, siaddr=0, ciaddr=0, chaddr=OUR_MAC, flags=0x8000, options=b"",
         end=True, htype=1, hlen=6, cookie=COOKIE):
    fixed = struct.pack("!BBBBIHHIIII", op, htype, hlen, 0, xid, 0, flags, ciaddr, yiaddr, siaddr, 0)
    fixed += chaddr + b"\x00" * 10 + b"\x00" * 64 + b"\x00" * 128
    assert len(fixed) == 236
    opts = b""
    if msg_type is not None:
        opts += dhcp_opt(53, bytes([msg_type]))
    opts += options
    if end:
        opts += b"\xff"
    return fixed + cookie + opts


def u32(v):
    return struct.pack("!I", v)


def server_options(lease=3600, t1=1800, t2=3150, server=PEER_IP):
    return (dhcp_opt(54, u32(server)) + dhcp_opt(51, u32(lease)) + dhcp_opt(58, u32(t1)) + dhcp_opt(59, u32(t2))
            + dhcp_opt(1, u32(0xFFFFFF00)) + dhcp_opt(3, u32(PEER_IP) + u32(ip("10.0.0.254")))
            + dhcp_opt(6, u32(ip("10.0.0.53"))))


def dhcp_frame(msg_type, options=b"", yiaddr=LEASED_IP, xid=0, dst_mac=BCAST_MAC, dst_ip=0xFFFFFFFF):
    msg = dhcp(2, xid, msg_type, yiaddr=yiaddr, siaddr=PEER_IP, options=options)
    return eth(dst_mac, PEER_MAC, 0x0800, ipv4(PEER_IP, dst_ip, 17, udp(PEER_IP, dst_ip, 67, 68, msg)))


# ---------------------------------------------------------------- the stack harness

OP_FIX_IP, OP_FIX_L4, OP_FIX_DHCP, OP_FIX_ETH, OP_JUMP, OP_APP_SEND = 1, 2, 4, 8, 16, 32
FIX_ALL = OP_FIX_IP | OP_FIX_L4 | OP_FIX_DHCP
U_MS, U_100MS, U_10S, U_10MIN = 0, 1, 2, 3

CFG_STATIC, CFG_DHCP, CFG_GATEWAY = 0, 1, 2


def rec(payload, op=0, dt=0, unit=U_MS):
    return bytes([op | (unit << 6), dt]) + struct.pack("!H", len(payload)) + payload


def app_send(dst, dport, sport, payload, op=0, dt=0, unit=U_MS):
    return rec(u32(dst) + struct.pack("!HH", dport, sport) + payload, op | OP_APP_SEND, dt, unit)


def tick(dt=0, unit=U_MS, jump=False):
    """A record that only moves the clock (an empty frame is a counted runt)."""
    return rec(b"", OP_JUMP if jump else 0, dt, unit)


def to_us(l4proto, payload, src=PEER_IP, src_mac=PEER_MAC, dst=OUR_IP, dst_mac=OUR_MAC, **kw):
    return eth(dst_mac, src_mac, 0x0800, ipv4(src, dst, l4proto, payload, **kw))


ARP_REQ_FOR_US = eth(BCAST_MAC, PEER_MAC, 0x0806, arp(1, PEER_MAC, PEER_IP, ZERO_MAC, OUR_IP))
ARP_REPLY_TO_US = eth(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP))
PING = to_us(1, icmp(8, 0, 0x00010001, b"atoll ping payload 0123456789"))


def stack_seeds():
    s = {}
    s["arp_request"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US)
    s["arp_reply_unsolicited"] = bytes([CFG_STATIC]) + rec(ARP_REPLY_TO_US)
    s["arp_conflict"] = bytes([CFG_STATIC]) + rec(eth(BCAST_MAC, OTHER_MAC, 0x0806, arp(1, OTHER_MAC, OUR_IP, ZERO_MAC, OUR_IP)))
    s["arp_other_target"] = bytes([CFG_STATIC]) + rec(eth(BCAST_MAC, OTHER_MAC, 0x0806, arp(1, OTHER_MAC, OTHER_IP, ZERO_MAC, PEER_IP)))
    # Ping before the peer is known: the reply waits for ARP, then goes out.
    s["ping_then_arp_reply"] = bytes([CFG_STATIC]) + rec(PING) + rec(ARP_REPLY_TO_US, dt=5)
    s["arp_then_ping"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(PING, dt=1)
    s["ping_unresolved_timeout"] = bytes([CFG_STATIC]) + rec(PING) + tick(jump=True) + tick(jump=True) + tick(jump=True)
    s["ping_broadcast"] = bytes([CFG_STATIC]) + rec(to_us(1, icmp(8, 0, 7, b"smurf"), dst=SUBNET_BCAST, dst_mac=BCAST_MAC))
    s["ping_bad_csum_fixed"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(
        to_us(1, icmp(8, 0, 9, b"fix me", good_csum=False), ident=1, ttl=1), OP_FIX_L4 | OP_FIX_IP)
    s["ip_options"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(
        to_us(1, icmp(8, 0, 3, b"with options"), options=b"\x01\x01\x01\x00" * 2))
    s["ip_padded"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(
        to_us(17, udp(PEER_IP, OUR_IP, 5555, 7, b"pad")) + b"\x00" * 18)
    s["udp_echo"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(to_us(17, udp(PEER_IP, OUR_IP, 40000, 7, b"hello, echo")))
    s["udp_echo_no_csum"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(
        to_us(17, udp(PEER_IP, OUR_IP, 40001, 7, b"no checksum", with_csum=False)))
    s["udp_discard"] = bytes([CFG_STATIC]) + rec(to_us(17, udp(PEER_IP, OUR_IP, 40002, 9, b"into the void")))
    s["udp_closed_port"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(to_us(17, udp(PEER_IP, OUR_IP, 40003, 1234, b"anyone?")))
    s["unknown_proto"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(to_us(6, b"\x00" * 20))
    s["udp_bcast_to_echo"] = bytes([CFG_STATIC]) + rec(
        to_us(17, udp(PEER_IP, 0xFFFFFFFF, 40004, 7, b"bcast"), dst=0xFFFFFFFF, dst_mac=BCAST_MAC))
    # Reassembly: an echo request of 3000 bytes in three fragments, out of order.
    big = icmp(8, 0, 0x00020002, bytes(i % 251 for i in range(3000)))
    fr = fragments(PEER_IP, OUR_IP, 1, big, [1480, 1480, 0])
    s["frag_ping_3"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + b"".join(
        rec(eth(OUR_MAC, PEER_MAC, 0x0800, f), dt=1) for f in (fr[2], fr[0], fr[1]))
    payload = bytes((i * 7) % 256 for i in range(2000))
    ufr = fragments(PEER_IP, OUR_IP, 17, udp(PEER_IP, OUR_IP, 40005, 7, payload), [1200, 0], ident=0x77)
    s["frag_udp_echo_2"] = bytes([CFG_STATIC | CFG_GATEWAY]) + rec(ARP_REQ_FOR_US) + b"".join(
        rec(eth(OUR_MAC, PEER_MAC, 0x0800, f)) for f in ufr)
    ofr = fragments(PEER_IP, OUR_IP, 17, udp(PEER_IP, OUR_IP, 40006, 7, payload), [1000, 0], ident=0x78)
    overlap = ipv4(PEER_IP, OUR_IP, 17, b"\xee" * 512, ident=0x78, mf=True, frag_off=800 // 8)
    s["frag_overlap"] = bytes([CFG_STATIC]) + b"".join(rec(eth(OUR_MAC, PEER_MAC, 0x0800, f)) for f in (ofr[0], overlap, ofr[1]))
    s["frag_duplicate"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + b"".join(
        rec(eth(OUR_MAC, PEER_MAC, 0x0800, f)) for f in (ofr[0], ofr[0], ofr[1]))
    s["frag_timeout"] = bytes([CFG_STATIC]) + rec(eth(OUR_MAC, PEER_MAC, 0x0800, fr[0])) + tick(4, U_10S) + rec(
        eth(OUR_MAC, PEER_MAC, 0x0800, fr[1]))
    # Application sends: through the gateway, to the subnet, broadcast, fragmented.
    s["app_send_gateway"] = bytes([CFG_STATIC | CFG_GATEWAY]) + app_send(ip("192.0.2.1"), 53, 5353, b"query") + rec(
        ARP_REPLY_TO_US, dt=10) + app_send(ip("192.0.2.1"), 53, 5353, b"again", dt=100)
    s["app_send_big"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + app_send(PEER_IP, 9999, 7, bytes(range(256)) * 16)
    s["app_send_bcast"] = bytes([CFG_STATIC]) + app_send(SUBNET_BCAST, 9999, 7, b"all") + app_send(0xFFFFFFFF, 9999, 7, b"everyone")
    s["app_send_fill_queue"] = bytes([CFG_STATIC]) + b"".join(app_send(ip("10.0.0.%d" % (10 + k)), 9, 9, b"q") for k in range(20))
    # ARP entries live 60 s and are re-asked in their last 10 s.
    s["arp_refresh"] = (bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + app_send(PEER_IP, 1, 2, b"a")
                        + app_send(PEER_IP, 1, 2, b"b", dt=5, unit=U_10S) + app_send(PEER_IP, 1, 2, b"c", dt=2, unit=U_100MS)
                        + app_send(PEER_IP, 1, 2, b"d", dt=1, unit=U_10S))
    # DHCP: the harness copies the xid the stack chose into replies (OP_FIX_DHCP).
    offer = dhcp_frame(2, server_options())
    ack = dhcp_frame(5, server_options())
    nak = dhcp_frame(6, dhcp_opt(54, u32(PEER_IP)), yiaddr=0)
    s["dhcp_offer_ack"] = bytes([CFG_DHCP]) + rec(offer, FIX_ALL, 3, U_100MS) + rec(ack, FIX_ALL, 2, U_100MS)
    renew_ack = dhcp_frame(5, server_options(), dst_mac=OUR_MAC, dst_ip=LEASED_IP)
    # T1 (1800 s) passes: the renewal goes unicast to the server, which needs ARP first.
    s["dhcp_bound_renew"] = (bytes([CFG_DHCP]) + rec(offer, FIX_ALL, 3, U_100MS) + rec(ack, FIX_ALL, 2, U_100MS)
                             + tick(3, U_10MIN)
                             + rec(eth(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, PEER_IP, OUR_MAC, LEASED_IP)), dt=5)
                             + rec(renew_ack, FIX_ALL, 1))
    s["dhcp_expire"] = (bytes([CFG_DHCP]) + rec(offer, FIX_ALL, 3, U_100MS)
                        + rec(dhcp_frame(5, server_options(lease=120, t1=60, t2=100)), FIX_ALL, 2, U_100MS)
                        + tick(jump=True) + tick(jump=True) + tick(jump=True) + tick(jump=True))
    s["dhcp_nak"] = bytes([CFG_DHCP]) + rec(offer, FIX_ALL, 3, U_100MS) + rec(nak, FIX_ALL, 2, U_100MS) + tick(3, U_10S)
    s["dhcp_infinite_lease"] = bytes([CFG_DHCP]) + rec(offer, FIX_ALL) + rec(dhcp_frame(5, server_options(lease=0xFFFFFFFF)), FIX_ALL)
    s["dhcp_minimal_ack"] = bytes([CFG_DHCP]) + rec(dhcp_frame(2, dhcp_opt(54, u32(PEER_IP))), FIX_ALL) + rec(
        dhcp_frame(5, b""), FIX_ALL)
    s["dhcp_retransmit"] = bytes([CFG_DHCP]) + tick(jump=True) + tick(jump=True) + rec(offer, FIX_ALL) + tick(jump=True) + tick(jump=True)
    s["dhcp_then_ping"] = (bytes([CFG_DHCP]) + rec(offer, FIX_ALL) + rec(ack, FIX_ALL)
                           + rec(to_us(1, icmp(8, 0, 5, b"ping after dhcp"), dst=LEASED_IP)))
    # Caps and limits: ICMP error rate, reassembly slots, ARP cache, datagram size.
    s["icmp_rate_limit"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + b"".join(
        rec(to_us(17, udp(PEER_IP, OUR_IP, 41000 + k, 1234, b"closed"))) for k in range(14))
    s["reasm_evict"] = bytes([CFG_STATIC]) + b"".join(
        rec(eth(OUR_MAC, PEER_MAC, 0x0800, fragments(PEER_IP, OUR_IP, 17, udp(PEER_IP, OUR_IP, 9, 9, bytes(40)), [24, 0],
                                                     ident=100 + k)[0]), dt=1) for k in range(6))
    s["arp_cache_evict"] = bytes([CFG_STATIC]) + b"".join(
        rec(eth(BCAST_MAC, bytes([2, 0, 0, 0, 1, k]), 0x0806, arp(1, bytes([2, 0, 0, 0, 1, k]), ip("10.0.0.%d" % (10 + k)),
                                                                   ZERO_MAC, OUR_IP)), dt=1) for k in range(36))
    s["app_send_limits"] = (bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + app_send(PEER_IP, 9, 9, bytes(65508))
                            + app_send(PEER_IP, 9, 9, bytes(65507)))
    renew_nak = dhcp_frame(6, dhcp_opt(54, u32(PEER_IP)), yiaddr=0, dst_mac=OUR_MAC, dst_ip=LEASED_IP)
    s["dhcp_renew_nak"] = (bytes([CFG_DHCP]) + rec(offer, FIX_ALL) + rec(ack, FIX_ALL) + tick(3, U_10MIN)
                           + rec(eth(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, PEER_IP, OUR_MAC, LEASED_IP)))
                           + rec(renew_nak, FIX_ALL) + tick(jump=True))
    # Two neighbours resolving in the same millisecond: the ARP queue must stay FIFO.
    y_ip, y_mac = ip("10.0.0.5"), bytes.fromhex("020000000005")
    s["arp_queue_fifo"] = (bytes([CFG_STATIC]) + app_send(y_ip, 9, 9, b"to Y") + app_send(PEER_IP, 9, 9, b"A1")
                           + rec(eth(OUR_MAC, y_mac, 0x0806, arp(2, y_mac, y_ip, OUR_MAC, OUR_IP)))
                           + app_send(PEER_IP, 9, 9, b"A2") + rec(ARP_REPLY_TO_US))
    # TCP (when the stack has it): echo service on port 7. The harness fills in
    # the acknowledgment number from what the stack sent (OP_FIX_DHCP bit).
    def seg(flags, seq, payload=b"", sport=45000, dport=7, options=b"", ack=0):
        return to_us(6, tcp(PEER_IP, OUR_IP, sport, dport, seq, ack, flags, payload, options=options))
    s["tcp_echo_session"] = (bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US)
                             + rec(seg(TCP_SYN, 1000, options=TCP_SYN_OPTS))
                             + rec(seg(TCP_ACK, 1001), FIX_ALL, 1)
                             + rec(seg(TCP_ACK | TCP_PSH, 1001, b"hello over tcp\n"), FIX_ALL, 1)
                             + rec(seg(TCP_ACK | TCP_FIN, 1016), FIX_ALL, 40)
                             + rec(seg(TCP_ACK, 1017), FIX_ALL, 1))
    s["tcp_syn_closed_port"] = bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(seg(TCP_SYN, 5, dport=80))
    s["tcp_rst_after_syn"] = (bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(seg(TCP_SYN, 77))
                              + rec(seg(TCP_RST, 78), FIX_ALL, 1))
    s["tcp_syn_retransmit"] = (bytes([CFG_STATIC]) + rec(ARP_REQ_FOR_US) + rec(seg(TCP_SYN, 9000))
                               + tick(jump=True) + tick(jump=True) + tick(jump=True))
    s["tcp_connect"] = (bytes([CFG_STATIC]) + app_send(PEER_IP, 80, 0, b"GET / HTTP/1.0\r\n\r\n")
                        + rec(ARP_REPLY_TO_US, dt=1)
                        + rec(to_us(6, tcp(PEER_IP, OUR_IP, 80, 0, 5000, 0, TCP_SYN | TCP_ACK, options=TCP_SYN_OPTS)), FIX_ALL, 1)
                        + rec(to_us(6, tcp(PEER_IP, OUR_IP, 80, 0, 5001, 0, TCP_ACK | TCP_PSH, b"HTTP/1.0 200 OK\r\n\r\nhi")), FIX_ALL, 5)
                        + rec(to_us(6, tcp(PEER_IP, OUR_IP, 80, 0, 5022, 0, TCP_ACK | TCP_FIN)), FIX_ALL, 5))
    # Link-level oddities.
    s["vlan_tagged"] = bytes([CFG_STATIC]) + rec(eth(OUR_MAC, PEER_MAC, 0x8100, b"\x00\x05\x08\x00" + PING[14:]))
    s["not_for_us"] = bytes([CFG_STATIC]) + rec(eth(OTHER_MAC, PEER_MAC, 0x0800, PING[14:]))
    s["ipv6_ethertype"] = bytes([CFG_STATIC]) + rec(eth(OUR_MAC, PEER_MAC, 0x86DD, b"\x60" + b"\x00" * 39))
    s["runt_and_oversize"] = bytes([CFG_STATIC]) + rec(PING[:13]) + rec(PING + b"\x00" * 1500)
    return s


# ---------------------------------------------------------------- per-parser corpora

def parser_seeds():
    c = {}
    c["eth"] = {
        "arp_request": ARP_REQ_FOR_US,
        "ipv4_ping": PING,
        "vlan": eth(OUR_MAC, PEER_MAC, 0x8100, b"\x00\x05\x08\x00"),
        "header_only": eth(BCAST_MAC, PEER_MAC, 0x0800, b""),
        "runt_13": PING[:13],
    }
    req = arp(1, PEER_MAC, PEER_IP, ZERO_MAC, OUR_IP)
    c["arp"] = {
        "request": req,
        "reply": arp(2, OUR_MAC, OUR_IP, PEER_MAC, PEER_IP),
        "gratuitous": arp(1, PEER_MAC, PEER_IP, ZERO_MAC, PEER_IP),
        "padded_46": req + b"\x00" * 18,
        "bad_htype": arp(1, PEER_MAC, PEER_IP, ZERO_MAC, OUR_IP, htype=6),
        "bad_plen": arp(1, PEER_MAC, PEER_IP, ZERO_MAC, OUR_IP, plen=16),
        "rarp_opcode": arp(3, PEER_MAC, PEER_IP, ZERO_MAC, OUR_IP),
        "trunc_27": req[:27],
    }
    frag = fragments(PEER_IP, OUR_IP, 17, udp(PEER_IP, OUR_IP, 1, 7, bytes(64)), [24, 0])
    c["ipv4"] = {
        "icmp_echo": ipv4(PEER_IP, OUR_IP, 1, icmp(8, 0, 1, b"ping")),
        "udp": ipv4(PEER_IP, OUR_IP, 17, udp(PEER_IP, OUR_IP, 1000, 7, b"data")),
        "options": ipv4(PEER_IP, OUR_IP, 1, b"x" * 8, options=b"\x94\x04\x00\x00" + b"\x01" * 4),
        "ihl15": ipv4(PEER_IP, OUR_IP, 1, b"", options=b"\x01" * 40),
        "frag_first": frag[0],
        "frag_last": frag[1],
        "df_padded": ipv4(PEER_IP, OUR_IP, 17, b"12345678", df=True) + b"\x00" * 10,
        "bad_csum": ipv4(PEER_IP, OUR_IP, 1, b"abcdefgh", good_csum=False),
        "frag_range": ipv4(PEER_IP, OUR_IP, 17, b"z" * 16, frag_off=8191),
        "totlen_short": ipv4(PEER_IP, OUR_IP, 17, b"z" * 16, total_len=19),
        "version6": b"\x60" + ipv4(PEER_IP, OUR_IP, 17, b"")[1:],
        "trunc_19": ipv4(PEER_IP, OUR_IP, 1, b"")[:19],
    }
    inner = ipv4(OUR_IP, PEER_IP, 17, udp(OUR_IP, PEER_IP, 7, 99, b"12345678"))
    c["icmp"] = {
        "echo_request": icmp(8, 0, 0x00010002, b"abcdefghijklmnopqrstuvwxyz"),
        "echo_reply_odd": icmp(0, 0, 0x00010002, b"odd"),
        "unreach_port": icmp(3, 3, 0, inner[:28]),
        "time_exceeded": icmp(11, 0, 0, inner[:28]),
        "header_only": icmp(8, 0, 0, b""),
        "bad_csum": icmp(8, 0, 0, b"zz", good_csum=False),
        "trunc_7": icmp(8, 0, 0, b"")[:7],
        "csum_ffff": bytes.fromhex("0000ffff00000000"),
    }
    def uin(src, dst, d):
        return u32(src) + u32(dst) + d
    c["udp"] = {
        "echo": uin(PEER_IP, OUR_IP, udp(PEER_IP, OUR_IP, 40000, 7, b"hello")),
        "no_csum": uin(PEER_IP, OUR_IP, udp(PEER_IP, OUR_IP, 40000, 7, b"hello", with_csum=False)),
        "odd_padded": uin(PEER_IP, OUR_IP, udp(PEER_IP, OUR_IP, 1, 2, b"odd") + b"\x00" * 7),
        "dhcp_reply": uin(PEER_IP, 0xFFFFFFFF, udp(PEER_IP, 0xFFFFFFFF, 67, 68, dhcp(2, 1, 2, yiaddr=LEASED_IP))),
        "length_long": uin(PEER_IP, OUR_IP, udp(PEER_IP, OUR_IP, 1, 2, b"abc", length=100)),
        "empty_payload": uin(PEER_IP, OUR_IP, udp(PEER_IP, OUR_IP, 1, 2, b"")),
    }
    def tin(seg_bytes, src=PEER_IP, dst=OUR_IP):
        return u32(src) + u32(dst) + seg_bytes
    sack = b"\x01\x01\x05\x12" + u32(100) + u32(200) + u32(300) + u32(400)
    c["tcp"] = {
        "syn_options": tin(tcp(PEER_IP, OUR_IP, 40000, 80, 1, 0, TCP_SYN, options=TCP_SYN_OPTS)),
        "synack": tin(tcp(OUR_IP, PEER_IP, 80, 40000, 7, 2, TCP_SYN | TCP_ACK, options=b"\x02\x04\x05\xb4"), OUR_IP, PEER_IP),
        "data_ack": tin(tcp(PEER_IP, OUR_IP, 40000, 80, 2, 8, TCP_ACK | TCP_PSH, b"GET / HTTP/1.1\r\n\r\n")),
        "sack_blocks": tin(tcp(PEER_IP, OUR_IP, 40000, 80, 2, 8, TCP_ACK, options=sack)),
        "rst": tin(tcp(PEER_IP, OUR_IP, 40000, 80, 2, 0, TCP_RST)),
        "eol_then_junk": tin(tcp(PEER_IP, OUR_IP, 1, 2, 3, 4, TCP_ACK, options=b"\x00\xff\xff\xff")),
        "opt_len_zero": tin(tcp(PEER_IP, OUR_IP, 1, 2, 3, 4, TCP_ACK, options=b"\x08\x00\x00\x00")),
        "opt_overrun": tin(tcp(PEER_IP, OUR_IP, 1, 2, 3, 4, TCP_ACK, options=b"\x01\x01\x02\x08")),
        "wscale_big": tin(tcp(PEER_IP, OUR_IP, 1, 2, 3, 4, TCP_SYN, options=b"\x01\x03\x03\x0f")),
        "bad_csum": tin(tcp(PEER_IP, OUR_IP, 1, 2, 3, 4, TCP_ACK)[:16] + b"\x00\x01" + tcp(PEER_IP, OUR_IP, 1, 2, 3, 4, TCP_ACK)[18:]),
        "hdrlen_60": tin(tcp(PEER_IP, OUR_IP, 1, 2, 3, 4, TCP_ACK, options=b"\x01" * 40)),
        "trunc_19": tin(tcp(PEER_IP, OUR_IP, 1, 2, 3, 4, TCP_ACK)[:19]),
    }
    full = server_options()
    c["dhcp"] = {
        "offer": dhcp(2, 0x11223344, 2, yiaddr=LEASED_IP, siaddr=PEER_IP, options=full),
        "ack": dhcp(2, 0x11223344, 5, yiaddr=LEASED_IP, options=full),
        "nak": dhcp(2, 0x11223344, 6, options=dhcp_opt(54, u32(PEER_IP)) + dhcp_opt(56, b"no")),
        "discover": dhcp(1, 0x55667788, 1, options=dhcp_opt(55, bytes([1, 3, 51, 58, 59])) + b"\x00" * 40),
        "request": dhcp(1, 0x55667788, 3, options=dhcp_opt(50, u32(LEASED_IP)) + dhcp_opt(54, u32(PEER_IP))),
        "pads_no_end": dhcp(2, 7, 5, options=b"\x00\x00\x00" + dhcp_opt(51, u32(60)), end=False),
        "unknown_options": dhcp(2, 7, 2, options=dhcp_opt(12, b"atoll") + dhcp_opt(61, b"\x01" + OUR_MAC)
                                + dhcp_opt(52, b"\x03") + dhcp_opt(81, b"")),
        "bytes_after_end": dhcp(2, 7, 5) + b"\x35\x05garbage",
        "bad_lease_len": dhcp(2, 7, 5, options=dhcp_opt(51, b"\x00\x00\x0e")),
        "router_list_bad": dhcp(2, 7, 5, options=dhcp_opt(3, b"\x0a\x00\x00\x01\x0a")),
        "option_overrun": dhcp(2, 7, 5, end=False) + b"\x33\x04\x00",
        "bad_cookie": dhcp(2, 7, 5, cookie=b"\x63\x82\x53\x64"),
        "bad_htype": dhcp(2, 7, 5, htype=6),
        "fixed_only_trunc": dhcp(2, 7)[:239],
    }
    return c


def write_dir(name, seeds):
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    for fname, data in sorted(seeds.items()):
        with open(os.path.join(d, fname), "wb") as fp:
            fp.write(data)
    return len(seeds)


STACK_DICT_HEAD = """# The whole stack (fuzz_stack): generated by fuzz/make_seeds.py from the
# per-format dictionaries beside it, plus the harness's record op bytes.
op_fix_all="\\x07"
op_fix_all_eth="\\x0f"
op_jump="\\x10"
op_app_send="\\x20"
op_unit_10min="\\xc0"
"""


def write_stack_dict():
    d = os.path.join(HERE, "dict")
    out = [STACK_DICT_HEAD]
    for name in ("eth", "arp", "ipv4", "icmp", "udp", "tcp", "dhcp"):
        with open(os.path.join(d, name + ".dict")) as fp:
            for line in fp:
                if line.strip() and not line.startswith("#"):
                    out.append(name + "_" + line)
    with open(os.path.join(d, "stack.dict"), "w") as fp:
        fp.write("".join(out))


def main():
    write_stack_dict()
    total = 0
    for name, seeds in sorted(parser_seeds().items()):
        total += write_dir(name, seeds)
    total += write_dir("stack", stack_seeds())
    print("make_seeds.py: wrote %d seeds under %s" % (total, os.path.relpath(CORPUS)))


if __name__ == "__main__":
    main()
