/* SPDX-License-Identifier: Apache-2.0 */
/* The wolfCrypt backend against the same vectors and rules as mbedtls
 * (test_tls_crypto.c): the backends are interchangeable only if every
 * answer, error code included, is the same. */
#define TEST_WOLFCRYPT 1
#include "test_tls_crypto.c"
