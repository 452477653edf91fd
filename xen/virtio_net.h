/* SPDX-License-Identifier: Apache-2.0 */
/* virtio-net through the legacy interface of a transitional device
 * (1af4:1000, I/O BAR 0), polled: no interrupt is enabled for it. */
#ifndef ATOLL_XEN_VIRTIO_NET_H
#define ATOLL_XEN_VIRTIO_NET_H

#include <stddef.h>
#include <stdint.h>

/* Finds, resets and starts the device. 0, or -1 with the reason in err. */
int vnet_init(char *err, size_t errlen);
/* 0 with the device's MAC, or -1 when it offers none. */
int vnet_mac(uint8_t mac[6]);
int vnet_send(const uint8_t *frame, size_t len);
long vnet_recv(uint8_t *buf, size_t cap);
int vnet_rx_pending(void);
/* Counters for the stop line. */
struct vnet_stats {
    uint64_t rx, tx, rx_dropped, tx_full;
};
const struct vnet_stats *vnet_stats(void);

#endif
