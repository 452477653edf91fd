#include "wire_eth.h"
#include "wire.h"

int eth_parse(const uint8_t *buf, size_t len, struct eth_hdr *out)
{
    if (len < ETH_HDR_LEN)
        return ETH_E_TRUNC;
    /*@ loop invariant 0 <= i <= ETH_ADDR_LEN;
        loop invariant \forall integer k; 0 <= k < i ==> out->dst[k] == buf[k] && out->src[k] == buf[6 + k];
        loop assigns i, out->dst[0 .. ETH_ADDR_LEN - 1], out->src[0 .. ETH_ADDR_LEN - 1];
        loop variant ETH_ADDR_LEN - i;
    */
    for (size_t i = 0; i < ETH_ADDR_LEN; i++) {
        out->dst[i] = buf[i];
        out->src[i] = buf[6 + i];
    }
    out->type = wire_rd16(buf + 12);
    return ETH_HDR_LEN;
}

int eth_emit(uint8_t *buf, size_t cap, const struct eth_hdr *h)
{
    if (cap < ETH_HDR_LEN)
        return ETH_E_TRUNC;
    /*@ loop invariant 0 <= i <= ETH_ADDR_LEN;
        loop assigns i, buf[0 .. 11];
        loop variant ETH_ADDR_LEN - i;
    */
    for (size_t i = 0; i < ETH_ADDR_LEN; i++) {
        buf[i] = h->dst[i];
        buf[6 + i] = h->src[i];
    }
    wire_wr16(buf + 12, h->type);
    return ETH_HDR_LEN;
}
