/* SPDX-License-Identifier: Apache-2.0 */
/* The record layer (tls/record.h, tls/record_wire.h): header parsing and
 * its alerts, the padding scan, seal/open round trips at every padding and
 * size edge, tampering of tag, header and sequence, the limits of RFC 8446
 * §5 and RFC 8449, and the RFC 8448 §3 records under the keys the RFC
 * prints (independent of the key schedule). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"
#include "tls/record.h"
#include "rfc8448.h"
#include "tls_testutil.h"

static struct atoll_tls_crypto C;
static struct tls_test_state ST;

static int setup(void **state)
{
    (void)state;
    tls_test_crypto(&C, &ST, 0x22);
    return 0;
}

static int teardown(void **state)
{
    tls_test_crypto_free(&ST);
    return exact_teardown(state);
}

static const enum atoll_tls_aead_alg AEADS[] = {ATOLL_TLS_AEAD_AES_128_GCM, ATOLL_TLS_AEAD_AES_256_GCM, ATOLL_TLS_AEAD_CHACHA20_POLY1305};

/* A traffic state with keys from a made-up secret. */
static struct tls_traffic traffic(enum atoll_tls_aead_alg aead, uint8_t fill)
{
    uint8_t secret[48];
    memset(secret, fill, sizeof secret);
    struct tls_traffic t;
    enum atoll_tls_hash_alg h = aead == ATOLL_TLS_AEAD_AES_256_GCM ? ATOLL_TLS_HASH_SHA384 : ATOLL_TLS_HASH_SHA256;
    assert_int_equal(tls_traffic_init(&t, &C, aead, h, secret), 0);
    return t;
}

/* ---- header ------------------------------------------------------------ */

static int parse(const uint8_t *b, size_t n, int prot, struct tls_record_hdr *h)
{
    return tls_record_hdr_parse(exact(b, n), n, prot, h);
}

static void hdr_parse_needs_five_bytes(void **state)
{
    (void)state;
    uint8_t b[5] = {22, 3, 3, 0, 10};
    for (size_t n = 0; n < 5; n++) {
        struct tls_record_hdr h = {0xee, 0xeeee, 0xeeee};
        assert_int_equal(parse(b, n, 0, &h), TLS_RECORD_E_NEED_MORE);
        assert_int_equal(h.type, 0xee); /* untouched */
    }
    struct tls_record_hdr h;
    assert_int_equal(parse(b, 5, 0, &h), 5);
    assert_int_equal(h.type, 22);
    assert_int_equal(h.version, 0x0303);
    assert_int_equal(h.length, 10);
}

static void hdr_parse_rejects_unknown_types(void **state)
{
    (void)state;
    for (int t = 0; t < 256; t++) {
        uint8_t b[5] = {(uint8_t)t, 3, 1, 0, 1};
        struct tls_record_hdr h;
        int want = (t >= 20 && t <= 23) ? 5 : -TLS_ALERT_UNEXPECTED_MESSAGE;
        assert_int_equal(parse(b, 5, 0, &h), want);
        assert_int_equal(parse(b, 5, 1, &h), want);
    }
}

/* The rule, written out: 2^14 + 256 for protected application data,
 * 2^14 otherwise; only application data may be empty (an empty alert,
 * handshake or CCS record is unexpected_message, §5.1). */
static int expected(uint8_t type, int prot, unsigned len)
{
    unsigned limit = (prot && type == 23) ? 16640u : 16384u;
    if (len > limit)
        return -TLS_ALERT_RECORD_OVERFLOW;
    if (len == 0 && type != 23)
        return -TLS_ALERT_UNEXPECTED_MESSAGE;
    return 5;
}

