#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 100 pings at 20 ms intervals to the appliance: every one answered.
. "$(dirname "$0")/lib.sh"

ns_setup
atoll_start --ip 10.0.0.2/24
say "ping -c 100 -i 0.02"
ping_ok 100 -i 0.02
atoll_stop
replies=$(counter ICMP_ECHO_REPLY_TX)
[ "$replies" -ge 100 ] || fail "appliance counted $replies echo replies, expected >= 100"
say "counters: $(counters_line)"
pass "100/100 pings answered"
