/* SPDX-License-Identifier: Apache-2.0 */
/* The Xen network frontend (xen/netfront.c) against a simulated netback in
 * this process: a fake xenstore (key/value map, watches, transactions,
 * failure injection), a fake grant table the backend consults before it
 * touches any of our pages (refusing pages not granted to it, writes to
 * read-only grants, and counting them), fake event channels and clock. The
 * backend follows the Xenbus handshake as Linux netback does, sleeps until
 * notified whenever it has asked (req_event), and can be told to hold tx
 * responses, keep pages mapped, misbehave on rx, close and come back. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xen/netfront.h"

#include "xen/netfront.c"

#define BE_DOMID 3
#define OUR_DOMID 7
#define FRONT "/local/domain/7/device/vif/0"
#define BACK "/local/domain/3/backend/vif/7/0"

/* ---- pages ---- */

static long live_pages;

void *xen_page_alloc(void)
{
    void *p = aligned_alloc(4096, 4096);
    if (p) {
        memset(p, 0, 4096);
        live_pages++;
    }
    return p;
}

void xen_page_free(void *page)
{
    if (page)
        live_pages--;
    free(page);
}

/* ---- grant table ---- */

#define GT_N 1024u
static struct gt {
    int used;
    uint16_t domid;
    uint64_t gfn;
    int readonly;
    int mapped;
} gt[GT_N];
static unsigned violations; /* the backend was asked to touch what it may not */

int gnttab_grant(uint16_t domid, uint64_t gfn, int readonly, grant_ref_t *ref)
{
    for (grant_ref_t r = GNTTAB_RESERVED; r < GT_N; r++)
        if (!gt[r].used) {
            gt[r] = (struct gt){1, domid, gfn, readonly, 0};
            *ref = r;
            return 0;
        }
    return -1;
}

int gnttab_end(grant_ref_t ref)
{
    assert_true(ref < GT_N && gt[ref].used);
    if (gt[ref].mapped)
        return -1;
    gt[ref].used = 0;
    return 0;
}

uint32_t gnttab_free_count(void)
{
    uint32_t n = 0;
    for (unsigned r = GNTTAB_RESERVED; r < GT_N; r++)
        n += !gt[r].used;
    return n;
}

static unsigned grants_in_use(void) { return GT_N - GNTTAB_RESERVED - gnttab_free_count(); }

/* The backend's access to a granted page: NULL (and counted) unless the
 * ref is granted to it, writable when it writes. */
static uint8_t *gt_page(grant_ref_t ref, int write)
{
    if (ref >= GT_N || !gt[ref].used || gt[ref].domid != BE_DOMID || (write && gt[ref].readonly)) {
        violations++;
        return NULL;
    }
    return xen_gfn_ptr(gt[ref].gfn);
}

/* ---- clock and event channels ---- */

static uint64_t now_ms;
#define NPORTS 64
static struct {
    int open;
    uint16_t remote;
    int pending; /* for the frontend */
} ports[NPORTS];
static evtchn_port_t next_port = 1;
static unsigned be_kicks;  /* notifications the backend received */
static unsigned fe_kicks;  /* notifications the backend sent */
static int be_kicked;

uint64_t xen_now_ms(void) { return now_ms; }

int evtchn_alloc_unbound(uint16_t remote_domid, evtchn_port_t *port)
{
    if (next_port >= NPORTS)
        return -28;
    *port = next_port++;
    ports[*port].open = 1;
    ports[*port].remote = remote_domid;
    return 0;
}

static evtchn_port_t be_port;

int evtchn_notify(evtchn_port_t port)
{
    assert_true(port < NPORTS && ports[port].open);
    if (port == be_port) {
        be_kicks++;
        be_kicked = 1;
    }
    return 0;
}

int evtchn_test_and_clear(evtchn_port_t port)
{
    assert_true(port < NPORTS);
    int p = ports[port].pending;
    ports[port].pending = 0;
    return p;
}

void evtchn_close(evtchn_port_t port)
{
    assert_true(port < NPORTS && ports[port].open);
    ports[port].open = 0;
}

/* ---- xenstore ---- */

#define XS_N 128
static struct kv {
    char path[160], val[160];
} store[XS_N];
static int nstore;

static struct {
    char path[160], token[32];
} watches[8];
static int nwatches;

#define EVQ 16
static struct {
    char path[160], token[32];
} evq[EVQ];
static int nev;
static uint64_t ev_lost;

static int tx_eagain;      /* commits to fail with EAGAIN */
static int tx_commits;     /* commit attempts */
static char fail_path[160]; /* reads and writes of this path fail */
static int fail_err;

static struct {
    char path[160], val[160];
    int rm;
} txlog[32];
static int ntxlog, in_tx;

static void full_path(const char *p, char *out)
{
    if (p[0] == '/')
        snprintf(out, 160, "%s", p);
    else
        snprintf(out, 160, "/local/domain/%d/%s", OUR_DOMID, p);
}

static struct kv *find(const char *path)
{
    for (int i = 0; i < nstore; i++)
        if (strcmp(store[i].path, path) == 0)
            return &store[i];
    return NULL;
}

