#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The kit for running a guest on real Xen nested in QEMU (TCG): Debian 12's
# hypervisor, its 6.1 kernel as dom0, and a dom0 initramfs holding the
# toolstack (xl, xenstored, xenconsoled), netback with a bridge xenbr0 at
# 10.0.3.1/24, our vif hotplug script and curl. Recipe and pitfalls:
# XEN-NESTED.md. Nothing is installed on the host: the packages are
# fetched with `apt-get download` and unpacked with `dpkg -x`.
#   tests/xen/kit.sh          prints the kit's folder (xen.elf, vmlinuz,
#                             dom0.cpio.gz; busybox and xen-netfront.ko
#                             for a Linux guest)
# The debs are kept in build/xen-kit/debs (fetched once); the kit is kept
# in build/xen-kit/k-HASH, HASH covering these scripts, the debs and the
# host's curl, so a second run only prints the folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOP=build/xen-kit
DEBS=$TOP/debs
say() { echo "xen-kit: $*" >&2; }
die() { echo "xen-kit: FAIL: $*" >&2; exit 1; }
for c in apt-get apt-cache dpkg cpio gzip ldd sha256sum curl; do
    command -v "$c" >/dev/null || die "'$c' is missing (apt-get install cpio qemu-system-x86 curl)"
done

kver=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*-amd64\)$/\1/p' | sed -n 1p)
if [ -z "$kver" ]; then # offline: the kernel deb already fetched
    kver=$(find "$DEBS" -name 'linux-image-[0-9]*-amd64_*.deb' 2>/dev/null | sed 's|.*/linux-image-\([^_]*\)_.*|\1|' | sort | tail -n 1)
fi
[ -n "$kver" ] || die "cannot tell which linux-image-*-amd64 linux-image-amd64 stands for (apt-get update?)"
PKGS="xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils libxenmisc4.17 libxencall1
libxendevicemodel1 libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenhypfs1 libxenstore4 libxentoollog1
libxentoolcore1 libyajl2 busybox-static linux-image-$kver"
mkdir -p "$DEBS"
need=()
for p in $PKGS; do
    compgen -G "$DEBS/${p}_*.deb" >/dev/null || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    say "fetching ${need[*]}"
    (cd "$DEBS" && apt-get download "${need[@]}" >/dev/null 2>../download.log) ||
        die "apt-get download failed: $(tail -n 3 "$TOP/download.log" | tr '\n' ' ')"
fi

hash=$( (sha256sum tests/xen/kit.sh tests/xen/init tests/xen/vif-atoll /usr/bin/curl
    for p in $PKGS; do sha256sum "$DEBS/${p}"_*.deb; done) | sha256sum | cut -c1-16)
KIT=$TOP/k-$hash
if [ -s "$KIT/dom0.cpio.gz" ] && [ -s "$KIT/xen.elf" ] && [ -s "$KIT/vmlinuz" ]; then
    echo "$KIT"
    exit 0
fi
say "building the kit in $KIT"
rm -rf "$TOP"/k-* "$TOP/tmp"
X=$TOP/tmp/unpacked
R=$TOP/tmp/root
mkdir -p "$X" "$R"
for p in $PKGS; do dpkg -x "$DEBS/${p}"_*.deb "$X"; done
mkdir -p "$TOP/tmp/out"
gzip -dc "$X/boot/xen-4.17-amd64.gz" >"$TOP/tmp/out/xen.elf"
cp "$X/boot/vmlinuz-$kver" "$TOP/tmp/out/vmlinuz"
# For a Linux PVH guest (tests/xen/run.sh XEN_GUEST=linux), the reference
# the kit is checked against: busybox and netfront.
cp "$X/bin/busybox" "$TOP/tmp/out/busybox"
cp "$(find "$X/lib/modules/$kver/kernel" -name xen-netfront.ko)" "$TOP/tmp/out/xen-netfront.ko"

