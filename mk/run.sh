#!/bin/bash
# `make run`: the appliance on a tap device in this machine's own network
# namespace, reachable from the host. Until the HTTPS appliance lands, it
# serves what exists: ARP, ping, and the UDP echo service on port 7.
set -eu
TAP=${RUN_TAP:-atoll0}
HOST_IP=${RUN_HOST_IP:-10.77.0.1}
IP=${RUN_IP:-10.77.0.2}
PREFIX=${RUN_PREFIX:-24}
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "make run: needs root to create the tap device $TAP (try: sudo make run)" >&2
    exit 1
fi

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

cat <<MSG

  Atoll is up on tap device $TAP at $IP (this host is $HOST_IP).
    ping $IP                     ICMP echo
    ping -s 5000 $IP             fragmented echo
    nc -u $IP 7                  UDP echo (type a line, get it back)
    nc $IP 7                     TCP echo
    arping -I $TAP $IP           ARP
  Stop with Ctrl-C. (HTTPS serving arrives with the site appliance.)

MSG
# Not exec: the trap must remove the tap when the appliance stops.
build/atoll --tap "$TAP" --ip "$IP/$PREFIX" --echo --log "${RUN_LOG:-info}" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' INT TERM
wait $pid || true
wait $pid 2>/dev/null || true
