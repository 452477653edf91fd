/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include "tls/backend/backend.h"
#include "tls/backend/creds_mbedtls.h"
#include "tls/backend/crypto_mbedtls.h"
#include "tls/backend/x509_mbedtls.h"

static mbedtls_x509_crt crts[ATOLL_TLS_MAX_CREDENTIALS];
static struct tls_mbedtls_key keys[ATOLL_TLS_MAX_CREDENTIALS];
static char names[ATOLL_TLS_MAX_CREDENTIALS][ATOLL_TLS_MAX_NAMES][256];
/* The signing keys when another backend signs: loaded from the same bytes. */
static const struct atoll_tls_backend *signer = &atoll_tls_backend_mbedtls;
static const struct atoll_tls_backend *signer_of[ATOLL_TLS_MAX_CREDENTIALS];
static _Alignas(16) uint8_t sign_keys[ATOLL_TLS_MAX_CREDENTIALS][ATOLL_TLS_BACKEND_KEY_MAX];

void atoll_tls_creds_sign_with(const struct atoll_tls_backend *b)
{
    signer = b;
}

static void free_sign_key(size_t i)
{
    if (signer_of[i] != NULL)
        signer_of[i]->key_free(sign_keys[i]);
    signer_of[i] = NULL;
}

void atoll_tls_cred_begin(const struct atoll_tls_server_config *cfg)
{
    mbedtls_x509_crt_init(&crts[cfg->cred_count]);
}

int atoll_tls_cred_add_der(const struct atoll_tls_server_config *cfg, const uint8_t *der, size_t len)
{
    return mbedtls_x509_crt_parse_der(&crts[cfg->cred_count], der, len);
}

int atoll_tls_cred_add_pem(const struct atoll_tls_server_config *cfg, const uint8_t *pem, size_t len)
{
    return mbedtls_x509_crt_parse(&crts[cfg->cred_count], pem, len + 1);
}

void atoll_tls_cred_abandon(const struct atoll_tls_server_config *cfg)
{
    mbedtls_x509_crt_free(&crts[cfg->cred_count]);
}

void atoll_tls_creds_free(struct atoll_tls_server_config *cfg)
{
    for (size_t i = 0; i < cfg->cred_count; i++) {
        mbedtls_x509_crt_free(&crts[i]);
        tls_crypto_mbedtls_key_free(&keys[i]);
        free_sign_key(i);
        memset(&cfg->cred[i], 0, sizeof cfg->cred[i]);
    }
    cfg->cred_count = 0;
}

/* DNS names of the leaf: subjectAltName dNSName entries, else the CN. */
static void collect_names(struct atoll_tls_credential *cr, size_t idx, const mbedtls_x509_crt *leaf)
{
    cr->name_count = 0;
    for (const mbedtls_x509_sequence *s = &leaf->subject_alt_names; s && s->buf.p; s = s->next) {
        if (s->buf.tag != (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2) || cr->name_count >= ATOLL_TLS_MAX_NAMES)
            continue;
        size_t n = s->buf.len < 255 ? s->buf.len : 255;
        memcpy(names[idx][cr->name_count], s->buf.p, n);
        names[idx][cr->name_count][n] = '\0';
        cr->names[cr->name_count] = names[idx][cr->name_count];
        cr->name_count++;
    }
    if (cr->name_count != 0)
        return;
    for (const mbedtls_x509_name *nm = &leaf->subject; nm; nm = nm->next) {
        if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &nm->oid) == 0) {
            size_t n = nm->val.len < 255 ? nm->val.len : 255;
            memcpy(names[idx][0], nm->val.p, n);
            names[idx][0][n] = '\0';
            cr->names[0] = names[idx][0];
            cr->name_count = 1;
            return;
        }
    }
}

int atoll_tls_cred_finish(struct atoll_tls_server_config *cfg, const uint8_t *key, size_t key_len, const char *what,
                            char *err, size_t errlen)
{
    size_t i = cfg->cred_count;
    mbedtls_x509_crt *crt = &crts[i];
    if (tls_crypto_mbedtls_key_load(&keys[i], key, key_len) != 0) {
        snprintf(err, errlen, "%s: private key does not parse", what);
        mbedtls_x509_crt_free(crt);
        return -1;
    }
    if (mbedtls_pk_check_pair(&crt->pk, &keys[i].pk) != 0) {
        snprintf(err, errlen, "%s: the private key does not match the certificate", what);
        mbedtls_x509_crt_free(crt);
        tls_crypto_mbedtls_key_free(&keys[i]);
        return -1;
    }
    struct atoll_tls_credential *cr = &cfg->cred[i];
    memset(cr, 0, sizeof *cr);
    for (const mbedtls_x509_crt *c = crt; c && c->raw.p && cr->chain_count < ATOLL_TLS_MAX_CHAIN; c = c->next) {
        cr->chain[cr->chain_count] = c->raw.p;
        cr->chain_len[cr->chain_count] = c->raw.len;
        cr->chain_count++;
    }
    cr->key = &keys[i];
    cr->key_kind = tls_crypto_mbedtls_ops.key_kind(&keys[i]);
    if (cr->key_kind == ATOLL_TLS_KEY_NONE) {
        snprintf(err, errlen, "%s: key type not supported (ECDSA P-256/P-384 or RSA >= 2048 bits)", what);
        mbedtls_x509_crt_free(crt);
        tls_crypto_mbedtls_key_free(&keys[i]);
        return -1;
    }
    if (signer != &atoll_tls_backend_mbedtls) {
        _Static_assert(ATOLL_TLS_BACKEND_KEY_MAX % 16 == 0, "key slots stay 16-aligned");
        if (signer->key_size > sizeof sign_keys[i] || signer->key_load(sign_keys[i], key, key_len) != 0 ||
            signer->ops->key_kind(sign_keys[i]) != cr->key_kind) {
            snprintf(err, errlen, "%s: private key does not load into the %s backend", what, signer->name);
            mbedtls_x509_crt_free(crt);
            tls_crypto_mbedtls_key_free(&keys[i]);
            return -1;
        }
        signer_of[i] = signer;
        cr->key = sign_keys[i];
    }
    collect_names(cr, i, crt);
    cr->not_before = tls_x509_time_to_unix(&crt->valid_from);
    cr->not_after = tls_x509_time_to_unix(&crt->valid_to);
    cfg->cred_count++;
    return 0;
}
