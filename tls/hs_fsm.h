/* SPDX-License-Identifier: Apache-2.0 */
/* The handshake step function: which message (and which record) each
 * handshake step accepts. Proved against spec/tls_hs.acsl.h. */
#ifndef ATOLL_TLS_HS_FSM_H
#define ATOLL_TLS_HS_FSM_H

#include "spec/tls_hs.acsl.h"

/* Next step after message type mt arrives in step st with flags f
 * (HS_F_*), or -10 (unexpected_message) when the relation allows nothing. */
/*@ requires 0 <= st < HS_STEPS;
    requires 0 <= f <= 3;
    assigns \nothing;
    ensures \result >= 0 ==> hs_allowed(st, mt, f, \result);
    ensures \result < 0 ==> \result == -10 && (\forall integer nx; !hs_allowed(st, mt, f, nx));
*/
int tls_hs_step(int st, int mt, int f);

/* 1 when a record of content type ct (protected or not) may arrive in
 * step st, else 0. */
/*@ requires 0 <= st < HS_STEPS;
    assigns \nothing;
    ensures \result == 1 <==> rec_allowed(st, ct, prot);
    ensures \result == 0 || \result == 1;
*/
int tls_record_allowed(int st, int ct, int prot);

#endif
