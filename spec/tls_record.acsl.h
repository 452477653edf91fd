/* SPDX-License-Identifier: Apache-2.0 */
/* The TLS 1.3 record header (RFC 8446 §5.1, §5.2) and TLSInnerPlaintext
 * (§5.4) as ACSL logic. Logic only. */
#ifndef ATOLL_SPEC_TLS_RECORD_ACSL_H
#define ATOLL_SPEC_TLS_RECORD_ACSL_H

#include "spec/wire.acsl.h"

/* Header fields at b: content type, legacy_record_version, length. */
#define REC_TYPE(b) ((b)[0])
#define REC_VERSION(b) BE16((b) + 1)
#define REC_LEN(b) BE16((b) + 3)

/*@ // The four content types TLS 1.3 defines (§5.1, §B.1).
    predicate tls_ct_known(integer t) = 20 <= t <= 23;

    // The largest record body allowed: 2^14 + 256 for a protected record
    // (TLSCiphertext, §5.2), 2^14 for everything else (TLSPlaintext, §5.1).
    predicate tls_ct_ciphertext(integer t, integer prot) = prot != 0 && t == 23;
    predicate tls_rec_too_long(integer t, integer prot, integer n) =
      (tls_ct_ciphertext(t, prot) && n > 16640) || (!tls_ct_ciphertext(t, prot) && n > 16384);

    // Only application data may be empty (§5.1).
    predicate tls_rec_bad_empty(integer t, integer n) = n == 0 && t != 23;

    // TLSInnerPlaintext: content || type || zeros. The type is the last
    // non-zero byte; everything after it is padding.
    predicate tls_all_zero{L}(uint8_t *p, integer from, integer to) =
      \forall integer k; from <= k < to ==> p[k] == 0;
*/

#endif
