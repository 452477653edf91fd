/* SPDX-License-Identifier: Apache-2.0 */
/* The one connection pump (appliance/pump.c): our TLS client engine and
 * our TLS server engine, each driven by a pump, over in-memory transports;
 * the server runs the echo application the --tls-echo service runs. Echo
 * through TLS and in the clear, a transport that takes a few bytes at a
 * time, the orderly close both ways, end of stream without close_notify,
 * a failed handshake (only the alert leaves), and a transport that goes
 * away. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appliance/pump.h"
#include "tls/backend/crypto_mbedtls.h"
#include "tls/tls.h"
#include "tls_testutil.h"

/* One direction of a byte stream. */
struct pipe {
    uint8_t buf[1 << 18];
    size_t len;
    int eof; /* the writer has finished: reads past the data see end of stream */
};

/* One end's transport: reads `in`, writes `out`, at most `chunk` bytes a
 * call (0: no limit); `full` makes it take nothing, `gone` fail. */
struct side {
    struct pipe *in, *out;
    size_t chunk;
    int full, gone;
    size_t sent_total;
    int windowed;  /* take at most `window` bytes in all, as a TCP send window */
    size_t window;
};

static long mem_send(void *ctx, const uint8_t *p, size_t n)
{
    struct side *s = ctx;
    if (s->gone)
        return -1;
    if (s->full)
        return 0;
    size_t room = sizeof s->out->buf - s->out->len;
    if (n > room)
        n = room;
    if (s->chunk && n > s->chunk)
        n = s->chunk;
    if (s->windowed) {
        if (n > s->window)
            n = s->window;
        s->window -= n;
    }
    memcpy(s->out->buf + s->out->len, p, n);
    s->out->len += n;
    s->sent_total += n;
    return (long)n;
}

static long mem_recv(void *ctx, uint8_t *p, size_t cap)
{
    struct side *s = ctx;
    if (s->in->len == 0)
        return s->in->eof ? -1 : 0;
    size_t n = s->in->len < cap ? s->in->len : cap;
    if (s->chunk && n > s->chunk)
        n = s->chunk;
    memcpy(p, s->in->buf, n);
    memmove(s->in->buf, s->in->buf + n, s->in->len - n);
    s->in->len -= n;
    return (long)n;
}

/* The client's application: sends `data`, keeps what comes back (at most
 * `take` bytes a call, 0: all); done once everything is sent and `finish`
 * is set, or the peer has finished. */
struct script {
    const uint8_t *data;
    size_t len, off, take;
    int finish;
    int starts, eofs;
    uint8_t got[200000];
    size_t got_len;
};

static void sc_start(void *app)
{
    ((struct script *)app)->starts++;
}

static size_t sc_input(void *app, const uint8_t *p, size_t n)
{
    struct script *s = app;
    if (s->take && n > s->take)
        n = s->take;
    assert_true(s->got_len + n <= sizeof s->got);
    memcpy(s->got + s->got_len, p, n);
    s->got_len += n;
    return n;
}

static void sc_input_eof(void *app)
{
    ((struct script *)app)->eofs++;
}

static size_t sc_output(void *app, const uint8_t **p)
{
    struct script *s = app;
    *p = s->data + s->off;
    return s->len - s->off;
}

static void sc_sent(void *app, size_t n)
{
    struct script *s = app;
    assert_true(n <= s->len - s->off);
    s->off += n;
}

static int sc_done(void *app)
{
    struct script *s = app;
    return (s->finish && s->off == s->len) || s->eofs != 0;
}

static const struct pump_app script_app = {sc_start, sc_input, sc_input_eof, sc_output, sc_sent, sc_done};

struct end {
    struct atoll_tls_conn c;
    uint8_t in[TLS_RECORD_MAX], hs[16384], out[32768];
    uint8_t staging[4096];
};

