/* SPDX-License-Identifier: Apache-2.0 */
/* The xenstore client (xen/xenstore.c) against a simulated xenstored on
 * the same ring page: the wire format of each request, error strings,
 * transactions retried on EAGAIN, watch events interleaved with replies
 * and kept per token, the bounded event queue, ring and index wrap,
 * replies too long for the caller, a server that never answers or answers
 * late or stops half-way through a reply, requests longer than the ring,
 * and malformed replies. The server runs in xen_wait, which also moves the
 * fake clock, so timeouts cost no real time. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "xen/xenstore.h"

#include "xen/xenstore.c"

/* ---- the simulated xenstored ---- */

static _Alignas(4096) struct xs_ring_page page;
static uint64_t now;
static unsigned notifies;

static struct {
    char key[32][128];
    char val[32][4096];
    int n;
} kv;

static uint8_t sreq[16384];
static size_t sreq_len;
static uint8_t sout[65536];
static size_t sout_len, sout_off;
static size_t consume_per_step, produce_per_step;
static size_t produce_stall_at; /* stop producing once this many bytes went out (0: never) */
static size_t produced;
static int silent;       /* take requests, answer nothing */
static int eagain_left;  /* transaction ends answered EAGAIN */
static const char *tx_reply = "17";
static struct xs_hdr last_req;
static uint8_t last_payload[XS_PAYLOAD_MAX];

static void srv_reply(uint32_t type, uint32_t id, uint32_t tx, const void *p, size_t len)
{
    struct xs_hdr h = {type, id, tx, (uint32_t)len};
    assert_true(sout_len + sizeof h + len <= sizeof sout);
    memcpy(sout + sout_len, &h, sizeof h);
    memcpy(sout + sout_len + sizeof h, p, len);
    sout_len += sizeof h + len;
}

static void srv_error(const struct xs_hdr *h, const char *e) { srv_reply(XS_ERROR, h->req_id, h->tx_id, e, strlen(e) + 1); }
static void srv_ok(const struct xs_hdr *h) { srv_reply(h->type, h->req_id, h->tx_id, "OK", 3); }

static void srv_event(const char *path, const char *token)
{
    char p[512];
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
    memcpy(p, path, pl);
    memcpy(p + pl, token, tl);
    srv_reply(XS_WATCH_EVENT, 0, 0, p, pl + tl);
}

static int kv_find(const char *k)
{
    for (int i = 0; i < kv.n; i++)
        if (strcmp(kv.key[i], k) == 0)
            return i;
    return -1;
}

static void kv_set(const char *k, const char *v, size_t vlen)
{
    int i = kv_find(k);
    if (i < 0)
        i = kv.n++;
    snprintf(kv.key[i], sizeof kv.key[i], "%s", k);
    memcpy(kv.val[i], v, vlen);
    kv.val[i][vlen] = '\0';
}

static void srv_handle(const struct xs_hdr *h, const uint8_t *p)
{
    last_req = *h;
    memcpy(last_payload, p, h->len);
    if (silent)
        return;
    const char *path = (const char *)p;
    int i;
    switch (h->type) {
    case XS_READ:
        if ((i = kv_find(path)) < 0)
            srv_error(h, "ENOENT");
        else
            srv_reply(XS_READ, h->req_id, h->tx_id, kv.val[i], strlen(kv.val[i]));
        break;
    case XS_WRITE: {
        size_t pl = strlen(path) + 1;
        kv_set(path, (const char *)p + pl, h->len - pl);
        srv_ok(h);
        break;
    }
    case XS_RM:
        if ((i = kv_find(path)) < 0) {
            srv_error(h, "ENOENT");
        } else {
            kv.n--;
            memcpy(kv.key[i], kv.key[kv.n], sizeof kv.key[i]);
            memcpy(kv.val[i], kv.val[kv.n], sizeof kv.val[i]);
            srv_ok(h);
        }
        break;
    case XS_TRANSACTION_START:
        srv_reply(XS_TRANSACTION_START, h->req_id, 0, tx_reply, strlen(tx_reply) + 1);
        break;
    case XS_TRANSACTION_END:
        if (eagain_left > 0) {
            eagain_left--;
            srv_error(h, "EAGAIN");
        } else {
            srv_ok(h);
        }
        break;
    default:
        srv_ok(h);
    }
}

