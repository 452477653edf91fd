/* SPDX-License-Identifier: Apache-2.0 */
/* TCP segment arrival, in the order of RFC 9293 section 3.10.7, with the
 * RFC 5961 mitigations (challenge ACKs for in-window RST and SYN, ACK
 * range check), RFC 7323 PAWS and timestamps, RFC 6298 RTT sampling and
 * RFC 5681/6582 congestion control with NewReno fast recovery. */
#include <string.h>

#include "tcpip/stack.h"
#include "tcpip/tcp.h"
#include "tcpip/tcp_fsm.h"
#include "tcpip/tcp_seq.h"

struct seg;
static void on_synchronized(struct atoll_tcp *c, struct seg *s);

struct seg {
    const struct ipv4_hdr *ih;
    struct tcp_hdr th;
    const uint8_t *data;
    uint32_t dlen;  /* payload bytes */
    uint32_t len;   /* SEG.LEN: payload plus SYN and FIN */
};

static void count_parse_error(struct atoll_stack *st, int r)
{
    if (r == TCP_E_TRUNC)
        CTR(st, TCP_DROP_TRUNC);
    else if (r == TCP_E_HDRLEN)
        CTR(st, TCP_DROP_HDRLEN);
    else if (r == TCP_E_CSUM)
        CTR(st, TCP_DROP_CSUM);
    else
        CTR(st, TCP_DROP_OPTION);
}

/* At most one challenge or out-of-window ACK per TCP_OOW_ACK_MS on a
 * connection (RFC 5961 7 leaves the throttle to us; Linux's
 * tcp_invalid_ratelimit does the same): a flood of spoofed or looping
 * segments draws a trickle of ACKs, and an attacker hitting one
 * connection cannot drain the global budget. Returns 1 to stay silent. */
static int oow_ack_limited(struct atoll_tcp *c)
{
    struct atoll_stack *st = c->st;
    if (st->now < c->oow_ack_next) {
        CTR(st, TCP_ACK_RATE_LIMITED);
        return 1;
    }
    c->oow_ack_next = st->now + TCP_OOW_ACK_MS;
    return 0;
}

/* RFC 5961 section 7: per connection first, then a global budget per
 * second whose size is drawn afresh each second (tcp_challenge_budget),
 * so the number of challenge ACKs left tells an off-path prober nothing. */
static void challenge_ack(struct atoll_tcp *c)
{
    struct atoll_stack *st = c->st;
    struct tcp_stack *ts = &st->tcp;
    if (oow_ack_limited(c))
        return;
    if (st->now - ts->challenge_last >= 1000u) {
        ts->challenge_last = st->now;
        ts->challenge_tokens = tcp_challenge_budget(ts->secret, st->now / 1000u);
    }
    if (ts->challenge_tokens == 0) {
        CTR(st, TCP_CHALLENGE_ACK_LIMITED);
        return;
    }
    ts->challenge_tokens--;
    CTR(st, TCP_CHALLENGE_ACK_TX);
    tcp_send_flags(c, c->snd_max, TCP_F_ACK);
}

static uint16_t clamp_mss(const struct tcp_opts *o)
{
    uint32_t m = o->has_mss ? o->mss : TCP_MSS_DEFAULT;
    if (m > TCP_MSS_LOCAL)
        m = TCP_MSS_LOCAL;
    if (m < TCP_MSS_MIN)
        m = TCP_MSS_MIN;
    return (uint16_t)m;
}

/* Options of a SYN decide what the connection may use. */
static void take_syn_options(struct atoll_tcp *c, const struct tcp_hdr *th, int active)
{
    const struct tcp_opts *o = &th->opt;
    c->mss = clamp_mss(o);
    c->ws_ok = o->has_wscale;
    if (c->ws_ok) {
        c->snd_wscale = o->wscale;
    } else {
        c->snd_wscale = 0;
        c->rcv_wscale = 0;
    }
    if (!active)
        c->rcv_wscale = c->ws_ok ? tcp_choose_wscale(&c->st->tcp) : 0;
    c->sack_ok = o->sack_perm;
    c->ts_ok = o->has_ts;
    if (c->ts_ok) {
        c->ts_recent = o->ts_val;
        c->ts_recent_at = c->st->now;
    }
    /* RFC 9293 3.7.1: leave room for options we will send in every segment. */
    if (c->ts_ok && c->mss > TCP_MSS_MIN + 12u)
        c->mss = (uint16_t)(c->mss - 12u);
    /* RFC 6928 initial window: min(10 * MSS, max(2 * MSS, 14600)). */
    uint32_t iw = 10u * c->mss;
    uint32_t cap = 2u * c->mss > 14600u ? 2u * c->mss : 14600u;
    c->cwnd = iw < cap ? iw : cap;
}

