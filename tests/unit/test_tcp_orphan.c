/* SPDX-License-Identifier: Apache-2.0 */
/* Connections the application closed (orphans) do not live for ever nor
 * starve live ones: their number is capped (the oldest is reset), a zero
 * window or a silent peer is given up after the orphan retries, and their
 * buffers are the first reclaimed when the pool runs dry. Also: a long
 * zero window does not leave the retransmission backoff spent, so the
 * first loss after the window opens is retransmitted, not fatal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"
#include "tcpip/stack.h" /* white box: the pool and the orphan count */
#include "tcpsim.h"

#define PORT 7200

/* ---- two stacks: host 0 the client, host 1 the server ---- */

static struct tsim_pair *cur;
/* the loss filter: drops host 0's data segments while armed */
static int drop_cli_data, dropped;

static int teardown(void **state)
{
    (void)state;
    tsim_pair_free(cur);
    cur = NULL;
    return 0;
}

static int drop_filter(void *ctx, struct tsim *s, int from, const uint8_t *frame, size_t len)
{
    (void)ctx;
    (void)s;
    struct tseg t;
    if (from != 0 || !drop_cli_data || !tseg_parse(frame, len, &t) || t.dlen <= 1)
        return 0;
    dropped++;
    return 1;
}

/* srv_cfg NULL: the default host config. */
static struct tsim_pair *pair_new(uint64_t seed, size_t cli_n, size_t srv_n, const struct atoll_config *srv_cfg)
{
    struct tsim_pair *p = cur = tsim_pair_new(seed, cli_n, srv_n, srv_cfg, PORT, 5);
    drop_cli_data = dropped = 0;
    p->s->filter = drop_filter;
    p->s->filter_ctx = NULL;
    return p;
}

static const struct tcp_stack *tcp_of(struct tsim *s, int h)
{
    return &tsim_st(s, h)->tcp;
}

static int conns_used(struct tsim *s, int h)
{
    const struct tcp_stack *ts = tcp_of(s, h);
    int n = 0;
    for (uint32_t i = 0; i < ts->max_conns; i++)
        n += ts->conns[i].used;
    return n;
}

static int srv_stuck(void *arg)
{
    struct tsim_pair *p = arg;
    /* The client's window is shut and the server's send buffer full. */
    return p->srv.c && atoll_tcp_writable(p->srv.c) == 0 && tsim_ctr(p->s, 1, ATOLL_CTR_TCP_PERSIST_PROBE) > 0;
}

/* The server has answered more than the client will take: the client's
 * window is closed, bytes wait unsent, and the server lets go. */
static void server_orphans_unsent_bytes(struct tsim_pair *p)
{
    p->cli.no_read = 1;
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    assert_true(tsim_run(p->s, p->s->now + 20000, srv_stuck, p));
    struct atoll_tcp *c = p->srv.c;
    p->srv.c = NULL;
    p->srv.closed_by_us = 1;
    atoll_tcp_close(c, p->s->now);
    assert_string_equal(atoll_tcp_state_name(c), "FIN-WAIT-1");
    assert_int_equal(tcp_of(p->s, 1)->orphans, 1);
    assert_true(tcp_of(p->s, 1)->nfree < tcp_of(p->s, 1)->nbufs);
}

static int srv_gone(void *arg)
{
    struct tsim_pair *p = arg;
    return conns_used(p->s, 1) == 0;
}

/* Lifetime of an orphan: RTO * (2^(retries + 1) - 1) with the RTO never
 * above its initial 1 s here, plus slack for the 500 ms probe floor. */
#define LIFETIME_MS(retries) (1000u * ((2u << (retries)) - 1u) + 5000u)

