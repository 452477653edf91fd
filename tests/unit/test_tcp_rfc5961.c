/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 5961 (blind in-window attacks) and RFC 7323 PAWS, with hand-made
 * segments against one stack: RST exact / in window / outside, SYN in a
 * synchronized state, the ACK acceptance range, the challenge ACK rate
 * limit, and segments with old timestamps. */
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

static struct tseg expect_seg(struct tpeer *p)
{
    struct tseg t;
    if (!tpeer_next(p, &t))
        fail_msg("expected a segment from the stack, none was sent");
    return t;
}

static void expect_nothing(struct tpeer *p)
{
    struct tseg t;
    if (tpeer_next(p, &t))
        fail_msg("unexpected segment: flags %02x seq %u ack %u len %zu", t.flags, t.seq, t.ack, t.dlen);
}

/* A challenge ACK / duplicate ACK: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
static void expect_ack_of_state(struct tpeer *p)
{
    struct tseg a = expect_seg(p);
    assert_int_equal(a.flags & (TSF_SYN | TSF_ACK | TSF_RST | TSF_FIN), TSF_ACK);
    assert_int_equal(a.dlen, 0);
    assert_int_equal(a.seq, p->rcv_nxt);
    assert_int_equal(a.ack, p->snd_nxt);
}

static uint64_t ctr(enum atoll_counter c)
{
    return ns_ctr(fx->ns, c);
}

/* An established connection, timestamps on, 32 KiB receive buffer
 * (window scale 0, so the window is the buffer). */
static struct tsim_flow *open_conn(uint32_t peer_iss)
{
    fx = tfix_new(32768);
    struct tsim_flow *fl = tfix_open(fx, 44000, peer_iss, TPEER_ALL);
    tpeer_skip_all(&fx->p);
    return fl;
}

/* The connection still works: data in, data out. */
static void still_alive(struct tsim_flow *fl)
{
    struct tpeer *p = &fx->p;
    assert_false(fl->reset);
    assert_non_null(fl->c);
    assert_string_equal(atoll_tcp_state_name(fl->c), "ESTABLISHED");
    size_t before = fl->rx_len;
    tpeer_send_data(p, (const uint8_t *)"alive?", 6);
    assert_int_equal(fl->rx_len, before + 6);
    assert_int_equal(atoll_tcp_send(fl->c, (const uint8_t *)"yes", 3, fx->ns->now), 3);
    struct tseg t;
    int got = 0;
    while (tpeer_next(p, &t))
        if (t.dlen == 3 && memcmp(t.data, "yes", 3) == 0 && t.seq == p->rcv_nxt)
            got = 1;
    assert_true(got);
    p->rcv_nxt += 3;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    tpeer_skip_all(p);
}

static void rst_exact_sequence_resets(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(1000);
    struct tpeer *p = &fx->p;
    tpeer_send(p, TSF_RST, p->snd_nxt, 0, NULL, 0);
    expect_nothing(p);
    assert_true(fl->reset);
    assert_int_equal(ctr(ATOLL_CTR_TCP_RST_RX), 1);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CONN_RESET), 1);
    /* Gone: the next segment draws a RST. */
    tpeer_send_data(p, (const uint8_t *)"x", 1);
    struct tseg r = expect_seg(p);
    assert_true(r.flags & TSF_RST);
}

static void rst_with_ack_exact_sequence_resets(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(2000);
    struct tpeer *p = &fx->p;
    tpeer_send(p, TSF_RST | TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    assert_true(fl->reset);
}

static void rst_in_window_challenged(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(3000);
    struct tpeer *p = &fx->p;
    uint64_t ch = ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX);
    /* In the window, not at RCV.NXT: a challenge ACK, the connection lives. */
    tpeer_send(p, TSF_RST, p->snd_nxt + 1, 0, NULL, 0);
    expect_ack_of_state(p);
    expect_nothing(p);
    tpeer_send(p, TSF_RST, p->snd_nxt + 20000, 0, NULL, 0);
    expect_ack_of_state(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), ch + 2);
    assert_int_equal(ctr(ATOLL_CTR_TCP_RST_RX), 0);
    still_alive(fl);
    /* The real peer answers a challenge ACK with a RST at its ACK number. */
    tpeer_send(p, TSF_RST, p->snd_nxt, 0, NULL, 0);
    assert_true(fl->reset);
}

