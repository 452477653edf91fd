/* SPDX-License-Identifier: Apache-2.0 */
/* Server chain validation (tls/backend/x509_mbedtls.h) with the openssl-made
 * certificates of tests/unit/data/ (make_tls_certs.sh): a good chain per
 * key type, and one certificate per failure, each answered with the alert
 * the header names. Time is passed in: "now" is 2030-06-01. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tls/alert.h"
#include "tls_testutil.h"
#include "tls/backend/x509_mbedtls.h"

#define NOW 1906502400 /* 2030-06-01T00:00:00Z */
#define LEAF_NOT_BEFORE 1704067200 /* 2024-01-01T00:00:00Z */
#define LEAF_NOT_AFTER 2019686400  /* 2034-01-01T00:00:00Z */

static struct atoll_tls_x509_trust TRUST;

static int setup(void **state)
{
    (void)state;
    size_t n;
    uint8_t *pem = read_fixture("root.pem", &n);
    atoll_tls_x509_trust_init(&TRUST);
    int r = atoll_tls_x509_trust_add(&TRUST, pem, n);
    free(pem);
    return r == 1 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    atoll_tls_x509_trust_free(&TRUST);
    return 0;
}

/* A chain of fixture files (DER), leaf first. */
struct chain {
    struct atoll_tls_x509_cert c[ATOLL_TLS_X509_CHAIN_MAX + 2];
    uint8_t *bufs[ATOLL_TLS_X509_CHAIN_MAX + 2];
    size_t n;
};

static void chain_add(struct chain *ch, const char *file)
{
    size_t len;
    ch->bufs[ch->n] = read_fixture(file, &len);
    ch->c[ch->n].der = ch->bufs[ch->n];
    ch->c[ch->n].len = len;
    ch->n++;
}

static void chain_free(struct chain *ch)
{
    for (size_t i = 0; i < ch->n; i++)
        free(ch->bufs[i]);
    ch->n = 0;
}

static int verify2(const char *leaf, const char *host, int64_t now)
{
    struct chain ch = {.n = 0};
    chain_add(&ch, leaf);
    chain_add(&ch, "int.der");
    int r = atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, host, now);
    chain_free(&ch);
    return r;
}

static void good_chains_verify(void **state)
{
    (void)state;
    static const char *leaves[] = {"leaf_ec256.der", "leaf_ec384.der", "leaf_rsa2048.der"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(verify2(leaves[i], "www.atoll.test", NOW), 0);
        assert_int_equal(verify2(leaves[i], "WWW.Atoll.Test.", NOW), 0);
        assert_int_equal(verify2(leaves[i], "api.wild.atoll.test", NOW), 0);
        assert_int_equal(verify2(leaves[i], NULL, NOW), 0);
    }
}

static void host_names_are_checked(void **state)
{
    (void)state;
    static const char *wrong[] = {"atoll.test", "www.atoll.test.evil", "evil.www.atoll.test", "wild.atoll.test",
                                  "a.b.wild.atoll.test", "www.atoll.tes", "", "127.0.0.1", "www..atoll.test"};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++)
        assert_int_equal(verify2("leaf_ec256.der", wrong[i], NOW), -TLS_ALERT_BAD_CERTIFICATE);
    /* the subject CN is never consulted */
    assert_int_equal(verify2("leaf_cn_only.der", "www.atoll.test", NOW), -TLS_ALERT_BAD_CERTIFICATE);
    assert_int_equal(verify2("leaf_cn_only.der", NULL, NOW), 0);
}

static void validity_is_checked_at_the_given_time(void **state)
{
    (void)state;
    /* both ends of the period are inside it (RFC 5280 §4.1.2.5) */
    assert_int_equal(verify2("leaf_ec256.der", "www.atoll.test", LEAF_NOT_BEFORE), 0);
    assert_int_equal(verify2("leaf_ec256.der", "www.atoll.test", LEAF_NOT_AFTER), 0);
    assert_int_equal(verify2("leaf_ec256.der", "www.atoll.test", LEAF_NOT_BEFORE - 1), -TLS_ALERT_CERTIFICATE_EXPIRED);
    assert_int_equal(verify2("leaf_ec256.der", "www.atoll.test", LEAF_NOT_AFTER + 1), -TLS_ALERT_CERTIFICATE_EXPIRED);
    assert_int_equal(verify2("leaf_expired.der", "www.atoll.test", NOW), -TLS_ALERT_CERTIFICATE_EXPIRED);
    assert_int_equal(verify2("leaf_future.der", "www.atoll.test", NOW), -TLS_ALERT_CERTIFICATE_EXPIRED);
    /* the future leaf is fine in its own time: the system clock (whatever
     * it says) plays no part. The expired one never had a valid chain: in
     * 2010 its issuers (2020..2050) were not yet valid. */
    assert_int_equal(verify2("leaf_future.der", "www.atoll.test", 2000000000 /* 2033-05 */), 0);
    assert_int_equal(verify2("leaf_expired.der", "www.atoll.test", 1280000000 /* 2010-07 */),
                     -TLS_ALERT_CERTIFICATE_EXPIRED);
    /* the intermediate and root expire in 2050: so does the whole chain */
    assert_int_equal(verify2("leaf_ec256.der", "www.atoll.test", 2524608000 + 1 /* 2050-01-01 + 1 s */),
                     -TLS_ALERT_CERTIFICATE_EXPIRED);
}