static void hdr_parse_length_limits(void **state)
{
    (void)state;
    static const unsigned lens[] = {0, 1, 2, 16383, 16384, 16385, 16639, 16640, 16641, 65535};
    for (uint8_t type = 20; type <= 23; type++) {
        for (int prot = 0; prot <= 1; prot++) {
            for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
                uint8_t b[5] = {type, 3, 3, (uint8_t)(lens[i] / 256), (uint8_t)(lens[i] % 256)};
                struct tls_record_hdr h = {0, 0, 0};
                int r = parse(b, 5, prot, &h);
                assert_int_equal(r, expected(type, prot, lens[i]));
                if (r == 5)
                    assert_int_equal(h.length, lens[i]);
            }
        }
    }
    /* the version is reported, never judged; trailing bytes are not read */
    uint8_t b[9] = {23, 0x03, 0x01, 0x00, 0x20, 1, 2, 3, 4};
    struct tls_record_hdr h;
    assert_int_equal(parse(b, 9, 1, &h), 5);
    assert_int_equal(h.version, 0x0301);
}

static void hdr_write_round_trips(void **state)
{
    (void)state;
    static const uint16_t lens[] = {1, 255, 256, 16384, 16640};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint8_t b[6];
        memset(b, 0xcc, sizeof b);
        tls_record_hdr_write(b, TLS_CT_APPLICATION_DATA, lens[i]);
        assert_int_equal(b[5], 0xcc);
        assert_int_equal(b[0], 23);
        assert_int_equal(b[1], 3);
        assert_int_equal(b[2], 3);
        struct tls_record_hdr h;
        assert_int_equal(parse(b, 5, 1, &h), 5);
        assert_int_equal(h.length, lens[i]);
    }
}

static void inner_split_finds_the_last_nonzero_byte(void **state)
{
    (void)state;
    uint8_t b[64] = {0};
    uint8_t type = 0xee;
    size_t cl = 999;
    for (size_t n = 0; n <= sizeof b; n++)
        assert_int_equal(tls_record_inner_split(exact(b, n), n, &type, &cl), -TLS_ALERT_UNEXPECTED_MESSAGE);
    assert_int_equal(type, 0xee);
    assert_int_equal(cl, 999);
    /* content "\0\0x" with type 22 at every position, padding after */
    for (size_t pos = 0; pos < sizeof b; pos++) {
        memset(b, 0, sizeof b);
        b[pos] = 22;
        if (pos >= 2)
            b[0] = 'x'; /* content "x\0...\0": it may end in zeros */
        assert_int_equal(tls_record_inner_split(exact(b, sizeof b), sizeof b, &type, &cl), 0);
        assert_int_equal(type, 22);
        assert_int_equal(cl, pos);
    }
}

/* ---- seal and open ----------------------------------------------------- */

static uint8_t BIG_IN[TLS_PLAINTEXT_MAX + 512];
static uint8_t BIG_REC[TLS_RECORD_MAX + 512];

static void seal_open_ok(enum atoll_tls_aead_alg aead, size_t len, size_t pad, size_t max_inner)
{
    struct tls_traffic tx = traffic(aead, 1), rx = traffic(aead, 1);
    fill_pattern(BIG_IN, len, (unsigned)(len + pad));
    size_t want = 5 + len + 1 + pad + 16;
    memset(BIG_REC, 0xcc, want + 1);
    int n = tls_record_seal(&tx, &C, TLS_CT_APPLICATION_DATA, BIG_IN, len, pad, max_inner, BIG_REC, want);
    assert_int_equal(n, (int)want);
    assert_int_equal(BIG_REC[want], 0xcc);
    assert_true(tx.seq == 1);
    assert_int_equal(BIG_REC[0], 23);
    assert_int_equal(BIG_REC[1] * 256 + BIG_REC[2], 0x0303);
    assert_int_equal(BIG_REC[3] * 256 + BIG_REC[4], (int)want - 5);
    struct tls_record_hdr h;
    assert_int_equal(tls_record_hdr_parse(BIG_REC, want, 1, &h), 5);
    uint8_t type = 0, *pt = NULL;
    size_t pt_len = 0;
    assert_int_equal(tls_record_open(&rx, &C, BIG_REC, want, max_inner, &type, &pt, &pt_len), 0);
    assert_int_equal(type, TLS_CT_APPLICATION_DATA);
    assert_int_equal(pt_len, len);
    assert_ptr_equal(pt, BIG_REC + 5);
    assert_memory_equal(pt, BIG_IN, len);
    assert_true(rx.seq == 1);
}

