/* SPDX-License-Identifier: Apache-2.0 */
/* The Xen network frontend, written from Xen's public io/netif.h, io/ring.h
 * and the Xenbus state protocol (xen/include/public/io/xenbus.h). One queue,
 * one event channel, rx by copy, no scatter-gather, no offloads. */
#include "xen/netfront.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/mac.h"
#include "xen/gnttab.h"
#include "xen/xenstore.h"

#define PAGE 4096u

/* The shared ring page: four free-running 32-bit indices, padding to 64
 * bytes, then the entries. */
struct sring_hdr {
    uint32_t req_prod, req_event;
    uint32_t rsp_prod, rsp_event;
    uint8_t pvt[4];
    uint8_t pad[44];
};
_Static_assert(sizeof(struct sring_hdr) == 64, "shared ring header is 64 bytes");

struct netif_tx_request {
    uint32_t gref;
    uint16_t offset;
    uint16_t flags;
    uint16_t id;
    uint16_t size;
};
struct netif_tx_response {
    uint16_t id;
    int16_t status;
};
struct netif_rx_request {
    uint16_t id;
    uint16_t pad;
    uint32_t gref;
};
struct netif_rx_response {
    uint16_t id;
    uint16_t offset;
    uint16_t flags;
    int16_t status;
};
union tx_entry {
    struct netif_tx_request req;
    struct netif_tx_response rsp;
};
union rx_entry {
    struct netif_rx_request req;
    struct netif_rx_response rsp;
};
_Static_assert(sizeof(struct netif_tx_request) == 12, "netif_tx_request layout");
_Static_assert(sizeof(struct netif_tx_response) == 4, "netif_tx_response layout");
_Static_assert(sizeof(struct netif_rx_request) == 8, "netif_rx_request layout");
_Static_assert(sizeof(struct netif_rx_response) == 8, "netif_rx_response layout");
_Static_assert(offsetof(struct netif_tx_request, size) == 10, "netif_tx_request size field");
_Static_assert(offsetof(struct netif_rx_request, gref) == 4, "netif_rx_request gref field");
_Static_assert(offsetof(struct netif_rx_response, status) == 6, "netif_rx_response status field");
_Static_assert(sizeof(union tx_entry) == 12 && sizeof(union rx_entry) == 8, "ring entry sizes");

/* ring.h's size: the largest power of two that fits the page after the
 * header; 256 for both entry sizes. */
#define NF_RING 256u
#define RING_FITS(e) ((PAGE - sizeof(struct sring_hdr)) / sizeof(e))
_Static_assert(NF_RING <= RING_FITS(union tx_entry) && 2 * NF_RING > RING_FITS(union tx_entry), "tx ring size");
_Static_assert(NF_RING <= RING_FITS(union rx_entry) && 2 * NF_RING > RING_FITS(union rx_entry), "rx ring size");

struct tx_sring {
    struct sring_hdr h;
    union tx_entry ring[NF_RING];
};
struct rx_sring {
    struct sring_hdr h;
    union rx_entry ring[NF_RING];
};
_Static_assert(sizeof(struct tx_sring) <= PAGE && sizeof(struct rx_sring) <= PAGE, "rings fit a page");

#define NETTXF_more_data (1u << 2)
#define NETRXF_more_data (1u << 2)
#define NETRXF_extra_info (1u << 3)
#define XEN_NETIF_EXTRA_FLAG_MORE 1u
#define NETIF_RSP_NULL 1

/* Xenbus states (io/xenbus.h). */
enum {
    XB_UNKNOWN = 0,
    XB_INITIALISING = 1,
    XB_INITWAIT = 2,
    XB_INITIALISED = 3,
    XB_CONNECTED = 4,
    XB_CLOSING = 5,
    XB_CLOSED = 6,
};

#define ETH_HLEN 14u
#define CONNECT_MS 10000u
#define TX_RETRIES 8
/* A backend-state read when no watch event came, against events another
 * reader of the shared watch queue took. */
#define RECHECK_MS 1000u
/* Pages whose grant the backend still maps: a connection's worth, a few
 * times over. */
#define ZOMBIES (4u * (2u * NF_RING + 2u))

/* The shared fields are read and written by the other domain. */
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)

struct buf {
    void *page;
    grant_ref_t ref;
    int granted;
};

struct zombie {
    void *page;
    grant_ref_t ref;
};

enum phase { DOWN, CONNECTING, UP };

/* netback attaches its rings with indices at 0 (BACK_RING_INIT); the unit
 * test starts them just below 2^32 to cross the wrap. */