static void untrusted_chains_are_unknown_ca(void **state)
{
    (void)state;
    struct chain ch = {.n = 0};
    chain_add(&ch, "leaf_ec256.der"); /* intermediate missing */
    assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW), -TLS_ALERT_UNKNOWN_CA);
    chain_free(&ch);
    chain_add(&ch, "leaf_rogue.der");
    chain_add(&ch, "rogue.der"); /* a root nobody trusts */
    assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW), -TLS_ALERT_UNKNOWN_CA);
    chain_free(&ch);
    chain_add(&ch, "leaf_rogue.der");
    chain_add(&ch, "int.der"); /* not its issuer */
    assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW), -TLS_ALERT_UNKNOWN_CA);
    chain_free(&ch);
    /* a leaf is no CA: it cannot vouch for another leaf */
    chain_add(&ch, "leaf_ec256.der");
    chain_add(&ch, "leaf_rsa2048.der");
    assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW), -TLS_ALERT_UNKNOWN_CA);
    chain_free(&ch);
    /* one signature byte of the leaf changed */
    chain_add(&ch, "leaf_ec256.der");
    chain_add(&ch, "int.der");
    ch.bufs[0][ch.c[0].len - 5] ^= 1;
    int r = atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW);
    assert_true(r == -TLS_ALERT_UNKNOWN_CA || r == -TLS_ALERT_DECODE_ERROR);
    chain_free(&ch);
}

static void order_and_extras_in_the_list(void **state)
{
    (void)state;
    struct chain ch = {.n = 0};
    /* the root sent along, and an unrelated certificate: still a path */
    chain_add(&ch, "leaf_rsa2048.der");
    chain_add(&ch, "rogue.der");
    chain_add(&ch, "int.der");
    chain_add(&ch, "root.der");
    assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW), 0);
    chain_free(&ch);
    /* the leaf is the first certificate, whatever follows */
    chain_add(&ch, "int.der");
    chain_add(&ch, "leaf_rsa2048.der");
    assert_int_not_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW), 0);
    chain_free(&ch);
}

static void unsupported_certificates(void **state)
{
    (void)state;
    /* RSA under 2048 bits, a SHA-1 signature: outside the profile */
    assert_int_equal(verify2("leaf_rsa1024.der", "www.atoll.test", NOW), -TLS_ALERT_UNSUPPORTED_CERTIFICATE);
    assert_int_equal(verify2("leaf_sha1.der", "www.atoll.test", NOW), -TLS_ALERT_UNSUPPORTED_CERTIFICATE);
    /* a leaf not meant for TLS servers */
    assert_int_equal(verify2("leaf_clientauth.der", "www.atoll.test", NOW), -TLS_ALERT_UNSUPPORTED_CERTIFICATE);
    assert_int_equal(verify2("leaf_keyenc.der", "www.atoll.test", NOW), -TLS_ALERT_UNSUPPORTED_CERTIFICATE);
}

static void malformed_lists_are_decode_error(void **state)
{
    (void)state;
    struct chain ch = {.n = 0};
    assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, 0, "www.atoll.test", NOW), -TLS_ALERT_DECODE_ERROR);
    chain_add(&ch, "leaf_ec256.der");
    chain_add(&ch, "int.der");
    size_t full = ch.c[0].len;
    for (size_t cut = 0; cut < full; cut += 50) {
        ch.c[0].len = cut;
        assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW), -TLS_ALERT_DECODE_ERROR);
    }
    ch.c[0].len = full;
    ch.c[1].len = 10; /* a broken intermediate */
    assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW), -TLS_ALERT_DECODE_ERROR);
    chain_free(&ch);
    /* too many certificates */
    for (size_t i = 0; i < ATOLL_TLS_X509_CHAIN_MAX + 1; i++)
        chain_add(&ch, i == 0 ? "leaf_ec256.der" : "int.der");
    assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ch.n, "www.atoll.test", NOW), -TLS_ALERT_DECODE_ERROR);
    assert_int_equal(atoll_tls_x509_verify_server(&TRUST, ch.c, ATOLL_TLS_X509_CHAIN_MAX, "www.atoll.test", NOW), 0);
    chain_free(&ch);
}

