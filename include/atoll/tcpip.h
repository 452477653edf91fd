/* SPDX-License-Identifier: Apache-2.0 */
/* Atoll TCP/IP: the public API (libatoll-tcpip, pkg-config atoll-tcpip).
 *
 * The stack is a pure core: it performs no I/O, reads no clock, never
 * allocates and keeps no global state. The caller hands it an arena at
 * init, passes the current monotonic time (milliseconds) into every call,
 * and receives frames to transmit through a callback.
 *
 *   size = atoll_stack_size_for(&cfg);     arena: size bytes, 16-aligned
 *   st = atoll_stack_init(arena, size, &cfg, &cb, now);
 *   loop: atoll_input(st, frame, len, now) for each received frame;
 *         deadline = atoll_poll(st, now); sleep until a frame or deadline.
 * (examples/tcpip_echo is this loop over a Linux tap.)
 *
 * The device: Ethernet II, MTU 1500 (frames up to 1514 bytes without FCS;
 * longer ones are dropped and counted ETH_DROP_OVERSIZE). The arena need
 * not be zeroed, and the size functions return multiples of 16. init
 * already calls send_frame (the gratuitous ARP or DHCPDISCOVER) and the
 * event callback, so the device is open before it.
 *
 * Callbacks run only inside calls into the stack (atoll_input, atoll_poll,
 * atoll_stack_init and any atoll_tcp_* / atoll_udp_* call), on the
 * caller's thread; the frame and datagram pointers they get are valid
 * during the callback only. TCP's event callback gets no time: use the
 * now of the call that is running (keep it in your context), as
 * examples/tcpip_echo does. One stack is used by one thread at a time.
 */
#ifndef ATOLL_TCPIP_H
#define ATOLL_TCPIP_H

#include <stddef.h>
#include <stdint.h>

#include <atoll/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Run-time version of the linked library (ATOLL_VERSION_NUMBER of its
 * build) and its string ("0.1.0"). */
unsigned long atoll_tcpip_version(void);
const char *atoll_tcpip_version_string(void);

#define ATOLL_NO_DEADLINE UINT64_MAX

/* An arena of this size (16-byte aligned) suffices for the default sizing. */
#define ATOLL_ARENA_SIZE (10u * 1024u * 1024u)


/* IPv4 addresses are host-order integers: 10.0.0.1 is 0x0a000001. */
struct atoll_config {
    uint8_t mac[6];
    int use_dhcp;       /* 1: acquire the address by DHCP; ip/netmask/gateway ignored */
    uint32_t ip;
    uint32_t netmask;
    uint32_t gateway;   /* 0: none, only the local subnet is reachable */
    uint64_t seed;      /* platform entropy: IP identification, DHCP xid, jitter */
    uint8_t secret[16]; /* platform entropy: the key of RFC 6528 initial sequence numbers */
    /* TCP sizing; 0 picks the default in brackets. */
    uint32_t tcp_max_conns;   /* connections, TIME-WAIT excluded [512] */
    uint32_t tcp_buffers;     /* shared pool of send/receive buffers [256] */
    uint32_t tcp_buffer_size; /* bytes per buffer, a power of two 4096..1048576 [32768] */
    uint32_t tcp_rto_min_ms;  /* RFC 6298 floor of the retransmission timeout [200] */
    /* Connections the application has closed and the stack finishes alone:
     * at most this many (beyond it the oldest is reset) [tcp_max_conns / 2],
     * each given up after this many unanswered retransmissions or persist
     * probes [6]. */
    uint32_t tcp_max_orphans;
    uint32_t tcp_orphan_retries;
    /* Transmit offloads of the device behind callbacks.send_frame_ex (both
     * off when that callback is NULL; neither is needed for correctness):
     * tx_csum_offload 1: TCP checksums are left for the device to complete
     * (ATOLL_TX_CSUM); tso_max > 0: TCP may hand it super-segments of up
     * to this many payload bytes (a multiple of the MSS but for the tail of
     * the data) that it cuts into MSS-sized segments (ATOLL_TX_GSO_TCPV4),
     * which implies tx_csum_offload. With tso_max, TCP output that
     * arriving frames cause waits for the atoll_poll that follows them, so
     * a batch of ACKs lets out one super-segment. */
    uint8_t tx_csum_offload;
    uint32_t tso_max;
};

/* What a frame handed to send_frame_ex still needs from the device. The
 * fields mirror struct virtio_net_hdr (virtio 1.x 5.1.6), which the Linux
 * tap (IFF_VNET_HDR), virtio-net and Xen netfront's GSO extra info all
 * carry, so a platform copies them over. */
