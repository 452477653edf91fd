/* SPDX-License-Identifier: Apache-2.0 */
/* Setting up event delivery on Xen: the shared info page, the callback
 * vector that wakes a blocked vCPU, the timer VIRQ that ends a wait at its
 * deadline, and the PV clock read from the shared info. */
#ifndef ATOLL_XEN_XEN_EVENT_H
#define ATOLL_XEN_XEN_EVENT_H

#include <stdint.h>

#include "xen/xen_abi.h"

/* The IDT vector Xen raises for events (trap_entry.S: irq_xen_event). */
#define XEN_EVENT_VECTOR 0xf3

/* Maps the shared info, masks nothing, binds VIRQ_TIMER and asks for the
 * callback vector. 0, or -1 with a reason in err. */
int xen_event_init(char *err, unsigned long errlen);
extern volatile struct shared_info *xen_shared;
/* Our page holding the shared info (the vector's handler clears its first
 * byte, vcpu_info[0].evtchn_upcall_pending). */
extern uint8_t xen_shared_page[4096];

uint64_t xen_now_ns(void);
int64_t xen_unix_s(void);
/* How many times xen_wait blocked the vCPU (the stop line). */
uint64_t xen_wakeups(void);

/* HVM parameters the toolstack set (store/console pfn and port). */
int xen_hvm_param(uint32_t index, uint64_t *value);

#endif
