#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Does proofs/run.sh refuse a forged cache? In a temporary copy of the tree
# (the real proofs/cache and proofs/STATUS.md are never written: checked at
# the end):
#   1. checksum, unchanged and recorded as proved cold, replays and passes;
#   2. csum_add16 is weakened (subtracts 65534: its `\result <= 65535` is
#      false), the provers' verdicts on the new goals are stored and forged
#      to "valid"; a plain replay (PROOFS_CACHE=replay) now passes: the
#      forgery works;
#   3. the default run sees a digest no cold run proved, proves checksum
#      cold and FAILs;
# and proofs/run.sh --check names checksum once it is changed.
# About two minutes here (two cold-ish runs of a 103-goal module).
set -u
cd "$(dirname "$0")/.."
real=$PWD
tmp=$(mktemp -d /tmp/atoll-proofs-replay.XXXXXX)
# run.sh keeps its logs on a failure, which this test provokes: point it at
# a directory inside $tmp.
export TMPDIR=$tmp/t
mkdir -p "$TMPDIR"
trap 'rm -rf "$tmp"' EXIT
fail=0
pass() { echo "PASS: proofs-replay $*"; }
bad() { echo "FAIL: proofs-replay $*"; fail=1; }

before=$( (sha256sum proofs/STATUS.md; ls proofs/cache | sha256sum) 2>&1)

git ls-files -z --cached --others --exclude-standard | (cd "$real" && xargs -0 cp --parents -t "$tmp")
cd "$tmp" || exit 1
export PROOFS_TIMEOUT=2 # checksum's goals take well under a second; the false ones time out sooner

out=$(proofs/run.sh checksum 2>&1)
if grep -q '^proofs: checksum: replay from proofs/cache (digest' <<<"$out" &&
    grep -q '^PASS: proofs checksum ' <<<"$out"; then
    pass "checksum unchanged: replayed from the cache"
else
    bad "checksum unchanged: not replayed (is it recorded as proved cold in proofs/STATUS.md?)"
    echo "$out" | head -20
fi

# csum_add16: "if (s > 65535u) s = s - 65535u;" is its first subtraction.
grep -q '        s = s - 65535u;' tcpip/checksum.c || { bad "tcpip/checksum.c: no subtraction to weaken"; exit 1; }
sed -i '0,/        s = s - 65535u;/s//        s = s - 65534u;/' tcpip/checksum.c
out=$(proofs/run.sh --check 2>&1)
if grep -q '^FAIL: proofs-status checksum: STATUS.md digest' <<<"$out"; then
    pass "proofs/run.sh --check names the changed module"
else
    bad "proofs/run.sh --check did not flag checksum"
    echo "$out" | head -10
fi

ls proofs/cache >"$tmp/cache.before"
PROOFS_CACHE=update proofs/run.sh checksum >"$tmp/update.log" 2>&1
forged=0
for f in $(ls proofs/cache | comm -13 "$tmp/cache.before" -); do
    if ! grep -q '"verdict": "valid"' "proofs/cache/$f"; then
        sed -i -E 's/"verdict": "[a-z]+"/"verdict": "valid"/' "proofs/cache/$f"
        forged=$((forged + 1))
    fi
done
if [ "$forged" -eq 0 ]; then
    bad "weakened csum_add16: no failed verdict stored to forge"
    tail -20 "$tmp/update.log"
    exit 1
fi

out=$(PROOFS_CACHE=replay proofs/run.sh checksum 2>&1)
if grep -q '^PASS: proofs checksum ' <<<"$out"; then
    pass "weakened csum_add16, $forged forged verdicts: a plain replay passes (the forgery works)"
else
    bad "forged verdicts not taken by PROOFS_CACHE=replay: this test proves nothing"
    echo "$out" | head -20
fi

out=$(proofs/run.sh checksum 2>&1)
if grep -q '^proofs: checksum: cold, no cached verdict read' <<<"$out" &&
    grep -q '^FAIL: proofs checksum ' <<<"$out"; then
    pass "weakened csum_add16: the default run goes cold and fails"
else
    bad "weakened csum_add16 with forged verdicts: the default run did not go cold and fail"
    echo "$out" | head -20
fi

cd "$real" || exit 1
after=$( (sha256sum proofs/STATUS.md; ls proofs/cache | sha256sum) 2>&1)
[ "$before" = "$after" ] || bad "the real proofs/STATUS.md or proofs/cache changed"
exit $fail
