#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The command line: bad flags and addresses exit 2 naming the problem
# (before touching any interface); a name that is not a tap (veth, tun) or
# a tap already in use exits 1 with a clear error; a missing tap is
# created (and goes away with the process); SIGINT and SIGTERM each stop it
# with exit 0 within a second. Every run happens inside the test namespace.
. "$(dirname "$0")/lib.sh"

ns_setup
NOTAP=tapx9   # never created: a bad command line must not create it

# expect RC REGEX ARGS...: runs atoll ARGS (bounded), requires exit RC and
# a stderr line matching REGEX (extended, case-insensitive).
expect() {
    local want=$1 re=$2 rc
    shift 2
    in_ns timeout 5 "$ATOLL" "$@" >"$TMPD/out" 2>"$TMPD/err"
    rc=$?
    local msg
    msg=$(grep -m1 '^atoll: ' "$TMPD/err")
    printf '    %-55s -> %s  %s\n' "$*" "$rc" "$msg"
    [ "$rc" -eq 124 ] && fail "atoll $* was still running after 5 s (accepted a bad command line?)"
    [ "$rc" -eq "$want" ] || fail "atoll $*: exit $rc, expected $want; stderr: $(head -c 300 "$TMPD/err")"
    grep -Eiq -- "$re" "$TMPD/err" || fail "atoll $*: stderr does not match /$re/: $(head -c 300 "$TMPD/err")"
}

say "bad flags and values: exit 2 with the reason"
expect 2 "unknown option.*'--bogus'|--bogus.*unknown" --bogus --tap "$NOTAP" --ip 10.0.0.2/24
expect 2 "'--frobnicate'" --tap "$NOTAP" --ip 10.0.0.2/24 --frobnicate
expect 2 "unexpected argument 'extra'|'extra'" --tap "$NOTAP" --ip 10.0.0.2/24 extra
expect 2 "300\.1\.1\.1/24.*(dotted-quad|not .*address|invalid)" --tap "$NOTAP" --ip 300.1.1.1/24
expect 2 "1\.2\.3/24.*(dotted-quad|not .*address|invalid)" --tap "$NOTAP" --ip 1.2.3/24
expect 2 "10\.0\.0\.0/24.*network" --tap "$NOTAP" --ip 10.0.0.0/24
expect 2 "10\.0\.0\.255/24.*broadcast" --tap "$NOTAP" --ip 10.0.0.255/24
expect 2 "10\.0\.0\.2.*(prefix)" --tap "$NOTAP" --ip 10.0.0.2
expect 2 "10\.0\.0\.2/33.*prefix" --tap "$NOTAP" --ip 10.0.0.2/33
expect 2 "10\.0\.0\.2/.*prefix" --tap "$NOTAP" --ip 10.0.0.2/
expect 2 "127\.0\.0\.2/8.*(unicast|loopback|usable)" --tap "$NOTAP" --ip 127.0.0.2/8
expect 2 "224\.0\.0\.1/24.*(unicast|multicast|usable)" --tap "$NOTAP" --ip 224.0.0.1/24
expect 2 "--ip.*(value|argument)" --tap "$NOTAP" --ip
expect 2 "--tap.*(value|argument)" --tap
expect 2 "--tap.*required" --ip 10.0.0.2/24
expect 2 "--ip.*--dhcp" --tap "$NOTAP"
expect 2 "--ip.*--dhcp.*exclude|exclude" --tap "$NOTAP" --ip 10.0.0.2/24 --dhcp
expect 2 "--gw.*10\.0\.1\.1.*subnet" --tap "$NOTAP" --ip 10.0.0.2/24 --gw 10.0.1.1
expect 2 "--gw.*10\.0\.0\.300" --tap "$NOTAP" --ip 10.0.0.2/24 --gw 10.0.0.300
expect 2 "--gw.*dhcp" --tap "$NOTAP" --dhcp --gw 10.0.0.1
expect 2 "--mac.*zz" --tap "$NOTAP" --ip 10.0.0.2/24 --mac zz
expect 2 "--mac.*multicast" --tap "$NOTAP" --ip 10.0.0.2/24 --mac 01:00:5e:00:00:01
expect 2 "--log.*loud" --tap "$NOTAP" --ip 10.0.0.2/24 --log loud
expect 2 "--tap.*(interface name|1-15)" --tap waytoolonginterfacename --ip 10.0.0.2/24
expect 2 "--max-conns.*1 to 32768" --tap "$NOTAP" --ip 10.0.0.2/24 --max-conns 40000
expect 2 "--memory.*at least 1M" --tap "$NOTAP" --ip 10.0.0.2/24 --memory 12
expect 2 "--memory.*K, M or G" --tap "$NOTAP" --ip 10.0.0.2/24 --memory 12MB
expect 2 "--header.*Name: value" --tap "$NOTAP" --ip 10.0.0.2/24 --header nocolon
expect 2 "--https-port.*port" --tap "$NOTAP" --ip 10.0.0.2/24 --https-port 0

