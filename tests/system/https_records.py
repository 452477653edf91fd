#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A TLS 1.3 client that sees the records and segments a server's responses
arrive in (Python's ssl over memory BIOs, the raw stream parsed alongside),
for tests/system/test_https_records.sh and `make bench`.

  small HOST PORT CA PATH N    N keep-alive GETs, one at a time: prints
                               "records R segments S bytes B" per response
                               (means; segments: data segments received,
                               from TCP_INFO; bytes: TLS bytes)
  bulk HOST PORT CA PATH       one GET: prints "records R bytes B full F",
                               B the mean record length, F the share of
                               full (16 KiB plaintext) records, then
                               "nfull K" their count
  pipeline HOST PORT CA PATH N N GETs written as one record; prints how many
                               complete responses came back
  closeextra HOST PORT CA PATH one GET with Connection: close, read slowly,
                               more bytes sent once the server has closed;
                               prints the body length received
  upload413 HOST PORT CA       a POST declaring 10 MB, its body sent on
                               for a second after the head; prints the
                               status, the body length received, and
                               "reset" if sending failed (else "noreset")
  hold HOST PORT CA PATH S     GET PATH with a tiny receive buffer, reads
                               nothing for S seconds, then reads it all;
                               prints the body length (stdout line "sent"
                               once the request is out)
"""
import socket
import ssl
import struct
import sys
import time

FULL = 16384 + 17  # a full record's length: 2^14 plaintext, content type, tag


class Client:
    def __init__(self, host, port, ca, rcvbuf=0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect((host, int(port)))
        ctx = ssl.create_default_context(cafile=ca)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        self.inc, self.out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = ctx.wrap_bio(self.inc, self.out, server_hostname="atoll.test")
        self.raw = b""
        self.records = []  # lengths of the application records received
        self.plain = b""
        while True:
            try:
                self.tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self.flush()
                self.recv()
        self.flush()

    def flush(self):
        d = self.out.read()
        if d:
            self.sock.sendall(d)

    def recv(self, n=65536):
        d = self.sock.recv(n)
        if not d:
            raise EOFError("end of stream")
        self.raw += d
        while len(self.raw) >= 5:
            t, ln = self.raw[0], struct.unpack("!H", self.raw[3:5])[0]
            if len(self.raw) < 5 + ln:
                break
            if t == 23:
                self.records.append(ln)
            self.raw = self.raw[5 + ln:]
        self.inc.write(d)
        while True:
            try:
                p = self.tls.read(65536)
            except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
                break
            if not p:
                break
            self.plain += p

    def send(self, data):
        self.tls.write(data)
        self.flush()

    def data_segs_in(self):
        i = self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 160)
        return struct.unpack_from("I", i, 152)[0]

    def response(self):
        """One whole response off self.plain: (status, body length)."""
        while b"\r\n\r\n" not in self.plain:
            self.recv()
        head, _, rest = self.plain.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        n = 0
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                n = int(v)
        while len(rest) < n:
            self.recv()
            rest = self.plain.partition(b"\r\n\r\n")[2]
        self.plain = rest[n:]
        return status, n


def get(path, extra=""):
    return f"GET {path} HTTP/1.1\r\nHost: atoll.test\r\n{extra}\r\n".encode()


def warm(c):
    """A first exchange, which also brings the session tickets (records
    that are no response's)."""
    c.send(get("/"))
    c.response()
    time.sleep(0.2)
    c.sock.setblocking(False)
    try:
        c.recv()
    except (BlockingIOError, EOFError):
        pass
    c.sock.setblocking(True)
    c.sock.settimeout(10)


def cmd_small(host, port, ca, path, n):
    c = Client(host, port, ca)
    warm(c)
    recs = segs = wire = 0
    for _ in range(int(n)):
        r0, s0 = len(c.records), c.data_segs_in()
        c.send(get(path))
        status, _ = c.response()
        if status != 200:
            raise SystemExit(f"status {status}")
        recs += len(c.records) - r0
        wire += sum(5 + x for x in c.records[r0:])
        segs += c.data_segs_in() - s0
    n = int(n)
    print(f"records {recs / n:.2f} segments {segs / n:.2f} bytes {wire / n:.0f}")


def cmd_bulk(host, port, ca, path):
    c = Client(host, port, ca)
    warm(c)
    r0 = len(c.records)
    c.send(get(path))
    c.response()
    r = c.records[r0:]
    full = sum(1 for x in r if x == FULL)
    print(f"records {len(r)} bytes {sum(r) / len(r):.0f} full {full / len(r):.3f} nfull {full}")


def cmd_pipeline(host, port, ca, path, n):
    c = Client(host, port, ca)
    c.send(b"".join(get(path) for _ in range(int(n))))
    got = 0
    try:
        for _ in range(int(n)):
            status, _ = c.response()
            if status == 200:
                got += 1
    except (EOFError, OSError) as e:
        print(f"stopped: {e}", file=sys.stderr)
    print(got)


def cmd_closeextra(host, port, ca, path):
    c = Client(host, port, ca, rcvbuf=4096)
    c.send(get(path, "Connection: close\r\n"))
    total = None
    try:
        # Read slowly until the rest of the body fits in the server's
        # buffers (so it has handed everything to TCP and closed), then
        # send more, as a client pipelining past the close would.
        while total is None or len(c.plain) < total - 20000:
            c.recv(2048)
            time.sleep(0.001)
            if total is None and b"\r\n\r\n" in c.plain:
                head = c.plain.partition(b"\r\n\r\n")[0]
                total = len(head) + 4 + int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        c.send(get(path) * 4)
        time.sleep(0.3)
        _, got = c.response()
    except (EOFError, OSError) as e:
        print(f"stopped: {e}", file=sys.stderr)
        got = len(c.plain.partition(b"\r\n\r\n")[2])
    print(got)


def cmd_upload413(host, port, ca):
    c = Client(host, port, ca, rcvbuf=4096)
    c.send(b"POST / HTTP/1.1\r\nHost: atoll.test\r\nContent-Length: 10000000\r\n\r\n")
    chunk = b"x" * 16000
    c.sock.settimeout(0.2)
    t = time.time()
    reset = "noreset"
    try:
        while time.time() - t < 1.0:
            c.send(chunk)
    except socket.timeout:
        pass
    except OSError as e:  # the server's reset: a client that stops here never reads the 413
        print(f"upload: {e}", file=sys.stderr)
        reset = "reset"
    c.sock.settimeout(10)
    try:
        status, n = c.response()
        print(status, n, reset)
    except (EOFError, OSError) as e:
        print(f"stopped: {e}", file=sys.stderr)
        print(0, 0, reset)


def cmd_hold(host, port, ca, path, seconds):
    c = Client(host, port, ca, rcvbuf=4096)
    c.send(get(path))
    print("sent", flush=True)
    time.sleep(float(seconds))
    try:
        _, n = c.response()
        print(n)
    except (EOFError, OSError) as e:
        print(f"stopped: {e}", file=sys.stderr)
        print(0)


def main(a):
    cmds = {"small": cmd_small, "bulk": cmd_bulk, "pipeline": cmd_pipeline, "closeextra": cmd_closeextra,
            "upload413": cmd_upload413, "hold": cmd_hold}
    if not a or a[0] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    cmds[a[0]](*a[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
