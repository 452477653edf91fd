#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: Atoll's TCP echo against Linux's, measured side by side in one
# run and printed as ratios. It never asserts speed: it exits 0 unless
# something failed to run (setup, a client error, the appliance crashing).
#
# Three echo servers, one client (mk/bench_echo.py) in namespace $NS:
#   atoll  build/atoll --echo on tap0 (10.0.0.2), the client on the tap's
#          host side (10.0.0.1)
#   lo     the Linux reference echo server (mk/bench_echo.py server, epoll,
#          single-threaded) on 127.0.0.1 in the same namespace
#   veth   the same Linux server in a second namespace $NS2, reached over a
#          veth pair (10.0.1.1 <-> 10.0.1.2): a real link, closer to the tap
# Workloads (fixed, bounded; each run also has a wall-clock limit):
#   bulk   one connection, BENCH_MB MiB written while the echo is read back
#          (full duplex); MB/s = MiB echoed / seconds from the first write to
#          the last echoed byte (every byte crosses the link twice)
#   conns  BENCH_CONNS sequential connect, send 16 B, read the echo, close
#   loss   the bulk flow (BENCH_LOSS_MB MiB) with BENCH_LOSS_PCT % of the
#          packets dropped each way, against atoll and the veth server only:
#          the client moves to a third namespace $NSC whose traffic $NS
#          routes on to tap0 or bv0, and an nftables rule in $NS's forward
#          hook drops at random (numgen); $NS2's server listens on a
#          second veth pair (10.0.3.x) for it. Dropping forwarded packets is real
#          loss for every sender (a drop in a sender's own output hook is
#          retried at once by Linux TCP, not recovered), and both paths cross
#          the same hook. The veths carry one segment per packet
#          (gso_max_segs 1) so a drop is one wire packet, and Atoll runs
#          this workload with --no-offload for the same reason (a TSO
#          super-frame would be one drop for up to 45 segments).
# Each workload runs BENCH_REPS rounds, the three servers interleaved within
# a round so drift on a shared machine hits them alike; rates are medians,
# CPU per operation is total server CPU over total operations.
# Server CPU is the server process's own on-CPU time (utime+stime; read with
# ns resolution from /proc/PID/schedstat, which is the clock utime+stime
# are cut from; /proc/PID/stat when schedstat is missing).
# Optionally (valgrind installed, BENCH_CALLGRIND != 0) Atoll runs once more
# under callgrind for a small workload: instructions per echoed MiB and per
# connection, which repeat closely from run to run on the same commit.
#
# Knobs: BENCH_MB (256) BENCH_CONNS (2000) BENCH_REPS (5) BENCH_CALLGRIND (1)
#        BENCH_CG_MB (4) BENCH_CG_CONNS (200) BENCH_LOSS_MB (16)
#        BENCH_LOSS_PCT (2) KEEP_TMP=1 keeps the logs.
# With BENCH_RESULTS=FILE the figures are appended to FILE as key=value
# lines (mk/bench_results.py reads them); without, printed as RESULT lines.
set -u

BENCH_MB=${BENCH_MB:-256}
BENCH_CONNS=${BENCH_CONNS:-2000}
BENCH_REPS=${BENCH_REPS:-5}
BENCH_CALLGRIND=${BENCH_CALLGRIND:-1}
BENCH_CG_MB=${BENCH_CG_MB:-4}
BENCH_CG_CONNS=${BENCH_CG_CONNS:-200}
BENCH_LOSS_MB=${BENCH_LOSS_MB:-16}
BENCH_LOSS_PCT=${BENCH_LOSS_PCT:-2}
RUN_LIMIT=60                          # seconds, per client run

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ATOLL=${ATOLL:-$REPO/build/atoll}
PY=/usr/bin/python3
HELPER=$REPO/mk/bench_echo.py
NS=atoll-bench-$$
NS2=atoll-bench-peer-$$
NSC=atoll-bench-client-$$
HOST_IP=10.0.0.1
ATOLL_IP=10.0.0.2
VETH_A=10.0.1.1
VETH_B=10.0.1.2
LVETH_A=10.0.3.1
LVETH_B=10.0.3.2
LOSS_CLIENT=10.0.2.1
LOSS_ROUTER=10.0.2.2
PORT=7
T0=$(date +%s%N)

