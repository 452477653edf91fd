/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9293 scenarios with hand-made segments against one stack (netsim's
 * virtual host; segments built and checked by tcpsim's independent
 * builder/parser): the three-way handshake and its options, simultaneous
 * open, half-open discovery, old duplicate SYNs, TIME-WAIT. */
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

static void handshake_syn_ack_options(void **state)
{
    (void)state;
    fx = tfix_new(262144); /* a buffer that needs window scaling: shift 3 */
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 40000, TFIX_PORT, 1000000);
    struct tseg syn;
    memset(&syn, 0, sizeof syn);
    syn.flags = TSF_SYN;
    syn.seq = 1000000;
    syn.win = 65535;
    syn.has_mss = 1;
    syn.mss = 1460;
    syn.sack_perm = 1;
    syn.has_ws = 1;
    syn.ws = 7;
    syn.has_ts = 1;
    syn.tsval = 123456;
    tpeer_send_raw(p, &syn);
    struct tseg sa = expect_seg(p);
    expect_nothing(p);
    assert_int_equal(sa.flags, TSF_SYN | TSF_ACK);
    assert_int_equal(sa.ack, 1000001u);
    assert_int_equal(sa.sport, TFIX_PORT);
    assert_int_equal(sa.dport, 40000);
    assert_false(sa.bad_option);
    assert_int_equal(sa.dlen, 0);
    /* MSS of the Ethernet MTU, SACK-permitted, window scale, timestamps
     * echoing ours (RFC 9293 3.7.1, RFC 2018, RFC 7323 2 and 3). */
    assert_true(sa.has_mss);
    assert_int_equal(sa.mss, 1460);
    assert_true(sa.sack_perm);
    assert_true(sa.has_ws);
    assert_int_equal(sa.ws, 3);
    assert_true(sa.has_ts);
    assert_int_equal(sa.tsecr, 123456u);
    /* The SYN-ACK's window is never scaled (RFC 7323 2.2). */
    assert_int_equal(sa.win, 65535);
    assert_int_equal(sa.urp, 0);
    /* The third segment completes it; the owner is told. */
    p->irs = sa.seq;
    p->rcv_nxt = sa.seq + 1;
    p->snd_nxt = 1000001;
    p->ts_on = 1;
    p->tsval = 123460;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    expect_nothing(p);
    assert_int_equal(fx->acc.next, 1);
    assert_string_equal(atoll_tcp_state_name(fx->flow[0].c), "ESTABLISHED");
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_CONN_OPEN), 1);
    /* Data: acknowledged, with our timestamp echoed and a scaled window. */
    static const uint8_t hello[] = "hello, atoll";
    tpeer_send_data(p, hello, sizeof hello);
    tfix_wait(fx, 200); /* a delayed ACK at most */
    struct tseg a = expect_seg(p);
    assert_int_equal(a.flags & (TSF_ACK | TSF_SYN | TSF_RST | TSF_FIN), TSF_ACK);
    assert_int_equal(a.ack, p->snd_nxt);
    assert_int_equal(a.seq, p->rcv_nxt);
    assert_true(a.has_ts);
    assert_int_equal(a.tsecr, 123460u);
    assert_true(a.tsval - sa.tsval < 1000u);
    assert_false(a.has_mss || a.has_ws || a.sack_perm);
    /* The reader took the bytes, so the whole buffer is offered: 256 KiB >> 3. */
    assert_int_equal((uint32_t)a.win << 3, 262144u);
    assert_int_equal(fx->flow[0].rx_len, sizeof hello);
    assert_memory_equal(fx->flow[0].rx, hello, sizeof hello);
}

