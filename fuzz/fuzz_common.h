/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the Atoll fuzz harnesses.
 *
 * Every harness copies the input into a heap buffer of exactly its size,
 * so AddressSanitizer reports any read past `len`, and checks the parser's
 * header contract at run time: a violation calls abort(), which AFL++
 * records as a crash. */
#ifndef ATOLL_FUZZ_COMMON_H
#define ATOLL_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline _Noreturn void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: contract violated: %s\n", file, line, what);
    abort();
}

#define FUZZ_CHECK(cond)                                                                                   \
    do {                                                                                                   \
        if (!(cond))                                                                                       \
            fuzz_fail(#cond, __FILE__, __LINE__);                                                          \
    } while (0)

/* An exactly-sized heap copy (size 0 gives a 1-byte block the callee may not read). */
static inline uint8_t *fuzz_dup(const uint8_t *data, size_t size)
{
    uint8_t *p = malloc(size ? size : 1);
    if (p == NULL)
        abort();
    if (size)
        memcpy(p, data, size);
    return p;
}

/* An exactly-sized, pattern-filled heap buffer for emitters to write into. */
static inline uint8_t *fuzz_alloc(size_t size, uint8_t fill)
{
    uint8_t *p = malloc(size ? size : 1);
    if (p == NULL)
        abort();
    memset(p, fill, size ? size : 1);
    return p;
}

static inline uint32_t fuzz_rd16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t fuzz_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void fuzz_wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void fuzz_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Reference RFC 1071 sum, written independently of tcpip/checksum.c:
 * accumulate 16-bit words in 64 bits, fold the carries at the end. */
static inline uint64_t fuzz_sum_raw(uint64_t acc, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        acc += (uint64_t)p[i] << 8 | p[i + 1];
    if (i < n)
        acc += (uint64_t)p[i] << 8;
    return acc;
}

static inline uint32_t fuzz_fold(uint64_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffffu) + (acc >> 16);
    return (uint32_t)acc;
}

/* Does the region carry a valid Internet checksum (sums to 0xffff)? */
static inline int fuzz_csum_ok(uint64_t acc, const uint8_t *p, size_t n)
{
    return fuzz_fold(fuzz_sum_raw(acc, p, n)) == 0xffffu;
}

static inline uint64_t fuzz_pseudo(uint32_t src, uint32_t dst, uint32_t proto, uint32_t len)
{
    return (uint64_t)(src >> 16) + (src & 0xffffu) + (dst >> 16) + (dst & 0xffffu) + proto + len;
}

/* The value to store in a zeroed checksum field. */
static inline uint16_t fuzz_csum_value(uint64_t acc)
{
    return (uint16_t)~fuzz_fold(acc);
}

#endif