static void seal_open_round_trip_at_padding_edges(void **state)
{
    (void)state;
    static const size_t maxes[] = {64, 1000, TLS_PLAINTEXT_MAX + 1};
    for (size_t a = 0; a < 3; a++) {
        for (size_t m = 0; m < 3; m++) {
            size_t max = maxes[m];
            seal_open_ok(AEADS[a], 0, 0, max);           /* type byte only */
            seal_open_ok(AEADS[a], 0, max - 1, max);     /* all padding */
            seal_open_ok(AEADS[a], max - 1, 0, max);     /* all content */
            seal_open_ok(AEADS[a], max / 2, max - 1 - max / 2, max);
            seal_open_ok(AEADS[a], 1, 0, max);
            seal_open_ok(AEADS[a], 0, 1, max);
        }
        /* a limit above 2^14 + 1 counts as 2^14 + 1 */
        seal_open_ok(AEADS[a], TLS_PLAINTEXT_MAX, 0, 100000);
    }
}

static void seal_refuses_what_does_not_fit(void **state)
{
    (void)state;
    uint8_t in[128] = {1}, out[256];
    for (size_t a = 0; a < 3; a++) {
        struct tls_traffic t = traffic(AEADS[a], 2);
        const size_t max = 64;
        /* one byte over max_inner, every way */
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 64, 0, max, out, sizeof out), ATOLL_TLS_CRYPTO_E_SPACE);
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 0, 64, max, out, sizeof out), ATOLL_TLS_CRYPTO_E_SPACE);
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 30, 34, max, out, sizeof out), ATOLL_TLS_CRYPTO_E_SPACE);
        /* sizes that would wrap a size_t */
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 10, SIZE_MAX, max, out, sizeof out), ATOLL_TLS_CRYPTO_E_SPACE);
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 10, SIZE_MAX - 10, max, out, sizeof out),
                         ATOLL_TLS_CRYPTO_E_SPACE);
        assert_int_equal(tls_record_seal(&t, &C, 23, in, SIZE_MAX, 0, SIZE_MAX, out, sizeof out), ATOLL_TLS_CRYPTO_E_SPACE);
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 0, 0, 0, out, sizeof out), ATOLL_TLS_CRYPTO_E_SPACE);
        /* output capacity: exact fits, one less does not */
        size_t need = 5 + 30 + 1 + 3 + 16;
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 30, 3, max, out, need - 1), ATOLL_TLS_CRYPTO_E_SPACE);
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 30, 3, max, out, 4), ATOLL_TLS_CRYPTO_E_SPACE);
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 30, 3, max, out, 0), ATOLL_TLS_CRYPTO_E_SPACE);
        assert_true(t.seq == 0); /* nothing was sealed */
        assert_int_equal(tls_record_seal(&t, &C, 23, in, 30, 3, max, out, need), (int)need);
        assert_true(t.seq == 1);
        /* an inner content type of 0 could never be read back */
        assert_int_equal(tls_record_seal(&t, &C, 0, in, 30, 3, max, out, need), ATOLL_TLS_CRYPTO_E_FAIL);
        assert_true(t.seq == 1);
    }
}

/* Each content type survives, hidden behind application_data. */
static void inner_types_are_hidden_and_recovered(void **state)
{
    (void)state;
    static const uint8_t types[] = {TLS_CT_ALERT, TLS_CT_HANDSHAKE, TLS_CT_APPLICATION_DATA, 0xff};
    struct tls_traffic tx = traffic(ATOLL_TLS_AEAD_AES_128_GCM, 3), rx = traffic(ATOLL_TLS_AEAD_AES_128_GCM, 3);
    for (size_t i = 0; i < sizeof types; i++) {
        uint8_t rec[64], *pt, type;
        size_t pt_len;
        int n = tls_record_seal(&tx, &C, types[i], (const uint8_t *)"hello", 5, 7, 16385, rec, sizeof rec);
        assert_int_equal(n, 5 + 5 + 1 + 7 + 16);
        assert_int_equal(rec[0], 23);
        assert_int_equal(tls_record_open(&rx, &C, rec, (size_t)n, 16385, &type, &pt, &pt_len), 0);
        assert_int_equal(type, types[i]);
        assert_int_equal(pt_len, 5);
        assert_memory_equal(pt, "hello", 5);
    }
}

