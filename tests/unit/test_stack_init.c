/* SPDX-License-Identifier: Apache-2.0 */
/* atoll_stack_init: what it accepts, what it refuses, what it starts. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"

static void nop_send(void *ctx, const uint8_t *f, size_t n)
{
    (void)ctx;
    (void)f;
    (void)n;
}

static struct atoll_stack *try_init(void *arena, size_t len, const struct atoll_config *c)
{
    struct atoll_callbacks cb = {.send_frame = nop_send};
    return atoll_stack_init(arena, len, c, &cb, 0);
}

/* Runs init on a fresh arena and reports whether it accepted. */
static int accepts(const struct atoll_config *c)
{
    void *arena = aligned_alloc(16, ATOLL_ARENA_SIZE);
    assert_non_null(arena);
    int ok = try_init(arena, ATOLL_ARENA_SIZE, c) != NULL;
    free(arena);
    return ok;
}

static void init_accepts_static_config(void **state)
{
    (void)state;
    struct atoll_config c = ns_static_config();
    struct netsim *ns = ns_create(&c, 100);
    assert_non_null(ns);
    uint32_t ip, mask, gw;
    assert_int_equal(atoll_ipv4_addr(ns->st, &ip, &mask, &gw), ATOLL_OK);
    assert_int_equal(ip, NS_IP);
    assert_int_equal(mask, NS_MASK);
    assert_int_equal(gw, NS_GW);
    assert_int_equal(ns_count_events(ns, ATOLL_EV_ADDR_UP), 1);
    assert_int_equal(ns->events[0].a, NS_IP);
    assert_int_equal(ns->events[0].b, 24);
    ns_destroy(ns);
}

static void init_arena_size_and_alignment(void **state)
{
    (void)state;
    struct atoll_config c = ns_static_config();
    size_t need = atoll_stack_size();
    assert_true(need > 0 && need <= ATOLL_ARENA_SIZE);
    uint8_t *arena = aligned_alloc(16, ATOLL_ARENA_SIZE + 16);
    assert_non_null(arena);
    assert_null(try_init(arena, need - 1, &c));
    assert_null(try_init(arena, 0, &c));
    assert_non_null(try_init(arena, need, &c));
    assert_null(try_init(arena + 8, ATOLL_ARENA_SIZE, &c));
    assert_null(try_init(arena + 1, ATOLL_ARENA_SIZE, &c));
    assert_non_null(try_init(arena + 16, ATOLL_ARENA_SIZE, &c));
    free(arena);
}

static void init_refuses_missing_arguments(void **state)
{
    (void)state;
    struct atoll_config c = ns_static_config();
    void *arena = aligned_alloc(16, ATOLL_ARENA_SIZE);
    assert_non_null(arena);
    struct atoll_callbacks cb = {.send_frame = nop_send}, none = {0};
    assert_null(atoll_stack_init(NULL, ATOLL_ARENA_SIZE, &c, &cb, 0));
    assert_null(atoll_stack_init(arena, ATOLL_ARENA_SIZE, NULL, &cb, 0));
    assert_null(atoll_stack_init(arena, ATOLL_ARENA_SIZE, &c, NULL, 0));
    assert_null(atoll_stack_init(arena, ATOLL_ARENA_SIZE, &c, &none, 0));
    free(arena);
}

static void init_refuses_group_mac(void **state)
{
    (void)state;
    struct atoll_config c = ns_static_config();
    c.mac[0] = 0x01;
    assert_false(accepts(&c));
    memset(c.mac, 0xff, 6);
    assert_false(accepts(&c));
    c.mac[0] = 0x33; /* IPv6 multicast prefix */
    assert_false(accepts(&c));
    c.mac[0] = 0x02;
    assert_true(accepts(&c));
}

