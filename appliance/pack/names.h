/* SPDX-License-Identifier: Apache-2.0 */
/* File names as URL paths, for the packer.
 *
 * The image's keys are decoded paths (site_image.h): the bytes of a file's
 * name relative to the site directory. A name qualifies when it is valid
 * UTF-8 and holds no character that cannot stand in a URL path once
 * decoded: no control character (C0, DEL, C1), no '?' (starts a query),
 * no '#' (starts a fragment), no '\\' (a path separator to some clients).
 * Characters that are legal but unusual in a URL (space, '%', '"', '<',
 * non-ASCII letters...) are kept in the key and percent-encoded wherever
 * the packer writes a URL (redirect Locations): "my file.html" is served
 * at /my%20file.html. */
#ifndef ATOLL_PACK_NAMES_H
#define ATOLL_PACK_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Checks one path component (a directory entry's name, no '/').
 * Returns NULL when it can be a URL path segment, else the reason, a
 * clause about the name ("it is not valid UTF-8"). */
const char *pack_name_problem(const uint8_t *name, size_t n);

/* Percent-encodes path p[0..n) as an RFC 3986 path (pchar and '/' kept,
 * everything else %XX with upper-case hex) into out, NUL-terminated.
 * Returns the encoded length (without the NUL), or (size_t)-1 if out
 * (cap bytes) is too small. At most 3 * n + 1 bytes are needed. */
size_t pack_url_encode(const uint8_t *p, size_t n, char *out, size_t cap);

/* Writes name[0..n) into out (cap bytes, NUL-terminated, truncated with
 * "..." if needed) for a message: printable ASCII and UTF-8 kept, every
 * other byte as \xNN, so a name with a newline cannot forge a message
 * line. Returns out. */
char *pack_quote(const uint8_t *name, size_t n, char *out, size_t cap);

#endif
