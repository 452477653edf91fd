# SPDX-License-Identifier: Apache-2.0
"""Many concurrent TCP connections to the echo service (port 7), in one
process with selectors. First every connection is opened (non-blocking
connects, all outstanding at once) and the script waits until all N are
established, so N connections are open together; then each sends BYTES of
its own seeded random data while reading the echo back, shuts down its
sending side, and reads to EOF; the echo must be byte-identical and end
with the server's FIN. Bounded: connect phase CONNECT_DEADLINE seconds,
whole run DEADLINE seconds, and a stall timeout (no progress on any
connection). Exit 0 only if all N completed.

  tcp_concurrent.py HOST N BYTES [SEED [ROUNDS]]

ROUNDS repeats the whole thing (one after another, N at a time). The last
line is "connections: TOTAL" (opened and closed cleanly)."""
import errno
import os
import random
import resource
import selectors
import socket
import sys
import time

PORT = 7
CONNECT_DEADLINE = 60.0
DEADLINE = 150.0
STALL = 60.0
CHUNK = 16384

host, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seed = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] != "-" else int.from_bytes(os.urandom(4), "big")
rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 1

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
need = n + 64
if soft < need:
    new = max(need, min(hard, 65536)) if hard != resource.RLIM_INFINITY else max(need, 65536)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, max(hard, new) if hard != resource.RLIM_INFINITY else hard))
    except (ValueError, OSError) as e:
        print(f"tcp_concurrent: FAIL: cannot raise RLIMIT_NOFILE to {need} (soft {soft}, hard {hard}): {e}")
        sys.exit(1)


def die(msg):
    print("tcp_concurrent: FAIL: " + msg, flush=True)
    sys.exit(1)


class Conn:
    __slots__ = ("i", "sock", "data", "out", "back", "connected", "shut", "done")

    def __init__(self, i, data):
        self.i = i
        self.data = data
        self.out = memoryview(data)
        self.back = bytearray()
        self.connected = False
        self.shut = False
        self.done = False
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)


def one_round(r, rng):
    start = time.monotonic()
    sel = selectors.DefaultSelector()
    conns = [Conn(i, rng.randbytes(size)) for i in range(n)]
    # Phase 1: every connect outstanding at once; wait for all of them.
    for c in conns:
        e = c.sock.connect_ex((host, PORT))
        if e not in (0, errno.EINPROGRESS):
            die(f"round {r}: connect #{c.i}: {os.strerror(e)}")
        sel.register(c.sock, selectors.EVENT_WRITE, c)
    up = 0
    while up < n:
        if time.monotonic() - start > CONNECT_DEADLINE:
            die(f"round {r}: only {up} of {n} connections established within {CONNECT_DEADLINE:.0f}s")
        for key, ev in sel.select(1.0):
            c = key.data
            e = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if e:
                die(f"round {r}: connect #{c.i} failed after {up} others were up: {os.strerror(e)}")
            c.connected = True
            up += 1
            sel.unregister(c.sock)
    t_up = time.monotonic() - start
    print(f"tcp_concurrent: round {r}: all {n} connections established together in {t_up:.2f}s", flush=True)
    # Phase 2: all of them send and read back at once.
    for c in conns:
        sel.register(c.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
    done = 0
    last = time.monotonic()
    while done < n:
        now = time.monotonic()
        if now - start > DEADLINE:
            die(f"round {r}: deadline of {DEADLINE:.0f}s: {done} of {n} done; " + stuck(conns))
        if now - last > STALL:
            die(f"round {r}: no progress on any connection for {STALL:.0f}s: {done} of {n} done; " + stuck(conns))
        for key, ev in sel.select(1.0):
            c = key.data
            if ev & selectors.EVENT_WRITE and c.out:
                try:
                    k = c.sock.send(c.out[:CHUNK])
                    c.out = c.out[k:]
                    last = time.monotonic()
                except BlockingIOError:
                    pass
                except OSError as e:
                    die(f"round {r}: send on #{c.i}: {e!r}")
                if not c.out and not c.shut:
                    c.sock.shutdown(socket.SHUT_WR)
                    c.shut = True
                    sel.modify(c.sock, selectors.EVENT_READ, c)
            if ev & selectors.EVENT_READ:
                try:
                    chunk = c.sock.recv(CHUNK)
                except BlockingIOError:
                    continue
                except OSError as e:
                    die(f"round {r}: recv on #{c.i} after {len(c.back)} bytes: {e!r}")
                last = time.monotonic()
                if chunk:
                    c.back += chunk
                    if len(c.back) > size:
                        die(f"round {r}: #{c.i}: more bytes came back than were sent")
                    continue
                if not c.shut:
                    die(f"round {r}: #{c.i}: EOF before we had sent everything ({len(c.back)} back)")
                if bytes(c.back) != c.data:
                    k = next((j for j in range(min(len(c.back), size)) if c.back[j] != c.data[j]),
                             min(len(c.back), size))
                    die(f"round {r}: #{c.i}: {len(c.back)} of {size} bytes came back, first difference at byte {k}")
                sel.unregister(c.sock)
                c.sock.close()
                c.done = True
                done += 1
    sel.close()
    print(f"tcp_concurrent: round {r}: {n} connections x {size} bytes echoed identical, every one ended "
          f"with EOF, {time.monotonic() - start:.2f}s", flush=True)


def stuck(conns):
    left = [c for c in conns if not c.done]
    # Linux's view of a few stuck connections (window, backoff, queues), for the report.
    try:
        import subprocess
        out = subprocess.run(["ss", "-tniH", "state", "connected", "exclude", "time-wait", f"( dport = {PORT} )"],
                             capture_output=True, text=True, timeout=10).stdout.splitlines()
        out = [" ".join(x.split()) for x in out[:10]]
        print("tcp_concurrent: Linux's view (ss -tni) of the first unfinished connections:\n  " + "\n  ".join(out),
              flush=True)
    except (OSError, subprocess.SubprocessError):
        pass
    ex = ", ".join(f"#{c.i} sent {size - len(c.out)} got {len(c.back)}" for c in left[:5])
    return f"{len(left)} unfinished, e.g. {ex}"


print(f"tcp_concurrent: {n} concurrent connections x {size} bytes to {host}:{PORT}, {rounds} round(s), seed {seed}",
      flush=True)
rng = random.Random(seed)
for r in range(1, rounds + 1):
    one_round(r, rng)
print(f"connections: {n * rounds}", flush=True)
