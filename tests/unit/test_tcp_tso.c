/* SPDX-License-Identifier: Apache-2.0 */
/* TCP with transmit offloads (atoll_config.tx_csum_offload, tso_max):
 * the sending host's frames go to a device model here that checks each
 * against the connection's state at the moment it is handed down (a
 * super-segment carries only new bytes the window and cwnd allow, never
 * more than tso_max, cut at the MSS; a retransmission is one plain
 * segment; the checksum field holds the pseudo-header sum) and against
 * the byte stream, then cuts and checksums it as Linux's tap would and
 * puts the pieces on tcpsim's link, where the peer must receive every
 * byte unchanged. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcpip/stack.h" /* white box: the sender's control block, its callbacks */
#include "tcpip/tcp_seq.h"
#include "netsim.h"
#include "tcpsim.h"

#define PORT 5001

/* The device model and what it saw. */
struct dev {
    struct atoll_stack *st;
    void (*wire)(void *ctx, const uint8_t *f, size_t len);
    void *wire_ctx;
    const uint8_t *stream; /* the bytes the sender's application wrote */
    size_t stream_len;
    uint32_t tso_max;
    uint64_t frames, gso_frames, data_frames, rexmit_frames, pieces, max_payload, fin_frames;
};
static struct dev dev;

static struct atoll_tcp *sender_conn(void)
{
    struct tcp_stack *ts = &dev.st->tcp;
    for (uint32_t i = 0; i < ts->max_conns; i++)
        if (ts->conns[i].used && ts->conns[i].lport == PORT)
            return &ts->conns[i];
    return NULL;
}

static uint32_t pseudo(const uint8_t *ip, size_t tcp_len)
{
    uint32_t acc = get16(ip + 12) + get16(ip + 14) + get16(ip + 16) + get16(ip + 18) + 6u + (uint32_t)tcp_len;
    return acc;
}

/* One wire frame: head (Ethernet, IP, TCP header) and payload, with the
 * IP length, identification and both checksums made from scratch. */
static void put_piece(const uint8_t *head, size_t hl, const uint8_t *pl, size_t n, uint32_t seq, uint16_t id,
                      int last)
{
    uint8_t f[1600];
    assert_true(hl + n <= 1514);
    memcpy(f, head, hl);
    memcpy(f + hl, pl, n);
    uint8_t *ip = f + 14, *tcp = f + 34;
    put16(ip + 2, (uint16_t)(hl - 14 + n));
    put16(ip + 4, id);
    put16(ip + 10, 0);
    put16(ip + 10, ref_csum(ip, 20));
    put32(tcp + 4, seq);
    if (!last)
        tcp[13] &= (uint8_t)~(TSF_FIN | TSF_PSH);
    put16(tcp + 16, 0);
    put16(tcp + 16, (uint16_t)~ref_fold(ref_sum(pseudo(ip, hl - 34 + n), tcp, hl - 34 + n)));
    dev.pieces++;
    dev.wire(dev.wire_ctx, f, hl + n);
}

