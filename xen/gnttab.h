/* SPDX-License-Identifier: Apache-2.0 */
/* Grant tables, version 1: which of our pages a backend domain may map or
 * copy. The table lives in frames Xen maps into our physical address space
 * (gnttab_setup in platform code); the bookkeeping here is pure and tested
 * on the host over a table in ordinary memory. */
#ifndef ATOLL_XEN_GNTTAB_H
#define ATOLL_XEN_GNTTAB_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t grant_ref_t;

/* One v1 entry as Xen reads it. */
struct grant_entry_v1 {
    uint16_t flags;
    uint16_t domid;
    uint32_t frame;
};
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant entry v1 layout");

#define GTF_permit_access 1u
#define GTF_readonly      (1u << 2)
#define GTF_reading       (1u << 3)
#define GTF_writing       (1u << 4)

/* The first refs are reserved for the toolstack (console, xenstore). */
#define GNTTAB_RESERVED 8u

/* Takes over a zeroed table of n entries. */
void gnttab_init(struct grant_entry_v1 *table, uint32_t n);
/* Lets domid access frame gfn (read-only when readonly). 0 with *ref, or
 * -1 when every entry is in use. */
int gnttab_grant(uint16_t domid, uint64_t gfn, int readonly, grant_ref_t *ref);
/* Revokes a grant. 0 when revoked (the ref is free again), -1 while the
 * backend still maps the page: the grant stays and the caller must not
 * reuse the page; try again later. */
int gnttab_end(grant_ref_t ref);
/* Entries free for gnttab_grant. */
uint32_t gnttab_free_count(void);

/* Our pages are identity-mapped (guest physical = virtual): a frame number
 * is the address over 4096. */
static inline uint64_t xen_gfn(const void *p) { return (uint64_t)(uintptr_t)p >> 12; }
static inline void *xen_gfn_ptr(uint64_t gfn) { return (void *)(uintptr_t)(gfn << 12); }

/* Page-aligned, zeroed 4 KiB pages for rings and buffers (the heap in the
 * image, aligned_alloc in tests); NULL when memory is exhausted. */
void *xen_page_alloc(void);
void xen_page_free(void *page);

#endif
