/* SPDX-License-Identifier: Apache-2.0 */
/* The memory plan (appliance/mem_plan.c): a budget becomes the table and
 * the pools. What it plans fits the budget exactly as the stack and the
 * web service will lay it out; an idle connection costs under 4.5 KB; a
 * small budget lowers a default max-conns but refuses one the user asked
 * for, saying how many would fit; sets never exceed slots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "appliance/mem_plan.h"
#include "appliance/web_service.h"
#include "atoll/tcpip.h"

static size_t stack_bytes(const struct mem_plan *p)
{
    struct atoll_config c;
    memset(&c, 0, sizeof c);
    c.tcp_max_conns = p->tcp_conns;
    c.tcp_buffers = p->tcp_buffers;
    c.tcp_buffer_size = MEM_PLAN_TCP_BUFSIZE;
    return atoll_stack_size_for(&c);
}

static void check_fits(uint64_t budget, const struct mem_plan *p)
{
    assert_true(p->stack_bytes == stack_bytes(p));
    assert_true(p->web_bytes == web_memory_need(p->max_conns, p->sets, p->hs_big));
    assert_true((uint64_t)p->stack_bytes + p->web_bytes <= budget);
    assert_true(p->sets >= MEM_PLAN_MIN_SETS);
    assert_true(p->sets <= p->max_conns + WEB_SPARE || p->sets == MEM_PLAN_MIN_SETS);
    assert_true(p->hs_big >= 1 && p->hs_big <= 4);
    assert_true(p->tcp_conns >= p->max_conns + WEB_SPARE || p->tcp_conns == 65535u);
    assert_true(p->tcp_buffers >= 2u * p->sets);
}

static void idle_connection_is_small(void **state)
{
    (void)state;
    struct mem_plan p;
    char why[200];
    assert_int_equal(mem_plan(64ull << 20, 64, 0, &p, why, sizeof why), 0);
    assert_true(p.conn_idle_bytes == web_slot_bytes() + atoll_tcp_conn_size());
    assert_true(p.conn_idle_bytes <= 4500u); /* the bound, with TCP's control block */
    assert_true(p.set_bytes >= web_set_bytes() + 2u * MEM_PLAN_TCP_BUFSIZE);
}

static void plenty_gives_a_set_per_slot(void **state)
{
    (void)state;
    struct mem_plan p;
    char why[200];
    uint64_t budget = 24ull << 30; /* a Linux host's RAM: untouched pages cost nothing */
    assert_int_equal(mem_plan(budget, 64, 0, &p, why, sizeof why), 0);
    check_fits(budget, &p);
    assert_int_equal(p.max_conns, 64);
    assert_int_equal(p.sets, 64 + WEB_SPARE);
    assert_int_equal(p.hs_big, 4);
    assert_int_equal(p.tcp_conns, 512); /* the floor */
    assert_int_equal(mem_plan(budget, 16384, 1, &p, why, sizeof why), 0);
    check_fits(budget, &p);
    assert_int_equal(p.tcp_conns, 2u * (16384 + WEB_SPARE));
    assert_int_equal(p.sets, 16384 + WEB_SPARE);
}

static void small_budget_shares_sets(void **state)
{
    (void)state;
    struct mem_plan p;
    char why[200];
    /* 10,000 idle connections in 64 MiB: the table is most of it, the
     * sets share the rest */
    uint64_t budget = 64ull << 20;
    assert_int_equal(mem_plan(budget, 16384, 1, &p, why, sizeof why), 0);
    check_fits(budget, &p);
    assert_int_equal(p.max_conns, 16384);
    assert_true(p.sets < 16384 && p.sets >= 16);
    /* a 16 MiB guest's budget */
    budget = 12ull << 20;
    assert_int_equal(mem_plan(budget, 64, 0, &p, why, sizeof why), 0);
    check_fits(budget, &p);
    assert_int_equal(p.max_conns, 64);
    assert_true(p.sets >= 32 && p.sets <= 64 + WEB_SPARE);
}

static void too_small(void **state)
{
    (void)state;
    struct mem_plan p;
    char why[200];
    uint64_t budget = 8ull << 20;
    /* asked for: refused, saying what fits */
    assert_int_equal(mem_plan(budget, 32768, 1, &p, why, sizeof why), -1);
    assert_non_null(strstr(why, "32768 connections need"));
    assert_non_null(strstr(why, "would fit"));
    /* the default: lowered to what fits, and that plan fits */
    assert_int_equal(mem_plan(budget, 32768, 0, &p, why, sizeof why), 0);
    check_fits(budget, &p);
    assert_true(p.max_conns < 32768 && p.max_conns > 100);
    struct mem_plan q;
    assert_int_equal(mem_plan(budget, p.max_conns + 1, 1, &q, why, sizeof why), -1);
    assert_int_equal(mem_plan(budget, p.max_conns, 1, &q, why, sizeof why), 0);
    /* nothing fits at all */
    assert_int_equal(mem_plan(64u * 1024u, 1, 0, &p, why, sizeof why), -1);
    assert_non_null(strstr(why, "0 would fit"));
    assert_int_equal(mem_plan(budget, 0, 0, &p, why, sizeof why), -1);
}

/* Every budget from 1 MiB up in uneven steps: a plan fits or a refusal. */
static void sweep(void **state)
{
    (void)state;
    char why[200];
    for (uint64_t b = 1ull << 20; b < (1ull << 31); b = b * 9 / 8 + 4093) {
        const uint32_t wants[] = {1, 64, 1000, 16384, 32768};
        for (size_t i = 0; i < sizeof wants / sizeof wants[0]; i++) {
            struct mem_plan p;
            if (mem_plan(b, wants[i], 0, &p, why, sizeof why) == 0) {
                check_fits(b, &p);
                assert_true(p.max_conns <= wants[i]);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idle_connection_is_small), cmocka_unit_test(plenty_gives_a_set_per_slot),
        cmocka_unit_test(small_budget_shares_sets), cmocka_unit_test(too_small), cmocka_unit_test(sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
