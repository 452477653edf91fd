# SPDX-License-Identifier: Apache-2.0
"""RSTs both ways against the appliance at HOST (echo on port 7).

1. Closed ports: connect() must fail with ECONNREFUSED at the first SYN
   (well under Linux's 1 s SYN retransmission).
2. An established, idle echo connection is aborted by the client
   (SO_LINGER {1, 0}: close() sends RST).
3. A connection aborted in the middle of a transfer: the client has sent
   more than the windows hold and has not read the echo, so the appliance
   has data queued both ways when the RST arrives.
After each abort, a crafted ACK (scapy) on the old port pair must be
answered with RST (RFC 9293 3.10.7.1: no connection any more); the same
probe on a live connection, as a control, is answered without RST.

  tcp_rst.py HOST TAP
Prints "aborted: N" and "connections: N" (opened on port 7) at the end."""
import errno
import random
import socket
import struct
import sys
import threading
import time

from scapy.all import IP, TCP, AsyncSniffer, conf, send

conf.verb = 0
host, tap = sys.argv[1], sys.argv[2]
PORT = 7
problems = []


def die(msg):
    print("tcp_rst: FAIL: " + msg, flush=True)
    sys.exit(1)


def probe(sport):
    """Sends an ACK with arbitrary numbers from sport to HOST:7; returns the
    flags of the appliance's answer ('R...' for a reset) or None."""
    seq = random.getrandbits(32)
    ack = random.getrandbits(32)
    got = []

    def mine(p):
        return p.haslayer(TCP) and p[IP].src == host and p[TCP].sport == PORT and p[TCP].dport == sport

    sn = AsyncSniffer(iface=tap, lfilter=mine, store=True, count=1, timeout=3)
    sn.start()
    time.sleep(0.3)
    send(IP(dst=host) / TCP(sport=sport, dport=PORT, flags="A", seq=seq, ack=ack, window=1000))
    sn.join(4)
    if sn.running:
        sn.stop()
    res = sn.results or []
    if not res:
        return None, None
    t = res[0][TCP]
    return str(t.flags), t


def echo_ok(s, n=1000):
    data = random.randbytes(n)
    s.sendall(data)
    back = b""
    while len(back) < n:
        chunk = s.recv(n - len(back))
        if not chunk:
            die("EOF in a short echo")
        back += chunk
    if back != data:
        die("short echo differs")


# 1. closed ports
for port in (1, 9, 80, 443, 8080, 65535):
    s = socket.socket()
    s.settimeout(5)
    t0 = time.monotonic()
    try:
        s.connect((host, port))
        die(f"port {port}: connect() succeeded on a closed port")
    except ConnectionRefusedError:
        el = time.monotonic() - t0
    except socket.timeout:
        die(f"port {port}: no answer to SYN within 5 s (expected RST)")
    finally:
        s.close()
    if el > 0.9:
        die(f"port {port}: ECONNREFUSED only after {el:.2f}s: the first SYN was not answered with RST")
    print(f"tcp_rst: closed port {port}: ECONNREFUSED in {el * 1000:.1f} ms", flush=True)

opened = 0
aborted = 0
linger0 = struct.pack("ii", 1, 0)

# 2. idle abort, with a control probe while it is alive
s = socket.create_connection((host, PORT), timeout=10)
opened += 1
echo_ok(s)
sport = s.getsockname()[1]
flags, t = probe(sport)
if flags is None:
    die(f"control: no answer to a stray ACK on live connection (port {sport})")
if "R" in flags:
    die(f"control: the live connection (port {sport}) answered a stray ACK with RST ({flags})")
print(f"tcp_rst: control: a stray ACK on the live connection is answered with [{flags}], not RST", flush=True)
echo_ok(s)   # and the connection is still fine
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger0)
s.close()
aborted += 1
time.sleep(0.3)
flags, t = probe(sport)
if flags is None or "R" not in flags:
    die(f"after the idle abort: a stray ACK on port {sport} was answered with {flags}, expected RST "
        "(the connection is still there?)")
print(f"tcp_rst: idle connection aborted (RST); afterwards a stray ACK gets [{flags}]: gone", flush=True)

# 3. abort in the middle of a transfer
s = socket.create_connection((host, PORT), timeout=10)
opened += 1
sport = s.getsockname()[1]
s.setblocking(False)
sent = 0
payload = random.randbytes(65536)
t0 = time.monotonic()
while time.monotonic() - t0 < 2.0 and sent < 4 << 20:
    try:
        sent += s.send(payload)
    except BlockingIOError:
        time.sleep(0.01)
# read a little of the echo, not all: data is queued both ways
s.setblocking(True)
s.settimeout(5)
got = len(s.recv(10000))
print(f"tcp_rst: mid-transfer: {sent} bytes written (flow-controlled), {got} read back, now RST", flush=True)
if sent < 200000:
    die(f"only {sent} bytes could be written: the echo did not take data?")
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger0)
s.close()
aborted += 1
time.sleep(0.5)
flags, t = probe(sport)
if flags is None or "R" not in flags:
    die(f"after the mid-transfer abort: a stray ACK on port {sport} was answered with {flags}, expected RST")
print(f"tcp_rst: mid-transfer connection aborted; afterwards a stray ACK gets [{flags}]: gone", flush=True)

# 4. a connection afterwards works
s = socket.create_connection((host, PORT), timeout=10)
opened += 1
echo_ok(s, 100000)
s.shutdown(socket.SHUT_WR)
if s.recv(10) != b"":
    die("no clean EOF on the connection after the aborts")
s.close()
print("tcp_rst: a new connection after the aborts echoes and closes cleanly", flush=True)
print(f"aborted: {aborted}")
print(f"connections: {opened}", flush=True)
