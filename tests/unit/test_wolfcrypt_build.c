/* SPDX-License-Identifier: Apache-2.0 */
/* The wolfCrypt archive mk/wolfcrypt.sh builds (build/wolfcrypt/host),
 * on published vectors: AES-128-GCM (the GCM paper's test case 4),
 * X25519 (RFC 7748 5.2), SHA-256 and SHA-384 of "abc", and a P-256
 * sign/verify round trip through the DRBG seeded by our callback. Each
 * runs three times, in forked children whose CPUID flags wolfCrypt is told
 * differ: everything this CPU has, no AVX (what nested Xen gives), and
 * nothing (QEMU's qemu64): every assembly routine and its C fallback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/cpuid.h>
#include <wolfssl/wolfcrypt/curve25519.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/sha512.h>

static void unhex(const char *h, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

/* The seed wolfCrypt's DRBG asks for (user_settings.h), defined here as the
 * backend defines it there: a counter, so the test sees it was asked. */
static int seed_calls;
static int seed_fails;
int atoll_wolfcrypt_seed(struct OS_Seed *os, unsigned char *out, unsigned int sz)
{
    (void)os;
    seed_calls++;
    if (seed_fails)
        return -1;
    for (unsigned i = 0; i < sz; i++)
        out[i] = (unsigned char)(i * 131 + (unsigned)seed_calls);
    return 0;
}

static void sha2_abc(void **state)
{
    (void)state;
    uint8_t got[WC_SHA384_DIGEST_SIZE], want[WC_SHA384_DIGEST_SIZE];
    assert_int_equal(wc_Sha256Hash((const byte *)"abc", 3, got), 0);
    unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", want, 32);
    assert_memory_equal(got, want, 32);
    assert_int_equal(wc_Sha384Hash((const byte *)"abc", 3, got), 0);
    unhex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
          "8086072ba1e7cc2358baeca134c825a7", want, 48);
    assert_memory_equal(got, want, 48);
}

static void aes128_gcm(void **state)
{
    (void)state;
    uint8_t key[16], iv[12], aad[20], pt[60], ct[60], tag[16], want[60], want_tag[16], back[60];
    unhex("feffe9928665731c6d6a8f9467308308", key, 16);
    unhex("cafebabefacedbaddecaf888", iv, 12);
    unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, 20);
    unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
          "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39", pt, 60);
    unhex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
          "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091", want, 60);
    unhex("5bc94fbc3221a5db94fae95ae7121a47", want_tag, 16);
    Aes aes;
    assert_int_equal(wc_AesInit(&aes, NULL, INVALID_DEVID), 0);
    assert_int_equal(wc_AesGcmSetKey(&aes, key, 16), 0);
    assert_int_equal(wc_AesGcmEncrypt(&aes, ct, pt, 60, iv, 12, tag, 16, aad, 20), 0);
    assert_memory_equal(ct, want, 60);
    assert_memory_equal(tag, want_tag, 16);
    assert_int_equal(wc_AesGcmDecrypt(&aes, back, ct, 60, iv, 12, tag, 16, aad, 20), 0);
    assert_memory_equal(back, pt, 60);
    tag[15] ^= 1;
    assert_int_not_equal(wc_AesGcmDecrypt(&aes, back, ct, 60, iv, 12, tag, 16, aad, 20), 0);
    wc_AesFree(&aes);
}

static void x25519_rfc7748(void **state)
{
    (void)state;
    uint8_t k[32], u[32], got[32], want[32];
    unhex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", k, 32);
    unhex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", u, 32);
    unhex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552", want, 32);
    /* wolfCrypt refuses an unclamped scalar; X25519 clamps it anyway, so
     * clamping first leaves the RFC's answer unchanged. */
    assert_int_not_equal(wc_curve25519_generic(32, got, 32, k, 32, u), 0);
    k[0] &= 248;
    k[31] = (uint8_t)((k[31] & 127) | 64);
    assert_int_equal(wc_curve25519_generic(32, got, 32, k, 32, u), 0);
    assert_memory_equal(got, want, 32);
}

static void p256_sign_verify(void **state)
{
    (void)state;
    WC_RNG rng;
    ecc_key key;
    uint8_t hash[32], sig[ECC_MAX_SIG_SIZE];
    word32 siglen = sizeof sig;
    int ok = 0;
    seed_calls = 0;
    assert_int_equal(wc_InitRng(&rng), 0);
    assert_true(seed_calls > 0);
    assert_int_equal(wc_ecc_init(&key), 0);
    assert_int_equal(wc_ecc_make_key_ex(&rng, 32, &key, ECC_SECP256R1), 0);
    assert_int_equal(wc_Sha256Hash((const byte *)"abc", 3, hash), 0);
    assert_int_equal(wc_ecc_sign_hash(hash, 32, sig, &siglen, &rng, &key), 0);
    assert_int_equal(wc_ecc_verify_hash(sig, siglen, hash, 32, &ok, &key), 0);
    assert_int_equal(ok, 1);
    hash[0] ^= 1;
    assert_int_equal(wc_ecc_verify_hash(sig, siglen, hash, 32, &ok, &key), 0);
    assert_int_equal(ok, 0);
    wc_ecc_free(&key);
    wc_FreeRng(&rng);
}

/* A failing seed must fail the DRBG, not leave it running unseeded. */
static void rng_seed_failure(void **state)
{
    (void)state;
    WC_RNG rng;
    seed_fails = 1;
    assert_int_not_equal(wc_InitRng(&rng), 0);
    seed_fails = 0;
}

static int run(const char *name, word32 keep)
{
    /* cpuid_get_flags() reads CPUID once; only after that does a
     * selection stick (a later first read would OR the CPU's back). */
    word32 flags = cpuid_get_flags() & keep;
    cpuid_select_flags(flags);
    printf("wolfCrypt CPU flags %s: 0x%x\n", name, (unsigned)flags);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha2_abc),         cmocka_unit_test(aes128_gcm),
        cmocka_unit_test(x25519_rfc7748),   cmocka_unit_test(p256_sign_verify),
        cmocka_unit_test(rng_seed_failure),
    };
    return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof tests[0], NULL, NULL);
}

int main(void)
{
    static const struct {
        const char *name;
        word32 keep;
    } sets[] = {
        {"wolfcrypt_native", ~0u},
        {"wolfcrypt_no_avx", ~(word32)(CPUID_AVX1 | CPUID_AVX2)},
        {"wolfcrypt_portable", 0},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0)
            return 1;
        if (pid == 0) {
            int rc = run(sets[i].name, sets[i].keep);
            fflush(stdout);
            _exit(rc ? 1 : 0);
        }
        int st;
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            bad = 1;
    }
    return bad;
}