static uint32_t nf_ring_start;

static struct {
    int inited;
    char front[32];
    char back[160];
    char token[32];
    int watching;
    uint16_t backend_id;
    uint8_t mac[6];
    enum phase phase;
    int our_state; /* what we last wrote, 0 before the first write */
    int have_port;
    evtchn_port_t port;
    volatile struct tx_sring *txs;
    volatile struct rx_sring *rxs;
    grant_ref_t tx_ring_ref, rx_ring_ref;
    int tx_ring_granted, rx_ring_granted;
    uint32_t tx_prod, tx_cons, rx_prod, rx_cons;
    struct buf txb[NF_RING], rxb[NF_RING];
    uint16_t tx_free[NF_RING];
    unsigned tx_nfree;
    uint8_t tx_busy[NF_RING];
    int rx_skip_extra, rx_skip_more;
    uint64_t next_check_ms;
    uint64_t lost_seen;
    int last_be;
    struct netfront_stats st;
} nf;

/* Outlive a re-init: a backend may map them still. */
static struct zombie zomb[ZOMBIES];
static unsigned nzomb;

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Strict: what netback and the toolstack write, nothing around it. */
static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > max)
            return -1;
    }
    *out = v;
    return 0;
}

/* The backend's state, or XB_UNKNOWN when its key is gone or unreadable. */
static int backend_state(void)
{
    char path[192], val[16];
    unsigned long v;
    snprintf(path, sizeof path, "%s/state", nf.back);
    if (xs_read(0, path, val, sizeof val) < 0 || parse_uint(val, 255, &v) != 0)
        return XB_UNKNOWN;
    return (int)v;
}

static int write_state(xs_tx_t tx, int state)
{
    char path[64], val[4];
    snprintf(path, sizeof path, "%s/state", nf.front);
    snprintf(val, sizeof val, "%d", state);
    int rc = xs_write(tx, path, val);
    if (rc >= 0 && tx == 0)
        nf.our_state = state;
    return rc;
}

/* Once written, say only changes: each write wakes the backend's watch. */
static void set_state(int state)
{
    if (nf.our_state != state)
        write_state(0, state);
}

static void zombie_add(void *page, grant_ref_t ref)
{
    if (nzomb < ZOMBIES)
        zomb[nzomb++] = (struct zombie){page, ref};
    /* else the page is never freed nor reused: lost, but safe. */
}

static void zombies_reap(void)
{
    for (unsigned i = 0; i < nzomb;) {
        if (gnttab_end(zomb[i].ref) == 0) {
            xen_page_free(zomb[i].page);
            zomb[i] = zomb[--nzomb];
        } else {
            i++;
        }
    }
}

/* A buffer's page stays ours for the next connection once its grant is
 * revoked; one the backend still maps is set aside until it lets go. */
static void buf_release(struct buf *b)
{
    if (!b->granted)
        return;
    b->granted = 0;
    if (gnttab_end(b->ref) != 0) {
        zombie_add(b->page, b->ref);
        b->page = NULL;
    }
}

static void ring_release(volatile void *ring, grant_ref_t ref, int *granted)
{
    void *page = (void *)(uintptr_t)ring;
    if (page && *granted && gnttab_end(ref) != 0)
        zombie_add(page, ref);
    else if (page)
        xen_page_free(page);
    *granted = 0;
}

/* Ends the connection's rings, grants and port. */
static void disconnect(void)
{
    if (nf.phase == UP)
        nf.st.backend_lost++;
    nf.phase = DOWN;
    if (nf.have_port)
        evtchn_close(nf.port);
    nf.have_port = 0;
    ring_release(nf.txs, nf.tx_ring_ref, &nf.tx_ring_granted);
    ring_release(nf.rxs, nf.rx_ring_ref, &nf.rx_ring_granted);
    nf.txs = NULL;
    nf.rxs = NULL;
    for (unsigned i = 0; i < NF_RING; i++) {
        buf_release(&nf.txb[i]);
        buf_release(&nf.rxb[i]);
    }
}

static int grant_page(volatile void *page, int readonly, grant_ref_t *ref)
{
    return gnttab_grant(nf.backend_id, xen_gfn((const void *)(uintptr_t)page), readonly, ref);
}

static int buf_setup(struct buf *b, int readonly)
{
    if (!b->page && !(b->page = xen_page_alloc()))
        return -1;
    if (grant_page(b->page, readonly, &b->ref) != 0)
        return -1;
    b->granted = 1;
    return 0;
}