static void dev_send(void *ctx, const uint8_t *head, size_t hl, const uint8_t *body, size_t bl,
                     const struct atoll_tx_meta *m)
{
    (void)ctx;
    dev.frames++;
    /* Only TCP comes this way, with the checksum left to complete. */
    assert_int_equal(m->flags, ATOLL_TX_CSUM);
    assert_int_equal(m->csum_start, 34);
    assert_int_equal(m->csum_offset, 16);
    assert_int_equal(m->hdr_len, hl);
    assert_true(hl >= 54 && hl <= 94);
    const uint8_t *ip = head + 14, *tcp = head + 34;
    assert_int_equal(get16(head + 12), 0x0800);
    assert_int_equal(ip[9], 6);
    assert_int_equal(get16(ip + 2), hl - 14 + bl);
    assert_int_equal(ref_csum(ip, 20), 0); /* the IP header is complete */
    assert_int_equal((tcp[12] >> 4) * 4u, hl - 34);
    /* The field holds the pseudo-header sum of the whole (super-)segment. */
    assert_int_equal(ref_fold(get16(tcp + 16)) % 65535u, ref_fold(pseudo(ip, hl - 34 + bl)) % 65535u);
    uint32_t seq = get32(tcp + 4);
    struct atoll_tcp *c = sender_conn();
    if (bl > 0 && c) {
        dev.data_frames++;
        /* The payload is the stream's bytes at that sequence number. */
        uint32_t off = seq_diff(seq, c->iss + 1u);
        assert_true(off + bl <= dev.stream_len);
        assert_memory_equal(body, dev.stream + off, bl);
        if (seq_lt(seq, c->snd_max))
            dev.rexmit_frames++;
    }
    if (tcp[13] & TSF_FIN)
        dev.fin_frames++;
    if (m->gso_type == ATOLL_TX_GSO_NONE) {
        if (c)
            assert_true(bl <= c->mss);
        uint8_t f[1600];
        assert_true(hl + bl <= sizeof f);
        memcpy(f, head, hl);
        memcpy(f + hl, body, bl);
        /* Complete the checksum as the device would: sum from csum_start,
         * the field's pseudo-header sum included, and complement. */
        put16(f + 50, (uint16_t)~ref_fold(ref_sum(0, f + 34, hl - 34 + bl)));
        dev.wire(dev.wire_ctx, f, hl + bl);
        return;
    }
    assert_int_equal(m->gso_type, ATOLL_TX_GSO_TCPV4);
    assert_non_null(c);
    dev.gso_frames++;
    if (bl > dev.max_payload)
        dev.max_payload = bl;
    /* Pieces of the connection's MSS, more than one, none past tso_max. */
    assert_int_equal(m->gso_size, c->mss);
    assert_true(bl > c->mss && bl <= dev.tso_max);
    /* Only new data, and only what the peer's window and the congestion
     * window allow beyond what is already out. */
    assert_true(seq == c->snd_nxt && seq == c->snd_max);
    assert_true((uint64_t)tcp_flight(c) + bl <= c->snd_wnd);
    assert_true((uint64_t)tcp_pipe(c) + bl <= c->cwnd);
    /* Whole pieces unless it is the tail of what was written. */
    uint32_t off = seq_diff(seq, c->iss + 1u);
    if (bl % c->mss != 0)
        assert_true(off + bl == c->tx_len + seq_diff(c->snd_una, c->iss + 1u) || off + bl == dev.stream_len);
    uint16_t id = get16(ip + 4);
    size_t done = 0;
    while (done < bl) {
        size_t n = bl - done < c->mss ? bl - done : c->mss;
        put_piece(head, hl, body + done, n, seq + (uint32_t)done, id++, done + n == bl);
        done += n;
    }
}

struct run {
    struct tsim *s;
    struct tsim_flow cli, srv;
    struct tsim_acceptor acc;
    uint8_t *data, *rx;
    size_t len;
};
static struct run *cur;

static int srv_done(void *arg)
{
    struct run *r = arg;
    return (r->cli.eof && r->srv.tx_off == r->srv.tx_len && (r->srv.closed || r->srv.closed_by_us)) || r->cli.reset ||
           r->srv.reset;
}

/* Host 1 sends len bytes to host 0 over a link with imp; its device
 * offloads when tso_max > 0. cli_buf: the receiver's buffer size (0:
 * tsim's 64 KiB), which bounds the window. */
