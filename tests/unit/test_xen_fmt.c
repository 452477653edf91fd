/* SPDX-License-Identifier: Apache-2.0 */
/* The PVH image's own printf engine (xen/fmt.c) against the host's
 * snprintf for every conversion the appliance and mbedtls use, truncation
 * and the would-be length; and the image's calendar (gmtime_r) and RTC
 * decoding against the host's. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "xen/clock.h"
#include "xen/fmt.h"
#include "xen/libc/libc.h"

/* Compiled in (not part of the host's library): the image's pure units. */
#include "xen/fmt.c"
#include "xen/libc/civil.c"
#include "xen/rtc.c"

static int ours(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

#define SAME(...)                                                                                                      \
    do {                                                                                                               \
        char a[256], b[256];                                                                                           \
        int na = ours(a, sizeof a, __VA_ARGS__);                                                                       \
        int nb = snprintf(b, sizeof b, __VA_ARGS__);                                                                   \
        assert_int_equal(na, nb);                                                                                      \
        assert_string_equal(a, b);                                                                                     \
    } while (0)

static void test_conversions(void **state)
{
    (void)state;
    SAME("plain text");
    SAME("%d %i %d %d", 0, -1, 2147483647, (int)-2147483647 - 1);
    SAME("%u %x %X %o", 4000000000u, 0xdeadbeefu, 0xabcdefu, 0755u);
    SAME("%llu %lld %llx", 18446744073709551615ull, -9223372036854775807ll - 1, 0x123456789abcdefull);
    SAME("%lu %ld %zu %zd", 123456789012ul, -5l, (size_t)42, (ssize_t)-42);
    SAME("%hhu %hu %hhd %hd", 300, 70000, 200, 40000);
    SAME("%jd %ju %td", (intmax_t)-7, (uintmax_t)7, (ptrdiff_t)-3);
    SAME("[%5d] [%-5d] [%05d] [%+d] [% d] [%+05d]", 42, 42, 42, 42, 42, -42);
    SAME("[%.3d] [%8.3d] [%-8.3d] [%.0d] [%.0x] [%.5x]", 7, 7, 7, 0, 0u, 0xabu);
    SAME("[%#x] [%#X] [%#o] [%#x] [%#o] [%#.3o]", 255u, 255u, 8u, 0u, 0u, 8u);
    SAME("[%02x:%02x] [%04x] [%04lld] [%02u]", 0xau, 0xbcu, 0x1u, 5ll, 9u);
    SAME("[%s] [%10s] [%-10s] [%.2s] [%*s] [%-*s] [%.*s]", "abc", "abc", "abc", "abc", 6, "ab", 6, "ab", 1, "xyz");
    SAME("[%c] [%3c] [%-3c] [%%]", 'a', 'b', 'c');
    SAME("[%*d] [%-*d] [%.*d]", -6, 5, 4, 5, 3, 5);
    SAME("%p %p", (void *)0x1234, (void *)&test_conversions);
}

static void test_truncation(void **state)
{
    (void)state;
    char b[8];
    memset(b, 'X', sizeof b);
    assert_int_equal(ours(b, 5, "%s-%d", "abcdef", 12), 9);
    assert_string_equal(b, "abcd");
    assert_int_equal(b[5], 'X');
    assert_int_equal(ours(b, 1, "hello"), 5);
    assert_string_equal(b, "");
    memset(b, 'X', sizeof b);
    assert_int_equal(ours(NULL, 0, "%u", 12345u), 5);
    assert_int_equal(ours(b, sizeof b, "1234567"), 7);
    assert_string_equal(b, "1234567");
    /* An unknown conversion is refused, the output still terminated. */
    assert_int_equal(ours(b, sizeof b, "ab%f", 1.0), -1);
    assert_string_equal(b, "ab");
}

static void test_gmtime(void **state)
{
    (void)state;
    const int64_t ts[] = {0, 1, 86399, 86400, 951782400 /* 2000-02-29 */, 1709164800 /* 2024-02-29 */,
                          4102444799 /* 2099-12-31 */, 253402300799 /* 9999-12-31 */, -1, -86401, -2208988800};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        struct tm a, b;
        time_t t = (time_t)ts[i];
        libc_civil(ts[i], &a);
        assert_non_null(gmtime_r(&t, &b));
        assert_int_equal(a.tm_year, b.tm_year);
        assert_int_equal(a.tm_mon, b.tm_mon);
        assert_int_equal(a.tm_mday, b.tm_mday);
        assert_int_equal(a.tm_hour, b.tm_hour);
        assert_int_equal(a.tm_min, b.tm_min);
        assert_int_equal(a.tm_sec, b.tm_sec);
        assert_int_equal(a.tm_wday, b.tm_wday);
        assert_int_equal(a.tm_yday, b.tm_yday);
    }
    /* Every day for 1000 years round-trips through days_from_civil. */
    for (int64_t d = -200000; d < 200000; d += 17) {
        struct tm a;
        libc_civil(d * 86400, &a);
        assert_int_equal(libc_days_from_civil(a.tm_year + 1900, (unsigned)a.tm_mon + 1, (unsigned)a.tm_mday), d);
    }
}

static void test_rtc(void **state)
{
    (void)state;
    /* 2026-12-07 01:02:03 UTC = 1796605323, in BCD 24-hour mode (QEMU's default). */
    assert_int_equal(rtc_to_unix(0x03, 0x02, 0x01, 0x07, 0x12, 0x26, 0x20, 0x02), 1796605323);
    /* The same in binary mode, and in 12-hour BCD mode at 1 PM. */
    assert_int_equal(rtc_to_unix(3, 2, 1, 7, 12, 26, 20, 0x06), 1796605323);
    assert_int_equal(rtc_to_unix(0x03, 0x02, 0x81, 0x07, 0x12, 0x26, 0x20, 0x00), 1796605323 + 12 * 3600);
    /* 12 AM is hour 0; 12 PM is hour 12. */
    assert_int_equal(rtc_to_unix(0x00, 0x00, 0x12, 0x01, 0x01, 0x70, 0x19, 0x00), 0);
    assert_int_equal(rtc_to_unix(0x00, 0x00, 0x92, 0x01, 0x01, 0x70, 0x19, 0x00), 12 * 3600);
    /* No century register: the 2000s. A nonsense date: 0, not garbage. */
    assert_int_equal(rtc_to_unix(0x03, 0x02, 0x01, 0x07, 0x12, 0x26, 0x00, 0x02), 1796605323);
    assert_int_equal(rtc_to_unix(0, 0, 0, 0x32, 0x13, 0x26, 0x20, 0x02), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_gmtime),
        cmocka_unit_test(test_rtc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
