/* SPDX-License-Identifier: Apache-2.0 */
/* Range: bytes=... (RFC 9110 §14.1.2, §14.2) against a representation of
 * a given size. Pure; ACSL contract here, proved with Frama-C WP + RTE
 * (proofs/run.sh http_range): a range it accepts lies inside the
 * representation, whatever numbers the request held. */
#ifndef ATOLL_HTTP_RANGE_H
#define ATOLL_HTTP_RANGE_H

#include <stddef.h>
#include <stdint.h>

/* http_range_parse results. */
#define HTTP_RANGE_NONE 0  /* ignore the field: not bytes, malformed, or several ranges (serve 200) */
#define HTTP_RANGE_OK 1    /* one satisfiable range: *first .. *last, inclusive, within size */
#define HTTP_RANGE_UNSAT 2 /* one well-formed range outside the representation: 416 */

/* Parsed numbers saturate here: far above any representation (images are
 * < 2^32 bytes), far below UINT64_MAX, so nothing computed from them
 * wraps. */
#define HTTP_RANGE_SAT 4611686018427387904ull /* 2^62 */

/* One "bytes=" range in v[0 .. n-1] (the field value, OWS trimmed).
 * Numbers of any length are read without overflow. Several ranges are
 * served as the whole representation (allowed by §14.2: a server MAY
 * ignore Range), which also keeps a multipart encoder out of the
 * appliance. An empty list element does not count as a range. */
/*@ requires \valid_read(v + (0 .. n - 1));
  @ requires \valid(first) && \valid(last);
  @ requires \separated(v + (0 .. n - 1), first, last);
  @ requires \separated(first, last);
  @ assigns *first, *last;
  @ ensures \result == HTTP_RANGE_NONE || \result == HTTP_RANGE_OK || \result == HTTP_RANGE_UNSAT;
  @ ensures \result == HTTP_RANGE_OK ==> *first <= *last < size;
  @ ensures size == 0 ==> \result != HTTP_RANGE_OK;
  @*/
int http_range_parse(const uint8_t *v, size_t n, uint64_t size, uint64_t *first, uint64_t *last);

#endif
