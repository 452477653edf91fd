# SPDX-License-Identifier: Apache-2.0
"""TCP echo (RFC 862, port 7) checks from Linux. Every mode is bounded:
a connect timeout, a stall timeout (no progress at all for STALL seconds)
and an overall deadline. Exit 0 only if everything came back identical.

  tcp_echo.py stream HOST BYTES [SEED [DEADLINE]]
      one connection: BYTES of seeded random data sent by one thread while
      the main thread reads the echo back; both sides are hashed (SHA-256)
      as they stream, per MiB block and in total, so nothing is held in
      memory and a mismatch names the first bad MiB. Then shutdown(SHUT_WR):
      the echo must end with the server's FIN (EOF) after exactly BYTES.
  tcp_echo.py small HOST [SEED]
      one connection with ~200 request/response exchanges of sizes around
      the interesting boundaries (1, MSS, the 32 KiB buffer...), each read
      back in full before the next; then a dozen short connections, each
      sending one size, shutdown(SHUT_WR), and reading to EOF.
  tcp_echo.py many HOST COUNT BYTES [SEED]
      COUNT connections one after another, BYTES each (send, SHUT_WR, read
      to EOF, compare).

The last line printed is "connections: N" (how many this run opened and
closed cleanly), for the caller to compare with the appliance's counters.
SEED "-" (the default) picks one at random; it is printed, to repeat a run."""
import hashlib
import os
import random
import selectors
import socket
import sys
import threading
import time

PORT = 7
CONNECT_TIMEOUT = 10.0
STALL = 30.0          # seconds without a single byte of progress
BLOCK = 1 << 20       # per-block digests in stream mode
CHUNK = 64 * 1024


def seed_arg(i, default="-"):
    v = sys.argv[i] if len(sys.argv) > i else default
    return int.from_bytes(os.urandom(4), "big") if v == "-" else int(v)


def die(msg):
    print("tcp_echo: FAIL: " + msg, flush=True)
    sys.exit(1)


def connect(host):
    s = socket.create_connection((host, PORT), timeout=CONNECT_TIMEOUT)
    s.settimeout(STALL)
    return s


def stream(host, total, seed, deadline):
    print(f"tcp_echo: stream {total} bytes to {host}:{PORT}, seed {seed}", flush=True)
    start = time.monotonic()
    s = connect(host)
    sent_blocks = []          # sender appends the digest of each block before sending its last byte
    sent_total = hashlib.sha256()
    send_err = []
    sent = [0]

    def sender():
        rng = random.Random(seed)
        blk = hashlib.sha256()
        try:
            off = 0
            while off < total:
                n = min(CHUNK, total - off, BLOCK - off % BLOCK)
                data = rng.randbytes(n)
                blk.update(data)
                sent_total.update(data)
                if (off + n) % BLOCK == 0 or off + n == total:
                    sent_blocks.append(blk.hexdigest())
                    blk = hashlib.sha256()
                s.sendall(data)
                off += n
                sent[0] = off
            s.shutdown(socket.SHUT_WR)
        except OSError as e:
            send_err.append(f"send failed after {sent[0]} bytes: {e!r}")

    t = threading.Thread(target=sender, daemon=True)
    t.start()
    got_total = hashlib.sha256()
    blk = hashlib.sha256()
    buf = bytearray(256 * 1024)
    view = memoryview(buf)
    got = 0
    next_report = time.monotonic() + 10
    while got < total:
        if time.monotonic() - start > deadline:
            die(f"deadline of {deadline:.0f}s reached: {got} of {total} bytes back, {sent[0]} sent")
        if send_err:
            die(send_err[0])
        try:
            n = s.recv_into(view, min(len(buf), BLOCK - got % BLOCK))
        except socket.timeout:
            die(f"no data for {STALL:.0f}s: {got} of {total} bytes back, {sent[0]} sent")
        except OSError as e:
            die(f"recv failed after {got} bytes: {e!r}")
        if n == 0:
            die(f"EOF after only {got} of {total} bytes (sender at {sent[0]})")
        blk.update(view[:n])
        got_total.update(view[:n])
        got += n
        if got % BLOCK == 0 or got == total:
            i = (got - 1) // BLOCK
            if blk.hexdigest() != sent_blocks[i]:
                die(f"MiB block {i} (bytes {i * BLOCK}..{min(total, (i + 1) * BLOCK) - 1}) came back different")
            blk = hashlib.sha256()
        if time.monotonic() > next_report:
            print(f"tcp_echo:   {got >> 20} MiB back after {time.monotonic() - start:.0f}s", flush=True)
            next_report += 10
    try:
        extra = s.recv(4096)
    except socket.timeout:
        die(f"all {total} bytes back but no FIN (EOF) from the server within {STALL:.0f}s")
    except OSError as e:
        die(f"after all {total} bytes, waiting for EOF: {e!r}")
    if extra:
        die(f"{len(extra)} bytes more than were sent came back")
    t.join(5)
    if send_err:
        die(send_err[0])
    s.close()
    el = time.monotonic() - start
    if sent_total.hexdigest() != got_total.hexdigest():
        die("SHA-256 of the data sent and of the echo differ")
    print(f"tcp_echo: {total} bytes echoed identical (sha256 {got_total.hexdigest()[:16]}...), "
          f"clean EOF, {el:.2f}s, {total / el / 1e6:.1f} MB/s", flush=True)
    return 1


