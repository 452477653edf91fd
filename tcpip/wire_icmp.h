/* ICMPv4 message view (RFC 792). */
#ifndef ATOLL_WIRE_ICMP_H
#define ATOLL_WIRE_ICMP_H

#include <stddef.h>
#include <stdint.h>

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

/* Checks the checksum over the whole message buf[0 .. len-1]. */
/*@ requires \valid_read(buf + (0 .. len - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. len - 1), out);
    assigns *out;
    ensures \result == ICMP_HDR_LEN || \result == ICMP_E_TRUNC || \result == ICMP_E_CSUM;
    ensures len < ICMP_HDR_LEN ==> \result == ICMP_E_TRUNC;
    ensures \result == ICMP_HDR_LEN ==> len >= ICMP_HDR_LEN && out->type == buf[0] && out->code == buf[1];
*/
int icmp_parse(const uint8_t *buf, size_t len, struct icmp_hdr *out);

/* Writes the header in front of a payload the caller already placed at
 * buf[8 .. 8+payload_len-1] and checksums both; returns the message length. */
/*@ requires \valid(buf + (0 .. cap - 1));
    requires \valid_read(h);
    requires \separated(buf + (0 .. cap - 1), h);
    assigns buf[0 .. 7];
    ensures \result == ICMP_E_SPACE || \result == ICMP_HDR_LEN + payload_len;
    ensures payload_len > cap || cap - payload_len < ICMP_HDR_LEN ==> \result == ICMP_E_SPACE;
*/
int icmp_emit(uint8_t *buf, size_t cap, const struct icmp_hdr *h, size_t payload_len);

#endif
