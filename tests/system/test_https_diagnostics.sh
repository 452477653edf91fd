#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What a user debugging a deployment sees on the console:
#  - a certificate with less than 30 days left is warned about at start;
#  - each failed TLS handshake logs one info line naming the peer, the
#    alert and the SNI asked for, at most 10 per 10 s (a flood of garbage
#    cannot flood the console; the next line counts those left out);
#  - the `timeouts` counter counts a 408 for an unfinished request head;
#  - a client offering only ALPN http/1.0 is served (h2 alone is refused);
#  - with --dhcp and no DHCP server, the site lines say the appliance is
#    waiting for an address instead of claiming HTTPS is up.
. "$(dirname "$0")/lib.sh"
require openssl curl
PROBE=$REPO/tests/system/https_probe.py

"$REPO/tests/system/tls_certs.sh" "$CERTS" || fail "test certificates"
mkdir -p "$TMPD/site"
echo '<h1>hello</h1>' >"$TMPD/site/index.html"
# A leaf with 10 days left, signed by the test CA.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=atoll.test \
    -keyout "$TMPD/short.key" -out "$TMPD/short.csr" 2>/dev/null || fail "CSR"
printf 'subjectAltName=DNS:atoll.test\n' >"$TMPD/ext"
openssl x509 -req -in "$TMPD/short.csr" -CA "$CERTS/ca.pem" -CAkey "$CERTS/ca.key" -CAcreateserial \
    -days 10 -extfile "$TMPD/ext" -out "$TMPD/short.pem" 2>/dev/null || fail "signing the short-lived certificate"
"$REPO/build/atoll-pack" "$TMPD/site" --cert "$TMPD/short.pem" --key "$TMPD/short.key" -o "$TMPD/site.img" -q ||
    fail "atoll-pack"
ns_setup
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --ip 10.0.0.2/24 --site "$TMPD/site.img" --header-timeout 1
grep -Eq '^atoll: warn: site certificate for atoll.test expires in (9|10) days \([0-9]{4}-[0-9]{2}-[0-9]{2}\)$' \
    "$ATOLL_LOG" || fail "no warning about the certificate's 10 days left"
say "$(grep 'site certificate' "$ATOLL_LOG")"

# A client offering only h2: no_application_protocol, logged with its SNI.
in_ns timeout 10 openssl s_client -connect "$ATOLL_IP:443" -servername atoll.test -alpn h2 -tls1_3 \
    </dev/null >/dev/null 2>&1
wait_for_line "$ATOLL_LOG" '^atoll: info: tls: handshake with 10\.0\.0\.1:[0-9]+ failed: alert sent no_application_protocol, SNI "atoll\.test"$' 5 ||
    fail "no log line for the refused ALPN"
say "$(grep -m1 'tls: handshake with' "$ATOLL_LOG")"
# 40 garbage handshakes at once: at most 10 lines (the one above included).
pids=()
for i in $(seq 40); do
    printf '\026\003\001\000\005garbage' | in_ns timeout 5 nc -q 1 "$ATOLL_IP" 443 >/dev/null 2>&1 &
    pids+=($!)
done
wait "${pids[@]}"
n=$(grep -c 'tls: handshake with' "$ATOLL_LOG")
[ "$n" -le 10 ] || fail "$n handshake failure lines within seconds: not rate-limited"
[ "$n" -ge 5 ] || fail "only $n handshake failure lines for 41 failures"
sleep 10.5
printf '\026\003\001\000\005garbage' | in_ns timeout 5 nc -q 1 "$ATOLL_IP" 443 >/dev/null 2>&1
wait_for_line "$ATOLL_LOG" 'tls: handshake with .* failed: .*\([0-9]+ more not logged\)$' 5 ||
    fail "the line after the quiet period does not count the lines left out"
say "$(grep 'more not logged' "$ATOLL_LOG")"

# ALPN http/1.0 alone (curl --http1.0) is accepted, and the HTTP/1.0
# request answered (with an HTTP/1.1 status line, as RFC 9112 2.3 asks, and
# the connection closed: no keep-alive was asked for).
in_ns curl -sS -v --http1.0 --max-time 10 --cacert "$CERTS/ca.pem" --resolve "atoll.test:443:$ATOLL_IP" \
    -o "$TMPD/h10.body" https://atoll.test/index.html 2>"$TMPD/h10.err" || fail "curl --http1.0 failed: $(tail -n 3 "$TMPD/h10.err")"
grep -q 'ALPN: server accepted http/1.0' "$TMPD/h10.err" || fail "curl --http1.0: ALPN http/1.0 not accepted"
grep -q '^> GET /index.html HTTP/1.0' "$TMPD/h10.err" || fail "curl did not send an HTTP/1.0 request"
grep -q '^< HTTP/1.1 200' "$TMPD/h10.err" || fail "curl --http1.0: $(grep '^< HTTP' "$TMPD/h10.err")"
cmp -s "$TMPD/h10.body" "$TMPD/site/index.html" || fail "curl --http1.0: wrong body"

# An unfinished head: 408 after the 1 s header timeout, counted.
out=$(in_ns "$PY" "$PROBE" raw "$ATOLL_IP" 443 "$CERTS/ca.pem" 'GET / HTTP/1.1\r\nHost: atoll.test\r\n')
case "$out" in "HTTP/1.1 408"*) ;; *) fail "an unfinished head got: $out" ;; esac
atoll_stop
grep -Eq '^atoll: info: web: .* timeouts=1 ' "$ATOLL_LOG" || fail "the 408 was not counted in timeouts: $(grep 'web:' "$ATOLL_LOG")"

# DHCP with nobody answering: the site waits for an address, and says so.
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --dhcp --site "$TMPD/site.img"
grep -q '^atoll: info: site: .*HTTPS on port 443 once DHCP gives an address (waiting)$' "$ATOLL_LOG" ||
    fail "with --dhcp and no server the site line does not say it is waiting: $(grep 'site:' "$ATOLL_LOG")"
atoll_stop
pass "ALPN http/1.0 served, certificate expiry warned, handshake failures logged and rate-limited, 408 counted, DHCP wait stated"
