#include "wire_udp.h"
#include "checksum.h"
#include "wire.h"
#include "wire_ipv4.h"

int udp_parse(const uint8_t *buf, size_t len, uint32_t src, uint32_t dst, struct udp_hdr *out)
{
    if (len < UDP_HDR_LEN)
        return UDP_E_TRUNC;
    uint32_t ulen = wire_rd16(buf + 4);
    if (ulen < UDP_HDR_LEN || ulen > len)
        return UDP_E_LENGTH;
    uint32_t csum = wire_rd16(buf + 6);
    if (csum != 0u) {
        uint32_t s = csum_pseudo(0, src, dst, IPV4_PROTO_UDP, ulen);
        s = csum_add(s, buf, ulen);
        if (csum_finish(s) != 0)
            return UDP_E_CSUM;
    }
    out->sport = wire_rd16(buf);
    out->dport = wire_rd16(buf + 2);
    out->length = (uint16_t)ulen;
    out->csum = (uint16_t)csum;
    return UDP_HDR_LEN;
}

int udp_emit(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, const struct udp_hdr *h, size_t payload_len)
{
    if (payload_len > 65535u - UDP_HDR_LEN || payload_len > cap || cap - payload_len < UDP_HDR_LEN)
        return UDP_E_SPACE;
    uint32_t ulen = (uint32_t)(UDP_HDR_LEN + payload_len);
    wire_wr16(buf, h->sport);
    wire_wr16(buf + 2, h->dport);
    wire_wr16(buf + 4, (uint16_t)ulen);
    buf[6] = 0;
    buf[7] = 0;
    uint32_t s = csum_pseudo(0, src, dst, IPV4_PROTO_UDP, ulen);
    s = csum_add(s, buf, ulen);
    uint16_t c = csum_finish(s);
    if (c == 0)
        c = 0xffffu;
    wire_wr16(buf + 6, c);
    return (int)ulen;
}
