/* Atoll TCP/IP — the one header for embedders.
 *
 * The stack is a pure core: it performs no I/O, reads no clock, never
 * allocates and keeps no global state. The caller hands it an arena at
 * init, passes the current monotonic time (milliseconds) into every call,
 * and receives frames to transmit through a callback.
 *
 *   st = atoll_stack_init(arena, sizeof arena, &cfg, &cb, now);
 *   loop: atoll_input(st, frame, len, now) for each received frame;
 *         deadline = atoll_poll(st, now); sleep until a frame or deadline.
 */
#ifndef ATOLL_TCPIP_H
#define ATOLL_TCPIP_H

#include <stddef.h>
#include <stdint.h>

#define ATOLL_NO_DEADLINE UINT64_MAX

/* An arena of this size (16-byte aligned) always suffices; atoll_stack_size()
 * gives the exact need. */
#define ATOLL_ARENA_SIZE (512u * 1024u)

/* IPv4 addresses are host-order integers: 10.0.0.1 is 0x0a000001. */
struct atoll_config {
    uint8_t mac[6];
    int use_dhcp;       /* 1: acquire the address by DHCP; ip/netmask/gateway ignored */
    uint32_t ip;
    uint32_t netmask;
    uint32_t gateway;   /* 0: none, only the local subnet is reachable */
    uint64_t seed;      /* platform entropy: IP identification, DHCP xid, jitter */
};

enum atoll_event {
    ATOLL_EV_ADDR_UP,      /* a = address, b = prefix length */
    ATOLL_EV_ADDR_DOWN,    /* a = address that was given up */
    ATOLL_EV_DHCP_DISCOVER,
    ATOLL_EV_DHCP_OFFER,   /* a = offered address, b = server */
    ATOLL_EV_DHCP_BOUND,   /* a = address, b = lease seconds */
    ATOLL_EV_DHCP_RENEWED, /* a = address, b = lease seconds */
    ATOLL_EV_DHCP_REBOUND, /* a = address, b = lease seconds */
    ATOLL_EV_DHCP_NAK,     /* a = server */
    ATOLL_EV_DHCP_EXPIRED, /* a = address */
    ATOLL_EV_ARP_CONFLICT  /* a = our address, claimed by another host */
};

