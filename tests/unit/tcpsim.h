/* SPDX-License-Identifier: Apache-2.0 */
/* tcpsim: a deterministic in-process network for TCP tests.
 *
 * Several Atoll stacks share one virtual Ethernet link and one virtual
 * clock (milliseconds, the stack's own unit). Each direction between two
 * hosts can lose, reorder, duplicate and corrupt frames, and delay them by
 * a one-way latency plus the serialization time of a link of given
 * bandwidth with a bounded drop-tail queue. Every random choice comes from
 * one seeded PRNG, so a run is a pure function of its seed and settings.
 *
 * The event loop advances virtual time to the earliest of: the next frame
 * delivery, the next atoll_poll() deadline of any host, the next timed
 * read of a slow reader.
 *
 * Also here, for hand-crafted segment tests (usually driven through
 * netsim's one-stack harness): an independent TCP/IPv4 frame builder and
 * parser (tseg_*), sharing no code with tcpip/, and a scripted peer
 * (tpeer_*).
 *
 * And tfix_*: netsim's one stack listening, with accepting flows.
 *
 * All names start with tsim_, tseg_, tpeer_, tfix_, TSF_ or TPEER_ (every
 * helper .c is linked into every unit test binary).
 *
 * Debugging: TSIM_TRACE=1 prints every frame put on the link with its
 * fate; TCP_TEST=<glob> runs only the matching tests of a test_tcp_*
 * binary (cmocka_set_test_filter). */
#ifndef ATOLL_TEST_TCPSIM_H
#define ATOLL_TEST_TCPSIM_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/tcpip.h"

struct netsim;

#define TSIM_MAX_HOSTS 4
#define TSIM_MAX_FLOWS 16

/* Impairments of one direction (from one host to another). Percentages
 * are 0..100. By default only IPv4 frames are impaired, so ARP resolution
 * is not what a TCP test measures. */
struct tsim_impair {
    double loss_pct;
    double reorder_pct;      /* a frame picked is held back reorder_ms longer */
    uint32_t reorder_ms;
    double dup_pct;          /* a frame picked is delivered twice */
    double corrupt_pct;      /* one byte of the IP datagram is flipped */
    uint32_t delay_ms;       /* one-way propagation delay */
    uint64_t bandwidth_bps;  /* 0: infinitely fast */
    uint32_t queue_bytes;    /* bytes waiting for the wire before drop-tail; 0: unbounded */
    int impair_arp;
};

struct tsim_dir_stats {
    uint64_t sent, lost, queue_drops, reordered, duplicated, corrupted, delivered, filtered;
};

struct tsim;
/* Sees every frame a host sends, before the link; returns 1 to drop it. */
typedef int (*tsim_filter_fn)(void *ctx, struct tsim *s, int from, const uint8_t *frame, size_t len);

struct tsim_host {
    struct tsim *sim;
    int idx;
    int down;                 /* frames to and from it vanish */
    struct atoll_config cfg;
    void *arena;
    size_t arena_len;
    struct atoll_stack *st;
    uint64_t deadline;        /* last atoll_poll() answer */
};

struct tsim_pkt;

/* Sees every frame a host sends that the filter let through, and may
 * rewrite it in place (up to 1514 bytes, *len updated); returns 1 to drop
 * it. A misbehaving peer (e.g. a receiver lying in its SACK blocks) is
 * written this way. */
typedef int (*tsim_mangle_fn)(void *ctx, struct tsim *s, int from, uint8_t *frame, size_t *len);

struct tsim {
    uint64_t now;
    uint64_t rng;
    int nhosts;
    struct tsim_host host[TSIM_MAX_HOSTS];
    struct tsim_impair imp[TSIM_MAX_HOSTS][TSIM_MAX_HOSTS];
    struct tsim_dir_stats stats[TSIM_MAX_HOSTS][TSIM_MAX_HOSTS];
    uint64_t busy_until_us[TSIM_MAX_HOSTS][TSIM_MAX_HOSTS];
    struct tsim_pkt **heap;
    size_t nheap, heap_cap;
    uint64_t order;
    tsim_filter_fn filter;
    void *filter_ctx;
    struct tsim_flow *flows[TSIM_MAX_FLOWS];
    int nflows;
    uint64_t frames_unknown_dst;
    tsim_mangle_fn mangle;
    void *mangle_ctx;
};

/* 02:00:00:00:01:(idx+1), 10.0.1.(idx+1)/24, small TCP sizing (8 connections,
 * 16 buffers of 64 KiB), a per-host seed and RFC 6528 secret. */
struct atoll_config tsim_host_config(int idx);
#define TSIM_IP(idx) (0x0a000101u + (uint32_t)(idx))

