#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Holds N idle TLS 1.3 keep-alive connections to one HTTPS server for
mk/bench_https.sh: each connection completes a handshake and one GET, reads
the whole response, then stays open. Prints "ready N" once all are idle and
closes them when stdin closes.

    bench_idle.py IP N CAFILE PATH
"""
import socket
import ssl
import sys


def get_one(ip, ctx, path):
    raw = socket.create_connection((ip, 443), timeout=20)
    s = ctx.wrap_socket(raw, server_hostname="atoll.test")
    s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: atoll.test\r\n\r\n")
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed before the response head")
        buf += chunk
    head, body = buf.split(b"\r\n\r\n", 1)
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        raise RuntimeError("no Content-Length")
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed mid-body")
        body += chunk
    return s


def main():
    ip, n, cafile, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    conns = [get_one(ip, ctx, path) for _ in range(n)]
    print("ready", len(conns), flush=True)
    sys.stdin.read()
    for s in conns:
        s.close()


if __name__ == "__main__":
    main()
