/* SPDX-License-Identifier: Apache-2.0 */
/* Event channels (2-level ABI) over the shared info page. The hypercall
 * wrappers live in evtchn.c; the drivers (xenstore, console ring,
 * netfront) call only this interface, which the unit tests' simulated
 * backends implement on the host. */
#ifndef ATOLL_XEN_EVTCHN_H
#define ATOLL_XEN_EVTCHN_H

#include <stdint.h>

typedef uint32_t evtchn_port_t;

/* A fresh port that remote_domid may bind to. 0 with *port, or a negative
 * Xen errno (-28 ENOSPC when the domain has no free port). */
int evtchn_alloc_unbound(uint16_t remote_domid, evtchn_port_t *port);
/* Signals the other end. 0, or a negative Xen errno. */
int evtchn_notify(evtchn_port_t port);
/* 1 when the port was pending (and clears the bit), else 0. */
int evtchn_test_and_clear(evtchn_port_t port);
/* Closes a port we allocated (backend gone, device torn down). */
void evtchn_close(evtchn_port_t port);

/* The drivers' clock and sleep, provided by the platform (platform_xen.c)
 * and by the simulated backends in tests. xen_wait returns when an event
 * may be pending on port or at deadline_ms (plat_now_ms's clock), whichever
 * comes first; spurious returns are allowed, so callers re-check. */
uint64_t xen_now_ms(void);
void xen_wait(evtchn_port_t port, uint64_t deadline_ms);

#endif
