/* SPDX-License-Identifier: Apache-2.0 */
/* Keep-alive (RFC 1122 4.2.3.6) and Nagle (RFC 896), on two simulated hosts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcpsim.h"

#define PORT 7000

struct duo {
    struct tsim *s;
    struct tsim_flow cli, srv;
    struct tsim_acceptor acc;
    uint8_t rx_cli[65536], rx_srv[65536];
};

static int connected(void *arg)
{
    struct duo *d = arg;
    return d->cli.connected && d->srv.accepted;
}

static struct duo *duo_open(uint32_t delay_ms)
{
    struct duo *d = calloc(1, sizeof *d);
    assert_non_null(d);
    d->s = tsim_new(7, 1000);
    tsim_add_host(d->s, NULL);
    tsim_add_host(d->s, NULL);
    struct tsim_impair imp;
    memset(&imp, 0, sizeof imp);
    imp.delay_ms = delay_ms;
    tsim_impair_all(d->s, &imp);
    tsim_flow_init(&d->cli, d->s, 0);
    tsim_flow_init(&d->srv, d->s, 1);
    tsim_flow_rx(&d->cli, d->rx_cli, sizeof d->rx_cli);
    tsim_flow_rx(&d->srv, d->rx_srv, sizeof d->rx_srv);
    tsim_acceptor_init(&d->acc, &d->srv, 1);
    assert_int_equal(atoll_tcp_listen(tsim_st(d->s, 1), PORT, tsim_accept, &d->acc), ATOLL_OK);
    assert_int_equal(tsim_flow_connect(&d->cli, TSIM_IP(1), PORT), 0);
    assert_true(tsim_run(d->s, d->s->now + 5000, connected, d));
    return d;
}

static void duo_free(struct duo *d)
{
    tsim_free(d->s);
    free(d);
}

static void keepalive_answered_keeps_connection(void **state)
{
    (void)state;
    struct duo *d = duo_open(5);
    assert_int_equal(atoll_tcp_keepalive(d->cli.c, 1000, 500, 3, d->s->now), ATOLL_OK);
    tsim_run_for(d->s, 10000);
    /* Idle all along: a probe per idle period, each answered. */
    uint64_t probes = tsim_ctr(d->s, 0, ATOLL_CTR_TCP_KEEPALIVE_TX);
    assert_true(probes >= 8 && probes <= 10);
    assert_false(d->cli.reset);
    assert_string_equal(atoll_tcp_state_name(d->cli.c), "ESTABLISHED");
    duo_free(d);
}

static void keepalive_gives_up_on_silent_peer(void **state)
{
    (void)state;
    struct duo *d = duo_open(5);
    assert_int_equal(atoll_tcp_keepalive(d->cli.c, 2000, 500, 3, d->s->now), ATOLL_OK);
    uint64_t t0 = d->s->now;
    d->s->host[1].down = 1;
    tsim_run_for(d->s, 10000);
    /* idle 2 s, then 3 probes 0.5 s apart, then the reset */
    assert_true(d->cli.reset);
    assert_int_equal(tsim_ctr(d->s, 0, ATOLL_CTR_TCP_KEEPALIVE_TX), 3);
    assert_int_equal(tsim_ctr(d->s, 0, ATOLL_CTR_TCP_CONN_TIMEOUT), 1);
    assert_true(d->cli.t_reset >= t0 + 3500 && d->cli.t_reset <= t0 + 3600);
    duo_free(d);
}

static void keepalive_off_by_default_and_config_checked(void **state)
{
    (void)state;
    struct duo *d = duo_open(5);
    assert_int_equal(atoll_tcp_keepalive(d->cli.c, 1000, 0, 3, d->s->now), ATOLL_E_CONFIG);
    assert_int_equal(atoll_tcp_keepalive(d->cli.c, 1000, 100, 0, d->s->now), ATOLL_E_CONFIG);
    tsim_run_for(d->s, 20000);
    assert_int_equal(tsim_ctr(d->s, 0, ATOLL_CTR_TCP_KEEPALIVE_TX), 0);
    assert_int_equal(tsim_ctr(d->s, 1, ATOLL_CTR_TCP_KEEPALIVE_TX), 0);
    duo_free(d);
}

/* 50 writes of 10 bytes at one instant over a 50 ms link. */
static uint64_t small_writes_segments(int nagle)
{
    struct duo *d = duo_open(50);
    tsim_run_for(d->s, 500);
    atoll_tcp_nagle(d->cli.c, nagle);
    uint64_t before = tsim_ctr(d->s, 0, ATOLL_CTR_TCP_SEG_TX);
    uint8_t chunk[10];
    memset(chunk, 'n', sizeof chunk);
    for (int i = 0; i < 50; i++)
        assert_int_equal(atoll_tcp_send(d->cli.c, chunk, sizeof chunk, d->s->now), (long)sizeof chunk);
    tsim_run_for(d->s, 2000);
    assert_int_equal(d->srv.rx_len, 500);
    uint64_t segs = tsim_ctr(d->s, 0, ATOLL_CTR_TCP_SEG_TX) - before;
    duo_free(d);
    return segs;
}

static void nagle_coalesces_small_writes(void **state)
{
    (void)state;
    uint64_t off = small_writes_segments(0);
    uint64_t on = small_writes_segments(1);
    /* Off (the default): every write leaves at once. On: one small
     * segment in flight, the rest gathered behind it. */
    assert_true(off >= 50);
    assert_true(on <= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keepalive_answered_keeps_connection),
        cmocka_unit_test(keepalive_gives_up_on_silent_peer),
        cmocka_unit_test(keepalive_off_by_default_and_config_checked),
        cmocka_unit_test(nagle_coalesces_small_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