static void rst_outside_window_ignored(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(4000);
    struct tpeer *p = &fx->p;
    uint64_t ch = ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX);
    /* Beyond the right edge, just before RCV.NXT, far away: silently dropped. */
    tpeer_send(p, TSF_RST, p->snd_nxt + 32768 + 10, 0, NULL, 0);
    tpeer_send(p, TSF_RST, p->snd_nxt - 1, 0, NULL, 0);
    tpeer_send(p, TSF_RST, p->snd_nxt + 0x80000000u, 0, NULL, 0);
    tpeer_send(p, TSF_RST | TSF_ACK, p->snd_nxt - 5000, p->rcv_nxt, NULL, 0);
    expect_nothing(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), ch);
    assert_int_equal(ctr(ATOLL_CTR_TCP_RST_RX), 0);
    still_alive(fl);
}

static void syn_in_established_challenged(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(5000);
    struct tpeer *p = &fx->p;
    uint64_t ch = ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX);
    /* RFC 5961 4.2: a SYN in a synchronized state, whatever its sequence
     * number, is answered by an ACK and changes nothing. */
    tpeer_send(p, TSF_SYN, p->snd_nxt + 10, 0, NULL, 0);
    expect_ack_of_state(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), ch + 1);
    tpeer_send(p, TSF_SYN, p->snd_nxt, 0, NULL, 0);
    expect_ack_of_state(p);
    tpeer_send(p, TSF_SYN | TSF_ACK, p->snd_nxt + 100, p->rcv_nxt, NULL, 0);
    expect_ack_of_state(p);
    tpeer_send(p, TSF_SYN, p->snd_nxt + 0x40000000u, 0, NULL, 0);
    expect_ack_of_state(p);
    expect_nothing(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_RST_RX) + ctr(ATOLL_CTR_TCP_RST_TX), 0);
    still_alive(fl);
    assert_int_equal(fx->acc.next, 1);
}

/* The stack sends `n` bytes the peer then acknowledges: SND.UNA moves. */
static void stack_sends(struct tsim_flow *fl, size_t n)
{
    struct tpeer *p = &fx->p;
    static uint8_t buf[20000];
    assert_true(n <= sizeof buf);
    assert_int_equal(atoll_tcp_send(fl->c, buf, n, fx->ns->now), (long)n);
    p->rcv_nxt += (uint32_t)n;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    tpeer_skip_all(p);
}

static void ack_too_old_challenged(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(6000);
    struct tpeer *p = &fx->p;
    stack_sends(fl, 10000);
    /* MAX.SND.WND is the peer's largest window: 65535 << 7 here. */
    uint32_t max_snd_wnd = 65535u << 7;
    uint32_t snd_una = p->rcv_nxt;
    uint64_t ch = ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), bad = ctr(ATOLL_CTR_TCP_DROP_BAD_ACK);
    /* RFC 5961 5.2: SEG.ACK < SND.UNA - MAX.SND.WND: challenge ACK, and
     * the segment (its data included) is dropped. */
    tpeer_send(p, TSF_ACK | TSF_PSH, p->snd_nxt, snd_una - max_snd_wnd - 1000, (const uint8_t *)"evil", 4);
    expect_ack_of_state(p);
    expect_nothing(p);
    assert_int_equal(fl->rx_len, 0);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), ch + 1);
    assert_int_equal(ctr(ATOLL_CTR_TCP_DROP_BAD_ACK), bad + 1);
    /* Old but within MAX.SND.WND: a harmless duplicate ACK; data accepted. */
    tpeer_send(p, TSF_ACK | TSF_PSH, p->snd_nxt, snd_una - 5000, (const uint8_t *)"good", 4);
    p->snd_nxt += 4;
    assert_int_equal(fl->rx_len, 4);
    assert_memory_equal(fl->rx, "good", 4);
    still_alive(fl);
}

static void ack_beyond_snd_nxt_dropped(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(7000);
    struct tpeer *p = &fx->p;
    stack_sends(fl, 3000);
    uint64_t bad = ctr(ATOLL_CTR_TCP_DROP_BAD_ACK);
    /* RFC 9293 3.10.7.4: SEG.ACK > SND.NXT: send an ACK, drop the segment. */
    tpeer_send(p, TSF_ACK | TSF_PSH, p->snd_nxt, p->rcv_nxt + 1000, (const uint8_t *)"evil", 4);
    expect_ack_of_state(p);
    expect_nothing(p);
    assert_int_equal(fl->rx_len, 0);
    assert_int_equal(ctr(ATOLL_CTR_TCP_DROP_BAD_ACK), bad + 1);
    still_alive(fl);
}