static void orphan_zero_window_silent_peer_dies(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(1, 100, 300000, NULL);
    server_orphans_unsent_bytes(p);
    /* The client vanishes: the probes go unanswered. */
    p->s->host[0].down = 1;
    uint64_t t0 = p->s->now;
    assert_true(tsim_run(p->s, t0 + LIFETIME_MS(TCP_ORPHAN_RETRIES), srv_gone, p));
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_ORPHAN_TIMEOUT), 1);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_PERSIST_PROBE), TCP_ORPHAN_RETRIES);
    const struct tcp_stack *ts = tcp_of(p->s, 1);
    assert_int_equal(ts->nfree, ts->nbufs);
    assert_int_equal(ts->orphans, 0);
    assert_int_equal(ts->orphan_bufs, 0);
}

static void orphan_zero_window_answering_peer_dies(void **state)
{
    (void)state;
    /* The client stays up and answers every probe with its zero window:
     * a live connection would wait on; an orphan does not. The retry
     * limit is a config knob. */
    struct atoll_config cfg = tsim_host_config(1);
    cfg.tcp_orphan_retries = 3;
    struct tsim_pair *p = pair_new(2, 100, 300000, &cfg);
    server_orphans_unsent_bytes(p);
    struct tsim_dir_stats answers0 = p->s->stats[0][1];
    assert_true(tsim_run(p->s, p->s->now + LIFETIME_MS(3), srv_gone, p));
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_ORPHAN_TIMEOUT), 1);
    /* Three probes in the zero-window spell, counting those before the
     * close, each answered. */
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_PERSIST_PROBE), 3);
    assert_true(p->s->stats[0][1].delivered > answers0.delivered);
    /* The client heard the reset. */
    tsim_run_for(p->s, 100);
    assert_true(p->cli.reset);
}

static int cli_done(void *arg)
{
    struct tsim_pair *p = arg;
    return (p->cli.closed_by_us || p->cli.reset) && conns_used(p->s, 1) == 0;
}

static void orphan_slow_reader_completes(void **state)
{
    (void)state;
    /* The client takes 8 KiB every 10 s: each zero-window spell is probed
     * a few times, more than the orphan retries in all, but the window
     * keeps opening, so every spell starts the count over and the orphan
     * delivers its 128 KiB in full, then closes normally. */
    struct tsim_pair *p = pair_new(5, 100, 300000, NULL);
    p->cli.read_chunk = 8192;
    p->cli.read_every_ms = 10000;
    p->cli.close_on_eof = 1;
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    assert_true(tsim_run(p->s, p->s->now + 20000, srv_stuck, p));
    struct atoll_tcp *c = p->srv.c;
    size_t queued = p->srv.tx_off;
    p->srv.c = NULL;
    p->srv.closed_by_us = 1;
    atoll_tcp_close(c, p->s->now);
    assert_true(tsim_run(p->s, p->s->now + 600000, cli_done, p));
    assert_false(p->cli.reset);
    assert_true(p->cli.eof);
    assert_int_equal(p->cli.rx_len, queued);
    assert_memory_equal(p->cli_rx, p->srv_tx, queued);
    assert_true(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_PERSIST_PROBE) > TCP_ORPHAN_RETRIES);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_ORPHAN_TIMEOUT), 0);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), 0);
}

static int srv_flight(void *arg)
{
    struct tsim_pair *p = arg;
    return p->srv.c && p->srv.tx_off == p->srv_n && p->cli.rx_len > 0;
}

static void orphan_silent_peer_retransmissions_bounded(void **state)
{
    (void)state;
    /* The window is open but the peer falls silent after the close: the
     * orphan retransmits orphan-retries times, then gives up. */
    struct tsim_pair *p = pair_new(3, 100, 20000, NULL);
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    assert_true(tsim_run(p->s, p->s->now + 5000, srv_flight, p));
    p->s->host[0].down = 1;
    struct atoll_tcp *c = p->srv.c;
    p->srv.c = NULL;
    p->srv.closed_by_us = 1;
    uint64_t rto0 = tsim_ctr(p->s, 1, ATOLL_CTR_TCP_REXMIT_TIMEOUT);
    atoll_tcp_close(c, p->s->now);
    assert_true(tsim_run(p->s, p->s->now + LIFETIME_MS(TCP_ORPHAN_RETRIES), srv_gone, p));
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_REXMIT_TIMEOUT) - rto0, TCP_ORPHAN_RETRIES);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_ORPHAN_TIMEOUT), 1);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_CONN_TIMEOUT), 0);
}