static void fire(const char *path)
{
    for (int i = 0; i < nwatches; i++) {
        size_t n = strlen(watches[i].path);
        if (strncmp(path, watches[i].path, n) == 0 && (path[n] == 0 || path[n] == '/')) {
            if (nev == EVQ) {
                ev_lost++;
                continue;
            }
            snprintf(evq[nev].path, sizeof evq[nev].path, "%s", path);
            snprintf(evq[nev].token, sizeof evq[nev].token, "%s", watches[i].token);
            nev++;
        }
    }
}

static void store_set(const char *path, const char *val)
{
    struct kv *e = find(path);
    if (!e) {
        assert_true(nstore < XS_N);
        e = &store[nstore++];
        snprintf(e->path, sizeof e->path, "%s", path);
    }
    snprintf(e->val, sizeof e->val, "%s", val);
    fire(path);
}

static void store_rm(const char *path)
{
    struct kv *e = find(path);
    if (e) {
        *e = store[--nstore];
        fire(path);
    }
}

static const char *store_get(const char *path)
{
    struct kv *e = find(path);
    return e ? e->val : NULL;
}

int xs_read(xs_tx_t tx, const char *path, char *val, size_t cap)
{
    char p[160];
    full_path(path, p);
    if (fail_path[0] && strcmp(p, fail_path) == 0)
        return fail_err;
    const char *v = NULL;
    if (tx)
        for (int i = ntxlog; i-- > 0;)
            if (strcmp(txlog[i].path, p) == 0) {
                if (txlog[i].rm)
                    return XS_ENOENT;
                v = txlog[i].val;
                break;
            }
    if (!v)
        v = store_get(p);
    if (!v)
        return XS_ENOENT;
    if (strlen(v) + 1 > cap)
        return XS_E2BIG;
    strcpy(val, v);
    return (int)strlen(v);
}

int xs_write(xs_tx_t tx, const char *path, const char *val)
{
    char p[160];
    full_path(path, p);
    if (fail_path[0] && strcmp(p, fail_path) == 0)
        return fail_err;
    if (tx) {
        assert_true(in_tx && tx == 42);
        assert_true(ntxlog < 32);
        snprintf(txlog[ntxlog].path, sizeof txlog[0].path, "%s", p);
        snprintf(txlog[ntxlog].val, sizeof txlog[0].val, "%s", val);
        txlog[ntxlog++].rm = 0;
        return 0;
    }
    store_set(p, val);
    return 0;
}

int xs_rm(xs_tx_t tx, const char *path)
{
    char p[160];
    full_path(path, p);
    assert_int_equal(tx, 0);
    store_rm(p);
    return 0;
}

int xs_tx_start(xs_tx_t *tx)
{
    assert_false(in_tx);
    in_tx = 1;
    ntxlog = 0;
    *tx = 42;
    return 0;
}

int xs_tx_end(xs_tx_t tx, int commit)
{
    assert_true(in_tx && tx == 42);
    in_tx = 0;
    if (!commit)
        return 0;
    tx_commits++;
    if (tx_eagain > 0) {
        tx_eagain--;
        return XS_EAGAIN;
    }
    for (int i = 0; i < ntxlog; i++)
        store_set(txlog[i].path, txlog[i].val);
    return 0;
}

int xs_watch(const char *path, const char *token)
{
    assert_true(nwatches < 8);
    full_path(path, watches[nwatches].path);
    snprintf(watches[nwatches].token, sizeof watches[0].token, "%s", token);
    nwatches++;
    /* xenstored fires a new watch once. */
    fire(watches[nwatches - 1].path);
    return 0;
}

int xs_unwatch(const char *path, const char *token)
{
    char p[160];
    full_path(path, p);
    for (int i = 0; i < nwatches; i++)
        if (strcmp(watches[i].path, p) == 0 && strcmp(watches[i].token, token) == 0) {
            watches[i] = watches[--nwatches];
            return 0;
        }
    return XS_ENOENT;
}

int xs_watch_event(char *path, size_t path_cap, char *token, size_t token_cap)
{
    if (!nev)
        return 0;
    snprintf(path, path_cap, "%s", evq[0].path);
    snprintf(token, token_cap, "%s", evq[0].token);
    memmove(&evq[0], &evq[1], (size_t)(nev - 1) * sizeof evq[0]);
    nev--;
    return 1;
}

uint64_t xs_watch_events_lost(void) { return ev_lost; }

const char *xs_strerror(int err)
{
    switch (err) {
    case XS_ENOENT: return "ENOENT";
    case XS_EAGAIN: return "EAGAIN";
    case XS_EACCES: return "EACCES";
    default: return "error";
    }
}

/* ---- the simulated netback ---- */

enum rx_fault { RX_OK, RX_ERRSTATUS, RX_BADID, RX_MORE, RX_TOOBIG, RX_EXTRA, RX_ZERO };

#define MAXF 2048
#define MAXLEN 1600
static struct frame {
    uint16_t len;
    uint8_t data[MAXLEN];
} *tx_seen, *rx_queue;

static struct {
    int state;
    int never_connect;  /* stays in InitWait */
    int no_initwait;    /* stays in Initialising */
    int ask;            /* sets req_event when idle (netback does) */
    int hold_tx;        /* takes tx requests but does not answer */
    int map_tx;         /* keeps the tx pages it takes mapped */
    volatile struct tx_sring *txs;
    volatile struct rx_sring *rxs;
    grant_ref_t txr, rxr;
    uint32_t tx_req_cons, tx_rsp_prod, rx_req_cons, rx_rsp_prod;
    int tx_asleep, rx_asleep;
    struct {
        uint16_t id;
        grant_ref_t gref;
    } held[NF_RING];
    unsigned nheld;
    grant_ref_t mapped[2 * NF_RING];
    unsigned nmapped;
    unsigned ntx_seen;
    unsigned rxq_head, rxq_tail;
    enum rx_fault faults[MAXF];
    uint16_t rx_offset;
    unsigned connects;
} be;

