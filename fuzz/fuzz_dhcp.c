/* SPDX-License-Identifier: Apache-2.0 */
/* dhcp_parse / dhcp_emit (tcpip/wire_dhcp.h).
 * Input: one DHCP message (the UDP payload): BOOTP fixed part, cookie, options. */
#include "fuzz_common.h"
#include "tcpip/wire_dhcp.h"

static int dhcp_same(const struct dhcp_msg *a, const struct dhcp_msg *b)
{
    return a->op == b->op && a->xid == b->xid && a->secs == b->secs && a->flags == b->flags && a->ciaddr == b->ciaddr
           && a->yiaddr == b->yiaddr && a->siaddr == b->siaddr && a->giaddr == b->giaddr
           && memcmp(a->chaddr, b->chaddr, 6) == 0 && a->msg_type == b->msg_type
           && a->has_server_id == b->has_server_id && a->has_lease == b->has_lease && a->has_t1 == b->has_t1
           && a->has_t2 == b->has_t2 && a->has_mask == b->has_mask && a->has_router == b->has_router
           && a->has_dns == b->has_dns && a->has_req_ip == b->has_req_ip && a->server_id == b->server_id
           && a->lease == b->lease && a->t1 == b->t1 && a->t2 == b->t2 && a->mask == b->mask
           && a->router == b->router && a->dns == b->dns && a->req_ip == b->req_ip;
}

static int flags_ok(const struct dhcp_msg *m)
{
    return m->has_server_id <= 1 && m->has_lease <= 1 && m->has_t1 <= 1 && m->has_t2 <= 1 && m->has_mask <= 1
           && m->has_router <= 1 && m->has_dns <= 1 && m->has_req_ip <= 1;
}

#define REF_EITHER (-100)

/* Reference option walk (RFC 2132 TLVs as the header describes them):
 * returns the bytes consumed or DHCP_E_OPTION, filling the option fields
 * of *m (the last occurrence of an option wins). */
static int ref_options(const uint8_t *buf, size_t len, struct dhcp_msg *m)
{
    size_t i = DHCP_OPTIONS_OFF;
    while (i < len) {
        uint8_t code = buf[i];
        if (code == DHCP_OPT_PAD) {
            i++;
            continue;
        }
        if (code == DHCP_OPT_END)
            return (int)(i + 1);
        if (i + 2 > len || i + 2 + buf[i + 1] > len)
            return DHCP_E_OPTION;
        size_t n = buf[i + 1];
        const uint8_t *v = buf + i + 2;
        i += 2 + n;
        switch (code) {
        case DHCP_OPT_MSGTYPE:
            if (n != 1)
                return DHCP_E_OPTION;
            if (v[0] == 0)
                return REF_EITHER; /* not a type: refusing or reading 0 ("absent") are both fine */
            m->msg_type = v[0];
            break;
        case DHCP_OPT_ROUTER:
        case DHCP_OPT_DNS:
            if (n == 0 || n % 4 != 0)
                return DHCP_E_OPTION;
            if (code == DHCP_OPT_ROUTER)
                m->has_router = 1, m->router = fuzz_rd32(v);
            else
                m->has_dns = 1, m->dns = fuzz_rd32(v);
            break;
        case DHCP_OPT_SUBNET:
        case DHCP_OPT_LEASE:
        case DHCP_OPT_SERVER_ID:
        case DHCP_OPT_T1:
        case DHCP_OPT_T2:
        case DHCP_OPT_REQ_IP:
            if (n != 4)
                return DHCP_E_OPTION;
            if (code == DHCP_OPT_SUBNET)
                m->has_mask = 1, m->mask = fuzz_rd32(v);
            else if (code == DHCP_OPT_LEASE)
                m->has_lease = 1, m->lease = fuzz_rd32(v);
            else if (code == DHCP_OPT_SERVER_ID)
                m->has_server_id = 1, m->server_id = fuzz_rd32(v);
            else if (code == DHCP_OPT_T1)
                m->has_t1 = 1, m->t1 = fuzz_rd32(v);
            else if (code == DHCP_OPT_T2)
                m->has_t2 = 1, m->t2 = fuzz_rd32(v);
            else
                m->has_req_ip = 1, m->req_ip = fuzz_rd32(v);
            break;
        default:
            break; /* not interpreted, only skipped */
        }
    }
    return (int)len; /* no end option: the options fill the buffer */
}

