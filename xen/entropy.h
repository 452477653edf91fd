/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ATOLL_XEN_ENTROPY_H
#define ATOLL_XEN_ENTROPY_H

#include <stddef.h>

/* Probes the CPU: 1 when RDSEED or RDRAND is there, 0 when only the weak
 * TSC-jitter fallback is. */
int entropy_init(void);
const char *entropy_source(void);
int entropy_fill(void *buf, size_t len);

#endif
