# SPDX-License-Identifier: Apache-2.0
# Shared setup and teardown for Atoll system tests. Source it from
# tests/system/test_<name>.sh; it needs root.
#
# Every test runs in a network namespace of its own (atoll-test-<name>-<pid>)
# holding a tap device tap0: the host side has 10.0.0.1/24, the appliance
# 10.0.0.2/24. Nothing is ever sent outside that namespace. An EXIT trap
# stops everything the test started (by PID), checks that the appliance
# exited 0 and logged "stopped", and deletes the namespace, pass or fail.
#
#   . "$(dirname "$0")/lib.sh"
#   ns_setup                     # namespace + tap0 (host side 10.0.0.1/24)
#   atoll_start --ip 10.0.0.2/24 --echo
#   in_ns ping -c 1 10.0.0.2 || fail "no ping reply"
#   atoll_stop                   # SIGTERM, exit 0, "stopped"; counters readable
#   [ "$(counter IP_RX)" -gt 0 ] || fail "..."
#   pass "everything answered"
#
# On failure the appliance's log (and files in SHOW_FILES) are printed;
# KEEP_TMP=1 keeps the test's temporary directory. ATOLL=path runs another
# binary than build/atoll.

set -u

TEST_NAME=$(basename "$0" .sh)
TEST_NAME=${TEST_NAME#test_}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ATOLL=${ATOLL:-$REPO/build/atoll}
PY=/usr/bin/python3                   # Debian's python, with scapy
NS=atoll-test-$TEST_NAME-$$
HOST_IP=10.0.0.1
ATOLL_IP=10.0.0.2
TAP=tap0

ATOLL_PID=
ATOLL_LOG=
ATOLL_RC=
BG_PIDS=()                            # other processes we started (dnsmasq, tcpdump...)
NS_CREATED=0
T0=$(date +%s%N)

say() { printf '[%s %6.1fs] %s\n' "$TEST_NAME" "$(elapsed)" "$*"; }
elapsed() { awk -v a="$T0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

# Prints the appliance's log (and any other files named) and exits 1.
fail() {
    echo "FAIL: $TEST_NAME: $*" >&2
    exit 1
}

pass() {
    echo "PASS: $TEST_NAME${1:+: $1} ($(elapsed)s)"
    exit 0
}

if [ "$(id -u)" -ne 0 ]; then
    echo "FAIL: $TEST_NAME: needs root (network namespaces and tap devices); not skipping" >&2
    exit 1
fi
[ -x "$ATOLL" ] || { echo "FAIL: $TEST_NAME: $ATOLL not built (make build/atoll)" >&2; exit 1; }

# require CMD...: fail loudly (never skip) when a tool the test uses is missing.
require() {
    local c
    for c in "$@"; do
        case "$c" in
        scapy) "$PY" -c 'import scapy.all' 2>/dev/null \
            || { echo "FAIL: $TEST_NAME: $PY cannot import scapy (apt-get install python3-scapy)" >&2; exit 1; } ;;
        *) command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] \
            || { echo "FAIL: $TEST_NAME: '$c' is not installed" >&2; exit 1; } ;;
        esac
    done
}
require ip ping "$PY"

TMPD=$(mktemp -d "/tmp/atoll-test-$TEST_NAME.XXXXXX") || exit 1
SHOW_FILES=()                         # extra files dumped on failure

in_ns() { ip netns exec "$NS" "$@"; }

_dump() {
    local f
    for f in "$ATOLL_LOG" "${SHOW_FILES[@]}"; do
        [ -n "$f" ] && [ -s "$f" ] || continue
        echo "----- $(basename "$f") (last 60 lines) -----" >&2
        tail -n 60 "$f" >&2
    done
    [ -n "$ATOLL_LOG" ] && [ -s "$ATOLL_LOG" ] && echo "-----" >&2
}

