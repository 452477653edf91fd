/* SPDX-License-Identifier: Apache-2.0 */
/* The whole frame-input path: one stack instance per input, virtual time.
 *
 * Input format (all integers big-endian):
 *   byte 0        configuration: bit 0 DHCP (else static 10.0.0.2/24),
 *                 bit 1 static gateway 10.0.0.1, bits 2-3 start time,
 *                 bits 4-7 entropy seed
 *   then records, until the input ends:
 *   op  (1 byte)  bit 0 fix the IPv4 header checksum
 *                 bit 1 fix the UDP/ICMP checksum (unfragmented datagrams)
 *                 bit 2 fill in what the stack chose: in a DHCP reply the xid and
 *                       chaddr it last sent; in a TCP segment from a peer address
 *                       and port the stack last sent to, its port and the
 *                       acknowledgment number of everything it sent there
 *                 bit 3 set the destination MAC to the stack's
 *                 bit 4 first jump the clock to the deadline atoll_poll gave
 *                 bit 5 the record is an application send, not a frame:
 *                       dst ip (4) dst port (2) src port (2) payload;
 *                       src port 0: a TCP connect, the payload sent on it
 *                 bits 6-7 unit of dt: 1 ms, 100 ms, 10 s, 10 min
 *   dt  (1 byte)  clock advance before the record, in that unit
 *   len (2 bytes) record length (cut to what is left), then len bytes
 * After each record atoll_poll runs; at the end the clock jumps from
 * deadline to deadline a few times so that timers fire.
 *
 * A UDP echo service is bound to port 7 and a discard service to port 9;
 * when the stack has TCP, a TCP echo service listens on port 7 (it echoes
 * what it reads and closes at the peer's FIN).
 * Invariants checked on every frame handed to send_frame:
 *   - 14..1514 bytes, from our MAC, to a resolved (non-zero, not our) MAC;
 *   - ARP: a valid request/reply from our MAC and address; a reply only
 *     while answering a request for our address;
 *   - IPv4: a correct header checksum, total length == frame payload, from
 *     our address (0.0.0.0 only for the DHCP client); fragments well formed;
 *     the complete datagram (reassembled here when fragmented) carries a
 *     correct UDP/ICMP/TCP checksum;
 *   - every UDP datagram other than DHCP's is one the harness asked for
 *     (application send or echo), byte for byte;
 *   - per destination, datagrams leave in the order they were made (IP
 *     identifications increase: the ARP queue is FIFO);
 *   - RFC 1122 3.2.2: no ICMP error about a broadcast, a link broadcast or
 *     an ICMP error; echo replies and the echo service answer unicast only;
 * and after every event: the ETH_TX and ETH_RX counters match what the
 * harness saw, one event causes at most MAX_FRAMES_PER_EVENT frames, and
 * atoll_poll does not keep returning deadlines that are already due. */
#include "atoll/tcpip.h"
#include "fuzz_common.h"
#include "tcpip/wire_arp.h"
#include "tcpip/wire_dhcp.h"
#include "tcpip/wire_eth.h"
#include "tcpip/wire_icmp.h"
#include "tcpip/wire_ipv4.h"
#include "tcpip/wire_udp.h"
#ifdef ATOLL_TCP_EOF
#include "tcpip/wire_tcp.h"
#endif

#define OP_FIX_IP 0x01u
#define OP_FIX_L4 0x02u
#define OP_FIX_DHCP 0x04u
#define OP_FIX_ETH 0x08u
#define OP_JUMP 0x10u
#define OP_APP_SEND 0x20u

#define ECHO_PORT 7u
#define DISCARD_PORT 9u
#define MAX_FRAMES_PER_EVENT 128u
#define END_JUMPS 8
#define POLL_SETTLE 16
#define EXPECT_RING 1024      /* UDP datagrams asked for, most recent */
#define ORDER_SLOTS 64        /* destinations whose last IP id is remembered */
#define ORDER_MAX_GAP 4000u   /* records; beyond that a 16-bit id may have wrapped */
#define TX_REASM_SLOTS 4
#define TCP_TRACK 8           /* connections whose next sequence number is remembered */

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint64_t start_times[4] = {0, 1, 123456789u, 1099511627776u};
static const uint64_t dt_units[4] = {1, 100, 10000, 600000};

/* What the harness is doing while the stack emits frames. */
enum ev_kind { EV_OTHER = 0, EV_ARP_IN, EV_IPV4_IN };

