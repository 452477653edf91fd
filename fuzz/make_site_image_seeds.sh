#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Writes the seed corpus fuzz/corpus/site_image/ with build/atoll-pack (make
# build/atoll-pack first): a few tiny sites with throwaway self-signed
# certificates, each image prefixed with the harness's mode byte (see the
# top of fuzz/fuzz_site_image.c). The directory is emptied and rewritten;
# commit the result. Keys differ on every run, so the bytes do too.
set -euo pipefail
cd "$(dirname "$0")/.."
PACK=build/atoll-pack
[ -x "$PACK" ] || { echo "make build/atoll-pack first" >&2; exit 1; }
out=fuzz/corpus/site_image
tmp=$(mktemp -d /tmp/atoll-seeds.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

cert() { # name cn sans
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/$1.key" \
        -out "$tmp/$1.pem" -days 3650 -subj "/CN=$2" -addext "subjectAltName=$3" 2>/dev/null
}
cert a a.test DNS:a.test
cert b b.test "DNS:b.test,DNS:*.b.test"

seed() { # name mode image
    { printf "\\x$(printf %02x "$2")"; cat "$3"; } >"$out/$1"
}

rm -rf "$out"
mkdir -p "$out"

# one page
mkdir -p "$tmp/one"
printf '<h1>hi</h1>\n' >"$tmp/one/index.html"
"$PACK" "$tmp/one" --cert "$tmp/a.pem" --key "$tmp/a.key" -o "$tmp/one.img" -q
seed one_page 0 "$tmp/one.img"
seed one_page_repair 7 "$tmp/one.img"
head -c 100 "$tmp/one.img" >"$tmp/trunc.img"
seed truncated_repair 7 "$tmp/trunc.img"

# directories, redirects, a 404 page, a gzip variant, an empty file, two credentials
mkdir -p "$tmp/site/blog/post" "$tmp/site/css"
printf '<p>home</p>' >"$tmp/site/index.html"
printf '<p>gone</p>' >"$tmp/site/404.html"
printf '<p>blog</p>' >"$tmp/site/blog/index.html"
printf '<p>post</p>' >"$tmp/site/blog/post/index.html"
for i in 1 2 3 4 5 6 7 8 9 10; do printf 'p { margin: 0 }\n'; done >"$tmp/site/css/s.css"
: >"$tmp/site/empty.txt"
printf 'x' >"$tmp/site/a b.txt"
"$PACK" "$tmp/site" --cert "$tmp/a.pem" --key "$tmp/a.key" --cert "$tmp/b.pem" --key "$tmp/b.key" \
    -o "$tmp/site.img" -q
seed site 0 "$tmp/site.img"
seed site_repair 7 "$tmp/site.img"

# no files at all
mkdir -p "$tmp/empty"
"$PACK" "$tmp/empty" --cert "$tmp/b.pem" --key "$tmp/b.key" -o "$tmp/empty.img" -q 2>/dev/null
seed empty_site 4 "$tmp/empty.img"

echo "make_site_image_seeds.sh: wrote $(ls "$out" | wc -l) seeds to $out"
