/* SPDX-License-Identifier: Apache-2.0 */
/* UDP (RFC 768) as ACSL logic. Logic only. */
#ifndef ATOLL_SPEC_UDP_ACSL_H
#define ATOLL_SPEC_UDP_ACSL_H

#include "spec/wire.acsl.h"

/* Header fields at b: ports, length (header + data), checksum. */
#define UDP_SPORT(b) BE16(b)
#define UDP_DPORT(b) BE16((b) + 2)
#define UDP_LEN(b) BE16((b) + 4)
#define UDP_CSUM(b) BE16((b) + 6)

/*@ // The checksum covers the pseudo-header (source, destination, protocol
    // 17, UDP length) and the ulen bytes of the datagram at b.
    predicate udp_csum_ok{L}(uint8_t *b, integer ulen, integer src, integer dst) =
      oc_fold(pseudo_sum(src, dst, 17, ulen) + bytes_sum(b, ulen)) == 0xffff;
*/

#endif
