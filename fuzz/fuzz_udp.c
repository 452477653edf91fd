/* SPDX-License-Identifier: Apache-2.0 */
/* udp_parse / udp_emit (tcpip/wire_udp.h).
 * Input: source address (4 bytes), destination address (4 bytes), then the
 * IPv4 payload holding one UDP datagram (maybe followed by link padding). */
#include "fuzz_common.h"
#include "tcpip/wire_udp.h"

static void check_parse(const uint8_t *buf, size_t size, uint32_t src, uint32_t dst)
{
    struct udp_hdr a, b;
    memset(&a, 0x00, sizeof a);
    memset(&b, 0xff, sizeof b);
    int r = udp_parse(buf, size, src, dst, &a);
    FUZZ_CHECK(udp_parse(buf, size, src, dst, &b) == r);
    FUZZ_CHECK(r == UDP_HDR_LEN || r == UDP_E_TRUNC || r == UDP_E_LENGTH || r == UDP_E_CSUM);
    if (size < UDP_HDR_LEN) {
        FUZZ_CHECK(r == UDP_E_TRUNC);
        return;
    }
    uint32_t ulen = fuzz_rd16(buf + 4), csum = fuzz_rd16(buf + 6);
    int len_ok = ulen >= UDP_HDR_LEN && ulen <= size;
    int csum_ok = len_ok && (csum == 0 || fuzz_csum_ok(fuzz_pseudo(src, dst, 17, ulen), buf, ulen));
    FUZZ_CHECK(r != UDP_E_TRUNC);
    FUZZ_CHECK((r == UDP_HDR_LEN) == (len_ok && csum_ok));
    if (r == UDP_E_LENGTH)
        FUZZ_CHECK(!len_ok);
    if (r == UDP_E_CSUM)
        FUZZ_CHECK(!csum_ok);
    if (r != UDP_HDR_LEN)
        return;
    FUZZ_CHECK(a.sport == b.sport && a.dport == b.dport && a.length == b.length && a.csum == b.csum);
    FUZZ_CHECK(a.length >= UDP_HDR_LEN && a.length <= size);
    FUZZ_CHECK(a.sport == fuzz_rd16(buf) && a.dport == fuzz_rd16(buf + 2));
    FUZZ_CHECK(a.length == ulen && a.csum == csum);

    /* Round trip over exactly the UDP length (padding dropped). The emitter
     * always computes a checksum (a computed 0 goes out as 0xffff), so the
     * checksum field may differ only where the input carried none (0). */
    uint8_t *out = fuzz_dup(buf, ulen);
    memset(out, 0xa5, UDP_HDR_LEN);
    struct udp_hdr h = {.sport = a.sport, .dport = a.dport, .length = 0x1234, .csum = 0x5678};
    FUZZ_CHECK(udp_emit(out, ulen, src, dst, &h, ulen - UDP_HDR_LEN) == (int)ulen);
    FUZZ_CHECK(memcmp(out, buf, 6) == 0 && memcmp(out + UDP_HDR_LEN, buf + UDP_HDR_LEN, ulen - UDP_HDR_LEN) == 0);
    uint32_t c1 = fuzz_rd16(out + 6);
    FUZZ_CHECK(c1 != 0);
    /* A received non-zero checksum is the unique non-zero encoding. */
    FUZZ_CHECK(csum == 0 || csum == c1);
    FUZZ_CHECK(fuzz_csum_ok(fuzz_pseudo(src, dst, 17, ulen), out, ulen));
    struct udp_hdr c;
    FUZZ_CHECK(udp_parse(out, ulen, src, dst, &c) == UDP_HDR_LEN);
    FUZZ_CHECK(c.sport == a.sport && c.dport == a.dport && c.length == ulen && c.csum == c1);
    free(out);
}

/* The emitter with capacity and payload length taken from the input. */
static void check_emit(const uint8_t *buf, size_t size, uint32_t src, uint32_t dst)
{
    if (size < 6)
        return;
    struct udp_hdr h = {.sport = (uint16_t)fuzz_rd16(buf), .dport = (uint16_t)fuzz_rd16(buf + 2), .length = 0, .csum = 0};
    size_t cap = size - 6;
    size_t payload_len = fuzz_rd16(buf + 4) % (cap + 16u);
    uint8_t *o = fuzz_dup(buf + 6, cap);
    int e = udp_emit(o, cap, src, dst, &h, payload_len);
    FUZZ_CHECK(e == UDP_E_SPACE || e == (int)(UDP_HDR_LEN + payload_len));
    if (payload_len > cap || cap - payload_len < UDP_HDR_LEN)
        FUZZ_CHECK(e == UDP_E_SPACE);
    if (e > 0) {
        FUZZ_CHECK((size_t)e <= cap && e <= 65535);
        FUZZ_CHECK(memcmp(o + UDP_HDR_LEN, buf + 6 + UDP_HDR_LEN, cap - UDP_HDR_LEN) == 0);
        struct udp_hdr c;
        FUZZ_CHECK(udp_parse(o, (size_t)e, src, dst, &c) == UDP_HDR_LEN);
        FUZZ_CHECK(c.sport == h.sport && c.dport == h.dport && c.length == (uint16_t)e && c.csum != 0);
    }
    free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    uint32_t src = fuzz_rd32(data), dst = fuzz_rd32(data + 4);
    size_t len = size - 8;
    if (len > 65535u) /* the parser requires len <= 65535 */
        len = 65535u;
    uint8_t *buf = fuzz_dup(data + 8, len);
    check_parse(buf, len, src, dst);
    check_emit(buf, len, src, dst);
    free(buf);
    return 0;
}
