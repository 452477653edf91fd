#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Atoll's TLS as an embedder gets it: make install into a temporary prefix,
# then only what was installed.
#   - The archives export nothing without the atoll_ prefix, and every
#     exported symbol is declared in an installed header; each installed
#     header compiles alone as C11 and as C++11 and includes nothing but the
#     C library's stddef/stdint and other atoll/ headers.
#   - examples/tls_client (built twice: mbedtls and wolfCrypt backends, from
#     pkg-config flags only) fetches a page from openssl s_server -WWW,
#     byte-identical, validating chain and name; a wrong name is refused
#     with bad_certificate and an unknown CA with unknown_ca.
#   - examples/tls_server (its own crypto table around mbedtls) serves curl:
#     a greeting, 2 MB byte-identical, 4 downloads at once, a 404; curl
#     refuses it under a name its certificate lacks; tls_client talks to it
#     too; SIGTERM stops it with exit 0 and the count of what it served.
#   - make uninstall leaves no file behind.
# Everything talks over 127.0.0.1 inside the test's namespace.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/embed_lib.sh"
require openssl curl pkg-config cc g++ nm sha256sum

embed_install
INC=$PREFIX_DIR/include/atoll

say "exported symbols of the installed archives"
for a in "$PREFIX_DIR"/lib/libatoll-*.a; do
    syms=$(nm -g --defined-only "$a" | awk 'NF == 3 {print $3}')
    [ -n "$syms" ] || fail "${a##*/} exports nothing"
    bad=$(echo "$syms" | grep -v '^atoll_' | tr '\n' ' ')
    [ -z "$bad" ] || fail "${a##*/} exports symbols without the atoll_ prefix: $bad"
    for s in $syms; do
        grep -qw "$s" "$INC"/*.h || fail "${a##*/} exports $s, which no installed header declares"
    done
    say "  ${a##*/}: $(echo "$syms" | wc -l) symbols, all atoll_*, all declared"
done

say "installed headers: self-contained C11 and C++11, no internal includes"
for h in "$INC"/*.h; do
    n=${h##*/}
    inc=$(grep -E '^#include' "$h" | grep -vE '^#include <(stddef|stdint)\.h>$|^#include <atoll/[a-z_]+\.h>$' || true)
    [ -z "$inc" ] || fail "$n includes what an embedder may not have: $inc"
    printf '#include <atoll/%s>\nint main(void) { return 0; }\n' "$n" >"$TMPD/h.c"
    cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$PREFIX_DIR/include" -c "$TMPD/h.c" -o "$TMPD/h.o" \
        2>"$TMPD/h.log" || { cat "$TMPD/h.log" >&2; fail "<atoll/$n> does not compile alone as C11"; }
    cp "$TMPD/h.c" "$TMPD/h.cc"
    g++ -std=c++11 -Wall -Wextra -Werror -pedantic -I"$PREFIX_DIR/include" -c "$TMPD/h.cc" -o "$TMPD/h.o" \
        2>"$TMPD/h.log" || { cat "$TMPD/h.log" >&2; fail "<atoll/$n> does not compile alone as C++11"; }
done
# C++ linkage: a C++ caller links against the C archives.
cat >"$TMPD/v.cc" <<'EOF'
#include <atoll/tcpip.h>
#include <atoll/tls.h>
#include <cstdio>
int main() { std::printf("%s %s\n", atoll_tcpip_version_string(), atoll_tls_version_string()); return atoll_tls_version() == ATOLL_VERSION_NUMBER ? 0 : 1; }
EOF
# shellcheck disable=SC2046
g++ -std=c++11 -Wall -Wextra -Werror $(pkg-config --cflags atoll-tcpip atoll-tls-engine) "$TMPD/v.cc" \
    $(pkg-config --static --libs atoll-tcpip atoll-tls-engine) -o "$TMPD/v" 2>"$TMPD/v.log" \
    || { cat "$TMPD/v.log" >&2; fail "a C++ program does not link against the archives"; }
ver=$("$TMPD/v") || fail "the run-time version differs from ATOLL_VERSION_NUMBER"
[ "$ver" = "$(pkg-config --modversion atoll-tls) $(pkg-config --modversion atoll-tls)" ] \
    || fail "run-time versions '$ver' differ from pkg-config's $(pkg-config --modversion atoll-tls)"

embed_build tls_client examples/tls_client/tls_client.c atoll-tls
CFLAGS_EXTRA=-DEXAMPLE_WOLFCRYPT
mkdir -p "$TMPD/src/wolf" && cp "$REPO/examples/tls_client/tls_client.c" "$TMPD/src/wolf/"
# shellcheck disable=SC2046
(cd "$TMPD/src/wolf" && cc -std=c11 -Wall -Wextra -Werror -O2 $CFLAGS_EXTRA $(pkg-config --cflags atoll-tls atoll-tls-wolfcrypt) \
    tls_client.c $(pkg-config --static --libs atoll-tls atoll-tls-wolfcrypt) -o "$TMPD/bin/tls_client_wolfcrypt") \
    >"$TMPD/build-wolf.log" 2>&1 || { cat "$TMPD/build-wolf.log" >&2; fail "building tls_client on the wolfCrypt backend"; }
embed_build tls_server examples/tls_server/tls_server.c atoll-tls

ns_setup
"$REPO/tests/system/tls_certs.sh" "$TMPD/certs" || fail "test certificates"
"$REPO/tests/system/tls_certs.sh" "$TMPD/other" || fail "a second, unrelated CA"
C=$TMPD/certs