static void run(uint64_t seed, size_t len, const struct tsim_impair *imp, uint32_t tso_max, uint32_t cli_buf,
                int nagle)
{
    struct run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    cur = r;
    memset(&dev, 0, sizeof dev);
    r->s = tsim_new(seed, 1000);
    struct atoll_config ca = tsim_host_config(0), cb = tsim_host_config(1);
    if (cli_buf)
        ca.tcp_buffer_size = cli_buf;
    cb.tso_max = tso_max;
    int ha = tsim_add_host(r->s, &ca), hb = tsim_add_host(r->s, &cb);
    struct atoll_stack *st = tsim_st(r->s, hb);
    /* tcpsim gave the stack no send_frame_ex, so the capability is off... */
    assert_int_equal(st->tso_max, 0);
    assert_int_equal(st->tx_csum_offload, 0);
    if (tso_max) {
        /* ...until a device is behind it, as atoll_stack_init would set it. */
        dev.st = st;
        dev.wire = st->cb.send_frame;
        dev.wire_ctx = st->cb.ctx;
        dev.tso_max = tso_max;
        st->cb.send_frame_ex = dev_send;
        st->tso_max = tso_max;
        st->tx_csum_offload = 1;
    }
    tsim_impair_all(r->s, imp);
    tsim_run_for(r->s, 10);
    r->len = len;
    r->data = malloc(len);
    r->rx = malloc(len + 1);
    assert_true(r->data && r->rx);
    tsim_fill(r->data, len, seed);
    dev.stream = r->data;
    dev.stream_len = len;
    tsim_flow_init(&r->cli, r->s, ha);
    tsim_flow_init(&r->srv, r->s, hb);
    tsim_flow_rx(&r->cli, r->rx, len + 1);
    tsim_flow_tx(&r->srv, r->data, len, 1);
    r->cli.close_on_eof = 1;
    r->srv.close_on_eof = 1;
    tsim_acceptor_init(&r->acc, &r->srv, 1);
    assert_int_equal(atoll_tcp_listen(st, PORT, tsim_accept, &r->acc), ATOLL_OK);
    assert_int_equal(tsim_flow_connect(&r->cli, TSIM_IP(hb), PORT), 0);
    if (nagle) {
        while (!r->srv.accepted)
            tsim_run(r->s, r->s->now + 1, NULL, NULL);
        atoll_tcp_nagle(r->srv.c, 1);
    }
    int ok = tsim_run(r->s, r->s->now + 600000, srv_done, r);
    print_message("tso_max %u: %zu bytes, %llu frames handed down (%llu super, largest %llu B, %llu pieces), "
                  "%llu resent, rexmit %llu\n",
                  tso_max, len, (unsigned long long)dev.frames, (unsigned long long)dev.gso_frames,
                  (unsigned long long)dev.max_payload, (unsigned long long)dev.pieces,
                  (unsigned long long)dev.rexmit_frames,
                  (unsigned long long)tsim_ctr(r->s, hb, ATOLL_CTR_TCP_REXMIT));
    assert_true(ok);
    assert_false(r->cli.reset || r->srv.reset);
    assert_true(r->cli.eof);
    assert_int_equal(r->cli.rx_len, len);
    assert_memory_equal(r->rx, r->data, len);
    assert_int_equal(tsim_ctr(r->s, hb, ATOLL_CTR_TCP_TSO_TX), dev.gso_frames);
    assert_int_equal(tsim_ctr(r->s, hb, ATOLL_CTR_IP_TX_FRAG), 0);
    assert_int_equal(tsim_ctr(r->s, ha, ATOLL_CTR_TCP_DROP_CSUM), 0);
}

static int teardown(void **state)
{
    (void)state;
    if (cur) {
        tsim_free(cur->s);
        free(cur->data);
        free(cur->rx);
        free(cur);
        cur = NULL;
    }
    return 0;
}

static const struct tsim_impair clean = {.delay_ms = 5, .bandwidth_bps = 100000000u, .queue_bytes = 1u << 20};

static void tso_clean_bulk(void **state)
{
    (void)state;
    run(1, 4u << 20, &clean, 65535, 0, 0);
    /* Super-segments did the work: far fewer frames handed down than
     * went on the wire; every data frame went through the device. */
    assert_true(dev.gso_frames > 0);
    assert_true(dev.frames * 4 < dev.pieces);
    assert_true(dev.max_payload >= 8u * 1448u);
    assert_int_equal(dev.rexmit_frames, 0);
    assert_true(dev.fin_frames == 1);
    /* The peer's FIN came last, and its ACK was not held back for a poll
     * the connection (now a TIME-WAIT slot) never sees: no FIN resent. */
    tsim_run_for(cur->s, 3000);
    assert_int_equal(tsim_ctr(cur->s, 0, ATOLL_CTR_TCP_REXMIT), 0);
    assert_int_equal(tsim_ctr(cur->s, 0, ATOLL_CTR_TCP_CONN_CLOSE), 1);
}