static void rtt_sample(struct atoll_tcp *c, uint32_t r)
{
    struct tcp_stack *ts = &c->st->tcp;
    /* RFC 6298 2.2 and 2.3, in milliseconds */
    if (c->srtt == 0 && c->rttvar == 0) {
        c->srtt = r ? r : 1u;
        c->rttvar = r / 2u;
    } else {
        uint32_t d = c->srtt > r ? c->srtt - r : r - c->srtt;
        c->rttvar = (3u * c->rttvar + d) / 4u;
        c->srtt = (7u * c->srtt + r) / 8u;
        if (c->srtt == 0)
            c->srtt = 1;
    }
    uint32_t k = 4u * c->rttvar;
    uint32_t rto = c->srtt + (k > 1u ? k : 1u);
    if (rto < ts->rto_min)
        rto = ts->rto_min;
    if (rto > TCP_RTO_MAX)
        rto = TCP_RTO_MAX;
    c->rto = rto;
}

/* The segment's data goes into the receive ring: in order, it extends the
 * readable bytes and may join out-of-order ranges already held; ahead of
 * rcv_nxt, it becomes (or merges into) a bounded list of ranges. */
static int receive_data(struct atoll_tcp *c, struct seg *s, uint32_t *fin_seq_ok)
{
    struct atoll_stack *st = c->st;
    struct tcp_stack *ts = &st->tcp;
    uint32_t seq = s->th.seq + s->th.syn;
    const uint8_t *d = s->data;
    uint32_t n = s->dlen;
    *fin_seq_ok = 0;
    /* Trim what we already have. */
    if (seq_lt(seq, c->rcv_nxt)) {
        uint32_t skip = seq_diff(c->rcv_nxt, seq);
        if (skip >= n) {
            if (n)
                CTR(st, TCP_DUP_DATA);
            *fin_seq_ok = s->th.fin && skip == n;
            return n ? 1 : 0;
        }
        d += skip;
        n -= skip;
        seq = c->rcv_nxt;
    }
    uint32_t off = seq_diff(seq, c->rcv_nxt);
    if (n == 0) {
        *fin_seq_ok = s->th.fin && off == 0;
        return 0;
    }
    if (c->discard_rx) {
        /* Lingering: in-order bytes are taken and dropped (no buffer);
         * out-of-order ones wait for their retransmission in order. */
        if (off == 0) {
            c->rcv_nxt = seq_add(c->rcv_nxt, n);
            *fin_seq_ok = s->th.fin;
        }
        return 1;
    }
    if (!tcp_rx_reserve(c)) {
        CTR(st, TCP_DROP_NO_BUFFER);
        return 1;
    }
    uint32_t space = ts->bufsize - c->rx_len;
    if (off >= space) {
        CTR(st, TCP_OOO_DROP);
        return 1;
    }
    int cut = 0;
    if (n > space - off) {
        n = space - off;
        cut = 1;
    }
    tcp_ring_write(ts, c->rxb, c->rx_head, c->rx_len + off, d, n);
    if (off == 0) {
        c->rx_len += n;
        c->rcv_nxt = seq_add(c->rcv_nxt, n);
        /* Absorb held ranges the new bytes reach. */
        uint32_t adv = n;
        uint8_t k = 0;
        for (uint8_t i = 0; i < c->nooo; i++) {
            struct tcp_range r = c->ooo[i];
            if (r.off <= adv) {
                uint32_t end = r.off + r.len;
                if (end > adv) {
                    uint32_t more = end - adv;
                    c->rx_len += more;
                    c->rcv_nxt = seq_add(c->rcv_nxt, more);
                    adv = end;
                }
            } else {
                c->ooo[k].off = r.off - adv;
                c->ooo[k].len = r.len;
                k++;
            }
        }
        c->nooo = k;
        /* The FIN follows this segment's own bytes; if held bytes joined
         * after them, the peer contradicts itself and the FIN waits. */
        *fin_seq_ok = s->th.fin && !cut && adv == n;
        c->delack_segs++;
        return adv > n || c->nooo > 0;
    }
    /* Out of order: merge into the sorted range list. */
    CTR(st, TCP_OOO_RX);
    uint32_t lo = off, hi = off + n;
    struct tcp_range out[TCP_OOO_RANGES + 1];
    uint8_t k = 0, placed = 0;
    for (uint8_t i = 0; i < c->nooo; i++) {
        struct tcp_range r = c->ooo[i];
        uint32_t rlo = r.off, rhi = r.off + r.len;
        if (rhi < lo) {
            out[k++] = r;
        } else if (hi < rlo) {
            if (!placed) {
                out[k].off = lo;
                out[k].len = hi - lo;
                k++;
                placed = 1;
            }
            out[k++] = r;
        } else {
            lo = rlo < lo ? rlo : lo;
            hi = rhi > hi ? rhi : hi;
        }
    }
    if (!placed) {
        out[k].off = lo;
        out[k].len = hi - lo;
        k++;
    }
    if (k > TCP_OOO_RANGES) {
        /* No room to remember it: the bytes stay unclaimed in the ring. */
        CTR(st, TCP_OOO_DROP);
        return 1;
    }
    memcpy(c->ooo, out, k * sizeof out[0]);
    c->nooo = k;
    return 1; /* out of order: acknowledge at once (RFC 5681 4.2) */
}

/* Acknowledgment processing for synchronized states (RFC 9293 3.10.7.4,
 * fifth check), for an ACK the FSM found in range. */
