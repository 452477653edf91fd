# SPDX-License-Identifier: Apache-2.0
"""UDP echo check: N datagrams of random sizes 1..MAX (default 1472, the
largest unfragmented; random bytes) to HOST:7, one at a time; each reply
must be byte-identical. Bounded: a per-datagram timeout and an overall
deadline. Exit 0 only if all matched.

  udp_echo.py HOST [N [SEED [MAX]]]     SEED "-" for a random one"""
import os
import random
import socket
import sys
import time

host = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
seed = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "-" else int.from_bytes(os.urandom(4), "big")
max_size = int(sys.argv[4]) if len(sys.argv) > 4 else 1472
PER_DATAGRAM = 2.0   # seconds to wait for each reply
DEADLINE = 90.0      # seconds for the whole run
MAX_REPORT = 10

rng = random.Random(seed)
print(f"udp_echo: {count} datagrams of 1..{max_size} bytes to {host}:7, seed {seed}", flush=True)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((host, 7))
start = time.monotonic()
ok = lost = bad = 0
outstanding = {}   # payloads that timed out, in case they turn up late
problems = []
sizes = [1, max_size][:count]  # both ends of the range for certain, the rest random
sizes += [rng.randint(1, max_size) for _ in range(count - len(sizes))]
for i, size in enumerate(sizes[:count]):
    if time.monotonic() - start > DEADLINE:
        problems.append(f"overall deadline of {DEADLINE}s reached after {i} datagrams")
        lost += count - i
        break
    data = rng.randbytes(size)
    s.send(data)
    t_end = time.monotonic() + PER_DATAGRAM
    got = None
    while True:
        left = t_end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            reply = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionRefusedError:
            problems.append(f"#{i} size {size}: ICMP port unreachable (ECONNREFUSED)")
            break
        if reply == data:
            got = reply
            break
        if reply in outstanding.values():
            problems.append(f"late reply to an earlier datagram (size {len(reply)}) arrived during #{i}")
            continue
        got = reply
        break
    if got is None:
        lost += 1
        outstanding[i] = data
        if len(problems) < MAX_REPORT:
            problems.append(f"#{i} size {size}: no reply within {PER_DATAGRAM}s")
    elif got != data:
        bad += 1
        first = next((k for k in range(min(len(got), len(data))) if got[k] != data[k]), min(len(got), len(data)))
        if len(problems) < MAX_REPORT:
            problems.append(f"#{i} size {size}: reply of {len(got)} bytes differs (first difference at byte {first})")
    else:
        ok += 1
elapsed = time.monotonic() - start
print(f"udp_echo: {ok} identical, {lost} lost, {bad} different, in {elapsed:.1f}s (seed {seed})")
for p in problems[:MAX_REPORT]:
    print("  " + p)
sys.exit(0 if ok == count and not problems else 1)
