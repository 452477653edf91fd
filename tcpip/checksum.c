/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpip/checksum.h"

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
    size_t words = len / 2u;
    /*@ loop invariant 0 <= k <= words;
        loop invariant s <= 65535;
        loop invariant words_sum(buf, k) >= 0;
        loop invariant s == oc_fold(sum + words_sum(buf, k));
        loop assigns k, s;
        loop variant words - k;
    */
    for (size_t k = 0; k < words; k++) {
        uint32_t w = buf[2u * k] * 256u + buf[2u * k + 1u];
        //@ assert w == BE16(buf + 2 * k);
        //@ assert words_sum(buf, k + 1) == words_sum(buf, k) + w;
        s = s + w;
        if (s > 65535u)
            s = s - 65535u;
    }
    if (len % 2u != 0u) {
        uint32_t w = buf[len - 1u] * 256u;
        //@ assert bytes_sum(buf, len) == words_sum(buf, words) + w;
        s = s + w;
        if (s > 65535u)
            s = s - 65535u;
    }
    //@ assert len % 2 == 0 ==> bytes_sum(buf, len) == words_sum(buf, words);
    //@ assert bytes_sum(buf, len) >= 0;
    return s;
}

uint32_t csum_pseudo(uint32_t sum, uint32_t src, uint32_t dst, uint8_t proto, uint32_t len)
{
    /* Six 16-bit words, then one fold: the same value as adding them one by
     * one with end-around carries (the contract says so for both). */
    uint32_t t = sum + src / 65536u + src % 65536u + dst / 65536u + dst % 65536u + proto + len;
    if (t == 0u)
        return 0u;
    return (t - 1u) % 65535u + 1u;
}

uint16_t csum_finish(uint32_t sum)
{
    return (uint16_t)(65535u - sum);
}
