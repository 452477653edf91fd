/* ARP (RFC 826) packet view, restricted to Ethernet hardware and IPv4. */
#ifndef ATOLL_WIRE_ARP_H
#define ATOLL_WIRE_ARP_H

#include <stddef.h>
#include <stdint.h>

#define ARP_PKT_LEN 28
#define ARP_OP_REQUEST 1u
#define ARP_OP_REPLY 2u

enum arp_err { ARP_E_TRUNC = -1, ARP_E_UNSUPPORTED = -2, ARP_E_OPCODE = -3 };

struct arp_pkt {
    uint16_t oper;
    uint8_t sha[6];
    uint32_t spa;
    uint8_t tha[6];
    uint32_t tpa;
};

/*@ requires \valid_read(buf + (0 .. len - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. len - 1), out);
    assigns *out;
    ensures \result == ARP_PKT_LEN || \result == ARP_E_TRUNC
         || \result == ARP_E_UNSUPPORTED || \result == ARP_E_OPCODE;
    ensures len < ARP_PKT_LEN ==> \result == ARP_E_TRUNC;
    ensures \result == ARP_PKT_LEN ==> len >= ARP_PKT_LEN
         && (out->oper == ARP_OP_REQUEST || out->oper == ARP_OP_REPLY)
         && out->spa == ((buf[14] * 256 + buf[15]) * 256 + buf[16]) * 256 + buf[17]
         && out->tpa == ((buf[24] * 256 + buf[25]) * 256 + buf[26]) * 256 + buf[27];
*/
int arp_parse(const uint8_t *buf, size_t len, struct arp_pkt *out);

/*@ requires \valid(buf + (0 .. cap - 1));
    requires \valid_read(p);
    requires \separated(buf + (0 .. cap - 1), p);
    assigns buf[0 .. cap - 1];
    ensures cap < ARP_PKT_LEN ==> \result == ARP_E_TRUNC;
    ensures cap >= ARP_PKT_LEN ==> \result == ARP_PKT_LEN;
*/
int arp_emit(uint8_t *buf, size_t cap, const struct arp_pkt *p);

#endif
