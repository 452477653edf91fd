/* SPDX-License-Identifier: Apache-2.0 */
/* Written as plain if/else chains, one branch per relation case, so each
 * proof goal is one line of spec/tls_hs.acsl.h. */
#include "tls/hs_fsm.h"

#define UNEXPECTED (-10)

/*@ requires st == HS_WAIT_CH || st == HS_WAIT_CH2 || st == HS_WAIT_FIN || st == HS_S_OPEN;
    requires 0 <= f <= 3;
    assigns \nothing;
    ensures \result >= 0 ==> hs_allowed(st, mt, f, \result);
    ensures \result < 0 ==> \result == -10 && (\forall integer nx; !hs_allowed(st, mt, f, nx));
*/
static int server_step(int st, int mt, int f)
{
    int hrr = f % 2;
    int r = UNEXPECTED;
    if (st == HS_WAIT_CH && mt == HS_MT_CH) {
        if (hrr)
            r = HS_WAIT_CH2;
        else
            r = HS_WAIT_FIN;
    } else if (st == HS_WAIT_CH2 && mt == HS_MT_CH && !hrr) {
        r = HS_WAIT_FIN;
    } else if (st == HS_WAIT_FIN && mt == HS_MT_FIN) {
        r = HS_S_OPEN;
    } else if (st == HS_S_OPEN && mt == HS_MT_KU) {
        r = HS_S_OPEN;
    }
    return r;
}

/*@ requires HS_WAIT_SH <= st < HS_STEPS;
    requires 0 <= f <= 3;
    assigns \nothing;
    ensures \result >= 0 ==> hs_allowed(st, mt, f, \result);
    ensures \result < 0 ==> \result == -10 && (\forall integer nx; !hs_allowed(st, mt, f, nx));
*/
static int client_step(int st, int mt, int f)
{
    int hrr = f % 2;
    int psk = f / 2 % 2;
    int r = UNEXPECTED;
    if (st == HS_WAIT_SH && mt == HS_MT_SH) {
        if (hrr)
            r = HS_WAIT_SH2;
        else
            r = HS_WAIT_EE;
    } else if (st == HS_WAIT_SH2 && mt == HS_MT_SH && !hrr) {
        r = HS_WAIT_EE;
    } else if (st == HS_WAIT_EE && mt == HS_MT_EE) {
        if (psk)
            r = HS_C_WAIT_FIN;
        else
            r = HS_WAIT_CERT_CR;
    } else if (st == HS_WAIT_CERT_CR && mt == HS_MT_CR) {
        r = HS_WAIT_CERT;
    } else if ((st == HS_WAIT_CERT_CR || st == HS_WAIT_CERT) && mt == HS_MT_CERT) {
        r = HS_WAIT_CV;
    } else if (st == HS_WAIT_CV && mt == HS_MT_CV) {
        r = HS_C_WAIT_FIN;
    } else if (st == HS_C_WAIT_FIN && mt == HS_MT_FIN) {
        r = HS_C_OPEN;
    } else if (st == HS_C_OPEN && (mt == HS_MT_NST || mt == HS_MT_KU)) {
        r = HS_C_OPEN;
    }
    return r;
}

int tls_hs_step(int st, int mt, int f)
{
    int r;
    if (st < HS_WAIT_SH)
        r = server_step(st, mt, f);
    else
        r = client_step(st, mt, f);
    return r;
}

int tls_record_allowed(int st, int ct, int prot)
{
    int first = st == HS_WAIT_CH || st == HS_WAIT_CH2 || st == HS_WAIT_SH || st == HS_WAIT_SH2;
    int open = st == HS_S_OPEN || st == HS_C_OPEN;
    int ok = 0;
    if (ct == HS_CT_ALERT)
        ok = 1;
    else if (ct == HS_CT_HS)
        ok = first ? prot == 0 : prot != 0;
    else if (ct == HS_CT_CCS)
        ok = prot == 0 && st != HS_WAIT_CH && st != HS_WAIT_SH && !open;
    else if (ct == HS_CT_APP)
        ok = open && prot != 0;
    return ok;
}
