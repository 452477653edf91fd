#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Malformed ClientHellos and records against a TLS 1.3 server: each case
must be answered with exactly the alert RFC 8446 names (spec/tls_alerts.md).
usage: tls_alerts.py HOST PORT   -- prints one line per case, exits 1 on any miss."""
import os
import socket
import struct
import sys

ALERTS = {10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow", 40: "handshake_failure",
          47: "illegal_parameter", 50: "decode_error", 70: "protocol_version", 109: "missing_extension",
          120: "no_application_protocol"}


def u8(v): return struct.pack("!B", v)
def u16(v): return struct.pack("!H", v)
def u24(v): return struct.pack("!I", v)[1:]
def vec8(b): return u8(len(b)) + b
def vec16(b): return u16(len(b)) + b
def ext(t, body): return u16(t) + vec16(body)


def key_share(group=0x001d, key=None):
    key = key if key is not None else os.urandom(32)
    return u16(group) + vec16(key)


def default_exts():
    return [
        ext(0, vec16(u8(0) + vec16(b"atoll.test"))),                 # server_name
        ext(10, vec16(u16(0x001d) + u16(0x0017))),                   # supported_groups
        ext(13, vec16(u16(0x0403) + u16(0x0804))),                   # signature_algorithms
        ext(43, vec8(u16(0x0304))),                                  # supported_versions
        ext(51, vec16(key_share())),                                 # key_share
    ]


def client_hello(exts=None, suites=None, comp=b"\x00", sid=None, version=0x0303, ext_len_delta=0, random=None):
    exts = default_exts() if exts is None else exts
    suites = suites if suites is not None else u16(0x1301) + u16(0x1303)
    sid = sid if sid is not None else os.urandom(32)
    random = random if random is not None else os.urandom(32)
    e = b"".join(exts)
    body = u16(version) + random + vec8(sid) + vec16(suites) + vec8(comp) + u16(len(e) + ext_len_delta) + e
    return u8(1) + u24(len(body)) + body


def record(ctype, payload, version=0x0301):
    return u8(ctype) + u16(version) + u16(len(payload)) + payload


def records(ctype, payload):
    """payload in records of at most 2^14 bytes (a ClientHello may be ~128 KiB)."""
    return b"".join(record(ctype, payload[i:i + 16384]) for i in range(0, len(payload), 16384))


def unknown_exts(n, first=0x1000, step=3):
    """n distinct unassigned, empty extensions."""
    return [ext(first + step * i, b"") for i in range(n)]


def big_sig_algs():
    """signature_algorithms with 32,000 schemes, ecdsa_secp256r1_sha256 last."""
    return ext(13, vec16(b"".join(u16(0x0a00 + i % 256) for i in range(31999)) + u16(0x0403)))


def unsupported_shares(n, x25519=True):
    """n key shares for unassigned groups, 1..97 bytes each, then (x25519)
    a real one; supported_groups lists them all."""
    groups = [0x0200 + i for i in range(n)]
    shares = b"".join(key_share(g, bytes([i % 256]) * (1 + i % 97)) for i, g in enumerate(groups))
    if x25519:
        shares += key_share()
    exts = replace(10, ext(10, vec16(b"".join(u16(g) for g in groups) + u16(0x001d))))
    return [ext(51, vec16(shares)) if struct.unpack("!H", e[:2])[0] == 51 else e for e in exts]


def without(t):
    return [e for e in default_exts() if struct.unpack("!H", e[:2])[0] != t]


def replace(t, new):
    return [new if struct.unpack("!H", e[:2])[0] == t else e for e in default_exts()]


def x448_only():
    exts = replace(10, ext(10, vec16(u16(0x001e))))
    return [ext(51, vec16(key_share(0x001e, b"\x05" * 56))) if struct.unpack("!H", e[:2])[0] == 51 else e
            for e in exts]


PSK = ext(41, vec16(vec16(b"not-a-ticket") + b"\x00\x00\x00\x00") + vec16(vec8(b"\x00" * 32)))

CASES = [
    ("valid hello", record(22, client_hello()), "handshake"),
    ("compression method 1", record(22, client_hello(comp=b"\x01")), 47),
    ("compression methods null+deflate", record(22, client_hello(comp=b"\x00\x01")), 47),
    ("no supported_versions", record(22, client_hello(exts=without(43))), 70),
    ("supported_versions TLS 1.2 only", record(22, client_hello(exts=replace(43, ext(43, vec8(u16(0x0303)))))), 70),
    ("no key_share", record(22, client_hello(exts=without(51))), 109),
    ("no supported_groups", record(22, client_hello(exts=without(10))), 109),
    ("no signature_algorithms", record(22, client_hello(exts=without(13))), 109),
    ("duplicate server_name", record(22, client_hello(exts=default_exts() + [default_exts()[0]])), 47),
    ("extensions length one too long", record(22, client_hello(ext_len_delta=1)), 50),
    ("extensions length one too short", record(22, client_hello(ext_len_delta=-1)), 50),
    ("no cipher suite in common", record(22, client_hello(suites=u16(0x1304) + u16(0x00ff))), 40),
    ("empty cipher_suites", record(22, client_hello(suites=b"")), 50),
    ("odd cipher_suites length", record(22, client_hello(suites=b"\x13\x01\x13")), 50),
    ("session id of 33 bytes", record(22, client_hello(sid=b"\x00" * 33)), 50),
    ("key share for an unlisted group",
     record(22, client_hello(exts=replace(51, ext(51, vec16(key_share(0x0018, b"\x04" + b"\x01" * 96)))))), 47),
    ("x25519 share of 31 bytes", record(22, client_hello(exts=replace(51, ext(51, vec16(key_share(key=b"\x09" * 31)))))), 47),
    ("empty key_exchange", record(22, client_hello(exts=replace(51, ext(51, vec16(u16(0x001d) + u16(0)))))), 50),
    ("pre_shared_key without psk_key_exchange_modes", record(22, client_hello(exts=default_exts() + [PSK])), 109),
    ("pre_shared_key not last", record(22, client_hello(exts=[PSK] + default_exts())), 47),
    ("no group in common (x448 only)", record(22, client_hello(exts=x448_only())), 40),
    ("no signature scheme for our key (ed25519 only)",
     record(22, client_hello(exts=replace(13, ext(13, vec16(u16(0x0807)))))), 40),
    ("change_cipher_spec before the hello", record(20, b"\x01"), 10),
    ("application data before the hello", record(23, b"\x00" * 20), 10),
    ("unknown content type", record(0x19, b"\x00" * 4), 10),
    ("plaintext record of 2^14+1 bytes", record(22, b"\x01" + b"\x00" * 16384), 22),
    ("hello split by an alert-sized junk handshake type", record(22, b"\x63\x00\x00\x00"), 10),
    ("finished before the hello", record(22, b"\x14\x00\x00\x20" + b"\x00" * 32), 10),
    ("empty alert record", record(21, b""), 10),
    ("empty handshake record", record(22, b""), 10),
    ("16,000 unknown empty extensions", records(22, client_hello(exts=unknown_exts(16000) + default_exts())),
     "handshake"),
    ("unknown extension type 0x7777 twice",
     record(22, client_hello(exts=[ext(0x7777, b"")] + default_exts() + [ext(0x7777, b"")])), 47),
    ("signature_algorithms with 32,000 schemes", records(22, client_hello(exts=replace(13, big_sig_algs()))),
     "handshake"),
    ("1,000 key shares for unsupported groups, then x25519", records(22, client_hello(exts=unsupported_shares(1000))),
     "handshake"),
    ("1,000 key shares for unsupported groups only (HelloRetryRequest)",
     records(22, client_hello(exts=unsupported_shares(1000, x25519=False))), "handshake"),
    ("hello longer than any ClientHello can be", record(22, b"\x01\x02\x10\x00"), 50),
]


def answer(host, port, data):
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(data)
    buf = read_record(s)
    s.close()
    return classify(buf)


HRR_RANDOM = os.urandom(32)


def hrr_first():
    """Offers x448 and x25519 with a share for x448 only: the server asks
    for x25519 with a HelloRetryRequest (no session id: no CCS either)."""
    exts = replace(10, ext(10, vec16(u16(0x001e) + u16(0x001d))))
    exts = [ext(51, vec16(key_share(0x001e, b"\x05" * 56))) if struct.unpack("!H", e[:2])[0] == 51 else e
            for e in exts]
    return record(22, client_hello(exts=exts, sid=b"", random=HRR_RANDOM))


def second(shares, suites=None, random=None, edit=None):
    """The first hello again (§4.1.2) with the shares given; edit may change
    the extension list further."""
    exts = replace(10, ext(10, vec16(u16(0x001e) + u16(0x001d))))
    exts = [ext(51, vec16(b"".join(shares))) if struct.unpack("!H", e[:2])[0] == 51 else e for e in exts]
    exts = edit(exts) if edit else exts
    return record(22, client_hello(exts=exts, sid=b"", suites=suites, random=random or HRR_RANDOM))


P256_SHARE = key_share(0x0017, b"\x04" + b"\x01" * 64)
# (name, second ClientHello, expected answer to it) after hrr_first()
HRR_CASES = [
    ("second hello as asked", second([key_share()]), "handshake"),
    ("second hello with a share for another group", second([P256_SHARE]), 47),
    ("second hello with two shares", second([key_share(), P256_SHARE]), 47),
    ("second hello choosing another cipher suite", second([key_share()], suites=u16(0x1302)), 47),
    ("second hello with another random", second([key_share()], random=os.urandom(32)), 47),
    ("second hello with its extensions reordered", second([key_share()], edit=lambda e: e[1:] + e[:1]), 47),
    ("second hello with an extension added", second([key_share()], edit=lambda e: e + [ext(0x7777, b"")]), 47),
    ("second hello with early_data", second([key_share()], edit=lambda e: e + [ext(42, b"")]), 47),
    ("second hello with padding added", second([key_share()], edit=lambda e: e + [ext(21, b"\x00" * 100)]),
     "handshake"),
]


def classify(buf):
    """The server's first record: "handshake", an alert description, or what else came."""
    if len(buf) < 5:
        return "nothing"
    if buf[0] == 22:
        return "handshake"
    if buf[0] == 21 and len(buf) >= 7:
        return buf[6]
    return "record type %d" % buf[0]


