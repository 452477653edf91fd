/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 5961 (blind in-window attacks) and RFC 7323 PAWS, with hand-made
 * segments against one stack: RST exact / in window / outside, SYN in a
 * synchronized state (in the window or not), the ACK acceptance range,
 * the challenge ACK limits (one per connection per 500 ms, a global
 * budget drawn afresh each second), the rate limit on ACKs for empty
 * out-of-window segments, and segments with old timestamps. */
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
    tfix_wait(fx, TCP_OOW_ACK_MS); /* one challenge per connection per 500 ms */
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
    tfix_wait(fx, TCP_OOW_ACK_MS);
    tpeer_send(p, TSF_SYN, p->snd_nxt, 0, NULL, 0);
    expect_ack_of_state(p);
    tfix_wait(fx, TCP_OOW_ACK_MS);
    tpeer_send(p, TSF_SYN | TSF_ACK, p->snd_nxt + 100, p->rcv_nxt, NULL, 0);
    expect_ack_of_state(p);
    tfix_wait(fx, TCP_OOW_ACK_MS);
    tpeer_send(p, TSF_SYN, p->snd_nxt + 0x40000000u, 0, NULL, 0);
    expect_ack_of_state(p);
    expect_nothing(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), ch + 4);
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

static void syn_out_of_window_challenged(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(5500);
    struct tpeer *p = &fx->p;
    uint64_t ch = ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), na = ctr(ATOLL_CTR_TCP_DROP_NOT_ACCEPTABLE);
    /* RFC 5961 4.2: "irrespective of the sequence number": a SYN far
     * outside the window gets the challenge ACK too (it used to get the
     * plain ACK of an unacceptable segment, outside the challenge
     * limits)... */
    tpeer_send(p, TSF_SYN, p->snd_nxt + 0x40000000u, 0, NULL, 0);
    expect_ack_of_state(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), ch + 1);
    assert_int_equal(ctr(ATOLL_CTR_TCP_DROP_NOT_ACCEPTABLE), na);
    /* ...and so shares their per-connection limit. */
    tpeer_send(p, TSF_SYN, p->snd_nxt - 70000u, 0, NULL, 0);
    tpeer_send(p, TSF_SYN, p->snd_nxt + 5, 0, NULL, 0);
    expect_nothing(p);
    tfix_wait(fx, TCP_OOW_ACK_MS);
    tpeer_send(p, TSF_SYN, p->snd_nxt - 70000u, 0, NULL, 0);
    expect_ack_of_state(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), ch + 2);
    assert_int_equal(ctr(ATOLL_CTR_TCP_RST_TX), 0);
    still_alive(fl);
}

static void challenge_ack_per_connection_limit(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(8000);
    struct tpeer *p = &fx->p;
    tfix_wait(fx, 1500);
    tpeer_skip_all(p);
    tpeer_clear(p);
    uint64_t tx0 = ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX), rl0 = ctr(ATOLL_CTR_TCP_ACK_RATE_LIMITED);
    /* 150 in-window RSTs within one millisecond at one connection: one
     * challenge ACK, not the whole global budget (RFC 5961 7; with the
     * budget drained by one connection, the others' challenge ACKs would
     * be what an off-path attacker counts). */
    for (int i = 0; i < 150; i++)
        tpeer_send(p, TSF_RST, p->snd_nxt + 1 + (uint32_t)i, 0, NULL, 0);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX) - tx0, 1);
    assert_int_equal(ctr(ATOLL_CTR_TCP_ACK_RATE_LIMITED) - rl0, 149);
    expect_ack_of_state(p);
    expect_nothing(p);
    /* Just before the 500 ms are up: still nothing; then one more. */
    tfix_wait(fx, TCP_OOW_ACK_MS - 1);
    tpeer_send(p, TSF_RST, p->snd_nxt + 7, 0, NULL, 0);
    expect_nothing(p);
    tfix_wait(fx, 1);
    tpeer_send(p, TSF_RST, p->snd_nxt + 7, 0, NULL, 0);
    expect_ack_of_state(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_CHALLENGE_ACK_TX) - tx0, 2);
    still_alive(fl);
}

static void noop_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    (void)user;
    (void)c;
    (void)ev;
}

static void accept_quietly(void *user, struct atoll_tcp *c)
{
    (void)user;
    atoll_tcp_set_handler(c, noop_event, NULL);
}

#define MANY 200
static struct tpeer many[MANY];

