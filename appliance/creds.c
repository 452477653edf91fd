/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "appliance/creds.h"
#include "tls/backend/creds_mbedtls.h"

static int is_pem(const uint8_t *p, size_t n)
{
    static const char tag[] = "-----BEGIN";
    for (size_t i = 0; i + sizeof tag - 1 <= n; i++)
        if (memcmp(p + i, tag, sizeof tag - 1) == 0)
            return 1;
    return 0;
}

static int room_for_one(const struct atoll_tls_server_config *cfg, const char *what, char *err, size_t errlen)
{
    if (cfg->cred_count < ATOLL_TLS_MAX_CREDENTIALS)
        return 0;
    snprintf(err, errlen, "%s: more than %u certificates", what, ATOLL_TLS_MAX_CREDENTIALS);
    return -1;
}

int tls_creds_load_mem(struct atoll_tls_server_config *cfg, const uint8_t *chain, size_t chain_len, const uint8_t *key,
                       size_t key_len, const char *what, char *err, size_t errlen)
{
    if (room_for_one(cfg, what, err, errlen) != 0)
        return -1;
    atoll_tls_cred_begin(cfg);
    int r = is_pem(chain, chain_len) ? atoll_tls_cred_add_pem(cfg, chain, chain_len)
                                     : atoll_tls_cred_add_der(cfg, chain, chain_len);
    if (r != 0) {
        snprintf(err, errlen, "%s: certificate does not parse (mbedtls -0x%04x)", what, (unsigned)-r);
        atoll_tls_cred_abandon(cfg);
        return -1;
    }
    return atoll_tls_cred_finish(cfg, key, key_len, what, err, errlen);
}

int tls_creds_load_site(struct atoll_tls_server_config *cfg, const struct site_image *im, char *err, size_t errlen)
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
        atoll_tls_cred_begin(cfg);
        for (uint32_t j = 0; j < sc.cert_count; j++) {
            struct site_slice der;
            int r = site_cred_cert(im, &sc, j, &der);
            if (r >= 0)
                r = atoll_tls_cred_add_der(cfg, der.ptr, der.len);
            if (r != 0) {
                snprintf(err, errlen, "%s: certificate %u does not parse", what, (unsigned)j);
                atoll_tls_cred_abandon(cfg);
                return -1;
            }
        }
        if (atoll_tls_cred_finish(cfg, sc.key, sc.key_len, what, err, errlen) != 0)
            return -1;
    }
    if (cfg->cred_count == 0) {
        snprintf(err, errlen, "the site image holds no certificate (pack it with --cert/--key)");
        return -1;
    }
    return 0;
}

void tls_creds_free(struct atoll_tls_server_config *cfg)
{
    atoll_tls_creds_free(cfg);
}
