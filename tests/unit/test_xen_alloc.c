/* SPDX-License-Identifier: Apache-2.0 */
/* The PVH image's heap (xen/alloc.c) and its arena choice from the memory
 * map (xen/memmap.c): alignment, reuse by size class, exhaustion, calloc's
 * overflow check and zeroing, bad and double frees refused; the largest
 * free piece of RAM around the image and the boot module. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xen/alloc.h"
#include "xen/mem.h"

#include "xen/alloc.c"
#include "xen/memmap.c"

static _Alignas(16) uint8_t arena[1 << 20];

static void test_alloc_basics(void **state)
{
    (void)state;
    struct heap h;
    heap_init(&h, arena + 3, sizeof arena - 3); /* a misaligned arena is aligned inwards */
    void *p[100];
    for (int i = 0; i < 100; i++) {
        p[i] = heap_alloc(&h, (size_t)i * 37u + 1u);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16u, 0);
        assert_true(heap_block_size(p[i]) >= (size_t)i * 37u + 1u);
        memset(p[i], i, (size_t)i * 37u + 1u);
    }
    for (int i = 0; i < 100; i++) /* no block overlaps another */
        for (size_t j = 0; j < (size_t)i * 37u + 1u; j++)
            assert_int_equal(((uint8_t *)p[i])[j], (uint8_t)i);
    size_t used = h.in_use;
    for (int i = 0; i < 100; i++)
        heap_free(&h, p[i]);
    assert_int_equal(h.in_use, 0);
    assert_int_equal(h.peak, used);
    /* The same sizes again come from the free lists: the break stays put. */
    uint8_t *brk = h.brk;
    for (int i = 0; i < 100; i++)
        assert_non_null(p[i] = heap_alloc(&h, (size_t)i * 37u + 1u));
    assert_ptr_equal(h.brk, brk);
    assert_int_equal(h.failures, 0);
}

static void test_alloc_limits(void **state)
{
    (void)state;
    struct heap h;
    heap_init(&h, arena, 4096);
    void *a = heap_alloc(&h, 2000); /* a 2 KiB class block */
    assert_non_null(a);
    assert_null(heap_alloc(&h, 4000)); /* does not fit what is left */
    assert_int_equal(h.failures, 1);
    assert_non_null(heap_alloc(&h, 100));
    assert_null(heap_alloc(&h, SIZE_MAX));
    assert_null(heap_calloc(&h, SIZE_MAX / 2, 4)); /* n * size overflows */
    assert_int_equal(h.failures, 3);
    heap_free(&h, NULL);
    heap_free(&h, a);
    heap_free(&h, a); /* a double free is refused, not a corrupt free list */
    assert_int_equal(h.failures, 4);
    heap_free(&h, arena + 600); /* not a block */
    assert_int_equal(h.failures, 5);
    void *b = heap_alloc(&h, 2000);
    assert_ptr_equal(b, a);
    assert_null(heap_alloc(&h, 2000)); /* the freed block came back once only */
}

static void test_calloc_zeroes(void **state)
{
    (void)state;
    struct heap h;
    heap_init(&h, arena, sizeof arena);
    uint8_t *a = heap_alloc(&h, 500);
    memset(a, 0xff, 500);
    heap_free(&h, a);
    uint8_t *b = heap_calloc(&h, 50, 10);
    assert_ptr_equal(b, a);
    for (int i = 0; i < 500; i++)
        assert_int_equal(b[i], 0);
}

static void test_arena(void **state)
{
    (void)state;
    const uint64_t M = 1u << 20;
    /* QEMU -m 256: low RAM, then RAM from 1 MiB to 256 MiB; the image at
     * 1-29 MiB, the module just below the top. */
    struct mem_range ram[] = {{0, 0x9fc00}, {M, 256 * M}};
    struct mem_range resv[] = {{M, 29 * M}, {250 * M + 4096, 251 * M}};
    struct mem_range out;
    assert_int_equal(mem_pick_arena(ram, 2, resv, 2, M, 1ull << 32, &out), 0);
    assert_int_equal(out.start, 29 * M);
    assert_int_equal(out.end, 250 * M + 4096);
    /* The module moved low: the piece above it wins. */
    struct mem_range resv2[] = {{M, 29 * M}, {30 * M + 100, 31 * M - 7}};
    assert_int_equal(mem_pick_arena(ram, 2, resv2, 2, M, 1ull << 32, &out), 0);
    assert_int_equal(out.start, 31 * M); /* page-aligned inwards */
    assert_int_equal(out.end, 256 * M);
    /* Clipped at the mapped limit; RAM above it is ignored. */
    struct mem_range big[] = {{M, 3 * 1024 * M}, {4096 * M, 8192 * M}};
    assert_int_equal(mem_pick_arena(big, 2, resv, 1, M, 1ull << 32, &out), 0);
    assert_int_equal(out.start, 29 * M);
    assert_int_equal(out.end, 3 * 1024 * M);
    /* Nothing left. */
    struct mem_range all[] = {{0, 512 * M}};
    assert_int_equal(mem_pick_arena(ram, 2, all, 1, M, 1ull << 32, &out), -1);
    assert_int_equal(mem_pick_arena(ram, 0, NULL, 0, M, 1ull << 32, &out), -1);
}

static void test_pages(void **state)
{
    (void)state;
    struct heap h;
    heap_init(&h, arena + 100, 64 * 4096); /* an end that is not page-aligned */
    void *small = heap_alloc(&h, 100);
    assert_non_null(small);
    uint8_t *pg[80];
    int n = 0;
    while (n < 80 && (pg[n] = heap_page_alloc(&h)) != NULL) {
        assert_int_equal((uintptr_t)pg[n] & 4095u, 0);
        assert_true(pg[n] >= (uint8_t *)small + 100 - 16);
        for (int i = 0; i < n; i++)
            assert_ptr_not_equal(pg[i], pg[n]);
        memset(pg[n], 0xab, 4096);
        n++;
    }
    assert_true(n >= 60 && n < 64); /* the arena's pages minus the one the small block sits in */
    assert_null(heap_alloc(&h, 4096)); /* pages and blocks share the arena */
    size_t before = h.in_use;
    heap_page_free(&h, pg[3]);
    assert_int_equal(h.in_use, before - 4096);
    uint8_t *again = heap_page_alloc(&h);
    assert_ptr_equal(again, pg[3]);
    for (int i = 0; i < 4096; i++)
        assert_int_equal(again[i], 0);
    size_t fails = h.failures;
    heap_page_free(&h, pg[4] + 16); /* not a page */
    heap_page_free(&h, small);      /* a block, not a page */
    assert_int_equal(h.failures, fails + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_basics),
        cmocka_unit_test(test_alloc_limits),
        cmocka_unit_test(test_calloc_zeroes),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
