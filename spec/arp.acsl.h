/* SPDX-License-Identifier: Apache-2.0 */
/* ARP (RFC 826) for Ethernet hardware and IPv4 as ACSL logic. Logic only. */
#ifndef ATOLL_SPEC_ARP_ACSL_H
#define ATOLL_SPEC_ARP_ACSL_H

#include "spec/wire.acsl.h"

/*@ // The fixed part at b pairs Ethernet (hrd 1, hln 6) with IPv4 (pro 0x0800, pln 4).
    predicate arp_eth_ipv4{L}(uint8_t *b) =
      BE16(b) == 1 && BE16(b + 2) == 0x0800 && b[4] == 6 && b[5] == 4;

    // The two operations RFC 826 defines: request (1) and reply (2).
    predicate arp_op_ok(integer op) = op == 1 || op == 2;
*/

#endif
