/* SPDX-License-Identifier: Apache-2.0 */
/* The --fault key: which link faults to inject, as a boot setting. The
 * configuration parses it; only a platform acts on it (the tap wraps its
 * frame functions in appliance/tap/fault.h's injector), so the loop knows
 * nothing of faults. */
#ifndef ATOLL_FAULT_SPEC_H
#define ATOLL_FAULT_SPEC_H

#include <stddef.h>
#include <stdint.h>

struct fault_spec {
    uint32_t drop, dup, reorder, corrupt; /* in millionths */
};

/* Percentages by name, e.g. "drop=2,dup=1,reorder=1,corrupt=0.5". 0 on
 * success, else -1 with the reason in err. */
int fault_spec_from_string(const char *s, struct fault_spec *out, char *err, size_t errlen);
int fault_active(const struct fault_spec *f);

#endif
