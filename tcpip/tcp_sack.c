/* SPDX-License-Identifier: Apache-2.0 */
/* The SACK scoreboard and loss recovery of RFC 6675: which bytes above
 * SND.UNA the peer holds, which holes are deemed lost (DupThresh segments
 * SACKed above them), the pipe estimate, and the choice of what to
 * (re)send next during recovery. */
#include "tcpip/stack.h"
#include "tcpip/tcp.h"
#include "tcpip/tcp_seq.h"

#define DUP_THRESH 3u

/* Merges the peer's blocks, each checked to lie wholly above both SND.UNA
 * and the segment's own cumulative ACK and at or below SND.MAX. A block
 * that starts at or below the ACK it rides with contradicts it (the
 * receiver would have acknowledged those bytes): D-SACK, or a receiver
 * reporting what it does not hold, and either way no news about the bytes
 * above SND.UNA. Returns 1 if any byte was newly SACKed: an RFC 6675
 * DupAck. */
int tcp_sack_update(struct atoll_tcp *c, const struct tcp_opts *o, uint32_t ack)
{
    int fresh = 0;
    uint32_t floor = seq_lt(ack, c->snd_una) ? c->snd_una : ack;
    for (uint8_t b = 0; b < o->nsack; b++) {
        uint32_t l = o->sack_left[b], r = o->sack_right[b];
        if (!seq_lt(l, r) || !seq_lt(floor, l) || seq_lt(c->snd_max, r))
            continue; /* empty, old or contradicting the ACK, or beyond what we sent */
        /* Merge into the sorted, disjoint list. */
        uint32_t nl[TCP_SACK_RANGES + 1], nr[TCP_SACK_RANGES + 1];
        uint8_t k = 0, placed = 0;
        uint32_t before = 0, after = 0;
        for (uint8_t i = 0; i < c->nsb; i++)
            before += seq_diff(c->sb_r[i], c->sb_l[i]);
        for (uint8_t i = 0; i < c->nsb; i++) {
            uint32_t il = c->sb_l[i], ir = c->sb_r[i];
            if (seq_lt(ir, l)) {
                nl[k] = il;
                nr[k++] = ir;
            } else if (seq_lt(r, il)) {
                if (!placed) {
                    nl[k] = l;
                    nr[k++] = r;
                    placed = 1;
                }
                nl[k] = il;
                nr[k++] = ir;
            } else {
                if (seq_lt(il, l))
                    l = il;
                if (seq_lt(r, ir))
                    r = ir;
            }
        }
        if (!placed) {
            nl[k] = l;
            nr[k++] = r;
        }
        /* Full: forget the highest ranges; they will be SACKed again. */
        if (k > TCP_SACK_RANGES)
            k = TCP_SACK_RANGES;
        for (uint8_t i = 0; i < k; i++) {
            c->sb_l[i] = nl[i];
            c->sb_r[i] = nr[i];
            after += seq_diff(nr[i], nl[i]);
        }
        c->nsb = k;
        if (after > before)
            fresh = 1;
    }
    return fresh;
}

/* The cumulative ACK moved: drop what it covers. */
void tcp_sack_trim(struct atoll_tcp *c)
{
    uint8_t k = 0;
    for (uint8_t i = 0; i < c->nsb; i++) {
        if (seq_leq(c->sb_r[i], c->snd_una))
            continue;
        c->sb_l[k] = seq_lt(c->sb_l[i], c->snd_una) ? c->snd_una : c->sb_l[i];
        c->sb_r[k] = c->sb_r[i];
        k++;
    }
    c->nsb = k;
}

void tcp_sack_clear(struct atoll_tcp *c)
{
    c->nsb = 0;
}

/* After the cumulative ACK moved: a remembered block now starting at
 * SND.UNA means the receiver no longer holds what it SACKed (RFC 2018 8
 * allows it to renege; a lying receiver looks the same), or it would have
 * acknowledged past it. Returns 1 when that happened. */
int tcp_sack_reneged(const struct atoll_tcp *c)
{
    return c->nsb > 0 && c->sb_l[0] == c->snd_una;
}

/* Where sending from seq should resume: past the SACKed block that holds
 * seq, if any, but never beyond `limit`. */
uint32_t tcp_sack_skip(const struct atoll_tcp *c, uint32_t seq, uint32_t limit)
{
    for (uint8_t i = 0; i < c->nsb; i++) {
        if (seq_leq(c->sb_l[i], seq) && seq_lt(seq, c->sb_r[i]))
            return seq_lt(limit, c->sb_r[i]) ? limit : c->sb_r[i];
    }
    return seq;
}

static uint32_t sacked_above(const struct atoll_tcp *c, uint32_t seq)
{
    uint32_t n = 0;
    for (uint8_t i = 0; i < c->nsb; i++)
        if (seq_leq(seq, c->sb_l[i]))
            n += seq_diff(c->sb_r[i], c->sb_l[i]);
    return n;
}

