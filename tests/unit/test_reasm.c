/* SPDX-License-Identifier: Apache-2.0 */
/* Fragment reassembly through the public API: order, duplicates, overlaps,
 * timeout, slot eviction and the malformed fragments that broke others. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netsim.h"

#define PORT 7000
#define TIMEOUT_MS 30000u
#define SLOTS 4

/* The UDP datagram (header included) the fragments are cut from. */
static uint8_t U[65536];
static size_t UL;

static void datagram(size_t data_len, unsigned seed)
{
    static uint8_t d[65536];
    fill_pattern(d, data_len, seed);
    UL = mk_udp(U, PEER_IP, NS_IP, 4000, PORT, d, data_len);
}

static void frag_bytes(struct netsim *ns, uint16_t id, size_t off, const uint8_t *p, size_t len, int mf)
{
    static uint8_t f[1600];
    assert_true(off % 8 == 0 && len <= 1480);
    struct ip_spec s = ip_spec(PEER_IP, NS_IP, 17);
    s.id = id;
    s.mf = mf;
    s.frag_off = (uint16_t)(off / 8);
    ns_input(ns, f, mk_ip_frame(f, &s, p, len));
}

/* Piece [off, off+len) of U; MF set unless it reaches the end. */
static void frag(struct netsim *ns, uint16_t id, size_t off, size_t len)
{
    frag_bytes(ns, id, off, U + off, len, off + len < UL);
}

static void assert_delivered(const struct netsim *ns, size_t count)
{
    assert_int_equal(ns->rx->count, count);
    assert_int_equal(ns->rx->len, UL - 8);
    assert_memory_equal(ns->rx->data, U + 8, UL - 8);
}

static int setup(void **state)
{
    if (ns_setup_static(state))
        return -1;
    ns_bind(*state, PORT);
    datagram(3000, 1); /* 3008 bytes: 1480 + 1480 + 48 */
    return 0;
}

static void reasm_in_order(void **state)
{
    struct netsim *ns = *state;
    frag(ns, 1, 0, 1480);
    frag(ns, 1, 1480, 1480);
    assert_int_equal(ns->rx->count, 0);
    frag(ns, 1, 2960, 48);
    assert_delivered(ns, 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_OK), 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_FRAG_RX), 3);
}

static void reasm_any_order(void **state)
{
    struct netsim *ns = *state;
    static const size_t offs[3] = {0, 1480, 2960}, lens[3] = {1480, 1480, 48};
    static const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int p = 0; p < 6; p++) {
        for (int k = 0; k < 3; k++) {
            assert_int_equal(ns->rx->count, (size_t)p);
            frag(ns, (uint16_t)(100 + p), offs[perms[p][k]], lens[perms[p][k]]);
        }
        assert_delivered(ns, (size_t)p + 1);
    }
}

static void reasm_exact_duplicate_tolerated(void **state)
{
    struct netsim *ns = *state;
    frag(ns, 2, 0, 1480);
    frag(ns, 2, 0, 1480);
    frag(ns, 2, 1480, 1480);
    frag(ns, 2, 1480, 1480);
    frag(ns, 2, 2960, 48);
    assert_delivered(ns, 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_DUP), 2);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_OVERLAP), 0);
}

static void reasm_overlap_with_other_bytes_discards(void **state)
{
    struct netsim *ns = *state;
    uint8_t evil[1480];
    /* partly over the first fragment's tail */
    frag(ns, 3, 0, 1480);
    memcpy(evil, U + 1472, 16);
    evil[3] ^= 0xff;
    frag_bytes(ns, 3, 1472, evil, 16, 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_OVERLAP), 1);
    frag(ns, 3, 1480, 1480);
    frag(ns, 3, 2960, 48);
    assert_int_equal(ns->rx->count, 0);
    /* the same place and size, one byte different */
    frag(ns, 4, 0, 1480);
    frag(ns, 4, 1480, 1480);
    memcpy(evil, U + 1480, 1480);
    evil[1000] ^= 1;
    frag_bytes(ns, 4, 1480, evil, 1480, 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_OVERLAP), 2);
    frag(ns, 4, 2960, 48);
    assert_int_equal(ns->rx->count, 0);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_OK), 0);
}

static void reasm_times_out_after_30s(void **state)
{
    struct netsim *ns = *state;
    uint64_t t0 = ns->now;
    frag(ns, 5, 0, 1480);
    assert_int_equal(atoll_poll(ns->st, ns->now), t0 + TIMEOUT_MS);
    ns_run_until(ns, t0 + TIMEOUT_MS - 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_TIMEOUT), 0);
    ns_run_until(ns, t0 + TIMEOUT_MS);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_TIMEOUT), 1);
    frag(ns, 5, 1480, 1480);
    frag(ns, 5, 2960, 48);
    assert_int_equal(ns->rx->count, 0);
}

static void reasm_completes_just_before_timeout(void **state)
{
    struct netsim *ns = *state;
    uint64_t t0 = ns->now;
    frag(ns, 6, 0, 1480);
    ns_run_until(ns, t0 + TIMEOUT_MS - 1);
    frag(ns, 6, 1480, 1480);
    frag(ns, 6, 2960, 48);
    assert_delivered(ns, 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_TIMEOUT), 0);
}

