/* SPDX-License-Identifier: Apache-2.0 */
/* Every way a TCP connection ends, between two Atoll stacks on tcpsim's
 * virtual link: active, passive and simultaneous close (RFC 9293 3.6),
 * close with unread data and abort (RST), refused and unanswered opens,
 * TIME-WAIT entry and 2*MSL expiry, the orphaned FIN-WAIT-2 timeout, and
 * bytes that arrive together with the peer's FIN. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcpip/stack.h" /* white box: the TIME-WAIT table */
#include "tcpsim.h"

#define PORT 7000
#define DELAY 5u
#define MSL2 (2u * TCP_MSL_MS)

static struct tsim_pair *cur;

static int teardown(void **state)
{
    (void)state;
    tsim_pair_free(cur);
    cur = NULL;
    return 0;
}

static struct tsim_pair *pair_new(uint64_t seed, size_t cli_n, size_t srv_n)
{
    return cur = tsim_pair_new(seed, cli_n, srv_n, NULL, PORT, DELAY);
}

static int established_and_drained(void *arg)
{
    struct tsim_pair *p = arg;
    return p->cli.connected && p->srv.accepted && p->srv.rx_len == p->cli_n && p->cli.rx_len == p->srv_n
           && atoll_tcp_writable(p->cli.c) == 65536 && atoll_tcp_writable(p->srv.c) == 65536;
}

/* Connects and exchanges the data; both ends ESTABLISHED and idle. */
static void pair_open(struct tsim_pair *p)
{
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    assert_true(tsim_run(p->s, p->s->now + 10000, established_and_drained, p));
    tsim_run_for(p->s, 200); /* delayed ACKs settle */
    assert_string_equal(atoll_tcp_state_name(p->cli.c), "ESTABLISHED");
    assert_string_equal(atoll_tcp_state_name(p->srv.c), "ESTABLISHED");
    assert_memory_equal(p->srv_rx, p->cli_tx, p->cli_n);
    assert_memory_equal(p->cli_rx, p->srv_tx, p->srv_n);
}

/* Live TIME-WAIT entries of a host. */
static int tw_count(struct tsim *s, int h)
{
    const struct atoll_stack *st = tsim_st(s, h);
    int n = 0;
    for (int i = 0; i < TCP_TW_SLOTS; i++)
        n += st->tcp.tw[i].used && st->tcp.tw[i].expires > s->now;
    return n;
}

static int flow_gone(void *arg)
{
    const struct tsim_flow *f = arg;
    return f->c == NULL;
}

static int flow_eof(void *arg)
{
    const struct tsim_flow *f = arg;
    return f->eof;
}

static void close_active(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(1, 3000, 2000);
    pair_open(p);
    uint64_t t0 = p->s->now;
    assert_int_equal(atoll_tcp_shutdown(p->cli.c, p->s->now), ATOLL_OK);
    assert_string_equal(atoll_tcp_state_name(p->cli.c), "FIN-WAIT-1");
    /* The FIN arrives: the server reads EOF and sits in CLOSE-WAIT; the
     * client, its FIN acknowledged, in FIN-WAIT-2. */
    assert_true(tsim_run(p->s, t0 + 1000, flow_eof, &p->srv));
    tsim_run_for(p->s, 100);
    assert_string_equal(atoll_tcp_state_name(p->srv.c), "CLOSE-WAIT");
    assert_string_equal(atoll_tcp_state_name(p->cli.c), "FIN-WAIT-2");
    assert_false(p->cli.closed);
    /* Receiving still works in FIN-WAIT-2 (half-close). */
    static const uint8_t late[] = "late words";
    assert_int_equal(atoll_tcp_send(p->srv.c, late, sizeof late, p->s->now), (long)sizeof late);
    tsim_run_for(p->s, 100);
    assert_int_equal(p->cli.rx_len, p->srv_n + sizeof late);
    assert_memory_equal(p->cli_rx + p->srv_n, late, sizeof late);
    /* The server closes: LAST-ACK, then CLOSED; the client goes through
     * TIME-WAIT and is told CLOSED at once. */
    uint64_t t1 = p->s->now;
    assert_int_equal(atoll_tcp_shutdown(p->srv.c, p->s->now), ATOLL_OK);
    assert_string_equal(atoll_tcp_state_name(p->srv.c), "LAST-ACK");
    assert_true(tsim_run(p->s, t1 + 1000, flow_gone, &p->srv));
    tsim_run_for(p->s, 10);
    assert_true(p->srv.closed && !p->srv.reset);
    assert_true(p->cli.closed && !p->cli.reset);
    assert_int_equal(tw_count(p->s, 0), 1);
    assert_int_equal(tw_count(p->s, 1), 0);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_CONN_CLOSE), 1);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_CONN_CLOSE), 1);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_TX) + tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), 0);
    /* The owner was told of the server's FIN (READABLE, recv() == EOF)
     * before the handle went away with CLOSED. */
    assert_true(p->cli.eof);
}

