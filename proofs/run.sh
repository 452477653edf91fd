#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Frama-C WP, with RTE guards, over the wire parsers and emitters and the
# Internet checksum. One Frama-C run per module (one .c file: the module's
# functions, the static inline helpers of base/wire.h it includes, and the
# lemmas of the spec/ headers it includes). Called by `make proofs` and by
# tests/run.sh; prints one line per module:
#   PASS: proofs <module> (<proved>/<goals> goals)
#   FAIL: proofs <module> (<proved>/<goals> goals, ...)
# and writes proofs/STATUS.md (the modules run; the others as it had them).
# Exits non-zero when any goal stays unproved.
#
#   proofs/run.sh [module ...]     default: every module
#   proofs/run.sh --check          PASS/FAIL: proofs-status: do STATUS.md's
#       digests match the tree, each module proved cold as it is now?
#   PROOFS_CACHE=auto|cold|none|replay|update   (default auto)
#       auto: a module whose digest (proofs/status.py: Frama-C's print of
#         its code and ACSL, its options) equals the digest of its last cold
#         run recorded in proofs/STATUS.md replays its verdicts from
#         proofs/cache; any other module is proved cold. The cache alone
#         cannot vouch for changed code: a forged "valid" in it only counts
#         for the very module text a cold run proved.
#       cold: every module cold (WP's -wp-cache rebuild into an empty
#         cache: every prover runs, no verdict read; the results
#         proofs/cache lacks are added for later replays).
#       none: every module cold, nothing stored.
#       replay: every module from the cache, whatever its digest (a quick
#         look while editing; records no cold run). update: the same, but
#         runs and stores what the cache lacks.
#   PROOFS_SMOKE=1   after each module's proof, its smoke tests (see
#       proofs/README.md): FAIL when one is proved (contradictory contract
#       or dead code), INCONCLUSIVE line for those that time out.
#       PROOFS_SMOKE_TIMEOUT=1 prover timeout per smoke goal, seconds.
#   PROOFS_TIMEOUT=20  prover timeout per goal, seconds. At 10 s, cold runs on
#       this 2-core machine under load left goals of dhcp, tcp, tls_ch_iter and
#       tls_emit unproved that prove in a few seconds on a quiet machine.
#   PROOFS_KEEP=1    keep the Frama-C logs (printed path; kept on failure).
set -u
cd "$(dirname "$0")/.."
root=$PWD
export WHY3CONFIG="$root/proofs/why3.conf"
status=$root/proofs/STATUS.md

# The proof modules come from the folders' source lists (mk/parts.sh proofs:
# "module source [frama-c options]"), the one list the build reads too.
ALL_MODULES=()
declare -A SRC=() EXTRA=()
while read -r m src opts; do
    ALL_MODULES+=("$m")
    SRC[$m]=$src
    EXTRA[$m]=$opts
done < <(mk/parts.sh proofs)

# The options that shape the goals: part of every module's digest, so
# changing one proves every module cold again.
PROOF_OPTS="-wp-rte -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast -wp-split"

if [ "${1:-}" = --check ]; then
    command -v frama-c >/dev/null 2>&1 || { echo "FAIL: proofs-status (frama-c not installed: run 'make deps')"; exit 1; }
    mk/parts.sh proofs | /usr/bin/python3 proofs/status.py check "$status" "$root" "$PROOF_OPTS"
    exit $?
fi

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
cache=${PROOFS_CACHE:-auto}
case "$cache" in
auto | cold | none | replay | update) ;;
rebuild) cache=cold ;; # WP's name for it
*) echo "proofs/run.sh: PROOFS_CACHE must be auto, cold, none, replay or update" >&2; exit 2 ;;
esac
mkdir -p "$cache_dir"

timeout=${PROOFS_TIMEOUT:-20}
smoke=${PROOFS_SMOKE:-0}
work=$(mktemp -d "${TMPDIR:-/tmp}/atoll-proofs.XXXXXX")
keep_work=${PROOFS_KEEP:-0} # 1: keep the logs (a failure keeps them anyway)
trap '[ "$keep_work" = 1 ] || rm -rf "$work"' EXIT