struct event_ctx {
    enum ev_kind kind;
    /* EV_ARP_IN */
    int arp_request_for_us;
    /* EV_IPV4_IN: from the frame as given (NOT validated by the harness) */
    int link_bcast;
    uint32_t ip_src, ip_dst;
    uint8_t proto;
    int icmp_error;   /* unfragmented ICMP error message */
    const uint8_t *dgram;   /* the IPv4 datagram when unfragmented and well formed, else NULL */
    size_t dgram_len;
    size_t dgram_hlen;
};

struct expected {
    uint32_t dst;
    uint16_t sport, dport;
    uint32_t len;
    uint64_t hash;
};

struct order {
    int used;
    uint32_t dst;
    uint16_t id, off;
    uint64_t rec;
};

struct tx_reasm {
    int used;
    uint32_t src, dst;
    uint16_t id;
    uint8_t proto;
    int have_last;
    uint32_t total, received;
    uint64_t age;
    uint8_t map[8192];        /* one byte per 8-byte block: simple and exact */
    uint8_t data[65536];
};

struct tcp_track {
    int used;
    uint32_t peer;
    uint16_t peer_port, our_port;
    uint32_t next_seq;        /* seq + length (+1 for SYN and FIN) of the stack's last segment */
    uint64_t stamp;
};

struct harness {
    struct atoll_stack *st;   /* NULL while atoll_stack_init runs */
    uint32_t cfg_ip;          /* static address, 0 under DHCP */
    uint64_t frames;          /* frames seen by send_frame */
    uint64_t event_frames;    /* ... since the current event began */
    uint32_t dhcp_xid;        /* xid of the last DHCP message the stack sent */
    int have_xid;
    uint64_t rec;             /* record number */
    uint64_t now;
    struct event_ctx ev;
    struct expected exp[EXPECT_RING];
    unsigned exp_next, exp_count;
    struct order order[ORDER_SLOTS];
    unsigned order_next;
    uint64_t reasm_clock;
    struct tcp_track tcp[TCP_TRACK];
    unsigned tcp_next;
};

static struct harness H;
static struct tx_reasm R[TX_REASM_SLOTS];
static void *arena;
static size_t arena_len;
static volatile uint64_t sink;
static int trace = -1; /* FUZZ_STACK_TRACE=1 in the environment: narrate to stderr */

