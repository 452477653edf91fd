/* SPDX-License-Identifier: Apache-2.0 */
/* The heap (xen/alloc.c over the arena xen_main picks), numbers, time, and
 * the fortify and stack-protector hooks. */
#include <limits.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xen/alloc.h"
#include "xen/clock.h"
#include "xen/libc/libc.h"
#include "xen/trap.h"

struct heap xen_heap;

void *malloc(size_t n) { return heap_alloc(&xen_heap, n); }
void *calloc(size_t n, size_t size) { return heap_calloc(&xen_heap, n, size); }
void free(void *p) { heap_free(&xen_heap, p); }

void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    size_t have = heap_block_size(p);
    if (n <= have)
        return p;
    void *q = malloc(n);
    if (q) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    const char *p = s;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        ((p[2] >= '0' && p[2] <= '9') || ((p[2] | 32) >= 'a' && (p[2] | 32) <= 'f'))) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    unsigned long v = 0;
    int any = 0, over = 0;
    for (;; p++) {
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if ((*p | 32) >= 'a' && (*p | 32) <= 'z')
            d = (*p | 32) - 'a' + 10;
        else
            break;
        if (d >= base)
            break;
        any = 1;
        if (v > (ULONG_MAX - (unsigned long)d) / (unsigned long)base)
            over = 1;
        else
            v = v * (unsigned long)base + (unsigned long)d;
    }
    if (end)
        *end = (char *)(any ? p : s);
    if (over) {
        errno = ERANGE;
        return ULONG_MAX;
    }
    return neg ? -v : v;
}

static uint64_t rand_state = 0x853c49e6748fea9bull;

int rand(void)
{
    rand_state ^= rand_state << 13;
    rand_state ^= rand_state >> 7;
    rand_state ^= rand_state << 17;
    return (int)(rand_state >> 33);
}

void srand(unsigned seed) { rand_state = seed ? seed : 1; }

time_t time(time_t *t)
{
    time_t now = (time_t)clock_unix_s();
    if (t)
        *t = now;
    return now;
}

struct tm *gmtime_r(const time_t *restrict t, struct tm *restrict out)
{
    libc_civil((int64_t)*t, out);
    return out;
}

void __stack_chk_fail(void) { crash("stack smashing detected (canary overwritten)"); }

void *__memcpy_chk(void *d, const void *s, size_t n, size_t dlen);
void *__memcpy_chk(void *d, const void *s, size_t n, size_t dlen)
{
    if (n > dlen)
        crash("__memcpy_chk: buffer overflow");
    return memcpy(d, s, n);
}

void *__memmove_chk(void *d, const void *s, size_t n, size_t dlen);
void *__memmove_chk(void *d, const void *s, size_t n, size_t dlen)
{
    if (n > dlen)
        crash("__memmove_chk: buffer overflow");
    return memmove(d, s, n);
}

void *__memset_chk(void *d, int c, size_t n, size_t dlen);
void *__memset_chk(void *d, int c, size_t n, size_t dlen)
{
    if (n > dlen)
        crash("__memset_chk: buffer overflow");
    return memset(d, c, n);
}

void abort(void) { crash("abort() called"); }
