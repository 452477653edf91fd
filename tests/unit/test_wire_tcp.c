/* SPDX-License-Identifier: Apache-2.0 */
/* TCP header and option view: the malformed option cases that hung or
 * overran other stacks, round trips, and checksum verification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcpip/tcp_seq.h"
#include "tcpip/wire_tcp.h"

#define SRC 0x0a000001u
#define DST 0x0a000002u

/* RFC 1071 the plain way, independent of checksum.c. */
static uint16_t ref_tcp_csum(const uint8_t *seg, size_t len, uint32_t src, uint32_t dst)
{
    uint64_t s = 0;
    s += (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6u + len;
    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)(seg[i] << 8 | seg[i + 1]);
    if (len & 1)
        s += (uint32_t)seg[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* A segment with the given option bytes (padded to 4) and payload; the
 * checksum is filled in by the reference implementation. */
static size_t build(uint8_t *seg, const uint8_t *opts, size_t olen, size_t payload)
{
    size_t hl = 20 + (olen + 3) / 4 * 4;
    memset(seg, 0, hl + payload);
    seg[0] = 0x30; seg[1] = 0x39;           /* 12345 */
    seg[2] = 0x00; seg[3] = 0x50;           /* 80 */
    seg[4] = 0xde; seg[5] = 0xad; seg[6] = 0xbe; seg[7] = 0xef;
    seg[8] = 0; seg[9] = 0; seg[10] = 0x10; seg[11] = 0x01;
    seg[12] = (uint8_t)(hl / 4 << 4);
    seg[13] = 0x12;                          /* SYN|ACK */
    seg[14] = 0xff; seg[15] = 0xf0;
    if (olen)
        memcpy(seg + 20, opts, olen);
    for (size_t i = 0; i < payload; i++)
        seg[hl + i] = (uint8_t)(i * 7 + 1);
    uint16_t c = ref_tcp_csum(seg, hl + payload, SRC, DST);
    seg[16] = (uint8_t)(c >> 8);
    seg[17] = (uint8_t)c;
    return hl + payload;
}

static void test_minimal_header(void **state)
{
    (void)state;
    uint8_t seg[64];
    size_t n = build(seg, NULL, 0, 5);
    struct tcp_hdr h;
    assert_int_equal(tcp_parse(seg, n, SRC, DST, &h), 20);
    assert_int_equal(h.sport, 12345);
    assert_int_equal(h.dport, 80);
    assert_int_equal(h.seq, 0xdeadbeefu);
    assert_int_equal(h.ack, 0x1001u);
    assert_int_equal(h.syn, 1);
    assert_int_equal(h.ackf, 1);
    assert_int_equal(h.fin + h.rst + h.psh + h.urg + h.ece + h.cwr, 0);
    assert_int_equal(h.window, 0xfff0);
    assert_int_equal(h.opt.has_mss + h.opt.has_ts + h.opt.sack_perm + h.opt.has_wscale + h.opt.nsack, 0);
}

static void test_truncated_and_bad_offsets(void **state)
{
    (void)state;
    uint8_t seg[64];
    struct tcp_hdr h;
    size_t n = build(seg, NULL, 0, 0);
    for (size_t len = 0; len < 20; len++)
        assert_int_equal(tcp_parse(seg, len, SRC, DST, &h), TCP_E_TRUNC);
    seg[12] = 4 << 4; /* data offset below 5 */
    assert_int_equal(tcp_parse(seg, n, SRC, DST, &h), TCP_E_HDRLEN);
    seg[12] = 6 << 4; /* 24-byte header in a 20-byte segment */
    assert_int_equal(tcp_parse(seg, n, SRC, DST, &h), TCP_E_HDRLEN);
    seg[12] = 15 << 4;
    assert_int_equal(tcp_parse(seg, n, SRC, DST, &h), TCP_E_HDRLEN);
}

static void test_bad_checksum(void **state)
{
    (void)state;
    uint8_t seg[64];
    struct tcp_hdr h;
    size_t n = build(seg, NULL, 0, 9); /* odd length */
    assert_int_equal(tcp_parse(seg, n, SRC, DST, &h), 20);
    seg[n - 1] ^= 1;
    assert_int_equal(tcp_parse(seg, n, SRC, DST, &h), TCP_E_CSUM);
    seg[n - 1] ^= 1;
    /* the pseudo-header counts: another destination must not verify */
    assert_int_equal(tcp_parse(seg, n, SRC, DST + 1, &h), TCP_E_CSUM);
}

static void test_all_options(void **state)
{
    (void)state;
    const uint8_t opts[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7,
                            1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40};
    uint8_t seg[128];
    size_t n = build(seg, opts, sizeof opts, 0);
    struct tcp_hdr h;
    assert_int_equal(tcp_parse(seg, n, SRC, DST, &h), 60);
    assert_int_equal(h.opt.has_mss, 1);
    assert_int_equal(h.opt.mss, 1460);
    assert_int_equal(h.opt.sack_perm, 1);
    assert_int_equal(h.opt.has_ts, 1);
    assert_int_equal(h.opt.ts_val, 1);
    assert_int_equal(h.opt.ts_ecr, 2);
    assert_int_equal(h.opt.has_wscale, 1);
    assert_int_equal(h.opt.wscale, 7);
    assert_int_equal(h.opt.nsack, 2);
    assert_int_equal(h.opt.sack_left[1], 30);
    assert_int_equal(h.opt.sack_right[1], 40);
}

static void test_zero_and_overlong_option_lengths(void **state)
{
    (void)state;
    struct tcp_opts o;
    const uint8_t zero_len[] = {2, 0, 0, 0};
    const uint8_t one_len[] = {30, 1, 0, 0};
    const uint8_t overlong[] = {2, 5, 0, 0};
    const uint8_t lone_kind[] = {1, 1, 1, 8};
    assert_int_equal(tcp_options_parse(zero_len, 4, &o), TCP_E_OPTION);
    assert_int_equal(tcp_options_parse(one_len, 4, &o), TCP_E_OPTION);
    assert_int_equal(tcp_options_parse(overlong, 4, &o), TCP_E_OPTION);
    assert_int_equal(tcp_options_parse(lone_kind, 4, &o), TCP_E_OPTION);
    /* the same through the header parser: the segment is refused */
    uint8_t seg[64];
    struct tcp_hdr h;
    size_t n = build(seg, zero_len, 4, 0);
    assert_int_equal(tcp_parse(seg, n, SRC, DST, &h), TCP_E_OPTION);
}

static void test_wrong_length_known_options_ignored(void **state)
{
    (void)state;
    struct tcp_opts o;
    /* MSS with length 3, window scale with length 4, SACK-perm with 3, a
     * SACK block list of 7 bytes, a timestamp of 9: all ignored, no error */
    const uint8_t opts[] = {2, 3, 5, 3, 4, 1, 1, 4, 4, 3, 0, 5, 7, 0, 0, 0, 0, 0, 8, 9, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(tcp_options_parse(opts, sizeof opts, &o), 0);
    assert_int_equal(o.has_mss + o.has_wscale + o.sack_perm + o.nsack + o.has_ts, 0);
}

static void test_eol_stops_and_unknown_skipped(void **state)
{
    (void)state;
    struct tcp_opts o;
    const uint8_t opts[] = {99, 4, 0xaa, 0xbb, 2, 4, 0x02, 0x00, 0, 2, 0, 0};
    assert_int_equal(tcp_options_parse(opts, sizeof opts, &o), 0);
    assert_int_equal(o.has_mss, 1);
    assert_int_equal(o.mss, 512);
    /* after EOL the bogus zero-length MSS is not looked at */
}

static void test_wscale_clamped(void **state)
{
    (void)state;
    struct tcp_opts o;
    const uint8_t opts[] = {3, 3, 200, 0};
    assert_int_equal(tcp_options_parse(opts, sizeof opts, &o), 0);
    assert_int_equal(o.wscale, TCP_MAX_WSCALE);
}

static void test_emit_round_trip(void **state)
{
    (void)state;
    struct tcp_hdr h;
    memset(&h, 0, sizeof h);
    h.sport = 7;
    h.dport = 40000;
    h.seq = 0xfffffff0u;
    h.ack = 3;
    h.ackf = 1;
    h.psh = 1;
    h.fin = 1;
    h.window = 29200;
    h.opt.has_mss = 1;
    h.opt.mss = 1460;
    h.opt.sack_perm = 1;
    h.opt.has_ts = 1;
    h.opt.ts_val = 100;
    h.opt.ts_ecr = 200;
    h.opt.has_wscale = 1;
    h.opt.wscale = 7;
    h.opt.nsack = 4;
    for (int i = 0; i < 4; i++) {
        h.opt.sack_left[i] = 1000u * (uint32_t)i;
        h.opt.sack_right[i] = 1000u * (uint32_t)i + 500u;
    }
    size_t hl = tcp_emit_hdr_len(&h.opt);
    assert_true(hl <= 60 && hl % 4 == 0);
    /* 4 (MSS) + 12 (SACK-perm + TS) + 4 (WS) leave room for 2 blocks */
    assert_int_equal(tcp_emit_nsack(&h.opt), 2);
    uint8_t seg[200];
    memset(seg, 0xee, sizeof seg);
    for (size_t i = 0; i < 33; i++)
        seg[hl + i] = (uint8_t)i;
    int n = tcp_emit(seg, sizeof seg, SRC, DST, &h, 33);
    assert_int_equal(n, (int)(hl + 33));
    assert_int_equal(ref_tcp_csum(seg, (size_t)n, SRC, DST), 0);
    struct tcp_hdr p;
    assert_int_equal(tcp_parse(seg, (size_t)n, SRC, DST, &p), (int)hl);
    assert_int_equal(p.seq, h.seq);
    assert_int_equal(p.ack, h.ack);
    assert_int_equal(p.fin, 1);
    assert_int_equal(p.psh, 1);
    assert_int_equal(p.ackf, 1);
    assert_int_equal(p.syn, 0);
    assert_int_equal(p.window, 29200);
    assert_int_equal(p.opt.mss, 1460);
    assert_int_equal(p.opt.sack_perm, 1);
    assert_int_equal(p.opt.ts_val, 100);
    assert_int_equal(p.opt.ts_ecr, 200);
    assert_int_equal(p.opt.wscale, 7);
    assert_int_equal(p.opt.nsack, 2);
    assert_int_equal(p.opt.sack_left[1], 1000);
    assert_int_equal(p.opt.sack_right[1], 1500);
}

static void test_emit_space(void **state)
{
    (void)state;
    struct tcp_hdr h;
    memset(&h, 0, sizeof h);
    uint8_t seg[40];
    assert_int_equal(tcp_emit(seg, 19, SRC, DST, &h, 0), TCP_E_SPACE);
    assert_int_equal(tcp_emit(seg, sizeof seg, SRC, DST, &h, 21), TCP_E_SPACE);
    assert_int_equal(tcp_emit(seg, sizeof seg, SRC, DST, &h, 20), 40);
    assert_int_equal(tcp_emit(seg, sizeof seg, SRC, DST, &h, (size_t)-1), TCP_E_SPACE);
}

static void test_seq_arithmetic(void **state)
{
    (void)state;
    assert_true(seq_lt(0xfffffff0u, 0x10u));   /* across the wrap */
    assert_false(seq_lt(0x10u, 0xfffffff0u));
    assert_false(seq_lt(5, 5));
    assert_true(seq_leq(5, 5));
    assert_true(seq_lt(0, 0x7fffffffu));
    assert_false(seq_lt(0, 0x80000001u));
    assert_int_equal(seq_diff(3, 0xfffffffeu), 5);
    assert_int_equal(seq_add(0xfffffffeu, 5), 3);
    assert_int_equal(seq_add(1, 2), 3);
    assert_true(seq_in_window(2, 0xffffffffu, 4));
    assert_false(seq_in_window(3, 0xffffffffu, 4));
    assert_false(seq_in_window(0xfffffffeu, 0xffffffffu, 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_header),
        cmocka_unit_test(test_truncated_and_bad_offsets),
        cmocka_unit_test(test_bad_checksum),
        cmocka_unit_test(test_all_options),
        cmocka_unit_test(test_zero_and_overlong_option_lengths),
        cmocka_unit_test(test_wrong_length_known_options_ignored),
        cmocka_unit_test(test_eol_stops_and_unknown_skipped),
        cmocka_unit_test(test_wscale_clamped),
        cmocka_unit_test(test_emit_round_trip),
        cmocka_unit_test(test_emit_space),
        cmocka_unit_test(test_seq_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