static void trust_store_loading(void **state)
{
    (void)state;
    struct atoll_tls_x509_trust t;
    size_t a, b;
    uint8_t *root = read_fixture("root.pem", &a);
    uint8_t *rogue = read_fixture("rogue.pem", &b);
    /* a bundle of two, with text around and between, no NUL at the end */
    uint8_t *bundle = malloc(a + b + 64);
    size_t n = 0;
    memcpy(bundle + n, "# bundle\n", 9);
    n += 9;
    memcpy(bundle + n, rogue, b);
    n += b;
    memcpy(bundle + n, "junk\r\n", 6);
    n += 6;
    memcpy(bundle + n, root, a);
    n += a;
    atoll_tls_x509_trust_init(&t);
    assert_int_equal(atoll_tls_x509_trust_add(&t, bundle, n), 2);
    assert_int_equal(t.loaded, 2);
    /* a trusted rogue makes the rogue chain good */
    struct chain ch = {.n = 0};
    chain_add(&ch, "leaf_rogue.der");
    assert_int_equal(atoll_tls_x509_verify_server(&t, ch.c, ch.n, "www.atoll.test", NOW), 0);
    chain_free(&ch);
    atoll_tls_x509_trust_free(&t);

    /* one damaged block is skipped and counted, the rest loads */
    memcpy(bundle + 9 + 40, "!!!!", 4);
    atoll_tls_x509_trust_init(&t);
    assert_int_equal(atoll_tls_x509_trust_add(&t, bundle, n), 1);
    assert_int_equal(t.skipped, 1);
    atoll_tls_x509_trust_free(&t);

    /* no anchors at all: nothing is trusted */
    atoll_tls_x509_trust_init(&t);
    chain_add(&ch, "leaf_ec256.der");
    chain_add(&ch, "int.der");
    assert_int_equal(atoll_tls_x509_verify_server(&t, ch.c, ch.n, "www.atoll.test", NOW), -TLS_ALERT_UNKNOWN_CA);
    chain_free(&ch);
    atoll_tls_x509_trust_free(&t);

    /* DER; nothing usable */
    size_t dn;
    uint8_t *der = read_fixture("int.der", &dn);
    atoll_tls_x509_trust_init(&t);
    assert_int_equal(atoll_tls_x509_trust_add(&t, der, dn), 1);
    assert_int_equal(atoll_tls_x509_trust_add(&t, der, dn / 2), -1);
    assert_int_equal(atoll_tls_x509_trust_add(&t, (const uint8_t *)"no certificates here", 20), -1);
    assert_int_equal(atoll_tls_x509_trust_add(&t, root, a - 30), -1); /* END line cut off */
    /* an intermediate as the only anchor: the path stops there */
    chain_add(&ch, "leaf_ec256.der");
    assert_int_equal(atoll_tls_x509_verify_server(&t, ch.c, ch.n, "www.atoll.test", NOW), 0);
    chain_free(&ch);
    atoll_tls_x509_trust_free(&t);
    free(der);
    free(bundle);
    free(root);
    free(rogue);
}

static void certificate_time_conversion(void **state)
{
    (void)state;
    static const struct {
        mbedtls_x509_time t;
        int64_t unix;
    } cases[] = {
        {{1970, 1, 1, 0, 0, 0}, 0},
        {{1999, 12, 31, 23, 59, 59}, 946684799},
        {{2000, 1, 1, 0, 0, 0}, 946684800},
        {{2024, 1, 1, 0, 0, 0}, 1704067200},
        {{2030, 6, 1, 0, 0, 0}, 1906502400},
        {{2038, 1, 19, 3, 14, 8}, 2147483648},
        {{2100, 3, 1, 0, 0, 0}, 4107542400},
        {{1950, 1, 1, 0, 0, 0}, -631152000},
        /* outside base/civil_date.h's 1970..9999, by whole 400-year cycles */
        {{1969, 12, 31, 23, 59, 59}, -1},
        {{1900, 3, 1, 0, 0, 0}, -2203891200},
        {{1600, 2, 29, 12, 0, 0}, -11670955200},
        {{1, 1, 1, 0, 0, 0}, -62135596800},
        {{0, 1, 1, 0, 0, 0}, -62167219200},
        {{9999, 12, 31, 23, 59, 59}, 253402300799},
        {{10000, 1, 1, 0, 0, 0}, 253402300800},
        {{2000, 2, 29, 0, 0, 0}, 951782400},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (tls_x509_time_to_unix(&cases[i].t) != cases[i].unix)
            fail_msg("%04d-%02d-%02d: got %lld", cases[i].t.year, cases[i].t.mon, cases[i].t.day,
                     (long long)tls_x509_time_to_unix(&cases[i].t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_chains_verify),
        cmocka_unit_test(host_names_are_checked),
        cmocka_unit_test(validity_is_checked_at_the_given_time),
        cmocka_unit_test(untrusted_chains_are_unknown_ca),
        cmocka_unit_test(order_and_extras_in_the_list),
        cmocka_unit_test(unsupported_certificates),
        cmocka_unit_test(malformed_lists_are_decode_error),
        cmocka_unit_test(trust_store_loading),
        cmocka_unit_test(certificate_time_conversion),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
