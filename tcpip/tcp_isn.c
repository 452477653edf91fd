/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 6528 initial sequence numbers: ISN = M + F(4-tuple, secret), with M
 * a 4-microsecond clock (here derived from the millisecond time the caller
 * passes in) and F SipHash-2-4 keyed with platform entropy, so an
 * off-path attacker cannot predict another connection's ISN. */
#include "tcpip/tcp.h"

static uint64_t rotl(uint64_t x, unsigned b)
{
    return (x << b) | (x >> (64u - b));
}

static uint64_t load64_le(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

#define SIPROUND                                                                                                       \
    do {                                                                                                               \
        v0 += v1;                                                                                                      \
        v1 = rotl(v1, 13);                                                                                             \
        v1 ^= v0;                                                                                                      \
        v0 = rotl(v0, 32);                                                                                             \
        v2 += v3;                                                                                                      \
        v3 = rotl(v3, 16);                                                                                             \
        v3 ^= v2;                                                                                                      \
        v0 += v3;                                                                                                      \
        v3 = rotl(v3, 21);                                                                                             \
        v3 ^= v0;                                                                                                      \
        v2 += v1;                                                                                                      \
        v1 = rotl(v1, 17);                                                                                             \
        v1 ^= v2;                                                                                                      \
        v2 = rotl(v2, 32);                                                                                             \
    } while (0)

uint64_t tcp_siphash(const uint8_t key[16], const uint8_t *in, size_t len)
{
    uint64_t k0 = load64_le(key), k1 = load64_le(key + 8);
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
    uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
    uint64_t v3 = 0x7465646279746573ULL ^ k1;
    size_t full = len / 8u * 8u;
    for (size_t i = 0; i < full; i += 8) {
        uint64_t m = load64_le(in + i);
        v3 ^= m;
        SIPROUND;
        SIPROUND;
        v0 ^= m;
    }
    uint64_t b = (uint64_t)len << 56;
    for (size_t i = full; i < len; i++)
        b |= (uint64_t)in[i] << (8u * (i - full));
    v3 ^= b;
    SIPROUND;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

uint32_t tcp_isn(const uint8_t secret[16], uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport, uint64_t now)
{
    uint8_t t[12];
    t[0] = (uint8_t)(lip >> 24);
    t[1] = (uint8_t)(lip >> 16);
    t[2] = (uint8_t)(lip >> 8);
    t[3] = (uint8_t)lip;
    t[4] = (uint8_t)(lport >> 8);
    t[5] = (uint8_t)lport;
    t[6] = (uint8_t)(rip >> 24);
    t[7] = (uint8_t)(rip >> 16);
    t[8] = (uint8_t)(rip >> 8);
    t[9] = (uint8_t)rip;
    t[10] = (uint8_t)(rport >> 8);
    t[11] = (uint8_t)rport;
    return (uint32_t)(now * 250u) + (uint32_t)tcp_siphash(secret, t, sizeof t);
}

/* The global challenge ACK budget of one second: uniform in [N/2, 3N/2)
 * for N = TCP_CHALLENGE_PER_SEC, from the keyed hash of the second's
 * number, as Linux draws it since CVE-2016-5696. With a fixed budget an
 * off-path attacker who spends it with its own connection learns, from
 * the challenge ACKs it still gets, whether its spoofed segments hit
 * someone else's window; a budget it cannot predict hides that count. The
 * 9-byte input keeps these draws apart from the ISN's 12 and the
 * cookie's 20 bytes under the same key. */
uint32_t tcp_challenge_budget(const uint8_t secret[16], uint64_t second)
{
    uint8_t t[9];
    t[0] = 'C';
    for (int i = 0; i < 8; i++)
        t[1 + i] = (uint8_t)(second >> (8 * i));
    uint32_t half = TCP_CHALLENGE_PER_SEC / 2u;
    return half + (uint32_t)(tcp_siphash(secret, t, sizeof t) % TCP_CHALLENGE_PER_SEC);
}
