/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ATOLL_XEN_PLATFORM_QEMU_H
#define ATOLL_XEN_PLATFORM_QEMU_H

#include <stddef.h>
#include <stdint.h>

#include "appliance/platform.h"

/* The platform over the devices xen_main started; site may be NULL. */
struct platform *plat_qemu_open(const uint8_t *site, size_t site_len);

#endif