static int cli_stuck(void *arg)
{
    struct tsim_pair *p = arg;
    return p->cli.c && atoll_tcp_writable(p->cli.c) == 0 && tsim_ctr(p->s, 0, ATOLL_CTR_TCP_PERSIST_PROBE) > 0;
}

static int cli_sent_all(void *arg)
{
    struct tsim_pair *p = arg;
    return p->srv.rx_len == p->cli_n || p->cli.reset;
}

static void persist_backoff_resets_when_window_opens(void **state)
{
    (void)state;
    /* The server reads nothing for 20 minutes: the client probes the zero
     * window all along (unanswered probes are not a timeout for a live
     * connection). Then the server reads; the first flight after the
     * window opens is lost. The client must retransmit it after an RTO
     * of the path's, not give up at once as if the probes had spent its
     * retransmissions. */
    struct tsim_pair *p = pair_new(4, 400000, 0, NULL);
    p->srv.no_read = 1;
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    assert_true(tsim_run(p->s, p->s->now + 20000, cli_stuck, p));
    tsim_run_for(p->s, 20u * 60u * 1000u);
    assert_non_null(p->cli.c);
    assert_true(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_PERSIST_PROBE) > TCP_DATA_RETRIES);
    uint64_t rto0 = tsim_ctr(p->s, 0, ATOLL_CTR_TCP_REXMIT_TIMEOUT);
    drop_cli_data = 1;
    p->srv.no_read = 0;
    tsim_flow_pump(&p->srv); /* reads: the window update goes out */
    tsim_run_for(p->s, 100);
    assert_true(dropped > 0);
    drop_cli_data = 0;
    uint64_t t0 = p->s->now;
    assert_true(tsim_run(p->s, t0 + 60000, cli_sent_all, p));
    assert_false(p->cli.reset);
    assert_int_equal(p->srv.rx_len, p->cli_n);
    assert_memory_equal(p->srv_rx, p->cli_tx, p->cli_n);
    assert_true(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_REXMIT_TIMEOUT) > rto0);
    assert_int_equal(tsim_ctr(p->s, 0, ATOLL_CTR_TCP_CONN_TIMEOUT), 0);
    /* Retransmitted within seconds: the RTO was not left at 60 s either. */
    assert_true(p->s->now - t0 < 10000);
}

static int srv_has_unread(void *arg)
{
    struct tsim_pair *p = arg;
    return p->srv.c && atoll_tcp_readable(p->srv.c) > 0 && p->srv.tx_off == p->srv_n;
}

static int srv_has_conn(void *arg)
{
    struct tsim_pair *p = arg;
    return conns_used(p->s, 1) == 1;
}

/* A handshake that completes after its listener went away has nobody to
 * take it: it must not sit established for ever with no timer. */
static void listener_gone_mid_handshake_closes(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(13, 0, 100, NULL); /* a client that sends nothing */
    p->cli.close_on_eof = 1;
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    /* until the SYN is in (the SYN-ACK on its way) */
    assert_true(tsim_run(p->s, p->s->now + 1000, srv_has_conn, p));
    assert_false(p->srv.accepted);
    assert_int_equal(atoll_tcp_unlisten(tsim_st(p->s, 1), PORT), ATOLL_OK);
    assert_true(tsim_run(p->s, p->s->now + 5000, srv_gone, p));
    tsim_run_for(p->s, 100);
    assert_true(p->cli.eof || p->cli.reset);
}

static int cli_finished(void *arg)
{
    struct tsim_pair *p = arg;
    return (p->cli.closed || p->cli.closed_by_us || p->cli.reset) && conns_used(p->s, 1) == 0;
}

/* Connects; once the server has queued its answer and holds unread bytes
 * from the client, the server's handle is handed to the test to let go. */
