#include "wire_tcp.h"
#include "checksum.h"
#include "wire.h"
#include "wire_ipv4.h"

/*@ requires \valid_read(v + (0 .. olen - 1));
    requires \valid(out);
    requires \separated(v + (0 .. olen - 1), out);
    requires tcp_opts_ok(*out);
    assigns *out;
    ensures tcp_opts_ok(*out);
*/
static void tcp_option(uint8_t kind, const uint8_t *v, size_t olen, struct tcp_opts *out)
{
    if (kind == TCP_OPT_MSS && olen == 2u) {
        out->has_mss = 1;
        out->mss = wire_rd16(v);
    } else if (kind == TCP_OPT_WSCALE && olen == 1u) {
        out->has_wscale = 1;
        out->wscale = v[0] > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : v[0];
    } else if (kind == TCP_OPT_SACK_PERM && olen == 0u) {
        out->sack_perm = 1;
    } else if (kind == TCP_OPT_TS && olen == 8u) {
        out->has_ts = 1;
        out->ts_val = wire_rd32(v);
        out->ts_ecr = wire_rd32(v + 4);
    } else if (kind == TCP_OPT_SACK && olen >= 8u && olen % 8u == 0u && olen <= 8u * TCP_MAX_SACK) {
        size_t n = olen / 8u;
        /*@ loop invariant 0 <= k <= n;
            loop assigns k, out->sack_left[0 .. TCP_MAX_SACK - 1], out->sack_right[0 .. TCP_MAX_SACK - 1];
            loop variant n - k;
        */
        for (size_t k = 0; k < n; k++) {
            out->sack_left[k] = wire_rd32(v + 8u * k);
            out->sack_right[k] = wire_rd32(v + 8u * k + 4u);
        }
        out->nsack = (uint8_t)n;
    }
}

int tcp_options_parse(const uint8_t *buf, size_t len, struct tcp_opts *out)
{
    out->has_mss = out->has_wscale = out->sack_perm = out->has_ts = 0;
    out->nsack = 0;
    out->mss = 0;
    out->wscale = 0;
    out->ts_val = out->ts_ecr = 0;
    size_t i = 0;
    /*@ loop invariant 0 <= i <= len;
        loop invariant tcp_opts_ok(*out);
        loop assigns i, *out;
        loop variant len - i;
    */
    while (i < len) {
        uint8_t kind = buf[i];
        if (kind == TCP_OPT_EOL)
            return 0;
        if (kind == TCP_OPT_NOP) {
            i = i + 1;
            continue;
        }
        if (len - i < 2u)
            return TCP_E_OPTION;
        size_t olen = buf[i + 1];
        /* A length below 2 would never advance: the classic option loop hang. */
        if (olen < 2u || olen > len - i)
            return TCP_E_OPTION;
        tcp_option(kind, buf + i + 2, olen - 2u, out);
        i = i + olen;
    }
    return 0;
}

int tcp_parse(const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, struct tcp_hdr *out)
{
    if (len < TCP_HDR_MIN)
        return TCP_E_TRUNC;
    uint32_t hlen = buf[12] / 16u * 4u;
    if (hlen < TCP_HDR_MIN || hlen > len)
        return TCP_E_HDRLEN;
    uint32_t s = csum_pseudo(0, src, dst, IPV4_PROTO_TCP, (uint32_t)len);
    s = csum_add(s, buf, len);
    if (csum_finish(s) != 0)
        return TCP_E_CSUM;
    if (tcp_options_parse(buf + TCP_HDR_MIN, hlen - TCP_HDR_MIN, &out->opt) != 0)
        return TCP_E_OPTION;
    uint32_t f = buf[13];
    out->sport = wire_rd16(buf);
    out->dport = wire_rd16(buf + 2);
    out->seq = wire_rd32(buf + 4);
    out->ack = wire_rd32(buf + 8);
    out->hdr_len = (uint8_t)hlen;
    out->fin = (uint8_t)(f % 2u);
    out->syn = (uint8_t)(f / 2u % 2u);
    out->rst = (uint8_t)(f / 4u % 2u);
    out->psh = (uint8_t)(f / 8u % 2u);
    out->ackf = (uint8_t)(f / 16u % 2u);
    out->urg = (uint8_t)(f / 32u % 2u);
    out->ece = (uint8_t)(f / 64u % 2u);
    out->cwr = (uint8_t)(f / 128u);
    out->window = wire_rd16(buf + 14);
    out->csum = wire_rd16(buf + 16);
    out->urg_ptr = wire_rd16(buf + 18);
    return (int)hlen;
}

/* Bytes of the options other than SACK blocks, as tcp_emit lays them out. */
/*@ requires \valid_read(o);
    requires tcp_opts_ok(*o);
    assigns \nothing;
    ensures 0 <= \result <= 20 && \result % 4 == 0;
*/
static size_t fixed_opts_len(const struct tcp_opts *o)
{
    size_t n = 0;
    if (o->has_mss != 0u)
        n = n + 4u;
    if (o->has_ts != 0u)
        n = n + 12u; /* SACK-permitted rides in the TS word's padding */
    else if (o->sack_perm != 0u)
        n = n + 4u;
    if (o->has_wscale != 0u)
        n = n + 4u;
    return n;
}