static void process_ack(struct atoll_tcp *c, struct seg *s, int *acked_fin)
{
    struct atoll_stack *st = c->st;
    uint32_t ack = s->th.ack;
    *acked_fin = 0;
    /* tcp_fsm_sync() has checked SEG.ACK against RFC 5961 5.2. */
    uint32_t wnd = (uint32_t)s->th.window << c->snd_wscale;
    int new_sack = c->sack_ok && s->th.opt.nsack > 0 && tcp_sack_update(c, &s->th.opt, ack);
    if (seq_lt(c->snd_una, ack)) {
        uint32_t acked = seq_diff(ack, c->snd_una);
        uint32_t tx_seq = tcp_tx_seq(c);
        uint32_t data_acked = seq_lt(tx_seq, ack) ? seq_diff(ack, tx_seq) : 0;
        if (data_acked > c->tx_len) {
            *acked_fin = c->fin_queued && data_acked == c->tx_len + 1u;
            data_acked = c->tx_len;
        }
        c->tx_head = (c->tx_head + data_acked) & (st->tcp.bufsize - 1u);
        c->tx_len -= data_acked;
        /* RTT: timestamps when both use them, else the timed segment. */
        if (c->ts_ok && s->th.opt.has_ts && s->th.opt.ts_ecr != 0) {
            uint32_t r = tcp_ts_now(c) - s->th.opt.ts_ecr;
            if (r < 600000u)
                rtt_sample(c, r);
        } else if (c->rtt_active && seq_lt(c->rtt_seq, ack)) {
            rtt_sample(c, (uint32_t)(st->now - c->rtt_start));
        }
        if (c->rtt_active && seq_lt(c->rtt_seq, ack))
            c->rtt_active = 0;
        /* Congestion control. */
        c->snd_una = ack;
        if (seq_lt(c->snd_nxt, c->snd_una))
            c->snd_nxt = c->snd_una;
        if (seq_lt(c->rexmit_next, c->snd_una))
            c->rexmit_next = c->snd_una;
        tcp_sack_trim(c);
        if (tcp_sack_reneged(c)) {
            /* The receiver dropped (or never had) bytes it SACKed: forget
             * every block, walk the holes from snd_una again, and resend
             * the first segment now rather than after a timeout (Linux
             * waits a little and then times out; the ACK is proof enough). */
            CTR(st, TCP_SACK_RENEGED);
            tcp_sack_clear(c);
            c->rexmit_next = c->snd_una;
            uint32_t n = c->tx_len < c->mss ? c->tx_len : c->mss;
            uint32_t out = tcp_flight(c);
            if (n > out)
                n = out;
            if (n) {
                tcp_send_segment(c, c->snd_una, TCP_F_ACK, 0, n);
                CTR(st, TCP_REXMIT);
                c->rexmit_next = seq_add(c->snd_una, n);
            }
        }
        if (c->in_recovery) {
            if (seq_lt(ack, c->recover)) {
                if (!c->sack_ok) {
                    /* RFC 6582 3.2 step 5: partial ACK, resend the next hole. */
                    c->cwnd = c->cwnd > acked ? c->cwnd - acked + c->mss : c->mss;
                    uint32_t n = c->tx_len < c->mss ? c->tx_len : c->mss;
                    if (n)
                        tcp_send_segment(c, c->snd_una, TCP_F_ACK, 0, n);
                    CTR(st, TCP_REXMIT);
                }
            } else {
                uint32_t flight = seq_diff(c->snd_max, ack);
                c->cwnd = c->ssthresh < flight + c->mss ? c->ssthresh : flight + c->mss;
                c->in_recovery = 0;
            }
        } else if (c->cwnd < c->ssthresh) {
            c->cwnd += acked < c->mss ? acked : c->mss;
        } else {
            uint32_t inc = (uint32_t)((uint64_t)c->mss * c->mss / (c->cwnd ? c->cwnd : 1u));
            c->cwnd += inc ? inc : 1u;
        }
        c->dupacks = 0;
        c->backoff = 0;
        if (c->snd_una == c->snd_max) {
            c->t_rexmt = ATOLL_NO_DEADLINE;
        } else {
            tcp_arm_rexmt(c);
        }
        if (c->want_writable && atoll_tcp_writable(c) > 0)
            c->want_writable = 2; /* tell the owner after processing */
        tcp_buffers_trim(c);
    } else if (ack == c->snd_una && tcp_flight(c) > 0 && !s->th.syn && !s->th.fin
               && (new_sack || (!c->sack_ok && s->dlen == 0 && wnd == c->snd_wnd))) {
        /* A duplicate ACK: RFC 6675's (new SACK information, data allowed)
         * with SACK, RFC 5681's otherwise. */
        CTR(st, TCP_DUP_ACK);
        c->dupacks++;
        /* RFC 5827 early retransmit: with few segments out, fewer
         * duplicates can ever arrive. */
        uint32_t segs = (tcp_flight(c) + c->mss - 1u) / c->mss;
        uint32_t thresh = segs > 3u ? 3u : (segs > 1u ? segs - 1u : 1u);
        int lost = c->sack_ok && tcp_sack_is_lost(c, c->snd_una);
        if ((c->dupacks >= thresh || lost) && !c->in_recovery && seq_leq(c->recover, ack)) {
            /* RFC 6675 5 (4.2) and RFC 5681 eq. 4: half the FlightSize,
             * everything sent and not cumulatively acknowledged. Half the
             * pipe (the SACKed and lost bytes taken off) halved the
             * window a second time at every loss. */
            uint32_t half = seq_diff(c->snd_max, c->snd_una) / 2u;
            c->ssthresh = half > 2u * c->mss ? half : 2u * c->mss;
            c->recover = c->snd_max;
            c->in_recovery = 1;
            c->rtt_active = 0;
            CTR(st, TCP_FAST_REXMIT);
            uint32_t n = c->tx_len < c->mss ? c->tx_len : c->mss;
            if (n)
                tcp_send_segment(c, c->snd_una, TCP_F_ACK, 0, n);
            c->rexmit_next = seq_add(c->snd_una, n);
            c->rexmit_hi = c->snd_max;
            c->cwnd = c->sack_ok ? c->ssthresh : c->ssthresh + 3u * c->mss;
        } else if (c->in_recovery && !c->sack_ok) {
            c->cwnd += c->mss;
        }
    }
    if (c->in_recovery && c->sack_ok && new_sack && tcp_sack_rexmit_lost(c)) {
        CTR(st, TCP_REXMIT_LOST);
        c->rexmit_next = c->snd_una;
        c->rexmit_hi = c->snd_max;
    }
    if (c->in_recovery && c->sack_ok)
        tcp_sack_recover(c);
    /* Window update (RFC 9293 3.10.7.4): only from newer segments. */
    if (seq_lt(c->snd_wl1, s->th.seq) || (c->snd_wl1 == s->th.seq && seq_leq(c->snd_wl2, ack))) {
        c->snd_wnd = wnd;
        c->snd_wl1 = s->th.seq;
        c->snd_wl2 = ack;
        if (wnd > c->max_snd_wnd)
            c->max_snd_wnd = wnd;
        if (wnd > 0) {
            /* The window opened: the next zero window is probed from the
             * start again (Linux's tcp_ack_probe does the same). */
            c->t_persist = ATOLL_NO_DEADLINE;
            c->persist_shift = 0;
        }
    }
}

