/* SPDX-License-Identifier: Apache-2.0 */
/* Retransmission and the receive side, with hand-made segments against one
 * stack: RFC 6298 timeout backoff and Karn's rule, giving up, fast
 * retransmit on three duplicate ACKs and NewReno partial ACKs (RFC 5681,
 * RFC 6582), SACK after a timeout and reneging (RFC 6675, RFC 2018), out-of-order data held and reported with SACK (RFC 2018),
 * zero windows and persist probes (RFC 9293 3.8.6.1), the urgent pointer
 * ignored (RFC 6093). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"
#include "tcpip/tcp.h"
#include "tcpsim.h"

static struct tfix *fx;

static int teardown(void **state)
{
    (void)state;
    tfix_free(fx);
    fx = NULL;
    exact_free_all();
    return 0;
}

#define expect_seg(p) expect_seg_at(p, __LINE__)
static struct tseg expect_seg_at(struct tpeer *p, int line)
{
    struct tseg t;
    if (!tpeer_next(p, &t))
        fail_msg("line %d: expected a segment from the stack, none was sent", line);
    return t;
}

static void expect_nothing(struct tpeer *p)
{
    struct tseg t;
    if (tpeer_next(p, &t))
        fail_msg("unexpected segment: flags %02x seq %u ack %u len %zu", t.flags, t.seq, t.ack, t.dlen);
}

static uint64_t ctr(enum atoll_counter c)
{
    return ns_ctr(fx->ns, c);
}

/* Advances the clock 1 ms at a time until the stack sends a segment (or
 * `limit` ms pass); returns the time it came, or 0. */
static uint64_t wait_for_seg(struct tpeer *p, uint64_t limit, struct tseg *out)
{
    uint64_t end = fx->ns->now + limit;
    while (fx->ns->now < end) {
        if (tpeer_next(p, out))
            return fx->ns->now;
        /* jump straight to the stack's next deadline when there is one */
        uint64_t d = ns_poll(fx->ns);
        if (tpeer_next(p, out))
            return fx->ns->now;
        uint64_t next = d > fx->ns->now ? d : fx->ns->now + 1;
        if (next > end)
            next = end;
        ns_run_until(fx->ns, next);
    }
    return tpeer_next(p, out) ? fx->ns->now : 0;
}

static uint8_t payload[65536];

/* ---- RFC 6298 ---- */

static void rto_doubles_and_karn(void **state)
{
    (void)state;
    fx = tfix_new(0);
    tsim_fill(payload, sizeof payload, 5);
    /* No timestamps: RTT samples come from timing segments, so Karn's
     * rule decides which ones count. */
    struct tsim_flow *fl = tfix_open(fx, 45000, 1000, TPEER_MSS | TPEER_SACK | TPEER_WS);
    struct tpeer *p = &fx->p;
    tpeer_skip_all(p);
    uint64_t t0 = fx->ns->now;
    assert_int_equal(atoll_tcp_send(fl->c, payload, 100, t0), 100);
    struct tseg t = expect_seg(p);
    assert_int_equal(t.dlen, 100);
    /* No sample yet: the initial RTO (1 s), doubled at every expiry. */
    uint64_t prev = t0, rto = TCP_RTO_INITIAL;
    for (int i = 0; i < 4; i++) {
        uint64_t at = wait_for_seg(p, 100000, &t);
        assert_int_equal(at - prev, rto);
        assert_int_equal(t.seq, p->rcv_nxt);
        assert_int_equal(t.dlen, 100);
        assert_memory_equal(t.data, payload, 100);
        prev = at;
        rto *= 2;
    }
    assert_int_equal(ctr(ATOLL_CTR_TCP_REXMIT_TIMEOUT), 4);
    /* The retransmission is acknowledged: no RTT sample from it (Karn), so
     * the backed-off RTO (16 s) stays for the next segment. */
    p->rcv_nxt += 100;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    uint64_t t1 = fx->ns->now;
    assert_int_equal(atoll_tcp_send(fl->c, payload + 100, 100, t1), 100);
    t = expect_seg(p);
    uint64_t at = wait_for_seg(p, 100000, &t);
    assert_int_equal(at - t1, rto);
    assert_int_equal(t.seq, p->rcv_nxt);
    /* Acknowledged after its retransmission again: still no sample. Then a
     * segment acknowledged at once gives one (RTT 0): the RTO falls to the
     * 200 ms floor. */
    p->rcv_nxt += 100;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    assert_int_equal(atoll_tcp_send(fl->c, payload + 200, 100, fx->ns->now), 100);
    t = expect_seg(p);
    p->rcv_nxt += 100;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    uint64_t t2 = fx->ns->now;
    assert_int_equal(atoll_tcp_send(fl->c, payload + 300, 100, t2), 100);
    t = expect_seg(p);
    at = wait_for_seg(p, 100000, &t);
    assert_int_equal(at - t2, TCP_DEFAULT_RTO_MIN);
}