static void init_refuses_network_and_broadcast_address(void **state)
{
    (void)state;
    struct atoll_config c = ns_static_config();
    c.gateway = 0;
    static const struct { uint32_t ip, mask; int ok; } cases[] = {
        {0x0a000000u, 0xffffff00u, 0}, {0x0a0000ffu, 0xffffff00u, 0},
        {0x0a000001u, 0xffffff00u, 1}, {0x0a0000feu, 0xffffff00u, 1},
        {0x0a000004u, 0xfffffffcu, 0}, {0x0a000007u, 0xfffffffcu, 0},
        {0x0a000005u, 0xfffffffcu, 1}, {0x0a000006u, 0xfffffffcu, 1},
        {0x0a000000u, 0xff000000u, 0}, {0x0affffffu, 0xff000000u, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c.ip = cases[i].ip;
        c.netmask = cases[i].mask;
        assert_int_equal(accepts(&c), cases[i].ok);
    }
}

static void init_refuses_bad_address_or_mask(void **state)
{
    (void)state;
    struct atoll_config c = ns_static_config();
    c.gateway = 0;
    c.ip = 0;
    assert_false(accepts(&c));
    c.ip = NS_IP;
    c.netmask = 0xff00ff00u; /* not contiguous */
    assert_false(accepts(&c));
    c.netmask = 0xffffff01u;
    assert_false(accepts(&c));
    c.netmask = 0xffffffffu; /* /32 leaves no subnet to talk to */
    assert_false(accepts(&c));
    c.netmask = 0xfffffffeu; /* /31: one address is network, one broadcast */
    assert_false(accepts(&c));
}

static void init_refuses_non_unicast_address(void **state)
{
    (void)state;
    struct atoll_config c = ns_static_config();
    c.gateway = 0;
    static const uint32_t bad[] = {0xe0000005u, 0xef0a0a05u, 0xf0000005u, 0x7f000005u, 0x00000105u};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c.ip = bad[i];
        assert_false(accepts(&c));
    }
}

static void init_refuses_gateway_outside_subnet(void **state)
{
    (void)state;
    struct atoll_config c = ns_static_config();
    c.gateway = 0x0a000101u;
    assert_false(accepts(&c));
    c.gateway = 0xc0a80001u;
    assert_false(accepts(&c));
    c.gateway = 0x0a0000feu;
    assert_true(accepts(&c));
    c.gateway = 0; /* none: local subnet only */
    assert_true(accepts(&c));
}

static void init_dhcp_ignores_static_fields(void **state)
{
    (void)state;
    struct atoll_config c = ns_dhcp_config();
    c.ip = 0xffffffffu;
    c.netmask = 0x12345678u;
    c.gateway = 0x01020304u;
    struct netsim *ns = ns_create(&c, 0);
    assert_non_null(ns);
    uint32_t ip = 99;
    assert_int_equal(atoll_ipv4_addr(ns->st, &ip, NULL, NULL), ATOLL_E_NOROUTE);
    assert_int_equal(ip, 99);
    assert_int_equal(ns_count_events(ns, ATOLL_EV_ADDR_UP), 0);
    assert_int_equal(ns_count_events(ns, ATOLL_EV_DHCP_DISCOVER), 1);
    ns_destroy(ns);
}

static void counter_names(void **state)
{
    (void)state;
    assert_string_equal(atoll_counter_name(ATOLL_CTR_ETH_RX), "ETH_RX");
    assert_string_equal(atoll_counter_name(ATOLL_CTR_IP_REASM_OVERLAP), "IP_REASM_OVERLAP");
    assert_string_equal(atoll_counter_name(ATOLL_CTR_DHCP_TX), "DHCP_TX");
    assert_string_equal(atoll_counter_name(ATOLL_CTR_COUNT), "?");
    assert_string_equal(atoll_counter_name((enum atoll_counter)-1), "?");
    for (int i = 0; i < ATOLL_CTR_COUNT; i++)
        for (int j = 0; j < i; j++)
            assert_string_not_equal(atoll_counter_name((enum atoll_counter)i), atoll_counter_name((enum atoll_counter)j));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_accepts_static_config),
        cmocka_unit_test(init_arena_size_and_alignment),
        cmocka_unit_test(init_refuses_missing_arguments),
        cmocka_unit_test(init_refuses_group_mac),
        cmocka_unit_test(init_refuses_network_and_broadcast_address),
        cmocka_unit_test(init_refuses_bad_address_or_mask),
        cmocka_unit_test(init_refuses_non_unicast_address),
        cmocka_unit_test(init_refuses_gateway_outside_subnet),
        cmocka_unit_test(init_dhcp_ignores_static_fields),
        cmocka_unit_test(counter_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
