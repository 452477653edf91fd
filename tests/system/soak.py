#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The ordinary clients and the hostile peers of tests/system/test_soak.sh.
Every mode runs until its deadline (SECONDS from start) and stops by itself.

  ordinary HOST CA SITE SECONDS THREADS
      THREADS clients, each in a loop: a new TLS connection, 1..6 keep-alive
      GETs of files under SITE (bodies compared byte for byte), sometimes a
      2 MB body, then close. Every request must be answered: prints
      "ordinary: N requests, N connections, 0 failed" and exits 1 on any
      failure (status other than 200, short or wrong body, reset, timeout).
  pipeline HOST CA SITE SECONDS DEPTH
      one connection after another, each with DEPTH requests in one write;
      every response must arrive, in order, complete.
  abandon HOST TAP SECONDS N SPORT_BASE
      zero-window abandoners (scapy, raw): N connections to port 80 from
      ports SPORT_BASE.. that send "GET / ... Connection: close" while
      advertising a zero receive window, then never send anything again:
      the redirect sits unsent behind the closed window of a connection the
      server has closed (an orphan). The caller
      keeps the kernel from resetting them (it has no socket for them).
      Repeats with fresh ports until the deadline.
"""
import os
import random
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from https_probe import connect, read_response  # noqa: E402


def site_files(site):
    out = {}
    for root, _, files in os.walk(site):
        for f in files:
            p = os.path.join(root, f)
            out["/" + os.path.relpath(p, site)] = open(p, "rb").read()
    return out


def cmd_ordinary(host, ca, site, seconds, nthreads):
    files = site_files(site)
    small = sorted(p for p, b in files.items() if len(b) < 100000)
    big = sorted(p for p, b in files.items() if len(b) >= 100000)
    deadline = time.time() + seconds
    lock = threading.Lock()
    stats = {"requests": 0, "connections": 0}
    errors = []

    def worker(k):
        rnd = random.Random(k)
        while time.time() < deadline and not errors:
            n = rnd.randint(1, 6)
            try:
                s = connect(host, 443, ca, timeout=30)
                f = s.makefile("rb")
                for i in range(n):
                    p = rnd.choice(big) if big and rnd.random() < 0.05 else rnd.choice(small)
                    last = i == n - 1
                    s.sendall(("GET %s HTTP/1.1\r\nHost: atoll.test\r\n%s\r\n"
                               % (p, "Connection: close\r\n" if last and rnd.random() < 0.5 else "")).encode())
                    status, _, body = read_response(f)
                    if status != 200 or body != files[p]:
                        raise ValueError("%s: status %d, %d bytes (want %d)" % (p, status, len(body), len(files[p])))
                    with lock:
                        stats["requests"] += 1
                s.close()
                with lock:
                    stats["connections"] += 1
            except Exception as e:  # noqa: BLE001 - every failure is reported
                with lock:
                    errors.append("client %d at %.1f s before the end: %r" % (k, deadline - time.time(), e))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("ordinary: %d requests, %d connections, %d failed" % (stats["requests"], stats["connections"], len(errors)))
    for e in errors[:5]:
        print("ordinary: FAIL: " + e)
    return 1 if errors or stats["requests"] == 0 else 0


def cmd_pipeline(host, ca, site, seconds, depth):
    files = site_files(site)
    small = sorted(p for p, b in files.items() if len(b) < 100000)
    rnd = random.Random(depth)
    deadline = time.time() + seconds
    rounds = 0
    while time.time() < deadline:
        paths = [rnd.choice(small) for _ in range(depth)]
        try:
            s = connect(host, 443, ca, timeout=30)
            s.sendall("".join("GET %s HTTP/1.1\r\nHost: atoll.test\r\n\r\n" % p for p in paths).encode())
            f = s.makefile("rb")
            for i, p in enumerate(paths):
                status, _, body = read_response(f)
                if status != 200 or body != files[p]:
                    raise ValueError("response %d (%s): status %d, %d bytes" % (i + 1, p, status, len(body)))
            s.close()
        except Exception as e:  # noqa: BLE001
            print("pipeline: FAIL: round %d, depth %d: %r" % (rounds + 1, depth, e))
            return 1
        rounds += 1
    print("pipeline: %d connections of %d requests, every response complete" % (rounds, depth))
    return 0 if rounds else 1


def cmd_abandon(host, tap, seconds, n, sport_base):
    from scapy.all import IP, TCP, AsyncSniffer, conf
    conf.verb = 0
    out = conf.L3socket()
    deadline = time.time() + seconds
    sent = 0
    gen = 0
    while time.time() < deadline:
        ports = [sport_base + (gen * n + i) % 2500 for i in range(n)]
        gen += 1
        isn = {p: random.getrandbits(32) for p in ports}
        synacks = {}

        def mine(pkt):
            return pkt.haslayer(TCP) and pkt[IP].src == host and pkt[TCP].sport == 80 and pkt[TCP].dport in isn

        sn = AsyncSniffer(iface=tap, lfilter=mine, store=True)
        sn.start()
        time.sleep(0.2)
        for p in ports:
            out.send(IP(dst=host) / TCP(sport=p, dport=80, flags="S", seq=isn[p], window=1024,
                                        options=[("MSS", 1460)]))
        time.sleep(1.0)
        sn.stop()
        for pkt in sn.results or []:
            t = pkt[TCP]
            if str(t.flags) == "SA":
                synacks[t.dport] = t.seq
        for p, srv in synacks.items():
            out.send(IP(dst=host) / TCP(sport=p, dport=80, flags="PA", seq=isn[p] + 1, ack=srv + 1, window=0)
                     / b"GET / HTTP/1.1\r\nHost: atoll.test\r\nConnection: close\r\n\r\n")
            sent += 1
        time.sleep(0.5)
    print("abandon: %d zero-window connections left silent" % sent)
    return 0


def main(a):
    if a[0] == "ordinary":
        return cmd_ordinary(a[1], a[2], a[3], float(a[4]), int(a[5]))
    if a[0] == "pipeline":
        return cmd_pipeline(a[1], a[2], a[3], float(a[4]), int(a[5]))
    if a[0] == "abandon":
        return cmd_abandon(a[1], a[2], float(a[3]), int(a[4]), int(a[5]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
