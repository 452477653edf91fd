/* SPDX-License-Identifier: Apache-2.0 */
/* tcp_parse / tcp_options_parse / tcp_emit (tcpip/wire_tcp.h).
 * Input: source address (4 bytes), destination address (4 bytes), then one
 * TCP segment (the IPv4 payload). */
#include "fuzz_common.h"
#include "tcpip/wire_tcp.h"

static int opts_ok(const struct tcp_opts *o)
{
    return o->has_mss <= 1 && o->has_wscale <= 1 && o->sack_perm <= 1 && o->has_ts <= 1 && o->nsack <= TCP_MAX_SACK
           && o->wscale <= TCP_MAX_WSCALE;
}

static int opts_same(const struct tcp_opts *a, const struct tcp_opts *b)
{
    if (a->has_mss != b->has_mss || a->has_wscale != b->has_wscale || a->sack_perm != b->sack_perm
        || a->has_ts != b->has_ts || a->nsack != b->nsack || a->mss != b->mss || a->wscale != b->wscale
        || a->ts_val != b->ts_val || a->ts_ecr != b->ts_ecr)
        return 0;
    for (unsigned k = 0; k < a->nsack && k < TCP_MAX_SACK; k++)
        if (a->sack_left[k] != b->sack_left[k] || a->sack_right[k] != b->sack_right[k])
            return 0;
    return 1;
}

static int hdr_same(const struct tcp_hdr *a, const struct tcp_hdr *b)
{
    return a->sport == b->sport && a->dport == b->dport && a->seq == b->seq && a->ack == b->ack
           && a->hdr_len == b->hdr_len && a->fin == b->fin && a->syn == b->syn && a->rst == b->rst
           && a->psh == b->psh && a->ackf == b->ackf && a->urg == b->urg && a->ece == b->ece && a->cwr == b->cwr
           && a->window == b->window && a->csum == b->csum && a->urg_ptr == b->urg_ptr && opts_same(&a->opt, &b->opt);
}

/* Reference: do the options walk to the end (or an EOL) without an option
 * shorter than 2 bytes or running past the header? */
static int ref_options_ok(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (p[i] == TCP_OPT_EOL)
            return 1;
        if (p[i] == TCP_OPT_NOP) {
            i++;
            continue;
        }
        if (i + 1 >= n || p[i + 1] < 2 || i + p[i + 1] > n)
            return 0;
        i += p[i + 1];
    }
    return 1;
}

/* Emit h with plen payload bytes into exactly cap bytes; parse it back. */
static void emit_and_parse(const struct tcp_hdr *h, const uint8_t *payload, size_t plen, size_t cap, uint32_t src,
                           uint32_t dst)
{
    size_t hlen = tcp_emit_hdr_len(&h->opt);
    FUZZ_CHECK(hlen >= TCP_HDR_MIN && hlen <= TCP_HDR_MAX && hlen % 4 == 0);
    size_t nsack = tcp_emit_nsack(&h->opt);
    FUZZ_CHECK(nsack <= h->opt.nsack);
    uint8_t *out = fuzz_alloc(cap, 0xa5);
    if (plen && hlen <= cap && plen <= cap - hlen)
        memcpy(out + hlen, payload, plen);
    int e = tcp_emit(out, cap, src, dst, h, plen);
    FUZZ_CHECK(e == TCP_E_SPACE || (e >= TCP_HDR_MIN && (size_t)e <= cap && e <= 65535));
    if (hlen + plen <= cap && hlen + plen <= 65535u)
        FUZZ_CHECK(e == (int)(hlen + plen));
    else
        FUZZ_CHECK(e == TCP_E_SPACE);
    if (e > 0) {
        FUZZ_CHECK(memcmp(out + hlen, payload, plen) == 0);
        struct tcp_hdr c;
        FUZZ_CHECK(tcp_parse(out, (size_t)e, src, dst, &c) == (int)hlen);
        struct tcp_hdr want = *h;
        want.hdr_len = (uint8_t)hlen;
        /* Values of absent options are not sent: they read back as 0. */
        if (!want.opt.has_mss)
            want.opt.mss = 0;
        if (!want.opt.has_wscale)
            want.opt.wscale = 0;
        if (!want.opt.has_ts)
            want.opt.ts_val = want.opt.ts_ecr = 0;
        want.csum = c.csum;
        want.opt.nsack = (uint8_t)nsack;
        FUZZ_CHECK(hdr_same(&want, &c));
    }
    free(out);
}

