/* SPDX-License-Identifier: Apache-2.0 */
/* Server credentials from bytes (appliance/creds.c over
 * tls/backend/creds_mbedtls.c): what the tap's main hands in for
 * --cert/--key. PEM and DER chains and keys, the leaf's DNS names, and each
 * refusal with its message, leaving the configuration as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "appliance/creds.h"
#include "tls_testutil.h"

/* A fixture followed by the NUL a PEM text needs (as the tap's reader
 * leaves it). */
static uint8_t *fixture(const char *name, size_t *len)
{
    uint8_t *raw = read_fixture(name, len);
    uint8_t *b = malloc(*len + 1);
    assert_non_null(b);
    memcpy(b, raw, *len);
    b[*len] = 0;
    free(raw);
    return b;
}

static struct atoll_tls_server_config cfg;
static char err[256];

static int reset(void **state)
{
    (void)state;
    tls_creds_free(&cfg);
    memset(&cfg, 0, sizeof cfg);
    return 0;
}

static int load(const char *chain_name, const char *key_name)
{
    size_t cl, kl;
    uint8_t *chain = fixture(chain_name, &cl), *key = fixture(key_name, &kl);
    err[0] = '\0';
    int r = tls_creds_load_mem(&cfg, chain, cl, key, kl, "c.pem + k.pem", err, sizeof err);
    /* The chain's certificates are copies: the bytes may go. */
    memset(chain, 0, cl);
    free(chain);
    free(key);
    return r;
}

static void pem_chain_and_key(void **state)
{
    (void)state;
    assert_int_equal(load("leaf_ec256.pem", "ec256_key.pem"), 0);
    assert_int_equal(cfg.cred_count, 1);
    const struct atoll_tls_credential *cr = &cfg.cred[0];
    assert_int_equal(cr->chain_count, 1);
    assert_true(cr->chain_len[0] > 100);
    assert_int_equal(cr->chain[0][0], 0x30); /* DER, copied out of the PEM */
    assert_int_equal(cr->key_kind, ATOLL_TLS_KEY_ECDSA_P256);
    assert_int_equal(cr->name_count, 2);
    assert_string_equal(cr->names[0], "www.atoll.test");
    assert_string_equal(cr->names[1], "*.wild.atoll.test");
}

static void der_chain_and_key(void **state)
{
    (void)state;
    assert_int_equal(load("leaf_rsa2048.der", "rsa2048_key.der"), 0);
    assert_int_equal(load("leaf_ec256.der", "ec256_key.der"), 0);
    assert_int_equal(cfg.cred_count, 2);
    assert_int_equal(cfg.cred[0].key_kind, ATOLL_TLS_KEY_RSA);
    assert_int_equal(cfg.cred[1].key_kind, ATOLL_TLS_KEY_ECDSA_P256);
    assert_string_equal(cfg.cred[1].names[0], "www.atoll.test");
}

static void refusals_name_the_reason(void **state)
{
    (void)state;
    assert_int_equal(load("leaf_ec256.der", "rsa2048_key.der"), -1);
    assert_string_equal(err, "c.pem + k.pem: the private key does not match the certificate");
    assert_int_equal(load("leaf_ec256.der", "leaf_ec256.der"), -1);
    assert_string_equal(err, "c.pem + k.pem: private key does not parse");
    assert_int_equal(load("ec256_key.der", "ec256_key.der"), -1);
    assert_non_null(strstr(err, "c.pem + k.pem: certificate does not parse (mbedtls -0x"));
    assert_int_equal(cfg.cred_count, 0);
    /* After the refusals the slot is as good as new. */
    assert_int_equal(load("leaf_ec256.pem", "ec256_key.pem"), 0);
    assert_int_equal(cfg.cred_count, 1);
}

static void at_most_four(void **state)
{
    (void)state;
    for (unsigned i = 0; i < ATOLL_TLS_MAX_CREDENTIALS; i++)
        assert_int_equal(load("leaf_ec256.der", "ec256_key.der"), 0);
    assert_int_equal(load("leaf_ec256.der", "ec256_key.der"), -1);
    assert_string_equal(err, "c.pem + k.pem: more than 4 certificates");
    assert_int_equal(cfg.cred_count, ATOLL_TLS_MAX_CREDENTIALS);
    tls_creds_free(&cfg);
    assert_int_equal(cfg.cred_count, 0);
    assert_int_equal(cfg.cred[0].chain_count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pem_chain_and_key, reset, reset),
        cmocka_unit_test_setup_teardown(der_chain_and_key, reset, reset),
        cmocka_unit_test_setup_teardown(refusals_name_the_reason, reset, reset),
        cmocka_unit_test_setup_teardown(at_most_four, reset, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
