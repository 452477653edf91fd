/* IPv4 header view (RFC 791). Every length is checked against the buffer
 * before any field behind it is read; options are covered by IHL and skipped. */
#ifndef ATOLL_WIRE_IPV4_H
#define ATOLL_WIRE_IPV4_H

#include <stddef.h>
#include <stdint.h>

#define IPV4_HDR_MIN 20
#define IPV4_MAX_LEN 65535
#define IPV4_PROTO_ICMP 1u
#define IPV4_PROTO_TCP 6u
#define IPV4_PROTO_UDP 17u

enum ipv4_err {
    IPV4_E_TRUNC = -1,     /* buffer shorter than the minimal header */
    IPV4_E_VERSION = -2,   /* version field is not 4 */
    IPV4_E_HDRLEN = -3,    /* IHL below 5, or beyond the buffer */
    IPV4_E_TOTLEN = -4,    /* total length below IHL, or beyond the buffer */
    IPV4_E_CSUM = -5,      /* header checksum does not verify */
    IPV4_E_FRAG = -6,      /* fragment would end beyond 65535 */
    IPV4_E_SPACE = -7      /* emitter: output buffer too small */
};

struct ipv4_hdr {
    uint16_t hdr_len;     /* bytes, 20..60 */
    uint8_t tos;
    uint16_t total_len;   /* bytes, hdr_len..65535 */
    uint16_t id;
    uint8_t df;           /* 0 or 1 */
    uint8_t mf;           /* 0 or 1 */
    uint16_t frag_off;    /* in 8-byte units, 0..8191 */
    uint8_t ttl;
    uint8_t proto;
    uint32_t src;
    uint32_t dst;
};

/*@ predicate ipv4_hdr_ok(struct ipv4_hdr h, integer len) =
      20 <= h.hdr_len <= 60 && h.hdr_len <= h.total_len && h.total_len <= len
      && h.df <= 1 && h.mf <= 1 && h.frag_off <= 8191
      && h.frag_off * 8 + (h.total_len - h.hdr_len) <= 65535;
*/

/*@ requires \valid_read(buf + (0 .. len - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. len - 1), out);
    assigns *out;
    ensures \result == IPV4_E_TRUNC || \result == IPV4_E_VERSION || \result == IPV4_E_HDRLEN
         || \result == IPV4_E_TOTLEN || \result == IPV4_E_CSUM || \result == IPV4_E_FRAG
         || (\result > 0 && \result == out->hdr_len);
    ensures len < IPV4_HDR_MIN ==> \result == IPV4_E_TRUNC;
    ensures \result > 0 ==> ipv4_hdr_ok(*out, len) && \result <= len;
*/
int ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_hdr *out);

/* Writes a 20-byte header (no options) with its checksum; h->hdr_len is
 * ignored. The payload is not touched. */
/*@ requires \valid(buf + (0 .. cap - 1));
    requires \valid_read(h);
    requires \separated(buf + (0 .. cap - 1), h);
    assigns buf[0 .. cap - 1];
    ensures cap < IPV4_HDR_MIN ==> \result == IPV4_E_SPACE;
    ensures h->total_len < IPV4_HDR_MIN || h->frag_off > 8191 || h->df > 1 || h->mf > 1 ==> \result < 0;
    ensures \result == IPV4_HDR_MIN || \result == IPV4_E_SPACE || \result == IPV4_E_TOTLEN || \result == IPV4_E_FRAG;
*/
int ipv4_emit(uint8_t *buf, size_t cap, const struct ipv4_hdr *h);

#endif