static void close_passive(void **state)
{
    (void)state;
    /* The server ends it (an HTTP/1.0 server after its response). */
    struct tsim_pair *p = pair_new(2, 500, 40000);
    pair_open(p);
    uint64_t t0 = p->s->now;
    assert_int_equal(atoll_tcp_shutdown(p->srv.c, p->s->now), ATOLL_OK);
    assert_true(tsim_run(p->s, t0 + 1000, flow_eof, &p->cli));
    tsim_run_for(p->s, 100);
    assert_string_equal(atoll_tcp_state_name(p->cli.c), "CLOSE-WAIT");
    assert_string_equal(atoll_tcp_state_name(p->srv.c), "FIN-WAIT-2");
    /* The client answers by closing its handle: FIN, then LAST-ACK. */
    struct atoll_tcp *c = p->cli.c;
    p->cli.c = NULL;
    p->cli.closed_by_us = 1;
    atoll_tcp_close(c, p->s->now);
    assert_true(tsim_run(p->s, p->s->now + 1000, flow_gone, &p->srv));
    tsim_run_for(p->s, 100);
    assert_true(p->srv.closed && !p->srv.reset);
    assert_int_equal(tw_count(p->s, 1), 1);
    assert_int_equal(tw_count(p->s, 0), 0);
    /* The client's control block is free again (LAST-ACK ended). */
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_CONN_CLOSE), 1);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_TX) + tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), 0);
    /* The server saw the client's FIN as EOF before CLOSED. */
    assert_true(p->srv.eof);
}

static void close_simultaneous(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(3, 1000, 1000);
    pair_open(p);
    uint64_t t0 = p->s->now;
    /* Both shut down at the same virtual instant: FINs cross. */
    assert_int_equal(atoll_tcp_shutdown(p->cli.c, t0), ATOLL_OK);
    assert_int_equal(atoll_tcp_shutdown(p->srv.c, t0), ATOLL_OK);
    assert_string_equal(atoll_tcp_state_name(p->cli.c), "FIN-WAIT-1");
    assert_string_equal(atoll_tcp_state_name(p->srv.c), "FIN-WAIT-1");
    /* Each FIN arrives at t0 + DELAY, before the ACK of the other: CLOSING. */
    tsim_run(p->s, t0 + DELAY, NULL, NULL);
    assert_non_null(p->cli.c);
    assert_non_null(p->srv.c);
    assert_string_equal(atoll_tcp_state_name(p->cli.c), "CLOSING");
    assert_string_equal(atoll_tcp_state_name(p->srv.c), "CLOSING");
    assert_true(p->cli.eof && p->srv.eof);
    /* The ACKs arrive: both in TIME-WAIT, both told CLOSED. */
    tsim_run(p->s, t0 + 2 * DELAY + 1, NULL, NULL);
    assert_true(p->cli.closed && p->srv.closed);
    assert_false(p->cli.reset || p->srv.reset);
    assert_int_equal(tw_count(p->s, 0), 1);
    assert_int_equal(tw_count(p->s, 1), 1);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_TX) + tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), 0);
    /* Both expire after 2*MSL. */
    tsim_run(p->s, t0 + 2 * DELAY + MSL2 + 10, NULL, NULL);
    assert_int_equal(tw_count(p->s, 0), 0);
    assert_int_equal(tw_count(p->s, 1), 0);
}

