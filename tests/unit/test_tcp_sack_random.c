/* SPDX-License-Identifier: Apache-2.0 */
/* Loss recovery under random loss, seed after seed: one Atoll stack sends
 * to another over tcpsim's lossy link with SACK on, and every transfer
 * must finish, intact, within a bound derived from the loss rate (see
 * budget_ms). tcpsim checks after every event that the sender's RFC 6675
 * pipe never exceeds its flight size and that the scoreboard stays inside
 * [SND.UNA, SND.MAX] (tsim_tcp_check): after a retransmission timeout
 * rewound SND.NXT, the scoreboard's blocks above it used to make
 * `flight - sacked` wrap to ~4 GiB, and nothing was sent until the next,
 * backed-off, timeout.
 *
 * Some receivers lie: they drop a first transmission at their door yet
 * SACK it, as a receiver that reneges on SACKed data (RFC 2018 8) looks to
 * the sender; the stubborn ones go on claiming it until it is
 * cumulatively acknowledged, the renegers stop after a few ACKs. The
 * sender must notice (the cumulative ACK stops at a SACKed block) and
 * resend, not wait on the lie forever.
 *
 * SACK_RANDOM_VERBOSE=1 prints every run's time and bound. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcpip/stack.h"
#include "tcpsim.h"

#define PORT 5002
#define XFER (48u * 1024u)
#define HONEST_SEEDS 300
#define LIAR_SEEDS 80
#define MAX_LIES 6

enum liar_mode { HONEST = 0, STUBBORN, RENEGER };

struct lie {
    uint32_t l, r;
    int claims;
};

struct run {
    enum liar_mode mode;
    uint64_t rng;
    uint32_t seen_end;   /* end of the highest data the sender put on the wire */
    int seen_any;
    struct lie lie[MAX_LIES];
    int nlie;
    uint64_t lies_told, firsts_dropped;
    struct tsim *s;
    struct tsim_flow cli, srv;
    struct tsim_acceptor acc;
};

static uint8_t data[XFER], rxbuf[XFER + 1];
static struct run *cur;

