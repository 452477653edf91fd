/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ATOLL_XEN_PLATFORM_IMAGE_H
#define ATOLL_XEN_PLATFORM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "appliance/platform.h"

/* The platform over the devices xen_main started: netfront, the PV clock
 * and console ring on Xen (on_xen), else virtio-net, the TSC and COM1.
 * site may be NULL. */
struct platform *plat_image_open(int on_xen, const uint8_t *site, size_t site_len);

#endif
