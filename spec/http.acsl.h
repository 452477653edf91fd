/* The HTTP/1.1 request head (RFC 9112 §2-§5, RFC 9110 §5.6) as ACSL logic.
 * Logic only: this header declares no C objects. */
#ifndef ATOLL_SPEC_HTTP_ACSL_H
#define ATOLL_SPEC_HTTP_ACSL_H

/*@ // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
    // "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    predicate http_alpha(integer c) = ('A' <= c <= 'Z') || ('a' <= c <= 'z');
    predicate http_digit(integer c) = '0' <= c <= '9';
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

    // The head ends at e (exclusive) when bytes e-2..e-1 are LF LF or
    // bytes e-3..e-1 are LF CR LF: an empty line. A bare LF is found here
    // so that a client using LF alone gets its 400 at once, not a timeout.
    predicate http_head_end_at{L}(uint8_t *b, integer e) =
      e >= 2 && b[e - 1] == '\n' &&
      (b[e - 2] == '\n' || (e >= 3 && b[e - 2] == '\r' && b[e - 3] == '\n'));
*/

#endif
