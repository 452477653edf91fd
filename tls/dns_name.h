/* SPDX-License-Identifier: Apache-2.0 */
/* DNS-ID matching (RFC 6125 §6.4): one presented name, a certificate's
 * subjectAltName or a credential's configured name, against the host a
 * client asked for. The one matcher of the tree: the server's SNI choice
 * of credential (tls/server.c) and the client's check of the server
 * certificate (tls/backend/x509_mbedtls.c) both use it. Pure.
 *
 * The rules:
 *   - ASCII letters compare without case (§6.4.1); every other byte,
 *     non-ASCII included, must be equal.
 *   - One trailing dot on either side is ignored: "example.com." is the
 *     absolute spelling of "example.com" (SNI carries no dot, RFC 6066 §3;
 *     a user may type one). Any other empty label ("a..b", ".a",
 *     "a.b..") or a NUL byte anywhere (a certificate forging a shorter
 *     name) matches nothing.
 *   - A wildcard is honoured only as the complete left-most label of the
 *     pattern, with at least two labels after it ("*.example.com", not
 *     "*.com"), and it stands for exactly one non-empty label of the host
 *     ("a.example.com", not "example.com" nor "a.b.example.com", §6.4.3).
 *     A pattern with any other '*' ("f*.example.com", "www.*.com",
 *     "*.*.example.com", "*") matches nothing: partial-label wildcards are
 *     refused, as CA/Browser Forum rules and current browsers do.
 *   - A host that is an IP address (it holds a ':', or its last label is
 *     all digits: no top-level domain is numeric) is never matched by a
 *     wildcard; it may still equal a pattern spelled the same. */
#ifndef ATOLL_TLS_DNS_NAME_H
#define ATOLL_TLS_DNS_NAME_H

#include <stddef.h>

/* 1 when pattern[0 .. pattern_len-1] matches host[0 .. host_len-1] under
 * the rules above, else 0. Neither needs a NUL terminator. */
int tls_dns_name_matches(const char *pattern, size_t pattern_len, const char *host, size_t host_len);

#endif
