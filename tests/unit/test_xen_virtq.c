/* SPDX-License-Identifier: Apache-2.0 */
/* The PVH image's legacy virtqueue (xen/virtq.c) against a simulated
 * device working on the same memory: the legacy layout, buffers in and out
 * in order and out of order, a full ring, 16-bit index wrap-around, the
 * device's notification suppression, and a broken device (ids it was never
 * given, twice the same id, a used index running ahead). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xen/virtq.h"

#include "xen/virtq.c"

/* The device's side: what it has taken from the available ring. */
struct dev {
    struct virtq *q;
    uint16_t last_avail;
    uint16_t held[1024];
    size_t nheld;
};

static int dev_take(struct dev *d)
{
    int n = 0;
    while (d->last_avail != d->q->avail->idx) {
        d->held[d->nheld++] = d->q->avail->ring[d->last_avail % d->q->size];
        d->last_avail++;
        n++;
    }
    return n;
}

/* Returns held buffer i (by position) with len written. */
static void dev_return(struct dev *d, size_t i, uint32_t len)
{
    volatile struct virtq_used *u = d->q->used;
    u->ring[u->idx % d->q->size] = (struct virtq_used_elem){d->held[i], len};
    u->idx++;
    memmove(&d->held[i], &d->held[i + 1], (d->nheld - i - 1) * sizeof d->held[0]);
    d->nheld--;
}

static void *ring_mem(uint16_t size)
{
    void *m = aligned_alloc(VIRTQ_ALIGN, virtq_bytes(size));
    assert_non_null(m);
    return m;
}

static void test_layout(void **state)
{
    (void)state;
    assert_int_equal(virtq_bytes(256), 12288); /* desc 4096 + avail 518 -> used at 8192, 2054 -> 4096 */
    assert_int_equal(virtq_bytes(1024), 16384 + 4096 + 8192 + 4096);
    assert_int_equal(virtq_bytes(0), 0);
    assert_int_equal(virtq_bytes(3), 0);
    assert_int_equal(virtq_bytes(65535), 0);
    struct virtq q;
    uint8_t *m = ring_mem(256);
    assert_int_equal(virtq_init(&q, m + 16, 256), -1); /* misaligned */
    assert_int_equal(virtq_init(&q, m, 256), 0);
    assert_ptr_equal((void *)q.desc, m);
    assert_ptr_equal((void *)q.avail, m + 4096);
    assert_ptr_equal((void *)q.used, m + 8192);
    assert_int_equal(q.nfree, 256);
    free(m);
}

static void test_full_and_back(void **state)
{
    (void)state;
    struct virtq q;
    uint8_t *m = ring_mem(8);
    assert_int_equal(virtq_init(&q, m, 8), 0);
    struct dev d = {.q = &q};
    uint16_t id, seen = 0;
    for (int i = 0; i < 8; i++) {
        assert_int_equal(virtq_add(&q, 0x1000u * (unsigned)i, 100u + (unsigned)i, VIRTQ_DESC_F_WRITE, &id), 0);
        assert_true(id < 8);
        assert_false(seen & (1u << id)); /* eight distinct descriptors */
        seen |= (uint16_t)(1u << id);
        assert_int_equal(q.desc[id].addr, 0x1000u * (unsigned)i);
        assert_int_equal(q.desc[id].len, 100u + (unsigned)i);
        assert_int_equal(q.desc[id].flags, VIRTQ_DESC_F_WRITE);
    }
    assert_int_equal(virtq_add(&q, 0, 1, 0, &id), -1); /* full */
    assert_int_equal(q.avail->idx, 8);
    assert_false(virtq_pending(&q));
    uint32_t len;
    assert_int_equal(virtq_get(&q, &id, &len), 0);
    assert_int_equal(dev_take(&d), 8);
    /* Out of order: the fifth, then the first. */
    uint16_t fifth = d.held[4], first = d.held[0];
    dev_return(&d, 4, 77);
    dev_return(&d, 0, 66);
    assert_true(virtq_pending(&q));
    assert_int_equal(virtq_get(&q, &id, &len), 1);
    assert_int_equal(id, fifth);
    assert_int_equal(len, 77);
    assert_int_equal(virtq_get(&q, &id, &len), 1);
    assert_int_equal(id, first);
    assert_int_equal(len, 66);
    assert_int_equal(virtq_get(&q, &id, &len), 0);
    assert_int_equal(q.nfree, 2);
    /* The freed descriptors are handed out again, the last freed first. */
    assert_int_equal(virtq_add(&q, 0, 1, 0, &id), 0);
    assert_int_equal(id, first);
    assert_int_equal(virtq_add(&q, 0, 1, 0, &id), 0);
    assert_int_equal(id, fifth);
    assert_int_equal(virtq_add(&q, 0, 1, 0, &id), -1);
    free(m);
}

