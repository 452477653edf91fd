#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds every fuzz harness (fuzz/fuzz_<name>.c) twice, into build/fuzz/:
#   build/fuzz/fuzz_<name>         AFL++ (afl-clang-fast -fsanitize=fuzzer, i.e. AFL's
#                                  libFuzzer-compatible driver) with ASan + UBSan: for afl-fuzz
#   build/fuzz/replay/fuzz_<name>  plain clang with ASan + UBSan and fuzz/replay_main.c: runs
#                                  given files/directories once (seed replay, crash reproduction)
# The library sources of every part (mk/parts.sh: each folder's sources list, without
# the program entry points) are compiled in directly, with the project's warning flags;
# mbedtls and zlib are linked. Usage: fuzz/build.sh [name...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=build/fuzz
AFL_CC=${AFL_CC:-afl-clang-fast}
REPLAY_CC=${REPLAY_CC:-clang}
# Both crypto backends are in (fuzz_tls_crypto_diff compares them); wolfCrypt
# is the archive `make` builds from Debian's source (mk/wolfcrypt.mk).
WOLFCRYPT=build/wolfcrypt
WARN="-std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -I. -Iinclude -DWOLFSSL_USER_SETTINGS -I$WOLFCRYPT/include -Imk/wolfcrypt"
LIBS="$WOLFCRYPT/host/libwolfcrypt.a -lmbedx509 -lmbedcrypto -lz"
[ -f "$WOLFCRYPT/host/libwolfcrypt.a" ] || { echo "fuzz/build.sh: $WOLFCRYPT/host/libwolfcrypt.a missing (make fuzz-build builds it)" >&2; exit 1; }
SAN="-g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"

if [ $# -gt 0 ]; then
    names="$*"
else
    names=$(for f in fuzz/fuzz_*.c; do basename "$f" .c; done | sed 's/^fuzz_//')
fi

for tool in "$AFL_CC" "$REPLAY_CC"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "fuzz/build.sh: $tool not found (Debian packages: afl++ clang; see make deps)" >&2
        exit 1
    fi
done

mkdir -p "$OUT/obj/afl" "$OUT/obj/replay" "$OUT/replay"
export AFL_QUIET=1 # no afl-cc banner per file

# One flavour: compiler, extra flags, object dir.
compile_core() {
    local cc=$1 flags=$2 dir=$3 src obj pids=() rc=0
    # shellcheck disable=SC2046 # one word per source
    for src in $(mk/parts.sh lib $(mk/parts.sh parts)); do
        obj="$dir/${src//\//_}"
        obj="${obj%.c}.o"
        # shellcheck disable=SC2086
        $cc $WARN $SAN $flags -c "$src" -o "$obj" &
        pids+=($!)
    done
    # the appliance's tls_backend_default: the default build's choice
    # shellcheck disable=SC2086
    $cc $WARN $SAN $flags -DTLS_BACKEND_CHOICE=atoll_tls_backend_wolfcrypt -c tls/backend/default.c -o "$dir/tls_backend_default.o" &
    pids+=($!)
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    return $rc
}

rm -f "$OUT"/obj/afl/*.o "$OUT"/obj/replay/*.o
compile_core "$AFL_CC" "-O2" "$OUT/obj/afl"
compile_core "$REPLAY_CC" "-O1" "$OUT/obj/replay"
# shellcheck disable=SC2086
$REPLAY_CC $WARN $SAN -O1 -c fuzz/replay_main.c -o "$OUT/obj/replay_main.o"

for n in $names; do
    src=fuzz/fuzz_$n.c
    [ -f "$src" ] || { echo "fuzz/build.sh: no harness $src" >&2; exit 1; }
    # shellcheck disable=SC2086
    $AFL_CC $WARN $SAN -O2 -fsanitize=fuzzer "$src" "$OUT"/obj/afl/*.o $LIBS -o "$OUT/fuzz_$n" &
    # shellcheck disable=SC2086
    $REPLAY_CC $WARN $SAN -O1 "$src" "$OUT/obj/replay_main.o" "$OUT"/obj/replay/*.o $LIBS -o "$OUT/replay/fuzz_$n" &
    ok=1
    wait -n || ok=0
    wait -n || ok=0
    if [ "$ok" -ne 1 ]; then
        echo "fuzz/build.sh: building $n failed" >&2
        exit 1
    fi
done
echo "fuzz/build.sh: built $(echo "$names" | wc -w) harnesses into $OUT/ (replay drivers in $OUT/replay/)"
