/* SPDX-License-Identifier: Apache-2.0 */
/* The handshake step function against an independent table of the RFC 8446
 * message flows: every (step, message, flags) combination is checked, and
 * the full flows (with and without HRR, PSK) are walked end to end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tls/hs_fsm.h"

struct row {
    int st, mt, f, nx; /* f: -1 for any flags */
};

static const struct row allowed[] = {
    {HS_WAIT_CH, 1, HS_F_HRR, HS_WAIT_CH2},   {HS_WAIT_CH, 1, 0, HS_WAIT_FIN},
    {HS_WAIT_CH, 1, HS_F_PSK, HS_WAIT_FIN},   {HS_WAIT_CH, 1, HS_F_HRR | HS_F_PSK, HS_WAIT_CH2},
    {HS_WAIT_CH2, 1, 0, HS_WAIT_FIN},         {HS_WAIT_CH2, 1, HS_F_PSK, HS_WAIT_FIN},
    {HS_WAIT_FIN, 20, -1, HS_S_OPEN},         {HS_S_OPEN, 24, -1, HS_S_OPEN},
    {HS_WAIT_SH, 2, HS_F_HRR, HS_WAIT_SH2},   {HS_WAIT_SH, 2, 0, HS_WAIT_EE},
    {HS_WAIT_SH, 2, HS_F_PSK, HS_WAIT_EE},    {HS_WAIT_SH, 2, HS_F_HRR | HS_F_PSK, HS_WAIT_SH2},
    {HS_WAIT_SH2, 2, 0, HS_WAIT_EE},          {HS_WAIT_SH2, 2, HS_F_PSK, HS_WAIT_EE},
    {HS_WAIT_EE, 8, 0, HS_WAIT_CERT_CR},      {HS_WAIT_EE, 8, HS_F_HRR, HS_WAIT_CERT_CR},
    {HS_WAIT_EE, 8, HS_F_PSK, HS_C_WAIT_FIN}, {HS_WAIT_EE, 8, HS_F_PSK | HS_F_HRR, HS_C_WAIT_FIN},
    {HS_WAIT_CERT_CR, 13, -1, HS_WAIT_CERT},  {HS_WAIT_CERT_CR, 11, -1, HS_WAIT_CV},
    {HS_WAIT_CERT, 11, -1, HS_WAIT_CV},       {HS_WAIT_CV, 15, -1, HS_C_WAIT_FIN},
    {HS_C_WAIT_FIN, 20, -1, HS_C_OPEN},       {HS_C_OPEN, 4, -1, HS_C_OPEN},
    {HS_C_OPEN, 24, -1, HS_C_OPEN},
};

static int expected(int st, int mt, int f)
{
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (allowed[i].st == st && allowed[i].mt == mt && (allowed[i].f == -1 || allowed[i].f == f))
            return allowed[i].nx;
    return -10;
}

static void every_combination(void **state)
{
    (void)state;
    int accepted = 0;
    for (int st = 0; st < HS_STEPS; st++)
        for (int mt = 0; mt < 256; mt++)
            for (int f = 0; f <= 3; f++) {
                int want = expected(st, mt, f);
                assert_int_equal(tls_hs_step(st, mt, f), want);
                accepted += want >= 0;
            }
    assert_int_equal(accepted, 16 + 9 * 4); /* 16 rows with fixed flags, 9 for any flags */
}

static void flows(void **state)
{
    (void)state;
    /* server: CH, Finished, KeyUpdate */
    int st = tls_hs_step(HS_WAIT_CH, 1, 0);
    assert_int_equal(st, HS_WAIT_FIN);
    assert_int_equal(tls_hs_step(st, 1, 0), -10); /* a second hello without HRR */
    st = tls_hs_step(st, 20, 0);
    assert_int_equal(st, HS_S_OPEN);
    assert_int_equal(tls_hs_step(st, 20, 0), -10);
    assert_int_equal(tls_hs_step(st, 4, 0), -10); /* a client sends no tickets */
    /* server with HRR: a third hello is refused */
    st = tls_hs_step(HS_WAIT_CH, 1, HS_F_HRR);
    assert_int_equal(tls_hs_step(st, 1, HS_F_HRR), -10);
    /* client full handshake */
    st = HS_WAIT_SH;
    const int full[] = {2, 8, 11, 15, 20, 4, 24};
    for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
        st = tls_hs_step(st, full[i], 0);
        assert_true(st >= 0);
    }
    assert_int_equal(st, HS_C_OPEN);
    /* client resumption skips the certificate */
    st = tls_hs_step(tls_hs_step(HS_WAIT_SH, 2, HS_F_PSK), 8, HS_F_PSK);
    assert_int_equal(st, HS_C_WAIT_FIN);
    assert_int_equal(tls_hs_step(st, 11, HS_F_PSK), -10);
}

static void records(void **state)
{
    (void)state;
    for (int st = 0; st < HS_STEPS; st++) {
        int first = st == HS_WAIT_CH || st == HS_WAIT_CH2 || st == HS_WAIT_SH || st == HS_WAIT_SH2;
        int open = st == HS_S_OPEN || st == HS_C_OPEN;
        for (int prot = 0; prot <= 1; prot++) {
            assert_int_equal(tls_record_allowed(st, 21, prot), 1);
            assert_int_equal(tls_record_allowed(st, 22, prot), first ? !prot : prot);
            assert_int_equal(tls_record_allowed(st, 23, prot), open && prot);
            assert_int_equal(tls_record_allowed(st, 20, prot),
                             !prot && !open && st != HS_WAIT_CH && st != HS_WAIT_SH);
            assert_int_equal(tls_record_allowed(st, 24, prot), 0);
            assert_int_equal(tls_record_allowed(st, 0, prot), 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_combination),
        cmocka_unit_test(flows),
        cmocka_unit_test(records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
