/* SPDX-License-Identifier: Apache-2.0 */
/* Writers shared by the emitters (tls/msg_emit*.c): each writes a few
 * bytes at offset p of a buffer of cap bytes and returns the offset after
 * them, so that an emitter reads as the message layout. */
#ifndef ATOLL_TLS_MSG_PUT_H
#define ATOLL_TLS_MSG_PUT_H

#include "tls/msg_wire.h"

/* out[p .. p+1] = v; returns p + 2. */
/*@ requires p + 2 <= cap;
    requires \valid(out + (0 .. cap - 1));
    assigns out[p .. p + 1];
    ensures \result == p + 2 && BE16(out + p) == v;
*/
static inline size_t put16(uint8_t *out, size_t cap, size_t p, uint16_t v)
{
    (void)cap; /* the buffer size: named by the contract only */
    wire_wr16(out + p, v);
    return p + 2u;
}

/* out[p .. p+n-1] = src[0 .. n-1]; returns p + n. */
/*@ requires p + n <= cap;
    requires \valid(out + (0 .. cap - 1));
    requires \valid_read(src + (0 .. n - 1));
    requires \separated(out + (0 .. cap - 1), src + (0 .. n - 1));
    assigns out[p .. p + n - 1];
    ensures \result == p + n;
    ensures \forall integer i; 0 <= i < n ==> out[p + i] == src[i];
*/
static inline size_t put_bytes(uint8_t *out, size_t cap, size_t p, const uint8_t *src, size_t n)
{
    (void)cap;
    wire_copy(out + p, src, n);
    return p + n;
}

/* An extension whose data is one uint16: 6 bytes at p. */
/*@ requires p + 6 <= cap;
    requires \valid(out + (0 .. cap - 1));
    assigns out[p .. p + 5];
    ensures \result == p + 6 && BE16(out + p) == type && BE16(out + p + 2) == 2 && BE16(out + p + 4) == v;
*/
static inline size_t put_ext_u16(uint8_t *out, size_t cap, size_t p, uint16_t type, uint16_t v)
{
    p = put16(out, cap, p, type);
    p = put16(out, cap, p, 2);
    return put16(out, cap, p, v);
}

#endif