static void srv_step(void)
{
    uint32_t cons = page.req_cons, prod = page.req_prod;
    size_t n = 0;
    while (cons != prod && n < consume_per_step)
        sreq[sreq_len++] = (uint8_t)page.req[cons++ % XS_RING], n++;
    page.req_cons = cons;
    for (;;) {
        struct xs_hdr h;
        if (sreq_len < sizeof h)
            break;
        memcpy(&h, sreq, sizeof h);
        if (sreq_len < sizeof h + h.len)
            break;
        srv_handle(&h, sreq + sizeof h);
        memmove(sreq, sreq + sizeof h + h.len, sreq_len - sizeof h - h.len);
        sreq_len -= sizeof h + h.len;
    }
    uint32_t rp = page.rsp_prod;
    n = 0;
    while (sout_off < sout_len && rp - page.rsp_cons < XS_RING && n < produce_per_step &&
           !(produce_stall_at && produced >= produce_stall_at))
        page.rsp[rp++ % XS_RING] = (char)sout[sout_off++], n++, produced++;
    page.rsp_prod = rp;
}

void xen_wait(evtchn_port_t port, uint64_t deadline_ms)
{
    assert_int_equal(port, 7);
    now += 10;
    if (now > deadline_ms)
        now = deadline_ms;
    srv_step();
}

uint64_t xen_now_ms(void) { return now; }

int evtchn_notify(evtchn_port_t port)
{
    assert_int_equal(port, 7);
    notifies++;
    return 0;
}

static void start_indices(uint32_t at)
{
    page.req_cons = page.req_prod = at;
    page.rsp_cons = page.rsp_prod = at;
}

static int setup(void **state)
{
    (void)state;
    memset(&page, 0, sizeof page);
    memset(&kv, 0, sizeof kv);
    sreq_len = sout_len = sout_off = produced = produce_stall_at = 0;
    consume_per_step = produce_per_step = SIZE_MAX;
    silent = eagain_left = 0;
    tx_reply = "17";
    now = 1000;
    ev_lost = 0;
    xs_init(&page, 7);
    return 0;
}

/* ---- tests ---- */

static void read_write_rm_with_the_wire_payloads(void **state)
{
    (void)state;
    char v[64];
    assert_int_equal(xs_write(0, "device/vif/0/state", "3"), 0);
    assert_int_equal(last_req.type, XS_WRITE);
    assert_int_equal(last_req.len, strlen("device/vif/0/state") + 1 + 1); /* path NUL value, no NUL after */
    assert_memory_equal(last_payload, "device/vif/0/state\0" "3", last_req.len);
    assert_int_equal(xs_read(0, "device/vif/0/state", v, sizeof v), 1);
    assert_string_equal(v, "3");
    assert_int_equal(last_req.type, XS_READ);
    assert_int_equal(last_req.len, strlen("device/vif/0/state") + 1);
    assert_int_equal(xs_write(0, "empty", ""), 0);
    assert_int_equal(xs_read(0, "empty", v, sizeof v), 0);
    assert_string_equal(v, "");
    assert_int_equal(xs_rm(0, "device/vif/0/state"), 0);
    assert_int_equal(xs_read(0, "device/vif/0/state", v, sizeof v), XS_ENOENT);
    assert_string_equal(xs_strerror(XS_ENOENT), "ENOENT");
    assert_int_equal(xs_watch("backend/state", "nf0"), 0);
    assert_memory_equal(last_payload, "backend/state\0nf0", last_req.len);
    assert_int_equal(last_req.len, strlen("backend/state") + 1 + 4);
    assert_true(notifies > 0);
}

