/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for the TLS unit tests: hex vectors, the checked-in fixtures of
 * tests/unit/data/ (made by make_tls_certs.sh), a seeded crypto backend. */
#ifndef ATOLL_TESTS_TLS_TESTUTIL_H
#define ATOLL_TESTS_TLS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "tls/backend/backend.h"
#include "tls/backend/crypto_mbedtls.h"

/* Decodes hex text (whitespace and ':' ignored) into out; fails the test
 * on a bad digit or when more than cap bytes come out. Returns the length. */
size_t unhex(const char *hex, uint8_t *out, size_t cap);

/* Reads tests/unit/data/<name> into a malloc'd buffer (the caller frees);
 * fails the test when the file is missing. */
uint8_t *read_fixture(const char *name, size_t *len);

/* The backend the engine's tests run on: mbedtls, or the one named by
 * ATOLL_TEST_CRYPTO (wolfcrypt, mbedtls); tests/run.sh runs the TLS tests
 * once per backend. Anything else fails the test. */
const struct atoll_tls_backend *tls_test_backend(void);

/* Storage for a backend's state or a loaded key (zeroed: static). */
struct tls_test_state {
    _Alignas(16) uint8_t b[ATOLL_TLS_BACKEND_STATE_MAX];
    int live;
};
struct tls_test_key {
    _Alignas(16) uint8_t b[ATOLL_TLS_BACKEND_KEY_MAX];
    int live;
};

/* The test backend seeded with 32 bytes of `seed_byte` (distinct bytes
 * give distinct random streams); a state set up before is released first. */
void tls_test_crypto(struct atoll_tls_crypto *c, struct tls_test_state *st, uint8_t seed_byte);
void tls_test_crypto_free(struct tls_test_state *st);
/* A private key (DER or PEM) in the test backend; fails the test if it
 * does not load. */
void tls_test_key_load(struct tls_test_key *k, const uint8_t *b, size_t n);
void tls_test_key_free(struct tls_test_key *k);

#endif
