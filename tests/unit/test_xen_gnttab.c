/* SPDX-License-Identifier: Apache-2.0 */
/* Grant-table bookkeeping (xen/gnttab.c) over a table in ordinary memory,
 * with the test playing Xen: it sets GTF_reading/GTF_writing as a backend
 * mapping the page would. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "xen/gnttab.h"

#include "xen/gnttab.c"

static struct grant_entry_v1 tbl[1024];

static int setup(void **state)
{
    (void)state;
    memset(tbl, 0, sizeof tbl);
    gnttab_init(tbl, 1024);
    return 0;
}

static void grant_writes_the_entry_xen_reads(void **state)
{
    (void)state;
    grant_ref_t ro, rw;
    assert_int_equal(gnttab_grant(3, 0x12345, 1, &ro), 0);
    assert_int_equal(gnttab_grant(7, 0xfffff, 0, &rw), 0);
    assert_true(ro >= GNTTAB_RESERVED && rw >= GNTTAB_RESERVED && ro != rw);
    assert_int_equal(tbl[ro].flags, GTF_permit_access | GTF_readonly);
    assert_int_equal(tbl[ro].domid, 3);
    assert_int_equal(tbl[ro].frame, 0x12345);
    assert_int_equal(tbl[rw].flags, GTF_permit_access);
    assert_int_equal(tbl[rw].domid, 7);
    assert_int_equal(tbl[rw].frame, 0xfffff);
}

static void reserved_refs_are_never_handed_out_and_the_table_fills(void **state)
{
    (void)state;
    assert_int_equal(gnttab_free_count(), 1024 - GNTTAB_RESERVED);
    int seen[1024] = {0};
    grant_ref_t r;
    for (unsigned i = 0; i < 1024 - GNTTAB_RESERVED; i++) {
        assert_int_equal(gnttab_grant(0, i, 1, &r), 0);
        assert_true(r >= GNTTAB_RESERVED && r < 1024);
        assert_int_equal(seen[r], 0);
        seen[r] = 1;
    }
    assert_int_equal(gnttab_free_count(), 0);
    assert_int_equal(gnttab_grant(0, 1, 1, &r), -1);
    assert_int_equal(gnttab_end(GNTTAB_RESERVED + 5), 0);
    assert_int_equal(gnttab_grant(0, 1, 1, &r), 0);
    assert_int_equal(r, GNTTAB_RESERVED + 5);
}

static void a_mapped_grant_cannot_be_ended(void **state)
{
    (void)state;
    grant_ref_t r;
    assert_int_equal(gnttab_grant(0, 42, 0, &r), 0);
    tbl[r].flags |= GTF_writing; /* the backend copies into the page */
    assert_int_equal(gnttab_end(r), -1);
    assert_int_equal(tbl[r].flags & GTF_permit_access, GTF_permit_access);
    assert_int_equal(gnttab_free_count(), 1024 - GNTTAB_RESERVED - 1);
    tbl[r].flags &= (uint16_t)~GTF_writing;
    tbl[r].flags |= GTF_reading;
    assert_int_equal(gnttab_end(r), -1);
    tbl[r].flags &= (uint16_t)~GTF_reading;
    assert_int_equal(gnttab_end(r), 0);
    assert_int_equal(tbl[r].flags, 0);
    assert_int_equal(gnttab_free_count(), 1024 - GNTTAB_RESERVED);
}

static void ending_twice_or_out_of_range_frees_nothing(void **state)
{
    (void)state;
    grant_ref_t r;
    assert_int_equal(gnttab_grant(0, 42, 1, &r), 0);
    assert_int_equal(gnttab_end(r), 0);
    assert_int_equal(gnttab_end(r), -1);
    assert_int_equal(gnttab_end(0), -1);
    assert_int_equal(gnttab_end(1024), -1);
    assert_int_equal(gnttab_free_count(), 1024 - GNTTAB_RESERVED);
}

static void a_frame_beyond_32_bits_is_refused(void **state)
{
    (void)state;
    grant_ref_t r;
    assert_int_equal(gnttab_grant(0, 0x100000000ull, 1, &r), -1);
    assert_int_equal(gnttab_free_count(), 1024 - GNTTAB_RESERVED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(grant_writes_the_entry_xen_reads, setup),
        cmocka_unit_test_setup(reserved_refs_are_never_handed_out_and_the_table_fills, setup),
        cmocka_unit_test_setup(a_mapped_grant_cannot_be_ended, setup),
        cmocka_unit_test_setup(ending_twice_or_out_of_range_frees_nothing, setup),
        cmocka_unit_test_setup(a_frame_beyond_32_bits_is_refused, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
