/* TLS over Atoll TCP: one engine connection per accepted TCP connection,
 * with its buffers from a fixed table, pumped on TCP events. The
 * application on top is a callback (the echo service for now; HTTP next). */
#ifndef ATOLL_TLS_SERVICE_H
#define ATOLL_TLS_SERVICE_H

#include "tcpip/atoll_tcpip.h"
#include "tls/tls.h"
#include "appliance/pump.h"

struct tls_service;

/* Listens on port with cfg/crypto; app handles plaintext. Returns the
 * service or NULL (port taken). One service per process for now. */
struct tls_service *tls_service_start(struct atoll_stack *st, uint16_t port, const struct tls_server_config *cfg,
                                      const struct tls_crypto *crypto, tls_app_fn app, void *app_ctx,
                                      uint64_t (*now_ms)(void *), void *now_ctx);

struct tls_service_stats {
    uint64_t accepted, refused, handshakes, failed, closed;
};
const struct tls_service_stats *tls_service_stats(const struct tls_service *s);

#endif