say "tls_client against openssl s_server -WWW"
mkdir -p "$TMPD/www"
head -c 30000 /dev/urandom | base64 >"$TMPD/www/page.txt"
(cd "$TMPD/www" && exec ip netns exec "$NS" openssl s_server -accept 127.0.0.1:4433 -tls1_3 -WWW -quiet \
    -cert "$C/ec.pem" -key "$C/ec.key") >"$TMPD/s_server.log" 2>&1 &
BG_PIDS+=($!)
SHOW_FILES+=("$TMPD/s_server.log")
for _ in $(seq 50); do in_ns bash -c 'exec 3<>/dev/tcp/127.0.0.1/4433' 2>/dev/null && break; sleep 0.1; done
fetch() { # binary name ca -> body in $TMPD/got, stderr in $TMPD/client.log
    in_ns timeout 20 "$TMPD/bin/$1" --connect 127.0.0.1:4433 --name "$2" --ca "$3" --path /page.txt \
        >"$TMPD/got" 2>"$TMPD/client.log"
}
for b in tls_client tls_client_wolfcrypt; do
    fetch "$b" atoll.test "$C/ca.pem" || { cat "$TMPD/client.log" >&2; fail "$b could not fetch /page.txt"; }
    # s_server -WWW: a status line, a Content-type line, a blank line, the file.
    tail -n +4 "$TMPD/got" | cmp -s - "$TMPD/www/page.txt" || fail "$b: the page is not byte-identical"
    grep -q 'certificate for atoll.test verified' "$TMPD/client.log" || fail "$b did not report the verified chain"
    grep -q 'closed by the server with close_notify' "$TMPD/client.log" || fail "$b: no close_notify reported"
    say "  $(head -n 1 "$TMPD/client.log")"
done
if fetch tls_client wrong.test "$C/ca.pem"; then fail "tls_client accepted a certificate without the name wrong.test"; fi
grep -q 'we sent alert bad_certificate' "$TMPD/client.log" || fail "wrong name: $(cat "$TMPD/client.log")"
if fetch tls_client_wolfcrypt atoll.test "$TMPD/other/ca.pem"; then fail "tls_client accepted a chain from an unknown CA"; fi
grep -q 'we sent alert unknown_ca' "$TMPD/client.log" || fail "unknown CA: $(cat "$TMPD/client.log")"
say "  a wrong name gets bad_certificate, an unknown CA unknown_ca"

say "curl against tls_server"
bg_ns "$TMPD/tls_server.log" "$TMPD/bin/tls_server" --listen 127.0.0.1:8443 --cert "$C/ec.pem" --key "$C/ec.key"
SERVER=$BG_PID
SHOW_FILES+=("$TMPD/tls_server.log")
wait_for_line "$TMPD/tls_server.log" 'tls_server: listening' 10 || fail "tls_server did not start"
get() { in_ns timeout 30 curl -sS --cacert "$C/ca.pem" --resolve "$1:8443:127.0.0.1" "https://$1:8443$2" "${@:3}"; }
[ "$(get atoll.test /)" = "hello from atoll's tls_server example" ] || fail "GET / from tls_server"
want=$(head -c 2000000 < <(yes abcdefghijklmnopqrstuvwxyz | tr -d '\n') | sha256sum)
[ "$(get atoll.test /bytes/2000000 | sha256sum)" = "$want" ] || fail "2 MB from tls_server not byte-identical"
pids=()
for i in 1 2 3 4; do
    get www.atoll.test /bytes/500000 -o "$TMPD/par.$i" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a parallel download from tls_server failed"; done
for i in 1 2 3 4; do [ "$(stat -c %s "$TMPD/par.$i")" = 500000 ] || fail "parallel download $i incomplete"; done
[ "$(get atoll.test /nope -o /dev/null -w '%{http_code}')" = 404 ] || fail "no 404 for an unknown path"
if get wrong.test / >/dev/null 2>&1; then fail "curl accepted tls_server as wrong.test"; fi
in_ns timeout 20 "$TMPD/bin/tls_client" --connect 127.0.0.1:8443 --name atoll.test --ca "$C/ca.pem" --path / \
    >"$TMPD/got" 2>"$TMPD/client.log" || { cat "$TMPD/client.log" >&2; fail "tls_client could not fetch from tls_server"; }
grep -q "^hello from atoll's tls_server example" "$TMPD/got" || fail "tls_client got no greeting from tls_server"
grep -q 'alpn=http/1.1' "$TMPD/client.log" || fail "tls_client and tls_server did not agree on ALPN http/1.1"
sleep 0.3
kill -TERM "$SERVER"
wait "$SERVER"
rc=$?
keep=()
for p in "${BG_PIDS[@]}"; do [ "$p" = "$SERVER" ] || keep+=("$p"); done
BG_PIDS=("${keep[@]}")
[ "$rc" = 0 ] || fail "tls_server exited with status $rc on SIGTERM"
line=$(grep 'tls_server: stopped' "$TMPD/tls_server.log") || fail "tls_server did not log that it stopped"
served=$(echo "$line" | sed -n 's/.*stopped, \([0-9]*\) served.*/\1/p')
# GET /, 2 MB, 4 parallel, the 404 and tls_client's; curl's refusal is a failure.
[ "$served" = 8 ] || fail "tls_server served $served exchanges, expected 8: $line"
say "  $line"

say "make uninstall"
make -C "$REPO" -s uninstall PREFIX="$PREFIX_DIR" >/dev/null || fail "make uninstall"
left=$(find "$PREFIX_DIR" -type f | tr '\n' ' ')
[ -z "$left" ] || fail "make uninstall left files: $left"
pass "installed archives export only declared atoll_ symbols; headers self-contained (C11, C++11); tls_client (mbedtls, wolfCrypt) vs s_server, tls_server vs curl and tls_client; uninstall clean"
