/* SPDX-License-Identifier: Apache-2.0 */
/* eth_parse / eth_emit (tcpip/wire_eth.h).
 * Input: one Ethernet frame. */
#include "fuzz_common.h"
#include "tcpip/wire_eth.h"

static int eth_same(const struct eth_hdr *a, const struct eth_hdr *b)
{
    return memcmp(a->dst, b->dst, ETH_ADDR_LEN) == 0 && memcmp(a->src, b->src, ETH_ADDR_LEN) == 0
           && a->type == b->type;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = fuzz_dup(data, size);
    struct eth_hdr a, b;
    memset(&a, 0x00, sizeof a);
    memset(&b, 0xff, sizeof b);
    int r = eth_parse(buf, size, &a);
    /* Deterministic, and on success every field assigned (two different
     * prefills must give the same view). */
    FUZZ_CHECK(eth_parse(buf, size, &b) == r);
    if (size < ETH_HDR_LEN) {
        FUZZ_CHECK(r == ETH_E_TRUNC);
        /* assigns \nothing on a runt: both prefills survive. */
        struct eth_hdr z0, z1;
        memset(&z0, 0x00, sizeof z0);
        memset(&z1, 0xff, sizeof z1);
        FUZZ_CHECK(memcmp(&a, &z0, sizeof a) == 0 && memcmp(&b, &z1, sizeof b) == 0);
    } else {
        FUZZ_CHECK(r == ETH_HDR_LEN);
        FUZZ_CHECK(eth_same(&a, &b));
        FUZZ_CHECK(a.type == fuzz_rd16(buf + 12));
        FUZZ_CHECK(memcmp(a.dst, buf, ETH_ADDR_LEN) == 0);
        FUZZ_CHECK(memcmp(a.src, buf + ETH_ADDR_LEN, ETH_ADDR_LEN) == 0);

        /* emit -> bytes identical to the parsed header -> parse -> same view */
        uint8_t *out = fuzz_alloc(ETH_HDR_LEN, 0xa5);
        FUZZ_CHECK(eth_emit(out, ETH_HDR_LEN, &a) == ETH_HDR_LEN);
        FUZZ_CHECK(memcmp(out, buf, ETH_HDR_LEN) == 0);
        struct eth_hdr c;
        FUZZ_CHECK(eth_parse(out, ETH_HDR_LEN, &c) == ETH_HDR_LEN);
        FUZZ_CHECK(eth_same(&a, &c));
        free(out);
    }

    /* The emitter refuses a short buffer and writes nothing past cap. */
    size_t cap = size % (ETH_HDR_LEN + 2u);
    uint8_t *small = fuzz_alloc(cap, 0x5a);
    memset(&a, 0x11, sizeof a);
    int e = eth_emit(small, cap, &a);
    FUZZ_CHECK(cap < ETH_HDR_LEN ? e == ETH_E_TRUNC : e == ETH_HDR_LEN);
    if (e == ETH_HDR_LEN) {
        FUZZ_CHECK(fuzz_rd16(small + 12) == a.type);
        for (size_t k = ETH_HDR_LEN; k < cap; k++) /* assigns buf[0 .. 13] only */
            FUZZ_CHECK(small[k] == 0x5a);
    } else {
        for (size_t k = 0; k < cap; k++) /* assigns \nothing */
            FUZZ_CHECK(small[k] == 0x5a);
    }
    free(small);
    free(buf);
    return 0;
}
