/* SPDX-License-Identifier: Apache-2.0 */
/* TCP internals (RFC 9293): the control block, the shared buffer pool,
 * the listener and TIME-WAIT tables, and the functions the TCP files share. */
#ifndef ATOLL_TCP_H
#define ATOLL_TCP_H

#include "atoll/tcpip.h"
#include "tcpip/wire_eth.h"
#include "tcpip/wire_ipv4.h"
#include "tcpip/wire_tcp.h"

#define TCP_DEFAULT_CONNS 512u
#define TCP_DEFAULT_BUFFERS 256u
#define TCP_DEFAULT_BUFSIZE 32768u
#define TCP_DEFAULT_RTO_MIN 200u
#define TCP_LISTENERS 8
#define TCP_TW_SLOTS 256
#define TCP_MSS_LOCAL (ETH_MTU - IPV4_HDR_MIN - TCP_HDR_MIN) /* 1460 */
#define TCP_MSS_DEFAULT 536u          /* RFC 9293 3.7.1 when no MSS option */
#define TCP_MSS_MIN 88u               /* refuse to be ground down below this */
#define TCP_RTO_INITIAL 1000u         /* RFC 6298 2.1 */
#define TCP_RTO_MAX 60000u
#define TCP_SYN_RETRIES 6
#define TCP_DATA_RETRIES 12
#define TCP_MSL_MS 30000u
#define TCP_DELACK_MS 40u
#define TCP_PERSIST_MIN 500u
#define TCP_PERSIST_MAX 60000u
#define TCP_OOO_RANGES 4
#define TCP_SACK_RANGES 8          /* scoreboard of what the peer SACKed */
#define TCP_HALF_OPEN_MAX 128u        /* beyond this, SYN cookies */
#define TCP_CHALLENGE_PER_SEC 100u    /* RFC 5961 7: the mean; each second draws its own */
#define TCP_OOW_ACK_MS 500u           /* per connection: one challenge or out-of-window ACK per this */
#define TCP_FIN_WAIT_2_MS 60000u      /* orphaned FIN-WAIT-2 does not wait forever */
/* An orphan is given up after this many retransmissions, or persist probes
 * in one zero-window spell, whether the peer answers or not (Linux's
 * tcp_orphan_retries, 8 there with a 200 ms RTO floor). Both back off
 * from the RTO doubling to 60 s, so 6 makes a lifetime of
 * RTO * (2^7 - 1): 25 s at the 200 ms floor, 64 s at 500 ms, 2 min for
 * a connection that never had an RTT sample (1 s) -- a minute or two, long
 * enough for a slow but real peer to take its last bytes, short enough
 * that abandoned connections do not pile up. */
#define TCP_ORPHAN_RETRIES 6u

enum tcp_state {
    TCPS_CLOSED = 0,
    TCPS_LISTEN,
    TCPS_SYN_SENT,
    TCPS_SYN_RECEIVED,
    TCPS_ESTABLISHED,
    TCPS_FIN_WAIT_1,
    TCPS_FIN_WAIT_2,
    TCPS_CLOSE_WAIT,
    TCPS_CLOSING,
    TCPS_LAST_ACK,
    TCPS_TIME_WAIT
};

struct tcp_range {
    uint32_t off;  /* bytes past rcv_nxt */
    uint32_t len;
};

struct atoll_tcp {
    struct atoll_stack *st;
    uint32_t hnext;       /* next in its hash chain (index + 1; 0: end) */
    uint32_t live_pos;    /* its place in tcp_stack.live */
    uint8_t state;
    uint8_t used;
    uint8_t orphan;       /* the owner let go: no more callbacks */
    uint8_t passive;      /* came from a listener: a reset returns it to LISTEN */
    uint8_t fin_queued;   /* the owner shut the send side */
    uint8_t fin_sent;
    uint8_t fin_rcvd;     /* the peer's FIN is in order and consumed into rcv_nxt */
    uint8_t ts_ok, sack_ok, ws_ok;
    uint8_t snd_wscale, rcv_wscale;
    uint8_t backoff;      /* consecutive RTO expiries */
    uint8_t in_recovery;  /* NewReno fast recovery (RFC 6582) */
    uint8_t want_writable;
    uint8_t wait_buf;     /* waiting for a pool buffer: 1 to send, 2 to receive */
    uint8_t ack_now, delack_segs;
    uint8_t rtt_active;
    uint8_t nooo;
    uint16_t lport, rport;
    uint32_t lip, rip;
    uint16_t mss;         /* send MSS after clamping */
    uint16_t listener;    /* index + 1 of the listener it came from */

