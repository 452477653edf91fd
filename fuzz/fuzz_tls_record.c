/* SPDX-License-Identifier: Apache-2.0 */
/* The record layer (tls/record.h, tls/record_wire.h) on arbitrary bytes.
 *
 * Input: flags (1 byte), max_inner (2 bytes, big-endian), then
 *   flags bit 2 clear ("raw"): records back to back, each header-parsed
 *     (both protected_ settings) and, when complete, opened in place with
 *     a fixed key, sequence numbers running on. With AES-128-GCM the key
 *     and IV are RFC 8448 §3's server handshake ones, so the RFC's flight
 *     (a seed) opens and the fuzzer starts from an authentic record.
 *   flags bit 2 set ("seal"): pad (2), mutation offset (2), mutation xor
 *     (1), inner content type (1), then the plaintext: sealed, one byte
 *     xored, opened. No change must round-trip exactly; any change must
 *     fail, with the alert the header names for what was changed.
 * flags bits 0-1 pick the AEAD (3 = AES-128-GCM). Contract violations
 * abort(). */
#include "fuzz_common.h"
#include "tls/backend/crypto_mbedtls.h"
#include "tls/record.h"

static struct atoll_tls_crypto C;
static struct tls_mbedtls_state ST;

static const uint8_t RFC8448_KEY[16] = {0x3f, 0xce, 0x51, 0x60, 0x09, 0xc2, 0x17, 0x27,
                                        0xd0, 0xf2, 0xe4, 0xe8, 0x6e, 0xe4, 0x03, 0xbc};
static const uint8_t RFC8448_IV[12] = {0x5d, 0x31, 0x3e, 0xb2, 0x67, 0x12, 0x76, 0xee, 0x13, 0x00, 0x0b, 0x30};

static struct tls_traffic fixed_traffic(unsigned sel)
{
    static const enum atoll_tls_aead_alg algs[4] = {ATOLL_TLS_AEAD_AES_128_GCM, ATOLL_TLS_AEAD_AES_256_GCM, ATOLL_TLS_AEAD_CHACHA20_POLY1305,
                                              ATOLL_TLS_AEAD_AES_128_GCM};
    struct tls_traffic t;
    memset(&t, 0, sizeof t);
    enum atoll_tls_aead_alg a = algs[sel & 3u];
    if (a == ATOLL_TLS_AEAD_AES_128_GCM) {
        FUZZ_CHECK(tls_traffic_set_key(&t, &C, a, ATOLL_TLS_HASH_SHA256, RFC8448_KEY, RFC8448_IV) == 0);
        return t;
    }
    uint8_t secret[48];
    memset(secret, 0x42, sizeof secret);
    FUZZ_CHECK(tls_traffic_init(&t, &C, a, a == ATOLL_TLS_AEAD_AES_256_GCM ? ATOLL_TLS_HASH_SHA384 : ATOLL_TLS_HASH_SHA256, secret) == 0);
    return t;
}

/* The header contract, restated independently. */
static int expect_hdr(const uint8_t *b, size_t n, int prot)
{
    if (n < 5)
        return TLS_RECORD_E_NEED_MORE;
    if (b[0] < 20 || b[0] > 23)
        return -TLS_ALERT_UNEXPECTED_MESSAGE;
    uint32_t len = fuzz_rd16(b + 3);
    if (len > ((prot && b[0] == 23) ? 16640u : 16384u))
        return -TLS_ALERT_RECORD_OVERFLOW;
    if (len == 0 && b[0] != 23)
        return -TLS_ALERT_UNEXPECTED_MESSAGE; /* §5.1; spec/tls_alerts.md R4 */
    return 5;
}

static void check_hdr(const uint8_t *b, size_t n)
{
    for (int prot = 0; prot <= 1; prot++) {
        uint8_t *p = fuzz_dup(b, n);
        struct tls_record_hdr h;
        memset(&h, 0xa5, sizeof h);
        int r = tls_record_hdr_parse(p, n, prot, &h);
        FUZZ_CHECK(r == expect_hdr(b, n, prot));
        if (r == 5) {
            FUZZ_CHECK(h.type == b[0] && h.version == fuzz_rd16(b + 1) && h.length == fuzz_rd16(b + 3));
            uint8_t w[5];
            tls_record_hdr_write(w, h.type, h.length);
            FUZZ_CHECK(w[0] == b[0] && w[1] == 3 && w[2] == 3 && memcmp(w + 3, b + 3, 2) == 0);
        }
        free(p);
    }
}

/* Opens one complete record (a private exact-size copy) and checks the
 * outcome against the contract. */