/* Emit a client message from m into a buffer of cap bytes and parse it back. */
static void round_trip(const struct dhcp_msg *m, size_t cap)
{
    uint8_t *out = fuzz_alloc(cap, 0xa5);
    int e = dhcp_emit(out, cap, m);
    FUZZ_CHECK(e == DHCP_E_SPACE || (e >= DHCP_MIN_EMIT && (size_t)e <= cap));
    if (cap < 320) {
        FUZZ_CHECK(e == DHCP_E_SPACE);
        free(out);
        return;
    }
    FUZZ_CHECK(e > 0);
    FUZZ_CHECK(out[0] == 1 && out[1] == 1 && out[2] == 6 && fuzz_rd32(out + 236) == 0x63825363u);
    struct dhcp_msg c;
    memset(&c, 0x77, sizeof c);
    int r = dhcp_parse(out, (size_t)e, &c);
    if (m->msg_type == 0) {
        /* A message type 0 is what the parser reads as malformed. */
        FUZZ_CHECK(r == DHCP_E_OPTION);
        free(out);
        return;
    }
    FUZZ_CHECK(r >= DHCP_OPTIONS_OFF && r <= e);
    FUZZ_CHECK(c.op == 1 && c.xid == m->xid && c.secs == m->secs && c.flags == m->flags);
    FUZZ_CHECK(c.ciaddr == m->ciaddr && c.yiaddr == 0 && c.siaddr == 0 && c.giaddr == 0);
    FUZZ_CHECK(memcmp(c.chaddr, m->chaddr, 6) == 0 && c.msg_type == m->msg_type);
    FUZZ_CHECK(c.has_req_ip == (m->has_req_ip != 0) && c.has_server_id == (m->has_server_id != 0));
    if (m->has_req_ip)
        FUZZ_CHECK(c.req_ip == m->req_ip);
    if (m->has_server_id)
        FUZZ_CHECK(c.server_id == m->server_id);
    FUZZ_CHECK(!c.has_lease && !c.has_t1 && !c.has_t2 && !c.has_mask && !c.has_router && !c.has_dns);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = fuzz_dup(data, size);
    struct dhcp_msg a, b;
    memset(&a, 0x00, sizeof a);
    memset(&b, 0xff, sizeof b);
    int r = dhcp_parse(buf, size, &a);
    FUZZ_CHECK(dhcp_parse(buf, size, &b) == r);
    FUZZ_CHECK(r == DHCP_E_TRUNC || r == DHCP_E_COOKIE || r == DHCP_E_OPTION || r == DHCP_E_HTYPE
               || (r >= DHCP_OPTIONS_OFF && (size_t)r <= size));
    if (size < DHCP_OPTIONS_OFF) {
        FUZZ_CHECK(r == DHCP_E_TRUNC);
    } else {
        int htype_ok = buf[1] == 1 && buf[2] == 6;
        int cookie_ok = fuzz_rd32(buf + 236) == 0x63825363u;
        FUZZ_CHECK(r != DHCP_E_TRUNC);
        if (r == DHCP_E_HTYPE)
            FUZZ_CHECK(!htype_ok);
        if (r == DHCP_E_COOKIE)
            FUZZ_CHECK(!cookie_ok);
        if (!htype_ok || !cookie_ok)
            FUZZ_CHECK(r < 0);
        if (htype_ok && cookie_ok) {
            struct dhcp_msg ref;
            memset(&ref, 0, sizeof ref);
            int rr = ref_options(buf, size, &ref);
            if (rr == REF_EITHER)
                FUZZ_CHECK(r == DHCP_E_OPTION || r >= DHCP_OPTIONS_OFF);
            else
                FUZZ_CHECK(r == rr);
            if (r > 0 && rr != REF_EITHER) {
                /* Fixed part straight from the wire, options as the reference read them. */
                ref.op = buf[0];
                ref.xid = fuzz_rd32(buf + 4);
                ref.secs = (uint16_t)fuzz_rd16(buf + 8);
                ref.flags = (uint16_t)fuzz_rd16(buf + 10);
                ref.ciaddr = fuzz_rd32(buf + 12);
                ref.yiaddr = fuzz_rd32(buf + 16);
                ref.siaddr = fuzz_rd32(buf + 20);
                ref.giaddr = fuzz_rd32(buf + 24);
                memcpy(ref.chaddr, buf + 28, 6);
                FUZZ_CHECK(dhcp_same(&a, &ref));
            }
        }
    }
    if (r > 0) {
        FUZZ_CHECK(flags_ok(&a));
        FUZZ_CHECK(dhcp_same(&a, &b)); /* every field assigned */
        round_trip(&a, 320u + size % 64u);
    }
    /* The emitter on capacities around its minimum. */
    struct dhcp_msg e;
    memset(&e, 0, sizeof e);
    if (size >= 29) {
        e.xid = fuzz_rd32(buf);
        e.secs = (uint16_t)fuzz_rd16(buf + 4);
        e.flags = (uint16_t)fuzz_rd16(buf + 6);
        e.ciaddr = fuzz_rd32(buf + 8);
        memcpy(e.chaddr, buf + 12, 6);
        e.msg_type = buf[18];
        e.has_req_ip = buf[19] % 3u; /* any non-zero value means present */
        e.has_server_id = buf[20] % 3u;
        e.req_ip = fuzz_rd32(buf + 21);
        e.server_id = fuzz_rd32(buf + 25) ^ buf[27];
    }
    round_trip(&e, 296u + size % 48u);
    free(buf);
    return 0;
}
