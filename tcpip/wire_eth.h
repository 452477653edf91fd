/* SPDX-License-Identifier: Apache-2.0 */
/* Ethernet II header view. */
#ifndef ATOLL_WIRE_ETH_H
#define ATOLL_WIRE_ETH_H

#include <stddef.h>
#include <stdint.h>

#include "spec/wire.acsl.h"

#define ETH_HDR_LEN 14
#define ETH_ADDR_LEN 6
#define ETH_MTU 1500
#define ETH_FRAME_MAX (ETH_HDR_LEN + ETH_MTU)

#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_ARP 0x0806u
#define ETHERTYPE_VLAN 0x8100u
#define ETHERTYPE_QINQ 0x88a8u

enum eth_err { ETH_E_TRUNC = -1 };

struct eth_hdr {
    uint8_t dst[ETH_ADDR_LEN];
    uint8_t src[ETH_ADDR_LEN];
    uint16_t type;
};

/* Reads the 14-byte header; the payload starts at buf + the result. */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(buf + (0 .. len - 1), out);
  @ assigns *out;
  @ behavior runt:
  @   assumes len < ETH_HDR_LEN;
  @   assigns \nothing;
  @   ensures \result == ETH_E_TRUNC;
  @ behavior ok:
  @   assumes len >= ETH_HDR_LEN;
  @   ensures \result == ETH_HDR_LEN && 0 < \result <= len;
  @   ensures \forall integer i; 0 <= i < ETH_ADDR_LEN ==>
  @           out->dst[i] == buf[i] && out->src[i] == buf[ETH_ADDR_LEN + i];
  @   ensures out->type == BE16(buf + 12);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int eth_parse(const uint8_t *buf, size_t len, struct eth_hdr *out);

/* Writes exactly the 14-byte header and returns 14. */
/*@ requires \valid(buf + (0 .. cap - 1));
  @ requires \valid_read(h);
  @ requires \separated(buf + (0 .. cap - 1), h);
  @ assigns buf[0 .. ETH_HDR_LEN - 1];
  @ behavior space:
  @   assumes cap < ETH_HDR_LEN;
  @   assigns \nothing;
  @   ensures \result == ETH_E_TRUNC;
  @ behavior ok:
  @   assumes cap >= ETH_HDR_LEN;
  @   ensures \result == ETH_HDR_LEN && 0 < \result <= cap;
  @   ensures \forall integer i; 0 <= i < ETH_ADDR_LEN ==>
  @           buf[i] == h->dst[i] && buf[ETH_ADDR_LEN + i] == h->src[i];
  @   ensures BE16(buf + 12) == h->type;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int eth_emit(uint8_t *buf, size_t cap, const struct eth_hdr *h);

#endif