/* ---- SYN cookies (RFC 4987 3.6) ----
 * When the half-open table is full, the SYN-ACK's ISN carries the state:
 * 5 bits of a 64 s clock, 3 bits of MSS class, 24 bits of keyed hash over
 * the 4-tuple, the clock and the client's ISN. Window scale and SACK ride
 * in the low bits of our timestamp when the client uses timestamps;
 * without timestamps they are honestly lost (plain windows, no SACK). */
static const uint16_t cookie_mss[8] = {88, 536, 1024, 1200, 1300, 1380, 1440, 1460};

static uint32_t cookie_hash(const struct atoll_stack *st, uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport,
                            uint32_t t, uint32_t client_isn)
{
    uint8_t b[20];
    uint32_t w[5] = {lip, rip, (uint32_t)lport << 16 | rport, t, client_isn};
    for (int i = 0; i < 5; i++) {
        b[4 * i] = (uint8_t)(w[i] >> 24);
        b[4 * i + 1] = (uint8_t)(w[i] >> 16);
        b[4 * i + 2] = (uint8_t)(w[i] >> 8);
        b[4 * i + 3] = (uint8_t)w[i];
    }
    return (uint32_t)tcp_siphash(st->tcp.secret, b, sizeof b) & 0xffffffu;
}

static uint32_t cookie_clock(uint64_t now)
{
    return (uint32_t)(now / 64000u) % 32u;
}

static void syn_cookie_reply(struct atoll_stack *st, struct seg *s)
{
    const struct tcp_hdr *th = &s->th;
    struct atoll_tcp tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.st = st;
    tmp.lip = s->ih->dst;
    tmp.lport = th->dport;
    tmp.rip = s->ih->src;
    tmp.rport = th->sport;
    tmp.rcv_nxt = seq_add(th->seq, 1);
    uint32_t want = th->opt.has_mss ? th->opt.mss : TCP_MSS_DEFAULT;
    uint32_t idx = 0;
    for (uint32_t i = 0; i < 8u; i++)
        if (cookie_mss[i] <= want)
            idx = i;
    uint32_t t = cookie_clock(st->now);
    tmp.iss = (t * 8u + idx) << 24 | cookie_hash(st, tmp.lip, tmp.lport, tmp.rip, tmp.rport, t, th->seq);
    tmp.state = TCPS_SYN_RECEIVED;
    tmp.ws_ok = th->opt.has_wscale;
    tmp.rcv_wscale = tmp.ws_ok ? tcp_choose_wscale(&st->tcp) : 0;
    tmp.sack_ok = th->opt.sack_perm;
    tmp.ts_ok = th->opt.has_ts;
    tmp.ts_recent = th->opt.ts_val;
    if (tmp.ts_ok) {
        /* ts_val = clock with the low 6 bits replaced: 1 valid, 1 SACK, 4 wscale */
        uint32_t enc = 32u | (tmp.sack_ok ? 16u : 0u) | (tmp.ws_ok ? th->opt.wscale & 15u : 15u);
        tmp.ts_offset = ((uint32_t)st->now & ~63u) + enc - (uint32_t)st->now;
    }
    st->tcp.last_cookie_at = st->now;
    st->tcp.cookies_sent = 1;
    CTR(st, TCP_SYN_COOKIE_TX);
    tcp_send_flags(&tmp, tmp.iss, TCP_F_SYN | TCP_F_ACK);
}