static struct atoll_tls_crypto crypto_s, crypto_c;
static struct tls_test_state st_s, st_c;
static struct tls_test_key ec_key;
static uint8_t *leaf, *inter;
static size_t leaf_len, inter_len;
static struct atoll_tls_server_config scfg;
static struct atoll_tls_client_config ccfg;
static struct end srv, cli;
static struct pipe c2s, s2c;
static struct side cside, sside;
static struct pump cp, sp;
static struct pump_echo echo;
static uint8_t echo_buf[PUMP_ECHO_BUF];
static struct script sc;
static enum pump_result cres, sres;
static uint8_t data[150000];

static int setup(void **state)
{
    (void)state;
    size_t n;
    uint8_t *k = read_fixture("ec256_key.der", &n);
    tls_test_key_load(&ec_key, k, n);
    free(k);
    leaf = read_fixture("leaf_ec256.der", &leaf_len);
    inter = read_fixture("int.der", &inter_len);
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 31u + i / 251u);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(leaf);
    free(inter);
    tls_test_key_free(&ec_key);
    tls_test_crypto_free(&st_s);
    tls_test_crypto_free(&st_c);
    return 0;
}

/* Fresh engines, pipes and pumps: the server echoes, the client sends
 * `len` bytes of data (lingering as tools/tls_client.c does, or not).
 * tls 0: in the clear. */
static void start(int tls, size_t len, size_t chunk, int linger)
{
    memset(&c2s, 0, sizeof c2s);
    memset(&s2c, 0, sizeof s2c);
    cside = (struct side){.in = &s2c, .out = &c2s, .chunk = chunk};
    sside = (struct side){.in = &c2s, .out = &s2c, .chunk = chunk};
    memset(&sc, 0, sizeof sc);
    sc.data = data;
    sc.len = len;
    cres = sres = PUMP_AGAIN;

    memset(&scfg, 0, sizeof scfg);
    struct atoll_tls_credential *cr = &scfg.cred[scfg.cred_count++];
    cr->chain[0] = leaf;
    cr->chain_len[0] = leaf_len;
    cr->chain[1] = inter;
    cr->chain_len[1] = inter_len;
    cr->chain_count = 2;
    cr->key = ec_key.b;
    cr->key_kind = tls_test_backend()->ops->key_kind(ec_key.b);
    cr->names[0] = "www.atoll.test";
    cr->name_count = 1;
    memset(&ccfg, 0, sizeof ccfg);
    ccfg.server_name = "www.atoll.test";

    struct pump_transport ts = {.ctx = &sside, .send = mem_send, .recv = mem_recv};
    struct pump_transport tc = {.ctx = &cside, .send = mem_send, .recv = mem_recv};
    pump_echo_init(&echo, echo_buf);
    if (tls) {
        tls_test_crypto(&crypto_s, &st_s, 7);
        tls_test_crypto(&crypto_c, &st_c, 107);
        struct atoll_tls_buffers bs = {srv.in, sizeof srv.in, srv.hs, sizeof srv.hs, srv.out, sizeof srv.out};
        struct atoll_tls_buffers bc = {cli.in, sizeof cli.in, cli.hs, sizeof cli.hs, cli.out, sizeof cli.out};
        assert_int_equal(atoll_tls_server_init(&srv.c, &scfg, &crypto_s, &bs), 0);
        assert_int_equal(atoll_tls_client_init(&cli.c, &ccfg, &crypto_c, &bc, 1000), 0);
    }
    pump_init(&sp, tls ? &srv.c : NULL, &ts, &pump_echo_app, &echo, srv.staging, sizeof srv.staging, 0);
    pump_init(&cp, tls ? &cli.c : NULL, &tc, &script_app, &sc, cli.staging, sizeof cli.staging, linger);
}

/* Runs both pumps (each until it has finished) for at most `turns` turns,
 * or until neither moves any more. */
static void run(int turns)
{
    for (int i = 0; i < turns; i++) {
        size_t before = c2s.len + s2c.len + cside.sent_total + sside.sent_total + sc.got_len + sc.off;
        int progress = 0;
        if (cres == PUMP_AGAIN)
            cres = pump_run(&cp, 1000, &progress);
        if (sres == PUMP_AGAIN)
            sres = pump_run(&sp, 1000, &progress);
        size_t after = c2s.len + s2c.len + cside.sent_total + sside.sent_total + sc.got_len + sc.off;
        if (!progress && before == after)
            return;
    }
}