static void transactions_retry_on_eagain(void **state)
{
    (void)state;
    eagain_left = 2;
    int tries = 0, rc;
    xs_tx_t tx;
    do {
        tries++;
        assert_int_equal(xs_tx_start(&tx), 0);
        assert_int_equal(tx, 17);
        assert_int_equal(xs_write(tx, "k", "v"), 0);
        assert_int_equal(last_req.tx_id, 17);
        rc = xs_tx_end(tx, 1);
        assert_memory_equal(last_payload, "T", 2);
    } while (rc == XS_EAGAIN && tries < 5);
    assert_int_equal(rc, 0);
    assert_int_equal(tries, 3);
    assert_int_equal(xs_tx_end(tx, 0), 0);
    assert_memory_equal(last_payload, "F", 2);
}

static void a_bad_transaction_id_is_a_protocol_error(void **state)
{
    (void)state;
    const char *bad[] = {"abc", "0", "99999999999", "", "12x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tx_reply = bad[i];
        xs_tx_t tx = 5;
        assert_int_equal(xs_tx_start(&tx), XS_EPROTO);
        assert_int_equal(tx, 5);
    }
    tx_reply = "4294967295";
    xs_tx_t tx;
    assert_int_equal(xs_tx_start(&tx), 0);
    assert_int_equal(tx, 4294967295u);
}

static void watch_events_interleave_and_wait_for_their_token(void **state)
{
    (void)state;
    kv_set("k", "v", 1);
    srv_event("backend/state", "nf0");
    srv_event("control/shutdown", "control");
    srv_event("backend/state2", "nf0");
    char v[16], p[64];
    assert_int_equal(xs_read(0, "k", v, sizeof v), 1); /* the events came first */
    assert_string_equal(v, "v");
    assert_int_equal(xs_watch_event("control", p, sizeof p), 1);
    assert_string_equal(p, "control/shutdown");
    assert_int_equal(xs_watch_event("control", p, sizeof p), 0);
    assert_int_equal(xs_watch_event("nf0", p, sizeof p), 1);
    assert_string_equal(p, "backend/state");
    assert_int_equal(xs_watch_event("nf0", p, sizeof p), 1);
    assert_string_equal(p, "backend/state2");
    assert_int_equal(xs_watch_event("nf0", p, sizeof p), 0);
    /* An event arriving with nothing asked is taken by xs_watch_event. */
    srv_event("late", "nf0");
    srv_step();
    assert_int_equal(xs_watch_event("nf0", p, sizeof p), 1);
    assert_string_equal(p, "late");
    assert_int_equal(xs_watch_events_lost(), 0);
}

static void the_event_queue_is_bounded_and_counts_what_it_drops(void **state)
{
    (void)state;
    char p[64], name[32];
    for (int i = 0; i < EVQ + 4; i++) {
        snprintf(name, sizeof name, "e%d", i);
        srv_event(name, "x");
    }
    srv_step();
    for (int i = 0; i < EVQ; i++) {
        assert_int_equal(xs_watch_event("x", p, sizeof p), 1);
        snprintf(name, sizeof name, "e%d", i);
        assert_string_equal(p, name); /* the oldest kept, in order */
    }
    assert_int_equal(xs_watch_event("x", p, sizeof p), 0);
    assert_int_equal(xs_watch_events_lost(), 4);
    /* A path longer than the caller's buffer is dropped and counted too. */
    srv_event("a/rather/long/path/indeed", "y");
    srv_step();
    assert_int_equal(xs_watch_event("y", p, 8), 0);
    assert_int_equal(xs_watch_events_lost(), 5);
}

static void replies_across_the_ring_and_index_wrap(void **state)
{
    (void)state;
    start_indices(0xffffffffu - 300);
    char val[301], got[400];
    for (int i = 0; i < 300; i++)
        val[i] = (char)('a' + i % 26);
    val[300] = '\0';
    kv_set("big", val, 300);
    produce_per_step = 37; /* the reply arrives in pieces */
    for (int round = 0; round < 40; round++) {
        assert_int_equal(xs_read(0, "big", got, sizeof got), 300);
        assert_string_equal(got, val);
    }
    assert_true(page.rsp_prod < 0x10000u); /* the indices wrapped */
}

