#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# mk/check_parts.sh has teeth: on a copy of the built objects, a pure part's
# object replaced by one that calls fopen, malloc or (outside appliance/) a
# platform function must fail the check, naming the object and the symbol;
# the real objects pass. Run by tests/run.sh (unit stage).
set -u
cd "$(dirname "$0")/.."
obj=build/obj
fails=0
if [ ! -f "$obj/tcpip/udp.o" ]; then
    echo "FAIL: check-parts self-test (no $obj: run make first)"
    exit 1
fi
tmp=$(mktemp -d /tmp/atoll-parts.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pure="tcpip tls appliance/http appliance/site appliance"

expect() { # name, want (pass|fail), pattern (for fail), objdir
    local name=$1 want=$2 pat=$3 dir=$4 out rc
    out=$(mk/check_parts.sh "$dir" $pure 2>&1)
    rc=$?
    if [ "$want" = pass ] && [ $rc -eq 0 ]; then
        echo "PASS: check-parts $name"
    elif [ "$want" = fail ] && [ $rc -ne 0 ] && grep -q -- "$pat" <<<"$out"; then
        echo "PASS: check-parts $name"
    else
        echo "FAIL: check-parts $name (exit $rc, wanted $want${pat:+ with '$pat'})"
        echo "$out" | head -5
        fails=1
    fi
}

probe() { # object to replace, C body
    rm -rf "$tmp/obj"
    cp -r "$obj" "$tmp/obj"
    printf '%s\n' "$2" >"$tmp/probe.c"
    gcc -std=c11 -O1 -ffreestanding -c "$tmp/probe.c" -o "$tmp/obj/$1"
}

expect "real objects" pass "" "$obj"

# Each program links only its parts: no packer or zlib in the appliance, no
# web service in the packer, no HTTP or site code in the TLS client.
links_none() { # program, regex of symbols it must not define or need
    local hits
    hits=$(nm "build/$1" 2>/dev/null | awk '{ print $NF }' | grep -E "$2" | head -3 | tr '\n' ' ')
    if [ -x "build/$1" ] && [ -z "$hits" ]; then
        echo "PASS: check-parts build/$1 links only its parts"
    else
        echo "FAIL: check-parts build/$1 links what it should not: ${hits:-missing binary}"
        fails=1
    fi
}
links_none atoll '^(deflate|gzwrite|pack_[a-z]|site_pack)'
links_none atoll-pack '^(web_|pump_|http_conn|tls_server|atoll_stack)'
links_none atoll-tls-client '^(web_|http_|site_|atoll_stack)'

probe tcpip/udp.o '#include <stdio.h>
void *udp_probe(void) { return fopen("x", "r"); }'
expect "fopen in tcpip fails" fail "tcpip/udp.o calls fopen" "$tmp/obj"
probe appliance/http/range.o '#include <stdlib.h>
void *range_probe(unsigned n) { return malloc(n); }'
expect "malloc in appliance/http fails" fail "appliance/http/range.o calls malloc" "$tmp/obj"
probe tls/pem.o 'unsigned long long plat_now_ms(void *p);
unsigned long long pem_probe(void *p) { return plat_now_ms(p); }'
expect "platform call in tls fails" fail "tls/pem.o calls plat_now_ms" "$tmp/obj"
exit $fails