def read_record(s):
    buf = b""
    try:
        while len(buf) < 5 or len(buf) < 5 + struct.unpack("!H", buf[3:5])[0]:
            chunk = s.recv(1)
            if not chunk:
                break
            buf += chunk
    except socket.timeout:
        pass
    return buf


def answer_after_hrr(host, port, data):
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(hrr_first())
    hrr = read_record(s)
    # A HelloRetryRequest is a ServerHello with the special random (§4.1.3).
    if len(hrr) < 43 or hrr[0] != 22 or hrr[5] != 2 or hrr[11:43] != bytes.fromhex(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"):
        s.close()
        return "no HelloRetryRequest"
    s.sendall(data)
    buf = read_record(s)
    s.close()
    return classify(buf)


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    bad = 0
    cases = [(n, d, w, answer) for n, d, w in CASES] + [(n, d, w, answer_after_hrr) for n, d, w in HRR_CASES]
    for name, data, want, ask in cases:
        got = ask(host, port, data)
        ok = got == want
        bad += not ok
        show = lambda v: "%s(%d)" % (ALERTS.get(v, "?"), v) if isinstance(v, int) else v
        print("%s: %s -> %s%s" % ("ok" if ok else "MISMATCH", name, show(got), "" if ok else " (want %s)" % show(want)))
    print("%d cases, %d mismatched" % (len(cases), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