static void a_reply_too_long_for_the_buffer_keeps_the_stream(void **state)
{
    (void)state;
    char val[300];
    memset(val, 'z', 299);
    val[299] = '\0';
    kv_set("long", val, 299);
    kv_set("short", "ok", 2);
    char got[300];
    assert_int_equal(xs_read(0, "long", got, 100), XS_E2BIG);
    assert_int_equal(xs_read(0, "short", got, 100), 2);
    assert_string_equal(got, "ok");
    assert_int_equal(xs_read(0, "long", got, 299), XS_E2BIG); /* no room for the NUL */
    assert_int_equal(xs_read(0, "long", got, 300), 299);
}

static void a_silent_server_times_out_and_its_late_reply_is_dropped(void **state)
{
    (void)state;
    kv_set("old", "stale", 5);
    kv_set("new", "fresh", 5);
    silent = 1;
    char got[32];
    uint64_t t0 = now;
    assert_int_equal(xs_read(0, "old", got, sizeof got), XS_ETIMEDOUT);
    assert_true(now - t0 >= XS_TIMEOUT_MS && now - t0 <= XS_TIMEOUT_MS + 20);
    assert_string_equal(xs_strerror(XS_ETIMEDOUT), "xenstore timed out");
    /* It wakes up and answers the old request, then the new one. */
    silent = 0;
    struct xs_hdr h = last_req;
    srv_handle(&h, (const uint8_t *)"old");
    assert_int_equal(xs_read(0, "new", got, sizeof got), 5);
    assert_string_equal(got, "fresh");
}

static void a_reply_cut_by_a_timeout_is_finished_and_dropped(void **state)
{
    (void)state;
    char val[200];
    memset(val, 'q', 199);
    val[199] = '\0';
    kv_set("half", val, 199);
    kv_set("next", "n", 1);
    produce_stall_at = 16 + 50; /* the header and 50 of 199 bytes, then nothing */
    char got[256];
    assert_int_equal(xs_read(0, "half", got, sizeof got), XS_ETIMEDOUT);
    produce_stall_at = 0;
    assert_int_equal(xs_read(0, "next", got, sizeof got), 1);
    assert_string_equal(got, "n");
}

static void a_request_longer_than_the_ring_goes_in_pieces(void **state)
{
    (void)state;
    start_indices(0xfffffff0u);
    consume_per_step = 100;
    char val[3001], got[3100];
    for (int i = 0; i < 3000; i++)
        val[i] = (char)('0' + i % 10);
    val[3000] = '\0';
    assert_int_equal(xs_write(0, "huge", val), 0);
    assert_int_equal(last_req.len, 5 + 3000);
    assert_memory_equal(last_payload + 5, val, 3000);
    assert_int_equal(xs_read(0, "huge", got, sizeof got), 3000);
    assert_string_equal(got, val);
}

static void a_request_cut_by_a_timeout_is_finished_before_the_next(void **state)
{
    (void)state;
    static char val[3001];
    memset(val, 'w', 3000);
    consume_per_step = 0; /* xenstored takes nothing: the ring fills */
    assert_int_equal(xs_write(0, "stuck", val), XS_ETIMEDOUT);
    consume_per_step = SIZE_MAX;
    char got[3100];
    kv_set("after", "a", 1);
    assert_int_equal(xs_read(0, "after", got, sizeof got), 1);
    assert_string_equal(got, "a");
    assert_int_equal(xs_read(0, "stuck", got, sizeof got), 3000); /* the cut request arrived whole */
}

