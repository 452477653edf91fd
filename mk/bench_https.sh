#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`, part two: the HTTPS site appliance against nginx, side by
# side in one run, printed as ratios. Never asserts speed: exits 0 unless
# something failed to run.
#
#   atoll  build/atoll --site on tap0 in namespace $NS (10.0.0.2), the
#          clients on the tap's host side
#   nginx  Debian's nginx (one process, TLS 1.3 only, same certificate,
#          same files, keep-alive, access log off) in a second namespace
#          reached over a veth pair (10.0.1.2): a real link like the tap
# Workloads (bounded), BENCH_REPS rounds interleaved, medians:
#   small  ab -k, 8 concurrent keep-alive clients, BENCH_REQS GETs of a
#          1 KiB page: requests/s and server CPU per request
#   hs     ab without keep-alive, 4 concurrent: a full TLS 1.3 handshake
#          (ECDSA P-256) per request, BENCH_HS of them: handshakes/s and
#          CPU per handshake
#   bulk   curl, BENCH_BULK_MB MiB in 4 MiB files, one connection:
#          MB/s and CPU per MiB
#   records  how the responses leave (tests/system/https_records.py, a
#          client that parses the records it receives): TLS records and
#          TCP data segments per small keep-alive response (1 KiB page;
#          a response longer than the MSS needs two, whatever the server),
#          and for a 4 MiB file the mean record length and the share of
#          full 16 KiB records
#   idle   first, on fresh servers: BENCH_IDLE TLS keep-alive connections
#          (handshake + one GET each) held open by mk/bench_idle.py; the
#          server's resident memory growth per connection (VmRSS), and
#          Atoll's own accounting (the memory plan's bytes per idle
#          connection: its slot and TCP control block, no buffers).
#   callgrind  (BENCH_CALLGRIND != 0) the appliance once more under
#          callgrind: BENCH_CG_HS handshakes (one after the other, so
#          that timing shapes the segments less; one GET each),
#          BENCH_CG_REQS keep-alive GETs on one connection (less a run of
#          one GET) and BENCH_CG_BULK_MB MiB on one (less the same), each
#          counted in its own dump: user-space instructions
#          per handshake, per request and per MiB, which repeat closely on
#          the same commit.
# Server CPU: utime+stime from /proc/PID/schedstat (ns).
# Knobs: BENCH_REPS (3) BENCH_REQS (4000) BENCH_HS (400) BENCH_BULK_MB (64,
# in 4 MiB files) BENCH_IDLE (1000) BENCH_CALLGRIND (1) BENCH_CG_REQS (200)
# BENCH_CG_HS (20) BENCH_CG_BULK_MB (4). With BENCH_RESULTS=FILE the figures
# are appended to FILE as key=value lines (mk/bench_results.py reads them);
# without, printed as RESULT lines.
set -u
BENCH_REPS=${BENCH_REPS:-3}
BENCH_REQS=${BENCH_REQS:-4000}
BENCH_HS=${BENCH_HS:-400}
BENCH_BULK_MB=${BENCH_BULK_MB:-64}
BENCH_IDLE=${BENCH_IDLE:-1000}
BENCH_CALLGRIND=${BENCH_CALLGRIND:-1}
BENCH_CG_REQS=${BENCH_CG_REQS:-200}
BENCH_CG_HS=${BENCH_CG_HS:-20}
BENCH_CG_BULK_MB=${BENCH_CG_BULK_MB:-4}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ATOLL=${ATOLL:-$REPO/build/atoll}
PACK=$REPO/build/atoll-pack
NS=atoll-hbench-$$
NS2=atoll-hbench-peer-$$
T0=$(date +%s%N)
die() { echo "bench-https: FAILED: $*" >&2; exit 1; }
say() { printf '[bench-https %6.1fs] %s\n' "$(awk -v a="$T0" -v b="$(date +%s%N)" 'BEGIN{printf "%.1f",(b-a)/1e9}')" "$*"; }
# result KEY VALUE: one machine-readable figure.
result() {
    if [ -n "${BENCH_RESULTS:-}" ]; then echo "$1=$2" >>"$BENCH_RESULTS"; else echo "RESULT $1=$2"; fi
}
[ "$(id -u)" -eq 0 ] || die "needs root"
[ $((BENCH_BULK_MB % 4)) -eq 0 ] && [ "$BENCH_BULK_MB" -gt 0 ] || die "BENCH_BULK_MB must be a multiple of 4 (4 MiB files)"
[ $((BENCH_CG_BULK_MB % 4)) -eq 0 ] && [ "$BENCH_CG_BULK_MB" -gt 0 ] || die "BENCH_CG_BULK_MB must be a multiple of 4"
for c in ab curl nginx openssl ip; do command -v "$c" >/dev/null || die "'$c' is not installed (make deps)"; done
[ -x "$ATOLL" ] && [ -x "$PACK" ] || die "build/atoll and build/atoll-pack not built"

