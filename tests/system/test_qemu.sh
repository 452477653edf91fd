#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The PVH image without Xen, as `make qemu` boots it (mk/qemu.sh), under
# QEMU software emulation in a namespace of our own (so its forwarded
# ports 8443/8080 on 127.0.0.1 collide with nothing):
#  - every file of the bundled example site over HTTPS through virtio-net,
#    byte-identical, verified against the CA mk/qemu.sh made; port 80
#    answers 301 to https://; the same with the address from DHCP;
#  - crash=page, crash=stack (the canary) and crash=overflow (the stack's
#    guard page) print the crash report (vector, cr2, registers, a
#    backtrace) and end the guest with the crash status;
#  - a corrupt site module is refused with a clear console message and the
#    guest powers off with the error status.
# Each boot is bounded (QEMU_TIMEOUT); the whole takes well under a minute.
. "$(dirname "$0")/lib.sh"
require curl openssl cmp addr2line qemu-system-x86_64
XEN_IMG=$REPO/build/atoll.xen
[ -s "$XEN_IMG" ] || fail "$XEN_IMG not built (make xen)"
ns_setup
RUN_DIR=$TMPD/run
cd "$REPO" || fail "cd $REPO"

# qemu_boot NAME [VAR=VALUE...]: mk/qemu.sh in the namespace, console in
# $TMPD/NAME.log, its output in $TMPD/NAME.out; sets QPID.
qemu_boot() {
    local name=$1
    shift
    ip netns exec "$NS" env RUN_DIR="$RUN_DIR" QEMU_ACCEL=tcg QEMU_TIMEOUT=180 \
        QEMU_SERIAL="file:$TMPD/$name.log" "$@" mk/qemu.sh >"$TMPD/$name.out" 2>&1 &
    QPID=$!
    BG_PIDS+=("$QPID")
    SHOW_FILES+=("$TMPD/$name.log" "$TMPD/$name.out")
}

# qemu_wait_exit SECONDS: the exit status of the boot in QPID.
qemu_wait_exit() {
    _wait_gone "$QPID" $(($1 * 10)) || fail "the guest did not stop within $1 s"
    wait "$QPID"
}

# 1. Serving.
qemu_boot serve
wait_for_line "$TMPD/serve.log" 'site: plain HTTP on port 80' 90 || fail "the guest did not come up serving"
grep -q 'Open  https://127.0.0.1:8443/' "$TMPD/serve.out" || fail "make qemu printed no URL"
grep -q 'atoll: PVH image up, no Xen' "$TMPD/serve.log" || fail "no boot banner"
grep -q 'tls: crypto wolfcrypt' "$TMPD/serve.log" || fail "the image does not say it runs wolfCrypt"
# The boot figures make bench collects (mk/bench_boot.sh reads these lines).
grep -Eq '; image [0-9]+ KiB \(text\+rodata [0-9]+, data [0-9]+, bss [0-9]+\)' "$TMPD/serve.log" ||
    fail "no image size figures in the banner"
grep -Eq 'boot: serving [0-9]+ ms after the PVH entry; heap in use [0-9]+ KiB' "$TMPD/serve.log" ||
    fail "no entry-to-serving figure"
