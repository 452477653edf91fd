/* Ethernet II header (IEEE 802.3 clause 3.1.1, "type" interpretation) as
 * ACSL logic. Logic only; included by tcpip/wire_eth.h after struct eth_hdr. */
#ifndef ATOLL_SPEC_ETH_ACSL_H
#define ATOLL_SPEC_ETH_ACSL_H

#include "wire.acsl.h"

/*@ // h is the header held in the 14 bytes at b: destination, source, type.
    predicate eth_view{L}(uint8_t *b, struct eth_hdr h) =
      (\forall integer i; 0 <= i < ETH_ADDR_LEN ==> h.dst[i] == b[i] && h.src[i] == b[ETH_ADDR_LEN + i])
      && h.type == be16(b + 12);
*/

#endif