static void rto_capped_and_gives_up(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, 45001, 2000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    tpeer_skip_all(p);
    uint64_t t0 = fx->ns->now;
    assert_int_equal(atoll_tcp_send(fl->c, payload, 500, t0), 500);
    struct tseg t = expect_seg(p);
    uint64_t prev = t0, rto = TCP_RTO_INITIAL;
    int n = 0;
    for (;;) {
        uint64_t at = wait_for_seg(p, 200000, &t);
        assert_true(at != 0);
        if (t.flags & TSF_RST)
            break;
        assert_int_equal(at - prev, rto);
        prev = at;
        rto = rto * 2 > TCP_RTO_MAX ? TCP_RTO_MAX : rto * 2;
        n++;
    }
    /* TCP_DATA_RETRIES retransmissions, the last interval capped at 60 s,
     * then a RST and the owner hears RESET. */
    assert_int_equal(n, TCP_DATA_RETRIES);
    assert_int_equal(fx->ns->now - prev, rto);
    assert_int_equal(t.seq, p->rcv_nxt + 500);
    assert_true(fl->reset);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CONN_TIMEOUT), 1);
}

/* ---- RFC 5681 / RFC 6582 ---- */

/* A peer port whose connection gets an ISS in the wanted half of the
 * sequence space (the ISS is predictable here: known secret and clock). */
static uint16_t port_for_iss_half(int upper)
{
    for (uint16_t port = 46000; port < 47000; port++) {
        uint32_t iss = tcp_isn(fx->cfg.secret, NS_IP, TFIX_PORT, PEER_IP, port, fx->ns->now);
        if ((iss >= 0x80000000u) == (upper != 0) && iss < 0xfff00000u && iss > 0x00100000u)
            return port;
    }
    fail_msg("no port found");
    return 0;
}

/* The ACK the peer sends for segments it holds: cumulative ACK `ack`, and
 * when SACK is on, one block [l, r) (l == r: none). */
static void peer_ack(struct tpeer *p, uint32_t ack, uint32_t l, uint32_t r)
{
    struct tseg t;
    memset(&t, 0, sizeof t);
    t.flags = TSF_ACK;
    t.seq = p->snd_nxt;
    t.ack = ack;
    t.win = p->win;
    t.has_ts = (uint8_t)p->ts_on;
    t.tsval = p->tsval;
    t.tsecr = p->ts_recent;
    if (p->sack_on && l != r) {
        t.nsack = 1;
        t.sack_l[0] = l;
        t.sack_r[0] = r;
    }
    tpeer_send_raw(p, &t);
}

/* Ten segments out; the first and third are lost. Three duplicate ACKs
 * (RFC 5681; with SACK, RFC 6675: each SACKing one more segment) must
 * bring the first back at once, and the ACK that covers it (partial, RFC
 * 6582; with SACK the third is then a hole with seven segments SACKed
 * above it) the third — all before any timeout. */
