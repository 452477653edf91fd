/* SPDX-License-Identifier: Apache-2.0 */
/* Server chain validation over mbedtls 2.28 (see x509_mbedtls.h). mbedtls
 * builds and signature-checks the path; the time, name and usage policy is
 * ours, so that the caller's clock and RFC 6125 rules apply. */
#include "tls/backend/x509_mbedtls.h"

#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/base64.h>
#include <mbedtls/oid.h>
#include <mbedtls/platform_util.h>

#include "base/civil_date.h"
#include "tls/alert.h"
#include "tls/dns_name.h"
#include "tls/pem.h"

/* Largest DER certificate decoded from a PEM trust store (stack buffer). */
#define TRUST_DER_MAX 16384u

/* What the chain may use (x509_mbedtls.h lists it for the reader). */
static const mbedtls_x509_crt_profile profile = {
    .allowed_mds = MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) | MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
                   MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
    .allowed_pks = MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSA) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY) |
                   MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA),
    .allowed_curves = MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1) | MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP384R1) |
                      MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP521R1),
    .rsa_min_bitlen = 2048,
};

/* ---- trust store ------------------------------------------------------ */

void atoll_tls_x509_trust_init(struct atoll_tls_x509_trust *t)
{
    mbedtls_x509_crt_init(&t->cas);
    t->loaded = 0;
    t->skipped = 0;
}

int atoll_tls_x509_trust_add(struct atoll_tls_x509_trust *t, const uint8_t *pem_or_der, size_t len)
{
    size_t added = 0;
    if (!tls_pem_is_pem(pem_or_der, len)) {
        if (mbedtls_x509_crt_parse_der(&t->cas, pem_or_der, len) != 0)
            return -1;
        t->loaded++;
        return 1;
    }
    /* mbedtls's PEM path wants NUL-terminated text; decode block by block */
    uint8_t der[TRUST_DER_MAX];
    struct tls_pem_block b;
    size_t pos = 0, der_len;
    int found;
    while ((found = tls_pem_next(pem_or_der, len, &pos, &b)) == 1) {
        if (!tls_pem_label_is(&b, "CERTIFICATE") && !tls_pem_label_is(&b, "TRUSTED CERTIFICATE"))
            continue;
        if (mbedtls_base64_decode(der, sizeof der, &der_len, b.body, b.body_len) != 0 ||
            mbedtls_x509_crt_parse_der(&t->cas, der, der_len) != 0) {
            t->skipped++;
            continue;
        }
        t->loaded++;
        added++;
    }
    if (found < 0)
        t->skipped++;
    return added > 0 ? (int)added : -1;
}

void atoll_tls_x509_trust_free(struct atoll_tls_x509_trust *t)
{
    mbedtls_x509_crt_free(&t->cas);
    t->loaded = 0;
    t->skipped = 0;
}

/* ---- time ------------------------------------------------------------- */

int64_t tls_x509_time_to_unix(const mbedtls_x509_time *t)
{
    /* base/civil_date.h counts days in 1970..9999; a certificate may name
     * any year (UTCTime starts at 1950), so the year is moved into that
     * range by whole 400-year cycles, each the same number of days. */
    int64_t y = t->year, cycles = 0;
    if (y < 1970)
        cycles = -((1970 - y + 399) / 400);
    else if (y > 9999)
        cycles = (y - 9999 + 399) / 400;
    y -= cycles * 400;
    int64_t days = days_from_civil(y, (unsigned)t->mon, (unsigned)t->day) + cycles * CIVIL_DAYS_400Y;
    return days * 86400 + (int64_t)t->hour * 3600 + (int64_t)t->min * 60 + t->sec;
}

/* mbedtls's verify callback, once per certificate of the built path: the
 * time verdicts mbedtls made from the system clock are replaced by ours. */
