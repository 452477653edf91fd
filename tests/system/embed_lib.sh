# SPDX-License-Identifier: Apache-2.0
# For the embedding tests (test_embed_*.sh), sourced after lib.sh: Atoll
# installed as an embedder gets it, and examples built the way an embedder
# builds them, from pkg-config flags only.
#
#   embed_install              # make install PREFIX=$TMPD/prefix; pkg-config sees only it
#   embed_build NAME examples/DIR/FILE.c PKG...   # -> $TMPD/bin/NAME
#
# The example is compiled from a copy outside the source tree, so no
# header of the tree can be found by accident: what it includes must come
# from the installed prefix.

embed_install() {
    PREFIX_DIR=$TMPD/prefix
    say "make install PREFIX=$PREFIX_DIR"
    make -C "$REPO" -s install PREFIX="$PREFIX_DIR" >"$TMPD/install.log" 2>&1 \
        || { cat "$TMPD/install.log" >&2; fail "make install PREFIX=$PREFIX_DIR failed"; }
    # Only the temporary prefix: an Atoll installed elsewhere on the machine
    # must not satisfy the build.
    export PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR=$PREFIX_DIR/lib/pkgconfig
    pkg-config --exists atoll-tcpip atoll-tls atoll-tls-engine atoll-tls-wolfcrypt \
        || fail "pkg-config does not find the installed atoll-*.pc in $PKG_CONFIG_LIBDIR"
}

embed_build() {
    local name=$1 src=$2 cflags libs
    shift 2
    mkdir -p "$TMPD/src/$name" "$TMPD/bin"
    cp "$REPO/$src" "$TMPD/src/$name/" || fail "no $src"
    cflags=$(pkg-config --cflags "$@") || fail "pkg-config --cflags $*"
    libs=$(pkg-config --static --libs "$@") || fail "pkg-config --static --libs $*"
    say "cc $cflags ${src##*/} $libs"
    (cd "$TMPD/src/$name" && cc -std=c11 -Wall -Wextra -Werror -O2 $cflags "${src##*/}" $libs -o "$TMPD/bin/$name") \
        >"$TMPD/build-$name.log" 2>&1 || { cat "$TMPD/build-$name.log" >&2; fail "building $src against the installed copy"; }
}
