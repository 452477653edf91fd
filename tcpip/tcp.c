/* SPDX-License-Identifier: Apache-2.0 */
/* TCP: the buffer pool, connection table, segment output, timers and the
 * embedder API. Segment arrival (RFC 9293 3.10.7) is in tcp_input.c. */
#include <string.h>

#include "tcpip/checksum.h"
#include "tcpip/stack.h"
#include "tcpip/tcp.h"
#include "tcpip/tcp_seq.h"

static const char *const state_names[] = {"CLOSED",     "LISTEN",     "SYN-SENT",   "SYN-RECEIVED",
                                          "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT",
                                          "CLOSING",    "LAST-ACK",   "TIME-WAIT"};

static uint32_t pow2_ok(uint32_t v)
{
    return v != 0 && (v & (v - 1u)) == 0;
}

static void sizing(const struct atoll_config *cfg, uint32_t *conns, uint32_t *bufs, uint32_t *bufsize, uint32_t *rto)
{
    *conns = cfg && cfg->tcp_max_conns ? cfg->tcp_max_conns : TCP_DEFAULT_CONNS;
    *bufs = cfg && cfg->tcp_buffers ? cfg->tcp_buffers : TCP_DEFAULT_BUFFERS;
    *bufsize = cfg && cfg->tcp_buffer_size ? cfg->tcp_buffer_size : TCP_DEFAULT_BUFSIZE;
    *rto = cfg && cfg->tcp_rto_min_ms ? cfg->tcp_rto_min_ms : TCP_DEFAULT_RTO_MIN;
}

/* At least one chain head per connection: chains stay about one long. */
static uint32_t hash_buckets(uint32_t conns)
{
    uint32_t n = 16;
    while (n < conns)
        n *= 2u;
    return n;
}

size_t tcp_arena_need(const struct atoll_config *cfg)
{
    uint32_t conns, bufs, bufsize, rto;
    sizing(cfg, &conns, &bufs, &bufsize, &rto);
    size_t n = (size_t)conns * sizeof(struct atoll_tcp);
    n = (n + 15u) / 16u * 16u;
    n += ((size_t)hash_buckets(conns) + 2u * conns) * sizeof(uint32_t);
    n = (n + 15u) / 16u * 16u;
    n += (size_t)bufs * sizeof(uint32_t);
    n = (n + 15u) / 16u * 16u;
    n += (size_t)bufs * bufsize;
    return n;
}

size_t atoll_tcp_conn_size(void)
{
    return sizeof(struct atoll_tcp);
}

int tcp_init(struct atoll_stack *st, const struct atoll_config *cfg, uint8_t *mem, size_t len)
{
    struct tcp_stack *ts = &st->tcp;
    uint32_t conns, bufs, bufsize, rto;
    sizing(cfg, &conns, &bufs, &bufsize, &rto);
    if (!pow2_ok(bufsize) || bufsize < 4096u || bufsize > 1048576u || conns > 65535u || rto > 60000u)
        return ATOLL_E_CONFIG;
    if (cfg && cfg->tcp_orphan_retries > 255u)
        return ATOLL_E_CONFIG;
    if (len < tcp_arena_need(cfg))
        return ATOLL_E_ARENA;
    memset(ts, 0, sizeof *ts);
    ts->max_conns = conns;
    ts->nbufs = bufs;
    ts->bufsize = bufsize;
    ts->rto_min = rto;
    size_t off = (size_t)conns * sizeof(struct atoll_tcp);
    ts->conns = (struct atoll_tcp *)(void *)mem;
    memset(ts->conns, 0, off);
    off = (off + 15u) / 16u * 16u;
    uint32_t nb = hash_buckets(conns);
    ts->hash = (uint32_t *)(void *)(mem + off);
    ts->hmask = nb - 1u;
    memset(ts->hash, 0, (size_t)nb * sizeof(uint32_t));
    off += (size_t)nb * sizeof(uint32_t);
    ts->live = (uint32_t *)(void *)(mem + off);
    off += (size_t)conns * sizeof(uint32_t);
    ts->free_conns = (uint32_t *)(void *)(mem + off);
    off += (size_t)conns * sizeof(uint32_t);
    for (uint32_t i = 0; i < conns; i++)
        ts->free_conns[i] = conns - 1u - i; /* the lowest first, as the old scan did */
    ts->nfree_conns = conns;
    ts->nlive = 0;
    off = (off + 15u) / 16u * 16u;
    ts->free_bufs = (uint32_t *)(void *)(mem + off);
    off += (size_t)bufs * sizeof(uint32_t);
    off = (off + 15u) / 16u * 16u;
    ts->bufmem = mem + off;
    /* Buffers are handed out highest number first; their bytes are never
     * read before written, so they need no clearing. */
    for (uint32_t i = 0; i < bufs; i++)
        ts->free_bufs[i] = bufs - i;
    ts->nfree = bufs;
    memcpy(ts->secret, cfg->secret, sizeof ts->secret);
    ts->next_port = (uint16_t)(49152u + stack_rand(st) % 16384u);
    ts->challenge_tokens = tcp_challenge_budget(ts->secret, st->now / 1000u);
    ts->challenge_last = st->now;
    /* Half the table: orphans never keep live connections from the other
     * half; the buffers they hold are reclaimed on demand instead. */
    ts->max_orphans = cfg && cfg->tcp_max_orphans ? cfg->tcp_max_orphans : (conns + 1u) / 2u;
    ts->orphan_retries = cfg && cfg->tcp_orphan_retries ? cfg->tcp_orphan_retries : TCP_ORPHAN_RETRIES;
    return ATOLL_OK;
}

/* ---- buffer pool ---- */

uint8_t *tcp_buf(const struct tcp_stack *ts, uint32_t b)
{
    return ts->bufmem + (size_t)(b - 1u) * ts->bufsize;
}

/* The orphan that has waited longest (and holds buffers, if asked), other
 * than `not`; NULL when there is none. */
static struct atoll_tcp *oldest_orphan(struct tcp_stack *ts, const struct atoll_tcp *not, int with_bufs)
{
    struct atoll_tcp *old = NULL;
    for (uint32_t i = 0; i < ts->nlive; i++) {
        struct atoll_tcp *o = &ts->conns[ts->live[i]];
        if (!o->used || !o->orphan || o == not || o->state == TCPS_CLOSED || (with_bufs && !o->txb && !o->rxb))
            continue;
        if (!old || o->orphan_no < old->orphan_no)
            old = o;
    }
    return old;
}

/* The pool is dry and c, which somebody still owns, needs a buffer: the
 * bytes an orphan holds matter less than a live connection's, so the
 * oldest orphan is reset and its buffers go back. */
