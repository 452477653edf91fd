/* SPDX-License-Identifier: Apache-2.0 */
/* Bulk TCP transfers between two Atoll stacks on tcpsim's virtual link:
 * every byte must arrive, in order and unchanged, whatever the link does
 * (loss, reordering, duplication, corruption, a slow bottleneck with a
 * bounded queue), with small buffers and with a reader slower than the
 * writer. Each run is deterministic (seeded). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcpip/stack.h" /* white box: the ISS, to steer it near the wrap */
#include "tcpsim.h"

#define PORT 5001

struct bulk {
    /* settings */
    uint64_t seed;
    size_t a_to_b, b_to_a;    /* bytes client->server, server->client */
    struct tsim_impair imp;
    uint32_t bufsize;         /* 0: tsim default (64 KiB) */
    uint64_t budget_ms;
    size_t read_chunk;        /* server reads slowly: bytes per tick */
    uint32_t read_every_ms;
    uint32_t read_start_ms;   /* server reads nothing before this (from accept) */
    const uint8_t *secret_a, *secret_b; /* RFC 6528 secrets, if not the default */
    /* results */
    struct tsim *s;
    struct tsim_flow cli, srv;
    uint8_t *a_data, *b_data, *a_rx, *b_rx;
    uint64_t t_start, t_end;
};

/* Finished: all queued, the handle gone without a reset. EOF itself is
 * not required here (a FIN in FIN-WAIT-2 ends the handle with CLOSED and
 * no READABLE first; test_tcp_close covers that): the byte comparison
 * catches anything lost with it. */
static int end_done(const struct tsim_flow *f)
{
    return f->tx_off == f->tx_len && (f->closed || f->closed_by_us) && !f->reset;
}

static int both_done(void *arg)
{
    struct bulk *b = arg;
    return (end_done(&b->cli) && end_done(&b->srv)) || b->cli.reset || b->srv.reset;
}

/* The test being run, freed by the teardown even when an assertion fails. */
static struct bulk *cur;

static struct bulk *bulk_new(void)
{
    struct bulk *b = calloc(1, sizeof *b);
    assert_non_null(b);
    cur = b;
    return b;
}

/* Sets everything up and runs; returns 1 if both ends finished. */
static int bulk_run(struct bulk *b)
{
    b->s = tsim_new(b->seed, 1000);
    struct atoll_config ca = tsim_host_config(0), cb = tsim_host_config(1);
    if (b->bufsize) {
        ca.tcp_buffer_size = cb.tcp_buffer_size = b->bufsize;
    }
    if (b->secret_a)
        memcpy(ca.secret, b->secret_a, 16);
    if (b->secret_b)
        memcpy(cb.secret, b->secret_b, 16);
    int ha = tsim_add_host(b->s, &ca);
    int hb = tsim_add_host(b->s, &cb);
    tsim_impair_all(b->s, &b->imp);
    tsim_run_for(b->s, 10); /* gratuitous ARPs */

    b->a_data = malloc(b->a_to_b + 1);
    b->b_data = malloc(b->b_to_a + 1);
    b->a_rx = malloc(b->a_to_b + 1);
    b->b_rx = malloc(b->b_to_a + 1);
    assert_non_null(b->a_data);
    assert_non_null(b->b_data);
    assert_non_null(b->a_rx);
    assert_non_null(b->b_rx);
    tsim_fill(b->a_data, b->a_to_b, b->seed * 3 + 1);
    tsim_fill(b->b_data, b->b_to_a, b->seed * 5 + 2);

    tsim_flow_init(&b->cli, b->s, ha);
    tsim_flow_init(&b->srv, b->s, hb);
    tsim_flow_tx(&b->cli, b->a_data, b->a_to_b, 1);
    tsim_flow_rx(&b->cli, b->b_rx, b->b_to_a + 1);
    tsim_flow_rx(&b->srv, b->a_rx, b->a_to_b + 1);
    if (b->b_to_a) {
        tsim_flow_tx(&b->srv, b->b_data, b->b_to_a, 1);
    } else {
        b->srv.close_on_eof = 1; /* a server that only listens closes at EOF */
    }
    if (b->read_every_ms) {
        b->srv.read_chunk = b->read_chunk;
        b->srv.read_every_ms = b->read_every_ms;
    }
    static struct tsim_acceptor acc;
    tsim_acceptor_init(&acc, &b->srv, 1);
    assert_int_equal(atoll_tcp_listen(tsim_st(b->s, hb), PORT, tsim_accept, &acc), ATOLL_OK);
    b->t_start = b->s->now;
    assert_int_equal(tsim_flow_connect(&b->cli, TSIM_IP(hb), PORT), 0);
    if (b->read_every_ms && b->read_start_ms) {
        /* Hold the first read back: run until accepted, then delay. */
        while (!b->srv.accepted && b->s->now < b->t_start + b->budget_ms)
            tsim_run(b->s, b->s->now + 1, NULL, NULL);
        b->srv.next_read = b->s->now + b->read_start_ms;
    }
    int ok = tsim_run(b->s, b->t_start + b->budget_ms, both_done, b);
    b->t_end = b->s->now;
    return ok;
}

