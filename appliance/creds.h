/* Server credentials from PEM files (certificate chain + private key),
 * for --cert/--key on the tap command line. The site image carries its own
 * credentials; this is the path for TLS tests and embedders' examples. */
#ifndef ATOLL_TLS_CREDS_H
#define ATOLL_TLS_CREDS_H

#include <stddef.h>

#include "appliance/site/image.h"
#include "tls/tls.h"

/* Loads cert_path (leaf first, then intermediates) and key_path into the
 * next free credential of cfg. 0, or -1 with a message naming the file and
 * the reason in err. */
int tls_creds_load_files(struct tls_server_config *cfg, const char *cert_path, const char *key_path, char *err,
                         size_t errlen);

/* Loads credentials from memory: a DER or PEM chain and a DER or PEM key. */
int tls_creds_load_mem(struct tls_server_config *cfg, const uint8_t *chain, size_t chain_len, const uint8_t *key,
                       size_t key_len, const char *what, char *err, size_t errlen);

/* Loads every credential of an opened site image (chains as DER, keys as
 * DER; the parsed certificates copy what they need, the key is parsed
 * into backend state). 0, or -1 with the reason in err. */
int tls_creds_load_site(struct tls_server_config *cfg, const struct site_image *im, char *err, size_t errlen);

#endif