/* An ACK for a listener with no connection: maybe the end of a cookie
 * handshake. Returns the new connection, or NULL. */
static struct atoll_tcp *syn_cookie_check(struct atoll_stack *st, struct seg *s)
{
    const struct tcp_hdr *th = &s->th;
    uint32_t cookie = th->ack - 1u;
    uint32_t client_isn = th->seq - 1u;
    uint32_t t = cookie >> 27, idx = (cookie >> 24) & 7u;
    /* Only while cookies are in use: otherwise every blind ACK would be a
     * 1 in 2^24 chance at a connection. */
    if (!st->tcp.cookies_sent || st->now - st->tcp.last_cookie_at > 128000u)
        return NULL;
    uint32_t now_t = cookie_clock(st->now);
    if (t != now_t && t != (now_t + 31u) % 32u)
        return NULL;
    if ((cookie & 0xffffffu) != cookie_hash(st, s->ih->dst, th->dport, s->ih->src, th->sport, t, client_isn))
        return NULL;
    struct atoll_tcp *c = tcp_alloc(st, s->ih->dst, th->dport, s->ih->src, th->sport);
    if (!c)
        return NULL;
    c->passive = 1;
    c->irs = client_isn;
    c->rcv_nxt = th->seq;
    c->iss = cookie;
    c->recover = cookie;
    c->snd_una = th->ack;
    c->snd_nxt = th->ack;
    c->snd_max = th->ack;
    c->mss = cookie_mss[idx];
    c->ts_offset = (uint32_t)stack_rand(st);
    if (th->opt.has_ts && (th->opt.ts_ecr & 32u)) {
        uint32_t enc = th->opt.ts_ecr & 63u;
        c->ts_ok = 1;
        /* Our clock continues from the cookie's timestamp: the peer's PAWS
         * would drop anything that went back. */
        c->ts_offset = th->opt.ts_ecr - (uint32_t)st->now + 64u;
        c->ts_recent = th->opt.ts_val;
        c->ts_recent_at = st->now;
        c->sack_ok = (enc & 16u) != 0;
        if ((enc & 15u) != 15u) {
            c->ws_ok = 1;
            c->snd_wscale = (uint8_t)((enc & 15u) > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : (enc & 15u));
            c->rcv_wscale = tcp_choose_wscale(&st->tcp);
        }
        if (c->mss > TCP_MSS_MIN + 12u)
            c->mss = (uint16_t)(c->mss - 12u);
    }
    uint32_t iw = 10u * c->mss;
    c->cwnd = iw < 14600u ? iw : 14600u;
    c->snd_wnd = (uint32_t)th->window << c->snd_wscale;
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = th->seq;
    c->snd_wl2 = th->ack;
    /* What our SYN-ACK offered: the whole buffer, unscaled. */
    uint32_t w0 = st->tcp.bufsize > 65535u ? 65535u : st->tcp.bufsize;
    c->rcv_adv = seq_add(c->rcv_nxt, w0);
    c->last_ack_sent = c->rcv_nxt;
    c->state = TCPS_ESTABLISHED;
    CTR(st, TCP_SYN_COOKIE_OK);
    CTR(st, TCP_CONN_OPEN);
    return c;
}

static void fsm_in(const struct atoll_tcp *c, uint8_t state, const struct seg *s, struct tcp_fsm_in *in)
{
    memset(in, 0, sizeof *in);
    in->state = state;
    in->syn = s->th.syn;
    in->ack = s->th.ackf;
    in->rst = s->th.rst;
    in->seq = s->th.seq;
    in->ackno = s->th.ack;
    in->len = s->len;
    if (c) {
        in->passive = c->passive;
        in->fin_queued = c->fin_queued;
        in->iss = c->iss;
        in->irs = c->irs;
        in->snd_una = c->snd_una;
        in->snd_max = c->snd_max;
        in->rcv_nxt = c->rcv_nxt;
        in->rcv_wnd = seq_lt(c->rcv_nxt, c->rcv_adv) ? seq_diff(c->rcv_adv, c->rcv_nxt) : 0;
        in->max_snd_wnd = c->max_snd_wnd;
    }
}