static void reclaim_orphan(struct atoll_tcp *c)
{
    struct tcp_stack *ts = &c->st->tcp;
    while (ts->nfree == 0 && ts->orphan_bufs > 0) {
        struct atoll_tcp *o = oldest_orphan(ts, c, 1);
        if (!o)
            break;
        tcp_drop(o, 1, ATOLL_CTR_TCP_ORPHAN_RECLAIM);
    }
}

/* Would c get a buffer now (a free one, or an orphan's)? */
static int buf_available(const struct atoll_tcp *c)
{
    const struct tcp_stack *ts = &c->st->tcp;
    return ts->nfree > 0 || (!c->orphan && ts->orphan_bufs > 0);
}

static uint32_t buf_take(struct atoll_tcp *c)
{
    struct tcp_stack *ts = &c->st->tcp;
    if (ts->nfree == 0 && !c->orphan)
        reclaim_orphan(c);
    if (ts->nfree == 0)
        return 0;
    if (c->orphan)
        ts->orphan_bufs++;
    return ts->free_bufs[--ts->nfree];
}

static void buf_give(struct atoll_tcp *c, uint32_t *b)
{
    struct tcp_stack *ts = &c->st->tcp;
    if (*b) {
        ts->free_bufs[ts->nfree++] = *b;
        *b = 0;
        ts->buf_freed = 1;
        if (c->orphan && ts->orphan_bufs > 0)
            ts->orphan_bufs--;
    }
}

int tcp_rx_reserve(struct atoll_tcp *c)
{
    if (!c->rxb) {
        c->rxb = buf_take(c);
        c->rx_head = 0;
    }
    return c->rxb != 0;
}

/* Returns idle buffers to the pool so quiet connections hold none. */
void tcp_buffers_trim(struct atoll_tcp *c)
{
    if (c->rxb && c->rx_len == 0 && c->nooo == 0)
        buf_give(c, &c->rxb);
    if (c->txb && c->tx_len == 0)
        buf_give(c, &c->txb);
}

/* Copies len bytes at ring offset off (from head) out of a ring buffer. */
void tcp_ring_read(const struct tcp_stack *ts, uint32_t b, uint32_t head, uint32_t off, uint8_t *dst, uint32_t len)
{
    const uint8_t *r = tcp_buf(ts, b);
    uint32_t mask = ts->bufsize - 1u;
    uint32_t pos = (head + off) & mask;
    uint32_t first = ts->bufsize - pos < len ? ts->bufsize - pos : len;
    memcpy(dst, r + pos, first);
    memcpy(dst + first, r, len - first);
}

void tcp_ring_write(const struct tcp_stack *ts, uint32_t b, uint32_t head, uint32_t off, const uint8_t *src,
                    uint32_t len)
{
    uint8_t *r = tcp_buf(ts, b);
    uint32_t mask = ts->bufsize - 1u;
    uint32_t pos = (head + off) & mask;
    uint32_t first = ts->bufsize - pos < len ? ts->bufsize - pos : len;
    memcpy(r + pos, src, first);
    memcpy(r, src + first, len - first);
}

/* ---- connection table ---- */

static uint32_t tuple_hash(const struct tcp_stack *ts, uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport)
{
    uint8_t in[13] = {'H'}; /* a domain byte: not the ISN function's input */
    for (int i = 0; i < 4; i++) {
        in[1 + i] = (uint8_t)(lip >> (8 * i));
        in[5 + i] = (uint8_t)(rip >> (8 * i));
    }
    in[9] = (uint8_t)lport;
    in[10] = (uint8_t)(lport >> 8);
    in[11] = (uint8_t)rport;
    in[12] = (uint8_t)(rport >> 8);
    return (uint32_t)tcp_siphash(ts->secret, in, sizeof in) & ts->hmask;
}

/* A free control block for the 4-tuple, in the hash and the live list;
 * NULL when the table is full. */
struct atoll_tcp *tcp_alloc(struct atoll_stack *st, uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport)
{
    struct tcp_stack *ts = &st->tcp;
    if (ts->nfree_conns == 0)
        return NULL;
    uint32_t i = ts->free_conns[--ts->nfree_conns];
    struct atoll_tcp *c = &ts->conns[i];
    memset(c, 0, sizeof *c);
    c->st = st;
    c->used = 1;
    c->t_rexmt = c->t_persist = c->t_delack = c->t_idle = c->t_keep = ATOLL_NO_DEADLINE;
    c->rto = TCP_RTO_INITIAL;
    c->ssthresh = 0xffffffffu;
    c->lip = lip;
    c->lport = lport;
    c->rip = rip;
    c->rport = rport;
    uint32_t h = tuple_hash(ts, lip, lport, rip, rport);
    c->hnext = ts->hash[h];
    ts->hash[h] = i + 1u;
    c->live_pos = ts->nlive;
    ts->live[ts->nlive++] = i;
    return c;
}

static int tcp_matches(const struct atoll_tcp *c, uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport)
{
    return c->used && c->state != TCPS_CLOSED && c->lport == lport && c->rport == rport && c->rip == rip
           && c->lip == lip;
}

struct atoll_tcp *tcp_lookup(struct atoll_stack *st, uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport)
{
    struct tcp_stack *ts = &st->tcp;
    for (uint32_t k = ts->hash[tuple_hash(ts, lip, lport, rip, rport)]; k != 0; k = ts->conns[k - 1u].hnext) {
        struct atoll_tcp *c = &ts->conns[k - 1u];
        if (tcp_matches(c, lip, lport, rip, rport))
            return c;
    }
    return NULL;
}

/* Out of the hash chain and the live list, onto the free stack. */
static void unlink_conn(struct tcp_stack *ts, struct atoll_tcp *c)
{
    uint32_t i = (uint32_t)(c - ts->conns);
    uint32_t *link = &ts->hash[tuple_hash(ts, c->lip, c->lport, c->rip, c->rport)];
    while (*link != 0 && *link != i + 1u)
        link = &ts->conns[*link - 1u].hnext;
    if (*link == i + 1u)
        *link = c->hnext;
    uint32_t last = ts->live[--ts->nlive];
    ts->live[c->live_pos] = last;
    ts->conns[last].live_pos = c->live_pos;
    ts->free_conns[ts->nfree_conns++] = i;
    ts->live_gen++;
}

/* The connection is over: its slot is reusable at once. Callers must not
 * touch c afterwards, which is why events are delivered before this. */
