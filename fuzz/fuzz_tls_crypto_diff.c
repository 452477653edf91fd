/* SPDX-License-Identifier: Apache-2.0 */
/* Differential: our AEAD, record sealing, HKDF-Expand-Label and running
 * hashes against direct mbedtls calls written here, independently of
 * tls/backend/crypto_mbedtls.c, tls/keysched.c and tls/record.c. Every
 * input runs through both backends (mbedtls, then wolfCrypt): each must
 * equal the reference, so each equals the other, and each opens what the
 * reference sealed.
 *
 * Input: selector (1 byte: bits 0-1 AEAD, 3 = AES-128-GCM; bit 2 SHA-384),
 * key (32), nonce/IV (12), record sequence number (8, big-endian),
 * aad length (1) + aad, label length (1) + label, context length (1) +
 * context, output length (2, big-endian), then the plaintext (the rest).
 * Short inputs are zero-extended. Checks, for fuzzer-chosen values:
 *   aead_seal == mbedtls seal; aead_open(seal(x)) == x; our open accepts
 *     mbedtls's ciphertext and mbedtls accepts ours; a changed tag fails
 *   tls_record_seal == mbedtls seal with nonce iv ^ seq and the header as
 *     additional data, inner plaintext content || type || zeros
 *   tls_hkdf_expand_label == mbedtls_hkdf_expand over an HkdfLabel built
 *     here (and the same refusals for over-long labels and contexts)
 *   hash_update/hash_final in two pieces == mbedtls one-shot hash */
#include "fuzz_common.h"
#include "tls/backend/crypto_mbedtls.h"
#include "tls/backend/wolfcrypt/crypto_wolfcrypt.h"
#include "tls/keysched.h"
#include "tls/record.h"

#include <mbedtls/chachapoly.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

static struct atoll_tls_crypto C; /* the backend under test in this pass */
static struct atoll_tls_crypto BACKENDS[2];
static struct tls_mbedtls_state ST;
static struct tls_wolfcrypt_state WST;

struct input {
    const uint8_t *p;
    size_t n;
};

/* Takes len bytes, zero-filled past the end of the input. */
static void take(struct input *in, uint8_t *out, size_t len)
{
    size_t k = in->n < len ? in->n : len;
    memcpy(out, in->p, k);
    memset(out + k, 0, len - k);
    in->p += k;
    in->n -= k;
}

static size_t take_byte(struct input *in)
{
    uint8_t b;
    take(in, &b, 1);
    return b;
}

/* ---- the reference: mbedtls called directly ---------------------------- */

static void ref_seal(enum atoll_tls_aead_alg alg, const uint8_t *key, const uint8_t *nonce, const uint8_t *aad,
                     size_t aad_len, const uint8_t *pt, size_t n, uint8_t *out)
{
    int r;
    if (alg == ATOLL_TLS_AEAD_CHACHA20_POLY1305) {
        mbedtls_chachapoly_context c;
        mbedtls_chachapoly_init(&c);
        r = mbedtls_chachapoly_setkey(&c, key);
        FUZZ_CHECK(r == 0);
        r = mbedtls_chachapoly_encrypt_and_tag(&c, n, nonce, aad, aad_len, pt, out, out + n);
        mbedtls_chachapoly_free(&c);
    } else {
        mbedtls_gcm_context g;
        mbedtls_gcm_init(&g);
        r = mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, alg == ATOLL_TLS_AEAD_AES_128_GCM ? 128 : 256);
        FUZZ_CHECK(r == 0);
        r = mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, n, nonce, 12, aad, aad_len, pt, out, 16, out + n);
        mbedtls_gcm_free(&g);
    }
    FUZZ_CHECK(r == 0);
}

