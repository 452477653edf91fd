/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpip/wire_icmp.h"
#include "tcpip/checksum.h"
#include "base/wire.h"

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

/* Fills the checksum field (bytes 2..3, zero on entry) of the n-byte
 * message at buf. */
/*@ requires ICMP_HDR_LEN <= n <= 65535 + ICMP_HDR_LEN;
    requires \valid(buf + (0 .. n - 1));
    requires BE16(buf + 2) == 0;
    assigns buf[2 .. 3];
    ensures csum_ok(buf, n);
*/
static void icmp_put_csum(uint8_t *buf, size_t n)
{
    uint32_t s = csum_add(0, buf, n);
    wire_wr16(buf + 2, csum_finish(s));
    /* The sum now counts the new word 1 where it counted 0 before. */
    /*@ ghost
      size_t k = 2;
      /@ loop invariant 2 <= k <= n / 2;
         loop invariant words_sum(buf, k) == words_sum{Pre}(buf, k) + (65535 - s);
         loop invariant words_sum{Pre}(buf, k) >= 0;
         loop assigns k;
         loop variant n / 2 - k;
      @/
      while (k < n / 2)
          k++;
    */
    //@ assert bytes_sum(buf, n) == bytes_sum{Pre}(buf, n) + (65535 - s);
    //@ assert bytes_sum{Pre}(buf, n) >= 0;
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
    icmp_put_csum(buf, ICMP_HDR_LEN + payload_len);
    return (int)(ICMP_HDR_LEN + payload_len);
}