void tcp_release(struct atoll_tcp *c)
{
    struct tcp_stack *ts = &c->st->tcp;
    if (!c->used)
        return;
    if (c->state == TCPS_SYN_RECEIVED && ts->half_open > 0)
        ts->half_open--;
    buf_give(c, &c->rxb);
    buf_give(c, &c->txb);
    if (c->orphan && ts->orphans > 0)
        ts->orphans--;
    c->state = TCPS_CLOSED;
    unlink_conn(ts, c);
    c->used = 0;
}

/* The owner lets go: the stack finishes the connection alone, reporting
 * nothing. Orphans are bounded in number: beyond the cap the oldest is
 * reset (it is likelier abandoned than the newest). */
void tcp_orphan(struct atoll_tcp *c)
{
    struct tcp_stack *ts = &c->st->tcp;
    c->fn = NULL;
    if (c->orphan)
        return;
    c->orphan = 1;
    c->orphan_no = ++ts->orphan_seq;
    ts->orphans++;
    ts->orphan_bufs += (c->txb != 0) + (c->rxb != 0);
    while (ts->orphans > ts->max_orphans) {
        struct atoll_tcp *o = oldest_orphan(ts, c, 0);
        if (!o)
            break;
        tcp_drop(o, 1, ATOLL_CTR_TCP_ORPHAN_EVICT);
    }
}

void tcp_set_state(struct atoll_tcp *c, uint8_t s)
{
    struct tcp_stack *ts = &c->st->tcp;
    if (c->state == TCPS_SYN_RECEIVED && s != TCPS_SYN_RECEIVED && ts->half_open > 0)
        ts->half_open--;
    if (s == TCPS_SYN_RECEIVED && c->state != TCPS_SYN_RECEIVED)
        ts->half_open++;
    c->state = s;
}

/* Tell the owner, unless it let go. Returns 1 if c is still usable. */
int tcp_notify(struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    if (!c->orphan && c->fn)
        c->fn(c->user, c, ev);
    return c->used && c->state != TCPS_CLOSED;
}

/* Releases the slot, then tells the owner (if any) that the handle is gone. */
static void release_and_tell(struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    int tell = !c->orphan && c->fn;
    atoll_tcp_event_fn fn = c->fn;
    void *user = c->user;
    tcp_release(c);
    if (tell)
        fn(user, c, ev);
}

/* Ends a connection abnormally: optional RST, RESET event, release. */
void tcp_drop(struct atoll_tcp *c, int send_rst, enum atoll_counter why)
{
    struct atoll_stack *st = c->st;
    if (send_rst && c->state >= TCPS_SYN_RECEIVED && c->state != TCPS_TIME_WAIT) {
        tcp_send_flags(c, c->snd_nxt, TCP_F_RST | TCP_F_ACK);
        CTR(st, TCP_RST_TX);
    }
    st->ctr.v[why]++;
    release_and_tell(c, ATOLL_TCP_RESET);
}

/* Moves a finished connection into the compact TIME-WAIT table (RFC 9293
 * 3.6.1), freeing its full control block; the oldest entry goes first
 * when the table is full. */
void tcp_enter_time_wait(struct atoll_tcp *c)
{
    struct atoll_stack *st = c->st;
    if (c->out_pending) {
        /* The ACK of the peer's FIN cannot wait for a connection that is
         * about to become a TIME-WAIT slot. */
        uint8_t in = st->in_input;
        st->in_input = 0;
        tcp_output(c);
        st->in_input = in;
    }
    struct tcp_stack *ts = &st->tcp;
    struct tcp_tw *slot = NULL;
    for (int i = 0; i < TCP_TW_SLOTS; i++) {
        struct tcp_tw *t = &ts->tw[i];
        if (!t->used || st->now >= t->expires) {
            slot = t;
            break;
        }
        if (!slot || t->expires < slot->expires)
            slot = t;
    }
    if (slot->used && st->now < slot->expires)
        CTR(st, TCP_TW_EVICT);
    slot->used = 1;
    slot->lip = c->lip;
    slot->lport = c->lport;
    slot->rip = c->rip;
    slot->rport = c->rport;
    slot->snd_nxt = c->snd_nxt;
    slot->rcv_nxt = c->rcv_nxt;
    slot->ts_ok = c->ts_ok;
    slot->ts_recent = c->ts_recent;
    slot->ts_offset = c->ts_offset;
    slot->expires = st->now + 2u * TCP_MSL_MS;
    CTR(st, TCP_CONN_CLOSE);
    release_and_tell(c, ATOLL_TCP_CLOSED);
}

void tcp_closed_normally(struct atoll_tcp *c)
{
    CTR(c->st, TCP_CONN_CLOSE);
    release_and_tell(c, ATOLL_TCP_CLOSED);
}

/* ---- output ---- */

uint32_t tcp_ts_now(const struct atoll_tcp *c)
{
    return (uint32_t)c->st->now + c->ts_offset;
}

/* The receive window to advertise: the free ring space, never shrinking
 * the right edge already offered, and opening only in steps of at least
 * min(buffer/2, MSS) (receiver silly-window avoidance, RFC 9293 3.8.6.2.2). */
uint32_t tcp_rcv_window(struct atoll_tcp *c)
{
    struct tcp_stack *ts = &c->st->tcp;
    uint32_t space;
    if (c->rxb || c->discard_rx || buf_available(c)) {
        space = ts->bufsize - c->rx_len;
    } else {
        space = 0;
        c->wait_buf |= 2u; /* reopen the window when a buffer comes back */
    }
    uint32_t max = 65535u << c->rcv_wscale;
    if (space > max)
        space = max;
    space = space >> c->rcv_wscale << c->rcv_wscale;
    uint32_t offered = seq_lt(c->rcv_nxt, c->rcv_adv) ? seq_diff(c->rcv_adv, c->rcv_nxt) : 0;
    if (space <= offered)
        return offered;
    uint32_t step = ts->bufsize / 2u < TCP_MSS_LOCAL ? ts->bufsize / 2u : TCP_MSS_LOCAL;
    if (space - offered < step && offered > 0)
        return offered;
    if (offered == 0 && space < step)
        return 0; /* nothing worth offering yet: stay closed */
    return space;
}

/* Builds and sends one segment: seq, flags, and n payload bytes taken from
 * the send ring at offset off (bytes past tx_seq). */