static void close_time_wait_expiry(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(4, 100, 100);
    pair_open(p);
    assert_int_equal(atoll_tcp_shutdown(p->cli.c, p->s->now), ATOLL_OK);
    assert_true(tsim_run(p->s, p->s->now + 1000, flow_eof, &p->srv));
    assert_int_equal(atoll_tcp_shutdown(p->srv.c, p->s->now), ATOLL_OK);
    assert_true(tsim_run(p->s, p->s->now + 1000, flow_gone, &p->cli));
    uint64_t t_tw = p->cli.t_closed;
    assert_int_equal(tw_count(p->s, 0), 1);
    const struct atoll_stack *st0 = tsim_st(p->s, 0);
    uint16_t port1 = 0;
    for (int i = 0; i < TCP_TW_SLOTS; i++)
        if (st0->tcp.tw[i].used)
            port1 = st0->tcp.tw[i].lport;
    /* A new connection to the same service works meanwhile, from another
     * port: the TIME-WAIT 4-tuple is not reused by an active open. */
    struct tsim_flow f2;
    tsim_flow_init(&f2, p->s, 0);
    struct tsim_flow s2;
    tsim_flow_init(&s2, p->s, 1);
    tsim_acceptor_init(&p->acc, &s2, 1);
    assert_int_equal(tsim_flow_connect(&f2, TSIM_IP(1), PORT), 0);
    tsim_run_for(p->s, 100);
    assert_true(f2.connected && s2.accepted);
    uint16_t port2;
    atoll_tcp_peer(s2.c, NULL, &port2);
    if (!(port1 != 0 && port2 != port1))
        fail_msg("TIME-WAIT port %u, new connection from port %u", port1, port2);
    /* TIME-WAIT holds the 4-tuple for 2*MSL, and no less. */
    tsim_run(p->s, t_tw + MSL2 - 5, NULL, NULL);
    assert_int_equal(tw_count(p->s, 0), 1);
    atoll_tcp_abort(f2.c, p->s->now);
    f2.c = NULL;
    tsim_run(p->s, t_tw + MSL2 + 5, NULL, NULL);
    assert_int_equal(tw_count(p->s, 0), 0);
    /* The table slot is actually released after a poll. */
    int used = 0;
    st0 = tsim_st(p->s, 0);
    for (int i = 0; i < TCP_TW_SLOTS; i++)
        used += st0->tcp.tw[i].used;
    assert_int_equal(used, 0);
}

static void close_with_unread_data_resets(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(5, 0, 0);
    p->srv.no_read = 1;
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    tsim_run_for(p->s, 100);
    assert_true(p->cli.connected && p->srv.accepted);
    static const uint8_t req[] = "GET / HTTP/1.1\r\n\r\n";
    assert_int_equal(atoll_tcp_send(p->cli.c, req, sizeof req, p->s->now), (long)sizeof req);
    tsim_run_for(p->s, 100);
    assert_int_equal(atoll_tcp_readable(p->srv.c), sizeof req);
    /* RFC 9293 3.6.1 / RFC 1122 4.2.2.13: closing with unread data sends RST. */
    uint64_t rst_before = tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX);
    struct atoll_tcp *c = p->srv.c;
    p->srv.c = NULL;
    atoll_tcp_close(c, p->s->now);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), rst_before + 1);
    tsim_run_for(p->s, 100);
    assert_true(p->cli.reset);
    assert_false(p->cli.closed);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_RX), 1);
    assert_int_equal(tw_count(p->s, 0) + tw_count(p->s, 1), 0);
}

