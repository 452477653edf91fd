/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpip/wire_tcp.h"
#include "tcpip/checksum.h"
#include "base/wire.h"
#include "tcpip/wire_ipv4.h"

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

/* The eight flag bits of header byte 13, one field each. */
/*@ requires \valid(out);
    requires f <= 255;
    assigns out->fin, out->syn, out->rst, out->psh, out->ackf, out->urg, out->ece, out->cwr;
    ensures out->fin <= 1 && out->syn <= 1 && out->rst <= 1 && out->psh <= 1;
    ensures out->ackf <= 1 && out->urg <= 1 && out->ece <= 1 && out->cwr <= 1;
*/
static void tcp_flags(uint32_t f, struct tcp_hdr *out)
{
    out->fin = (uint8_t)(f % 2u);
    out->syn = (uint8_t)(f / 2u % 2u);
    out->rst = (uint8_t)(f / 4u % 2u);
    out->psh = (uint8_t)(f / 8u % 2u);
    out->ackf = (uint8_t)(f / 16u % 2u);
    out->urg = (uint8_t)(f / 32u % 2u);
    out->ece = (uint8_t)(f / 64u % 2u);
    out->cwr = (uint8_t)(f / 128u);
}

int tcp_parse(const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, struct tcp_hdr *out)
{
    if (len < TCP_HDR_MIN)
        return TCP_E_TRUNC;
    uint32_t doff = buf[12] / 16u;
    //@ assert doff <= 15;
    uint32_t hlen = doff * 4u;
    //@ assert hlen <= TCP_HDR_MAX;
    if (hlen < TCP_HDR_MIN || hlen > len)
        return TCP_E_HDRLEN;
    uint32_t s = csum_pseudo(0, src, dst, IPV4_PROTO_TCP, (uint32_t)len);
    s = csum_add(s, buf, len);
    if (csum_finish(s) != 0)
        return TCP_E_CSUM;
    uint32_t f = buf[13];
    out->sport = wire_rd16(buf);
    out->dport = wire_rd16(buf + 2);
    out->seq = wire_rd32(buf + 4);
    out->ack = wire_rd32(buf + 8);
    out->hdr_len = (uint8_t)hlen;
    //@ assert out->hdr_len == hlen;
    tcp_flags(f, out);
    //@ assert out->fin <= 1 && out->cwr <= 1;
    out->window = wire_rd16(buf + 14);
    out->csum = wire_rd16(buf + 16);
    out->urg_ptr = wire_rd16(buf + 18);
    /* The options last: their validity, the costliest fact, then needs no
     * carrying across the other fields' writes (that goal timed out cold on
     * a loaded machine). */
    if (tcp_options_parse(buf + TCP_HDR_MIN, hlen - TCP_HDR_MIN, &out->opt) != 0)
        return TCP_E_OPTION;
    //@ assert out->hdr_len == hlen && tcp_opts_ok(out->opt);
    //@ assert tcp_hdr_ok(*out, len);
    return (int)hlen;
}

/*@ logic integer tcp_fixed_len(integer mss, integer ts, integer sp, integer ws) =
      (mss != 0 ? 4 : 0) + (ts != 0 ? 12 : (sp != 0 ? 4 : 0)) + (ws != 0 ? 4 : 0);
*/

/* Bytes of the options other than SACK blocks, as tcp_emit lays them out. */
/*@ requires \valid_read(o);
    requires tcp_opts_ok(*o);
    assigns \nothing;
    ensures 0 <= \result <= 20 && \result % 4 == 0;
    ensures \result == tcp_fixed_len(o->has_mss, o->has_ts, o->sack_perm, o->has_wscale);
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

/*@ requires \valid(b + (0 .. 3));
    assigns b[0 .. 3];
*/
static void put_mss(uint8_t *b, uint16_t mss)
{
    b[0] = TCP_OPT_MSS;
    b[1] = 4u;
    wire_wr16(b + 2, mss);
}

/* Timestamps, with SACK-permitted (or two NOPs) in front. */
/*@ requires \valid(b + (0 .. 11));
    assigns b[0 .. 11];
*/
static void put_ts(uint8_t *b, uint8_t sack_perm, uint32_t ts_val, uint32_t ts_ecr)
{
    if (sack_perm != 0u) {
        b[0] = TCP_OPT_SACK_PERM;
        b[1] = 2u;
    } else {
        b[0] = TCP_OPT_NOP;
        b[1] = TCP_OPT_NOP;
    }
    b[2] = TCP_OPT_TS;
    b[3] = 10u;
    wire_wr32(b + 4, ts_val);
    wire_wr32(b + 8, ts_ecr);
}

/*@ requires \valid(b + (0 .. 3));
    assigns b[0 .. 3];
*/
static void put_sack_perm(uint8_t *b)
{
    b[0] = TCP_OPT_NOP;
    b[1] = TCP_OPT_NOP;
    b[2] = TCP_OPT_SACK_PERM;
    b[3] = 2u;
}

/*@ requires \valid(b + (0 .. 3));
    assigns b[0 .. 3];
*/
static void put_wscale(uint8_t *b, uint8_t wscale)
{
    b[0] = TCP_OPT_NOP;
    b[1] = TCP_OPT_WSCALE;
    b[2] = 3u;
    b[3] = wscale;
}

