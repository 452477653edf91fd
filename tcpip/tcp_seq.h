/* SPDX-License-Identifier: Apache-2.0 */
/* Sequence-number comparisons modulo 2^32, written with branches rather
 * than the (int32_t)(a - b) cast idiom so that WP can prove them against
 * spec/tcp_seq.acsl.h. */
#ifndef ATOLL_TCP_SEQ_H
#define ATOLL_TCP_SEQ_H

#include <stdint.h>

#include "spec/tcp_seq.acsl.h"

/*@ assigns \nothing;
    ensures \result == seq_sub(a, b);
*/
static inline uint32_t seq_diff(uint32_t a, uint32_t b)
{
    if (a >= b)
        return a - b;
    return 4294967295u - b + a + 1u;
}

/*@ assigns \nothing;
    ensures \result == 1 <==> seq_lt(a, b);
    ensures \result == 0 || \result == 1;
*/
static inline int seq_lt(uint32_t a, uint32_t b)
{
    return seq_diff(a, b) >= 2147483648u;
}

/*@ assigns \nothing;
    ensures \result == 1 <==> seq_leq(a, b);
    ensures \result == 0 || \result == 1;
*/
static inline int seq_leq(uint32_t a, uint32_t b)
{
    if (a == b)
        return 1;
    return seq_lt(a, b);
}

/*@ assigns \nothing;
    ensures \result == 1 <==> seq_in(x, lo, size);
    ensures \result == 0 || \result == 1;
*/
static inline int seq_in_window(uint32_t x, uint32_t lo, uint32_t size)
{
    return seq_diff(x, lo) < size;
}

/*@ assigns \nothing;
    ensures \result == (a + n) % 4294967296;
*/
static inline uint32_t seq_add(uint32_t a, uint32_t n)
{
    if (n <= 4294967295u - a)
        return a + n;
    return n - (4294967295u - a) - 1u;
}

#endif