struct atoll_callbacks {
    void *ctx;
    /* A complete Ethernet frame (no FCS) to put on the wire. */
    void (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
    /* Optional: state changes worth a log line. */
    void (*event)(void *ctx, enum atoll_event ev, uint32_t a, uint32_t b);
};

struct atoll_stack;

/* Receives one UDP datagram for a bound port. */
typedef void (*atoll_udp_recv_fn)(void *user, struct atoll_stack *st, uint32_t src_ip, uint16_t src_port,
                                  uint16_t dst_port, const uint8_t *data, size_t len, uint64_t now);

enum atoll_err {
    ATOLL_OK = 0,
    ATOLL_E_ARENA = -1,    /* arena too small or misaligned */
    ATOLL_E_CONFIG = -2,   /* invalid configuration */
    ATOLL_E_INUSE = -3,    /* port already bound */
    ATOLL_E_FULL = -4,     /* no free slot */
    ATOLL_E_TOOBIG = -5,   /* datagram larger than IPv4 allows */
    ATOLL_E_NOROUTE = -6,  /* no address yet, or destination unreachable by route */
    ATOLL_E_NOTFOUND = -7
};

/* Every drop has a reason and every reason a counter. */
#define ATOLL_COUNTERS(X) \
    X(ETH_RX) X(ETH_DROP_RUNT) X(ETH_DROP_VLAN) X(ETH_DROP_NOT_FOR_US) X(ETH_DROP_ETHERTYPE) \
    X(ETH_DROP_OVERSIZE) X(ETH_TX) \
    X(ARP_RX) X(ARP_DROP_TRUNC) X(ARP_DROP_UNSUPPORTED) X(ARP_DROP_OPCODE) X(ARP_DROP_BAD_SENDER) \
    X(ARP_DROP_NO_ADDR) X(ARP_REPLY_TX) X(ARP_REQUEST_TX) X(ARP_REQUEST_RATE_LIMITED) \
    X(ARP_GRATUITOUS_TX) X(ARP_CACHE_EVICT) X(ARP_CACHE_EXPIRE) X(ARP_RESOLVE_FAIL) \
    X(ARP_QUEUE_DROP) X(ARP_CONFLICT) \
    X(IP_RX) X(IP_DROP_TRUNC) X(IP_DROP_VERSION) X(IP_DROP_HDRLEN) X(IP_DROP_TOTLEN) \
    X(IP_DROP_CSUM) X(IP_DROP_FRAG_RANGE) X(IP_DROP_BAD_SRC) X(IP_DROP_NOT_FOR_US) \
    X(IP_DROP_PROTO) X(IP_FRAG_RX) X(IP_FRAG_DROP_MALFORMED) X(IP_REASM_OK) \
    X(IP_REASM_OVERLAP) X(IP_REASM_DUP) X(IP_REASM_TIMEOUT) X(IP_REASM_EVICT) \
    X(IP_TX) X(IP_TX_FRAG) X(IP_TX_NO_ROUTE) X(IP_TX_TOO_BIG) \
    X(ICMP_RX) X(ICMP_DROP_TRUNC) X(ICMP_DROP_CSUM) X(ICMP_DROP_BROADCAST) X(ICMP_ECHO_REPLY_TX) \
    X(ICMP_UNREACH_TX) X(ICMP_RATE_LIMITED) X(ICMP_RX_ERROR) X(ICMP_RX_OTHER) \
    X(UDP_RX) X(UDP_DROP_TRUNC) X(UDP_DROP_LENGTH) X(UDP_DROP_CSUM) X(UDP_DROP_NO_PORT) X(UDP_TX) \
    X(DHCP_RX) X(DHCP_DROP_MALFORMED) X(DHCP_DROP_UNEXPECTED) X(DHCP_TX)

#define ATOLL_CTR_ENUM_(n) ATOLL_CTR_##n,
enum atoll_counter { ATOLL_COUNTERS(ATOLL_CTR_ENUM_) ATOLL_CTR_COUNT };
#undef ATOLL_CTR_ENUM_

struct atoll_counters {
    uint64_t v[ATOLL_CTR_COUNT];
};

/* Bytes the arena must hold (alignment: 16). */
size_t atoll_stack_size(void);

/* NULL on a too-small/misaligned arena or an invalid config. Starts DHCP
 * or announces the static address (gratuitous ARP) at once. */
struct atoll_stack *atoll_stack_init(void *arena, size_t arena_len, const struct atoll_config *cfg,
                                     const struct atoll_callbacks *cb, uint64_t now);

/* One received Ethernet frame (without FCS). */
void atoll_input(struct atoll_stack *st, const uint8_t *frame, size_t len, uint64_t now);

/* Runs due timers and returns the next deadline (absolute, same clock as
 * now) or ATOLL_NO_DEADLINE. */
uint64_t atoll_poll(struct atoll_stack *st, uint64_t now);

int atoll_udp_bind(struct atoll_stack *st, uint16_t port, atoll_udp_recv_fn fn, void *user);
int atoll_udp_unbind(struct atoll_stack *st, uint16_t port);
/* Sends one datagram (fragmented when larger than the MTU). */
int atoll_udp_send(struct atoll_stack *st, uint16_t src_port, uint32_t dst_ip, uint16_t dst_port,
                   const uint8_t *data, size_t len, uint64_t now);

/* 0 and the current address when one is configured, ATOLL_E_NOROUTE otherwise. */
int atoll_ipv4_addr(const struct atoll_stack *st, uint32_t *ip, uint32_t *netmask, uint32_t *gateway);

const struct atoll_counters *atoll_get_counters(const struct atoll_stack *st);
const char *atoll_counter_name(enum atoll_counter c);

#endif
