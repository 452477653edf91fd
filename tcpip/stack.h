/* SPDX-License-Identifier: Apache-2.0 */
/* Internal layout of a stack instance and the functions the layers share.
 * Everything a stack owns lives in struct atoll_stack, carved from the
 * caller's arena: fixed caps, no allocation, no globals. */
#ifndef ATOLL_STACK_H
#define ATOLL_STACK_H

#include "atoll/tcpip.h"
#include "tcpip/wire_eth.h"
#include "tcpip/wire_ipv4.h"
#include "tcpip/tcp.h"

#define ARP_CACHE_SIZE 32
#define ARP_QUEUE_SIZE 16
#define ARP_ENTRY_TTL_MS 60000u
#define ARP_REFRESH_MS 10000u       /* re-ask this long before an entry expires */
#define ARP_RETRY_MS 1000u          /* at most one request per target per second */
#define ARP_MAX_TRIES 3
#define ARP_FAIL_HOLD_MS 3000u      /* after failing, do not ask again this soon */
#define ARP_ANNOUNCE_COUNT 2        /* RFC 5227 section 2.3 */
#define ARP_ANNOUNCE_GAP_MS 2000u

#define REASM_SLOTS 4
#define REASM_TIMEOUT_MS 30000u
#define REASM_BLOCKS 8192           /* 8-byte blocks in 64 KiB */

#define UDP_BINDINGS 8

#define ICMP_ERR_BURST 10u
#define ICMP_ERR_PER_SEC 10u

#define IP_DEFAULT_TTL 64u

enum arp_state { ARP_FREE = 0, ARP_INCOMPLETE, ARP_RESOLVED, ARP_FAILED };

struct arp_entry {
    uint8_t state;
    uint8_t tries;
    uint8_t mac[6];
    uint32_t ip;
    uint64_t expires;     /* RESOLVED: end of validity; FAILED: end of hold */
    uint64_t last_req;
    uint64_t next_retry;  /* INCOMPLETE: time of next request */
};

struct arp_pending {
    uint8_t used;
    uint32_t next_hop;
    uint16_t len;         /* whole frame, Ethernet header included */
    uint64_t queued_at;
    uint32_t seq;         /* queueing order: many frames share a millisecond */
    uint8_t frame[ETH_FRAME_MAX];
};

struct reasm_slot {
    uint8_t used;
    uint8_t have_last;
    uint8_t proto;
    uint16_t id;
    uint32_t src, dst;
    uint32_t total;       /* payload length, known once the last fragment came */
    uint32_t received;    /* payload bytes placed */
    uint32_t max_end;     /* furthest byte any fragment reached */
    uint64_t deadline;
    uint64_t started;
    uint8_t hdr[60];      /* header of the offset-0 fragment, for ICMP errors */
    uint16_t hdr_len;
    uint8_t have_first;
    uint8_t map[REASM_BLOCKS / 8];
    uint8_t data[65536];
};

struct udp_binding {
    uint16_t port;        /* 0: free */
    atoll_udp_recv_fn fn;
    void *user;
};

enum dhcp_state { DHCPS_OFF = 0, DHCPS_INIT, DHCPS_SELECTING, DHCPS_REQUESTING, DHCPS_BOUND, DHCPS_RENEWING, DHCPS_REBINDING };

struct dhcp_client {
    uint8_t state;
    uint8_t tries;
    uint32_t xid;
    uint32_t offered;
    uint32_t server;
    uint64_t started;     /* of the current exchange, for 'secs' */
    uint64_t next_tx;     /* retransmission or state timer */
    uint64_t t1, t2, expiry;
    uint64_t lease_start;
    uint64_t req_at;      /* first REQUEST of this exchange: the lease runs from here */
};

struct atoll_stack {
    struct atoll_callbacks cb;
    uint8_t mac[6];
    uint32_t ip, netmask, gateway;  /* ip == 0: unconfigured */
    uint64_t rng;
    uint16_t ip_id;
    uint64_t now;
    uint8_t rx_link_bcast;          /* the frame being processed was link broadcast */
    struct atoll_counters ctr;
    uint8_t tx_csum_offload;        /* atoll_config's, kept only with send_frame_ex */
    uint32_t tso_max;
    uint8_t in_input;               /* inside atoll_input: TCP output may wait for the poll */

