/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpip/wire_ipv4.h"
#include "tcpip/checksum.h"
#include "base/wire.h"

/* The checks of ipv4_parse, in order: an error, or the header length. */
/*@ requires \valid_read(buf + (0 .. len - 1));
    assigns \nothing;
    ensures \result == ipv4_verdict(buf, len);
*/
static int ipv4_check(const uint8_t *buf, size_t len)
{
    if (len < IPV4_HDR_MIN)
        return IPV4_E_TRUNC;
    uint32_t version = buf[0] / 16u;
    uint32_t ihl = buf[0] % 16u;
    if (version != 4u)
        return IPV4_E_VERSION;
    uint32_t hlen = ihl * 4u;
    if (hlen < IPV4_HDR_MIN || hlen > len)
        return IPV4_E_HDRLEN;
    uint32_t total = wire_rd16(buf + 2);
    if (total < hlen || total > len)
        return IPV4_E_TOTLEN;
    if (csum_finish(csum_add(0, buf, hlen)) != 0)
        return IPV4_E_CSUM;
    uint32_t off = wire_rd16(buf + 6) % 8192u;
    if (off * 8u + (total - hlen) > IPV4_MAX_LEN)
        return IPV4_E_FRAG;
    return (int)hlen;
}

/* The view of a header ipv4_check accepted. */
/*@ requires \valid_read(buf + (0 .. IPV4_HDR_MIN - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. IPV4_HDR_MIN - 1), out);
    assigns *out;
    ensures out->hdr_len == IPV4_HLEN(buf) && out->total_len == IPV4_TOTAL(buf);
    ensures out->tos == buf[1] && out->id == BE16(buf + 4);
    ensures out->df == IPV4_FLAGS(buf) / 2 % 2 && out->mf == IPV4_FLAGS(buf) % 2;
    ensures out->frag_off == IPV4_FRAG_OFF(buf);
    ensures out->ttl == buf[8] && out->proto == buf[9];
    ensures out->src == BE32(buf + 12) && out->dst == BE32(buf + 16);
*/
static void ipv4_fill(const uint8_t *buf, struct ipv4_hdr *out)
{
    uint32_t frag = wire_rd16(buf + 6);
    uint32_t flags = frag / 8192u;
    out->hdr_len = (uint16_t)(buf[0] % 16u * 4u);
    out->tos = buf[1];
    out->total_len = wire_rd16(buf + 2);
    out->id = wire_rd16(buf + 4);
    out->df = (uint8_t)(flags / 2u % 2u);
    out->mf = (uint8_t)(flags % 2u);
    out->frag_off = (uint16_t)(frag % 8192u);
    out->ttl = buf[8];
    out->proto = buf[9];
    out->src = wire_rd32(buf + 12);
    out->dst = wire_rd32(buf + 16);
}

int ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_hdr *out)
{
    int r = ipv4_check(buf, len);
    if (r < 0)
        return r;
    ipv4_fill(buf, out);
    return r;
}

/* Fills the checksum field (bytes 10..11, zero on entry) of a 20-byte
 * header. */
/*@ requires \valid(buf + (0 .. IPV4_HDR_MIN - 1));
    requires BE16(buf + 10) == 0;
    assigns buf[10 .. 11];
    ensures csum_ok(buf, IPV4_HDR_MIN);
*/
static void ipv4_put_csum(uint8_t *buf)
{
    uint32_t s = csum_add(0, buf, IPV4_HDR_MIN);
    wire_wr16(buf + 10, csum_finish(s));
    /* The sum now counts the new word 5 where it counted 0 before. */
    /*@ ghost
      size_t k = 0;
      /@ loop invariant 0 <= k <= IPV4_HDR_MIN / 2;
         loop invariant words_sum(buf, k) == words_sum{Pre}(buf, k) + (k > 5 ? 65535 - s : 0);
         loop invariant words_sum{Pre}(buf, k) >= 0;
         loop assigns k;
         loop variant IPV4_HDR_MIN / 2 - k;
      @/
      while (k < IPV4_HDR_MIN / 2)
          k++;
    */
    //@ assert bytes_sum(buf, IPV4_HDR_MIN) == bytes_sum{Pre}(buf, IPV4_HDR_MIN) + (65535 - s);
}

int ipv4_emit(uint8_t *buf, size_t cap, const struct ipv4_hdr *h)
{
    if (cap < IPV4_HDR_MIN)
        return IPV4_E_SPACE;
    if (h->total_len < IPV4_HDR_MIN)
        return IPV4_E_TOTLEN;
    /* Emit only what ipv4_parse accepts: no fragment may end past 65535. */
    if (h->frag_off > 8191u || h->df > 1u || h->mf > 1u
        || h->frag_off * 8u + (h->total_len - IPV4_HDR_MIN) > IPV4_MAX_LEN)
        return IPV4_E_FRAG;
    /* The byte-sized fields are read before the first write to buf. */
    uint8_t tos = h->tos, ttl = h->ttl, proto = h->proto;
    uint16_t frag = (uint16_t)((h->df * 2u + h->mf) * 8192u + h->frag_off);
    buf[0] = 0x45u;
    buf[1] = tos;
    wire_wr16(buf + 2, h->total_len);
    wire_wr16(buf + 4, h->id);
    wire_wr16(buf + 6, frag);
    buf[8] = ttl;
    buf[9] = proto;
    buf[10] = 0;
    buf[11] = 0;
    wire_wr32(buf + 12, h->src);
    wire_wr32(buf + 16, h->dst);
    ipv4_put_csum(buf);
    return IPV4_HDR_MIN;
}
