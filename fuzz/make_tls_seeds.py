#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpora of the TLS record and crypto harnesses
(fuzz/corpus/tls_record/, fuzz/corpus/tls_crypto_diff/). Stdlib only,
deterministic; kept apart from make_seeds.py so the TLS seeds can change
without rewriting the others. Run:  /usr/bin/python3 fuzz/make_tls_seeds.py

The input formats are described at the top of fuzz/fuzz_tls_record.c and
fuzz/fuzz_tls_crypto_diff.c. The RFC 8448 §3 server flight is read from
tests/unit/rfc8448.c (one copy of the RFC's bytes in the tree); the record
harness's AES-128-GCM key is the RFC's, so that seed opens.
"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")


def rfc8448(name):
    with open(os.path.join(ROOT, "tests", "unit", "rfc8448.c")) as f:
        src = f.read()
    m = re.search(r"\b%s\[\] =\s*((?:\"[^\"]*\"\s*)+);" % name, src)
    return bytes.fromhex("".join(re.findall(r"\"([^\"]*)\"", m.group(1))).replace(" ", ""))


def rec(ctype, body, version=0x0303, length=None):
    return struct.pack("!BHH", ctype, version, len(body) if length is None else length) + body


def record_seeds():
    flight = rfc8448("RFC8448_S3_SERVER_FLIGHT_RECORD")
    s = {}
    raw = lambda flags, recs, max_inner=16385: bytes([flags]) + struct.pack("!H", max_inner) + recs
    s["raw_rfc8448_flight"] = raw(0x00, flight)
    s["raw_rfc8448_flight_limit64"] = raw(0x00, flight, 64)
    s["raw_rfc8448_flight_twice"] = raw(0x03, flight + flight)
    s["raw_plaintext_handshake"] = raw(0x00, rec(22, b"\x01\x00\x00\x01\x00", 0x0301))
    s["raw_ccs"] = raw(0x08, rec(20, b"\x01"))
    s["raw_alert"] = raw(0x00, rec(21, b"\x02\x28"))
    s["raw_empty_appdata"] = raw(0x08, rec(23, b""))
    s["raw_empty_handshake"] = raw(0x00, rec(22, b""))
    s["raw_overflow_len"] = raw(0x08, rec(23, b"", length=0x4101))
    s["raw_short_tag"] = raw(0x02, rec(23, bytes(range(15))))
    s["raw_truncated"] = raw(0x00, flight[:100])
    s["raw_unknown_type"] = raw(0x00, rec(24, b"abc"))
    for a in range(3):
        seal = lambda pad, pos, x, t, pt: (bytes([0x04 | a]) + struct.pack("!HHHBB", 16385, pad, pos, x, t) + pt)
        s["seal_%d_hello" % a] = seal(0, 0, 0, 22, b"hello")
        s["seal_%d_padded" % a] = seal(100, 7, 0, 23, b"GET / HTTP/1.1\r\n\r\n")
        s["seal_%d_flip_tag" % a] = seal(3, 0xffff, 0x80, 21, b"\x01\x00")
        s["seal_%d_flip_hdr" % a] = seal(0, 1, 0x01, 22, b"x" * 40)
        s["seal_%d_empty" % a] = seal(0, 0, 0, 23, b"")
    s["seal_limit64"] = bytes([0x06]) + struct.pack("!HHHBB", 64, 10, 5, 0, 22) + b"y" * 53
    return s


def diff_seeds():
    s = {}
    key = bytes(range(32))
    nonce = bytes(range(0xa0, 0xac))

    def seed(sel, seq, aad, label, ctx, out_len, pt):
        return (bytes([sel]) + key + nonce + struct.pack("!Q", seq) + bytes([len(aad)]) + aad +
                bytes([len(label)]) + label + bytes([len(ctx)]) + ctx + struct.pack("!H", out_len) + pt)

    s["gcm128_key"] = seed(0x08 | 0x10 * 1, 0, b"", b"key", b"", 16, b"")
    s["gcm256_sha384_iv"] = seed(0x0d | 0x10 * 1, 1, b"\x17\x03\x03\x00\x20", b"iv", b"", 12, b"a" * 16)
    s["chacha_c_hs_traffic"] = seed(0x0a | 0x10 * 1, 7, b"aad", b"c hs traffic", bytes(32), 32, b"hello world")
    s["chacha_seq_limit"] = seed(0x02 | 0x10 * 1, 2**64 - 2, b"", b"traffic upd", b"", 32, b"z" * 100)
    s["gcm_seq_limit"] = seed(0x00 | 0x10 * 1, 23726565, b"", b"finished", b"", 32, b"q" * 33)
    s["long_label"] = seed(0x09 | 0x10 * 2, 3, b"", b"L" * 249, b"c" * 255, 255, b"p" * 1000)
    s["too_long_label"] = seed(0x0c | 0x10 * 3, 3, b"", b"L" * 250, b"", 48, b"p")
    s["derived_sha384"] = seed(0x0c | 0x10 * 1, 5, b"", b"derived", bytes(48), 48, bytes(300))
    s["type_zero"] = seed(0x08, 0, b"", b"x", b"", 1, b"r")
    return s


def write_dir(name, seeds):
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    for fname, data in sorted(seeds.items()):
        with open(os.path.join(d, fname), "wb") as fp:
            fp.write(data)
    return len(seeds)


def main():
    total = write_dir("tls_record", record_seeds()) + write_dir("tls_crypto_diff", diff_seeds())
    print("make_tls_seeds.py: wrote %d seeds under %s" % (total, os.path.relpath(CORPUS)))


if __name__ == "__main__":
    main()
