#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make qemu [SITE=DIR]`: packs a static site (default: the bundled example)
# as `make run` does, and boots the PVH image build/atoll.xen under QEMU with
# the site image as its boot module (-initrd) and the appliance's keys as its
# command line (-append). User networking forwards 127.0.0.1:8443 to the
# guest's 443 and 127.0.0.1:8080 to its 80. KVM when /dev/kvm works, else
# software emulation (TCG).
#   QEMU_ARGS      extra words for the guest's command line (e.g. log=debug)
#   QEMU_NET       the address keys (default "ip=10.0.2.15/24 gw=10.0.2.2";
#                  "dhcp" asks QEMU's DHCP server, which hands out the same)
#   QEMU_ACCEL     kvm or tcg (default: probe)
#   QEMU_CPU       the CPU model (default: host under KVM, max under TCG)
#   QEMU_MEM       guest memory in MiB (default 256)
#   QEMU_HTTPS_PORT / QEMU_HTTP_PORT   host ports (default 8443 / 8080)
#   QEMU_SERIAL    where the console goes (default stdio; e.g. file:LOG)
#   QEMU_IMG       boot this site image instead of packing SITE
#   QEMU_TIMEOUT   stop QEMU after this many seconds (tests)
set -eu
cd "$(dirname "$0")/.."
SITE=${SITE:-examples/site}
RUN_DIR=${RUN_DIR:-build/run}
NAME=${RUN_NAME:-atoll.test}
HTTPS_PORT=${QEMU_HTTPS_PORT:-8443}
HTTP_PORT=${QEMU_HTTP_PORT:-8080}
GUEST_IP=10.0.2.15

command -v qemu-system-x86_64 >/dev/null || {
    echo "make qemu: qemu-system-x86_64 is missing (apt-get install qemu-system-x86, or make deps as root)" >&2
    exit 1
}
mkdir -p "$RUN_DIR"

img=${QEMU_IMG:-}
if [ -z "$img" ]; then
    [ -d "$SITE" ] || { echo "make qemu: SITE=$SITE is not a directory" >&2; exit 1; }
    cert=${RUN_CERT:-$RUN_DIR/cert.pem}
    key=${RUN_KEY:-$RUN_DIR/key.pem}
    # The same local CA as `make run` (trusted once); the certificate also
    # names the forwarded address and the guest's.
    if [ -z "${RUN_CERT:-}" ]; then
        mk/local_cert.sh "make qemu" "$RUN_DIR" "$cert" "$key" "$NAME" "${RUN_IP:-10.77.0.2}" 127.0.0.1 "$GUEST_IP" ||
            exit 1
    fi
    img=$RUN_DIR/qemu-site.img
    build/atoll-pack "$SITE" --cert "$cert" --key "$key" -o "$img" -q
fi

# KVM only when it really runs a guest: /dev/kvm can exist and open where
# nested virtualisation is broken (QEMU then aborts setting MSRs). The probe
# boots the image itself with no network card: it stops at once with its
# "no virtio-net device" status (3).
accel=${QEMU_ACCEL:-}
if [ -z "$accel" ]; then
    accel=tcg
    if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
        # In a subshell, so the shell's "Aborted" note goes to /dev/null too.
        if (timeout 20 qemu-system-x86_64 -accel kvm -machine pc -cpu host -m 64 -display none -no-reboot \
            -nodefaults -monitor none -serial none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
            -kernel build/atoll.xen >/dev/null 2>&1 </dev/null; [ $? = 3 ]) 2>/dev/null; then
            accel=kvm
        fi
    fi
fi
cpu=${QEMU_CPU:-max}
[ "$accel" = kvm ] && [ -z "${QEMU_CPU:-}" ] && cpu=host

cmdline="${QEMU_NET:-ip=$GUEST_IP/24 gw=10.0.2.2} ${QEMU_ARGS:-}"
ca_hint=$RUN_DIR/ca.pem
[ -n "${RUN_CERT:-}" ] && ca_hint="(your CA)"
if [ -z "${QEMU_QUIET:-}" ]; then
    cat <<MSG

  Atoll's PVH image (build/atoll.xen) boots under QEMU ($accel) and serves ${QEMU_IMG:-$SITE}.

    Open  https://127.0.0.1:$HTTPS_PORT/   (trust $ca_hint, or accept the warning)

    curl --cacert $ca_hint https://127.0.0.1:$HTTPS_PORT/
    curl -I http://127.0.0.1:$HTTP_PORT/        plain HTTP answers 301 to https://

  Guest command line: $cmdline
  The guest's console follows. Stop with Ctrl-C.

MSG
fi
to=()
[ -n "${QEMU_TIMEOUT:-}" ] && to=(timeout "$QEMU_TIMEOUT")
# isa-debug-exit: QEMU exits with 2*code+1 for the guest's code (0 clean
# power-off, 1 boot or appliance error, 2 crash), mapped to 0, 1, 3 below.
# In the background, so a SIGTERM to this script (tests) stops QEMU too.
"${to[@]}" qemu-system-x86_64 -accel "$accel" -machine pc -cpu "$cpu" -m "${QEMU_MEM:-256}" -smp 1 \
    -display none -no-reboot -nodefaults -monitor none -serial "${QEMU_SERIAL:-stdio}" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/atoll.xen -initrd "$img" -append "$cmdline" \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$HTTPS_PORT-:443,hostfwd=tcp:127.0.0.1:$HTTP_PORT-:80" \
    -device virtio-net-pci,netdev=n0,disable-modern=on <&0 &
qpid=$!
trap 'kill -TERM $qpid 2>/dev/null || true' INT TERM
set +e
wait $qpid
rc=$?
if kill -0 $qpid 2>/dev/null; then # the wait was cut short by our trap
    wait $qpid
    rc=$?
fi
set -e
case $rc in
    1) exit 0 ;;
    3) echo "make qemu: the guest stopped on an error (see its console)" >&2; exit 1 ;;
    5 | 7) echo "make qemu: the guest crashed (see the crash report on its console)" >&2; exit 3 ;;
    124) exit 124 ;;
    *) exit "$rc" ;;
esac