/* RFC 6675 IsLost(): at least DupThresh segments' worth SACKed above. */
int tcp_sack_is_lost(const struct atoll_tcp *c, uint32_t seq)
{
    return c->nsb > 0 && sacked_above(c, seq) >= DUP_THRESH * c->mss;
}

/* The holes below the highest SACKed byte, walked in order: start of the
 * first hole at or after `from`, and its length; 0 when there is none. */
uint32_t tcp_sack_hole(const struct atoll_tcp *c, uint32_t from, uint32_t *start)
{
    uint32_t s = seq_lt(from, c->snd_una) ? c->snd_una : from;
    for (uint8_t i = 0; i < c->nsb; i++) {
        if (seq_leq(c->sb_r[i], s))
            continue;
        if (seq_lt(s, c->sb_l[i])) {
            *start = s;
            return seq_diff(c->sb_l[i], s);
        }
        s = c->sb_r[i]; /* inside a SACKed range: skip past it */
    }
    return 0;
}

/* RFC 6675 SetPipe(): bytes believed in flight, counted only in
 * [SND.UNA, SND.NXT). After a retransmission timeout SND.NXT goes back
 * to SND.UNA while the scoreboard keeps what the peer SACKed up to
 * SND.MAX: bytes above SND.NXT are not in flight whatever the scoreboard
 * says (SACKed: they arrived; the rest: presumed lost by the timeout and
 * sent again as SND.NXT advances), so neither do SACKed bytes there come
 * off the pipe. Every term subtracted lies inside [SND.UNA, SND.NXT) and
 * the ranges are disjoint, so pipe <= flight always holds. */
uint32_t tcp_pipe(const struct atoll_tcp *c)
{
    uint32_t flight = tcp_flight(c);
    if (!c->sack_ok || c->nsb == 0)
        return flight;
    uint32_t nxt = c->snd_nxt;
    uint32_t pipe = flight;
    for (uint8_t i = 0; i < c->nsb; i++) {
        uint32_t l = c->sb_l[i], r = seq_lt(nxt, c->sb_r[i]) ? nxt : c->sb_r[i];
        if (seq_lt(l, r)) {
            uint32_t n = seq_diff(r, l);
            pipe = pipe > n ? pipe - n : 0;
        }
    }
    /* Lost holes not yet retransmitted have left the network. */
    uint32_t at = c->snd_una, hs;
    for (int guard = 0; guard <= TCP_SACK_RANGES; guard++) {
        uint32_t len = tcp_sack_hole(c, at, &hs);
        if (len == 0 || !seq_lt(hs, nxt))
            break;
        uint32_t end = seq_add(hs, len);
        if (seq_lt(nxt, end))
            end = nxt;
        if (tcp_sack_is_lost(c, hs)) {
            uint32_t from = seq_lt(hs, c->rexmit_next) ? c->rexmit_next : hs;
            uint32_t unsent = seq_lt(from, end) ? seq_diff(end, from) : 0;
            pipe = pipe > unsent ? pipe - unsent : 0;
        }
        at = seq_add(hs, len);
    }
    return pipe;
}

/* Retransmits lost holes while the pipe has room (RFC 6675 NextSeg rule
 * 1); returns 1 when nothing lost is left, so new data may follow. */
int tcp_sack_recover(struct atoll_tcp *c)
{
    struct atoll_stack *st = c->st;
    for (int guard = 0; guard < 64; guard++) {
        if (tcp_pipe(c) >= c->cwnd)
            return 0;
        uint32_t hs;
        uint32_t len = tcp_sack_hole(c, c->rexmit_next, &hs);
        if (len == 0 || !tcp_sack_is_lost(c, hs))
            return 1;
        uint32_t n = len < c->mss ? len : c->mss;
        uint32_t off = seq_diff(hs, tcp_tx_seq(c));
        if (off + n > c->tx_len)
            n = off < c->tx_len ? c->tx_len - off : 0;
        if (n == 0)
            return 1;
        tcp_send_segment(c, hs, TCP_F_ACK, off, n);
        CTR(st, TCP_REXMIT);
        c->rexmit_next = seq_add(hs, n);
        c->rexmit_hi = c->snd_max;
    }
    return 0;
}

/* A retransmission lost in its turn: RFC 6675 would wait for the timer
 * (200 ms at least, doubling). But when DupThresh segments' worth that
 * went out after the last retransmission are SACKed while SND.UNA still
 * sits below it, that retransmission is gone (Linux's RACK reasons the
 * same way, per segment and by time): the holes are walked again. */
int tcp_sack_rexmit_lost(const struct atoll_tcp *c)
{
    if (!seq_lt(c->snd_una, c->rexmit_next))
        return 0;
    uint32_t n = 0;
    for (uint8_t i = 0; i < c->nsb; i++) {
        uint32_t l = seq_lt(c->sb_l[i], c->rexmit_hi) ? c->rexmit_hi : c->sb_l[i];
        if (seq_lt(l, c->sb_r[i]))
            n += seq_diff(c->sb_r[i], l);
    }
    return n >= DUP_THRESH * c->mss;
}