static void be_set_state(int s)
{
    char v[4];
    be.state = s;
    snprintf(v, sizeof v, "%d", s);
    store_set(BACK "/state", v);
}

static int front_state(void)
{
    const char *v = store_get(FRONT "/state");
    return v ? atoi(v) : 0;
}

static unsigned long front_key(const char *key)
{
    char p[160];
    snprintf(p, sizeof p, FRONT "/%s", key);
    const char *v = store_get(p);
    assert_non_null(v);
    return strtoul(v, NULL, 10);
}

static void be_unmap_all(void)
{
    for (unsigned i = 0; i < be.nmapped; i++)
        gt[be.mapped[i]].mapped--;
    be.nmapped = 0;
}

static void be_notify_front(volatile struct sring_hdr *h, uint32_t old, uint32_t new)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ((uint32_t)(new - h->rsp_event) < (uint32_t)(new - old)) {
        ports[be_port].pending = 1;
        fe_kicks++;
    }
}

static void be_connect(void)
{
    assert_int_equal(front_key("request-rx-copy"), 1);
    assert_int_equal(front_key("feature-rx-notify"), 1);
    be.txr = (grant_ref_t)front_key("tx-ring-ref");
    be.rxr = (grant_ref_t)front_key("rx-ring-ref");
    be_port = (evtchn_port_t)front_key("event-channel");
    assert_true(be_port < NPORTS && ports[be_port].open && ports[be_port].remote == BE_DOMID);
    be.txs = (volatile struct tx_sring *)gt_page(be.txr, 1);
    be.rxs = (volatile struct rx_sring *)gt_page(be.rxr, 1);
    assert_non_null(be.txs);
    assert_non_null(be.rxs);
    gt[be.txr].mapped++;
    gt[be.rxr].mapped++;
    be.mapped[0] = be.txr;
    be.mapped[1] = be.rxr;
    be.nmapped = 2;
    /* Attach where the frontend put its indices (BACK_RING_ATTACH). */
    be.tx_req_cons = be.tx_rsp_prod = be.txs->h.rsp_prod;
    be.rx_req_cons = be.rx_rsp_prod = be.rxs->h.rsp_prod;
    be.tx_asleep = be.rx_asleep = 0;
    be.nheld = 0;
    be.connects++;
    be_set_state(XB_CONNECTED);
}

static void be_disconnect(int state)
{
    be_unmap_all();
    be.txs = NULL;
    be.rxs = NULL;
    be_port = 0;
    be_set_state(state);
}

static void be_answer_tx(uint16_t id, int16_t status)
{
    volatile struct netif_tx_response *r = &be.txs->ring[be.tx_rsp_prod & (NF_RING - 1)].rsp;
    r->id = id;
    r->status = status;
    be.tx_rsp_prod++;
}

static void be_push_tx(void)
{
    uint32_t old = be.txs->h.rsp_prod;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    be.txs->h.rsp_prod = be.tx_rsp_prod;
    be_notify_front(&be.txs->h, old, be.tx_rsp_prod);
}

static void be_release_held(void)
{
    for (unsigned i = 0; i < be.nheld; i++)
        be_answer_tx(be.held[i].id, 0);
    be.nheld = 0;
    be_push_tx();
}

static void be_tx(void)
{
    if (be.tx_asleep && !be_kicked)
        return;
    be.tx_asleep = 0;
    for (;;) {
        uint32_t prod = be.txs->h.req_prod;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        assert_true((uint32_t)(prod - be.tx_req_cons) <= NF_RING);
        while (be.tx_req_cons != prod) {
            struct netif_tx_request q;
            memcpy(&q, (const void *)&be.txs->ring[be.tx_req_cons & (NF_RING - 1)].req, sizeof q);
            be.tx_req_cons++;
            uint8_t *p = gt_page(q.gref, 0);
            if (!gt[q.gref].readonly)
                violations++; /* a tx page need not be writable by us */
            for (unsigned i = 0; i < be.nheld; i++)
                if (be.held[i].id == q.id || be.held[i].gref == q.gref)
                    violations++; /* reused while in flight */
            if (!p || q.flags || q.offset + q.size > 4096 || q.size < 14 || q.size > MAXLEN) {
                be_answer_tx(q.id, -1);
                continue;
            }
            assert_true(be.ntx_seen < MAXF);
            tx_seen[be.ntx_seen].len = q.size;
            memcpy(tx_seen[be.ntx_seen].data, p + q.offset, q.size);
            be.ntx_seen++;
            if (be.map_tx) {
                gt[q.gref].mapped++;
                be.mapped[be.nmapped++] = q.gref;
            }
            if (be.hold_tx) {
                be.held[be.nheld].id = q.id;
                be.held[be.nheld++].gref = q.gref;
            } else
                be_answer_tx(q.id, 0);
        }
        be_push_tx();
        if (!be.ask)
            return;
        be.txs->h.req_event = be.tx_req_cons + 1;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (be.txs->h.req_prod == be.tx_req_cons) {
            be.tx_asleep = 1;
            return;
        }
    }
}

