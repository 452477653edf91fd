#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make run [SITE=DIR]`: packs a static site (default: the bundled example,
# examples/site) with a certificate for it, and serves it over HTTPS from
# Atoll on a tap device in this machine's own network namespace, reachable
# from the host. Without a certificate of your own (RUN_CERT/RUN_KEY), a
# local CA and a certificate it signs are made in build/run/, once, and
# the certificate again when it no longer covers RUN_NAME and RUN_IP.
set -eu
cd "$(dirname "$0")/.."
TAP=${RUN_TAP:-atoll0}
HOST_IP=${RUN_HOST_IP:-10.77.0.1}
IP=${RUN_IP:-10.77.0.2}
PREFIX=${RUN_PREFIX:-24}
SITE=${SITE:-examples/site}
RUN_DIR=${RUN_DIR:-build/run}
NAME=${RUN_NAME:-atoll.test}

if [ "$(id -u)" -ne 0 ]; then
    echo "make run: needs root to create the tap device $TAP (try: sudo make run)" >&2
    exit 1
fi
if [ ! -d "$SITE" ]; then
    echo "make run: SITE=$SITE is not a directory (give the built site, e.g. SITE=blog/_site)" >&2
    exit 1
fi
mkdir -p "$RUN_DIR"

RUN_DIR=$(cd "$RUN_DIR" && pwd) # absolute: the printed curl lines work from any directory
cert=${RUN_CERT:-$RUN_DIR/cert.pem}
key=${RUN_KEY:-$RUN_DIR/key.pem}
# A certificate for another RUN_IP or RUN_NAME is made again.
if [ -z "${RUN_CERT:-}" ]; then
    mk/local_cert.sh "make run" "$RUN_DIR" "$cert" "$key" "$NAME" "$IP" || exit 1
fi

img=$RUN_DIR/site.img
build/atoll-pack "$SITE" --cert "$cert" --key "$key" -o "$img" -q

created=0
if ! ip link show "$TAP" >/dev/null 2>&1; then
    ip tuntap add dev "$TAP" mode tap
    created=1
fi
cleanup() {
    if [ "$created" = 1 ]; then ip link del "$TAP" 2>/dev/null || true; fi
}
trap cleanup EXIT
ip addr replace "$HOST_IP/$PREFIX" dev "$TAP"
ip link set "$TAP" up
# A tap's carrier is on while a process holds it open: another `make run`
# (or an appliance) is serving on it, and ours could not open it.
carrier() { cat "/sys/class/net/$TAP/carrier" 2>/dev/null || echo 0; }
if [ "$created" = 0 ] && [ "$(carrier)" = 1 ]; then
    echo "make run: tap device $TAP is in use by another process (another make run?); stop that one, or give" \
        "this one another RUN_TAP, RUN_IP and RUN_HOST_IP" >&2
    exit 1
fi

# Not exec: the trap must remove the tap when the appliance stops.
build/atoll --tap "$TAP" --ip "$IP/$PREFIX" --site "$img" --echo --log "${RUN_LOG:-info}" &
pid=$!
stopping=0
trap 'stopping=1; kill -TERM $pid 2>/dev/null || true' INT TERM
# The banner only once the appliance holds the tap: if it fails to start,
# its error is the last thing printed and the exit status says so.
for _ in $(seq 100); do
    [ "$(carrier)" = 1 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
# its start-up lines (address, site) come within milliseconds of the tap
sleep 0.2
if ! kill -0 "$pid" 2>/dev/null; then
    rc=0
    wait "$pid" || rc=$?
    [ "$stopping" = 1 ] && exit "$rc" # Ctrl-C while it started
    echo "make run: the appliance did not start (exit $rc)" >&2
    exit $((rc == 0 ? 1 : rc))
fi

ca_hint=$RUN_DIR/ca.pem
[ -n "${RUN_CERT:-}" ] && ca_hint="(your CA)"
cat <<MSG

  Atoll serves $SITE on tap device $TAP at $IP (this host is $HOST_IP).

    Open  https://$IP/   (trust $ca_hint, or accept the warning)

    curl --cacert $ca_hint https://$IP/
    curl --cacert $ca_hint --resolve $NAME:443:$IP https://$NAME/
    curl -I http://$IP/                 plain HTTP answers 301 to https://
    ping $IP

  One access-log line per request below. Stop with Ctrl-C.

MSG
# The appliance's status is ours: 0 after Ctrl-C or a stop signal, else
# what it failed with. wait returns early when a signal arrives: wait again.
rc=0
wait "$pid" || rc=$?
if [ "$rc" -gt 128 ]; then
    rc=0
    wait "$pid" || rc=$?
fi
exit "$rc"
