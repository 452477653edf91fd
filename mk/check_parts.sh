#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Keeps the pure parts pure: every symbol their objects need from outside
# must be defined by a part they may use (DESIGN.md's layout table) or be
# listed in mk/freestanding.allow. A new fopen, malloc or POSIX call in a
# pure part fails the build here, naming the object that calls it.
#   mk/check_parts.sh OBJDIR PART...
set -euo pipefail
cd "$(dirname "$0")/.."
objdir=$1
shift
allow=mk/freestanding.allow

# The parts each pure part may use (besides base/, which is header-only).
declare -A USES=(
    [tcpip]=""
    [tls]=""
    [appliance/http]="appliance/site"
    [appliance/site]=""
    [appliance]="tcpip tls tls/backend appliance/http appliance/site"
)

objs_of() { mk/parts.sh lib "$@" | sed -e "s|^|$objdir/|" -e 's|\.c$|.o|'; }

bad=0
for part in "$@"; do
    mine=$(objs_of "$part")
    used=""
    [ -n "${USES[$part]:-}" ] && used=$(objs_of ${USES[$part]})
    # shellcheck disable=SC2086
    defined=$(nm --defined-only $mine $used 2>/dev/null | awk 'NF == 3 && $2 ~ /[TDBRVWCG]/ { print $3 }' | sort -u)
    globs=$(sed -e 's/#.*//' "$allow" | awk -v p="$part" 'NF == 1 { print $1 } NF == 2 && $1 == p ":" { print $2 }')
    for o in $mine; do
        for sym in $(nm -u "$o" | awk '{ print $NF }'); do
            grep -qxF "$sym" <<<"$defined" && continue
            ok=0
            for g in $globs; do
                # shellcheck disable=SC2254
                case "$sym" in $g) ok=1; break ;; esac
            done
            if [ "$ok" = 0 ]; then
                echo "mk/check_parts.sh: $part is pure, but ${o#"$objdir"/} calls $sym (not in $allow)" >&2
                bad=1
            fi
        done
    done
done
[ "$bad" = 0 ] && echo "check-parts: $* use only what mk/freestanding.allow and their parts allow"
exit $bad