static void tls_echo_and_orderly_close(void **state)
{
    (void)state;
    start(1, 100000, 0, 1);
    run(2000);
    assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_OPEN);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_OPEN);
    assert_int_equal(sc.starts, 1);
    assert_int_equal(sc.got_len, 100000);
    assert_memory_equal(sc.got, data, 100000);
    assert_int_equal(cres, PUMP_AGAIN);
    assert_int_equal(sres, PUMP_AGAIN);

    /* The client finishes: its close_notify ends the echo's input, the echo
     * answers with its own and is done; the client, lingering, waits for
     * it and ends on it. */
    sc.finish = 1;
    int progress = 0;
    cres = pump_run(&cp, 1000, &progress);
    assert_int_equal(cres, PUMP_AGAIN);
    assert_true(c2s.len > 0);
    run(200);
    assert_int_equal(sres, PUMP_CLOSE);
    assert_int_equal(cres, PUMP_CLOSE);
    assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_CLOSED);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_CLOSED);
    assert_true(echo.eof);
    assert_int_equal(sc.eofs, 1);
    assert_int_equal(c2s.len, 0);
    assert_int_equal(s2c.len, 0);
}

/* Without linger (the appliance's servers), a pump is done once its own
 * close_notify has left, without waiting for the peer's. */
static void done_when_its_close_has_left(void **state)
{
    (void)state;
    start(1, 10, 0, 0);
    run(200);
    assert_int_equal(sc.got_len, 10);
    sc.finish = 1;
    int progress = 0;
    cres = pump_run(&cp, 1000, &progress);
    assert_int_equal(cres, PUMP_CLOSE);
    assert_true(c2s.len > 0); /* the close_notify has left */
    assert_int_equal(s2c.len, 0); /* and nothing came back yet */
    assert_int_equal(sc.eofs, 0);
}

static void plain_echo_and_end_of_stream(void **state)
{
    (void)state;
    start(0, 50000, 0, 1);
    assert_int_equal(sc.starts, 1); /* in the clear, the application starts at once */
    run(2000);
    assert_int_equal(sc.got_len, 50000);
    assert_memory_equal(sc.got, data, 50000);
    assert_int_equal(sres, PUMP_AGAIN);
    /* The client's transport ends its stream: the echo is done. */
    c2s.eof = 1;
    run(50);
    assert_int_equal(sres, PUMP_CLOSE);
    assert_true(echo.eof);
    assert_int_equal(sc.got_len, 50000);
}

/* A transport that moves 7 bytes a call, and an application that takes 5
 * at a time: the handshake, the echo and the close all still complete. */
static void transport_taking_a_few_bytes_at_a_time(void **state)
{
    (void)state;
    start(1, 20000, 7, 1);
    sc.take = 5;
    run(200000);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_OPEN);
    assert_int_equal(sc.got_len, 20000);
    assert_memory_equal(sc.got, data, 20000);
    sc.finish = 1;
    run(20000);
    assert_int_equal(sres, PUMP_CLOSE);
    assert_int_equal(cres, PUMP_CLOSE);
}

/* The peer's transport ends without a close_notify (truncation): what had
 * arrived is still echoed, then the server closes with its own
 * close_notify. */
static void end_of_stream_without_close_notify(void **state)
{
    (void)state;
    start(1, 3000, 0, 1);
    run(2000);
    assert_int_equal(sc.got_len, 3000);
    /* More bytes, then the stream ends, with no close_notify after them. */
    sc.len = 5000;
    int progress = 0;
    cres = pump_run(&cp, 1000, &progress);
    assert_true(c2s.len > 0);
    c2s.eof = 1;
    for (int i = 0; i < 20 && sres == PUMP_AGAIN; i++)
        sres = pump_run(&sp, 1000, &progress);
    assert_int_equal(sres, PUMP_CLOSE);
    assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_OPEN); /* no close_notify came */
    assert_true(echo.eof);
    /* The client reads the rest of the echo, then the server's close_notify. */
    for (int i = 0; i < 20 && cres == PUMP_AGAIN; i++)
        cres = pump_run(&cp, 1000, &progress);
    assert_int_equal(sc.got_len, 5000);
    assert_memory_equal(sc.got, data, 5000);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_CLOSED);
    assert_int_equal(cres, PUMP_CLOSE);
}

