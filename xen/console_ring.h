/* SPDX-License-Identifier: Apache-2.0 */
/* The PV console: the output half of the console ring page
 * (HVM_PARAM_CONSOLE_PFN) that xenconsoled drains. A full ring makes the
 * writer wait for the daemon (bounded), so fast logging loses no line;
 * cons_ring_flush waits until the daemon has taken everything (before
 * shutdown). */
#ifndef ATOLL_XEN_CONSOLE_RING_H
#define ATOLL_XEN_CONSOLE_RING_H

#include <stddef.h>
#include <stdint.h>

#include "xen/evtchn.h"

void cons_ring_init(void *ring, evtchn_port_t port);
/* Bytes written; fewer than len only when the daemon took nothing for
 * CONS_RING_STALL_MS (then the rest is dropped and counted). */
size_t cons_ring_write(const char *s, size_t len);
/* 0 once the daemon has consumed everything, -1 at the deadline. */
int cons_ring_flush(uint64_t deadline_ms);
uint64_t cons_ring_dropped(void);

#define CONS_RING_STALL_MS 2000u

#endif