static void handshake_without_options(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 40001, TFIX_PORT, 5000);
    struct tseg sa = tpeer_connect(p, 0);
    /* Only the MSS is offered back: no scaling, SACK or timestamps unless
     * the peer offered them first (RFC 7323 1.3, RFC 2018 2). */
    assert_true(sa.has_mss);
    assert_false(sa.has_ws);
    assert_false(sa.sack_perm);
    assert_false(sa.has_ts);
    assert_int_equal(fx->acc.next, 1);
    /* The peer gave no MSS: the stack must send at most 536 bytes a segment
     * (RFC 9293 3.7.1). */
    static uint8_t big[4000];
    tsim_fill(big, sizeof big, 1);
    assert_int_equal(atoll_tcp_send(fx->flow[0].c, big, sizeof big, fx->ns->now), (long)sizeof big);
    size_t got = 0;
    struct tseg t;
    while (tpeer_next(p, &t)) {
        assert_false(t.has_ts);
        assert_true(t.dlen <= 536);
        assert_int_equal(t.seq, p->rcv_nxt + got);
        assert_memory_equal(t.data, big + got, t.dlen);
        got += t.dlen;
    }
    assert_true(got > 0);
}

static void handshake_mss_clamped(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 40002, TFIX_PORT, 7000);
    struct tseg syn;
    memset(&syn, 0, sizeof syn);
    syn.flags = TSF_SYN;
    syn.seq = 7000;
    syn.win = 65535;
    syn.has_mss = 1;
    syn.mss = 1000;
    syn.has_ts = 1;
    syn.tsval = 1;
    tpeer_send_raw(p, &syn);
    struct tseg sa = expect_seg(p);
    p->rcv_nxt = sa.seq + 1;
    p->snd_nxt = 7001;
    p->ts_on = 1;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    static uint8_t big[6000];
    assert_int_equal(atoll_tcp_send(fx->flow[0].c, big, sizeof big, fx->ns->now), (long)sizeof big);
    /* Options count against the MSS: TCP header options + data <= 1000
     * bytes beyond the fixed header (RFC 9293 3.7.1, RFC 6691). */
    struct tseg t;
    int n = 0;
    while (tpeer_next(p, &t)) {
        assert_true(t.dlen + (t.hdr_len - 20u) <= 1000u);
        n++;
    }
    assert_true(n >= 5);
}

static void handshake_mss_counts_sack_options(void **state)
{
    (void)state;
    /* RFC 6691 / RFC 9293 3.7.1: the sender MUST reduce the data to make
     * room for the options it includes. With SACK blocks on the ACKs it
     * sends while holding out-of-order data, a full data segment must
     * shrink, or it exceeds the peer's MSS. */
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 40005, TFIX_PORT, 11000);
    struct tseg syn;
    memset(&syn, 0, sizeof syn);
    syn.flags = TSF_SYN;
    syn.seq = 11000;
    syn.win = 65535;
    syn.has_mss = 1;
    syn.mss = 1000;
    syn.sack_perm = 1;
    syn.has_ts = 1;
    syn.tsval = 1;
    tpeer_send_raw(p, &syn);
    struct tseg sa = expect_seg(p);
    assert_true(sa.sack_perm);
    p->rcv_nxt = sa.seq + 1;
    p->snd_nxt = 11001;
    p->ts_on = 1;
    p->sack_on = 1;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    /* Two islands of data held at the stack: two SACK blocks to report. */
    static uint8_t d[300];
    tpeer_send(p, TSF_ACK, p->snd_nxt + 100, p->rcv_nxt, d, 100);
    tpeer_send(p, TSF_ACK, p->snd_nxt + 300, p->rcv_nxt, d, 100);
    tpeer_skip_all(p);
    static uint8_t big[6000];
    assert_int_equal(atoll_tcp_send(fx->flow[0].c, big, sizeof big, fx->ns->now), (long)sizeof big);
    struct tseg t;
    int n = 0;
    while (tpeer_next(p, &t)) {
        if (t.dlen == 0)
            continue;
        if (t.dlen + (t.hdr_len - 20u) > 1000u)
            fail_msg("segment of %zu data bytes with %u option bytes (%d SACK blocks) exceeds MSS 1000", t.dlen,
                     t.hdr_len - 20u, t.nsack);
        n++;
    }
    assert_true(n >= 5);
}

