/* SPDX-License-Identifier: Apache-2.0 */
/* ARP (RFC 826) packet view, restricted to Ethernet hardware and IPv4. */
#ifndef ATOLL_WIRE_ARP_H
#define ATOLL_WIRE_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "spec/arp.acsl.h"

#define ARP_PKT_LEN 28
#define ARP_OP_REQUEST 1u
#define ARP_OP_REPLY 2u

enum arp_err { ARP_E_TRUNC = -1, ARP_E_UNSUPPORTED = -2, ARP_E_OPCODE = -3 };

struct arp_pkt {
    uint16_t oper;
    uint8_t sha[6];
    uint32_t spa;
    uint8_t tha[6];
    uint32_t tpa;
};

/* Accepts exactly the 28-byte Ethernet/IPv4 request or reply; bytes past
 * 28 (link padding) are not looked at. */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(buf + (0 .. len - 1), out);
  @ assigns *out;
  @ behavior trunc:
  @   assumes len < ARP_PKT_LEN;
  @   assigns \nothing;
  @   ensures \result == ARP_E_TRUNC;
  @ behavior unsupported:
  @   assumes len >= ARP_PKT_LEN && !arp_eth_ipv4(buf);
  @   assigns \nothing;
  @   ensures \result == ARP_E_UNSUPPORTED;
  @ behavior opcode:
  @   assumes len >= ARP_PKT_LEN && arp_eth_ipv4(buf) && !arp_op_ok(BE16(buf + 6));
  @   assigns \nothing;
  @   ensures \result == ARP_E_OPCODE;
  @ behavior ok:
  @   assumes len >= ARP_PKT_LEN && arp_eth_ipv4(buf) && arp_op_ok(BE16(buf + 6));
  @   ensures \result == ARP_PKT_LEN && 0 < \result <= len;
  @   ensures arp_op_ok(out->oper) && out->oper == BE16(buf + 6);
  @   ensures \forall integer i; 0 <= i < 6 ==> out->sha[i] == buf[8 + i] && out->tha[i] == buf[18 + i];
  @   ensures out->spa == BE32(buf + 14) && out->tpa == BE32(buf + 24);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int arp_parse(const uint8_t *buf, size_t len, struct arp_pkt *out);

/* Writes exactly the 28-byte packet (Ethernet/IPv4 fixed part, then *p) and
 * returns 28. */
/*@ requires \valid(buf + (0 .. cap - 1));
  @ requires \valid_read(p);
  @ requires \separated(buf + (0 .. cap - 1), p);
  @ assigns buf[0 .. ARP_PKT_LEN - 1];
  @ behavior space:
  @   assumes cap < ARP_PKT_LEN;
  @   assigns \nothing;
  @   ensures \result == ARP_E_TRUNC;
  @ behavior ok:
  @   assumes cap >= ARP_PKT_LEN;
  @   ensures \result == ARP_PKT_LEN && 0 < \result <= cap;
  @   ensures BE16(buf) == 1 && BE16(buf + 2) == 0x0800 && buf[4] == 6 && buf[5] == 4;
  @   ensures BE16(buf + 6) == p->oper;
  @   ensures \forall integer i; 0 <= i < 6 ==> buf[8 + i] == p->sha[i] && buf[18 + i] == p->tha[i];
  @   ensures BE32(buf + 14) == p->spa && BE32(buf + 24) == p->tpa;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int arp_emit(uint8_t *buf, size_t cap, const struct arp_pkt *p);

#endif