static uint64_t fnv(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static void expect_udp(uint32_t dst, uint16_t sport, uint16_t dport, const uint8_t *data, size_t len)
{
    struct expected *e = &H.exp[H.exp_next];
    e->dst = dst;
    e->sport = sport;
    e->dport = dport;
    e->len = (uint32_t)len;
    e->hash = fnv(data, len);
    H.exp_next = (H.exp_next + 1u) % EXPECT_RING;
    if (H.exp_count < EXPECT_RING)
        H.exp_count++;
}

static int was_expected(uint32_t dst, uint16_t sport, uint16_t dport, const uint8_t *data, size_t len)
{
    uint64_t h = fnv(data, len);
    for (unsigned i = 0; i < H.exp_count; i++) {
        const struct expected *e = &H.exp[i];
        if (e->dst == dst && e->sport == sport && e->dport == dport && e->len == len && e->hash == h)
            return 1;
    }
    return 0;
}

static uint32_t current_ip(void)
{
    uint32_t ip = 0;
    if (H.st == NULL)
        return H.cfg_ip;
    if (atoll_ipv4_addr(H.st, &ip, NULL, NULL) != ATOLL_OK)
        return 0;
    return ip;
}

/* Datagrams to one destination leave in the order they were made. */
static void check_order(uint32_t dst, uint16_t id, uint16_t off)
{
    struct order *o = NULL;
    for (unsigned i = 0; i < ORDER_SLOTS; i++)
        if (H.order[i].used && H.order[i].dst == dst)
            o = &H.order[i];
    if (o == NULL) {
        o = &H.order[H.order_next];
        H.order_next = (H.order_next + 1u) % ORDER_SLOTS;
    } else if (H.rec - o->rec < ORDER_MAX_GAP) {
        if (id == o->id)
            FUZZ_CHECK(off > o->off); /* fragments of one datagram, in order */
        else
            FUZZ_CHECK((int16_t)(uint16_t)(id - o->id) > 0);
    }
    o->used = 1;
    o->dst = dst;
    o->id = id;
    o->off = off;
    o->rec = H.rec;
}

static struct tcp_track *tcp_find(uint32_t peer, uint16_t peer_port, uint16_t our_port)
{
    for (unsigned i = 0; i < TCP_TRACK; i++) {
        struct tcp_track *t = &H.tcp[i];
        if (t->used && t->peer == peer && t->peer_port == peer_port && t->our_port == our_port)
            return t;
    }
    return NULL;
}

/* The connection the stack last sent on to this peer address and port. */
static const struct tcp_track *tcp_find_peer(uint32_t peer, uint16_t peer_port)
{
    const struct tcp_track *best = NULL;
    for (unsigned i = 0; i < TCP_TRACK; i++) {
        const struct tcp_track *t = &H.tcp[i];
        if (t->used && t->peer == peer && t->peer_port == peer_port && (best == NULL || t->stamp > best->stamp))
            best = t;
    }
    return best;
}

/* A complete datagram the stack sent (unfragmented, or reassembled here). */
static void check_datagram(uint32_t src, uint32_t dst, uint8_t proto, const uint8_t *pl, size_t plen)
{
    uint32_t ip = current_ip();
    if (proto == IPV4_PROTO_UDP) {
        struct udp_hdr u;
        FUZZ_CHECK(udp_parse(pl, plen, src, dst, &u) == UDP_HDR_LEN);
        FUZZ_CHECK(u.length == plen && u.csum != 0 && u.sport != 0 && u.dport != 0);
        const uint8_t *data = pl + UDP_HDR_LEN;
        size_t dlen = plen - UDP_HDR_LEN;
        /* Byte for byte what an application send or the echo service asked
         * for (an application may send from port 68 too) ... */
        if (src != 0 && src == ip && was_expected(dst, u.sport, u.dport, data, dlen))
            return;
        /* ... or the stack's own DHCP client. */
        FUZZ_CHECK(u.sport == DHCP_CLIENT_PORT && u.dport == DHCP_SERVER_PORT);
        /* The DHCP client may send from 0.0.0.0 before it has an address. */
        FUZZ_CHECK(src == ip || src == 0);
        struct dhcp_msg m;
        FUZZ_CHECK(dhcp_parse(data, dlen, &m) > 0);
        FUZZ_CHECK(m.op == 1 && memcmp(m.chaddr, our_mac, 6) == 0);
        FUZZ_CHECK(m.msg_type == DHCP_DISCOVER || m.msg_type == DHCP_REQUEST || m.msg_type == DHCP_DECLINE
                   || m.msg_type == DHCP_RELEASE);
        /* RFC 2131 table 5: what each client message carries. */
        if (m.msg_type == DHCP_DISCOVER)
            FUZZ_CHECK(m.ciaddr == 0 && !m.has_server_id && src == 0);
        if (m.msg_type == DHCP_REQUEST && src == 0) /* SELECTING (or INIT-REBOOT) */
            FUZZ_CHECK(m.ciaddr == 0 && m.has_req_ip && m.req_ip != 0);
        if (m.msg_type == DHCP_REQUEST && src != 0) /* RENEWING / REBINDING */
            FUZZ_CHECK(m.ciaddr == src && !m.has_req_ip && !m.has_server_id);
        H.dhcp_xid = m.xid;
        H.have_xid = 1;
    } else if (proto == IPV4_PROTO_ICMP) {
        struct icmp_hdr ic;
        FUZZ_CHECK(src != 0 && src == ip);
        FUZZ_CHECK(icmp_parse(pl, plen, &ic) == ICMP_HDR_LEN);
        FUZZ_CHECK(ic.type == ICMP_ECHO_REPLY || ic.type == ICMP_DEST_UNREACH);
#ifdef ATOLL_TCP_EOF
    } else if (proto == IPV4_PROTO_TCP) {
        struct tcp_hdr t;
        FUZZ_CHECK(src != 0 && src == ip);
        int r = tcp_parse(pl, plen, src, dst, &t);
        FUZZ_CHECK(r >= TCP_HDR_MIN && (size_t)r <= plen); /* includes a correct checksum */
        /* Our port is never 0, except in a RST answering a segment to port 0.
         * (A peer port 0 is answered like any other: a policy, not checked.) */
        FUZZ_CHECK(t.sport != 0 || t.rst);
        FUZZ_CHECK(!(t.syn && t.rst) && !(t.syn && t.fin));
        struct tcp_track *k = tcp_find(dst, t.dport, t.sport);
        if (k == NULL) {
            k = &H.tcp[H.tcp_next];
            H.tcp_next = (H.tcp_next + 1u) % TCP_TRACK;
        }
        k->used = 1;
        k->peer = dst;
        k->peer_port = t.dport;
        k->our_port = t.sport;
        k->next_seq = t.seq + (uint32_t)(plen - (size_t)r) + t.syn + t.fin;
        k->stamp = H.frames;
#endif
    } else {
        FUZZ_CHECK(!"IPv4 datagram with a protocol the stack does not send");
    }
}

/* Reassemble the stack's own fragments (they never overlap). */
static void tx_fragment(const struct ipv4_hdr *h, const uint8_t *pl, size_t plen)
{
    struct tx_reasm *s = NULL, *oldest = &R[0];
    for (int i = 0; i < TX_REASM_SLOTS; i++) {
        if (R[i].used && R[i].src == h->src && R[i].dst == h->dst && R[i].id == h->id && R[i].proto == h->proto)
            s = &R[i];
        if (!R[i].used || (oldest->used && R[i].age < oldest->age))
            oldest = &R[i];
    }
    if (s == NULL) {
        s = oldest; /* evicting a datagram whose other fragments were dropped is fine */
        s->used = 1;
        s->src = h->src;
        s->dst = h->dst;
        s->id = h->id;
        s->proto = h->proto;
        s->have_last = 0;
        s->total = s->received = 0;
        memset(s->map, 0, sizeof s->map);
    }
    s->age = ++H.reasm_clock;
    size_t off = (size_t)h->frag_off * 8u, b0 = off / 8u, b1 = (off + plen + 7u) / 8u;
    FUZZ_CHECK(off + plen <= 65535u - IPV4_HDR_MIN);
    for (size_t b = b0; b < b1; b++) {
        FUZZ_CHECK(!s->map[b]); /* overlapping or repeated fragment */
        s->map[b] = 1;
    }
    memcpy(s->data + off, pl, plen);
    s->received += (uint32_t)plen;
    if (!h->mf) {
        FUZZ_CHECK(!s->have_last);
        s->have_last = 1;
        s->total = (uint32_t)(off + plen);
    }
    if (s->have_last) {
        FUZZ_CHECK(s->received <= s->total);
        if (s->received == s->total) {
            s->used = 0;
            check_datagram(s->src, s->dst, s->proto, s->data, s->total);
        }
    }
}

/* RFC 1122 3.2.2 and the unicast-only rules, against the frame being input. */
static void check_icmp_cause(const uint8_t *pl, size_t plen)
{
    FUZZ_CHECK(plen >= ICMP_HDR_LEN);
    uint8_t type = pl[0];
    /* While an ARP reply is input, IPv4 frames are the ones queued for that
     * neighbour: made during earlier events, which we can no longer tell. */
    if (H.ev.kind == EV_ARP_IN)
        return;
    if (type == ICMP_ECHO_REPLY) {
        FUZZ_CHECK(H.ev.kind == EV_IPV4_IN && H.ev.proto == IPV4_PROTO_ICMP && H.ev.ip_dst == current_ip());
        if (H.ev.dgram != NULL) {
            /* The request's identifier, sequence and data, unchanged. */
            const uint8_t *req = H.ev.dgram + H.ev.dgram_hlen;
            size_t rlen = H.ev.dgram_len - H.ev.dgram_hlen;
            FUZZ_CHECK(rlen == plen && req[0] == ICMP_ECHO_REQUEST);
            FUZZ_CHECK(memcmp(req + 4, pl + 4, plen - 4) == 0);
        }
    } else if (type == ICMP_DEST_UNREACH) {
        FUZZ_CHECK(H.ev.kind == EV_IPV4_IN);
        FUZZ_CHECK(H.ev.ip_dst == current_ip()); /* never about a broadcast or multicast */
        FUZZ_CHECK(!H.ev.link_bcast);           /* nor a link-layer broadcast */
        FUZZ_CHECK(!H.ev.icmp_error);           /* nor an ICMP error */
        /* It quotes the offending header: the source it goes back to. */
        FUZZ_CHECK(plen >= ICMP_HDR_LEN + IPV4_HDR_MIN);
        FUZZ_CHECK(fuzz_rd32(pl + ICMP_HDR_LEN + 12) == H.ev.ip_src);
        /* Code 3 (port) for UDP, 2 (protocol) for what nothing handles. */
        FUZZ_CHECK(pl[1] == (H.ev.proto == IPV4_PROTO_UDP ? 3u : 2u));
        FUZZ_CHECK(H.ev.proto != IPV4_PROTO_ICMP || !H.ev.icmp_error);
        if (H.ev.dgram != NULL) {
            /* The offending datagram's first bytes, verbatim: the whole header
             * and at least 8 bytes of data (RFC 1812 4.3.2.3: up to 576 in all). */
            size_t q = plen - ICMP_HDR_LEN;
            FUZZ_CHECK(q <= H.ev.dgram_len && q + ICMP_HDR_LEN + IPV4_HDR_MIN <= 576u);
            FUZZ_CHECK(q >= H.ev.dgram_hlen + (H.ev.dgram_len - H.ev.dgram_hlen < 8u ? H.ev.dgram_len - H.ev.dgram_hlen : 8u));
            FUZZ_CHECK(memcmp(pl + ICMP_HDR_LEN, H.ev.dgram, q) == 0);
        }
    }
}

static void check_ipv4_frame(const uint8_t *p, size_t len)
{
    struct ipv4_hdr h;
    int r = ipv4_parse(p, len, &h);
    FUZZ_CHECK(r > 0); /* includes a correct header checksum */
    FUZZ_CHECK(h.total_len == len); /* no stray bytes behind the datagram */
    FUZZ_CHECK(h.ttl > 0);
    FUZZ_CHECK(h.dst != 0);
    const uint8_t *pl = p + h.hdr_len;
    size_t plen = (size_t)h.total_len - h.hdr_len;
    check_order(h.dst, h.id, h.frag_off);
    if (h.proto == IPV4_PROTO_ICMP && h.frag_off == 0)
        check_icmp_cause(pl, plen);
    if (h.mf || h.frag_off != 0) {
        FUZZ_CHECK(plen > 0);
        if (h.mf)
            FUZZ_CHECK(plen % 8u == 0);
        FUZZ_CHECK(h.src != 0 && h.src == current_ip());
        tx_fragment(&h, pl, plen);
        return;
    }
    check_datagram(h.src, h.dst, h.proto, pl, plen);
}

static void on_frame(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    H.frames++;
    H.event_frames++;
    FUZZ_CHECK(H.event_frames <= MAX_FRAMES_PER_EVENT);
    FUZZ_CHECK(frame != NULL);
    FUZZ_CHECK(len >= ETH_HDR_LEN && len <= ETH_FRAME_MAX);
    uint8_t *f = fuzz_dup(frame, len); /* exact size: the checks below cannot over-read */
    if (trace)
        fprintf(stderr, "  tx %zu bytes, type %04x, to %02x:%02x:%02x:%02x:%02x:%02x\n", len,
                (unsigned)fuzz_rd16(f + 12), f[0], f[1], f[2], f[3], f[4], f[5]);
    struct eth_hdr eh;
    FUZZ_CHECK(eth_parse(f, len, &eh) == ETH_HDR_LEN);
    static const uint8_t zero[6] = {0};
    FUZZ_CHECK(memcmp(eh.src, our_mac, 6) == 0);
    FUZZ_CHECK(memcmp(eh.dst, zero, 6) != 0 && memcmp(eh.dst, our_mac, 6) != 0);
    if (eh.type == ETHERTYPE_ARP) {
        struct arp_pkt a;
        FUZZ_CHECK(arp_parse(f + ETH_HDR_LEN, len - ETH_HDR_LEN, &a) == ARP_PKT_LEN);
        FUZZ_CHECK(memcmp(a.sha, our_mac, 6) == 0);
        FUZZ_CHECK(a.spa != 0 && a.spa == current_ip());
        if (a.oper == ARP_OP_REPLY) {
            FUZZ_CHECK(H.ev.kind == EV_ARP_IN && H.ev.arp_request_for_us);
            FUZZ_CHECK(memcmp(eh.dst, a.tha, 6) == 0 && !(eh.dst[0] & 1u));
        }
    } else if (eh.type == ETHERTYPE_IPV4) {
        check_ipv4_frame(f + ETH_HDR_LEN, len - ETH_HDR_LEN);
    } else {
        FUZZ_CHECK(!"frame with an ethertype the stack never sends");
    }
    free(f);
}

static void on_event(void *ctx, enum atoll_event ev, uint32_t a, uint32_t b)
{
    (void)ctx;
    if (trace)
        fprintf(stderr, "  event %d a=%08x b=%u\n", (int)ev, (unsigned)a, (unsigned)b);
}

static void echo(void *user, struct atoll_stack *st, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                 const uint8_t *data, size_t len, uint64_t now)
{
    (void)user;
    FUZZ_CHECK(st == H.st && dst_port == ECHO_PORT && now == H.now);
    FUZZ_CHECK(len <= IPV4_MAX_LEN - IPV4_HDR_MIN - UDP_HDR_LEN);
    /* Services answer unicast only, and the datagram came from the frame's source. */
    FUZZ_CHECK(H.ev.kind == EV_IPV4_IN && H.ev.ip_dst == current_ip() && H.ev.ip_src == src_ip);
    expect_udp(src_ip, ECHO_PORT, src_port, data, len); /* reads every byte: ASan checks the view */
    (void)atoll_udp_send(st, ECHO_PORT, src_ip, src_port, data, len, now);
}

static void discard(void *user, struct atoll_stack *st, uint32_t src_ip, uint16_t src_port, uint16_t dst_port,
                    const uint8_t *data, size_t len, uint64_t now)
{
    (void)user, (void)src_port;
    FUZZ_CHECK(st == H.st && dst_port == DISCARD_PORT && now == H.now);
    FUZZ_CHECK(H.ev.kind == EV_IPV4_IN && H.ev.ip_dst == current_ip() && H.ev.ip_src == src_ip);
    sink = fnv(data, len);
}

#ifdef ATOLL_TCP_EOF
/* TCP echo: what is read goes back (as much as the send buffer takes);
 * the peer's FIN closes. Handles are never kept past a callback. */
static void tcp_echo(void *user, struct atoll_tcp *c, enum atoll_tcp_event ev)
{
    (void)user;
    if (ev == ATOLL_TCP_CLOSED || ev == ATOLL_TCP_RESET)
        return; /* the handle is gone */
    if (ev != ATOLL_TCP_READABLE)
        return;
    uint8_t buf[2048];
    for (int k = 0; k < 64; k++) {
        long n = atoll_tcp_recv(c, buf, sizeof buf, H.now);
        if (n == ATOLL_TCP_EOF) {
            atoll_tcp_close(c, H.now);
            return;
        }
        FUZZ_CHECK(n >= 0 && (size_t)n <= sizeof buf);
        if (n == 0)
            return;
        long w = atoll_tcp_send(c, buf, (size_t)n, H.now);
        FUZZ_CHECK(w <= n);
    }
}

static void tcp_accept(void *user, struct atoll_tcp *c)
{
    (void)user;
    FUZZ_CHECK(c != NULL);
    atoll_tcp_set_handler(c, tcp_echo, NULL);
}
#endif

/* Make a fuzzed frame easier to accept: the fuzzer rarely guesses checksums
 * or a DHCP transaction id, so an op bit asks the harness to fill them in. */
static void fix_frame(uint8_t *f, size_t len, unsigned op)
{
    if ((op & OP_FIX_ETH) && len >= 6)
        memcpy(f, our_mac, 6);
    if (len < ETH_HDR_LEN + IPV4_HDR_MIN || fuzz_rd16(f + 12) != ETHERTYPE_IPV4)
        return;
    uint8_t *ip = f + ETH_HDR_LEN;
    size_t iplen = len - ETH_HDR_LEN;
    size_t hlen = (size_t)(ip[0] & 15u) * 4u;
    if (hlen < IPV4_HDR_MIN || hlen > iplen)
        return;
    size_t total = fuzz_rd16(ip + 2);
    int whole = (fuzz_rd16(ip + 6) & 0x3fffu) == 0;
    if (total >= hlen && total <= iplen && whole) {
        uint8_t *l4 = ip + hlen;
        size_t l4len = total - hlen;
        uint32_t src = fuzz_rd32(ip + 12), dst = fuzz_rd32(ip + 16);
        if (ip[9] == IPV4_PROTO_UDP && l4len >= UDP_HDR_LEN) {
            size_t ulen = fuzz_rd16(l4 + 4);
            if ((op & OP_FIX_DHCP) && H.have_xid && l4len >= UDP_HDR_LEN + DHCP_OPTIONS_OFF) {
                fuzz_wr32(l4 + UDP_HDR_LEN + 4, H.dhcp_xid);
                memcpy(l4 + UDP_HDR_LEN + 28, our_mac, 6);
            }
            if ((op & OP_FIX_L4) && ulen >= UDP_HDR_LEN && ulen <= l4len) {
                l4[6] = l4[7] = 0;
                uint16_t c = fuzz_csum_value(fuzz_sum_raw(fuzz_pseudo(src, dst, IPV4_PROTO_UDP, (uint32_t)ulen), l4, ulen));
                fuzz_wr16(l4 + 6, c ? c : 0xffffu);
            }
        } else if (ip[9] == IPV4_PROTO_ICMP && l4len >= ICMP_HDR_LEN && (op & OP_FIX_L4)) {
            l4[2] = l4[3] = 0;
            fuzz_wr16(l4 + 2, fuzz_csum_value(fuzz_sum_raw(0, l4, l4len)));
        } else if (ip[9] == IPV4_PROTO_TCP && l4len >= 20) {
            if (op & OP_FIX_DHCP) {
                const struct tcp_track *k = tcp_find_peer(src, (uint16_t)fuzz_rd16(l4));
                if (k != NULL) {
                    fuzz_wr16(l4 + 2, k->our_port);
                    fuzz_wr32(l4 + 8, k->next_seq);
                }
            }
            if (op & OP_FIX_L4) {
                l4[16] = l4[17] = 0;
                fuzz_wr16(l4 + 16, fuzz_csum_value(fuzz_sum_raw(fuzz_pseudo(src, dst, IPV4_PROTO_TCP, (uint32_t)l4len), l4, l4len)));
            }
        }
    }
    if (op & OP_FIX_IP) {
        ip[10] = ip[11] = 0;
        fuzz_wr16(ip + 10, fuzz_csum_value(fuzz_sum_raw(0, ip, hlen)));
    }
}

/* What the frame about to be input claims to be (for the cause checks). */
static void classify(const uint8_t *f, size_t len)
{
    memset(&H.ev, 0, sizeof H.ev);
    if (len < ETH_HDR_LEN)
        return;
    uint32_t type = fuzz_rd16(f + 12);
    if (type == ETHERTYPE_ARP && len >= ETH_HDR_LEN + ARP_PKT_LEN) {
        const uint8_t *a = f + ETH_HDR_LEN;
        H.ev.kind = EV_ARP_IN;
        H.ev.arp_request_for_us = fuzz_rd16(a + 6) == ARP_OP_REQUEST && fuzz_rd32(a + 24) == current_ip();
    } else if (type == ETHERTYPE_IPV4 && len >= ETH_HDR_LEN + IPV4_HDR_MIN) {
        const uint8_t *ip = f + ETH_HDR_LEN;
        size_t hlen = (size_t)(ip[0] & 15u) * 4u;
        H.ev.kind = EV_IPV4_IN;
        H.ev.link_bcast = memcmp(f, bcast_mac, 6) == 0;
        H.ev.ip_src = fuzz_rd32(ip + 12);
        H.ev.ip_dst = fuzz_rd32(ip + 16);
        H.ev.proto = ip[9];
        if (H.ev.proto == IPV4_PROTO_ICMP && (fuzz_rd16(ip + 6) & 0x3fffu) == 0 && hlen >= IPV4_HDR_MIN
            && len > ETH_HDR_LEN + hlen) {
            uint8_t t = ip[hlen];
            H.ev.icmp_error = t == ICMP_DEST_UNREACH || t == ICMP_SOURCE_QUENCH || t == ICMP_REDIRECT
                              || t == ICMP_TIME_EXCEEDED || t == ICMP_PARAM_PROBLEM;
        }
        size_t total = fuzz_rd16(ip + 2);
        if ((fuzz_rd16(ip + 6) & 0x3fffu) == 0 && hlen >= IPV4_HDR_MIN && total >= hlen && total <= len - ETH_HDR_LEN) {
            H.ev.dgram = ip;
            H.ev.dgram_len = total;
            H.ev.dgram_hlen = hlen;
        }
    }
}

static void check_counters(uint64_t inputs)
{
    const struct atoll_counters *c = atoll_get_counters(H.st);
    FUZZ_CHECK(c->v[ATOLL_CTR_ETH_TX] == H.frames);
    FUZZ_CHECK(c->v[ATOLL_CTR_ETH_RX] == inputs);
}

/* Runs due timers; a deadline that is already due must not come back for ever. */
static uint64_t poll_settled(uint64_t now)
{
    memset(&H.ev, 0, sizeof H.ev);
    H.event_frames = 0;
    uint64_t d = atoll_poll(H.st, now);
    for (int i = 0; i < POLL_SETTLE && d <= now; i++)
        d = atoll_poll(H.st, now);
    FUZZ_CHECK(d > now);
    return d;
}

#ifdef ATOLL_TCP_EOF
/* Sized for the configuration when the stack offers that; until then the
 * default size. (Weak: the harness builds before and after it lands.) */
#pragma weak atoll_stack_size_for
#endif

static void make_config(struct atoll_config *cfg, uint8_t c0)
{
    memset(cfg, 0, sizeof *cfg);
    memcpy(cfg->mac, our_mac, 6);
    cfg->use_dhcp = c0 & 1u;
    cfg->ip = 0x0a000002u;
    cfg->netmask = 0xffffff00u;
    cfg->gateway = (c0 & 2u) ? 0x0a000001u : 0;
    cfg->seed = (uint64_t)(c0 >> 4) * 0x9e3779b97f4a7c15ull;
#ifdef ATOLL_TCP_EOF
    /* Small TCP pools: the arena is cleared for every input. */
    cfg->tcp_max_conns = 4;
    cfg->tcp_buffers = 8;
    cfg->tcp_buffer_size = 4096;
#endif
}

static size_t stack_bytes(const struct atoll_config *cfg)
{
    (void)cfg;
#ifdef ATOLL_TCP_EOF
    if (atoll_stack_size_for != NULL)
        return atoll_stack_size_for(cfg);
#endif
    return atoll_stack_size();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (trace < 0)
        trace = getenv("FUZZ_STACK_TRACE") != NULL;
    memset(&H, 0, sizeof H);
    for (int i = 0; i < TX_REASM_SLOTS; i++)
        R[i].used = 0;
    uint8_t c0 = data[0];
    struct atoll_config cfg;
    make_config(&cfg, c0);
    if (arena == NULL) {
        /* Exactly the stack's size, so ASan sees an overrun of the instance.
         * The sizing does not depend on c0. */
        arena_len = (stack_bytes(&cfg) + 15u) / 16u * 16u;
        arena = aligned_alloc(16, arena_len);
        FUZZ_CHECK(arena != NULL);
    }
    H.cfg_ip = cfg.use_dhcp ? 0 : cfg.ip;
    uint64_t now = start_times[(c0 >> 2) & 3u];
    H.now = now;
    struct atoll_callbacks cb = {.ctx = &H, .send_frame = on_frame, .event = on_event};

    struct atoll_stack *st = atoll_stack_init(arena, arena_len, &cfg, &cb, now);
    FUZZ_CHECK(st != NULL);
    H.st = st;
    FUZZ_CHECK(atoll_udp_bind(st, ECHO_PORT, echo, NULL) == ATOLL_OK);
    FUZZ_CHECK(atoll_udp_bind(st, DISCARD_PORT, discard, NULL) == ATOLL_OK);
    FUZZ_CHECK(atoll_udp_bind(st, ECHO_PORT, echo, NULL) == ATOLL_E_INUSE);
#ifdef ATOLL_TCP_EOF
    FUZZ_CHECK(atoll_tcp_listen(st, ECHO_PORT, tcp_accept, NULL) == ATOLL_OK);
#endif
    uint64_t deadline = poll_settled(now);
    uint64_t inputs = 0;

    size_t i = 1;
    while (i + 4 <= size) {
        unsigned op = data[i];
        uint64_t dt = (uint64_t)data[i + 1] * dt_units[op >> 6];
        size_t len = fuzz_rd16(data + i + 2);
        i += 4;
        if (len > size - i)
            len = size - i;
        const uint8_t *rec = data + i;
        i += len;
        H.rec++;

        if ((op & OP_JUMP) && deadline != ATOLL_NO_DEADLINE && deadline > now)
            now = deadline;
        now += dt;
        H.now = now;
        H.event_frames = 0;
        if (trace)
            fprintf(stderr, "t=%llu %s op=%02x len=%zu\n", (unsigned long long)now,
                    (op & OP_APP_SEND) ? "send" : "frame", op, len);
        if (op & OP_APP_SEND) {
            memset(&H.ev, 0, sizeof H.ev);
            if (len >= 8) {
                uint32_t dst = fuzz_rd32(rec);
                uint16_t dport = (uint16_t)fuzz_rd16(rec + 4), sport = (uint16_t)fuzz_rd16(rec + 6);
                uint8_t *payload = fuzz_dup(rec + 8, len - 8);
#ifdef ATOLL_TCP_EOF
                if (sport == 0) {
                    struct atoll_tcp *c = atoll_tcp_connect(st, dst, dport, tcp_echo, NULL, now);
                    if (c != NULL && len > 8)
                        FUZZ_CHECK(atoll_tcp_send(c, payload, len - 8, now) <= (long)(len - 8));
                    free(payload);
                    goto next;
                }
#endif
                expect_udp(dst, sport, dport, payload, len - 8);
                int r = atoll_udp_send(st, sport, dst, dport, payload, len - 8, now);
                FUZZ_CHECK(r <= 0);
                free(payload);
            }
        } else {
            uint8_t *frame = fuzz_dup(rec, len);
            fix_frame(frame, len, op);
            classify(frame, len);
            atoll_input(st, frame, len, now);
            inputs++;
            free(frame);
        }
#ifdef ATOLL_TCP_EOF
    next:
#endif
        deadline = poll_settled(now);
        check_counters(inputs);
    }
    for (int j = 0; j < END_JUMPS && deadline != ATOLL_NO_DEADLINE; j++) {
        now = deadline;
        H.now = now;
        deadline = poll_settled(now);
        check_counters(inputs);
    }
    if (trace) {
        const struct atoll_counters *c = atoll_get_counters(st);
        for (int k = 0; k < ATOLL_CTR_COUNT; k++)
            if (c->v[k])
                fprintf(stderr, "  %s=%llu\n", atoll_counter_name((enum atoll_counter)k), (unsigned long long)c->v[k]);
    }
    return 0;
}