/* SACK blocks that fit in the option space left by `fixed` bytes. */
/*@ requires fixed <= 20 && fixed % 4 == 0;
    assigns \nothing;
    ensures \result <= nsack;
    ensures \result <= 4;
    ensures fixed + 4 + 8 * \result <= 40;
*/
static size_t sack_fit(size_t fixed, uint8_t nsack)
{
    size_t fit = (40u - fixed - 4u) / 8u;
    if (fit > 4u)
        fit = 4u;
    return nsack < fit ? nsack : fit;
}

size_t tcp_emit_nsack(const struct tcp_opts *o)
{
    return sack_fit(fixed_opts_len(o), o->nsack);
}

size_t tcp_emit_hdr_len(const struct tcp_opts *o)
{
    size_t fixed = fixed_opts_len(o);
    size_t n = sack_fit(fixed, o->nsack);
    if (n == 0u)
        return TCP_HDR_MIN + fixed;
    //@ assert (4 + 8 * n) % 4 == 0;
    return TCP_HDR_MIN + fixed + 4u + 8u * n;
}

int tcp_emit(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, const struct tcp_hdr *h, size_t payload_len)
{
    const struct tcp_opts *o = &h->opt;
    size_t hlen = tcp_emit_hdr_len(o);
    if (payload_len > 65535u - hlen || payload_len > cap || cap - payload_len < hlen)
        return TCP_E_SPACE;
    size_t seglen = hlen + payload_len;
    wire_wr16(buf, h->sport);
    wire_wr16(buf + 2, h->dport);
    wire_wr32(buf + 4, h->seq);
    wire_wr32(buf + 8, h->ack);
    buf[12] = (uint8_t)(hlen / 4u * 16u);
    buf[13] = (uint8_t)(h->fin % 2u + h->syn % 2u * 2u + h->rst % 2u * 4u + h->psh % 2u * 8u + h->ackf % 2u * 16u
                        + h->urg % 2u * 32u + h->ece % 2u * 64u + h->cwr % 2u * 128u);
    wire_wr16(buf + 14, h->window);
    buf[16] = 0;
    buf[17] = 0;
    wire_wr16(buf + 18, h->urg_ptr);
    size_t p = TCP_HDR_MIN;
    if (o->has_mss != 0u) {
        buf[p] = TCP_OPT_MSS;
        buf[p + 1] = 4u;
        wire_wr16(buf + p + 2, o->mss);
        p = p + 4u;
    }
    if (o->has_ts != 0u) {
        if (o->sack_perm != 0u) {
            buf[p] = TCP_OPT_SACK_PERM;
            buf[p + 1] = 2u;
        } else {
            buf[p] = TCP_OPT_NOP;
            buf[p + 1] = TCP_OPT_NOP;
        }
        buf[p + 2] = TCP_OPT_TS;
        buf[p + 3] = 10u;
        wire_wr32(buf + p + 4, o->ts_val);
        wire_wr32(buf + p + 8, o->ts_ecr);
        p = p + 12u;
    } else if (o->sack_perm != 0u) {
        buf[p] = TCP_OPT_NOP;
        buf[p + 1] = TCP_OPT_NOP;
        buf[p + 2] = TCP_OPT_SACK_PERM;
        buf[p + 3] = 2u;
        p = p + 4u;
    }
    if (o->has_wscale != 0u) {
        buf[p] = TCP_OPT_NOP;
        buf[p + 1] = TCP_OPT_WSCALE;
        buf[p + 2] = 3u;
        buf[p + 3] = o->wscale;
        p = p + 4u;
    }
    size_t n = tcp_emit_nsack(o);
    if (n > 0u) {
        buf[p] = TCP_OPT_NOP;
        buf[p + 1] = TCP_OPT_NOP;
        buf[p + 2] = TCP_OPT_SACK;
        buf[p + 3] = (uint8_t)(2u + 8u * n);
        p = p + 4u;
        /*@ loop invariant 0 <= k <= n;
            loop invariant p == \at(p, LoopEntry) + 8 * k;
            loop assigns k, p, buf[0 .. cap - 1];
            loop variant n - k;
        */
        for (size_t k = 0; k < n; k++) {
            wire_wr32(buf + p, o->sack_left[k]);
            wire_wr32(buf + p + 4, o->sack_right[k]);
            p = p + 8u;
        }
    }
    uint32_t s = csum_pseudo(0, src, dst, IPV4_PROTO_TCP, (uint32_t)seglen);
    s = csum_add(s, buf, seglen);
    wire_wr16(buf + 16, csum_finish(s));
    return (int)seglen;
}