static struct atoll_tcp *srv_answered_with_unread(struct tsim_pair *p)
{
    assert_int_equal(tsim_flow_connect(&p->cli, TSIM_IP(1), PORT), 0);
    assert_true(tsim_run(p->s, p->s->now + 10000, srv_has_unread, p));
    struct atoll_tcp *c = p->srv.c;
    p->srv.c = NULL;
    p->srv.closed_by_us = 1;
    return c;
}

/* The server answers and lets go while the client is still sending (the
 * rest of an upload, requests pipelined after "close"): a plain close
 * would reset (unread bytes), and the client's TCP would drop the answer
 * unread. A lingering close drops the late bytes and delivers it all. */
static void lingering_close_delivers_despite_late_bytes(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(11, 300000, 20000, NULL);
    p->cli.shut_when_sent = 1;
    p->cli.close_on_eof = 1;
    p->srv.no_read = 1;
    struct atoll_tcp *c = srv_answered_with_unread(p);
    atoll_tcp_close_lingering(c, 30000, p->s->now);
    assert_int_equal(tcp_of(p->s, 1)->orphans, 1);
    assert_true(tsim_run(p->s, p->s->now + 60000, cli_finished, p));
    assert_false(p->cli.reset);
    assert_true(p->cli.eof);
    assert_int_equal(p->cli.tx_off, p->cli_n); /* every late byte was taken */
    assert_int_equal(p->cli.rx_len, p->srv_n);
    assert_memory_equal(p->cli_rx, p->srv_tx, p->srv_n);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_RST_TX), 0);
    const struct tcp_stack *ts = tcp_of(p->s, 1);
    assert_int_equal(ts->orphans, 0);
    assert_int_equal(ts->nfree, ts->nbufs);
}

/* A peer that never stops sending does not keep a lingering orphan: it is
 * reset when its linger time is up, after the answer has been delivered. */
static void lingering_close_ends_at_its_time(void **state)
{
    (void)state;
    struct tsim_pair *p = pair_new(12, 50u << 20, 20000, NULL);
    p->srv.no_read = 1;
    struct atoll_tcp *c = srv_answered_with_unread(p);
    uint64_t t0 = p->s->now;
    atoll_tcp_close_lingering(c, 2000, t0);
    assert_true(tsim_run(p->s, t0 + 10000, srv_gone, p));
    assert_true(p->s->now >= t0 + 2000 && p->s->now <= t0 + 2100);
    assert_int_equal(tsim_ctr(p->s, 1, ATOLL_CTR_TCP_ORPHAN_TIMEOUT), 1);
    assert_int_equal(p->cli.rx_len, p->srv_n);
    assert_true(p->cli.tx_off > 1000000); /* it was sending all along */
    tsim_run_for(p->s, 100);
    assert_true(p->cli.reset);
}

/* ---- one stack, scripted peers that advertise a zero window ---- */

#define NPEERS 12

struct fx {
    struct netsim *ns;
    struct tpeer p[NPEERS];
    struct atoll_tcp *c[NPEERS];
    int accepted;
};

static struct fx *fx;

static void arp_responder(struct netsim *ns, const struct ns_frame *fr)
{
    if (fr_is_arp(fr, 1, PEER_IP)) {
        uint8_t f[42];
        mk_arp(f, NS_MAC, PEER_MAC, 2, PEER_MAC, PEER_IP, NS_MAC, NS_IP);
        ns_input(ns, f, sizeof f);
    }
}

static void app_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    (void)c;
    struct atoll_tcp **slot = user;
    if (ev == ATOLL_TCP_CLOSED || ev == ATOLL_TCP_RESET)
        *slot = NULL;
}

static void app_accept(void *user, struct atoll_tcp *c)
{
    struct fx *f = user;
    assert_true(f->accepted < NPEERS);
    f->c[f->accepted] = c;
    atoll_tcp_set_handler(c, app_event, &f->c[f->accepted]);
    f->accepted++;
}

static int fx_teardown(void **state)
{
    (void)state;
    if (fx) {
        ns_destroy(fx->ns);
        free(fx);
        fx = NULL;
    }
    return 0;
}