static void fast_retransmit(int upper, int sack)
{
    fx = tfix_new(0);
    tsim_fill(payload, sizeof payload, 7);
    uint16_t port = port_for_iss_half(upper);
    struct tsim_flow *fl = tfix_open(fx, port, 3000, sack ? TPEER_ALL : TPEER_MSS | TPEER_WS | TPEER_TS);
    struct tpeer *p = &fx->p;
    assert_true((p->irs >= 0x80000000u) == (upper != 0));
    assert_int_equal(p->sack_on, sack);
    tpeer_skip_all(p);
    const uint32_t L = 1448;
    assert_int_equal(atoll_tcp_send(fl->c, payload, 10 * L, fx->ns->now), 10 * L);
    uint32_t una = p->rcv_nxt;
    struct tseg t;
    int segs = 0;
    while (tpeer_next(p, &t)) {
        assert_int_equal(t.dlen, L);
        segs++;
    }
    assert_int_equal(segs, 10);
    uint64_t fr = ctr(ATOLL_CTR_TCP_FAST_REXMIT);
    peer_ack(p, una, una + L, una + 2 * L);
    peer_ack(p, una, una + L, una + 2 * L); /* segment 3 lost: nothing new */
    peer_ack(p, una, una + 3 * L, una + 4 * L);
    if (sack) {
        /* (the second ACK above told nothing new: SACK needs one more) */
        expect_nothing(p);
        peer_ack(p, una, una + 3 * L, una + 5 * L);
    }
    t = expect_seg(p);
    assert_int_equal(t.seq, una);
    assert_int_equal(t.dlen, L);
    assert_memory_equal(t.data, payload, L);
    assert_int_equal(ctr(ATOLL_CTR_TCP_FAST_REXMIT), fr + 1);
    /* RFC 5681 eq. 4, RFC 6675 5 (4.2): half the FlightSize (ten
     * segments), not half of what is left once SACKed and lost bytes are
     * taken off. */
    assert_int_equal(fl->c->ssthresh, 5 * L);
    assert_int_equal(ctr(ATOLL_CTR_TCP_REXMIT_TIMEOUT), 0);
    tpeer_skip_all(p);
    /* The first arrives: ACK up to the third, which is missing. */
    peer_ack(p, una + 2 * L, una + 3 * L, una + 10 * L);
    int found = 0;
    while (tpeer_next(p, &t))
        if (t.seq == una + 2 * L && t.dlen == L)
            found = 1;
    assert_true(found);
    /* Everything acknowledged: recovery ends; no timeout ever fired. */
    peer_ack(p, una + 10 * L, 0, 0);
    tfix_wait(fx, 3000);
    assert_int_equal(ctr(ATOLL_CTR_TCP_REXMIT_TIMEOUT), 0);
    assert_int_equal(atoll_tcp_writable(fl->c), 32768);
}

static void fast_retransmit_iss_lower_half(void **state)
{
    (void)state;
    fast_retransmit(0, 0);
}

static void fast_retransmit_iss_upper_half(void **state)
{
    (void)state;
    fast_retransmit(1, 0);
}

static void fast_retransmit_sack_iss_lower_half(void **state)
{
    (void)state;
    fast_retransmit(0, 1);
}

static void fast_retransmit_sack_iss_upper_half(void **state)
{
    (void)state;
    fast_retransmit(1, 1);
}

static void dup_acks_need_same_window_and_no_data(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, port_for_iss_half(0), 4000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    tpeer_skip_all(p);
    assert_int_equal(atoll_tcp_send(fl->c, payload, 5 * 1448, fx->ns->now), 5 * 1448);
    tpeer_skip_all(p);
    uint32_t una = p->rcv_nxt;
    uint64_t dup = ctr(ATOLL_CTR_TCP_DUP_ACK);
    /* Window updates and segments with data are not duplicate ACKs
     * (RFC 5681 2): no fast retransmit from them. */
    p->win = 60000;
    tpeer_send(p, TSF_ACK, p->snd_nxt, una, NULL, 0);
    p->win = 50000;
    tpeer_send(p, TSF_ACK, p->snd_nxt, una, NULL, 0);
    tpeer_send_data(p, (const uint8_t *)"d1", 2);
    tpeer_send_data(p, (const uint8_t *)"d2", 2);
    tpeer_send_data(p, (const uint8_t *)"d3", 2);
    assert_int_equal(ctr(ATOLL_CTR_TCP_FAST_REXMIT), 0);
    struct tseg t;
    while (tpeer_next(p, &t))
        assert_int_equal(t.dlen, 0);
    assert_true(ctr(ATOLL_CTR_TCP_DUP_ACK) - dup <= 1);
}

/* Ten segments out, nothing heard, the timer fires: the first is resent
 * (SND.NXT back to SND.UNA). The peer had lost the first and the third
 * only: its ACK for the first comes with a SACK block for the fourth to
 * the tenth, above the rewound SND.NXT. The hole at the third must go out
 * at once, and the SACKed seven never again. (The block above SND.NXT
 * once made `flight - sacked` wrap to ~4 GiB, and nothing was sent until
 * the next, doubled, timeout.) */
