/* SPDX-License-Identifier: Apache-2.0 */
/* A backend of include/atoll/tls_crypto.h against published vectors (FIPS 180-2, RFC
 * 4231, RFC 5869, the GCM spec, RFC 8439, RFC 7748), the DRBG's
 * determinism, invalid key shares, and signatures both ways with keys and
 * signatures made by openssl (tests/unit/data/make_tls_certs.sh). This file
 * tests mbedtls; test_tls_crypto_wolfcrypt.c includes it with
 * TEST_WOLFCRYPT defined, so both backends answer the same vectors. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tls_testutil.h"

#ifdef TEST_WOLFCRYPT
#include "tls/backend/wolfcrypt/crypto_wolfcrypt.h"
typedef struct tls_wolfcrypt_state be_state;
typedef struct tls_wolfcrypt_key be_key;
#define be_init tls_crypto_wolfcrypt_init
#define be_free tls_crypto_wolfcrypt_free
#define be_key_load tls_crypto_wolfcrypt_key_load
#define be_key_free tls_crypto_wolfcrypt_key_free
#define BE_OPS tls_crypto_wolfcrypt_ops
#define BE_NAME "wolfcrypt"
#define BE_SEED_MIN TLS_WOLFCRYPT_SEED_MIN
#define BE_SEED_MAX TLS_WOLFCRYPT_SEED_MAX
#define BE_KEY_DER_MAX TLS_WOLFCRYPT_KEY_DER_MAX
#else
#include "tls/backend/crypto_mbedtls.h"
typedef struct tls_mbedtls_state be_state;
typedef struct tls_mbedtls_key be_key;
#define be_init tls_crypto_mbedtls_init
#define be_free tls_crypto_mbedtls_free
#define be_key_load tls_crypto_mbedtls_key_load
#define be_key_free tls_crypto_mbedtls_key_free
#define BE_OPS tls_crypto_mbedtls_ops
#define BE_NAME "mbedtls"
#define BE_SEED_MIN TLS_MBEDTLS_SEED_MIN
#define BE_SEED_MAX TLS_MBEDTLS_SEED_MAX
#define BE_KEY_DER_MAX TLS_MBEDTLS_KEY_DER_MAX
#endif

static struct atoll_tls_crypto C;
static be_state ST;

static int setup(void **state)
{
    (void)state;
    uint8_t seed[32];
    memset(seed, 0x5a, sizeof seed);
    return be_init(&C, &ST, seed, sizeof seed);
}

static int teardown(void **state)
{
    (void)state;
    be_free(&ST);
    return 0;
}

#define OPS (C.ops)

static void be_test_crypto(struct atoll_tls_crypto *c, be_state *st, uint8_t seed_byte)
{
    uint8_t seed[32];
    memset(seed, seed_byte, sizeof seed);
    assert_int_equal(be_init(c, st, seed, sizeof seed), 0);
}

/* ---- hashes ------------------------------------------------------------ */

static void sha_known_answers(void **state)
{
    (void)state;
    uint8_t want[48], got[48];
    unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", want, 32);
    assert_int_equal(OPS->hash(ATOLL_TLS_HASH_SHA256, (const uint8_t *)"abc", 3, got), 0);
    assert_memory_equal(got, want, 32);
    unhex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
          "8086072ba1e7cc2358baeca134c825a7",
          want, 48);
    assert_int_equal(OPS->hash(ATOLL_TLS_HASH_SHA384, (const uint8_t *)"abc", 3, got), 0);
    assert_memory_equal(got, want, 48);
    assert_int_equal(OPS->hash((enum atoll_tls_hash_alg)7, (const uint8_t *)"abc", 3, got), ATOLL_TLS_CRYPTO_E_UNSUPP);
}

/* final reads a snapshot: the running hash continues, and a by-value copy
 * of the context is an independent transcript. */
static void running_hash_final_does_not_disturb(void **state)
{
    (void)state;
    static const enum atoll_tls_hash_alg algs[] = {ATOLL_TLS_HASH_SHA256, ATOLL_TLS_HASH_SHA384};
    const uint8_t *msg = (const uint8_t *)"The quick brown fox jumps over the lazy dog";
    size_t n = strlen((const char *)msg);
    for (size_t a = 0; a < 2; a++) {
        enum atoll_tls_hash_alg alg = algs[a];
        size_t hl = atoll_tls_hash_len(alg);
        struct atoll_tls_hash_ctx h;
        assert_int_equal(OPS->hash_init(&h, alg), 0);
        for (size_t cut = 0; cut <= n; cut++) {
            struct atoll_tls_hash_ctx part;
            assert_int_equal(OPS->hash_init(&part, alg), 0);
            assert_int_equal(OPS->hash_update(&part, msg, cut), 0);
            uint8_t mid[48], mid2[48], want[48];
            assert_int_equal(OPS->hash_final(&part, mid), 0);
            assert_int_equal(OPS->hash_final(&part, mid2), 0); /* twice: same */
            assert_memory_equal(mid, mid2, hl);
            assert_int_equal(OPS->hash(alg, msg, cut, want), 0);
            assert_memory_equal(mid, want, hl);
            struct atoll_tls_hash_ctx fork = part; /* snapshot by value */
            assert_int_equal(OPS->hash_update(&part, msg + cut, n - cut), 0);
            uint8_t full[48];
            assert_int_equal(OPS->hash_final(&part, full), 0);
            assert_int_equal(OPS->hash(alg, msg, n, want), 0);
            assert_memory_equal(full, want, hl);
            assert_int_equal(OPS->hash_final(&fork, mid2), 0);
            assert_memory_equal(mid2, mid, hl);
        }
    }
}