void tcp_send_segment(struct atoll_tcp *c, uint32_t seq, unsigned flags, uint32_t off, uint32_t n)
{
    struct atoll_stack *st = c->st;
    struct tcp_hdr h;
    memset(&h, 0, sizeof h);
    h.sport = c->lport;
    h.dport = c->rport;
    h.seq = seq;
    h.syn = (flags & TCP_F_SYN) != 0;
    h.fin = (flags & TCP_F_FIN) != 0;
    h.rst = (flags & TCP_F_RST) != 0;
    h.psh = (flags & TCP_F_PSH) != 0;
    h.ackf = (flags & TCP_F_ACK) != 0;
    if (h.ackf)
        h.ack = c->rcv_nxt;
    uint32_t wnd = h.rst ? 0 : tcp_rcv_window(c);
    if (h.syn) {
        h.window = (uint16_t)(wnd > 65535u ? 65535u : wnd);
        h.opt.has_mss = 1;
        h.opt.mss = TCP_MSS_LOCAL;
        /* In a SYN-ACK, offer only what the peer offered (RFC 7323 1.3). */
        int active = c->state == TCPS_SYN_SENT;
        if (active || c->ws_ok) {
            h.opt.has_wscale = 1;
            h.opt.wscale = c->rcv_wscale;
        }
        h.opt.sack_perm = (uint8_t)(active || c->sack_ok);
        if (active || c->ts_ok) {
            h.opt.has_ts = 1;
            h.opt.ts_val = tcp_ts_now(c);
            h.opt.ts_ecr = c->ts_recent;
        }
    } else {
        h.window = (uint16_t)(wnd >> c->rcv_wscale);
        if (c->ts_ok && !h.rst) {
            h.opt.has_ts = 1;
            h.opt.ts_val = tcp_ts_now(c);
            h.opt.ts_ecr = c->ts_recent;
        }
        if (c->sack_ok && c->nooo > 0 && !h.rst) {
            /* Most recent block first would be RFC 2018's ideal; ranges are
             * kept in sequence order, which still reports every hole. */
            h.opt.nsack = c->nooo;
            for (uint8_t i = 0; i < c->nooo; i++) {
                h.opt.sack_left[i] = seq_add(c->rcv_nxt, c->ooo[i].off);
                h.opt.sack_right[i] = seq_add(c->rcv_nxt, c->ooo[i].off + c->ooo[i].len);
            }
        }
    }
    size_t hl = tcp_emit_hdr_len(&h.opt);
    /* A super-segment (n > mss, tcp_output) leaves as mss-sized pieces,
     * each with this header: the rules below are those of one piece. */
    uint32_t piece = n > c->mss ? c->mss : n;
    /* SACK blocks ride only where they fit: data plus options stay within
     * the MSS (RFC 6691; the timestamp was already taken off the MSS). */
    while (h.opt.nsack > 0 && hl - TCP_HDR_MIN + piece > (size_t)c->mss + (c->ts_ok ? 12u : 0u)) {
        h.opt.nsack--;
        hl = tcp_emit_hdr_len(&h.opt);
    }
    if (n)
        tcp_ring_read(&st->tcp, c->txb, c->tx_head, off, st->tx + hl, n);
    /* With the device completing the checksum, only the header is summed
     * here, and the field then holds the pseudo-header sum instead. */
    const uint8_t *mac = st->tx_csum_offload ? ipv4_hop_mac(st, c->rip) : NULL;
    int seglen = tcp_emit(st->tx, mac ? hl : sizeof st->tx, c->lip, c->rip, &h, mac ? 0 : n);
    if (seglen < 0)
        return;
    if (mac) {
        seglen += (int)n;
        uint16_t ph = (uint16_t)csum_pseudo(0, c->lip, c->rip, IPV4_PROTO_TCP, (uint32_t)seglen);
        st->tx[16] = (uint8_t)(ph >> 8);
        st->tx[17] = (uint8_t)ph;
    }
    if (h.ackf) {
        c->last_ack_sent = c->rcv_nxt;
        c->ack_now = 0;
        c->delack_segs = 0;
        c->t_delack = ATOLL_NO_DEADLINE;
    }
    if (!h.rst && !h.syn) {
        uint32_t edge = seq_add(c->rcv_nxt, (uint32_t)h.window << c->rcv_wscale);
        if (seq_lt(c->rcv_adv, edge))
            c->rcv_adv = edge;
    } else if (h.syn) {
        c->rcv_adv = seq_add(c->rcv_nxt, h.window);
    }
    if (!mac) {
        CTR(st, TCP_SEG_TX);
        ipv4_output(st, c->lip, c->rip, IPV4_PROTO_TCP, (size_t)seglen);
        return;
    }
    /* TCP_SEG_TX counts segments on the wire, whoever cuts them. */
    st->ctr.v[ATOLL_CTR_TCP_SEG_TX] += n > c->mss ? (n + c->mss - 1u) / c->mss : 1u;
    if (n > c->mss)
        CTR(st, TCP_TSO_TX);
    ipv4_output_offload(st, mac, c->lip, c->rip, (size_t)seglen, hl, n > c->mss ? c->mss : 0u);
}

void tcp_send_flags(struct atoll_tcp *c, uint32_t seq, unsigned flags)
{
    tcp_send_segment(c, seq, flags, 0, 0);
}

/* A RST in answer to a segment that has no connection (RFC 9293 3.10.7.1). */
void tcp_send_rst_for(struct atoll_stack *st, const struct ipv4_hdr *ih, const struct tcp_hdr *th, uint32_t seglen)
{
    if (th->rst)
        return;
    struct tcp_hdr h;
    memset(&h, 0, sizeof h);
    h.sport = th->dport;
    h.dport = th->sport;
    h.rst = 1;
    if (th->ackf) {
        h.seq = th->ack;
    } else {
        h.seq = 0;
        h.ackf = 1;
        h.ack = seq_add(th->seq, seglen);
    }
    int n = tcp_emit(st->tx, sizeof st->tx, ih->dst, ih->src, &h, 0);
    if (n < 0)
        return;
    CTR(st, TCP_RST_TX);
    ipv4_output(st, ih->dst, ih->src, IPV4_PROTO_TCP, (size_t)n);
}

uint32_t tcp_flight(const struct atoll_tcp *c)
{
    return seq_diff(c->snd_nxt, c->snd_una);
}

void tcp_arm_rexmt(struct atoll_tcp *c)
{
    c->t_rexmt = c->st->now + c->rto;
}

/* The most payload one segment handed down may carry: a super-segment of
 * whole MSS-sized pieces when the device cuts them (tso_max), for new data
 * only. A retransmission after a timeout goes one MSS at a time, so that
 * what the peer SACKed meanwhile is skipped (tcp_sack_skip) and a hole is
 * resent alone. */
