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
    [ -f "$clog" ] && cat "$clog"
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
hdr=$(curl -sS --max-time 60 -o /dev/null -D - "http://$IP/about/" 2>&1) || finish "FAIL redirect: curl http://$IP/about/: $hdr"
echo "$hdr" | grep -q '^HTTP/1.1 301' || finish "FAIL redirect: port 80 did not answer 301: $(echo "$hdr" | head -n 1)"
echo "$hdr" | grep -qi "^Location: https://.*/about/" || finish "FAIL redirect: no https:// Location: $(echo "$hdr" | tr '\r\n' '  ')"
finish "PASS $n files byte-identical over HTTPS from the guest on Xen, and the 301 on port 80"