static int ref_open(enum atoll_tls_aead_alg alg, const uint8_t *key, const uint8_t *nonce, const uint8_t *aad,
                    size_t aad_len, const uint8_t *ct, size_t n, uint8_t *out)
{
    int r;
    if (alg == ATOLL_TLS_AEAD_CHACHA20_POLY1305) {
        mbedtls_chachapoly_context c;
        mbedtls_chachapoly_init(&c);
        mbedtls_chachapoly_setkey(&c, key);
        r = mbedtls_chachapoly_auth_decrypt(&c, n, nonce, aad, aad_len, ct + n, ct, out);
        mbedtls_chachapoly_free(&c);
    } else {
        mbedtls_gcm_context g;
        mbedtls_gcm_init(&g);
        mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, alg == ATOLL_TLS_AEAD_AES_128_GCM ? 128 : 256);
        r = mbedtls_gcm_auth_decrypt(&g, n, nonce, 12, aad, aad_len, ct + n, 16, ct, out);
        mbedtls_gcm_free(&g);
    }
    return r;
}

/* RFC 8446 §7.1 HkdfLabel, written out again. */
static int ref_expand_label(enum atoll_tls_hash_alg h, const uint8_t *secret, const uint8_t *label, size_t label_len,
                            const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len)
{
    uint8_t info[2 + 1 + 255 + 1 + 255];
    size_t k = 0;
    info[k++] = (uint8_t)(out_len >> 8);
    info[k++] = (uint8_t)out_len;
    info[k++] = (uint8_t)(6 + label_len);
    memcpy(info + k, "tls13 ", 6);
    k += 6;
    memcpy(info + k, label, label_len);
    k += label_len;
    info[k++] = (uint8_t)ctx_len;
    memcpy(info + k, ctx, ctx_len);
    k += ctx_len;
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(h == ATOLL_TLS_HASH_SHA384 ? MBEDTLS_MD_SHA384 : MBEDTLS_MD_SHA256);
    return mbedtls_hkdf_expand(md, secret, h == ATOLL_TLS_HASH_SHA384 ? 48 : 32, info, k, out, out_len);
}

/* ---- the checks --------------------------------------------------------- */

static uint8_t PT[TLS_PLAINTEXT_MAX + 64], OURS[TLS_RECORD_MAX + 64], REF[TLS_RECORD_MAX + 64],
    BACK[TLS_RECORD_MAX + 64];

static void check_aead(enum atoll_tls_aead_alg alg, const uint8_t *key, const uint8_t *nonce, const uint8_t *aad,
                       size_t aad_len, const uint8_t *pt, size_t n)
{
    const struct atoll_tls_crypto_ops *o = C.ops;
    struct atoll_tls_aead_ctx k;
    memset(&k, 0, sizeof k);
    FUZZ_CHECK(o->aead_init(&k, alg, key) == 0);
    FUZZ_CHECK(o->aead_seal(&k, nonce, aad, aad_len, pt, n, OURS) == 0);
    ref_seal(alg, key, nonce, aad, aad_len, pt, n, REF);
    FUZZ_CHECK(memcmp(OURS, REF, n + 16) == 0);
    FUZZ_CHECK(o->aead_open(&k, nonce, aad, aad_len, REF, n + 16, BACK) == 0);
    FUZZ_CHECK(n == 0 || memcmp(BACK, pt, n) == 0);
    FUZZ_CHECK(ref_open(alg, key, nonce, aad, aad_len, OURS, n, BACK) == 0);
    FUZZ_CHECK(n == 0 || memcmp(BACK, pt, n) == 0);
    /* in place */
    memcpy(BACK, OURS, n + 16);
    FUZZ_CHECK(o->aead_open(&k, nonce, aad, aad_len, BACK, n + 16, BACK) == 0);
    FUZZ_CHECK(n == 0 || memcmp(BACK, pt, n) == 0);
    OURS[n + (pt[0] % 16u)] ^= 0x01;
    FUZZ_CHECK(o->aead_open(&k, nonce, aad, aad_len, OURS, n + 16, BACK) == ATOLL_TLS_CRYPTO_E_AUTH);
    o->aead_wipe(&k);
    FUZZ_CHECK(o->aead_seal(&k, nonce, aad, aad_len, pt, n, OURS) == ATOLL_TLS_CRYPTO_E_FAIL);
}

