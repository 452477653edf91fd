#include "appliance/tap/fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_percent(const char *v, size_t n, uint32_t *out)
{
    /* digits, optionally a point and up to 4 decimals; at most 100 */
    uint64_t whole = 0, frac = 0, scale = 1;
    size_t i = 0;
    if (n == 0)
        return -1;
    while (i < n && v[i] >= '0' && v[i] <= '9' && i < 3)
        whole = whole * 10u + (uint64_t)(v[i++] - '0');
    if (i == 0)
        return -1;
    if (i < n && v[i] == '.') {
        i++;
        size_t start = i;
        while (i < n && v[i] >= '0' && v[i] <= '9' && i - start < 4) {
            frac = frac * 10u + (uint64_t)(v[i++] - '0');
            scale *= 10u;
        }
        if (i == start)
            return -1;
    }
    if (i != n)
        return -1;
    uint64_t millionths = whole * 10000u + frac * 10000u / scale;
    if (millionths > 1000000u)
        return -1;
    *out = (uint32_t)millionths;
    return 0;
}

int fault_spec_from_string(const char *s, struct fault_spec *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = s;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq) {
            snprintf(err, errlen, "'%.*s': expected NAME=PERCENT", (int)len, p);
            return -1;
        }
        size_t klen = (size_t)(eq - p);
        uint32_t *field = NULL;
        if (klen == 4 && memcmp(p, "drop", 4) == 0)
            field = &out->drop;
        else if (klen == 3 && memcmp(p, "dup", 3) == 0)
            field = &out->dup;
        else if (klen == 7 && memcmp(p, "reorder", 7) == 0)
            field = &out->reorder;
        else if (klen == 7 && memcmp(p, "corrupt", 7) == 0)
            field = &out->corrupt;
        if (!field) {
            snprintf(err, errlen, "'%.*s': fault must be drop, dup, reorder or corrupt", (int)klen, p);
            return -1;
        }
        if (parse_percent(eq + 1, len - klen - 1, field) != 0) {
            snprintf(err, errlen, "'%.*s': percentage must be 0 to 100 (e.g. 2 or 0.5)", (int)len, p);
            return -1;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

int fault_active(const struct fault_spec *f)
{
    return f->drop || f->dup || f->reorder || f->corrupt;
}

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
