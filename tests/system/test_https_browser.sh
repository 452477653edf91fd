#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A real browser on the site appliance: the bundled example site
# (examples/site) packed with a certificate from a test CA, headless
# Chromium (Debian's) with that CA trusted in its NSS database (no
# certificate-error switches), resolving atoll.test to the appliance. The
# DOM must be the page's (not an interstitial), the stylesheet and the
# image must have been fetched (access log), and the screenshot must not
# be blank.
. "$(dirname "$0")/lib.sh"
require chromium certutil openssl
"$PY" -c 'import PIL' 2>/dev/null || fail "$PY cannot import PIL (apt-get install python3-pil)"
PACK=$REPO/build/atoll-pack

CERTS=$TMPD/certs
"$(dirname "$0")/tls_certs.sh" "$CERTS" || fail "test certificates"
img=$TMPD/site.img
"$PACK" "$REPO/examples/site" --cert "$CERTS/ec.pem" --key "$CERTS/ec.key" -o "$img" -q 2>"$TMPD/pack.err" ||
    fail "atoll-pack: $(cat "$TMPD/pack.err")"

export HOME=$TMPD/home
mkdir -p "$HOME/.pki/nssdb"
certutil -N -d "sql:$HOME/.pki/nssdb" --empty-password || fail "certutil -N"
certutil -A -d "sql:$HOME/.pki/nssdb" -t "C,," -n atoll-test-ca -i "$CERTS/ca.pem" || fail "certutil -A"

ns_setup
ATOLL_READY='site: plain HTTP on port 80'
atoll_start --ip 10.0.0.2/24 --site "$img"

chrome() {
    in_ns timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$TMPD/profile" --host-resolver-rules="MAP atoll.test $ATOLL_IP" \
        --window-size=1024,768 "$@" https://atoll.test/ 2>>"$TMPD/chromium.log"
}
SHOW_FILES+=("$TMPD/chromium.log")
say "chromium: dump-dom"
chrome --dump-dom >"$TMPD/dom.html" || fail "chromium --dump-dom failed"
grep -q '<h1>It works.</h1>' "$TMPD/dom.html" || { SHOW_FILES+=("$TMPD/dom.html"); fail "the DOM is not the example page"; }
say "chromium: screenshot"
(cd "$TMPD" && chrome --screenshot="$TMPD/shot.png") || fail "chromium --screenshot failed"
[ -s "$TMPD/shot.png" ] || fail "no screenshot written"
out=$("$PY" - "$TMPD/shot.png" <<'EOF'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
colors = im.getcolors(1 << 20) or []
# The page's teal header rule and text must be there: many colours, and
# some pixels far from the background.
bg = max(colors)[1]
far = sum(n for n, c in colors if sum(abs(a - b) for a, b in zip(c, bg)) > 120)
print(im.size[0], im.size[1], len(colors), far)
EOF
) || fail "cannot read the screenshot"
read -r w h ncolors far <<<"$out"
say "screenshot ${w}x$h, $ncolors colours, $far pixels far from the background"
[ "$ncolors" -gt 20 ] && [ "$far" -gt 500 ] || fail "the screenshot looks blank ($ncolors colours, $far contrasting pixels)"

atoll_stop
grep -Eq '"GET /style.css HTTP/1.1" 200 .* TLSv1.3 ' "$ATOLL_LOG" || fail "chromium did not fetch the stylesheet"
grep -Eq '"GET /atoll.svg HTTP/1.1" 200 ' "$ATOLL_LOG" || fail "chromium did not fetch the image"
pass "headless Chromium renders the example site over HTTPS with the test CA trusted"