/* A SYN for a listener: a new connection in SYN-RECEIVED. */
static void on_listen(struct atoll_stack *st, const struct tcp_listener *l, struct seg *s)
{
    const struct tcp_hdr *th = &s->th;
    struct tcp_fsm_in in;
    uint8_t next;
    fsm_in(NULL, TCPS_LISTEN, s, &in);
    int act = tcp_fsm_listen(&in, &next);
    if (act == TA_RST && !th->syn) {
        /* The one exception to LISTEN's "ACK -> RST": the ACK that
         * completes a SYN-cookie handshake (RFC 4987 3.6). */
        struct atoll_tcp *c = syn_cookie_check(st, s);
        if (c) {
            c->listener = (uint16_t)(l - st->tcp.listeners + 1);
            if (l->fn)
                l->fn(l->user, c);
            else
                atoll_tcp_close(c, st->now); /* nobody to take it: FIN, then an orphan's bounds */
            if (!c->used || c->state == TCPS_CLOSED)
                return;
            /* The ACK may carry data or a FIN: process it as established. */
            on_synchronized(c, s);
            return;
        }
        if (st->tcp.cookies_sent)
            CTR(st, TCP_SYN_COOKIE_BAD);
    }
    if (act == TA_RST) {
        tcp_send_rst_for(st, s->ih, th, s->len);
        return;
    }
    if (act != TA_NEW) {
        CTR(st, TCP_DROP_NO_CONN);
        return;
    }
    struct atoll_tcp *c = NULL;
    if (st->tcp.half_open < TCP_HALF_OPEN_MAX)
        c = tcp_alloc(st, s->ih->dst, th->dport, s->ih->src, th->sport);
    if (!c) {
        /* Out of half-open room: answer statelessly. */
        syn_cookie_reply(st, s);
        return;
    }
    c->passive = 1;
    c->listener = (uint16_t)(l - st->tcp.listeners + 1);
    c->irs = th->seq;
    c->rcv_nxt = seq_add(th->seq, 1);
    c->iss = tcp_isn(st->tcp.secret, c->lip, c->lport, c->rip, c->rport, st->now);
    c->recover = c->iss;
    c->rcv_adv = c->rcv_nxt;
    c->snd_una = c->iss;
    c->snd_nxt = seq_add(c->iss, 1);
    c->snd_max = c->snd_nxt;
    c->ts_offset = (uint32_t)stack_rand(st);
    take_syn_options(c, th, 0);
    c->snd_wnd = th->window; /* never scaled in a SYN */
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = th->seq;
    c->snd_wl2 = c->iss;
    tcp_set_state(c, TCPS_SYN_RECEIVED);
    tcp_send_flags(c, c->iss, TCP_F_SYN | TCP_F_ACK);
    tcp_arm_rexmt(c);
}

static void on_syn_sent(struct atoll_tcp *c, struct seg *s)
{
    struct atoll_stack *st = c->st;
    const struct tcp_hdr *th = &s->th;
    struct tcp_fsm_in in;
    uint8_t next;
    fsm_in(c, c->state, s, &in);
    int act = tcp_fsm_syn_sent(&in, &next);
    if (act == TA_RST) {
        tcp_send_rst_for(st, s->ih, th, s->len);
        return;
    }
    if (act == TA_RESET) {
        CTR(st, TCP_RST_RX);
        tcp_drop(c, 0, ATOLL_CTR_TCP_CONN_RESET); /* connection refused */
        return;
    }
    if (act != TA_ESTABLISH && act != TA_SYNACK)
        return;
    c->irs = th->seq;
    c->rcv_nxt = seq_add(th->seq, 1);
    c->rcv_adv = c->rcv_nxt;
    take_syn_options(c, th, 1);
    c->snd_wnd = th->window; /* never scaled in a SYN */
    c->max_snd_wnd = c->snd_wnd;
    c->snd_wl1 = th->seq;
    c->snd_wl2 = th->ack;
    if (act == TA_ESTABLISH) {
        c->snd_una = th->ack;
        c->t_rexmt = ATOLL_NO_DEADLINE;
        c->backoff = 0;
        tcp_set_state(c, next);
        CTR(st, TCP_CONN_OPEN);
        c->ack_now = 1;
        tcp_output(c);
        if (!tcp_notify(c, ATOLL_TCP_CONNECTED))
            return;
        if (c->tx_len)
            tcp_output(c);
        return;
    }
    /* Simultaneous open (RFC 9293 figure 7). */
    tcp_set_state(c, next);
    tcp_send_flags(c, c->iss, TCP_F_SYN | TCP_F_ACK);
    tcp_arm_rexmt(c);
}

