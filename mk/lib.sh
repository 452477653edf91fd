#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# mk/lib.sh OUT.a [-L SYMBOL]... INPUT...: one installable archive whose only global
# symbols are the project's (atoll_*). The inputs (objects, and archives
# of which only the members they need come in) are linked into a single
# relocatable object, so references between them are resolved inside it;
# then every other global symbol is made local. An embedder linking the
# archive sees no internal name (tls_fail, csum_add, wolfCrypt's wc_*),
# and two archives that carry the same private helper do not collide.
set -euo pipefail
out=$1
shift
# -L: an atoll_ name that only links the inputs together (a hook a
# library calls back into), localized too.
localize=()
while [ "${1:-}" = -L ]; do
    localize+=(-L "$2")
    shift 2
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base=$(basename "$out" .a)
ld -r -o "$tmp/$base.o" "$@"
objcopy --wildcard --keep-global-symbol='atoll_*' "${localize[@]}" "$tmp/$base.o"
# Checked, not assumed: whatever objcopy left global must carry the prefix.
leaked=$(nm -g --defined-only "$tmp/$base.o" | awk '$3 !~ /^atoll_/ {print $3}')
if [ -n "$leaked" ]; then
    echo "mk/lib.sh: $out would export symbols without the atoll_ prefix:" $leaked >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
rm -f "$out"
ar rcs "$out" "$tmp/$base.o"