_cleanup() {
    local rc=$? p
    trap - EXIT INT TERM HUP
    set +e
    if [ -n "$ATOLL_PID" ]; then
        if ! atoll_stop_quiet; then
            echo "FAIL: $TEST_NAME: at teardown: $_STOP_ERR" >&2
            [ "$rc" -eq 0 ] && rc=1
        fi
    fi
    for p in "${BG_PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    for p in "${BG_PIDS[@]}"; do
        _wait_gone "$p" 30 || kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    if [ "$NS_CREATED" = 1 ]; then
        # Anything still alive in our own namespace was started by this test.
        for p in $(ip netns pids "$NS" 2>/dev/null); do
            kill -KILL "$p" 2>/dev/null
        done
        ip netns delete "$NS" 2>/dev/null || echo "warning: could not delete namespace $NS" >&2
    fi
    [ "$rc" -ne 0 ] && _dump
    if [ -n "${KEEP_TMP:-}" ]; then
        echo "logs kept in $TMPD" >&2
    else
        rm -rf "$TMPD"
    fi
    exit "$rc"
}
trap _cleanup EXIT
trap 'echo "FAIL: $TEST_NAME: interrupted" >&2; exit 130' INT TERM HUP

# _wait_gone PID TENTHS: 0 once PID has exited (within TENTHS * 0.1 s).
_wait_gone() {
    local i
    for ((i = 0; i < $2; i++)); do
        kill -0 "$1" 2>/dev/null || return 0
        # a zombie child counts as gone
        [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" = Z ] && return 0
        sleep 0.1
    done
    return 1
}

# ns_setup: the namespace with lo up and tap0 (not yet attached) at 10.0.0.1/24.
ns_setup() {
    ip netns add "$NS" || fail "ip netns add $NS"
    NS_CREATED=1
    in_ns ip link set lo up || fail "lo up"
    in_ns ip tuntap add dev "$TAP" mode tap || fail "ip tuntap add $TAP"
    in_ns ip addr add "$HOST_IP/24" dev "$TAP" || fail "address on $TAP"
    in_ns ip link set "$TAP" up || fail "$TAP up"
    # No IPv6 chatter (router solicitations, MLD) on the test link.
    in_ns sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1" 2>/dev/null || true
}

# atoll_start ARGS...: runs build/atoll --tap tap0 ARGS in the namespace and
# waits (bounded) for the line given in $ATOLL_READY (default "address ... up").
ATOLL_READY='atoll: info: address [0-9.]+/[0-9]+ up'
ATOLL_READY_SECS=10
ATOLL_RUNS=0
atoll_start() {
    [ -z "$ATOLL_PID" ] || fail "atoll_start: appliance already running"
    ATOLL_RUNS=$((ATOLL_RUNS + 1))
    ATOLL_LOG=$TMPD/atoll.$ATOLL_RUNS.log
    ATOLL_RC=
    say "start: atoll --tap $TAP $*"
    # `ip netns exec` execs the command: $! is the appliance itself.
    ip netns exec "$NS" "$ATOLL" --tap "$TAP" "$@" 2>"$ATOLL_LOG" &
    ATOLL_PID=$!
    local i
    for ((i = 0; i < ATOLL_READY_SECS * 10; i++)); do
        grep -Eq "$ATOLL_READY" "$ATOLL_LOG" 2>/dev/null && return 0
        if ! kill -0 "$ATOLL_PID" 2>/dev/null; then
            wait "$ATOLL_PID"
            ATOLL_RC=$?
            ATOLL_PID=
            fail "appliance exited early with status $ATOLL_RC"
        fi
        sleep 0.1
    done
    fail "appliance did not log /$ATOLL_READY/ within ${ATOLL_READY_SECS}s"
}

# atoll_stop_quiet [SIGNAL]: stops the appliance; 0 if it exited 0 within
# 5 s and logged "stopped", else 1 with the reason in $_STOP_ERR.
_STOP_ERR=
atoll_stop_quiet() {
    local sig=${1:-TERM} pid=$ATOLL_PID
    _STOP_ERR=
    [ -n "$pid" ] || { _STOP_ERR="appliance not running"; return 1; }
    ATOLL_PID=
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid"
        ATOLL_RC=$?
        if [ "$ATOLL_RC" -gt 128 ]; then
            _STOP_ERR="appliance had died of signal $((ATOLL_RC - 128)) before we sent SIG$sig"
        else
            _STOP_ERR="appliance had already exited with status $ATOLL_RC before we sent SIG$sig"
        fi
        return 1
    fi
    kill -"$sig" "$pid"
    if ! _wait_gone "$pid" 50; then
        kill -KILL "$pid" 2>/dev/null
        wait "$pid"
        ATOLL_RC=$?
        _STOP_ERR="appliance did not exit within 5 s of SIG$sig (killed)"
        return 1
    fi
    wait "$pid"
    ATOLL_RC=$?
    if [ "$ATOLL_RC" -ne 0 ]; then
        _STOP_ERR="appliance exited with status $ATOLL_RC after SIG$sig (expected 0)"
        return 1
    fi
    if ! grep -q '^atoll: info: stopped$' "$ATOLL_LOG"; then
        _STOP_ERR="appliance exited 0 but did not log 'atoll: info: stopped'"
        return 1
    fi
    return 0
}

atoll_stop() {
    atoll_stop_quiet "$@" || fail "$_STOP_ERR"
    say "appliance stopped cleanly (exit 0)"
}

# atoll_alive: fails the test if the appliance is no longer running.
atoll_alive() {
    [ -n "$ATOLL_PID" ] && kill -0 "$ATOLL_PID" 2>/dev/null && [ "$(ps -o stat= -p "$ATOLL_PID" | cut -c1)" != Z ] \
        || fail "appliance is not running any more (crashed?) ${1:-}"
}

# counter NAME: the value of an exit counter from the last run (0 if absent).
counter() {
    local v
    v=$(grep -E '^atoll: info: counters:' "$ATOLL_LOG" | tr ' ' '\n' | grep -E "^$1=" | tail -n 1 | cut -d= -f2)
    echo "${v:-0}"
}

# counters_line: every non-zero counter from the last run, on one line.
counters_line() {
    grep -E '^atoll: info: counters:' "$ATOLL_LOG" | sed 's/^atoll: info: counters://' | tr '\n' ' '
}

# bg_ns LOGFILE CMD...: starts CMD in the namespace in the background; its
# PID is appended to BG_PIDS (stopped at teardown) and left in $BG_PID.
BG_PID=
bg_ns() {
    local log=$1
    shift
    ip netns exec "$NS" "$@" >"$log" 2>&1 &
    BG_PID=$!
    BG_PIDS+=("$BG_PID")
}

# wait_for_line FILE REGEX SECONDS: 0 once FILE has a line matching REGEX.
wait_for_line() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -Eq "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# ping_ok COUNT ARGS...: ping 10.0.0.2 (or the address in $PING_DST) and
# require every reply; prints the summary.
ping_ok() {
    local count=$1 out
    shift
    out=$(in_ns timeout 60 ping -n -q -c "$count" -W 2 "$@" "${PING_DST:-$ATOLL_IP}" 2>&1)
    echo "$out" | grep -E 'packets transmitted|rtt' | sed 's/^/    /'
    echo "$out" | grep -Eq "^$count packets transmitted, $count received, 0% packet loss" \
        || fail "ping -c $count $* ${PING_DST:-$ATOLL_IP}: not all answered: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
}

# bg_stop PID: SIGTERM to one of our background processes, wait (bounded),
# and forget it.
bg_stop() {
    local p=$1 q keep=()
    kill -TERM "$p" 2>/dev/null
    _wait_gone "$p" 50 || kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
    for q in "${BG_PIDS[@]}"; do
        [ "$q" = "$p" ] || keep+=("$q")
    done
    BG_PIDS=("${keep[@]}")
}

# small_site_image BIG_BYTES: test certificates in $CERTS ($TMPD/certs), a
# site of index.html and BIG_BYTES random bytes as big.bin, packed into
# $TMPD/site.img with the ECDSA certificate.
CERTS=$TMPD/certs
small_site_image() {
    "$REPO/tests/system/tls_certs.sh" "$CERTS" || fail "test certificates"
    mkdir -p "$TMPD/site"
    echo '<h1>hello</h1>' >"$TMPD/site/index.html"
    head -c "$1" /dev/urandom >"$TMPD/site/big.bin"
    "$REPO/build/atoll-pack" "$TMPD/site" --cert "$CERTS/ec.pem" --key "$CERTS/ec.key" -o "$TMPD/site.img" -q ||
        fail "atoll-pack"
}
