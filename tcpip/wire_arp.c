#include "wire_arp.h"
#include "wire.h"

int arp_parse(const uint8_t *buf, size_t len, struct arp_pkt *out)
{
    if (len < ARP_PKT_LEN)
        return ARP_E_TRUNC;
    /* htype 1 (Ethernet), ptype IPv4, hlen 6, plen 4: anything else is a
     * different protocol pairing whose addresses we cannot interpret. */
    if (wire_rd16(buf) != 1u || wire_rd16(buf + 2) != 0x0800u || buf[4] != 6u || buf[5] != 4u)
        return ARP_E_UNSUPPORTED;
    uint16_t op = wire_rd16(buf + 6);
    if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY)
        return ARP_E_OPCODE;
    out->oper = op;
    /*@ loop invariant 0 <= i <= 6;
        loop assigns i, out->sha[0 .. 5], out->tha[0 .. 5];
        loop variant 6 - i;
    */
    for (size_t i = 0; i < 6; i++) {
        out->sha[i] = buf[8 + i];
        out->tha[i] = buf[18 + i];
    }
    out->spa = wire_rd32(buf + 14);
    out->tpa = wire_rd32(buf + 24);
    return ARP_PKT_LEN;
}

int arp_emit(uint8_t *buf, size_t cap, const struct arp_pkt *p)
{
    if (cap < ARP_PKT_LEN)
        return ARP_E_TRUNC;
    wire_wr16(buf, 1u);
    wire_wr16(buf + 2, 0x0800u);
    buf[4] = 6u;
    buf[5] = 4u;
    wire_wr16(buf + 6, p->oper);
    /*@ loop invariant 0 <= i <= 6;
        loop assigns i, buf[8 .. 13], buf[18 .. 23];
        loop variant 6 - i;
    */
    for (size_t i = 0; i < 6; i++) {
        buf[8 + i] = p->sha[i];
        buf[18 + i] = p->tha[i];
    }
    wire_wr32(buf + 14, p->spa);
    wire_wr32(buf + 24, p->tpa);
    return ARP_PKT_LEN;
}
