/* SPDX-License-Identifier: Apache-2.0 */
/* Big-endian field access for the wire views.
 * Integers are built with multiplication and addition, never shifts or masks:
 * the provers discharge arithmetic at once and stall on bit operations.
 * be16/be32 (spec/wire.acsl.h) are the same reads as logic functions. */
#ifndef ATOLL_WIRE_H
#define ATOLL_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "spec/wire.acsl.h"

/*@ requires \valid_read(p + (0 .. 1));
  @ assigns \nothing;
  @ ensures \result == BE16(p);
  @*/
static inline uint16_t wire_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] * 256u + p[1]);
}

/*@ requires \valid_read(p + (0 .. 3));
  @ assigns \nothing;
  @ ensures \result == BE32(p);
  @*/
static inline uint32_t wire_rd32(const uint8_t *p)
{
    return ((p[0] * 256u + p[1]) * 256u + p[2]) * 256u + p[3];
}

/*@ requires \valid(p + (0 .. 1));
  @ assigns p[0 .. 1];
  @ ensures BE16(p) == v;
  @*/
static inline void wire_wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v / 256u);
    p[1] = (uint8_t)(v % 256u);
}

/*@ requires \valid(p + (0 .. 3));
  @ assigns p[0 .. 3];
  @ ensures BE32(p) == v;
  @*/
static inline void wire_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v / 16777216u);
    p[1] = (uint8_t)(v / 65536u % 256u);
    p[2] = (uint8_t)(v / 256u % 256u);
    p[3] = (uint8_t)(v % 256u);
}

/* Copies n bytes (hardware addresses) between a view and a buffer. */
/*@ requires \valid(dst + (0 .. n - 1));
  @ requires \valid_read(src + (0 .. n - 1));
  @ requires \separated(dst + (0 .. n - 1), src + (0 .. n - 1));
  @ assigns dst[0 .. n - 1];
  @ ensures \forall integer i; 0 <= i < n ==> dst[i] == src[i];
  @*/
static inline void wire_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> dst[k] == src[k];
        loop assigns i, dst[0 .. n - 1];
        loop variant n - i;
    */
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i];
}

#endif