TMPD=$(mktemp -d /tmp/atoll-hbench.XXXXXX) || die mktemp
PIDS=()
cleanup() {
    local rc=$? p
    trap - EXIT INT TERM HUP
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    for n in "$NS" "$NS2"; do
        ip netns list | grep -q "^$n\b" || continue
        for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
        ip netns delete "$n" 2>/dev/null
    done
    [ "$rc" -ne 0 ] && tail -n 20 "$TMPD"/*.log >&2 2>/dev/null
    [ -n "${KEEP_TMP:-}" ] && echo "logs kept in $TMPD" >&2 || rm -rf "$TMPD"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
in_ns() { ip netns exec "$NS" "$@"; }

# ---- the site and its certificate ----
site=$TMPD/site
cp -r "$REPO/examples/site" "$site"
head -c 1024 /dev/urandom | base64 -w 76 | head -c 1024 >"$site/page.html"
for i in 1 2 3 4; do head -c $((4 << 20)) /dev/urandom >"$site/big$i.bin"; done
"$REPO/tests/system/tls_certs.sh" "$TMPD/certs" || die "certificates"
"$PACK" "$site" --cert "$TMPD/certs/ec.pem" --key "$TMPD/certs/ec.key" -o "$TMPD/site.img" -q || die "atoll-pack"

# ---- namespaces: tap for Atoll, veth to nginx ----
ip netns add "$NS" && ip netns add "$NS2" || die "ip netns add"
in_ns ip link set lo up
in_ns ip tuntap add dev tap0 mode tap
in_ns ip addr add 10.0.0.1/24 dev tap0
in_ns ip link set tap0 up
in_ns ip link add veth0 type veth peer name veth1
in_ns ip link set veth1 netns "$NS2"
in_ns ip addr add 10.0.1.1/24 dev veth0
in_ns ip link set veth0 up
ip netns exec "$NS2" ip addr add 10.0.1.2/24 dev veth1
ip netns exec "$NS2" ip link set veth1 up
ip netns exec "$NS2" ip link set lo up

# The appliance's own accounting of an idle connection: its memory plan
# line (info level, which the measured run leaves off for the access log).
ATOLL_ARGS=(--tap tap0 --ip 10.0.0.2/24 --site "$TMPD/site.img" --max-conns $((BENCH_IDLE + 64)))
ip netns exec "$NS" timeout 10 "$ATOLL" "${ATOLL_ARGS[@]}" 2>"$TMPD/atoll-plan.log" &
plan_pid=$!
for _ in $(seq 100); do grep -q 'info: memory: ' "$TMPD/atoll-plan.log" && break; sleep 0.1; done
kill -TERM "$plan_pid" 2>/dev/null
wait "$plan_pid" 2>/dev/null
ATOLL_IDLE_B=$(sed -nE 's/.*info: memory: .* \(([0-9]+) B each idle\).*/\1/p' "$TMPD/atoll-plan.log")
[ -n "$ATOLL_IDLE_B" ] || die "no memory plan line from the appliance: $(tail -3 "$TMPD/atoll-plan.log")"
ip netns exec "$NS" "$ATOLL" "${ATOLL_ARGS[@]}" --log warn 2>"$TMPD/atoll.log" &
ATOLL_PID=$!
PIDS+=("$ATOLL_PID")
mkdir -p "$TMPD/nginx"
cat >"$TMPD/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log $TMPD/nginx/error.log;
pid $TMPD/nginx/nginx.pid;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    client_body_temp_path $TMPD/nginx;
    proxy_temp_path $TMPD/nginx;
    fastcgi_temp_path $TMPD/nginx;
    uwsgi_temp_path $TMPD/nginx;
    scgi_temp_path $TMPD/nginx;
    include /etc/nginx/mime.types;
    server {
        listen 10.0.1.2:443 ssl;
        ssl_protocols TLSv1.3;
        ssl_certificate $TMPD/certs/ec.pem;
        ssl_certificate_key $TMPD/certs/ec.key;
        root $site;
    }
}
EOF
ip netns exec "$NS2" nginx -c "$TMPD/nginx.conf" 2>"$TMPD/nginx.log" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
for _ in $(seq 100); do
    in_ns curl -s -o /dev/null --cacert "$TMPD/certs/ca.pem" --resolve atoll.test:443:10.0.0.2 https://atoll.test/ &&
        in_ns curl -s -o /dev/null --cacert "$TMPD/certs/ca.pem" --resolve atoll.test:443:10.0.1.2 https://atoll.test/ &&
        break
    sleep 0.1
