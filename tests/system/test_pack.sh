#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# build/atoll-pack end to end, no network: a real Jekyll site (jekyll new,
# or a hand-written source tree when jekyll new cannot run offline) plus
# static files of many types, a self-signed certificate from openssl,
# packed; `atoll-pack --list` must show every file of _site with its size
# and content type, directory indexes and redirects, the 404 page; packing
# twice gives the same bytes. Then the refusals: a symlink escaping the
# site, a name that cannot be a URL, a key that does not match, an
# unreadable file (packing as nobody), a file over the format's limit, a
# corrupted image; and an expired certificate, which only warns. Each
# refusal exits 1 and names the file at fault; none leaves an image. One
# run with a bad certificate, a bad name, an unreadable file and an
# unreadable directory names all four. The summary line counts in words
# ("1 redirect") and kilobytes for a small site.
. "$(dirname "$0")/lib.sh"

PACK=${PACK:-$REPO/build/atoll-pack}
[ -x "$PACK" ] || fail "$PACK not built (make build/atoll-pack)"
require jekyll openssl setpriv truncate

# ---- a Jekyll site ----
"$(dirname "$0")/jekyll_site.sh" "$TMPD" || fail "building the Jekyll site"
src=$TMPD/blog
site=$src/_site
nfiles=$(find -L "$site" -type f | wc -l)
say "jekyll: $nfiles files in _site"

# ---- credentials ----
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMPD/key.pem" \
    -out "$TMPD/cert.pem" -days 30 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,DNS:Blog.Test" \
    2>"$TMPD/openssl.log" || fail "openssl req: $(cat "$TMPD/openssl.log")"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMPD/other.key" \
    -out "$TMPD/other.pem" -days 30 -subj /CN=other.test 2>>"$TMPD/openssl.log" || fail "openssl req (second key)"

# ---- pack and list ----
img=$TMPD/site.img
say "pack: $site"
"$PACK" "$site" --cert "$TMPD/cert.pem" --key "$TMPD/key.pem" -o "$img" 2>"$TMPD/pack.err" ||
    fail "atoll-pack failed: $(cat "$TMPD/pack.err")"
grep -q "^atoll-pack: wrote $img: $nfiles files" "$TMPD/pack.err" || fail "no summary line: $(cat "$TMPD/pack.err")"
[ "$(stat -c %a "$img")" = 600 ] || fail "the image (it holds the key) is mode $(stat -c %a "$img"), not 600"
"$PACK" --list "$img" >"$TMPD/list" 2>"$TMPD/list.err" || fail "--list failed: $(cat "$TMPD/list.err")"
SHOW_FILES+=("$TMPD/list")

# The content type the packer must give each extension present here.
type_of() {
    case "${1##*.}" in
    html) echo "text/html; charset=utf-8" ;;
    css) echo "text/css; charset=utf-8" ;;
    js) echo "text/javascript; charset=utf-8" ;;
    json | map) echo "application/json" ;;
    xml) echo "application/xml; charset=utf-8" ;;
    svg) echo "image/svg+xml; charset=utf-8" ;;
    png) echo "image/png" ;;
    woff2) echo "font/woff2" ;;
    txt) echo "text/plain; charset=utf-8" ;;
    *) echo "application/octet-stream" ;;
    esac
}

