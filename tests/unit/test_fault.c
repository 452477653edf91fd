/* SPDX-License-Identifier: Apache-2.0 */
/* The tap platform's fault injector: its spec parser and each fault. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "appliance/tap/fault.h"

struct sink {
    int n;
    size_t len[8];
    uint8_t f[8][64];
};

static void deliver(void *ctx, const uint8_t *frame, size_t len)
{
    struct sink *s = ctx;
    if (s->n < 8) {
        memcpy(s->f[s->n], frame, len);
        s->len[s->n] = len;
    }
    s->n++;
}

static void frame(uint8_t *b, uint8_t tag)
{
    memset(b, tag, 60);
}

static void parse_accepts_and_rejects(void **state)
{
    (void)state;
    struct fault_spec f;
    char err[160];
    assert_int_equal(fault_spec_from_string("drop=2,dup=1,reorder=0.5,corrupt=100", &f, err, sizeof err), 0);
    assert_int_equal(f.drop, 20000);
    assert_int_equal(f.dup, 10000);
    assert_int_equal(f.reorder, 5000);
    assert_int_equal(f.corrupt, 1000000);
    assert_int_equal(fault_spec_from_string("", &f, err, sizeof err), 0);
    assert_false(fault_active(&f));
    const char *bad[] = {"drop", "drop=", "drop=x", "drop=101", "loss=1", "drop=1,,", "drop=1.", "drop=-1", "dup=1.23456"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(fault_spec_from_string(bad[i], &f, err, sizeof err), -1);
}

static void each_fault_does_what_it_says(void **state)
{
    (void)state;
    struct fault_spec f;
    char err[160];
    struct fault_dir d;
    struct sink s;
    uint8_t a[60], b[60];
    frame(a, 0xaa);
    frame(b, 0xbb);

    fault_spec_from_string("drop=100", &f, err, sizeof err);
    fault_dir_init(&d, &f, 1);
    memset(&s, 0, sizeof s);
    fault_apply(&d, a, 60, deliver, &s);
    assert_int_equal(s.n, 0);
    assert_int_equal(d.dropped, 1);

    fault_spec_from_string("dup=100", &f, err, sizeof err);
    fault_dir_init(&d, &f, 1);
    memset(&s, 0, sizeof s);
    fault_apply(&d, a, 60, deliver, &s);
    assert_int_equal(s.n, 2);
    assert_memory_equal(s.f[0], a, 60);
    assert_memory_equal(s.f[1], a, 60);

    fault_spec_from_string("corrupt=100", &f, err, sizeof err);
    fault_dir_init(&d, &f, 1);
    memset(&s, 0, sizeof s);
    fault_apply(&d, a, 60, deliver, &s);
    assert_int_equal(s.n, 1);
    int diff = 0;
    for (int i = 0; i < 60; i++)
        diff += s.f[0][i] != a[i];
    assert_int_equal(diff, 1);
    assert_memory_equal(s.f[0], a, 14); /* the Ethernet header is left alone */

    fault_spec_from_string("reorder=100", &f, err, sizeof err);
    fault_dir_init(&d, &f, 1);
    memset(&s, 0, sizeof s);
    fault_apply(&d, a, 60, deliver, &s);
    assert_int_equal(s.n, 0); /* held */
    fault_apply(&d, b, 60, deliver, &s);
    assert_int_equal(s.n, 2);
    assert_memory_equal(s.f[0], b, 60);
    assert_memory_equal(s.f[1], a, 60);
    /* a held frame is flushed, not lost */
    fault_apply(&d, a, 60, deliver, &s);
    fault_flush(&d, deliver, &s);
    assert_int_equal(s.n, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_accepts_and_rejects),
        cmocka_unit_test(each_fault_does_what_it_says),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
