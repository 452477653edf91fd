/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpip/wire_eth.h"
#include "base/wire.h"

int eth_parse(const uint8_t *buf, size_t len, struct eth_hdr *out)
{
    if (len < ETH_HDR_LEN)
        return ETH_E_TRUNC;
    wire_copy(out->dst, buf, ETH_ADDR_LEN);
    wire_copy(out->src, buf + ETH_ADDR_LEN, ETH_ADDR_LEN);
    out->type = wire_rd16(buf + 12);
    return ETH_HDR_LEN;
}

int eth_emit(uint8_t *buf, size_t cap, const struct eth_hdr *h)
{
    if (cap < ETH_HDR_LEN)
        return ETH_E_TRUNC;
    wire_copy(buf, h->dst, ETH_ADDR_LEN);
    wire_copy(buf + ETH_ADDR_LEN, h->src, ETH_ADDR_LEN);
    wire_wr16(buf + 12, h->type);
    return ETH_HDR_LEN;
}