checked=0
while IFS= read -r -d '' f; do
    rel=${f#"$site"}
    size=$(stat -L -c %s "$f")
    want=$(type_of "$rel")
    line=$(awk -F'\t' -v p="$rel" '$1 == "file" && $2 == p' "$TMPD/list")
    [ -n "$line" ] || fail "$rel is not in the image"
    IFS=$'\t' read -r _ _ type lsize etag mtime gz <<<"$line"
    [ "$type" = "$want" ] || fail "$rel: type '$type', expected '$want'"
    [ "$lsize" = "$size" ] || fail "$rel: size $lsize in the image, $size on disk"
    [[ "$etag" =~ ^\"[0-9a-f]{32}\"$ ]] || fail "$rel: ETag '$etag' is not a quoted digest"
    [ "$mtime" = "$(stat -L -c %Y "$f")" ] || fail "$rel: mtime $mtime, $(stat -L -c %Y "$f") on disk"
    [ "$gz" = - ] || [ "$gz" -lt "$size" ] || fail "$rel: gzip variant of $gz bytes is not smaller than $size"
    checked=$((checked + 1))
done < <(find -L "$site" -type f -print0)
[ "$checked" -eq "$nfiles" ] || fail "checked $checked of $nfiles files"
[ "$(grep -c '^file' "$TMPD/list")" -eq "$nfiles" ] || fail "the image holds other files than _site"
grep -q '^# atoll site image v1: .* 404 page /404.html,' "$TMPD/list" || fail "no 404 page in the image"
grep -qP '^index\t/\t' "$TMPD/list" || fail "no index entry for /"
grep -qP '^redirect\t/about\t/about/$' "$TMPD/list" || fail "no redirect /about -> /about/"
grep -qP '^index\t/about/\t' "$TMPD/list" || fail "no index entry for /about/"
grep -qP '^redirect\t/docs/my notes\t/docs/my%20notes/$' "$TMPD/list" || fail "no encoded redirect for /docs/my notes"
grep -qP '^file\t/assets/site.css\t.*\t[0-9]+$' "$TMPD/list" || fail "the CSS got no gzip variant"
grep -qP '^file\t/assets/blob.bin\t.*\t-$' "$TMPD/list" || fail "random bytes got a gzip variant"
grep -qP '^cred\t0\tlocalhost,blog.test\t1\t' "$TMPD/list" || fail "credential names wrong"
say "list: $checked files checked (type, size, ETag, mtime, gzip), indexes, redirects, 404, credential"

# The summary in words as written: "1 redirect", kilobytes under a megabyte.
small=$TMPD/small
mkdir -p "$small/about"
printf '<h1>home</h1>' >"$small/index.html"
printf '<h1>about</h1>' >"$small/about/index.html"
yes 'p { color: red }' | head -c 3000 >"$small/site.css"
"$PACK" "$small" --cert "$TMPD/cert.pem" --key "$TMPD/key.pem" -o "$TMPD/small.img" 2>"$TMPD/small.err" ||
    fail "packing the small site failed: $(cat "$TMPD/small.err")"
grep -Eq "^atoll-pack: wrote $TMPD/small.img: 3 files \(3\.0 KB\), 2 directory indexes, 1 redirect, no 404 page, 1 gzip variant \([0-9]+\.[0-9] KB saved\), 1 credential, [0-9]+ bytes\$" "$TMPD/small.err" ||
    fail "the summary line reads: $(cat "$TMPD/small.err")"

"$PACK" "$site" --cert "$TMPD/cert.pem" --key "$TMPD/key.pem" -o "$TMPD/again.img" -q 2>"$TMPD/pack2.err" ||
    fail "second pack failed"
[ -s "$TMPD/pack2.err" ] && fail "--quiet still printed: $(cat "$TMPD/pack2.err")"
cmp -s "$img" "$TMPD/again.img" || fail "packing the same tree twice gave different images"

# ---- refusals ----
# expect_refusal NAME_REGEX REASON_REGEX ARGS...: exit 1, no image, and a
# stderr line naming the file with the reason.
expect_refusal() {
    local who=$1 why=$2 rc
    shift 2
    rm -f "$TMPD/bad.img"
    "$@" >"$TMPD/out" 2>"$TMPD/err"
    rc=$?
    printf '    %-40s -> %s  %s\n' "$who" "$rc" "$(grep -m1 -E -- "$why" "$TMPD/err")"
    [ "$rc" -eq 1 ] || fail "expected exit 1 for $who, got $rc: $(cat "$TMPD/err")"
    grep -Eq -- "atoll-pack: .*$who.*$why" "$TMPD/err" || fail "stderr does not name $who with /$why/: $(cat "$TMPD/err")"
    [ ! -e "$TMPD/bad.img" ] || fail "an image was left behind after refusing $who"
    [ -z "$(find "$TMPD" -maxdepth 1 -name 'bad.img.tmp-*')" ] || fail "a temporary image was left behind"
}
pack_bad() { "$PACK" "$1" --cert "${2:-$TMPD/cert.pem}" --key "${3:-$TMPD/key.pem}" -o "$TMPD/bad.img"; }

say "refusals"
bad=$TMPD/bad
mkdir -p "$bad"
printf 'ok' >"$bad/index.html"
ln -s /etc/passwd "$bad/leak.txt"
expect_refusal "bad/leak.txt" "escapes the site directory" pack_bad "$bad"
rm "$bad/leak.txt"
printf 'x' >"$bad/what?.html"
expect_refusal "bad/what\?\.html" "cannot be a URL path" pack_bad "$bad"
rm "$bad/what?.html"
printf 'x' >"$bad/$(printf 'line\nbreak.html')"
expect_refusal 'bad/line\\x0abreak.html' "control character" pack_bad "$bad"
rm "$bad/$(printf 'line\nbreak.html')"
expect_refusal "other.key" "does not match the certificate in .*cert.pem" pack_bad "$bad" "$TMPD/cert.pem" "$TMPD/other.key"
printf 'not a certificate\n' >"$TMPD/junk.pem"
expect_refusal "junk.pem" "not a valid certificate" pack_bad "$bad" "$TMPD/junk.pem"
truncate -s 5G "$bad/huge.iso"
expect_refusal "bad/huge.iso" "over the image format's limit" pack_bad "$bad"
rm "$bad/huge.iso"
mkfifo "$bad/pipe"
expect_refusal "bad/pipe" "not a regular file" pack_bad "$bad"
rm "$bad/pipe"

# Unreadable: root reads everything, so pack as nobody.
nob=$TMPD/nobody
mkdir -p "$nob/site"
printf 'ok' >"$nob/site/index.html"
printf 'secret' >"$nob/site/private.html"
cp "$TMPD/cert.pem" "$TMPD/key.pem" "$nob/"
chmod 1777 "$TMPD" # nobody writes bad.img here (and must not leave it)
chmod 755 "$nob" "$nob/site"
chmod 644 "$nob/cert.pem" "$nob/key.pem" "$nob/site/index.html"
chmod 000 "$nob/site/private.html"
chmod 777 "$nob"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$PACK" "$nob/site" --cert "$nob/cert.pem" --key "$nob/key.pem" -o "$TMPD/bad.img"; }
expect_refusal "site/private.html" "cannot read: Permission denied" as_nobody
chmod 644 "$nob/site/private.html"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$PACK" "$nob/site" --cert "$nob/cert.pem" \
    --key "$nob/key.pem" -o "$nob/ok.img" -q 2>"$TMPD/err" || fail "packing as nobody failed: $(cat "$TMPD/err")"
# Every problem in one run: a bad certificate, a name that cannot be a URL,
# an unreadable file and an unreadable directory are all named, and counted.
all=$nob/all
mkdir -p "$all/locked"
printf 'ok' >"$all/index.html"
printf 'x' >"$all/what?.html"
printf 'secret' >"$all/private.html"
printf 'x' >"$all/locked/a.html"
printf 'not a certificate\n' >"$nob/junk.pem"
chmod 755 "$all"
chmod 644 "$all/index.html" "$all/what?.html" "$nob/junk.pem"
chmod 000 "$all/private.html" "$all/locked"
rm -f "$TMPD/bad.img"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$PACK" "$all" --cert "$nob/junk.pem" --key "$nob/key.pem" \
    -o "$TMPD/bad.img" 2>"$TMPD/err"
rc=$?
[ "$rc" -eq 1 ] || fail "a site with four problems: exit $rc: $(cat "$TMPD/err")"
for want in "junk.pem: not a valid certificate" "all/what\?\.html: this name cannot be a URL path: it holds '\?'" \
    "all/private.html: cannot read: Permission denied" "all/locked: cannot read the directory: Permission denied"; do
    grep -Eq "^atoll-pack: .*$want" "$TMPD/err" || fail "one run did not report /$want/: $(cat "$TMPD/err")"
done
grep -q '^atoll-pack: 4 problems; no image written$' "$TMPD/err" || fail "not 4 problems counted: $(cat "$TMPD/err")"
[ ! -e "$TMPD/bad.img" ] || fail "an image was left behind with four problems"
chmod 755 "$all/locked"
chmod 700 "$TMPD"

# An expired certificate: a warning naming it, and an image all the same.
ca=$TMPD/ca
mkdir -p "$ca"
touch "$ca/index.txt"
echo 01 >"$ca/serial"
cat >"$ca/ca.cnf" <<EOF
[ca]
default_ca = d
[d]
database = $ca/index.txt
new_certs_dir = $ca
serial = $ca/serial
default_md = sha256
policy = p
[p]
commonName = supplied
[ext]
subjectAltName = DNS:old.test
EOF
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$ca/old.key" -out "$ca/old.csr" \
    -subj /CN=old.test 2>>"$TMPD/openssl.log" || fail "openssl req (expired)"
openssl ca -batch -config "$ca/ca.cnf" -selfsign -keyfile "$ca/old.key" -in "$ca/old.csr" -out "$ca/old.pem" \
    -startdate 20200101000000Z -enddate 20200201000000Z -extensions ext -notext >>"$TMPD/openssl.log" 2>&1 ||
    fail "openssl ca (expired certificate): $(tail -3 "$TMPD/openssl.log")"
"$PACK" "$bad" --cert "$ca/old.pem" --key "$ca/old.key" -o "$TMPD/old.img" 2>"$TMPD/err" ||
    fail "an expired certificate must only warn: $(cat "$TMPD/err")"
grep -Eq "atoll-pack: warning: .*old.pem: certificate .* expired on 2020-02-01" "$TMPD/err" ||
    fail "no expiry warning naming old.pem: $(cat "$TMPD/err")"
[ -s "$TMPD/old.img" ] || fail "no image with the expired certificate"

# A corrupted image is refused by --list (the loader's digest check).
cp "$img" "$TMPD/corrupt.img"
printf '\xff' | dd of="$TMPD/corrupt.img" bs=1 seek=5000 conv=notrunc status=none
"$PACK" --list "$TMPD/corrupt.img" >/dev/null 2>"$TMPD/err" && fail "--list accepted a corrupted image"
grep -q "corrupt.img: not a valid site image: SHA-256 digest mismatch" "$TMPD/err" ||
    fail "corruption not reported: $(cat "$TMPD/err")"

# Command-line mistakes: exit 2.
"$PACK" "$site" --cert "$TMPD/cert.pem" --key "$TMPD/key.pem" 2>"$TMPD/err"
[ $? -eq 2 ] && grep -q "no output given" "$TMPD/err" || fail "missing -o: $(cat "$TMPD/err")"
"$PACK" "$site" --key "$TMPD/key.pem" -o "$TMPD/bad.img" 2>"$TMPD/err"
[ $? -eq 2 ] && grep -q "does not follow a --cert" "$TMPD/err" || fail "--key first: $(cat "$TMPD/err")"
"$PACK" "$site" --cert "$TMPD/cert.pem" -o "$TMPD/bad.img" 2>"$TMPD/err"
[ $? -eq 2 ] && grep -q "has no --key" "$TMPD/err" || fail "--cert alone: $(cat "$TMPD/err")"

pass "$checked Jekyll files packed and listed; refusals name their file"