static int publish(char *err, size_t errlen)
{
    char path[64], val[16];
    const char *key = "";
    int rc = XS_EAGAIN;
    for (int attempt = 0; attempt < TX_RETRIES && rc == XS_EAGAIN; attempt++) {
        xs_tx_t tx;
        key = "(transaction start)";
        if ((rc = xs_tx_start(&tx)) < 0)
            continue;
        struct {
            const char *key;
            unsigned long val;
        } kv[] = {
            {"tx-ring-ref", nf.tx_ring_ref},
            {"rx-ring-ref", nf.rx_ring_ref},
            {"event-channel", nf.port},
            {"request-rx-copy", 1},
            {"feature-rx-notify", 1},
            /* We never take a frame with a blank checksum (NETRXF_csum_blank):
             * the stack checks every checksum it receives. */
            {"feature-no-csum-offload", 1},
        };
        for (size_t i = 0; i < sizeof kv / sizeof kv[0] && rc >= 0; i++) {
            key = kv[i].key;
            snprintf(path, sizeof path, "%s/%s", nf.front, kv[i].key);
            snprintf(val, sizeof val, "%lu", kv[i].val);
            rc = xs_write(tx, path, val);
        }
        if (rc >= 0) {
            /* Connected with the keys, as Linux's netfront does: netback
             * (Linux 6.1) connects on a frontend that says Connected and
             * waits for ever on one that says only Initialised. */
            key = "state";
            rc = write_state(tx, XB_CONNECTED);
        }
        if (rc < 0) {
            xs_tx_end(tx, 0);
            continue;
        }
        key = "(transaction commit)";
        rc = xs_tx_end(tx, 1);
    }
    if (rc < 0) {
        char what[96];
        snprintf(what, sizeof what, "%s/%s", nf.front, key);
        if (rc == XS_EAGAIN)
            set_err(err, errlen, "netfront: writing %s: %s after %d tries", what, xs_strerror(rc), TX_RETRIES);
        else
            set_err(err, errlen, "netfront: writing %s: %s", what, xs_strerror(rc));
        return -1;
    }
    nf.our_state = XB_CONNECTED;
    return 0;
}

/* Backend in InitWait: fresh rings and port, every buffer granted, the rx
 * ring full, the keys published. */
static int connect_rings(char *err, size_t errlen)
{
    char path[192], val[16];
    snprintf(path, sizeof path, "%s/feature-rx-copy", nf.back);
    int rc = xs_read(0, path, val, sizeof val);
    if (rc < 0) {
        set_err(err, errlen, "netfront: %s: %s (the backend must offer rx-copy)", path, xs_strerror(rc));
        return -1;
    }
    if (strcmp(val, "1") != 0) {
        set_err(err, errlen, "netfront: %s is \"%s\": rx-copy is required", path, val);
        return -1;
    }
    const char *why = "out of pages or grant entries for the rings and buffers";
    if (!(nf.txs = xen_page_alloc()) || !(nf.rxs = xen_page_alloc()))
        goto fail;
    for (unsigned i = 0; i < NF_RING; i++)
        if (buf_setup(&nf.txb[i], 1) != 0 || buf_setup(&nf.rxb[i], 0) != 0)
            goto fail;
    if (grant_page(nf.txs, 0, &nf.tx_ring_ref) != 0)
        goto fail;
    nf.tx_ring_granted = 1;
    if (grant_page(nf.rxs, 0, &nf.rx_ring_ref) != 0)
        goto fail;
    nf.rx_ring_granted = 1;
    why = "no event channel for the backend";
    if ((rc = evtchn_alloc_unbound(nf.backend_id, &nf.port)) != 0)
        goto fail;
    nf.have_port = 1;

    uint32_t s = nf_ring_start;
    nf.txs->h.req_prod = nf.txs->h.rsp_prod = s;
    nf.txs->h.req_event = nf.txs->h.rsp_event = s + 1;
    nf.rxs->h.req_prod = nf.rxs->h.rsp_prod = s;
    nf.rxs->h.req_event = nf.rxs->h.rsp_event = s + 1;
    nf.tx_prod = nf.tx_cons = s;
    nf.rx_prod = nf.rx_cons = s;
    nf.tx_nfree = 0;
    for (unsigned i = NF_RING; i-- > 0;) {
        nf.tx_busy[i] = 0;
        nf.tx_free[nf.tx_nfree++] = (uint16_t)i;
    }
    nf.rx_skip_extra = nf.rx_skip_more = 0;
    /* Each rx buffer lives in the slot of its id: netback answers in the
     * slot of the request it took (io/netif.h). */
    for (unsigned i = 0; i < NF_RING; i++, nf.rx_prod++) {
        unsigned slot = nf.rx_prod & (NF_RING - 1);
        nf.rxs->ring[slot].req.id = (uint16_t)slot;
        nf.rxs->ring[slot].req.pad = 0;
        nf.rxs->ring[slot].req.gref = nf.rxb[slot].ref;
    }
    wmb();
    nf.rxs->h.req_prod = nf.rx_prod;

    if (publish(err, errlen) != 0) {
        disconnect();
        return -1;
    }
    nf.phase = CONNECTING;
    return 0;
fail:
    disconnect();
    set_err(err, errlen, "netfront: %s", why);
    return -1;
}