done
in_ns curl -sS -o /dev/null --cacert "$TMPD/certs/ca.pem" --resolve atoll.test:443:10.0.1.2 https://atoll.test/ ||
    die "nginx does not answer"

# fetch_bulk SERVER-IP MIB SECONDS: MIB MiB over one connection, 4 MiB files.
fetch_bulk() {
    local urls=() i
    for ((i = 0; i < $2 / 4; i++)); do urls+=("https://atoll.test/big$((i % 4 + 1)).bin"); done
    # shellcheck disable=SC2046
    in_ns timeout "$3" curl -sS --cacert "$TMPD/certs/ca.pem" --resolve "atoll.test:443:$1" \
        $(printf -- '-o /dev/null %s ' "${urls[@]}")
}
cpu_ns() { awk '{print $1}' "/proc/$1/schedstat"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# run NAME SERVER-IP PID WORKLOAD: one measurement; appends "rate cpu" lines
run() {
    local name=$1 ip=$2 pid=$3 w=$4 c0 c1 rate ops t0 t1
    c0=$(cpu_ns "$pid")
    case $w in
    small | hs)
        local k=-k n=$BENCH_REQS conc=8
        [ "$w" = hs ] && { k=; n=$BENCH_HS; conc=4; }
        conc=$((n < conc ? n : conc))
        # shellcheck disable=SC2086
        in_ns timeout 120 ab -q $k -c $conc -n "$n" -f TLS1.3 "https://$ip/page.html" >"$TMPD/ab.out" 2>&1 ||
            die "ab against $name ($w): $(tail -3 "$TMPD/ab.out")"
        grep -Eq '^Failed requests: +0$' "$TMPD/ab.out" || die "ab against $name ($w): failed requests"
        rate=$(awk '/^Requests per second/ {print $4}' "$TMPD/ab.out")
        ops=$n
        ;;
    bulk)
        t0=$(date +%s%N)
        fetch_bulk "$ip" "$BENCH_BULK_MB" 120 || die "curl bulk against $name"
        t1=$(date +%s%N)
        rate=$(awk -v mb="$BENCH_BULK_MB" -v t="$((t1 - t0))" 'BEGIN {printf "%.1f", mb / (t / 1e9)}')
        ops=$BENCH_BULK_MB
        ;;
    esac
    c1=$(cpu_ns "$pid")
    echo "$rate $(awk -v c="$((c1 - c0))" -v n="$ops" 'BEGIN {printf "%.1f", c / n / 1000}')" >>"$TMPD/$name.$w"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# idle NAME SERVER-IP PID: KB of resident memory per idle TLS connection
idle() {
    local name=$1 ip=$2 pid=$3 r0 r1 got
    r0=$(rss_kb "$pid")
    coproc IDLE { in_ns timeout 300 /usr/bin/python3 "$REPO/mk/bench_idle.py" "$ip" "$BENCH_IDLE" \
        "$TMPD/certs/ca.pem" /page.html 2 2>"$TMPD/idle.log"; }
    read -r -t 280 got _ <&"${IDLE[0]}" || true
    [ "$got" = ready ] || die "idle connections to $name: $(tail -3 "$TMPD/idle.log")"
    sleep 0.5
    r1=$(rss_kb "$pid")
    exec {IDLE[1]}>&-
    wait "$IDLE_PID" 2>/dev/null
    awk -v a="$r0" -v b="$r1" -v n="$BENCH_IDLE" 'BEGIN {printf "%.2f\n", (b - a) / n}' >"$TMPD/$name.idle"
}
idle atoll 10.0.0.2 "$ATOLL_PID"
idle nginx 10.0.1.2 "$NGINX_PID"
say "idle connections measured"

# records NAME SERVER-IP: "records R segments S bytes B" per small response, then
# "records N bytes B full F nfull K" for one bulk file
REC=$REPO/tests/system/https_records.py
records() {
    in_ns timeout 60 /usr/bin/python3 "$REC" small "$2" 443 "$TMPD/certs/ca.pem" /page.html 50 >"$TMPD/$1.rec" \
        2>>"$TMPD/records.log" || die "records of $1 (small)"
    in_ns timeout 60 /usr/bin/python3 "$REC" bulk "$2" 443 "$TMPD/certs/ca.pem" /big1.bin >>"$TMPD/$1.rec" \
        2>>"$TMPD/records.log" || die "records of $1 (bulk)"
}
records atoll 10.0.0.2
records nginx 10.0.1.2
say "records measured"

