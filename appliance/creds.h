/* SPDX-License-Identifier: Apache-2.0 */
/* Server credentials from bytes: a certificate chain and private key
 * handed in by the platform (the tap's main reads --cert/--key), or those
 * the site image carries. The parsing is the crypto backend's
 * (tls/backend/creds_mbedtls.h). */
#ifndef ATOLL_TLS_CREDS_H
#define ATOLL_TLS_CREDS_H

#include <stddef.h>

#include "appliance/site/image.h"
#include "tls/tls.h"

/* Loads a DER or PEM chain (leaf first, then intermediates) and a DER or
 * PEM key into the next free credential of cfg. A PEM chain must be
 * followed by a NUL byte (chain[chain_len] == 0, not counted). `what` names
 * the source in messages. 0, or -1 with the reason in err. */
int tls_creds_load_mem(struct atoll_tls_server_config *cfg, const uint8_t *chain, size_t chain_len, const uint8_t *key,
                       size_t key_len, const char *what, char *err, size_t errlen);

/* Loads every credential of an opened site image (chains as DER, keys as
 * DER; the parsed certificates copy what they need, the key is parsed
 * into backend state). 0, or -1 with the reason in err. */
int tls_creds_load_site(struct atoll_tls_server_config *cfg, const struct site_image *im, char *err, size_t errlen);

/* Lets go of every credential of cfg (no connection may use them any
 * more). */
void tls_creds_free(struct atoll_tls_server_config *cfg);

#endif
