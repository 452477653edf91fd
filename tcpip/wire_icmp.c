#include "wire_icmp.h"
#include "checksum.h"
#include "wire.h"

int icmp_parse(const uint8_t *buf, size_t len, struct icmp_hdr *out)
{
    if (len < ICMP_HDR_LEN)
        return ICMP_E_TRUNC;
    if (csum_finish(csum_add(0, buf, len)) != 0)
        return ICMP_E_CSUM;
    out->type = buf[0];
    out->code = buf[1];
    out->csum = wire_rd16(buf + 2);
    out->rest = wire_rd32(buf + 4);
    return ICMP_HDR_LEN;
}

int icmp_emit(uint8_t *buf, size_t cap, const struct icmp_hdr *h, size_t payload_len)
{
    if (payload_len > cap || cap - payload_len < ICMP_HDR_LEN)
        return ICMP_E_SPACE;
    if (payload_len > 65535u)
        return ICMP_E_SPACE;
    buf[0] = h->type;
    buf[1] = h->code;
    buf[2] = 0;
    buf[3] = 0;
    wire_wr32(buf + 4, h->rest);
    uint32_t s = csum_add(0, buf, ICMP_HDR_LEN + payload_len);
    wire_wr16(buf + 2, csum_finish(s));
    return (int)(ICMP_HDR_LEN + payload_len);
}
