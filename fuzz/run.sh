#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# fuzz/run.sh [SECONDS] [name...] — `make fuzz FUZZ_SECONDS=N` and tests/run.sh call this.
#
# Builds every harness (fuzz/build.sh), then for each one (or only the named ones):
#   1. replays fuzz/corpus/<name>/ and fuzz/regressions/<name>/ once through the
#      plain ASan/UBSan build (deterministic: catches regressions on known inputs);
#   2. runs afl-fuzz for SECONDS (default 5) from the seed corpus with the
#      dictionary, output in build/fuzz/out/<name>/ (log: build/fuzz/out/<name>.log).
# Prints one line per harness, "PASS: fuzz <name> (<execs> execs)" or
# "FAIL: fuzz <name> (<reason>)", and the paths of any crashing or hanging
# inputs. Exits non-zero if any harness failed. Never waits for ever: every
# step runs under timeout.
set -u
cd "$(dirname "$0")/.." || exit 2

secs=${1:-5}
[ $# -gt 0 ] && shift
case "$secs" in '' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS] [name...]" >&2; exit 2 ;; esac
[ "$secs" -ge 1 ] || secs=1
if [ $# -gt 0 ]; then
    names="$*"
else
    names=$(for f in fuzz/fuzz_*.c; do basename "$f" .c; done | sed 's/^fuzz_//')
fi

OUT=build/fuzz
REPLAY_TIMEOUT=${REPLAY_TIMEOUT:-120}
# afl-fuzz stops itself after -V seconds; the margin covers start-up and
# calibration on a loaded machine before timeout(1) steps in.
AFL_LIMIT=$((secs + 90))
start=$(date +%s)

mkdir -p "$OUT"
# shellcheck disable=SC2086 # names are words
if ! fuzz/build.sh $names >"$OUT/build.log" 2>&1; then
    cat "$OUT/build.log"
    for n in $names; do echo "FAIL: fuzz $n (build failed, see $OUT/build.log)"; done
    exit 1
fi

# Non-interactive afl-fuzz as root on an untuned machine, sharing its cores.
# The sanitizer variables are cleared so that afl-fuzz sets the ones it needs
# (abort_on_error, symbolize=0) itself instead of refusing ours.
afl_env=(
    env -u ASAN_OPTIONS -u UBSAN_OPTIONS -u MSAN_OPTIONS -u LSAN_OPTIONS
    AFL_NO_UI=1                                # plain status lines, no curses screen
    AFL_SKIP_CPUFREQ=1                         # do not insist on the performance governor
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1    # core_pattern may pipe to a handler
    AFL_TRY_AFFINITY=1                         # bind to a free core if any, never fail for lack of one
    AFL_FAST_CAL=1                             # short calibration: runs are short
    AFL_NO_CRASH_README=1
)

# Sanitizer reports in replays: stop at the first error, with symbols.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
list_inputs() { # dir: the inputs afl-fuzz saved there (not its README)
    [ -d "$1" ] && find "$1" -maxdepth 1 -type f ! -name 'README.txt' | sort
}

for n in $names; do
    bin="$OUT/fuzz_$n"
    replay="$OUT/replay/fuzz_$n"
    corpus=fuzz/corpus/$n
    dict=fuzz/dict/$n.dict
    regress=fuzz/regressions/$n
    if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus" 2>/dev/null)" ]; then
        echo "FAIL: fuzz $n (no seed corpus in $corpus; run /usr/bin/python3 fuzz/make_seeds.py)"
        failed=1
        continue
    fi

    # 1. Deterministic replay of seeds and saved regressions.
    inputs=("$corpus")
    [ -d "$regress" ] && inputs+=("$regress")
    rlog="$OUT/replay_$n.log"
    if ! timeout -k 5 "$REPLAY_TIMEOUT" "$replay" -v "${inputs[@]}" >"$rlog" 2>&1; then
        culprit=$(grep '^replay: ' "$rlog" | tail -1 | sed -E 's/^replay: (.*) \([0-9]+ bytes\)$/\1/')
        grep -E 'contract violated|ERROR: AddressSanitizer|runtime error|SUMMARY' "$rlog" | head -5 | sed 's/^/    /'
        echo "    crashing input: $culprit (log: $rlog)"
        echo "FAIL: fuzz $n (replay of a known input crashed: $culprit)"
        failed=1
        continue
    fi

    # 2. afl-fuzz for $secs seconds.
    odir="$OUT/out/$n"
    log="$OUT/out/$n.log"
    rm -rf "$odir"
    mkdir -p "$OUT/out"
    dictarg=()
    [ -f "$dict" ] && dictarg=(-x "$dict")
    "${afl_env[@]}" timeout -k 10 "$AFL_LIMIT" \
        afl-fuzz -V "$secs" -i "$corpus" "${dictarg[@]}" -o "$odir" -m none -t 2000 -- "$bin" >"$log" 2>&1
    rc=$?
    stats="$odir/default/fuzzer_stats"
    execs=$(sed -nE 's/^execs_done +: ([0-9]+).*/\1/p' "$stats" 2>/dev/null)
    crashes=$(list_inputs "$odir/default/crashes")
    hangs=$(list_inputs "$odir/default/hangs")
    nc=$(printf '%s' "$crashes" | grep -c . || true)
    nh=$(printf '%s' "$hangs" | grep -c . || true)
    if [ "$nc" -gt 0 ] || [ "$nh" -gt 0 ]; then
        for f in $crashes; do
            echo "    crash: $f"
        done
        for f in $hangs; do
            echo "    hang:  $f"
        done
        # What the first crash is, in words (plain build, symbolized).
        first=$(printf '%s\n' "$crashes" | head -1)
        if [ -n "$first" ]; then
            timeout -k 5 60 "$replay" "$first" 2>&1 | grep -E 'contract violated|ERROR: AddressSanitizer|runtime error|SUMMARY' |
                head -3 | sed 's/^/    first crash: /'
        fi
        echo "    reproduce: $replay <input>   (see fuzz/README.md)"
        echo "FAIL: fuzz $n ($nc crashes, $nh hangs in ${execs:-?} execs)"
        failed=1
    elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        tail -5 "$log" | sed 's/^/    /'
        echo "FAIL: fuzz $n (afl-fuzz did not stop within ${AFL_LIMIT}s; log: $log)"
        failed=1
    elif [ "$rc" -ne 0 ] || [ -z "$execs" ]; then
        grep -E 'PROGRAM ABORT|Location|\[-\]' "$log" | tail -4 | sed 's/^/    /'
        echo "FAIL: fuzz $n (afl-fuzz exited with status $rc; log: $log)"
        failed=1
    else
        echo "PASS: fuzz $n ($execs execs)"
    fi
done

echo "fuzz/run.sh: ${secs}s per harness, $(($(date +%s) - start))s in all"
exit $failed
