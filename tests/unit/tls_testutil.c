/* SPDX-License-Identifier: Apache-2.0 */
#include "tls_testutil.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/hex.h"

size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == ':')
            continue;
        int v = hex_value(*p);
        if (v < 0)
            fail_msg("bad hex digit '%c'", *p);
        if (hi < 0) {
            hi = v;
        } else {
            if (n >= cap)
                fail_msg("hex vector longer than %zu bytes", cap);
            out[n++] = (uint8_t)(hi * 16 + v);
            hi = -1;
        }
    }
    if (hi >= 0)
        fail_msg("odd number of hex digits");
    return n;
}

uint8_t *read_fixture(const char *name, size_t *len)
{
    /* __FILE__ is tests/unit/tls_testutil.c: the tests run from the root */
    char path[512];
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    int dir = slash ? (int)(slash - here) : 0;
    snprintf(path, sizeof path, "%.*s%sdata/%s", dir, here, slash ? "/" : "", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("fixture %s missing (tests/unit/data/make_tls_certs.sh makes it)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

const struct atoll_tls_backend *tls_test_backend(void)
{
    const char *name = getenv("ATOLL_TEST_CRYPTO");
    if (name == NULL || *name == '\0' || strcmp(name, "mbedtls") == 0)
        return &atoll_tls_backend_mbedtls;
    if (strcmp(name, "wolfcrypt") == 0)
        return &atoll_tls_backend_wolfcrypt;
    fail_msg("ATOLL_TEST_CRYPTO=%s: the backends are mbedtls and wolfcrypt", name);
    return NULL;
}

void tls_test_crypto(struct atoll_tls_crypto *c, struct tls_test_state *st, uint8_t seed_byte)
{
    const struct atoll_tls_backend *be = tls_test_backend();
    tls_test_crypto_free(st);
    uint8_t seed[32];
    memset(seed, seed_byte, sizeof seed);
    assert_true(be->state_size <= sizeof st->b);
    assert_int_equal(be->init(c, st->b, seed, sizeof seed), 0);
    st->live = 1;
}

void tls_test_crypto_free(struct tls_test_state *st)
{
    if (st->live)
        tls_test_backend()->release(st->b);
    st->live = 0;
}

void tls_test_key_load(struct tls_test_key *k, const uint8_t *b, size_t n)
{
    const struct atoll_tls_backend *be = tls_test_backend();
    tls_test_key_free(k);
    assert_true(be->key_size <= sizeof k->b);
    assert_int_equal(be->key_load(k->b, b, n), 0);
    k->live = 1;
}

void tls_test_key_free(struct tls_test_key *k)
{
    if (k->live)
        tls_test_backend()->key_free(k->b);
    k->live = 0;
}
