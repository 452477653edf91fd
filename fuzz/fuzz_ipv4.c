/* SPDX-License-Identifier: Apache-2.0 */
/* ipv4_parse / ipv4_emit (tcpip/wire_ipv4.h).
 * Input: one IPv4 datagram (header, options, payload, maybe link padding). */
#include "fuzz_common.h"
#include "tcpip/wire_ipv4.h"

static int ipv4_same(const struct ipv4_hdr *a, const struct ipv4_hdr *b)
{
    return a->hdr_len == b->hdr_len && a->tos == b->tos && a->total_len == b->total_len && a->id == b->id
           && a->df == b->df && a->mf == b->mf && a->frag_off == b->frag_off && a->ttl == b->ttl
           && a->proto == b->proto && a->src == b->src && a->dst == b->dst;
}

/* The ipv4_hdr_ok predicate of the header. */
static int hdr_ok(const struct ipv4_hdr *h, size_t len)
{
    return h->hdr_len >= 20 && h->hdr_len <= 60 && h->hdr_len <= h->total_len && h->total_len <= len && h->df <= 1
           && h->mf <= 1 && h->frag_off <= 8191
           && (uint32_t)h->frag_off * 8u + (uint32_t)(h->total_len - h->hdr_len) <= 65535u;
}

/* Emit h (20-byte header) in front of plen payload bytes, parse it back. */
static void round_trip(const struct ipv4_hdr *h, const uint8_t *payload, size_t plen)
{
    size_t n = IPV4_HDR_MIN + plen;
    uint8_t *out = fuzz_alloc(n, 0xa5);
    if (plen)
        memcpy(out + IPV4_HDR_MIN, payload, plen);
    FUZZ_CHECK(ipv4_emit(out, n, h) == IPV4_HDR_MIN);
    FUZZ_CHECK(out[0] == 0x45);
    FUZZ_CHECK(fuzz_csum_ok(0, out, IPV4_HDR_MIN));
    FUZZ_CHECK(memcmp(out + IPV4_HDR_MIN, payload, plen) == 0); /* payload untouched */
    struct ipv4_hdr c;
    FUZZ_CHECK(ipv4_parse(out, n, &c) == IPV4_HDR_MIN);
    struct ipv4_hdr want = *h;
    want.hdr_len = IPV4_HDR_MIN;
    FUZZ_CHECK(ipv4_same(&want, &c));
    free(out);
}

static void check_parse(const uint8_t *buf, size_t size)
{
    struct ipv4_hdr a, b;
    memset(&a, 0x00, sizeof a);
    memset(&b, 0xff, sizeof b);
    int r = ipv4_parse(buf, size, &a);
    FUZZ_CHECK(ipv4_parse(buf, size, &b) == r);
    FUZZ_CHECK(r == IPV4_E_TRUNC || r == IPV4_E_VERSION || r == IPV4_E_HDRLEN || r == IPV4_E_TOTLEN
               || r == IPV4_E_CSUM || r == IPV4_E_FRAG || r > 0);
    if (size < IPV4_HDR_MIN) {
        FUZZ_CHECK(r == IPV4_E_TRUNC);
        return;
    }
    /* Reference validity, computed independently of the parser. */
    uint32_t version = buf[0] >> 4, hlen = (buf[0] & 15u) * 4u, total = fuzz_rd16(buf + 2);
    uint32_t off = fuzz_rd16(buf + 6) & 0x1fffu;
    int v_ok = version == 4u;
    int h_ok = hlen >= 20u && hlen <= size;
    int t_ok = h_ok && total >= hlen && total <= size;
    int c_ok = h_ok && fuzz_csum_ok(0, buf, hlen);
    int f_ok = t_ok && off * 8u + (total - hlen) <= 65535u;
    int valid = v_ok && h_ok && t_ok && c_ok && f_ok;
    FUZZ_CHECK(r != IPV4_E_TRUNC);
    FUZZ_CHECK((r > 0) == valid);
    if (r == IPV4_E_VERSION)
        FUZZ_CHECK(!v_ok);
    if (r == IPV4_E_HDRLEN)
        FUZZ_CHECK(!h_ok);
    if (r == IPV4_E_TOTLEN)
        FUZZ_CHECK(!t_ok);
    if (r == IPV4_E_CSUM)
        FUZZ_CHECK(!c_ok);
    if (r == IPV4_E_FRAG)
        FUZZ_CHECK(!f_ok);
    if (r <= 0)
        return;

    /* Success: bytes consumed == header length, within len; every field
     * assigned and equal to the wire; ipv4_hdr_ok holds. */
    FUZZ_CHECK((size_t)r <= size);
    FUZZ_CHECK(r == a.hdr_len);
    FUZZ_CHECK(ipv4_same(&a, &b));
    FUZZ_CHECK(hdr_ok(&a, size));
    FUZZ_CHECK(a.hdr_len == hlen && a.total_len == total && a.tos == buf[1]);
    FUZZ_CHECK(a.id == fuzz_rd16(buf + 4));
    FUZZ_CHECK(a.df == ((buf[6] >> 6) & 1u) && a.mf == ((buf[6] >> 5) & 1u) && a.frag_off == off);
    FUZZ_CHECK(a.ttl == buf[8] && a.proto == buf[9]);
    FUZZ_CHECK(a.src == fuzz_rd32(buf + 12) && a.dst == fuzz_rd32(buf + 16));

    /* Round trip without options: same fields, payload length preserved. */
    struct ipv4_hdr h = a;
    size_t plen = (size_t)a.total_len - a.hdr_len;
    h.total_len = (uint16_t)(IPV4_HDR_MIN + plen);
    round_trip(&h, buf + a.hdr_len, plen);
}