static void fx_new(uint32_t conns, uint32_t bufs, uint32_t max_orphans)
{
    fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    struct atoll_config cfg = ns_static_config();
    for (int i = 0; i < 16; i++)
        cfg.secret[i] = (uint8_t)(0x50 + i);
    cfg.tcp_max_conns = conns;
    cfg.tcp_buffers = bufs;
    cfg.tcp_buffer_size = 4096;
    cfg.tcp_max_orphans = max_orphans;
    fx->ns = ns_create_r(&cfg, 1000, arp_responder, fx);
    assert_non_null(fx->ns);
    ns_run_until(fx->ns, 3000);
    ns_clear(fx->ns);
    ns_learn(fx->ns, PEER_MAC, PEER_IP);
    assert_int_equal(atoll_tcp_listen(fx->ns->st, TFIX_PORT, app_accept, fx), ATOLL_OK);
}

static const struct tcp_stack *fx_tcp(void)
{
    return &fx->ns->st->tcp;
}

static const char request[] = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

/* Peer i opens a connection and sends its request; returns the SYN-ACK. */
static struct tseg open_and_ask(int i, uint16_t win)
{
    ns_clear(fx->ns);
    struct tpeer *p = &fx->p[i];
    tpeer_init(p, fx->ns, (uint16_t)(40000 + i), TFIX_PORT, 1000u * (uint32_t)(i + 1));
    struct tseg sa = tpeer_connect(p, TPEER_MSS);
    assert_int_equal(fx->accepted, i + 1);
    p->win = win;
    tpeer_send_data(p, (const uint8_t *)request, sizeof request - 1);
    return sa;
}

/* The application reads the request, answers with 1000 bytes and closes:
 * with the peer's window shut, the answer stays in a pool buffer. */
static void answer_and_close(int i)
{
    struct atoll_tcp *c = fx->c[i];
    assert_non_null(c);
    uint8_t buf[256];
    assert_int_equal(atoll_tcp_recv(c, buf, sizeof buf, fx->ns->now), (long)(sizeof request - 1));
    static const uint8_t answer[1000] = {'H'};
    assert_int_equal(atoll_tcp_send(c, answer, sizeof answer, fx->ns->now), (long)sizeof answer);
    fx->c[i] = NULL;
    atoll_tcp_close(c, fx->ns->now);
}

/* Did the stack reset peer i's connection (since the last ns_clear)? */
static int reset_sent_to(int i)
{
    for (size_t k = 0; k < fx->ns->nframes; k++) {
        struct tseg t;
        const struct ns_frame *f = &fx->ns->frames[k];
        if (tseg_parse(f->b, f->len, &t) && t.dport == fx->p[i].sport && (t.flags & TSF_RST))
            return 1;
    }
    return 0;
}

