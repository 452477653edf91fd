/* SPDX-License-Identifier: Apache-2.0 */
#include "appliance/pack/creds.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "appliance/pack/names.h"

uint8_t *pack_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap + 1);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                int e = errno ? errno : EIO;
                free(buf);
                fclose(f);
                errno = e;
                return NULL;
            }
            break;
        }
        cap *= 2;
        uint8_t *nb = realloc(buf, cap + 1);
        if (nb == NULL)
            free(buf);
        buf = nb;
    }
    fclose(f);
    if (buf == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static void mbed_reason(int rc, char *buf, size_t cap)
{
    mbedtls_strerror(rc, buf, cap);
}

/* PEM input must be handed to mbedtls with its terminating NUL counted. */
static size_t mbed_len(const uint8_t *buf, size_t n)
{
    static const char tag[] = "-----BEGIN";
    for (size_t i = 0; i + sizeof tag - 1 <= n; i++)
        if (memcmp(buf + i, tag, sizeof tag - 1) == 0)
            return n + 1;
    return n;
}

/* "YYYY-MM-DD hh:mm:ss" as one comparable number. */
static long long x509_time_num(const mbedtls_x509_time *t)
{
    return ((((t->year * 100LL + t->mon) * 100 + t->day) * 100 + t->hour) * 100 + t->min) * 100 + t->sec;
}

static long long now_num(time_t now)
{
    struct tm tm;
    gmtime_r(&now, &tm);
    mbedtls_x509_time t = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
    return x509_time_num(&t);
}

/* A host name as SNI carries it: letters, digits, '-', '_' in labels of
 * 1..63 bytes, at most 253 bytes, optionally "*." first. Lower-cases it in
 * place and drops one trailing dot. Returns 0 when it qualifies. */
static int host_name_normalise(char *s)
{
    size_t n = strlen(s);
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
    if (n == 0 || n > PACK_NAME_MAX)
        return -1;
    char *p = s;
    if (n > 2 && p[0] == '*' && p[1] == '.')
        p += 2;
    size_t label = 0;
    for (; *p; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            *p = c = (char)(c - 'A' + 'a');
        if (c == '.') {
            if (label == 0)
                return -1;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
            if (++label > 63)
                return -1;
        } else {
            return -1;
        }
    }
    return label == 0 ? -1 : 0;
}

static void add_name(struct pack_cred *out, const unsigned char *p, size_t n, const char *cert_path,
                     struct pack_log *log)
{
    char buf[PACK_NAME_MAX + 2];
    if (n >= sizeof buf || memchr(p, 0, n) != NULL) {
        pack_warning(log, cert_path, "skipping a DNS name that is not a host name (%zu bytes)", n);
        return;
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
    if (host_name_normalise(buf) != 0) {
        char q[2 * PACK_NAME_MAX];
        pack_warning(log, cert_path, "skipping '%s': not a host name", pack_quote(p, n, q, sizeof q));
        return;
    }
    for (size_t i = 0; i < out->nnames; i++)
        if (strcmp(out->names[i], buf) == 0)
            return;
    if (out->nnames == PACK_MAX_NAMES) {
        pack_warning(log, cert_path, "more than %d DNS names; keeping the first %d", PACK_MAX_NAMES, PACK_MAX_NAMES);
        return;
    }
    out->names[out->nnames] = strdup(buf);
    if (out->names[out->nnames] != NULL)
        out->nnames++;
}

/* The leaf's DNS names: its subjectAltName dNSName entries, or its
 * subject CN when it has none (RFC 6125 6.4.4). */
static void collect_names(const mbedtls_x509_crt *leaf, struct pack_cred *out, const char *cert_path,
                          struct pack_log *log)
{
    const int dns_tag = MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_X509_SAN_DNS_NAME;
    for (const mbedtls_x509_sequence *s = &leaf->subject_alt_names; s != NULL && s->buf.p != NULL; s = s->next)
        if ((s->buf.tag & (MBEDTLS_ASN1_TAG_CLASS_MASK | MBEDTLS_ASN1_TAG_VALUE_MASK)) == dns_tag)
            add_name(out, s->buf.p, s->buf.len, cert_path, log);
    if (out->nnames > 0)
        return;
    for (const mbedtls_x509_name *n = &leaf->subject; n != NULL; n = n->next)
        if (n->oid.p != NULL && MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) == 0)
            add_name(out, n->val.p, n->val.len, cert_path, log);
    if (out->nnames == 0) {
        pack_warning(log, cert_path, "the certificate names no DNS host; it will only be used as the default");
    }
}

static void check_dates(const mbedtls_x509_crt *crt, size_t pos, time_t now, const char *cert_path,
                        struct pack_log *log)
{
    char dn[256];
    if (mbedtls_x509_dn_gets(dn, sizeof dn, &crt->subject) < 0)
        snprintf(dn, sizeof dn, "?");
    const char *which = pos == 0 ? "certificate" : "chain certificate";
    long long t = now_num(now);
    const mbedtls_x509_time *to = &crt->valid_to, *from = &crt->valid_from;
    if (x509_time_num(to) < t) {
        pack_warning(log, cert_path,
                     "%s '%s' expired on %04d-%02d-%02d %02d:%02d:%02d UTC; packing it anyway, but clients will "
                     "refuse it",
                     which, dn, to->year, to->mon, to->day, to->hour, to->min, to->sec);
    }
    if (x509_time_num(from) > t) {
        pack_warning(log, cert_path, "%s '%s' is not valid before %04d-%02d-%02d %02d:%02d:%02d UTC; packing it anyway",
                     which, dn, from->year, from->mon, from->day, from->hour, from->min, from->sec);
    }
}

static int blob_dup(struct pack_blob *b, const uint8_t *p, size_t n)
{
    b->data = malloc(n ? n : 1);
    if (b->data == NULL)
        return -1;
    memcpy(b->data, p, n);
    b->len = n;
    return 0;
}

int pack_cred_load(const char *cert_path, const char *key_path, time_t now, struct pack_log *log,
                   struct pack_cred *out)
{
    memset(out, 0, sizeof *out);
    int ok = -1, rc, cert_ok = 0, key_ok = 0;
    char why[160];
    size_t clen = 0, klen = 0;
    uint8_t *kbuf = NULL, *cbuf = pack_read_file(cert_path, &clen);
    mbedtls_x509_crt chain;
    mbedtls_pk_context key;
    mbedtls_x509_crt_init(&chain);
    mbedtls_pk_init(&key);
    /* the certificate and the key are judged apart, so one run names both
     * when both are wrong */
    if (cbuf == NULL) {
        pack_problem(log, cert_path, "cannot read the certificate: %s", strerror(errno));
    } else {
        rc = mbedtls_x509_crt_parse(&chain, cbuf, mbed_len(cbuf, clen));
        if (rc != 0 || chain.raw.p == NULL) {
            if (rc > 0)
                snprintf(why, sizeof why, "%d of its certificates do not parse", rc);
            else if (rc == 0)
                snprintf(why, sizeof why, "no certificate in it");
            else
                mbed_reason(rc, why, sizeof why);
            pack_problem(log, cert_path, "not a valid certificate (PEM or DER): %s", why);
        } else {
            cert_ok = 1;
        }
    }
    kbuf = pack_read_file(key_path, &klen);
    if (kbuf == NULL) {
        pack_problem(log, key_path, "cannot read the private key: %s", strerror(errno));
    } else {
        rc = mbedtls_pk_parse_key(&key, kbuf, mbed_len(kbuf, klen), NULL, 0);
        if (rc == MBEDTLS_ERR_PK_PASSWORD_REQUIRED) {
            pack_problem(log, key_path, "the private key is encrypted; give an unencrypted copy "
                         "(openssl pkey -in KEY -out PLAIN.pem)");
        } else if (rc != 0) {
            mbed_reason(rc, why, sizeof why);
            pack_problem(log, key_path, "not a valid private key (PEM or DER): %s", why);
        } else {
            key_ok = 1;
        }
    }
    if (!cert_ok || !key_ok)
        goto done;
    if (mbedtls_pk_check_pair(&chain.pk, &key) != 0) {
        pack_problem(log, key_path, "the private key does not match the certificate in %s", cert_path);
        goto done;
    }
    size_t pos = 0;
    for (const mbedtls_x509_crt *c = &chain; c != NULL && c->raw.p != NULL; c = c->next, pos++) {
        if (pos == PACK_MAX_CHAIN) {
            pack_problem(log, cert_path, "more than %d certificates in the chain", PACK_MAX_CHAIN);
            goto done;
        }
        if (blob_dup(&out->certs[pos], c->raw.p, c->raw.len) != 0)
            goto nomem;
        out->ncerts = pos + 1;
        check_dates(c, pos, now, cert_path, log);
    }
    /* mbedtls_pk_write_key_der writes at the end of the buffer. */
    uint8_t der[8192];
    rc = mbedtls_pk_write_key_der(&key, der, sizeof der);
    if (rc <= 0) {
        mbed_reason(rc, why, sizeof why);
        pack_problem(log, key_path, "cannot re-encode the private key: %s", why);
        goto done;
    }
    if (blob_dup(&out->key, der + sizeof der - (size_t)rc, (size_t)rc) != 0)
        goto nomem;
    mbedtls_platform_zeroize(der, sizeof der);
    collect_names(&chain, out, cert_path, log);
    ok = 0;
    goto done;
nomem:
    pack_problem(log, cert_path, "out of memory reading it");
done:
    if (kbuf != NULL) {
        mbedtls_platform_zeroize(kbuf, klen);
        free(kbuf);
    }
    free(cbuf);
    mbedtls_pk_free(&key);
    mbedtls_x509_crt_free(&chain);
    if (ok != 0)
        pack_cred_free(out);
    return ok;
}

void pack_cred_free(struct pack_cred *c)
{
    if (c->key.data != NULL) {
        mbedtls_platform_zeroize(c->key.data, c->key.len);
        free(c->key.data);
    }
    for (size_t i = 0; i < c->ncerts; i++)
        free(c->certs[i].data);
    for (size_t i = 0; i < c->nnames; i++)
        free(c->names[i]);
    memset(c, 0, sizeof *c);
}