static void be_rx(void)
{
    if (be.rx_asleep && !be_kicked)
        return;
    be.rx_asleep = 0;
    uint32_t old = be.rxs->h.rsp_prod;
    while (be.rxq_head != be.rxq_tail) {
        uint32_t prod = be.rxs->h.req_prod;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        enum rx_fault f = be.faults[be.rxq_head];
        unsigned need = f == RX_MORE || f == RX_EXTRA ? 2 : 1;
        if ((uint32_t)(prod - be.rx_req_cons) < need) {
            if (be.ask) {
                be.rxs->h.req_event = be.rx_req_cons + need;
                __atomic_thread_fence(__ATOMIC_SEQ_CST);
                if ((uint32_t)(be.rxs->h.req_prod - be.rx_req_cons) >= need)
                    continue;
            }
            be.rx_asleep = 1;
            break;
        }
        struct frame *fr = &rx_queue[be.rxq_head++];
        for (unsigned k = 0; k < need; k++) {
            struct netif_rx_request q;
            memcpy(&q, (const void *)&be.rxs->ring[be.rx_req_cons & (NF_RING - 1)].req, sizeof q);
            be.rx_req_cons++;
            uint8_t *p = gt_page(q.gref, 1);
            volatile union rx_entry *e = &be.rxs->ring[be.rx_rsp_prod & (NF_RING - 1)];
            struct netif_rx_response r = {q.id, be.rx_offset, 0, (int16_t)fr->len};
            if (!p) {
                r.status = -1;
            } else if (k == 0) {
                memcpy(p + be.rx_offset, fr->data, fr->len);
            }
            if (k == 0) {
                switch (f) {
                case RX_ERRSTATUS: r.status = -1; break;
                case RX_BADID: r.id = (uint16_t)(q.id ^ 1); break;
                case RX_MORE: r.flags = NETRXF_more_data; break;
                case RX_TOOBIG: r.offset = 4000; r.status = 200; break;
                case RX_EXTRA: r.flags = NETRXF_extra_info; break;
                case RX_ZERO: r.status = 0; break;
                default: break;
                }
                memcpy((void *)&e->rsp, &r, sizeof r);
            } else if (f == RX_EXTRA) {
                uint8_t extra[8] = {1 /* GSO */, 0, 0, 0, 0, 0, 0, 0};
                memcpy((void *)e, extra, 8);
            } else {
                memcpy((void *)&e->rsp, &r, sizeof r);
            }
            be.rx_rsp_prod++;
        }
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);
    be.rxs->h.rsp_prod = be.rx_rsp_prod;
    be_notify_front(&be.rxs->h, old, be.rx_rsp_prod);
}

/* One step of netback: the Xenbus handshake, then the rings. */
static void be_step(void)
{
    int fs = front_state();
    switch (be.state) {
    case XB_INITIALISING:
        if (!be.no_initwait)
            be_set_state(XB_INITWAIT);
        break;
    case XB_INITWAIT:
        if ((fs == XB_INITIALISED || fs == XB_CONNECTED) && !be.never_connect)
            be_connect();
        break;
    case XB_CONNECTED:
        if (fs == XB_CLOSING || fs == XB_CLOSED) {
            be_disconnect(XB_CLOSED);
            break;
        }
        be_tx();
        be_rx();
        be_kicked = 0;
        break;
    case XB_CLOSING:
        if (fs == XB_CLOSED)
            be_set_state(XB_CLOSED);
        break;
    case XB_CLOSED:
        if (fs == XB_INITIALISING)
            be_set_state(XB_INITWAIT);
        break;
    default:
        break;
    }
}

void xen_wait(evtchn_port_t port, uint64_t deadline_ms)
{
    (void)port;
    be_step();
    now_ms = deadline_ms > now_ms + 10 ? now_ms + 10 : deadline_ms > now_ms ? deadline_ms : now_ms + 1;
}

/* ---- set-up ---- */

static void setup_store(const char *rx_copy, const char *mac)
{
    nstore = nwatches = nev = 0;
    store_set(FRONT "/backend", BACK);
    store_set(FRONT "/backend-id", "3");
    if (mac)
        store_set(FRONT "/mac", mac);
    store_set(FRONT "/state", "1");
    if (rx_copy)
        store_set(BACK "/feature-rx-copy", rx_copy);
    store_set(BACK "/state", "1");
}

static int setup(void **state)
{
    (void)state;
    memset(&be, 0, sizeof be);
    be.state = XB_INITIALISING;
    be.ask = 1;
    be_port = 0;
    memset(ports, 0, sizeof ports);
    next_port = 1;
    memset(gt, 0, sizeof gt);
    be_kicked = 0;
    be_kicks = fe_kicks = 0;
    violations = 0;
    tx_eagain = tx_commits = 0;
    fail_path[0] = 0;
    ev_lost = 0;
    now_ms = 1000;
    nf_ring_start = 0;
    tx_seen = calloc(MAXF, sizeof *tx_seen);
    rx_queue = calloc(MAXF, sizeof *rx_queue);
    setup_store("1", "00:16:3e:0a:0b:0c");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    be_unmap_all();
    reset();
    assert_int_equal(nzomb, 0);
    assert_int_equal(grants_in_use(), 0);
    assert_int_equal(live_pages, 0);
    free(tx_seen);
    free(rx_queue);
    return 0;
}