/* RFC 4231 test cases 1 and 2. */
static void hmac_rfc4231(void **state)
{
    (void)state;
    uint8_t key[20], want[48], got[48];
    memset(key, 0x0b, sizeof key);
    const uint8_t *hi = (const uint8_t *)"Hi There";
    assert_int_equal(OPS->hmac(ATOLL_TLS_HASH_SHA256, key, 20, hi, 8, got), 0);
    unhex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", want, 32);
    assert_memory_equal(got, want, 32);
    assert_int_equal(OPS->hmac(ATOLL_TLS_HASH_SHA384, key, 20, hi, 8, got), 0);
    unhex("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
          "faea9ea9076ede7f4af152e8b2fa9cb6",
          want, 48);
    assert_memory_equal(got, want, 48);
    const uint8_t *jefe = (const uint8_t *)"Jefe", *what = (const uint8_t *)"what do ya want for nothing?";
    assert_int_equal(OPS->hmac(ATOLL_TLS_HASH_SHA256, jefe, 4, what, 28, got), 0);
    unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", want, 32);
    assert_memory_equal(got, want, 32);
    assert_int_equal(OPS->hmac(ATOLL_TLS_HASH_SHA384, jefe, 4, what, 28, got), 0);
    unhex("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
          "8e2240ca5e69e2c78b3239ecfab21649",
          want, 48);
    assert_memory_equal(got, want, 48);
}

/* RFC 5869 test cases 1 and 3 (3: empty salt and info). */
static void hkdf_rfc5869(void **state)
{
    (void)state;
    uint8_t ikm[22], salt[13], info[10], prk[32], okm[42], want[42];
    memset(ikm, 0x0b, sizeof ikm);
    for (size_t i = 0; i < sizeof salt; i++)
        salt[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof info; i++)
        info[i] = (uint8_t)(0xf0 + i);
    assert_int_equal(OPS->hkdf_extract(ATOLL_TLS_HASH_SHA256, salt, sizeof salt, ikm, sizeof ikm, prk), 0);
    unhex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", want, 32);
    assert_memory_equal(prk, want, 32);
    assert_int_equal(OPS->hkdf_expand(ATOLL_TLS_HASH_SHA256, prk, info, sizeof info, okm, 42), 0);
    unhex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
          "34007208d5b887185865",
          want, 42);
    assert_memory_equal(okm, want, 42);

    assert_int_equal(OPS->hkdf_extract(ATOLL_TLS_HASH_SHA256, NULL, 0, ikm, sizeof ikm, prk), 0);
    unhex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04", want, 32);
    assert_memory_equal(prk, want, 32);
    assert_int_equal(OPS->hkdf_expand(ATOLL_TLS_HASH_SHA256, prk, NULL, 0, okm, 42), 0);
    unhex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
          "9d201395faa4b61a96c8",
          want, 42);
    assert_memory_equal(okm, want, 42);
    /* RFC 5869 §2.3: at most 255 * HashLen bytes */
    uint8_t big[255 * 32 + 1];
    assert_int_equal(OPS->hkdf_expand(ATOLL_TLS_HASH_SHA256, prk, NULL, 0, big, 255 * 32), 0);
    assert_int_equal(OPS->hkdf_expand(ATOLL_TLS_HASH_SHA256, prk, NULL, 0, big, 255 * 32 + 1), ATOLL_TLS_CRYPTO_E_FAIL);
}

/* ---- AEAD -------------------------------------------------------------- */

struct aead_vector {
    const char *name;
    enum atoll_tls_aead_alg alg;
    const char *key, *nonce, *aad, *pt, *ct_tag;
};