/* Build one record at sequence 0 of a fresh key pair. */
static size_t one_record(enum atoll_tls_aead_alg aead, uint8_t *rec, size_t cap, struct tls_traffic *rx)
{
    struct tls_traffic tx = traffic(aead, 4);
    *rx = traffic(aead, 4);
    int n = tls_record_seal(&tx, &C, TLS_CT_HANDSHAKE, (const uint8_t *)"0123456789abcdef", 16, 5, 16385, rec, cap);
    assert_true(n > 0);
    return (size_t)n;
}

static void tampering_is_bad_record_mac(void **state)
{
    (void)state;
    for (size_t a = 0; a < 3; a++) {
        uint8_t rec[128], bad[128], type, *pt;
        size_t pt_len;
        struct tls_traffic rx;
        size_t n = one_record(AEADS[a], rec, sizeof rec, &rx);
        for (size_t i = 0; i < n; i++) {
            if (i == 3 || i == 4)
                continue; /* the length field: see below */
            for (int bit = 0; bit < 8; bit++) {
                memcpy(bad, rec, n);
                bad[i] ^= (uint8_t)(1u << bit);
                assert_int_equal(tls_record_open(&rx, &C, bad, n, 16385, &type, &pt, &pt_len),
                                 -TLS_ALERT_BAD_RECORD_MAC);
                assert_true(rx.seq == 0);
            }
        }
        /* one byte dropped, length field following it: the tag no longer fits */
        memcpy(bad, rec, n);
        bad[4] = (uint8_t)(bad[4] - 1);
        assert_int_equal(tls_record_open(&rx, &C, bad, n - 1, 16385, &type, &pt, &pt_len), -TLS_ALERT_BAD_RECORD_MAC);
        /* one byte appended */
        memcpy(bad, rec, n);
        bad[n] = 0;
        bad[4] = (uint8_t)(bad[4] + 1);
        assert_int_equal(tls_record_open(&rx, &C, bad, n + 1, 16385, &type, &pt, &pt_len), -TLS_ALERT_BAD_RECORD_MAC);
        /* an outer type other than application_data, even with a good tag */
        memcpy(bad, rec, n);
        bad[0] = TLS_CT_HANDSHAKE;
        assert_int_equal(tls_record_open(&rx, &C, bad, n, 16385, &type, &pt, &pt_len), -TLS_ALERT_BAD_RECORD_MAC);
        /* shorter than a tag */
        memcpy(bad, rec, n);
        for (size_t body = 0; body < 16; body++) {
            bad[3] = 0;
            bad[4] = (uint8_t)body;
            assert_int_equal(tls_record_open(&rx, &C, bad, 5 + body, 16385, &type, &pt, &pt_len),
                             -TLS_ALERT_BAD_RECORD_MAC);
        }
        /* a caller handing a length that disagrees with the header */
        memcpy(bad, rec, n);
        assert_int_equal(tls_record_open(&rx, &C, bad, n - 1, 16385, &type, &pt, &pt_len), -TLS_ALERT_INTERNAL_ERROR);
        assert_int_equal(tls_record_open(&rx, &C, bad, 4, 16385, &type, &pt, &pt_len), -TLS_ALERT_INTERNAL_ERROR);
        assert_true(rx.seq == 0);
        assert_int_equal(tls_record_open(&rx, &C, rec, n, 16385, &type, &pt, &pt_len), 0);
        assert_int_equal(type, TLS_CT_HANDSHAKE);
        assert_int_equal(pt_len, 16);
    }
}

/* The sequence number is in the nonce: a skipped, repeated or reordered
 * record does not open. */
