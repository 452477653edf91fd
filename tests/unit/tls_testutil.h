/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for the TLS unit tests: hex vectors, the checked-in fixtures of
 * tests/unit/data/ (made by make_tls_certs.sh), a seeded mbedtls backend. */
#ifndef ATOLL_TESTS_TLS_TESTUTIL_H
#define ATOLL_TESTS_TLS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "tls/backend/crypto_mbedtls.h"

/* Decodes hex text (whitespace and ':' ignored) into out; fails the test
 * on a bad digit or when more than cap bytes come out. Returns the length. */
size_t unhex(const char *hex, uint8_t *out, size_t cap);

/* Reads tests/unit/data/<name> into a malloc'd buffer (the caller frees);
 * fails the test when the file is missing. */
uint8_t *read_fixture(const char *name, size_t *len);

/* A backend seeded with 32 bytes of `seed_byte` (distinct bytes give
 * distinct random streams). */
void tls_test_crypto(struct tls_crypto *c, struct tls_mbedtls_state *st, uint8_t seed_byte);

#endif