static void bulk_report(const struct bulk *b, const char *name)
{
    struct tsim_dir_stats t = tsim_total(b->s);
    print_message("%s: %zu+%zu bytes in %llu virtual ms; frames %llu lost %llu qdrop %llu reord %llu dup %llu "
                  "corrupt %llu; rexmit a %llu b %llu (rto a %llu b %llu, fast a %llu b %llu)\n",
                  name, b->a_to_b, b->b_to_a, (unsigned long long)(b->t_end - b->t_start),
                  (unsigned long long)t.sent, (unsigned long long)t.lost, (unsigned long long)t.queue_drops,
                  (unsigned long long)t.reordered, (unsigned long long)t.duplicated, (unsigned long long)t.corrupted,
                  (unsigned long long)tsim_ctr(b->s, 0, ATOLL_CTR_TCP_REXMIT),
                  (unsigned long long)tsim_ctr(b->s, 1, ATOLL_CTR_TCP_REXMIT),
                  (unsigned long long)tsim_ctr(b->s, 0, ATOLL_CTR_TCP_REXMIT_TIMEOUT),
                  (unsigned long long)tsim_ctr(b->s, 1, ATOLL_CTR_TCP_REXMIT_TIMEOUT),
                  (unsigned long long)tsim_ctr(b->s, 0, ATOLL_CTR_TCP_FAST_REXMIT),
                  (unsigned long long)tsim_ctr(b->s, 1, ATOLL_CTR_TCP_FAST_REXMIT));
}

/* The common verdict: both finished cleanly, every byte identical. */
static void bulk_check(struct bulk *b, int ok, const char *name)
{
    bulk_report(b, name);
    if (!ok)
        fail_msg("%s: not finished after %llu ms: cli sent %zu/%zu got %zu eof %d closed %d reset %d; "
                 "srv sent %zu/%zu got %zu eof %d closed %d/%d reset %d",
                 name, (unsigned long long)b->budget_ms, b->cli.tx_off, b->cli.tx_len, b->cli.rx_len, b->cli.eof,
                 b->cli.closed, b->cli.reset, b->srv.tx_off, b->srv.tx_len, b->srv.rx_len, b->srv.eof,
                 b->srv.closed, b->srv.closed_by_us, b->srv.reset);
    assert_false(b->cli.reset);
    assert_false(b->srv.reset);
    assert_int_equal(b->srv.rx_len, b->a_to_b);
    assert_int_equal(b->cli.rx_len, b->b_to_a);
    assert_true(b->srv.overflow == 0 && b->cli.overflow == 0);
    assert_memory_equal(b->a_rx, b->a_data, b->a_to_b);
    assert_memory_equal(b->b_rx, b->b_data, b->b_to_a);
    for (int h = 0; h < 2; h++) {
        /* A TCP segment never needs IP fragmentation on the link it was sized for. */
        assert_int_equal(tsim_ctr(b->s, h, ATOLL_CTR_IP_TX_FRAG), 0);
        assert_int_equal(tsim_ctr(b->s, h, ATOLL_CTR_TCP_CONN_TIMEOUT), 0);
        assert_int_equal(tsim_ctr(b->s, h, ATOLL_CTR_TCP_CONN_RESET), 0);
    }
}