static void timeout_then_sack_above_snd_nxt(void **state)
{
    (void)state;
    fx = tfix_new(0);
    tsim_fill(payload, sizeof payload, 8);
    struct tsim_flow *fl = tfix_open(fx, port_for_iss_half(0), 3500, TPEER_ALL);
    struct tpeer *p = &fx->p;
    tpeer_skip_all(p);
    const uint32_t L = 1448;
    assert_int_equal(atoll_tcp_send(fl->c, payload, 10 * L, fx->ns->now), 10 * L);
    uint32_t una = p->rcv_nxt;
    tpeer_skip_all(p);
    struct tseg t;
    uint64_t t0 = fx->ns->now;
    uint64_t at = wait_for_seg(p, 5000, &t);
    assert_int_equal(at - t0, TCP_RTO_INITIAL);
    assert_int_equal(t.seq, una);
    assert_int_equal(t.dlen, L);
    expect_nothing(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_REXMIT_TIMEOUT), 1);
    peer_ack(p, una + 2 * L, una + 3 * L, una + 10 * L);
    t = expect_seg(p);
    assert_int_equal(t.seq, una + 2 * L);
    assert_int_equal(t.dlen, L);
    assert_memory_equal(t.data, payload + 2 * L, L);
    expect_nothing(p);
    /* All in: nothing else was resent, no second timeout. */
    peer_ack(p, una + 10 * L, 0, 0);
    tfix_wait(fx, 5000);
    while (tpeer_next(p, &t))
        assert_int_equal(t.dlen, 0);
    assert_int_equal(ctr(ATOLL_CTR_TCP_REXMIT_TIMEOUT), 1);
    assert_int_equal(atoll_tcp_writable(fl->c), 32768);
}

/* The receiver SACKs the second segment, then acknowledges up to it and
 * no further: it no longer holds what it SACKed (reneging, RFC 2018 8).
 * The sender must resend the second at once, not trust the block until
 * a timeout. A block starting at the ACK it comes with is no SACK at all. */
static void reneged_sack_resent_at_once(void **state)
{
    (void)state;
    fx = tfix_new(0);
    tsim_fill(payload, sizeof payload, 9);
    struct tsim_flow *fl = tfix_open(fx, port_for_iss_half(1), 3600, TPEER_ALL);
    struct tpeer *p = &fx->p;
    tpeer_skip_all(p);
    const uint32_t L = 1448;
    assert_int_equal(atoll_tcp_send(fl->c, payload, 4 * L, fx->ns->now), 4 * L);
    uint32_t una = p->rcv_nxt;
    tpeer_skip_all(p);
    peer_ack(p, una, una + L, una + 2 * L);
    expect_nothing(p);
    uint64_t rn = ctr(ATOLL_CTR_TCP_SACK_RENEGED);
    /* The first arrives: ACK up to the SACKed block, with it as a "block". */
    peer_ack(p, una + L, una + L, una + 2 * L);
    struct tseg t = expect_seg(p);
    assert_int_equal(t.seq, una + L);
    assert_int_equal(t.dlen, L);
    assert_memory_equal(t.data, payload + L, L);
    assert_int_equal(ctr(ATOLL_CTR_TCP_SACK_RENEGED), rn + 1);
    assert_int_equal(ctr(ATOLL_CTR_TCP_REXMIT_TIMEOUT), 0);
    peer_ack(p, una + 4 * L, 0, 0);
    tfix_wait(fx, 3000);
    assert_int_equal(ctr(ATOLL_CTR_TCP_REXMIT_TIMEOUT), 0);
    assert_int_equal(atoll_tcp_writable(fl->c), 32768);
}

/* Reads what the stack sent: the highest end seen, and how many times
 * the segment at `at` went out. */
static void drain(struct tpeer *p, uint32_t at, uint32_t *hi, int *resent)
{
    struct tseg t;
    while (tpeer_next(p, &t)) {
        if (t.dlen == 0)
            continue;
        if (t.seq == at)
            (*resent)++;
        if ((int32_t)(t.seq + (uint32_t)t.dlen - *hi) > 0)
            *hi = t.seq + (uint32_t)t.dlen;
    }
}

