#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""What curl cannot send: raw HTTP requests over TLS (or plain TCP) to the
site appliance, for tests/system/test_https_site.sh. Each subcommand prints
what it saw and exits 0 when the server behaved, 1 with the reason if not.

  raw HOST PORT CA REQUEST     one request (Python string escapes allowed);
                               prints the response head, exits 0 always
                               unless the connection failed
  pipeline HOST PORT CA PATH.. every request in one write; checks each
                               response in order (status 200, body length)
  keepalive HOST PORT CA N M SITE PATH..
                               N threads, each M requests on one connection,
                               bodies compared with the files under SITE
  slowloris HOST PORT CA N SECONDS
                               N connections trickling a request head one
                               field per second; prints how many the server
                               closed (it must: header timeout or eviction)
  chaos HOST PORT CA N SEED    N connections ending badly (resets, garbage,
                               half-closes, close_notify first, ...)
  stall HOST PORT CA PATH S    requests PATH and reads nothing for S seconds
                               (the server must drop it: its stall timeout)
"""
import os
import socket
import ssl
import sys
import threading
import time


def connect(host, port, ca, tls=True, timeout=10):
    s = socket.create_connection((host, int(port)), timeout=timeout)
    if not tls:
        return s
    ctx = ssl.create_default_context(cafile=ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    return ctx.wrap_socket(s, server_hostname="atoll.test")


def read_response(f):
    """One response from a file-like socket: (status, headers, body)."""
    line = f.readline()
    if not line:
        raise EOFError("connection closed before a status line")
    parts = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    status = int(parts[1])
    headers = {}
    while True:
        h = f.readline()
        if h in (b"\r\n", b""):
            break
        k, _, v = h.decode("latin-1").partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    body = f.read(n) if n else b""
    return status, headers, body


def cmd_raw(host, port, ca, request):
    tls = ca != "-"
    s = connect(host, port, ca, tls)
    s.sendall(request.encode("latin-1").decode("unicode_escape").encode("latin-1"))
    s.settimeout(15)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    print(head if head else "(no response)")
    return 0


def cmd_pipeline(host, port, ca, paths):
    s = connect(host, port, ca)
    reqs = "".join("GET %s HTTP/1.1\r\nHost: atoll.test\r\n\r\n" % p for p in paths)
    s.sendall(reqs.encode())
    f = s.makefile("rb")
    for p in paths:
        status, headers, body = read_response(f)
        print("%s -> %d, %d bytes" % (p, status, len(body)))
        if status != 200 or len(body) != int(headers["content-length"]):
            print("pipelined %s: status %d" % (p, status))
            return 1
    return 0


def cmd_keepalive(host, port, ca, nthreads, nreq, site, paths):
    want = {p: open(os.path.join(site, p.lstrip("/")), "rb").read() for p in paths}
    errors = []
    done = [0]
    lock = threading.Lock()

    def worker(k):
        try:
            s = connect(host, port, ca, timeout=60)
            f = s.makefile("rb")
            for i in range(nreq):
                p = paths[(k + i) % len(paths)]
                s.sendall(("GET %s HTTP/1.1\r\nHost: atoll.test\r\n\r\n" % p).encode())
                status, headers, body = read_response(f)
                if status != 200 or body != want[p]:
                    raise ValueError("%s: status %d, %d bytes" % (p, status, len(body)))
                if headers.get("connection", "").lower() == "close":
                    raise ValueError("%s: the server closed a keep-alive connection" % p)
                with lock:
                    done[0] += 1
            s.close()
        except Exception as e:  # noqa: BLE001 - every failure is reported
            with lock:
                errors.append("thread %d: %s" % (k, e))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(nthreads)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("%d requests on %d keep-alive connections in %.1f s" % (done[0], nthreads, time.time() - t0))
    for e in errors[:10]:
        print(e)
    return 0 if not errors and done[0] == nthreads * nreq else 1


def cmd_slowloris(host, port, ca, n, seconds):
    socks = []
    for i in range(n):
        try:
            s = connect(host, port, ca, timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: atoll.test\r\n")
            s.settimeout(0.01)
            socks.append(s)
        except (OSError, ssl.SSLError):
            pass  # refused or evicted during the handshake: the server defends itself
    opened = len(socks)
    closed = 0
    t_end = time.time() + seconds
    k = 0
    while time.time() < t_end and socks:
        k += 1
        alive = []
        for s in socks:
            try:
                s.sendall(b"X-Slow-%d: x\r\n" % k)
                try:
                    if s.recv(4096) == b"":
                        raise ConnectionResetError()
                except (socket.timeout, ssl.SSLWantReadError):
                    pass
                alive.append(s)
            except (OSError, ssl.SSLError):
                closed += 1
        socks = alive
        time.sleep(1)
    print("slowloris: %d opened, %d closed by the server, %d still open" % (opened, closed, len(socks)))
    for s in socks:
        s.close()
    return 0


def cmd_stall(host, port, ca, path, seconds):
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.settimeout(10)
    raw.connect((host, int(port)))
    ctx = ssl.create_default_context(cafile=ca)
    s = ctx.wrap_socket(raw, server_hostname="atoll.test")
    s.sendall(("GET %s HTTP/1.1\r\nHost: atoll.test\r\n\r\n" % path).encode())
    time.sleep(seconds)  # never reading: the server's window to us closes
    print("stall: held %s unread for %.0f s" % (path, seconds))
    return 0


def cmd_chaos(host, port, ca, n, seed):
    """n connections, each ending badly in one of several ways; prints a
    tally. The server must survive and free every slot (the caller checks)."""
    import random
    import struct
    rnd = random.Random(int(seed))
    tally = {}

    def rst(sock):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    for i in range(n):
        kind = rnd.choice(["rst-at-once", "garbage-tls", "garbage-plain-443", "rst-mid-body",
                           "half-close", "close-notify-first", "garbage-after-handshake", "fin-mid-head"])
        tally[kind] = tally.get(kind, 0) + 1
        try:
            if kind == "rst-at-once":
                rst(socket.create_connection((host, int(port)), timeout=5))
            elif kind == "garbage-plain-443":
                s = socket.create_connection((host, int(port)), timeout=5)
                s.sendall(bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 3000))))
                s.close()
            elif kind == "garbage-tls":
                s = socket.create_connection((host, int(port)), timeout=5)
                s.sendall(b"\x16\x03\x01" + bytes(rnd.getrandbits(8) for _ in range(rnd.randint(2, 600))))
                s.close()
            else:
                s = connect(host, port, ca)
                if kind == "rst-mid-body":
                    s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: atoll.test\r\n\r\n")
                    s.recv(rnd.randint(1, 60000))
                    rst(s)
                elif kind == "half-close":
                    s.sendall(b"GET /index.html HTTP/1.1\r\nHost: atoll.test\r\nConnection: close\r\n\r\n")
                    f = s.makefile("rb")
                    status, _, _ = read_response(f)
                    if status != 200:
                        raise ValueError("half-close: status %d" % status)
                    s.close()
                elif kind == "close-notify-first":
                    s.unwrap()
                    s.close()
                elif kind == "garbage-after-handshake":
                    s.sendall(bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 3000))))
                    s.close()
                elif kind == "fin-mid-head":
                    s.sendall(b"GET /index.html HTTP/1.1\r\nHo")
                    s.close()
        except (OSError, ssl.SSLError, EOFError):
            pass  # the server may cut us off: that is what it should do
    print("chaos: " + ", ".join("%s %d" % kv for kv in sorted(tally.items())))
    return 0


def main(a):
    cmd = a[0]
    if cmd == "raw":
        return cmd_raw(a[1], a[2], a[3], a[4])
    if cmd == "pipeline":
        return cmd_pipeline(a[1], a[2], a[3], a[4:])
    if cmd == "keepalive":
        return cmd_keepalive(a[1], a[2], a[3], int(a[4]), int(a[5]), a[6], a[7:])
    if cmd == "slowloris":
        return cmd_slowloris(a[1], a[2], a[3], int(a[4]), float(a[5]))
    if cmd == "chaos":
        return cmd_chaos(a[1], a[2], a[3], int(a[4]), a[5])
    if cmd == "stall":
        return cmd_stall(a[1], a[2], a[3], a[4], float(a[5]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
