/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/gnttab.h"

#define GNTTAB_MAX_REFS 4096u

static struct grant_entry_v1 *table;
static uint32_t nrefs;
/* Free refs as a stack: O(1) both ways, and a just-ended ref is reused
 * last-in-first-out, which keeps the working set of entries small. */
static grant_ref_t free_stack[GNTTAB_MAX_REFS];
static uint32_t nfree;

void gnttab_init(struct grant_entry_v1 *t, uint32_t n)
{
    table = t;
    nrefs = n < GNTTAB_MAX_REFS ? n : GNTTAB_MAX_REFS;
    nfree = 0;
    for (uint32_t r = nrefs; r-- > GNTTAB_RESERVED;)
        free_stack[nfree++] = r;
}

int gnttab_grant(uint16_t domid, uint64_t gfn, int readonly, grant_ref_t *ref)
{
    if (!nfree || gfn > 0xffffffffu) /* a v1 entry holds a 32-bit frame */
        return -1;
    grant_ref_t r = free_stack[--nfree];
    table[r].frame = (uint32_t)gfn;
    table[r].domid = domid;
    /* Xen may use the entry as soon as the flags say so: frame and domain
     * must be visible first. */
    __atomic_store_n(&table[r].flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0u)),
                     __ATOMIC_RELEASE);
    *ref = r;
    return 0;
}

int gnttab_end(grant_ref_t ref)
{
    if (ref < GNTTAB_RESERVED || ref >= nrefs)
        return -1;
    uint16_t flags = __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);
    do {
        /* Mapped or being copied by the backend: the page is still its. */
        if (flags & (GTF_reading | GTF_writing))
            return -1;
    } while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    if (!(flags & GTF_permit_access))
        return -1; /* not granted: ending it twice must not free it twice */
    free_stack[nfree++] = ref;
    return 0;
}

uint32_t gnttab_free_count(void) { return nfree; }