#define ATOLL_TX_CSUM 1u          /* complete the checksum (below) */
#define ATOLL_TX_GSO_NONE 0u
#define ATOLL_TX_GSO_TCPV4 1u
struct atoll_tx_meta {
    uint8_t flags;        /* ATOLL_TX_CSUM or 0 */
    /* With ATOLL_TX_CSUM: the one's-complement sum of the bytes from
     * csum_start (from the frame's first byte) to the end, complemented,
     * goes into the 16 bits at csum_start + csum_offset, which hold the
     * pseudo-header sum (folded, not complemented) meanwhile. */
    uint16_t csum_start, csum_offset;
    /* ATOLL_TX_GSO_TCPV4: one IPv4/TCP datagram (its total length that of
     * the whole) whose payload the device cuts into gso_size pieces, each
     * with a copy of the hdr_len header bytes (Ethernet, IP, TCP), the
     * sequence number, IP length, identification (+1 a piece) and both
     * checksums fixed up, FIN and PSH kept only on the last piece. */
    uint8_t gso_type;
    uint16_t gso_size;
    uint16_t hdr_len;
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
    /* Optional: a frame in two pieces (head: the Ethernet, IP and TCP
     * headers; body: the rest, maybe empty) with the work left for the
     * device (atoll_config.tx_csum_offload, tso_max). The stack uses it
     * only when one of those is set, and only for TCP; send_frame carries
     * everything else. */
    void (*send_frame_ex)(void *ctx, const uint8_t *head, size_t head_len, const uint8_t *body, size_t body_len,
                          const struct atoll_tx_meta *meta);
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
    X(DHCP_RX) X(DHCP_DROP_MALFORMED) X(DHCP_DROP_UNEXPECTED) X(DHCP_TX) \
    X(TCP_RX) X(TCP_DROP_TRUNC) X(TCP_DROP_HDRLEN) X(TCP_DROP_CSUM) X(TCP_DROP_OPTION) X(TCP_DROP_BCAST) X(TCP_DROP_PORT0) \
    X(TCP_RST_TX) X(TCP_RST_RX) X(TCP_RST_IGNORED) X(TCP_CHALLENGE_ACK_TX) X(TCP_CHALLENGE_ACK_LIMITED) \
    X(TCP_DROP_NOT_ACCEPTABLE) X(TCP_DROP_PAWS) X(TCP_DROP_BAD_ACK) X(TCP_DROP_NO_ACK) X(TCP_DROP_NO_BUFFER) \
    X(TCP_DROP_LISTEN_FULL) X(TCP_DROP_NO_CONN) X(TCP_SYN_COOKIE_TX) X(TCP_SYN_COOKIE_OK) X(TCP_SYN_COOKIE_BAD) \
    X(TCP_CONN_OPEN) X(TCP_CONN_CLOSE) X(TCP_CONN_RESET) X(TCP_CONN_TIMEOUT) \
    X(TCP_ORPHAN_EVICT) X(TCP_ORPHAN_RECLAIM) X(TCP_ORPHAN_TIMEOUT) \
    X(TCP_SEG_TX) X(TCP_REXMIT) X(TCP_REXMIT_TIMEOUT) X(TCP_FAST_REXMIT) X(TCP_DUP_ACK) \
    X(TCP_OOO_RX) X(TCP_OOO_DROP) X(TCP_DUP_DATA) X(TCP_PERSIST_PROBE) X(TCP_KEEPALIVE_TX) \
    X(TCP_TW_EVICT) X(TCP_TW_REUSE) \
    X(TCP_SACK_RENEGED) X(TCP_ACK_RATE_LIMITED) X(TCP_REXMIT_LOST) X(TCP_TSO_TX)

#define ATOLL_CTR_ENUM_(n) ATOLL_CTR_##n,
enum atoll_counter { ATOLL_COUNTERS(ATOLL_CTR_ENUM_) ATOLL_CTR_COUNT };
#undef ATOLL_CTR_ENUM_

struct atoll_counters {
    uint64_t v[ATOLL_CTR_COUNT];
};

/* Bytes the arena must hold (alignment: 16): for the default sizing, and
 * for the sizing in cfg. */
size_t atoll_stack_size(void);
size_t atoll_stack_size_for(const struct atoll_config *cfg);
/* What one TCP connection's control block takes in the arena (its buffers
 * come from the shared pool only while bytes are in them). */
size_t atoll_tcp_conn_size(void);

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

/* ---- TCP ----
 * A connection handle stays valid until the stack reports ATOLL_TCP_CLOSED
 * or ATOLL_TCP_RESET for it, or until the owner calls atoll_tcp_close() or
 * atoll_tcp_abort() (after which the stack finishes the protocol alone and
 * reports nothing more). Callbacks may call any atoll_tcp_* function, and
 * any atoll_tcp_* call may report CLOSED or RESET for its own handle from
 * inside (atoll_tcp_recv of the peer's FIN after our own shutdown, say):
 * look at the handle again after each call that can end it.
 * READABLE comes once per arrival of new bytes: bytes left unread are not
 * reported again, so read until atoll_tcp_recv returns 0 or stop reading
 * only when you will come back on your own. WRITABLE comes only after a
 * short atoll_tcp_send or an atoll_tcp_writable() of 0. */
struct atoll_tcp;

enum atoll_tcp_event {
    ATOLL_TCP_CONNECTED,   /* active open completed */
    ATOLL_TCP_READABLE,    /* new in-order bytes, or the peer's FIN, to read */
    ATOLL_TCP_WRITABLE,    /* send buffer space freed after a short write */
    ATOLL_TCP_CLOSED,      /* both directions finished; the handle is gone */
    ATOLL_TCP_RESET        /* reset, refused or timed out; the handle is gone */
};

typedef void (*atoll_tcp_event_fn)(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev);
/* A passive open completed. The acceptor installs a handler with
 * atoll_tcp_set_handler() before it returns, or closes or aborts the
 * connection: events of a connection without a handler reach no one. */
typedef void (*atoll_tcp_accept_fn)(void *user, struct atoll_tcp *c);

int atoll_tcp_listen(struct atoll_stack *st, uint16_t port, atoll_tcp_accept_fn fn, void *user);
int atoll_tcp_unlisten(struct atoll_stack *st, uint16_t port);
/* Active open; NULL when no connection slot or no address is free. */
struct atoll_tcp *atoll_tcp_connect(struct atoll_stack *st, uint32_t dst_ip, uint16_t dst_port,
                                    atoll_tcp_event_fn fn, void *user, uint64_t now);
void atoll_tcp_set_handler(struct atoll_tcp *c, atoll_tcp_event_fn fn, void *user);
/* Queues up to len bytes; returns how many were taken (0 when the buffer is
 * full: wait for ATOLL_TCP_WRITABLE) or a negative atoll_err. */
long atoll_tcp_send(struct atoll_tcp *c, const uint8_t *data, size_t len, uint64_t now);
/* Takes up to cap in-order bytes: their count, 0 when none is waiting, or
 * ATOLL_TCP_EOF once the peer's FIN has been reached. */
#define ATOLL_TCP_EOF (-100)
long atoll_tcp_recv(struct atoll_tcp *c, uint8_t *buf, size_t cap, uint64_t now);
/* Sends FIN after the queued bytes; receiving continues. */
int atoll_tcp_shutdown(struct atoll_tcp *c, uint64_t now);
/* Releases the handle: FIN after queued bytes (RST if unread bytes remain,
 * RFC 9293 3.6.1). */
void atoll_tcp_close(struct atoll_tcp *c, uint64_t now);
/* Releases the handle like atoll_tcp_close(), but unread bytes and what
 * the peer still sends are acknowledged and dropped instead of answered
 * with a reset, for at most linger_ms (then the connection is reset): a
 * lingering close (RFC 9112 9.6) the stack finishes alone, so late bytes
 * from the peer do not destroy the response it has not read yet, and the
 * owner's resources are free at once. The connection is an orphan like any
 * closed one: counted, capped, reclaimed first when buffers run short. */
void atoll_tcp_close_lingering(struct atoll_tcp *c, uint32_t linger_ms, uint64_t now);
/* Releases the handle and resets the connection. */
void atoll_tcp_abort(struct atoll_tcp *c, uint64_t now);
/* Keep-alive probes (RFC 1122 4.2.3.6) after idle_ms without a segment
 * from the peer, every interval_ms, giving up (ATOLL_TCP_RESET) after
 * count unanswered probes. idle_ms 0 turns them off (the default). */
int atoll_tcp_keepalive(struct atoll_tcp *c, uint32_t idle_ms, uint32_t interval_ms, uint8_t count, uint64_t now);
/* Nagle's algorithm (RFC 896): hold a small segment while data is unacknowledged.
 * Off by default: the appliance writes whole responses. */
void atoll_tcp_nagle(struct atoll_tcp *c, int on);
size_t atoll_tcp_readable(const struct atoll_tcp *c);
/* Bytes queued and not yet acknowledged by the peer (0: all it was sent
 * has reached it). */
size_t atoll_tcp_unacked(const struct atoll_tcp *c);
/* Bytes atoll_tcp_send() would take now. 0 arms ATOLL_TCP_WRITABLE: it
 * comes once space opens (acknowledged data, or a buffer returned to the
 * shared pool by another connection). */
size_t atoll_tcp_writable(struct atoll_tcp *c);
void atoll_tcp_peer(const struct atoll_tcp *c, uint32_t *ip, uint16_t *port);
/* RFC 9293 state name, e.g. "ESTABLISHED". */
const char *atoll_tcp_state_name(const struct atoll_tcp *c);

const struct atoll_counters *atoll_get_counters(const struct atoll_stack *st);
const char *atoll_counter_name(enum atoll_counter c);

#ifdef __cplusplus
}
#endif

#endif