static void challenge_ack_rate_limited(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(8000);
    struct tpeer *p = &fx->p;
    tfix_wait(fx, 1500); /* a fresh second of budget */
    tpeer_skip_all(p);
    tpeer_clear(p);
    uint64_t tx0 = ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), lim0 = ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_LIMITED);
    /* 150 in-window RSTs within one millisecond. */
    for (int i = 0; i < 150; i++)
        tpeer_send(p, TSF_RST, p->snd_nxt + 1 + (uint32_t)i, 0, NULL, 0);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX) - tx0, TCP_CHALLENGE_PER_SEC);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_LIMITED) - lim0, 150 - TCP_CHALLENGE_PER_SEC);
    assert_int_equal(tpeer_pending(p), TCP_CHALLENGE_PER_SEC);
    tpeer_skip_all(p);
    /* The budget is global to the stack and comes back each second. */
    tfix_wait(fx, 500);
    tpeer_send(p, TSF_SYN, p->snd_nxt + 5, 0, NULL, 0);
    expect_nothing(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_LIMITED) - lim0, 151 - TCP_CHALLENGE_PER_SEC);
    tfix_wait(fx, 600);
    tpeer_send(p, TSF_RST, p->snd_nxt + 7, 0, NULL, 0);
    expect_ack_of_state(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX) - tx0, TCP_CHALLENGE_PER_SEC + 1);
    still_alive(fl);
}

static void paws_old_timestamp_dropped(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(9000);
    struct tpeer *p = &fx->p;
    p->tsval += 1000;
    tpeer_send_data(p, (const uint8_t *)"first", 5);
    assert_int_equal(fl->rx_len, 5);
    tfix_wait(fx, 100);
    tpeer_skip_all(p);
    uint64_t paws = ctr(ATOLL_CTR_TCP_DROP_PAWS);
    /* A segment whose TSval is older than TS.Recent: dropped, ACKed
     * (RFC 7323 5.3 R1), its data not taken. */
    uint32_t fresh = p->tsval;
    p->tsval = fresh - 500;
    tpeer_send(p, TSF_ACK | TSF_PSH, p->snd_nxt, p->rcv_nxt, (const uint8_t *)"stale", 5);
    assert_int_equal(ctr(ATOLL_CTR_TCP_DROP_PAWS), paws + 1);
    struct tseg a = expect_seg(p);
    assert_int_equal(a.flags & (TSF_ACK | TSF_RST | TSF_SYN), TSF_ACK);
    assert_int_equal(a.ack, p->snd_nxt);
    assert_true(a.has_ts);
    assert_int_equal(a.tsecr, fresh); /* TS.Recent unchanged */
    assert_int_equal(fl->rx_len, 5);
    /* The same bytes with a current timestamp are taken. */
    p->tsval = fresh + 10;
    tpeer_send(p, TSF_ACK | TSF_PSH, p->snd_nxt, p->rcv_nxt, (const uint8_t *)"fresh", 5);
    p->snd_nxt += 5;
    assert_int_equal(fl->rx_len, 10);
    assert_memory_equal(fl->rx + 5, "fresh", 5);
    assert_int_equal(ctr(ATOLL_CTR_TCP_DROP_PAWS), paws + 1);
    /* PAWS does not apply to RST (RFC 7323 5.3 R1): an exact RST with an
     * old timestamp still resets. */
    p->tsval = fresh - 5000;
    struct tseg r;
    memset(&r, 0, sizeof r);
    r.flags = TSF_RST;
    r.seq = p->snd_nxt;
    r.has_ts = 1;
    r.tsval = fresh - 5000;
    tpeer_send_raw(p, &r);
    assert_true(fl->reset);
}

static void paws_timestamp_equal_accepted(void **state)
{
    (void)state;
    /* Equal TSval is not old (several segments share a clock tick). */
    struct tsim_flow *fl = open_conn(10000);
    struct tpeer *p = &fx->p;
    tpeer_send_data(p, (const uint8_t *)"aa", 2);
    tpeer_send_data(p, (const uint8_t *)"bb", 2);
    tpeer_send_data(p, (const uint8_t *)"cc", 2);
    assert_int_equal(fl->rx_len, 6);
    assert_int_equal(ctr(ATOLL_CTR_TCP_DROP_PAWS), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, teardown)
    const struct CMUnitTest tests[] = {
        T(rst_exact_sequence_resets),
        T(rst_with_ack_exact_sequence_resets),
        T(rst_in_window_challenged),
        T(rst_outside_window_ignored),
        T(syn_in_established_challenged),
        T(ack_too_old_challenged),
        T(ack_beyond_snd_nxt_dropped),
        T(challenge_ack_rate_limited),
        T(paws_old_timestamp_dropped),
        T(paws_timestamp_equal_accepted),
    };
    if (getenv("TCP_TEST"))
        cmocka_set_test_filter(getenv("TCP_TEST"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
