/* SPDX-License-Identifier: Apache-2.0 */
/* The SACK scoreboard and loss recovery of RFC 6675: which bytes above
 * SND.UNA the peer holds, which holes are deemed lost (DupThresh segments
 * SACKed above them), the pipe estimate, and the choice of what to
 * (re)send next during recovery. */
#include "tcpip/stack.h"
#include "tcpip/tcp.h"
#include "tcpip/tcp_seq.h"

#define DUP_THRESH 3u

/* Merges the peer's blocks (each checked to lie in (SND.UNA, SND.MAX]).
 * Returns 1 if any byte was newly SACKed: an RFC 6675 DupAck. */
int tcp_sack_update(struct atoll_tcp *c, const struct tcp_opts *o)
{
    int fresh = 0;
    for (uint8_t b = 0; b < o->nsack; b++) {
        uint32_t l = o->sack_left[b], r = o->sack_right[b];
        if (!seq_lt(l, r) || !seq_lt(c->snd_una, r) || seq_lt(c->snd_max, r))
            continue; /* empty, old (D-SACK) or beyond what we sent */
        if (seq_lt(l, c->snd_una))
            l = c->snd_una;
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

static uint32_t sacked_above(const struct atoll_tcp *c, uint32_t seq)
{
    uint32_t n = 0;
    for (uint8_t i = 0; i < c->nsb; i++)
        if (seq_leq(seq, c->sb_l[i]))
            n += seq_diff(c->sb_r[i], c->sb_l[i]);
    return n;
}

uint32_t tcp_sack_bytes(const struct atoll_tcp *c)
{
    uint32_t n = 0;
    for (uint8_t i = 0; i < c->nsb; i++)
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

/* RFC 6675 SetPipe(): bytes believed in flight. */
uint32_t tcp_pipe(const struct atoll_tcp *c)
{
    uint32_t flight = tcp_flight(c);
    if (!c->sack_ok || c->nsb == 0)
        return flight;
    uint32_t pipe = flight - tcp_sack_bytes(c);
    /* Lost holes not yet retransmitted have left the network. */
    uint32_t at = c->snd_una, hs;
    for (int guard = 0; guard <= TCP_SACK_RANGES; guard++) {
        uint32_t len = tcp_sack_hole(c, at, &hs);
        if (len == 0)
            break;
        if (tcp_sack_is_lost(c, hs)) {
            uint32_t unsent = len;
            if (seq_lt(hs, c->rexmit_next)) {
                uint32_t done = seq_diff(c->rexmit_next, hs);
                unsent = done >= len ? 0 : len - done;
            }
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
    }
    return 0;
}
