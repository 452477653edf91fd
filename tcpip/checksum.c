#include "checksum.h"

uint32_t csum_add16(uint32_t sum, uint32_t word16)
{
    uint32_t w = word16 % 65536u;
    uint32_t s = sum + w;
    if (s > 65535u)
        s = s - 65535u;
    return s;
}

uint32_t csum_add(uint32_t sum, const uint8_t *buf, size_t len)
{
    uint32_t s = sum;
    size_t i = 0;
    /*@ loop invariant 0 <= i <= len;
        loop invariant s <= 65535;
        loop assigns i, s;
        loop variant len - i;
    */
    while (len - i >= 2) {
        s = s + (buf[i] * 256u + buf[i + 1]);
        if (s > 65535u)
            s = s - 65535u;
        i = i + 2;
    }
    if (i < len) {
        s = s + buf[i] * 256u;
        if (s > 65535u)
            s = s - 65535u;
    }
    return s;
}

uint32_t csum_pseudo(uint32_t sum, uint32_t src, uint32_t dst, uint8_t proto, uint32_t len)
{
    uint32_t s = sum;
    s = csum_add16(s, src / 65536u);
    s = csum_add16(s, src % 65536u);
    s = csum_add16(s, dst / 65536u);
    s = csum_add16(s, dst % 65536u);
    s = csum_add16(s, proto);
    s = csum_add16(s, len);
    return s;
}

uint16_t csum_finish(uint32_t sum)
{
    return (uint16_t)(65535u - sum);
}
