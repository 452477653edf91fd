/* SPDX-License-Identifier: Apache-2.0 */
/* The header-only helpers of base/ that more than one part shares:
 * hex_value (base/hex.h) and the calendar (base/civil_date.h). Their
 * contracts are proved in the modules including them (http_path,
 * http_fields, http_date); here, their values over whole domains. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/civil_date.h"
#include "base/hex.h"

static void hex_digits(void **state)
{
    (void)state;
    for (int c = -300; c < 300; c++) {
        char s[2] = {(char)c, 0};
        char *end;
        long want = -1;
        if (c > 0 && c < 256 && strchr("0123456789abcdefABCDEF", c) != NULL) {
            want = strtol(s, &end, 16);
            assert_true(*end == 0);
        }
        if (hex_value(c) != want)
            fail_msg("hex_value(%d) = %d, want %ld", c, hex_value(c), want);
    }
    /* a char above 0x7f is no digit, signed or not */
    assert_int_equal(hex_value((char)0xe9), -1);
    assert_int_equal(hex_value((uint8_t)0xe9), -1);
}

/* Every day of 1970..9999 there and back, against the C library's UTC
 * calendar where time_t reaches. */
static void civil_round_trip(void **state)
{
    (void)state;
    int64_t prev_y = 1969;
    unsigned prev_m = 12, prev_d = 31;
    for (int64_t z = 0; z <= CIVIL_DAYS_MAX; z++) {
        int64_t y;
        unsigned m, d;
        civil_from_days(z, &y, &m, &d);
        if (days_from_civil(y, m, d) != z)
            fail_msg("day %lld: %lld-%02u-%02u gives %lld", (long long)z, (long long)y, m, d,
                     (long long)days_from_civil(y, m, d));
        /* consecutive: the next day of the month, or the 1st of the next */
        int next = (y == prev_y && m == prev_m && d == prev_d + 1) ||
                   (d == 1 && ((y == prev_y && m == prev_m + 1) || (y == prev_y + 1 && m == 1 && prev_m == 12)));
        if (!next)
            fail_msg("day %lld: %lld-%02u-%02u after %lld-%02u-%02u", (long long)z, (long long)y, m, d,
                     (long long)prev_y, prev_m, prev_d);
        prev_y = y;
        prev_m = m;
        prev_d = d;
        if (z % 97 == 0) {
            time_t t = (time_t)(z * 86400);
            struct tm tm;
            assert_non_null(gmtime_r(&t, &tm));
            if (tm.tm_year + 1900 != y || (unsigned)tm.tm_mon + 1 != m || (unsigned)tm.tm_mday != d)
                fail_msg("day %lld: %lld-%02u-%02u, gmtime says %d-%02d-%02d", (long long)z, (long long)y, m, d,
                         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        }
    }
    assert_true(prev_y == 9999 && prev_m == 12 && prev_d == 31);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hex_digits),
        cmocka_unit_test(civil_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
