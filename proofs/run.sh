#!/bin/bash
# Frama-C WP, with RTE guards, over the wire parsers and emitters and the
# Internet checksum. One Frama-C run per module (one .c file: the module's
# functions, the static inline helpers of base/wire.h it includes, and the
# lemmas of the spec/ headers it includes). Called by `make proofs` and by
# tests/run.sh; prints one line per module:
#   PASS: proofs <module> (<proved>/<goals> goals)
#   FAIL: proofs <module> (<proved>/<goals> goals, ...)
# and writes proofs/STATUS.md. Exits non-zero when any goal stays unproved.
#
#   proofs/run.sh [module ...]     default: every module
#   PROOFS_CACHE=replay|update|rebuild|none   (default: replay when
#       proofs/cache exists, else update). replay takes every result it can
#       from the cache without running a prover (Frama-C's "offline" mode,
#       many goals at a time since no prover runs), then, for a module with
#       goals missing from the cache, runs the provers on those goals only
#       (Frama-C's "replay"); the cache is left untouched. update runs the
#       provers for missing goals and stores their results; rebuild empties
#       the cache first (drops stale entries); none ignores it (a cold run).
#   PROOFS_SMOKE=1   smoke tests instead (see proofs/README.md): looks for
#       contradictory contracts and dead code; writes no STATUS.md.
#   PROOFS_TIMEOUT=10  prover timeout per goal, seconds.
#   PROOFS_KEEP=1    keep the Frama-C logs (printed path; kept on failure).
set -u
cd "$(dirname "$0")/.."
root=$PWD
export WHY3CONFIG="$root/proofs/why3.conf"

# The proof modules come from the folders' source lists (mk/parts.sh proofs:
# "module source [frama-c options]"), the one list the build reads too.
ALL_MODULES=()
declare -A SRC=() EXTRA=()
while read -r m src opts; do
    ALL_MODULES+=("$m")
    SRC[$m]=$src
    EXTRA[$m]=$opts
done < <(mk/parts.sh proofs)

if [ $# -gt 0 ]; then modules=("$@"); else modules=("${ALL_MODULES[@]}"); fi
for m in "${modules[@]}"; do
    if [ -z "${SRC[$m]:-}" ]; then
        echo "proofs/run.sh: unknown module '$m' (modules: ${ALL_MODULES[*]})" >&2
        exit 2
    fi
done

for tool in frama-c why3 z3 cvc4 cvc5 /usr/bin/python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL: proofs ($tool not installed: run 'make deps')"
        exit 1
    fi
done

cache_dir=$root/proofs/cache
cache=${PROOFS_CACHE:-}
if [ -z "$cache" ]; then
    if [ -d "$cache_dir" ] && [ -n "$(ls -A "$cache_dir" 2>/dev/null)" ]; then cache=replay; else cache=update; fi
fi
case "$cache" in
replay | update | none) ;;
rebuild) rm -rf "$cache_dir"; cache=update ;;
*) echo "proofs/run.sh: PROOFS_CACHE must be replay, update, rebuild or none" >&2; exit 2 ;;
esac
[ "$cache" = update ] && mkdir -p "$cache_dir"
cache_args=()
[ "$cache" != none ] && cache_args=(-wp-cache "$cache" -wp-cache-dir "$cache_dir")

smoke_cache=() # smoke tests read the cache, never write their goals into it
[ "$cache" != none ] && smoke_cache=(-wp-cache replay -wp-cache-dir "$cache_dir")

timeout=${PROOFS_TIMEOUT:-10}
smoke=${PROOFS_SMOKE:-0}
work=$(mktemp -d /tmp/atoll-proofs.XXXXXX)
keep_work=${PROOFS_KEEP:-0} # 1: keep the logs (a failure keeps them anyway)
trap '[ "$keep_work" = 1 ] || rm -rf "$work"' EXIT

# -wp-split: one goal per path and conjunct. More goals, each small: without
# it a few goals on branchy parsers took 5-10 s, too close to the timeout on
# a loaded machine.
wp_args=(-cpp-extra-args=-I$root -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast
    -wp-prover z3,cvc4,cvc5 -wp-timeout "$timeout" -wp-session "$work/session" -wp-split)

run_module() { # source, log, json, extra args...
    local src=$1 log=$2 json=$3
    shift 3
    frama-c "${wp_args[@]}" "$@" -wp-report-json "$json" "$src" \
        -then -report-classify -report-unclassified-unknown ERROR >"$log" 2>&1
}