static int bulk_teardown(void **state)
{
    (void)state;
    if (cur) {
        tsim_free(cur->s);
        free(cur->a_data);
        free(cur->b_data);
        free(cur->a_rx);
        free(cur->b_rx);
        free(cur);
        cur = NULL;
    }
    return 0;
}

static struct tsim_impair mk_link(uint32_t delay_ms, double loss)
{
    struct tsim_impair i;
    memset(&i, 0, sizeof i);
    i.delay_ms = delay_ms;
    i.loss_pct = loss;
    return i;
}

static void bulk_4mb_clean(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 1;
    b->a_to_b = 4u << 20;
    b->imp = mk_link(5, 0);
    b->budget_ms = 60000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "4MB clean");
    /* Nothing lost, nothing retransmitted. */
    assert_int_equal(tsim_ctr(b->s, 0, ATOLL_CTR_TCP_REXMIT), 0);
    assert_int_equal(tsim_ctr(b->s, 0, ATOLL_CTR_TCP_REXMIT_TIMEOUT), 0);
}

static void bulk_both_ways_clean(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 2;
    b->a_to_b = 2u << 20;
    b->b_to_a = (2u << 20) + 12345;
    b->imp = mk_link(3, 0);
    b->budget_ms = 60000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "2MB each way, clean");
}

static void bulk_loss_1pct(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 3;
    b->a_to_b = 2u << 20;
    b->imp = mk_link(5, 1);
    b->budget_ms = 300000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "2MB 1% loss");
    assert_true(tsim_ctr(b->s, 0, ATOLL_CTR_TCP_REXMIT) > 0);
}

static void bulk_loss_5pct(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 4;
    b->a_to_b = 1u << 20;
    b->imp = mk_link(5, 5);
    b->budget_ms = 600000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "1MB 5% loss");
}

static void bulk_loss_20pct(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 5;
    b->a_to_b = 1u << 20;
    b->imp = mk_link(5, 20);
    /* At 20% loss (and 20% of ACKs lost) recovery is mostly by timeout,
     * and timestamps echoed from before a lost ACK inflate the RTO:
     * allow a day of virtual time. It must finish, not time out. */
    b->budget_ms = 24ull * 3600u * 1000u;
    int ok = bulk_run(b);
    bulk_check(b, ok, "1MB 20% loss");
}

static void bulk_both_ways_loss_5pct(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 6;
    b->a_to_b = 1u << 20;
    b->b_to_a = 1u << 20;
    b->imp = mk_link(4, 5);
    b->budget_ms = 900000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "1MB each way 5% loss");
}

static void bulk_reordering(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 7;
    b->a_to_b = 2u << 20;
    b->b_to_a = 256u << 10;
    b->imp = mk_link(5, 0);
    b->imp.reorder_pct = 10;
    b->imp.reorder_ms = 3;
    b->budget_ms = 300000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "2MB reordering 10%");
    assert_true(tsim_total(b->s).reordered > 100);
    assert_true(tsim_ctr(b->s, 1, ATOLL_CTR_TCP_OOO_RX) > 0);
}

static void bulk_duplication(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 8;
    b->a_to_b = 2u << 20;
    b->b_to_a = 256u << 10;
    b->imp = mk_link(5, 0);
    b->imp.dup_pct = 10;
    b->budget_ms = 300000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "2MB duplication 10%");
    assert_true(tsim_total(b->s).duplicated > 100);
    assert_true(tsim_ctr(b->s, 1, ATOLL_CTR_TCP_DUP_DATA) + tsim_ctr(b->s, 1, ATOLL_CTR_TCP_DROP_NOT_ACCEPTABLE) > 0);
}

static uint64_t csum_drops(struct tsim *s, int h)
{
    static const enum atoll_counter c[] = {
        ATOLL_CTR_IP_DROP_TRUNC, ATOLL_CTR_IP_DROP_VERSION, ATOLL_CTR_IP_DROP_HDRLEN, ATOLL_CTR_IP_DROP_TOTLEN,
        ATOLL_CTR_IP_DROP_CSUM,  ATOLL_CTR_IP_DROP_FRAG_RANGE, ATOLL_CTR_TCP_DROP_TRUNC, ATOLL_CTR_TCP_DROP_HDRLEN,
        ATOLL_CTR_TCP_DROP_CSUM, ATOLL_CTR_TCP_DROP_OPTION,
    };
    uint64_t n = 0;
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        n += tsim_ctr(s, h, c[i]);
    return n;
}

