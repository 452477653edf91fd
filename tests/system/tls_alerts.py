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


# ---- a minimal TLS 1.3 client (X25519, TLS_AES_128_GCM_SHA256) for the
# cases that must complete the handshake, not only get a ServerHello ----

def _hmac(key, data):
    import hashlib
    import hmac
    return hmac.new(key, data, hashlib.sha256).digest()


def _sha(data):
    import hashlib
    return hashlib.sha256(data).digest()


def _expand_label(secret, label, context, length):
    info = u16(length) + vec8(b"tls13 " + label) + vec8(context)
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = _hmac(secret, t + info + u8(i))
        out += t
        i += 1
    return out[:length]


def _derive(secret, label, transcript):
    return _expand_label(secret, label, _sha(transcript), 32)


class _Keys:
    def __init__(self, secret):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        self.secret = secret
        self.aead = AESGCM(_expand_label(secret, b"key", b"", 16))
        self.iv = _expand_label(secret, b"iv", b"", 12)
        self.seq = 0

    def nonce(self):
        n = bytes(a ^ b for a, b in zip(self.iv, struct.pack("!Q", self.seq).rjust(12, b"\x00")))
        self.seq += 1
        return n

    def seal(self, ctype, content):
        inner = content + u8(ctype)
        hdr = u8(23) + u16(0x0303) + u16(len(inner) + 16)
        return hdr + self.aead.encrypt(self.nonce(), inner, hdr)

    def open(self, rec):
        inner = self.aead.decrypt(self.nonce(), rec[5:], rec[:5]).rstrip(b"\x00")
        return inner[-1], inner[:-1]

    def updated(self):
        return _Keys(_expand_label(self.secret, b"traffic upd", b"", 32))