# -wp-split: one goal per path and conjunct. More goals, each small: without
# it a few goals on branchy parsers took 5-10 s, too close to the timeout on
# a loaded machine.
read -r -a proof_opts <<<"$PROOF_OPTS"
wp_args=(-cpp-extra-args=-I$root -wp "${proof_opts[@]}"
    -wp-prover z3,cvc4,cvc5 -wp-timeout "$timeout" -wp-session "$work/session")

store_cold_results() { # the rebuilt cache of one module
    local f dst
    for f in "$1"/*.json; do
        [ -f "$f" ] || continue
        dst=$cache_dir/${f##*/}
        if [ ! -f "$dst" ] || ! grep -q '"verdict": "valid"' "$dst"; then cp "$f" "$dst"; fi
    done
}

run_module() { # source, log, json, extra args...
    local src=$1 log=$2 json=$3
    shift 3
    frama-c "${wp_args[@]}" "$@" -wp-report-json "$json" "$src" \
        -then -report-classify -report-unclassified-unknown ERROR >"$log" 2>&1
}

# Smoke tests select no ordinary goal (they were proved just before) and
# print every smoke goal with each prover's own verdict (WP's summary lines
# fold "timed out" into "passed").
NO_PROPS=-@lemma,-@requires,-@assigns,-@ensures,-@exits,-@assert,-@invariant,-@variant,-@breaks,-@continues,-@returns,-@complete_behaviors,-@disjoint_behaviors,-@terminates,-@decreases,-@check
run_smoke() { # module, extra args...
    local m=$1 t0 rc
    shift
    t0=$(date +%s)
    frama-c "${wp_args[@]}" "$@" -wp-par 2 -wp-smoke-tests -wp-smoke-timeout "${PROOFS_SMOKE_TIMEOUT:-1}" \
        -wp-prop="$NO_PROPS" -wp-print "${SRC[$m]}" >"$work/$m.smoke.log" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL: proofs-smoke $m (frama-c exit $rc; log: $work/$m.smoke.log)"
        return 1
    fi
    /usr/bin/python3 proofs/status.py smoke "$work/$m.smoke.log" "$m" "$work/$m.smoke.json" || return 1
    echo "proofs: $m: smoke tests $(($(date +%s) - t0)) s"
}

# Digests now, and those of the last cold runs (from STATUS.md as committed
# or last written).
declare -A DIGEST=() COLD=() COLD_DATE=()
while read -r m d; do DIGEST[$m]=$d; done < <(for m in "${modules[@]}"; do echo "$m ${SRC[$m]} ${EXTRA[$m]}"; done |
    /usr/bin/python3 proofs/status.py digest "$root" "$PROOF_OPTS")
while read -r m d date; do COLD[$m]=$d; COLD_DATE[$m]=$date; done < <(/usr/bin/python3 proofs/status.py cold "$status")
for m in "${modules[@]}"; do
    [ -n "${DIGEST[$m]:-}" ] || { echo "FAIL: proofs $m (no digest: proofs/status.py digest failed)"; exit 1; }
done