static uint32_t seg_cap(const struct atoll_tcp *c)
{
    const struct atoll_stack *st = c->st;
    if (st->tso_max == 0 || c->snd_nxt != c->snd_max)
        return c->mss;
    /* The whole super-segment is one IP datagram. */
    uint32_t max = st->tso_max < IPV4_MAX_LEN - IPV4_HDR_MIN - TCP_HDR_MAX ? st->tso_max
                                                                            : IPV4_MAX_LEN - IPV4_HDR_MIN - TCP_HDR_MAX;
    uint32_t pieces = max / c->mss;
    if (pieces < 2u || !ipv4_hop_mac(st, c->rip))
        return c->mss;
    return pieces * c->mss;
}

/* Sends what the windows allow (RFC 9293 3.8.6.2.1 sender SWS avoidance,
 * Nagle off), the FIN once every byte is out, and a pending ACK. Sequence
 * accounting is per byte whatever the segments: a super-segment (seg_cap)
 * is exactly the run of MSS-sized segments it stands for, so the window,
 * cwnd, SWS and Nagle rules below decide the same bytes either way. */
void tcp_output(struct atoll_tcp *c)
{
    struct atoll_stack *st = c->st;
    /* With a device that cuts super-segments, what a batch of arriving
     * segments lets out (each ACK opening the windows a little) waits for
     * the atoll_poll that ends the batch, and leaves as one super-segment
     * rather than a trickle of one- and two-segment frames. */
    if (st->in_input && st->tso_max) {
        c->out_pending = 1;
        return;
    }
    c->out_pending = 0;
    int synced = c->state == TCPS_ESTABLISHED || c->state == TCPS_CLOSE_WAIT || c->state == TCPS_FIN_WAIT_1
                 || c->state == TCPS_CLOSING || c->state == TCPS_LAST_ACK;
    int sent = 0;
    while (synced) {
        uint32_t tx_seq = tcp_tx_seq(c);
        if (c->nsb > 0 && seq_lt(c->snd_nxt, c->snd_max)) {
            /* Resending after a timeout: what the peer SACKed needs no
             * second copy (the FIN is always resent). */
            c->snd_nxt = tcp_sack_skip(c, c->snd_nxt, seq_add(tx_seq, c->tx_len));
        }
        uint32_t sent_off = seq_diff(c->snd_nxt, tx_seq);
        if (sent_off > c->tx_len)
            break; /* the FIN is out */
        uint32_t unsent = c->tx_len - sent_off;
        /* The peer's window bounds the sequence space in flight; the
         * congestion window bounds the pipe (RFC 6675: SACKed and lost
         * bytes have left the network). */
        uint32_t flight = tcp_flight(c);
        uint32_t pipe = tcp_pipe(c);
        uint32_t by_wnd = c->snd_wnd > flight ? c->snd_wnd - flight : 0;
        uint32_t by_cwnd = c->cwnd > pipe ? c->cwnd - pipe : 0;
        uint32_t usable = by_wnd < by_cwnd ? by_wnd : by_cwnd;
        uint32_t n = unsent < usable ? unsent : usable;
        uint32_t cap = seg_cap(c);
        if (n > cap)
            n = cap;
        else if (n > c->mss && n < unsent)
            n = n / c->mss * c->mss; /* the short rest is judged alone next */
        int fin = c->fin_queued && n == unsent;
        if (n == 0 && !fin)
            break;
        if (n == 0 && fin && c->snd_wnd == 0 && unsent == 0 && flight > 0 && c->tx_len > 0)
            fin = 1; /* a FIN needs no window */
        /* Sender SWS: only full segments, the tail of the data, or at least
         * half the largest window the peer ever offered. */
        if (n < c->mss && n < unsent && n < c->max_snd_wnd / 2u)
            break;
        /* Nagle: a small segment waits while anything is unacknowledged. */
        if (c->nagle && n < c->mss && flight > 0 && !fin)
            break;
        unsigned flags = TCP_F_ACK;
        if (n > 0 && n == unsent)
            flags |= TCP_F_PSH;
        if (fin)
            flags |= TCP_F_FIN;
        int new_data = c->snd_nxt == c->snd_max;
        if (new_data && !c->rtt_active && n > 0) {
            c->rtt_active = 1;
            c->rtt_seq = c->snd_nxt;
            c->rtt_start = st->now;
        }
        tcp_send_segment(c, c->snd_nxt, flags, sent_off, n);
        c->snd_nxt = seq_add(c->snd_nxt, n + (fin ? 1u : 0u));
        if (seq_lt(c->snd_max, c->snd_nxt))
            c->snd_max = c->snd_nxt;
        else if (seq_lt(c->rexmit_next, c->snd_nxt))
            c->rexmit_next = c->snd_nxt; /* resent after a timeout: no longer a lost hole for tcp_pipe */
        if (c->t_rexmt == ATOLL_NO_DEADLINE)
            tcp_arm_rexmt(c);
        c->t_persist = ATOLL_NO_DEADLINE;
        sent = 1;
        if (fin)
            break;
    }
    if (synced) {
        uint32_t tx_seq = tcp_tx_seq(c);
        uint32_t sent_off = seq_diff(c->snd_nxt, tx_seq);
        int pending = sent_off < c->tx_len || (c->fin_queued && sent_off == c->tx_len);
        /* Zero window with data waiting and nothing in flight: probe. */
        if (pending && tcp_flight(c) == 0 && c->t_rexmt == ATOLL_NO_DEADLINE
            && c->t_persist == ATOLL_NO_DEADLINE) {
            uint32_t d = c->rto < TCP_PERSIST_MIN ? TCP_PERSIST_MIN : c->rto;
            c->t_persist = st->now + d;
        }
    }
    if (!sent && c->ack_now && c->state != TCPS_SYN_SENT && c->state != TCPS_CLOSED)
        tcp_send_flags(c, c->snd_max, TCP_F_ACK);
}

/* ---- timers ---- */

static void rto_backoff(struct atoll_tcp *c)
{
    c->backoff++;
    uint32_t r = c->rto * 2u;
    c->rto = r > TCP_RTO_MAX ? TCP_RTO_MAX : r;
}