static void bulk_corruption_caught(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 9;
    b->a_to_b = 2u << 20;
    b->b_to_a = 128u << 10;
    b->imp = mk_link(5, 0);
    b->imp.corrupt_pct = 3;
    b->budget_ms = 300000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "2MB corruption 3%");
    /* Every corrupted frame was refused by a checksum (IP or TCP), none
     * slipped through (the byte comparison above would also show it). */
    assert_true(b->s->stats[0][1].corrupted + b->s->stats[1][0].corrupted > 50);
    assert_int_equal(csum_drops(b->s, 1), b->s->stats[0][1].corrupted);
    assert_int_equal(csum_drops(b->s, 0), b->s->stats[1][0].corrupted);
}

static void bulk_everything_at_once(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 10;
    b->a_to_b = 1u << 20;
    b->b_to_a = 512u << 10;
    b->imp = mk_link(7, 2);
    b->imp.reorder_pct = 5;
    b->imp.reorder_ms = 4;
    b->imp.dup_pct = 3;
    b->imp.corrupt_pct = 2;
    b->budget_ms = 900000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "1MB+512K loss+reorder+dup+corrupt");
}

static void bulk_small_buffers(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 11;
    b->a_to_b = 1u << 20;
    b->b_to_a = 300000;
    b->bufsize = 4096;
    b->imp = mk_link(2, 1);
    b->budget_ms = 600000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "1MB 4K buffers 1% loss");
}

static void bulk_bottleneck_queue(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 12;
    b->a_to_b = 2u << 20;
    b->imp = mk_link(10, 0);
    b->imp.bandwidth_bps = 10000000; /* 10 Mbit/s */
    b->imp.queue_bytes = 20000;      /* a shallow queue: slow start overflows it */
    b->bufsize = 262144;
    b->budget_ms = 600000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "2MB over 10 Mbit/s, 20 KB queue");
    /* The link cannot be beaten: 2 MiB at 10 Mbit/s takes >= 1.67 s. */
    assert_true(b->t_end - b->t_start >= (uint64_t)b->a_to_b * 8u / 10000u);
    /* It was congested, and recovered. */
    assert_true(tsim_total(b->s).queue_drops > 0);
    assert_true(tsim_ctr(b->s, 0, ATOLL_CTR_TCP_REXMIT) > 0);
}

static void bulk_slow_reader_zero_window(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 13;
    b->a_to_b = 200000;
    b->bufsize = 16384;
    b->imp = mk_link(5, 0);
    b->read_chunk = 3000;
    b->read_every_ms = 250;
    b->read_start_ms = 5000; /* long enough for the window to close and probes to go out */
    b->budget_ms = 600000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "200K slow reader");
    /* The sender saw a zero window and probed it. */
    assert_true(tsim_ctr(b->s, 0, ATOLL_CTR_TCP_PERSIST_PROBE) > 0);
    /* It cannot finish faster than the reader reads. */
    assert_true(b->t_end - b->t_start >= 5000u + (b->a_to_b / 3000u - 6u) * 250u);
}

static void bulk_slow_reader_lossy(void **state)
{
    (void)state;
    struct bulk *b = bulk_new();
    b->seed = 14;
    b->a_to_b = 150000;
    b->bufsize = 8192;
    b->imp = mk_link(5, 5);
    b->read_chunk = 2000;
    b->read_every_ms = 300;
    b->read_start_ms = 4000;
    b->budget_ms = 1800000;
    int ok = bulk_run(b);
    bulk_check(b, ok, "150K slow reader 5% loss");
}

static int both_timed_out(void *arg)
{
    struct tsim *s = arg;
    return tsim_ctr(s, 0, ATOLL_CTR_TCP_REXMIT_TIMEOUT) > 0 && tsim_ctr(s, 1, ATOLL_CTR_TCP_REXMIT_TIMEOUT) > 0;
}

/* Drops pure ACKs (no data, SYN, FIN or RST) until both hosts have had a
 * retransmission timeout. */
