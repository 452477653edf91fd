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
# Why the certificate made here must be made again, or nothing: an older
# run's certificate for another RUN_IP or RUN_NAME would fail every client's
# name check against the address and name printed below.
cert_stale() {
    [ -s "$cert" ] && [ -s "$key" ] || { echo "none yet"; return; }
    openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1 || { echo "it expires within a day"; return; }
    local names
    names=$(openssl x509 -in "$cert" -noout -checkip "$IP" -checkhost "$NAME" 2>/dev/null)
    if ! grep -q "^IP $IP does match" <<<"$names" || ! grep -q "^Hostname $NAME does match" <<<"$names"; then
        echo "the one there does not cover $NAME and $IP"
    elif ! openssl verify -CAfile "$RUN_DIR/ca.pem" "$cert" >/dev/null 2>&1; then
        echo "the one there is not signed by $RUN_DIR/ca.pem"
    fi
}
why=
[ -n "${RUN_CERT:-}" ] || why=$(cert_stale)
if [ -n "$why" ]; then
    # A CA the user can trust once (curl --cacert, or a browser's import),
    # and a server certificate for the name, localhost and the address.
    echo "make run: creating a certificate for $NAME, localhost and $IP in $RUN_DIR/ ($why)"
    q() { "$@" >/dev/null 2>&1 || { echo "make run: failed: $*" >&2; exit 1; }; }
    if [ ! -s "$RUN_DIR/ca.pem" ] || ! openssl x509 -in "$RUN_DIR/ca.pem" -noout -checkend 86400 >/dev/null 2>&1; then
        q openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
            -keyout "$RUN_DIR/ca.key" -out "$RUN_DIR/ca.pem" -subj "/CN=Atoll local CA" \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    fi
    q openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$key" \
        -out "$RUN_DIR/cert.csr" -subj "/CN=$NAME"
    printf 'subjectAltName=DNS:%s,DNS:localhost,IP:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        "$NAME" "$IP" >"$RUN_DIR/cert.ext"
    q openssl x509 -req -in "$RUN_DIR/cert.csr" -CA "$RUN_DIR/ca.pem" -CAkey "$RUN_DIR/ca.key" \
        -CAcreateserial -days 365 -extfile "$RUN_DIR/cert.ext" -out "$RUN_DIR/leaf.pem"
    cat "$RUN_DIR/leaf.pem" "$RUN_DIR/ca.pem" >"$cert"
    chmod 600 "$key" "$RUN_DIR/ca.key"
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
