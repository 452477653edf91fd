/* ARP (RFC 826) for Ethernet hardware and IPv4 as ACSL logic. Logic only;
 * included by tcpip/wire_arp.h after struct arp_pkt. */
#ifndef ATOLL_SPEC_ARP_ACSL_H
#define ATOLL_SPEC_ARP_ACSL_H

#include "wire.acsl.h"

/*@ // The fixed part at b pairs Ethernet (hrd 1, hln 6) with IPv4 (pro 0x0800, pln 4).
    predicate arp_eth_ipv4{L}(uint8_t *b) =
      be16(b) == 1 && be16(b + 2) == 0x0800 && b[4] == 6 && b[5] == 4;

    predicate arp_op_ok(integer op) = op == ARP_OP_REQUEST || op == ARP_OP_REPLY;

    // p is the packet held in the 28 bytes at b.
    predicate arp_view{L}(uint8_t *b, struct arp_pkt p) =
      p.oper == be16(b + 6)
      && (\forall integer i; 0 <= i < 6 ==> p.sha[i] == b[8 + i] && p.tha[i] == b[18 + i])
      && p.spa == be32(b + 14) && p.tpa == be32(b + 24);
*/

#endif