static const char GCM_PT[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                             "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char RFC8439_PT_HEX[] =
    "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
    "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
    "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
    "637265656e20776f756c642062652069742e";

static const struct aead_vector AEAD_VECTORS[] = {
    /* The GCM spec (McGrew & Viega), test case 4 */
    {"AES-128-GCM tc4", ATOLL_TLS_AEAD_AES_128_GCM, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2", GCM_PT,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d"
     "58e091"
     "5bc94fbc3221a5db94fae95ae7121a47"},
    /* test case 16 */
    {"AES-256-GCM tc16", ATOLL_TLS_AEAD_AES_256_GCM, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2", GCM_PT,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abc"
     "c9f662"
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    /* RFC 8439 §2.8.2 */
    {"ChaCha20-Poly1305 RFC 8439", ATOLL_TLS_AEAD_CHACHA20_POLY1305,
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", "070000004041424344454647",
     "50515253c0c1c2c3c4c5c6c7", RFC8439_PT_HEX,
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b29"
     "05d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b"
     "6116"
     "1ae10b594f09e26a7e902ecbd0600691"},
};

/* One record under a freshly expanded key, the context wiped after: the
 * known answers below check the primitive; aead_contexts checks reuse. */
static int seal1(enum atoll_tls_aead_alg alg, const uint8_t *key, const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
                 const uint8_t *in, size_t len, uint8_t *out)
{
    struct atoll_tls_aead_ctx k;
    memset(&k, 0, sizeof k);
    int r = OPS->aead_init(&k, alg, key);
    if (r == 0)
        r = OPS->aead_seal(&k, nonce, aad, aad_len, in, len, out);
    OPS->aead_wipe(&k);
    return r;
}

static int open1(enum atoll_tls_aead_alg alg, const uint8_t *key, const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
                 const uint8_t *in, size_t len, uint8_t *out)
{
    struct atoll_tls_aead_ctx k;
    memset(&k, 0, sizeof k);
    int r = OPS->aead_init(&k, alg, key);
    if (r == 0)
        r = OPS->aead_open(&k, nonce, aad, aad_len, in, len, out);
    OPS->aead_wipe(&k);
    return r;
}

static void aead_known_answers(void **state)
{
    (void)state;
    for (size_t v = 0; v < sizeof AEAD_VECTORS / sizeof AEAD_VECTORS[0]; v++) {
        const struct aead_vector *t = &AEAD_VECTORS[v];
        uint8_t key[32], nonce[12], aad[32], pt[128], want[160], out[160], back[160];
        assert_int_equal(unhex(t->key, key, sizeof key), atoll_tls_aead_key_len(t->alg));
        assert_int_equal(unhex(t->nonce, nonce, sizeof nonce), 12);
        size_t aad_len = unhex(t->aad, aad, sizeof aad);
        size_t n = unhex(t->pt, pt, sizeof pt);
        assert_int_equal(unhex(t->ct_tag, want, sizeof want), n + 16);
        assert_int_equal(seal1(t->alg, key, nonce, aad, aad_len, pt, n, out), 0);
        assert_memory_equal(out, want, n + 16);
        assert_int_equal(open1(t->alg, key, nonce, aad, aad_len, out, n + 16, back), 0);
        assert_memory_equal(back, pt, n);
        /* in place, both ways */
        memcpy(out, pt, n);
        assert_int_equal(seal1(t->alg, key, nonce, aad, aad_len, out, n, out), 0);
        assert_memory_equal(out, want, n + 16);
        assert_int_equal(open1(t->alg, key, nonce, aad, aad_len, out, n + 16, out), 0);
        assert_memory_equal(out, pt, n);
    }
}

/* Any changed bit of ciphertext, tag, additional data, nonce or key fails. */
static void aead_rejects_every_tamper(void **state)
{
    (void)state;
    for (size_t v = 0; v < sizeof AEAD_VECTORS / sizeof AEAD_VECTORS[0]; v++) {
        const struct aead_vector *t = &AEAD_VECTORS[v];
        uint8_t key[32], nonce[12], aad[32], ct[160], bad[160], out[160];
        unhex(t->key, key, sizeof key);
        unhex(t->nonce, nonce, sizeof nonce);
        size_t aad_len = unhex(t->aad, aad, sizeof aad);
        size_t n = unhex(t->ct_tag, ct, sizeof ct);
        for (size_t i = 0; i < n; i++) {
            memcpy(bad, ct, n);
            bad[i] ^= (uint8_t)(1u << (i % 8));
            assert_int_equal(open1(t->alg, key, nonce, aad, aad_len, bad, n, out), ATOLL_TLS_CRYPTO_E_AUTH);
        }
        for (size_t i = 0; i < aad_len; i++) {
            aad[i] ^= 0x80;
            assert_int_equal(open1(t->alg, key, nonce, aad, aad_len, ct, n, out), ATOLL_TLS_CRYPTO_E_AUTH);
            aad[i] ^= 0x80;
        }
        assert_int_equal(open1(t->alg, key, nonce, aad, aad_len - 1, ct, n, out), ATOLL_TLS_CRYPTO_E_AUTH);
        for (size_t i = 0; i < 12; i++) {
            nonce[i] ^= 1;
            assert_int_equal(open1(t->alg, key, nonce, aad, aad_len, ct, n, out), ATOLL_TLS_CRYPTO_E_AUTH);
            nonce[i] ^= 1;
        }
        key[0] ^= 1;
        assert_int_equal(open1(t->alg, key, nonce, aad, aad_len, ct, n, out), ATOLL_TLS_CRYPTO_E_AUTH);
        key[0] ^= 1;
        /* truncated: shorter than a tag, or missing its last byte */
        for (size_t len = 0; len < 16; len++)
            assert_int_equal(open1(t->alg, key, nonce, aad, aad_len, ct, len, out), ATOLL_TLS_CRYPTO_E_AUTH);
        assert_int_equal(open1(t->alg, key, nonce, aad, aad_len, ct, n - 1, out), ATOLL_TLS_CRYPTO_E_AUTH);
        assert_int_equal(open1(t->alg, key, nonce, aad, aad_len, ct, n, out), 0);
    }
}

/* Empty plaintext: the ciphertext is the tag alone and opens to nothing. */
static void aead_empty_plaintext(void **state)
{
    (void)state;
    for (int a = 0; a <= ATOLL_TLS_AEAD_CHACHA20_POLY1305; a++) {
        uint8_t key[32] = {1}, nonce[12] = {2}, tag[16], out[1];
        assert_int_equal(seal1((enum atoll_tls_aead_alg)a, key, nonce, NULL, 0, NULL, 0, tag), 0);
        assert_int_equal(open1((enum atoll_tls_aead_alg)a, key, nonce, NULL, 0, tag, 16, out), 0);
        tag[15] ^= 1;
        assert_int_equal(open1((enum atoll_tls_aead_alg)a, key, nonce, NULL, 0, tag, 16, out), ATOLL_TLS_CRYPTO_E_AUTH);
    }
    uint8_t key[32] = {0}, nonce[12] = {0}, buf[32] = {0};
    assert_int_equal(seal1((enum atoll_tls_aead_alg)3, key, nonce, NULL, 0, buf, 0, buf), ATOLL_TLS_CRYPTO_E_UNSUPP);
    assert_int_equal(open1((enum atoll_tls_aead_alg)3, key, nonce, NULL, 0, buf, 16, buf), ATOLL_TLS_CRYPTO_E_UNSUPP);
}

/* A key expanded once serves many records in both directions, gives the
 * same bytes as a fresh expansion per record, and is gone once wiped; a
 * re-initialised context takes the new key. */
static void aead_contexts(void **state)
{
    (void)state;
    for (int a = 0; a <= ATOLL_TLS_AEAD_CHACHA20_POLY1305; a++) {
        enum atoll_tls_aead_alg alg = (enum atoll_tls_aead_alg)a;
        uint8_t key[32], key2[32], nonce[12] = {0}, aad[5] = {23, 3, 3, 0, 0}, pt[300], ct[316], want[316], back[300];
        for (size_t i = 0; i < sizeof key; i++) {
            key[i] = (uint8_t)(i * 7u + 1u);
            key2[i] = (uint8_t)(i * 5u + 3u);
        }
        for (size_t i = 0; i < sizeof pt; i++)
            pt[i] = (uint8_t)i;
        struct atoll_tls_aead_ctx tx, rx;
        memset(&tx, 0, sizeof tx);
        memset(&rx, 0, sizeof rx);
        OPS->aead_wipe(&tx); /* an all-zero context wipes as a no-op */
        assert_int_equal(OPS->aead_seal(&tx, nonce, aad, 5, pt, 10, ct), ATOLL_TLS_CRYPTO_E_FAIL);
        assert_int_equal(OPS->aead_init(&tx, alg, key), 0);
        assert_int_equal(OPS->aead_init(&rx, alg, key), 0);
        for (unsigned rec = 0; rec < 40; rec++) {
            size_t n = (rec * 37u) % sizeof pt;
            nonce[11] = (uint8_t)rec;
            assert_int_equal(OPS->aead_seal(&tx, nonce, aad, 5, pt, n, ct), 0);
            assert_int_equal(seal1(alg, key, nonce, aad, 5, pt, n, want), 0);
            assert_memory_equal(ct, want, n + 16);
            assert_int_equal(OPS->aead_open(&rx, nonce, aad, 5, ct, n + 16, back), 0);
            assert_memory_equal(back, pt, n);
        }
        /* a new key in place: records under the old one no longer open */
        assert_int_equal(OPS->aead_seal(&tx, nonce, aad, 5, pt, 64, ct), 0);
        assert_int_equal(OPS->aead_init(&rx, alg, key2), 0);
        assert_int_equal(OPS->aead_open(&rx, nonce, aad, 5, ct, 80, back), ATOLL_TLS_CRYPTO_E_AUTH);
        assert_int_equal(seal1(alg, key2, nonce, aad, 5, pt, 64, want), 0);
        assert_int_equal(OPS->aead_open(&rx, nonce, aad, 5, want, 80, back), 0);
        OPS->aead_wipe(&tx);
        OPS->aead_wipe(&rx);
        OPS->aead_wipe(&rx); /* idempotent */
        assert_int_equal(tx.live, 0);
        assert_int_equal(OPS->aead_seal(&tx, nonce, aad, 5, pt, 10, ct), ATOLL_TLS_CRYPTO_E_FAIL);
        assert_int_equal(OPS->aead_open(&rx, nonce, aad, 5, want, 80, back), ATOLL_TLS_CRYPTO_E_FAIL);
        /* the wiped storage holds nothing of the key */
        static const uint8_t zero[ATOLL_TLS_AEAD_CTX_SIZE];
        assert_memory_equal(tx.opaque, zero, sizeof zero);
    }
    struct atoll_tls_aead_ctx k;
    memset(&k, 0, sizeof k);
    uint8_t key[32] = {0};
    assert_int_equal(OPS->aead_init(&k, (enum atoll_tls_aead_alg)3, key), ATOLL_TLS_CRYPTO_E_UNSUPP);
    assert_int_equal(k.live, 0);
}

/* ---- DRBG -------------------------------------------------------------- */

static void drbg_replays_from_its_seed(void **state)
{
    (void)state;
    struct atoll_tls_crypto c1, c2, c3;
    be_state s1, s2, s3;
    uint8_t seed[48];
    for (size_t i = 0; i < sizeof seed; i++)
        seed[i] = (uint8_t)(i * 7);
    assert_int_equal(be_init(&c1, &s1, seed, sizeof seed), 0);
    assert_int_equal(be_init(&c2, &s2, seed, sizeof seed), 0);
    seed[47] ^= 1;
    assert_int_equal(be_init(&c3, &s3, seed, sizeof seed), 0);
    assert_ptr_equal(c1.ops, &BE_OPS);
    assert_ptr_equal(c1.state, &s1);
    assert_string_equal(c1.ops->name, BE_NAME);
    /* longer than one DRBG request (1024 bytes); the same requests replay
     * the same bytes, another seed gives others */
    static uint8_t a[3000], b[3000], d[3000];
    assert_int_equal(c1.ops->random(c1.state, a, sizeof a), 0);
    assert_int_equal(c2.ops->random(c2.state, b, sizeof b), 0);
    assert_int_equal(c3.ops->random(c3.state, d, sizeof d), 0);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, d, sizeof a);
    /* successive outputs differ */
    assert_int_equal(c1.ops->random(c1.state, b, 64), 0);
    assert_memory_not_equal(a, b, 64);
    /* the seed is not kept around: no 8 bytes of it anywhere in the state */
    seed[47] ^= 1;
    const uint8_t *raw = (const uint8_t *)&s1;
    for (size_t at = 0; at + 8 <= sizeof s1; at++)
        for (size_t j = 0; j + 8 <= sizeof seed; j += 8)
            assert_memory_not_equal(raw + at, seed + j, 8);
    be_free(&s1);
    be_free(&s2);
    be_free(&s3);
}

static void drbg_seed_size_bounds(void **state)
{
    (void)state;
    struct atoll_tls_crypto c;
    be_state s;
    uint8_t seed[BE_SEED_MAX + 1];
    memset(seed, 3, sizeof seed);
    assert_int_equal(be_init(&c, &s, seed, BE_SEED_MIN - 1), ATOLL_TLS_CRYPTO_E_FAIL);
    assert_int_equal(be_init(&c, &s, seed, BE_SEED_MAX + 1), ATOLL_TLS_CRYPTO_E_FAIL);
    assert_int_equal(be_init(&c, &s, seed, BE_SEED_MIN), 0);
    be_free(&s);
    assert_int_equal(be_init(&c, &s, seed, BE_SEED_MAX), 0);
    uint8_t r[16];
    assert_int_equal(c.ops->random(c.state, r, sizeof r), 0);
    be_free(&s);
}

/* ---- key exchange ------------------------------------------------------ */

/* RFC 7748 §6.1, both directions. */
static void x25519_rfc7748(void **state)
{
    (void)state;
    uint8_t a_priv[32], a_pub[32], b_priv[32], b_pub[32], want[32], k[32];
    unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a_priv, 32);
    unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", a_pub, 32);
    unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b_priv, 32);
    unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", b_pub, 32);
    unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", want, 32);
    size_t n = 0;
    assert_int_equal(OPS->kex_shared(C.state, ATOLL_TLS_GROUP_X25519, a_priv, 32, b_pub, 32, k, &n), 0);
    assert_int_equal(n, 32);
    assert_memory_equal(k, want, 32);
    memset(k, 0, sizeof k);
    assert_int_equal(OPS->kex_shared(C.state, ATOLL_TLS_GROUP_X25519, b_priv, 32, a_pub, 32, k, &n), 0);
    assert_memory_equal(k, want, 32);
    /* RFC 7748 §5: the top bit of the u-coordinate is ignored */
    b_pub[31] |= 0x80;
    assert_int_equal(OPS->kex_shared(C.state, ATOLL_TLS_GROUP_X25519, a_priv, 32, b_pub, 32, k, &n), 0);
    assert_memory_equal(k, want, 32);
}

