/* SPDX-License-Identifier: Apache-2.0 */
/* ICMPv4 message view (RFC 792). */
#ifndef ATOLL_WIRE_ICMP_H
#define ATOLL_WIRE_ICMP_H

#include <stddef.h>
#include <stdint.h>

#include "spec/wire.acsl.h"

#define ICMP_HDR_LEN 8
#define ICMP_ECHO_REPLY 0u
#define ICMP_DEST_UNREACH 3u
#define ICMP_SOURCE_QUENCH 4u
#define ICMP_REDIRECT 5u
#define ICMP_ECHO_REQUEST 8u
#define ICMP_TIME_EXCEEDED 11u
#define ICMP_PARAM_PROBLEM 12u
#define ICMP_CODE_PORT_UNREACH 3u

enum icmp_err { ICMP_E_TRUNC = -1, ICMP_E_CSUM = -2, ICMP_E_SPACE = -3 };

struct icmp_hdr {
    uint8_t type;
    uint8_t code;
    uint16_t csum;
    uint32_t rest; /* identifier and sequence for echo, unused/MTU for errors */
};

/* Reads the 8-byte header of the message buf[0 .. len-1] after checking the
 * checksum over the whole message; the body is buf[8 .. len-1]. */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(buf + (0 .. len - 1), out);
  @ assigns *out;
  @ behavior trunc:
  @   assumes len < ICMP_HDR_LEN;
  @   assigns \nothing;
  @   ensures \result == ICMP_E_TRUNC;
  @ behavior csum:
  @   assumes len >= ICMP_HDR_LEN && !csum_ok(buf, len);
  @   assigns \nothing;
  @   ensures \result == ICMP_E_CSUM;
  @ behavior ok:
  @   assumes len >= ICMP_HDR_LEN && csum_ok(buf, len);
  @   ensures \result == ICMP_HDR_LEN && 0 < \result <= len;
  @   ensures out->type == buf[0] && out->code == buf[1];
  @   ensures out->csum == BE16(buf + 2) && out->rest == BE32(buf + 4);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int icmp_parse(const uint8_t *buf, size_t len, struct icmp_hdr *out);

/* Writes the 8-byte header in front of a body the caller already placed at
 * buf[8 .. 8+payload_len-1], checksums header and body, and returns the
 * message length; h->csum is ignored. Only buf[0 .. 7] is written.
 * (\old(h->f) for the byte-sized fields: WP keeps all bytes in one memory,
 * so the contract names their value on entry.) */
/*@ requires \valid(buf + (0 .. cap - 1));
  @ requires \valid_read(h);
  @ requires \separated(buf + (0 .. cap - 1), h);
  @ assigns buf[0 .. ICMP_HDR_LEN - 1];
  @ behavior space:
  @   assumes payload_len > 65535 || cap < ICMP_HDR_LEN + payload_len;
  @   assigns \nothing;
  @   ensures \result == ICMP_E_SPACE;
  @ behavior ok:
  @   assumes payload_len <= 65535 && cap >= ICMP_HDR_LEN + payload_len;
  @   ensures \result == ICMP_HDR_LEN + payload_len && 0 < \result <= cap;
  @   ensures buf[0] == \old(h->type) && buf[1] == \old(h->code);
  @   ensures BE32(buf + 4) == h->rest;
  @   ensures csum_ok(buf, ICMP_HDR_LEN + payload_len);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int icmp_emit(uint8_t *buf, size_t cap, const struct icmp_hdr *h, size_t payload_len);

#endif
