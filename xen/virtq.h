/* SPDX-License-Identifier: Apache-2.0 */
/* A legacy (virtio 0.9.5) split virtqueue, driver side: the descriptor
 * table, the available ring we fill and the used ring the device fills,
 * in the layout a legacy device expects at its queue PFN. Pure: the host
 * tests play the device. */
#ifndef ATOLL_XEN_VIRTQ_H
#define ATOLL_XEN_VIRTQ_H

#include <stddef.h>
#include <stdint.h>

#define VIRTQ_ALIGN 4096u
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u
#define VIRTQ_USED_F_NO_NOTIFY 1u

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};
struct virtq_avail {
    uint16_t flags, idx;
    uint16_t ring[];
};
struct virtq_used_elem {
    uint32_t id, len;
};
struct virtq_used {
    uint16_t flags, idx;
    struct virtq_used_elem ring[];
};

struct virtq {
    uint16_t size;  /* entries, as the device reports (a power of two) */
    volatile struct virtq_desc *desc;
    volatile struct virtq_avail *avail;
    volatile struct virtq_used *used;
    uint16_t avail_idx; /* our copy of avail->idx */
    uint16_t last_used; /* next used entry to consume */
    uint16_t nfree;     /* descriptors not handed to the device */
    uint16_t free_head; /* chain of free descriptors through .next */
};

/* Bytes the rings take for a queue of size entries (0 if size is not a
 * power of two between 1 and 32768). */
size_t virtq_bytes(uint16_t size);

/* Lays the queue over mem (VIRTQ_ALIGN-aligned, virtq_bytes long, zeroed
 * here). 0, or -1 on a bad size or alignment. */
int virtq_init(struct virtq *q, void *mem, uint16_t size);

/* Hands the device one buffer: 0 and the descriptor's id, or -1 when every
 * descriptor is in the device's hands. */
int virtq_add(struct virtq *q, uint64_t addr, uint32_t len, uint16_t flags, uint16_t *id);

/* Takes one used buffer back: 1 with its id and the length the device
 * wrote, 0 when none is pending, -1 if the device returned an id we did
 * not give it (a broken device: stop using the queue). */
int virtq_get(struct virtq *q, uint16_t *id, uint32_t *len);

/* Is a used buffer waiting? */
int virtq_pending(const struct virtq *q);

/* Should the device be notified of new buffers (it may say it needs not)? */
int virtq_should_notify(const struct virtq *q);

#endif
