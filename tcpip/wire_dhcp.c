/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpip/wire_dhcp.h"
#include "base/wire.h"

/* Options whose value is one IPv4 address or a 32-bit time must be exactly
 * 4 bytes; lists of addresses (router, DNS) a non-zero multiple of 4, of
 * which the first is kept. */
/*@ requires \valid_read(v + (0 .. olen - 1));
    requires \valid(out);
    requires \separated(v + (0 .. olen - 1), out);
    requires dhcp_flags_ok(out);
    assigns out->msg_type, out->has_server_id, out->has_lease, out->has_t1, out->has_t2,
            out->has_mask, out->has_router, out->has_dns, out->has_req_ip,
            out->server_id, out->lease, out->t1, out->t2, out->mask, out->router,
            out->dns, out->req_ip;
    ensures \result == 0 || \result == DHCP_E_OPTION;
    ensures dhcp_flags_ok(out);
*/
static int dhcp_option(uint8_t code, const uint8_t *v, size_t olen, struct dhcp_msg *out)
{
    if (code == DHCP_OPT_MSGTYPE) {
        if (olen != 1u || v[0] == 0u)
            return DHCP_E_OPTION;
        out->msg_type = v[0];
        return 0;
    }
    if (code == DHCP_OPT_ROUTER || code == DHCP_OPT_DNS) {
        if (olen < 4u || olen % 4u != 0u)
            return DHCP_E_OPTION;
        if (code == DHCP_OPT_ROUTER) {
            out->router = wire_rd32(v);
            out->has_router = 1;
        } else {
            out->dns = wire_rd32(v);
            out->has_dns = 1;
        }
        return 0;
    }
    if (code != DHCP_OPT_SUBNET && code != DHCP_OPT_LEASE && code != DHCP_OPT_SERVER_ID
        && code != DHCP_OPT_T1 && code != DHCP_OPT_T2 && code != DHCP_OPT_REQ_IP)
        return 0; /* not ours to interpret */
    if (olen != 4u)
        return DHCP_E_OPTION;
    uint32_t x = wire_rd32(v);
    if (code == DHCP_OPT_SUBNET) {
        out->mask = x;
        out->has_mask = 1;
    } else if (code == DHCP_OPT_LEASE) {
        out->lease = x;
        out->has_lease = 1;
    } else if (code == DHCP_OPT_SERVER_ID) {
        out->server_id = x;
        out->has_server_id = 1;
    } else if (code == DHCP_OPT_T1) {
        out->t1 = x;
        out->has_t1 = 1;
    } else if (code == DHCP_OPT_T2) {
        out->t2 = x;
        out->has_t2 = 1;
    } else {
        out->req_ip = x;
        out->has_req_ip = 1;
    }
    return 0;
}

/* All options start out absent. */
/*@ requires \valid(out);
    assigns out->msg_type, out->has_server_id, out->has_lease, out->has_t1, out->has_t2,
            out->has_mask, out->has_router, out->has_dns, out->has_req_ip,
            out->server_id, out->lease, out->t1, out->t2, out->mask, out->router,
            out->dns, out->req_ip;
    ensures out->msg_type == 0 && dhcp_flags_ok(out);
*/
static void dhcp_clear_options(struct dhcp_msg *out)
{
    out->msg_type = 0;
    out->has_server_id = out->has_lease = out->has_t1 = out->has_t2 = 0;
    out->has_mask = out->has_router = out->has_dns = out->has_req_ip = 0;
    out->server_id = out->lease = out->t1 = out->t2 = 0;
    out->mask = out->router = out->dns = out->req_ip = 0;
}

/* The fixed part (op .. chaddr); the options' fields are not touched. */
/*@ requires \valid_read(buf + (0 .. DHCP_OPTIONS_OFF - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. DHCP_OPTIONS_OFF - 1), out);
    assigns out->op, out->xid, out->secs, out->flags, out->ciaddr, out->yiaddr,
            out->siaddr, out->giaddr, out->chaddr[0 .. 5];
    ensures out->op == \old(buf[0]) && out->xid == \old(BE32(buf + 4));
    ensures out->secs == \old(BE16(buf + 8)) && out->flags == \old(BE16(buf + 10));
    ensures out->ciaddr == \old(BE32(buf + 12)) && out->yiaddr == \old(BE32(buf + 16));
    ensures out->siaddr == \old(BE32(buf + 20)) && out->giaddr == \old(BE32(buf + 24));
    ensures \forall integer i; 0 <= i < 6 ==> out->chaddr[i] == \old(buf[28 + i]);
*/
static void dhcp_fixed(const uint8_t *buf, struct dhcp_msg *out)
{
    out->xid = wire_rd32(buf + 4);
    out->secs = wire_rd16(buf + 8);
    out->flags = wire_rd16(buf + 10);
    out->ciaddr = wire_rd32(buf + 12);
    out->yiaddr = wire_rd32(buf + 16);
    out->siaddr = wire_rd32(buf + 20);
    out->giaddr = wire_rd32(buf + 24);
    out->op = buf[0];
    wire_copy(out->chaddr, buf + 28, 6);
}

