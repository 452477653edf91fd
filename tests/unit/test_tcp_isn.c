/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 6528 initial sequence numbers: the SipHash-2-4 PRF against the
 * reference vectors, and the ISN's dependence on the 4-tuple and on time. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcpip/tcp.h"

/* Key 00..0f, message 00..(n-1); outputs as the little-endian bytes the
 * reference implementation's vectors.h lists (cross-checked with
 * `openssl mac -macopt hexkey:000102..0f -macopt size:8 SIPHASH`). */
static const struct {
    size_t n;
    const char *le;
} vectors[] = {
    {0, "310e0edd47db6f72"},  {1, "fd67dc93c539f874"},  {2, "5a4fa9d909806c0d"},
    {3, "2d7efbd796666785"},  {4, "b7877127e09427cf"},  {7, "37d1018bf50002ab"},
    {8, "6224939a79f5f593"},  {15, "e545be4961ca29a1"}, {16, "db9bc2577fcc2a3f"},
    {63, "724506eb4c328a95"},
};

static uint64_t le_hex(const char *h)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        unsigned b;
        char t[3] = {h[2 * i], h[2 * i + 1], 0};
        b = (unsigned)strtoul(t, NULL, 16);
        v = v * 256u + b;
    }
    return v;
}

static void siphash_paper_vectors(void **state)
{
    (void)state;
    uint8_t key[16], msg[64];
    for (int i = 0; i < 16; i++)
        key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++)
        msg[i] = (uint8_t)i;
    /* The two the SipHash paper prints. */
    assert_true(tcp_siphash(key, msg, 15) == 0xa129ca6149be45e5ULL);
    assert_true(tcp_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ULL);
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        uint64_t want = le_hex(vectors[i].le);
        uint64_t got = tcp_siphash(key, msg, vectors[i].n);
        if (got != want)
            fail_msg("siphash(len %zu) = %016llx, want %016llx", vectors[i].n, (unsigned long long)got,
                     (unsigned long long)want);
    }
}

static void siphash_key_and_input_matter(void **state)
{
    (void)state;
    uint8_t key[16] = {0}, msg[12] = {0};
    uint64_t base = tcp_siphash(key, msg, sizeof msg);
    key[15] = 1;
    assert_true(tcp_siphash(key, msg, sizeof msg) != base);
    key[15] = 0;
    msg[11] = 1;
    assert_true(tcp_siphash(key, msg, sizeof msg) != base);
    msg[11] = 0;
    /* A different length of the same zero bytes is another message. */
    assert_true(tcp_siphash(key, msg, sizeof msg - 1) != base);
}

static const uint8_t secret[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static void isn_depends_on_every_tuple_field(void **state)
{
    (void)state;
    const uint32_t lip = 0x0a000002u, rip = 0x0a000005u;
    const uint64_t t = 123456;
    uint32_t base = tcp_isn(secret, lip, 80, rip, 40000, t);
    assert_true(tcp_isn(secret, lip + 1, 80, rip, 40000, t) != base);
    assert_true(tcp_isn(secret, lip, 81, rip, 40000, t) != base);
    assert_true(tcp_isn(secret, lip, 80, rip + 1, 40000, t) != base);
    assert_true(tcp_isn(secret, lip, 80, rip, 40001, t) != base);
    /* Swapping the ends is another connection. */
    assert_true(tcp_isn(secret, rip, 40000, lip, 80, t) != base);
    uint8_t other[16];
    memcpy(other, secret, 16);
    other[0] ^= 0x80;
    assert_true(tcp_isn(other, lip, 80, rip, 40000, t) != base);
    /* Deterministic: the same inputs, the same ISN. */
    assert_int_equal(tcp_isn(secret, lip, 80, rip, 40000, t), base);
    /* Consecutive source ports do not give nearby ISNs (a keyed PRF, not a counter). */
    int near = 0;
    for (uint16_t p = 40000; p < 40064; p++) {
        uint32_t a = tcp_isn(secret, lip, 80, rip, p, t), b = tcp_isn(secret, lip, 80, rip, (uint16_t)(p + 1), t);
        uint32_t d = a - b;
        if (d < 65536u || d > 0xffff0000u)
            near++;
    }
    assert_true(near <= 1);
}

static void isn_advances_with_time(void **state)
{
    (void)state;
    const uint32_t lip = 0x0a000002u, rip = 0x0a000005u;
    /* RFC 6528: M is a timer ticking every 4 microseconds: 250 per ms. */
    uint32_t a = tcp_isn(secret, lip, 80, rip, 40000, 1000);
    uint32_t b = tcp_isn(secret, lip, 80, rip, 40000, 1001);
    uint32_t c = tcp_isn(secret, lip, 80, rip, 40000, 2000);
    assert_int_equal((uint32_t)(b - a), 250u);
    assert_int_equal((uint32_t)(c - a), 250000u);
    /* It wraps like a 32-bit clock (about every 4.77 hours), it does not stick. */
    uint64_t wrap_ms = 4294967296ull / 250u;
    uint32_t w0 = tcp_isn(secret, lip, 80, rip, 40000, 5);
    uint32_t w1 = tcp_isn(secret, lip, 80, rip, 40000, 5 + wrap_ms + 1);
    assert_true(w1 != w0);
    assert_int_equal((uint32_t)(w1 - w0), (uint32_t)((wrap_ms + 1) * 250u));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(siphash_paper_vectors),
        cmocka_unit_test(siphash_key_and_input_matter),
        cmocka_unit_test(isn_depends_on_every_tuple_field),
        cmocka_unit_test(isn_advances_with_time),
    };
    if (getenv("TCP_TEST")) /* TCP_TEST=name runs just the tests matching it */
        cmocka_set_test_filter(getenv("TCP_TEST"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