for rep in $(seq "$BENCH_REPS"); do
    for w in small hs bulk; do
        run atoll 10.0.0.2 "$ATOLL_PID" "$w"
        run nginx 10.0.1.2 "$NGINX_PID" "$w"
    done
    say "round $rep of $BENCH_REPS done"
done
kill -0 "$ATOLL_PID" 2>/dev/null || die "the appliance died during the benchmark"

# ---- callgrind: instructions per request, handshake and MiB ----
cg_total() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }
CG_STATUS="skipped (BENCH_CALLGRIND=0)"
if [ "$BENCH_CALLGRIND" != 0 ]; then
    if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_control >/dev/null 2>&1; then
        die "valgrind is not installed (make deps-bench), or run with BENCH_CALLGRIND=0"
    fi
    say "callgrind: $BENCH_CG_REQS keep-alive GETs, $BENCH_CG_HS handshakes, $BENCH_CG_BULK_MB MiB"
    kill -TERM "$ATOLL_PID"
    wait "$ATOLL_PID"
    rc=$?
    [ "$rc" -eq 0 ] || die "the appliance exited with status $rc on SIGTERM"
    CG_OUT=$TMPD/callgrind.out
    # `ip netns exec` execs its command: $! is valgrind, which callgrind_control finds.
    ip netns exec "$NS" valgrind --tool=callgrind --callgrind-out-file="$CG_OUT" --vgdb=yes \
        --log-file="$TMPD/valgrind.log" "$ATOLL" "${ATOLL_ARGS[@]}" --log warn 2>"$TMPD/atoll-cg.log" &
    CG_PID=$!
    PIDS+=("$CG_PID")
    up=0
    for _ in $(seq 600); do
        kill -0 "$CG_PID" 2>/dev/null || break
        # warm-up (ARP, first use of every path), not counted
        in_ns curl -s -o /dev/null --max-time 20 --cacert "$TMPD/certs/ca.pem" --resolve atoll.test:443:10.0.0.2 \
            https://atoll.test/page.html && { up=1; break; }
        sleep 0.2
    done
    [ "$up" = 1 ] || die "the appliance under callgrind does not answer"
    cgctl() { callgrind_control "$@" "$CG_PID" >>"$TMPD/cgctl.log" 2>&1 || die "callgrind_control $*"; }
    # One dump per run. The keep-alive figure is the difference of two runs
    # on one connection each (1 GET, then 1 + BENCH_CG_REQS), so the
    # handshake drops out; the bulk run (one connection) has the first of
    # those runs taken off.
    cgctl -z
    in_ns timeout 600 ab -q -c 1 -n "$BENCH_CG_HS" -f TLS1.3 https://10.0.0.2/page.html >"$TMPD/ab-cg.out" 2>&1 &&
        grep -Eq '^Failed requests: +0$' "$TMPD/ab-cg.out" || die "ab under callgrind (handshakes): $(tail -3 "$TMPD/ab-cg.out")"
    cgctl -d
    for n in 1 $((BENCH_CG_REQS + 1)); do
        in_ns timeout 600 ab -q -k -c 1 -n "$n" -f TLS1.3 https://10.0.0.2/page.html >"$TMPD/ab-cg.out" 2>&1 &&
            grep -Eq '^Failed requests: +0$' "$TMPD/ab-cg.out" || die "ab under callgrind (keep-alive): $(tail -3 "$TMPD/ab-cg.out")"
        cgctl -d
    done
    fetch_bulk 10.0.0.2 "$BENCH_CG_BULK_MB" 600 || die "curl bulk under callgrind"
    cgctl -d
    for i in 1 2 3 4; do
        [ -s "$CG_OUT.$i" ] || die "no callgrind dump $i"
    done
    CG_HS_IR=$(awk -v i="$(cg_total "$CG_OUT.1")" -v n="$BENCH_CG_HS" 'BEGIN { printf "%.0f", i / n }')
    CG_REQ_IR=$(awk -v a="$(cg_total "$CG_OUT.2")" -v b="$(cg_total "$CG_OUT.3")" -v n="$BENCH_CG_REQS" 'BEGIN { printf "%.0f", (b - a) / n }')
    CG_MB_IR=$(awk -v a="$(cg_total "$CG_OUT.2")" -v b="$(cg_total "$CG_OUT.4")" -v n="$BENCH_CG_BULK_MB" 'BEGIN { printf "%.0f", (b - a) / n }')
    CG_STATUS=ok