static void check_parse(const uint8_t *buf, size_t size, uint32_t src, uint32_t dst)
{
    struct tcp_hdr a, b;
    memset(&a, 0x00, sizeof a);
    memset(&b, 0xff, sizeof b);
    int r = tcp_parse(buf, size, src, dst, &a);
    FUZZ_CHECK(tcp_parse(buf, size, src, dst, &b) == r);
    FUZZ_CHECK(r == TCP_E_TRUNC || r == TCP_E_HDRLEN || r == TCP_E_CSUM || r == TCP_E_OPTION || r > 0);
    if (size < TCP_HDR_MIN) {
        FUZZ_CHECK(r == TCP_E_TRUNC);
        return;
    }
    size_t hlen = (size_t)(buf[12] >> 4) * 4u;
    int h_ok = hlen >= TCP_HDR_MIN && hlen <= size;
    int c_ok = fuzz_csum_ok(fuzz_pseudo(src, dst, 6, (uint32_t)size), buf, size);
    int o_ok = h_ok && ref_options_ok(buf + TCP_HDR_MIN, hlen - TCP_HDR_MIN);
    FUZZ_CHECK(r != TCP_E_TRUNC);
    FUZZ_CHECK((r > 0) == (h_ok && c_ok && o_ok));
    if (r == TCP_E_HDRLEN)
        FUZZ_CHECK(!h_ok);
    if (r == TCP_E_CSUM)
        FUZZ_CHECK(!c_ok);
    if (r == TCP_E_OPTION)
        FUZZ_CHECK(!o_ok);
    if (r <= 0)
        return;
    FUZZ_CHECK((size_t)r == hlen && r == a.hdr_len && (size_t)r <= size);
    FUZZ_CHECK(hdr_same(&a, &b)); /* every field assigned (SACK blocks up to nsack) */
    FUZZ_CHECK(opts_ok(&a.opt));
    FUZZ_CHECK(a.sport == fuzz_rd16(buf) && a.dport == fuzz_rd16(buf + 2));
    FUZZ_CHECK(a.seq == fuzz_rd32(buf + 4) && a.ack == fuzz_rd32(buf + 8));
    uint8_t f = buf[13];
    FUZZ_CHECK(a.fin == (f & 1) && a.syn == ((f >> 1) & 1) && a.rst == ((f >> 2) & 1) && a.psh == ((f >> 3) & 1));
    FUZZ_CHECK(a.ackf == ((f >> 4) & 1) && a.urg == ((f >> 5) & 1) && a.ece == ((f >> 6) & 1) && a.cwr == (f >> 7));
    FUZZ_CHECK(a.window == fuzz_rd16(buf + 14) && a.csum == fuzz_rd16(buf + 16) && a.urg_ptr == fuzz_rd16(buf + 18));

    /* The options parser alone agrees with the segment parser. */
    struct tcp_opts o;
    memset(&o, 0x5a, sizeof o);
    FUZZ_CHECK(tcp_options_parse(buf + TCP_HDR_MIN, hlen - TCP_HDR_MIN, &o) == 0);
    FUZZ_CHECK(opts_same(&o, &a.opt));

    /* Round trip: re-emit with the parsed options (as many SACK blocks as
     * fit) and the same payload. */
    emit_and_parse(&a, buf + hlen, size - hlen, 60u + (size - hlen), src, dst);
}

/* The emitter on a header built from the input bytes, any capacity. */
static void check_emit(const uint8_t *buf, size_t size, uint32_t src, uint32_t dst)
{
    if (size < 44)
        return;
    struct tcp_hdr h;
    memset(&h, 0, sizeof h);
    h.sport = (uint16_t)fuzz_rd16(buf);
    h.dport = (uint16_t)fuzz_rd16(buf + 2);
    h.seq = fuzz_rd32(buf + 4);
    h.ack = fuzz_rd32(buf + 8);
    uint8_t f = buf[12];
    h.fin = f & 1, h.syn = (f >> 1) & 1, h.rst = (f >> 2) & 1, h.psh = (f >> 3) & 1;
    h.ackf = (f >> 4) & 1, h.urg = (f >> 5) & 1, h.ece = (f >> 6) & 1, h.cwr = f >> 7;
    h.window = (uint16_t)fuzz_rd16(buf + 13);
    h.urg_ptr = (uint16_t)fuzz_rd16(buf + 15);
    uint8_t of = buf[17];
    h.opt.has_mss = of & 1, h.opt.has_wscale = (of >> 1) & 1, h.opt.sack_perm = (of >> 2) & 1;
    h.opt.has_ts = (of >> 3) & 1;
    h.opt.nsack = (uint8_t)((of >> 4) % (TCP_MAX_SACK + 1));
    h.opt.mss = (uint16_t)fuzz_rd16(buf + 18);
    h.opt.wscale = buf[20] % (TCP_MAX_WSCALE + 1);
    h.opt.ts_val = fuzz_rd32(buf + 21);
    h.opt.ts_ecr = fuzz_rd32(buf + 25);
    for (unsigned k = 0; k < TCP_MAX_SACK; k++) {
        h.opt.sack_left[k] = fuzz_rd32(buf + 29 + 2 * k) ^ k;
        h.opt.sack_right[k] = fuzz_rd32(buf + 33 + 2 * k) + k;
    }
    size_t cap = fuzz_rd16(buf + 41) % (size + 64u);
    size_t plen = size - 44;
    emit_and_parse(&h, buf + 44, plen, cap, src, dst);
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
