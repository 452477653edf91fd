/* SPDX-License-Identifier: Apache-2.0 */
/* The values of the request fields a static server acts on (Range has
 * its own proved file, http_range.h): Accept-Encoding (§12.5.3), If-None-Match / If-Range
 * entity-tags (§8.8.3, §13.1.2, §13.1.5) and Host (§7.2). Each takes the
 * field value as the head parser trimmed it and never reads outside it.
 * Pure; ACSL contracts here, logic in spec/http.acsl.h; proved with
 * Frama-C WP + RTE (proofs/run.sh http_fields). */
#ifndef ATOLL_HTTP_FIELDS_H
#define ATOLL_HTTP_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "spec/http.acsl.h"
#include "appliance/http/range.h"

/* An ETag given as W/"..." is compared without its "W/" (weak comparison). */
#define HTTP_ETAG_WEAK(t, l) ((l) >= 2 && (t)[0] == 'W' && (t)[1] == '/')

/* Does an Accept-Encoding value accept gzip (gzip or x-gzip with q > 0,
 * or "*" with q > 0 when gzip is not named)? */
/*@ requires \valid_read(v + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
int http_accepts_gzip(const uint8_t *v, size_t n);

/* If-None-Match against the current ETag etag[0 .. elen-1] (quotes
 * included): 1 for "*" or a list member equal under the weak comparison,
 * else 0 (a malformed list matches nothing). A 1 for a list means the
 * tag (W/ dropped on both sides) occurs in v byte for byte. */
/*@ requires \valid_read(v + (0 .. n - 1));
  @ requires \valid_read(etag + (0 .. elen - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> (n == 1 && v[0] == '*') ||
  @         (HTTP_ETAG_WEAK(etag, elen) && \exists integer s; http_bytes_at(v, n, s, etag + 2, elen - 2)) ||
  @         (!HTTP_ETAG_WEAK(etag, elen) && \exists integer s; http_bytes_at(v, n, s, etag, elen));
  @*/
int http_inm_match(const uint8_t *v, size_t n, const uint8_t *etag, size_t elen);

/* If-Range's value as an entity-tag: 1 when it is a strong tag equal to
 * etag (the strong comparison), else 0. Dates are the caller's. */
/*@ requires \valid_read(v + (0 .. n - 1));
  @ requires \valid_read(etag + (0 .. elen - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> n == elen && n >= 2 && v[0] == '"' && v[n - 1] == '"' &&
  @         \forall integer k; 0 <= k < n ==> v[k] == etag[k];
  @*/
int http_if_range_etag_match(const uint8_t *v, size_t n, const uint8_t *etag, size_t elen);

/* Host = uri-host [ ":" port ]: a reg-name of letters, digits, '-', '.',
 * '_', '~' or an IP-literal "[...]" of hex digits, ':' and '.', then an
 * optional port of up to 5 digits, at most 65535. Returns 0 with
 * *name_len (the host without the port), or -1 (*name_len untouched). An
 * empty value is refused here; the caller decides whether it may be
 * empty. */
/*@ requires \valid_read(v + (0 .. n - 1));
  @ requires \valid(name_len);
  @ requires \separated(v + (0 .. n - 1), name_len);
  @ assigns *name_len;
  @ ensures \result == 0 || \result == -1;
  @ ensures \result == 0 ==> 1 <= *name_len <= n;
  @ ensures \result == 0 ==> http_host_name(v, *name_len) && http_host_port(v, *name_len, n);
  @ ensures \result != 0 ==> *name_len == \old(*name_len);
  @*/
int http_host_parse(const uint8_t *v, size_t n, size_t *name_len);

/* The ETag of the gzip variant: etag with "-gz" before its closing quote
 * (at the end when it has none). out must hold elen + 3 bytes. Returns
 * the length written, elen + 3. */
/*@ requires elen <= 2147483647;
  @ requires \valid_read(etag + (0 .. elen - 1));
  @ requires \valid(out + (0 .. elen + 2));
  @ requires \separated(etag + (0 .. elen - 1), out + (0 .. elen + 2));
  @ assigns out[0 .. elen + 2];
  @ ensures \result == elen + 3;
  @ ensures \let k = (elen > 0 && etag[elen - 1] == '"') ? elen - 1 : elen;
  @         (\forall integer j; 0 <= j < k ==> out[j] == etag[j]) &&
  @         out[k] == '-' && out[k + 1] == 'g' && out[k + 2] == 'z' &&
  @         (\forall integer j; k <= j < elen ==> out[j + 3] == etag[j]);
  @*/
size_t http_etag_gz(const uint8_t *etag, size_t elen, uint8_t *out);

#endif