static void make_frame(struct frame *f, unsigned seq)
{
    f->len = (uint16_t)(60 + (seq * 37) % (1514 - 60 + 1));
    for (unsigned i = 0; i < f->len; i++)
        f->data[i] = (uint8_t)(seq * 131 + i * 7 + (i >> 8));
    memcpy(f->data + 14, &seq, sizeof seq);
}

static void queue_rx(unsigned seq, enum rx_fault f)
{
    assert_true(be.rxq_tail < MAXF);
    be.faults[be.rxq_tail] = f;
    make_frame(&rx_queue[be.rxq_tail++], seq);
}

static void connect_ok(void)
{
    char err[256] = "";
    int rc = netfront_init(0, err, sizeof err);
    if (rc != 0)
        fail_msg("init: %s", err);
    assert_true(netfront_connected());
}

/* Sends frames first..first+n-1, the backend stepping after each. */
static void send_frames(unsigned first, unsigned n, int step)
{
    for (unsigned i = 0; i < n; i++) {
        struct frame f;
        make_frame(&f, first + i);
        assert_int_equal(netfront_send(f.data, f.len), 0);
        if (step)
            be_step();
    }
}

static void check_tx_seen(unsigned from_seen, unsigned first, unsigned n)
{
    assert_true(be.ntx_seen >= from_seen + n);
    for (unsigned i = 0; i < n; i++) {
        struct frame f;
        make_frame(&f, first + i);
        assert_int_equal(tx_seen[from_seen + i].len, f.len);
        assert_memory_equal(tx_seen[from_seen + i].data, f.data, f.len);
    }
}

/* Receives n frames (seq first..), in order and byte-identical. */
static void recv_frames(unsigned first, unsigned n)
{
    uint8_t buf[2048];
    unsigned got = 0;
    for (int guard = 0; got < n && guard < 100000; guard++) {
        long len = netfront_recv(buf, sizeof buf);
        if (len == 0) {
            be_step();
            netfront_poll();
            continue;
        }
        struct frame f;
        make_frame(&f, first + got);
        assert_int_equal(len, f.len);
        assert_memory_equal(buf, f.data, f.len);
        got++;
    }
    assert_int_equal(got, n);
}

/* ---- tests ---- */

static void test_layout(void **state)
{
    (void)state;
    assert_int_equal(offsetof(struct tx_sring, ring), 64);
    assert_int_equal(offsetof(struct rx_sring, ring), 64);
    assert_int_equal(offsetof(struct sring_hdr, rsp_event), 12);
    assert_int_equal(sizeof(struct tx_sring), 64 + 256 * 12);
    assert_int_equal(sizeof(struct rx_sring), 64 + 256 * 8);
    assert_int_equal(offsetof(struct netif_rx_response, flags), 4);
    assert_int_equal(offsetof(struct netif_tx_request, id), 8);
}

static void test_connect_and_traffic(void **state)
{
    (void)state;
    connect_ok();
    uint8_t mac[6], want[6] = {0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c};
    netfront_mac(mac);
    assert_memory_equal(mac, want, 6);
    /* Exactly the keys netback reads, and our state. */
    assert_int_equal(front_state(), XB_CONNECTED);
    assert_int_equal(front_key("tx-ring-ref"), nf.tx_ring_ref);
    assert_int_equal(front_key("rx-ring-ref"), nf.rx_ring_ref);
    assert_int_equal(front_key("event-channel"), netfront_port());
    assert_int_equal(front_key("feature-no-csum-offload"), 1);
    int front_keys = 0;
    for (int i = 0; i < nstore; i++)
        front_keys += strncmp(store[i].path, FRONT "/", strlen(FRONT) + 1) == 0;
    /* backend backend-id mac state + 6 written */
    assert_int_equal(front_keys, 4 + 6);
    assert_null(store_get(FRONT "/feature-sg"));
    assert_null(store_get(FRONT "/feature-gso-tcpv4"));
    /* rx pages writable by the backend, ring pages too; all granted to it. */
    unsigned rw = 0, ro = 0;
    for (unsigned r = 0; r < GT_N; r++)
        if (gt[r].used) {
            assert_int_equal(gt[r].domid, BE_DOMID);
            gt[r].readonly ? ro++ : rw++;
        }
    assert_int_equal(ro, NF_RING);
    assert_int_equal(rw, NF_RING + 2);

    send_frames(0, 20, 1);
    check_tx_seen(0, 0, 20);
    for (unsigned i = 0; i < 20; i++)
        queue_rx(1000 + i, RX_OK);
    be.rx_offset = 2;
    recv_frames(1000, 20);
    netfront_poll();
    const struct netfront_stats *st = netfront_stats();
    assert_int_equal(st->tx, 20);
    assert_int_equal(st->rx, 20);
    assert_int_equal(st->rx_errors + st->rx_dropped + st->tx_errors + st->tx_full + st->backend_lost, 0);
    assert_int_equal(violations, 0);
    assert_int_equal(netfront_rx_pending(), 0);
    /* Too short, too long: refused before the ring. */
    uint8_t big[4097] = {0};
    assert_int_equal(netfront_send(big, 13), -1);
    assert_int_equal(netfront_send(big, 4097), -1);
    assert_int_equal(netfront_stats()->tx_errors, 2);
}

