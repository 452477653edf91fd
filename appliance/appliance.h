/* SPDX-License-Identifier: Apache-2.0 */
/* The platform-neutral appliance: owns a stack instance, the services, and
 * the event loop. */
#ifndef ATOLL_APPLIANCE_H
#define ATOLL_APPLIANCE_H

#include "appliance/config.h"
#include "appliance/platform.h"

/* Runs until the platform reports a stop. Returns a process exit code. */
int appliance_run(struct platform *p, const struct app_config *cfg);

#endif