struct tsim *tsim_new(uint64_t seed, uint64_t start_ms);
void tsim_free(struct tsim *s);
/* Adds a host (its index); cfg NULL: tsim_host_config(index). */
int tsim_add_host(struct tsim *s, const struct atoll_config *cfg);
struct atoll_stack *tsim_st(struct tsim *s, int host);
/* The same impairments in every direction between every pair of hosts. */
void tsim_impair_all(struct tsim *s, const struct tsim_impair *imp);
/* A host that crashed and rebooted: its stack starts over (same config). */
void tsim_host_reboot(struct tsim *s, int host);

/* Runs until done(arg) holds (returns 1) or virtual time reaches `until`
 * (returns 0, now == until). done may be NULL. */
int tsim_run(struct tsim *s, uint64_t until, int (*done)(void *), void *arg);
/* Runs for ms of virtual time. */
void tsim_run_for(struct tsim *s, uint64_t ms);
uint64_t tsim_ctr(struct tsim *s, int host, enum atoll_counter c);
/* The sum of a direction's stats over all pairs. */
struct tsim_dir_stats tsim_total(const struct tsim *s);
/* Frames waiting on the link. */
size_t tsim_in_flight(const struct tsim *s);
/* Asserts what must hold of every TCP connection of a stack between any
 * two events (white box): SND.UNA <= SND.NXT <= SND.MAX, the SACK
 * scoreboard sorted, disjoint and inside [SND.UNA, SND.MAX], and the
 * RFC 6675 pipe never above the flight size. tsim_run calls it after
 * every frame delivered and every poll, netsim after every input and poll. */
void tsim_tcp_check(struct atoll_stack *st);

/* ---- an application endpoint: bulk sender and/or receiver ---- */
struct tsim_flow {
    struct tsim *sim;          /* may be NULL (netsim use): then st/clock */
    struct atoll_stack *st;
    uint64_t *clock;
    struct atoll_tcp *c;
    /* sending */
    const uint8_t *tx;
    size_t tx_len, tx_off;
    int shut_when_sent;        /* atoll_tcp_shutdown() once all is queued */
    int shut_done;
    /* receiving */
    uint8_t *rx;
    size_t rx_cap, rx_len;
    int no_read;               /* never read (window closes) */
    size_t read_chunk;         /* with read_every_ms: a slow reader */
    uint32_t read_every_ms;
    uint64_t next_read;
    int close_on_eof;          /* atoll_tcp_close() at EOF once all is sent */
    int closed_by_us;
    /* what happened */
    int connected, accepted, eof, closed, reset;
    int readable_events, writable_events, eof_reads;
    uint64_t t_connected, t_eof, t_closed, t_reset;
    uint64_t overflow;         /* bytes beyond rx_cap, discarded */
};

/* A flow on a simulated host (registered for timed reads). */
void tsim_flow_init(struct tsim_flow *f, struct tsim *s, int host);
/* A flow on any stack with an external clock (e.g. netsim's). */
void tsim_flow_init_st(struct tsim_flow *f, struct atoll_stack *st, uint64_t *clock);
void tsim_flow_tx(struct tsim_flow *f, const uint8_t *data, size_t len, int shut_when_sent);
void tsim_flow_rx(struct tsim_flow *f, uint8_t *buf, size_t cap);
/* Active open; 0 on success. */
int tsim_flow_connect(struct tsim_flow *f, uint32_t dst_ip, uint16_t port);
/* Sends/reads whatever is possible now (e.g. after changing settings). */
void tsim_flow_pump(struct tsim_flow *f);
void tsim_flow_event(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev);
/* The flow is finished: every byte sent, EOF read and the handle gone
 * (CLOSED, or closed by us). */
int tsim_flow_done(const struct tsim_flow *f);

/* Hands accepted connections to flows[0], flows[1], ... (pre-initialized). */
struct tsim_acceptor {
    struct tsim_flow *flows;
    int n, next;
    int refused;               /* connections beyond n: closed at once */
};
void tsim_acceptor_init(struct tsim_acceptor *a, struct tsim_flow *flows, int n);
void tsim_accept(void *user, struct atoll_tcp *c);

/* Deterministic test data. */
void tsim_fill(uint8_t *b, size_t n, uint64_t seed);

/* ---- independent TCP/IPv4 frame builder and parser ---- */
#define TSF_FIN 0x01u
#define TSF_SYN 0x02u
#define TSF_RST 0x04u
#define TSF_PSH 0x08u
#define TSF_ACK 0x10u
#define TSF_URG 0x20u

struct tseg {
    uint8_t smac[6], dmac[6];
    uint32_t src, dst;
    uint16_t ip_id;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t win, urp;
    uint8_t has_mss, has_ws, sack_perm, has_ts;
    uint16_t mss;
    uint8_t ws;
    uint32_t tsval, tsecr;
    uint8_t nsack;
    uint32_t sack_l[4], sack_r[4];
    const uint8_t *data;
    size_t dlen;
    /* parser only */
    uint8_t hdr_len;
    int bad_option;
    int ip_frag;              /* MF or a fragment offset: not parsed further */
};

