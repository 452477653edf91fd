/* SPDX-License-Identifier: Apache-2.0 */
/* Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4) as ACSL
 * logic, with the lemmas the TCP proofs lean on. Only the logic lives here;
 * the C functions that implement it are in tcpip/tcp_seq.h. */
#ifndef ATOLL_SPEC_TCP_SEQ_H
#define ATOLL_SPEC_TCP_SEQ_H

/*@ logic integer seq_sub(integer a, integer b) = a >= b ? a - b : a - b + 4294967296;

    // a comes before b: b is less than half the sequence space ahead of a.
    predicate seq_lt(integer a, integer b) = seq_sub(a, b) >= 2147483648;
    predicate seq_leq(integer a, integer b) = a == b || seq_lt(a, b);

    // x lies in [lo, lo + size)
    predicate seq_in(integer x, integer lo, integer size) = seq_sub(x, lo) < size;

    predicate is_seq(integer a) = 0 <= a <= 4294967295;

    lemma seq_sub_range: \forall integer a, b; is_seq(a) && is_seq(b) ==> 0 <= seq_sub(a, b) <= 4294967295;

    lemma seq_sub_self: \forall integer a; is_seq(a) ==> seq_sub(a, a) == 0;

    lemma seq_lt_irreflexive: \forall integer a; is_seq(a) ==> !seq_lt(a, a);

    lemma seq_lt_asymmetric:
      \forall integer a, b; is_seq(a) && is_seq(b) && seq_sub(a, b) != 2147483648 ==>
        seq_lt(a, b) ==> !seq_lt(b, a);

    lemma seq_lt_transitive:
      \forall integer a, b, c; is_seq(a) && is_seq(b) && is_seq(c) ==>
        seq_lt(a, b) && seq_lt(b, c) && seq_sub(b, a) + seq_sub(c, b) < 2147483648 ==> seq_lt(a, c);

    lemma seq_in_window_order:
      \forall integer x, lo, size; is_seq(x) && is_seq(lo) && 0 < size <= 2147483648 ==>
        seq_in(x, lo, size) ==> seq_leq(lo, x);
*/

#endif
