#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# mk/install.sh install|uninstall DESTDIR PREFIX ARCHIVE...: the embedder's
# libraries (make install / make uninstall). Installs the archives into
# PREFIX/lib, include/atoll/*.h into PREFIX/include/atoll, one pkg-config
# file per library into PREFIX/lib/pkgconfig, and the licences into
# PREFIX/share/doc/atoll; everything under DESTDIR when given (packaging).
# The pkg-config files name PREFIX, never DESTDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
action=$1 destdir=$2 prefix=$3
shift 3
case "$prefix" in
/*) ;;
*) echo "mk/install.sh: PREFIX must be an absolute path (got '$prefix')" >&2; exit 2 ;;
esac
root=$destdir$prefix
libdir=$root/lib incdir=$root/include/atoll pcdir=$root/lib/pkgconfig docdir=$root/share/doc/atoll
version=$(sed -n 's/^#define ATOLL_VERSION_STRING "\(.*\)"$/\1/p' include/atoll/version.h)
wolfssl_copying=${WOLFSSL_CACHE:-build/deps/wolfssl}/src/COPYING

# name description requires libs libs.private
pc() {
    printf 'prefix=%s\nlibdir=${prefix}/lib\nincludedir=${prefix}/include\n\n' "$prefix"
    printf 'Name: %s\nDescription: %s\nVersion: %s\n' "$1" "$2" "$version"
    [ -n "$3" ] && printf 'Requires: %s\n' "$3"
    printf 'Cflags: -I${includedir}\nLibs: %s\n' "$4"
    [ -n "${5:-}" ] && printf 'Libs.private: %s\n' "$5"
    return 0
}

pc_files=(atoll-tcpip.pc atoll-tls-engine.pc atoll-tls.pc atoll-tls-wolfcrypt.pc)
docs=(LICENSE NOTICE CHANGELOG.md)

if [ "$action" = uninstall ]; then
    for h in include/atoll/*.h; do rm -f "$incdir/${h##*/}"; done
    for a in "$@"; do rm -f "$libdir/${a##*/}"; done
    for p in "${pc_files[@]}"; do rm -f "$pcdir/$p"; done
    for d in "${docs[@]}" COPYING.wolfssl; do rm -f "$docdir/$d"; done
    rmdir "$incdir" "$docdir" 2>/dev/null || true
    echo "make uninstall: removed Atoll's libraries, headers and pkg-config files from $root"
    exit 0
fi
[ "$action" = install ] || { echo "mk/install.sh: install or uninstall, not '$action'" >&2; exit 2; }

install -d "$libdir" "$incdir" "$pcdir" "$docdir"
install -m 644 include/atoll/*.h "$incdir/"
install -m 644 "$@" "$libdir/"
install -m 644 "${docs[@]}" "$docdir/"
[ -f "$wolfssl_copying" ] && install -m 644 "$wolfssl_copying" "$docdir/COPYING.wolfssl"

pc atoll-tcpip "Atoll TCP/IP: a pure IPv4/TCP/UDP stack (arena in, frames out)" "" \
    "-L\${libdir} -latoll-tcpip" >"$pcdir/atoll-tcpip.pc"
pc atoll-tls-engine "Atoll TLS 1.3 engine alone, for an embedder's own crypto backend" "" \
    "-L\${libdir} -latoll-tls" >"$pcdir/atoll-tls-engine.pc"
pc atoll-tls "Atoll TLS 1.3 engine with the mbedtls backend and X.509 (Apache-2.0)" atoll-tls-engine \
    "-L\${libdir} -latoll-tls-mbedtls" "-lmbedx509 -lmbedcrypto" >"$pcdir/atoll-tls.pc"
pc atoll-tls-wolfcrypt "Atoll TLS 1.3 wolfCrypt backend (a program linking it is GPL-2.0-or-later)" atoll-tls-engine \
    "-L\${libdir} -latoll-tls-wolfcrypt" >"$pcdir/atoll-tls-wolfcrypt.pc"
chmod 644 "$pcdir"/atoll-*.pc
echo "make install: $(printf '%s ' "${@##*/}")in $libdir, headers in $incdir, pkg-config files in $pcdir"