die() {
    echo "bench: FAILED: $*" >&2
    exit 1
}
elapsed() { awk -v a="$T0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
say() { printf '[bench %6.1fs] %s\n' "$(elapsed)" "$*"; }
# result KEY VALUE: one machine-readable figure.
result() {
    if [ -n "${BENCH_RESULTS:-}" ]; then echo "$1=$2" >>"$BENCH_RESULTS"; else echo "RESULT $1=$2"; fi
}

[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces and a tap device)"
[ -x "$ATOLL" ] || die "$ATOLL not built (make build/atoll)"
[ -x "$PY" ] || die "$PY not found"
for c in ip awk timeout nft; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' is not installed"
done

TMPD=$(mktemp -d /tmp/atoll-bench.XXXXXX) || die "mktemp"
PIDS=()                               # every process we started
ATOLL_PID=
NS_MADE=0
NS2_MADE=0
NSC_MADE=0
FAILURES=0

cleanup() {
    local rc=$? p ns
    trap - EXIT INT TERM HUP
    set +e
    for p in "${PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    for p in "${PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$p" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    for ns in "$NS" "$NS2" "$NSC"; do
        if { [ "$ns" = "$NS" ] && [ "$NS_MADE" = 1 ]; } || { [ "$ns" = "$NS2" ] && [ "$NS2_MADE" = 1 ]; } ||
            { [ "$ns" = "$NSC" ] && [ "$NSC_MADE" = 1 ]; }; then
            # Anything still alive in our own namespaces was started here.
            for p in $(ip netns pids "$ns" 2>/dev/null); do
                kill -KILL "$p" 2>/dev/null
            done
            ip netns delete "$ns" 2>/dev/null || echo "bench: warning: could not delete namespace $ns" >&2
        fi
    done
    if [ "$rc" -ne 0 ]; then
        for f in "$TMPD"/*.log; do
            [ -s "$f" ] || continue
            echo "----- $(basename "$f") (last 30 lines) -----" >&2
            tail -n 30 "$f" >&2
        done
    fi
    if [ -n "${KEEP_TMP:-}" ]; then
        echo "bench: logs kept in $TMPD" >&2
    else
        rm -rf "$TMPD"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM HUP

in_ns() { ip netns exec "$NS" "$@"; }

# forget PID: drop it from PIDS once we have stopped it ourselves.
forget() {
    local q keep=()
    for q in "${PIDS[@]}"; do
        [ "$q" = "$1" ] || keep+=("$q")
    done
    PIDS=("${keep[@]}")
}

# wait_line FILE REGEX SECONDS PID: 0 once FILE has a line matching REGEX;
# fails early if PID exits.
wait_line() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -Eq "$2" "$1" 2>/dev/null && return 0
        kill -0 "$4" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# ---------------------------------------------------------------- setup
say "namespaces $NS (tap0, lo) and $NS2 (veth peer)"
ip netns add "$NS" || die "ip netns add $NS"
NS_MADE=1
ip netns add "$NS2" || die "ip netns add $NS2"
NS2_MADE=1
in_ns ip link set lo up || die "lo up"
ip -n "$NS2" link set lo up || die "lo up in $NS2"
in_ns ip tuntap add dev tap0 mode tap || die "ip tuntap add tap0"
in_ns ip addr add "$HOST_IP/24" dev tap0 || die "address on tap0"
in_ns ip link set tap0 up || die "tap0 up"
in_ns sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1 2>/dev/null || true
ip link add bv0 netns "$NS" type veth peer name bv1 netns "$NS2" || die "veth pair"
in_ns ip addr add "$VETH_A/24" dev bv0 || die "address on bv0"
ip -n "$NS2" addr add "$VETH_B/24" dev bv1 || die "address on bv1"
in_ns ip link set bv0 up || die "bv0 up"
ip -n "$NS2" link set bv1 up || die "bv1 up"
in_ns sysctl -qw net.ipv6.conf.bv0.disable_ipv6=1 2>/dev/null || true
ip netns exec "$NS2" sysctl -qw net.ipv6.conf.bv1.disable_ipv6=1 2>/dev/null || true

# The lossy path: $NSC -> $NS (router, nftables drops) -> tap0 or bv0.
say "namespace $NSC (lossy client, $BENCH_LOSS_PCT % dropped each way in $NS's forward hook)"
ip netns add "$NSC" || die "ip netns add $NSC"
NSC_MADE=1
ip -n "$NSC" link set lo up || die "lo up in $NSC"
ip link add lc0 netns "$NSC" type veth peer name lc1 netns "$NS" || die "veth pair to $NSC"
ip -n "$NSC" addr add "$LOSS_CLIENT/24" dev lc0 || die "address on lc0"
in_ns ip addr add "$LOSS_ROUTER/24" dev lc1 || die "address on lc1"
# The lossy path to $NS2 has its own veth pair and server address, so the
# offloads below leave the plain veth workloads as they are.
ip link add lv0 netns "$NS" type veth peer name lv1 netns "$NS2" || die "second veth pair"
in_ns ip addr add "$LVETH_A/24" dev lv0 || die "address on lv0"
ip -n "$NS2" addr add "$LVETH_B/24" dev lv1 || die "address on lv1"
# One wire packet per skb on every veth of the lossy path, so that a drop
# is one segment there, as on a real link.
for d in "$NSC lc0" "$NS lc1" "$NS lv0" "$NS2 lv1"; do
    set -- $d
    ip -n "$1" link set dev "$2" gso_max_segs 1 gso_max_size 1500 gro_max_size 1500 || die "gso off on $2"
done
ip -n "$NSC" link set lc0 up || die "lc0 up"
in_ns ip link set lc1 up || die "lc1 up"
in_ns ip link set lv0 up || die "lv0 up"
ip -n "$NS2" link set lv1 up || die "lv1 up"
in_ns sysctl -qw net.ipv6.conf.lv0.disable_ipv6=1 2>/dev/null || true
ip netns exec "$NS2" sysctl -qw net.ipv6.conf.lv1.disable_ipv6=1 2>/dev/null || true
ip netns exec "$NSC" sysctl -qw net.ipv6.conf.lc0.disable_ipv6=1 2>/dev/null || true
ip -n "$NSC" route add default via "$LOSS_ROUTER" || die "route in $NSC"
ip -n "$NS2" route add 10.0.2.0/24 via "$LVETH_A" || die "route in $NS2"
in_ns sysctl -qw net.ipv4.ip_forward=1 || die "forwarding in $NS"
printf 'table ip atoll_bench_loss {\n chain forward {\n  type filter hook forward priority 0; policy accept;\n  numgen random mod 100 < %d counter drop\n }\n}\n' \
    "$BENCH_LOSS_PCT" | in_ns nft -f - || die "nftables loss rule in $NS"

# atoll_start [PREFIX...]: the appliance (optionally under a wrapper such as
# valgrind) on tap0; sets ATOLL_PID and ATOLL_LOG.
ATOLL_RUN=0
ATOLL_FLAGS=()
atoll_start() {
    ATOLL_RUN=$((ATOLL_RUN + 1))
    ATOLL_LOG=$TMPD/atoll.$ATOLL_RUN.log
    # `ip netns exec` execs its command: $! is the appliance (or valgrind) itself.
    ip netns exec "$NS" "$@" "$ATOLL" --tap tap0 --ip "$ATOLL_IP/24" --gw "$HOST_IP" --echo "${ATOLL_FLAGS[@]}" \
        2>"$ATOLL_LOG" &
    ATOLL_PID=$!
    PIDS+=("$ATOLL_PID")
    wait_line "$ATOLL_LOG" 'atoll: info: echo service on' 60 "$ATOLL_PID" \
        || die "appliance did not start (see atoll.$ATOLL_RUN.log)"
}

# atoll_stop: SIGTERM; it must exit 0 and log "stopped". Prints its counters.
atoll_stop() {
    local pid=$ATOLL_PID rc i
    ATOLL_PID=
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; die "appliance died during the benchmark (status $?)"; }
    kill -TERM "$pid"
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; wait "$pid"; forget "$pid"; die "appliance did not stop on SIGTERM"; }
    wait "$pid"
    rc=$?
    forget "$pid"
    [ "$rc" -eq 0 ] || die "appliance exited with status $rc"
    grep -q '^atoll: info: stopped$' "$ATOLL_LOG" || die "appliance did not log 'stopped'"
}

say "starting atoll on tap0 ($ATOLL_IP) and Linux echo servers on 127.0.0.1 and $VETH_B ($NS2)"
atoll_start
ip netns exec "$NS" "$PY" "$HELPER" server 127.0.0.1 "$PORT" >"$TMPD/linux-lo.log" 2>&1 &
LO_PID=$!
PIDS+=("$LO_PID")
ip netns exec "$NS2" "$PY" "$HELPER" server "$VETH_B" "$PORT" >"$TMPD/linux-veth.log" 2>&1 &
VETH_PID=$!
PIDS+=("$VETH_PID")
ip netns exec "$NS2" "$PY" "$HELPER" server "$LVETH_B" "$PORT" >"$TMPD/linux-lveth.log" 2>&1 &
LVETH_PID=$!
PIDS+=("$LVETH_PID")
wait_line "$TMPD/linux-lo.log" '^ready' 10 "$LO_PID" || die "Linux echo server on 127.0.0.1 did not start"
wait_line "$TMPD/linux-lveth.log" '^ready' 10 "$LVETH_PID" || die "Linux echo server on $LVETH_B did not start"
wait_line "$TMPD/linux-veth.log" '^ready' 10 "$VETH_PID" || die "Linux echo server on $VETH_B did not start"

TARGETS=(atoll lo veth)
declare -A HOST=([atoll]=$ATOLL_IP [lo]=127.0.0.1 [veth]=$VETH_B [lveth]=$LVETH_B)
declare -A SPID=([atoll]=$ATOLL_PID [lo]=$LO_PID [veth]=$VETH_PID [lveth]=$LVETH_PID)

# client KIND TARGET N [NAMESPACE]: one client run (from $NS unless told);
# echoes its key=value line, or reports the error and echoes nothing
# (callers count the failure: this runs in a command substitution).
client() {
    local kind=$1 t=$2 n=$3 cns=${4:-$NS} out
    if out=$(ip netns exec "$cns" timeout $((RUN_LIMIT + 10)) "$PY" "$HELPER" "$kind" "${HOST[$t]}" "$PORT" "$n" \
        --pid "${SPID[$t]}" --limit "$RUN_LIMIT" 2>"$TMPD/client.err"); then
        echo "$out"
    else
        echo "bench: $kind against $t (${HOST[$t]}) failed: $(tr '\n' ' ' <"$TMPD/client.err")" >&2
        cat "$TMPD/client.err" >>"$TMPD/client-errors.log"
    fi
}

# Warm-up (ARP, first connection, page faults), not measured.
say "warm-up"
for t in "${TARGETS[@]}"; do
    [ -n "$(client bulk "$t" 4)" ] || die "warm-up bulk against $t failed"
    [ -n "$(client conns "$t" 50)" ] || die "warm-up connections against $t failed"
done

RESULTS=$TMPD/results.txt
: >"$RESULTS"
say "bulk: $BENCH_REPS rounds x ${BENCH_MB} MiB echoed per server"
for ((r = 1; r <= BENCH_REPS; r++)); do
    for t in "${TARGETS[@]}"; do
        line=$(client bulk "$t" "$BENCH_MB")
        [ -n "$line" ] || { FAILURES=$((FAILURES + 1)); continue; }
        echo "bulk $t $line" >>"$RESULTS"
        printf '    round %d  %-5s  %s\n' "$r" "$t" "$line"
    done
done
say "conns: $BENCH_REPS rounds x $BENCH_CONNS sequential connections per server"
for ((r = 1; r <= BENCH_REPS; r++)); do
    for t in "${TARGETS[@]}"; do
        line=$(client conns "$t" "$BENCH_CONNS")
        [ -n "$line" ] || { FAILURES=$((FAILURES + 1)); continue; }
        echo "conns $t $line" >>"$RESULTS"
        printf '    round %d  %-5s  %s\n' "$r" "$t" "$line"
    done
done
# The router's forward hook drops whole skbs, and a TSO super-segment from
# the tap is one skb there (the kernel cuts it only on the way out): for the
# lossy path Atoll runs with --no-offload, one wire packet per frame, as the
# Linux path is set up (gso_max_segs 1).
atoll_stop
ATOLL_COUNTERS=$(grep -E '^atoll: info: counters:' "$ATOLL_LOG" | sed 's/^atoll: info: counters: *//' | tr '\n' ' ')
ATOLL_FLAGS=(--no-offload)
atoll_start
ATOLL_FLAGS=()
SPID[atoll]=$ATOLL_PID
say "loss: $BENCH_REPS rounds x ${BENCH_LOSS_MB} MiB echoed from $NSC, $BENCH_LOSS_PCT % loss each way (atoll --no-offload)"
for t in atoll lveth; do
    [ -n "$(client bulk "$t" 1 "$NSC")" ] || die "warm-up of the lossy path to $t failed"
done
for ((r = 1; r <= BENCH_REPS; r++)); do
    for t in atoll lveth; do
        line=$(client bulk "$t" "$BENCH_LOSS_MB" "$NSC")
        [ -n "$line" ] || { FAILURES=$((FAILURES + 1)); continue; }
        echo "loss ${t#l} $line" >>"$RESULTS"
        printf '    round %d  %-5s  %s\n' "$r" "${t#l}" "$line"
    done
done
LOSS_DROPPED=$(in_ns nft list table ip atoll_bench_loss | sed -nE 's/.*counter packets ([0-9]+) .*/\1/p')
LOSS_SEEN=$(awk -v d="${LOSS_DROPPED:-0}" -v p="$BENCH_LOSS_PCT" 'BEGIN { printf "%d", d * 100 / p }')
say "loss: $LOSS_DROPPED packets dropped of about $LOSS_SEEN forwarded"
atoll_stop

# ------------------------------------------------- callgrind (optional)
CG_STATUS="skipped (BENCH_CALLGRIND=0)"
CG_MB_IR=
CG_CONN_IR=
# cg_total FILE: the total instruction count in a callgrind dump.
cg_total() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }
if [ "$BENCH_CALLGRIND" != 0 ]; then
    if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_control >/dev/null 2>&1; then
        CG_STATUS="skipped (valgrind not installed: apt-get install valgrind)"
    else
        say "callgrind: atoll under valgrind, ${BENCH_CG_MB} MiB bulk + $BENCH_CG_CONNS connections"
        CG_OUT=$TMPD/callgrind.out
        atoll_start valgrind --tool=callgrind --callgrind-out-file="$CG_OUT" --vgdb=yes --log-file="$TMPD/valgrind.log"
        SPID[atoll]=$ATOLL_PID
        ok=1
        [ -n "$(client conns atoll 5)" ] || ok=0 # ARP and first-use paths, not counted
        # Zero the counters, run one workload, dump: each dump is one workload.
        callgrind_control -z "$ATOLL_PID" >"$TMPD/cgctl.log" 2>&1 || ok=0
        line=$(client bulk atoll "$BENCH_CG_MB")
        [ -n "$line" ] || ok=0
        callgrind_control -d "$ATOLL_PID" >>"$TMPD/cgctl.log" 2>&1 || ok=0
        line=$(client conns atoll "$BENCH_CG_CONNS")
        [ -n "$line" ] || ok=0
        callgrind_control -d "$ATOLL_PID" >>"$TMPD/cgctl.log" 2>&1 || ok=0
        atoll_stop
        bulk_ir=$(cg_total "$CG_OUT.1" 2>/dev/null)
        conn_ir=$(cg_total "$CG_OUT.2" 2>/dev/null)
        if [ "$ok" = 1 ] && [ -n "$bulk_ir" ] && [ -n "$conn_ir" ]; then
            CG_MB_IR=$(awk -v i="$bulk_ir" -v m="$BENCH_CG_MB" 'BEGIN { printf "%.0f", i / m }')
            CG_CONN_IR=$(awk -v i="$conn_ir" -v n="$BENCH_CG_CONNS" 'BEGIN { printf "%.0f", i / n }')
            CG_STATUS="ok"
        else
            CG_STATUS="FAILED (see callgrind_control output)"
            cat "$TMPD/cgctl.log" >&2
            FAILURES=$((FAILURES + 1))
        fi
    fi
fi

# ---------------------------------------------------------------- table
awk -v reps="$BENCH_REPS" -v mb="$BENCH_MB" -v nconn="$BENCH_CONNS" -v lmb="$BENCH_LOSS_MB" -v lpct="$BENCH_LOSS_PCT" \
    -v cgst="$CG_STATUS" -v cgmb="$CG_MB_IR" -v cgconn="$CG_CONN_IR" -v cgmbn="$BENCH_CG_MB" -v cgcn="$BENCH_CG_CONNS" '
function kv(s, key,   i, f) {
    for (i = 3; i <= NF; i++) { split($i, f, "="); if (f[1] == key) return f[2] + 0 }
    return -1
}
function median(arr, n,   i, j, t, a) {
    for (i = 1; i <= n; i++) a[i] = arr[i]
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
    w = $1; t = $2; k = w SUBSEP t
    n[k]++
    secs = kv($0, "secs"); cpu = kv($0, "sched"); if (cpu < 0) cpu = kv($0, "cpu")
    ops = (w == "conns") ? kv($0, "count") : kv($0, "mb")
    rate[k, n[k]] = ops / secs
    tsecs[k] += secs; tcpu[k] += cpu; tops[k] += ops
    tut[k] += kv($0, "utime"); tst[k] += kv($0, "stime")
}
function cell(v, fmt) { return v == "" ? "-" : sprintf(fmt, v) }
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
function row(name, a, l, v, fmt, noratio) {
    printf "  %-30s %10s %10s %10s %9s %9s\n", name, cell(a, fmt), cell(l, fmt), cell(v, fmt), \
        noratio ? "" : ratio(a, l), noratio ? "" : ratio(a, v)
}
function stat(w, t, what,   k) {
    k = w SUBSEP t
    if (!n[k]) return ""
    if (what == "rate") { for (i = 1; i <= n[k]; i++) r[i] = rate[k, i]; return median(r, n[k]) }
    if (what == "wall") return tsecs[k]
    if (what == "cpu_per") return tcpu[k] / tops[k]
    if (what == "cpu_pct") return 100 * tcpu[k] / tsecs[k]
    if (what == "sys_pct") return (tut[k] + tst[k]) > 0 ? 100 * tst[k] / (tut[k] + tst[k]) : ""
}
END {
    printf "\n  Atoll TCP echo vs Linux, same run (%d rounds; median rates, CPU totals over all rounds)\n", reps
    printf "  %-30s %10s %10s %10s %9s %9s\n", "metric", "atoll", "linux-lo", "linux-veth", "atoll/lo", "atoll/veth"
    printf "  %-30s %10s %10s %10s %9s %9s\n", "------", "-----", "--------", "----------", "--------", "----------"
    row(sprintf("bulk echo MiB/s (%d MiB)", mb), stat("bulk", "atoll", "rate"), stat("bulk", "lo", "rate"), stat("bulk", "veth", "rate"), "%.1f")
    row("bulk wall s, all rounds", stat("bulk", "atoll", "wall"), stat("bulk", "lo", "wall"), stat("bulk", "veth", "wall"), "%.2f")
    row("bulk server CPU ms/MiB", 1000 * stat("bulk", "atoll", "cpu_per"), 1000 * stat("bulk", "lo", "cpu_per"), 1000 * stat("bulk", "veth", "cpu_per"), "%.2f")
    row("bulk server CPU % of wall", stat("bulk", "atoll", "cpu_pct"), stat("bulk", "lo", "cpu_pct"), stat("bulk", "veth", "cpu_pct"), "%.0f", 1)
    row("bulk server CPU in kernel %", stat("bulk", "atoll", "sys_pct"), stat("bulk", "lo", "sys_pct"), stat("bulk", "veth", "sys_pct"), "%.0f", 1)
    row(sprintf("%s%% loss: echo MiB/s (%d MiB)", lpct, lmb), stat("loss", "atoll", "rate"), "", stat("loss", "veth", "rate"), "%.1f")
    row(sprintf("%s%% loss: server CPU ms/MiB", lpct), 1000 * stat("loss", "atoll", "cpu_per"), "", 1000 * stat("loss", "veth", "cpu_per"), "%.2f")
    row(sprintf("connections/s (%d seq.)", nconn), stat("conns", "atoll", "rate"), stat("conns", "lo", "rate"), stat("conns", "veth", "rate"), "%.0f")
    row("conns wall s, all rounds", stat("conns", "atoll", "wall"), stat("conns", "lo", "wall"), stat("conns", "veth", "wall"), "%.2f")
    row("server CPU us/connection", 1e6 * stat("conns", "atoll", "cpu_per"), 1e6 * stat("conns", "lo", "cpu_per"), 1e6 * stat("conns", "veth", "cpu_per"), "%.1f")
    row("conns server CPU % of wall", stat("conns", "atoll", "cpu_pct"), stat("conns", "lo", "cpu_pct"), stat("conns", "veth", "cpu_pct"), "%.0f", 1)
    row("conns server CPU in kernel %", stat("conns", "atoll", "sys_pct"), stat("conns", "lo", "sys_pct"), stat("conns", "veth", "sys_pct"), "%.0f", 1)
    if (cgst == "ok") {
        printf "  %-30s %10s\n", sprintf("atoll instr/MiB (callgrind,%dMiB)", cgmbn), cgmb
        printf "  %-30s %10s\n", sprintf("atoll instr/conn (callgrind,%d)", cgcn), cgconn
    } else {
        printf "  %-30s %s\n", "atoll callgrind", cgst
    }
    print ""
    print "  MiB/s: MiB echoed back / seconds from first write to last echoed byte, one connection,"
    print "    full duplex (each byte crosses the link twice). Ratios are atoll/linux: above 1 is"
    print "    better for rates, below 1 is better for CPU. Wall rows are client-side seconds."
    print "  Server CPU: on-CPU time (utime+stime) of the echo server process only, read from"
    print "    /proc/PID/schedstat (ns); \"in kernel\" is stime/(utime+stime) from /proc/PID/stat."
    print "    Atoll runs its whole TCP/IP stack in its process; its kernel time is the tap"
    print "    read/write/poll syscalls (and the host-side receive work they trigger). The Linux"
    print "    server is a Python epoll loop: kernel TCP work is charged to it only where it runs"
    print "    inside its own syscalls; softirq work elsewhere and the client are not, so CPU"
    print "    ratios flatter Linux, and per-connection figures are mostly the cost of Python itself."
    print "  loss: the same bulk flow from a third namespace routed through one with an nftables rule"
    print "    dropping that share of forwarded packets each way; Linux-lo is not on that path."
    print "  Client (Python) and servers share the same cores with whatever else runs."
    print "  callgrind: user-space instructions of the atoll process only, counted from after a"
    print "    warm-up connection; repeatable across runs of the same binary to ~0.1%."
}' "$RESULTS"
echo "  atoll counters (main run): $ATOLL_COUNTERS"

# The same figures, machine-readable: WORKLOAD_SERVER_{rate,cpu} (median
# MiB/s or connections/s; server CPU seconds per MiB or per connection).
while read -r k v; do
    result "$k" "$v"
done < <(awk '
function kv(key,   i, f) {
    for (i = 3; i <= NF; i++) { split($i, f, "="); if (f[1] == key) return f[2] + 0 }
    return -1
}
{
    k = $1 "_" $2; n[k]++
    cpu = kv("sched"); if (cpu < 0) cpu = kv("cpu")
    ops = ($1 == "conns") ? kv("count") : kv("mb")
    r[k, n[k]] = ops / kv("secs"); tcpu[k] += cpu; tops[k] += ops
}
END {
    for (k in n) {
        for (i = 1; i <= n[k]; i++) a[i] = r[k, i]
        for (i = 2; i <= n[k]; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        m = n[k] % 2 ? a[(n[k] + 1) / 2] : (a[n[k] / 2] + a[n[k] / 2 + 1]) / 2
        printf "echo_%s_rate %.6g\necho_%s_cpu %.6g\n", k, m, k, tcpu[k] / tops[k]
    }
}' "$RESULTS")
result echo_bulk_mb "$BENCH_MB"
result echo_conns_count "$BENCH_CONNS"
result echo_loss_mb "$BENCH_LOSS_MB"
result echo_loss_pct "$BENCH_LOSS_PCT"
result echo_loss_dropped "${LOSS_DROPPED:-0}"
result echo_reps "$BENCH_REPS"
if [ "$CG_STATUS" = ok ]; then
    result cg_echo_instr_per_mib "$CG_MB_IR"
    result cg_echo_instr_per_conn "$CG_CONN_IR"
    result cg_echo_mb "$BENCH_CG_MB"
    result cg_echo_conns "$BENCH_CG_CONNS"
fi
say "done in $(elapsed)s"

if [ "$FAILURES" -ne 0 ]; then
    echo "bench: FAILED: $FAILURES run(s) did not complete (see above)" >&2
    exit 1
fi
exit 0
