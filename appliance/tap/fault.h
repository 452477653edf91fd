/* SPDX-License-Identifier: Apache-2.0 */
/* A fault injector for testing on a real link (the tap): drops, duplicates,
 * reorders and corrupts frames in both directions, with the probabilities
 * of a fault_spec. The tap platform passes its frames through it. */
#ifndef ATOLL_FAULT_H
#define ATOLL_FAULT_H

#include <stddef.h>
#include <stdint.h>

#include "appliance/fault_spec.h"

typedef void (*fault_deliver_fn)(void *ctx, const uint8_t *frame, size_t len);

struct fault_dir {
    struct fault_spec spec;
    uint64_t rng;
    int held;          /* a frame kept back to be delivered after the next */
    size_t held_len;
    uint8_t held_frame[2048];
    uint8_t scratch[2048];
    uint64_t dropped, duplicated, reordered, corrupted;
};

void fault_dir_init(struct fault_dir *d, const struct fault_spec *spec, uint64_t seed);
/* Passes one frame through the faults, delivering zero to three frames
 * (the frame, its duplicate, one held back before). */
void fault_apply(struct fault_dir *d, const uint8_t *frame, size_t len, fault_deliver_fn fn, void *ctx);
/* Delivers a frame still held back for reordering. */
void fault_flush(struct fault_dir *d, fault_deliver_fn fn, void *ctx);

#endif
