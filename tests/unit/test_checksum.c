/* SPDX-License-Identifier: Apache-2.0 */
/* The running one's-complement sum in checksum.c against the plain RFC 1071
 * reference in netsim.c (32-bit accumulate, fold once at the end). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tcpip/checksum.h"
#include "netsim.h"

static void csum_matches_reference_every_length(void **state)
{
    (void)state;
    uint8_t buf[600];
    for (size_t n = 0; n <= sizeof buf; n++) {
        fill_pattern(buf, n, (unsigned)n);
        uint8_t *b = exact(buf, n);
        assert_int_equal(csum_add(0, b, n), ref_fold(ref_sum(0, b, n)));
        assert_int_equal(csum_finish(csum_add(0, b, n)), ref_csum(b, n));
    }
}

/* The plain definition, one 16-bit word at a time with an end-around carry
 * after each: what csum_add must equal however wide the words it sums. */
static uint32_t word_at_a_time(uint32_t sum, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += (uint32_t)b[i] * 256u + b[i + 1];
        if (sum > 0xffffu)
            sum -= 0xffffu;
    }
    if (n % 2u != 0u) {
        sum += (uint32_t)b[n - 1] * 256u;
        if (sum > 0xffffu)
            sum -= 0xffffu;
    }
    return sum;
}

