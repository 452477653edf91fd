/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpip/wire_arp.h"
#include "base/wire.h"

/* The two hardware addresses, bytes 8..13 and 18..23. */
/*@ requires \valid_read(buf + (0 .. ARP_PKT_LEN - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. ARP_PKT_LEN - 1), out);
    assigns out->sha[0 .. 5], out->tha[0 .. 5];
    ensures \forall integer i; 0 <= i < 6 ==> out->sha[i] == buf[8 + i] && out->tha[i] == buf[18 + i];
*/
static void arp_get_hw(struct arp_pkt *out, const uint8_t *buf)
{
    wire_copy(out->sha, buf + 8, 6);
    wire_copy(out->tha, buf + 18, 6);
}

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
    /* The byte arrays first: the other fields do not share their memory. */
    arp_get_hw(out, buf);
    out->oper = op;
    out->spa = wire_rd32(buf + 14);
    out->tpa = wire_rd32(buf + 24);
    return ARP_PKT_LEN;
}

/* The two hardware addresses, bytes 8..13 and 18..23. */
/*@ requires \valid(buf + (0 .. ARP_PKT_LEN - 1));
    requires \valid_read(p);
    requires \separated(buf + (0 .. ARP_PKT_LEN - 1), p);
    assigns buf[8 .. 13], buf[18 .. 23];
    ensures \forall integer i; 0 <= i < 6 ==> buf[8 + i] == p->sha[i] && buf[18 + i] == p->tha[i];
*/
static void arp_put_hw(uint8_t *buf, const struct arp_pkt *p)
{
    wire_copy(buf + 8, p->sha, 6);
    wire_copy(buf + 18, p->tha, 6);
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
    wire_wr32(buf + 14, p->spa);
    wire_wr32(buf + 24, p->tpa);
    arp_put_hw(buf, p);
    return ARP_PKT_LEN;
}