static int drop_pure_acks(void *ctx, struct tsim *s, int from, const uint8_t *f, size_t len)
{
    (void)ctx;
    (void)from;
    struct tseg t;
    if (s->nhosts < 2 || both_timed_out(s))
        return 0;
    if (!tseg_parse(f, len, &t) || t.ip_frag)
        return 0;
    return t.dlen == 0 && !(t.flags & (TSF_SYN | TSF_FIN | TSF_RST));
}


static void bulk_no_ack_war_after_timeouts(void **state)
{
    (void)state;
    /* Both ends send a little at the same time; every pure ACK is lost
     * until both have timed out and gone back to SND.UNA. Each has
     * meanwhile received all the other's data. The ACKs they then send
     * must be acceptable to the other end (sequence number = the highest
     * sent, RFC 9293 SND.NXT, not the rewound retransmission point), or
     * each end drops the other's ACKs as old segments and answers with
     * another unusable ACK — forever, until the connection times out. */
    struct bulk *b = bulk_new();
    b->seed = 15;
    b->a_to_b = 3 * 1448;
    b->b_to_a = 3 * 1448;
    b->imp = mk_link(5, 0);
    b->s = tsim_new(b->seed, 1000);
    b->s->filter = drop_pure_acks;
    int ha = tsim_add_host(b->s, NULL);
    int hb = tsim_add_host(b->s, NULL);
    tsim_impair_all(b->s, &b->imp);
    tsim_run_for(b->s, 10);
    b->a_data = malloc(b->a_to_b);
    b->b_data = malloc(b->b_to_a);
    b->a_rx = malloc(b->a_to_b + 1);
    b->b_rx = malloc(b->b_to_a + 1);
    assert_true(b->a_data && b->b_data && b->a_rx && b->b_rx);
    tsim_fill(b->a_data, b->a_to_b, 1);
    tsim_fill(b->b_data, b->b_to_a, 2);
    tsim_flow_init(&b->cli, b->s, ha);
    tsim_flow_init(&b->srv, b->s, hb);
    tsim_flow_tx(&b->cli, b->a_data, b->a_to_b, 0);
    tsim_flow_tx(&b->srv, b->b_data, b->b_to_a, 0);
    tsim_flow_rx(&b->cli, b->b_rx, b->b_to_a + 1);
    tsim_flow_rx(&b->srv, b->a_rx, b->a_to_b + 1);
    static struct tsim_acceptor acc;
    tsim_acceptor_init(&acc, &b->srv, 1);
    assert_int_equal(atoll_tcp_listen(tsim_st(b->s, hb), PORT, tsim_accept, &acc), ATOLL_OK);
    b->t_start = b->s->now;
    assert_int_equal(tsim_flow_connect(&b->cli, TSIM_IP(hb), PORT), 0);
    assert_true(tsim_run(b->s, b->s->now + 5000, both_timed_out, b->s));
    /* Both received everything, neither knows its data arrived. */
    assert_int_equal(b->srv.rx_len, b->a_to_b);
    assert_int_equal(b->cli.rx_len, b->b_to_a);
    /* From now on the link is perfect: within a few RTOs both must see
     * all their data acknowledged... */
    tsim_run_for(b->s, 5000);
    b->t_end = b->s->now;
    bulk_report(b, "ACK war");
    assert_false(b->cli.reset || b->srv.reset);
    assert_non_null(b->cli.c);
    assert_non_null(b->srv.c);
    assert_int_equal(atoll_tcp_writable(b->cli.c), 65536);
    assert_int_equal(atoll_tcp_writable(b->srv.c), 65536);
    /* ...and fall silent (no endless exchange of ACKs). */
    uint64_t frames = tsim_total(b->s).sent;
    tsim_run_for(b->s, 5000);
    assert_true(tsim_total(b->s).sent - frames <= 4);
}

/* Finds a secret making tcp_isn() land in [lo, hi). */
static void secret_for_isn(uint8_t secret[16], uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport,
                           uint64_t t, uint32_t lo, uint32_t hi)
{
    for (uint32_t k = 0; k < 10000000u; k++) {
        memset(secret, 0x5a, 16);
        secret[0] = (uint8_t)k;
        secret[1] = (uint8_t)(k >> 8);
        secret[2] = (uint8_t)(k >> 16);
        uint32_t isn = tcp_isn(secret, lip, lport, rip, rport, t);
        if (isn >= lo && isn < hi)
            return;
    }
    fail_msg("no secret found");
}

