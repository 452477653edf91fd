#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks that the Debian packages of the sets named are installed; as root
# installs what is missing, otherwise prints the line to run.
#   mk/deps.sh [--print] SET...    SET: run, test, bench, qemu, xen or all
# run: what building and `make run` need, and nothing more, so a user who
# only serves a site is not handed a prover, a fuzzer and a browser.
# test: what the test suite adds (make unit/system/proofs/fuzz). bench: what
# `make bench` adds. --print lists the sets' packages, one line, and
# neither checks nor installs (tests/make_targets_test.sh reads it).
set -eu
# dpkg-dev: dpkg-source, which unpacks wolfSSL's Debian source package (mk/wolfcrypt.sh).
RUN_PKGS="gcc make libc6-dev libmbedtls-dev zlib1g-dev openssl iproute2 dpkg-dev"
TEST_PKGS="libcmocka-dev clang libclang-rt-14-dev llvm afl++ frama-c-base why3 z3 cvc4 cvc5 \
iputils-ping iputils-arping dnsmasq-base nftables python3 python3-scapy tcpdump hping3 netcat-openbsd \
procps gnutls-bin curl apache2-utils jekyll jekyll-theme-minima ruby-jekyll-feed chromium libnss3-tools \
python3-pil qemu-system-x86 cpio pkgconf g++"
QEMU_PKGS="qemu-system-x86"
# Real Xen nested in QEMU (tests/xen/): the kit's debs are fetched by apt-get download, never installed.
XEN_PKGS="qemu-system-x86 cpio curl openssl binutils"
BENCH_PKGS="nginx-light apache2-utils curl python3 procps valgrind nftables"

print=0
if [ "${1:-}" = --print ]; then
    print=1
    shift
fi
[ $# -gt 0 ] || { echo "usage: mk/deps.sh [--print] run|test|bench|qemu|xen|all..." >&2; exit 2; }
PKGS=""
for set in "$@"; do
    case "$set" in
    run) PKGS="$PKGS $RUN_PKGS" ;;
    test) PKGS="$PKGS $TEST_PKGS" ;;
    bench) PKGS="$PKGS $BENCH_PKGS" ;;
    qemu) PKGS="$PKGS $QEMU_PKGS" ;;
    xen) PKGS="$PKGS $XEN_PKGS" ;;
    all) PKGS="$PKGS $RUN_PKGS $TEST_PKGS $BENCH_PKGS $QEMU_PKGS $XEN_PKGS" ;;
    *) echo "mk/deps.sh: unknown set '$set' (run, test, bench, qemu, xen or all)" >&2; exit 2 ;;
    esac
done
# each package once, in first-named order
PKGS=$(printf '%s\n' $PKGS | awk '!seen[$0]++' | tr '\n' ' ')
if [ "$print" = 1 ]; then
    echo "$PKGS"
    exit 0
fi

find_missing() {
    missing=""
    for p in $PKGS; do
        st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$st" in
            *"install ok installed"*) ;;
            *) missing="$missing $p" ;;
        esac
    done
}
find_missing
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "atoll: missing Debian packages:$missing" >&2
    echo "atoll: run as root:  apt-get install -y$missing" >&2
    exit 1
fi
# `make -j` runs several sets' checks at once and apt allows one install at a
# time: the others wait here, then install only what is still missing.
exec 9>/run/atoll-deps.lock
flock 9
find_missing
[ -z "$missing" ] && exit 0
echo "atoll: installing missing Debian packages ($*):$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || true
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
