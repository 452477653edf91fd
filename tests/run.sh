#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The test runner behind `make test` and its parts. Every stage reports
# results as lines "PASS: name" / "FAIL: name"; the runner tallies them and
# ends with one summary line:  atoll test summary: N passed, N failed
#   tests/run.sh unit|system|bench-smoke|proofs|fuzz|all
set -u
cd "$(dirname "$0")/.."
stage=${1:-all}
FUZZ_SECONDS=${FUZZ_SECONDS:-5}
SYSTEM_TIMEOUT=${SYSTEM_TIMEOUT:-900}
log=$(mktemp /tmp/atoll-tests.XXXXXX)
trap 'rm -f "$log"' EXIT
pass=0
fail=0

note() { printf '%s\n' "$*" | tee -a "$log"; }

# The TLS engine's tests run once per crypto backend (tls_testutil.c reads
# ATOLL_TEST_CRYPTO); the wolfCrypt pass is named "test_X@wolfcrypt".
TLS_ENGINE_TESTS="test_pump test_tls_handshake test_tls_keysched test_tls_record"

run_unit_one() { # binary, label, env...
    local t=$1 label=$2 out rc
    shift 2
    out=$(mktemp)
    if env "$@" "$t" >"$out" 2>&1; then rc=0; else rc=$?; fi
    cat "$out"
    # one line per cmocka test
    grep -E '^\[       OK \]' "$out" | sed -E "s/^\[       OK \] (.*)/PASS: unit $label: \1/" >>"$log"
    grep -E '^\[  FAILED  \] [a-z_0-9]+$' "$out" | sort -u | sed -E "s/^\[  FAILED  \] (.*)/FAIL: unit $label: \1/" >>"$log"
    if [ "$rc" -ne 0 ] && ! grep -qE '^\[  FAILED  \] [a-z_0-9]+$' "$out"; then
        note "FAIL: unit $label (exit $rc: crashed or sanitizer report)"
    fi
    rm -f "$out"
}

run_unit() {
    local t name
    for t in build/tests/test_*; do
        [ -x "$t" ] || continue
        name=$(basename "$t")
        run_unit_one "$t" "$name" ATOLL_TEST_CRYPTO=mbedtls
        case " $TLS_ENGINE_TESTS " in
        *" $name "*) run_unit_one "$t" "$name@wolfcrypt" ATOLL_TEST_CRYPTO=wolfcrypt ;;
        esac
    done
}

run_system() {
    local t name rc
    if [ "$(id -u)" -ne 0 ]; then
        note "FAIL: system tests need root (network namespaces and tap devices)"
        return
    fi
    for t in tests/system/test_*.sh; do
        [ -x "$t" ] || continue
        name=$(basename "$t" .sh)
        echo "=== system: $name"
        if timeout --kill-after=10 "$SYSTEM_TIMEOUT" "$t"; then rc=0; else rc=$?; fi
        if [ "$rc" -eq 0 ]; then note "PASS: system $name"; else note "FAIL: system $name (exit $rc)"; fi
    done
}

run_script() { # name, command...
    local name=$1 out rc
    shift
    out=$(mktemp)
    if "$@" 2>&1 | tee "$out"; then rc=${PIPESTATUS[0]}; else rc=${PIPESTATUS[0]}; fi
    grep -E '^(PASS|FAIL): ' "$out" >>"$log"
    if [ "$rc" -ne 0 ] && ! grep -qE '^FAIL: ' "$out"; then note "FAIL: $name (exit $rc)"; fi
    if [ "$rc" -eq 0 ] && ! grep -qE '^(PASS|FAIL): ' "$out"; then note "PASS: $name"; fi
    rm -f "$out"
}

case "$stage" in
unit) run_unit; run_script alert-table tests/check_alert_table.py; run_script check-parts tests/check_parts_test.sh; run_script make-targets tests/make_targets_test.sh; run_script proofs-status proofs/run.sh --check ;;
system) run_system ;;
bench-smoke) run_script bench-smoke mk/bench_run.sh smoke ;;
proofs) run_script proofs-replay tests/proofs_replay.sh; run_script proofs proofs/run.sh ;;
fuzz) run_script fuzz fuzz/run.sh "$FUZZ_SECONDS" ;;
all)
    run_unit
    run_script alert-table tests/check_alert_table.py
    run_script check-parts tests/check_parts_test.sh
    run_script make-targets tests/make_targets_test.sh
    run_system
    # every benchmark at a few seconds' size: that each still runs and
    # reports all its figures, never how fast
    run_script bench-smoke mk/bench_run.sh smoke
    # before the proofs stage: it rewrites STATUS.md, this checks the committed one
    run_script proofs-status proofs/run.sh --check
    run_script proofs-replay tests/proofs_replay.sh
    run_script proofs proofs/run.sh
    run_script fuzz fuzz/run.sh "$FUZZ_SECONDS"
    ;;
*) echo "usage: tests/run.sh unit|system|bench-smoke|proofs|fuzz|all" >&2; exit 2 ;;
esac

pass=$(grep -c '^PASS: ' "$log" || true)
fail=$(grep -c '^FAIL: ' "$log" || true)
if [ "$fail" -gt 0 ]; then
    echo
    echo "failures:"
    grep '^FAIL: ' "$log" | sed 's/^/  /'
fi
echo
echo "atoll test summary: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