/* A peer gone before the handshake completed: nothing to answer. */
static void end_of_stream_during_the_handshake(void **state)
{
    (void)state;
    start(1, 10, 0, 1);
    c2s.eof = 1; /* not even a ClientHello */
    int progress = 0;
    sres = pump_run(&sp, 1000, &progress);
    assert_int_equal(sres, PUMP_CLOSE);
    assert_int_equal(s2c.len, 0);
    assert_false(sp.started);
}

/* A ClientHello the server refuses: the application never starts, and all
 * that leaves is one alert record; the pump waits for it to leave, then is
 * done. */
static void failed_handshake_leaves_only_the_alert(void **state)
{
    (void)state;
    start(1, 10, 0, 1);
    /* A handshake record whose ClientHello is cut short after its version. */
    static const uint8_t bad[] = {0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0x00, 0x00, 0x04, 0x03, 0x03, 0x00, 0x00};
    memcpy(c2s.buf, bad, sizeof bad);
    c2s.len = sizeof bad;
    sside.full = 1;
    int progress = 0;
    for (int i = 0; i < 3; i++) {
        sres = pump_run(&sp, 1000, &progress);
        assert_int_equal(sres, PUMP_AGAIN);
        assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_FAILED);
        assert_true(pump_output_pending(&sp));
    }
    sside.full = 0;
    sres = pump_run(&sp, 1000, &progress);
    assert_int_equal(sres, PUMP_CLOSE);
    assert_false(sp.started);
    assert_int_equal(echo.len, 0);
    /* Exactly one fatal alert record. */
    assert_int_equal(s2c.len, 7);
    assert_int_equal(s2c.buf[0], 21);
    assert_int_equal(s2c.buf[3], 0);
    assert_int_equal(s2c.buf[4], 2);
    assert_int_equal(s2c.buf[5], 2);
    assert_int_equal(s2c.buf[6], atoll_tls_alert_sent(&srv.c));
    assert_int_equal(atoll_tls_alert_sent(&srv.c), 50); /* decode_error */
}

/* A transport that fails while the pump sends: reset, not closed. */
static void transport_gone_aborts(void **state)
{
    (void)state;
    start(1, 10, 0, 1);
    run(200);
    assert_int_equal(sc.got_len, 10);
    sside.gone = 1;
    sc.len = 20; /* more to echo, which cannot be sent */
    int progress = 0;
    cres = pump_run(&cp, 1000, &progress);
    sres = pump_run(&sp, 1000, &progress);
    assert_int_equal(sres, PUMP_ABORT);
    assert_int_equal(sc.got_len, 10);
}

/* A server application answering one line at a time, as http_conn does
 * with pipelined requests: no input is taken while an answer is pending. */
struct lines {
    uint8_t out[64];
    size_t off, len;
    unsigned answered;
};

static void ln_start(void *app)
{
    (void)app;
}

static size_t ln_input(void *app, const uint8_t *p, size_t n)
{
    struct lines *l = app;
    if (l->off < l->len)
        return 0;
    const uint8_t *e = memchr(p, '\n', n);
    if (!e)
        return 0;
    l->off = 0;
    l->len = (size_t)snprintf((char *)l->out, sizeof l->out, "answer %u\n", l->answered++);
    return (size_t)(e - p) + 1;
}

static void ln_input_eof(void *app)
{
    (void)app;
}

static size_t ln_output(void *app, const uint8_t **p)
{
    struct lines *l = app;
    *p = l->out + l->off;
    return l->len - l->off;
}

static void ln_sent(void *app, size_t n)
{
    ((struct lines *)app)->off += n;
}

static int ln_done(void *app)
{
    (void)app;
    return 0;
}

static const struct pump_app lines_app = {ln_start, ln_input, ln_input_eof, ln_output, ln_sent, ln_done};
static struct lines lines;