/* Walks the options from DHCP_OPTIONS_OFF to the end option. */
/*@ requires DHCP_OPTIONS_OFF <= len <= 65535;
    requires \valid_read(buf + (0 .. len - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. len - 1), out);
    requires dhcp_flags_ok(out);
    assigns out->msg_type, out->has_server_id, out->has_lease, out->has_t1, out->has_t2,
            out->has_mask, out->has_router, out->has_dns, out->has_req_ip,
            out->server_id, out->lease, out->t1, out->t2, out->mask, out->router,
            out->dns, out->req_ip;
    ensures \result == DHCP_E_OPTION || DHCP_OPTIONS_OFF <= \result <= len;
    ensures \result > 0 ==> \result == len || buf[\result - 1] == DHCP_OPT_END;
    ensures dhcp_flags_ok(out);
*/
static int dhcp_options(const uint8_t *buf, size_t len, struct dhcp_msg *out)
{
    size_t i = DHCP_OPTIONS_OFF;
    /*@ loop invariant DHCP_OPTIONS_OFF <= i <= len;
        loop invariant dhcp_flags_ok(out);
        loop assigns i, out->msg_type, out->has_server_id, out->has_lease, out->has_t1, out->has_t2,
                out->has_mask, out->has_router, out->has_dns, out->has_req_ip,
                out->server_id, out->lease, out->t1, out->t2, out->mask, out->router,
                out->dns, out->req_ip;
        loop variant len - i;
    */
    while (i < len) {
        uint8_t code = buf[i];
        if (code == DHCP_OPT_PAD) {
            i = i + 1;
            continue;
        }
        if (code == DHCP_OPT_END)
            return (int)(i + 1);
        if (len - i < 2u)
            return DHCP_E_OPTION;
        size_t olen = buf[i + 1];
        if (olen > len - i - 2u)
            return DHCP_E_OPTION;
        if (dhcp_option(code, buf + i + 2, olen, out) != 0)
            return DHCP_E_OPTION;
        i = i + 2u + olen;
    }
    /* No end option: tolerated when the options fill the buffer exactly. */
    return (int)len;
}

int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *out)
{
    if (len < DHCP_OPTIONS_OFF)
        return DHCP_E_TRUNC;
    if (buf[1] != 1u || buf[2] != 6u)
        return DHCP_E_HTYPE;
    if (wire_rd32(buf + 236) != 0x63825363u)
        return DHCP_E_COOKIE;
    dhcp_fixed(buf, out);
    dhcp_clear_options(out);
    return dhcp_options(buf, len, out);
}

/* The BOOTP fixed part of a client message and the magic cookie:
 * buf[0 .. 239]. */
/*@ requires \valid(buf + (0 .. DHCP_OPTIONS_OFF - 1));
    requires \valid_read(m);
    requires \separated(buf + (0 .. DHCP_OPTIONS_OFF - 1), m);
    assigns buf[0 .. DHCP_OPTIONS_OFF - 1];
    ensures buf[0] == 1 && DHCP_ETHERNET(buf) && buf[3] == 0;
    ensures BE32(buf + 4) == m->xid && BE16(buf + 8) == m->secs && BE16(buf + 10) == m->flags;
    ensures BE32(buf + 12) == m->ciaddr;
    ensures \forall integer i; 16 <= i < 28 ==> buf[i] == 0;
    ensures \forall integer i; 0 <= i < 6 ==> buf[28 + i] == m->chaddr[i];
    ensures \forall integer i; 34 <= i < 236 ==> buf[i] == 0;
    ensures DHCP_COOKIE_OK(buf);
*/
static void dhcp_put_fixed(uint8_t *buf, const struct dhcp_msg *m)
{
    buf[0] = 1u; /* BOOTREQUEST */
    buf[1] = 1u;
    buf[2] = 6u;
    buf[3] = 0;
    wire_wr32(buf + 4, m->xid);
    wire_wr16(buf + 8, m->secs);
    wire_wr16(buf + 10, m->flags);
    wire_wr32(buf + 12, m->ciaddr);
    /*@ loop invariant 16 <= k <= 28;
        loop invariant \forall integer j; 16 <= j < k ==> buf[j] == 0;
        loop assigns k, buf[16 .. 27];
        loop variant 28 - k;
    */
    for (size_t k = 16; k < 28; k++)
        buf[k] = 0; /* yiaddr, siaddr, giaddr */
    /*@ loop invariant 34 <= k <= 236;
        loop invariant \forall integer j; 34 <= j < k ==> buf[j] == 0;
        loop assigns k, buf[34 .. 235];
        loop variant 236 - k;
    */
    for (size_t k = 34; k < 236; k++)
        buf[k] = 0; /* rest of chaddr, sname, file */
    wire_wr32(buf + 236, 0x63825363u);
    wire_copy(buf + 28, m->chaddr, 6);
}

