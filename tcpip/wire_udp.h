/* UDP header view (RFC 768) with the IPv4 pseudo-header checksum. */
#ifndef ATOLL_WIRE_UDP_H
#define ATOLL_WIRE_UDP_H

#include <stddef.h>
#include <stdint.h>

#define UDP_HDR_LEN 8

enum udp_err { UDP_E_TRUNC = -1, UDP_E_LENGTH = -2, UDP_E_CSUM = -3, UDP_E_SPACE = -4 };

struct udp_hdr {
    uint16_t sport;
    uint16_t dport;
    uint16_t length; /* header + payload, 8..len */
    uint16_t csum;   /* 0: sender computed none */
};

/* buf/len is the IP payload; src/dst come from the IP header. Bytes past the
 * UDP length (link padding) are ignored, not an error. */
/*@ requires \valid_read(buf + (0 .. len - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. len - 1), out);
    requires len <= 65535;
    assigns *out;
    ensures \result == UDP_HDR_LEN || \result == UDP_E_TRUNC || \result == UDP_E_LENGTH || \result == UDP_E_CSUM;
    ensures len < UDP_HDR_LEN ==> \result == UDP_E_TRUNC;
    ensures \result == UDP_HDR_LEN ==> UDP_HDR_LEN <= out->length <= len
         && out->sport == buf[0] * 256 + buf[1] && out->dport == buf[2] * 256 + buf[3];
*/
int udp_parse(const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, struct udp_hdr *out);

/* Writes the header in front of payload_len bytes already at buf[8..] and
 * computes the checksum (a computed 0 is sent as 0xffff). h->length and
 * h->csum are ignored. */
/*@ requires \valid(buf + (0 .. cap - 1));
    requires \valid_read(h);
    requires \separated(buf + (0 .. cap - 1), h);
    assigns buf[0 .. 7];
    ensures \result == UDP_E_SPACE || \result == UDP_HDR_LEN + payload_len;
    ensures \result > 0 ==> \result <= cap && \result <= 65535;
*/
int udp_emit(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, const struct udp_hdr *h, size_t payload_len);

#endif