static void sequence_is_authenticated(void **state)
{
    (void)state;
    for (size_t a = 0; a < 3; a++) {
        struct tls_traffic tx = traffic(AEADS[a], 5), rx = traffic(AEADS[a], 5);
        uint8_t r0[64], r1[64], copy[64], type, *pt;
        size_t pt_len;
        int n0 = tls_record_seal(&tx, &C, 23, (const uint8_t *)"first", 5, 0, 16385, r0, sizeof r0);
        int n1 = tls_record_seal(&tx, &C, 23, (const uint8_t *)"other", 5, 0, 16385, r1, sizeof r1);
        assert_int_equal(n0, n1);
        /* same length and key, different ciphertexts */
        assert_memory_not_equal(r0 + 5, r1 + 5, (size_t)n0 - 5);
        memcpy(copy, r1, (size_t)n1);
        assert_int_equal(tls_record_open(&rx, &C, copy, (size_t)n1, 16385, &type, &pt, &pt_len),
                         -TLS_ALERT_BAD_RECORD_MAC); /* r1 before r0 */
        memcpy(copy, r0, (size_t)n0);
        assert_int_equal(tls_record_open(&rx, &C, copy, (size_t)n0, 16385, &type, &pt, &pt_len), 0);
        memcpy(copy, r0, (size_t)n0);
        assert_int_equal(tls_record_open(&rx, &C, copy, (size_t)n0, 16385, &type, &pt, &pt_len),
                         -TLS_ALERT_BAD_RECORD_MAC); /* replayed */
        assert_int_equal(tls_record_open(&rx, &C, r1, (size_t)n1, 16385, &type, &pt, &pt_len), 0);
        assert_memory_equal(pt, "other", 5);
    }
}

/* The nonce is the IV XOR the big-endian sequence number in its last 8
 * bytes, and the header is the additional data: checked by opening with the
 * backend directly. */