/* One option carrying a 32-bit value at buf[p .. p+5]; returns p + 6. */
/*@ requires p + 6 <= DHCP_MIN_EMIT;
    requires \valid(buf + (p .. p + 5));
    assigns buf[p .. p + 5];
    ensures \result == p + 6;
    ensures buf[p] == code && buf[p + 1] == 4 && BE32(buf + p + 2) == v;
*/
static size_t put_opt32(uint8_t *buf, size_t p, uint8_t code, uint32_t v)
{
    buf[p] = code;
    buf[p + 1] = 4u;
    wire_wr32(buf + p + 2, v);
    return p + 6;
}

/* The options of a client message from buf[240]; returns where the end
 * option was put. */
/*@ requires \valid(buf + (0 .. DHCP_MIN_EMIT - 1));
    assigns buf[DHCP_OPTIONS_OFF .. DHCP_EMIT_END(req_ip, server_id)];
    ensures \result == DHCP_EMIT_END(req_ip, server_id);
    ensures buf[240] == DHCP_OPT_MSGTYPE && buf[241] == 1 && buf[242] == type;
    ensures req_ip != 0 ==>
            buf[243] == DHCP_OPT_REQ_IP && buf[244] == 4 && BE32(buf + 245) == req_ip_v;
    ensures \let q = 243 + (req_ip != 0 ? 6 : 0); server_id != 0 ==>
            buf[q] == DHCP_OPT_SERVER_ID && buf[q + 1] == 4 && BE32(buf + q + 2) == server_id_v;
    ensures \let e = \result;
            buf[e - 7] == DHCP_OPT_PARAMS && buf[e - 6] == 5 && buf[e - 5] == DHCP_OPT_SUBNET
            && buf[e - 4] == DHCP_OPT_ROUTER && buf[e - 3] == DHCP_OPT_LEASE
            && buf[e - 2] == DHCP_OPT_T1 && buf[e - 1] == DHCP_OPT_T2 && buf[e] == DHCP_OPT_END;
*/
static size_t dhcp_put_options(uint8_t *buf, uint8_t type, uint8_t req_ip, uint8_t server_id,
                               uint32_t req_ip_v, uint32_t server_id_v)
{
    size_t p = DHCP_OPTIONS_OFF;
    buf[p] = DHCP_OPT_MSGTYPE;
    buf[p + 1] = 1u;
    buf[p + 2] = type;
    p = p + 3;
    if (req_ip != 0u)
        p = put_opt32(buf, p, DHCP_OPT_REQ_IP, req_ip_v);
    //@ assert buf[240] == DHCP_OPT_MSGTYPE && buf[241] == 1 && buf[242] == type;
    if (server_id != 0u)
        p = put_opt32(buf, p, DHCP_OPT_SERVER_ID, server_id_v);
    //@ assert buf[240] == DHCP_OPT_MSGTYPE && buf[241] == 1 && buf[242] == type;
    buf[p] = DHCP_OPT_PARAMS;
    buf[p + 1] = 5u;
    buf[p + 2] = DHCP_OPT_SUBNET;
    buf[p + 3] = DHCP_OPT_ROUTER;
    buf[p + 4] = DHCP_OPT_LEASE;
    buf[p + 5] = DHCP_OPT_T1;
    buf[p + 6] = DHCP_OPT_T2;
    p = p + 7;
    buf[p] = DHCP_OPT_END;
    return p;
}

/* Zeroes buf[from .. 299]. */
/*@ requires DHCP_OPTIONS_OFF <= from <= DHCP_MIN_EMIT;
    requires \valid(buf + (0 .. DHCP_MIN_EMIT - 1));
    assigns buf[from .. DHCP_MIN_EMIT - 1];
    ensures \forall integer i; from <= i < DHCP_MIN_EMIT ==> buf[i] == 0;
*/
static void dhcp_pad(uint8_t *buf, size_t from)
{
    /*@ loop invariant from <= k <= DHCP_MIN_EMIT;
        loop invariant \forall integer j; from <= j < k ==> buf[j] == 0;
        loop assigns k, buf[from .. DHCP_MIN_EMIT - 1];
        loop variant DHCP_MIN_EMIT - k;
    */
    for (size_t k = from; k < DHCP_MIN_EMIT; k++)
        buf[k] = 0;
}

int dhcp_emit(uint8_t *buf, size_t cap, const struct dhcp_msg *m)
{
    /* 240 fixed + 3 type + 6 + 6 + 7 params + 1 end = 263; 320 leaves slack. */
    if (cap < 320u)
        return DHCP_E_SPACE;
    uint8_t type = m->msg_type, req_ip = m->has_req_ip, server_id = m->has_server_id;
    dhcp_put_fixed(buf, m);
    size_t end = dhcp_put_options(buf, type, req_ip, server_id, m->req_ip, m->server_id);
    dhcp_pad(buf, end + 1);
    return DHCP_MIN_EMIT;
}