static void bulk_sequence_wraparound(void **state)
{
    (void)state;
    /* Both sequence spaces wrap through 2^32 during the transfer. The
     * ISNs are steered there by choosing the hosts' secrets: a first run
     * learns the client's port and the instants the ISNs are drawn (the
     * secrets change nothing else). */
    struct bulk *b = bulk_new();
    b->seed = 16;
    b->a_to_b = 1u << 20;
    b->b_to_a = 1u << 20;
    b->imp = mk_link(3, 1);
    b->budget_ms = 600000;
    struct tsim *dry = tsim_new(b->seed, 1000);
    tsim_add_host(dry, NULL);
    tsim_add_host(dry, NULL);
    tsim_impair_all(dry, &b->imp);
    tsim_run_for(dry, 10);
    struct tsim_flow c, sv;
    tsim_flow_init(&c, dry, 0);
    tsim_flow_init(&sv, dry, 1);
    struct tsim_acceptor acc;
    tsim_acceptor_init(&acc, &sv, 1);
    assert_int_equal(atoll_tcp_listen(tsim_st(dry, 1), PORT, tsim_accept, &acc), ATOLL_OK);
    uint64_t t_connect = dry->now;
    assert_int_equal(tsim_flow_connect(&c, TSIM_IP(1), PORT), 0);
    tsim_run_for(dry, 200);
    assert_true(c.connected && sv.accepted);
    uint16_t cport;
    atoll_tcp_peer(sv.c, NULL, &cport);
    struct atoll_config c0 = tsim_host_config(0), c1 = tsim_host_config(1);
    assert_int_equal(c.c->iss, tcp_isn(c0.secret, TSIM_IP(0), cport, TSIM_IP(1), PORT, t_connect));
    uint64_t t_syn = 0;
    for (uint64_t t = t_connect; t < t_connect + 200; t++)
        if (tcp_isn(c1.secret, TSIM_IP(1), PORT, TSIM_IP(0), cport, t) == sv.c->iss)
            t_syn = t;
    assert_true(t_syn != 0);
    tsim_free(dry);
    static uint8_t sa[16], sb[16];
    secret_for_isn(sa, TSIM_IP(0), cport, TSIM_IP(1), PORT, t_connect, 0xffffffffu - 300000u, 0xffffffffu - 200000u);
    secret_for_isn(sb, TSIM_IP(1), PORT, TSIM_IP(0), cport, t_syn, 0xffffffffu - 500000u, 0xffffffffu - 400000u);
    b->secret_a = sa;
    b->secret_b = sb;
    int ok = bulk_run(b);
    bulk_check(b, ok, "1MB each way across the sequence wrap");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(bulk_4mb_clean, bulk_teardown),
        cmocka_unit_test_teardown(bulk_both_ways_clean, bulk_teardown),
        cmocka_unit_test_teardown(bulk_loss_1pct, bulk_teardown),
        cmocka_unit_test_teardown(bulk_loss_5pct, bulk_teardown),
        cmocka_unit_test_teardown(bulk_loss_20pct, bulk_teardown),
        cmocka_unit_test_teardown(bulk_both_ways_loss_5pct, bulk_teardown),
        cmocka_unit_test_teardown(bulk_reordering, bulk_teardown),
        cmocka_unit_test_teardown(bulk_duplication, bulk_teardown),
        cmocka_unit_test_teardown(bulk_corruption_caught, bulk_teardown),
        cmocka_unit_test_teardown(bulk_everything_at_once, bulk_teardown),
        cmocka_unit_test_teardown(bulk_small_buffers, bulk_teardown),
        cmocka_unit_test_teardown(bulk_bottleneck_queue, bulk_teardown),
        cmocka_unit_test_teardown(bulk_slow_reader_zero_window, bulk_teardown),
        cmocka_unit_test_teardown(bulk_slow_reader_lossy, bulk_teardown),
        cmocka_unit_test_teardown(bulk_no_ack_war_after_timeouts, bulk_teardown),
        cmocka_unit_test_teardown(bulk_sequence_wraparound, bulk_teardown),
    };
    if (getenv("TCP_TEST")) /* TCP_TEST=name runs just the tests matching it */
        cmocka_set_test_filter(getenv("TCP_TEST"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