static void test_wrap(void **state)
{
    (void)state;
    nf_ring_start = UINT32_MAX - 100;
    connect_ok();
    unsigned sent = 0;
    for (unsigned round = 0; round < 6; round++) {
        send_frames(sent, 150, 0);
        be_step();
        netfront_poll();
        sent += 150;
    }
    be_step();
    check_tx_seen(0, 0, sent);
    for (unsigned i = 0; i < 1000; i++)
        queue_rx(5000 + i, RX_OK);
    recv_frames(5000, 1000);
    /* Both indices went past 2^32. */
    assert_true(be.tx_req_cons < 1000 && be.rx_rsp_prod < 1000);
    assert_int_equal(netfront_stats()->rx, 1000);
    assert_int_equal(netfront_stats()->tx, sent);
    assert_int_equal(violations, 0);
}

static void test_tx_full(void **state)
{
    (void)state;
    connect_ok();
    be.hold_tx = 1;
    send_frames(0, NF_RING, 1);
    struct frame f;
    make_frame(&f, 999);
    assert_int_equal(netfront_send(f.data, f.len), -1);
    assert_int_equal(netfront_send(f.data, f.len), -1);
    assert_int_equal(netfront_stats()->tx_full, 2);
    assert_int_equal(be.nheld, NF_RING);
    be.hold_tx = 0;
    be_release_held();
    /* Reclaimed by the next send. */
    send_frames(NF_RING, 10, 1);
    check_tx_seen(0, 0, NF_RING + 10);
    assert_int_equal(netfront_stats()->tx, NF_RING + 10);
    assert_int_equal(violations, 0);
    /* Error responses are counted, and their slot comes back. */
    be.hold_tx = 1;
    send_frames(300, 3, 1);
    for (unsigned i = 0; i < be.nheld; i++)
        be_answer_tx(be.held[i].id, -1);
    be.nheld = 0;
    be_push_tx();
    netfront_poll();
    assert_int_equal(netfront_stats()->tx_errors, 3);
    assert_int_equal(nf.tx_nfree, NF_RING);
    /* An id never sent, one already answered: counted, nothing freed twice;
     * a NULL (the answer to an extra-info slot) is skipped. Each takes its
     * slot, so three ids stay lost to this connection. */
    be.hold_tx = 1;
    send_frames(400, 4, 1);
    be_answer_tx(1000, 0);
    be_answer_tx(be.held[0].id, NETIF_RSP_NULL);
    be_answer_tx(be.held[0].id, 0);
    be_answer_tx(be.held[0].id, 0);
    be.nheld = 0;
    be_push_tx();
    netfront_poll();
    assert_int_equal(netfront_stats()->tx_errors, 5);
    assert_int_equal(nf.tx_nfree, NF_RING - 3);
    assert_true(netfront_connected());
    /* More answers than requests: a broken backend, dropped. */
    be_answer_tx(0, 0);
    be_push_tx();
    netfront_poll();
    assert_false(netfront_connected());
    assert_int_equal(netfront_stats()->backend_lost, 1);
    assert_int_equal(front_state(), XB_CLOSED);
}

static void test_rx_bad_responses(void **state)
{
    (void)state;
    connect_ok();
    enum rx_fault bad[] = {RX_ERRSTATUS, RX_BADID, RX_MORE, RX_TOOBIG, RX_EXTRA, RX_ZERO};
    unsigned seq = 0, good = 0;
    for (unsigned round = 0; round < 3; round++)
        for (unsigned i = 0; i < 6; i++) {
            queue_rx(seq++, RX_OK);
            queue_rx(seq++, bad[i]);
        }
    uint8_t buf[2048];
    for (int guard = 0; guard < 1000 && good < 18; guard++) {
        long len = netfront_recv(buf, sizeof buf);
        if (len == 0) {
            be_step();
            continue;
        }
        struct frame f;
        make_frame(&f, 2 * good);
        assert_int_equal(len, f.len);
        assert_memory_equal(buf, f.data, f.len);
        good++;
    }
    assert_int_equal(good, 18);
    be_step();
    netfront_poll();
    assert_int_equal(netfront_stats()->rx_errors, 18);
    assert_int_equal(netfront_stats()->rx_dropped, 18);
    assert_int_equal(netfront_rx_pending(), 0);
    /* Every slot came back: more than a ring's worth still flows. */
    for (unsigned i = 0; i < 600; i++)
        queue_rx(7000 + i, RX_OK);
    recv_frames(7000, 600);
    /* A frame the caller's buffer cannot hold: dropped, the next one comes. */
    struct frame f1, f2;
    make_frame(&f1, 39);
    make_frame(&f2, 40);
    assert_true(f1.len > 1000 && f2.len < 1000);
    queue_rx(39, RX_OK);
    queue_rx(40, RX_OK);
    be_step();
    assert_true(netfront_rx_pending());
    long len = netfront_recv(buf, 1000);
    assert_int_equal(len, f2.len);
    assert_memory_equal(buf, f2.data, f2.len);
    assert_int_equal(netfront_stats()->rx_dropped, 19);
    assert_int_equal(violations, 0);
}

