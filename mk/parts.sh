#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The one reader of the per-folder source lists (<part>/sources): the
# Makefile, fuzz/build.sh and proofs/run.sh all ask it, so no second list
# of sources exists anywhere.
#   mk/parts.sh lib PART...      library sources of the parts (no program entry points)
#   mk/parts.sh program NAME     the entry point of build/NAME
#   mk/parts.sh proofs           one line per proof module: NAME SOURCE [frama-c option...]
#   mk/parts.sh parts            every part (folder with a sources list)
set -eu
cd "$(dirname "$0")/.."
PARTS="tcpip tls tls/backend tls/backend/wolfcrypt appliance/http appliance/site appliance appliance/tap appliance/pack tools"

rows() { # part: "path tag args..." per listed source
    [ -f "$1/sources" ] || { echo "mk/parts.sh: no source list $1/sources" >&2; exit 2; }
    sed -e 's/#.*//' "$1/sources" | awk -v d="$1" 'NF { $1 = d "/" $1; print }'
}

case "${1:-}" in
lib)
    shift
    for p in "$@"; do rows "$p" | awk '$2 != "program" { print $1 }'; done ;;
program)
    for p in $PARTS; do rows "$p"; done | awk -v n="$2" '$2 == "program" && $3 == n { print $1 }' ;;
proofs)
    for p in $PARTS; do rows "$p"; done | awk '$2 == "proof" { s = $3 " " $1; for (i = 4; i <= NF; i++) s = s " " $i; print s }' ;;
parts)
    echo "$PARTS" ;;
*)
    echo "usage: mk/parts.sh lib PART... | program NAME | proofs | parts" >&2; exit 2 ;;
esac