/* The fast retransmission of the first segment is lost too. Segments
 * sent after it are SACKed (three segments' worth): it cannot still be
 * on its way, so it goes out again now, not after a timeout. */
static void lost_retransmission_resent_before_timeout(void **state)
{
    (void)state;
    fx = tfix_new(0);
    tsim_fill(payload, sizeof payload, 10);
    struct tsim_flow *fl = tfix_open(fx, port_for_iss_half(0), 3700, TPEER_ALL);
    struct tpeer *p = &fx->p;
    tpeer_skip_all(p);
    const uint32_t L = 1448;
    assert_int_equal(atoll_tcp_send(fl->c, payload, 22 * L, fx->ns->now), 22 * L);
    uint32_t una = p->rcv_nxt, hi = una;
    int resent = 0;
    drain(p, una, &hi, &resent);
    assert_int_equal(resent, 1); /* the original */
    for (uint32_t k = 2; k <= 4; k++) {
        peer_ack(p, una, una + L, una + k * L);
        drain(p, una, &hi, &resent);
    }
    assert_int_equal(resent, 2); /* the fast retransmission, lost */
    uint32_t h0 = hi;
    peer_ack(p, una, una + L, h0);
    drain(p, una, &hi, &resent);
    assert_true(hi - h0 >= 3 * L); /* new data went out after it */
    assert_int_equal(resent, 2);
    uint64_t lost = ctr(ATOLL_CTR_TCP_REXMIT_LOST);
    peer_ack(p, una, una + L, hi);
    drain(p, una, &hi, &resent);
    assert_int_equal(resent, 3);
    assert_int_equal(ctr(ATOLL_CTR_TCP_REXMIT_LOST), lost + 1);
    assert_int_equal(ctr(ATOLL_CTR_TCP_REXMIT_TIMEOUT), 0);
}

/* ---- the receive side ---- */

static int sack_has(const struct tseg *t, uint32_t l, uint32_t r)
{
    for (int i = 0; i < t->nsack; i++)
        if (t->sack_l[i] == l && t->sack_r[i] == r)
            return 1;
    return 0;
}

static void out_of_order_held_and_sacked(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, 47000, 10000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    assert_true(p->sack_on);
    tpeer_skip_all(p);
    tsim_fill(payload, 4000, 11);
    uint32_t base = p->snd_nxt;
    /* Send the second 1000 bytes first: held, ACKed at once with a SACK
     * block for them (RFC 5681 4.2, RFC 2018 4). */
    tpeer_send(p, TSF_ACK, base + 1000, p->rcv_nxt, payload + 1000, 1000);
    struct tseg a = expect_seg(p);
    assert_int_equal(a.ack, base);
    assert_int_equal(a.nsack, 1);
    assert_true(sack_has(&a, base + 1000, base + 2000));
    assert_int_equal(fl->rx_len, 0);
    assert_int_equal(atoll_tcp_readable(fl->c), 0);
    /* A second island: two blocks. */
    tpeer_send(p, TSF_ACK, base + 3000, p->rcv_nxt, payload + 3000, 1000);
    a = expect_seg(p);
    assert_int_equal(a.ack, base);
    assert_int_equal(a.nsack, 2);
    assert_true(sack_has(&a, base + 1000, base + 2000));
    assert_true(sack_has(&a, base + 3000, base + 4000));
    /* A duplicate of a held block changes nothing. */
    tpeer_send(p, TSF_ACK, base + 1000, p->rcv_nxt, payload + 1000, 1000);
    a = expect_seg(p);
    assert_int_equal(a.ack, base);
    assert_true(sack_has(&a, base + 1000, base + 2000));
    assert_true(sack_has(&a, base + 3000, base + 4000));
    assert_int_equal(fl->rx_len, 0);
    /* The first hole fills: 2000 bytes readable, one block left (the ACK
     * may be delayed here; see out_of_order_hole_fill_acked_at_once). */
    tpeer_send(p, TSF_ACK, base, p->rcv_nxt, payload, 1000);
    tfix_wait(fx, TCP_DELACK_MS);
    a = expect_seg(p);
    assert_int_equal(a.ack, base + 2000);
    assert_int_equal(a.nsack, 1);
    assert_true(sack_has(&a, base + 3000, base + 4000));
    assert_int_equal(fl->rx_len, 2000);
    /* The last: all 4000, in order, no SACK any more. */
    tpeer_send(p, TSF_ACK, base + 2000, p->rcv_nxt, payload + 2000, 1000);
    tfix_wait(fx, 200);
    a = expect_seg(p);
    assert_int_equal(a.ack, base + 4000);
    assert_int_equal(a.nsack, 0);
    assert_int_equal(fl->rx_len, 4000);
    assert_memory_equal(fl->rx, payload, 4000);
    assert_true(ctr(ATOLL_CTR_TCP_OOO_RX) >= 2);
}