static size_t count_byte(const uint8_t *p, size_t n, uint8_t b)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == b;
    return k;
}

/* 100 pipelined requests in one record: the pump works a bounded number
 * of rounds per call, then says it has more, and a caller that runs it
 * again while it says so (web_service's loop) gets every answer, with
 * no transport event in between; once all is answered it says no more. */
static void deep_pipeline_is_answered_in_full(void **state)
{
    (void)state;
    static uint8_t reqs[1000];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf((char *)reqs + n, sizeof reqs - n, "GET %d\n", i);
    start(1, 0, 0, 1);
    memset(&lines, 0, sizeof lines);
    struct pump_transport ts = {.ctx = &sside, .send = mem_send, .recv = mem_recv};
    pump_init(&sp, &srv.c, &ts, &lines_app, &lines, srv.staging, sizeof srv.staging, 0);
    run(200);
    assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_OPEN);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_OPEN);
    assert_int_equal(lines.answered, 0);
    sc.data = reqs;
    sc.len = n;
    int progress = 0;
    cres = pump_run(&cp, 1000, &progress);
    assert_int_equal(sc.off, n); /* all 100 requests sealed... */
    assert_int_equal(c2s.len, n + 5 + 17); /* ...in one record */
    int calls = 0;
    do {
        sres = pump_run(&sp, 1000, &progress);
        assert_int_equal(sres, PUMP_AGAIN);
        calls++;
    } while (pump_more(&sp) && calls < 100);
    assert_int_equal(lines.answered, 100);
    assert_true(calls >= 2); /* bounded work per call */
    assert_false(pump_more(&sp));
    /* Nothing left: another call moves nothing and wants no more. */
    progress = 0;
    sres = pump_run(&sp, 1000, &progress);
    assert_int_equal(progress, 0);
    assert_false(pump_more(&sp));
    for (int i = 0; i < 10; i++)
        cres = pump_run(&cp, 1000, &progress);
    assert_int_equal(count_byte(sc.got, sc.got_len, '\n'), 100);
}

/* A bulk stream sent as a send window opens 2900 bytes at a time goes out
 * in full records (the last one excepted), not in records cut to whatever
 * room the output had left each time. */
static void bulk_leaves_in_full_records(void **state)
{
    (void)state;
    start(1, 0, 0, 1);
    run(200);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_OPEN);
    assert_int_equal(c2s.len, 0);
    sc.len = 150000;
    cside.windowed = 1;
    int progress = 0;
    for (int i = 0; i < 1000 && (sc.off < sc.len || pump_output_pending(&cp)); i++) {
        cside.window = 2900;
        cres = pump_run(&cp, 1000, &progress);
        assert_int_equal(cres, PUMP_AGAIN);
    }
    assert_int_equal(sc.off, sc.len);
    assert_false(pump_output_pending(&cp));
    size_t off = 0, records = 0, plain = 0;
    while (off < c2s.len) {
        assert_true(off + 5 <= c2s.len);
        assert_int_equal(c2s.buf[off], 23);
        size_t len = (size_t)c2s.buf[off + 3] << 8 | c2s.buf[off + 4];
        off += 5 + len;
        plain += len - 17;
        records++;
        if (off < c2s.len)
            assert_int_equal(len, 16384 + 17); /* every record but the last is full */
    }
    assert_int_equal(off, c2s.len);
    assert_int_equal(plain, 150000);
    assert_int_equal(records, (150000 + 16383) / 16384);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tls_echo_and_orderly_close),
        cmocka_unit_test(done_when_its_close_has_left),
        cmocka_unit_test(plain_echo_and_end_of_stream),
        cmocka_unit_test(transport_taking_a_few_bytes_at_a_time),
        cmocka_unit_test(end_of_stream_without_close_notify),
        cmocka_unit_test(end_of_stream_during_the_handshake),
        cmocka_unit_test(failed_handshake_leaves_only_the_alert),
        cmocka_unit_test(transport_gone_aborts),
        cmocka_unit_test(deep_pipeline_is_answered_in_full),
        cmocka_unit_test(bulk_leaves_in_full_records),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