static void reasm_evicts_oldest_slot(void **state)
{
    struct netsim *ns = *state;
    for (uint16_t id = 10; id < 10 + SLOTS + 1; id++) {
        frag(ns, id, 0, 1480);
        ns->now += 1;
    }
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_EVICT), 1);
    for (uint16_t id = 11; id < 10 + SLOTS + 1; id++) {
        frag(ns, id, 1480, 1480);
        frag(ns, id, 2960, 48);
    }
    assert_delivered(ns, SLOTS);
    /* the oldest, evicted, lost its first fragment */
    frag(ns, 10, 1480, 1480);
    frag(ns, 10, 2960, 48);
    assert_int_equal(ns->rx->count, SLOTS);
}

static void reasm_zero_length_fragments_dropped(void **state)
{
    struct netsim *ns = *state;
    frag_bytes(ns, 7, 0, U, 0, 1);
    frag(ns, 7, 0, 1480);
    frag_bytes(ns, 7, 1480, U, 0, 1);
    frag_bytes(ns, 7, 2960, U, 0, 0); /* an empty "last" must not set the end */
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_FRAG_DROP_MALFORMED), 3);
    frag(ns, 7, 1480, 1480);
    frag(ns, 7, 2960, 48);
    assert_delivered(ns, 1);
}

static void reasm_middle_fragment_not_multiple_of_8_dropped(void **state)
{
    struct netsim *ns = *state;
    frag(ns, 8, 0, 1480);
    frag_bytes(ns, 8, 1480, U + 1480, 1476, 1);
    frag_bytes(ns, 8, 1480, U + 1480, 1, 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_FRAG_DROP_MALFORMED), 2);
    assert_int_equal(ns->rx->count, 0);
    frag(ns, 8, 1480, 1480);
    frag(ns, 8, 2960, 48);
    assert_delivered(ns, 1);
}

static void reasm_fragment_past_declared_end_discards(void **state)
{
    struct netsim *ns = *state;
    /* the last fragment says the datagram ends at 2000 ... */
    frag_bytes(ns, 9, 1480, U + 1480, 520, 0);
    /* ... then a piece claims bytes beyond that: the datagram goes */
    frag_bytes(ns, 9, 1480, U + 1480, 1480, 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_FRAG_DROP_MALFORMED), 1);
    frag(ns, 9, 0, 1480);
    frag(ns, 9, 2960, 48);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_OK), 0);
    /* a last fragment ending before data already held */
    frag(ns, 20, 1480, 1480);
    frag_bytes(ns, 20, 8, U + 8, 8, 0);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_FRAG_DROP_MALFORMED), 2);
    frag(ns, 20, 0, 1480);
    frag(ns, 20, 2960, 48);
    assert_int_equal(ns->rx->count, 0);
}

/* The block map has 8-byte granularity: a last fragment ending inside a
 * block another fragment already covered further must still be caught. */
static void reasm_last_fragment_inside_held_block_discards(void **state)
{
    struct netsim *ns = *state;
    frag_bytes(ns, 30, 8, U + 8, 8, 1);  /* [8,16), more to come */
    frag_bytes(ns, 30, 8, U + 8, 5, 0);  /* "last", ending at 13 < 16 */
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_FRAG_DROP_MALFORMED), 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_REASM_DUP), 0);
}

static void reasm_end_beyond_largest_datagram_dropped(void **state)
{
    struct netsim *ns = *state;
    uint8_t junk[16] = {0};
    /* passes the header check (65512 + 16 <= 65535) but with its 20-byte
     * header the datagram would exceed 65535 */
    frag_bytes(ns, 21, 65512, junk, 16, 0);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_FRAG_DROP_MALFORMED), 1);
    frag_bytes(ns, 21, 65504, junk, 8, 1);
    assert_int_equal(ns_ctr(ns, ATOLL_CTR_IP_FRAG_DROP_MALFORMED), 1);
}

static void reasm_largest_datagram(void **state)
{
    struct netsim *ns = *state;
    datagram(65535 - 20 - 8, 77);
    assert_int_equal(UL, 65515);
    for (size_t off = 0; off < UL; off += 1480)
        frag(ns, 22, off, UL - off < 1480 ? UL - off : 1480);
    assert_delivered(ns, 1);
}

static void reasm_error_quotes_first_fragment(void **state)
{
    struct netsim *ns = *state;
    ns_learn(ns, PEER_MAC, PEER_IP);
    assert_int_equal(atoll_udp_unbind(ns->st, PORT), ATOLL_OK);
    frag(ns, 23, 1480, 1480);
    frag(ns, 23, 2960, 48);
    frag(ns, 23, 0, 1480);
    assert_int_equal(ns_count_ip(ns, 1), 1);
    const uint8_t *ip = fr_ip(ns_nth_ip(ns, 1, 0));
    assert_int_equal(ip[20], 3);
    assert_int_equal(ip[21], 3);
    /* the quoted header is the offset-0 fragment's, then the UDP header */
    uint8_t first[1600];
    struct ip_spec s = ip_spec(PEER_IP, NS_IP, 17);
    s.id = 23;
    s.mf = 1;
    mk_ip(first, &s, U, 1480);
    assert_memory_equal(ip + 28, first, 28);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, ns_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(reasm_in_order),
        T(reasm_any_order),
        T(reasm_exact_duplicate_tolerated),
        T(reasm_overlap_with_other_bytes_discards),
        T(reasm_times_out_after_30s),
        T(reasm_completes_just_before_timeout),
        T(reasm_evicts_oldest_slot),
        T(reasm_zero_length_fragments_dropped),
        T(reasm_middle_fragment_not_multiple_of_8_dropped),
        T(reasm_fragment_past_declared_end_discards),
        T(reasm_last_fragment_inside_held_block_discards),
        T(reasm_end_beyond_largest_datagram_dropped),
        T(reasm_largest_datagram),
        T(reasm_error_quotes_first_fragment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
