/* SPDX-License-Identifier: Apache-2.0 */
/* Test certificates made with mbedtls (no openssl process): EC P-256 keys
 * from a seeded, deterministic generator, certificates with chosen names
 * and validity dates, written as PEM files. */
#ifndef ATOLL_TEST_TESTCERT_H
#define ATOLL_TEST_TESTCERT_H

#include <stddef.h>

struct testcert_spec {
    const char *cn;            /* subject CN */
    const char *const *dns;    /* subjectAltName dNSName entries (may be NULL) */
    size_t ndns;
    const char *not_before;    /* "YYYYMMDDhhmmss"; NULL: 20200101000000 */
    const char *not_after;     /* NULL: 20991231235959 */
    const char *seed;          /* key generator seed; NULL: cn */
    const char *issuer_key;    /* PEM key file of the issuer; NULL: self-signed */
    const char *issuer_cn;
};

/* Writes the key to key_path and the certificate to cert_path (PEM).
 * Fails the running cmocka test on any error. */
void testcert_make(const struct testcert_spec *s, const char *cert_path, const char *key_path);

#endif
