/* SPDX-License-Identifier: Apache-2.0 */
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

#include "spec/ipv4.acsl.h"

/* Checks the header in buf[0 .. len-1] (len: the bytes received, link
 * padding included) and returns the header length, or the error of the
 * first check that fails (spec/ipv4.acsl.h: ipv4_verdict). On success the
 * payload is buf[hdr_len .. total_len-1]. */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(buf + (0 .. len - 1), out);
  @ assigns *out;
  @ behavior reject:
  @   assumes ipv4_verdict(buf, len) < 0;
  @   assigns \nothing;
  @   ensures \result == ipv4_verdict(buf, len);
  @ behavior accept:
  @   assumes ipv4_verdict(buf, len) > 0;
  @   ensures \result == out->hdr_len && 0 < \result <= len;
  @   ensures ipv4_hdr_ok(out, len);
  @   ensures out->hdr_len == IPV4_HLEN(buf) && out->total_len == IPV4_TOTAL(buf);
  @   ensures out->tos == buf[1] && out->id == BE16(buf + 4);
  @   ensures out->df == IPV4_FLAGS(buf) / 2 % 2 && out->mf == IPV4_FLAGS(buf) % 2;
  @   ensures out->frag_off == IPV4_FRAG_OFF(buf);
  @   ensures out->ttl == buf[8] && out->proto == buf[9];
  @   ensures out->src == BE32(buf + 12) && out->dst == BE32(buf + 16);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_hdr *out);

/* Writes exactly a 20-byte header (no options) with its checksum and returns
 * 20; h->hdr_len is ignored, the payload is not touched. Refuses a header
 * ipv4_parse would refuse. (\old(h->f) for the byte-sized fields: WP keeps
 * all bytes in one memory, so the contract names their value on entry.) */
/*@ requires \valid(buf + (0 .. cap - 1));
  @ requires \valid_read(h);
  @ requires \separated(buf + (0 .. cap - 1), h);
  @ assigns buf[0 .. IPV4_HDR_MIN - 1];
  @ behavior space:
  @   assumes cap < IPV4_HDR_MIN;
  @   assigns \nothing;
  @   ensures \result == IPV4_E_SPACE;
  @ behavior totlen:
  @   assumes cap >= IPV4_HDR_MIN && h->total_len < IPV4_HDR_MIN;
  @   assigns \nothing;
  @   ensures \result == IPV4_E_TOTLEN;
  @ behavior frag:
  @   assumes cap >= IPV4_HDR_MIN && h->total_len >= IPV4_HDR_MIN;
  @   assumes h->frag_off > 8191 || h->df > 1 || h->mf > 1
  @        || h->frag_off * 8 + (h->total_len - IPV4_HDR_MIN) > IPV4_MAX_LEN;
  @   assigns \nothing;
  @   ensures \result == IPV4_E_FRAG;
  @ behavior ok:
  @   assumes cap >= IPV4_HDR_MIN && h->total_len >= IPV4_HDR_MIN;
  @   assumes h->frag_off <= 8191 && h->df <= 1 && h->mf <= 1
  @        && h->frag_off * 8 + (h->total_len - IPV4_HDR_MIN) <= IPV4_MAX_LEN;
  @   ensures \result == IPV4_HDR_MIN && 0 < \result <= cap;
  @   ensures buf[0] == 0x45 && buf[1] == \old(h->tos);
  @   ensures BE16(buf + 2) == h->total_len && BE16(buf + 4) == h->id;
  @   ensures BE16(buf + 6) == (\old(h->df) * 2 + \old(h->mf)) * 8192 + h->frag_off;
  @   ensures buf[8] == \old(h->ttl) && buf[9] == \old(h->proto);
  @   ensures BE32(buf + 12) == h->src && BE32(buf + 16) == h->dst;
  @   ensures csum_ok(buf, IPV4_HDR_MIN);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int ipv4_emit(uint8_t *buf, size_t cap, const struct ipv4_hdr *h);

#endif
