/* The values of the request fields a static server acts on (Range has
 * its own proved file, http_range.h): Accept-Encoding (§12.5.3), If-None-Match / If-Range
 * entity-tags (§8.8.3, §13.1.2, §13.1.5) and Host (§7.2). Each takes the
 * field value as the head parser trimmed it and never reads outside it. */
#ifndef ATOLL_HTTP_FIELDS_H
#define ATOLL_HTTP_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "http_range.h"

/* Does an Accept-Encoding value accept gzip (gzip or x-gzip with q > 0,
 * or "*" with q > 0 when gzip is not named)? */
int http_accepts_gzip(const uint8_t *v, size_t n);

/* If-None-Match against the current ETag etag[0 .. elen-1] (quotes
 * included): 1 for "*" or a list member equal under the weak comparison,
 * else 0 (a malformed list matches nothing). */
int http_inm_match(const uint8_t *v, size_t n, const uint8_t *etag, size_t elen);

/* If-Range's value as an entity-tag: 1 when it is a strong tag equal to
 * etag (the strong comparison), else 0. Dates are the caller's. */
int http_if_range_etag_match(const uint8_t *v, size_t n, const uint8_t *etag, size_t elen);

/* Host = uri-host [ ":" port ]: a reg-name of letters, digits, '-', '.',
 * '_', '~' or an IP-literal "[...]" of hex digits, ':' and '.', then an
 * optional port of up to 5 digits, at most 65535. Returns 0 with
 * *name_len (the host without the port), or -1. An empty value is
 * refused here; the caller decides whether it may be empty. */
int http_host_parse(const uint8_t *v, size_t n, size_t *name_len);

/* The ETag of the gzip variant: etag with "-gz" before its closing quote.
 * out must hold elen + 3 bytes. Returns the length written. */
size_t http_etag_gz(const uint8_t *etag, size_t elen, uint8_t *out);

#endif