static void on_synchronized(struct atoll_tcp *c, struct seg *s)
{
    struct atoll_stack *st = c->st;
    const struct tcp_hdr *th = &s->th;

    /* PAWS (RFC 7323 5.3) comes before the acceptability test; it only
     * ever drops (with an ACK), never changes state. */
    if (c->ts_ok && th->opt.has_ts && !th->rst && seq_lt(th->opt.ts_val, c->ts_recent)) {
        if (st->now - c->ts_recent_at > 24ull * 24u * 3600u * 1000u) {
            c->ts_recent = th->opt.ts_val;
        } else {
            CTR(st, TCP_DROP_PAWS);
            if ((s->len == 0 || th->syn) && oow_ack_limited(c))
                return; /* rate-limited as below */
            c->ack_now = 1;
            tcp_output(c);
            return;
        }
    }
    struct tcp_fsm_in in;
    uint8_t next;
    fsm_in(c, c->state, s, &in);
    int act = tcp_fsm_sync(&in, &next);
    if (act == TA_ACK) {
        if (th->ackf && seq_lt(c->snd_max, th->ack))
            CTR(st, TCP_DROP_BAD_ACK);
        else
            CTR(st, TCP_DROP_NOT_ACCEPTABLE);
        /* As Linux: segments carrying data or a FIN are answered every
         * time (a retransmission whose ACK was lost, a window probe);
         * only empty ones, what an ACK loop or a blind flood is made of,
         * are rate-limited. */
        if ((s->len == 0 || th->syn) && oow_ack_limited(c))
            return;
        c->ack_now = 1;
        tcp_output(c);
        return;
    }
    if (act == TA_DROP) {
        st->ctr.v[th->rst ? ATOLL_CTR_TCP_DROP_NOT_ACCEPTABLE : ATOLL_CTR_TCP_DROP_NO_ACK]++;
        return;
    }
    if (act == TA_CHALLENGE) {
        if (th->rst)
            CTR(st, TCP_RST_IGNORED);
        else if (!th->syn)
            CTR(st, TCP_DROP_BAD_ACK);
        challenge_ack(c);
        return;
    }
    if (act == TA_RST) {
        tcp_send_rst_for(st, s->ih, th, s->len);
        return;
    }
    if (act == TA_SYNACK) {
        tcp_send_flags(c, c->iss, TCP_F_SYN | TCP_F_ACK);
        return;
    }
    if (act == TA_RELEASE || act == TA_CLOSE || act == TA_RESET) {
        CTR(st, TCP_RST_RX);
        if (act == TA_RELEASE)
            tcp_release(c); /* back to LISTEN: the listener never saw it */
        else if (act == TA_CLOSE)
            tcp_closed_normally(c);
        else
            tcp_drop(c, 0, ATOLL_CTR_TCP_CONN_RESET);
        return;
    }
    /* TA_ESTABLISH or TA_PROCESS. With a zero window the segment got here
     * for its ACK alone: its text and FIN are not taken. */
    if (in.rcv_wnd == 0 && s->len > 0) {
        if (!th->rst)
            c->ack_now = 1;
        s->dlen = 0;
        s->len = 0;
        s->th.fin = 0;
    }
    /* Record the timestamp to echo (RFC 7323 4.3). */
    if (c->ts_ok && th->opt.has_ts && seq_leq(th->seq, c->last_ack_sent)) {
        c->ts_recent = th->opt.ts_val;
        c->ts_recent_at = st->now;
    }
    /* The peer is alive: keep-alive starts over. */
    if (c->ka_idle) {
        c->ka_probes = 0;
        c->t_keep = st->now + c->ka_idle;
    }
    if (act == TA_ESTABLISH) {
        c->snd_una = th->ack;
        c->t_rexmt = ATOLL_NO_DEADLINE;
        c->backoff = 0;
        c->snd_wnd = (uint32_t)th->window << c->snd_wscale;
        c->max_snd_wnd = c->snd_wnd;
        c->snd_wl1 = th->seq;
        c->snd_wl2 = th->ack;
        tcp_set_state(c, next);
        CTR(st, TCP_CONN_OPEN);
        if (c->passive && c->listener) {
            const struct tcp_listener *l = &st->tcp.listeners[c->listener - 1u];
            if (l->port == c->lport && l->fn)
                l->fn(l->user, c);
            else
                atoll_tcp_close(c, st->now); /* the listener went away: FIN, then an orphan's bounds */
            if (!c->used || c->state == TCPS_CLOSED)
                return;
        } else if (!tcp_notify(c, ATOLL_TCP_CONNECTED)) {
            return;
        }
    }
    int acked_fin = 0;
    process_ack(c, s, &acked_fin);
    /* URG: the urgent pointer is never trusted; urgent bytes are ordinary
     * data (RFC 6093 recommends exactly that for new applications). */

    /* Segment text (sixth and seventh checks). */
    uint8_t state = c->state;
    int readable = 0;
    uint32_t fin_ok = 0;
    if (state == TCPS_ESTABLISHED || state == TCPS_FIN_WAIT_1 || state == TCPS_FIN_WAIT_2) {
        if (s->dlen > 0 && c->orphan && !c->discard_rx) {
            /* Data for a connection nobody will read (RFC 1122 4.2.2.13). */
            tcp_drop(c, 1, ATOLL_CTR_TCP_CONN_RESET);
            return;
        }
        uint32_t before = c->rx_len;
        if (receive_data(c, s, &fin_ok))
            c->ack_now = 1;
        if (c->delack_segs >= 2)
            c->ack_now = 1;
        else if (c->rx_len > before && c->t_delack == ATOLL_NO_DEADLINE)
            c->t_delack = st->now + TCP_DELACK_MS;
        readable = c->rx_len > before;
    } else if (s->th.fin) {
        fin_ok = seq_add(th->seq, s->dlen) == c->rcv_nxt;
    }
    /* FIN (eighth check). */
    uint8_t fin_in = 0;
    if (s->th.fin && fin_ok && !c->fin_rcvd) {
        c->rcv_nxt = seq_add(c->rcv_nxt, 1);
        c->fin_rcvd = 1;
        c->ack_now = 1;
        readable = 1;
        fin_in = 1;
    } else if (s->th.fin && c->fin_rcvd) {
        c->ack_now = 1; /* a retransmitted FIN: ACK again */
    }
    next = tcp_fsm_after(state, acked_fin ? 1u : 0u, fin_in);
    if (next == TCPS_TIME_WAIT) {
        tcp_output(c);
        /* The owner sees the last bytes and the EOF before CLOSED. */
        if (readable && !tcp_notify(c, ATOLL_TCP_READABLE))
            return;
        if (c->rx_len > 0 && !c->orphan) {
            /* Unread bytes: keep the full block in TIME-WAIT until they are
             * read (atoll_tcp_recv) or 2 MSL pass (conn_timers). */
            tcp_set_state(c, TCPS_TIME_WAIT);
            c->t_rexmt = c->t_persist = c->t_delack = ATOLL_NO_DEADLINE;
            c->t_idle = st->now + 2u * TCP_MSL_MS;
            return;
        }
        tcp_enter_time_wait(c);
        return;
    }
    if (next == TCPS_CLOSED) {
        tcp_closed_normally(c);
        return;
    }
    if (next != state) {
        tcp_set_state(c, next);
        if (next == TCPS_FIN_WAIT_2 && c->orphan && !c->discard_rx)
            c->t_idle = st->now + TCP_FIN_WAIT_2_MS;
    }
    tcp_output(c);
    if (!c->used)
        return;
    if (readable && !tcp_notify(c, ATOLL_TCP_READABLE))
        return;
    if (c->want_writable == 2) {
        c->want_writable = 0;
        tcp_notify(c, ATOLL_TCP_WRITABLE);
    }
}