static uint64_t rnd(struct run *r)
{
    uint64_t z = (r->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

/* The lying receiver, at its own network interface (host 1). */
static int liar(void *ctx, struct tsim *s, int from, uint8_t *f, size_t *len)
{
    struct run *r = ctx;
    (void)s;
    struct tseg t;
    if (r->mode == HONEST || !tseg_parse(f, *len, &t) || t.ip_frag)
        return 0;
    if (from == 0) {
        /* Data arriving: a first transmission is sometimes dropped, to be
         * claimed in SACK blocks; retransmissions always get through. */
        if (t.dlen == 0)
            return 0;
        uint32_t end = t.seq + (uint32_t)t.dlen;
        int first = !r->seen_any || !before(t.seq, r->seen_end);
        if (!r->seen_any || before(r->seen_end, end)) {
            r->seen_end = end;
            r->seen_any = 1;
        }
        if (first && r->nlie < MAX_LIES && rnd(r) % 100 < 4) {
            r->lie[r->nlie].l = t.seq;
            r->lie[r->nlie].r = end;
            r->lie[r->nlie].claims = 0;
            r->nlie++;
            r->firsts_dropped++;
            return 1;
        }
        return 0;
    }
    /* ACKs leaving: the lies not yet covered go first in the SACK option. */
    if (!(t.flags & TSF_ACK) || (t.flags & (TSF_SYN | TSF_RST)))
        return 0;
    int k = 0;
    for (int i = 0; i < r->nlie; i++)
        if (before(t.ack, r->lie[i].r))
            r->lie[k++] = r->lie[i];
    r->nlie = k;
    uint32_t sl[4], sr[4];
    int n = 0;
    int cap = t.has_ts ? 3 : 4;
    for (int i = 0; i < r->nlie && n < cap; i++) {
        if (r->mode == RENEGER && r->lie[i].claims >= 3)
            continue;
        r->lie[i].claims++;
        sl[n] = r->lie[i].l;
        sr[n] = r->lie[i].r;
        n++;
    }
    if (n == 0)
        return 0;
    for (int i = 0; i < t.nsack && n < cap; i++) {
        sl[n] = t.sack_l[i];
        sr[n] = t.sack_r[i];
        n++;
    }
    t.nsack = (uint8_t)n;
    memcpy(t.sack_l, sl, sizeof sl);
    memcpy(t.sack_r, sr, sizeof sr);
    uint8_t copy[1514];
    memcpy(copy, t.data, t.dlen);
    t.data = copy;
    r->lies_told++;
    *len = tseg_build(f, &t);
    return 0;
}

static int done(void *arg)
{
    struct run *r = arg;
    return (r->cli.tx_off == r->cli.tx_len && (r->cli.closed || r->cli.closed_by_us) && r->srv.closed_by_us)
           || r->cli.reset || r->srv.reset;
}

/* The bound, in virtual ms, for XFER bytes at loss p (each way).
 *
 * Worst case, SACK recovery never helps and every loss costs a timeout
 * episode. A transmission round fails (the segment or its ACK lost) with
 * q = 1 - (1 - p)^2, so a transfer of S segments meets at most about S q
 * episodes. In an episode the timer, starting at rto0 = 1 s (RTO_INITIAL;
 * the real RTO is nearer rto_min, 200 ms, on this 10 ms RTT), doubles
 * per consecutive failed retransmission: k failures cost rto0 (2^k - 1)
 * with probability q^(k-1) (1 - q), an expected
 *     E = rto0 (2 (1 - q) / (1 - 2 q) - 1)
 * (finite for q < 1/2, i.e. p below 29 %; 1.04 s at 1 %, 1.6 s at 10 %,
 * 3.6 s at 20 %). The bound allows 4 times the expected S q E, the
 * doubling's heavy tail included, plus 2 s for the handshake and the
 * close, and for a liar one more expected episode per lie it tells
 * (MAX_LIES). At 48 KiB that is 4.8 s at 1 %, 44 s at 10 %, 180 s at
 * 20 %; the stack used to stall until backed-off timeouts whenever a
 * timeout met a non-empty scoreboard. */
static uint64_t budget_ms(double p, enum liar_mode mode)
{
    double q = 1.0 - (1.0 - p / 100.0) * (1.0 - p / 100.0);
    double e = 1000.0 * (2.0 * (1.0 - q) / (1.0 - 2.0 * q) - 1.0);
    double segs = (double)(XFER / 1448u + 1u);
    double episodes = segs * q + (mode == HONEST ? 0.0 : (double)MAX_LIES);
    return 2000u + (uint64_t)(4.0 * episodes * e);
}

static int run_teardown(void **state)
{
    (void)state;
    if (cur) {
        tsim_free(cur->s);
        free(cur);
        cur = NULL;
    }
    return 0;
}

struct tally {
    uint64_t runs, worst_ms, total_ms, lies, reneged;
};

static void one_run(uint64_t seed, double loss, enum liar_mode mode, struct tally *ty)
{
    struct run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    cur = r;
    r->mode = mode;
    r->rng = seed * 7 + 3;
    r->s = tsim_new(seed, 1000);
    int ha = tsim_add_host(r->s, NULL);
    int hb = tsim_add_host(r->s, NULL);
    struct tsim_impair imp;
    memset(&imp, 0, sizeof imp);
    imp.delay_ms = 5;
    imp.loss_pct = loss;
    tsim_impair_all(r->s, &imp);
    r->s->mangle = liar;
    r->s->mangle_ctx = r;
    tsim_run_for(r->s, 10);
    tsim_fill(data, XFER, seed);
    tsim_flow_init(&r->cli, r->s, ha);
    tsim_flow_init(&r->srv, r->s, hb);
    tsim_flow_tx(&r->cli, data, XFER, 1);
    tsim_flow_rx(&r->srv, rxbuf, sizeof rxbuf);
    r->srv.close_on_eof = 1;
    tsim_acceptor_init(&r->acc, &r->srv, 1);
    assert_int_equal(atoll_tcp_listen(tsim_st(r->s, hb), PORT, tsim_accept, &r->acc), ATOLL_OK);
    uint64_t t0 = r->s->now;
    assert_int_equal(tsim_flow_connect(&r->cli, TSIM_IP(hb), PORT), 0);
    uint64_t bound = budget_ms(loss, mode);
    int ok = tsim_run(r->s, t0 + bound, done, r);
    uint64_t took = r->s->now - t0;
    if (!ok || r->cli.reset || r->srv.reset || r->srv.rx_len != XFER)
        fail_msg("seed %llu loss %.0f%% mode %d: %s after %llu ms (bound %llu): sent %zu/%u, received %zu, "
                 "rto %llu, reneged %llu",
                 (unsigned long long)seed, loss, (int)mode, ok ? "broken" : "unfinished", (unsigned long long)took,
                 (unsigned long long)bound, r->cli.tx_off, XFER, r->srv.rx_len,
                 (unsigned long long)tsim_ctr(r->s, ha, ATOLL_CTR_TCP_REXMIT_TIMEOUT),
                 (unsigned long long)tsim_ctr(r->s, ha, ATOLL_CTR_TCP_SACK_RENEGED));
    assert_memory_equal(rxbuf, data, XFER);
    assert_int_equal(tsim_ctr(r->s, ha, ATOLL_CTR_TCP_CONN_TIMEOUT), 0);
    if (getenv("SACK_RANDOM_VERBOSE"))
        print_message("seed %llu loss %.0f mode %d took %llu bound %llu\n", (unsigned long long)seed, loss, (int)mode,
                      (unsigned long long)took, (unsigned long long)bound);
    ty->runs++;
    ty->total_ms += took;
    if (took > ty->worst_ms)
        ty->worst_ms = took;
    ty->lies += r->lies_told;
    ty->reneged += tsim_ctr(r->s, ha, ATOLL_CTR_TCP_SACK_RENEGED);
    run_teardown(NULL);
}

static void honest_sack_random_loss(void **state)
{
    (void)state;
    struct tally ty = {0};
    for (uint64_t seed = 1; seed <= HONEST_SEEDS; seed++)
        one_run(seed, (double)(1 + seed % 20), HONEST, &ty);
    print_message("honest: %llu runs, mean %llu ms, worst %llu ms\n", (unsigned long long)ty.runs,
                  (unsigned long long)(ty.total_ms / ty.runs), (unsigned long long)ty.worst_ms);
}

static void lying_sack_random_loss(void **state)
{
    (void)state;
    struct tally ty = {0};
    for (uint64_t seed = 1; seed <= LIAR_SEEDS; seed++)
        one_run(1000 + seed, (double)(1 + seed % 20), seed % 2 ? STUBBORN : RENEGER, &ty);
    print_message("liars: %llu runs, mean %llu ms, worst %llu ms, %llu ACKs lied, %llu renegings seen\n",
                  (unsigned long long)ty.runs, (unsigned long long)(ty.total_ms / ty.runs),
                  (unsigned long long)ty.worst_ms, (unsigned long long)ty.lies, (unsigned long long)ty.reneged);
    /* The liars did lie, and the sender caught them at it. */
    assert_true(ty.lies > 100);
    assert_true(ty.reneged > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(honest_sack_random_loss, run_teardown),
        cmocka_unit_test_teardown(lying_sack_random_loss, run_teardown),
    };
    if (getenv("TCP_TEST"))
        cmocka_set_test_filter(getenv("TCP_TEST"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
