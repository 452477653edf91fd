#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Helpers for `make bench` (mk/bench.sh): a Linux reference echo server and
the benchmark clients. Every client loop is bounded (fixed byte or
connection count, plus a wall-clock limit) and prints one line of
key=value results that mk/bench.sh parses.

  bench_echo.py server ADDR PORT
      RFC 862 echo over TCP with epoll, single-threaded, non-blocking, large
      buffers: the Linux reference. Prints "ready" once listening; stops on
      SIGTERM/SIGINT.
  bench_echo.py bulk HOST PORT MB [--pid PID] [--limit SECONDS]
      One connection: a thread writes MB MiB while the main thread
      reads the echo back; full duplex. Prints mb, secs, and the server
      process's CPU over the timed part: cpu = utime+stime, utime, stime
      (from /proc/PID/stat, clock ticks) and sched (on-CPU seconds from
      /proc/PID/schedstat, ns resolution: the clock utime+stime are cut from).
  bench_echo.py conns HOST PORT COUNT [--pid PID] [--limit SECONDS]
      COUNT sequential connections: connect, send 16 bytes, read the 16-byte
      echo, close. Prints count, secs and the server's CPU.
"""
import errno
import os
import select
import signal
import socket
import sys
import threading
import time

CHUNK = 256 * 1024
RECV = 1024 * 1024
TICK = os.sysconf("SC_CLK_TCK")


def cpu_secs(pid):
    """(utime, stime) of PID in seconds from /proc/PID/stat, or (-1, -1)."""
    if pid is None:
        return (-1.0, -1.0)
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return (-1.0, -1.0)
    # The command name is in parentheses and may hold spaces: split after it.
    fields = data[data.rindex(")") + 2:].split()
    return (int(fields[11]) / TICK, int(fields[12]) / TICK)  # stat fields 14, 15


def cpu_report(c0, c1, k0, k1):
    """key=value pairs for the server CPU spent between two samples."""
    if c0[0] < 0 or c1[0] < 0:
        return {"cpu": -1.0, "utime": -1.0, "stime": -1.0, "sched": -1.0}
    ut, st = c1[0] - c0[0], c1[1] - c0[1]
    return {"cpu": ut + st, "utime": ut, "stime": st, "sched": k1 - k0 if k0 >= 0 and k1 >= 0 else -1.0}


def sched_secs(pid):
    """Time on CPU from /proc/PID/schedstat (ns resolution), or -1."""
    if pid is None:
        return -1.0
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return -1.0


def server(addr, port):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1024)
    ls.setblocking(False)
    ep = select.epoll()
    ep.register(ls.fileno(), select.EPOLLIN)
    conns = {}  # fd -> [socket, unsent bytes of the last read (bytes) or None]
    buf = bytearray(RECV)
    view = memoryview(buf)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    print("ready", flush=True)

    def drop(fd):
        ep.unregister(fd)
        conns.pop(fd)[0].close()

    def send_all(s, data):
        """Sends what the socket takes now; returns the rest (maybe empty)."""
        while data:
            try:
                n = s.send(data)
            except BlockingIOError:
                break
            data = data[n:]
        return data

    while not stop:
        try:
            events = ep.poll(1.0)
        except InterruptedError:
            continue
        for fd, ev in events:
            if fd == ls.fileno():
                for _ in range(64):
                    try:
                        s, _ = ls.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    s.setblocking(False)
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    conns[s.fileno()] = [s, None]
                    ep.register(s.fileno(), select.EPOLLIN)
                continue
            st = conns.get(fd)
            if st is None:
                continue
            s = st[0]
            try:
                if st[1] is not None:
                    rest = send_all(s, st[1])
                    if rest:
                        st[1] = rest
                        continue  # still blocked: wait for EPOLLOUT again
                    st[1] = None
                    ep.modify(fd, select.EPOLLIN)
                # Read and echo until the socket would block or our send blocks.
                while True:
                    try:
                        n = s.recv_into(buf)
                    except BlockingIOError:
                        break
                    if n == 0:
                        s.shutdown(socket.SHUT_WR)
                        drop(fd)
                        break
                    rest = send_all(s, view[:n])
                    if rest:
                        st[1] = bytes(rest)
                        ep.modify(fd, select.EPOLLOUT)
                        break
            except OSError:
                if fd in conns:
                    drop(fd)
    for fd in list(conns):
        drop(fd)
    ls.close()


def parse_opts(args):
    pid, limit = None, 60.0
    i = 0
    while i < len(args):
        if args[i] == "--pid":
            pid = int(args[i + 1])
            i += 2
        elif args[i] == "--limit":
            limit = float(args[i + 1])
            i += 2
        else:
            sys.exit(f"bench_echo.py: unknown option {args[i]}")
    return pid, limit


def report(**kv):
    print(" ".join(f"{k}={v:.6f}" if isinstance(v, float) else f"{k}={v}" for k, v in kv.items()), flush=True)


def bulk(host, port, mb, pid, limit):
    total = mb * 1024 * 1024
    payload = (bytes(range(256)) * (CHUNK // 256))
    s = socket.create_connection((host, port), timeout=min(limit, 10.0))  # a 10 s stall is a failure
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * 1024 * 1024)
    deadline = time.monotonic() + limit
    err = []

    def writer():
        try:
            left = total
            mv = memoryview(payload)
            while left > 0 and time.monotonic() < deadline:
                n = min(left, CHUNK)
                s.sendall(mv[:n])
                left -= n
            s.shutdown(socket.SHUT_WR)
        except OSError as e:
            err.append(f"send: {e}")

    buf = bytearray(RECV)
    c0, k0, t0 = cpu_secs(pid), sched_secs(pid), time.monotonic()
    w = threading.Thread(target=writer, daemon=True)
    w.start()
    got = 0
    first = None
    while got < total:
        if time.monotonic() > deadline:
            err.append(f"timed out after {limit}s with {got} of {total} bytes echoed")
            break
        try:
            n = s.recv_into(buf)
        except socket.timeout:
            err.append("recv timed out")
            break
        except OSError as e:
            err.append(f"recv: {e}")
            break
        if n == 0:
            err.append(f"connection closed after {got} of {total} bytes")
            break
        if first is None:
            first = bytes(buf[:1])
        got += n
    t1, c1, k1 = time.monotonic(), cpu_secs(pid), sched_secs(pid)
    w.join(timeout=5)
    # The peer closes after echoing everything: expect EOF now.
    if not err:
        try:
            s.settimeout(5)
            if s.recv(1) != b"":
                err.append("extra bytes after the echo")
        except OSError as e:
            err.append(f"waiting for EOF: {e}")
    s.close()
    if err:
        print("error: " + "; ".join(err), file=sys.stderr)
        return 1
    report(mb=mb, secs=t1 - t0, **cpu_report(c0, c1, k0, k1))
    return 0


def conns(host, port, count, pid, limit):
    msg = b"atoll-bench-0123"  # 16 bytes
    buf = bytearray(64)
    deadline = time.monotonic() + limit
    c0, k0, t0 = cpu_secs(pid), sched_secs(pid), time.monotonic()
    done = 0
    err = None
    for i in range(count):
        if time.monotonic() > deadline:
            err = f"timed out after {limit}s with {done} of {count} connections"
            break
        try:
            s = socket.create_connection((host, port), timeout=5)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.sendall(msg)
            got = 0
            while got < len(msg):
                n = s.recv_into(buf)
                if n == 0:
                    raise OSError(errno.ECONNRESET, "closed before the echo")
                got += n
            s.close()
        except OSError as e:
            err = f"connection {i}: {e}"
            break
        done += 1
    t1, c1, k1 = time.monotonic(), cpu_secs(pid), sched_secs(pid)
    if err:
        print("error: " + err, file=sys.stderr)
        return 1
    report(count=count, secs=t1 - t0, **cpu_report(c0, c1, k0, k1))
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "server":
        server(argv[1], int(argv[2]))
        return 0
    if len(argv) >= 4 and argv[0] in ("bulk", "conns"):
        pid, limit = parse_opts(argv[4:])
        fn = bulk if argv[0] == "bulk" else conns
        return fn(argv[1], int(argv[2]), int(argv[3]), pid, limit)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