static void out_of_order_hole_fill_acked_at_once(void **state)
{
    (void)state;
    /* RFC 5681 4.2: "an immediate ACK SHOULD be generated when a segment
     * arrives that fills in all or part of a gap" — the sender in fast
     * recovery is waiting for exactly that ACK (its partial-ACK logic,
     * RFC 6582, retransmits the next hole on it). */
    fx = tfix_new(0);
    tfix_open(fx, 47005, 60000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    tpeer_skip_all(p);
    tsim_fill(payload, 3000, 15);
    uint32_t base = p->snd_nxt;
    tpeer_send(p, TSF_ACK, base + 2000, p->rcv_nxt, payload + 2000, 1000);
    struct tseg a = expect_seg(p);
    assert_int_equal(a.ack, base);
    /* Part of the gap... */
    tpeer_send(p, TSF_ACK, base, p->rcv_nxt, payload, 1000);
    a = expect_seg(p);
    assert_int_equal(a.ack, base + 1000);
    assert_true(sack_has(&a, base + 2000, base + 3000));
    /* ...and the rest of it. */
    tpeer_send(p, TSF_ACK, base + 1000, p->rcv_nxt, payload + 1000, 1000);
    a = expect_seg(p);
    assert_int_equal(a.ack, base + 3000);
    assert_int_equal(a.nsack, 0);
}

static void out_of_order_overlapping_pieces(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, 47001, 20000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    tpeer_skip_all(p);
    tsim_fill(payload, 6000, 12);
    uint32_t base = p->snd_nxt;
    /* Overlapping, out-of-order, duplicated pieces of 6000 bytes. */
    static const struct {
        uint32_t off, len;
    } pieces[] = {{4000, 1000}, {1500, 1000}, {4500, 1400}, {2000, 1400}, {3300, 800}, {1000, 600}, {0, 1200}, {5900, 100}};
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        tpeer_send(p, TSF_ACK, base + pieces[i].off, p->rcv_nxt, payload + pieces[i].off, pieces[i].len);
    tfix_wait(fx, 200);
    assert_int_equal(fl->rx_len, 6000);
    assert_memory_equal(fl->rx, payload, 6000);
    struct tseg a, last;
    int any = 0;
    while (tpeer_next(p, &a)) {
        last = a;
        any = 1;
    }
    assert_true(any);
    assert_int_equal(last.ack, base + 6000);
    assert_int_equal(last.nsack, 0);
}

static void urgent_pointer_ignored(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, 47002, 30000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    /* URG with an urgent pointer: the bytes are ordinary data, in order,
     * none taken out of band (RFC 6093). */
    struct tseg u;
    memset(&u, 0, sizeof u);
    u.flags = TSF_ACK | TSF_PSH | TSF_URG;
    u.seq = p->snd_nxt;
    u.ack = p->rcv_nxt;
    u.win = p->win;
    u.urp = 3;
    u.has_ts = 1;
    u.tsval = p->tsval;
    u.tsecr = p->ts_recent;
    u.data = (const uint8_t *)"URGENT!!";
    u.dlen = 8;
    tpeer_send_raw(p, &u);
    p->snd_nxt += 8;
    /* An urgent pointer far beyond the data is harmless too. */
    u.seq = p->snd_nxt;
    u.urp = 60000;
    u.data = (const uint8_t *)"more";
    u.dlen = 4;
    tpeer_send_raw(p, &u);
    p->snd_nxt += 4;
    tpeer_send_data(p, (const uint8_t *)"tail", 4);
    assert_int_equal(fl->rx_len, 16);
    assert_memory_equal(fl->rx, "URGENT!!moretail", 16);
    tfix_wait(fx, 200);
    struct tseg a, last;
    while (tpeer_next(p, &a))
        last = a;
    assert_int_equal(last.ack, p->snd_nxt);
    /* The stack never sets URG itself. */
    assert_int_equal(atoll_tcp_send(fl->c, (const uint8_t *)"x", 1, fx->ns->now), 1);
    a = expect_seg(p);
    assert_int_equal(a.flags & TSF_URG, 0);
    assert_int_equal(a.urp, 0);
}

/* Fills the stack's (4 KiB) receive buffer while its reader sleeps. */
static struct tsim_flow *fill_receiver(void)
{
    fx = tfix_new(4096);
    fx->flow[0].no_read = 1;
    struct tsim_flow *fl = tfix_open(fx, 47003, 40000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    tpeer_skip_all(p);
    tsim_fill(payload, 8192, 13);
    uint32_t off = 0;
    while (off < 4096) {
        uint32_t n = 4096 - off < 1448 ? 4096 - off : 1448;
        tpeer_send_data(p, payload + off, n);
        off += n;
    }
    tfix_wait(fx, 200);
    struct tseg a, last;
    int any = 0;
    while (tpeer_next(p, &a)) {
        last = a;
        any = 1;
    }
    assert_true(any);
    assert_int_equal(last.ack, p->snd_nxt);
    assert_int_equal(last.win, 0);
    assert_int_equal(atoll_tcp_readable(fl->c), 4096);
    return fl;
}

static void zero_window_probe_answered(void **state)
{
    (void)state;
    struct tsim_flow *fl = fill_receiver();
    struct tpeer *p = &fx->p;
    /* The peer probes the zero window with one byte: the byte is not
     * taken, but the probe must be answered with an ACK carrying the
     * window (RFC 9293 3.8.6.1; 3.10.7.4: an unacceptable segment is
     * answered with an ACK) — that is how the sender learns it opened. */
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, payload + 4096, 1);
    struct tseg a = expect_seg(p);
    assert_int_equal(a.flags & (TSF_ACK | TSF_RST), TSF_ACK);
    assert_int_equal(a.ack, p->snd_nxt);
    assert_int_equal(a.win, 0);
    assert_int_equal(atoll_tcp_readable(fl->c), 4096);
}

static void zero_window_opens_with_update(void **state)
{
    (void)state;
    struct tsim_flow *fl = fill_receiver();
    struct tpeer *p = &fx->p;
    /* The reader wakes up: the window reopens and the peer is told. */
    fl->no_read = 0;
    tsim_flow_pump(fl);
    assert_int_equal(fl->rx_len, 4096);
    assert_memory_equal(fl->rx, payload, 4096);
    struct tseg a = expect_seg(p);
    assert_int_equal(a.ack, p->snd_nxt);
    assert_true(a.win >= 1448);
    tpeer_send_data(p, payload + 4096, 1000);
    assert_int_equal(fl->rx_len, 5096);
}

static void zero_window_no_tiny_window(void **state)
{
    (void)state;
    /* Receiver silly window avoidance (RFC 9293 3.8.6.2.2): after the
     * window closed, it reopens only by min(buffer/2, MSS) or more; a
     * reader taking 100 bytes must not make the stack offer 100. */
    struct tsim_flow *fl = fill_receiver();
    struct tpeer *p = &fx->p;
    uint8_t buf[100];
    assert_int_equal(atoll_tcp_recv(fl->c, buf, sizeof buf, fx->ns->now), 100);
    tfix_wait(fx, 300);
    struct tseg a;
    while (tpeer_next(p, &a))
        assert_true(a.win == 0 || a.win >= 1448);
    /* The peer's probe is answered with a zero window, not 100 bytes. */
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, payload + 4096, 1);
    while (tpeer_next(p, &a))
        assert_true(a.win == 0 || a.win >= 1448);
}

