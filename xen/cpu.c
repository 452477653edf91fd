/* SPDX-License-Identifier: Apache-2.0 */
/* Mirrors wolfCrypt 5.5.4's cpuid.c: it trusts only GenuineIntel and
 * AuthenticAMD (any other vendor gets its C code), takes AVX from
 * CPUID.1:ECX[28] and AVX2 from CPUID.7:EBX[5] without asking whether the
 * OS enabled their state, picks AES-NI GCM (which also executes PCLMULQDQ)
 * from CPUID.1:ECX[25] alone, and the MULX/ADX big-number code from BMI2 and
 * ADX. */
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

int cpu_simd_describe(const struct cpu_ids *c, char *out, size_t cap)
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
        return 0;
    }
    uint32_t e1 = c->leaf1_ecx, b7 = c->leaf7_ebx;
    int aesni = (e1 >> 25) & 1, pclmul = (e1 >> 1) & 1;
    int avx = (e1 >> 28) & 1, avx2 = (b7 >> 5) & 1;
    int ymm = (c->xcr0 & 6) == 6;
    int warn = 0;
    if (aesni) {
        put(out, cap, &n, "aes-ni");
        if (pclmul)
            put(out, cap, &n, " pclmul");
        else
            warn |= CPU_WARN_NO_PCLMUL;
    } else {
        put(out, cap, &n, "no AES-NI: portable AES-GCM");
    }
    if ((avx || avx2) && !ymm)
        warn |= CPU_WARN_AVX_STATE;
    if (avx && ymm)
        put(out, cap, &n, " avx");
    if (avx2 && ymm)
        put(out, cap, &n, " avx2");
    if (((b7 >> 8) & 1) && ((b7 >> 19) & 1))
        put(out, cap, &n, " bmi2 adx");
    return warn;
}