def exchange(s, data, deadline_at):
    """Send data and read the same number of bytes back, both at once (the
    echo is flow-controlled, so a large exchange must be read while it is
    written). Returns the bytes read."""
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    out = memoryview(data)
    back = bytearray()
    last = time.monotonic()
    try:
        while len(back) < len(data):
            now = time.monotonic()
            if now > deadline_at:
                die(f"deadline reached in an exchange of {len(data)} bytes ({len(back)} back)")
            if now - last > STALL:
                die(f"exchange of {len(data)} bytes stalled for {STALL:.0f}s ({len(back)} back)")
            if not out:
                sel.modify(s, selectors.EVENT_READ)
            for key, ev in sel.select(1.0):
                if ev & selectors.EVENT_WRITE and out:
                    try:
                        n = s.send(out[:CHUNK])
                        out = out[n:]
                        last = time.monotonic()
                    except BlockingIOError:
                        pass
                if ev & selectors.EVENT_READ:
                    try:
                        chunk = s.recv(CHUNK)
                    except BlockingIOError:
                        continue
                    if not chunk:
                        die(f"EOF in an exchange of {len(data)} bytes after {len(back)}")
                    back += chunk
                    last = time.monotonic()
    finally:
        sel.unregister(s)
        sel.close()
        s.settimeout(STALL)
    return bytes(back)


def first_diff(a, b):
    return next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))


def read_to_eof(s, limit):
    back = bytearray()
    while True:
        try:
            chunk = s.recv(CHUNK)
        except socket.timeout:
            die(f"no EOF within {STALL:.0f}s of the last byte ({len(back)} bytes back)")
        if not chunk:
            return bytes(back)
        back += chunk
        if len(back) > limit:
            die(f"more than {limit} bytes came back")


def one_shot(host, data):
    s = connect(host)
    if data:
        s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    back = read_to_eof(s, len(data))
    s.close()
    if back != data:
        die(f"short connection with {len(data)} bytes: {len(back)} came back, "
            f"first difference at byte {first_diff(back, data)}")


def small(host, seed):
    rng = random.Random(seed)
    sizes = list(range(1, 21))
    for p in range(5, 18):   # 32 .. 131072
        sizes += [(1 << p) - 1, 1 << p, (1 << p) + 1]
    for mss in (1448, 1460):  # with and without timestamps
        sizes += [mss - 1, mss, mss + 1, 2 * mss, 2 * mss + 1, 10 * mss, 10 * mss + 1]
    sizes += [rng.randint(1, 1500) for _ in range(60)]
    sizes += [rng.randint(1500, 70000) for _ in range(30)]
    rng.shuffle(sizes)
    print(f"tcp_echo: small: {len(sizes)} exchanges on one connection (1..{max(sizes)} bytes), seed {seed}",
          flush=True)
    start = time.monotonic()
    deadline_at = start + 90
    s = connect(host)
    for i, n in enumerate(sizes):
        data = rng.randbytes(n)
        back = exchange(s, data, deadline_at)
        if back != data:
            die(f"exchange #{i} of {n} bytes: {len(back)} came back, first difference at byte {first_diff(back, data)}")
    s.shutdown(socket.SHUT_WR)
    rest = read_to_eof(s, 0)
    if rest:
        die(f"{len(rest)} unexpected bytes before EOF")
    s.close()
    conns = 1
    shots = [0, 1, 2, 100, 536, 1448, 1460, 1461, 4096, 32767, 32768, 32769, 100000]
    for n in shots:
        one_shot(host, rng.randbytes(n))
        conns += 1
    print(f"tcp_echo: {len(sizes)} exchanges and {len(shots)} short connections ({shots[0]}..{shots[-1]} bytes) "
          f"identical, every one closed with EOF, {time.monotonic() - start:.2f}s", flush=True)
    return conns


def many(host, count, size, seed):
    rng = random.Random(seed)
    print(f"tcp_echo: {count} connections of {size} bytes, one after another, seed {seed}", flush=True)
    start = time.monotonic()
    for i in range(count):
        if time.monotonic() - start > 90:
            die(f"deadline reached after {i} connections")
        one_shot(host, rng.randbytes(size))
    print(f"tcp_echo: {count} connections identical, {time.monotonic() - start:.2f}s", flush=True)
    return count


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    mode, host = sys.argv[1], sys.argv[2]
    try:
        if mode == "stream":
            conns = stream(host, int(sys.argv[3]), seed_arg(4), float(sys.argv[5]) if len(sys.argv) > 5 else 120.0)
        elif mode == "small":
            conns = small(host, seed_arg(3))
        elif mode == "many":
            conns = many(host, int(sys.argv[3]), int(sys.argv[4]), seed_arg(5))
        else:
            print(__doc__)
            sys.exit(2)
    except (socket.timeout, ConnectionError, OSError) as e:
        die(f"{mode}: {e!r}")
    print(f"connections: {conns}", flush=True)


main()