static void on_rexmt(struct atoll_tcp *c)
{
    struct atoll_stack *st = c->st;
    c->t_rexmt = ATOLL_NO_DEADLINE;
    int limit = c->state == TCPS_SYN_SENT || c->state == TCPS_SYN_RECEIVED ? TCP_SYN_RETRIES : TCP_DATA_RETRIES;
    if (c->orphan && (uint32_t)limit > st->tcp.orphan_retries)
        limit = (int)st->tcp.orphan_retries;
    if (c->backoff >= limit) {
        tcp_drop(c, c->state != TCPS_SYN_SENT, c->orphan ? ATOLL_CTR_TCP_ORPHAN_TIMEOUT : ATOLL_CTR_TCP_CONN_TIMEOUT);
        return;
    }
    rto_backoff(c);
    CTR(st, TCP_REXMIT_TIMEOUT);
    c->rtt_active = 0; /* Karn: no sample from a retransmitted segment */
    if (c->state == TCPS_SYN_SENT) {
        tcp_send_flags(c, c->iss, TCP_F_SYN);
        tcp_arm_rexmt(c);
        return;
    }
    if (c->state == TCPS_SYN_RECEIVED) {
        tcp_send_flags(c, c->iss, TCP_F_SYN | TCP_F_ACK);
        tcp_arm_rexmt(c);
        return;
    }
    /* RFC 5681 3.1 eq. 4 and the loss window; then go back to snd_una.
     * ssthresh is held when the timeout repeats (RFC 5681 3.1: the segment
     * was already resent by the timer): the flight is by then a single
     * segment, and halving it again would leave slow start at 2 MSS. */
    if (c->backoff == 1) {
        uint32_t flight = tcp_flight(c);
        uint32_t half = flight / 2u;
        c->ssthresh = half > 2u * c->mss ? half : 2u * c->mss;
    }
    c->cwnd = c->mss;
    c->in_recovery = 0;
    c->dupacks = 0;
    /* RFC 6582 3.2 step 4: no fast retransmit for anything sent before
     * the timeout, which go-back-N resends anyway. */
    c->recover = c->snd_max;
    /* The scoreboard stays (RFC 6675 5.1 allows it; Linux keeps its SACK
     * marks too): sending from snd_una again skips what the peer holds
     * (tcp_output), and tcp_pipe counts only below the rewound snd_nxt.
     * Forgetting it, as RFC 2018 suggests in case the receiver reneged,
     * made the next ACKs re-SACK bytes above snd_nxt, and a receiver that
     * does renege is caught when the cumulative ACK stops at a block
     * (tcp_sack_reneged), so nothing waits on stale blocks. */
    c->rexmit_next = c->snd_una;
    c->snd_nxt = c->snd_una;
    CTR(st, TCP_REXMIT);
    tcp_output(c);
    if (c->used && c->t_rexmt == ATOLL_NO_DEADLINE && tcp_flight(c) > 0)
        tcp_arm_rexmt(c);
}

static void on_persist(struct atoll_tcp *c)
{
    struct atoll_stack *st = c->st;
    c->t_persist = ATOLL_NO_DEADLINE;
    uint32_t tx_seq = tcp_tx_seq(c);
    uint32_t sent_off = seq_diff(c->snd_nxt, tx_seq);
    if (sent_off >= c->tx_len)
        return;
    if (c->snd_wnd != 0) {
        uint32_t n = c->tx_len - sent_off;
        if (n > c->snd_wnd) n = c->snd_wnd;
        if (n > c->mss) n = c->mss;
        tcp_send_segment(c, c->snd_nxt, TCP_F_ACK, sent_off, n);
        c->snd_nxt = seq_add(c->snd_nxt, n);
        if (seq_lt(c->snd_max, c->snd_nxt)) c->snd_max = c->snd_nxt;
        if (c->t_rexmt == ATOLL_NO_DEADLINE) tcp_arm_rexmt(c);
        return;
    }
    /* A live connection probes as long as it lives (its owner decides
     * when to give up); an orphan's zero window is not waited out for
     * ever, answered or not. */
    if (c->orphan && c->persist_shift >= st->tcp.orphan_retries) {
        tcp_drop(c, 1, ATOLL_CTR_TCP_ORPHAN_TIMEOUT);
        return;
    }
    /* One byte beyond the window: the peer must answer with its window. */
    CTR(st, TCP_PERSIST_PROBE);
    tcp_send_segment(c, c->snd_nxt, TCP_F_ACK, sent_off, 1);
    if (seq_lt(c->snd_max, seq_add(c->snd_nxt, 1)))
        c->snd_max = seq_add(c->snd_nxt, 1);
    /* The probes back off on a count of their own: the retransmission
     * backoff and RTO stay what the path measured, so the first loss after
     * the window opens is retransmitted like any other. */
    if (c->persist_shift < 16u)
        c->persist_shift++;
    uint64_t d = (uint64_t)c->rto << c->persist_shift;
    if (d < TCP_PERSIST_MIN)
        d = TCP_PERSIST_MIN;
    if (d > TCP_PERSIST_MAX)
        d = TCP_PERSIST_MAX;
    c->t_persist = st->now + d;
}

static uint64_t conn_timers(struct atoll_tcp *c)
{
    struct atoll_stack *st = c->st;
    if (c->out_pending)
        tcp_output(c);
    if (c->t_rexmt <= st->now)
        on_rexmt(c);
    if (!c->used)
        return ATOLL_NO_DEADLINE;
    if (c->t_persist <= st->now)
        on_persist(c);
    if (c->t_delack <= st->now) {
        c->t_delack = ATOLL_NO_DEADLINE;
        c->ack_now = 1;
        tcp_output(c);
    }
    if (c->t_idle <= st->now) {
        /* A lingering orphan's time is up, or an orphaned FIN-WAIT-2's
         * peer never closes. */
        c->t_idle = ATOLL_NO_DEADLINE;
        if (c->discard_rx && c->orphan && c->state != TCPS_TIME_WAIT) {
            tcp_drop(c, 1, ATOLL_CTR_TCP_ORPHAN_TIMEOUT);
            return ATOLL_NO_DEADLINE;
        }
        if (c->state == TCPS_FIN_WAIT_2 && c->orphan) {
            tcp_drop(c, 0, ATOLL_CTR_TCP_CONN_TIMEOUT);
            return ATOLL_NO_DEADLINE;
        }
        if (c->state == TCPS_TIME_WAIT) {
            /* 2 MSL passed with bytes still unread: the connection is over. */
            tcp_closed_normally(c);
            return ATOLL_NO_DEADLINE;
        }
    }
    if (c->t_keep <= st->now) {
        if (c->state != TCPS_ESTABLISHED && c->state != TCPS_CLOSE_WAIT) {
            c->t_keep = ATOLL_NO_DEADLINE;
        } else if (c->ka_probes >= c->ka_count) {
            tcp_drop(c, 1, ATOLL_CTR_TCP_CONN_TIMEOUT);
            return ATOLL_NO_DEADLINE;
        } else {
            /* SEG.SEQ = SND.UNA - 1: old, so the peer must answer with an ACK. */
            CTR(st, TCP_KEEPALIVE_TX);
            tcp_send_flags(c, c->snd_una - 1u, TCP_F_ACK);
            c->ka_probes++;
            c->t_keep = st->now + c->ka_intvl;
        }
    }
    uint64_t d = c->t_rexmt;
    d = stack_min(d, c->t_keep);
    d = stack_min(d, c->t_persist);
    d = stack_min(d, c->t_delack);
    d = stack_min(d, c->t_idle);
    return d;
}