static void close_abort_resets_peer(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(6, 5000, 5000);
    pair_open(p);
    struct atoll_tcp *c = p->cli.c;
    p->cli.c = NULL;
    atoll_tcp_abort(c, p->s->now);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_TX), 1);
    tsim_run_for(p->s, 100);
    /* The owner that aborted hears nothing more; the peer hears RESET. */
    assert_false(p->cli.reset || p->cli.closed);
    assert_true(p->srv.reset);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_RX), 1);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_CONN_RESET), 1);
    /* Nothing answers the RST (no RST war). */
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), 0);
    assert_int_equal(tw_count(p->s, 0) + tw_count(p->s, 1), 0);
}

static void close_abort_with_data_in_flight(void **state)
{
    (void)state;
    /* Aborting while a large send is under way: the peer is reset, the
     * data stops, nobody keeps retransmitting. */
    struct tsim_pair *p = pair_new(7, 300000, 0);
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    tsim_run_for(p->s, 40);
    assert_true(p->srv.rx_len > 0 && p->srv.rx_len < 300000);
    struct atoll_tcp *c = p->cli.c;
    p->cli.c = NULL;
    atoll_tcp_abort(c, p->s->now);
    tsim_run_for(p->s, 10000);
    assert_true(p->srv.reset);
    assert_int_equal(tsim_in_flight(p->s), 0);
    uint64_t sent = tsim_total(p->s).sent;
    tsim_run_for(p->s, 60000);
    /* Silence: nothing left to send (ARP refreshes aside). */
    assert_true(tsim_total(p->s).sent - sent <= 8);
}

static void close_delivers_queued_data(void **state)
{
    (void)state;
    /* close() right after a large send: FIN after every queued byte. */
    struct tsim_pair *p = pair_new(8, 60000, 0);
    p->srv.close_on_eof = 1;
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    tsim_run_for(p->s, 20); /* connected; the first window is out */
    assert_true(p->cli.connected);
    assert_true(p->cli.tx_off == p->cli_n); /* all queued */
    struct atoll_tcp *c = p->cli.c;
    p->cli.c = NULL;
    p->cli.closed_by_us = 1;
    atoll_tcp_close(c, p->s->now);
    assert_true(tsim_run(p->s, p->s->now + 10000, flow_eof, &p->srv));
    assert_int_equal(p->srv.rx_len, p->cli_n);
    assert_memory_equal(p->srv_rx, p->cli_tx, p->cli_n);
    assert_false(p->srv.reset);
    tsim_run_for(p->s, 1000);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_TX) + tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), 0);
    assert_int_equal(tw_count(p->s, 0), 1);
}

static void close_refused_port(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(9, 0, 0);
    uint64_t t0 = p->s->now;
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT + 1), 0);
    tsim_run_for(p->s, 100);
    /* RST,ACK from the closed port: RESET within one round trip (after
     * the ARP exchange). */
    assert_true(p->cli.reset);
    assert_false(p->cli.connected);
    assert_true(p->cli.t_reset <= t0 + 4 * DELAY + 2);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), 1);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_DROP_NO_CONN), 1);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_RX), 1);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_REXMIT_TIMEOUT), 0);
}

struct syn_log {
    int n;
    uint64_t at[16];
};

static int log_syns(void *ctx, struct tsim *s, int from, const uint8_t *f, size_t len)
{
    struct syn_log *l = ctx;
    struct tseg t;
    if (from == 0 && tseg_parse(f, len, &t) && (t.flags & TSF_SYN) && l->n < 16)
        l->at[l->n++] = s->now;
    return 0;
}

