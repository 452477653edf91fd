/* Big-endian field access for the wire views.
 * Integers are built with multiplication and addition, never shifts or masks:
 * the provers discharge arithmetic at once and stall on bit operations. */
#ifndef ATOLL_WIRE_H
#define ATOLL_WIRE_H

#include <stddef.h>
#include <stdint.h>

/*@ requires \valid_read(p + (0 .. 1));
    assigns \nothing;
    ensures \result == p[0] * 256 + p[1];
*/
static inline uint16_t wire_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] * 256u + p[1]);
}

/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing;
    ensures \result == ((p[0] * 256 + p[1]) * 256 + p[2]) * 256 + p[3];
*/
static inline uint32_t wire_rd32(const uint8_t *p)
{
    return ((p[0] * 256u + p[1]) * 256u + p[2]) * 256u + p[3];
}

/*@ requires \valid(p + (0 .. 1));
    assigns p[0 .. 1];
    ensures p[0] * 256 + p[1] == v;
*/
static inline void wire_wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v / 256u);
    p[1] = (uint8_t)(v % 256u);
}

/*@ requires \valid(p + (0 .. 3));
    assigns p[0 .. 3];
    ensures ((p[0] * 256 + p[1]) * 256 + p[2]) * 256 + p[3] == v;
*/
static inline void wire_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v / 16777216u);
    p[1] = (uint8_t)(v / 65536u % 256u);
    p[2] = (uint8_t)(v / 256u % 256u);
    p[3] = (uint8_t)(v % 256u);
}

#endif