static uint32_t xorshift(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static void csum_wide_words_match_word_at_a_time(void **state)
{
    (void)state;
    /* Every length through several 8-byte steps and every odd tail, at
     * every start offset within 8 bytes (the wide loads are unaligned), from
     * sums that make the first carries come early. The copy ends exactly at
     * the data's end, so ASan catches a load past it. */
    static const uint32_t sums[] = {0, 1, 0x8000, 0xfffe, 0xffff};
    uint8_t src[8 + 300];
    uint32_t rng = 0x2545f491u;
    for (int kind = 0; kind < 3; kind++) {
        for (size_t i = 0; i < sizeof src; i++)
            src[i] = kind == 0 ? 0xff : kind == 1 ? (uint8_t)xorshift(&rng) : (uint8_t)(0xf0 | (xorshift(&rng) & 0x0f));
        for (size_t off = 0; off < 8; off++) {
            for (size_t n = 0; n <= 300; n++) {
                uint8_t *b = exact(src, off + n) + off;
                for (size_t k = 0; k < sizeof sums / sizeof sums[0]; k++) {
                    uint32_t want = word_at_a_time(sums[k], b, n);
                    uint32_t got = csum_add(sums[k], b, n);
                    if (got != want)
                        fail_msg("kind %d off %zu len %zu sum 0x%x: 0x%x, want 0x%x", kind, off, n,
                                 (unsigned)sums[k], (unsigned)got, (unsigned)want);
                }
            }
            exact_free_all();
        }
    }
}

static void csum_rfc1071_example(void **state)
{
    (void)state;
    /* RFC 1071 section 3: these eight bytes sum to 0xddf2 (0x2ddf0 with
     * its carries folded back in). */
    const uint8_t ex[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    uint8_t at[8 + sizeof ex];
    for (size_t off = 0; off < 8; off++) {
        memcpy(at + off, ex, sizeof ex);
        uint8_t *b = exact(at, off + sizeof ex) + off;
        assert_int_equal(csum_add(0, b, sizeof ex), 0xddf2);
        assert_int_equal(csum_finish(csum_add(0, b, sizeof ex)), 0x220d);
    }
}

static void csum_more_than_one_block(void **state)
{
    (void)state;
    /* Past any point where a wide-word sum must fold its accumulator
     * (three 512 KiB blocks and an odd tail), all ones and a pattern. */
    static uint8_t big[3 * 524288 + 13];
    memset(big, 0xff, sizeof big);
    assert_int_equal(csum_add(0x1234, big, sizeof big), word_at_a_time(0x1234, big, sizeof big));
    fill_pattern(big, sizeof big, 7);
    assert_int_equal(csum_add(0x1234, big, sizeof big), word_at_a_time(0x1234, big, sizeof big));
    assert_int_equal(csum_add(0, big + 1, sizeof big - 1), word_at_a_time(0, big + 1, sizeof big - 1));
}

static void csum_odd_length_pads_with_zero(void **state)
{
    (void)state;
    /* RFC 1071: a trailing odd byte is the high byte of a last word. */
    const uint8_t one[1] = {0x01};
    assert_int_equal(csum_add(0, exact(one, 1), 1), 0x0100);
    assert_int_equal(csum_finish(csum_add(0, one, 1)), 0xfeff);
    const uint8_t three[3] = {0x12, 0x34, 0x56};
    assert_int_equal(csum_add(0, exact(three, 3), 3), 0x1234 + 0x5600);
    const uint8_t padded[4] = {0x12, 0x34, 0x56, 0x00};
    assert_int_equal(csum_add(0, three, 3), csum_add(0, padded, 4));
}

static void csum_all_zero_data(void **state)
{
    (void)state;
    uint8_t z[64] = {0};
    for (size_t n = 0; n <= sizeof z; n++) {
        assert_int_equal(csum_add(0, exact(z, n), n), 0);
        assert_int_equal(csum_finish(csum_add(0, z, n)), 0xffff);
    }
}

static void csum_sum_folding_to_ffff(void **state)
{
    (void)state;
    /* Sums that reach 0xffff, with and without an end-around carry: the
     * field value is then 0, and the region verifies. */
    const uint8_t a[2] = {0xff, 0xff};
    const uint8_t b[4] = {0x80, 0x00, 0x7f, 0xff};
    const uint8_t c[4] = {0xff, 0xff, 0xff, 0xff};  /* 0x1fffe -> 0xffff */
    const uint8_t d[4] = {0xff, 0xfe, 0x00, 0x01};
    const uint8_t e[6] = {0xff, 0xff, 0x00, 0x01, 0xff, 0xfe}; /* 0x1fffe + 1 carry chain */
    assert_int_equal(csum_add(0, a, 2), 0xffff);
    assert_int_equal(csum_add(0, b, 4), 0xffff);
    assert_int_equal(csum_add(0, c, 4), 0xffff);
    assert_int_equal(csum_add(0, d, 4), 0xffff);
    assert_int_equal(csum_add(0, e, 6), ref_fold(ref_sum(0, e, 6)));
    assert_int_equal(csum_finish(csum_add(0, c, 4)), 0);
    /* carry: 0xffff + 0x0001 is 1 in one's complement, not 0 */
    assert_int_equal(csum_add16(0xffff, 1), 1);
    assert_int_equal(csum_add16(0xffff, 0xffff), 0xffff);
    assert_int_equal(csum_add16(0, 0), 0);
    assert_int_equal(csum_add16(0x8000, 0x8000), 1);
}

static void csum_large_buffer(void **state)
{
    (void)state;
    static uint8_t big[65535];
    memset(big, 0xff, sizeof big);
    assert_int_equal(csum_add(0, big, sizeof big), ref_fold(ref_sum(0, big, sizeof big)));
    fill_pattern(big, sizeof big, 99);
    assert_int_equal(csum_add(0, big, sizeof big), ref_fold(ref_sum(0, big, sizeof big)));
}

static void csum_chains_in_pieces(void **state)
{
    (void)state;
    uint8_t buf[200];
    fill_pattern(buf, sizeof buf, 3);
    uint32_t whole = csum_add(0, buf, sizeof buf);
    for (size_t cut = 0; cut <= sizeof buf; cut += 2) {
        uint32_t s = csum_add(0, buf, cut);
        s = csum_add(s, buf + cut, sizeof buf - cut);
        assert_int_equal(s, whole);
    }
    /* word-wise add16 equals the byte-buffer sum */
    uint32_t s = 0;
    for (size_t i = 0; i < sizeof buf; i += 2)
        s = csum_add16(s, (uint32_t)buf[i] * 256u + buf[i + 1]);
    assert_int_equal(s, whole);
}

static void csum_region_with_its_checksum_verifies(void **state)
{
    (void)state;
    uint8_t buf[61];
    for (unsigned seed = 0; seed < 50; seed++) {
        fill_pattern(buf, sizeof buf, seed);
        buf[10] = buf[11] = 0;
        uint16_t c = csum_finish(csum_add(0, buf, sizeof buf));
        assert_int_equal(c, ref_csum(buf, sizeof buf));
        buf[10] = (uint8_t)(c >> 8);
        buf[11] = (uint8_t)c;
        assert_int_equal(csum_finish(csum_add(0, buf, sizeof buf)), 0);
        assert_int_equal(ref_fold(ref_sum(0, buf, sizeof buf)), 0xffff);
    }
}

static void csum_pseudo_header(void **state)
{
    (void)state;
    const uint32_t src = 0xc0a80101u, dst = 0xfffffffeu;
    uint8_t ph[12];
    put32(ph, src);
    put32(ph + 4, dst);
    ph[8] = 0;
    ph[9] = 17;
    put16(ph + 10, 0xfff0);
    assert_int_equal(csum_pseudo(0, src, dst, 17, 0xfff0), ref_fold(ref_sum(0, ph, 12)));
    /* chaining from a non-zero sum */
    uint32_t start = csum_add(0, ph, 4);
    assert_int_equal(csum_pseudo(start, src, dst, 17, 0xfff0), ref_fold(ref_sum(ref_sum(0, ph, 4), ph, 12)));
    /* every field counts */
    assert_int_not_equal(csum_pseudo(0, src, dst, 17, 8), csum_pseudo(0, src, dst, 6, 8));
    assert_int_not_equal(csum_pseudo(0, src, dst, 17, 8), csum_pseudo(0, dst, src ^ 1u, 17, 8));
}

static void csum_finish_complements(void **state)
{
    (void)state;
    assert_int_equal(csum_finish(0), 0xffff);
    assert_int_equal(csum_finish(0xffff), 0);
    assert_int_equal(csum_finish(0x1234), 0xedcb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csum_matches_reference_every_length),
        cmocka_unit_test(csum_odd_length_pads_with_zero),
        cmocka_unit_test(csum_all_zero_data),
        cmocka_unit_test(csum_sum_folding_to_ffff),
        cmocka_unit_test(csum_large_buffer),
        cmocka_unit_test(csum_chains_in_pieces),
        cmocka_unit_test(csum_region_with_its_checksum_verifies),
        cmocka_unit_test(csum_pseudo_header),
        cmocka_unit_test(csum_finish_complements),
        cmocka_unit_test(csum_wide_words_match_word_at_a_time),
        cmocka_unit_test(csum_rfc1071_example),
        cmocka_unit_test(csum_more_than_one_block),
    };
    return cmocka_run_group_tests(tests, NULL, exact_teardown);
}
