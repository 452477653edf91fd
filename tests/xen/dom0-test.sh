#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The per-run test, run by dom0's init (tests/xen/init) once the toolstack
# is up; tests/xen/run.sh packs it with the guest. Its one result line
# goes to /tmp/result: "PASS ..." or "FAIL <stage>: <why>". The guest's PV
# console (xenconsoled's log) is copied to dom0's console between
# "XENTEST: guest console begin/end" lines.
. /test/env # GUEST NAME IP WAIT
cd /var/lib/atoll || exit 1
clog=/var/log/xen/console/guest-$NAME.log
result() { echo "$*" >/tmp/result; }
console_dump() {
    echo "XENTEST: guest console begin"
    if [ -s "$clog" ]; then cat "$clog"; elif [ -f /tmp/guest-console.log ]; then cat /tmp/guest-console.log; fi
    echo "XENTEST: guest console end"
}
finish() { # RESULT...
    result "$@"
    if [ "$GUEST" = linux ]; then
        xl destroy "$NAME" 2>/dev/null # its init does not handle the shutdown request
    elif xl domid "$NAME" >/dev/null 2>&1; then
        # A clean shutdown when the guest supports it (xenstore control/shutdown), else destroy.
        if timeout 20 xl shutdown -w "$NAME" >/tmp/shutdown.log 2>&1; then
            echo "dom0: guest $NAME shut down cleanly"
        else
            echo "dom0: guest $NAME did not shut down within 20 s (destroyed): $(tail -n 1 /tmp/shutdown.log)"
            xl destroy "$NAME"
        fi
    fi
    xl dmesg | grep -E '^\(d[1-9]' | tail -n 40 | sed 's/^/dom0: xl dmesg: /'
    console_dump
    exit 0
}

echo "dom0: xl create $PWD/atoll.xl"
sed 's/^/dom0: atoll.xl: /' atoll.xl
if ! timeout 60 xl create atoll.xl >/tmp/create.log 2>&1; then
    sed 's/^/dom0: xl create: /' /tmp/create.log
    finish "FAIL xl create: $(grep -v '^Parsing' /tmp/create.log | tail -n 2 | tr '\n' ' ')"
fi
sed 's/^/dom0: xl create: /' /tmp/create.log
xl list | sed 's/^/dom0: xl list: /'

if [ "$GUEST" = linux ]; then
    url=http://$IP/
else
    url=https://$IP/
fi
# Bounded wait for the guest's first answer; a guest that ended or never
# wrote to its console is told apart from a network that carries nothing.
i=0
up=0
while [ $i -lt "$WAIT" ]; do
    if ! xl domid "$NAME" >/dev/null 2>&1; then
        e9=$(xl dmesg | grep -E '^\(d[1-9]' | tail -n 1)
        finish "FAIL guest console: the guest ended after ${i}s without answering ($(wc -c <"$clog" 2>/dev/null || echo 0) bytes on its PV console${e9:+; its last port 0xE9 line: $e9})"
    fi
    # xl list's state column: c crashed (kept by on_crash="preserve"), s shut down.
    state=$(xl list "$NAME" 2>/dev/null | awk 'NR == 2 { print $5 }')
    case "$state" in
    *c*) finish "FAIL guest console: the guest crashed after ${i}s (state $state; see its console and the (d) lines)" ;;
    esac
    if curl -s -o /dev/null --max-time 5 --cacert /test/ca.pem "$url"; then
        up=1
        break
    fi
    sleep 2
    i=$((i + 2))
done
if [ $up = 0 ]; then
    [ -s "$clog" ] || finish "FAIL guest console: nothing on the guest's PV console within ${WAIT}s"
    p=$(ping -c 3 -W 2 "$IP" 2>&1 | grep 'packets transmitted')
    finish "FAIL network: no answer on $url within ${WAIT}s (ping: $p; bridge: $(ls /sys/class/net/xenbr0/brif | tr '\n' ' '))"
fi
echo "XENTEST: guest answered after ${i}s"

if [ "$GUEST" = linux ]; then
    curl -sS --max-time 30 -o /tmp/got "$url" || finish "FAIL file /: curl $url failed"
    cmp -s /test/linux-index.html /tmp/got || finish "FAIL file /: differs"
    finish "PASS linux guest served over netfront"
fi