static void challenge_ack_global_budget_varies(void **state)
{
    (void)state;
    /* 200 connections, each sent one in-window RST per second (so the
     * per-connection limit never bites): the challenge ACKs sent in a
     * second are the global budget, which must be drawn afresh each
     * second within [N/2, 3N/2), not a constant an attacker can count
     * down (CVE-2016-5696). */
    struct atoll_config cfg = ns_static_config();
    for (int i = 0; i < 16; i++)
        cfg.secret[i] = (uint8_t)(0x30 + i);
    cfg.tcp_buffers = 16;
    cfg.tcp_buffer_size = 4096;
    struct netsim *ns = ns_create(&cfg, 1000);
    assert_non_null(ns);
    ns_learn(ns, PEER_MAC, PEER_IP);
    assert_int_equal(atoll_tcp_listen(ns->st, 80, accept_quietly, NULL), ATOLL_OK);
    for (int i = 0; i < MANY; i++) {
        ns_clear(ns);
        tpeer_init(&many[i], ns, (uint16_t)(30000 + i), 80, 1000u + 77777u * (uint32_t)i);
        tpeer_connect(&many[i], TPEER_ALL);
    }
    ns_clear(ns);
    uint64_t counts[6];
    int all_same = 1;
    for (int r = 0; r < 6; r++) {
        ns_run_until(ns, ns->now + 1000);
        ns_clear(ns);
        uint64_t tx0 = ns_ctr(ns, ATOLL_CTR_TCP_CHALLENGE_ACK_TX);
        uint64_t lim0 = ns_ctr(ns, ATOLL_CTR_TCP_CHALLENGE_ACK_LIMITED);
        for (int i = 0; i < MANY; i++)
            tpeer_send(&many[i], TSF_RST, many[i].snd_nxt + 1, 0, NULL, 0);
        counts[r] = ns_ctr(ns, ATOLL_CTR_TCP_CHALLENGE_ACK_TX) - tx0;
        print_message("second %d: %llu challenge ACKs\n", r, (unsigned long long)counts[r]);
        assert_true(counts[r] >= TCP_CHALLENGE_PER_SEC / 2 && counts[r] < TCP_CHALLENGE_PER_SEC * 3 / 2);
        assert_int_equal(counts[r] + ns_ctr(ns, ATOLL_CTR_TCP_CHALLENGE_ACK_LIMITED) - lim0, MANY);
        if (r > 0 && counts[r] != counts[0])
            all_same = 0;
    }
    assert_false(all_same);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_TCP_RST_RX), 0);
    ns_destroy(ns);
}

static void out_of_window_ack_rate_limited(void **state)
{
    (void)state;
    struct tsim_flow *fl = open_conn(8500);
    struct tpeer *p = &fx->p;
    tpeer_send_data(p, (const uint8_t *)"0123456789", 10);
    tfix_wait(fx, 1000);
    tpeer_skip_all(p);
    uint64_t rl0 = ctr(ATOLL_CTR_TCP_ACK_RATE_LIMITED);
    /* Empty segments beyond the window (32 KiB): one ACK per 500 ms, so
     * two stacks, or a stack and a flood, cannot ping-pong ACKs. */
    for (int i = 0; i < 5; i++)
        tpeer_send(p, TSF_ACK, p->snd_nxt + 40000u + (uint32_t)i, p->rcv_nxt, NULL, 0);
    expect_ack_of_state(p);
    expect_nothing(p);
    assert_int_equal(ctr(ATOLL_CTR_TCP_ACK_RATE_LIMITED) - rl0, 4);
    /* Old data (a retransmission whose ACK was lost) is answered every
     * time: the peer needs that ACK to move on. */
    for (int i = 0; i < 3; i++) {
        tpeer_send(p, TSF_ACK | TSF_PSH, p->snd_nxt - 10, p->rcv_nxt, (const uint8_t *)"0123456789", 10);
        expect_ack_of_state(p);
    }
    assert_int_equal(fl->rx_len, 10);
    tfix_wait(fx, TCP_OOW_ACK_MS);
    tpeer_send(p, TSF_ACK, p->snd_nxt + 40000u, p->rcv_nxt, NULL, 0);
    expect_ack_of_state(p);
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
        T(syn_out_of_window_challenged),
        T(challenge_ack_per_connection_limit),
        T(challenge_ack_global_budget_varies),
        T(out_of_window_ack_rate_limited),
        T(paws_old_timestamp_dropped),
        T(paws_timestamp_equal_accepted),
    };
    if (getenv("TCP_TEST"))
        cmocka_set_test_filter(getenv("TCP_TEST"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
