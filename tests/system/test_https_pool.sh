#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Pool exhaustion waits, it does not fail: in --memory 2M the plan has 7
# buffer sets and 15 TCP buffers, and 20 clients download a 2 MB file at
# once (each transfer holds a set while its records wait for TCP). The
# connections without a set wait for one; every client gets its file byte
# for byte, nothing is reset or refused, the waits are counted, and with
# the transfers over every set is back in the pool (at exit, only the
# slowloris below hold sets). Then as many
# slowloris connections as there are sets each send the first bytes of a
# ClientHello and fall silent, holding every set: an ordinary client is
# still served within seconds, because a set held for a second by a
# connection that loses nothing when closed is reclaimed for it.
. "$(dirname "$0")/lib.sh"
require curl openssl
CLIENTS=20
small_site_image 2000000
ns_setup
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --ip 10.0.0.2/24 --site "$TMPD/site.img" --max-conns 32 --memory 2M
grep -E '^atoll: info: memory: ' "$ATOLL_LOG" | sed 's/^/    /'
sets=$(sed -nE 's/^atoll: info: memory: .* ([0-9]+) buffer sets .*/\1/p' "$ATOLL_LOG")
[ -n "$sets" ] && [ "$sets" -lt "$CLIENTS" ] || fail "the plan has ${sets:-no} buffer sets, expected fewer than $CLIENTS"
pids=()
for i in $(seq "$CLIENTS"); do
    in_ns curl -sS --max-time 120 --cacert "$CERTS/ca.pem" --resolve "atoll.test:443:$ATOLL_IP" \
        -o "$TMPD/big.$i" https://atoll.test/big.bin 2>"$TMPD/curl.$i.err" &
    pids+=($!)
done
bad=0
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { bad=$((bad + 1)); sed 's/^/    /' "$TMPD/curl.$((i + 1)).err"; }
done
[ "$bad" = 0 ] || fail "$bad of $CLIENTS downloads failed"
for i in $(seq "$CLIENTS"); do
    cmp -s "$TMPD/big.$i" "$TMPD/site/big.bin" || fail "download $i differs"
done
say "ok: $CLIENTS concurrent 2 MB downloads through $sets buffer sets, all byte-identical"
atoll_alive
cat >"$TMPD/hold.py" <<'EOF'
import socket, sys, time
conns = []
for _ in range(int(sys.argv[2])):
    c = socket.create_connection((sys.argv[1], 443), timeout=10)
    c.sendall(b"\x16\x03\x01")  # a record header begun, never finished
    conns.append(c)
print("holding", len(conns), flush=True)
time.sleep(30)
EOF
bg_ns "$TMPD/hold.out" "$PY" "$TMPD/hold.py" "$ATOLL_IP" "$sets"
wait_for_line "$TMPD/hold.out" '^holding' 10 || fail "the slowloris connections did not start: $(cat "$TMPD/hold.out")"
sleep 0.5
t0=$(date +%s%N)
in_ns curl -sS --max-time 5 --cacert "$CERTS/ca.pem" --resolve "atoll.test:443:$ATOLL_IP" -o "$TMPD/index" \
    https://atoll.test/index.html || fail "an ordinary client was not served while $sets slowloris held every set"
cmp -s "$TMPD/index" "$TMPD/site/index.html" || fail "index.html differs"
say "ok: served in $((($(date +%s%N) - t0) / 1000000)) ms while $sets slowloris connections held every set"
sleep 0.5
atoll_stop
sed -nE 's/^atoll: info: (web|buffers): /    \1: /p' "$ATOLL_LOG"
line=$(grep -E '^atoll: info: buffers: ' "$ATOLL_LOG") || fail "no buffers line at exit"
waited=$(sed -nE 's/.* waited=([0-9]+).*/\1/p' <<<"$line")
[ "${waited:-0}" -gt 0 ] || fail "no connection waited for a set: $line"
grep -Eq " sets_peak=$sets of $sets " <<<"$line" || fail "the pool was not exhausted: $line"
grep -Eq '^atoll: info: web: .* evicted=0 busy_503=0 refused=0 ' "$ATOLL_LOG" || fail "connections evicted or refused"
reclaimed=$(sed -nE 's/.* reclaimed=([0-9]+).*/\1/p' <<<"$line")
[ "${reclaimed:-0}" -ge 1 ] || fail "no set was reclaimed from a slowloris: $line"
# At exit only the slowloris still open hold sets: the downloads gave theirs back.
open=$(sed -nE 's/.* open=([0-9]+).*/\1/p' <<<"$line")
grep -q " sets_in_use=$open " <<<"$line" || fail "sets lent beyond the slowloris still open: $line"
[ "$open" -eq $((sets - reclaimed)) ] || fail "expected $((sets - reclaimed)) slowloris open: $line"
pass "$CLIENTS downloads through $sets buffer sets: $waited waits, none failed; $reclaimed sets reclaimed from slowloris"
