#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# wolfCrypt (the crypto half of wolfSSL, GPL-2.0-or-later) from Debian
# bookworm's source package, built twice with mk/wolfcrypt/user_settings.h:
# hosted for build/atoll and freestanding for the PVH image.
#   mk/wolfcrypt.sh fetch          the source package, verified by apt, unpacked
#   mk/wolfcrypt.sh build OUTDIR   fetch if needed, then OUTDIR/{host,pvh}/libwolfcrypt.a
#                                  and the headers in OUTDIR/include
# mk/wolfcrypt/*.patch are ours (cpuid.patch: run-time dispatch fixes; a change to a
# GPL-2.0-or-later file, so under that licence).
# The source lives in $WOLFSSL_CACHE (default build/deps/wolfssl). apt runs
# with a private sources list and lists directory: the system's apt
# configuration is neither read for sources nor changed, yet the files are
# checked against Debian's signed index with the system's archive keyring.
# dpkg-source -x applies Debian's patches (the security fixes among them).
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${WOLFSSL_CACHE:-build/deps/wolfssl}
CC=${CC:-gcc}

fetch() {
    [ -f "$CACHE/src/.unpacked" ] && return 0
    command -v dpkg-source >/dev/null || { echo "mk/wolfcrypt.sh: dpkg-source missing (mk/deps.sh run)" >&2; exit 1; }
    rm -rf "$CACHE"
    mkdir -p "$CACHE/apt/lists/partial" "$CACHE/apt/archives/partial" "$CACHE/dl"
    local abs
    abs=$(cd "$CACHE" && pwd)
    echo "deb-src http://deb.debian.org/debian bookworm main" >"$abs/apt/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$abs/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$abs/apt/lists" -o "Dir::Cache=$abs/apt" -o "Dir::Cache::archives=$abs/apt/archives"
        -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
    echo "mk/wolfcrypt.sh: fetching Debian bookworm's wolfssl source package into $CACHE" >&2
    apt-get -qq "${opts[@]}" update
    (cd "$abs/dl" && apt-get -qq "${opts[@]}" source --download-only wolfssl)
    local dsc
    dsc=$(ls "$abs"/dl/wolfssl_*.dsc)
    if ! dpkg-source -x "$dsc" "$abs/src" >"$abs/dpkg-source.log" 2>&1; then
        cat "$abs/dpkg-source.log" >&2
        exit 1
    fi
    # The .dsc's own signature needs debian-keyring to check; apt has already
    # checked every file's hash against the signed index, so that warning is noise.
    grep -i 'warning' "$abs/dpkg-source.log" | grep -v 'cannot verify inline signature' >&2 || true
    basename "$dsc" .dsc | sed 's/^wolfssl_//' >"$abs/src/.debian-version"
    touch "$abs/src/.unpacked"
}

# The modules a TLS 1.3 server's primitives need; each archive member is
# pulled into a link only when called.
C_SRCS="aes chacha poly1305 chacha20_poly1305 curve25519 fe_operations sha256 sha512 hmac hash
random ecc sp_int sp_x86_64 rsa wolfmath memory wc_port error logging cpuid asn coding kdf"
ASM_SRCS="aes_asm aes_gcm_asm chacha_asm poly1305_asm fe_x25519_asm sha256_asm sha512_asm sp_x86_64_asm"
# Hosted: what build/atoll links (Debian's gcc makes PIE by default).
HOST_FLAGS="-O2 -g -fPIE"
# The PVH image: XEN_CFLAGS's code generation (the Makefile). The .S files
# keep a red zone in places (sp_521_mont_sqr_avx2_9); harmless there, since
# interrupts run on IST stacks (xen/trap_entry.S).
PVH_FLAGS="-O2 -g -ffreestanding -fno-pic -fno-pie -mno-red-zone -fno-omit-frame-pointer -fstack-protector-strong"

build_one() {
    local out=$1 flags=$2 src=$CACHE/src/wolfcrypt/src
    rm -rf "$out"
    mkdir -p "$out/obj"
    local objs=() f extra
    for f in $C_SRCS; do
        # aes.c's key-schedule inversion uses AES-NI intrinsics, under
        # the CPUID check; nowhere else may the compiler emit them.
        extra=""
        [ "$f" = aes ] && extra="-maes"
        local c=$src/$f.c
        # Our patches, each to one file, applied to a copy (the cache stays
        # Debian's): mk/wolfcrypt/NAME.patch for wolfcrypt/src/NAME.c.
        if [ -f "mk/wolfcrypt/$f.patch" ]; then
            c=$out/obj/$f.c
            patch --quiet -o "$c" "$src/$f.c" "mk/wolfcrypt/$f.patch"
        fi
        # shellcheck disable=SC2086
        $CC -std=gnu11 $flags $extra -DWOLFSSL_USER_SETTINGS -Imk/wolfcrypt -I"$CACHE/src" -c "$c" -o "$out/obj/$f.o"
        objs+=("$out/obj/$f.o")
    done
    for f in $ASM_SRCS; do
        # Not every .S file reads user_settings.h: what configure's
        # --enable-intelasm passes them.
        # shellcheck disable=SC2086
        $CC $flags -DWOLFSSL_USER_SETTINGS -DWOLFSSL_X86_64_BUILD -DHAVE_AESGCM -Imk/wolfcrypt -I"$CACHE/src" -c "$src/$f.S" -o "$out/obj/$f.o"
        objs+=("$out/obj/$f.o")
    done
    ar rcs "$out/libwolfcrypt.a.tmp" "${objs[@]}"
    mv "$out/libwolfcrypt.a.tmp" "$out/libwolfcrypt.a"
}

build() {
    local out=$1
    fetch
    build_one "$out/host" "$HOST_FLAGS"
    build_one "$out/pvh" "$PVH_FLAGS"
    rm -rf "$out/include"
    mkdir -p "$out/include/wolfssl"
    cp -r "$CACHE/src/wolfssl/wolfcrypt" "$out/include/wolfssl/"
    cp "$CACHE/src/wolfssl/version.h" "$out/include/wolfssl/"
    cp "$CACHE/src/.debian-version" "$out/debian-version"
    echo "mk/wolfcrypt.sh: wolfCrypt $(cat "$out/debian-version") in $out/{host,pvh}/libwolfcrypt.a" >&2
}

case "${1:-}" in
fetch) fetch ;;
build) [ $# -eq 2 ] || { echo "usage: mk/wolfcrypt.sh build OUTDIR" >&2; exit 2; }; build "$2" ;;
*) echo "usage: mk/wolfcrypt.sh fetch | build OUTDIR" >&2; exit 2 ;;
esac