static void window_within_buffer(uint32_t peer_iss)
{
    fx = tfix_new(4096);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 40006, TFIX_PORT, peer_iss);
    struct tseg sa = tpeer_connect(p, TPEER_ALL);
    /* A 4 KiB buffer needs no scaling; the window offered must never be
     * more than the buffer can hold, whatever the peer's ISN. */
    assert_int_equal(sa.ws, 0);
    if (sa.win > 4096)
        fail_msg("SYN-ACK offers %u bytes with a 4096-byte buffer (peer ISN %08x)", sa.win, peer_iss);
    tpeer_send_data(p, (const uint8_t *)"abc", 3);
    tfix_wait(fx, 100);
    struct tseg a;
    while (tpeer_next(p, &a))
        if (a.win > 4096)
            fail_msg("ACK offers %u bytes with a 4096-byte buffer (peer ISN %08x)", a.win, peer_iss);
}

static void window_within_buffer_isn_lower_half(void **state)
{
    (void)state;
    window_within_buffer(0x12345678u);
}

static void window_within_buffer_isn_upper_half(void **state)
{
    (void)state;
    window_within_buffer(0x92345678u);
}

static void window_within_buffer_active_open(void **state)
{
    (void)state;
    /* The same when the stack opens the connection: its first ACK, for
     * several peer ISNs (one upper-half, one chosen so that a bogus 32-bit
     * window would show in the 16-bit field). */
    static const uint32_t isns[] = {0x00001000u, 0xa0000000u, 0x8fff1fffu};
    fx = tfix_new(4096);
    for (size_t i = 0; i < sizeof isns / sizeof isns[0]; i++) {
        struct tsim_flow fl;
        tsim_flow_init_st(&fl, fx->ns->st, &fx->ns->now);
        struct tpeer *p = &fx->p;
        tpeer_init(p, fx->ns, (uint16_t)(6001 + i), 0, isns[i]);
        assert_int_equal(tsim_flow_connect(&fl, PEER_IP, (uint16_t)(6001 + i)), 0);
        struct tseg syn = expect_seg(p);
        assert_true(syn.win <= 4096);
        p->dport = syn.sport;
        tpeer_send(p, TSF_SYN | TSF_ACK, isns[i], syn.seq + 1, NULL, 0);
        assert_true(fl.connected);
        struct tseg a = expect_seg(p);
        if (a.win > 4096)
            fail_msg("ACK offers %u bytes with a 4096-byte buffer (peer ISN %08x)", a.win, isns[i]);
        atoll_tcp_abort(fl.c, fx->ns->now);
        tpeer_skip_all(p);
    }
}

static void handshake_syn_ack_retransmitted(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 40003, TFIX_PORT, 9000);
    tpeer_send(p, TSF_SYN, 9000, 0, NULL, 0);
    struct tseg sa = expect_seg(p);
    /* No answer: the SYN-ACK is retransmitted on its timer (RFC 6298
     * initial RTO 1 s), then after 2 s more. */
    tfix_wait(fx, 999);
    expect_nothing(p);
    tfix_wait(fx, 2);
    struct tseg sa2 = expect_seg(p);
    assert_int_equal(sa2.flags, TSF_SYN | TSF_ACK);
    assert_int_equal(sa2.seq, sa.seq);
    assert_int_equal(sa2.ack, 9001u);
    tfix_wait(fx, 1998);
    expect_nothing(p);
    tfix_wait(fx, 2);
    struct tseg sa3 = expect_seg(p);
    assert_int_equal(sa3.flags, TSF_SYN | TSF_ACK);
    assert_int_equal(sa3.seq, sa.seq);
    /* The late ACK still completes the handshake. */
    tpeer_send(p, TSF_ACK, 9001, sa.seq + 1, NULL, 0);
    assert_int_equal(fx->acc.next, 1);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_CONN_OPEN), 1);
}

static void handshake_duplicate_syn_gets_syn_ack(void **state)
{
    (void)state;
    /* The peer retransmits its SYN (our SYN-ACK was lost): the answer must
     * be the SYN-ACK again, at once, with the same ISS. A bare ACK does
     * not help a peer in SYN-SENT (RFC 9293 3.10.7.3: no SYN, no RST:
     * drop), so it would wait for our retransmission timer. */
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 40004, TFIX_PORT, 9000);
    tpeer_send(p, TSF_SYN, 9000, 0, NULL, 0);
    struct tseg sa = expect_seg(p);
    tfix_wait(fx, 300);
    tpeer_send(p, TSF_SYN, 9000, 0, NULL, 0);
    struct tseg sa2 = expect_seg(p);
    assert_int_equal(sa2.flags, TSF_SYN | TSF_ACK);
    assert_int_equal(sa2.seq, sa.seq);
    assert_int_equal(sa2.ack, 9001u);
}

