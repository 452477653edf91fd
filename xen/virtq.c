/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/virtq.h"

#include <string.h>

/* Orders our ring writes before the index the device reads, and its index
 * before the entries we read. x86 keeps stores in order and loads in
 * order, so the compiler is all that must be held back. */
#define ORDER() __asm__ volatile("" ::: "memory")

/* The flags of a descriptor we hold (no valid combination): an id the
 * device returns twice is caught by it. */
#define DESC_FREE 0xffffu

static size_t align_up(size_t v) { return (v + VIRTQ_ALIGN - 1) & ~(size_t)(VIRTQ_ALIGN - 1); }

static size_t used_offset(uint16_t size)
{
    return align_up(16u * (size_t)size + 2u * (3u + (size_t)size));
}

size_t virtq_bytes(uint16_t size)
{
    if (size == 0 || size > 32768u || (size & (size - 1)) != 0)
        return 0;
    return used_offset(size) + align_up(2u * 3u + 8u * (size_t)size);
}

int virtq_init(struct virtq *q, void *mem, uint16_t size)
{
    size_t n = virtq_bytes(size);
    if (n == 0 || ((uintptr_t)mem & (VIRTQ_ALIGN - 1)) != 0)
        return -1;
    memset(mem, 0, n);
    q->size = size;
    q->desc = mem;
    q->avail = (volatile struct virtq_avail *)((uint8_t *)mem + 16u * (size_t)size);
    q->used = (volatile struct virtq_used *)((uint8_t *)mem + used_offset(size));
    q->avail_idx = 0;
    q->last_used = 0;
    q->nfree = size;
    q->free_head = 0;
    for (uint16_t i = 0; i < size; i++) {
        q->desc[i].next = (uint16_t)(i + 1);
        q->desc[i].flags = DESC_FREE;
    }
    return 0;
}

int virtq_add(struct virtq *q, uint64_t addr, uint32_t len, uint16_t flags, uint16_t *id)
{
    if (q->nfree == 0)
        return -1;
    uint16_t d = q->free_head;
    q->free_head = q->desc[d].next;
    q->nfree--;
    q->desc[d].addr = addr;
    q->desc[d].len = len;
    q->desc[d].flags = (uint16_t)(flags & (VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE));
    q->avail->ring[q->avail_idx & (q->size - 1)] = d;
    ORDER();
    q->avail_idx++;
    q->avail->idx = q->avail_idx;
    *id = d;
    return 0;
}

int virtq_pending(const struct virtq *q)
{
    return q->used->idx != q->last_used;
}

int virtq_get(struct virtq *q, uint16_t *id, uint32_t *len)
{
    if (q->used->idx == q->last_used)
        return 0;
    ORDER();
    /* The device owns at most size - nfree buffers: a used index further
     * ahead than that, or an id out of range, is a broken device. */
    if ((uint16_t)(q->used->idx - q->last_used) > (uint16_t)(q->size - q->nfree))
        return -1;
    volatile struct virtq_used_elem *e = &q->used->ring[q->last_used & (q->size - 1)];
    uint32_t d = e->id, l = e->len;
    if (d >= q->size || q->desc[d].flags == DESC_FREE)
        return -1;
    q->last_used++;
    q->desc[d].next = q->free_head;
    q->desc[d].flags = DESC_FREE;
    q->free_head = (uint16_t)d;
    q->nfree++;
    *id = (uint16_t)d;
    *len = l;
    return 1;
}

int virtq_should_notify(const struct virtq *q)
{
    ORDER();
    return !(q->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}
