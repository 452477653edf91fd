/* SPDX-License-Identifier: Apache-2.0 */
/* Atoll TLS: certificates, over mbedtls's X.509 parser (libatoll-tls-mbedtls,
 * pkg-config atoll-tls; Apache-2.0). Two halves:
 *
 *   - a client's trust store and the check of the chain a server sends
 *     (plug atoll_tls_x509_verify_chain into atoll_tls_client_config);
 *   - a server's credentials: certificate chains paired with private keys,
 *     filling atoll_tls_server_config.cred[].
 *
 * Times are Unix seconds given by the caller: mbedtls's own validity checks
 * read the system clock, so they are discarded and redone with that time.
 * Results that are alerts follow <atoll/tls.h>: 0, or -ATOLL_TLS_ALERT_*.
 * mbedtls allocates (calloc/free) while it parses; nothing here keeps a
 * pointer to the caller's bytes after a call returns. */
#ifndef ATOLL_TLS_X509_PUBLIC_H
#define ATOLL_TLS_X509_PUBLIC_H

#include <stddef.h>
#include <stdint.h>

#include <atoll/tls.h>
#include <atoll/tls_backend.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Client side: validating a server ---- */

/* Trust anchors, parsed once. Layout private: allocate
 * atoll_tls_x509_trust_size() bytes (16-byte aligned), then init. */
struct atoll_tls_x509_trust;
size_t atoll_tls_x509_trust_size(void);

/* One certificate of a peer's chain (a view into the Certificate message). */
struct atoll_tls_x509_cert {
    const uint8_t *der;
    size_t len;
};

/* Longest chain accepted from a peer (leaf + intermediates). */
#define ATOLL_TLS_X509_CHAIN_MAX 8u

/* An empty store. */
void atoll_tls_x509_trust_init(struct atoll_tls_x509_trust *t);
/* Adds CA certificates: PEM text (every "CERTIFICATE" block; no NUL needed,
 * e.g. /etc/ssl/certs/ca-certificates.crt read whole) or one DER
 * certificate. A PEM block that does not parse is skipped and counted.
 * Returns the number of certificates added (> 0), or -1 when none could be
 * added. The store keeps its own parsed copies. */
int atoll_tls_x509_trust_add(struct atoll_tls_x509_trust *t, const uint8_t *pem_or_der, size_t len);
/* Frees every certificate of the store; init again to reuse it. */
void atoll_tls_x509_trust_free(struct atoll_tls_x509_trust *t);

/* Validates a server's certificate chain at time now (Unix seconds, UTC).
 * host is the name the client asked for (NUL-terminated, as sent in SNI; a
 * trailing dot is ignored); NULL skips the name check (only for an
 * embedder that pins the key by other means).
 * Checks, and the alert for the first failing one:
 *   no certificate, more than ATOLL_TLS_X509_CHAIN_MAX, or one that does
 *     not parse as DER X.509                                  decode_error
 *   no path from the leaf to a trust anchor (unknown issuer, a signature
 *     that does not verify, a CA without CA rights)           unknown_ca
 *   a hash, key type, curve or RSA size outside the profile (SHA-256/384/
 *     512; RSA >= 2048, ECDSA P-256/P-384/P-521)               unsupported_certificate
 *   some certificate of the path, trust anchor included, outside its
 *     validity period at now                                  certificate_expired
 *   the leaf's keyUsage lacks digitalSignature, or its extendedKeyUsage
 *     lacks serverAuth (and anyExtendedKeyUsage)              unsupported_certificate
 *   host matches no subjectAltName DNS name (RFC 6125: one left-most "*"
 *     label at most; the subject CN is not consulted)          bad_certificate
 *   anything else mbedtls reports                             bad_certificate
 * Allocation failure inside mbedtls gives internal_error. */
int atoll_tls_x509_verify_server(const struct atoll_tls_x509_trust *t, const struct atoll_tls_x509_cert *chain,
                                 size_t n, const char *host, int64_t now);

/* The same check in the shape of atoll_tls_client_config.verify_chain:
 *     cfg.verify_chain = atoll_tls_x509_verify_chain;
 *     cfg.verify_ctx = trust;        a struct atoll_tls_x509_trust *
 * The engine passes the chain, the configured server_name and its now. */
int atoll_tls_x509_verify_chain(void *trust, const uint8_t *const *certs, const size_t *lens, size_t n,
                                const char *host, uint64_t now_s);

/* ---- Server side: credentials ---- */

/* A credential is built in the next free slot of a configuration
 * (cfg->cred_count, below ATOLL_TLS_MAX_CREDENTIALS): begin, add its
 * certificates leaf first, then finish with its key, or abandon it. The
 * parsed chains and keys are held by this module (one server configuration
 * per process) until atoll_tls_creds_free; cfg->cred[] points into them. */

/* The backend whose keys the credentials finished from now on sign with
 * (cfg->cred[i].key is then a key of that backend, loaded from the same
 * bytes). atoll_tls_backend_mbedtls until set. */
void atoll_tls_creds_sign_with(const struct atoll_tls_backend *b);

/* Starts the credential of slot cfg->cred_count. */
void atoll_tls_cred_begin(const struct atoll_tls_server_config *cfg);
/* One DER certificate. 0, or mbedtls's error (negative). */
int atoll_tls_cred_add_der(const struct atoll_tls_server_config *cfg, const uint8_t *der, size_t len);
/* Every certificate of a PEM text; pem[len] must be a NUL (mbedtls's PEM
 * reader counts it). 0, or mbedtls's error (negative). */
int atoll_tls_cred_add_pem(const struct atoll_tls_server_config *cfg, const uint8_t *pem, size_t len);
/* Pairs the certificates with the private key (DER or PEM, unencrypted)
 * and counts the credential (cfg->cred_count + 1): its chain, key, key kind,
 * validity and DNS names (subjectAltName dNSName entries, else the subject
 * CN) filled in. 0; or -1 with the reason, prefixed by `what` (a file name,
 * say), in err[errlen] (the certificates are let go). Refused: a key that
 * does not parse or cannot sign, a key that is not the leaf's. */
int atoll_tls_cred_finish(struct atoll_tls_server_config *cfg, const uint8_t *key, size_t key_len, const char *what,
                          char *err, size_t errlen);
/* Lets go of the certificates added since begin. */
void atoll_tls_cred_abandon(const struct atoll_tls_server_config *cfg);
/* Lets go of every credential of cfg (no connection may use it any more):
 * cred_count becomes 0. */
void atoll_tls_creds_free(struct atoll_tls_server_config *cfg);

#ifdef __cplusplus
}
#endif

#endif