static void port_zero_gets_no_answer(void **state)
{
    (void)state;
    /* Port 0 names no endpoint: neither a SYN-ACK nor a RST may go to it. */
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 0, TFIX_PORT, 9000);
    tpeer_send(p, TSF_SYN, 9000, 0, NULL, 0);
    expect_nothing(p);
    tpeer_init(p, fx->ns, 40005, 0, 9000);
    tpeer_send(p, TSF_SYN, 9000, 0, NULL, 0);
    expect_nothing(p);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_DROP_PORT0), 2);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_RST_TX), 0);
}

static void simultaneous_open(void **state)
{
    (void)state;
    /* RFC 9293 figure 8: both ends send SYN at once. */
    fx = tfix_new(0);
    struct tsim_flow fl;
    tsim_flow_init_st(&fl, fx->ns->st, &fx->ns->now);
    static uint8_t rx[4096];
    tsim_flow_rx(&fl, rx, sizeof rx);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 5555, 0, 300);
    assert_int_equal(tsim_flow_connect(&fl, PEER_IP, 5555), 0);
    struct tseg syn = expect_seg(p);
    assert_int_equal(syn.flags, TSF_SYN);
    assert_true(syn.has_mss && syn.sack_perm && syn.has_ts && syn.has_ws);
    p->dport = syn.sport;
    uint32_t iss = syn.seq;
    /* Our SYN crosses theirs. */
    struct tseg s2;
    memset(&s2, 0, sizeof s2);
    s2.flags = TSF_SYN;
    s2.seq = 300;
    s2.win = 65535;
    s2.has_mss = 1;
    s2.mss = 1460;
    tpeer_send_raw(p, &s2);
    /* SYN-RECEIVED: SYN,ACK with the same ISS, acknowledging ours. */
    struct tseg sa = expect_seg(p);
    assert_int_equal(sa.flags, TSF_SYN | TSF_ACK);
    assert_int_equal(sa.seq, iss);
    assert_int_equal(sa.ack, 301u);
    assert_string_equal(atoll_tcp_state_name(fl.c), "SYN-RECEIVED");
    assert_false(fl.connected);
    /* Our SYN,ACK: the stack acknowledges it (whether it counts it as
     * completing the handshake or as a duplicate of the SYN it has). */
    p->snd_nxt = 301;
    p->rcv_nxt = iss + 1;
    tpeer_send(p, TSF_SYN | TSF_ACK, 300, iss + 1, NULL, 0);
    struct tseg a = expect_seg(p);
    assert_int_equal(a.flags & (TSF_SYN | TSF_ACK | TSF_RST), TSF_ACK);
    assert_int_equal(a.seq, iss + 1);
    assert_int_equal(a.ack, 301u);
    /* Our ACK: ESTABLISHED (if not already), and the owner hears CONNECTED. */
    tpeer_send(p, TSF_ACK, 301, iss + 1, NULL, 0);
    assert_true(fl.connected);
    assert_string_equal(atoll_tcp_state_name(fl.c), "ESTABLISHED");
    /* No stray RST or SYN-ACK on the way, and data flows both ways. */
    static const uint8_t ping[] = "ping";
    assert_int_equal(atoll_tcp_send(fl.c, ping, sizeof ping, fx->ns->now), (long)sizeof ping);
    struct tseg d;
    do {
        d = expect_seg(p);
        assert_false(d.flags & (TSF_RST | TSF_SYN));
    } while (d.dlen == 0);
    assert_int_equal(d.seq, iss + 1);
    assert_memory_equal(d.data, ping, sizeof ping);
    tpeer_send(p, TSF_ACK | TSF_PSH, 301, iss + 1 + sizeof ping, (const uint8_t *)"pong", 4);
    assert_int_equal(fl.rx_len, 4);
    assert_memory_equal(rx, "pong", 4);
    atoll_tcp_abort(fl.c, fx->ns->now);
}