static void kex_pairs_agree_in_every_group(void **state)
{
    (void)state;
    static const struct {
        uint16_t group;
        size_t priv, pub;
    } groups[] = {{ATOLL_TLS_GROUP_X25519, 32, 32}, {ATOLL_TLS_GROUP_SECP256R1, 32, 65}, {ATOLL_TLS_GROUP_SECP384R1, 48, 97}};
    for (size_t g = 0; g < 3; g++) {
        uint8_t ap[ATOLL_TLS_KEX_PRIV_MAX], aq[ATOLL_TLS_KEX_PUB_MAX], bp[ATOLL_TLS_KEX_PRIV_MAX], bq[ATOLL_TLS_KEX_PUB_MAX];
        uint8_t k1[ATOLL_TLS_KEX_SECRET_MAX], k2[ATOLL_TLS_KEX_SECRET_MAX];
        size_t apl, aql, bpl, bql, k1l, k2l;
        assert_int_equal(OPS->kex_keygen(C.state, groups[g].group, ap, &apl, aq, &aql), 0);
        assert_int_equal(OPS->kex_keygen(C.state, groups[g].group, bp, &bpl, bq, &bql), 0);
        assert_int_equal(apl, groups[g].priv);
        assert_int_equal(aql, groups[g].pub);
        assert_int_equal(bql, groups[g].pub);
        assert_memory_not_equal(aq, bq, aql);
        if (groups[g].group != ATOLL_TLS_GROUP_X25519)
            assert_int_equal(aq[0], 0x04);
        assert_int_equal(OPS->kex_shared(C.state, groups[g].group, ap, apl, bq, bql, k1, &k1l), 0);
        assert_int_equal(OPS->kex_shared(C.state, groups[g].group, bp, bpl, aq, aql, k2, &k2l), 0);
        assert_int_equal(k1l, groups[g].priv);
        assert_int_equal(k2l, k1l);
        assert_memory_equal(k1, k2, k1l);
        /* a private key of the wrong size is the caller's mistake */
        assert_int_equal(OPS->kex_shared(C.state, groups[g].group, ap, apl - 1, bq, bql, k1, &k1l), ATOLL_TLS_CRYPTO_E_FAIL);
    }
    uint8_t p[64], q[128];
    size_t pl, ql;
    assert_int_equal(OPS->kex_keygen(C.state, 0x0019 /* secp521r1 */, p, &pl, q, &ql), ATOLL_TLS_CRYPTO_E_UNSUPP);
    assert_int_equal(OPS->kex_shared(C.state, 0x0019, p, 66, q, 133, p, &pl), ATOLL_TLS_CRYPTO_E_UNSUPP);
}