static void test_wraparound(void **state)
{
    (void)state;
    struct virtq q;
    uint8_t *m = ring_mem(4);
    assert_int_equal(virtq_init(&q, m, 4), 0);
    struct dev d = {.q = &q};
    /* 70000 buffers through a ring of 4: both 16-bit indexes wrap. */
    for (uint32_t i = 0; i < 70000; i++) {
        uint16_t id;
        uint32_t len;
        assert_int_equal(virtq_add(&q, i, i & 0xfff, 0, &id), 0);
        if (q.nfree == 0 || i % 3 == 0) {
            dev_take(&d);
            while (d.nheld)
                dev_return(&d, d.nheld - 1, 5);
            while (virtq_get(&q, &id, &len) == 1)
                assert_int_equal(len, 5);
        }
    }
    assert_int_equal(q.avail_idx, (uint16_t)70000);
    assert_true(q.nfree >= 3);
    free(m);
}

static void test_notify_suppression(void **state)
{
    (void)state;
    struct virtq q;
    uint8_t *m = ring_mem(4);
    assert_int_equal(virtq_init(&q, m, 4), 0);
    assert_true(virtq_should_notify(&q));
    q.used->flags = VIRTQ_USED_F_NO_NOTIFY;
    assert_false(virtq_should_notify(&q));
    free(m);
}

static void test_broken_device(void **state)
{
    (void)state;
    struct virtq q;
    uint16_t id;
    uint32_t len;
    uint8_t *m = ring_mem(8);
    /* An id out of range. */
    assert_int_equal(virtq_init(&q, m, 8), 0);
    assert_int_equal(virtq_add(&q, 0, 1, 0, &id), 0);
    q.used->ring[0] = (struct virtq_used_elem){9, 1};
    q.used->idx = 1;
    assert_int_equal(virtq_get(&q, &id, &len), -1);
    /* An id it was never given (descriptor 3 is still ours). */
    assert_int_equal(virtq_init(&q, m, 8), 0);
    assert_int_equal(virtq_add(&q, 0, 1, 0, &id), 0);
    q.used->ring[0] = (struct virtq_used_elem){3, 1};
    q.used->idx = 1;
    assert_int_equal(virtq_get(&q, &id, &len), -1);
    /* The same id twice. */
    assert_int_equal(virtq_init(&q, m, 8), 0);
    assert_int_equal(virtq_add(&q, 0, 1, 0, &id), 0);
    assert_int_equal(virtq_add(&q, 0, 1, 0, &id), 0);
    q.used->ring[0] = (struct virtq_used_elem){0, 1};
    q.used->ring[1] = (struct virtq_used_elem){0, 1};
    q.used->idx = 2;
    assert_int_equal(virtq_get(&q, &id, &len), 1);
    assert_int_equal(virtq_get(&q, &id, &len), -1);
    /* More used entries than buffers outstanding. */
    assert_int_equal(virtq_init(&q, m, 8), 0);
    assert_int_equal(virtq_add(&q, 0, 1, 0, &id), 0);
    q.used->idx = 5;
    assert_int_equal(virtq_get(&q, &id, &len), -1);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_full_and_back),
        cmocka_unit_test(test_wraparound),
        cmocka_unit_test(test_notify_suppression),
        cmocka_unit_test(test_broken_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
