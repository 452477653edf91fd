#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Density: 10,000 idle TLS 1.3 keep-alive connections (handshake and one
# GET each, then held open by mk/bench_idle.py in the namespace) while an
# ordinary client is still served, byte for byte; the appliance's resident
# memory stays under 64 MB, site image included. The appliance's own
# accounting agrees: at exit, with every connection still open, none of
# them holds a buffer set (sets_in_use=0), and nothing was evicted or
# refused. A sample of the held connections answers again at the end, so
# they were really kept. IDLE_CONNS (default 10000) scales it.
. "$(dirname "$0")/lib.sh"
require curl openssl
N=${IDLE_CONNS:-10000}
small_site_image 2000000
ns_setup
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --ip 10.0.0.2/24 --site "$TMPD/site.img" --max-conns 16384 --memory 64M --idle-timeout 600 \
    --header-timeout 60
grep -E '^atoll: info: memory: ' "$ATOLL_LOG" | sed 's/^/    /'
grep -Eq '^atoll: info: memory: .* 16384 connections \([0-9]+ B each idle\)' "$ATOLL_LOG" ||
    fail "no memory plan line for 16384 connections"
idle_b=$(sed -nE 's/^atoll: info: memory: .* \(([0-9]+) B each idle\).*/\1/p' "$ATOLL_LOG")
[ "$idle_b" -le 4500 ] || fail "an idle connection is planned at $idle_b B (over 4.5 KB)"
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$ATOLL_PID/status"; }
r0=$(rss_kb)
coproc IDLE { in_ns timeout 900 "$PY" "$REPO/mk/bench_idle.py" "$ATOLL_IP" "$N" "$CERTS/ca.pem" /index.html 4 \
    2>"$TMPD/idle.log"; }
BG_PIDS+=("$IDLE_PID")
got=
read -r -t 600 got n <&"${IDLE[0]}" || true
[ "$got" = ready ] || fail "the idle clients did not get their $N connections: $(tail -3 "$TMPD/idle.log")"
[ "$n" = "$N" ] || fail "ready with $n connections, not $N"
say "$N idle TLS keep-alive connections held"
atoll_alive
CURL=(in_ns curl -sS --max-time 30 --cacert "$CERTS/ca.pem" --resolve "atoll.test:443:$ATOLL_IP")
for f in index.html big.bin; do
    "${CURL[@]}" -o "$TMPD/got.$f" "https://atoll.test/$f" || fail "the ordinary client was not served $f"
    cmp -s "$TMPD/got.$f" "$TMPD/site/$f" || fail "$f differs"
done
say "ok: an ordinary client is served among them (index.html, big.bin byte-identical)"
sleep 1
r1=$(rss_kb)
say "resident: $r0 KB at start, $r1 KB with $N idle connections ($(((r1 - r0) * 1024 / N)) B per connection)"
[ "$r1" -lt 65536 ] || fail "resident memory $r1 KB is over 64 MB"
echo "probe 200" >&"${IDLE[1]}"
read -r -t 120 got n <&"${IDLE[0]}" || true
[ "$got" = probed ] || fail "held connections did not answer again: $(tail -3 "$TMPD/idle.log")"
say "ok: 200 of the held connections answer again"
atoll_stop
sed -nE 's/^atoll: info: (web|buffers): /    \1: /p' "$ATOLL_LOG"
line=$(grep -E '^atoll: info: buffers: ' "$ATOLL_LOG") || fail "no buffers line at exit"
open=$(sed -nE 's/.* open=([0-9]+).*/\1/p' <<<"$line")
[ "$open" -ge "$N" ] || fail "only $open connections open at exit"
grep -q ' sets_in_use=0 ' <<<"$line" || fail "idle connections hold buffer sets: $line"
grep -Eq '^atoll: info: web: .* evicted=0 busy_503=0 refused=0 ' "$ATOLL_LOG" || fail "connections were evicted or refused"
exec {IDLE[1]}>&-
pass "$N idle TLS connections in $r1 KB resident, none holding buffers; an ordinary client served among them"
