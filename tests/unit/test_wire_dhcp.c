/* SPDX-License-Identifier: Apache-2.0 */
/* DHCP message view: fixed part, cookie, every option length checked
 * against the buffer and its type; the client emitter and round trip. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp_msgs.h"
#include "netsim.h"
#include "tcpip/wire_dhcp.h"

#define XID 0xdeadbeefu
#define YI 0x0a000032u
#define SERVER 0x0a000001u

static int parse(const uint8_t *b, size_t n, struct dhcp_msg *m)
{
    return dhcp_parse(exact(b, n), n, m);
}

/* An ACK with every option a client reads; returns its length. */
static size_t full_ack(uint8_t *b)
{
    size_t p = mk_bootp(b, 2, XID, YI, NS_MAC);
    put32(b + 12, 0x01020304u);
    put32(b + 20, 0x05060708u);
    put32(b + 24, 0x090a0b0cu);
    put16(b + 8, 7);
    put16(b + 10, 0x8000);
    p = opt_put8(b, p, 53, 5);
    b[p++] = 0; /* a pad between options */
    p = opt_put32(b, p, 54, SERVER);
    p = opt_put32(b, p, 51, 3600);
    p = opt_put32(b, p, 58, 1800);
    p = opt_put32(b, p, 59, 3150);
    p = opt_put32(b, p, 1, 0xffffff00u);
    uint8_t routers[8];
    put32(routers, 0x0a000001u);
    put32(routers + 4, 0x0a0000feu);
    p = opt_put(b, p, 3, 8, routers);
    p = opt_put32(b, p, 6, 0x08080808u);
    p = opt_put(b, p, 12, 5, (const uint8_t *)"atoll"); /* host name: not ours */
    p = opt_put32(b, p, 50, YI);
    b[p++] = 255;
    return p;
}

static void dhcp_parse_reads_everything(void **state)
{
    (void)state;
    uint8_t b[400];
    size_t n = full_ack(b);
    memset(b + n, 0, 40); /* trailing pad after END */
    struct dhcp_msg m;
    assert_int_equal(parse(b, n + 40, &m), (int)n);
    assert_int_equal(m.op, 2);
    assert_int_equal(m.xid, XID);
    assert_int_equal(m.secs, 7);
    assert_int_equal(m.flags, 0x8000);
    assert_int_equal(m.ciaddr, 0x01020304u);
    assert_int_equal(m.yiaddr, YI);
    assert_int_equal(m.siaddr, 0x05060708u);
    assert_int_equal(m.giaddr, 0x090a0b0cu);
    assert_memory_equal(m.chaddr, NS_MAC, 6);
    assert_int_equal(m.msg_type, 5);
    assert_true(m.has_server_id && m.server_id == SERVER);
    assert_true(m.has_lease && m.lease == 3600);
    assert_true(m.has_t1 && m.t1 == 1800);
    assert_true(m.has_t2 && m.t2 == 3150);
    assert_true(m.has_mask && m.mask == 0xffffff00u);
    assert_true(m.has_router && m.router == 0x0a000001u);
    assert_true(m.has_dns && m.dns == 0x08080808u);
    assert_true(m.has_req_ip && m.req_ip == YI);
}

static void dhcp_parse_absent_options_are_clear(void **state)
{
    (void)state;
    uint8_t b[400];
    size_t p = mk_bootp(b, 2, XID, YI, NS_MAC);
    b[p++] = 255;
    struct dhcp_msg m;
    memset(&m, 0xa5, sizeof m);
    assert_int_equal(parse(b, p, &m), (int)p);
    assert_int_equal(m.msg_type, 0);
    assert_false(m.has_server_id || m.has_lease || m.has_t1 || m.has_t2 || m.has_mask || m.has_router
                 || m.has_dns || m.has_req_ip);
}

static void dhcp_parse_rejects_short(void **state)
{
    (void)state;
    uint8_t b[400];
    full_ack(b);
    struct dhcp_msg m;
    for (size_t n = 0; n < 240; n += (n < 20 ? 1 : 17))
        assert_int_equal(parse(b, n, &m), DHCP_E_TRUNC);
    assert_int_equal(parse(b, 239, &m), DHCP_E_TRUNC);
}