/* Follows the backend's state (io/xenbus.h's handshake, as netback runs
 * it: InitWait -> we publish and say Connected -> it says Connected; its
 * Closing/Closed -> we close, then Initialising asks it back to InitWait).
 * err is set when a connection attempt fails. */
static int follow_backend(char *err, size_t errlen)
{
    int be = nf.last_be = backend_state();
    nf.next_check_ms = xen_now_ms() + RECHECK_MS;
    switch (be) {
    case XB_INITWAIT:
        if (nf.phase == UP)
            disconnect();
        if (nf.phase == DOWN)
            return connect_rings(err, errlen);
        return 0;
    case XB_CONNECTED:
        if (nf.phase == CONNECTING) {
            set_state(XB_CONNECTED);
            if (nf.our_state == XB_CONNECTED)
                nf.phase = UP;
        } else if (nf.phase == DOWN) {
            /* Connected to a frontend before us: make it start over. */
            set_state(XB_CLOSED);
        }
        return 0;
    case XB_CLOSING:
        disconnect();
        set_state(XB_CLOSED);
        return 0;
    case XB_CLOSED:
        disconnect();
        set_state(XB_INITIALISING);
        return 0;
    default:
        /* Gone, or a state a backend does not take while we are connected.
         * Initialising: a backend that comes back must not take our old
         * keys for a new connection. */
        if (nf.phase == CONNECTING && be != XB_UNKNOWN)
            return 0;
        disconnect();
        set_state(XB_INITIALISING);
        return 0;
    }
}

/* Events for our token, or lost ones, or a long silence: re-read. */
static int backend_changed(void)
{
    char path[192];
    int changed = 0;
    for (int i = 0; i < 64 && xs_watch_event(nf.token, path, sizeof path) == 1; i++)
        changed = 1;
    uint64_t lost = xs_watch_events_lost();
    if (lost != nf.lost_seen) {
        nf.lost_seen = lost;
        changed = 1;
    }
    return changed || xen_now_ms() >= nf.next_check_ms;
}

static void push_notify(volatile struct sring_hdr *h, uint32_t prod)
{
    uint32_t old = h->req_prod;
    wmb();
    h->req_prod = prod;
    mb();
    /* Only when the backend asked (its req_event lies in (old, prod]). */
    if ((uint32_t)(prod - h->req_event) < (uint32_t)(prod - old))
        evtchn_notify(nf.port);
}

static void tx_reclaim(void)
{
    if (nf.phase != UP)
        return;
    for (int round = 0; round < 4; round++) {
        uint32_t prod = nf.txs->h.rsp_prod;
        rmb();
        if ((uint32_t)(prod - nf.tx_cons) > (uint32_t)(nf.tx_prod - nf.tx_cons)) {
            /* More responses than requests: the backend is broken. */
            nf.st.tx_errors++;
            disconnect();
            set_state(XB_CLOSED);
            return;
        }
        for (; nf.tx_cons != prod; nf.tx_cons++) {
            struct netif_tx_response r;
            r.id = nf.txs->ring[nf.tx_cons & (NF_RING - 1)].rsp.id;
            r.status = nf.txs->ring[nf.tx_cons & (NF_RING - 1)].rsp.status;
            if (r.status == NETIF_RSP_NULL)
                continue;
            if (r.id >= NF_RING || !nf.tx_busy[r.id]) {
                nf.st.tx_errors++;
                continue;
            }
            if (r.status < 0)
                nf.st.tx_errors++;
            nf.tx_busy[r.id] = 0;
            nf.tx_free[nf.tx_nfree++] = r.id;
        }
        nf.txs->h.rsp_event = nf.tx_cons + 1;
        mb();
        if (nf.txs->h.rsp_prod == nf.tx_cons)
            return;
    }
}