static void half_open_ack_to_listener_port(void **state)
{
    (void)state;
    /* A segment for a connection the stack does not have (it rebooted, or
     * the peer is confused): RST with SEQ = SEG.ACK, no ACK bit
     * (RFC 9293 3.10.7.1 / 3.5.2, figure 11). */
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 41000, TFIX_PORT, 777);
    tpeer_send(p, TSF_ACK | TSF_PSH, 777, 424242, (const uint8_t *)"data", 4);
    struct tseg r = expect_seg(p);
    assert_int_equal(r.flags, TSF_RST);
    assert_int_equal(r.seq, 424242u);
    assert_int_equal(r.dlen, 0);
    expect_nothing(p);
    assert_int_equal(fx->acc.next, 0);
}

static void half_open_closed_port(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 41001, 81, 5000);
    /* Without ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
    tpeer_send(p, TSF_SYN, 5000, 0, NULL, 0);
    struct tseg r = expect_seg(p);
    assert_int_equal(r.flags, TSF_RST | TSF_ACK);
    assert_int_equal(r.seq, 0u);
    assert_int_equal(r.ack, 5001u);
    tpeer_send(p, TSF_PSH | TSF_FIN, 6000, 0, (const uint8_t *)"abc", 3);
    r = expect_seg(p);
    assert_int_equal(r.flags, TSF_RST | TSF_ACK);
    assert_int_equal(r.ack, 6004u);
    /* A RST is never answered. */
    tpeer_send(p, TSF_RST, 7000, 0, NULL, 0);
    tpeer_send(p, TSF_RST | TSF_ACK, 7000, 1, NULL, 0);
    expect_nothing(p);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_RST_TX), 2);
}

static void half_open_after_abort(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, 41002, 100000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    tpeer_send_data(p, (const uint8_t *)"one", 3);
    tfix_wait(fx, 100);
    tpeer_skip_all(p);
    /* The application aborts; the RST to the peer is lost (ignored here). */
    struct atoll_tcp *c = fl->c;
    fl->c = NULL;
    atoll_tcp_abort(c, fx->ns->now);
    struct tseg r = expect_seg(p);
    assert_true(r.flags & TSF_RST);
    /* The peer, unaware, sends more: RST with SEQ = its ACK. */
    tpeer_send_data(p, (const uint8_t *)"two", 3);
    r = expect_seg(p);
    assert_int_equal(r.flags, TSF_RST);
    assert_int_equal(r.seq, p->rcv_nxt);
}

static void old_duplicate_syn_recovery(void **state)
{
    (void)state;
    /* RFC 9293 figure 9: an old SYN arrives first. The peer, seeing our
     * SYN-ACK acknowledge something it never sent, resets; we return to
     * LISTEN, and the real SYN then opens the connection. */
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 42000, TFIX_PORT, 90);
    tpeer_send(p, TSF_SYN, 90, 0, NULL, 0);
    struct tseg sa = expect_seg(p);
    assert_int_equal(sa.ack, 91u);
    tpeer_send(p, TSF_RST, 91, 0, NULL, 0);
    expect_nothing(p);
    assert_int_equal(fx->acc.next, 0);
    /* The half-open connection is gone: nothing is retransmitted. */
    tfix_wait(fx, 5000);
    expect_nothing(p);
    tpeer_send(p, TSF_SYN, 100, 0, NULL, 0);
    struct tseg sa2 = expect_seg(p);
    assert_int_equal(sa2.flags, TSF_SYN | TSF_ACK);
    assert_int_equal(sa2.ack, 101u);
    tpeer_send(p, TSF_ACK, 101, sa2.seq + 1, NULL, 0);
    assert_int_equal(fx->acc.next, 1);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_CONN_OPEN), 1);
}

