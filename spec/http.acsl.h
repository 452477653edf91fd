/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTP/1.1 request head (RFC 9112 §2-§5, RFC 9110 §5.6) as ACSL logic.
 * Logic only: this header declares no C objects. */
#ifndef ATOLL_SPEC_HTTP_ACSL_H
#define ATOLL_SPEC_HTTP_ACSL_H

/*@ // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
    // "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    predicate http_alpha(integer c) = ('A' <= c <= 'Z') || ('a' <= c <= 'z');
    predicate http_digit(integer c) = '0' <= c <= '9';
    predicate http_hex(integer c) = ('0' <= c <= '9') || ('a' <= c <= 'f') || ('A' <= c <= 'F');
    // ASCII lower case (names and codings compare without case)
    logic integer http_lower(integer c) = ('A' <= c <= 'Z') ? c + 32 : c;
    predicate http_tchar(integer c) =
      http_alpha(c) || http_digit(c) ||
      c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
      c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~';

    // A request-target byte (RFC 3986: unreserved, sub-delims, ":", "@",
    // "/", "?", "%", and "[" "]" for an IPv6 literal in absolute-form).
    predicate http_target_char(integer c) =
      http_alpha(c) || http_digit(c) ||
      c == '-' || c == '.' || c == '_' || c == '~' ||
      c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
      c == '+' || c == ',' || c == ';' || c == '=' ||
      c == ':' || c == '@' || c == '/' || c == '?' || c == '%' || c == '[' || c == ']';

    // A field-value byte (RFC 9110 §5.5): VCHAR, obs-text, SP, HTAB.
    predicate http_vchar(integer c) = c == 9 || (32 <= c <= 126) || (128 <= c <= 255);

    predicate http_tokens{L}(uint8_t *p, integer from, integer to) =
      \forall integer k; from <= k < to ==> http_tchar(p[k]);
    predicate http_target_chars{L}(uint8_t *p, integer from, integer to) =
      \forall integer k; from <= k < to ==> http_target_char(p[k]);
    predicate http_vchars{L}(uint8_t *p, integer from, integer to) =
      \forall integer k; from <= k < to ==> http_vchar(p[k]);
    predicate http_digits{L}(uint8_t *p, integer from, integer to) =
      \forall integer k; from <= k < to ==> http_digit(p[k]);
    predicate http_no_lf{L}(uint8_t *p, integer from, integer to) =
      \forall integer k; from <= k < to ==> p[k] != '\n';

    // Host (RFC 9110 §7.2, RFC 3986 §3.2.2-3): a reg-name of unreserved
    // characters (no pct-encoded, no sub-delims: none is a DNS name), or
    // an IP-literal "[" 1*( HEXDIG / ":" / "." ) "]"; then [ ":" port ].
    predicate http_regname_char(integer c) =
      http_alpha(c) || http_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
    predicate http_iplit_char(integer c) = http_hex(c) || c == ':' || c == '.';
    predicate http_host_name{L}(uint8_t *v, integer hl) =
      (hl >= 1 && \forall integer k; 0 <= k < hl ==> http_regname_char(v[k])) ||
      (hl >= 3 && v[0] == '[' && v[hl - 1] == ']' &&
       \forall integer k; 1 <= k < hl - 1 ==> http_iplit_char(v[k]));
    predicate http_host_port{L}(uint8_t *v, integer hl, integer n) =
      hl == n || (v[hl] == ':' && n - hl <= 6 && http_digits(v, hl + 1, n));

    // b[0 .. bl-1] occurs in a[0 .. an-1] at s
    predicate http_bytes_at{L}(uint8_t *a, integer an, integer s, uint8_t *b, integer bl) =
      0 <= s && s + bl <= an && \forall integer k; 0 <= k < bl ==> a[s + k] == b[k];

    // The head ends at e (exclusive) when bytes e-2..e-1 are LF LF or
    // bytes e-3..e-1 are LF CR LF: an empty line. A bare LF is found here
    // so that a client using LF alone gets its 400 at once, not a timeout.
    predicate http_head_end_at{L}(uint8_t *b, integer e) =
      e >= 2 && b[e - 1] == '\n' &&
      (b[e - 2] == '\n' || (e >= 3 && b[e - 2] == '\r' && b[e - 3] == '\n'));
*/

#endif
