#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The PVH image on real Xen: Debian 12's hypervisor and toolstack nested in
# QEMU software emulation (tests/xen/run.sh, one boot, bounded). dom0
# starts build/atoll.xen with the xl configuration mk/xl.sh writes, fetches
# every file of examples/site over HTTPS through netback/netfront and a
# bridge, compares them byte for byte, and checks the 301 on port 80.
# The serial log (Xen, dom0) and the guest's PV console are kept in
# build/test-artefacts/xen/ pass or fail; a failure names its stage (kit,
# xen boot, dom0, xl create, guest console, network, file /PATH, redirect).
. "$(dirname "$0")/lib.sh"
require qemu-system-x86_64 cpio curl openssl strings apt-get
[ -s "$REPO/build/atoll.xen" ] || fail "$REPO/build/atoll.xen not built (make xen)"
[ -x "$REPO/build/atoll-pack" ] || fail "$REPO/build/atoll-pack not built"
ART=$REPO/build/test-artefacts/xen
mkdir -p "$ART"
"$REPO/tests/xen/run.sh" "$TMPD/xen" >"$TMPD/run.out" 2>&1
rc=$?
cp "$TMPD/xen/serial.log" "$ART/serial.log" 2>/dev/null
cp "$TMPD/xen/guest-console.log" "$ART/guest-console.log" 2>/dev/null
cp "$TMPD/run.out" "$ART/run.out"
sed 's/^/    /' "$TMPD/run.out"
SHOW_FILES+=("$ART/serial.log")
res=$(grep -E '^XENTEST: (PASS|FAIL)' "$TMPD/run.out" | tail -n 1)
[ -n "$res" ] || fail "tests/xen/run.sh ended (exit $rc) without a result line; logs in $ART"
case "$res" in
"XENTEST: PASS"*) [ "$rc" = 0 ] || fail "run.sh printed PASS but exited $rc" ;;
*) fail "${res#XENTEST: FAIL } (logs in $ART)" ;;
esac
grep -q 'HVM: Hardware Assisted Paging (HAP) detected' "$ART/serial.log" || fail "Xen ran without HAP?"
# The guest that served was a small one (tests/xen/run.sh's XEN_MEMORY).
mem=${XEN_MEMORY:-16}
grep -Eq "^atoll: memory: $mem MiB RAM" "$ART/guest-console.log" || fail "the guest did not run with memory = $mem"
grep -E '^atoll: info: memory: ' "$ART/guest-console.log" | head -n 1 | sed 's/^/    /'
pass "${res#XENTEST: PASS } (memory = $mem MiB)"
