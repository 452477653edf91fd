/* SPDX-License-Identifier: Apache-2.0 */
/* UDP header view (RFC 768) with the IPv4 pseudo-header checksum. */
#ifndef ATOLL_WIRE_UDP_H
#define ATOLL_WIRE_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "spec/udp.acsl.h"

#define UDP_HDR_LEN 8

enum udp_err { UDP_E_TRUNC = -1, UDP_E_LENGTH = -2, UDP_E_CSUM = -3, UDP_E_SPACE = -4 };

struct udp_hdr {
    uint16_t sport;
    uint16_t dport;
    uint16_t length; /* header + payload, 8..len */
    uint16_t csum;   /* 0: sender computed none */
};

/* buf/len is the IP payload; src/dst come from the IP header. Bytes past the
 * UDP length (link padding) are ignored, not an error. A checksum field of
 * 0 means the sender computed none. Returns the header length; the data is
 * buf[8 .. out->length-1]. */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(buf + (0 .. len - 1), out);
  @ requires len <= 65535;
  @ assigns *out;
  @ behavior trunc:
  @   assumes len < UDP_HDR_LEN;
  @   assigns \nothing;
  @   ensures \result == UDP_E_TRUNC;
  @ behavior length:
  @   assumes len >= UDP_HDR_LEN && (UDP_LEN(buf) < UDP_HDR_LEN || UDP_LEN(buf) > len);
  @   assigns \nothing;
  @   ensures \result == UDP_E_LENGTH;
  @ behavior csum:
  @   assumes len >= UDP_HDR_LEN && UDP_HDR_LEN <= UDP_LEN(buf) <= len;
  @   assumes UDP_CSUM(buf) != 0 && !udp_csum_ok(buf, UDP_LEN(buf), src, dst);
  @   assigns \nothing;
  @   ensures \result == UDP_E_CSUM;
  @ behavior ok:
  @   assumes len >= UDP_HDR_LEN && UDP_HDR_LEN <= UDP_LEN(buf) <= len;
  @   assumes UDP_CSUM(buf) == 0 || udp_csum_ok(buf, UDP_LEN(buf), src, dst);
  @   ensures \result == UDP_HDR_LEN && 0 < \result <= len;
  @   ensures UDP_HDR_LEN <= out->length <= len && out->length == UDP_LEN(buf);
  @   ensures out->sport == UDP_SPORT(buf) && out->dport == UDP_DPORT(buf);
  @   ensures out->csum == UDP_CSUM(buf);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int udp_parse(const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, struct udp_hdr *out);

/* Writes the header in front of payload_len bytes already at buf[8..] and
 * computes the checksum (a computed 0 is sent as 0xffff); returns the
 * datagram length. h->length and h->csum are ignored. Only buf[0 .. 7] is
 * written. */
/*@ requires \valid(buf + (0 .. cap - 1));
  @ requires \valid_read(h);
  @ requires \separated(buf + (0 .. cap - 1), h);
  @ assigns buf[0 .. UDP_HDR_LEN - 1];
  @ behavior space:
  @   assumes payload_len > 65535 - UDP_HDR_LEN || cap < UDP_HDR_LEN + payload_len;
  @   assigns \nothing;
  @   ensures \result == UDP_E_SPACE;
  @ behavior ok:
  @   assumes payload_len <= 65535 - UDP_HDR_LEN && cap >= UDP_HDR_LEN + payload_len;
  @   ensures \result == UDP_HDR_LEN + payload_len && 0 < \result <= cap;
  @   ensures UDP_SPORT(buf) == h->sport && UDP_DPORT(buf) == h->dport;
  @   ensures UDP_LEN(buf) == \result;
  @   ensures UDP_CSUM(buf) != 0 && udp_csum_ok(buf, \result, src, dst);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int udp_emit(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, const struct udp_hdr *h, size_t payload_len);

#endif