    uint32_t iss, snd_una, snd_nxt, snd_max;
    uint32_t snd_wnd, max_snd_wnd, snd_wl1, snd_wl2;
    uint32_t irs, rcv_nxt, rcv_adv; /* rcv_adv: right edge last advertised */
    uint32_t last_ack_sent;

    uint32_t ts_recent, ts_offset;
    uint64_t ts_recent_at;

    uint32_t srtt, rttvar, rto; /* ms; srtt == 0: no sample yet */
    uint32_t rtt_seq;
    uint64_t rtt_start;

    uint32_t cwnd, ssthresh, dupacks, recover;

    uint64_t t_rexmt, t_persist, t_delack, t_idle; /* absolute ms, ATOLL_NO_DEADLINE when off */
    uint64_t t_keep;
    uint32_t ka_idle, ka_intvl; /* keep-alive (RFC 1122 4.2.3.6), off when ka_idle == 0 */
    uint8_t ka_count, ka_probes;
    uint8_t nagle;              /* RFC 896, off by default */
    uint8_t out_pending;        /* tcp_output held back until the next poll (tso_max) */

    /* Shared-pool buffers, held only while bytes are in them (0: none). */
    uint32_t txb, rxb;
    uint32_t tx_head, tx_len;  /* tx ring: tx_len bytes from snd_una, starting at tx_head */
    uint32_t rx_head, rx_len;  /* rx ring: rx_len in-order unread bytes */
    struct tcp_range ooo[TCP_OOO_RANGES];

    /* RFC 6675 scoreboard: sorted disjoint [sb_l, sb_r) above snd_una. */
    uint8_t nsb;
    uint32_t sb_l[TCP_SACK_RANGES], sb_r[TCP_SACK_RANGES];
    uint32_t rexmit_next;     /* recovery: holes before this were resent */

    atoll_tcp_event_fn fn;
    void *user;

    /* Lifetime bounds. */
    uint8_t persist_shift;    /* persist interval backoff; restarts when the window opens */
    uint64_t orphan_no;       /* when it became an orphan, in orphaning order */
    uint8_t discard_rx;       /* a lingering orphan: the peer's bytes are acknowledged and dropped */
    /* RFC 5961 7 per connection: no challenge or out-of-window ACK
     * before this time (0: any time). */
    uint64_t oow_ack_next;
    /* Recovery: SND.MAX when the last hole was retransmitted. */
    uint32_t rexmit_hi;
};

struct tcp_listener {
    uint16_t port; /* 0: free */
    atoll_tcp_accept_fn fn;
    void *user;
};

struct tcp_tw {
    uint8_t used;
    uint8_t ts_ok;
    uint16_t lport, rport;
    uint32_t lip, rip;
    uint32_t snd_nxt, rcv_nxt;
    uint32_t ts_recent, ts_offset;
    uint64_t expires;
};

struct tcp_stack {
    uint32_t max_conns, nbufs, bufsize, rto_min;
    struct atoll_tcp *conns;
    uint8_t *bufmem;
    uint32_t *free_bufs;  /* stack of free buffer numbers (1-based) */
    uint32_t nfree;
    uint32_t half_open;
    /* Ten thousand connections must not cost a scan per segment or per
     * timer run: a keyed hash of the 4-tuple finds a connection (chains
     * through hnext; the key is the ISN secret, so a peer cannot aim its
     * ports at one chain), the connections in use are listed densely for
     * the timers, and the free ones are a stack. */
    uint32_t *hash;           /* hmask + 1 chain heads (index + 1; 0: empty) */
    uint32_t hmask;
    uint32_t *live, nlive;    /* indexes of the connections in use */
    uint32_t live_gen;        /* moves when the list is reordered (a removal) */
    uint32_t *free_conns, nfree_conns;
    uint8_t buf_freed;        /* a buffer came back while connections waited */
    uint32_t wake_from;       /* round-robin start for waking waiters */
    uint16_t next_port;
    uint32_t challenge_tokens;
    uint64_t challenge_last;
    uint8_t secret[16];
    uint64_t last_cookie_at;  /* cookies are only accepted for a while after one was sent */
    uint8_t cookies_sent;
    struct tcp_listener listeners[TCP_LISTENERS];
    struct tcp_tw tw[TCP_TW_SLOTS];

