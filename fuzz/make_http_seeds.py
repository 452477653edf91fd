#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Seeds for fuzz/fuzz_http.c in fuzz/corpus/http/ (stdlib only).

Record format (see the harness): a config byte, then records of a length
byte L and L request bytes; L == 0 fires the timers, L == 255 is the
peer's EOF. Requests longer than 254 bytes are split into records."""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "http")


def records(*parts):
    out = bytearray()
    for p in parts:
        if p == "TIMER":
            out.append(0)
        elif p == "EOF":
            out.append(255)
        else:
            b = p.encode("latin-1") if isinstance(p, str) else p
            for i in range(0, len(b), 254):
                c = b[i:i + 254]
                out.append(len(c))
                out += c
    return bytes(out)


def get(path, extra=""):
    return "GET %s HTTP/1.1\r\nHost: example.org\r\n%s\r\n" % (path, extra)


SEEDS = {
    "get_index": (0, [get("/")]),
    "get_chunked_send": (0x20, [get("/big.txt")]),
    "head": (0, ["HEAD /a%20b.html HTTP/1.1\r\nHost: a\r\n\r\n"]),
    "pipelined": (0x40, [get("/") + get("/blog") + "HEAD /css/site.css HTTP/1.1\r\nHost: a\r\n\r\n" + get("/nope")]),
    "split_head": (0, ["GET /a%20b", ".html HTTP/1.1\r\nHo", "st: a\r\n", "\r\n"]),
    "gzip": (0x60, [get("/css/site.css", "Accept-Encoding: gzip, br\r\n")]),
    "inm_304": (0, [get("/", "If-None-Match: W/\"x\", \"home\"\r\n")]),
    "ims_304": (0, [get("/", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n")]),
    "range": (0, [get("/big.txt", "Range: bytes=10-19\r\n") + get("/big.txt", "Range: bytes=-5\r\n")]),
    "range_unsat": (0, [get("/big.txt", "Range: bytes=300-\r\n")]),
    "if_range": (0, [get("/big.txt", "Range: bytes=0-1\r\nIf-Range: \"big\"\r\n")]),
    "post_body": (0, ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" + get("/")]),
    "te_chunked": (0, ["GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"]),
    "http10_keepalive": (0, ["GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n"]),
    "close": (0, [get("/", "Connection: close\r\n") + get("/")]),
    "timeout_408": (0, ["GET / HTTP/1.1\r\n", "TIMER"]),
    "idle_timeout": (0, [get("/"), "TIMER", get("/")]),
    "eof_writing": (0x20, [get("/big.txt"), "EOF"]),
    "redirect_https": (0x11, [get("/a?b"), "GET http://x/y HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"]),
    "busy": (0x02, [get("/")]),
    "max_requests": (0x04, [get("/") * 4]),
    "bad_version": (0, ["GET / HTTP/2.0\r\nHost: a\r\n\r\n"]),
    "bad_fold": (0, ["GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n"]),
    "bare_lf": (0, ["GET / HTTP/1.1\nHost: a\n\n"]),
    "long_target": (0, ["GET /" + "a" * 5000 + " HTTP/1.1\r\nHost: a\r\n\r\n"]),
    "no_404_page": (0x08, [get("/missing")]),
    "dots": (0, [get("/blog/../%2e%2e/a%20b.html?x")]),
    "absolute_form": (0, ["GET http://example.org/blog/ HTTP/1.1\r\nHost: example.org\r\n\r\n"]),
    "cl_dup": (0, ["GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"]),
    "leading_crlf": (0, ["\r\n\r\n" + get("/")]),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (flags, parts) in sorted(SEEDS.items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(bytes([flags]) + records(*parts))
    print("fuzz/make_http_seeds.py: %d seeds in %s" % (len(SEEDS), OUT))


if __name__ == "__main__":
    main()