/* Buffers came back to the pool: give waiting connections their turn,
 * starting after the last one served so nobody starves. */
static void wake_buffer_waiters(struct tcp_stack *ts)
{
    ts->buf_freed = 0;
    /* Over positions of the live list; a woken owner may close connections,
     * which reorders the list (live_gen moves): then the scan starts again
     * from the last woken one, which costs nothing for those already woken
     * (their flag is clear). Bounded all the same. */
    uint32_t gen = ts->live_gen, n = ts->nlive, start = n ? ts->wake_from % n : 0, budget = 4u * ts->max_conns + 16u;
    for (uint32_t k = 0; k < n && ts->nfree > 0 && budget > 0; k++, budget--) {
        uint32_t i = (start + k) % n;
        struct atoll_tcp *c = &ts->conns[ts->live[i]];
        if (!c->used || c->state == TCPS_CLOSED || !c->wait_buf)
            continue;
        uint8_t w = c->wait_buf;
        c->wait_buf = 0;
        ts->wake_from = i + 1u;
        if (w & 2u) {
            c->ack_now = 1; /* a window update: the peer may be persisting */
            tcp_output(c);
        }
        if ((w & 1u) && c->used && !c->orphan && c->fn)
            tcp_notify(c, ATOLL_TCP_WRITABLE);
        if (ts->live_gen != gen || ts->nlive != n) {
            gen = ts->live_gen;
            n = ts->nlive;
            start = n ? ts->wake_from % n : 0;
            k = UINT32_MAX; /* the loop's k++ makes it 0 */
        }
    }
}

uint64_t tcp_timers(struct atoll_stack *st)
{
    struct tcp_stack *ts = &st->tcp;
    uint64_t next = ATOLL_NO_DEADLINE;
    if (ts->buf_freed && ts->nfree > 0)
        wake_buffer_waiters(ts);
    /* Backwards: a connection released on the way is replaced by the
     * last one, already visited; one that opens is added after. */
    for (uint32_t i = ts->nlive; i-- > 0;) {
        if (i >= ts->nlive)
            continue;
        struct atoll_tcp *c = &ts->conns[ts->live[i]];
        if (c->used && c->state != TCPS_CLOSED)
            next = stack_min(next, conn_timers(c));
    }
    for (int i = 0; i < TCP_TW_SLOTS; i++) {
        struct tcp_tw *t = &ts->tw[i];
        if (!t->used)
            continue;
        if (st->now >= t->expires)
            t->used = 0;
        else
            next = stack_min(next, t->expires);
    }
    return next;
}

/* ---- API ---- */

int atoll_tcp_listen(struct atoll_stack *st, uint16_t port, atoll_tcp_accept_fn fn, void *user)
{
    if (port == 0 || fn == NULL)
        return ATOLL_E_CONFIG;
    struct tcp_listener *free_l = NULL;
    for (int i = 0; i < TCP_LISTENERS; i++) {
        struct tcp_listener *l = &st->tcp.listeners[i];
        if (l->port == port)
            return ATOLL_E_INUSE;
        if (l->port == 0 && !free_l)
            free_l = l;
    }
    if (!free_l)
        return ATOLL_E_FULL;
    free_l->port = port;
    free_l->fn = fn;
    free_l->user = user;
    return ATOLL_OK;
}

int atoll_tcp_unlisten(struct atoll_stack *st, uint16_t port)
{
    for (int i = 0; i < TCP_LISTENERS; i++) {
        if (port != 0 && st->tcp.listeners[i].port == port) {
            st->tcp.listeners[i].port = 0;
            return ATOLL_OK;
        }
    }
    return ATOLL_E_NOTFOUND;
}

static int port_busy(struct atoll_stack *st, uint16_t lport, uint32_t rip, uint16_t rport)
{
    if (tcp_lookup(st, st->ip, lport, rip, rport))
        return 1;
    for (int i = 0; i < TCP_TW_SLOTS; i++) {
        const struct tcp_tw *t = &st->tcp.tw[i];
        if (t->used && t->lport == lport && t->rip == rip && t->rport == rport)
            return 1;
    }
    return 0;
}

uint8_t tcp_choose_wscale(const struct tcp_stack *ts)
{
    uint8_t s = 0;
    while ((ts->bufsize >> s) > 65535u && s < TCP_MAX_WSCALE)
        s++;
    return s;
}

struct atoll_tcp *atoll_tcp_connect(struct atoll_stack *st, uint32_t dst_ip, uint16_t dst_port,
                                    atoll_tcp_event_fn fn, void *user, uint64_t now)
{
    st->now = now;
    if (st->ip == 0 || dst_ip == 0 || dst_port == 0 || dst_ip >= 0xe0000000u || ipv4_is_local_bcast(st, dst_ip))
        return NULL;
    struct tcp_stack *ts = &st->tcp;
    uint16_t lport = 0;
    for (int tries = 0; tries < 16384; tries++) {
        uint16_t p = ts->next_port;
        ts->next_port = (uint16_t)(p >= 65535u ? 49152u : p + 1u);
        if (!port_busy(st, p, dst_ip, dst_port)) {
            lport = p;
            break;
        }
    }
    if (lport == 0)
        return NULL;
    struct atoll_tcp *c = tcp_alloc(st, st->ip, lport, dst_ip, dst_port);
    if (!c)
        return NULL;
    c->fn = fn;
    c->user = user;
    c->iss = tcp_isn(ts->secret, c->lip, lport, dst_ip, dst_port, now);
    c->recover = c->iss;
    c->snd_una = c->iss;
    c->snd_nxt = seq_add(c->iss, 1);
    c->snd_max = c->snd_nxt;
    c->mss = TCP_MSS_DEFAULT;
    c->rcv_wscale = tcp_choose_wscale(ts);
    c->ts_offset = (uint32_t)stack_rand(st);
    c->state = TCPS_SYN_SENT;
    tcp_send_flags(c, c->iss, TCP_F_SYN);
    tcp_arm_rexmt(c);
    return c;
}

void atoll_tcp_set_handler(struct atoll_tcp *c, atoll_tcp_event_fn fn, void *user)
{
    c->fn = fn;
    c->user = user;
}

