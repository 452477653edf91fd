#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Malformed ClientHellos and records against the TLS echo service: every
# case gets exactly the alert RFC 8446 names (tests/system/tls_alerts.py
# lists them; spec/tls_alerts.md is the table), and the appliance keeps
# serving a good client afterwards.
. "$(dirname "$0")/lib.sh"
require openssl

CERTS=$TMPD/certs
"$(dirname "$0")/tls_certs.sh" "$CERTS" || fail "test certificates"
ns_setup
atoll_start --ip 10.0.0.2/24 --tls-echo 4433 --cert "$CERTS/ec.pem" --key "$CERTS/ec.key"
in_ns timeout 120 "$PY" "$(dirname "$0")/tls_alerts.py" "$ATOLL_IP" 4433 | tee "$TMPD/alerts.out"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "alerts differ from RFC 8446 (see above)"
{ echo still-serving; sleep 1; } | in_ns timeout 20 openssl s_client -connect "$ATOLL_IP:4433" -tls1_3 \
    -CAfile "$CERTS/ca.pem" -servername atoll.test >"$TMPD/after.out" 2>&1
grep -q '^still-serving$' "$TMPD/after.out" || { SHOW_FILES+=("$TMPD/after.out"); fail "no echo after the malformed cases"; }
atoll_alive "after the malformed cases"
atoll_stop
pass "$(tail -1 "$TMPD/alerts.out")"
