#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# jekyll_site.sh DIR: a real Jekyll site built into DIR/blog/_site (jekyll new,
# or a hand-written source tree when jekyll new cannot run offline), plus
# static files Jekyll copies as they are: many types, a name with a space, a
# compressible and an incompressible body, an empty file, a symlink inside.
# Progress on stdout; exits non-zero with the reason on stderr.
set -eu
cd "$1"
src=$PWD/blog
echo "jekyll: building a site"
if ! timeout 120 jekyll new --skip-bundle blog >jekyll-new.log 2>&1; then
    echo "jekyll new failed (no network?): writing a source tree by hand"
    rm -rf "$src"
    mkdir -p "$src/_layouts" "$src/_posts" "$src/about"
    cat >"$src/_config.yml" <<'YML'
title: Atoll test blog
url: "https://localhost"
YML
    cat >"$src/_layouts/default.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ page.title }}</title>
<link rel="stylesheet" href="/assets/site.css"></head><body>{{ content }}</body></html>
HTML
    printf -- '---\nlayout: default\ntitle: Home\n---\n# Welcome\n\n{%% for p in site.posts %%}[{{ p.title }}]({{ p.url }})\n{%% endfor %%}\n' >"$src/index.md"
    printf -- '---\nlayout: default\ntitle: About\npermalink: /about/\n---\nAbout this blog.\n' >"$src/about.md"
    printf -- '---\nlayout: default\ntitle: Not found\npermalink: /404.html\n---\nNothing here.\n' >"$src/404.md"
    printf -- '---\nlayout: default\ntitle: First post\n---\nHello, world.\n' >"$src/_posts/2024-01-02-first-post.md"
fi
mkdir -p "$src/assets/img" "$src/assets/fonts" "$src/docs/my notes" "$src/js" "$src/data"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$src/assets/img/pixel.png"
head -c 3000 /dev/urandom >"$src/assets/fonts/face.woff2"
head -c 3000 /dev/urandom >"$src/assets/blob.bin"
for i in $(seq 1 2000); do echo "body { margin: ${i}px; padding: 0 }"; done >"$src/assets/site.css"
printf 'console.log("atoll");\n' >"$src/js/app.js"
printf '{"ok": true}\n' >"$src/data/site.json"
printf 'plain text with a space in its directory\n' >"$src/docs/my notes/read me.txt"
printf '<p>notes</p>\n' >"$src/docs/my notes/index.html"
: >"$src/docs/empty.txt"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$src/assets/img/icon.svg"
if ! timeout 120 jekyll build -s blog -d blog/_site >jekyll-build.log 2>&1; then
    cat jekyll-build.log >&2
    echo "jekyll build failed" >&2
    exit 1
fi
site=$src/_site
ln -s ../data/site.json "$site/js/config.json" # a symlink that stays inside
if [ ! -f "$site/index.html" ] || [ ! -f "$site/404.html" ]; then
    echo "jekyll built no index.html/404.html" >&2
    exit 1
fi
