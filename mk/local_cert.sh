#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The local CA and server certificate `make run` and `make qemu` serve with:
#   mk/local_cert.sh WHO DIR CERT KEY NAME IP...
# Makes DIR/ca.pem (a CA the user trusts once: curl --cacert, or a
# browser's import) when there is none or it expires within a day, and
# CERT (leaf + CA) with KEY for NAME, localhost and every IP, unless the
# one there already covers them, is signed by that CA and lives another
# day: a certificate for another address or name would fail every client's
# name check against the URL printed to the user. WHO prefixes messages.
set -u
who=$1 dir=$2 cert=$3 key=$4 name=$5
shift 5
stale() {
    [ -s "$cert" ] && [ -s "$key" ] || { echo "none yet"; return; }
    openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1 || { echo "it expires within a day"; return; }
    local ip names
    names=$(openssl x509 -in "$cert" -noout -checkhost "$name" 2>/dev/null)
    grep -q "^Hostname $name does match" <<<"$names" || { echo "the one there does not cover $name"; return; }
    for ip in "$@"; do
        names=$(openssl x509 -in "$cert" -noout -checkip "$ip" 2>/dev/null)
        grep -q "^IP $ip does match" <<<"$names" || { echo "the one there does not cover $ip"; return; }
    done
    openssl verify -CAfile "$dir/ca.pem" "$cert" >/dev/null 2>&1 || echo "the one there is not signed by $dir/ca.pem"
}
why=$(stale "$@")
[ -n "$why" ] || exit 0
echo "$who: creating a certificate for $name, localhost and $* in $dir/ ($why)"
q() { "$@" >/dev/null 2>&1 || { echo "$who: failed: $*" >&2; exit 1; }; }
if [ ! -s "$dir/ca.pem" ] || ! openssl x509 -in "$dir/ca.pem" -noout -checkend 86400 >/dev/null 2>&1; then
    q openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" -subj "/CN=Atoll local CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
fi
q openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$key" \
    -out "$dir/cert.csr" -subj "/CN=$name"
san="DNS:$name,DNS:localhost"
for ip in "$@"; do san="$san,IP:$ip"; done
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" >"$dir/cert.ext"
q openssl x509 -req -in "$dir/cert.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 365 -extfile "$dir/cert.ext" -out "$dir/leaf.pem"
cat "$dir/leaf.pem" "$dir/ca.pem" >"$cert"
chmod 600 "$key" "$dir/ca.key"
