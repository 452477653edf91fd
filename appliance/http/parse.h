/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTP/1.1 request head as a wire format (RFC 9112 §2-§5, RFC 9110):
 * finding where a head ends, and parsing a complete head into spans of the
 * caller's buffer. Pure and allocation-free; ACSL contracts here, logic in
 * spec/http.acsl.h; proved with Frama-C WP + RTE (proofs/run.sh http).
 *
 * Strictness (each refusal is the status the caller answers with):
 *   - request-line: METHOD SP request-target SP HTTP/d.d CRLF, single SPs;
 *     method a token, target bytes from RFC 3986's set; HTTP/1.0 and 1.1
 *     served, any other well-formed version 505, anything else 400;
 *   - lines end in CRLF. A bare LF (allowed by RFC 9112 §2.2 as a MAY) is
 *     refused with 400: no client we serve needs it and one line-ending
 *     rule leaves no room for two parsers on a path to disagree;
 *   - field-name a token directly followed by ':' (whitespace before the
 *     colon: 400, §5.1), no obs-fold (a line starting with SP/HTAB: 400,
 *     §5.2), values without control bytes other than HTAB (400);
 *   - Host: exactly one for HTTP/1.1, never two (400, §3.2);
 *   - Content-Length: 1*DIGIT; several lines must agree (400 otherwise,
 *     §6.3); values above HTTP_CL_SAT saturate there (the caller answers
 *     413, never reads them);
 *   - Transfer-Encoding: we read no chunked bodies, so 501 (§6.1 "SHOULD
 *     respond 501"); in an HTTP/1.0 request its framing is faulty: 400;
 *   - more than HTTP_FIELDS_MAX fields: 431; a target above
 *     HTTP_TARGET_MAX bytes: 414. */
#ifndef ATOLL_HTTP_PARSE_H
#define ATOLL_HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "spec/http.acsl.h"

#ifndef HTTP_TARGET_MAX
#define HTTP_TARGET_MAX 4096
#endif
#ifndef HTTP_FIELDS_MAX
#define HTTP_FIELDS_MAX 64
#endif

/* Errors: minus the status to answer with. */
#define HTTP_E_BAD (-400)
#define HTTP_E_URI_TOO_LONG (-414)
#define HTTP_E_FIELDS (-431)
#define HTTP_E_NOT_IMPL (-501)
#define HTTP_E_VERSION (-505)

/* Content-Length values saturate here (far above any body we read). */
#define HTTP_CL_SAT 1000000000000000000ull

/* Method kinds. */
#define HTTP_M_GET 1
#define HTTP_M_HEAD 2
#define HTTP_M_OTHER 3   /* a method RFC 9110 or 5789 defines: 405 */
#define HTTP_M_UNKNOWN 4 /* 501 */

/* Bytes [off, off + len) of the buffer the head was parsed from. */
struct http_span {
    size_t off, len;
};

/* A parsed request head. Spans point into the parsed buffer; an absent
 * field has len 0 (and its count 0). Of a field that may appear once and
 * appears more often, the first line is kept. */
struct http_req {
    struct http_span line;        /* request line, CRLF excluded */
    struct http_span method, target;
    int method_kind;              /* HTTP_M_* */
    int minor;                    /* HTTP/1.minor: 0 or 1 */
    size_t nfields;
    size_t host_count;
    struct http_span host;
    int has_cl;
    uint64_t content_length;      /* saturates at HTTP_CL_SAT */
    int has_te;
    int conn_close, conn_keep_alive;  /* Connection options seen */
    size_t range_count;
    struct http_span range, if_range, inm, ims, accept_enc, referer, agent;
};

/* A span inside n bytes. A macro over the fields, not a predicate over a
 * struct value: struct-valued logic parameters made z3 and cvc5 fail
 * with "Unknown error" on this why3. */
#define HTTP_SPAN_IN(s, n) ((s).off + (s).len <= (n))

/*@ predicate http_req_in{L}(struct http_req *r, integer n) =
      HTTP_SPAN_IN(r->line, n) && HTTP_SPAN_IN(r->method, n) && HTTP_SPAN_IN(r->target, n) &&
      HTTP_SPAN_IN(r->host, n) && HTTP_SPAN_IN(r->range, n) && HTTP_SPAN_IN(r->if_range, n) &&
      HTTP_SPAN_IN(r->inm, n) && HTTP_SPAN_IN(r->ims, n) && HTTP_SPAN_IN(r->accept_enc, n) &&
      HTTP_SPAN_IN(r->referer, n) && HTTP_SPAN_IN(r->agent, n);
*/

/* A tchar (RFC 9110 §5.6.2)? */
/*@ assigns \nothing;
  @ ensures \result == 1 <==> http_tchar(c);
  @ ensures \result == 0 || \result == 1;
  @*/
int http_is_tchar(uint8_t c);

/* Where the head in buf[0 .. len-1] ends: the first e with from < e <= len
 * at which an empty line ends (http_head_end_at), or 0. Called again with
 * from = the previous len, the scan resumes where it stopped. */
/*@ requires from <= len;
  @ requires \valid_read(buf + (0 .. len - 1));
  @ assigns \nothing;
  @ behavior found:
  @   assumes \exists integer e; from < e <= len && http_head_end_at(buf, e);
  @   ensures from < \result <= len && http_head_end_at(buf, \result);
  @   ensures \forall integer e; from < e < \result ==> !http_head_end_at(buf, e);
  @ behavior incomplete:
  @   assumes \forall integer e; from < e <= len ==> !http_head_end_at(buf, e);
  @   ensures \result == 0;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
size_t http_head_end(const uint8_t *buf, size_t from, size_t len);

/* Parses the request line at the start of buf[0 .. len-1], which holds at
 * least its LF. Fills out->line, method, target, method_kind, minor.
 * Returns the bytes consumed (CRLF included), 0 when buf holds no LF yet
 * (nothing else checked), or HTTP_E_BAD / HTTP_E_VERSION /
 * HTTP_E_URI_TOO_LONG. */
/*@ requires len <= 2147483647;
  @ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(buf + (0 .. len - 1), out);
  @ assigns out->line, out->method, out->target, out->minor, out->method_kind;
  @ behavior incomplete:
  @   assumes http_no_lf(buf, 0, len);
  @   ensures \result == 0;
  @ behavior line:
  @   assumes !http_no_lf(buf, 0, len);
  @   ensures \result > 0 || \result == HTTP_E_BAD || \result == HTTP_E_VERSION ||
  @           \result == HTTP_E_URI_TOO_LONG;
  @   ensures \result > 0 ==> \result <= len && buf[\result - 1] == '\n' && buf[\result - 2] == '\r';
  @   ensures \result > 0 ==> http_no_lf(buf, 0, \result - 1);
  @   ensures \result > 0 ==> out->line.off == 0 && out->line.len == \result - 2;
  @   ensures \result > 0 ==> out->method.off == 0 && out->method.len >= 1 &&
  @           http_tokens(buf, 0, out->method.len) && buf[out->method.len] == ' ';
  @   ensures \result > 0 ==> out->target.off == out->method.len + 1 &&
  @           1 <= out->target.len <= HTTP_TARGET_MAX &&
  @           http_target_chars(buf, out->target.off, out->target.off + out->target.len) &&
  @           out->target.off + out->target.len + 11 == \result;
  @   ensures \result > 0 ==> out->minor == 0 || out->minor == 1;
  @   ensures \result > 0 ==> HTTP_M_GET <= out->method_kind <= HTTP_M_UNKNOWN;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int http_request_line_parse(const uint8_t *buf, size_t len, struct http_req *out);

/* One field line "name: value" at the start of buf[0 .. len-1]: *name and
 * *value (OWS trimmed) as offsets from buf. Returns the bytes consumed
 * (CRLF included) or HTTP_E_BAD (no LF, empty name, obs-fold, a
 * non-token byte or whitespace before the colon, a control byte in the
 * value, a bare CR or LF). */
/*@ requires len <= 2147483647;
  @ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(name) && \valid(value);
  @ requires \separated(buf + (0 .. len - 1), name, value);
  @ requires \separated(name, value);
  @ assigns *name, *value;
  @ ensures \result > 0 || \result == HTTP_E_BAD;
  @ ensures \result > 0 ==> \result <= len && buf[\result - 1] == '\n';
  @ ensures \result > 0 ==> name->off == 0 && name->len >= 1 && http_tokens(buf, 0, name->len) &&
  @         buf[name->len] == ':';
  @ ensures \result > 0 ==> name->len < value->off && value->off + value->len + 2 <= \result &&
  @         http_vchars(buf, value->off, value->off + value->len);
  @*/
int http_field_parse(const uint8_t *buf, size_t len, struct http_span *name, struct http_span *value);

/* Content-Length's value v[0 .. n-1]: 1*DIGIT, saturating at HTTP_CL_SAT.
 * Returns 0 and *out, or HTTP_E_BAD. */
/*@ requires \valid_read(v + (0 .. n - 1));
  @ requires \valid(out);
  @ requires \separated(v + (0 .. n - 1), out);
  @ assigns *out;
  @ ensures \result == 0 || \result == HTTP_E_BAD;
  @ ensures \result == 0 <==> (n >= 1 && http_digits(v, 0, n));
  @ ensures \result == 0 ==> *out <= HTTP_CL_SAT;
  @*/
int http_content_length_parse(const uint8_t *v, size_t n, uint64_t *out);

/* Parses a complete head buf[0 .. len-1] (len as http_head_end gave).
 * Returns len, or one of the HTTP_E_* errors. After an error, out->line,
 * method_kind and minor are meaningful when the request line parsed. */
/*@ requires 0 < len <= 2147483647;
  @ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(buf + (0 .. len - 1), out);
  @ assigns *out;
  @ ensures \result == len || \result == HTTP_E_BAD || \result == HTTP_E_VERSION ||
  @         \result == HTTP_E_URI_TOO_LONG || \result == HTTP_E_FIELDS || \result == HTTP_E_NOT_IMPL;
  @ ensures \result == len ==> http_req_in(out, len);
  @ ensures \result == len ==> out->nfields <= HTTP_FIELDS_MAX;
  @ ensures \result == len ==> out->host_count <= 1 && (out->minor == 1 ==> out->host_count == 1);
  @ ensures \result == len ==> out->has_te == 0;
  @ ensures \result == len ==> out->minor == 0 || out->minor == 1;
  @ ensures \result == len ==> HTTP_M_GET <= out->method_kind <= HTTP_M_UNKNOWN;
  @ ensures \result == len ==> out->content_length <= HTTP_CL_SAT;
  @ ensures \result == len ==> 1 <= out->target.len <= HTTP_TARGET_MAX;
  @*/
int http_head_parse(const uint8_t *buf, size_t len, struct http_req *out);

#endif
