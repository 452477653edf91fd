/* SPDX-License-Identifier: Apache-2.0 */
/* The one interface between the platform-neutral appliance and the machine
 * it runs on. Implemented by the Linux tap process (platform_tap.c) and, later,
 * by the PVH image in xen/. */
#ifndef ATOLL_PLATFORM_H
#define ATOLL_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/tcpip.h"

struct platform;

/* Transmit one Ethernet frame. Returns 0, or -1 (counted by the caller). */
int plat_send_frame(struct platform *p, const uint8_t *frame, size_t len);

/* Optional, for a device that completes TCP checksums and cuts TCP
 * super-segments (the tap with IFF_VNET_HDR): a platform offering it hands
 * one to the loop in app_config.offload. send transmits a frame given in
 * two pieces (head, then body) with the work left to the device (struct
 * atoll_tx_meta, the virtio_net_hdr fields); 0 or -1 like plat_send_frame.
 * Netfront could offer it the same way: ATOLL_TX_CSUM is its
 * NETTXF_csum_blank | NETTXF_data_validated with the pseudo-header sum
 * left in the field (feature-no-csum-offload 0), ATOLL_TX_GSO_TCPV4 a
 * XEN_NETIF_EXTRA_TYPE_GSO extra slot (XEN_NETIF_GSO_TYPE_TCPV4, size
 * gso_size) when the backend has feature-gso-tcpv4; virtio-net copies the
 * meta into the struct virtio_net_hdr at the front of each buffer once
 * VIRTIO_NET_F_CSUM and VIRTIO_NET_F_HOST_TSO4 are negotiated. */
struct plat_offload {
    int csum;            /* completes TCP checksums */
    uint32_t tso_max;    /* cuts super-segments of up to this much payload; 0: none */
    int (*send)(struct platform *p, const uint8_t *head, size_t head_len, const uint8_t *body, size_t body_len,
                const struct atoll_tx_meta *m);
};

/* Receive one pending frame into buf without blocking: its length, 0 when
 * none is pending, -1 on a device error. */
long plat_recv_frame(struct platform *p, uint8_t *buf, size_t cap);

/* Monotonic milliseconds. */
uint64_t plat_now_ms(struct platform *p);

/* Wall-clock seconds since 1970 (HTTP Date, Last-Modified checks, the
 * access log). */
int64_t plat_unix_s(struct platform *p);

/* The site image the appliance serves (a mapped file on the tap, a boot
 * module under PVH): 0 with *img and *len set, or -1 when none was given. */
int plat_site_image(struct platform *p, const uint8_t **img, size_t *len);

/* Fill buf with entropy; 0 on success. */
int plat_entropy(struct platform *p, void *buf, size_t len);

/* Write to the console (stderr on Linux). p may be NULL: a message from
 * before the platform was opened. */
void plat_console(struct platform *p, const char *s, size_t len);

/* Block until a frame may be pending, the deadline (absolute, plat_now_ms
 * clock) passes, or a stop is requested. Returns 1 when a stop was
 * requested (SIGINT/SIGTERM, or the hypervisor's shutdown), else 0. */
int plat_wait(struct platform *p, uint64_t deadline_ms);

/* The device's hardware address if it has one assigned (netfront); 0 when
 * it does, -1 when the appliance should choose one. */
int plat_mac(struct platform *p, uint8_t mac[6]);

/* Memory for the connection table and the pools (appliance/mem_plan.h).
 * plat_memory_avail: what the machine gives (the guest's free RAM under
 * Xen, less what the drivers and the crypto library still allocate;
 * physical RAM on Linux, where untouched pages cost nothing).
 * plat_memory_take: len bytes, 16-aligned and zero-filled, for the rest of
 * the run, or NULL when the machine cannot give them. */
size_t plat_memory_avail(struct platform *p);
void *plat_memory_take(struct platform *p, size_t len);
#endif
