/* SPDX-License-Identifier: Apache-2.0 */
/* The xenstore client over the shared ring page (io/xs_wire.h): requests
 * in req[], replies and watch events in rsp[], free-running 32-bit indices
 * masked into 1 KiB each way. Messages are a 16-byte header {type, req_id,
 * tx_id, len} and at most 4096 bytes of payload.
 *
 * The reader and the writer keep their position across calls: a request
 * cut short by a timeout is finished before the next one, and a reply
 * half-read when a call gave up is completed and then discarded (its
 * req_id is no longer awaited). So a slow xenstored costs a timeout, never
 * a stream out of step. */
#include "xen/xenstore.h"

#include <string.h>

enum {
    XS_READ = 2,
    XS_WATCH = 4,
    XS_UNWATCH = 5,
    XS_TRANSACTION_START = 6,
    XS_TRANSACTION_END = 7,
    XS_WRITE = 11,
    XS_RM = 13,
    XS_WATCH_EVENT = 15,
    XS_ERROR = 16,
    XS_TYPE_MAX = 32,
};

#define XS_RING 1024u
#define XS_PAYLOAD_MAX 4096u

struct xs_ring_page {
    char req[XS_RING];
    char rsp[XS_RING];
    uint32_t req_cons, req_prod;
    uint32_t rsp_cons, rsp_prod;
};
_Static_assert(__builtin_offsetof(struct xs_ring_page, rsp_prod) == 2060, "xenstore ring layout");

struct xs_hdr {
    uint32_t type, req_id, tx_id, len;
};

static volatile struct xs_ring_page *ring;
static evtchn_port_t ring_port;
static uint32_t next_req_id = 1;

/* The request being written: finished before any new one. */
static uint8_t out[sizeof(struct xs_hdr) + XS_PAYLOAD_MAX];
static size_t out_len, out_done;

/* The message being read. */
static union {
    struct xs_hdr h;
    uint8_t b[sizeof(struct xs_hdr)];
} in_hdr;
static size_t in_hdr_got, in_body_got;
static char in_body[XS_PAYLOAD_MAX + 1];
static int in_bad; /* the header announced a message we cannot take: fatal */

#define EVQ 16
#define EV_PATH 256
#define EV_TOKEN 64
static struct {
    char path[EV_PATH], token[EV_TOKEN];
} evq[EVQ];
static unsigned evq_head, evq_len;
static uint64_t ev_lost;

void xs_init(void *page, evtchn_port_t port)
{
    ring = page;
    ring_port = port;
    out_len = out_done = 0;
    in_hdr_got = in_body_got = 0;
    in_bad = 0;
    evq_head = evq_len = 0;
}

uint64_t xs_watch_events_lost(void) { return ev_lost; }

/* Pushes what fits of the pending request. */
static void push_out(void)
{
    uint32_t cons = __atomic_load_n(&ring->req_cons, __ATOMIC_ACQUIRE);
    uint32_t prod = ring->req_prod;
    uint32_t space = XS_RING - (prod - cons);
    if (prod - cons > XS_RING) /* a server that moved req_cons past us: treat the ring as full */
        space = 0;
    size_t n = 0;
    while (n < space && out_done < out_len)
        ring->req[prod++ % XS_RING] = (char)out[out_done++], n++;
    if (n) {
        __atomic_store_n(&ring->req_prod, prod, __ATOMIC_RELEASE);
        evtchn_notify(ring_port);
    }
}

/* Takes what the ring holds of the current message. 1 when one is whole. */
static int pull_in(void)
{
    uint32_t prod = __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE);
    uint32_t cons = ring->rsp_cons;
    if (prod - cons > XS_RING) { /* indices no honest server produces */
        in_bad = 1;
        return 0;
    }
    int moved = 0, whole = 0;
    while (cons != prod && !whole) {
        char c = ring->rsp[cons % XS_RING];
        if (in_hdr_got < sizeof in_hdr) {
            in_hdr.b[in_hdr_got++] = (uint8_t)c;
            cons++, moved = 1;
            if (in_hdr_got == sizeof in_hdr) {
                if (in_hdr.h.len > XS_PAYLOAD_MAX || in_hdr.h.type >= XS_TYPE_MAX) {
                    in_bad = 1;
                    break;
                }
                whole = in_hdr.h.len == 0;
            }
            continue;
        }
        in_body[in_body_got++] = c;
        cons++, moved = 1;
        whole = in_body_got == in_hdr.h.len;
    }
    if (moved) {
        __atomic_store_n(&ring->rsp_cons, cons, __ATOMIC_RELEASE);
        evtchn_notify(ring_port);
    }
    if (whole)
        in_body[in_body_got] = '\0';
    return whole;
}

