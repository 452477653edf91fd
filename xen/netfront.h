/* SPDX-License-Identifier: Apache-2.0 */
/* The Xen network frontend: device/vif/N over xenstore, one tx and one rx
 * ring (granted pages), rx by copy (feature-rx-copy, required), one event
 * channel, the backend's state machine. Polled: the platform calls
 * netfront_poll from plat_wait's wake-ups and before each receive. */
#ifndef ATOLL_XEN_NETFRONT_H
#define ATOLL_XEN_NETFRONT_H

#include <stddef.h>
#include <stdint.h>

#include "xen/evtchn.h"

struct netfront_stats {
    uint64_t rx, tx;
    uint64_t rx_dropped;  /* frames the appliance's buffer could not hold, bad responses */
    uint64_t rx_errors;   /* responses with an error status or a bad id/size */
    uint64_t tx_full;     /* sends refused: no free tx slot or grant */
    uint64_t tx_errors;   /* tx responses with an error status or a bad id, frames of a length the backend cannot take */
    uint64_t tx_down;     /* sends refused: not connected (backend gone or reconnecting) */
    uint64_t backend_lost; /* times the backend left Connected */
};

/* Connects device/vif/devid: reads backend, backend-id and mac, grants
 * the rings, allocates the event channel, writes the frontend keys in one
 * transaction (retried on EAGAIN) and waits (bounded) for the backend to
 * reach Connected. 0, or -1 with the reason (naming the xenstore key or
 * state) in err. */
int netfront_init(unsigned devid, char *err, size_t errlen);
void netfront_mac(uint8_t mac[6]);
/* 0 when queued for the backend, -1 when it cannot be (ring full, no
 * grant, not connected, frame too long): the frame is dropped, counted. */
int netfront_send(const uint8_t *frame, size_t len);
/* One received frame's length (copied into buf), 0 when none is waiting.
 * A frame longer than cap is dropped and counted. */
long netfront_recv(uint8_t *buf, size_t cap);
int netfront_rx_pending(void);
/* Reclaims tx slots, refills rx, follows backend state changes (gone:
 * sends fail and are counted until it comes back and we reconnect). */
void netfront_poll(void);
evtchn_port_t netfront_port(void);
int netfront_connected(void);
const struct netfront_stats *netfront_stats(void);

#endif
