/* SPDX-License-Identifier: Apache-2.0 */
/* The PVH image's boot line naming the crypto's SIMD (xen/cpu.c) on the
 * CPUID values of the CPUs it meets: this machine's EPYC, nested Xen (AES-NI,
 * BMI2 and ADX but no AVX), QEMU's qemu64 (nothing), another vendor; what
 * wolfCrypt (mk/wolfcrypt/cpuid.patch) leaves unused: AVX without its state,
 * AES-NI without PCLMULQDQ, SSSE3 or SSE4.1; truncation. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "xen/cpu.h"

#include "xen/cpu.c"

#define E1_PCLMUL (1u << 1)
#define E1_SSSE3 (1u << 9)
#define E1_SSE41 (1u << 19)
#define E1_GCM (E1_PCLMUL | E1_SSSE3 | E1_SSE41)
#define E1_XSAVE (1u << 26)
#define E1_AES (1u << 25)
#define E1_AVX (1u << 28)
#define B7_AVX2 (1u << 5)
#define B7_BMI2 (1u << 8)
#define B7_ADX (1u << 19)

static struct cpu_ids ids(const char vendor[13], uint32_t e1, uint32_t b7, uint64_t xcr0)
{
    struct cpu_ids c = {.leaf0 = {0xd}, .leaf1_ecx = e1, .leaf7_ebx = b7, .xcr0 = xcr0};
    memcpy(&c.leaf0[1], vendor, 4);
    memcpy(&c.leaf0[3], vendor + 4, 4);
    memcpy(&c.leaf0[2], vendor + 8, 4);
    return c;
}

static void test_epyc(void **state)
{
    (void)state;
    char line[128];
    struct cpu_ids c = ids("AuthenticAMD", E1_GCM | E1_AES | E1_XSAVE | E1_AVX, B7_AVX2 | B7_BMI2 | B7_ADX, 7);
    cpu_simd_describe(&c, line, sizeof line);
    assert_string_equal(line, "cpu: aes-ni pclmul avx avx2 bmi2 adx");
}

static void test_nested_xen(void **state)
{
    (void)state;
    char line[128];
    struct cpu_ids c = ids("GenuineIntel", E1_GCM | E1_AES | E1_XSAVE, B7_BMI2 | B7_ADX, 3);
    cpu_simd_describe(&c, line, sizeof line);
    assert_string_equal(line, "cpu: aes-ni pclmul");
}

static void test_qemu64(void **state)
{
    (void)state;
    char line[128];
    struct cpu_ids c = ids("AuthenticAMD", 0x80002001u, 0, 0);
    cpu_simd_describe(&c, line, sizeof line);
    assert_string_equal(line, "cpu: no AES-NI: portable AES-GCM");
}

static void test_other_vendor(void **state)
{
    (void)state;
    char line[128];
    struct cpu_ids c = ids("HygonGenuine", E1_GCM | E1_AES | E1_XSAVE | E1_AVX, B7_AVX2, 7);
    cpu_simd_describe(&c, line, sizeof line);
    assert_string_equal(line, "cpu: vendor HygonGenuine: portable crypto (wolfCrypt's dispatch knows only Intel and AMD)");
}

static void test_avx_without_state(void **state)
{
    (void)state;
    char line[128];
    struct cpu_ids c = ids("GenuineIntel", E1_GCM | E1_AES | E1_AVX, B7_AVX2 | B7_BMI2 | B7_ADX, 0);
    cpu_simd_describe(&c, line, sizeof line);
    assert_string_equal(line, "cpu: aes-ni pclmul (AVX offered, its state not enabled: unused)");
    c = ids("GenuineIntel", E1_GCM | E1_AES | E1_XSAVE | E1_AVX, B7_AVX2, 3);
    cpu_simd_describe(&c, line, sizeof line);
    assert_string_equal(line, "cpu: aes-ni pclmul (AVX offered, its state not enabled: unused)");
}

static void test_aes_without_pclmul(void **state)
{
    (void)state;
    char line[128];
    struct cpu_ids c = ids("AuthenticAMD", E1_AES, 0, 0);
    cpu_simd_describe(&c, line, sizeof line);
    assert_string_equal(line, "cpu: AES-NI without PCLMULQDQ/SSSE3/SSE4.1: portable AES-GCM");
    c = ids("AuthenticAMD", E1_AES | E1_PCLMUL | E1_SSSE3, 0, 0); /* qemu64,+aes,+pclmulqdq,+ssse3 */
    cpu_simd_describe(&c, line, sizeof line);
    assert_string_equal(line, "cpu: AES-NI without PCLMULQDQ/SSSE3/SSE4.1: portable AES-GCM");
}

static void test_truncation(void **state)
{
    (void)state;
    char line[8];
    memset(line, 'x', sizeof line);
    struct cpu_ids c = ids("AuthenticAMD", E1_GCM | E1_AES, 0, 0);
    cpu_simd_describe(&c, line, sizeof line);
    assert_string_equal(line, "cpu: ae");
    char none = 'x';
    cpu_simd_describe(&c, &none, 0);
    assert_int_equal(none, 'x');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epyc),          cmocka_unit_test(test_nested_xen),
        cmocka_unit_test(test_qemu64),        cmocka_unit_test(test_other_vendor),
        cmocka_unit_test(test_avx_without_state), cmocka_unit_test(test_aes_without_pclmul),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
