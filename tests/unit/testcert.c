/* SPDX-License-Identifier: Apache-2.0 */
#include "testcert.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

/* Deterministic "entropy": the generator's output follows from the seed. */
static int fixed_entropy(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(i * 7u + 1u);
    return 0;
}

static void write_text(const char *path, const unsigned char *pem)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs((const char *)pem, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* subjectAltName value: SEQUENCE OF [2] IA5String, short lengths only. */
static size_t san_der(const char *const *dns, size_t n, unsigned char *out, size_t cap)
{
    size_t body = 0;
    for (size_t i = 0; i < n; i++)
        body += 2 + strlen(dns[i]);
    assert_true(body < 128 && body + 2 <= cap);
    size_t o = 0;
    out[o++] = 0x30;
    out[o++] = (unsigned char)body;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(dns[i]);
        out[o++] = 0x82;
        out[o++] = (unsigned char)l;
        memcpy(out + o, dns[i], l);
        o += l;
    }
    return o;
}

void testcert_make(const struct testcert_spec *s, const char *cert_path, const char *key_path)
{
    mbedtls_ctr_drbg_context rng;
    mbedtls_pk_context key, issuer;
    mbedtls_x509write_cert crt;
    mbedtls_mpi serial;
    unsigned char pem[8192];
    char name[160];
    const char *seed = s->seed != NULL ? s->seed : s->cn;

    mbedtls_ctr_drbg_init(&rng);
    mbedtls_pk_init(&key);
    mbedtls_pk_init(&issuer);
    mbedtls_x509write_crt_init(&crt);
    mbedtls_mpi_init(&serial);
    assert_int_equal(mbedtls_ctr_drbg_seed(&rng, fixed_entropy, NULL, (const unsigned char *)seed, strlen(seed)), 0);
    assert_int_equal(mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
    assert_int_equal(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key), mbedtls_ctr_drbg_random, &rng), 0);
    assert_int_equal(mbedtls_pk_write_key_pem(&key, pem, sizeof pem), 0);
    write_text(key_path, pem);

    mbedtls_pk_context *signer = &key;
    const char *issuer_cn = s->cn;
    if (s->issuer_key != NULL) {
        assert_int_equal(mbedtls_pk_parse_keyfile(&issuer, s->issuer_key, NULL), 0);
        signer = &issuer;
        issuer_cn = s->issuer_cn;
    }
    mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
    mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
    mbedtls_x509write_crt_set_subject_key(&crt, &key);
    mbedtls_x509write_crt_set_issuer_key(&crt, signer);
    snprintf(name, sizeof name, "CN=%s", s->cn);
    assert_int_equal(mbedtls_x509write_crt_set_subject_name(&crt, name), 0);
    snprintf(name, sizeof name, "CN=%s", issuer_cn);
    assert_int_equal(mbedtls_x509write_crt_set_issuer_name(&crt, name), 0);
    assert_int_equal(mbedtls_mpi_lset(&serial, 4242), 0);
    assert_int_equal(mbedtls_x509write_crt_set_serial(&crt, &serial), 0);
    assert_int_equal(mbedtls_x509write_crt_set_validity(&crt, s->not_before ? s->not_before : "20200101000000",
                                                        s->not_after ? s->not_after : "20991231235959"),
                     0);
    if (s->ndns > 0) {
        unsigned char der[256];
        size_t n = san_der(s->dns, s->ndns, der, sizeof der);
        assert_int_equal(mbedtls_x509write_crt_set_extension(&crt, MBEDTLS_OID_SUBJECT_ALT_NAME,
                                                             MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0, der, n),
                         0);
    }
    assert_int_equal(mbedtls_x509write_crt_pem(&crt, pem, sizeof pem, mbedtls_ctr_drbg_random, &rng), 0);
    write_text(cert_path, pem);

    mbedtls_mpi_free(&serial);
    mbedtls_x509write_crt_free(&crt);
    mbedtls_pk_free(&issuer);
    mbedtls_pk_free(&key);
    mbedtls_ctr_drbg_free(&rng);
}