static void tso_max_bounds_super_segments(void **state)
{
    (void)state;
    run(2, 1u << 20, &clean, 3u * 1448u + 700u, 0, 0);
    assert_true(dev.gso_frames > 0);
    assert_true(dev.max_payload <= 3u * 1448u);
}

static void tso_bounded_by_receive_window(void **state)
{
    (void)state;
    /* The peer's 8 KiB buffer: its window, not tso_max, bounds them. */
    run(3, 1u << 20, &clean, 65535, 8192, 0);
    assert_true(dev.gso_frames > 0);
    assert_true(dev.max_payload <= 8192);
}

static void tso_loss_resends_single_segments(void **state)
{
    (void)state;
    struct tsim_impair lossy = clean;
    lossy.loss_pct = 3;
    run(4, 2u << 20, &lossy, 65535, 0, 0);
    assert_true(dev.gso_frames > 0);
    assert_true(tsim_ctr(cur->s, 1, ATOLL_CTR_TCP_REXMIT) > 0);
    /* Every retransmission came down as one plain segment (dev_send
     * asserts a super-segment is new data). */
    assert_true(dev.rexmit_frames > 0);
}

static void tso_loss_and_reordering_with_nagle(void **state)
{
    (void)state;
    struct tsim_impair bad = clean;
    bad.loss_pct = 1;
    bad.reorder_pct = 2;
    bad.reorder_ms = 3;
    bad.dup_pct = 1;
    run(5, 3000001u, &bad, 65535, 16384, 1);
    assert_true(dev.gso_frames > 0);
}

static void no_device_no_offload(void **state)
{
    (void)state;
    /* tso_max in the config but no send_frame_ex (tsim's callbacks): the
     * stack never cuts anything, every segment fits the MTU. */
    run(6, 1u << 20, &clean, 0, 0, 0);
    assert_int_equal(dev.frames, 0);
    assert_int_equal(tsim_ctr(cur->s, 1, ATOLL_CTR_TCP_TSO_TX), 0);
}

static void nop_send(void *ctx, const uint8_t *f, size_t len)
{
    (void)ctx;
    (void)f;
    (void)len;
}

static void init_keeps_offload_only_with_a_device(void **state)
{
    (void)state;
    static uint8_t arena[ATOLL_ARENA_SIZE] __attribute__((aligned(16)));
    struct atoll_config cfg = tsim_host_config(0);
    cfg.tso_max = 65535;
    struct atoll_callbacks plain = {.send_frame = nop_send}, ex = {.send_frame = nop_send, .send_frame_ex = dev_send};
    struct atoll_stack *st;
    st = atoll_stack_init(arena, sizeof arena, &cfg, &plain, 0);
    assert_non_null(st);
    assert_int_equal(st->tso_max, 0);
    assert_int_equal(st->tx_csum_offload, 0);
    st = atoll_stack_init(arena, sizeof arena, &cfg, &ex, 0);
    assert_non_null(st);
    assert_int_equal(st->tso_max, 65535);
    assert_int_equal(st->tx_csum_offload, 1); /* TSO implies it */
    cfg.tso_max = 0;
    cfg.tx_csum_offload = 1;
    st = atoll_stack_init(arena, sizeof arena, &cfg, &ex, 0);
    assert_non_null(st);
    assert_int_equal(st->tso_max, 0);
    assert_int_equal(st->tx_csum_offload, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(tso_clean_bulk, teardown),
        cmocka_unit_test_teardown(tso_max_bounds_super_segments, teardown),
        cmocka_unit_test_teardown(tso_bounded_by_receive_window, teardown),
        cmocka_unit_test_teardown(tso_loss_resends_single_segments, teardown),
        cmocka_unit_test_teardown(tso_loss_and_reordering_with_nagle, teardown),
        cmocka_unit_test_teardown(no_device_no_offload, teardown),
        cmocka_unit_test(init_keeps_offload_only_with_a_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
