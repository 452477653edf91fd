#include "wire_dhcp.h"
#include "wire.h"

/* Options whose value is one IPv4 address or a 32-bit time must be exactly
 * 4 bytes; lists of addresses (router, DNS) a non-zero multiple of 4, of
 * which the first is kept. */
/*@ requires \valid_read(v + (0 .. olen - 1));
    requires \valid(out);
    requires \separated(v + (0 .. olen - 1), out);
    requires dhcp_flags_ok(*out);
    assigns *out;
    ensures \result == 0 || \result == DHCP_E_OPTION;
    ensures dhcp_flags_ok(*out);
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

int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *out)
{
    if (len < DHCP_OPTIONS_OFF)
        return DHCP_E_TRUNC;
    if (buf[1] != 1u || buf[2] != 6u)
        return DHCP_E_HTYPE;
    if (wire_rd32(buf + 236) != 0x63825363u)
        return DHCP_E_COOKIE;
    out->op = buf[0];
    out->xid = wire_rd32(buf + 4);
    out->secs = wire_rd16(buf + 8);
    out->flags = wire_rd16(buf + 10);
    out->ciaddr = wire_rd32(buf + 12);
    out->yiaddr = wire_rd32(buf + 16);
    out->siaddr = wire_rd32(buf + 20);
    out->giaddr = wire_rd32(buf + 24);
    /*@ loop invariant 0 <= k <= 6;
        loop assigns k, out->chaddr[0 .. 5];
        loop variant 6 - k;
    */
    for (size_t k = 0; k < 6; k++)
        out->chaddr[k] = buf[28 + k];
    out->msg_type = 0;
    out->has_server_id = out->has_lease = out->has_t1 = out->has_t2 = 0;
    out->has_mask = out->has_router = out->has_dns = out->has_req_ip = 0;
    out->server_id = out->lease = out->t1 = out->t2 = 0;
    out->mask = out->router = out->dns = out->req_ip = 0;

    size_t i = DHCP_OPTIONS_OFF;
    /*@ loop invariant DHCP_OPTIONS_OFF <= i <= len;
        loop invariant dhcp_flags_ok(*out);
        loop assigns i, *out;
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

/*@ requires \valid(buf + (0 .. cap - 1));
    requires *pos + 6 <= cap;
    requires *pos <= 65535;
    requires \valid(pos);
    requires \separated(buf + (0 .. cap - 1), pos);
    assigns buf[*pos .. *pos + 5], *pos;
    ensures *pos == \old(*pos) + 6;
*/
static void put_opt32(uint8_t *buf, size_t cap, size_t *pos, uint8_t code, uint32_t v)
{
    (void)cap;
    size_t p = *pos;
    buf[p] = code;
    buf[p + 1] = 4u;
    wire_wr32(buf + p + 2, v);
    *pos = p + 6;
}

int dhcp_emit(uint8_t *buf, size_t cap, const struct dhcp_msg *m)
{
    /* 240 fixed + 3 type + 6 + 6 + 7 params + 1 end = 263; 320 leaves slack. */
    if (cap < 320u)
        return DHCP_E_SPACE;
    /*@ loop invariant 0 <= k <= DHCP_MIN_EMIT;
        loop assigns k, buf[0 .. DHCP_MIN_EMIT - 1];
        loop variant DHCP_MIN_EMIT - k;
    */
    for (size_t k = 0; k < DHCP_MIN_EMIT; k++)
        buf[k] = 0;
    buf[0] = 1u; /* BOOTREQUEST */
    buf[1] = 1u;
    buf[2] = 6u;
    wire_wr32(buf + 4, m->xid);
    wire_wr16(buf + 8, m->secs);
    wire_wr16(buf + 10, m->flags);
    wire_wr32(buf + 12, m->ciaddr);
    /*@ loop invariant 0 <= k <= 6;
        loop assigns k, buf[28 .. 33];
        loop variant 6 - k;
    */
    for (size_t k = 0; k < 6; k++)
        buf[28 + k] = m->chaddr[k];
    wire_wr32(buf + 236, 0x63825363u);
    size_t p = DHCP_OPTIONS_OFF;
    buf[p] = DHCP_OPT_MSGTYPE;
    buf[p + 1] = 1u;
    buf[p + 2] = m->msg_type;
    p = p + 3;
    if (m->has_req_ip != 0u)
        put_opt32(buf, cap, &p, DHCP_OPT_REQ_IP, m->req_ip);
    if (m->has_server_id != 0u)
        put_opt32(buf, cap, &p, DHCP_OPT_SERVER_ID, m->server_id);
    buf[p] = DHCP_OPT_PARAMS;
    buf[p + 1] = 5u;
    buf[p + 2] = DHCP_OPT_SUBNET;
    buf[p + 3] = DHCP_OPT_ROUTER;
    buf[p + 4] = DHCP_OPT_LEASE;
    buf[p + 5] = DHCP_OPT_T1;
    buf[p + 6] = DHCP_OPT_T2;
    p = p + 7;
    buf[p] = DHCP_OPT_END;
    return DHCP_MIN_EMIT;
}