/* Takes the slot at rx_cons and puts its buffer back in the ring. */
static void rx_consume(void)
{
    unsigned slot = nf.rx_cons & (NF_RING - 1);
    nf.rx_cons++;
    volatile struct netif_rx_request *q = &nf.rxs->ring[nf.rx_prod & (NF_RING - 1)].req;
    q->id = (uint16_t)slot;
    q->pad = 0;
    q->gref = nf.rxb[slot].ref;
    nf.rx_prod++;
}

/* 1 when a good response waits at rx_cons, after dropping bad ones. */
static int rx_head(struct netif_rx_response *out)
{
    for (unsigned n = 0; n <= 2 * NF_RING; n++) {
        uint32_t prod = nf.rxs->h.rsp_prod;
        rmb();
        if (prod == nf.rx_cons) {
            nf.rxs->h.rsp_event = nf.rx_cons + 1;
            mb();
            if (nf.rxs->h.rsp_prod == nf.rx_cons)
                return 0;
            continue;
        }
        if ((uint32_t)(prod - nf.rx_cons) > NF_RING) {
            nf.st.rx_errors++;
            disconnect();
            set_state(XB_CLOSED);
            return 0;
        }
        unsigned slot = nf.rx_cons & (NF_RING - 1);
        volatile union rx_entry *e = &nf.rxs->ring[slot];
        struct netif_rx_response r = {e->rsp.id, e->rsp.offset, e->rsp.flags, e->rsp.status};
        if (nf.rx_skip_extra) {
            /* An extra-info slot: its flags byte follows the type byte. */
            if (!(((volatile uint8_t *)e)[1] & XEN_NETIF_EXTRA_FLAG_MORE))
                nf.rx_skip_extra = 0;
            rx_consume();
            continue;
        }
        if (nf.rx_skip_more) {
            nf.rx_skip_more = (r.flags & NETRXF_more_data) != 0;
            rx_consume();
            continue;
        }
        if (r.id != slot || r.status <= 0 || (uint32_t)r.offset + (uint32_t)r.status > PAGE ||
            (r.flags & (NETRXF_more_data | NETRXF_extra_info))) {
            /* Multi-slot frames were never negotiated: drop all their slots. */
            nf.st.rx_errors++;
            nf.st.rx_dropped++;
            nf.rx_skip_extra = (r.flags & NETRXF_extra_info) != 0;
            nf.rx_skip_more = (r.flags & NETRXF_more_data) != 0;
            rx_consume();
            continue;
        }
        *out = r;
        return 1;
    }
    return 0;
}

static void rx_push(void)
{
    if (nf.phase == UP && nf.rxs->h.req_prod != nf.rx_prod)
        push_notify(&nf.rxs->h, nf.rx_prod);
}

void netfront_poll(void)
{
    if (!nf.inited)
        return;
    if (nf.have_port)
        evtchn_test_and_clear(nf.port);
    zombies_reap();
    if (backend_changed())
        follow_backend(NULL, 0);
    tx_reclaim();
    if (nf.phase == UP) {
        struct netif_rx_response r;
        rx_head(&r);
        rx_push();
    }
}

static void reset(void)
{
    if (nf.inited) {
        disconnect();
        if (nf.watching)
        {
            char path[192];
            snprintf(path, sizeof path, "%s/state", nf.back);
            xs_unwatch(path, nf.token);
        }
    }
    for (unsigned i = 0; i < NF_RING; i++) {
        if (nf.txb[i].page)
            xen_page_free(nf.txb[i].page);
        if (nf.rxb[i].page)
            xen_page_free(nf.rxb[i].page);
    }
    zombies_reap();
    memset(&nf, 0, sizeof nf);
}

