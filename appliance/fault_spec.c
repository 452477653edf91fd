/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "appliance/fault_spec.h"

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