static void kex_keygen_replays_from_seed(void **state)
{
    (void)state;
    uint8_t p1[48], q1[97], p2[48], q2[97];
    size_t l1, m1, l2, m2;
    for (uint16_t g = 0; g < 3; g++) {
        uint16_t group = g == 0 ? ATOLL_TLS_GROUP_X25519 : g == 1 ? ATOLL_TLS_GROUP_SECP256R1 : ATOLL_TLS_GROUP_SECP384R1;
        struct atoll_tls_crypto c;
        be_state s;
        be_test_crypto(&c, &s, 9);
        assert_int_equal(c.ops->kex_keygen(c.state, group, p1, &l1, q1, &m1), 0);
        be_free(&s);
        be_test_crypto(&c, &s, 9);
        assert_int_equal(c.ops->kex_keygen(c.state, group, p2, &l2, q2, &m2), 0);
        be_free(&s);
        assert_int_equal(l1, l2);
        assert_int_equal(m1, m2);
        assert_memory_equal(p1, p2, l1);
        assert_memory_equal(q1, q2, m1);
    }
}

static int shared_with(uint16_t group, const uint8_t *peer, size_t peer_len)
{
    uint8_t p[ATOLL_TLS_KEX_PRIV_MAX], q[ATOLL_TLS_KEX_PUB_MAX], k[ATOLL_TLS_KEX_SECRET_MAX];
    size_t pl, ql, kl = 0;
    assert_int_equal(OPS->kex_keygen(C.state, group, p, &pl, q, &ql), 0);
    memset(k, 0xee, sizeof k);
    int r = OPS->kex_shared(C.state, group, p, pl, peer, peer_len, k, &kl);
    if (r != 0) {
        /* nothing usable comes out of a refused share */
        for (size_t i = 0; i < sizeof k; i++)
            assert_true(k[i] == 0xee || k[i] == 0);
    }
    return r;
}