    /* Orphans: their count is bounded, and the buffers they hold
     * (orphan_bufs) are the first given to anyone else in need. */
    uint32_t max_orphans, orphan_retries;
    uint32_t orphans, orphan_bufs;
    uint64_t orphan_seq;
};

struct atoll_stack;
struct ipv4_hdr;

/* tcp.c: setup, lookup, output, timers */
size_t tcp_arena_need(const struct atoll_config *cfg);
struct atoll_tcp *tcp_alloc(struct atoll_stack *st, uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport);
int tcp_init(struct atoll_stack *st, const struct atoll_config *cfg, uint8_t *mem, size_t len);
void tcp_input(struct atoll_stack *st, const struct ipv4_hdr *ih, const uint8_t *p, size_t len);
uint64_t tcp_timers(struct atoll_stack *st);

#define TCP_F_FIN 1u
#define TCP_F_SYN 2u
#define TCP_F_RST 4u
#define TCP_F_PSH 8u
#define TCP_F_ACK 16u

/* Sequence number of the first byte in the send ring: until the SYN is
 * acknowledged it occupies iss, so data starts one later. */
static inline uint32_t tcp_tx_seq(const struct atoll_tcp *c)
{
    if (c->state == TCPS_SYN_SENT || c->state == TCPS_SYN_RECEIVED)
        return c->iss + 1u;
    return c->snd_una;
}

uint8_t *tcp_buf(const struct tcp_stack *ts, uint32_t b);
int tcp_rx_reserve(struct atoll_tcp *c);
void tcp_buffers_trim(struct atoll_tcp *c);
void tcp_ring_read(const struct tcp_stack *ts, uint32_t b, uint32_t head, uint32_t off, uint8_t *dst, uint32_t len);
void tcp_ring_write(const struct tcp_stack *ts, uint32_t b, uint32_t head, uint32_t off, const uint8_t *src,
                    uint32_t len);
struct atoll_tcp *tcp_lookup(struct atoll_stack *st, uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport);
void tcp_release(struct atoll_tcp *c);
void tcp_orphan(struct atoll_tcp *c);
void tcp_set_state(struct atoll_tcp *c, uint8_t s);
int tcp_notify(struct atoll_tcp *c, enum atoll_tcp_event ev);
void tcp_drop(struct atoll_tcp *c, int send_rst, enum atoll_counter why);
void tcp_enter_time_wait(struct atoll_tcp *c);
void tcp_closed_normally(struct atoll_tcp *c);
uint32_t tcp_ts_now(const struct atoll_tcp *c);
uint32_t tcp_rcv_window(struct atoll_tcp *c);
void tcp_send_segment(struct atoll_tcp *c, uint32_t seq, unsigned flags, uint32_t off, uint32_t n);
void tcp_send_flags(struct atoll_tcp *c, uint32_t seq, unsigned flags);
void tcp_send_rst_for(struct atoll_stack *st, const struct ipv4_hdr *ih, const struct tcp_hdr *th, uint32_t seglen);
uint32_t tcp_flight(const struct atoll_tcp *c);
void tcp_arm_rexmt(struct atoll_tcp *c);
void tcp_output(struct atoll_tcp *c);
uint8_t tcp_choose_wscale(const struct tcp_stack *ts);

/* tcp_sack.c */
int tcp_sack_update(struct atoll_tcp *c, const struct tcp_opts *o, uint32_t ack);
void tcp_sack_trim(struct atoll_tcp *c);
void tcp_sack_clear(struct atoll_tcp *c);
int tcp_sack_reneged(const struct atoll_tcp *c);
uint32_t tcp_sack_skip(const struct atoll_tcp *c, uint32_t seq, uint32_t limit);
int tcp_sack_is_lost(const struct atoll_tcp *c, uint32_t seq);
uint32_t tcp_sack_hole(const struct atoll_tcp *c, uint32_t from, uint32_t *start);
uint32_t tcp_pipe(const struct atoll_tcp *c);
int tcp_sack_recover(struct atoll_tcp *c);
int tcp_sack_rexmit_lost(const struct atoll_tcp *c);

/* tcp_isn.c */
uint32_t tcp_isn(const uint8_t secret[16], uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport, uint64_t now);
uint64_t tcp_siphash(const uint8_t key[16], const uint8_t *in, size_t len);
uint32_t tcp_challenge_budget(const uint8_t secret[16], uint64_t second);

#endif