static void old_duplicate_syn_in_syn_received(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 42001, TFIX_PORT, 100000);
    tpeer_send(p, TSF_SYN, 100000, 0, NULL, 0);
    struct tseg sa = expect_seg(p);
    /* An old SYN of an earlier incarnation (sequence below the window):
     * it must neither reset the half-open connection nor create a second
     * one; at most an ACK answers it. */
    tpeer_send(p, TSF_SYN, 50000, 0, NULL, 0);
    struct tseg t;
    while (tpeer_next(p, &t)) {
        assert_false(t.flags & TSF_RST);
        assert_int_equal(t.seq, t.flags & TSF_SYN ? sa.seq : sa.seq + 1);
        assert_int_equal(t.ack, 100001u);
    }
    tpeer_send(p, TSF_ACK, 100001, sa.seq + 1, NULL, 0);
    assert_int_equal(fx->acc.next, 1);
    assert_string_equal(atoll_tcp_state_name(fx->flow[0].c), "ESTABLISHED");
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_CONN_OPEN), 1);
}

static void old_duplicate_syn_in_established(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, 42002, 200000, TPEER_ALL);
    struct tpeer *p = &fx->p;
    /* The SYN of an old incarnation, far below the window: an ACK (RFC
     * 5961 4.2 challenge), and the connection carries on. */
    tpeer_send(p, TSF_SYN, 100, 0, NULL, 0);
    struct tseg a = expect_seg(p);
    assert_int_equal(a.flags & (TSF_SYN | TSF_ACK | TSF_RST), TSF_ACK);
    assert_int_equal(a.seq, p->rcv_nxt);
    assert_int_equal(a.ack, p->snd_nxt);
    expect_nothing(p);
    assert_string_equal(atoll_tcp_state_name(fl->c), "ESTABLISHED");
    tpeer_send_data(p, (const uint8_t *)"still here", 10);
    assert_int_equal(fl->rx_len, 10);
    assert_false(fl->reset);
    assert_int_equal(fx->acc.next, 1);
}

static void syn_sent_bad_ack_and_rst(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow fl;
    tsim_flow_init_st(&fl, fx->ns->st, &fx->ns->now);
    struct tpeer *p = &fx->p;
    tpeer_init(p, fx->ns, 6000, 0, 5000);
    assert_int_equal(tsim_flow_connect(&fl, PEER_IP, 6000), 0);
    struct tseg syn = expect_seg(p);
    p->dport = syn.sport;
    /* A SYN-ACK acknowledging something else: RST <SEQ=SEG.ACK>, keep waiting. */
    tpeer_send(p, TSF_SYN | TSF_ACK, 5000, syn.seq + 77, NULL, 0);
    struct tseg r = expect_seg(p);
    assert_int_equal(r.flags, TSF_RST);
    assert_int_equal(r.seq, syn.seq + 77);
    assert_string_equal(atoll_tcp_state_name(fl.c), "SYN-SENT");
    /* A RST without an acceptable ACK is ignored in SYN-SENT. */
    tpeer_send(p, TSF_RST, 0, 0, NULL, 0);
    tpeer_send(p, TSF_RST | TSF_ACK, 0, syn.seq + 5, NULL, 0);
    expect_nothing(p);
    assert_false(fl.reset);
    /* The real SYN-ACK. */
    tpeer_send(p, TSF_SYN | TSF_ACK, 5000, syn.seq + 1, NULL, 0);
    assert_true(fl.connected);
    struct tseg a = expect_seg(p);
    assert_int_equal(a.flags, TSF_ACK);
    assert_int_equal(a.seq, syn.seq + 1);
    assert_int_equal(a.ack, 5001u);
    atoll_tcp_abort(fl.c, fx->ns->now);
}

/* Active close by the stack against the scripted peer, into TIME-WAIT. */
static void to_time_wait(struct tsim_flow *fl, struct tpeer *p)
{
    assert_int_equal(atoll_tcp_shutdown(fl->c, fx->ns->now), ATOLL_OK);
    struct tseg fin = expect_seg(p);
    assert_true(fin.flags & TSF_FIN);
    assert_int_equal(fin.seq, p->rcv_nxt);
    p->rcv_nxt += 1;
    tpeer_send(p, TSF_ACK, p->snd_nxt, p->rcv_nxt, NULL, 0);
    assert_string_equal(atoll_tcp_state_name(fl->c), "FIN-WAIT-2");
    tpeer_send(p, TSF_ACK | TSF_FIN, p->snd_nxt, p->rcv_nxt, NULL, 0);
    p->snd_nxt += 1;
    struct tseg a = expect_seg(p);
    assert_int_equal(a.flags, TSF_ACK);
    assert_int_equal(a.ack, p->snd_nxt);
    assert_true(fl->closed);
}