static void kex_rejects_invalid_peer_shares(void **state)
{
    (void)state;
    uint8_t good[ATOLL_TLS_KEX_PUB_MAX], bad[ATOLL_TLS_KEX_PUB_MAX + 1];
    uint8_t priv[ATOLL_TLS_KEX_PRIV_MAX];
    size_t pl, ql;
    /* NIST curves: wrong length, compressed or hybrid form, infinity, off
     * the curve, coordinates >= p */
    static const uint16_t nist[] = {ATOLL_TLS_GROUP_SECP256R1, ATOLL_TLS_GROUP_SECP384R1};
    for (size_t g = 0; g < 2; g++) {
        assert_int_equal(OPS->kex_keygen(C.state, nist[g], priv, &pl, good, &ql), 0);
        assert_int_equal(shared_with(nist[g], good, ql), 0);
        for (size_t len = 0; len <= ql + 1; len++) {
            if (len == ql)
                continue;
            memset(bad, 0, sizeof bad);
            memcpy(bad, good, len < ql ? len : ql);
            assert_int_equal(shared_with(nist[g], bad, len), ATOLL_TLS_CRYPTO_E_PEER);
        }
        size_t coord = (ql - 1) / 2;
        memcpy(bad, good, ql);
        bad[0] = (uint8_t)(0x02 + (good[ql - 1] & 1)); /* compressed prefix, full length */
        assert_int_equal(shared_with(nist[g], bad, ql), ATOLL_TLS_CRYPTO_E_PEER);
        bad[0] = 0x06; /* hybrid form */
        assert_int_equal(shared_with(nist[g], bad, ql), ATOLL_TLS_CRYPTO_E_PEER);
        bad[0] = 0x00;
        assert_int_equal(shared_with(nist[g], bad, 1), ATOLL_TLS_CRYPTO_E_PEER);
        memcpy(bad, good, ql);
        bad[ql - 1] ^= 1; /* y changed: not on the curve */
        assert_int_equal(shared_with(nist[g], bad, ql), ATOLL_TLS_CRYPTO_E_PEER);
        memset(bad + 1, 0xff, coord); /* x >= p */
        assert_int_equal(shared_with(nist[g], bad, ql), ATOLL_TLS_CRYPTO_E_PEER);
        memset(bad + 1, 0, 2 * coord); /* (0, 0) */
        assert_int_equal(shared_with(nist[g], bad, ql), ATOLL_TLS_CRYPTO_E_PEER);
    }
    /* X25519: wrong lengths, and points of small order whose result is all
     * zeros (RFC 7748 §6.1, RFC 8446 §7.4.2): u = 0, u = 1, and the order-8
     * point 0xe0eb7a7c... */
    assert_int_equal(OPS->kex_keygen(C.state, ATOLL_TLS_GROUP_X25519, priv, &pl, good, &ql), 0);
    assert_int_equal(shared_with(ATOLL_TLS_GROUP_X25519, good, 31), ATOLL_TLS_CRYPTO_E_PEER);
    assert_int_equal(shared_with(ATOLL_TLS_GROUP_X25519, good, 32), 0);
    bad[0] = 0x04;
    memcpy(bad + 1, good, 32);
    assert_int_equal(shared_with(ATOLL_TLS_GROUP_X25519, bad, 33), ATOLL_TLS_CRYPTO_E_PEER);
    static const char *low_order[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p - 1 */
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p */
    };
    for (size_t i = 0; i < sizeof low_order / sizeof low_order[0]; i++) {
        uint8_t u[32];
        unhex(low_order[i], u, 32);
        assert_int_equal(shared_with(ATOLL_TLS_GROUP_X25519, u, 32), ATOLL_TLS_CRYPTO_E_PEER);
    }
}

/* ---- private keys and signatures --------------------------------------- */

struct key_case {
    const char *file;
    enum atoll_tls_key_kind kind;
};

