/* SPDX-License-Identifier: Apache-2.0 */
/* The shared buffer pool: a connection that found it dry is woken when
 * another connection's buffer comes back, on the send side (WRITABLE) and
 * on the receive side (a window update to a persisting peer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcpsim.h"

#define PORT 7100

struct net {
    struct tsim *s;
    struct tsim_flow a, b, srv[2];
    struct tsim_acceptor acc;
    uint8_t rx[4][65536];
};

static int both_open(void *arg)
{
    struct net *n = arg;
    return n->a.connected && n->b.connected && n->acc.next == 2;
}

/* Host 0 (the clients) owns `bufs` pool buffers; host 1 is generous. */
static struct net *net_new(uint32_t bufs)
{
    struct net *n = calloc(1, sizeof *n);
    assert_non_null(n);
    n->s = tsim_new(11, 1000);
    struct atoll_config cfg = tsim_host_config(0);
    cfg.tcp_buffers = bufs;
    tsim_add_host(n->s, &cfg);
    tsim_add_host(n->s, NULL);
    struct tsim_impair imp;
    memset(&imp, 0, sizeof imp);
    imp.delay_ms = 5;
    tsim_impair_all(n->s, &imp);
    tsim_flow_init(&n->a, n->s, 0);
    tsim_flow_init(&n->b, n->s, 0);
    tsim_flow_rx(&n->a, n->rx[0], sizeof n->rx[0]);
    tsim_flow_rx(&n->b, n->rx[1], sizeof n->rx[1]);
    for (int i = 0; i < 2; i++) {
        tsim_flow_init(&n->srv[i], n->s, 1);
        tsim_flow_rx(&n->srv[i], n->rx[2 + i], sizeof n->rx[2 + i]);
    }
    tsim_acceptor_init(&n->acc, n->srv, 2);
    assert_int_equal(atoll_tcp_listen(tsim_st(n->s, 1), PORT, tsim_accept, &n->acc), ATOLL_OK);
    assert_int_equal(tsim_flow_connect(&n->a, TSIM_IP(1), PORT), 0);
    assert_int_equal(tsim_flow_connect(&n->b, TSIM_IP(1), PORT), 0);
    assert_true(tsim_run(n->s, n->s->now + 5000, both_open, n));
    return n;
}

static void dry_pool_wakes_writer_when_buffer_returns(void **state)
{
    (void)state;
    struct net *n = net_new(1);
    static const uint8_t msg[100] = {1};
    /* a takes the only buffer; b finds the pool dry */
    assert_int_equal(atoll_tcp_send(n->a.c, msg, sizeof msg, n->s->now), (long)sizeof msg);
    assert_int_equal(atoll_tcp_writable(n->b.c), 0);
    assert_int_equal(atoll_tcp_send(n->b.c, msg, sizeof msg, n->s->now), 0);
    int before = n->b.writable_events;
    /* a's bytes are acknowledged, its buffer goes back: b hears of it */
    tsim_run_for(n->s, 200);
    assert_int_equal(n->srv[0].rx_len + n->srv[1].rx_len, sizeof msg);
    assert_true(n->b.writable_events > before);
    assert_true(atoll_tcp_writable(n->b.c) > 0);
    tsim_free(n->s);
    free(n);
}

static void dry_pool_reopens_receive_window(void **state)
{
    (void)state;
    /* Host 0's single buffer is held by a's unacknowledged send while the
     * far side of b sends: b must advertise a zero window, then open it
     * once the buffer returns, without waiting for a persist probe. */
    struct net *n = net_new(1);
    static uint8_t big[3000];
    memset(big, 7, sizeof big);
    struct tsim_impair imp;
    memset(&imp, 0, sizeof imp);
    imp.delay_ms = 5;
    imp.loss_pct = 100; /* host 1 is deaf for a moment: a's bytes stay unacked */
    n->s->imp[0][1] = imp;
    assert_int_equal(atoll_tcp_send(n->a.c, big, 10, n->s->now), 10);
    /* both far ends send; a's and b's receive sides share the dry pool */
    for (int i = 0; i < 2; i++)
        tsim_flow_tx(&n->srv[i], big, sizeof big, 0);
    for (int i = 0; i < 2; i++)
        tsim_flow_pump(&n->srv[i]);
    tsim_run_for(n->s, 300);
    imp.loss_pct = 0;
    n->s->imp[0][1] = imp;
    tsim_run_for(n->s, 8000);
    if (getenv("POOL_DEBUG"))
        for (int h = 0; h < 2; h++)
            for (int k = 0; k < ATOLL_CTR_COUNT; k++)
                if (tsim_ctr(n->s, h, (enum atoll_counter)k))
                    print_message("host%d %s=%llu\n", h, atoll_counter_name((enum atoll_counter)k),
                                  (unsigned long long)tsim_ctr(n->s, h, (enum atoll_counter)k));
    /* everything arrives well before a 60 s persist backoff would allow */
    assert_int_equal(n->a.rx_len + n->b.rx_len, 2 * sizeof big);
    tsim_free(n->s);
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dry_pool_wakes_writer_when_buffer_returns),
        cmocka_unit_test(dry_pool_reopens_receive_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
