/* SPDX-License-Identifier: Apache-2.0 */
/* Server certificate validation for the client side, over mbedtls's X.509
 * parser: the chain (DER certificates, leaf first, as the Certificate
 * message carries them) against a caller-provided trust store, the host
 * name against the leaf's subjectAltName DNS names (RFC 6125), and the
 * validity periods against a caller-given time. mbedtls's own time checks
 * read the system clock, so they are discarded and redone here with the
 * caller's time: the core reads no clock.
 *
 * Results follow tls/alert.h: 0, or -TLS_ALERT_<name> for the alert to
 * send (RFC 8446 §6.2 / RFC 5246 §7.2.2 meanings). */
#ifndef ATOLL_TLS_X509_MBEDTLS_H
#define ATOLL_TLS_X509_MBEDTLS_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/x509_crt.h>

#include "atoll/tls_x509.h"

/* The layout behind <atoll/tls_x509.h>'s trust store. */
struct atoll_tls_x509_trust {
    mbedtls_x509_crt cas;
    size_t loaded;   /* certificates accepted */
    size_t skipped;  /* PEM blocks that did not parse (kept out) */
};

/* Seconds since 1970-01-01T00:00:00Z of a certificate time (proleptic
 * Gregorian calendar, UTC; negative before 1970). t is as mbedtls parses
 * it: month 1..12, a day of that month, hour, minute and second in range;
 * any year. */
int64_t tls_x509_time_to_unix(const mbedtls_x509_time *t);

#endif
