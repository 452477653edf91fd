#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The README's quickstart, `make run`, as a user gets it: mk/run.sh in a
# namespace of our own (so its tap, atoll0, and its host address live
# there). It must make the local CA and certificate, pack the bundled
# example site, print the URL, and serve it: the page over HTTPS verified
# against the CA by the certificate's name and by the address, and port 80
# answering 301. The curl line it prints names the CA by an absolute path
# and works as printed from another directory. A second `make run` while
# the first serves fails before its banner, naming the tap in use. A stop
# signal ends it cleanly, exit 0. Run again with another RUN_IP, it makes
# a certificate covering the new address (the printed curl line works);
# when its appliance is killed, it exits non-zero.
# The certificate directory is a temporary one (RUN_DIR, given relative
# to the repository as a user would), not build/run/.
. "$(dirname "$0")/lib.sh"
require curl openssl
ns_setup # the namespace; mk/run.sh makes its own tap in it
RUN_DIR=$TMPD/run
cd "$REPO" || fail "cd $REPO"
RUN_DIR_REL=$(realpath -m --relative-to="$REPO" "$RUN_DIR")
# start_run OUT [VAR=value...]: mk/run.sh in the namespace, in the background.
# `ip netns exec` and env exec: $! is mk/run.sh itself.
start_run() {
    local out=$1
    shift
    ip netns exec "$NS" env RUN_DIR="$RUN_DIR_REL" RUN_TAP=atoll0 "$@" mk/run.sh >"$out" 2>&1 &
    run_pid=$!
    BG_PIDS+=("$run_pid")
    SHOW_FILES+=("$out")
}
# stop_run OUT: SIGTERM (mk/run.sh handles it and SIGINT, Ctrl-C, alike; a
# script's background jobs ignore SIGINT): the appliance stops cleanly, the
# tap is removed, and mk/run.sh exits 0.
stop_run() {
    local rc=0
    kill -TERM "$run_pid"
    for _ in $(seq 50); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$run_pid" 2>/dev/null && fail "make run did not stop on SIGTERM"
    wait "$run_pid" || rc=$?
    [ "$rc" -eq 0 ] || fail "make run exited $rc after SIGTERM"
    grep -q '^atoll: info: stopped$' "$1" || fail "the appliance did not stop cleanly"
    in_ns ip link show atoll0 >/dev/null 2>&1 && fail "the tap atoll0 was left behind"
}
# printed_curl OUT IP: runs the banner's "curl --cacert CA https://IP/" line as
# printed, from /, as a user pasting it into another terminal would.
printed_curl() {
    local line
    line=$(grep -E "^    curl --cacert [^ ]+ https://$2/\$" "$1" | head -1 | sed 's/^ *//')
    [ -n "$line" ] || fail "make run printed no curl line for https://$2/"
    case "$line" in "curl --cacert /"*) ;; *) fail "the printed CA path is not absolute: $line" ;; esac
    in_ns bash -c "cd / && $line -sS --max-time 20 -o /dev/null" || fail "the printed line failed: $line"
}
start_run "$TMPD/run.out"
wait_for_line "$TMPD/run.out" 'site: plain HTTP on port 80' 30 || fail "make run did not come up"
wait_for_line "$TMPD/run.out" 'Stop with Ctrl-C' 10 || fail "make run printed no banner"
grep -q 'Open  https://10.77.0.2/' "$TMPD/run.out" || fail "make run printed no URL"
[ -s "$RUN_DIR/ca.pem" ] && [ -s "$RUN_DIR/site.img" ] || fail "no CA or site image in $RUN_DIR"
in_ns curl -sS --max-time 20 --cacert "$RUN_DIR/ca.pem" -o "$TMPD/index.html" https://10.77.0.2/ ||
    fail "curl https://10.77.0.2/ (verified by address)"
cmp -s "$REPO/examples/site/index.html" "$TMPD/index.html" || fail "the page is not examples/site/index.html"
in_ns curl -sS --max-time 20 --cacert "$RUN_DIR/ca.pem" --resolve atoll.test:443:10.77.0.2 \
    -o /dev/null https://atoll.test/style.css || fail "curl https://atoll.test/ (verified by name)"
code=$(in_ns curl -sS --max-time 20 -o /dev/null -w '%{http_code}' http://10.77.0.2/)
[ "$code" = 301 ] || fail "port 80 answered $code"
grep -Eq '"GET / HTTP/1.1" 200 [0-9]+ "-" "curl/' "$TMPD/run.out" || fail "no access-log line"
printed_curl "$TMPD/run.out" 10.77.0.2

# A second `make run` cannot have the tap: no banner, a non-zero exit, the reason.
rc=0
timeout 60 ip netns exec "$NS" env RUN_DIR="$RUN_DIR_REL" RUN_TAP=atoll0 mk/run.sh >"$TMPD/run2.out" 2>&1 || rc=$?
SHOW_FILES+=("$TMPD/run2.out")
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "a second make run exited $rc (want a failure)"
grep -q 'Atoll serves' "$TMPD/run2.out" && fail "a second make run printed the serving banner"
grep -q 'atoll0 is in use' "$TMPD/run2.out" || fail "a second make run did not say the tap is in use"
in_ns curl -sS --max-time 20 --cacert "$RUN_DIR/ca.pem" -o /dev/null https://10.77.0.2/ ||
    fail "the first make run stopped serving after the second one"
stop_run "$TMPD/run.out"

# Another address: the certificate from before does not cover it, a new one must.
start_run "$TMPD/run3.out" RUN_IP=10.77.0.3
wait_for_line "$TMPD/run3.out" 'site: plain HTTP on port 80' 30 || fail "make run RUN_IP=10.77.0.3 did not come up"
wait_for_line "$TMPD/run3.out" 'Stop with Ctrl-C' 10 || fail "make run RUN_IP=10.77.0.3 printed no banner"
printed_curl "$TMPD/run3.out" 10.77.0.3
grep -q 'creating a certificate for atoll.test, localhost and 10.77.0.3' "$TMPD/run3.out" ||
    fail "make run RUN_IP=10.77.0.3 kept the certificate for 10.77.0.2"
# The appliance dies under it: make run says so in its exit status (and
# still removes the tap).
app=
for p in $(ip netns pids "$NS"); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = atoll ] && app=$p
done
[ -n "$app" ] || fail "no appliance process under make run"
kill -KILL "$app"
rc=0
for _ in $(seq 50); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
wait "$run_pid" || rc=$?
[ "$rc" -ne 0 ] || fail "make run exited 0 although the appliance was killed"
in_ns ip link show atoll0 >/dev/null 2>&1 && fail "the tap atoll0 was left behind"
pass "make run serves the example site over HTTPS, refuses a busy tap, follows RUN_IP, stops cleanly, reports a failure"
