#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make bench` and `make bench-smoke`: the three benchmarks (mk/bench.sh,
# mk/bench_https.sh, mk/bench_boot.sh) in one run, their key=value results
# collected in one file, and the report mk/bench_results.py makes of them.
#   mk/bench_run.sh full [OUT]   the knobs the caller set (or the scripts'
#                                defaults); the report to OUT (default
#                                bench/RESULTS.md), written only when every
#                                benchmark ran and every figure is there
#   mk/bench_run.sh smoke        every workload at a few seconds' size, so
#                                a broken benchmark shows in `make test`:
#                                PASS/FAIL lines, the report to a temporary
#                                file (BENCH_SMOKE_OUT=FILE keeps it); nothing
#                                about speed is checked
# Needs root; takes no lock itself (run by hand under
# `flock /tmp/atoll-system.lock`; `make test` runs it among the system
# tests).
set -u
cd "$(dirname "$0")/.." || exit 1
mode=${1:-}
case "$mode" in
full) OUT=${2:-bench/RESULTS.md} ;;
smoke)
    # Tiny and fixed, whatever the caller's environment says.
    export BENCH_MB=4 BENCH_CONNS=20 BENCH_REPS=1 BENCH_CALLGRIND=1 BENCH_CG_MB=1 BENCH_CG_CONNS=5 BENCH_LOSS_MB=2
    export BENCH_REQS=50 BENCH_HS=10 BENCH_BULK_MB=4 BENCH_IDLE=20 BENCH_CG_REQS=10 BENCH_CG_HS=2 BENCH_CG_BULK_MB=4
    export BOOT_BISECT=0 BENCH_XEN=0 BENCH_BOOT=1
    ;;
*) echo "usage: mk/bench_run.sh full [OUT] | smoke" >&2; exit 2 ;;
esac
BENCH_BOOT=${BENCH_BOOT:-1}
export BENCH_BOOT
TMPD=$(mktemp -d /tmp/atoll-bench-run.XXXXXX) || exit 1
trap 'rm -rf "$TMPD"' EXIT
export BENCH_RESULTS=$TMPD/results.kv
: >"$BENCH_RESULTS"
T0=$(date +%s)
failed=""

# stage NAME SCRIPT: one benchmark; its output to the terminal (full) or to
# a log shown only when it fails (smoke).
stage() {
    local name=$1 rc
    shift
    if [ "$mode" = full ]; then
        "$@"
        rc=$?
    else
        "$@" >"$TMPD/$name.log" 2>&1
        rc=$?
    fi
    if [ "$rc" -eq 0 ]; then
        [ "$mode" = smoke ] && echo "PASS: bench-smoke $name runs"
    else
        failed="$failed $name"
        if [ "$mode" = smoke ]; then
            echo "FAIL: bench-smoke $name runs (exit $rc: $(grep -m1 'FAILED' "$TMPD/$name.log"); last lines below)"
            tail -n 25 "$TMPD/$name.log" | sed 's/^/    /'
        else
            echo "bench: $name failed (exit $rc)" >&2
        fi
    fi
}
stage echo mk/bench.sh
stage https mk/bench_https.sh
if [ "$BENCH_BOOT" != 0 ]; then stage boot mk/bench_boot.sh; fi
secs=$(($(date +%s) - T0))

if [ "$mode" = smoke ]; then
    report=${BENCH_SMOKE_OUT:-$TMPD/RESULTS.md}
    if /usr/bin/python3 mk/bench_results.py --results "$BENCH_RESULTS" --out "$report" --smoke --seconds "$secs"; then
        echo "PASS: bench-smoke report has every figure"
    else
        echo "FAIL: bench-smoke report lacks figures (above)"
        failed="$failed report"
    fi
    echo "bench-smoke: ${secs}s of benchmarks"
    [ -z "$failed" ]
    exit
fi
if [ -n "$failed" ]; then
    echo "bench: FAILED:$failed; $OUT left as it was" >&2
    exit 1
fi
draft=$TMPD/RESULTS.md
/usr/bin/python3 mk/bench_results.py --results "$BENCH_RESULTS" --out "$draft" --seconds "$secs" || {
    cp "$draft" /tmp/atoll-bench-RESULTS.draft.md 2>/dev/null
    echo "bench: FAILED: figures missing; $OUT left as it was (draft: /tmp/atoll-bench-RESULTS.draft.md)" >&2
    exit 1
}
mkdir -p "$(dirname "$OUT")"
cp "$draft" "$OUT"
echo "bench: wrote $OUT (${secs}s)"