/* The stack has 5000 bytes to send, the peer's window is zero. */
static struct tsim_flow *peer_window_closed(void)
{
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, 47004, 50000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    p->win = 0;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    tpeer_skip_all(p);
    tsim_fill(payload, 5000, 14);
    assert_int_equal(atoll_tcp_send(fl->c, payload, 5000, fx->ns->now), 5000);
    expect_nothing(p);
    return fl;
}

static void persist_probes_back_off(void **state)
{
    (void)state;
    peer_window_closed();
    struct tpeer *p = &fx->p;
    uint64_t prev = fx->ns->now;
    struct tseg t;
    uint64_t gap[5];
    for (int i = 0; i < 5; i++) {
        uint64_t at = wait_for_seg(p, 120000, &t);
        assert_true(at != 0);
        /* A one-byte probe of the next byte (RFC 9293 3.8.6.1). */
        assert_int_equal(t.seq, p->rcv_nxt);
        assert_int_equal(t.dlen, 1);
        assert_int_equal(t.data[0], payload[0]);
        gap[i] = at - prev;
        prev = at;
    }
    assert_int_equal(ctr(ATOLL_CTR_TCP_PERSIST_PROBE), 5);
    /* Backing off exponentially, never below 500 ms nor above 60 s. */
    for (int i = 1; i < 5; i++) {
        assert_true(gap[i] >= TCP_PERSIST_MIN && gap[i] <= TCP_PERSIST_MAX);
        assert_true(gap[i] >= gap[i - 1]);
    }
    assert_true(gap[4] >= 4 * gap[1]);
    /* Probing is not a timeout: the connection stays up indefinitely. */
    tfix_wait(fx, 900000);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CONN_TIMEOUT), 0);
}

