/* SPDX-License-Identifier: Apache-2.0 */
/* icmp_parse / icmp_emit (tcpip/wire_icmp.h), and the checksum primitives
 * they rest on (tcpip/checksum.h) against an independent reference.
 * Input: one ICMP message (the IPv4 payload). */
#include "tcpip/checksum.h"
#include "fuzz_common.h"
#include "tcpip/wire_icmp.h"

static int icmp_same(const struct icmp_hdr *a, const struct icmp_hdr *b)
{
    return a->type == b->type && a->code == b->code && a->csum == b->csum && a->rest == b->rest;
}

static void check_parse(const uint8_t *buf, size_t size)
{
    struct icmp_hdr a, b;
    memset(&a, 0x00, sizeof a);
    memset(&b, 0xff, sizeof b);
    int r = icmp_parse(buf, size, &a);
    FUZZ_CHECK(icmp_parse(buf, size, &b) == r);
    FUZZ_CHECK(r == ICMP_HDR_LEN || r == ICMP_E_TRUNC || r == ICMP_E_CSUM);
    if (size < ICMP_HDR_LEN) {
        FUZZ_CHECK(r == ICMP_E_TRUNC);
        return;
    }
    FUZZ_CHECK((r == ICMP_HDR_LEN) == fuzz_csum_ok(0, buf, size));
    if (r != ICMP_HDR_LEN)
        return;
    FUZZ_CHECK(icmp_same(&a, &b));
    FUZZ_CHECK(a.type == buf[0] && a.code == buf[1]);
    FUZZ_CHECK(a.csum == fuzz_rd16(buf + 2) && a.rest == fuzz_rd32(buf + 4));

    /* Round trip: the emitter recomputes the checksum over the same bytes.
     * One's complement has two zeros, so only the checksum field may
     * differ, and then only between 0x0000 and 0xffff. */
    uint8_t *out = fuzz_dup(buf, size);
    memset(out, 0xa5, ICMP_HDR_LEN);
    FUZZ_CHECK(icmp_emit(out, size, &a, size - ICMP_HDR_LEN) == (int)size);
    FUZZ_CHECK(memcmp(out, buf, 2) == 0 && memcmp(out + 4, buf + 4, size - 4) == 0);
    uint32_t c0 = fuzz_rd16(buf + 2), c1 = fuzz_rd16(out + 2);
    FUZZ_CHECK(c0 == c1 || (c0 + c1 == 0xffffu && (c0 == 0 || c1 == 0)));
    struct icmp_hdr c;
    FUZZ_CHECK(icmp_parse(out, size, &c) == ICMP_HDR_LEN);
    FUZZ_CHECK(c.type == a.type && c.code == a.code && c.rest == a.rest);
    free(out);
}

/* The emitter with capacity and payload length taken from the input. */
static void check_emit(const uint8_t *buf, size_t size)
{
    if (size < 10)
        return;
    struct icmp_hdr h = {.type = buf[0], .code = buf[1], .csum = (uint16_t)fuzz_rd16(buf + 2), .rest = fuzz_rd32(buf + 4)};
    size_t cap = size - 10;
    size_t payload_len = fuzz_rd16(buf + 8) % (cap + 16u);
    uint8_t *o = fuzz_dup(buf + 10, cap);
    int e = icmp_emit(o, cap, &h, payload_len);
    FUZZ_CHECK(e == ICMP_E_SPACE || e == (int)(ICMP_HDR_LEN + payload_len));
    if (payload_len > cap || cap - payload_len < ICMP_HDR_LEN)
        FUZZ_CHECK(e == ICMP_E_SPACE);
    if (e > 0) {
        FUZZ_CHECK(memcmp(o + ICMP_HDR_LEN, buf + 10 + ICMP_HDR_LEN, cap - ICMP_HDR_LEN) == 0);
        struct icmp_hdr c;
        FUZZ_CHECK(icmp_parse(o, (size_t)e, &c) == ICMP_HDR_LEN);
        FUZZ_CHECK(c.type == h.type && c.code == h.code && c.rest == h.rest);
    }
    free(o);
}

/* checksum.h: chaining, folding and the pseudo-header against the reference. */
static void check_csum(const uint8_t *buf, size_t size)
{
    uint32_t whole = csum_add(0, buf, size);
    FUZZ_CHECK(whole <= 65535u);
    uint64_t ref = fuzz_sum_raw(0, buf, size);
    /* Same value modulo 0xffff, and zero only for an all-zero region. */
    FUZZ_CHECK(whole % 0xffffu == ref % 0xffffu);
    FUZZ_CHECK((whole == 0) == (ref == 0));
    FUZZ_CHECK(csum_finish(whole) == 65535u - whole);
    if (size >= 2) {
        size_t k = (size_t)(buf[0] * 256u + buf[1]) % (size + 1u) / 2u * 2u; /* even split */
        FUZZ_CHECK(csum_add(csum_add(0, buf, k), buf + k, size - k) == whole);
    }
    if (size >= 14) {
        uint32_t src = fuzz_rd32(buf), dst = fuzz_rd32(buf + 4), len = fuzz_rd16(buf + 8);
        uint32_t seed = fuzz_rd16(buf + 10), w = fuzz_rd32(buf + 10);
        uint32_t p = csum_pseudo(seed, src, dst, buf[12], len);
        FUZZ_CHECK(p <= 65535u);
        FUZZ_CHECK(p % 0xffffu == (seed + fuzz_pseudo(src, dst, buf[12], len)) % 0xffffu);
        uint32_t a16 = csum_add16(seed, w);
        FUZZ_CHECK(a16 <= 65535u && a16 % 0xffffu == (seed + w % 65536u) % 0xffffu);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = fuzz_dup(data, size);
    check_parse(buf, size);
    check_emit(buf, size);
    check_csum(buf, size);
    free(buf);
    return 0;
}