static void a_request_over_the_payload_limit_writes_nothing(void **state)
{
    (void)state;
    static char val[XS_PAYLOAD_MAX + 1];
    memset(val, 'v', XS_PAYLOAD_MAX);
    val[XS_PAYLOAD_MAX] = '\0';
    uint32_t prod = page.req_prod;
    assert_int_equal(xs_write(0, "k", val), XS_E2BIG);
    assert_int_equal(page.req_prod, prod);
    /* Exactly the limit goes through: path "k\0" + 4094 bytes. */
    val[XS_PAYLOAD_MAX - 2] = '\0';
    assert_int_equal(xs_write(0, "k", val), 0);
}

static void unknown_error_strings_map_to_eother(void **state)
{
    (void)state;
    /* The next request gets an error string nobody knows. */
    silent = 1;
    char got[8];
    kv_set("k", "v", 1);
    /* Queue the odd reply for the id the client will use next. */
    struct xs_hdr odd = {XS_ERROR, next_req_id, 0, 0};
    srv_reply(odd.type, odd.req_id, 0, "EWHATEVER", 10);
    assert_int_equal(xs_read(0, "k", got, sizeof got), XS_EOTHER);
    silent = 0;
    assert_int_equal(xs_read(0, "k", got, sizeof got), 1);
}

static void malformed_replies_are_protocol_errors(void **state)
{
    (void)state;
    char got[16];
    kv_set("k", "v", 1);
    /* A length beyond the payload limit. */
    silent = 1;
    struct xs_hdr h = {XS_READ, next_req_id, 0, XS_PAYLOAD_MAX + 1};
    memcpy(sout, &h, sizeof h);
    sout_len = sizeof h;
    assert_int_equal(xs_read(0, "k", got, sizeof got), XS_EPROTO);
    assert_int_equal(xs_read(0, "k", got, sizeof got), XS_EPROTO); /* the stream cannot be trusted again */
    assert_string_equal(xs_strerror(XS_EPROTO), "malformed xenstore reply");

    /* A type number out of range. */
    setup(NULL);
    silent = 1;
    struct xs_hdr t = {99, next_req_id, 0, 0};
    memcpy(sout, &t, sizeof t);
    sout_len = sizeof t;
    assert_int_equal(xs_read(0, "k", got, sizeof got), XS_EPROTO);

    /* A reply of another type than the request's. */
    setup(NULL);
    silent = 1;
    srv_reply(XS_WRITE, next_req_id, 0, "OK", 3);
    assert_int_equal(xs_read(0, "k", got, sizeof got), XS_EPROTO);
    silent = 0;
    kv_set("k", "v", 1);
    assert_int_equal(xs_read(0, "k", got, sizeof got), 1); /* a well-formed but wrong reply is survivable */

    /* Indices no server could produce. */
    setup(NULL);
    page.rsp_prod = page.rsp_cons + XS_RING + 1;
    assert_int_equal(xs_read(0, "k", got, sizeof got), XS_EPROTO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(read_write_rm_with_the_wire_payloads, setup),
        cmocka_unit_test_setup(transactions_retry_on_eagain, setup),
        cmocka_unit_test_setup(a_bad_transaction_id_is_a_protocol_error, setup),
        cmocka_unit_test_setup(watch_events_interleave_and_wait_for_their_token, setup),
        cmocka_unit_test_setup(the_event_queue_is_bounded_and_counts_what_it_drops, setup),
        cmocka_unit_test_setup(replies_across_the_ring_and_index_wrap, setup),
        cmocka_unit_test_setup(a_reply_too_long_for_the_buffer_keeps_the_stream, setup),
        cmocka_unit_test_setup(a_silent_server_times_out_and_its_late_reply_is_dropped, setup),
        cmocka_unit_test_setup(a_reply_cut_by_a_timeout_is_finished_and_dropped, setup),
        cmocka_unit_test_setup(a_request_longer_than_the_ring_goes_in_pieces, setup),
        cmocka_unit_test_setup(a_request_cut_by_a_timeout_is_finished_before_the_next, setup),
        cmocka_unit_test_setup(a_request_over_the_payload_limit_writes_nothing, setup),
        cmocka_unit_test_setup(unknown_error_strings_map_to_eother, setup),
        cmocka_unit_test_setup(malformed_replies_are_protocol_errors, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
