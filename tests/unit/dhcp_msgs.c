/* SPDX-License-Identifier: Apache-2.0 */
#include "dhcp_msgs.h"

#include <string.h>

#include "netsim.h"

size_t mk_bootp(uint8_t *b, uint8_t op, uint32_t xid, uint32_t yiaddr, const uint8_t *chaddr)
{
    memset(b, 0, 240);
    b[0] = op;
    b[1] = 1;
    b[2] = 6;
    put32(b + 4, xid);
    put32(b + 16, yiaddr);
    memcpy(b + 28, chaddr, 6);
    put32(b + 236, 0x63825363u);
    return 240;
}

size_t opt_put(uint8_t *b, size_t pos, uint8_t code, uint8_t len, const uint8_t *v)
{
    b[pos] = code;
    b[pos + 1] = len;
    if (len)
        memcpy(b + pos + 2, v, len);
    return pos + 2 + len;
}

size_t opt_put8(uint8_t *b, size_t pos, uint8_t code, uint8_t v)
{
    return opt_put(b, pos, code, 1, &v);
}

size_t opt_put32(uint8_t *b, size_t pos, uint8_t code, uint32_t v)
{
    uint8_t x[4];
    put32(x, v);
    return opt_put(b, pos, code, 4, x);
}

const uint8_t *opt_find(const uint8_t *msg, size_t len, uint8_t code, size_t *olen)
{
    size_t i = 240;
    while (i < len) {
        if (msg[i] == 0) {
            i++;
            continue;
        }
        if (msg[i] == 255 || i + 1 >= len || i + 2 + msg[i + 1] > len)
            return NULL;
        if (msg[i] == code) {
            *olen = msg[i + 1];
            return msg + i + 2;
        }
        i += 2u + msg[i + 1];
    }
    return NULL;
}
