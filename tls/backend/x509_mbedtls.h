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

/* The trust anchors, parsed once. */
struct tls_x509_trust {
    mbedtls_x509_crt cas;
    size_t loaded;   /* certificates accepted */
    size_t skipped;  /* PEM blocks that did not parse (kept out) */
};

/* One certificate of a peer's chain (a view into the Certificate message). */
struct tls_x509_cert {
    const uint8_t *der;
    size_t len;
};

/* Longest chain accepted from a peer (leaf + intermediates). */
#define TLS_X509_CHAIN_MAX 8u

void tls_x509_trust_init(struct tls_x509_trust *t);
/* Adds CA certificates: PEM text (every "CERTIFICATE" block; no NUL needed)
 * or one DER certificate. A PEM block that does not parse is skipped and
 * counted. Returns the number of certificates added (> 0), or -1 when none
 * could be added. */
int tls_x509_trust_add(struct tls_x509_trust *t, const uint8_t *pem_or_der, size_t len);
void tls_x509_trust_free(struct tls_x509_trust *t);

/* Validates a server's certificate chain at time now (Unix seconds, UTC).
 * host is the name the client asked for (NUL-terminated, as sent in SNI; a
 * trailing dot is ignored); NULL skips the name check (only for an
 * embedder that pins the key by other means).
 * Checks, and the alert for the first failing one:
 *   no certificate, more than TLS_X509_CHAIN_MAX, or one that does not
 *     parse as DER X.509                                   decode_error
 *   no path from the leaf to a trust anchor (unknown issuer, a signature
 *     that does not verify, a CA without CA rights)        unknown_ca
 *   a hash, key type, curve or RSA size outside the profile (SHA-256/384/
 *     512; RSA >= 2048, ECDSA P-256/P-384/P-521)            unsupported_certificate
 *   some certificate of the path, trust anchor included, outside its
 *     validity period at now (RFC 5246: "expired or is not
 *     currently valid")                                    certificate_expired
 *   the leaf's keyUsage lacks digitalSignature, or its extendedKeyUsage
 *     lacks serverAuth (and anyExtendedKeyUsage)           unsupported_certificate
 *   host matches no subjectAltName DNS name (tls/dns_name.h's RFC 6125
 *     rules; the subject CN is not consulted, §6.4.4)      bad_certificate
 *   anything else mbedtls reports                          bad_certificate
 * Allocation failure inside mbedtls gives internal_error. */
int tls_x509_verify_server(const struct tls_x509_trust *t, const struct tls_x509_cert *chain, size_t n,
                           const char *host, int64_t now);

/* Seconds since 1970-01-01T00:00:00Z of a certificate time (proleptic
 * Gregorian calendar, UTC; negative before 1970). t is as mbedtls parses
 * it: month 1..12, a day of that month, hour, minute and second in range;
 * any year. */
int64_t tls_x509_time_to_unix(const mbedtls_x509_time *t);

#endif
