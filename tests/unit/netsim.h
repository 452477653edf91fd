/* SPDX-License-Identifier: Apache-2.0 */
/* Test harness for the stack: a virtual host around one atoll_stack, with
 * a capturing send_frame, an event log, virtual time, and frame builders
 * that share no code with tcpip/ (so a bug in an emitter cannot hide a bug
 * in the parser that reads its output, or the other way round). */
#ifndef ATOLL_TEST_NETSIM_H
#define ATOLL_TEST_NETSIM_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/tcpip.h"

/* ---- the addresses every engine test uses ---- */
extern const uint8_t NS_MAC[6];     /* ours: 02:00:00:00:00:01 */
extern const uint8_t PEER_MAC[6];   /* 02:00:00:00:00:aa */
extern const uint8_t BCAST_MAC[6];
#define NS_IP 0x0a000002u   /* 10.0.0.2/24 */
#define NS_MASK 0xffffff00u
#define NS_GW 0x0a000001u
#define NS_BCAST 0x0a0000ffu
#define PEER_IP 0x0a000005u

/* ---- byte access ---- */
void put16(uint8_t *p, uint16_t v);
void put32(uint8_t *p, uint32_t v);
uint16_t get16(const uint8_t *p);
uint32_t get32(const uint8_t *p);

/* ---- RFC 1071 reference checksum: 32-bit accumulate, fold at the end ---- */
uint32_t ref_sum(uint32_t acc, const uint8_t *b, size_t n);
uint16_t ref_fold(uint32_t acc);             /* folded, not complemented */
uint16_t ref_csum(const uint8_t *b, size_t n); /* value for the checksum field */
/* Checksum field value for UDP over u[0..n) with the pseudo-header. */
uint16_t ref_udp_csum(uint32_t src, uint32_t dst, const uint8_t *u, size_t n);

/* ---- exact-size copies, so ASan catches any read past the end ---- */
uint8_t *exact(const void *src, size_t n);
void exact_free_all(void);
int exact_teardown(void **state); /* group teardown for parser tests */

/* ---- builders: write into the caller's buffer, return the length ---- */
size_t mk_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type);
size_t mk_arp(uint8_t *f, const uint8_t *eth_dst, const uint8_t *eth_src, uint16_t op, const uint8_t *sha,
              uint32_t spa, const uint8_t *tha, uint32_t tpa);

struct ip_spec {
    uint32_t src, dst;
    uint8_t proto, ttl, tos;
    uint16_t id;
    int df, mf;
    uint16_t frag_off;  /* 8-byte units */
    size_t opt_len;     /* bytes of options (multiple of 4, <= 40) */
};
struct ip_spec ip_spec(uint32_t src, uint32_t dst, uint8_t proto);
/* IPv4 header (with options and a correct checksum) plus payload. */
size_t mk_ip(uint8_t *p, const struct ip_spec *s, const uint8_t *payload, size_t plen);
/* Ethernet from PEER_MAC to NS_MAC carrying mk_ip. */
size_t mk_ip_frame(uint8_t *f, const struct ip_spec *s, const uint8_t *payload, size_t plen);
/* UDP header + data with the pseudo-header checksum (0 sent as 0xffff). */
size_t mk_udp(uint8_t *u, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, const uint8_t *data, size_t n);
size_t mk_icmp_echo(uint8_t *m, uint8_t type, uint16_t id, uint16_t seq, const uint8_t *data, size_t n);
void fill_pattern(uint8_t *b, size_t n, unsigned seed);

/* ---- the virtual host ---- */
#define NS_MAX_FRAMES 1024
#define NS_FRAME_CAP 1600
#define NS_MAX_EVENTS 256

struct ns_frame {
    size_t len;
    uint8_t b[NS_FRAME_CAP];
};

struct ns_event {
    enum atoll_event ev;
    uint32_t a, b;
};

/* What a bound port received (the last datagram, and how many). */
struct ns_udp_rx {
    size_t count;
    uint32_t src;
    uint16_t sport, dport;
    uint64_t now;
    size_t len;
    uint8_t data[65536];
};

struct netsim;
/* Sees every frame the stack sends, after the stack call returns; may inject. */
typedef void (*ns_responder)(struct netsim *ns, const struct ns_frame *f);

struct netsim {
    struct atoll_stack *st;
    void *arena;
    uint64_t now;
    size_t nframes, seen;
    struct ns_frame *frames;
    size_t nevents;
    struct ns_event events[NS_MAX_EVENTS];
    ns_responder responder;
    void *user;
    struct ns_udp_rx *rx;
};

struct atoll_config ns_static_config(void);
struct atoll_config ns_dhcp_config(void);
/* NULL when atoll_stack_init refuses the config. */
struct netsim *ns_create(const struct atoll_config *cfg, uint64_t now);
/* The same, with a responder in place before init sends anything. */
struct netsim *ns_create_r(const struct atoll_config *cfg, uint64_t now, ns_responder r, void *user);
void ns_destroy(struct netsim *ns);
void ns_clear(struct netsim *ns);

void ns_input(struct netsim *ns, const uint8_t *frame, size_t len);
uint64_t ns_poll(struct netsim *ns);
/* Polls at every deadline up to t, then at t. */
void ns_run_until(struct netsim *ns, uint64_t t);
uint64_t ns_ctr(const struct netsim *ns, enum atoll_counter c);
size_t ns_count_events(const struct netsim *ns, enum atoll_event ev);

/* Binds port to a recorder filling ns->rx. */
void ns_bind(struct netsim *ns, uint16_t port);

/* Makes PEER (or any mac/ip) known: an ARP request to us, then clears. */
void ns_learn(struct netsim *ns, const uint8_t *mac, uint32_t ip);
/* One UDP datagram from PEER to dst (unfragmented). */
void ns_send_udp(struct netsim *ns, uint32_t dst, uint16_t sport, uint16_t dport, const uint8_t *data, size_t n);

/* cmocka fixtures: *state becomes a netsim with the static config, started
 * at t=1000 with its initial frames cleared. */
int ns_setup_static(void **state);
int ns_teardown(void **state);

/* ---- reading captured frames ---- */
uint16_t fr_type(const struct ns_frame *f);
int fr_is_arp(const struct ns_frame *f, uint16_t op, uint32_t tpa);
/* The IP header of an IPv4 frame (header checksum verified), else NULL. */
const uint8_t *fr_ip(const struct ns_frame *f);
size_t ns_count_arp(const struct netsim *ns, uint16_t op, uint32_t tpa);
size_t ns_count_ip(const struct netsim *ns, uint8_t proto);
/* The i-th captured IPv4 frame with this protocol, or NULL. */
const struct ns_frame *ns_nth_ip(const struct netsim *ns, uint8_t proto, size_t i);

/* Joins the fragments of one datagram found among captured frames into out
 * (capacity cap); returns the payload length, or -1 if incomplete, if the
 * fragments disagree or if they overlap. */
long ns_reassemble(const struct netsim *ns, uint8_t proto, uint16_t id, uint8_t *out, size_t cap);

#endif
