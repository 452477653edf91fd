#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The README's quickstart, `make run`, as a user gets it: mk/run.sh in a
# namespace of our own (so its tap, atoll0, and its host address live
# there). It must make the local CA and certificate, pack the bundled
# example site, print the URL, and serve it: the page over HTTPS verified
# against build/run/ca.pem by the certificate's name and by the address,
# and port 80 answering 301. A stop signal ends it cleanly. The
# certificate directory is a temporary one (RUN_DIR), not build/run/.
. "$(dirname "$0")/lib.sh"
require curl openssl
ns_setup # the namespace; mk/run.sh makes its own tap in it
RUN_DIR=$TMPD/run
cd "$REPO" || fail "cd $REPO"
# `ip netns exec` and env exec: $! is mk/run.sh itself.
ip netns exec "$NS" env RUN_DIR="$RUN_DIR" RUN_TAP=atoll0 mk/run.sh >"$TMPD/run.out" 2>&1 &
run_pid=$!
BG_PIDS+=("$run_pid")
SHOW_FILES+=("$TMPD/run.out")
wait_for_line "$TMPD/run.out" 'site: plain HTTP on port 80' 30 || fail "make run did not come up"
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
# Stopping: mk/run.sh handles SIGINT (Ctrl-C) and SIGTERM alike. A script's
# background jobs ignore SIGINT, so the test sends SIGTERM: the appliance
# must stop cleanly and mk/run.sh remove its tap.
kill -TERM "$run_pid"
for _ in $(seq 50); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$run_pid" 2>/dev/null && fail "make run did not stop on SIGTERM"
grep -q '^atoll: info: stopped$' "$TMPD/run.out" || fail "the appliance did not stop cleanly"
in_ns ip link show atoll0 >/dev/null 2>&1 && fail "the tap atoll0 was left behind"
pass "make run serves the example site over HTTPS and stops cleanly"