static void next_message(void) { in_hdr_got = in_body_got = 0; }

static void queue_event(void)
{
    /* path\0token\0 */
    const char *path = in_body;
    size_t plen = strnlen(path, in_body_got);
    if (plen >= in_body_got || plen >= EV_PATH) {
        ev_lost++;
        return;
    }
    const char *token = path + plen + 1;
    size_t tlen = strnlen(token, in_body_got - plen - 1);
    if (tlen >= EV_TOKEN || evq_len == EVQ) {
        ev_lost++;
        return;
    }
    unsigned slot = (evq_head + evq_len++) % EVQ;
    memcpy(evq[slot].path, path, plen + 1);
    memcpy(evq[slot].token, token, tlen);
    evq[slot].token[tlen] = '\0';
}

/* Reads messages until the reply to req_id is whole (1), queueing watch
 * events and discarding late replies; 0 when the ring holds no more. */
static int take_messages(uint32_t req_id)
{
    while (!in_bad && pull_in()) {
        if (in_hdr.h.type == XS_WATCH_EVENT) {
            queue_event();
            next_message();
            continue;
        }
        if (req_id && in_hdr.h.req_id == req_id)
            return 1; /* the caller reads in_hdr/in_body, then next_message() */
        next_message(); /* the reply of a request that timed out */
    }
    return 0;
}

static const struct {
    const char *name;
    int err;
} xs_errors[] = {
    {"ENOENT", XS_ENOENT}, {"EIO", XS_EIO},       {"EAGAIN", XS_EAGAIN}, {"ENOMEM", XS_ENOMEM},
    {"EACCES", XS_EACCES}, {"EEXIST", XS_EEXIST}, {"EINVAL", XS_EINVAL}, {"ENOSPC", XS_ENOSPC},
    {"E2BIG", XS_E2BIG},   {"EPERM", XS_EACCES},  {"EISDIR", XS_EINVAL}, {"EROFS", XS_EACCES},
    {"EBUSY", XS_EAGAIN},  {"EQUOTA", XS_ENOSPC},
};

const char *xs_strerror(int err)
{
    switch (err) {
    case XS_ETIMEDOUT:
        return "xenstore timed out";
    case XS_EPROTO:
        return "malformed xenstore reply";
    case XS_EOTHER:
        return "unknown xenstore error";
    case XS_E2BIG:
        return "E2BIG (value too long)";
    default:
        for (size_t i = 0; i < sizeof xs_errors / sizeof xs_errors[0]; i++)
            if (xs_errors[i].err == err)
                return xs_errors[i].name;
        return err < 0 ? "xenstore error" : "no error";
    }
}

static int error_of(const char *s)
{
    for (size_t i = 0; i < sizeof xs_errors / sizeof xs_errors[0]; i++)
        if (strcmp(s, xs_errors[i].name) == 0)
            return xs_errors[i].err;
    return XS_EOTHER;
}

/* One request of type with the parts concatenated (each part's bytes as
 * given: callers include the NULs the wire wants). 0 with the reply in
 * in_hdr/in_body (the caller calls next_message), or an error. */
