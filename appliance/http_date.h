/* HTTP-date (RFC 9110 §5.6.7): IMF-fixdate out, all three formats in. */
#ifndef ATOLL_HTTP_DATE_H
#define ATOLL_HTTP_DATE_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_DATE_LEN 29 /* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* Writes the IMF-fixdate of unix time t (clamped to years 1970..9999)
 * into out[0 .. HTTP_DATE_LEN-1]. */
void http_date_format(int64_t t, uint8_t out[HTTP_DATE_LEN]);

/* Parses an IMF-fixdate, RFC 850 or asctime date. Returns 0 and *t, or -1
 * for anything else (the caller then ignores the field, §13.1.3). */
int http_date_parse(const uint8_t *s, size_t n, int64_t *t);

#endif