static void close_connect_unanswered(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(10, 0, 0);
    struct tsim_impair imp;
    memset(&imp, 0, sizeof imp);
    imp.delay_ms = DELAY;
    imp.loss_pct = 100; /* every IP frame lost; ARP still works */
    tsim_impair_all(p->s, &imp);
    struct syn_log log;
    memset(&log, 0, sizeof log);
    p->s->filter = log_syns;
    p->s->filter_ctx = &log;
    uint64_t t0 = p->s->now;
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    assert_true(tsim_run(p->s, t0 + 600000, flow_gone, &p->cli));
    assert_true(p->cli.reset);
    /* RFC 6298: initial RTO 1 s, doubling on every expiry; the SYN is
     * sent 1 + TCP_SYN_RETRIES times, then the connection gives up. */
    assert_int_equal(log.n, 1 + TCP_SYN_RETRIES);
    /* Times from connect(): a SYN may wait up to one ARP exchange (the
     * first one, and any after the neighbour entry expires). */
    uint64_t rto = TCP_RTO_INITIAL, due = 0;
    for (int i = 0; i < log.n; i++) {
        uint64_t at = log.at[i] - t0;
        if (at < due || at > due + 2 * DELAY + 1)
            fail_msg("SYN %d at +%llu ms, expected +%llu", i, (unsigned long long)at, (unsigned long long)due);
        due += rto;
        if (i + 1 < log.n)
            rto = rto * 2 > TCP_RTO_MAX ? TCP_RTO_MAX : rto * 2;
    }
    assert_int_equal(p->cli.t_reset - t0, due);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_CONN_TIMEOUT), 1);
    /* A timed-out active open sends no RST (nothing was synchronized). */
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_TX), 0);
}

static void close_orphan_fin_wait_2_timeout(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(11, 100, 100);
    pair_open(p);
    /* The client closes its handle; the server never closes. */
    struct atoll_tcp *c = p->cli.c;
    p->cli.c = NULL;
    p->cli.closed_by_us = 1;
    uint64_t t0 = p->s->now;
    atoll_tcp_close(c, t0);
    assert_true(tsim_run(p->s, t0 + 1000, flow_eof, &p->srv));
    tsim_run_for(p->s, 100);
    assert_string_equal(atoll_tcp_state_name(p->srv.c), "CLOSE-WAIT");
    /* Still there just before the FIN-WAIT-2 limit... */
    tsim_run(p->s, t0 + TCP_FIN_WAIT_2_MS - 100, NULL, NULL);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_CONN_TIMEOUT), 0);
    /* ...and gone after it, without TIME-WAIT. */
    tsim_run(p->s, t0 + TCP_FIN_WAIT_2_MS + 2 * DELAY + 100, NULL, NULL);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_CONN_TIMEOUT), 1);
    assert_int_equal(tw_count(p->s, 0), 0);
    /* The server, writing late, learns of it by a RST. */
    static const uint8_t late[] = "anyone there?";
    assert_int_equal(atoll_tcp_send(p->srv.c, late, sizeof late, p->s->now), (long)sizeof late);
    tsim_run_for(p->s, 100);
    assert_true(p->srv.reset);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_TX), 1);
}

static void close_fin_wait_2_keeps_data_with_fin(void **state)
{
    (void)state;
    /* The client half-closes after its request; the server answers and
     * closes, its last bytes riding with the FIN. The client is in
     * FIN-WAIT-2 when they arrive: every byte, then EOF, must be readable. */
    struct tsim_pair *p = pair_new(12, 200, 0);
    pair_open(p);
    assert_int_equal(atoll_tcp_shutdown(p->cli.c, p->s->now), ATOLL_OK);
    assert_true(tsim_run(p->s, p->s->now + 1000, flow_eof, &p->srv));
    tsim_run_for(p->s, 100);
    assert_string_equal(atoll_tcp_state_name(p->cli.c), "FIN-WAIT-2");
    /* More than the initial congestion window: the tail goes out after
     * the first ACKs, and the FIN rides on the last data segment. */
    static uint8_t resp[30000];
    tsim_fill(resp, sizeof resp, 99);
    assert_int_equal(atoll_tcp_send(p->srv.c, resp, sizeof resp, p->s->now), (long)sizeof resp);
    assert_int_equal(atoll_tcp_shutdown(p->srv.c, p->s->now), ATOLL_OK);
    tsim_run_for(p->s, 1000);
    assert_true(p->srv.closed);
    assert_int_equal(p->cli.rx_len, sizeof resp);
    assert_memory_equal(p->cli_rx, resp, sizeof resp);
    assert_true(p->cli.eof);
    assert_true(p->cli.closed && !p->cli.reset);
}