n=0
for f in $(cd /test/site && find . -type f | sort); do
    rel=${f#./}
    curl -sS --max-time 60 --cacert /test/ca.pem -o /tmp/got "https://$IP/$rel" 2>/tmp/curl.err ||
        finish "FAIL file /$rel: curl: $(cat /tmp/curl.err)"
    cmp -s "/test/site/$rel" /tmp/got || finish "FAIL file /$rel differs ($(wc -c </tmp/got) bytes, expected $(wc -c <"/test/site/$rel"))"
    n=$((n + 1))
done
[ $n -ge 1 ] || finish "FAIL test: no site files in the payload"
curl -sS --max-time 60 --cacert /test/ca.pem -o /tmp/got "https://$IP/" 2>/tmp/curl.err || finish "FAIL file /: curl: $(cat /tmp/curl.err)"
cmp -s /test/site/index.html /tmp/got || finish "FAIL file / differs from index.html"
echo "XENTEST: $n files byte-identical over HTTPS"
# The access log reaches the PV console (xenconsoled's log of the guest).
grep -q '"GET /index.html HTTP/1.1" 200 ' "$clog" || finish "FAIL guest console: no access-log line for /index.html on the PV console"
hdr=$(curl -sS --max-time 60 -o /dev/null -D - "http://$IP/about/" 2>&1) || finish "FAIL redirect: curl http://$IP/about/: $hdr"
echo "$hdr" | grep -q '^HTTP/1.1 301' || finish "FAIL redirect: port 80 did not answer 301: $(echo "$hdr" | head -n 1)"
echo "$hdr" | grep -qi "^Location: https://.*/about/" || finish "FAIL redirect: no https:// Location: $(echo "$hdr" | tr '\r\n' '  ')"

# xl shutdown reaches the appliance (xenstore control/shutdown): it stops,
# and its last console lines are flushed before the domain goes.
if ! timeout 30 xl shutdown -w "$NAME" >/tmp/shutdown.log 2>&1; then
    finish "FAIL shutdown: xl shutdown -w did not end the guest within 30 s: $(tail -n 1 /tmp/shutdown.log)"
fi
sleep 1 # xenconsoled writes the log after the ring
grep -q 'xen: the toolstack asks for poweroff: stopping' "$clog" || finish "FAIL shutdown: the guest did not log the shutdown request"
grep -q 'appliance stopped (exit 0); powering off' "$clog" ||
    finish "FAIL shutdown: the guest's last console line (powering off) did not reach the console log"
echo "XENTEST: xl shutdown stopped the guest cleanly"
cp "$clog" /tmp/guest-console.log # xenconsoled may drop the file once the domain is gone

# other_guest NAME SED-EXPR: another guest from atoll.xl (the first one is
# gone: same vif and address), changed by SED-EXPR; waits (bounded) until it has crashed (on_crash =
# "preserve" keeps it listed) or ended, then destroys it. Its console log
# is $OTHER_LOG.
other_guest() {
    sed -e "s/^name = .*/name = \"$1\"/" -e "$2" atoll.xl >"$1.xl"
    OTHER_LOG=/var/log/xen/console/guest-$1.log
    timeout 60 xl create "$1.xl" >/tmp/create-$1.log 2>&1 || finish "FAIL $1: xl create: $(tail -n 1 /tmp/create-$1.log)"
    j=0
    while [ $j -lt 60 ]; do
        st=$(xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }')
        case "$st" in '' | *c* | *s*) break ;; esac
        sleep 1
        j=$((j + 1))
    done
    OTHER_STATE=${st:-gone}
    sleep 1
    xl destroy "$1" 2>/dev/null
    sed "s/^/dom0: guest-$1: /" "$OTHER_LOG" 2>/dev/null
}

# A fault on purpose (crash=page): the crash report on the PV console, the
# domain ended as crashed.
other_guest crash 's/^extra = "\(.*\)"/extra = "\1 crash=page"/'
case "$OTHER_STATE" in *c*) ;; *) finish "FAIL crash report: the crash=page guest did not end as crashed (state $OTHER_STATE)" ;; esac
grep -q 'atoll: CRASH: exception vector 14 (#PF page fault)' "$OTHER_LOG" || finish "FAIL crash report: no CRASH line for the page fault on the console"
grep -q 'backtrace (addr2line' "$OTHER_LOG" || finish "FAIL crash report: no backtrace on the console"
grep -q 'machine stopped after a crash' "$OTHER_LOG" || finish "FAIL crash report: the report's last line did not reach the console"
echo "XENTEST: crash=page printed the crash report and ended the guest as crashed"

# A corrupt site image: refused with the reason, the guest ends.
cp site.img corrupt.img
printf 'XXXX' | dd of=corrupt.img bs=1 seek=$(($(wc -c <site.img) / 2)) conv=notrunc 2>/dev/null
other_guest corrupt 's|^ramdisk = .*|ramdisk = "/var/lib/atoll/corrupt.img"|'
grep -q 'site image (boot module): SHA-256 digest mismatch' "$OTHER_LOG" ||
    finish "FAIL corrupt module: no clear refusal on the console"
case "$OTHER_STATE" in *c* | *s* | gone) ;; *) finish "FAIL corrupt module: the guest did not end (state $OTHER_STATE)" ;; esac
echo "XENTEST: a corrupt site image is refused and the guest ends"

# make bench: the boot figures on Xen. serves_with MIB: 0 when a guest with
# that much memory answers / over HTTPS within 60 s.
serves_with() {
    sed -e "s/^name = .*/name = \"mem$1\"/" -e "s/^memory = .*/memory = $1/" atoll.xl >"mem$1.xl"
    timeout 60 xl create "mem$1.xl" >/dev/null 2>&1 || return 1
    k=0 ok=1
    while [ $k -lt 60 ]; do
        if curl -s -o /tmp/got --max-time 5 --cacert /test/ca.pem "https://$IP/" && cmp -s /test/site/index.html /tmp/got; then
            ok=0
            break
        fi
        st=$(xl list "mem$1" 2>/dev/null | awk 'NR == 2 { print $5 }')
        case "$st" in '' | *c* | *s*) break ;; esac
        sleep 1
        k=$((k + 1))
    done
    xl destroy "mem$1" 2>/dev/null
    sleep 1
    return $ok
}
if [ "$BENCH" = 1 ]; then
    grep -o 'boot: serving [0-9]* ms after the PVH entry; heap in use [0-9]* KiB' /tmp/guest-console.log | head -n 1 |
        sed 's/^/XENBENCH: /'
    grep -o 'PVH image up, on Xen [^;]*; image .*' /tmp/guest-console.log | head -n 1 | sed 's/^/XENBENCH: /'
    lo=1 hi=$(sed -n 's/^memory = //p' atoll.xl)
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        if serves_with $mid; then hi=$mid; else lo=$mid; fi
    done
    echo "XENBENCH: smallest memory = $hi MiB serves ($lo MiB does not)"
fi
finish "PASS $n files byte-identical over HTTPS from the guest on Xen, the 301 on port 80, xl shutdown, the crash report, a corrupt image refused"