def _handshake(host, port, edit):
    """Handshake with the default hello, edited by edit(exts) (our real
    x25519 share is the key_share). Returns (socket, client and server
    application keys), or a string saying what went wrong."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    priv = X25519PrivateKey.generate()
    pub = priv.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    exts = edit(replace(51, ext(51, vec16(key_share(0x001d, pub)))))
    ch = client_hello(exts=exts, suites=u16(0x1301))
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(records(22, ch))
    rec = read_record(s)
    if len(rec) < 9 or rec[0] != 22 or rec[5] != 2:
        s.close()
        return classify(rec)
    sh = rec[5:]
    b = sh[4:]
    p = 2 + 32
    p += 1 + b[p] + 2 + 1
    share = None
    end = p + 2 + struct.unpack("!H", b[p:p + 2])[0]
    p += 2
    while p + 4 <= end:
        t, n = struct.unpack("!HH", b[p:p + 4])
        if t == 51:
            share = b[p + 8:p + 4 + n]
        p += 4 + n
    if share is None:
        s.close()
        return "HelloRetryRequest or no key_share"
    dhe = priv.exchange(X25519PublicKey.from_public_bytes(share))
    zero = b"\x00" * 32
    hs = _hmac(_derive(_hmac(zero, zero), b"derived", b""), dhe)
    transcript = ch + sh
    c_hs, s_hs = _derive(hs, b"c hs traffic", transcript), _derive(hs, b"s hs traffic", transcript)
    rx = _Keys(s_hs)
    msgs = b""
    while True:
        rec = read_record(s)
        if len(rec) < 5:
            s.close()
            return "flight cut short"
        if rec[0] == 20:
            continue
        if rec[0] != 23:
            s.close()
            return classify(rec)
        ctype, body = rx.open(rec)
        msgs += body
        if ctype == 21:
            s.close()
            return body[1]
        # the server's Finished ends its flight
        q, fin = 0, False
        while q + 4 <= len(msgs):
            n = struct.unpack("!I", b"\x00" + msgs[q + 1:q + 4])[0]
            if q + 4 + n > len(msgs):
                break
            fin = msgs[q] == 20
            q += 4 + n
        if fin and q == len(msgs):
            break
    transcript += msgs
    master = _hmac(_derive(hs, b"derived", b""), zero)
    c_ap, s_ap = _derive(master, b"c ap traffic", transcript), _derive(master, b"s ap traffic", transcript)
    return s, c_hs, transcript, _Keys(c_ap), _Keys(s_ap)


def _finish(s, c_hs, transcript, verify=None):
    verify = verify if verify is not None else _hmac(_expand_label(c_hs, b"finished", b"", 32), _sha(transcript))
    s.sendall(_Keys(c_hs).seal(22, u8(20) + u24(len(verify)) + verify))


def _read_app(s, rx):
    """Application data from the server: (data, KeyUpdates seen before it,
    rx keys now), skipping NewSessionTickets; an alert description or a
    string when something else comes."""
    updates = 0
    while True:
        rec = read_record(s)
        if len(rec) < 5 or rec[0] != 23:
            return classify(rec), updates, rx
        ctype, body = rx.open(rec)
        if ctype == 21:
            return body[1], updates, rx
        if ctype == 23:
            return body, updates, rx
        if ctype == 22 and body[:1] == b"\x18":
            updates += 1
            rx = rx.updated()


def completes(edit):
    """The handshake completes and the echo answers."""
    def run(host, port):
        r = _handshake(host, port, edit)
        if not isinstance(r, tuple):
            return r
        s, c_hs, transcript, tx, rx = r
        _finish(s, c_hs, transcript)
        s.sendall(tx.seal(23, b"ping"))
        got, _, _ = _read_app(s, rx)
        s.close()
        return "echo" if got == b"ping" else got
    return run


def key_updates(host, port):
    """Three KeyUpdate(update_requested) in a row, then data: one KeyUpdate
    comes back before the echo (§4.6.3)."""
    r = _handshake(host, port, lambda e: e)
    if not isinstance(r, tuple):
        return r
    s, c_hs, transcript, tx, rx = r
    _finish(s, c_hs, transcript)
    s.sendall(tx.seal(23, b"one"))
    got, _, rx = _read_app(s, rx)
    if got != b"one":
        return got
    for _ in range(3):
        s.sendall(tx.seal(22, u8(24) + u24(1) + u8(1)))
        tx = tx.updated()
    s.sendall(tx.seal(23, b"two"))
    got, updates, rx = _read_app(s, rx)
    s.close()
    return "%d KeyUpdate, echo" % updates if got == b"two" else got


def finished_of_33_bytes(host, port):
    r = _handshake(host, port, lambda e: e)
    if not isinstance(r, tuple):
        return r
    s, c_hs, transcript, tx, rx = r
    _finish(s, c_hs, transcript, verify=b"\x00" * 33)
    got, _, _ = _read_app(s, rx)
    s.close()
    return got


FULL_CASES = [
    ("full handshake, default hello", completes(lambda e: e), "echo"),
    ("full handshake, 16,000 unknown empty extensions", completes(lambda e: unknown_exts(16000) + e), "echo"),
    ("full handshake, signature_algorithms with 32,000 schemes",
     completes(lambda e: [big_sig_algs() if struct.unpack("!H", x[:2])[0] == 13 else x for x in e]), "echo"),
    ("full handshake, 1,000 unsupported key shares before ours",
     completes(lambda e: [ext(10, vec16(b"".join(u16(0x0200 + i) for i in range(1000)) + u16(0x001d)))
                          if struct.unpack("!H", x[:2])[0] == 10 else
                          ext(51, vec16(b"".join(key_share(0x0200 + i, bytes([i % 256]) * (1 + i % 97))
                                                 for i in range(1000)) + x[6:]))
                          if struct.unpack("!H", x[:2])[0] == 51 else x for x in e]), "echo"),
    ("three KeyUpdate requests while the server is silent", key_updates, "1 KeyUpdate, echo"),
    ("client Finished of 33 bytes", finished_of_33_bytes, 50),
]


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    bad = 0
    cases = [(n, d, w, answer) for n, d, w in CASES] + [(n, d, w, answer_after_hrr) for n, d, w in HRR_CASES]
    cases += [(n, None, w, lambda h, p, d, f=f: f(h, p)) for n, f, w in FULL_CASES]
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