static void close_fin_wait_2_slow_reader_keeps_data(void **state)
{
    (void)state;
    /* The same, with an application that reads on its own schedule: the
     * bytes still unread when the FIN arrives must not be thrown away. */
    struct tsim_pair *p = pair_new(13, 200, 0);
    pair_open(p);
    p->cli.read_every_ms = 500;
    p->cli.read_chunk = 4000;
    p->cli.next_read = p->s->now + 500;
    assert_int_equal(atoll_tcp_shutdown(p->cli.c, p->s->now), ATOLL_OK);
    assert_true(tsim_run(p->s, p->s->now + 1000, flow_eof, &p->srv));
    static uint8_t resp[30000];
    tsim_fill(resp, sizeof resp, 98);
    assert_int_equal(atoll_tcp_send(p->srv.c, resp, sizeof resp, p->s->now), (long)sizeof resp);
    assert_int_equal(atoll_tcp_shutdown(p->srv.c, p->s->now), ATOLL_OK);
    tsim_run_for(p->s, 30000);
    assert_int_equal(p->cli.rx_len, sizeof resp);
    assert_memory_equal(p->cli_rx, resp, sizeof resp);
    assert_true(p->cli.eof);
    assert_false(p->cli.reset);
}

static void close_in_syn_sent(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(14, 0, 0);
    struct tsim_impair imp;
    memset(&imp, 0, sizeof imp);
    imp.delay_ms = DELAY;
    imp.loss_pct = 100;
    tsim_impair_all(p->s, &imp);
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    tsim_run_for(p->s, 500);
    struct atoll_tcp *c = p->cli.c;
    assert_string_equal(atoll_tcp_state_name(c), "SYN-SENT");
    p->cli.c = NULL;
    atoll_tcp_close(c, p->s->now);
    uint64_t sent = tsim_total(p->s).sent;
    tsim_run_for(p->s, 200000);
    /* No more SYNs, no timeout later, no event. */
    assert_true(tsim_total(p->s).sent - sent <= 10);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_CONN_TIMEOUT), 0);
    assert_false(p->cli.reset || p->cli.closed);
}

static void close_half_open_peer_rebooted(void **state)
{
    (void)state;
    /* RFC 9293 3.5.2 / figure 11: the server crashes and comes back with
     * no memory of the connection; the client's next segment draws a RST
     * and the client learns the connection is gone. */
    struct tsim_pair *p = pair_new(15, 1000, 1000);
    pair_open(p);
    tsim_host_reboot(p->s, 1);
    tsim_run_for(p->s, 10);
    static const uint8_t more[] = "still there?";
    assert_int_equal(atoll_tcp_send(p->cli.c, more, sizeof more, p->s->now), (long)sizeof more);
    tsim_run_for(p->s, 200);
    assert_true(p->cli.reset);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), 1);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_RST_RX), 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, teardown)
    const struct CMUnitTest tests[] = {
        T(close_active),
        T(close_passive),
        T(close_simultaneous),
        T(close_time_wait_expiry),
        T(close_with_unread_data_resets),
        T(close_abort_resets_peer),
        T(close_abort_with_data_in_flight),
        T(close_delivers_queued_data),
        T(close_refused_port),
        T(close_connect_unanswered),
        T(close_orphan_fin_wait_2_timeout),
        T(close_fin_wait_2_keeps_data_with_fin),
        T(close_fin_wait_2_slow_reader_keeps_data),
        T(close_in_syn_sent),
        T(close_half_open_peer_rebooted),
    };
    if (getenv("TCP_TEST"))
        cmocka_set_test_filter(getenv("TCP_TEST"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