static void nonce_and_aad_are_rfc8446(void **state)
{
    (void)state;
    struct tls_traffic tx = traffic(ATOLL_TLS_AEAD_CHACHA20_POLY1305, 6);
    const uint64_t seq = 0x0102030405060708ull;
    tx.seq = seq;
    uint8_t rec[64], out[64];
    int n = tls_record_seal(&tx, &C, 22, (const uint8_t *)"abc", 3, 2, 16385, rec, sizeof rec);
    assert_int_equal(n, 5 + 3 + 1 + 2 + 16);
    uint8_t nonce[12];
    memcpy(nonce, tx.iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[4 + i] ^= (uint8_t)(seq >> (56 - 8 * i));
    assert_int_equal(C.ops->aead_open(&tx.key, nonce, rec, 5, rec + 5, (size_t)n - 5, out), 0);
    assert_memory_equal(out, "abc\x16\0\0", 6);
}

static void sequence_limits(void **state)
{
    (void)state;
    uint8_t rec[64], type, *pt;
    size_t pt_len;
    /* ChaCha20-Poly1305: every number but the last */
    struct tls_traffic tx = traffic(ATOLL_TLS_AEAD_CHACHA20_POLY1305, 7), rx = traffic(ATOLL_TLS_AEAD_CHACHA20_POLY1305, 7);
    assert_true(tls_traffic_budget(&tx) == UINT64_MAX);
    tx.seq = rx.seq = UINT64_MAX - 1;
    assert_true(tls_traffic_budget(&tx) == 1);
    int n = tls_record_seal(&tx, &C, 23, (const uint8_t *)"x", 1, 0, 16385, rec, sizeof rec);
    assert_true(n > 0);
    assert_true(tx.seq == UINT64_MAX);
    assert_true(tls_traffic_budget(&tx) == 0);
    uint8_t r2[64];
    assert_int_equal(tls_record_seal(&tx, &C, 23, (const uint8_t *)"x", 1, 0, 16385, r2, sizeof r2),
                     TLS_RECORD_E_SEQ_EXHAUSTED);
    assert_true(tx.seq == UINT64_MAX);
    assert_int_equal(tls_record_open(&rx, &C, rec, (size_t)n, 16385, &type, &pt, &pt_len), 0);
    assert_true(rx.seq == UINT64_MAX);
    assert_int_equal(tls_record_open(&rx, &C, rec, (size_t)n, 16385, &type, &pt, &pt_len), TLS_RECORD_E_SEQ_EXHAUSTED);

    /* AES-GCM: 2^24.5 records per key when sealing (§5.5) */
    for (size_t a = 0; a < 2; a++) {
        struct tls_traffic g = traffic(AEADS[a], 8), gr = traffic(AEADS[a], 8);
        assert_true(tls_traffic_budget(&g) == TLS_AES_GCM_RECORD_LIMIT);
        g.seq = gr.seq = TLS_AES_GCM_RECORD_LIMIT - 1;
        assert_true(tls_traffic_budget(&g) == 1);
        n = tls_record_seal(&g, &C, 23, (const uint8_t *)"y", 1, 0, 16385, rec, sizeof rec);
        assert_true(n > 0);
        assert_true(tls_traffic_budget(&g) == 0);
        assert_int_equal(tls_record_seal(&g, &C, 23, (const uint8_t *)"y", 1, 0, 16385, r2, sizeof r2),
                         TLS_RECORD_E_SEQ_EXHAUSTED);
        g.seq = UINT64_MAX;
        assert_true(tls_traffic_budget(&g) == 0);
        /* the receiving side only guards the wrap */
        assert_int_equal(tls_record_open(&gr, &C, rec, (size_t)n, 16385, &type, &pt, &pt_len), 0);
        assert_true(gr.seq == TLS_AES_GCM_RECORD_LIMIT);
    }
}

/* Seal an arbitrary inner plaintext with the record's nonce and header,
 * bypassing tls_record_seal's own checks, to exercise open's. */
static size_t raw_record(struct tls_traffic *t, const uint8_t *inner, size_t inner_len, uint8_t *rec)
{
    size_t body = inner_len + 16;
    tls_record_hdr_write(rec, 23, (uint16_t)body);
    uint8_t nonce[12];
    memcpy(nonce, t->iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[4 + i] ^= (uint8_t)(t->seq >> (56 - 8 * i));
    assert_int_equal(C.ops->aead_seal(&t->key, nonce, rec, 5, inner, inner_len, rec + 5), 0);
    return 5 + body;
}

static void open_enforces_inner_limits(void **state)
{
    (void)state;
    static uint8_t inner[TLS_PLAINTEXT_MAX + 300];
    uint8_t type, *pt;
    size_t pt_len;
    for (size_t a = 0; a < 3; a++) {
        struct tls_traffic k = traffic(AEADS[a], 9);
        /* 2^14 + 1 bytes of TLSInnerPlaintext: the largest allowed */
        memset(inner, 'a', sizeof inner);
        size_t n = raw_record(&k, inner, TLS_PLAINTEXT_MAX + 1, BIG_REC);
        struct tls_traffic rx = k;
        assert_int_equal(tls_record_open(&rx, &C, BIG_REC, n, TLS_PLAINTEXT_MAX + 1, &type, &pt, &pt_len), 0);
        assert_int_equal(pt_len, TLS_PLAINTEXT_MAX);
        /* one more: record_overflow, whatever the receiver's limit says */
        n = raw_record(&k, inner, TLS_PLAINTEXT_MAX + 2, BIG_REC);
        rx = k;
        assert_int_equal(tls_record_open(&rx, &C, BIG_REC, n, TLS_PLAINTEXT_MAX + 1, &type, &pt, &pt_len),
                         -TLS_ALERT_RECORD_OVERFLOW);
        assert_int_equal(tls_record_open(&rx, &C, BIG_REC, n, 1u << 20, &type, &pt, &pt_len),
                         -TLS_ALERT_RECORD_OVERFLOW);
        /* a body beyond 2^14 + 256, before any decryption */
        tls_record_hdr_write(BIG_REC, 23, TLS_CIPHERTEXT_MAX + 1);
        assert_int_equal(tls_record_open(&rx, &C, BIG_REC, 5 + TLS_CIPHERTEXT_MAX + 1, 1u << 20, &type, &pt, &pt_len),
                         -TLS_ALERT_RECORD_OVERFLOW);
        /* RFC 8449: our advertised limit, at its edge (64 is the minimum) */
        n = raw_record(&k, inner, 64, BIG_REC);
        rx = k;
        assert_int_equal(tls_record_open(&rx, &C, BIG_REC, n, 63, &type, &pt, &pt_len), -TLS_ALERT_RECORD_OVERFLOW);
        assert_true(rx.seq == k.seq);
        assert_int_equal(tls_record_open(&rx, &C, BIG_REC, n, 64, &type, &pt, &pt_len), 0);
        assert_int_equal(pt_len, 63);
    }
}

static void open_needs_a_content_type(void **state)
{
    (void)state;
    uint8_t zeros[40] = {0}, rec[80], type, *pt;
    size_t pt_len;
    for (size_t a = 0; a < 3; a++) {
        struct tls_traffic k = traffic(AEADS[a], 10);
        for (size_t len = 0; len <= sizeof zeros; len += 8) {
            size_t n = raw_record(&k, zeros, len, rec);
            struct tls_traffic rx = k;
            assert_int_equal(tls_record_open(&rx, &C, rec, n, 16385, &type, &pt, &pt_len),
                             -TLS_ALERT_UNEXPECTED_MESSAGE);
            assert_true(rx.seq == k.seq);
        }
    }
}

/* KeyUpdate on both ends: the new keys interoperate, the old ones are gone. */
static void key_update_both_ends(void **state)
{
    (void)state;
    for (size_t a = 0; a < 3; a++) {
        struct tls_traffic tx = traffic(AEADS[a], 11), rx = traffic(AEADS[a], 11);
        uint8_t rec[64], old[64], type, *pt;
        size_t pt_len;
        int n = tls_record_seal(&tx, &C, 23, (const uint8_t *)"a", 1, 0, 16385, rec, sizeof rec);
        assert_int_equal(tls_record_open(&rx, &C, rec, (size_t)n, 16385, &type, &pt, &pt_len), 0);
        uint8_t old_secret[ATOLL_TLS_HASH_MAX], old_key[ATOLL_TLS_AEAD_CTX_SIZE];
        memcpy(old_secret, tx.secret, sizeof old_secret);
        memcpy(old_key, tx.key.opaque, sizeof old_key);
        assert_int_equal(tls_traffic_update(&tx, &C), 0);
        assert_true(tx.seq == 0);
        assert_memory_not_equal(old_secret, tx.secret, atoll_tls_hash_len(tx.hash));
        assert_memory_not_equal(old_key, tx.key.opaque, sizeof old_key);
        n = tls_record_seal(&tx, &C, 23, (const uint8_t *)"b", 1, 0, 16385, rec, sizeof rec);
        memcpy(old, rec, (size_t)n);
        assert_int_equal(tls_record_open(&rx, &C, old, (size_t)n, 16385, &type, &pt, &pt_len),
                         -TLS_ALERT_BAD_RECORD_MAC); /* receiver not yet updated */
        assert_int_equal(tls_traffic_update(&rx, &C), 0);
        assert_int_equal(tls_record_open(&rx, &C, rec, (size_t)n, 16385, &type, &pt, &pt_len), 0);
        assert_memory_equal(pt, "b", 1);
    }
}

/* ---- RFC 8448 §3 ------------------------------------------------------- */

static struct tls_traffic rfc_traffic(const char *key, const char *iv)
{
    struct tls_traffic t;
    uint8_t k[32], v[12];
    memset(&t, 0, sizeof t);
    assert_int_equal(unhex(key, k, sizeof k), 16);
    assert_int_equal(unhex(iv, v, sizeof v), 12);
    assert_int_equal(tls_traffic_set_key(&t, &C, ATOLL_TLS_AEAD_AES_128_GCM, ATOLL_TLS_HASH_SHA256, k, v), 0);
    return t;
}

/* The server's first protected record (EncryptedExtensions, Certificate,
 * CertificateVerify, Finished) opens to the messages the RFC gives, and
 * sealing those messages reproduces the record byte for byte. */
static void rfc8448_server_flight(void **state)
{
    (void)state;
    static uint8_t msgs[700], rec[700], mine[700];
    size_t m = 0;
    m += unhex(RFC8448_S3_ENCRYPTED_EXTENSIONS, msgs + m, sizeof msgs - m);
    m += unhex(RFC8448_S3_CERTIFICATE, msgs + m, sizeof msgs - m);
    m += unhex(RFC8448_S3_CERTIFICATE_VERIFY, msgs + m, sizeof msgs - m);
    m += unhex(RFC8448_S3_SERVER_FINISHED, msgs + m, sizeof msgs - m);
    assert_int_equal(m, 657);
    size_t n = unhex(RFC8448_S3_SERVER_FLIGHT_RECORD, rec, sizeof rec);
    assert_int_equal(n, 679);

    struct tls_traffic tx = rfc_traffic(RFC8448_S3_SERVER_HS_KEY, RFC8448_S3_SERVER_HS_IV);
    int r = tls_record_seal(&tx, &C, TLS_CT_HANDSHAKE, msgs, m, 0, TLS_PLAINTEXT_MAX + 1, mine, sizeof mine);
    assert_int_equal(r, 679);
    assert_memory_equal(mine, rec, 679);

    struct tls_traffic rx = rfc_traffic(RFC8448_S3_SERVER_HS_KEY, RFC8448_S3_SERVER_HS_IV);
    uint8_t type = 0, *pt = NULL;
    size_t pt_len = 0;
    assert_int_equal(tls_record_open(&rx, &C, exact(rec, n), n, TLS_PLAINTEXT_MAX + 1, &type, &pt, &pt_len), 0);
    assert_int_equal(type, TLS_CT_HANDSHAKE);
    assert_int_equal(pt_len, 657);
    assert_memory_equal(pt, msgs, 657);
    assert_true(rx.seq == 1);
}

static void rfc8448_client_finished(void **state)
{
    (void)state;
    uint8_t fin[36], rec[64], mine[64];
    unhex(RFC8448_S3_CLIENT_FINISHED, fin, sizeof fin);
    size_t n = unhex(RFC8448_S3_CLIENT_FINISHED_RECORD, rec, sizeof rec);
    assert_int_equal(n, 58);
    struct tls_traffic tx = rfc_traffic(RFC8448_S3_CLIENT_HS_KEY, RFC8448_S3_CLIENT_HS_IV);
    assert_int_equal(tls_record_seal(&tx, &C, TLS_CT_HANDSHAKE, fin, 36, 0, 16385, mine, sizeof mine), 58);
    assert_memory_equal(mine, rec, 58);
    struct tls_traffic rx = rfc_traffic(RFC8448_S3_CLIENT_HS_KEY, RFC8448_S3_CLIENT_HS_IV);
    uint8_t type, *pt;
    size_t pt_len;
    assert_int_equal(tls_record_open(&rx, &C, rec, n, 16385, &type, &pt, &pt_len), 0);
    assert_int_equal(type, TLS_CT_HANDSHAKE);
    assert_int_equal(pt_len, 36);
    assert_memory_equal(pt, fin, 36);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hdr_parse_needs_five_bytes),
        cmocka_unit_test(hdr_parse_rejects_unknown_types),
        cmocka_unit_test(hdr_parse_length_limits),
        cmocka_unit_test(hdr_write_round_trips),
        cmocka_unit_test(inner_split_finds_the_last_nonzero_byte),
        cmocka_unit_test(seal_open_round_trip_at_padding_edges),
        cmocka_unit_test(seal_refuses_what_does_not_fit),
        cmocka_unit_test(inner_types_are_hidden_and_recovered),
        cmocka_unit_test(tampering_is_bad_record_mac),
        cmocka_unit_test(sequence_is_authenticated),
        cmocka_unit_test(nonce_and_aad_are_rfc8446),
        cmocka_unit_test(sequence_limits),
        cmocka_unit_test(open_enforces_inner_limits),
        cmocka_unit_test(open_needs_a_content_type),
        cmocka_unit_test(key_update_both_ends),
        cmocka_unit_test(rfc8448_server_flight),
        cmocka_unit_test(rfc8448_client_finished),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
