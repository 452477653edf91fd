#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Holds N idle TLS 1.3 keep-alive connections to one HTTPS server (for
mk/bench_https.sh and tests/system/test_idle_conns.sh): each connection
completes a handshake and one GET, reads the whole response, then stays
open. WORKERS processes share the work (handshakes in parallel; the file
limit is raised for the sockets). Prints "ready N" once all are idle, then
reads commands on stdin:

    probe K   one more GET on K of the held connections, spread over all
              of them: prints "probed K" when every answer was complete
              (a connection the server dropped fails it)

and closes everything when stdin closes.

    bench_idle.py IP N CAFILE PATH [WORKERS]
"""
import os
import resource
import socket
import ssl
import sys


def request(s, path):
    s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: atoll.test\r\n\r\n")
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed before the response head")
        buf += chunk
    head, body = buf.split(b"\r\n\r\n", 1)
    if not head.startswith(b"HTTP/1.1 200 "):
        raise RuntimeError("status " + head.split(b"\r\n")[0].decode(errors="replace"))
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


def get_one(ip, ctx, path):
    raw = socket.create_connection((ip, 443), timeout=30)
    s = ctx.wrap_socket(raw, server_hostname="atoll.test")
    request(s, path)
    return s


def worker(ip, n, cafile, path, cmd_r, rep_w):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    out = os.fdopen(rep_w, "w", buffering=1)
    try:
        conns = [get_one(ip, ctx, path) for _ in range(n)]
    except Exception as e:  # one line for the parent, which gives up
        out.write("error %s\n" % e)
        return
    out.write("ready %d\n" % len(conns))
    for line in os.fdopen(cmd_r):
        k = int(line.split()[1])
        try:
            step = max(1, len(conns) // k) if k else 1
            picked = conns[::step][:k]
            for s in picked:
                request(s, path)
            out.write("probed %d\n" % len(picked))
        except Exception as e:
            out.write("error probe: %s\n" % e)
    for s in conns:
        s.close()


def main():
    ip, n, cafile, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    workers = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    want = n + 64 * workers + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
    kids = []
    for w in range(workers):
        share = n // workers + (1 if w < n % workers else 0)
        cmd_r, cmd_w = os.pipe()
        rep_r, rep_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(cmd_w)
            os.close(rep_r)
            for _, cmd, rep in kids:  # the earlier workers' pipes: their EOF must not wait for us
                cmd.close()
                rep.close()
            worker(ip, share, cafile, path, cmd_r, rep_w)
            os._exit(0)
        os.close(cmd_r)
        os.close(rep_w)
        kids.append((pid, os.fdopen(cmd_w, "w", buffering=1), os.fdopen(rep_r)))

    def collect(word):
        total = 0
        for _, _, rep in kids:
            line = rep.readline().split()
            if not line or line[0] != word:
                sys.stderr.write("bench_idle: worker: %s\n" % " ".join(line or ["gone"]))
                return None
            total += int(line[1])
        return total

    total = collect("ready")
    if total is None:
        sys.exit(1)
    print("ready", total, flush=True)
    for line in sys.stdin:
        if line.split()[:1] == ["probe"]:
            k = int(line.split()[1])
            for i, (_, cmd, _) in enumerate(kids):
                cmd.write("probe %d\n" % (k // workers + (1 if i < k % workers else 0)))
            got = collect("probed")
            if got is None:
                sys.exit(1)
            print("probed", got, flush=True)
    for pid, cmd, _ in kids:
        cmd.close()
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