n=0
while IFS= read -r f; do
    rel=${f#examples/site/}
    in_ns curl -sS --max-time 30 --cacert "$RUN_DIR/ca.pem" -o "$TMPD/got" "https://127.0.0.1:8443/$rel" ||
        fail "curl https://127.0.0.1:8443/$rel"
    cmp -s "$f" "$TMPD/got" || fail "/$rel differs from $f"
    n=$((n + 1))
done < <(find examples/site -type f | sort)
[ "$n" -ge 5 ] || fail "only $n files in examples/site?"
in_ns curl -sS --max-time 30 --cacert "$RUN_DIR/ca.pem" -o "$TMPD/got" https://127.0.0.1:8443/ ||
    fail "curl https://127.0.0.1:8443/"
cmp -s examples/site/index.html "$TMPD/got" || fail "/ is not examples/site/index.html"
hdr=$(in_ns curl -sS --max-time 30 -o /dev/null -D - http://127.0.0.1:8080/about/) || fail "curl http://127.0.0.1:8080/about/"
grep -q '^HTTP/1.1 301' <<<"$hdr" || fail "port 80 did not answer 301: $hdr"
grep -qi '^Location: https://.*/about/' <<<"$hdr" || fail "no https:// Location: $hdr"
grep -Eq '"GET /about/index.html HTTP/1.1" 200 ' "$TMPD/serve.log" || fail "no access-log line on the console"
bg_stop "$QPID"
say "served $n files byte-identical over HTTPS, and the 301 on port 80"

# 1b. The address by DHCP from QEMU's user network, on nested Xen's CPU
# model: AES-NI, PCLMUL, SSE4, BMI2 and ADX without AVX (wolfCrypt's
# dispatch must not pick AVX2 code for the BMI2 routines).
qemu_boot dhcp QEMU_NET=dhcp QEMU_IMG="$RUN_DIR/qemu-site.img" \
    QEMU_CPU=qemu64,+aes,+pclmulqdq,+ssse3,+sse4.1,+sse4.2,+bmi2,+adx
wait_for_line "$TMPD/dhcp.log" 'dhcp: bound 10\.0\.2\.15' 90 || fail "dhcp: no lease"
wait_for_line "$TMPD/dhcp.log" 'site: plain HTTP on port 80' 30 || fail "dhcp: not serving"
in_ns curl -sS --max-time 30 --cacert "$RUN_DIR/ca.pem" -o "$TMPD/got" https://127.0.0.1:8443/style.css ||
    fail "dhcp: curl https://127.0.0.1:8443/style.css"
cmp -s examples/site/style.css "$TMPD/got" || fail "dhcp: /style.css differs"
grep -q 'cpu: aes-ni pclmul' "$TMPD/dhcp.log" || fail "dhcp: no 'cpu: aes-ni pclmul' boot line"
bg_stop "$QPID"
say "with dhcp: $(grep -o 'dhcp: bound.*' "$TMPD/dhcp.log"), $(grep -o 'cpu: .*' "$TMPD/dhcp.log")"

# 1c. A CPU without AES-NI or AVX (QEMU's qemu64): the portable crypto
# code serves the same bytes.
qemu_boot plain QEMU_CPU=qemu64
wait_for_line "$TMPD/plain.log" 'site: plain HTTP on port 80' 90 || fail "qemu64: not serving"
grep -q 'cpu: no AES-NI' "$TMPD/plain.log" || fail "qemu64: no 'cpu: no AES-NI' boot line"
in_ns curl -sS --max-time 30 --cacert "$RUN_DIR/ca.pem" -o "$TMPD/got" https://127.0.0.1:8443/index.html ||
    fail "qemu64: curl https://127.0.0.1:8443/index.html"
cmp -s examples/site/index.html "$TMPD/got" || fail "qemu64: /index.html differs"
bg_stop "$QPID"
say "qemu64: $(grep -o 'cpu: .*' "$TMPD/plain.log")"

# 2. The crash report.
for kind in page stack overflow; do
    qemu_boot "crash-$kind" QEMU_ARGS="crash=$kind" QEMU_IMG="$RUN_DIR/qemu-site.img"
    qemu_wait_exit 90
    rc=$?
    log=$TMPD/crash-$kind.log
    [ "$rc" = 3 ] || fail "crash=$kind: mk/qemu.sh exited $rc, not 3 (crashed)"
    grep -q 'backtrace' "$log" || fail "crash=$kind: no backtrace"
    grep -Eq '^  #1 0x[0-9a-f]{16}' "$log" || fail "crash=$kind: no return address in the backtrace"
    grep -q 'atoll: machine stopped after a crash' "$log" || fail "crash=$kind: no stop line"
done
grep -q 'CRASH: exception vector 14 (#PF page fault)' "$TMPD/crash-page.log" || fail "crash=page: no vector 14 report"
# The backtrace is real: #0 is the faulting function, #1 its caller.
# (COM1 lines end in CR LF.)
bt0=$(tr -d '\r' <"$TMPD/crash-page.log" | sed -n 's/^  #0 \(0x[0-9a-f]*\)$/\1/p')
bt1=$(tr -d '\r' <"$TMPD/crash-page.log" | sed -n 's/^  #1 \(0x[0-9a-f]*\)$/\1/p')
[ "$(addr2line -f -e "$XEN_IMG" "$bt0" | head -1)" = provoke_now ] || fail "crash=page: #0 $bt0 is not in provoke_now"
[ "$(addr2line -f -e "$XEN_IMG" "$bt1" | head -1)" = trap_provoke ] || fail "crash=page: #1 $bt1 is not in trap_provoke"
grep -q 'cr2=0x0000001000000000' "$TMPD/crash-page.log" || fail "crash=page: cr2 is not the faulting address"
grep -Eq 'rip=0x[0-9a-f]{16} rsp=0x[0-9a-f]{16} rflags=' "$TMPD/crash-page.log" || fail "crash=page: no registers"
grep -q 'CRASH: stack smashing detected' "$TMPD/crash-stack.log" || fail "crash=stack: the canary did not catch it"
grep -q "stack overflow: the fault is in the boot stack's guard page" "$TMPD/crash-overflow.log" ||
    fail "crash=overflow: the guard page did not catch it"
say "crash=page, crash=stack and crash=overflow print the report and end the guest"

# 3. A corrupt site module.
cp "$RUN_DIR/qemu-site.img" "$TMPD/bad.img"
size=$(stat -c %s "$TMPD/bad.img")
printf 'X' | dd of="$TMPD/bad.img" bs=1 seek=$((size / 2)) conv=notrunc status=none
qemu_boot corrupt QEMU_IMG="$TMPD/bad.img"
qemu_wait_exit 90
rc=$?
[ "$rc" = 1 ] || fail "corrupt module: mk/qemu.sh exited $rc, not 1 (error)"
grep -q 'atoll: error: site image (boot module): ' "$TMPD/corrupt.log" || fail "corrupt module: no clear message"
grep -q 'site: .* paths' "$TMPD/corrupt.log" && fail "corrupt module: served anyway"
say "corrupt module refused: $(grep 'site image (boot module)' "$TMPD/corrupt.log")"
pass "the PVH image serves the site under QEMU, reports crashes, refuses a corrupt module"