fi

printf '\n%-34s %12s %12s %8s\n' "HTTPS (median of $BENCH_REPS)" atoll nginx ratio
row() { # workload label column unit
    local a n
    a=$(awk -v k="$3" '{print $k}' "$TMPD/atoll.$1" | median)
    n=$(awk -v k="$3" '{print $k}' "$TMPD/nginx.$1" | median)
    printf '%-34s %12s %12s %7.2fx\n' "$2" "$a" "$n" "$(awk -v a="$a" -v b="$n" 'BEGIN {print (b > 0) ? a / b : 0}')"
}
row small "keep-alive requests/s (1 KiB)" 1
row small "  server CPU us per request" 2
row hs "TLS handshakes/s (P-256)" 1
row hs "  server CPU us per handshake" 2
row bulk "bulk MB/s (4 MiB files)" 1
row bulk "  server CPU us per MiB" 2
# Memory per idle TLS connection (KB): Atoll's own accounting (its memory
# plan: slot + TCP control block; an idle connection holds no buffer)
# against nginx's resident growth per connection, then both growths.
a=$(awk -v b="$ATOLL_IDLE_B" 'BEGIN {printf "%.2f", b / 1024}')
n=$(cat "$TMPD/nginx.idle")
printf '%-34s %12s %12s %7.2fx\n' "KB per idle TLS connection" "$a" "$n" \
    "$(awk -v a="$a" -v b="$n" 'BEGIN {print (b > 0) ? a / b : 0}')"
printf '%-34s %12s %12s\n' "  resident growth per connection" "$(cat "$TMPD/atoll.idle")" "$(cat "$TMPD/nginx.idle")"
rec_row() { # label line field
    local a n
    a=$(awk -v l="$2" -v k="$3" 'NR == l {print $k}' "$TMPD/atoll.rec")
    n=$(awk -v l="$2" -v k="$3" 'NR == l {print $k}' "$TMPD/nginx.rec")
    printf '%-34s %12s %12s\n' "$1" "$a" "$n"
}
rec_row "TLS records per small response" 1 2
rec_row "  TCP data segments per response" 1 4
rec_row "  TLS bytes per response" 1 6
rec_row "bulk: bytes per TLS record" 2 4
rec_row "  share of full 16 KiB records" 2 6
if [ "$CG_STATUS" = ok ]; then
    printf '%-34s %12s\n' "atoll instructions per request" "$CG_REQ_IR" "  per handshake" "$CG_HS_IR" \
        "  per MiB (4 MiB files)" "$CG_MB_IR"
else
    printf '%-34s %s\n' "atoll callgrind" "$CG_STATUS"
fi
echo "(ratio = atoll / nginx: above 1 is better for rates, worse for CPU and memory;"
echo " callgrind: the appliance's user-space instructions, one dump per workload)"

# The same figures, machine-readable: https_WORKLOAD_SERVER_{rate,cpu_us}
# (medians: requests, handshakes or MB per second; server CPU us per
# request, handshake or MiB).
for w in small hs bulk; do
    for srv in atoll nginx; do
        result "https_${w}_${srv}_rate" "$(awk '{print $1}' "$TMPD/$srv.$w" | median)"
        result "https_${w}_${srv}_cpu_us" "$(awk '{print $2}' "$TMPD/$srv.$w" | median)"
    done
done
result https_reps "$BENCH_REPS"
result https_reqs "$BENCH_REQS"
result https_hs "$BENCH_HS"
result https_bulk_mb "$BENCH_BULK_MB"
result https_idle_conns "$BENCH_IDLE"
result https_idle_atoll_plan_b "$ATOLL_IDLE_B"
result https_idle_atoll_rss_kb "$(cat "$TMPD/atoll.idle")"
result https_idle_nginx_rss_kb "$(cat "$TMPD/nginx.idle")"
for srv in atoll nginx; do
    result "https_records_${srv}_per_small" "$(awk 'NR == 1 {print $2}' "$TMPD/$srv.rec")"
    result "https_records_${srv}_bulk_bytes" "$(awk 'NR == 2 {print $4}' "$TMPD/$srv.rec")"
done
if [ "$CG_STATUS" = ok ]; then
    result cg_https_instr_per_request "$CG_REQ_IR"
    result cg_https_instr_per_handshake "$CG_HS_IR"
    result cg_https_instr_per_mib "$CG_MB_IR"
    result cg_https_reqs "$BENCH_CG_REQS"
    result cg_https_hs "$BENCH_CG_HS"
    result cg_https_bulk_mb "$BENCH_CG_BULK_MB"
fi