/* A segment for a 4-tuple in TIME-WAIT (RFC 9293 3.10.7.4 and RFC 6191). */
static int on_time_wait(struct atoll_stack *st, struct seg *s)
{
    struct tcp_stack *ts = &st->tcp;
    const struct tcp_hdr *th = &s->th;
    for (int i = 0; i < TCP_TW_SLOTS; i++) {
        struct tcp_tw *t = &ts->tw[i];
        if (!t->used || t->lport != th->dport || t->rport != th->sport || t->rip != s->ih->src
            || t->lip != s->ih->dst)
            continue;
        if (st->now >= t->expires) {
            t->used = 0;
            return 0;
        }
        if (th->syn && !th->ackf && !th->rst && seq_lt(t->rcv_nxt, th->seq)) {
            /* A new incarnation beyond the old sequence space may reuse the pair. */
            CTR(st, TCP_TW_REUSE);
            t->used = 0;
            return 0;
        }
        if (th->rst)
            return 1; /* RFC 1337: ignore RST in TIME-WAIT */
        if (th->fin || s->dlen || th->syn) {
            /* Re-ACK (the peer lost our last ACK) and restart 2MSL. */
            struct tcp_hdr h;
            memset(&h, 0, sizeof h);
            h.sport = t->lport;
            h.dport = t->rport;
            h.seq = t->snd_nxt;
            h.ack = t->rcv_nxt;
            h.ackf = 1;
            if (t->ts_ok) {
                h.opt.has_ts = 1;
                h.opt.ts_val = (uint32_t)st->now + t->ts_offset;
                h.opt.ts_ecr = th->opt.has_ts ? th->opt.ts_val : t->ts_recent;
            }
            int n = tcp_emit(st->tx, sizeof st->tx, t->lip, t->rip, &h, 0);
            if (n > 0) {
                CTR(st, TCP_SEG_TX);
                ipv4_output(st, t->lip, t->rip, IPV4_PROTO_TCP, (size_t)n);
            }
            if (th->fin)
                t->expires = st->now + 2u * TCP_MSL_MS;
        }
        return 1;
    }
    return 0;
}

void tcp_input(struct atoll_stack *st, const struct ipv4_hdr *ih, const uint8_t *p, size_t len)
{
    struct seg s;
    CTR(st, TCP_RX);
    if (ih->dst != st->ip || st->ip == 0) {
        CTR(st, TCP_DROP_BCAST);
        return;
    }
    int r = tcp_parse(p, len, ih->src, ih->dst, &s.th);
    if (r < 0) {
        count_parse_error(st, r);
        return;
    }
    if (s.th.sport == 0 || s.th.dport == 0) {
        /* Port 0 names no endpoint: nothing to answer. */
        CTR(st, TCP_DROP_PORT0);
        return;
    }
    s.ih = ih;
    s.data = p + r;
    s.dlen = (uint32_t)(len - (size_t)r);
    s.len = s.dlen + s.th.syn + s.th.fin;

    struct atoll_tcp *c = tcp_lookup(st, ih->dst, s.th.dport, ih->src, s.th.sport);
    if (c) {
        if (c->state == TCPS_SYN_SENT)
            on_syn_sent(c, &s);
        else
            on_synchronized(c, &s);
        return;
    }
    if (on_time_wait(st, &s))
        return;
    for (int i = 0; i < TCP_LISTENERS; i++) {
        const struct tcp_listener *l = &st->tcp.listeners[i];
        if (l->port != 0 && l->port == s.th.dport) {
            on_listen(st, l, &s);
            return;
        }
    }
    /* CLOSED (RFC 9293 3.10.7.1). */
    CTR(st, TCP_DROP_NO_CONN);
    tcp_send_rst_for(st, ih, &s.th, s.len);
}