static void check_record(enum atoll_tls_aead_alg alg, const uint8_t *key, const uint8_t *iv, uint64_t seq, uint8_t type,
                         const uint8_t *pt, size_t n, size_t pad)
{
    struct tls_traffic t;
    memset(&t, 0, sizeof t);
    FUZZ_CHECK(tls_traffic_set_key(&t, &C, alg, ATOLL_TLS_HASH_SHA256, key, iv) == 0);
    t.seq = seq;
    int r = tls_record_seal(&t, &C, type, pt, n, pad, TLS_PLAINTEXT_MAX + 1, OURS, sizeof OURS);
    int gcm = alg != ATOLL_TLS_AEAD_CHACHA20_POLY1305;
    if (type == 0) {
        FUZZ_CHECK(r == ATOLL_TLS_CRYPTO_E_FAIL);
        return;
    }
    if ((gcm && seq >= TLS_AES_GCM_RECORD_LIMIT) || seq == UINT64_MAX) {
        FUZZ_CHECK(r == TLS_RECORD_E_SEQ_EXHAUSTED && t.seq == seq);
        return;
    }
    if (n + 1 + pad > TLS_PLAINTEXT_MAX + 1) {
        FUZZ_CHECK(r == ATOLL_TLS_CRYPTO_E_SPACE);
        return;
    }
    size_t inner = n + 1 + pad;
    FUZZ_CHECK(r == (int)(5 + inner + 16) && t.seq == seq + 1);
    /* the reference record: header, nonce = iv ^ seq (big-endian, right-aligned) */
    uint8_t hdr[5] = {23, 3, 3, (uint8_t)((inner + 16) >> 8), (uint8_t)(inner + 16)};
    uint8_t nonce[12];
    for (int i = 0; i < 12; i++)
        nonce[i] = (uint8_t)(iv[i] ^ (i < 4 ? 0 : (uint8_t)(seq >> (8 * (11 - i)))));
    memcpy(BACK, pt, n);
    BACK[n] = type;
    memset(BACK + n + 1, 0, pad);
    memcpy(REF, hdr, 5);
    ref_seal(alg, key, nonce, hdr, 5, BACK, inner, REF + 5);
    FUZZ_CHECK(memcmp(OURS, REF, (size_t)r) == 0);
    /* and it opens again */
    t.seq = seq;
    uint8_t ot, *opt;
    size_t olen;
    FUZZ_CHECK(tls_record_open(&t, &C, OURS, (size_t)r, TLS_PLAINTEXT_MAX + 1, &ot, &opt, &olen) == 0);
    FUZZ_CHECK(ot == type && olen == n && (n == 0 || memcmp(opt, pt, n) == 0));
}

static void check_label(enum atoll_tls_hash_alg h, const uint8_t *secret, const uint8_t *label, size_t label_len,
                        const uint8_t *ctx, size_t ctx_len, size_t out_len)
{
    static uint8_t ours[65536], ref[65536];
    char lab[256];
    memcpy(lab, label, label_len);
    lab[label_len] = 0; /* the label is a C string: NUL-free by construction below */
    int r = tls_hkdf_expand_label(&C, h, secret, lab, ctx, ctx_len, ours, out_len);
    if (label_len > 249) {
        FUZZ_CHECK(r == ATOLL_TLS_CRYPTO_E_FAIL);
        return;
    }
    int e = ref_expand_label(h, secret, label, label_len, ctx, ctx_len, ref, out_len);
    FUZZ_CHECK((r == 0) == (e == 0));
    if (r == 0)
        FUZZ_CHECK(memcmp(ours, ref, out_len) == 0);
}