int netfront_init(unsigned devid, char *err, size_t errlen)
{
    char path[64], val[160];
    unsigned long v;
    int rc;
    reset();
    snprintf(nf.front, sizeof nf.front, "device/vif/%u", devid);
    snprintf(nf.token, sizeof nf.token, "netfront/%u", devid);

    snprintf(path, sizeof path, "%s/backend", nf.front);
    if ((rc = xs_read(0, path, val, sizeof val)) < 0 || rc == 0 || (size_t)rc >= sizeof nf.back - 8) {
        set_err(err, errlen, "netfront: %s: %s", path, rc < 0 ? xs_strerror(rc) : "empty or too long");
        return -1;
    }
    memcpy(nf.back, val, (size_t)rc + 1);

    snprintf(path, sizeof path, "%s/backend-id", nf.front);
    if ((rc = xs_read(0, path, val, sizeof val)) < 0) {
        set_err(err, errlen, "netfront: %s: %s", path, xs_strerror(rc));
        return -1;
    }
    /* Domain ids from 0x7ff0 up are Xen's reserved ones (DOMID_SELF...). */
    if (parse_uint(val, 0x7fef, &v) != 0) {
        set_err(err, errlen, "netfront: %s is \"%s\" (want a domain id)", path, val);
        return -1;
    }
    nf.backend_id = (uint16_t)v;

    snprintf(path, sizeof path, "%s/mac", nf.front);
    if ((rc = xs_read(0, path, val, sizeof val)) < 0) {
        set_err(err, errlen, "netfront: %s: %s", path, xs_strerror(rc));
        return -1;
    }
    if (mac_parse(val, nf.mac) != 0) {
        set_err(err, errlen, "netfront: %s is \"%s\" (want aa:bb:cc:dd:ee:ff)", path, val);
        return -1;
    }

    char wpath[192];
    snprintf(wpath, sizeof wpath, "%s/state", nf.back);
    if ((rc = xs_watch(wpath, nf.token)) < 0) {
        set_err(err, errlen, "netfront: watching %s: %s", wpath, xs_strerror(rc));
        return -1;
    }
    nf.watching = 1;
    nf.inited = 1;
    nf.lost_seen = xs_watch_events_lost();

    uint64_t deadline = xen_now_ms() + CONNECT_MS;
    for (int first = 1;; first = 0) {
        if ((backend_changed() || first) && follow_backend(err, errlen) != 0) {
            reset();
            return -1;
        }
        if (nf.phase == UP)
            return 0;
        uint64_t now = xen_now_ms();
        if (now >= deadline)
            break;
        uint64_t until = now + 100 < deadline ? now + 100 : deadline;
        xen_wait(nf.have_port ? nf.port : 0, until);
    }
    if (nf.last_be == XB_UNKNOWN)
        set_err(err, errlen, "netfront: backend %s never connected (state gone)", nf.back);
    else
        set_err(err, errlen, "netfront: backend %s never connected (state %d)", nf.back, nf.last_be);
    reset();
    return -1;
}

void netfront_mac(uint8_t mac[6]) { memcpy(mac, nf.mac, 6); }

int netfront_send(const uint8_t *frame, size_t len)
{
    if (nf.phase != UP) {
        nf.st.tx_down++;
        return -1;
    }
    if (len < ETH_HLEN || len > PAGE) {
        nf.st.tx_errors++;
        return -1;
    }
    tx_reclaim();
    if (nf.phase != UP) {
        nf.st.tx_down++;
        return -1;
    }
    if (nf.tx_nfree == 0) {
        nf.st.tx_full++;
        return -1;
    }
    uint16_t id = nf.tx_free[--nf.tx_nfree];
    nf.tx_busy[id] = 1;
    memcpy(nf.txb[id].page, frame, len);
    volatile struct netif_tx_request *q = &nf.txs->ring[nf.tx_prod & (NF_RING - 1)].req;
    q->gref = nf.txb[id].ref;
    q->offset = 0;
    q->flags = 0;
    q->id = id;
    q->size = (uint16_t)len;
    nf.tx_prod++;
    push_notify(&nf.txs->h, nf.tx_prod);
    nf.st.tx++;
    return 0;
}

long netfront_recv(uint8_t *buf, size_t cap)
{
    long got = 0;
    struct netif_rx_response r;
    while (nf.phase == UP && rx_head(&r)) {
        const uint8_t *p = nf.rxb[r.id].page;
        if ((size_t)r.status > cap) {
            nf.st.rx_dropped++;
            rx_consume();
            continue;
        }
        memcpy(buf, p + r.offset, (size_t)r.status);
        rx_consume();
        nf.st.rx++;
        got = r.status;
        break;
    }
    rx_push();
    return got;
}

int netfront_rx_pending(void)
{
    struct netif_rx_response r;
    int pending = nf.phase == UP && rx_head(&r);
    rx_push();
    return pending;
}

evtchn_port_t netfront_port(void) { return nf.have_port ? nf.port : 0; }

int netfront_connected(void) { return nf.phase == UP; }

const struct netfront_stats *netfront_stats(void) { return &nf.st; }
