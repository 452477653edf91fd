/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpip/wire_udp.h"
#include "tcpip/checksum.h"
#include "base/wire.h"
#include "tcpip/wire_ipv4.h"

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
        //@ assert s == oc_fold(pseudo_sum(src, dst, 17, ulen) + bytes_sum(buf, ulen));
        if (csum_finish(s) != 0)
            return UDP_E_CSUM;
    }
    out->sport = wire_rd16(buf);
    out->dport = wire_rd16(buf + 2);
    out->length = (uint16_t)ulen;
    out->csum = (uint16_t)csum;
    return UDP_HDR_LEN;
}

/* Fills the checksum field (bytes 6..7, zero on entry) of the n-byte
 * datagram at buf: a computed 0 goes out as 0xffff. */
/*@ requires UDP_HDR_LEN <= n <= 65535;
    requires \valid(buf + (0 .. n - 1));
    requires UDP_CSUM(buf) == 0;
    assigns buf[6 .. 7];
    ensures UDP_CSUM(buf) != 0 && udp_csum_ok(buf, n, src, dst);
*/
static void udp_put_csum(uint8_t *buf, size_t n, uint32_t src, uint32_t dst)
{
    uint32_t s = csum_pseudo(0, src, dst, IPV4_PROTO_UDP, (uint32_t)n);
    s = csum_add(s, buf, n);
    //@ assert s == oc_fold(pseudo_sum(src, dst, 17, n) + bytes_sum(buf, n));
    uint16_t c = csum_finish(s);
    if (c == 0)
        c = 0xffffu;
    wire_wr16(buf + 6, c);
    /* The sum now counts the new word 3 where it counted 0 before. */
    /*@ ghost
      size_t k = 4;
      /@ loop invariant 4 <= k <= n / 2;
         loop invariant words_sum(buf, k) == words_sum{Pre}(buf, k) + c;
         loop assigns k;
         loop variant n / 2 - k;
      @/
      while (k < n / 2)
          k++;
    */
    //@ assert bytes_sum(buf, n) == bytes_sum{Pre}(buf, n) + c;
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
    udp_put_csum(buf, ulen, src, dst);
    return (int)ulen;
}
