#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks that the Debian packages the build and the test suite use are
# installed; as root installs what is missing, otherwise prints the line to run.
set -eu
PKGS="gcc make clang libclang-rt-14-dev llvm libc6-dev pkg-config libmbedtls-dev libcmocka-dev afl++ \
frama-c-base why3 z3 cvc4 cvc5 iproute2 iputils-ping iputils-arping dnsmasq-base nftables \
python3 python3-scapy tcpdump hping3 netcat-openbsd openssl procps valgrind gnutls-bin curl zlib1g-dev \
jekyll jekyll-theme-minima ruby-jekyll-feed chromium libnss3-tools apache2-utils python3-pil nginx-light \
qemu-system-x86"

missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "atoll: missing Debian packages:$missing" >&2
    echo "atoll: run as root:  apt-get install -y$missing" >&2
    exit 1
fi
echo "atoll: installing missing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || true
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