/* The options other than SACK blocks; returns the bytes written. */
/*@ requires \valid_read(o);
    requires \valid(b + (0 .. tcp_fixed_len(o->has_mss, o->has_ts, o->sack_perm, o->has_wscale) - 1));
    requires \separated(b + (0 .. tcp_fixed_len(o->has_mss, o->has_ts, o->sack_perm, o->has_wscale) - 1), o);
    assigns b[0 .. tcp_fixed_len(o->has_mss, o->has_ts, o->sack_perm, o->has_wscale) - 1];
    ensures \result == tcp_fixed_len(o->has_mss, o->has_ts, o->sack_perm, o->has_wscale);
*/
static size_t put_fixed_opts(uint8_t *b, const struct tcp_opts *o)
{
    size_t p = 0;
    if (o->has_mss != 0u) {
        put_mss(b, o->mss);
        p = 4u;
    }
    if (o->has_ts != 0u) {
        put_ts(b + p, o->sack_perm, o->ts_val, o->ts_ecr);
        p = p + 12u;
    } else if (o->sack_perm != 0u) {
        put_sack_perm(b + p);
        p = p + 4u;
    }
    if (o->has_wscale != 0u) {
        put_wscale(b + p, o->wscale);
        p = p + 4u;
    }
    return p;
}

/* n SACK blocks behind NOP NOP kind length: 4 + 8 * n bytes. */
/*@ requires 1 <= n <= TCP_MAX_SACK;
    requires \valid_read(o);
    requires \valid(b + (0 .. 4 + 8 * n - 1));
    requires \separated(b + (0 .. 4 + 8 * n - 1), o);
    assigns b[0 .. 4 + 8 * n - 1];
*/
static void put_sack(uint8_t *b, const struct tcp_opts *o, size_t n)
{
    b[0] = TCP_OPT_NOP;
    b[1] = TCP_OPT_NOP;
    b[2] = TCP_OPT_SACK;
    b[3] = (uint8_t)(2u + 8u * n);
    /*@ loop invariant 0 <= k <= n;
        loop assigns k, b[0 .. 4 + 8 * n - 1];
        loop variant n - k;
    */
    for (size_t k = 0; k < n; k++) {
        wire_wr32(b + 4u + 8u * k, o->sack_left[k]);
        wire_wr32(b + 4u + 8u * k + 4u, o->sack_right[k]);
    }
}

/* Each flag contributes one bit; the sum of eight 0/1 bits weighted by
   powers of two never exceeds 255, which the bound below records. */
/*@ requires \valid_read(h);
    assigns \nothing;
    ensures 0 <= \result <= 255;
*/
static uint8_t flag_byte(const struct tcp_hdr *h)
{
    unsigned lo = h->fin % 2u + h->syn % 2u * 2u + h->rst % 2u * 4u + h->psh % 2u * 8u;
    unsigned hi = h->ackf % 2u + h->urg % 2u * 2u + h->ece % 2u * 4u + h->cwr % 2u * 8u;
    //@ assert lo <= 15 && hi <= 15;
    return (uint8_t)(lo + hi * 16u);
}

/* The 20 fixed header bytes, checksum zero. */
/*@ requires \valid(buf + (0 .. TCP_HDR_MIN - 1));
    requires \valid_read(h);
    requires \separated(buf + (0 .. TCP_HDR_MIN - 1), h);
    requires hlen <= TCP_HDR_MAX;
    assigns buf[0 .. TCP_HDR_MIN - 1];
*/
static void put_hdr(uint8_t *buf, const struct tcp_hdr *h, size_t hlen)
{
    wire_wr16(buf, h->sport);
    wire_wr16(buf + 2, h->dport);
    wire_wr32(buf + 4, h->seq);
    wire_wr32(buf + 8, h->ack);
    buf[12] = (uint8_t)(hlen / 4u * 16u);
    buf[13] = flag_byte(h);
    wire_wr16(buf + 14, h->window);
    buf[16] = 0;
    buf[17] = 0;
    wire_wr16(buf + 18, h->urg_ptr);
}

int tcp_emit(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, const struct tcp_hdr *h, size_t payload_len)
{
    const struct tcp_opts *o = &h->opt;
    /* tcp_emit_hdr_len(o), spelled out so the layout below can follow it */
    size_t fixed = fixed_opts_len(o);
    size_t n = sack_fit(fixed, o->nsack);
    size_t hlen = TCP_HDR_MIN + fixed;
    if (n > 0u)
        hlen = hlen + 4u + 8u * n;
    //@ assert TCP_HDR_MIN <= hlen <= TCP_HDR_MAX;
    if (payload_len > 65535u - hlen || payload_len > cap || cap - payload_len < hlen)
        return TCP_E_SPACE;
    //@ assert hlen <= cap;
    size_t seglen = hlen + payload_len;
    put_hdr(buf, h, hlen);
    size_t p = TCP_HDR_MIN + put_fixed_opts(buf + TCP_HDR_MIN, o);
    //@ assert p == TCP_HDR_MIN + fixed;
    if (n > 0u) {
        //@ assert p + 4 + 8 * n == hlen;
        put_sack(buf + p, o, n);
    }
    uint32_t s = csum_pseudo(0, src, dst, IPV4_PROTO_TCP, (uint32_t)seglen);
    s = csum_add(s, buf, seglen);
    wire_wr16(buf + 16, csum_finish(s));
    return (int)seglen;
}
