/* SPDX-License-Identifier: Apache-2.0 */
/* The Internet checksum (RFC 1071) as a running one's-complement sum.
 * The sum is kept folded to 16 bits after every word, so it never wraps and
 * a caller can chain pieces (pseudo-header, header, payload) in any order.
 * The logic (oc_fold, bytes_sum, pseudo_sum, csum_ok) is in spec/wire.acsl.h. */
#ifndef ATOLL_CHECKSUM_H
#define ATOLL_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#include "spec/wire.acsl.h"

/* Adds len bytes (an odd last byte padded with zero) to a folded sum. */
/*@ requires sum <= 65535;
  @ requires \valid_read(buf + (0 .. len - 1));
  @ assigns \nothing;
  @ ensures \result <= 65535;
  @ ensures \result == oc_fold(sum + bytes_sum(buf, len));
  @ ensures bytes_sum(buf, len) >= 0; // a fact of logic, proved here by the loop
  @*/
uint32_t csum_add(uint32_t sum, const uint8_t *buf, size_t len);

/* Adds one 16-bit word (word16 is taken modulo 65536). */
/*@ requires sum <= 65535;
  @ assigns \nothing;
  @ ensures \result <= 65535;
  @ ensures \result == oc_fold(sum + word16 % 65536);
  @*/
uint32_t csum_add16(uint32_t sum, uint32_t word16);

/* Sum of the IPv4 pseudo-header used by UDP and TCP. */
/*@ requires sum <= 65535;
  @ requires len <= 65535;
  @ assigns \nothing;
  @ ensures \result <= 65535;
  @ ensures \result == oc_fold(sum + pseudo_sum(src, dst, proto, len));
  @*/
uint32_t csum_pseudo(uint32_t sum, uint32_t src, uint32_t dst, uint8_t proto, uint32_t len);

/* The value to place in a checksum field; a region carrying a valid checksum
 * sums to 0xffff, so csum_finish() of it is 0. */
/*@ requires sum <= 65535;
  @ assigns \nothing;
  @ ensures \result == 65535 - sum;
  @*/
uint16_t csum_finish(uint32_t sum);

#endif