static void orphans_reclaimed_when_pool_dry(void **state)
{
    (void)state;
    /* Four buffers, four zero-window abandoners: every buffer is held by
     * an orphan. A new client must be served at once. */
    fx_new(16, 4, 0);
    for (int i = 0; i < 4; i++) {
        open_and_ask(i, 0);
        answer_and_close(i);
    }
    assert_int_equal(fx_tcp()->nfree, 0);
    assert_int_equal(fx_tcp()->orphans, 4);
    assert_int_equal(fx_tcp()->orphan_bufs, 4);
    /* The newcomer is offered a window (a buffer will be found)... */
    struct tseg sa = open_and_ask(4, 65535);
    assert_true(sa.win > 0);
    /* ...its request is taken, not dropped for want of a buffer... */
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_DROP_NO_BUFFER), 0);
    assert_int_equal(atoll_tcp_readable(fx->c[4]), sizeof request - 1);
    /* ...from the oldest orphan, reset for it. */
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_ORPHAN_RECLAIM), 1);
    assert_true(reset_sent_to(0));
    assert_false(reset_sent_to(1));
    /* The answer goes out at once (in the buffer the request left). */
    uint8_t buf[256];
    assert_int_equal(atoll_tcp_recv(fx->c[4], buf, sizeof buf, fx->ns->now), (long)(sizeof request - 1));
    static const uint8_t answer[100] = {'h'};
    assert_true(atoll_tcp_writable(fx->c[4]) > 0);
    assert_int_equal(atoll_tcp_send(fx->c[4], answer, sizeof answer, fx->ns->now), (long)sizeof answer);
    assert_int_equal(fx_tcp()->orphans, 3);
    assert_int_equal(fx_tcp()->orphan_bufs, 3);
    struct tseg t;
    int got = 0;
    while (tpeer_next(&fx->p[4], &t))
        if (t.dport == fx->p[4].sport && t.dlen == sizeof answer)
            got = 1;
    assert_true(got);
    /* Three more requests, left unread, take the other orphans' buffers,
     * oldest first. */
    for (int i = 5; i < 8; i++) {
        open_and_ask(i, 0);
        assert_true(reset_sent_to(i - 4));
        assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_ORPHAN_RECLAIM), (uint64_t)(i - 3));
    }
    assert_int_equal(fx_tcp()->orphans, 0);
    assert_int_equal(fx_tcp()->orphan_bufs, 0);
    assert_int_equal(fx_tcp()->nfree, 0);
    /* A live connection's buffers are never taken: with no orphan left, a
     * dry pool is dry and the newcomer is offered no window. */
    sa = open_and_ask(8, 65535);
    assert_int_equal(sa.win, 0);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_ORPHAN_RECLAIM), 4);
    for (int i = 4; i < 8; i++)
        assert_non_null(fx->c[i]);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_CONN_RESET), 0);
}

static void orphan_cap_resets_oldest(void **state)
{
    (void)state;
    fx_new(16, 16, 3);
    for (int i = 0; i < 3; i++) {
        open_and_ask(i, 0);
        answer_and_close(i);
    }
    assert_int_equal(fx_tcp()->orphans, 3);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_ORPHAN_EVICT), 0);
    /* A fourth orphan: the first, the oldest, is reset. */
    open_and_ask(3, 0);
    answer_and_close(3);
    assert_int_equal(fx_tcp()->orphans, 3);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_ORPHAN_EVICT), 1);
    assert_true(reset_sent_to(0));
    ns_clear(fx->ns);
    open_and_ask(4, 0);
    answer_and_close(4);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_ORPHAN_EVICT), 2);
    assert_true(reset_sent_to(1));
    assert_false(reset_sent_to(2));
    /* Live connections do not count against the cap. */
    for (int i = 5; i < 10; i++)
        open_and_ask(i, 0);
    assert_int_equal(fx_tcp()->orphans, 3);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_ORPHAN_EVICT), 2);
    for (int i = 5; i < 10; i++)
        assert_non_null(fx->c[i]);
}

static void orphan_cap_default_is_half_the_table(void **state)
{
    (void)state;
    fx_new(8, 16, 0);
    for (int i = 0; i < 5; i++) {
        open_and_ask(i, 0);
        answer_and_close(i);
    }
    assert_int_equal(fx_tcp()->max_orphans, 4);
    assert_int_equal(fx_tcp()->orphans, 4);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_ORPHAN_EVICT), 1);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)
#define F(f) cmocka_unit_test_teardown(f, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(orphan_zero_window_silent_peer_dies),
        T(orphan_zero_window_answering_peer_dies),
        T(orphan_silent_peer_retransmissions_bounded),
        T(orphan_slow_reader_completes),
        T(persist_backoff_resets_when_window_opens),
        T(lingering_close_delivers_despite_late_bytes),
        T(lingering_close_ends_at_its_time),
        T(listener_gone_mid_handshake_closes),
        F(orphans_reclaimed_when_pool_dry),
        F(orphan_cap_resets_oldest),
        F(orphan_cap_default_is_half_the_table),
    };
    if (getenv("TCP_TEST"))
        cmocka_set_test_filter(getenv("TCP_TEST"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