static int request(uint32_t type, xs_tx_t tx, const void *p1, size_t l1, const void *p2, size_t l2)
{
    if (!ring)
        return XS_EIO;
    if (in_bad)
        return XS_EPROTO;
    if (l1 + l2 > XS_PAYLOAD_MAX)
        return XS_E2BIG;
    uint64_t deadline = xen_now_ms() + XS_TIMEOUT_MS;
    while (out_done < out_len) { /* the rest of a request that timed out */
        push_out();
        take_messages(0);
        if (out_done < out_len) {
            if (xen_now_ms() >= deadline)
                return XS_ETIMEDOUT;
            xen_wait(ring_port, deadline);
        }
    }
    uint32_t id = next_req_id++;
    if (!next_req_id)
        next_req_id = 1;
    struct xs_hdr h = {type, id, tx, (uint32_t)(l1 + l2)};
    memcpy(out, &h, sizeof h);
    if (l1)
        memcpy(out + sizeof h, p1, l1);
    if (l2)
        memcpy(out + sizeof h + l1, p2, l2);
    out_len = sizeof h + l1 + l2;
    out_done = 0;
    for (;;) {
        push_out();
        if (take_messages(id)) {
            if (in_hdr.h.type == XS_ERROR) {
                int e = error_of(in_body);
                next_message();
                return e;
            }
            if (in_hdr.h.type != type) {
                next_message();
                return XS_EPROTO;
            }
            return 0;
        }
        if (in_bad)
            return XS_EPROTO;
        if (xen_now_ms() >= deadline)
            return XS_ETIMEDOUT;
        xen_wait(ring_port, deadline);
    }
}

int xs_read(xs_tx_t tx, const char *path, char *val, size_t cap)
{
    int rc = request(XS_READ, tx, path, strlen(path) + 1, NULL, 0);
    if (rc)
        return rc;
    size_t n = in_body_got;
    if (n + 1 > cap) {
        next_message();
        return XS_E2BIG;
    }
    memcpy(val, in_body, n);
    val[n] = '\0';
    next_message();
    return (int)n;
}

/* A reply whose payload is just "OK". */
static int ok_reply(int rc)
{
    if (rc)
        return rc;
    rc = strcmp(in_body, "OK") == 0 ? 0 : XS_EPROTO;
    next_message();
    return rc;
}

int xs_write(xs_tx_t tx, const char *path, const char *val)
{
    return ok_reply(request(XS_WRITE, tx, path, strlen(path) + 1, val, strlen(val)));
}

int xs_rm(xs_tx_t tx, const char *path) { return ok_reply(request(XS_RM, tx, path, strlen(path) + 1, NULL, 0)); }

int xs_tx_start(xs_tx_t *tx)
{
    int rc = request(XS_TRANSACTION_START, 0, "", 1, NULL, 0);
    if (rc)
        return rc;
    /* The id in decimal. */
    uint64_t v = 0;
    size_t i = 0;
    for (; i < in_body_got && in_body[i] >= '0' && in_body[i] <= '9' && v <= 0xffffffffu; i++)
        v = v * 10 + (uint64_t)(in_body[i] - '0');
    int good = i > 0 && (i == in_body_got || in_body[i] == '\0') && v && v <= 0xffffffffu;
    next_message();
    if (!good)
        return XS_EPROTO;
    *tx = (xs_tx_t)v;
    return 0;
}

int xs_tx_end(xs_tx_t tx, int commit)
{
    return ok_reply(request(XS_TRANSACTION_END, tx, commit ? "T" : "F", 2, NULL, 0));
}

int xs_watch(const char *path, const char *token)
{
    return ok_reply(request(XS_WATCH, 0, path, strlen(path) + 1, token, strlen(token) + 1));
}

int xs_unwatch(const char *path, const char *token)
{
    return ok_reply(request(XS_UNWATCH, 0, path, strlen(path) + 1, token, strlen(token) + 1));
}

int xs_watch_event(const char *token, char *path, size_t path_cap)
{
    if (ring && !in_bad)
        take_messages(0);
    for (unsigned k = 0; k < evq_len; k++) {
        unsigned slot = (evq_head + k) % EVQ;
        if (strcmp(evq[slot].token, token) != 0)
            continue;
        size_t pl = strlen(evq[slot].path);
        int fits = pl < path_cap;
        if (fits)
            memcpy(path, evq[slot].path, pl + 1);
        else
            ev_lost++;
        /* Close the gap: the later events move up one place. */
        for (unsigned j = k; j + 1 < evq_len; j++)
            evq[(evq_head + j) % EVQ] = evq[(evq_head + j + 1) % EVQ];
        evq_len--;
        if (fits)
            return 1;
        k--;
    }
    return 0;
}
