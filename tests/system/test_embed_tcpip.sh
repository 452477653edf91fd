#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The TCP/IP library as an embedder gets it: make install into a temporary
# prefix, examples/tcpip_echo built from a copy outside the tree with
# pkg-config flags only, then run on tap0 in the namespace as an RFC 862
# echo server. Checks: the program needs nothing but libc and the archive
# nothing but a few libc string functions (no I/O, clock or allocation);
# bad options exit 2 naming the option; 2 MB through one connection
# byte-identical; ~160 exchanges and a dozen short connections (0..100000
# bytes); 16 connections open at once; UDP datagrams of 1..1472 bytes and
# fragmented ones up to 65507; SIGTERM gives exit 0, "stopped" and a
# counters line in which every connection opened and closed cleanly.
# TCPIP_ECHO=path runs another build of the example (sanitizers, a broken
# copy) after the embedder's build has been checked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/embed_lib.sh"
require cc pkg-config nm ldd timeout

embed_install
embed_build tcpip_echo examples/tcpip_echo/tcpip_echo.c atoll-tcpip
BIN=$TMPD/bin/tcpip_echo

# Linked against the archive: at run time only libc (and the loader).
extra=$(ldd "$BIN" | awk '{ print $1 }' | grep -Ev '^(linux-vdso\.so|libc\.so|/lib.*/ld-linux)' || true)
[ -z "$extra" ] || fail "tcpip_echo needs shared libraries besides libc: $(echo $extra)"
nm "$BIN" | grep -q ' T atoll_stack_init$' || fail "atoll_stack_init is not linked into tcpip_echo"
# The header's promise (no I/O, no clock, never allocates), as the linker
# sees it: what the archive takes from outside is string functions only.
ARCHIVE=$PREFIX_DIR/lib/libatoll-tcpip.a
[ -s "$ARCHIVE" ] || fail "make install did not put libatoll-tcpip.a into $PREFIX_DIR/lib"
nm "$ARCHIVE" 2>/dev/null | awk '$1 == "U" { print $2 }' | sort -u >"$TMPD/undef"
nm --defined-only "$ARCHIVE" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$TMPD/def"
outside=$(comm -23 "$TMPD/undef" "$TMPD/def" | grep -Ev '^(mem(cpy|move|set|cmp)|__stack_chk_fail)$' || true)
[ -z "$outside" ] || fail "libatoll-tcpip.a needs symbols beyond memcpy/memmove/memset/memcmp: $(echo $outside)"
say "installed copy builds; needs only libc; the archive takes only: $(comm -23 "$TMPD/undef" "$TMPD/def" | paste -sd' ')"

ECHO=${TCPIP_ECHO:-$BIN}
[ -x "$ECHO" ] || fail "TCPIP_ECHO=$ECHO is not an executable"
[ "$ECHO" = "$BIN" ] || say "running $ECHO instead of the embedder's build"

ns_setup

# bad_option WORD ARGS...: exit 2 and a message naming WORD, before any tap is touched.
bad_option() {
    local word=$1 rc
    shift
    in_ns timeout 5 "$ECHO" "$@" >"$TMPD/bad.out" 2>&1
    rc=$?
    [ "$rc" -eq 2 ] || fail "tcpip_echo $*: exit $rc, expected 2: $(head -c 300 "$TMPD/bad.out")"
    grep -qF -- "$word" "$TMPD/bad.out" || fail "tcpip_echo $*: the message does not name $word: $(head -c 300 "$TMPD/bad.out")"
}
bad_option --bogus --tap "$TAP" --ip 10.0.0.2/24 --bogus
bad_option --ip --tap "$TAP" --ip 10.0.0.2
bad_option --ip --tap "$TAP" --ip 10.0.0.300/24
bad_option --gateway --tap "$TAP" --ip 10.0.0.2/24 --gateway 10.9.0.1
bad_option --seconds --tap "$TAP" --ip 10.0.0.2/24 --seconds soon
bad_option --tap --ip 10.0.0.2/24
bad_option --tap --ip 10.0.0.2/24 --tap
say "bad options: exit 2, each naming the option"

ECHO_LOG=$TMPD/tcpip_echo.log
SHOW_FILES+=("$ECHO_LOG")
say "start: tcpip_echo --tap $TAP --ip $ATOLL_IP/24"
bg_ns "$ECHO_LOG" "$ECHO" --tap "$TAP" --ip "$ATOLL_IP/24"
ECHO_PID=$BG_PID
for ((i = 0; i < 100; i++)); do
    grep -q "^tcpip_echo: address $ATOLL_IP/24 up$" "$ECHO_LOG" && break
    _wait_gone "$ECHO_PID" 1 && fail "tcpip_echo exited before its address came up"
    sleep 0.1
