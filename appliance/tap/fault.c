/* SPDX-License-Identifier: Apache-2.0 */
#include "appliance/tap/fault.h"

#include <string.h>

void fault_dir_init(struct fault_dir *d, const struct fault_spec *spec, uint64_t seed)
{
    memset(d, 0, sizeof *d);
    d->spec = *spec;
    d->rng = seed ? seed : 0x853c49e6748fea9bULL;
}

static uint32_t roll(struct fault_dir *d)
{
    uint64_t x = d->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    d->rng = x;
    return (uint32_t)(x % 1000000u);
}

void fault_flush(struct fault_dir *d, fault_deliver_fn fn, void *ctx)
{
    if (d->held) {
        d->held = 0;
        fn(ctx, d->held_frame, d->held_len);
    }
}

void fault_apply(struct fault_dir *d, const uint8_t *frame, size_t len, fault_deliver_fn fn, void *ctx)
{
    if (len > sizeof d->scratch || !fault_active(&d->spec)) {
        fn(ctx, frame, len);
        return;
    }
    if (roll(d) < d->spec.drop) {
        d->dropped++;
        return;
    }
    memcpy(d->scratch, frame, len);
    if (len > 14 && roll(d) < d->spec.corrupt) {
        /* Past the Ethernet header, so the checksums must catch it. */
        size_t pos = 14 + roll(d) % (len - 14);
        d->scratch[pos] ^= (uint8_t)(1u + roll(d) % 255u);
        d->corrupted++;
    }
    int dup = roll(d) < d->spec.dup;
    if (!d->held && roll(d) < d->spec.reorder) {
        memcpy(d->held_frame, d->scratch, len);
        d->held_len = len;
        d->held = 1;
        d->reordered++;
        return;
    }
    fn(ctx, d->scratch, len);
    if (dup) {
        d->duplicated++;
        fn(ctx, d->scratch, len);
    }
    fault_flush(d, fn, ctx);
}
