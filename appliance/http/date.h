/* SPDX-License-Identifier: Apache-2.0 */
/* HTTP-date (RFC 9110 §5.6.7): IMF-fixdate out, all three formats in.
 * Pure; ACSL contracts here, proved with Frama-C WP + RTE (proofs/run.sh
 * http_date): the calendar arithmetic never overflows or indexes outside
 * its tables, a parsed date lies in 1970..9999, a formatted one is 29
 * bytes of header-safe text. */
#ifndef ATOLL_HTTP_DATE_H
#define ATOLL_HTTP_DATE_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_DATE_LEN 29 /* "Sun, 06 Nov 1994 08:49:37 GMT" */
#define HTTP_DATE_T_MAX 253402300799ll /* 9999-12-31T23:59:59Z */

/* Writes the IMF-fixdate of unix time t (clamped to years 1970..9999)
 * into out[0 .. HTTP_DATE_LEN-1]. */
/*@ requires \valid(out + (0 .. HTTP_DATE_LEN - 1));
  @ assigns out[0 .. HTTP_DATE_LEN - 1];
  @ ensures \forall integer k; 0 <= k < HTTP_DATE_LEN ==> 0x20 <= out[k] <= 0x7e;
  @ ensures out[3] == ',' && out[4] == ' ' && out[7] == ' ' && out[11] == ' ' && out[16] == ' ' &&
  @         out[19] == ':' && out[22] == ':' && out[25] == ' ' && out[26] == 'G' && out[27] == 'M' &&
  @         out[28] == 'T';
  @*/
void http_date_format(int64_t t, uint8_t out[HTTP_DATE_LEN]);

/* Parses an IMF-fixdate, RFC 850 or asctime date. Returns 0 and *t, or -1
 * for anything else (the caller then ignores the field, §13.1.3). */
/*@ requires \valid_read(s + (0 .. n - 1));
  @ requires \valid(t);
  @ requires \separated(s + (0 .. n - 1), t);
  @ assigns *t;
  @ ensures \result == 0 || \result == -1;
  @ ensures \result == 0 ==> 0 <= *t <= HTTP_DATE_T_MAX;
  @ ensures \result != 0 ==> *t == \old(*t);
  @*/
int http_date_parse(const uint8_t *s, size_t n, int64_t *t);

#endif
