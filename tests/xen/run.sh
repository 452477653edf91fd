#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# One run of a guest on real Xen, nested in QEMU software emulation:
#   tests/xen/run.sh OUTDIR
# builds (or reuses) the kit (tests/xen/kit.sh), packs the per-run payload
# as a second gzip'd cpio appended to dom0's initramfs (Linux unpacks
# both), boots Xen + dom0 once and lets dom0 run tests/xen/dom0-test.sh.
# Leaves OUTDIR/serial.log (Xen's and dom0's console) and
# OUTDIR/guest-console.log, and ends with the line "XENTEST: PASS ..." or
# "XENTEST: FAIL <stage>: <why>" (exit 0 / 1). Stages: kit, payload, xen
# boot, dom0, xl create, guest console, network, file /PATH, redirect.
#   XEN_GUEST     atoll (default: build/atoll.xen serving examples/site over
#                 HTTPS) or linux (the kit's Linux kernel as a PVH guest
#                 serving one page over HTTP: checks the kit itself)
#   XEN_TIMEOUT   the whole QEMU run's bound in seconds (default 240)
#   XEN_WAIT      how long dom0 waits for the guest's first answer (default 120)
#   XEN_MEMORY    the guest's memory in MiB (default 16: the example site served from a 16 MiB guest)
#   XEN_BENCH     1: after the checks, the boot figures (make bench): the
#                 guest's entry-to-serving time and the smallest memory=
#                 with which it still serves, by bisection (XENBENCH: lines)
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?usage: tests/xen/run.sh OUTDIR}
GUEST=${XEN_GUEST:-atoll}
TIMEOUT=${XEN_TIMEOUT:-240}
NAME=atoll
IP=10.0.3.2
mkdir -p "$OUT"
SERIAL=$OUT/serial.log
rm -f "$SERIAL" "$OUT/guest-console.log"
result() {
    echo "XENTEST: $*"
    case "$*" in PASS*) exit 0 ;; *) exit 1 ;; esac
}
t0=$(date +%s)

kit=$(tests/xen/kit.sh) || result "FAIL kit: tests/xen/kit.sh failed"
echo "xen-run: kit $kit ($(($(date +%s) - t0))s)"

P=$OUT/payload
rm -rf "$P"
mkdir -p "$P/test" "$P/var/lib/atoll"
cp tests/xen/dom0-test.sh "$P/test/run.sh"
printf 'GUEST=%s\nNAME=%s\nIP=%s\nWAIT=%s\nBENCH=%s\n' "$GUEST" "$NAME" "$IP" "${XEN_WAIT:-120}" "${XEN_BENCH:-0}" >"$P/test/env"
case "$GUEST" in
atoll)
    [ -s build/atoll.xen ] || result "FAIL payload: build/atoll.xen not built (make xen)"
    [ -x build/atoll-pack ] || result "FAIL payload: build/atoll-pack not built"
    C=$OUT/certs
    mkdir -p "$C"
    mk/local_cert.sh xen-run "$C" "$C/cert.pem" "$C/key.pem" atoll.test "$IP" >/dev/null ||
        result "FAIL payload: test certificate"
    cp "$C/ca.pem" "$P/test/ca.pem"
    build/atoll-pack examples/site --cert "$C/cert.pem" --key "$C/key.pem" -o "$P/var/lib/atoll/site.img" -q ||
        result "FAIL payload: atoll-pack examples/site"
    cp build/atoll.xen "$P/var/lib/atoll/atoll.xen"
    cp -r examples/site "$P/test/site"
    NAME=$NAME IP=$IP/24 GW=10.0.3.1 MEMORY=${XEN_MEMORY:-16} mk/xl.sh "$P/var/lib/atoll/atoll.xl" ||
        result "FAIL payload: mk/xl.sh"
    ;;
linux)
    G=$OUT/guest-root
    rm -rf "$G"
    mkdir -p "$G"/{bin,proc,sys,dev,www}
    cp "$kit/busybox" "$G/bin/busybox"
    cp "$kit/xen-netfront.ko" "$G/xen-netfront.ko"
    echo "atoll xen kit: linux guest $(date +%s%N)" >"$G/www/index.html"
    cp "$G/www/index.html" "$P/test/linux-index.html"
    : >"$P/test/ca.pem"
    cat >"$G/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /xen-netfront.ko