static void time_wait_reacks_fin_and_restarts(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, 43000, 300000, 0);
    struct tpeer *p = &fx->p;
    to_time_wait(fl, p);
    uint64_t t0 = fx->ns->now;
    /* Our last ACK "was lost": the FIN again is ACKed again, and 2*MSL
     * starts over (RFC 9293 3.10.7.4, TIME-WAIT). */
    tfix_wait(fx, 40000);
    tpeer_send(p, TSF_ACK | TSF_FIN, p->snd_nxt - 1, p->rcv_nxt, NULL, 0);
    struct tseg a = expect_seg(p);
    assert_int_equal(a.flags, TSF_ACK);
    assert_int_equal(a.seq, p->rcv_nxt);
    assert_int_equal(a.ack, p->snd_nxt);
    /* A RST in TIME-WAIT is ignored (RFC 1337): still there afterwards. */
    tpeer_send(p, TSF_RST, p->snd_nxt, 0, NULL, 0);
    expect_nothing(p);
    /* At t0 + 2*MSL + a little it would have expired; it did not. */
    ns_run_until(fx->ns, t0 + 2 * TCP_MSL_MS + 100);
    tpeer_send(p, TSF_ACK | TSF_FIN, p->snd_nxt - 1, p->rcv_nxt, NULL, 0);
    a = expect_seg(p);
    assert_int_equal(a.flags, TSF_ACK);
    /* That FIN restarted it again; well after, the tuple is free: RST. */
    ns_run_until(fx->ns, fx->ns->now + 2 * TCP_MSL_MS + 100);
    tpeer_send(p, TSF_ACK | TSF_FIN, p->snd_nxt - 1, p->rcv_nxt, NULL, 0);
    a = expect_seg(p);
    assert_true(a.flags & TSF_RST);
}

static void time_wait_new_syn_reuses(void **state)
{
    (void)state;
    fx = tfix_new(0);
    struct tsim_flow *fl = tfix_open(fx, 43001, 400000, 0);
    struct tpeer *p = &fx->p;
    to_time_wait(fl, p);
    tfix_wait(fx, 1000);
    /* A SYN for the same 4-tuple beyond the old sequence space opens a new
     * incarnation at once (RFC 9293 3.6.1 / RFC 6191). */
    uint32_t iss2 = p->snd_nxt + 100000;
    tpeer_send(p, TSF_SYN, iss2, 0, NULL, 0);
    struct tseg sa = expect_seg(p);
    assert_int_equal(sa.flags, TSF_SYN | TSF_ACK);
    assert_int_equal(sa.ack, iss2 + 1);
    assert_int_equal(ns_ctr(fx->ns, ATOLL_CTR_TCP_TW_REUSE), 1);
    tpeer_send(p, TSF_ACK, iss2 + 1, sa.seq + 1, NULL, 0);
    assert_int_equal(fx->acc.next, 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, teardown)
    const struct CMUnitTest tests[] = {
        T(handshake_syn_ack_options),
        T(handshake_without_options),
        T(handshake_mss_clamped),
        T(handshake_mss_counts_sack_options),
        T(window_within_buffer_isn_lower_half),
        T(window_within_buffer_isn_upper_half),
        T(window_within_buffer_active_open),
        T(handshake_syn_ack_retransmitted),
        T(handshake_duplicate_syn_gets_syn_ack),
        T(port_zero_gets_no_answer),
        T(simultaneous_open),
        T(half_open_ack_to_listener_port),
        T(half_open_closed_port),
        T(half_open_after_abort),
        T(old_duplicate_syn_recovery),
        T(old_duplicate_syn_in_syn_received),
        T(old_duplicate_syn_in_established),
        T(syn_sent_bad_ack_and_rst),
        T(time_wait_reacks_fin_and_restarts),
        T(time_wait_new_syn_reuses),
    };
    if (getenv("TCP_TEST"))
        cmocka_set_test_filter(getenv("TCP_TEST"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