static void dhcp_parse_rejects_non_ethernet(void **state)
{
    (void)state;
    uint8_t b[400];
    size_t n = full_ack(b);
    struct dhcp_msg m;
    b[1] = 6;
    assert_int_equal(parse(b, n, &m), DHCP_E_HTYPE);
    b[1] = 1;
    b[2] = 16;
    assert_int_equal(parse(b, n, &m), DHCP_E_HTYPE);
}

static void dhcp_parse_rejects_missing_cookie(void **state)
{
    (void)state;
    uint8_t b[400];
    size_t n = full_ack(b);
    struct dhcp_msg m;
    for (size_t i = 236; i < 240; i++) {
        uint8_t c[400];
        memcpy(c, b, n);
        c[i] ^= 0x01;
        assert_int_equal(parse(c, n, &m), DHCP_E_COOKIE);
    }
    memset(b + 236, 0, 4);
    assert_int_equal(parse(b, n, &m), DHCP_E_COOKIE);
    /* exactly the fixed part and a bad cookie, nothing more */
    assert_int_equal(parse(b, 240, &m), DHCP_E_COOKIE);
}

static void dhcp_parse_rejects_option_past_end(void **state)
{
    (void)state;
    uint8_t b[400];
    size_t p = mk_bootp(b, 2, XID, YI, NS_MAC);
    p = opt_put8(b, p, 53, 2);
    size_t at = p;
    p = opt_put32(b, p, 51, 3600);
    struct dhcp_msg m;
    /* cut inside the lease value, after its length byte, after its code */
    for (size_t n = at + 1; n < p; n++)
        assert_int_equal(parse(b, n, &m), DHCP_E_OPTION);
    /* a length byte claiming more than remains */
    b[at + 1] = 200;
    assert_int_equal(parse(b, p, &m), DHCP_E_OPTION);
    /* unknown options get the same bounds check */
    p = mk_bootp(b, 2, XID, YI, NS_MAC);
    b[p++] = 12;
    b[p++] = 10;
    memset(b + p, 'x', 9);
    p += 9;
    assert_int_equal(parse(b, p, &m), DHCP_E_OPTION);
}

static void dhcp_parse_rejects_bad_sizes_for_4_byte_types(void **state)
{
    (void)state;
    static const uint8_t codes[] = {1, 50, 51, 54, 58, 59};
    static const uint8_t lens[] = {0, 1, 2, 3, 5, 8};
    uint8_t v[8] = {10, 0, 0, 1, 10, 0, 0, 2};
    for (size_t c = 0; c < sizeof codes; c++) {
        for (size_t l = 0; l < sizeof lens; l++) {
            uint8_t b[400];
            size_t p = mk_bootp(b, 2, XID, YI, NS_MAC);
            p = opt_put8(b, p, 53, 2);
            p = opt_put(b, p, codes[c], lens[l], v);
            b[p++] = 255;
            struct dhcp_msg m;
            assert_int_equal(parse(b, p, &m), DHCP_E_OPTION);
        }
    }
}