static void key_load_formats_and_kinds(void **state)
{
    (void)state;
    static const struct key_case cases[] = {
        {"ec256_key.pem", ATOLL_TLS_KEY_ECDSA_P256},   {"ec256_key.der", ATOLL_TLS_KEY_ECDSA_P256},
        {"ec256_sec1.pem", ATOLL_TLS_KEY_ECDSA_P256},  {"ec384_key.pem", ATOLL_TLS_KEY_ECDSA_P384},
        {"ec384_key.der", ATOLL_TLS_KEY_ECDSA_P384},   {"rsa2048_key.pem", ATOLL_TLS_KEY_RSA},
        {"rsa2048_key.der", ATOLL_TLS_KEY_RSA},        {"rsa2048_pkcs1.pem", ATOLL_TLS_KEY_RSA},
        {"rsa1024_key.pem", ATOLL_TLS_KEY_NONE},       {"p521_key.pem", ATOLL_TLS_KEY_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n;
        uint8_t *b = read_fixture(cases[i].file, &n);
        be_key k;
#ifdef TEST_WOLFCRYPT
        /* wolfCrypt is built for P-256 and P-384 only */
        if (strcmp(cases[i].file, "p521_key.pem") == 0) {
            assert_int_equal(be_key_load(&k, b, n), ATOLL_TLS_CRYPTO_E_FAIL);
            free(b);
            continue;
        }
#endif
        assert_int_equal(be_key_load(&k, b, n), 0);
        assert_int_equal(OPS->key_kind(&k), cases[i].kind);
        be_key_free(&k);
        free(b);
    }
}

static void key_load_finds_the_key_among_other_pem(void **state)
{
    (void)state;
    size_t cn, kn;
    uint8_t *cert = read_fixture("leaf_ec256.pem", &cn);
    uint8_t *key = read_fixture("ec256_key.pem", &kn);
    uint8_t *both = malloc(cn + kn + 20);
    memcpy(both, "junk before\n", 12);
    memcpy(both + 12, cert, cn);
    memcpy(both + 12 + cn, key, kn);
    be_key k;
    assert_int_equal(be_key_load(&k, both, 12 + cn + kn), 0);
    assert_int_equal(OPS->key_kind(&k), ATOLL_TLS_KEY_ECDSA_P256);
    be_key_free(&k);
    /* the certificate alone holds no private key */
    assert_int_equal(be_key_load(&k, cert, cn), ATOLL_TLS_CRYPTO_E_FAIL);
    free(both);
    free(cert);
    free(key);
}

static void key_load_rejects_garbage(void **state)
{
    (void)state;
    be_key k;
    size_t n;
    uint8_t *b = read_fixture("ed25519_key.pem", &n); /* not supported by mbedtls 2.28 */
    assert_int_equal(be_key_load(&k, b, n), ATOLL_TLS_CRYPTO_E_FAIL);
    free(b);
    b = read_fixture("ec256_key.der", &n);
    for (size_t cut = 0; cut < n; cut += 7)
        assert_int_equal(be_key_load(&k, b, cut), ATOLL_TLS_CRYPTO_E_FAIL);
    free(b);
    b = read_fixture("ec256_key.pem", &n);
    /* a damaged base64 body; an END line missing */
    uint8_t *c = malloc(n);
    memcpy(c, b, n);
    c[40] = '!';
    assert_int_equal(be_key_load(&k, c, n), ATOLL_TLS_CRYPTO_E_FAIL);
    assert_int_equal(be_key_load(&k, b, n - 10), ATOLL_TLS_CRYPTO_E_FAIL);
    free(c);
    free(b);
    static uint8_t huge[BE_KEY_DER_MAX + 1];
    assert_int_equal(be_key_load(&k, huge, sizeof huge), ATOLL_TLS_CRYPTO_E_SPACE);
}

struct sig_case {
    const char *key, *cert;
    uint16_t scheme;
};

static const struct sig_case SIG_CASES[] = {
    {"ec256_key.pem", "leaf_ec256.der", ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256},
    {"ec384_key.pem", "leaf_ec384.der", ATOLL_TLS_SIG_ECDSA_SECP384R1_SHA384},
    {"rsa2048_key.pem", "leaf_rsa2048.der", ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256},
    {"rsa2048_key.pem", "leaf_rsa2048.der", ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA384},
    {"rsa2048_key.pem", "leaf_rsa2048.der", ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA512},
};

static const uint16_t ALL_SCHEMES[] = {ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256, ATOLL_TLS_SIG_ECDSA_SECP384R1_SHA384,
                                       ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256, ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA384,
                                       ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA512};

static void sign_then_verify_every_scheme(void **state)
{
    (void)state;
    uint8_t msg[200];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 31 + 7);
    for (size_t s = 0; s < sizeof SIG_CASES / sizeof SIG_CASES[0]; s++) {
        const struct sig_case *t = &SIG_CASES[s];
        size_t kn, cn;
        uint8_t *kb = read_fixture(t->key, &kn);
        uint8_t *cert = read_fixture(t->cert, &cn);
        be_key k;
        assert_int_equal(be_key_load(&k, kb, kn), 0);
        uint8_t sig[ATOLL_TLS_SIG_MAX];
        size_t sl = 0;
        assert_int_equal(OPS->sign(C.state, &k, t->scheme, msg, sizeof msg, sig, sizeof sig, &sl), 0);
        if (t->scheme >= ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256)
            assert_int_equal(sl, 256);
        else
            assert_int_equal(sig[0], 0x30); /* DER SEQUENCE */
        assert_int_equal(OPS->verify_with_cert(cert, cn, t->scheme, msg, sizeof msg, sig, sl), 0);
        /* another message, a changed signature byte, a cut signature */
        msg[0] ^= 1;
        assert_int_equal(OPS->verify_with_cert(cert, cn, t->scheme, msg, sizeof msg, sig, sl), ATOLL_TLS_CRYPTO_E_AUTH);
        msg[0] ^= 1;
        for (size_t i = 0; i < sl; i += 13) {
            sig[i] ^= 0x10;
            assert_int_equal(OPS->verify_with_cert(cert, cn, t->scheme, msg, sizeof msg, sig, sl), ATOLL_TLS_CRYPTO_E_AUTH);
            sig[i] ^= 0x10;
        }
        assert_int_equal(OPS->verify_with_cert(cert, cn, t->scheme, msg, sizeof msg, sig, sl - 1), ATOLL_TLS_CRYPTO_E_AUTH);
        assert_int_equal(OPS->verify_with_cert(cert, cn, t->scheme, msg, sizeof msg, sig, 0), ATOLL_TLS_CRYPTO_E_AUTH);
        /* the same key under a scheme of the same family but another hash
         * does not verify (RSA), or does not fit the curve (ECDSA) */
        for (size_t o = 0; o < sizeof ALL_SCHEMES / sizeof ALL_SCHEMES[0]; o++) {
            uint16_t other = ALL_SCHEMES[o];
            if (other == t->scheme)
                continue;
            int same_family = (other >= ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256) == (t->scheme >= ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256);
            int r = OPS->verify_with_cert(cert, cn, other, msg, sizeof msg, sig, sl);
            if (same_family && t->scheme >= ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256)
                assert_int_equal(r, ATOLL_TLS_CRYPTO_E_AUTH);
            else
                assert_int_equal(r, ATOLL_TLS_CRYPTO_E_UNSUPP);
            if (!(same_family && t->scheme >= ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256)) {
                size_t l2;
                assert_int_equal(OPS->sign(C.state, &k, other, msg, sizeof msg, sig, sizeof sig, &l2),
                                 ATOLL_TLS_CRYPTO_E_UNSUPP);
                assert_int_equal(OPS->sign(C.state, &k, t->scheme, msg, sizeof msg, sig, sizeof sig, &sl), 0);
            }
        }
        /* no room */
        size_t l3;
        assert_int_equal(OPS->sign(C.state, &k, t->scheme, msg, sizeof msg, sig, 8, &l3),
                         ATOLL_TLS_CRYPTO_E_SPACE);
        assert_int_equal(OPS->sign(C.state, &k, 0x0401 /* rsa_pkcs1_sha256 */, msg, sizeof msg, sig, sizeof sig, &l3),
                         ATOLL_TLS_CRYPTO_E_UNSUPP);
        assert_int_equal(OPS->verify_with_cert(cert, cn, 0x0401, msg, sizeof msg, sig, sl), ATOLL_TLS_CRYPTO_E_UNSUPP);
        assert_int_equal(OPS->verify_with_cert(cert, cn / 2, t->scheme, msg, sizeof msg, sig, sl), ATOLL_TLS_CRYPTO_E_FAIL);
        be_key_free(&k);
        free(kb);
        free(cert);
    }
}

