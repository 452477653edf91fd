/* SPDX-License-Identifier: Apache-2.0 */
/* ACSL logic shared by the wire views (tcpip/wire*.h, tcpip/checksum.h) and
 * their proofs. Logic only: this header declares no C objects, so including
 * it changes nothing in a build.
 *
 * Network byte order (RFC 791 appendix B) and the Internet checksum
 * (RFC 1071) written as logic functions over bytes in memory. */
#ifndef ATOLL_SPEC_WIRE_ACSL_H
#define ATOLL_SPEC_WIRE_ACSL_H

#include <stdint.h>

/* Big-endian 16- and 32-bit integers at p, for contracts. Macros rather than
 * logic functions on purpose: WP then sees the byte reads themselves and can
 * carry them across later writes to other bytes of the same buffer, which it
 * cannot do through an opaque logic function of the memory. */
#define BE16(p) ((p)[0] * 256 + (p)[1])
#define BE32(p) ((((p)[0] * 256 + (p)[1]) * 256 + (p)[2]) * 256 + (p)[3])

/*@ // RFC 1071: the checksum field holds the one's complement of the one's
    // complement sum of the 16-bit big-endian words of the data, an odd last
    // byte padded with a zero byte.
    //
    // Plain (unbounded) sum of the first n words of b.
    logic integer words_sum{L}(uint8_t *b, integer n) =
      n <= 0 ? 0 : words_sum(b, n - 1) + BE16(b + 2 * (n - 1));

    // Plain sum of the len bytes of b read as words.
    logic integer bytes_sum{L}(uint8_t *b, integer len) =
      len % 2 == 0 ? words_sum(b, len / 2)
                   : words_sum(b, len / 2) + b[len - 1] * 256;

    // The 16-bit one's complement representative of a plain sum x >= 0:
    // end-around carries fold x to 1..0xffff (to 0 only when x is 0).
    logic integer oc_fold(integer x) = x == 0 ? 0 : (x - 1) % 65535 + 1;

    // Adding one word to a folded sum with an end-around carry, as the
    // code does, keeps it the fold of the plain sum.
    lemma oc_fold_step:
      \forall integer x, y; 0 <= x <= y <= x + 65535 ==>
        oc_fold(y) == (oc_fold(x) + (y - x) > 65535 ? oc_fold(x) + (y - x) - 65535
                                                    : oc_fold(x) + (y - x));

    // Folding twice is folding once: sums may be chained piece by piece.
    lemma oc_fold_chain:
      \forall integer x, y; x >= 0 && y >= 0 ==> oc_fold(oc_fold(x) + y) == oc_fold(x + y);
    lemma oc_fold_small:
      \forall integer x; 0 <= x <= 65535 ==> oc_fold(x) == x;
    lemma oc_fold_carry:
      \forall integer x; 65535 < x <= 131070 ==> oc_fold(x) == x - 65535;

    // Storing the complement of a sum into a zeroed checksum field makes the
    // region sum to all ones (RFC 1071 section 1, step 2).
    lemma oc_fold_complement:
      \forall integer x; x >= 0 ==> oc_fold(x + (65535 - oc_fold(x))) == 65535;

    // A computed checksum of 0 may be sent as 0xffff, its other one's
    // complement form (RFC 768): the region still sums to all ones.
    lemma oc_fold_negative_zero:
      \forall integer x; x >= 0 && oc_fold(x) == 65535 ==> oc_fold(x + 65535) == 65535;

    // The words of the IPv4 pseudo-header used by UDP and TCP (RFC 768).
    logic integer pseudo_sum(integer src, integer dst, integer proto, integer len) =
      src / 65536 + src % 65536 + dst / 65536 + dst % 65536 + proto + len;

    // A region carrying a correct checksum sums to all ones.
    predicate csum_ok{L}(uint8_t *b, integer len) = oc_fold(bytes_sum(b, len)) == 65535;
*/

#endif
