#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include "tls/backend/crypto_mbedtls.h"
#include "appliance/creds.h"

/* Parsed certificates and keys live as long as the process: the server
 * configuration points into them. */
static mbedtls_x509_crt crts[TLS_MAX_CREDENTIALS];
static struct tls_mbedtls_key keys[TLS_MAX_CREDENTIALS];
static char names[TLS_MAX_CREDENTIALS][TLS_MAX_NAMES][256];

static int read_file(const char *path, uint8_t **out, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap + 1);
    while (b) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        if (cap > (1u << 24)) {
            free(b);
            b = NULL;
            break;
        }
        cap *= 2;
        uint8_t *nb = realloc(b, cap + 1);
        if (!nb) {
            free(b);
            b = NULL;
        }
        b = nb;
    }
    int bad = ferror(f);
    fclose(f);
    if (!b || bad) {
        free(b);
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    b[n] = 0; /* mbedtls wants PEM NUL-terminated, with the NUL counted */
    *out = b;
    *len = n;
    return 0;
}

static int is_pem(const uint8_t *p, size_t n)
{
    static const char tag[] = "-----BEGIN";
    for (size_t i = 0; i + sizeof tag - 1 <= n; i++)
        if (memcmp(p + i, tag, sizeof tag - 1) == 0)
            return 1;
    return 0;
}

/* DNS names of the leaf: subjectAltName dNSName entries, else the CN. */
static void collect_names(struct tls_credential *cr, size_t idx, const mbedtls_x509_crt *leaf)
{
    cr->name_count = 0;
    for (const mbedtls_x509_sequence *s = &leaf->subject_alt_names; s && s->buf.p; s = s->next) {
        if (s->buf.tag != (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2) || cr->name_count >= TLS_MAX_NAMES)
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

/* The parsed chain crt and a key (DER or PEM) become credential i. */
static int install(struct tls_server_config *cfg, mbedtls_x509_crt *crt, const uint8_t *key, size_t key_len,
                   const char *what, char *err, size_t errlen)
{
    size_t i = cfg->cred_count;
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
    struct tls_credential *cr = &cfg->cred[i];
    memset(cr, 0, sizeof *cr);
    for (const mbedtls_x509_crt *c = crt; c && c->raw.p && cr->chain_count < TLS_MAX_CHAIN; c = c->next) {
        cr->chain[cr->chain_count] = c->raw.p;
        cr->chain_len[cr->chain_count] = c->raw.len;
        cr->chain_count++;
    }
    cr->key = &keys[i];
    cr->key_kind = tls_crypto_mbedtls_ops.key_kind(&keys[i]);
    if (cr->key_kind == TLS_KEY_NONE) {
        snprintf(err, errlen, "%s: key type not supported (ECDSA P-256/P-384 or RSA >= 2048 bits)", what);
        return -1;
    }
    collect_names(cr, i, crt);
    cfg->cred_count++;
    return 0;
}

static int room_for_one(const struct tls_server_config *cfg, const char *what, char *err, size_t errlen)
{
    if (cfg->cred_count < TLS_MAX_CREDENTIALS)
        return 0;
    snprintf(err, errlen, "%s: more than %u certificates", what, TLS_MAX_CREDENTIALS);
    return -1;
}

int tls_creds_load_mem(struct tls_server_config *cfg, const uint8_t *chain, size_t chain_len, const uint8_t *key,
                       size_t key_len, const char *what, char *err, size_t errlen)
{
    if (room_for_one(cfg, what, err, errlen) != 0)
        return -1;
    mbedtls_x509_crt *crt = &crts[cfg->cred_count];
    mbedtls_x509_crt_init(crt);
    int r = is_pem(chain, chain_len) ? mbedtls_x509_crt_parse(crt, chain, chain_len + 1)
                                     : mbedtls_x509_crt_parse_der(crt, chain, chain_len);
    if (r != 0) {
        snprintf(err, errlen, "%s: certificate does not parse (mbedtls -0x%04x)", what, (unsigned)-r);
        mbedtls_x509_crt_free(crt);
        return -1;
    }
    return install(cfg, crt, key, key_len, what, err, errlen);
}

int tls_creds_load_site(struct tls_server_config *cfg, const struct site_image *im, char *err, size_t errlen)
{
    for (uint32_t i = 0; i < im->cred_count; i++) {
        char what[64];
        snprintf(what, sizeof what, "site image credential %u", (unsigned)i);
        struct site_cred sc;
        if (room_for_one(cfg, what, err, errlen) != 0)
            return -1;
        if (site_cred_parse(im, i, &sc) < 0) {
            snprintf(err, errlen, "%s: malformed", what);
            return -1;
        }
        mbedtls_x509_crt *crt = &crts[cfg->cred_count];
        mbedtls_x509_crt_init(crt);
        for (uint32_t j = 0; j < sc.cert_count; j++) {
            struct site_slice der;
            int r = site_cred_cert(im, &sc, j, &der);
            if (r >= 0)
                r = mbedtls_x509_crt_parse_der(crt, der.ptr, der.len);
            if (r != 0) {
                snprintf(err, errlen, "%s: certificate %u does not parse", what, (unsigned)j);
                mbedtls_x509_crt_free(crt);
                return -1;
            }
        }
        if (install(cfg, crt, sc.key, sc.key_len, what, err, errlen) != 0)
            return -1;
    }
    if (cfg->cred_count == 0) {
        snprintf(err, errlen, "the site image holds no certificate (pack it with --cert/--key)");
        return -1;
    }
    return 0;
}

int tls_creds_load_files(struct tls_server_config *cfg, const char *cert_path, const char *key_path, char *err,
                         size_t errlen)
{
    uint8_t *chain = NULL, *key = NULL;
    size_t chain_len, key_len;
    if (read_file(cert_path, &chain, &chain_len, err, errlen) != 0)
        return -1;
    if (read_file(key_path, &key, &key_len, err, errlen) != 0) {
        free(chain);
        return -1;
    }
    char what[600];
    snprintf(what, sizeof what, "%s + %s", cert_path, key_path);
    int r = tls_creds_load_mem(cfg, chain, chain_len, key, key_len, what, err, errlen);
    /* The parsed certificates keep their own copies; the key file goes. */
    memset(key, 0, key_len);
    free(key);
    free(chain);
    return r;
}