static void test_notify_holdoff(void **state)
{
    (void)state;
    connect_ok();
    /* The backend asked once (its req_event is the next request): one kick
     * for a burst sent while it has not run. */
    be_step();
    unsigned k0 = be_kicks;
    send_frames(0, 50, 0);
    assert_int_equal(be_kicks, k0 + 1);
    be_step();
    check_tx_seen(0, 0, 50);
    /* It asks again after each drain: one kick per frame then. */
    k0 = be_kicks;
    send_frames(50, 10, 1);
    assert_int_equal(be_kicks, k0 + 10);
    check_tx_seen(50, 50, 10);
    /* A backend that never asks (req_event behind) is never kicked. */
    be.ask = 0;
    be.txs->h.req_event = be.tx_req_cons - 5;
    k0 = be_kicks;
    send_frames(60, 20, 0);
    assert_int_equal(be_kicks, k0);
    /* rx: with the ring empty we asked (rsp_event), so the backend's next
     * response wakes us; without asking it would not. */
    be.ask = 1;
    be_kicked = 1;
    be_step();
    for (unsigned i = 0; i < 5; i++)
        queue_rx(500 + i, RX_OK);
    recv_frames(500, 5);
    assert_int_equal(netfront_rx_pending(), 0);
    evtchn_test_and_clear(netfront_port());
    unsigned f0 = fe_kicks;
    queue_rx(1, RX_OK);
    be_kicked = 1;
    be_step();
    assert_int_equal(fe_kicks, f0 + 1);
    assert_int_equal(evtchn_test_and_clear(netfront_port()), 1);
    /* Not consumed yet: the backend adds more without waking us again. */
    queue_rx(2, RX_OK);
    be_step();
    assert_int_equal(fe_kicks, f0 + 1);
    recv_frames(1, 2);
    /* rx refill: the backend, out of requests, asks to be kicked; we do. */
    for (unsigned i = 0; i < NF_RING + 5; i++)
        queue_rx(100 + i, RX_OK);
    be_step();
    assert_true(be.rx_asleep);
    k0 = be_kicks;
    recv_frames(100, NF_RING + 5);
    assert_true(be_kicks > k0);
    assert_int_equal(violations, 0);
}

static void test_no_rx_copy(void **state)
{
    (void)state;
    char err[256] = "";
    setup_store("0", "00:16:3e:0a:0b:0c");
    assert_int_equal(netfront_init(0, err, sizeof err), -1);
    assert_non_null(strstr(err, BACK "/feature-rx-copy"));
    assert_non_null(strstr(err, "rx-copy is required"));
    setup_store(NULL, "00:16:3e:0a:0b:0c");
    be.state = XB_INITIALISING;
    assert_int_equal(netfront_init(0, err, sizeof err), -1);
    assert_non_null(strstr(err, BACK "/feature-rx-copy: ENOENT"));
    assert_false(netfront_connected());
    assert_int_equal(grants_in_use(), 0);
    assert_int_equal(live_pages, 0);
}

static void test_never_connected(void **state)
{
    (void)state;
    char err[256] = "";
    be.never_connect = 1;
    uint64_t t0 = now_ms;
    assert_int_equal(netfront_init(0, err, sizeof err), -1);
    assert_true(now_ms - t0 >= 10000 && now_ms - t0 <= 10200);
    assert_non_null(strstr(err, "never connected (state 2)"));
    assert_int_equal(front_state(), XB_INITIALISED);
    assert_int_equal(grants_in_use(), 0);
    /* Never even InitWait. */
    setup_store("1", "00:16:3e:0a:0b:0c");
    be.state = XB_INITIALISING;
    be.no_initwait = 1;
    t0 = now_ms;
    assert_int_equal(netfront_init(0, err, sizeof err), -1);
    assert_true(now_ms - t0 <= 10200);
    assert_non_null(strstr(err, "never connected (state 1)"));
    assert_int_equal(be.connects, 0);
}

static void test_bad_keys(void **state)
{
    (void)state;
    const char *bad[] = {"00:16:3e:0a:0b", "00:16:3e:0a:0b:0g", "00-16-3e-0a-0b-0c", "00:16:3e:0a:0b:0c:0d",
                         " 00:16:3e:0a:0b:0c", "0:16:3e:0a:0b:0c0", ""};
    char err[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setup_store("1", bad[i]);
        assert_int_equal(netfront_init(0, err, sizeof err), -1);
        assert_non_null(strstr(err, "device/vif/0/mac"));
    }
    setup_store("1", NULL);
    assert_int_equal(netfront_init(0, err, sizeof err), -1);
    assert_non_null(strstr(err, "device/vif/0/mac: ENOENT"));
    setup_store("1", "00:16:3e:0a:0b:0c");
    store_set(FRONT "/backend-id", "3x");
    assert_int_equal(netfront_init(0, err, sizeof err), -1);
    assert_non_null(strstr(err, "device/vif/0/backend-id"));
    setup_store("1", "00:16:3e:0a:0b:0c");
    snprintf(fail_path, sizeof fail_path, "%s", FRONT "/backend");
    fail_err = XS_EACCES;
    assert_int_equal(netfront_init(0, err, sizeof err), -1);
    assert_non_null(strstr(err, "device/vif/0/backend: EACCES"));
    fail_path[0] = 0;
    /* Upper case is a MAC too. */
    setup_store("1", "AA:BB:CC:DD:EE:0F");
    connect_ok();
    uint8_t mac[6], want[6] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x0f};
    netfront_mac(mac);
    assert_memory_equal(mac, want, 6);
}