static void dhcp_parse_checks_list_and_type_options(void **state)
{
    (void)state;
    uint8_t v[12] = {10, 0, 0, 1, 10, 0, 0, 2, 10, 0, 0, 3};
    static const struct { uint8_t code, len; int ok; } cases[] = {
        {3, 0, 0}, {3, 2, 0}, {3, 6, 0}, {3, 4, 1}, {3, 12, 1},
        {6, 0, 0}, {6, 5, 0}, {6, 8, 1},
        {53, 0, 0}, {53, 2, 0}, {53, 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t b[400];
        size_t p = mk_bootp(b, 2, XID, YI, NS_MAC);
        p = opt_put(b, p, cases[i].code, cases[i].len, v);
        b[p++] = 255;
        struct dhcp_msg m;
        int r = parse(b, p, &m);
        if (cases[i].ok)
            assert_int_equal(r, (int)p);
        else
            assert_int_equal(r, DHCP_E_OPTION);
    }
    /* message type 0 is no message type */
    uint8_t b[400];
    size_t p = mk_bootp(b, 2, XID, YI, NS_MAC);
    p = opt_put8(b, p, 53, 0);
    b[p++] = 255;
    struct dhcp_msg m;
    assert_int_equal(parse(b, p, &m), DHCP_E_OPTION);
}

static void dhcp_parse_without_end_option(void **state)
{
    (void)state;
    uint8_t b[400];
    size_t p = mk_bootp(b, 2, XID, YI, NS_MAC);
    p = opt_put8(b, p, 53, 2);
    p = opt_put32(b, p, 54, SERVER);
    struct dhcp_msg m;
    /* options that fill the buffer exactly are accepted */
    assert_int_equal(parse(b, p, &m), (int)p);
    assert_int_equal(m.msg_type, 2);
    assert_int_equal(m.server_id, SERVER);
    /* only pads after the fixed part */
    memset(b + 240, 0, 10);
    assert_int_equal(parse(b, 250, &m), 250);
    /* a lone code byte at the very end has no length */
    b[250] = 51;
    assert_int_equal(parse(b, 251, &m), DHCP_E_OPTION);
}

static void dhcp_parse_stops_at_end(void **state)
{
    (void)state;
    uint8_t b[400];
    size_t p = mk_bootp(b, 2, XID, YI, NS_MAC);
    p = opt_put8(b, p, 53, 6);
    b[p++] = 255;
    size_t end = p;
    /* garbage after END is not read as options */
    b[p++] = 51;
    b[p++] = 0;
    struct dhcp_msg m;
    assert_int_equal(parse(b, p, &m), (int)end);
    assert_int_equal(m.msg_type, 6);
    assert_false(m.has_lease);
}

static void dhcp_emit_writes_client_message(void **state)
{
    (void)state;
    struct dhcp_msg m;
    memset(&m, 0, sizeof m);
    m.xid = XID;
    m.secs = 300;
    m.flags = 0x8000;
    m.ciaddr = 0x0a000009u;
    m.yiaddr = 0x01010101u; /* a client never sets these: not emitted */
    memcpy(m.chaddr, NS_MAC, 6);
    m.msg_type = 3;
    m.has_req_ip = 1;
    m.req_ip = YI;
    m.has_server_id = 1;
    m.server_id = SERVER;
    uint8_t junk[320];
    memset(junk, 0xee, sizeof junk);
    uint8_t *b = exact(junk, 320);
    assert_int_equal(dhcp_emit(b, 320, &m), 300);
    assert_int_equal(b[0], 1);
    assert_int_equal(b[1], 1);
    assert_int_equal(b[2], 6);
    assert_int_equal(b[3], 0);
    assert_int_equal(get32(b + 4), XID);
    assert_int_equal(get16(b + 8), 300);
    assert_int_equal(get16(b + 10), 0x8000);
    assert_int_equal(get32(b + 12), 0x0a000009u);
    assert_int_equal(get32(b + 16), 0);
    assert_int_equal(get32(b + 20), 0);
    assert_int_equal(get32(b + 24), 0);
    assert_memory_equal(b + 28, NS_MAC, 6);
    for (size_t i = 34; i < 236; i++)
        assert_int_equal(b[i], 0);
    assert_int_equal(get32(b + 236), 0x63825363u);
    size_t ol;
    const uint8_t *o = opt_find(b, 300, 53, &ol);
    assert_true(o && ol == 1 && o[0] == 3);
    o = opt_find(b, 300, 50, &ol);
    assert_true(o && ol == 4 && get32(o) == YI);
    o = opt_find(b, 300, 54, &ol);
    assert_true(o && ol == 4 && get32(o) == SERVER);
    o = opt_find(b, 300, 55, &ol);
    assert_non_null(o);
    static const uint8_t wanted[] = {1, 3, 51, 58, 59};
    for (size_t w = 0; w < sizeof wanted; w++)
        assert_non_null(memchr(o, wanted[w], ol));
    /* END present, and zero padding after it up to 300 */
    size_t i = 240;
    while (b[i] != 255) {
        assert_true(b[i] != 0 && i + 2 + b[i + 1] < 300);
        i += 2u + b[i + 1];
    }
    for (i++; i < 300; i++)
        assert_int_equal(b[i], 0);
}

static void dhcp_emit_leaves_out_unset_options(void **state)
{
    (void)state;
    struct dhcp_msg m;
    memset(&m, 0, sizeof m);
    m.msg_type = 1;
    m.req_ip = YI;       /* values without has_* flags */
    m.server_id = SERVER;
    uint8_t b[400];
    assert_int_equal(dhcp_emit(b, sizeof b, &m), 300);
    size_t ol;
    assert_null(opt_find(b, 300, 50, &ol));
    assert_null(opt_find(b, 300, 54, &ol));
    assert_non_null(opt_find(b, 300, 53, &ol));
}

static void dhcp_emit_refuses_small_buffer(void **state)
{
    (void)state;
    struct dhcp_msg m;
    memset(&m, 0, sizeof m);
    m.msg_type = 1;
    uint8_t junk[320] = {0};
    static const size_t caps[] = {0, 1, 239, 240, 263, 299, 300, 319};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        assert_int_equal(dhcp_emit(exact(junk, caps[i]), caps[i], &m), DHCP_E_SPACE);
}

static void dhcp_round_trip(void **state)
{
    (void)state;
    for (unsigned k = 0; k < 4; k++) {
        struct dhcp_msg a, b;
        memset(&a, 0, sizeof a);
        a.xid = 0x01000193u * (k + 1);
        a.secs = (uint16_t)(k * 1000);
        a.flags = k % 2 ? 0x8000 : 0;
        a.ciaddr = k * 0x01010101u;
        memcpy(a.chaddr, PEER_MAC, 6);
        a.msg_type = (uint8_t)(k + 1);
        a.has_req_ip = k & 1;
        a.req_ip = a.has_req_ip ? YI : 0;
        a.has_server_id = (k >> 1) & 1;
        a.server_id = a.has_server_id ? SERVER : 0;
        uint8_t buf[320];
        int n = dhcp_emit(buf, sizeof buf, &a);
        assert_int_equal(n, 300);
        assert_true(dhcp_parse(buf, (size_t)n, &b) > 240);
        assert_int_equal(b.op, 1);
        assert_int_equal(b.xid, a.xid);
        assert_int_equal(b.secs, a.secs);
        assert_int_equal(b.flags, a.flags);
        assert_int_equal(b.ciaddr, a.ciaddr);
        assert_memory_equal(b.chaddr, a.chaddr, 6);
        assert_int_equal(b.msg_type, a.msg_type);
        assert_int_equal(b.has_req_ip, a.has_req_ip);
        assert_int_equal(b.req_ip, a.req_ip);
        assert_int_equal(b.has_server_id, a.has_server_id);
        assert_int_equal(b.server_id, a.server_id);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dhcp_parse_reads_everything),
        cmocka_unit_test(dhcp_parse_absent_options_are_clear),
        cmocka_unit_test(dhcp_parse_rejects_short),
        cmocka_unit_test(dhcp_parse_rejects_non_ethernet),
        cmocka_unit_test(dhcp_parse_rejects_missing_cookie),
        cmocka_unit_test(dhcp_parse_rejects_option_past_end),
        cmocka_unit_test(dhcp_parse_rejects_bad_sizes_for_4_byte_types),
        cmocka_unit_test(dhcp_parse_checks_list_and_type_options),
        cmocka_unit_test(dhcp_parse_without_end_option),
        cmocka_unit_test(dhcp_parse_stops_at_end),
        cmocka_unit_test(dhcp_emit_writes_client_message),
        cmocka_unit_test(dhcp_emit_leaves_out_unset_options),
        cmocka_unit_test(dhcp_emit_refuses_small_buffer),
        cmocka_unit_test(dhcp_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, exact_teardown);
}
