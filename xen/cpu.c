/* SPDX-License-Identifier: Apache-2.0 */
/* Mirrors wolfCrypt 5.5.4's cpuid.c with mk/wolfcrypt/cpuid.patch: only
 * GenuineIntel and AuthenticAMD get assembly (any other vendor its C code);
 * AVX (CPUID.1:ECX[28]) and AVX2 (CPUID.7:EBX[5]) only with the YMM state
 * enabled in XCR0 (boot.S does it); AES-NI only with PCLMULQDQ, SSSE3 and
 * SSE4.1, which its GCM also executes; the MULX/ADX big-number code (which uses AVX2 as well) only
 * with BMI2, ADX and AVX2. */
#include <string.h>

#include "xen/cpu.h"

static void put(char *out, size_t cap, size_t *n, const char *s)
{
    for (; *s; s++) {
        if (*n + 1 < cap)
            out[*n] = *s;
        (*n)++;
    }
    if (cap)
        out[*n < cap ? *n : cap - 1] = '\0';
}

void cpu_simd_describe(const struct cpu_ids *c, char *out, size_t cap)
{
    size_t n = 0;
    char vendor[13];
    memcpy(vendor, &c->leaf0[1], 4);
    memcpy(vendor + 4, &c->leaf0[3], 4);
    memcpy(vendor + 8, &c->leaf0[2], 4);
    vendor[12] = '\0';
    put(out, cap, &n, "cpu: ");
    if (strcmp(vendor, "GenuineIntel") != 0 && strcmp(vendor, "AuthenticAMD") != 0) {
        put(out, cap, &n, "vendor ");
        put(out, cap, &n, vendor);
        put(out, cap, &n, ": portable crypto (wolfCrypt's dispatch knows only Intel and AMD)");
        return;
    }
    uint32_t e1 = c->leaf1_ecx, b7 = c->leaf7_ebx;
    int ymm = (c->xcr0 & 6) == 6;
    int avx = ymm && ((e1 >> 28) & 1), avx2 = ymm && ((b7 >> 5) & 1);
    int gcm_helpers = ((e1 >> 1) & 1) && ((e1 >> 9) & 1) && ((e1 >> 19) & 1); /* PCLMULQDQ SSSE3 SSE4.1 */
    if ((e1 >> 25) & 1 && gcm_helpers)
        put(out, cap, &n, "aes-ni pclmul");
    else if ((e1 >> 25) & 1)
        put(out, cap, &n, "AES-NI without PCLMULQDQ/SSSE3/SSE4.1: portable AES-GCM");
    else
        put(out, cap, &n, "no AES-NI: portable AES-GCM");
    if (avx)
        put(out, cap, &n, " avx");
    if (avx2)
        put(out, cap, &n, " avx2");
    if (avx2 && ((b7 >> 8) & 1) && ((b7 >> 19) & 1))
        put(out, cap, &n, " bmi2 adx");
    if (!ymm && (((e1 >> 28) & 1) || ((b7 >> 5) & 1)))
        put(out, cap, &n, " (AVX offered, its state not enabled: unused)");
}