static void test_tx_eagain(void **state)
{
    (void)state;
    tx_eagain = 2;
    connect_ok();
    assert_int_equal(tx_commits, 3);
    send_frames(0, 3, 1);
    check_tx_seen(0, 0, 3);
    /* EAGAIN for ever: bounded, then a clear error. */
    setup_store("1", "00:16:3e:0a:0b:0c");
    be_unmap_all();
    be.state = XB_INITIALISING;
    tx_eagain = 1000;
    tx_commits = 0;
    char err[256];
    assert_int_equal(netfront_init(0, err, sizeof err), -1);
    assert_int_equal(tx_commits, TX_RETRIES);
    assert_non_null(strstr(err, "EAGAIN"));
    assert_non_null(strstr(err, "device/vif/0"));
    tx_eagain = 0;
    /* Another error names the key. */
    setup_store("1", "00:16:3e:0a:0b:0c");
    be.state = XB_INITIALISING;
    snprintf(fail_path, sizeof fail_path, "%s", FRONT "/event-channel");
    fail_err = XS_EACCES;
    assert_int_equal(netfront_init(0, err, sizeof err), -1);
    assert_non_null(strstr(err, "device/vif/0/event-channel: EACCES"));
    fail_path[0] = 0;
}

static void run_until_connected(void)
{
    for (int i = 0; i < 50 && !netfront_connected(); i++) {
        be_step();
        now_ms += 10;
        netfront_poll();
    }
    assert_true(netfront_connected());
}

static void test_backend_gone_and_back(void **state)
{
    (void)state;
    connect_ok();
    send_frames(0, 5, 1);
    evtchn_port_t p0 = netfront_port();
    grant_ref_t r0 = nf.tx_ring_ref;
    /* Closed under us. */
    be_disconnect(XB_CLOSED);
    netfront_poll();
    assert_false(netfront_connected());
    assert_int_equal(netfront_stats()->backend_lost, 1);
    assert_false(ports[p0].open);
    assert_int_equal(grants_in_use(), 0);
    struct frame f;
    make_frame(&f, 1);
    assert_int_equal(netfront_send(f.data, f.len), -1);
    assert_int_equal(netfront_send(f.data, f.len), -1);
    assert_int_equal(netfront_stats()->tx_down, 2);
    assert_int_equal(netfront_recv(f.data, sizeof f.data), 0);
    assert_int_equal(front_state(), XB_INITIALISING);
    /* Back: InitWait, a new connection. */
    run_until_connected();
    assert_int_equal(be.connects, 2);
    assert_true(netfront_port() != p0);
    assert_int_equal(grants_in_use(), 2 * NF_RING + 2);
    (void)r0;
    unsigned seen = be.ntx_seen;
    send_frames(100, 300, 1);
    check_tx_seen(seen, 100, 300);
    for (unsigned i = 0; i < 300; i++)
        queue_rx(200 + i, RX_OK);
    recv_frames(200, 300);
    /* Closing first this time: we close, it closes, we ask it back. */
    be_set_state(XB_CLOSING);
    netfront_poll();
    assert_false(netfront_connected());
    assert_int_equal(front_state(), XB_CLOSED);
    be_unmap_all();
    run_until_connected();
    assert_int_equal(netfront_stats()->backend_lost, 2);
    /* Its state key removed: gone, until it is written again. */
    be_unmap_all();
    store_rm(BACK "/state");
    netfront_poll();
    assert_false(netfront_connected());
    assert_int_equal(netfront_stats()->backend_lost, 3);
    assert_int_equal(front_state(), XB_INITIALISING);
    be_set_state(XB_INITWAIT);
    run_until_connected();
    seen = be.ntx_seen;
    send_frames(900, 10, 1);
    check_tx_seen(seen, 900, 10);
    assert_int_equal(violations, 0);
}

static void test_grant_busy(void **state)
{
    (void)state;
    connect_ok();
    be.map_tx = 1;
    send_frames(0, 1, 1);
    grant_ref_t held = be.mapped[be.nmapped - 1];
    uint64_t gfn = gt[held].gfn;
    uint8_t *page = xen_gfn_ptr(gfn);
    uint8_t copy[4096];
    memcpy(copy, page, sizeof copy);
    be.map_tx = 0;
    /* Gone, but the tx page stays mapped (rings unmapped). */
    gt[be.txr].mapped--;
    gt[be.rxr].mapped--;
    be.mapped[0] = held;
    be.nmapped = 1;
    be.txs = NULL;
    be.rxs = NULL;
    be_set_state(XB_CLOSED);
    netfront_poll();
    assert_false(netfront_connected());
    assert_true(gt[held].used);
    assert_int_equal(grants_in_use(), 1);
    long pages = live_pages;
    run_until_connected();
    /* The new connection neither grants nor fills that page. */
    for (unsigned r = 0; r < GT_N; r++)
        if (gt[r].used && r != held)
            assert_true(gt[r].gfn != gfn);
    assert_int_equal(live_pages, pages + 3); /* two rings, one tx page */
    send_frames(10, 2 * NF_RING, 1);
    assert_memory_equal(page, copy, sizeof copy);
    /* Let go: the next poll ends the grant and frees the page. */
    gt[held].mapped--;
    netfront_poll();
    assert_false(gt[held].used);
    assert_int_equal(nzomb, 0);
    assert_int_equal(live_pages, pages + 2);
    assert_int_equal(violations, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test_setup_teardown(test_connect_and_traffic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_bad_responses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notify_holdoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_rx_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_never_connected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_eagain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backend_gone_and_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grant_busy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
