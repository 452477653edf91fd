#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The site appliance end to end: a real Jekyll site built here, packed with
# a certificate from a test CA, served by build/atoll --site on a tap in a
# namespace. Every file fetched over HTTPS with curl and compared byte for
# byte; then each HTTP feature through curl (or raw requests where curl
# cannot send them): HEAD, 304 by ETag and by date, ranges 206/416, gzip
# with Vary and its own ETag, directory redirects, the site's 404 page, 405
# with Allow, 400/413/414/431/501/505, 408 on a slow head, HSTS and the
# security headers (and --header), port 80 answering 301 to https://,
# pipelining, many parallel keep-alive clients (and ab's HTTP/1.0
# keep-alive), a slowloris that does not starve a normal client, a reader
# that stalls, and one access-log line per request with TLS version and
# suite.
. "$(dirname "$0")/lib.sh"
require curl openssl jekyll ab
PACK=$REPO/build/atoll-pack
PROBE=$REPO/tests/system/https_probe.py
[ -x "$PACK" ] || fail "$PACK not built"

CERTS=$TMPD/certs
"$(dirname "$0")/tls_certs.sh" "$CERTS" || fail "test certificates"
"$(dirname "$0")/jekyll_site.sh" "$TMPD" >"$TMPD/jekyll.log" 2>&1 || { SHOW_FILES+=("$TMPD/jekyll.log"); fail "Jekyll site"; }
site=$TMPD/blog/_site
# Bodies for ranges and gzip beyond one TLS record and one TCP window.
head -c 1000000 /dev/urandom >"$site/big.bin"
for i in $(seq 1 20000); do echo "line $i of a compressible text file"; done >"$site/big.txt"
nfiles=$(find -L "$site" -type f | wc -l)
say "site: $nfiles files"

img=$TMPD/site.img
"$PACK" "$site" --cert "$CERTS/ec.pem" --key "$CERTS/ec.key" -o "$img" -q 2>"$TMPD/pack.err" ||
    fail "atoll-pack: $(cat "$TMPD/pack.err")"

ns_setup
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --ip 10.0.0.2/24 --site "$img" --header-timeout 3 --idle-timeout 5 --max-conns 16 \
    --header "X-Served-By: atoll-test" --header "Cache-Control: max-age=60"

CURL=(in_ns curl -sS --max-time 30 --cacert "$CERTS/ca.pem" --resolve "atoll.test:443:$ATOLL_IP")
U=https://atoll.test
hdr() { "${CURL[@]}" -o /dev/null -D - "$@" | tr -d '\r'; }
status_of() { "${CURL[@]}" -o /dev/null -w '%{http_code}' "$@"; }
expect_status() { # WANT WHAT CURL-ARGS...
    local want=$1 what=$2 got
    shift 2
    got=$(status_of "$@") || true
    [ "$got" = "$want" ] || fail "$what: status $got, expected $want"
    say "ok: $what -> $want"
}
expect_hdr() { # HEADERS-TEXT REGEX WHAT
    grep -Eiq "$2" <<<"$1" || { echo "$1" >&2; fail "$3: no header matching /$2/"; }
}
raw() { in_ns "$PY" "$PROBE" raw "$ATOLL_IP" "${PORT:-443}" "${CA:-$CERTS/ca.pem}" "$1" 2>&1; }
expect_raw() { # WANT-STATUS WHAT REQUEST
    local out
    out=$(raw "$3")
    grep -q "^HTTP/1.1 $1 " <<<"$out" || { echo "$out" >&2; fail "$2: expected $1"; }
    say "ok: $2 -> $1"
}

