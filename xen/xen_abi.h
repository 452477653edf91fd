/* SPDX-License-Identifier: Apache-2.0 */
/* The parts of Xen's guest ABI (x86-64) the image uses, written from Xen's
 * public interface documentation: hypercall and sub-operation numbers, the
 * shared info page, and the argument structures. Layouts are checked. */
#ifndef ATOLL_XEN_XEN_ABI_H
#define ATOLL_XEN_XEN_ABI_H

#include <stdint.h>

#define DOMID_SELF 0x7ff0u

/* Hypercalls: entry n sits at byte 32*n of the hypercall page. */
#define HC_memory_op        12
#define HC_set_timer_op     15
#define HC_xen_version      17
#define HC_console_io       18
#define HC_grant_table_op   20
#define HC_sched_op         29
#define HC_event_channel_op 32
#define HC_hvm_op           34

#define SCHEDOP_yield    0
#define SCHEDOP_block    1
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_crash    3

#define CONSOLEIO_write 0

#define XENMEM_add_to_physmap 7
#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1

#define GNTTABOP_query_size 6

#define EVTCHNOP_bind_virq     1
#define EVTCHNOP_close         3
#define EVTCHNOP_send          4
#define EVTCHNOP_alloc_unbound 6
#define VIRQ_TIMER 0

#define HVMOP_set_param 0
#define HVMOP_get_param 1
#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_PARAM_STORE_PFN    1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_CONSOLE_PFN    17
#define HVM_PARAM_CONSOLE_EVTCHN 18
/* CALLBACK_IRQ value: bits 63:56 the type (2: an IDT vector), 7:0 the vector. */
#define HVM_CALLBACK_VECTOR(v) ((2ull << 56) | (uint64_t)(v))

#define XENVER_version 0

struct vcpu_time_info {
    uint32_t version; /* odd while Xen updates the record */
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time; /* ns since the domain's boot at tsc_timestamp */
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
};

struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t pad[6];
    uint64_t evtchn_pending_sel;
    uint64_t arch_cr2, arch_pad;
    struct vcpu_time_info time;
};

struct shared_info {
    struct vcpu_info vcpu_info[32];
    uint64_t evtchn_pending[64];
    uint64_t evtchn_mask[64];
    uint32_t wc_version; /* odd while Xen updates the wall clock */
    uint32_t wc_sec;     /* wall time at system time 0 */
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    /* arch_shared_info follows; unused */
};

struct xen_add_to_physmap {
    uint16_t domid;
    uint16_t size;
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
};

struct gnttab_query_size {
    uint16_t dom;
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t status;
};

struct evtchn_alloc_unbound {
    uint16_t dom, remote_dom;
    uint32_t port;
};

struct evtchn_bind_virq {
    uint32_t virq, vcpu, port;
};

struct xen_hvm_param {
    uint16_t domid;
    uint32_t index;
    uint64_t value;
};

struct sched_shutdown {
    uint32_t reason;
};

_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info layout");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info layout");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_pending) == 2048, "shared_info layout");
_Static_assert(__builtin_offsetof(struct shared_info, wc_version) == 3072, "shared_info layout");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap layout");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size layout");
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound layout");
_Static_assert(sizeof(struct xen_hvm_param) == 16, "hvm_param layout");

#endif