size_t atoll_tcp_writable(struct atoll_tcp *c)
{
    if (c->fin_queued || c->state < TCPS_SYN_SENT || c->state == TCPS_TIME_WAIT)
        return 0;
    if (!c->txb && !buf_available(c)) {
        /* The pool is dry: wake this one when a buffer comes back. */
        c->wait_buf |= 1u;
        return 0;
    }
    size_t room = c->st->tcp.bufsize - c->tx_len;
    if (room == 0)
        c->want_writable = 1;
    return room;
}

int atoll_tcp_keepalive(struct atoll_tcp *c, uint32_t idle_ms, uint32_t interval_ms, uint8_t count, uint64_t now)
{
    c->st->now = now;
    if (idle_ms == 0) {
        c->ka_idle = 0;
        c->t_keep = ATOLL_NO_DEADLINE;
        return ATOLL_OK;
    }
    if (interval_ms == 0 || count == 0)
        return ATOLL_E_CONFIG;
    c->ka_idle = idle_ms;
    c->ka_intvl = interval_ms;
    c->ka_count = count;
    c->ka_probes = 0;
    c->t_keep = now + idle_ms;
    return ATOLL_OK;
}

void atoll_tcp_nagle(struct atoll_tcp *c, int on)
{
    c->nagle = on != 0;
}

size_t atoll_tcp_readable(const struct atoll_tcp *c)
{
    return c->rx_len;
}

size_t atoll_tcp_unacked(const struct atoll_tcp *c)
{
    return c->tx_len;
}

long atoll_tcp_send(struct atoll_tcp *c, const uint8_t *data, size_t len, uint64_t now)
{
    struct atoll_stack *st = c->st;
    st->now = now;
    if (c->fin_queued)
        return ATOLL_E_CONFIG;
    if (c->state != TCPS_ESTABLISHED && c->state != TCPS_CLOSE_WAIT && c->state != TCPS_SYN_SENT
        && c->state != TCPS_SYN_RECEIVED)
        return ATOLL_E_NOROUTE;
    if (len == 0)
        return 0;
    if (!c->txb) {
        c->txb = buf_take(c);
        c->tx_head = 0;
        if (!c->txb) {
            c->wait_buf |= 1u;
            return 0;
        }
    }
    uint32_t room = st->tcp.bufsize - c->tx_len;
    uint32_t n = len < room ? (uint32_t)len : room;
    if (n < len || c->tx_len + n == st->tcp.bufsize)
        c->want_writable = 1;
    tcp_ring_write(&st->tcp, c->txb, c->tx_head, c->tx_len, data, n);
    c->tx_len += n;
    tcp_output(c);
    return (long)n;
}

long atoll_tcp_recv(struct atoll_tcp *c, uint8_t *buf, size_t cap, uint64_t now)
{
    struct atoll_stack *st = c->st;
    st->now = now;
    if (c->rx_len == 0) {
        if (c->fin_rcvd && c->state == TCPS_TIME_WAIT) {
            /* The owner has read everything: the compact table takes over
             * the rest of TIME-WAIT (this reports CLOSED). */
            tcp_enter_time_wait(c);
            return ATOLL_TCP_EOF;
        }
        return c->fin_rcvd ? ATOLL_TCP_EOF : 0;
    }
    uint32_t n = cap < c->rx_len ? (uint32_t)cap : c->rx_len;
    uint32_t before = tcp_rcv_window(c);
    tcp_ring_read(&st->tcp, c->rxb, c->rx_head, 0, buf, n);
    c->rx_head = (c->rx_head + n) & (st->tcp.bufsize - 1u);
    c->rx_len -= n;
    tcp_buffers_trim(c);
    /* Tell the peer once the window has opened by a worthwhile step. */
    uint32_t after = tcp_rcv_window(c);
    if (after > before && (before < c->mss || after - before >= st->tcp.bufsize / 2u)
        && c->state != TCPS_SYN_SENT && c->state != TCPS_SYN_RECEIVED) {
        c->ack_now = 1;
        tcp_output(c);
    }
    return (long)n;
}

int atoll_tcp_shutdown(struct atoll_tcp *c, uint64_t now)
{
    c->st->now = now;
    if (c->fin_queued)
        return ATOLL_OK;
    if (c->state == TCPS_SYN_SENT) {
        tcp_closed_normally(c);
        return ATOLL_OK;
    }
    if (c->state != TCPS_ESTABLISHED && c->state != TCPS_CLOSE_WAIT && c->state != TCPS_SYN_RECEIVED)
        return ATOLL_E_NOROUTE;
    c->fin_queued = 1;
    if (c->state == TCPS_CLOSE_WAIT)
        tcp_set_state(c, TCPS_LAST_ACK);
    else if (c->state == TCPS_ESTABLISHED)
        tcp_set_state(c, TCPS_FIN_WAIT_1);
    /* SYN-RECEIVED: the FIN follows once the handshake completes. */
    tcp_output(c);
    return ATOLL_OK;
}

void atoll_tcp_close(struct atoll_tcp *c, uint64_t now)
{
    c->st->now = now;
    c->fn = NULL;
    if (c->rx_len > 0) {
        /* RFC 1122 4.2.2.13: closing with unread data resets. */
        tcp_drop(c, 1, ATOLL_CTR_TCP_CONN_RESET);
        return;
    }
    if (c->state == TCPS_SYN_SENT || c->state == TCPS_CLOSED) {
        tcp_release(c);
        return;
    }
    tcp_orphan(c);
    atoll_tcp_shutdown(c, now);
    if (c->used && c->state == TCPS_FIN_WAIT_2)
        c->t_idle = c->st->now + TCP_FIN_WAIT_2_MS;
}

void atoll_tcp_close_lingering(struct atoll_tcp *c, uint32_t linger_ms, uint64_t now)
{
    c->st->now = now;
    c->fn = NULL;
    c->rx_len = 0;
    c->nooo = 0;
    c->discard_rx = 1;
    tcp_buffers_trim(c);
    tcp_orphan(c);
    atoll_tcp_shutdown(c, now);
    if (c->used && c->state != TCPS_TIME_WAIT)
        c->t_idle = c->st->now + linger_ms;
}

void atoll_tcp_abort(struct atoll_tcp *c, uint64_t now)
{
    c->st->now = now;
    c->fn = NULL;
    tcp_drop(c, 1, ATOLL_CTR_TCP_CONN_RESET);
}

void atoll_tcp_peer(const struct atoll_tcp *c, uint32_t *ip, uint16_t *port)
{
    if (ip)
        *ip = c->rip;
    if (port)
        *port = c->rport;
}

const char *atoll_tcp_state_name(const struct atoll_tcp *c)
{
    return c->state <= TCPS_TIME_WAIT ? state_names[c->state] : "?";
}
