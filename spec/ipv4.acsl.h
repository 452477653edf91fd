/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4 header (RFC 791 section 3.1) as ACSL logic. Logic only; included by
 * tcpip/wire_ipv4.h after struct ipv4_hdr. */
#ifndef ATOLL_SPEC_IPV4_ACSL_H
#define ATOLL_SPEC_IPV4_ACSL_H

#include "spec/wire.acsl.h"

/* Header fields at b: version and IHL share byte 0; flags are the top three
 * bits of the 16-bit word at 6 (reserved, DF, MF), the fragment offset its
 * low 13 bits in units of 8 bytes. */
#define IPV4_VERSION(b) ((b)[0] / 16)
#define IPV4_HLEN(b) ((b)[0] % 16 * 4)
#define IPV4_TOTAL(b) BE16((b) + 2)
#define IPV4_FLAGS(b) (BE16((b) + 6) / 8192)
#define IPV4_FRAG_OFF(b) (BE16((b) + 6) % 8192)

/*@ // What ipv4_parse answers for the len bytes at b: the first check that
    // fails gives the error, in this order; a header passing them all gives
    // its length (IHL * 4).
    logic integer ipv4_verdict{L}(uint8_t *b, integer len) =
        len < IPV4_HDR_MIN ? IPV4_E_TRUNC
      : IPV4_VERSION(b) != 4 ? IPV4_E_VERSION
      : IPV4_HLEN(b) < IPV4_HDR_MIN ? IPV4_E_HDRLEN   // IHL below 5
      : IPV4_HLEN(b) > len ? IPV4_E_HDRLEN            // options cut off
      : IPV4_TOTAL(b) < IPV4_HLEN(b) ? IPV4_E_TOTLEN
      : IPV4_TOTAL(b) > len ? IPV4_E_TOTLEN           // datagram cut off
      : oc_fold(bytes_sum(b, IPV4_HLEN(b))) != 0xffff ? IPV4_E_CSUM
      : IPV4_FRAG_OFF(b) * 8 + (IPV4_TOTAL(b) - IPV4_HLEN(b)) > IPV4_MAX_LEN ? IPV4_E_FRAG
      : IPV4_HLEN(b);

    // A parsed header that fits in len bytes: lengths ordered, flags are
    // bits, and the fragment ends at or below 65535 (RFC 791: the offset
    // counts 8-byte units of a datagram of at most 65535 bytes).
    predicate ipv4_hdr_ok{L}(struct ipv4_hdr *h, integer len) =
      20 <= h->hdr_len <= 60 && h->hdr_len <= h->total_len && h->total_len <= len
      && h->df <= 1 && h->mf <= 1 && h->frag_off <= 8191
      && h->frag_off * 8 + (h->total_len - h->hdr_len) <= 65535;
*/

#endif
