#!/bin/bash
# Regenerates the TLS test keys, certificates and signatures in this
# directory with openssl (the files are committed; rerun only to change
# them). Every certificate has fixed validity dates, so the tests pass a
# fixed "now" (2030-06-01) instead of reading a clock.
#
#   root     Atoll Test Root, P-256, 2020..2050            (trust anchor)
#   int      Atoll Test Intermediate, P-384, signed by root, 2020..2050
#   leaf_*   signed by int unless noted; names www.atoll.test and
#            *.wild.atoll.test, serverAuth, digitalSignature, 2024..2034
#     leaf_ec256 leaf_ec384 leaf_rsa2048   good leaves, one per key type
#     leaf_expired (2010..2011) leaf_future (2031..2040)
#     leaf_clientauth (extendedKeyUsage clientAuth only)
#     leaf_keyenc (keyUsage keyEncipherment only)
#     leaf_rsa1024 (key under the 2048-bit floor) leaf_sha1 (SHA-1 signature)
#     leaf_cn_only (no subjectAltName, CN=www.atoll.test)
#     leaf_rogue (signed by rogue, a self-signed root nobody trusts)
#   *_key.pem PKCS#8 PEM (CA keys are not kept); *_key.der DER; ec256_sec1.pem and rsa2048_pkcs1.pem
#   the traditional PEM forms; ed25519_key.pem a key the backend refuses.
#   msg.bin and sig_* : signatures over msg.bin made by openssl
#   (ECDSA DER; RSA-PSS with salt = digest length, MGF1 = the same hash).
set -euo pipefail
cd "$(dirname "$0")"
OSSL=${OPENSSL:-openssl}
tmp=$(mktemp -d /tmp/atoll-certs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/ca.cnf" <<CNF
[ca]
default_ca = testca
[testca]
database = $tmp/index.txt
new_certs_dir = $tmp/new
serial = $tmp/serial
policy = any
unique_subject = no
copy_extensions = none
email_in_dn = no
[any]
commonName = supplied
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_int]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.atoll.test,DNS:*.wild.atoll.test
[v3_clientauth]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:www.atoll.test
[v3_keyenc]
basicConstraints = critical,CA:false
keyUsage = critical,keyEncipherment
subjectAltName = DNS:www.atoll.test
[v3_cn_only]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
CNF
mkdir "$tmp/new"
: >"$tmp/index.txt"
echo 1000 >"$tmp/serial"

key() { # name spec...
    local name=$1
    shift
    "$OSSL" genpkey "$@" -out "${name}_key.pem" 2>/dev/null
    "$OSSL" pkey -in "${name}_key.pem" -outform DER -out "${name}_key.der"
}
key root -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key int -algorithm EC -pkeyopt ec_paramgen_curve:P-384
key rogue -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key ec256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key ec384 -algorithm EC -pkeyopt ec_paramgen_curve:P-384
key rsa2048 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key rsa1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024
key p521 -algorithm EC -pkeyopt ec_paramgen_curve:P-521
"$OSSL" genpkey -algorithm ED25519 -out ed25519_key.pem
"$OSSL" ec -in ec256_key.pem -out ec256_sec1.pem 2>/dev/null
"$OSSL" rsa -in rsa2048_key.pem -traditional -out rsa2048_pkcs1.pem 2>/dev/null

# cert name key cn from until ext signer-cert signer-key [md]
cert() {
    local name=$1 k=$2 cn=$3 from=$4 until=$5 ext=$6 ca=$7 cakey=$8 md=${9:-sha256}
    "$OSSL" req -new -config "$tmp/ca.cnf" -key "${k}_key.pem" -subj "/CN=$cn" -out "$tmp/$name.csr"
    local signer=(-cert "$ca" -keyfile "$cakey")
    [ "$ca" = self ] && signer=(-selfsign -keyfile "$cakey")
    "$OSSL" ca -batch -config "$tmp/ca.cnf" -notext -md "$md" -startdate "$from" -enddate "$until" \
        -extensions "$ext" "${signer[@]}" -in "$tmp/$name.csr" -out "$name.pem" 2>/dev/null
    "$OSSL" x509 -in "$name.pem" -outform DER -out "$name.der"
}
T2020=20200101000000Z T2050=20500101000000Z T2024=20240101000000Z T2034=20340101000000Z
cert root root "Atoll Test Root" $T2020 $T2050 v3_ca self root_key.pem
cert int int "Atoll Test Intermediate" $T2020 $T2050 v3_int root.pem root_key.pem
cert rogue rogue "Rogue Root" $T2020 $T2050 v3_ca self rogue_key.pem
for k in ec256 ec384 rsa2048; do
    cert "leaf_$k" "$k" www.atoll.test $T2024 $T2034 v3_leaf int.pem int_key.pem
done
cert leaf_expired ec256 www.atoll.test 20100101000000Z 20110101000000Z v3_leaf int.pem int_key.pem
cert leaf_future ec256 www.atoll.test 20310101000000Z 20400101000000Z v3_leaf int.pem int_key.pem
cert leaf_clientauth ec256 www.atoll.test $T2024 $T2034 v3_clientauth int.pem int_key.pem
cert leaf_keyenc rsa2048 www.atoll.test $T2024 $T2034 v3_keyenc int.pem int_key.pem
cert leaf_rsa1024 rsa1024 www.atoll.test $T2024 $T2034 v3_leaf int.pem int_key.pem
cert leaf_sha1 ec256 www.atoll.test $T2024 $T2034 v3_leaf int.pem int_key.pem sha1
cert leaf_cn_only ec256 www.atoll.test $T2024 $T2034 v3_cn_only int.pem int_key.pem
cert leaf_rogue ec256 www.atoll.test $T2024 $T2034 v3_leaf rogue.pem rogue_key.pem

# Signatures made by openssl, for our verifier.
printf 'Atoll signs this: TLS 1.3, server CertificateVerify\n' >msg.bin
"$OSSL" dgst -sha256 -sign ec256_key.pem -out sig_ec256_sha256.der msg.bin
"$OSSL" dgst -sha384 -sign ec384_key.pem -out sig_ec384_sha384.der msg.bin
for h in sha256 sha384 sha512; do
    "$OSSL" dgst -"$h" -sign rsa2048_key.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest \
        -sigopt rsa_mgf1_md:"$h" -out "sig_rsa2048_pss_$h.bin" msg.bin
done
# a PSS signature with a 20-byte salt: TLS 1.3 wants salt = hash length
"$OSSL" dgst -sha256 -sign rsa2048_key.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20 \
    -sigopt rsa_mgf1_md:sha256 -out sig_rsa2048_pss_sha256_salt20.bin msg.bin
# the CA keys are not needed by the tests
rm -f root_key.* int_key.* rogue_key.*
echo "make_tls_certs.sh: wrote $(ls ./*.pem ./*.der ./*.bin | wc -l) files into $(pwd)"