static void check_open(struct tls_traffic *t, const uint8_t *rec, size_t n, size_t max_inner)
{
    uint8_t *p = fuzz_dup(rec, n);
    uint64_t seq = t->seq;
    uint8_t type = 0;
    uint8_t *pt = NULL;
    size_t pt_len = 0;
    int r = tls_record_open(t, &C, p, n, max_inner, &type, &pt, &pt_len);
    size_t body = n - 5;
    size_t cap = max_inner > 16385 ? 16385 : max_inner;
    if (rec[0] != 23)
        FUZZ_CHECK(r == -TLS_ALERT_BAD_RECORD_MAC);
    else if (body > 16640 || (body >= 16 && body - 16 > cap))
        FUZZ_CHECK(r == -TLS_ALERT_RECORD_OVERFLOW);
    else if (body < 16)
        FUZZ_CHECK(r == -TLS_ALERT_BAD_RECORD_MAC);
    else
        FUZZ_CHECK(r == 0 || r == -TLS_ALERT_BAD_RECORD_MAC || r == -TLS_ALERT_UNEXPECTED_MESSAGE);
    if (r != 0) {
        FUZZ_CHECK(t->seq == seq);
    } else {
        FUZZ_CHECK(t->seq == seq + 1);
        FUZZ_CHECK(body >= 17 && pt == p + 5 && pt_len <= body - 17 && pt_len <= 16384);
        FUZZ_CHECK(type != 0 && pt[pt_len] == type);
        for (size_t i = pt_len + 1; i < body - 16; i++)
            FUZZ_CHECK(pt[i] == 0);
    }
    free(p);
}

static void run_raw(unsigned sel, size_t max_inner, const uint8_t *b, size_t n)
{
    struct tls_traffic t = fixed_traffic(sel);
    while (n > 0) {
        check_hdr(b, n);
        if (n < 5)
            return;
        size_t len = fuzz_rd16(b + 3);
        if (n - 5 < len)
            return; /* incomplete: the engine would wait */
        check_open(&t, b, 5 + len, max_inner);
        b += 5 + len;
        n -= 5 + len;
    }
}

static uint8_t REC[TLS_RECORD_MAX + 64];

static void run_seal(unsigned sel, size_t max_inner, const uint8_t *b, size_t n)
{
    if (n < 6)
        return;
    size_t pad = fuzz_rd16(b) % 600u;
    size_t pos = fuzz_rd16(b + 2);
    uint8_t x = b[4], type = b[5];
    const uint8_t *in = b + 6;
    size_t len = n - 6;
    struct tls_traffic tx = fixed_traffic(sel), rx = fixed_traffic(sel);
    size_t cap = max_inner > 16385 ? 16385 : max_inner;
    int r = tls_record_seal(&tx, &C, type, in, len, pad, max_inner, REC, sizeof REC);
    if (type == 0) {
        FUZZ_CHECK(r == ATOLL_TLS_CRYPTO_E_FAIL);
        return;
    }
    if (len + 1 + pad > cap) {
        FUZZ_CHECK(r == ATOLL_TLS_CRYPTO_E_SPACE && tx.seq == 0);
        return;
    }
    FUZZ_CHECK(r == (int)(5 + len + 1 + pad + 16) && tx.seq == 1);
    size_t rl = (size_t)r;
    check_hdr(REC, rl);
    pos %= rl;
    REC[pos] ^= x;
    uint8_t *p = fuzz_dup(REC, rl);
    uint8_t ot = 0, *pt = NULL;
    size_t pt_len = 0;
    int o = tls_record_open(&rx, &C, p, rl, cap, &ot, &pt, &pt_len);
    if (x == 0) {
        FUZZ_CHECK(o == 0 && ot == type && pt_len == len && rx.seq == 1);
        FUZZ_CHECK(len == 0 || memcmp(pt, in, len) == 0);
    } else if (pos == 3 || pos == 4) {
        FUZZ_CHECK(o == -TLS_ALERT_INTERNAL_ERROR); /* length no longer matches */
    } else {
        FUZZ_CHECK(o == -TLS_ALERT_BAD_RECORD_MAC && rx.seq == 0);
    }
    free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (C.ops == NULL) {
        uint8_t seed[32];
        memset(seed, 0x17, sizeof seed);
        if (tls_crypto_mbedtls_init(&C, &ST, seed, sizeof seed) != 0)
            abort();
    }
    if (size < 3)
        return 0;
    unsigned flags = data[0];
    size_t max_inner = fuzz_rd16(data + 1);
    if (flags & 4u)
        run_seal(flags, max_inner, data + 3, size - 3);
    else
        run_raw(flags, max_inner, data + 3, size - 3);
    return 0;
}
