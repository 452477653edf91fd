/* SPDX-License-Identifier: Apache-2.0 */
/* A DHCP server (and its ARP presence) for the client tests: it logs every
 * client message after checking it byte by byte, and answers as told. */
#ifndef ATOLL_TEST_FAKE_DHCP_SERVER_H
#define ATOLL_TEST_FAKE_DHCP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "netsim.h"

#define SRV_IP 0x0a000001u
#define SRV_YI 0x0a000032u   /* the address it hands out: 10.0.0.50 */
extern const uint8_t SRV_MAC[6];

/* One client message as seen on the wire. */
struct cmsg {
    uint64_t t;
    uint8_t type;
    uint32_t xid, ciaddr, ip_src, ip_dst;
    uint8_t eth_dst[6];
    uint16_t flags, secs;
    int has50, has54;
    uint32_t opt50, opt54;
};

struct fake_server {
    int offer, ack, nak, arp; /* answer DISCOVER / REQUEST (ACK or NAK) / ARP */
    uint32_t lease, t1, t2;   /* 0: option left out */
    size_t n;
    struct cmsg log[512];
};

struct server_reply {
    uint8_t op;               /* 0: BOOTREPLY */
    uint8_t type;
    uint32_t xid, yiaddr, server_id, lease, t1, t2, mask, router;
    const uint8_t *chaddr;    /* NULL: the client's */
    int unicast;              /* to yiaddr and our MAC, else broadcast */
};

void fake_server_init(struct fake_server *s);
/* The ns_responder; ns->user must point at the fake_server. */
void fake_server_respond(struct netsim *ns, const struct ns_frame *f);
/* A reply carrying what the server would offer for this xid. */
struct server_reply fake_server_reply(const struct fake_server *s, uint8_t type, uint32_t xid);
/* Sends a reply; raw/raw_len, when given, replace the DHCP message bytes. */
void fake_server_send(struct netsim *ns, const struct server_reply *r);
void fake_server_send_raw(struct netsim *ns, const uint8_t *msg, size_t len);
/* Client messages of one type logged so far. */
size_t fake_server_count(const struct fake_server *s, uint8_t type);
const struct cmsg *fake_server_last(const struct fake_server *s);

#endif