mkdir -p "$R"/{bin,sbin,dev,proc,sys,tmp,run,root,etc/xen/scripts,var/lib/xen,var/lib/xenstored,var/log/xen/console,var/lock,var/lib/atoll}
cp "$X/bin/busybox" "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
# Library lookups: the unpacked Xen libraries first, then the host's.
XLIB=$PWD/$X/usr/lib/x86_64-linux-gnu
copy_bin() { # SRC DEST (DEST inside the root) with every library ldd names
    local src=$1 dst=$2 lib
    mkdir -p "$R$(dirname "$dst")"
    cp -L "$src" "$R$dst"
    LD_LIBRARY_PATH=$XLIB ldd "$src" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
        case "$lib" in
        "$XLIB"/*) mkdir -p "$R/usr/lib/x86_64-linux-gnu"; cp -L "$lib" "$R/usr/lib/x86_64-linux-gnu/" ;;
        *) mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib" ;;
        esac
    done
    if LD_LIBRARY_PATH=$XLIB ldd "$src" | grep -q 'not found'; then
        die "$src: $(LD_LIBRARY_PATH=$XLIB ldd "$src" | grep 'not found' | tr '\n' ' ')"
    fi
}
XB=$X/usr/lib/xen-4.17/bin
for b in xl xenstored xenconsoled xen-init-dom0; do copy_bin "$XB/$b" "/usr/lib/xen-4.17/bin/$b"; done
for b in xenstore-write xenstore-read xenstore-ls; do copy_bin "$X/usr/bin/$b" "/usr/bin/$b"; done
copy_bin /usr/bin/curl /usr/bin/curl
# pthread_cancel dlopens libgcc_s: xl aborts without it.
gcc_s=$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ && !f { print $NF; f = 1 }')
[ -n "$gcc_s" ] || die "no libgcc_s.so.1 on the host"
mkdir -p "$R$(dirname "$gcc_s")"
cp -L "$gcc_s" "$R$gcc_s"

# Modules, in load order: Debian ships no modules.dep, so each module's
# depends= string (in its .modinfo section) orders them.
MD=$X/lib/modules/$kver
order=()
add_mod() {
    local name f dep
    name=$(tr - _ <<<"$1")
    for f in "${order[@]}"; do [ "$(basename "$f" .ko | tr - _)" = "$name" ] && return 0; done
    f=$(find "$MD/kernel" -name '*.ko' | awk -v n="$name" '{ b = $0; sub(/.*\//, "", b); sub(/\.ko$/, "", b); gsub(/-/, "_", b); if (b == n && !done) { print; done = 1 } }')
    [ -n "$f" ] || die "module $1 not in linux-image-$kver"
    for dep in $(strings "$f" | sed -n 's/^depends=//p' | tr ',' ' '); do add_mod "$dep"; done
    order+=("$f")
}
for m in xen-privcmd xen-evtchn xen-gntdev xen-gntalloc xenfs xen-netback bridge; do add_mod "$m"; done
mkdir -p "$R/lib/modules"
: >"$R/etc/modules"
for f in "${order[@]}"; do
    cp "$f" "$R/lib/modules/"
    basename "$f" >>"$R/etc/modules"
done

cp tests/xen/init "$R/init"
cp tests/xen/vif-atoll "$R/etc/xen/scripts/vif-atoll"
chmod 755 "$R/init" "$R/etc/xen/scripts/vif-atoll"
cat >"$R/etc/xen/xl.conf" <<'CONF'
autoballoon="off"
vif.default.script="/etc/xen/scripts/vif-atoll"
CONF
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\n' >"$R/etc/group"
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$TOP/tmp/out/dom0.cpio.gz"
mods=$(tr '\n' ' ' <"$R/etc/modules")
mv "$TOP/tmp/out" "$KIT"
rm -rf "$TOP/tmp"
say "kit ready in $KIT: $(du -sh "$KIT" | cut -f1); modules: $mods"
echo "$KIT"
