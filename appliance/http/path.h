/* SPDX-License-Identifier: Apache-2.0 */
/* From a request-target to the key the site image is searched by: the
 * path of an origin-form ("/a%20b.html?x") or absolute-form
 * ("http://host/a%20b.html") target, percent-decoded, with its dot
 * segments removed (RFC 3986 §5.2.4; never above the root). The query is
 * dropped. Decoding happens before dot removal on purpose: "%2e%2e" then
 * acts as "..", and nothing left after removal can turn into a dot
 * segment again, so the key never climbs out of the site. */
#ifndef ATOLL_HTTP_PATH_H
#define ATOLL_HTTP_PATH_H

#include <stddef.h>
#include <stdint.h>

#include "spec/http.acsl.h"

#define HTTP_PATH_E_BAD (-400)

/* Where the origin-form part ("/path?query") of target t[0 .. n-1]
 * starts: 0 for origin-form; after the authority for "http://" or
 * "https://" (scheme without case); n when an absolute-form has no path
 * (the path is then "/"). Returns the offset, or HTTP_PATH_E_BAD for any
 * other form ("*", authority-form, another scheme). */
/*@ requires n <= 2147483647;
  @ requires \valid_read(t + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == HTTP_PATH_E_BAD || 0 <= \result <= n;
  @ ensures 0 <= \result < n ==> t[\result] == '/' || t[\result] == '?';
  @*/
int http_target_origin(const uint8_t *t, size_t n);

/* Percent-decodes the path t[0 .. n-1] (up to '?' or the end) into
 * out[0 .. n-1]. Returns the decoded length (<= n), or HTTP_PATH_E_BAD for
 * a '%' not followed by two hex digits, %00 or a raw NUL: the key never
 * holds a NUL. */
/*@ requires n <= 2147483647;
  @ requires \valid_read(t + (0 .. n - 1));
  @ requires \valid(out + (0 .. n - 1));
  @ requires \separated(t + (0 .. n - 1), out + (0 .. n - 1));
  @ assigns out[0 .. n - 1];
  @ ensures \result == HTTP_PATH_E_BAD || 0 <= \result <= n;
  @ ensures \result >= 0 ==> \forall integer k; 0 <= k < \result ==> out[k] != 0;
  @*/
int http_path_decode(const uint8_t *t, size_t n, uint8_t *out);

/* Removes dot segments from p[0 .. n-1] in place (p starts with '/', or
 * n is 0, which gives "/"; p has room for one byte more than n). Returns
 * the new length, 1 .. n + 1; p then starts with '/' (proved) and holds
 * no "." or ".." segment (unit-tested: tests/unit/test_http_parse.c). */
/*@ requires n < 2147483647;
  @ requires \valid(p + (0 .. n));
  @ requires n == 0 || p[0] == '/';
  @ assigns p[0 .. n];
  @ ensures 1 <= \result <= n + 1;
  @ ensures p[0] == '/';
  @*/
int http_path_remove_dots(uint8_t *p, size_t n);

/* All three: target t[0 .. n-1] -> the lookup key in out (room for n + 1
 * bytes). Returns its length, or HTTP_PATH_E_BAD. *origin is where the
 * origin-form part starts in t (for a Location built from it). */
/*@ requires n < 2147483647;
  @ requires \valid_read(t + (0 .. n - 1));
  @ requires \valid(out + (0 .. n));
  @ requires \valid(origin);
  @ requires \separated(t + (0 .. n - 1), out + (0 .. n), origin);
  @ requires \separated(out + (0 .. n), origin);
  @ assigns out[0 .. n], *origin;
  @ ensures \result == HTTP_PATH_E_BAD || 1 <= \result <= n + 1;
  @ ensures \result >= 1 ==> out[0] == '/' && *origin <= n;
  @*/
int http_target_to_path(const uint8_t *t, size_t n, uint8_t *out, size_t *origin);

#endif