done
[ "$i" -lt 100 ] || fail "tcpip_echo did not log 'address $ATOLL_IP/24 up' within 10 s"

echo_alive() {
    _wait_gone "$ECHO_PID" 1 && fail "tcpip_echo is not running any more (crashed?) $1"
    return 0
}

D=$(dirname "$0")
say "2 MB through one connection"
in_ns timeout 40 "$PY" "$D/tcp_echo.py" stream "$ATOLL_IP" 2000000 - 30 >"$TMPD/stream.out" 2>&1
rc=$?
sed 's/^/    /' "$TMPD/stream.out"
[ "$rc" -eq 0 ] || fail "2 MB echo (exit $rc)"
echo_alive "after the 2 MB echo"

say "exchanges of boundary sizes, then short connections"
in_ns timeout 40 "$PY" "$D/tcp_echo.py" small "$ATOLL_IP" >"$TMPD/small.out" 2>&1
rc=$?
sed 's/^/    /' "$TMPD/small.out"
[ "$rc" -eq 0 ] || fail "small exchanges and short connections (exit $rc)"
echo_alive "after the short connections"

say "16 connections open at once"
in_ns timeout 40 "$PY" "$D/tcp_concurrent.py" "$ATOLL_IP" 16 200000 >"$TMPD/concurrent.out" 2>&1
rc=$?
sed 's/^/    /' "$TMPD/concurrent.out"
[ "$rc" -eq 0 ] || fail "16 concurrent connections (exit $rc)"
echo_alive "after the concurrent connections"

say "UDP: 100 datagrams of 1..1472 bytes, 10 of up to 65507 (fragmented)"
in_ns timeout 30 "$PY" "$D/udp_echo.py" "$ATOLL_IP" 100 - 1472 | sed 's/^/    /'
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "UDP echo: not every datagram came back identical"
in_ns timeout 30 "$PY" "$D/udp_echo.py" "$ATOLL_IP" 10 - 65507 | sed 's/^/    /'
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "UDP echo of fragmented datagrams: not every one came back identical"
echo_alive "after the UDP echo"

conns=$(( $(sed -n 's/^connections: //p' "$TMPD/stream.out" "$TMPD/small.out" "$TMPD/concurrent.out" | paste -sd+) ))
sleep 0.5     # the last ACK of the server's FIN is on its way

kill -TERM "$ECHO_PID"
if ! _wait_gone "$ECHO_PID" 50; then
    kill -KILL "$ECHO_PID" 2>/dev/null
    fail "tcpip_echo did not exit within 5 s of SIGTERM (killed)"
fi
wait "$ECHO_PID"
rc=$?
keep=()
for p in "${BG_PIDS[@]}"; do
    [ "$p" = "$ECHO_PID" ] || keep+=("$p")
done
BG_PIDS=("${keep[@]}")
[ "$rc" -eq 0 ] || fail "tcpip_echo exited with status $rc after SIGTERM (expected 0)"
grep -q '^tcpip_echo: stopped$' "$ECHO_LOG" || fail "tcpip_echo exited 0 but did not log 'tcpip_echo: stopped'"
line=$(grep -E '^tcpip_echo: counters:' "$ECHO_LOG" | tail -n 1)
[ -n "$line" ] || fail "no 'tcpip_echo: counters:' line"
say "stopped cleanly (exit 0), counters:${line#tcpip_echo: counters:}"
c() {
    local v
    v=$(echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p")
    echo "${v:-0}"
}
[ "$(c TCP_CONN_OPEN)" -eq "$conns" ] || fail "TCP_CONN_OPEN=$(c TCP_CONN_OPEN), expected $conns"
[ "$(c TCP_CONN_CLOSE)" -eq "$conns" ] || fail "TCP_CONN_CLOSE=$(c TCP_CONN_CLOSE), expected $conns clean closes"
for k in TCP_CONN_RESET TCP_CONN_TIMEOUT TCP_RST_TX TCP_RST_RX TCP_DROP_CSUM UDP_DROP_CSUM IP_DROP_CSUM; do
    [ "$(c $k)" -eq 0 ] || fail "$k=$(c $k) on a clean link, expected 0"
done
[ "$(c UDP_TX)" -eq 110 ] || fail "UDP_TX=$(c UDP_TX), expected 110 replies"
pass "built from the installed copy; $conns TCP connections (2 MB, boundary sizes, short ones, 16 at once) and 110 UDP datagrams echoed identical; every connection closed cleanly"
