/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/alloc.h"

#include <string.h>

/* Each block starts with a 16-byte header (its class and a check word), so
 * the payload stays 16-aligned like glibc's malloc. */
#define HDR 16u
#define MAGIC 0x6174306c6c6f63ull

struct hdr {
    uint64_t cls;
    uint64_t magic;
};

void heap_init(struct heap *h, void *mem, size_t len)
{
    memset(h, 0, sizeof *h);
    uintptr_t a = ((uintptr_t)mem + 15u) & ~(uintptr_t)15u;
    uintptr_t e = ((uintptr_t)mem + len) & ~(uintptr_t)15u;
    h->base = h->brk = (uint8_t *)a;
    h->end = (uint8_t *)(e > a ? e : a);
}

static int class_of(size_t size)
{
    int c = 0;
    while (c < HEAP_CLASSES && ((size_t)16 << c) < size)
        c++;
    return c;
}

void *heap_alloc(struct heap *h, size_t size)
{
    if (size > ((size_t)1 << 42)) {
        h->failures++;
        return NULL;
    }
    int c = class_of(size + HDR);
    size_t bytes = (size_t)16 << c;
    struct hdr *b = h->free_list[c];
    if (b) {
        h->free_list[c] = *(void **)(b + 1);
    } else {
        if ((size_t)(h->end - h->brk) < bytes) {
            h->failures++;
            return NULL;
        }
        b = (struct hdr *)h->brk;
        h->brk += bytes;
    }
    b->cls = (uint64_t)c;
    b->magic = MAGIC;
    h->in_use += bytes;
    if (h->in_use > h->peak)
        h->peak = h->in_use;
    return b + 1;
}

void *heap_calloc(struct heap *h, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        h->failures++;
        return NULL;
    }
    void *p = heap_alloc(h, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void heap_free(struct heap *h, void *p)
{
    if (!p)
        return;
    struct hdr *b = (struct hdr *)p - 1;
    /* A bad pointer or a double free would corrupt a free list silently;
     * refusing it keeps the heap intact (the caller's bug stays visible in
     * the failure count). */
    if (b->magic != MAGIC || b->cls >= HEAP_CLASSES || (uint8_t *)b < h->base || (uint8_t *)b >= h->brk) {
        h->failures++;
        return;
    }
    int c = (int)b->cls;
    b->magic = 0;
    *(void **)(b + 1) = h->free_list[c];
    h->free_list[c] = b;
    h->in_use -= (size_t)16 << c;
}

size_t heap_block_size(const void *p)
{
    const struct hdr *b = (const struct hdr *)p - 1;
    return ((size_t)16 << b->cls) - HDR;
}

void *heap_page_alloc(struct heap *h)
{
    uint8_t *pg = h->free_pages;
    if (pg) {
        h->free_pages = *(void **)pg;
    } else {
        uintptr_t top = (uintptr_t)h->end & ~(uintptr_t)4095u;
        if (top < 4096u || top - 4096u < (uintptr_t)h->brk) {
            h->failures++;
            return NULL;
        }
        pg = (uint8_t *)(top - 4096u);
        h->end = pg;
        h->pages++;
    }
    memset(pg, 0, 4096);
    h->in_use += 4096;
    if (h->in_use > h->peak)
        h->peak = h->in_use;
    return pg;
}

void heap_page_free(struct heap *h, void *page)
{
    uint8_t *pg = page;
    if (!pg || ((uintptr_t)pg & 4095u) || pg < h->end || pg >= h->end + h->pages * 4096u) {
        if (pg)
            h->failures++;
        return;
    }
    *(void **)pg = h->free_pages;
    h->free_pages = pg;
    h->in_use -= 4096;
}

size_t heap_avail(const struct heap *h)
{
    return h->end > h->brk ? (size_t)(h->end - h->brk) : 0;
}

void *heap_take(struct heap *h, size_t len)
{
    len = (len + 15u) & ~(size_t)15u;
    if (len > heap_avail(h)) {
        h->failures++;
        return NULL;
    }
    uint8_t *p = h->brk;
    h->brk += len;
    memset(p, 0, len);
    h->in_use += len;
    if (h->in_use > h->peak)
        h->peak = h->in_use;
    return p;
}
