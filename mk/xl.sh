#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Writes the xl configuration that boots the PVH image on a Xen host:
#   mk/xl.sh OUT        (`make xen` writes build/atoll.xl)
# Deploying: copy build/atoll.xen and a site image (build/atoll-pack) to
# /var/lib/atoll/ on the Xen host, then `xl create atoll.xl`. Variables:
#   NAME     the domain's name (default atoll)
#   KERNEL   the image's path on the Xen host (default /var/lib/atoll/atoll.xen)
#   RAMDISK  the site image's path there (default /var/lib/atoll/site.img)
#   MEMORY   guest memory in MiB (default 64)
#   IP       the guest's address/prefix, or "dhcp" (default 10.0.3.2/24)
#   GW       the default gateway (default 10.0.3.1; empty: none)
#   BRIDGE   the dom0 bridge the guest's vif joins (default xenbr0)
#   MAC      the vif's MAC (default 00:16:3e:a7:00:02; 00:16:3e is Xen's prefix)
#   EXTRA    more command-line keys for the appliance (e.g. "log=debug")
# The guest's command line takes the keys of build/atoll's options
# (appliance/config.c config_from_cmdline): ip=, gw=, dhcp, log=, ...
set -eu
[ $# -eq 1 ] || { echo "usage: mk/xl.sh OUT" >&2; exit 2; }
NAME=${NAME:-atoll}
KERNEL=${KERNEL:-/var/lib/atoll/atoll.xen}
RAMDISK=${RAMDISK:-/var/lib/atoll/site.img}
MEMORY=${MEMORY:-64}
IP=${IP:-10.0.3.2/24}
GW=${GW-10.0.3.1}
BRIDGE=${BRIDGE:-xenbr0}
MAC=${MAC:-00:16:3e:a7:00:02}
EXTRA=${EXTRA:-}
case "$MEMORY" in '' | *[!0-9]*) echo "mk/xl.sh: MEMORY=$MEMORY is not a number of MiB" >&2; exit 2 ;; esac
echo "$MAC" | grep -Eqi '^([0-9a-f]{2}:){5}[0-9a-f]{2}$' || { echo "mk/xl.sh: MAC=$MAC is not a MAC address" >&2; exit 2; }
if [ "$IP" = dhcp ]; then
    extra=dhcp
else
    extra="ip=$IP"
    [ -n "$GW" ] && extra="$extra gw=$GW"
fi
[ -n "$EXTRA" ] && extra="$extra $EXTRA"
cat >"$1.tmp" <<XL
# Atoll's PVH image serving a static site (written by mk/xl.sh).
# Copy atoll.xen and the site image to $(dirname "$KERNEL")/, then: xl create atoll.xl
name = "$NAME"
type = "pvh"
kernel = "$KERNEL"
ramdisk = "$RAMDISK"
extra = "$extra"
memory = $MEMORY
vcpus = 1
vif = ['mac=$MAC,bridge=$BRIDGE']
on_poweroff = "destroy"
# A guest that fails to boot would otherwise be restarted in a loop.
on_reboot = "destroy"
on_crash = "preserve"
XL
mv "$1.tmp" "$1"