start=$(date +%s)
failed=0
for m in "${modules[@]}"; do
    src=${SRC[$m]}
    log=$work/$m.log
    t0=$(date +%s)
    extra=()
    [ -n "${EXTRA[$m]:-}" ] && read -r -a extra <<<"${EXTRA[$m]}"
    d=${DIGEST[$m]}
    cold=${COLD[$m]:-none}
    how=$cache
    if [ "$cache" = auto ]; then
        if [ "$cold" = "$d" ]; then how=replay; else how=cold; fi
    fi
    case "$how" in
    replay | update)
        if [ "$cold" = "$d" ]; then
            echo "proofs: $m: replay from proofs/cache (digest ${d:0:16} proved cold ${COLD_DATE[$m]})"
        else
            echo "proofs: $m: replay from proofs/cache, PROOFS_CACHE=$cache (digest ${d:0:16}; last cold run: ${COLD_DATE[$m]:-never}, ${cold:0:16})"
        fi
        # No prover runs in offline mode: -wp-par only overlaps cache lookups.
        mode=(-wp-cache offline -wp-par 16)
        [ "$how" = update ] && mode=(-wp-cache update -wp-par 2)
        run_module "$src" "$log" "$work/$m.json" "${extra[@]}" "${mode[@]}" -wp-cache-dir "$cache_dir"
        rc=$?
        if [ "$rc" -ne 0 ] && [ "$how" = replay ]; then
            cp "$log" "$work/$m.offline.log"
            missing=$(grep -oE 'Cache\] .*failed:[0-9]+' "$log" | grep -oE 'failed:[0-9]+' | cut -d: -f2)
            echo "proofs: $m: ${missing:-some} prover results not in proofs/cache; running the provers" \
                "for those (PROOFS_CACHE=cold proofs/run.sh $m stores them)"
            run_module "$src" "$log" "$work/$m.json" "${extra[@]}" -wp-par 2 \
                -wp-cache replay -wp-cache-dir "$cache_dir"
            rc=$?
        fi
        how=replay
        ;;
    cold | none)
        if [ "$cold" = "$d" ]; then why="PROOFS_CACHE=$cache"
        elif [ "$cold" = none ]; then why="never proved cold"
        else why="changed since its last cold run ${COLD_DATE[$m]}: ${cold:0:16}"; fi
        echo "proofs: $m: cold, no cached verdict read (digest ${d:0:16}; $why)"
        if [ "$how" = none ]; then
            run_module "$src" "$log" "$work/$m.json" "${extra[@]}" -wp-par 2
            rc=$?
        else
            # Into an empty cache of its own, then copied over what
            # proofs/cache lacks, and over any entry there that is not a
            # valid verdict (a stale timeout from a loaded machine would
            # otherwise shadow the proof just found, for the same goal and
            # prover); valid entries stay byte for byte.
            mkdir -p "$work/cache.$m"
            run_module "$src" "$log" "$work/$m.json" "${extra[@]}" -wp-par 2 \
                -wp-cache rebuild -wp-cache-dir "$work/cache.$m"
            rc=$?
            [ "$rc" -eq 0 ] && store_cold_results "$work/cache.$m"
        fi
        how=cold
        ;;
    esac
    secs=$(($(date +%s) - t0))
    line=$(grep -E '^\[wp\] Proved goals:' "$log" | tail -1)
    proved=$(echo "$line" | sed -E 's/.*: *([0-9]+) *\/ *([0-9]+).*/\1/')
    goals=$(echo "$line" | sed -E 's/.*: *([0-9]+) *\/ *([0-9]+).*/\2/')
    [ -n "$line" ] || { proved=0; goals=0; }
    echo "$m $src $rc $proved $goals $secs $how $d" >>"$work/summary"
    if [ "$rc" -eq 0 ] && [ -n "$line" ] && [ "$proved" = "$goals" ] && [ "$goals" -gt 0 ]; then
        echo "PASS: proofs $m ($proved/$goals goals)"
    else
        echo "FAIL: proofs $m ($proved/$goals goals, frama-c exit $rc; log: $log)"
        # the unproved goals and any error, for the reader of a CI log
        grep -E '^\[wp\] \[(Failed|Timeout|Unknown)|Goal .*: (Unknown|Timeout|Failed)|\[kernel\].*(rror|aborted)|\[report\].*ERROR|^\[wp\] Warning' "$log" | head -40
        keep_work=1
        failed=1
    fi
    if [ "$smoke" = 1 ]; then
        run_smoke "$m" "${extra[@]}" || { keep_work=1; failed=1; }
    fi
done
total=$(($(date +%s) - start))

# A run of some modules rewrites their part of STATUS.md and keeps the rest.
[ "$smoke" = 1 ] && touch "$work/smoke-all"
/usr/bin/python3 "$root/proofs/status.py" report "$work" "$root" "$cache" "$total" "$status" >"$status.tmp" \
    && mv "$status.tmp" "$status" \
    || { rm -f "$status.tmp"; echo "FAIL: proofs status report (proofs/status.py)"; failed=1; }
echo "proofs: ${total} s (cache: $cache)"
[ "$keep_work" = 1 ] && echo "proofs: logs in $work"
exit $failed
