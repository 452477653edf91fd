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

/* The transmit offloads of the tap for app_config.offload: NULL when the
 * kernel takes no virtio-net header, or when faults are injected (the
 * injector must see the frames as they go on the wire: call this after
 * plat_tap_faults). */
const struct plat_offload *plat_tap_offload(struct platform *p);

/* Frames through the device, for the exit line: all written, those the
 * kernel checksummed, those it cut (super-segments); read and passed on,
 * read and refused (a super-frame, or one too big). */
struct plat_tap_stats {
    uint64_t tx_frames, tx_csum, tx_tso;
    uint64_t rx_frames, rx_dropped;
};
const struct plat_tap_stats *plat_tap_stats(const struct platform *p);

/* What the injector did in each direction; NULL when it is off. */
const struct fault_dir *plat_tap_fault_counts(const struct platform *p, int tx);

#endif