static void persist_window_update_resumes(void **state)
{
    (void)state;
    peer_window_closed();
    struct tpeer *p = &fx->p;
    struct tseg t;
    assert_true(wait_for_seg(p, 5000, &t) != 0);
    /* The probe byte is refused (ACK unchanged); then the window opens. */
    p->win = 65535;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    uint32_t got = 0;
    while (tpeer_next(p, &t)) {
        assert_int_equal(t.seq, p->rcv_nxt + got);
        assert_memory_equal(t.data, payload + got, t.dlen);
        got += (uint32_t)t.dlen;
    }
    assert_int_equal(got, 5000);
}

static void persist_probe_byte_accepted(void **state)
{
    (void)state;
    /* The peer's window opened just as the probe arrived: it takes the
     * byte and acknowledges it with its new window. That ACK covers a
     * byte the stack did send and must be accepted; the rest follows. */
    struct tsim_flow *fl = peer_window_closed();
    struct tpeer *p = &fx->p;
    struct tseg t;
    assert_true(wait_for_seg(p, 5000, &t) != 0);
    assert_int_equal(t.dlen, 1);
    uint64_t bad = ctr(ATOLL_CTR_TCP_DROP_BAD_ACK);
    p->rcv_nxt += 1;
    p->win = 65535;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    assert_int_equal(ctr(ATOLL_CTR_TCP_DROP_BAD_ACK), bad);
    uint32_t got = 1;
    while (tpeer_next(p, &t)) {
        if (t.dlen == 0)
            continue;
        assert_int_equal(t.seq, p->rcv_nxt - 1 + got);
        got += (uint32_t)t.dlen;
    }
    assert_int_equal(got, 5000);
    (void)fl;
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, teardown)
    const struct CMUnitTest tests[] = {
        T(rto_doubles_and_karn),
        T(rto_capped_and_gives_up),
        T(fast_retransmit_iss_lower_half),
        T(fast_retransmit_iss_upper_half),
        T(fast_retransmit_sack_iss_lower_half),
        T(fast_retransmit_sack_iss_upper_half),
        T(dup_acks_need_same_window_and_no_data),
        T(timeout_then_sack_above_snd_nxt),
        T(reneged_sack_resent_at_once),
        T(lost_retransmission_resent_before_timeout),
        T(out_of_order_held_and_sacked),
        T(out_of_order_hole_fill_acked_at_once),
        T(out_of_order_overlapping_pieces),
        T(urgent_pointer_ignored),
        T(zero_window_probe_answered),
        T(zero_window_opens_with_update),
        T(zero_window_no_tiny_window),
        T(persist_probes_back_off),
        T(persist_window_update_resumes),
        T(persist_probe_byte_accepted),
    };
    if (getenv("TCP_TEST"))
        cmocka_set_test_filter(getenv("TCP_TEST"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
