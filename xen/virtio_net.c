/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/virtio_net.h"

#include <stdio.h>
#include <string.h>

#include "xen/alloc.h"
#include "xen/io.h"
#include "xen/pci.h"
#include "xen/virtq.h"

/* The legacy register block at BAR 0 (virtio 0.9.5, no MSI-X). */
#define VIO_DEV_FEATURES 0x00
#define VIO_DRV_FEATURES 0x04
#define VIO_QUEUE_PFN 0x08
#define VIO_QUEUE_SIZE 0x0c
#define VIO_QUEUE_SEL 0x0e
#define VIO_QUEUE_NOTIFY 0x10
#define VIO_STATUS 0x12
#define VIO_ISR 0x13
#define VIO_NET_MAC 0x14

#define ST_ACK 1u
#define ST_DRIVER 2u
#define ST_DRIVER_OK 4u
#define ST_FAILED 128u

#define F_MAC (1u << 5)

/* Without VIRTIO_NET_F_MRG_RXBUF the header is 10 bytes; we ask no offload,
 * so it is all zero on transmit and ignored on receive. */
#define NET_HDR 10u
#define BUF 2048u
#define QMAX 1024u

static _Alignas(4096) uint8_t ring_mem[2][32768];
/* One BUF-byte buffer per descriptor, from the heap once the queue sizes
 * are known (QEMU's 256 each: 1 MiB, not the 4 MiB of the largest). */
static uint8_t *rx_bufs, *tx_bufs;
extern struct heap xen_heap;

static struct virtq rxq, txq;
static uint16_t io;
static int have_mac, broken;
static uint8_t mac[6];
static struct vnet_stats stats;

static int setup_queue(uint16_t index, struct virtq *q, char *err, size_t errlen)
{
    outw(io + VIO_QUEUE_SEL, index);
    uint16_t size = inw(io + VIO_QUEUE_SIZE);
    if (size == 0 || size > QMAX || virtq_bytes(size) > sizeof ring_mem[0]) {
        snprintf(err, errlen, "virtio-net: queue %u has size %u (want 1-%u, a power of two)", index, size, QMAX);
        return -1;
    }
    if (virtq_init(q, ring_mem[index], size) != 0) {
        snprintf(err, errlen, "virtio-net: queue %u: bad size %u", index, size);
        return -1;
    }
    outl(io + VIO_QUEUE_PFN, (uint32_t)((uintptr_t)ring_mem[index] >> 12));
    return 0;
}

int vnet_init(char *err, size_t errlen)
{
    struct pci_dev d;
    if (pci_find(0x1af4, 0x1000, &d) != 0) {
        snprintf(err, errlen, "no virtio-net device (transitional 1af4:1000; QEMU: -device virtio-net-pci,disable-modern=on)");
        return -1;
    }
    uint32_t bar0 = pci_read32(d, 0x10);
    if (!(bar0 & 1u) || (bar0 & ~3u) == 0) {
        snprintf(err, errlen, "virtio-net at %02x:%02x.%u: BAR 0 is not an assigned I/O range (0x%x)", d.bus, d.dev,
                 d.fn, bar0);
        return -1;
    }
    io = (uint16_t)(bar0 & ~3u);
    pci_write32(d, 0x04, (pci_read32(d, 0x04) & 0xffff0000u) | 0x5u); /* I/O space, bus master */
    outb(io + VIO_STATUS, 0);                                        /* reset */
    outb(io + VIO_STATUS, ST_ACK);
    outb(io + VIO_STATUS, ST_ACK | ST_DRIVER);
    uint32_t feat = inl(io + VIO_DEV_FEATURES);
    have_mac = (feat & F_MAC) != 0;
    outl(io + VIO_DRV_FEATURES, feat & F_MAC);
    if (setup_queue(0, &rxq, err, errlen) != 0 || setup_queue(1, &txq, err, errlen) != 0) {
        outb(io + VIO_STATUS, ST_FAILED);
        return -1;
    }
    rx_bufs = heap_alloc(&xen_heap, (size_t)rxq.size * BUF);
    tx_bufs = heap_alloc(&xen_heap, (size_t)txq.size * BUF);
    if (!rx_bufs || !tx_bufs) {
        snprintf(err, errlen, "virtio-net: no heap for %u + %u packet buffers", rxq.size, txq.size);
        outb(io + VIO_STATUS, ST_FAILED);
        return -1;
    }
    for (int i = 0; i < 6; i++)
        mac[i] = inb((uint16_t)(io + VIO_NET_MAC + i));
    for (uint16_t i = 0; i < rxq.size; i++) {
        uint16_t id;
        if (virtq_add(&rxq, (uint64_t)(uintptr_t)(rx_bufs + (size_t)i * BUF), BUF, VIRTQ_DESC_F_WRITE, &id) != 0)
            break;
    }
    outb(io + VIO_STATUS, ST_ACK | ST_DRIVER | ST_DRIVER_OK);
    outw(io + VIO_QUEUE_NOTIFY, 0);
    return 0;
}

int vnet_mac(uint8_t out[6])
{
    if (!have_mac)
        return -1;
    memcpy(out, mac, 6);
    return 0;
}

/* Descriptor ids are buffer indexes: rx posts buffer i as descriptor i at
 * start, and a descriptor always goes back with the buffer it came with. */
long vnet_recv(uint8_t *buf, size_t cap)
{
    if (broken)
        return -1;
    for (;;) {
        uint16_t id;
        uint32_t len;
        int r = virtq_get(&rxq, &id, &len);
        if (r == 0)
            return 0;
        if (r < 0) {
            broken = 1;
            return -1;
        }
        long n = -1;
        if (len > NET_HDR && len <= BUF && len - NET_HDR <= cap) {
            n = (long)(len - NET_HDR);
            memcpy(buf, rx_bufs + (size_t)id * BUF + NET_HDR, (size_t)n);
        }
        uint16_t nid;
        virtq_add(&rxq, (uint64_t)(uintptr_t)(rx_bufs + (size_t)id * BUF), BUF, VIRTQ_DESC_F_WRITE, &nid);
        /* The free chain hands back the id just returned, so buffer and
         * descriptor stay paired. */
        if (virtq_should_notify(&rxq))
            outw(io + VIO_QUEUE_NOTIFY, 0);
        if (n >= 0) {
            stats.rx++;
            return n;
        }
        stats.rx_dropped++;
    }
}

int vnet_rx_pending(void) { return !broken && virtq_pending(&rxq); }

int vnet_send(const uint8_t *frame, size_t len)
{
    if (broken || len > BUF - NET_HDR)
        return -1;
    uint16_t id;
    uint32_t l;
    int r;
    while ((r = virtq_get(&txq, &id, &l)) > 0) /* reclaim what the device sent */
        ;
    if (r < 0) {
        broken = 1;
        return -1;
    }
    if (txq.nfree == 0) {
        stats.tx_full++;
        return -1;
    }
    /* The next descriptor off the free chain: its buffer is ours again. */
    uint16_t next = txq.free_head;
    uint8_t *b = tx_bufs + (size_t)next * BUF;
    memset(b, 0, NET_HDR);
    memcpy(b + NET_HDR, frame, len);
    virtq_add(&txq, (uint64_t)(uintptr_t)b, (uint32_t)(NET_HDR + len), 0, &id);
    if (virtq_should_notify(&txq))
        outw(io + VIO_QUEUE_NOTIFY, 1);
    stats.tx++;
    return 0;
}

const struct vnet_stats *vnet_stats(void) { return &stats; }
