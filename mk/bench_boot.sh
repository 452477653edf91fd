#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`, boot figures of the PVH image build/atoll.xen: what the
# image prints at boot (its size as text+rodata, data and bss; the time from
# the PVH entry to serving, TSC-stamped; the heap in use once serving) and
# the smallest guest memory with which it still serves the example site,
# found by bisection. Under QEMU (mk/qemu.sh: KVM when it works, else
# software emulation, so the entry-to-serving time here is emulation's, not
# a real host's). Traffic only on 127.0.0.1 (QEMU's user network).
# Then the same figures on real Xen (tests/xen/run.sh with XEN_BENCH=1).
# Knobs: BOOT_MEM_MAX (256) MiB, the top of the search; BOOT_PORT (18443);
# BOOT_BISECT=0 boots once at BOOT_MEM_MAX and skips the search; BENCH_XEN=0
# skips the Xen run. With BENCH_RESULTS=FILE the figures are appended to
# FILE as key=value lines (mk/bench_results.py reads them); without,
# printed as RESULT lines.
set -u
cd "$(dirname "$0")/.." || exit 1
# result KEY VALUE: one machine-readable figure (none when VALUE is empty:
# the report then names it missing).
result() {
    [ -n "$2" ] || return 0
    if [ -n "${BENCH_RESULTS:-}" ]; then echo "$1=$2" >>"$BENCH_RESULTS"; else echo "RESULT $1=$2"; fi
}
MEM_MAX=${BOOT_MEM_MAX:-256}
BISECT=${BOOT_BISECT:-1}
PORT=${BOOT_PORT:-18443}
HPORT=$((PORT + 1))
[ -s build/atoll.xen ] || { echo "bench boot: build/atoll.xen missing (make xen)" >&2; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { echo "bench boot: qemu-system-x86_64 missing" >&2; exit 1; }
TMPD=$(mktemp -d /tmp/atoll-bench-boot.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT
RUN_DIR=$TMPD/run
mkdir -p "$RUN_DIR"

# boot MEM: 0 when the guest with MEM MiB serves / byte-identical over
# HTTPS; its console in $TMPD/boot-MEM.log.
boot() {
    local mem=$1 log=$TMPD/boot-$1.log
    RUN_DIR=$RUN_DIR QEMU_IMG=${IMG:-} QEMU_MEM=$mem QEMU_SERIAL=file:$log QEMU_TIMEOUT=150 QEMU_QUIET=1 \
        QEMU_HTTPS_PORT=$PORT QEMU_HTTP_PORT=$HPORT mk/qemu.sh >"$TMPD/qemu-$mem.out" 2>&1 </dev/null &
    local qpid=$! ok=1
    for _ in $(seq 1 1200); do
        if grep -q 'site: plain HTTP on port 80' "$log" 2>/dev/null; then
            curl -sS --max-time 30 --cacert "$RUN_DIR/ca.pem" -o "$TMPD/got" "https://127.0.0.1:$PORT/" 2>/dev/null &&
                cmp -s examples/site/index.html "$TMPD/got" && ok=0
            break
        fi
        kill -0 $qpid 2>/dev/null || break
        sleep 0.1
    done
    kill -TERM $qpid 2>/dev/null
    wait $qpid 2>/dev/null
    return $ok
}

# QEMU runs take /tmp/atoll-qemu.lock (the caller must not hold it:
# tests/xen/run.sh below takes it too), let go before the Xen run.
exec 8>/tmp/atoll-qemu.lock
flock -w 900 8 || { echo "bench boot: the QEMU lock was not free within 900 s" >&2; exit 1; }
boot "$MEM_MAX" || { echo "bench boot: the image does not serve with $MEM_MAX MiB (see below)" >&2; cat "$TMPD/boot-$MEM_MAX.log" >&2; exit 1; }
IMG=$RUN_DIR/qemu-site.img # packed by the first boot; the others reuse it
log=$TMPD/boot-$MEM_MAX.log
banner=$(grep -m1 'atoll: PVH image up' "$log")
serving=$(grep -m1 'boot: serving' "$log")

lo=1 hi=$MEM_MAX
while [ "$BISECT" != 0 ] && [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    if boot "$mid"; then hi=$mid; else lo=$mid; fi
done
size=$(size -A build/atoll.xen 2>/dev/null | awk '$1==".text"||$1==".rodata"{t+=$2} $1==".data"{d+=$2} $1==".bss"{b+=$2} END{printf "text+rodata %d KiB, data %d KiB, bss %d KiB", t/1024, d/1024, b/1024}')
echo
echo "PVH image boot (QEMU, build/atoll.xen, examples/site)"
echo "  image:           $size"
echo "  banner:          ${banner#*atoll: }"
echo "  entry->serving:  $(sed -n 's/.*serving \([0-9]*\) ms after the PVH entry.*/\1 ms/p' <<<"$serving")"
echo "  memory in use once serving: the image's $(sed -n 's/.*; image \([0-9]*\) KiB.*/\1 KiB/p' <<<"$banner") + heap $(sed -n 's/.*heap in use \([0-9]*\) KiB.*/\1 KiB/p' <<<"$serving") (the connection table and pools take what $MEM_MAX MiB leaves)"
echo "  memory plan at -m $MEM_MAX: $(grep -m1 -o 'memory: [0-9]* [KM]iB planned.*' "$log")"
echo "  memory plan at -m $hi: $(grep -m1 -o 'memory: [0-9]* [KM]iB planned.*' "$TMPD/boot-$hi.log")"
if [ "$BISECT" != 0 ]; then
    echo "  smallest memory that serves: $hi MiB (QEMU -m; $lo MiB does not: $(grep -m1 -o 'boot failed: .*' "$TMPD/boot-$lo.log" || echo 'no answer'))"
else
    echo "  smallest memory that serves: not searched (BOOT_BISECT=0)"
fi
result boot_image_kib "$(size -A build/atoll.xen 2>/dev/null | awk '$1==".text"||$1==".rodata"||$1==".data"||$1==".bss"{t+=$2} END{if (t) printf "%d", t/1024}')"
result boot_entry_to_serving_ms "$(sed -n 's/.*serving \([0-9]*\) ms after the PVH entry.*/\1/p' <<<"$serving")"
result boot_image_mem_kib "$(sed -n 's/.*; image \([0-9]*\) KiB.*/\1/p' <<<"$banner")"
result boot_heap_kib "$(sed -n 's/.*heap in use \([0-9]*\) KiB.*/\1/p' <<<"$serving")"
[ "$BISECT" != 0 ] && result boot_min_mem_mib "$hi"

# The same on real Xen (nested in QEMU: the times are emulation's, the
# memory figure is Xen's memory= in the xl configuration).
flock -u 8
exec 8>&-
if [ "${BENCH_XEN:-1}" != 0 ]; then
    if XEN_BENCH=1 XEN_TIMEOUT=600 tests/xen/run.sh "$TMPD/xen" >"$TMPD/xen.out" 2>&1; then
        echo "PVH image on Xen (Debian 12's Xen 4.17 nested in QEMU TCG; tests/xen/run.sh)"
        tr -d '\r' <"$TMPD/xen/serial.log" | sed -n 's/^XENBENCH: /  /p'
        xb=$(tr -d '\r' <"$TMPD/xen/serial.log" | sed -n 's/^XENBENCH: //p')
        result xen_entry_to_serving_ms "$(sed -n 's/.*serving \([0-9]*\) ms after the PVH entry.*/\1/p' <<<"$xb" | head -n 1)"
        result xen_heap_kib "$(sed -n 's/.*heap in use \([0-9]*\) KiB.*/\1/p' <<<"$xb" | head -n 1)"
        result xen_min_mem_mib "$(sed -n 's/^smallest memory = \([0-9]*\) MiB.*/\1/p' <<<"$xb" | head -n 1)"
    else
        echo "PVH image on Xen: the run failed: $(grep -E '^XENTEST: FAIL' "$TMPD/xen.out" | tail -n 1)" >&2
        exit 1
    fi
fi
