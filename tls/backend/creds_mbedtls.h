/* SPDX-License-Identifier: Apache-2.0 */
/* Server credentials over mbedtls: certificates parsed into X.509 chains
 * and private keys into backend key state, both kept for the life of the
 * process (the server configuration points into them). A credential is
 * built in the next free slot of a configuration (cfg->cred_count, below
 * TLS_MAX_CREDENTIALS): begin, add its certificates leaf first, then
 * finish with its key, or abandon it. */
#ifndef ATOLL_TLS_CREDS_MBEDTLS_H
#define ATOLL_TLS_CREDS_MBEDTLS_H

#include <stddef.h>
#include <stdint.h>

#include "tls/tls.h"

struct tls_backend;

/* The backend whose keys the credentials finished from now on sign with
 * (cr->key is that backend's key). mbedtls until set: its keys also check
 * that a key matches its certificate, whichever backend signs. */
void tls_mbedtls_creds_sign_with(const struct tls_backend *b);

void tls_mbedtls_cred_begin(const struct tls_server_config *cfg);

/* One DER certificate. 0, or the mbedtls error (negative). */
int tls_mbedtls_cred_add_der(const struct tls_server_config *cfg, const uint8_t *der, size_t len);

/* Every certificate of a PEM text; pem[len] must be a NUL (mbedtls's PEM
 * reader counts it). 0, or the mbedtls error (negative). */
int tls_mbedtls_cred_add_pem(const struct tls_server_config *cfg, const uint8_t *pem, size_t len);

/* Pairs the certificates with the private key (DER or PEM) and counts the
 * credential: its chain, key kind and DNS names (subjectAltName dNSName
 * entries, else the subject CN) filled in. 0, or -1 with the reason,
 * after `what`, in err (the certificates are let go). */
int tls_mbedtls_cred_finish(struct tls_server_config *cfg, const uint8_t *key, size_t key_len, const char *what,
                            char *err, size_t errlen);

/* Lets go of the certificates added since begin. */
void tls_mbedtls_cred_abandon(const struct tls_server_config *cfg);

/* Lets go of every credential of cfg (none in use any more): cred_count 0. */
void tls_mbedtls_creds_free(struct tls_server_config *cfg);

#endif
