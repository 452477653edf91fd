/* SPDX-License-Identifier: Apache-2.0 */
/* Linux tap platform: setup and teardown beyond the platform interface. */
#ifndef ATOLL_PLATFORM_TAP_H
#define ATOLL_PLATFORM_TAP_H

#include <stddef.h>

#include "appliance/platform.h"
#include "appliance/tap/fault.h"

/* Creates or attaches the tap device `name` and brings its link up.
 * NULL with a message in err on failure. */
struct platform *plat_tap_open(const char *name, char *err, size_t errlen);
void plat_tap_close(struct platform *p);

/* Maps the site image file read-only for plat_site_image() and checks it
 * (format, digest) before any interface is touched. 0, or -1 with a
 * message naming the file and the reason in err. */
int plat_tap_map_site(const char *path, char *err, size_t errlen);

/* Passes every frame sent and received through the fault injector from
 * now on (tests on a real link: --fault). Reordering holds a frame back
 * until the next one, or until the loop waits. */
void plat_tap_faults(struct platform *p, const struct fault_spec *spec, uint64_t seed_tx, uint64_t seed_rx);

/* What the injector did in each direction; NULL when it is off. */
const struct fault_dir *plat_tap_fault_counts(const struct platform *p, int tx);

#endif