static int check_time(void *p, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    (void)depth;
    int64_t now = *(const int64_t *)p;
    *flags &= ~(uint32_t)(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
    if (now > tls_x509_time_to_unix(&crt->valid_to))
        *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
    if (now < tls_x509_time_to_unix(&crt->valid_from))
        *flags |= MBEDTLS_X509_BADCERT_FUTURE;
    return 0;
}

/* ---- names ------------------------------------------------------------ */

static int host_matches(const mbedtls_x509_crt *leaf, const char *host)
{
    size_t host_len = strlen(host);
    for (const mbedtls_x509_sequence *s = &leaf->subject_alt_names; s != NULL && s->buf.p != NULL; s = s->next) {
        if (s->buf.tag != (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_X509_SAN_DNS_NAME))
            continue;
        if (tls_dns_name_matches((const char *)s->buf.p, s->buf.len, host, host_len))
            return 1;
    }
    return 0;
}

/* ---- the chain -------------------------------------------------------- */

/* The alert for mbedtls's verification flags, most fundamental first. */
static int alert_of_flags(uint32_t flags)
{
    if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
        return -TLS_ALERT_UNKNOWN_CA;
    if (flags & (MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY))
        return -TLS_ALERT_UNSUPPORTED_CERTIFICATE;
    if (flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE))
        return -TLS_ALERT_CERTIFICATE_EXPIRED;
    if (flags & MBEDTLS_X509_BADCERT_REVOKED)
        return -TLS_ALERT_CERTIFICATE_REVOKED;
    if (flags & (MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE |
                 MBEDTLS_X509_BADCERT_NS_CERT_TYPE))
        return -TLS_ALERT_UNSUPPORTED_CERTIFICATE;
    return -TLS_ALERT_BAD_CERTIFICATE;
}

static int leaf_usage_ok(const mbedtls_x509_crt *leaf)
{
    /* both checks pass when the extension is absent */
    if (mbedtls_x509_crt_check_key_usage(leaf, MBEDTLS_X509_KU_DIGITAL_SIGNATURE) != 0)
        return 0;
    return mbedtls_x509_crt_check_extended_key_usage(leaf, MBEDTLS_OID_SERVER_AUTH,
                                                     MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)) == 0;
}

int atoll_tls_x509_verify_server(const struct atoll_tls_x509_trust *t, const struct atoll_tls_x509_cert *chain, size_t n,
                           const char *host, int64_t now)
{
    if (n == 0 || n > ATOLL_TLS_X509_CHAIN_MAX)
        return -TLS_ALERT_DECODE_ERROR;
    mbedtls_x509_crt crts;
    mbedtls_x509_crt_init(&crts);
    int ret = 0;
    for (size_t i = 0; i < n && ret == 0; i++) {
        int r = mbedtls_x509_crt_parse_der_nocopy(&crts, chain[i].der, chain[i].len);
        if (r == MBEDTLS_ERR_X509_ALLOC_FAILED)
            ret = -TLS_ALERT_INTERNAL_ERROR;
        else if (r != 0)
            ret = -TLS_ALERT_DECODE_ERROR;
    }
    if (ret == 0) {
        uint32_t flags = 0;
        int64_t when = now;
        /* mbedtls 2.28 takes the trust list non-const but only reads it */
        int r = mbedtls_x509_crt_verify_with_profile(&crts, (mbedtls_x509_crt *)&t->cas, NULL, &profile, NULL, &flags,
                                                     check_time, &when);
        if (r == MBEDTLS_ERR_X509_ALLOC_FAILED)
            ret = -TLS_ALERT_INTERNAL_ERROR;
        else if (flags != 0)
            ret = alert_of_flags(flags);
        else if (r != 0)
            ret = -TLS_ALERT_BAD_CERTIFICATE; /* e.g. a path longer than mbedtls allows */
        else if (!leaf_usage_ok(&crts))
            ret = -TLS_ALERT_UNSUPPORTED_CERTIFICATE;
        else if (host != NULL && !host_matches(&crts, host))
            ret = -TLS_ALERT_BAD_CERTIFICATE;
    }
    mbedtls_x509_crt_free(&crts);
    return ret;
}

size_t atoll_tls_x509_trust_size(void) { return sizeof(struct atoll_tls_x509_trust); }

int atoll_tls_x509_verify_chain(void *trust, const uint8_t *const *certs, const size_t *lens, size_t n,
                                const char *host, uint64_t now_s)
{
    if (n > ATOLL_TLS_X509_CHAIN_MAX)
        return -TLS_ALERT_DECODE_ERROR;
    struct atoll_tls_x509_cert chain[ATOLL_TLS_X509_CHAIN_MAX];
    for (size_t i = 0; i < n; i++) {
        chain[i].der = certs[i];
        chain[i].len = lens[i];
    }
    if (now_s > (uint64_t)INT64_MAX)
        now_s = (uint64_t)INT64_MAX;
    return atoll_tls_x509_verify_server(trust, chain, n, host, (int64_t)now_s);
}