/* Writes an Ethernet + IPv4 + TCP frame (checksums computed here, from the
 * RFC 1071 definition); returns its length. f needs 1514 bytes. */
size_t tseg_build(uint8_t *f, const struct tseg *t);
/* 1 and *out for a TCP/IPv4 frame whose IP and TCP checksums verify (any
 * failure is a cmocka failure); 0 for anything else (ARP, other IP). */
int tseg_parse(const uint8_t *f, size_t len, struct tseg *out);
/* RFC 9293 SEG.LEN */
uint32_t tseg_len(const struct tseg *t);

/* ---- a scripted peer against netsim's one stack (PEER_IP <-> NS_IP) ---- */
struct tpeer {
    struct netsim *ns;
    size_t cursor;            /* next captured frame to examine */
    uint16_t sport, dport;    /* the peer's port, the stack's port */
    uint32_t iss, snd_nxt;    /* the peer's sequence space */
    uint32_t irs, rcv_nxt;    /* the stack's */
    uint16_t win;             /* window the peer advertises (unscaled field) */
    uint8_t ws;               /* the peer's offered shift; ws_on when both agreed */
    int ws_on, ts_on, sack_on;
    uint8_t stack_ws;
    uint32_t tsval;           /* the peer's clock */
    uint32_t ts_recent;       /* the stack's last TSval */
};

void tpeer_init(struct tpeer *p, struct netsim *ns, uint16_t sport, uint16_t dport, uint32_t iss);
/* Sends one segment from the peer (timestamps when ts_on). */
void tpeer_send(struct tpeer *p, uint8_t flags, uint32_t seq, uint32_t ack, const uint8_t *data, size_t n);
/* Sends with explicit options (t supplies options, flags, seq, ack, data). */
void tpeer_send_raw(struct tpeer *p, struct tseg *t);
/* Data at snd_nxt with ACK of rcv_nxt; advances snd_nxt. */
void tpeer_send_data(struct tpeer *p, const uint8_t *data, size_t n);
/* The next TCP segment the stack sent to the peer, if any (1) — tracks the
 * stack's TSval. Non-TCP frames are skipped. */
int tpeer_next(struct tpeer *p, struct tseg *out);
/* Number of TCP segments not yet examined. */
size_t tpeer_pending(struct tpeer *p);
void tpeer_skip_all(struct tpeer *p);
/* ns_clear() and forget the examined frames. */
void tpeer_clear(struct tpeer *p);
/* The passive open of a connection at the stack's listening port: SYN
 * with the options asked for (TPEER_* bits: MSS 1460, SACK-permitted,
 * WS 7, timestamps), SYN-ACK check, ACK. Returns the SYN-ACK. */
#define TPEER_MSS 1
#define TPEER_SACK 2
#define TPEER_WS 4
#define TPEER_TS 8
#define TPEER_ALL 15
struct tseg tpeer_connect(struct tpeer *p, int options);


/* ---- a one-stack fixture: netsim's stack listening on TFIX_PORT ---- */
#define TFIX_PORT 80
#define TFIX_FLOWS 4
struct tfix {
    struct netsim *ns;
    struct tpeer p;
    struct tsim_flow flow[TFIX_FLOWS]; /* accepted connections, in order */
    struct tsim_acceptor acc;
    uint8_t *rxbuf[TFIX_FLOWS];
    struct atoll_config cfg;
};
/* NS_IP with the given buffer size (0: default), small connection table,
 * a known secret; started, announced, PEER known, listening. The flows
 * read everything at once unless told otherwise (flow[i].no_read). */
struct tfix *tfix_new(uint32_t bufsize);
void tfix_free(struct tfix *f);
/* tpeer_init + tpeer_connect (TPEER_* options); returns the accepted flow. */
struct tsim_flow *tfix_open(struct tfix *f, uint16_t peer_port, uint32_t peer_iss, int options);
/* Advances netsim's clock by ms, running the stack's timers. */
void tfix_wait(struct tfix *f, uint64_t ms);

/* ---- two hosts talking: host 0 the client, host 1 the server ----
 * delay_ms each way, a listener on port of host 1 (srv_cfg, or the default
 * host config); the client flow sends cli_n bytes and the server flow
 * srv_n (neither shuts down by itself), each receiving into a buffer with
 * 64 KiB more room than the other side's script (tests send extra bytes). */
struct tsim_pair {
    struct tsim *s;
    struct tsim_flow cli, srv;
    struct tsim_acceptor acc;
    uint8_t *cli_tx, *srv_tx, *cli_rx, *srv_rx;
    size_t cli_n, srv_n;
};
struct tsim_pair *tsim_pair_new(uint64_t seed, size_t cli_n, size_t srv_n, const struct atoll_config *srv_cfg,
                                uint16_t port, uint32_t delay_ms);
void tsim_pair_free(struct tsim_pair *p);

#endif