/* The emitter on a header built from the input bytes, any capacity. */
static void check_emit(const uint8_t *buf, size_t size)
{
    if (size < 19)
        return;
    struct ipv4_hdr h;
    memset(&h, 0, sizeof h);
    h.tos = buf[0];
    h.total_len = (uint16_t)fuzz_rd16(buf + 1);
    h.id = (uint16_t)fuzz_rd16(buf + 3);
    h.df = buf[5] % 4u; /* 2 and 3 are invalid on purpose */
    h.mf = buf[6] % 4u;
    h.frag_off = (uint16_t)fuzz_rd16(buf + 7);
    h.ttl = buf[9];
    h.proto = buf[10];
    h.src = fuzz_rd32(buf + 11);
    h.dst = fuzz_rd32(buf + 15);
    h.hdr_len = buf[17]; /* ignored by the emitter */
    size_t cap = size % 64u;
    uint8_t *o = fuzz_alloc(cap, 0x5a);
    int e = ipv4_emit(o, cap, &h);
    FUZZ_CHECK(e == IPV4_HDR_MIN || e == IPV4_E_SPACE || e == IPV4_E_TOTLEN || e == IPV4_E_FRAG);
    int basic_ok = h.total_len >= IPV4_HDR_MIN && h.frag_off <= 8191u && h.df <= 1u && h.mf <= 1u;
    /* ipv4_hdr_ok's fragment range: a header outside it cannot parse back. */
    int fits = basic_ok && (uint32_t)h.frag_off * 8u + (h.total_len - IPV4_HDR_MIN) <= 65535u;
    if (cap < IPV4_HDR_MIN)
        FUZZ_CHECK(e == IPV4_E_SPACE);
    if (!basic_ok)
        FUZZ_CHECK(e < 0);
    else if (cap >= IPV4_HDR_MIN && fits)
        FUZZ_CHECK(e == IPV4_HDR_MIN);
    else if (cap >= IPV4_HDR_MIN)
        FUZZ_CHECK(e == IPV4_HDR_MIN || e == IPV4_E_FRAG); /* emitting it is allowed, refusing better */
    if (e == IPV4_HDR_MIN)
        for (size_t k = IPV4_HDR_MIN; k < cap; k++) /* the payload is not touched */
            FUZZ_CHECK(o[k] == 0x5a);
    free(o);
    if (e == IPV4_HDR_MIN && fits) {
        /* A header satisfying ipv4_hdr_ok parses back to itself. */
        size_t plen = (size_t)h.total_len - IPV4_HDR_MIN;
        uint8_t *payload = fuzz_alloc(plen, 0x33);
        round_trip(&h, payload, plen);
        free(payload);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = fuzz_dup(data, size);
    check_parse(buf, size);
    check_emit(buf, size);
    free(buf);
    return 0;
}
