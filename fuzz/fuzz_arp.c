/* SPDX-License-Identifier: Apache-2.0 */
/* arp_parse / arp_emit (tcpip/wire_arp.h).
 * Input: one ARP packet (the Ethernet payload). */
#include "fuzz_common.h"
#include "tcpip/wire_arp.h"

static int arp_same(const struct arp_pkt *a, const struct arp_pkt *b)
{
    return a->oper == b->oper && memcmp(a->sha, b->sha, 6) == 0 && a->spa == b->spa
           && memcmp(a->tha, b->tha, 6) == 0 && a->tpa == b->tpa;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = fuzz_dup(data, size);
    struct arp_pkt a, b;
    memset(&a, 0x00, sizeof a);
    memset(&b, 0xff, sizeof b);
    int r = arp_parse(buf, size, &a);
    FUZZ_CHECK(arp_parse(buf, size, &b) == r);
    FUZZ_CHECK(r == ARP_PKT_LEN || r == ARP_E_TRUNC || r == ARP_E_UNSUPPORTED || r == ARP_E_OPCODE);

    if (size < ARP_PKT_LEN) {
        FUZZ_CHECK(r == ARP_E_TRUNC);
    } else {
        /* Reference: Ethernet/IPv4 pairing and a request or reply opcode. */
        int pairing_ok = fuzz_rd16(buf) == 1u && fuzz_rd16(buf + 2) == 0x0800u && buf[4] == 6u && buf[5] == 4u;
        uint32_t op = fuzz_rd16(buf + 6);
        int op_ok = op == ARP_OP_REQUEST || op == ARP_OP_REPLY;
        /* The header's behaviours are disjoint: pairing first, then opcode. */
        FUZZ_CHECK(r == (!pairing_ok ? ARP_E_UNSUPPORTED : !op_ok ? ARP_E_OPCODE : ARP_PKT_LEN));
    }
    if (r < 0) {
        /* assigns \nothing on failure: both prefills survive. */
        struct arp_pkt z0, z1;
        memset(&z0, 0x00, sizeof z0);
        memset(&z1, 0xff, sizeof z1);
        FUZZ_CHECK(memcmp(&a, &z0, sizeof a) == 0 && memcmp(&b, &z1, sizeof b) == 0);
    }
    if (r == ARP_PKT_LEN) {
        FUZZ_CHECK(r <= (int)size);
        FUZZ_CHECK(arp_same(&a, &b));
        FUZZ_CHECK(a.oper == ARP_OP_REQUEST || a.oper == ARP_OP_REPLY);
        FUZZ_CHECK(a.oper == fuzz_rd16(buf + 6));
        FUZZ_CHECK(memcmp(a.sha, buf + 8, 6) == 0);
        FUZZ_CHECK(a.spa == fuzz_rd32(buf + 14));
        FUZZ_CHECK(memcmp(a.tha, buf + 18, 6) == 0);
        FUZZ_CHECK(a.tpa == fuzz_rd32(buf + 24));

        /* Round trip: the header is fixed, so emit reproduces the 28 bytes. */
        uint8_t *out = fuzz_alloc(ARP_PKT_LEN, 0xa5);
        FUZZ_CHECK(arp_emit(out, ARP_PKT_LEN, &a) == ARP_PKT_LEN);
        FUZZ_CHECK(memcmp(out, buf, ARP_PKT_LEN) == 0);
        struct arp_pkt c;
        FUZZ_CHECK(arp_parse(out, ARP_PKT_LEN, &c) == ARP_PKT_LEN);
        FUZZ_CHECK(arp_same(&a, &c));
        free(out);
    }

    /* Emitter on short and exact buffers, with a struct built from the input. */
    struct arp_pkt e;
    memset(&e, 0, sizeof e);
    if (size >= 22) {
        e.oper = (uint16_t)fuzz_rd16(buf);
        memcpy(e.sha, buf + 2, 6);
        e.spa = fuzz_rd32(buf + 8);
        memcpy(e.tha, buf + 12, 6);
        e.tpa = fuzz_rd32(buf + 18);
    }
    size_t cap = size % (ARP_PKT_LEN + 4u);
    uint8_t *o = fuzz_alloc(cap, 0x5a);
    int er = arp_emit(o, cap, &e);
    FUZZ_CHECK(cap < ARP_PKT_LEN ? er == ARP_E_TRUNC : er == ARP_PKT_LEN);
    /* assigns buf[0 .. 27] on success, nothing otherwise */
    for (size_t k = er == ARP_PKT_LEN ? ARP_PKT_LEN : 0; k < cap; k++)
        FUZZ_CHECK(o[k] == 0x5a);
    if (er == ARP_PKT_LEN) {
        struct arp_pkt c;
        int pr = arp_parse(o, cap, &c);
        if (e.oper == ARP_OP_REQUEST || e.oper == ARP_OP_REPLY) {
            FUZZ_CHECK(pr == ARP_PKT_LEN);
            FUZZ_CHECK(arp_same(&e, &c));
        } else {
            FUZZ_CHECK(pr == ARP_E_OPCODE);
        }
    }
    free(o);
    free(buf);
    return 0;
}