/* Signatures are a function of the DRBG seed, PSS salts included. */
static void signatures_replay_from_seed(void **state)
{
    (void)state;
    static const char *keys[] = {"ec256_key.pem", "rsa2048_key.pem"};
    static const uint16_t schemes[] = {ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256, ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256};
    for (size_t i = 0; i < 2; i++) {
        size_t kn;
        uint8_t *kb = read_fixture(keys[i], &kn);
        be_key k;
        assert_int_equal(be_key_load(&k, kb, kn), 0);
        uint8_t s1[ATOLL_TLS_SIG_MAX], s2[ATOLL_TLS_SIG_MAX], s3[ATOLL_TLS_SIG_MAX];
        size_t l1, l2, l3;
        for (int run = 0; run < 3; run++) {
            struct atoll_tls_crypto c;
            be_state st;
            be_test_crypto(&c, &st, run == 2 ? 2 : 1);
            uint8_t *out = run == 0 ? s1 : run == 1 ? s2 : s3;
            size_t *len = run == 0 ? &l1 : run == 1 ? &l2 : &l3;
            assert_int_equal(c.ops->sign(c.state, &k, schemes[i], (const uint8_t *)"m", 1, out, ATOLL_TLS_SIG_MAX, len), 0);
            be_free(&st);
        }
        assert_int_equal(l1, l2);
        assert_memory_equal(s1, s2, l1);
        if (i == 1) /* PSS: another seed, another salt; ECDSA is RFC 6979 */
            assert_memory_not_equal(s1, s3, l1);
        be_key_free(&k);
        free(kb);
    }
}

/* openssl's signatures verify here: PSS with salt = hash length and MGF1
 * over the same hash, ECDSA in DER. A 20-byte PSS salt is refused. */
static void openssl_signatures_verify(void **state)
{
    (void)state;
    static const struct {
        const char *sig, *cert;
        uint16_t scheme;
        int want;
    } cases[] = {
        {"sig_ec256_sha256.der", "leaf_ec256.der", ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256, 0},
        {"sig_ec384_sha384.der", "leaf_ec384.der", ATOLL_TLS_SIG_ECDSA_SECP384R1_SHA384, 0},
        {"sig_rsa2048_pss_sha256.bin", "leaf_rsa2048.der", ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256, 0},
        {"sig_rsa2048_pss_sha384.bin", "leaf_rsa2048.der", ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA384, 0},
        {"sig_rsa2048_pss_sha512.bin", "leaf_rsa2048.der", ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA512, 0},
        {"sig_rsa2048_pss_sha256_salt20.bin", "leaf_rsa2048.der", ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256, ATOLL_TLS_CRYPTO_E_AUTH},
        {"sig_rsa2048_pss_sha256.bin", "leaf_rsa2048.der", ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA384, ATOLL_TLS_CRYPTO_E_AUTH},
        {"sig_ec256_sha256.der", "leaf_rsa2048.der", ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256, ATOLL_TLS_CRYPTO_E_UNSUPP},
        {"sig_ec256_sha256.der", "leaf_ec384.der", ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256, ATOLL_TLS_CRYPTO_E_UNSUPP},
    };
    size_t mn;
    uint8_t *msg = read_fixture("msg.bin", &mn);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t sn, cn;
        uint8_t *sig = read_fixture(cases[i].sig, &sn);
        uint8_t *cert = read_fixture(cases[i].cert, &cn);
        assert_int_equal(OPS->verify_with_cert(cert, cn, cases[i].scheme, msg, mn, sig, sn), cases[i].want);
        if (cases[i].want == 0) {
            /* one trailing byte after the signature is not the signature */
            uint8_t *longer = malloc(sn + 1);
            memcpy(longer, sig, sn);
            longer[sn] = 0;
            assert_int_equal(OPS->verify_with_cert(cert, cn, cases[i].scheme, msg, mn, longer, sn + 1),
                             ATOLL_TLS_CRYPTO_E_AUTH);
            free(longer);
        }
        free(sig);
        free(cert);
    }
    free(msg);
}

static void weak_keys_do_not_sign(void **state)
{
    (void)state;
    size_t n;
    uint8_t *b = read_fixture("rsa1024_key.pem", &n);
    be_key k;
    assert_int_equal(be_key_load(&k, b, n), 0);
    uint8_t sig[ATOLL_TLS_SIG_MAX];
    size_t sl;
    assert_int_equal(OPS->sign(C.state, &k, ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256, (const uint8_t *)"m", 1, sig, sizeof sig, &sl),
                     ATOLL_TLS_CRYPTO_E_UNSUPP);
    be_key_free(&k);
    free(b);
    b = read_fixture("p521_key.pem", &n);
#ifdef TEST_WOLFCRYPT
    assert_int_equal(be_key_load(&k, b, n), ATOLL_TLS_CRYPTO_E_FAIL); /* not a curve it is built for */
    free(b);
    return;
#endif
    assert_int_equal(be_key_load(&k, b, n), 0);
    assert_int_equal(OPS->sign(C.state, &k, ATOLL_TLS_SIG_ECDSA_SECP384R1_SHA384, (const uint8_t *)"m", 1, sig, sizeof sig,
                               &sl),
                     ATOLL_TLS_CRYPTO_E_UNSUPP);
    be_key_free(&k);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha_known_answers),
        cmocka_unit_test(running_hash_final_does_not_disturb),
        cmocka_unit_test(hmac_rfc4231),
        cmocka_unit_test(hkdf_rfc5869),
        cmocka_unit_test(aead_known_answers),
        cmocka_unit_test(aead_rejects_every_tamper),
        cmocka_unit_test(aead_empty_plaintext),
        cmocka_unit_test(aead_contexts),
        cmocka_unit_test(drbg_replays_from_its_seed),
        cmocka_unit_test(drbg_seed_size_bounds),
        cmocka_unit_test(x25519_rfc7748),
        cmocka_unit_test(kex_pairs_agree_in_every_group),
        cmocka_unit_test(kex_keygen_replays_from_seed),
        cmocka_unit_test(kex_rejects_invalid_peer_shares),
        cmocka_unit_test(key_load_formats_and_kinds),
        cmocka_unit_test(key_load_finds_the_key_among_other_pem),
        cmocka_unit_test(key_load_rejects_garbage),
        cmocka_unit_test(sign_then_verify_every_scheme),
        cmocka_unit_test(signatures_replay_from_seed),
        cmocka_unit_test(openssl_signatures_verify),
        cmocka_unit_test(weak_keys_do_not_sign),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
