/* SPDX-License-Identifier: Apache-2.0 */
#include "appliance/pack/mime.h"

#include <stdlib.h>
#include <string.h>

#define TXT "; charset=utf-8"

/* Text formats carry "; charset=utf-8": static site generators write UTF-8,
 * and without a charset browsers guess (often windows-1252). JSON has no
 * charset parameter (RFC 8259: always UTF-8). JavaScript is text/javascript
 * (RFC 9239). Sorted by extension for bsearch. */
static const struct pack_mime table[] = {
    {"7z", "application/x-7z-compressed", 1},
    {"aac", "audio/aac", 1},
    {"apng", "image/apng", 1},
    {"asc", "application/pgp-signature", 0},
    {"atom", "application/atom+xml" TXT, 0},
    {"avi", "video/x-msvideo", 1},
    {"avif", "image/avif", 1},
    {"bin", "application/octet-stream", 0},
    {"bmp", "image/bmp", 0},
    {"br", "application/x-brotli", 1},
    {"bz2", "application/x-bzip2", 1},
    {"cjs", "text/javascript" TXT, 0},
    {"css", "text/css" TXT, 0},
    {"csv", "text/csv" TXT, 0},
    {"deb", "application/vnd.debian.binary-package", 1},
    {"doc", "application/msword", 0},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 1},
    {"eot", "application/vnd.ms-fontobject", 0},
    {"epub", "application/epub+zip", 1},
    {"flac", "audio/flac", 1},
    {"gif", "image/gif", 1},
    {"gpx", "application/gpx+xml" TXT, 0},
    {"gz", "application/gzip", 1},
    {"heic", "image/heic", 1},
    {"htm", "text/html" TXT, 0},
    {"html", "text/html" TXT, 0},
    {"ico", "image/vnd.microsoft.icon", 0},
    {"ics", "text/calendar" TXT, 0},
    {"jpe", "image/jpeg", 1},
    {"jpeg", "image/jpeg", 1},
    {"jpg", "image/jpeg", 1},
    {"js", "text/javascript" TXT, 0},
    {"json", "application/json", 0},
    {"jsonld", "application/ld+json", 0},
    {"jxl", "image/jxl", 1},
    {"m4a", "audio/mp4", 1},
    {"m4v", "video/mp4", 1},
    {"map", "application/json", 0},
    {"markdown", "text/markdown" TXT, 0},
    {"md", "text/markdown" TXT, 0},
    {"mjs", "text/javascript" TXT, 0},
    {"mkv", "video/x-matroska", 1},
    {"mov", "video/quicktime", 1},
    {"mp3", "audio/mpeg", 1},
    {"mp4", "video/mp4", 1},
    {"mpeg", "video/mpeg", 1},
    {"mpg", "video/mpeg", 1},
    {"odp", "application/vnd.oasis.opendocument.presentation", 1},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet", 1},
    {"odt", "application/vnd.oasis.opendocument.text", 1},
    {"oga", "audio/ogg", 1},
    {"ogg", "audio/ogg", 1},
    {"ogv", "video/ogg", 1},
    {"opus", "audio/ogg", 1},
    {"otf", "font/otf", 0},
    {"pdf", "application/pdf", 0},
    {"pem", "application/x-pem-file", 0},
    {"png", "image/png", 1},
    {"ppt", "application/vnd.ms-powerpoint", 0},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", 1},
    {"rar", "application/vnd.rar", 1},
    {"rss", "application/rss+xml" TXT, 0},
    {"rtf", "application/rtf", 0},
    {"sig", "application/pgp-signature", 0},
    {"svg", "image/svg+xml" TXT, 0},
    {"tar", "application/x-tar", 0},
    {"tgz", "application/gzip", 1},
    {"tif", "image/tiff", 0},
    {"tiff", "image/tiff", 0},
    {"toml", "application/toml", 0},
    {"tsv", "text/tab-separated-values" TXT, 0},
    {"ttf", "font/ttf", 0},
    {"txt", "text/plain" TXT, 0},
    {"vtt", "text/vtt" TXT, 0},
    {"wasm", "application/wasm", 0},
    {"wav", "audio/wav", 0},
    {"weba", "audio/webm", 1},
    {"webm", "video/webm", 1},
    {"webmanifest", "application/manifest+json", 0},
    {"webp", "image/webp", 1},
    {"woff", "font/woff", 1},
    {"woff2", "font/woff2", 1},
    {"xhtml", "application/xhtml+xml" TXT, 0},
    {"xls", "application/vnd.ms-excel", 0},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 1},
    {"xml", "application/xml" TXT, 0},
    {"xsl", "application/xslt+xml" TXT, 0},
    {"xz", "application/x-xz", 1},
    {"yaml", "application/yaml", 0},
    {"yml", "application/yaml", 0},
    {"zip", "application/zip", 1},
    {"zst", "application/zstd", 1},
};

static const struct pack_mime fallback = {"", PACK_MIME_DEFAULT, 0};

static int cmp_ext(const void *key, const void *elem)
{
    return strcmp(key, ((const struct pack_mime *)elem)->ext);
}

const struct pack_mime *pack_mime_for(const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    /* "dir.d/README" has no extension; ".htaccess" is a hidden name, not an extension */
    if (dot == NULL || (slash != NULL && dot < slash) || dot == name || dot[-1] == '/')
        return &fallback;
    char ext[16];
    size_t n = strlen(dot + 1);
    if (n == 0 || n >= sizeof ext)
        return &fallback;
    for (size_t i = 0; i <= n; i++) {
        char c = dot[1 + i];
        ext[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    const struct pack_mime *m = bsearch(ext, table, sizeof table / sizeof table[0], sizeof table[0], cmp_ext);
    return m != NULL ? m : &fallback;
}

const struct pack_mime *pack_mime_table(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}