static void check_hash(enum atoll_tls_hash_alg h, const uint8_t *m, size_t n, size_t cut)
{
    const struct atoll_tls_crypto_ops *o = C.ops;
    struct atoll_tls_hash_ctx ctx;
    uint8_t ours[48], mid[48], ref[64];
    FUZZ_CHECK(o->hash_init(&ctx, h) == 0);
    FUZZ_CHECK(o->hash_update(&ctx, m, cut) == 0);
    FUZZ_CHECK(o->hash_final(&ctx, mid) == 0);
    FUZZ_CHECK(o->hash_update(&ctx, m + cut, n - cut) == 0);
    FUZZ_CHECK(o->hash_final(&ctx, ours) == 0);
    if (h == ATOLL_TLS_HASH_SHA384)
        FUZZ_CHECK(mbedtls_sha512_ret(m, n, ref, 1) == 0);
    else
        FUZZ_CHECK(mbedtls_sha256_ret(m, n, ref, 0) == 0);
    FUZZ_CHECK(memcmp(ours, ref, atoll_tls_hash_len(h)) == 0);
    if (h == ATOLL_TLS_HASH_SHA384)
        FUZZ_CHECK(mbedtls_sha512_ret(m, cut, ref, 1) == 0);
    else
        FUZZ_CHECK(mbedtls_sha256_ret(m, cut, ref, 0) == 0);
    FUZZ_CHECK(memcmp(mid, ref, atoll_tls_hash_len(h)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (BACKENDS[0].ops == NULL) {
        uint8_t seed[32];
        memset(seed, 0x29, sizeof seed);
        if (tls_crypto_mbedtls_init(&BACKENDS[0], &ST, seed, sizeof seed) != 0 ||
            tls_crypto_wolfcrypt_init(&BACKENDS[1], &WST, seed, sizeof seed) != 0)
            abort();
    }
    uint8_t *copy = fuzz_dup(data, size);
    struct input in = {copy, size};
    unsigned sel = (unsigned)take_byte(&in);
    static const enum atoll_tls_aead_alg algs[4] = {ATOLL_TLS_AEAD_AES_128_GCM, ATOLL_TLS_AEAD_AES_256_GCM, ATOLL_TLS_AEAD_CHACHA20_POLY1305,
                                              ATOLL_TLS_AEAD_AES_128_GCM};
    enum atoll_tls_aead_alg alg = algs[sel & 3u];
    enum atoll_tls_hash_alg h = (sel & 4u) ? ATOLL_TLS_HASH_SHA384 : ATOLL_TLS_HASH_SHA256;
    uint8_t key[32], nonce[12], seqb[8], aad[255], label[255], ctx[255], outl[2];
    take(&in, key, 32);
    take(&in, nonce, 12);
    take(&in, seqb, 8);
    size_t aad_len = take_byte(&in);
    take(&in, aad, aad_len);
    size_t label_len = take_byte(&in);
    take(&in, label, label_len);
    for (size_t i = 0; i < label_len; i++)
        if (label[i] == 0)
            label[i] = '0';
    size_t ctx_len = take_byte(&in);
    take(&in, ctx, ctx_len);
    take(&in, outl, 2);
    size_t n = in.n > TLS_PLAINTEXT_MAX ? TLS_PLAINTEXT_MAX : in.n;
    memcpy(PT, in.p, n);
    PT[n] = 0;

    uint64_t seq = 0;
    for (int i = 0; i < 8; i++)
        seq = seq << 8 | seqb[i];
    /* mostly small sequence numbers, sometimes the limits */
    if (sel & 8u)
        seq &= 0xffffu;

    uint8_t secret[48];
    memcpy(secret, key, 32);
    memcpy(secret + 32, nonce, 12);
    memcpy(secret + 44, seqb, 4);
    for (int b = 0; b < 2; b++) {
        C = BACKENDS[b];
        check_aead(alg, key, nonce, aad, aad_len, PT, n);
        check_record(alg, key, nonce, seq, (uint8_t)(sel >> 4), PT, n, (size_t)key[0] * 4u);
        check_label(h, secret, label, label_len, ctx, ctx_len, fuzz_rd16(outl) % (255u * atoll_tls_hash_len(h) + 64u));
        check_hash(h, PT, n, n ? (size_t)key[1] % (n + 1) : 0);
    }
    free(copy);
    return 0;
}
