/* SPDX-License-Identifier: Apache-2.0 */
/* The xenstore client: one request at a time over the shared ring page
 * (HVM_PARAM_STORE_PFN) and its event channel. Replies are matched by
 * request id; watch events that arrive in between are queued (bounded) for
 * xs_watch_event. Every call is bounded by XS_TIMEOUT_MS: a xenstore that
 * never answers is an error, not a hang. */
#ifndef ATOLL_XEN_XENSTORE_H
#define ATOLL_XEN_XENSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "xen/evtchn.h"

#define XS_TIMEOUT_MS 5000u

/* Errors: negative values. The ones xenstored names (its "ENOENT"...
 * strings) map to these; XS_EPROTO is a malformed or unexpected reply. */
enum {
    XS_ENOENT = -2,
    XS_EIO = -5,
    XS_EAGAIN = -11,
    XS_ENOMEM = -12,
    XS_EACCES = -13,
    XS_EEXIST = -17,
    XS_EINVAL = -22,
    XS_ENOSPC = -28,
    XS_EPROTO = -71,
    XS_E2BIG = -7,      /* the value does not fit the caller's buffer */
    XS_ETIMEDOUT = -110,
    XS_EOTHER = -1000,  /* an error string we do not know */
};

/* Transaction 0: no transaction. */
typedef uint32_t xs_tx_t;

/* ring: the 4 KiB xenstore page; port: its event channel. */
void xs_init(void *ring, evtchn_port_t port);
/* The value's length (without the NUL it writes), or an error. */
int xs_read(xs_tx_t tx, const char *path, char *val, size_t cap);
int xs_write(xs_tx_t tx, const char *path, const char *val);
int xs_rm(xs_tx_t tx, const char *path);
int xs_tx_start(xs_tx_t *tx);
/* commit=0 aborts. XS_EAGAIN: another writer interfered, start again. */
int xs_tx_end(xs_tx_t tx, int commit);
int xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
/* 1 with the path of the oldest queued watch event for token (events for
 * other tokens stay queued for their watchers), 0 when none is queued;
 * never blocks (it takes the events the ring holds). Events beyond the
 * queue's bound are dropped and counted (xs_watch_events_lost): a watcher
 * must re-read the paths it cares about anyway. */
int xs_watch_event(const char *token, char *path, size_t path_cap);
uint64_t xs_watch_events_lost(void);
/* A short name for an error ("ENOENT", "timed out" ...). */
const char *xs_strerror(int err);

#endif