say "bad site images: exit 1 naming the file and the reason, before any interface"
mkdir -p "$TMPD/site"
echo hi >"$TMPD/site/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMPD/k.pem" -out "$TMPD/c.pem" \
    -days 2 -subj /CN=localhost >/dev/null 2>&1 || fail "openssl req"
"$REPO/build/atoll-pack" "$TMPD/site" --cert "$TMPD/c.pem" --key "$TMPD/k.pem" -o "$TMPD/good.img" -q || fail "atoll-pack"
cp "$TMPD/good.img" "$TMPD/flipped.img"
printf '\xff' | dd of="$TMPD/flipped.img" bs=1 seek=100 conv=notrunc 2>/dev/null
head -c 200 "$TMPD/good.img" >"$TMPD/short.img"
head -c 300 /dev/zero | tr "\\0" t >"$TMPD/text.img"
expect 1 "site image $TMPD/none.img: No such file" --tap "$NOTAP" --ip 10.0.0.2/24 --site "$TMPD/none.img"
expect 1 "site image $TMPD/flipped.img: SHA-256 digest mismatch" --tap "$NOTAP" --ip 10.0.0.2/24 --site "$TMPD/flipped.img"
expect 1 "site image $TMPD/short.img: image length" --tap "$NOTAP" --ip 10.0.0.2/24 --site "$TMPD/short.img"
expect 1 "site image $TMPD/text.img: not an Atoll site image" --tap "$NOTAP" --ip 10.0.0.2/24 --site "$TMPD/text.img"
expect 1 "site image $TMPD: not a regular file" --tap "$NOTAP" --ip 10.0.0.2/24 --site "$TMPD"
in_ns ip link show "$NOTAP" >/dev/null 2>&1 && fail "a rejected command line created interface $NOTAP"
say "a memory budget too small for the connections asked for: exit 1 with what would fit"
expect 1 "max-conns=32768, memory=2048 KiB: 32768 connections need [0-9]+ KiB, more than the 2048 KiB of memory \([0-9]+ would fit\)" \
    --tap "$NOTAP" --ip 10.0.0.2/24 --max-conns 32768 --memory 2M
expect 1 "memory=.*more than the .* this machine gives" --tap "$NOTAP" --ip 10.0.0.2/24 --memory 60000G
in_ns timeout 5 "$ATOLL" --help >"$TMPD/out" 2>&1 || fail "--help did not exit 0"
grep -q -- '--tap NAME' "$TMPD/out" || fail "--help does not show the usage"

say "not a tap: exit 1 with a clear error"
in_ns ip link add veth0 type veth peer name veth1 || fail "cannot create veth pair"
expect 1 "veth0.*not a tap" --tap veth0 --ip 10.0.0.2/24
in_ns ip tuntap add dev tun0 mode tun || fail "cannot create tun0"
expect 1 "tun0.*not a tap" --tap tun0 --ip 10.0.0.2/24

say "a tap in use by another appliance: exit 1, the first keeps working"
atoll_start --ip 10.0.0.2/24
expect 1 "tap0.*in use" --tap tap0 --ip 10.0.0.3/24
ping_ok 2 -i 0.2
atoll_stop

say "a tap that does not exist is created, up, and removed at exit"
saved=$TAP
TAP=atl1
atoll_start --ip 10.0.0.2/24
in_ns ip link show atl1 | grep -q ',UP' || fail "atl1 was not created and brought up"
atoll_stop
in_ns ip link show atl1 >/dev/null 2>&1 && fail "atl1 still exists after the appliance exited"
TAP=$saved

# stop_within SIGNAL: the appliance exits 0, logs stopped, within 1 s.
stop_within() {
    local t0 t1 pid=$ATOLL_PID ms
    t0=$(date +%s%N)
    kill -"$1" "$pid"
    for ((i = 0; i < 100; i++)); do
        [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    atoll_stop_quiet "$1" 2>/dev/null # reaps; fails below if still running
    if [ -z "$ATOLL_RC" ]; then fail "SIG$1: no exit"; fi
    say "SIG$1: exit $ATOLL_RC after ${ms} ms"
    [ "$ms" -le 1000 ] || fail "SIG$1: took ${ms} ms to exit (limit 1000)"
    [ "$ATOLL_RC" -eq 0 ] || fail "SIG$1: exit status $ATOLL_RC, expected 0"
    grep -q '^atoll: info: stopped$' "$ATOLL_LOG" || fail "SIG$1: no 'stopped' line"
    grep -q '^atoll: info: counters:' "$ATOLL_LOG" || fail "SIG$1: no counters line"
}
for sig in INT TERM; do
    say "SIG$sig stops it within a second"
    atoll_start --ip 10.0.0.2/24 --echo
    ping_ok 1
    sleep 2.5   # idle: past the gratuitous ARPs, no timer pending
    stop_within "$sig"
done
pass "command line errors, non-tap devices and signals handled"
