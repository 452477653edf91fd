/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4 input: every malformed or misaddressed datagram is dropped under
 * its own counter and reaches no service; options are skipped. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"

#define PORT 7000
static const uint8_t DATA[11] = "hello atoll";

/* A valid frame carrying DATA to our PORT; s may adjust the header. */
static size_t frame(uint8_t *f, const struct ip_spec *s)
{
    uint8_t u[64];
    size_t ul = mk_udp(u, s->src, s->dst, 4000, PORT, DATA, sizeof DATA);
    return mk_ip_frame(f, s, u, ul);
}

static size_t plain(uint8_t *f)
{
    struct ip_spec s = ip_spec(PEER_IP, NS_IP, 17);
    return frame(f, &s);
}

static void refix(uint8_t *f)
{
    uint8_t *ip = f + 14;
    size_t hl = (size_t)(ip[0] & 15u) * 4u;
    put16(ip + 10, 0);
    put16(ip + 10, ref_csum(ip, hl));
}

static int setup(void **state)
{
    if (ns_setup_static(state))
        return -1;
    ns_bind(*state, PORT);
    return 0;
}

/* Feeds f and checks it was dropped by exactly counter c, silently. */
static void dropped(struct netsim *ns, const uint8_t *f, size_t n, enum atoll_counter c)
{
    uint64_t before = ns_ctr(ns, c);
    ns_input(ns, f, n);
    assert_int_equal(ns_ctr(ns, c), before + 1);
    assert_int_equal(ns->rx->count, 0);
    assert_int_equal(ns->nframes, 0);
}

static void ip_control_is_delivered(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[128];
    ns_input(ns, f, plain(f));
    assert_int_equal(ns->rx->count, 1);
    assert_int_equal(ns->rx->src, PEER_IP);
    assert_int_equal(ns->rx->sport, 4000);
    assert_int_equal(ns->rx->dport, PORT);
    assert_int_equal(ns->rx->len, sizeof DATA);
    assert_memory_equal(ns->rx->data, DATA, sizeof DATA);
    assert_int_equal(ns->rx->now, ns->now);
}

static void ip_drop_truncated(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[128];
    plain(f);
    for (size_t n = 14; n < 34; n++)
        dropped(ns, f, n, ATOLL_CTR_IP_DROP_TRUNC);
}

static void ip_drop_bad_version(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[128];
    size_t n = plain(f);
    f[14] = 0x65;
    refix(f);
    dropped(ns, f, n, ATOLL_CTR_IP_DROP_VERSION);
}

static void ip_drop_bad_checksum(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[128];
    size_t n = plain(f);
    f[14 + 8] ^= 1; /* TTL changed, checksum not */
    dropped(ns, f, n, ATOLL_CTR_IP_DROP_CSUM);
}

static void ip_drop_bad_header_length(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[128];
    size_t n = plain(f);
    f[14] = 0x44; /* IHL 4 */
    refix(f);
    dropped(ns, f, n, ATOLL_CTR_IP_DROP_HDRLEN);
    n = plain(f);
    f[14] = 0x4f; /* IHL 15: 60 bytes, but only 39 in the frame */
    dropped(ns, f, n, ATOLL_CTR_IP_DROP_HDRLEN);
}

static void ip_drop_bad_total_length(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[128];
    size_t n = plain(f);
    put16(f + 16, (uint16_t)(n - 14 + 1)); /* one byte more than arrived */
    refix(f);
    dropped(ns, f, n, ATOLL_CTR_IP_DROP_TOTLEN);
    n = plain(f);
    put16(f + 16, 19);
    refix(f);
    dropped(ns, f, n, ATOLL_CTR_IP_DROP_TOTLEN);
}

static void ip_drop_bad_source(void **state)
{
    struct netsim *ns = *state;
    static const uint32_t bad[] = {0, 0x7f000001u, 0xe0000001u, 0xf0000001u, 0xffffffffu, NS_IP, NS_BCAST};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t f[128];
        struct ip_spec s = ip_spec(bad[i], NS_IP, 17);
        dropped(ns, f, frame(f, &s), ATOLL_CTR_IP_DROP_BAD_SRC);
    }
}

static void ip_drop_not_for_us(void **state)
{
    struct netsim *ns = *state;
    static const uint32_t other[] = {0x0a000009u, 0x0a0001ffu, 0x0a000000u, 0xe0000001u};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        uint8_t f[128];
        struct ip_spec s = ip_spec(PEER_IP, other[i], 17);
        dropped(ns, f, frame(f, &s), ATOLL_CTR_IP_DROP_NOT_FOR_US);
    }
}

static void ip_drop_fragment_past_65535(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[128];
    struct ip_spec s = ip_spec(PEER_IP, NS_IP, 17);
    s.frag_off = 8191;
    dropped(ns, f, frame(f, &s), ATOLL_CTR_IP_DROP_FRAG_RANGE);
}

static void ip_drop_unknown_protocol_with_error(void **state)
{
    struct netsim *ns = *state;
    ns_learn(ns, PEER_MAC, PEER_IP);
    uint8_t f[128], pl[16];
    fill_pattern(pl, sizeof pl, 1);
    struct ip_spec s = ip_spec(PEER_IP, NS_IP, 47);
    size_t n = mk_ip_frame(f, &s, pl, sizeof pl);
    ns_input(ns, f, n);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_DROP_PROTO), 1);
    assert_int_equal(ns_count_ip(ns, 1), 1);
    const uint8_t *ip = fr_ip(&ns->frames[0]);
    assert_int_equal(ip[20], 3);
    assert_int_equal(ip[21], 2); /* protocol unreachable */
    assert_memory_equal(ip + 28, f + 14, n - 14);
}

static void ip_options_are_skipped(void **state)
{
    struct netsim *ns = *state;
    for (size_t opt = 4; opt <= 40; opt += 4) {
        uint8_t f[160];
        struct ip_spec s = ip_spec(PEER_IP, NS_IP, 17);
        s.opt_len = opt;
        memset(ns->rx->data, 0, sizeof DATA);
        ns_input(ns, f, frame(f, &s));
        assert_int_equal(ns->rx->count, opt / 4);
        assert_int_equal(ns->rx->len, sizeof DATA);
        assert_memory_equal(ns->rx->data, DATA, sizeof DATA);
    }
}

static void ip_link_padding_ignored(void **state)
{
    struct netsim *ns = *state;
    uint8_t f[128];
    memset(f, 0xee, sizeof f);
    size_t n = plain(f);
    assert_true(n < 60);
    ns_input(ns, f, 60);
    assert_int_equal(ns->rx->count, 1);
    assert_int_equal(ns->rx->len, sizeof DATA);
    assert_memory_equal(ns->rx->data, DATA, sizeof DATA);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, ns_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(ip_control_is_delivered),
        T(ip_drop_truncated),
        T(ip_drop_bad_version),
        T(ip_drop_bad_checksum),
        T(ip_drop_bad_header_length),
        T(ip_drop_bad_total_length),
        T(ip_drop_bad_source),
        T(ip_drop_not_for_us),
        T(ip_drop_fragment_past_65535),
        T(ip_drop_unknown_protocol_with_error),
        T(ip_options_are_skipped),
        T(ip_link_padding_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
