#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What the make targets promise a new user: `make run` installs the run
# set of Debian packages alone, and that set holds no test or bench tool;
# plain `make` builds the programs but no sanitizer test binary (`make all`
# does); `make help` names every target a user can call, and the README's
# "Make targets" table names the same ones. Dry runs only (make -n into an
# empty build directory, mk/deps.sh --print): nothing is built or
# installed. Run by tests/run.sh (unit stage).
set -u
cd "$(dirname "$0")/.."
fails=0
tmp=$(mktemp -d /tmp/atoll-targets.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "PASS: make-targets $1"; }
bad() { echo "FAIL: make-targets $1"; fails=1; }

# ---- the package sets
run_set=" $(mk/deps.sh --print run) "
test_set=" $(mk/deps.sh --print test) "
bench_set=" $(mk/deps.sh --print bench) "
hits=""
for p in libcmocka-dev afl++ clang llvm frama-c-base why3 z3 cvc4 cvc5 python3-scapy chromium libnss3-tools \
    jekyll dnsmasq-base hping3 tcpdump gnutls-bin nftables valgrind nginx-light apache2-utils; do
    case "$run_set" in *" $p "*) hits="$hits $p" ;; esac
done
if [ -z "$hits" ]; then ok "the run set holds no test or bench package"; else bad "the run set holds test/bench packages:$hits"; fi
missing=""
for p in gcc make libmbedtls-dev zlib1g-dev openssl iproute2; do
    case "$run_set" in *" $p "*) ;; *) missing="$missing $p" ;; esac
done
if [ -z "$missing" ]; then ok "the run set holds what building and make run need"; else bad "the run set lacks:$missing"; fi
missing=""
for p in libcmocka-dev afl++ frama-c-base python3-scapy chromium; do
    case "$test_set" in *" $p "*) ;; *) missing="$missing $p" ;; esac
done
for p in nginx-light valgrind nftables; do
    case "$bench_set" in *" $p "*) ;; *) missing="$missing $p(bench)" ;; esac
done
if [ -z "$missing" ]; then ok "the test and bench sets hold their tools"; else bad "sets lack:$missing"; fi

# ---- what each target asks mk/deps.sh for, and builds (into an empty build dir)
dry() { make --no-print-directory -n BUILD="$tmp/b" "$@" 2>&1; }
deps_asked() { grep -oE 'mk/deps\.sh( [a-z]+)+' | sort -u | tr '\n' ';'; }
out=$(dry run)
asked=$(deps_asked <<<"$out")
if [ "$asked" = "mk/deps.sh run;" ]; then ok "make run asks for the run set only"; else bad "make run asks for: $asked"; fi
grep -q 'mk/run.sh' <<<"$out" || bad "make -n run does not reach mk/run.sh"
out=$(dry)
asked=$(deps_asked <<<"$out")
if [ "$asked" = "mk/deps.sh run;" ]; then ok "plain make asks for the run set only"; else bad "plain make asks for: $asked"; fi
if grep -q -- "-o $tmp/b/atoll-pack" <<<"$out" && ! grep -qE -- "$tmp/b/tests/|-fsanitize" <<<"$out"; then
    ok "plain make builds the programs and no test binary"
else
    bad "plain make: $(grep -cE -- "$tmp/b/tests/|-fsanitize" <<<"$out") sanitizer/test commands, or no atoll-pack"
fi
if dry all | grep -q -- "-o $tmp/b/tests/test_"; then ok "make all builds the test binaries"; else bad "make all builds no test binary"; fi
# test_qemu.sh boots the PVH image: `make test` (what .ci/run calls) must build it.
if dry test | grep -q -- "-o $tmp/b/atoll.xen"; then ok "make test builds the PVH image"; else bad "make test does not build build/atoll.xen"; fi
asked=$(dry test | deps_asked)
case "$asked" in *"mk/deps.sh all;"*) ok "make test asks for every set" ;; *) bad "make test asks for: $asked" ;; esac
asked=$(dry bench | deps_asked)
if [[ "$asked" == *"mk/deps.sh run bench;"* && "$asked" != *test* && "$asked" != *all* ]]; then
    ok "make bench asks for the run and bench sets, not the test set"
else
    bad "make bench asks for: $asked"
fi

asked=$(dry bench-smoke | deps_asked)
if [[ "$asked" == *"mk/deps.sh run bench;"* && "$asked" != *test* ]] && dry bench-smoke | grep -q 'mk/bench_run.sh smoke'; then
    ok "make bench-smoke asks for the run and bench sets and runs the smoke benchmarks"
else
    bad "make bench-smoke asks for: $asked, or does not reach mk/bench_run.sh smoke"
fi
# `make test` installs every set (above), the bench set with it: its suite runs bench-smoke.
if sed -n '/^all)/,/;;/p' tests/run.sh | grep -q 'mk/bench_run.sh smoke'; then
    ok "make test's suite runs the bench smoke"
else
    bad "tests/run.sh all does not run mk/bench_run.sh smoke"
fi

# ---- make help, the README table and the Makefile's .PHONY agree
# help lines: "  make TARGET ..." (one space); plain make: "  make" and spaces
help_targets=$(make --no-print-directory help | sed -nE 's/^  make ([a-z][a-z-]*).*/\1/p; s/^  make {2,}.*/(make)/p' | sort -u)
readme_targets=$(awk '/^## Make targets/ { t = 1; next } t && /^## / { t = 0 } t' README.md |
    sed -nE 's/^\| `make ([a-z][a-z-]*)[ `].*/\1/p; s/^\| `make` \|.*/(make)/p' | sort -u)
phony=$(sed -nE 's/^\.PHONY: *//p' Makefile | tr ' ' '\n' | grep . | sort -u)
[ -n "$help_targets" ] && [ -n "$readme_targets" ] && [ -n "$phony" ] || bad "could not read make help, the README table or .PHONY"
diff_sets() { comm -23 <(printf '%s\n' "$1") <(printf '%s\n' "$2") | tr '\n' ' '; }
d=$(diff_sets "$help_targets" "$readme_targets")
if [ -z "$d" ]; then ok "every target in make help is in the README table"; else bad "in make help, not in the README table: $d"; fi
d=$(diff_sets "$readme_targets" "$help_targets")
if [ -z "$d" ]; then ok "every target in the README table is in make help"; else bad "in the README table, not in make help: $d"; fi
d=$(diff_sets "$phony" "$help_targets")
if [ -z "$d" ]; then ok "every .PHONY target is in make help"; else bad ".PHONY targets missing from make help: $d"; fi
exit $fails