# ---- every file, byte for byte ----
n=0
while IFS= read -r -d '' f; do
    rel=${f#"$site"}
    url=$(printf '%s' "$rel" | sed 's/ /%20/g')
    "${CURL[@]}" -o "$TMPD/got" "$U$url" || fail "GET $rel failed"
    cmp -s "$f" "$TMPD/got" || fail "GET $rel: body differs from the file"
    n=$((n + 1))
done < <(find -L "$site" -type f -print0)
[ "$n" -eq "$nfiles" ] || fail "fetched $n of $nfiles files"
say "ok: all $n files byte-identical over HTTPS"
"${CURL[@]}" -o "$TMPD/got" "$U/" && cmp -s "$site/index.html" "$TMPD/got" || fail "/ is not index.html"

# ---- headers of a 200 ----
h=$(hdr "$U/index.html")
expect_hdr "$h" '^HTTP/1.1 200' "GET /index.html"
expect_hdr "$h" '^Content-Type: text/html; charset=utf-8$' "content type"
expect_hdr "$h" "^Content-Length: $(stat -c %s "$site/index.html")$" "content length"
expect_hdr "$h" '^ETag: "[^"]+"$' "ETag"
expect_hdr "$h" '^Last-Modified: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$' "Last-Modified"
expect_hdr "$h" '^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$' "Date"
expect_hdr "$h" '^Strict-Transport-Security: max-age=31536000' "HSTS"
expect_hdr "$h" '^X-Content-Type-Options: nosniff$' "nosniff"
expect_hdr "$h" '^X-Frame-Options: SAMEORIGIN$' "X-Frame-Options"
expect_hdr "$h" '^Referrer-Policy: ' "Referrer-Policy"
expect_hdr "$h" '^X-Served-By: atoll-test$' "--header"
expect_hdr "$h" '^Cache-Control: max-age=60$' "--header"
etag=$(grep -i '^ETag:' <<<"$h" | cut -d' ' -f2-)
lastmod=$(grep -i '^Last-Modified:' <<<"$h" | cut -d' ' -f2-)
say "ok: 200 headers (type, length, ETag, Last-Modified, Date, HSTS, security, --header)"

# ---- HEAD ----
h=$(hdr -I "$U/index.html")
expect_hdr "$h" "^Content-Length: $(stat -c %s "$site/index.html")$" "HEAD Content-Length"
[ -z "$("${CURL[@]}" -I -o /dev/null -w '%{size_download}' "$U/index.html" | tr -d 0)" ] || fail "HEAD sent a body"
say "ok: HEAD"

# ---- conditional requests ----
expect_status 304 "If-None-Match (same ETag)" -H "If-None-Match: $etag" "$U/index.html"
expect_status 304 "If-None-Match (a list, weak form)" -H "If-None-Match: \"nope\", W/$etag" "$U/index.html"
expect_status 304 "If-None-Match: *" -H "If-None-Match: *" "$U/index.html"
expect_status 200 "If-None-Match (other ETag)" -H 'If-None-Match: "other"' "$U/index.html"
expect_status 304 "If-Modified-Since (Last-Modified)" -H "If-Modified-Since: $lastmod" "$U/index.html"
expect_status 200 "If-Modified-Since (1990)" -H "If-Modified-Since: Mon, 01 Jan 1990 00:00:00 GMT" "$U/index.html"
expect_status 200 "If-None-Match wins over If-Modified-Since" -H 'If-None-Match: "other"' \
    -H "If-Modified-Since: $lastmod" "$U/index.html"
h=$(hdr -H "If-None-Match: $etag" "$U/index.html")
expect_hdr "$h" "^ETag: $etag$" "304 carries the ETag"
[ "$("${CURL[@]}" -o /dev/null -w '%{size_download}' -H "If-None-Match: $etag" "$U/index.html")" = 0 ] ||
    fail "304 with a body"

# ---- ranges ----
"${CURL[@]}" -o "$TMPD/part" -r 1000-1999 "$U/big.bin"
cmp -s "$TMPD/part" <(tail -c +1001 "$site/big.bin" | head -c 1000) || fail "range 1000-1999: wrong bytes"
h=$(hdr -r 1000-1999 "$U/big.bin")
expect_hdr "$h" '^HTTP/1.1 206' "range status"
expect_hdr "$h" '^Content-Range: bytes 1000-1999/1000000$' "Content-Range"
"${CURL[@]}" -o "$TMPD/part" -r -500 "$U/big.bin"
cmp -s "$TMPD/part" <(tail -c 500 "$site/big.bin") || fail "suffix range -500: wrong bytes"
"${CURL[@]}" -o "$TMPD/part" -r 999000- "$U/big.bin"
cmp -s "$TMPD/part" <(tail -c 1000 "$site/big.bin") || fail "open range 999000-: wrong bytes"
expect_status 416 "unsatisfiable range" -r 2000000-2000100 "$U/big.bin"
h=$(hdr -r 2000000-2000100 "$U/big.bin")
expect_hdr "$h" '^Content-Range: bytes \*/1000000$' "416 Content-Range"
expect_status 200 "If-Range with another ETag gives the whole body" -r 0-9 -H 'If-Range: "other"' "$U/big.bin"
say "ok: ranges (206, suffix, open, 416, If-Range)"

# ---- gzip ----
h=$(hdr -H 'Accept-Encoding: gzip' "$U/big.txt")
expect_hdr "$h" '^Content-Encoding: gzip$' "gzip variant"
expect_hdr "$h" '^Vary: Accept-Encoding' "Vary"
expect_hdr "$h" '^ETag: "[^"]*-gz"$' "gzip ETag"
"${CURL[@]}" --compressed -o "$TMPD/got" "$U/big.txt"
cmp -s "$site/big.txt" "$TMPD/got" || fail "gzip body does not inflate to the file"
h=$(hdr "$U/big.txt")
grep -qi '^Content-Encoding' <<<"$h" && fail "gzip sent without Accept-Encoding"
expect_hdr "$h" '^Vary: Accept-Encoding' "Vary on the identity response"
expect_status 200 "Accept-Encoding: gzip;q=0 gets identity" -H 'Accept-Encoding: gzip;q=0' "$U/big.txt"
h=$(hdr -H 'Accept-Encoding: gzip;q=0' "$U/big.txt")
grep -qi '^Content-Encoding' <<<"$h" && fail "gzip sent for q=0"
say "ok: gzip with Vary and its own ETag"

# ---- redirects, 404 ----
h=$(hdr "$U/about")
expect_hdr "$h" '^HTTP/1.1 301' "directory redirect"
expect_hdr "$h" '^Location: /about/$' "directory redirect Location"
expect_status 200 "directory index" "$U/about/"
expect_status 200 "percent-encoded name" "$U/docs/my%20notes/read%20me.txt"
expect_status 200 "dot segments" "$U/docs/../index.html"
"${CURL[@]}" -o "$TMPD/got" -w '%{http_code}' "$U/no/such/page" >"$TMPD/code"
[ "$(cat "$TMPD/code")" = 404 ] || fail "missing page: status $(cat "$TMPD/code")"
cmp -s "$site/404.html" "$TMPD/got" || fail "404 is not the site's own 404.html"
say "ok: 301, index, decoding, 404 page"

# ---- methods and malformed requests ----
expect_status 405 "POST" -X POST -d x "$U/index.html"
h=$(hdr -X DELETE "$U/index.html")
expect_hdr "$h" '^Allow: GET, HEAD$' "405 Allow"
expect_raw 501 "unknown method" 'BREW / HTTP/1.1\r\nHost: atoll.test\r\n\r\n'
expect_raw 505 "HTTP/2.0 request line" 'GET / HTTP/2.0\r\nHost: atoll.test\r\n\r\n'
expect_raw 400 "no Host" 'GET / HTTP/1.1\r\n\r\n'
expect_raw 400 "space before colon" 'GET / HTTP/1.1\r\nHost : atoll.test\r\n\r\n'
expect_raw 400 "obs-fold" 'GET / HTTP/1.1\r\nHost: atoll.test\r\nX: a\r\n b\r\n\r\n'
expect_raw 400 "bad percent-encoding" 'GET /%zz HTTP/1.1\r\nHost: atoll.test\r\n\r\n'
expect_raw 413 "huge Content-Length" 'GET / HTTP/1.1\r\nHost: atoll.test\r\nContent-Length: 100000000\r\n\r\n'
expect_raw 400 "two Content-Lengths" 'GET / HTTP/1.1\r\nHost: atoll.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'
expect_status 414 "long target" "$U/$(head -c 5000 /dev/zero | tr '\0' a)"
hdrs=()
for i in $(seq 1 100); do hdrs+=(-H "X-Many-$i: v"); done
expect_status 431 "too many header fields" "${hdrs[@]}" "$U/index.html"
expect_status 431 "one huge field" -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' b)" "$U/index.html"

# ---- 408: a request head that does not complete in time ----
t0=$(date +%s)
out=$(in_ns "$PY" - "$ATOLL_IP" "$CERTS/ca.pem" <<'EOF'
import socket, ssl, sys
s = ssl.create_default_context(cafile=sys.argv[2]).wrap_socket(
    socket.create_connection((sys.argv[1], 443), timeout=20), server_hostname="atoll.test")
s.sendall(b"GET / HTTP/1.1\r\nHost: atoll.test\r\n")
data = b""
try:
    while True:
        c = s.recv(4096)
        if not c:
            break
        data += c
except (OSError, ssl.SSLError):
    pass
print(data.split(b"\r\n")[0].decode())
EOF
)
grep -q '^HTTP/1.1 408' <<<"$out" || fail "slow head: '$out', expected 408"
[ $(($(date +%s) - t0)) -le 8 ] || fail "408 came after $(($(date +%s) - t0)) s (timeout 3 s)"
say "ok: 408 after the header timeout"

# ---- plain HTTP on port 80 ----
h=$(in_ns curl -sS --max-time 10 -o /dev/null -D - -H 'Host: atoll.test' "http://$ATOLL_IP/blog/x?y=1" | tr -d '\r')
expect_hdr "$h" '^HTTP/1.1 301' "port 80"
expect_hdr "$h" '^Location: https://atoll.test/blog/x\?y=1$' "port 80 Location"
grep -qi '^Strict-Transport-Security' <<<"$h" && fail "HSTS over plain HTTP (RFC 6797 7.2 forbids it)"
PORT=80 CA=- expect_raw 400 "port 80 without Host" 'GET / HTTP/1.1\r\n\r\n'
say "ok: port 80 -> 301 https://"

# ---- a User-Agent that tries to break the log line ----
"${CURL[@]}" -o /dev/null -A 'x" 200 0 "forged\z' "$U/index.html" || fail "GET with a quoting User-Agent"

# ---- pipelining and keep-alive ----
in_ns "$PY" "$PROBE" pipeline "$ATOLL_IP" 443 "$CERTS/ca.pem" /index.html /big.txt /about/ /assets/site.css \
    >"$TMPD/pipe.out" 2>&1 || { SHOW_FILES+=("$TMPD/pipe.out"); fail "pipelining"; }
say "ok: 4 pipelined requests answered in order"
in_ns "$PY" "$PROBE" keepalive "$ATOLL_IP" 443 "$CERTS/ca.pem" 16 25 "$site" /index.html /big.txt \
    /assets/site.css /about/index.html /big.bin >"$TMPD/ka.out" 2>&1 ||
    { SHOW_FILES+=("$TMPD/ka.out"); fail "parallel keep-alive clients"; }
say "ok: $(head -1 "$TMPD/ka.out")"
in_ns ab -q -k -n 400 -c 12 -f TLS1.3 "https://$ATOLL_IP/index.html" >"$TMPD/ab.out" 2>&1 ||
    { SHOW_FILES+=("$TMPD/ab.out"); fail "ab"; }
grep -Eq '^Complete requests: +400$' "$TMPD/ab.out" || { SHOW_FILES+=("$TMPD/ab.out"); fail "ab: not all complete"; }
grep -Eq '^Failed requests: +0$' "$TMPD/ab.out" || { SHOW_FILES+=("$TMPD/ab.out"); fail "ab: failed requests"; }
grep -Eq '^Keep-Alive requests: +400$' "$TMPD/ab.out" || { SHOW_FILES+=("$TMPD/ab.out"); fail "ab: HTTP/1.0 keep-alive not honoured"; }
say "ok: ab -k (HTTP/1.0 keep-alive) 400 requests, $(grep 'Requests per second' "$TMPD/ab.out" | tr -s ' ')"

# ---- slowloris (more connections than --max-conns) while a client is served ----
in_ns "$PY" "$PROBE" slowloris "$ATOLL_IP" 443 "$CERTS/ca.pem" 40 12 >"$TMPD/slow.out" 2>&1 &
slow=$!
BG_PIDS+=("$slow")
sleep 3
for i in 1 2 3 4 5; do
    t0=$(date +%s%N)
    "${CURL[@]}" -o "$TMPD/got" "$U/index.html" || fail "normal client starved during slowloris (try $i)"
    cmp -s "$site/index.html" "$TMPD/got" || fail "wrong body during slowloris"
    say "  normal client served in $(((($(date +%s%N) - t0)) / 1000000)) ms during slowloris"
    sleep 1
done
wait "$slow" || true
say "ok: $(cat "$TMPD/slow.out")"
grep -Eq 'closed by the server, 0 still open' "$TMPD/slow.out" || fail "slowloris connections outlived the header timeout"

# ---- a reader that stalls is dropped ----
in_ns "$PY" "$PROBE" stall "$ATOLL_IP" 443 "$CERTS/ca.pem" /big.bin 12 >"$TMPD/stall.out" 2>&1 ||
    fail "stall probe: $(cat "$TMPD/stall.out")"
atoll_alive
expect_status 200 "served after all that" "$U/index.html"

atoll_stop
SHOW_FILES+=("$ATOLL_LOG")
grep -Eq '^atoll: info: web: .* evicted=[1-9]' "$ATOLL_LOG" || fail "slowloris: no connection evicted at the cap"
grep -Eq '^atoll: info: web: .* stalled=[1-9]' "$ATOLL_LOG" || fail "the stalled reader was not dropped"
# Access log: Combined Log Format + TLS version and suite.
re='^10\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] "GET /index.html HTTP/1.1" 200 [0-9]+ "-" "curl/[^"]+" TLSv1.3 TLS_[A-Z0-9_]+$'
grep -Eq "$re" "$ATOLL_LOG" || fail "no access-log line like: $re"
grep -Eq '"GET /blog/x\?y=1 HTTP/1.1" 301 [0-9]+ "-" "curl/[^"]+" - -$' "$ATOLL_LOG" || fail "no access-log line for port 80"
grep -Eq '"BREW / HTTP/1.1" 501 ' "$ATOLL_LOG" || fail "no access-log line for the 501"
grep -Fq '"x\" 200 0 \"forged\\z" TLSv1.3' "$ATOLL_LOG" || fail "the User-Agent's quote and backslash are not escaped in the log"
lines=$(grep -Ec '^10\.0\.0\.1 - - \[' "$ATOLL_LOG")
say "access log: $lines lines"
pass "Jekyll site byte-identical over HTTPS ($nfiles files) and every HTTP feature"
