/* SPDX-License-Identifier: Apache-2.0 */
/* The heap mbedtls allocates from (calloc/free), over one arena. Blocks come
 * in power-of-two size classes, each with its own free list: O(1), and a
 * freed block is reused by the next request of its class, so the handshake
 * pattern (the same sizes again and again) does not fragment. Pure: tested
 * on the host. */
#ifndef ATOLL_XEN_ALLOC_H
#define ATOLL_XEN_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_CLASSES 40 /* 16 B .. 2^43 B */

struct heap {
    uint8_t *base, *brk, *end;
    void *free_list[HEAP_CLASSES];
    size_t in_use;   /* bytes of live blocks, headers included */
    size_t peak;
    size_t failures; /* requests refused */
    void *free_pages; /* pages given back, for heap_page_alloc */
    size_t pages;     /* pages taken from the top of the arena */
};

void heap_init(struct heap *h, void *mem, size_t len);
void *heap_alloc(struct heap *h, size_t size);
void *heap_calloc(struct heap *h, size_t n, size_t size);
void heap_free(struct heap *h, void *p);
/* Page-aligned 4 KiB pages (rings, grant buffers) from the top of the arena
 * downwards, so they cost no size-class rounding; zeroed. Freed pages are
 * kept for the next heap_page_alloc. */
void *heap_page_alloc(struct heap *h);
void heap_page_free(struct heap *h, void *page);
/* Bytes not yet handed out (between the blocks and the pages). */
size_t heap_avail(const struct heap *h);
/* len bytes for good (the connection table and the pools), 16-aligned and
 * zeroed, from the bottom of what is left; NULL when they do not fit. */
void *heap_take(struct heap *h, size_t len);
/* The usable size of a live block (realloc). */
size_t heap_block_size(const void *p);

#endif
