/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/entropy.h"

#include <stdint.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "xen/io.h"

static int use_rdseed, use_rdrand;

int entropy_init(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t max = r[0];
    cpuid(1, 0, r);
    use_rdrand = (r[2] >> 30) & 1u;
    if (max >= 7) {
        cpuid(7, 0, r);
        use_rdseed = (r[1] >> 18) & 1u;
    }
    return use_rdseed || use_rdrand;
}

const char *entropy_source(void)
{
    return use_rdseed ? "RDSEED" : use_rdrand ? "RDRAND" : "TSC jitter (weak)";
}

static int hw64(uint64_t *v)
{
    for (int i = 0; i < 64; i++) {
        unsigned char ok;
        if (use_rdseed)
            __asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
        else
            __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
        if (ok)
            return 0;
        cpu_relax();
    }
    /* RDSEED may run dry under load; RDRAND reseeds from the same source. */
    if (use_rdseed && use_rdrand) {
        for (int i = 0; i < 64; i++) {
            unsigned char ok;
            __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
            if (ok)
                return 0;
        }
    }
    return -1;
}

/* Without RDRAND/RDSEED: the low bits of TSC deltas around port reads,
 * whose timing varies with the host, hashed 512 samples per 32 bytes. This
 * is WEAK (a virtual TSC may be predictable) and xen_main logs a warning
 * when it is the source; run on a CPU with RDRAND for real keys. */
static void jitter32(uint8_t out[32], uint64_t counter)
{
    mbedtls_sha256_context c;
    mbedtls_sha256_init(&c);
    mbedtls_sha256_starts_ret(&c, 0);
    mbedtls_sha256_update_ret(&c, (const uint8_t *)&counter, sizeof counter);
    uint64_t prev = rdtsc();
    for (int i = 0; i < 512; i++) {
        (void)inb(0x61);
        uint64_t t = rdtsc();
        uint64_t d = t - prev;
        prev = t;
        mbedtls_sha256_update_ret(&c, (const uint8_t *)&d, sizeof d);
    }
    mbedtls_sha256_finish_ret(&c, out);
    mbedtls_sha256_free(&c);
}

int entropy_fill(void *buf, size_t len)
{
    static uint64_t counter;
    uint8_t *p = buf;
    while (len) {
        uint8_t block[32];
        size_t n;
        if (use_rdseed || use_rdrand) {
            uint64_t v;
            if (hw64(&v) != 0)
                return -1;
            memcpy(block, &v, sizeof v);
            n = sizeof v;
        } else {
            jitter32(block, ++counter);
            n = sizeof block;
        }
        if (n > len)
            n = len;
        memcpy(p, block, n);
        memset(block, 0, sizeof block);
        p += n;
        len -= n;
    }
    return 0;
}