ip=$(sed -n 's/.*ip=\([^ ]*\).*/\1/p' /proc/cmdline)
sleep 1
ip link set eth0 up && ip addr add "$ip" dev eth0
echo "linux guest: eth0 $ip"
httpd -p 80 -h /www
echo "linux guest: serving"
while :; do sleep 3600; done
INIT
    chmod 755 "$G/init"
    (cd "$G" && find . | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$P/var/lib/atoll/guest.cpio.gz"
    cp "$kit/vmlinuz" "$P/var/lib/atoll/vmlinuz"
    NAME=$NAME IP=$IP/24 GW= MEMORY=256 KERNEL=/var/lib/atoll/vmlinuz RAMDISK=/var/lib/atoll/guest.cpio.gz \
        EXTRA="console=hvc0 rdinit=/init" mk/xl.sh "$P/var/lib/atoll/atoll.xl" || result "FAIL payload: mk/xl.sh"
    ;;
*) result "FAIL payload: XEN_GUEST=$GUEST (atoll or linux)" ;;
esac
(cd "$P" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$OUT/payload.cpio.gz" ||
    result "FAIL payload: cpio"
cat "$kit/dom0.cpio.gz" "$OUT/payload.cpio.gz" >"$OUT/initrd.gz"

# One QEMU at a time on the machine; the bound starts once we hold the lock.
exec 9>/tmp/atoll-qemu.lock
flock -w 900 9 || result "FAIL xen boot: the QEMU lock was not free within 900 s"
t1=$(date +%s)
# Only this CPU model boots Xen's HVM side with HAP (XEN-NESTED.md);
# the crypto extensions are there so the guest's TLS need not crawl.
timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -machine q35 \
    -cpu qemu64,+svm,+npt,+aes,+pclmulqdq,+ssse3,+sse4.1,+sse4.2,+popcnt,+bmi1,+bmi2,+adx \
    -m 3072 -smp 2 -display none -no-reboot -nodefaults -serial "file:$SERIAL" -monitor none \
    -kernel "$kit/xen.elf" \
    -append "console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all dom0_mem=1024M,max:1024M noreboot" \
    -initrd "$kit/vmlinuz console=hvc0 earlyprintk=xen rdinit=/init,$OUT/initrd.gz" </dev/null &
qpid=$!
trap 'kill -TERM $qpid 2>/dev/null' EXIT INT TERM
marker() { [ -f "$SERIAL" ] && tr -d '\r' <"$SERIAL" | grep -E '^XENTEST: (PASS|FAIL)' | tail -n 1; }
while kill -0 $qpid 2>/dev/null; do
    [ -n "$(marker)" ] && break
    sleep 1
done
# dom0 powers off after the marker; Xen may halt rather than power off.
for _ in $(seq 1 20); do kill -0 $qpid 2>/dev/null || break; sleep 0.5; done
kill -TERM $qpid 2>/dev/null
wait $qpid
qrc=$?
trap - EXIT INT TERM
exec 9>&-
echo "xen-run: QEMU ran $(($(date +%s) - t1))s (exit $qrc), whole run $(($(date +%s) - t0))s"

tr -d '\r' <"$SERIAL" | sed -n '/^XENTEST: guest console begin$/,/^XENTEST: guest console end$/p' | sed '1d;$d' \
    >"$OUT/guest-console.log"
m=$(marker)
[ -n "$m" ] && result "${m#XENTEST: }"
s=$(tr -d '\r' <"$SERIAL")
grep -q 'Xen version' <<<"$s" || result "FAIL xen boot: no Xen banner on the serial console (QEMU exit $qrc)"
grep -q 'Hardware Assisted Paging (HAP) detected' <<<"$s" || result "FAIL xen boot: no HAP (PVH needs it)"
grep -q '^XENTEST: dom0 up' <<<"$s" || result "FAIL dom0: dom0's init never ran (QEMU exit $qrc): $(tail -n 1 <<<"$s")"
grep -q '^XENTEST: toolstack up' <<<"$s" || result "FAIL dom0: the toolstack did not come up: $(tail -n 1 <<<"$s")"
result "FAIL timeout: no result within ${TIMEOUT}s; last line: $(tail -n 1 <<<"$s")"
