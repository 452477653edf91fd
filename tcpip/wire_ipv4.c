#include "wire_ipv4.h"
#include "checksum.h"
#include "wire.h"

int ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_hdr *out)
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
    uint32_t frag = wire_rd16(buf + 6);
    uint32_t flags = frag / 8192u;
    uint32_t off = frag % 8192u;
    if (off * 8u + (total - hlen) > IPV4_MAX_LEN)
        return IPV4_E_FRAG;
    out->hdr_len = (uint16_t)hlen;
    out->tos = buf[1];
    out->total_len = (uint16_t)total;
    out->id = wire_rd16(buf + 4);
    out->df = (uint8_t)(flags / 2u % 2u);
    out->mf = (uint8_t)(flags % 2u);
    out->frag_off = (uint16_t)off;
    out->ttl = buf[8];
    out->proto = buf[9];
    out->src = wire_rd32(buf + 12);
    out->dst = wire_rd32(buf + 16);
    return (int)hlen;
}

int ipv4_emit(uint8_t *buf, size_t cap, const struct ipv4_hdr *h)
{
    if (cap < IPV4_HDR_MIN)
        return IPV4_E_SPACE;
    if (h->total_len < IPV4_HDR_MIN)
        return IPV4_E_TOTLEN;
    if (h->frag_off > 8191u || h->df > 1u || h->mf > 1u)
        return IPV4_E_FRAG;
    buf[0] = 0x45u;
    buf[1] = h->tos;
    wire_wr16(buf + 2, h->total_len);
    wire_wr16(buf + 4, h->id);
    wire_wr16(buf + 6, (uint16_t)((h->df * 2u + h->mf) * 8192u + h->frag_off));
    buf[8] = h->ttl;
    buf[9] = h->proto;
    buf[10] = 0;
    buf[11] = 0;
    wire_wr32(buf + 12, h->src);
    wire_wr32(buf + 16, h->dst);
    wire_wr16(buf + 10, csum_finish(csum_add(0, buf, IPV4_HDR_MIN)));
    return IPV4_HDR_MIN;
}