start=$(date +%s)
failed=0
for m in "${modules[@]}"; do
    src=${SRC[$m]}
    log=$work/$m.log
    t0=$(date +%s)
    if [ "$smoke" = 1 ]; then
        # Smoke tests: for each function, "its precondition is false" and
        # "this statement is unreachable" become goals that must NOT be
        # proved. A proved one ("[Failed] Smoke-test") means a contradictory
        # contract or dead code. The ordinary goals come from the cache.
        frama-c "${wp_args[@]}" -wp-par 2 -wp-smoke-tests \
            -wp-smoke-timeout "${PROOFS_SMOKE_TIMEOUT:-2}" "${smoke_cache[@]}" \
            "$src" >"$log" 2>&1
        rc=$?
        smokes=$(grep -c '\] Smoke-test ' "$log" || true)
        bad=$(grep -E '^\[wp\] \[Failed\] Smoke-test ' "$log" | sort -u)
        if [ "$rc" -eq 0 ] && [ -z "$bad" ] && [ "$smokes" -gt 0 ]; then
            echo "PASS: proofs-smoke $m ($smokes smoke tests, none proved; $(($(date +%s) - t0)) s)"
        else
            echo "FAIL: proofs-smoke $m (exit $rc; log: $log)"
            echo "$bad" | head -20
            keep_work=1
            failed=1
        fi
        continue
    fi
    extra=()
    [ -n "${EXTRA[$m]:-}" ] && read -r -a extra <<<"${EXTRA[$m]}"
    if [ "$cache" = replay ]; then
        # No prover runs in offline mode: -wp-par only overlaps cache lookups.
        run_module "$src" "$log" "$work/$m.json" "${extra[@]}" -wp-par 16 \
            -wp-cache offline -wp-cache-dir "$cache_dir"
        rc=$?
        if [ "$rc" -ne 0 ]; then
            cp "$log" "$work/$m.offline.log"
            missing=$(grep -oE 'Cache\] .*failed:[0-9]+' "$log" | grep -oE 'failed:[0-9]+' | cut -d: -f2)
            echo "proofs: $m: ${missing:-some} prover results not in proofs/cache; running the provers" \
                "(refresh the cache: PROOFS_CACHE=update make proofs)"
            run_module "$src" "$log" "$work/$m.json" "${extra[@]}" -wp-par 2 "${cache_args[@]}"
            rc=$?
        fi
    else
        run_module "$src" "$log" "$work/$m.json" "${extra[@]}" -wp-par 2 "${cache_args[@]}"
        rc=$?
    fi
    secs=$(($(date +%s) - t0))
    line=$(grep -E '^\[wp\] Proved goals:' "$log" | tail -1)
    proved=$(echo "$line" | sed -E 's/.*: *([0-9]+) *\/ *([0-9]+).*/\1/')
    goals=$(echo "$line" | sed -E 's/.*: *([0-9]+) *\/ *([0-9]+).*/\2/')
    [ -n "$line" ] || { proved=0; goals=0; }
    echo "$m $src $rc $proved $goals $secs" >>"$work/summary"
    if [ "$rc" -eq 0 ] && [ -n "$line" ] && [ "$proved" = "$goals" ] && [ "$goals" -gt 0 ]; then
        echo "PASS: proofs $m ($proved/$goals goals)"
    else
        echo "FAIL: proofs $m ($proved/$goals goals, frama-c exit $rc; log: $log)"
        # the unproved goals and any error, for the reader of a CI log
        grep -E '^\[wp\] \[(Failed|Timeout|Unknown)|Goal .*: (Unknown|Timeout|Failed)|\[kernel\].*(rror|aborted)|\[report\].*ERROR|^\[wp\] Warning' "$log" | head -40
        keep_work=1
        failed=1
    fi
done
total=$(($(date +%s) - start))

if [ "$smoke" != 1 ] && [ $# -eq 0 ]; then
    /usr/bin/python3 "$root/proofs/status.py" "$work" "$root" "$cache" "$total" >"$root/proofs/STATUS.md.tmp" \
        && mv "$root/proofs/STATUS.md.tmp" "$root/proofs/STATUS.md" \
        || { rm -f "$root/proofs/STATUS.md.tmp"; echo "FAIL: proofs status report (proofs/status.py)"; failed=1; }
fi
echo "proofs: ${total} s (cache: $cache)"
[ "$keep_work" = 1 ] && echo "proofs: logs in $work"
exit $failed