    struct arp_entry arp[ARP_CACHE_SIZE];
    struct arp_pending arpq[ARP_QUEUE_SIZE];
    uint32_t arpq_seq;
    uint8_t announce_left;          /* gratuitous ARPs still to send */
    uint64_t announce_at;

    struct reasm_slot reasm[REASM_SLOTS];

    struct udp_binding udp[UDP_BINDINGS];

    uint32_t icmp_tokens;           /* in thousandths of a message */
    uint64_t icmp_last;

    struct dhcp_client dhcp;

    struct tcp_stack tcp;

    uint8_t frame[ETH_FRAME_MAX];   /* scratch for one outgoing frame */
    uint8_t tx[65536];              /* scratch for one outgoing datagram's payload */
};

#define CTR(st, name) ((st)->ctr.v[ATOLL_CTR_##name]++)

uint64_t stack_rand(struct atoll_stack *st);
void stack_event(struct atoll_stack *st, enum atoll_event ev, uint32_t a, uint32_t b);
void stack_set_addr(struct atoll_stack *st, uint32_t ip, uint32_t mask, uint32_t gw);
uint64_t stack_min(uint64_t a, uint64_t b);

/* arp.c */
void arp_input(struct atoll_stack *st, const struct eth_hdr *eh, const uint8_t *p, size_t len);
/* Sends an IP packet framed in st->frame (payload from offset 14, length
 * len including the Ethernet header) to next_hop, queueing it while the
 * address resolves. */
void arp_output(struct atoll_stack *st, uint32_t next_hop, size_t len);
void arp_announce(struct atoll_stack *st);
uint64_t arp_timers(struct atoll_stack *st);
void arp_flush(struct atoll_stack *st);

/* ipv4.c */
void ipv4_input(struct atoll_stack *st, const uint8_t *p, size_t len, int link_bcast);
/* Sends st->tx[0 .. len-1] as the payload of one datagram from `src`. */
int ipv4_output(struct atoll_stack *st, uint32_t src, uint32_t dst, uint8_t proto, size_t len);
int ipv4_is_local_bcast(const struct atoll_stack *st, uint32_t a);
/* The Ethernet address of dst's next hop when a frame to it can leave at
 * once (resolved and not due for a refresh), else NULL: the offload path
 * builds its own frame, which the ARP queue (MTU-sized slots) cannot hold. */
const uint8_t *ipv4_hop_mac(const struct atoll_stack *st, uint32_t dst);
/* Sends st->tx[0 .. len-1], a TCP segment with a thl-byte header whose
 * checksum field holds the pseudo-header sum, to mac through send_frame_ex,
 * the device completing the checksum and, when the payload exceeds
 * gso_size (> 0), cutting it into gso_size pieces. */
int ipv4_output_offload(struct atoll_stack *st, const uint8_t mac[6], uint32_t src, uint32_t dst, size_t len,
                        size_t thl, uint16_t gso_size);

/* reasm.c: returns 1 with a complete datagram's payload in *out, 0 while
 * incomplete or dropped. */
int reasm_input(struct atoll_stack *st, const struct ipv4_hdr *h, const uint8_t *payload, size_t plen,
                const uint8_t *hdr, const uint8_t **out, size_t *out_len, struct reasm_slot **slot);
void reasm_release(struct reasm_slot *slot);
uint64_t reasm_timers(struct atoll_stack *st);

/* icmp.c */
void icmp_input(struct atoll_stack *st, const struct ipv4_hdr *h, const uint8_t *p, size_t len);
/* Destination unreachable about a datagram whose header is hdr[0..hlen) and
 * payload pl[0..plen). */
void icmp_unreachable(struct atoll_stack *st, uint8_t code, const struct ipv4_hdr *h, const uint8_t *hdr,
                      size_t hlen, const uint8_t *pl, size_t plen);

/* udp.c */
void udp_input(struct atoll_stack *st, const struct ipv4_hdr *h, const uint8_t *hdr, const uint8_t *p, size_t len);
int udp_send_from(struct atoll_stack *st, uint32_t src_ip, uint16_t src_port, uint32_t dst_ip, uint16_t dst_port,
                  const uint8_t *data, size_t len);

/* dhcp_client.c */
void dhcp_start(struct atoll_stack *st);
void dhcp_input(struct atoll_stack *st, const uint8_t *p, size_t len);
uint64_t dhcp_timers(struct atoll_stack *st);

#endif
