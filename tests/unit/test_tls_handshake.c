/* SPDX-License-Identifier: Apache-2.0 */
/* Our TLS client against our TLS server, in process, with deterministic
 * randomness: every suite and group, both certificate types, application
 * data both ways, KeyUpdate, close_notify, resumption with tickets (and
 * what must not resume), tampering answered with the right alert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tls/backend/crypto_mbedtls.h"
#include "tls/msg.h"
#include "tls/record.h"
#include "tls/tls.h"
#include "tls_testutil.h"

struct end {
    struct atoll_tls_conn c;
    uint8_t in[TLS_RECORD_MAX], hs[16384], out[32768];
};

static struct atoll_tls_crypto crypto_s, crypto_c;
static struct tls_test_state st_s, st_c;
static struct tls_test_key ec_key, rsa_key;
static uint8_t *ec_leaf, *rsa_leaf, *inter;
static size_t ec_leaf_len, rsa_leaf_len, inter_len;
static struct atoll_tls_server_config scfg;
static struct end srv, cli;

/* Stored ticket from on_ticket. */
static struct {
    int n;
    uint16_t suite;
    uint8_t ticket[512];
    size_t ticket_len;
    uint8_t psk[48];
    size_t psk_len;
    uint32_t age_add;
} saved;

static void on_ticket(void *ctx, uint16_t suite, const uint8_t *t, size_t tl, const uint8_t *psk, size_t pl,
                      uint32_t lifetime, uint32_t age_add)
{
    (void)ctx;
    assert_true(lifetime > 0);
    assert_true(tl <= sizeof saved.ticket);
    saved.n++;
    saved.suite = suite;
    memcpy(saved.ticket, t, tl);
    saved.ticket_len = tl;
    memcpy(saved.psk, psk, pl);
    saved.psk_len = pl;
    saved.age_add = age_add;
}

static void load_key(struct tls_test_key *k, const char *name)
{
    size_t n;
    uint8_t *p = read_fixture(name, &n);
    tls_test_key_load(k, p, n);
    free(p);
}

static int setup(void **state)
{
    (void)state;
    load_key(&ec_key, "ec256_key.der");
    load_key(&rsa_key, "rsa2048_key.der");
    ec_leaf = read_fixture("leaf_ec256.der", &ec_leaf_len);
    rsa_leaf = read_fixture("leaf_rsa2048.der", &rsa_leaf_len);
    inter = read_fixture("int.der", &inter_len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(ec_leaf);
    free(rsa_leaf);
    free(inter);
    tls_test_key_free(&ec_key);
    tls_test_key_free(&rsa_key);
    tls_test_crypto_free(&st_s);
    tls_test_crypto_free(&st_c);
    return 0;
}

static void add_cred(const uint8_t *leaf, size_t leaf_len, struct tls_test_key *k, const char *name)
{
    struct atoll_tls_credential *cr = &scfg.cred[scfg.cred_count++];
    memset(cr, 0, sizeof *cr);
    cr->chain[0] = leaf;
    cr->chain_len[0] = leaf_len;
    cr->chain[1] = inter;
    cr->chain_len[1] = inter_len;
    cr->chain_count = 2;
    cr->key = k->b;
    cr->key_kind = tls_test_backend()->ops->key_kind(k->b);
    cr->names[0] = name;
    cr->name_count = 1;
}

/* A server with the ECDSA and/or RSA credential and one ticket key. */
static void server_config(int ec, int rsa)
{
    memset(&scfg, 0, sizeof scfg);
    if (ec)
        add_cred(ec_leaf, ec_leaf_len, &ec_key, "www.atoll.test");
    if (rsa)
        add_cred(rsa_leaf, rsa_leaf_len, &rsa_key, "www.atoll.test");
    scfg.alpn = "http/1.1";
    scfg.ticket_lifetime_s = 3600;
    scfg.tickets_per_handshake = 2;
    scfg.max_early_data_skip = 16384;
    memset(scfg.ticket_current.name, 0x11, ATOLL_TLS_TICKET_NAME_LEN);
    memset(scfg.ticket_current.key, 0x22, ATOLL_TLS_TICKET_KEY_LEN);
}

static void start(const struct atoll_tls_client_config *ccfg, uint8_t seed, uint64_t now)
{
    tls_test_crypto(&crypto_s, &st_s, seed);
    tls_test_crypto(&crypto_c, &st_c, (uint8_t)(seed + 100));
    struct atoll_tls_buffers bs = {srv.in, sizeof srv.in, srv.hs, sizeof srv.hs, srv.out, sizeof srv.out};
    struct atoll_tls_buffers bc = {cli.in, sizeof cli.in, cli.hs, sizeof cli.hs, cli.out, sizeof cli.out};
    assert_int_equal(atoll_tls_server_init(&srv.c, &scfg, &crypto_s, &bs), 0);
    assert_int_equal(atoll_tls_client_init(&cli.c, ccfg, &crypto_c, &bc, now), 0);
}

/* Moves queued bytes from a to b; returns bytes moved. tamper_at >= 0
 * flips that byte of the stream (counted across calls). */
static long tamper_at = -1, moved_total;
static size_t move(struct end *a, struct end *b, uint64_t now)
{
    const uint8_t *p;
    size_t n = atoll_tls_output(&a->c, &p);
    size_t done = 0;
    while (done < n) {
        size_t room;
        uint8_t *dst = atoll_tls_input_buffer(&b->c, &room);
        if (room == 0)
            break;
        size_t k = n - done < room ? n - done : room;
        memcpy(dst, p + done, k);
        if (tamper_at >= moved_total && tamper_at < moved_total + (long)k)
            dst[tamper_at - moved_total] ^= 0x40;
        moved_total += (long)k;
        done += k;
        (void)atoll_tls_input_commit(&b->c, k, now);
    }
    atoll_tls_output_done(&a->c, done);
    return done;
}

static void run(uint64_t now)
{
    for (int i = 0; i < 100; i++) {
        size_t m = move(&cli, &srv, now) + move(&srv, &cli, now);
        if (m == 0)
            return;
    }
    fail_msg("handshake did not settle");
}

static void expect_open(void)
{
    assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_OPEN);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_OPEN);
}

/* n bytes from one end to the other, checked. */
static void transfer(struct end *from, struct end *to, size_t n)
{
    static uint8_t data[200000], got[200000];
    for (size_t i = 0; i < n; i++)
        data[i] = (uint8_t)(i * 7u + n);
    size_t sent = 0, recvd = 0;
    for (int guard = 0; guard < 10000 && recvd < n; guard++) {
        if (sent < n) {
            int w = atoll_tls_write(&from->c, data + sent, n - sent);
            assert_true(w >= 0);
            sent += (size_t)w;
        }
        move(from, to, 1000);
        move(to, from, 1000);
        recvd += atoll_tls_read(&to->c, got + recvd, n - recvd);
    }
    assert_int_equal(recvd, n);
    assert_memory_equal(data, got, n);
}

static struct atoll_tls_client_config base_client(void)
{
    struct atoll_tls_client_config c;
    memset(&c, 0, sizeof c);
    c.server_name = "www.atoll.test";
    c.alpn = "http/1.1";
    c.on_ticket = on_ticket;
    return c;
}

static void every_suite_and_group(void **state)
{
    (void)state;
    static const uint16_t suites[] = {TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256};
    static const uint16_t groups[] = {ATOLL_TLS_GROUP_X25519, ATOLL_TLS_GROUP_SECP256R1, ATOLL_TLS_GROUP_SECP384R1};
    server_config(1, 0);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++) {
            struct atoll_tls_client_config cc = base_client();
            cc.only_suite = suites[i];
            cc.first_group = groups[j];
            start(&cc, (uint8_t)(i * 3 + j), 1000);
            run(1000);
            expect_open();
            assert_int_equal(srv.c.suite, suites[i]);
            assert_int_equal(cli.c.suite, suites[i]);
            assert_int_equal(srv.c.group, groups[j]);
            assert_true(srv.c.alpn_selected && cli.c.alpn_selected);
            transfer(&cli, &srv, 1000);
            transfer(&srv, &cli, 40000);
        }
}

static void rsa_certificate(void **state)
{
    (void)state;
    server_config(0, 1);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 7, 1000);
    run(1000);
    expect_open();
    assert_int_equal(srv.c.sig_scheme, ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256);
    transfer(&srv, &cli, 100000);
}

static void both_certificates_client_order(void **state)
{
    (void)state;
    server_config(1, 1);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 8, 1000);
    run(1000);
    expect_open();
    /* our client lists ECDSA first */
    assert_int_equal(srv.c.sig_scheme, ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256);
}

/* SNI picks among the credentials by tls/dns_name.h's rules (the
 * client, offering ECDSA first, takes whatever key is left). */
static uint16_t scheme_for(const char *ec_name, const char *rsa_name, const char *sni, uint8_t seed)
{
    server_config(0, 0);
    add_cred(ec_leaf, ec_leaf_len, &ec_key, ec_name);
    add_cred(rsa_leaf, rsa_leaf_len, &rsa_key, rsa_name);
    struct atoll_tls_client_config cc = base_client();
    cc.server_name = sni;
    start(&cc, seed, 1000);
    run(1000);
    expect_open();
    assert_string_equal(srv.c.sni, sni);
    return srv.c.sig_scheme;
}

static void sni_chooses_the_credential(void **state)
{
    (void)state;
    const uint16_t EC = ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256, RSA = ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256;
    assert_int_equal(scheme_for("*.atoll.test", "atoll.test", "atoll.test", 30), RSA);
    assert_int_equal(scheme_for("*.atoll.test", "atoll.test", "www.atoll.test", 31), EC);
    assert_int_equal(scheme_for("*.atoll.test", "atoll.test", "WWW.Atoll.Test", 32), EC);
    assert_int_equal(scheme_for("*.atoll.test", "atoll.test", "a.www.atoll.test", 33), EC); /* no name: any */
    /* "*.test" is too broad to serve anything (the old server matcher let
     * it take atoll.test, and ECDSA with it) */
    assert_int_equal(scheme_for("*.test", "atoll.test", "atoll.test", 34), RSA);
    /* a configured name's trailing dot is ignored (the old matcher found
     * no name, so both keys served and ECDSA won); the SNI itself never
     * has one: the ClientHello parser refuses it (RFC 6066 §3) */
    assert_int_equal(scheme_for("www.atoll.test", "atoll.test.", "atoll.test", 35), RSA);
}

static void key_update_both_ways(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 9, 1000);
    run(1000);
    expect_open();
    assert_int_equal(atoll_tls_key_update(&cli.c, 1), 0); /* asks the server to update too */
    run(1000);
    transfer(&cli, &srv, 5000);
    transfer(&srv, &cli, 5000);
    assert_int_equal(atoll_tls_key_update(&srv.c, 0), 0);
    transfer(&srv, &cli, 5000);
    transfer(&cli, &srv, 5000);
    expect_open();
}

/* Buffers on loan (the appliance's pool): a server connection starts with
 * none, gets some only to work, and may give them back whenever it holds
 * no byte in them; another set of buffers (the last borrower's bytes still
 * in it) serves the next exchange. A record half received, or output not
 * yet taken, keeps them. */
static struct end pool_a, pool_b;
static void lend_to_server(struct end *from)
{
    struct atoll_tls_buffers b = {from->in, sizeof from->in, from->hs, sizeof from->hs, from->out, sizeof from->out};
    atoll_tls_attach_buffers(&srv.c, &b);
}

static void buffers_lent_while_in_flight(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 12, 1000);
    assert_true(atoll_tls_buffers_idle(&srv.c));
    atoll_tls_detach_buffers(&srv.c);
    size_t room;
    const uint8_t *p;
    (void)atoll_tls_input_buffer(&srv.c, &room);
    assert_int_equal(room, 0);
    assert_int_equal(atoll_tls_output(&srv.c, &p), 0);
    assert_int_equal(atoll_tls_writable(&srv.c), 0);
    lend_to_server(&pool_a);
    run(1000);
    expect_open();
    assert_true(atoll_tls_buffers_idle(&srv.c));
    atoll_tls_detach_buffers(&srv.c);
    memset(pool_a.in, 0xAA, sizeof pool_a.in); /* another connection's bytes */
    memset(pool_a.out, 0x55, sizeof pool_a.out);
    lend_to_server(&pool_b);
    transfer(&cli, &srv, 5000);
    transfer(&srv, &cli, 20000);
    assert_true(atoll_tls_buffers_idle(&srv.c));
    atoll_tls_detach_buffers(&srv.c);
    lend_to_server(&pool_a);
    /* a record in part: the buffers hold it */
    static const uint8_t hello[] = "GET / HTTP/1.1";
    assert_int_equal(atoll_tls_write(&cli.c, hello, sizeof hello), (int)sizeof hello);
    size_t n = atoll_tls_output(&cli.c, &p);
    assert_true(n > 10);
    assert_int_equal(atoll_tls_feed(&srv.c, p, 3, 1000), 3);
    atoll_tls_output_done(&cli.c, 3);
    assert_false(atoll_tls_buffers_idle(&srv.c));
    move(&cli, &srv, 1000);
    assert_false(atoll_tls_buffers_idle(&srv.c)); /* the plaintext waits to be read */
    uint8_t got[64];
    assert_int_equal(atoll_tls_read(&srv.c, got, sizeof got), sizeof hello);
    assert_memory_equal(got, hello, sizeof hello);
    assert_true(atoll_tls_buffers_idle(&srv.c));
    /* output not yet taken keeps them too */
    assert_int_equal(atoll_tls_write(&srv.c, hello, sizeof hello), (int)sizeof hello);
    assert_false(atoll_tls_buffers_idle(&srv.c));
    move(&srv, &cli, 1000);
    assert_true(atoll_tls_buffers_idle(&srv.c));
    assert_int_equal(atoll_tls_read(&cli.c, got, sizeof got), sizeof hello);
    atoll_tls_detach_buffers(&srv.c);
    lend_to_server(&pool_b);
    assert_int_equal(atoll_tls_key_update(&cli.c, 1), 0);
    run(1000);
    transfer(&srv, &cli, 3000);
    transfer(&cli, &srv, 3000);
    expect_open();
}

/* close_notify after an output buffer filled to within an alert's room:
 * the queued data still leaves first, then the close (it once displaced
 * the whole queue: a 2 MB download cut by 32 KiB). */
static void close_after_a_full_output(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 13, 1000);
    run(1000);
    expect_open();
    static uint8_t data[40000], got[40000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 13u + 1u);
    /* one full record (16384 + 22) and one that leaves 10 bytes free */
    size_t second = sizeof srv.out - 10u - (16384u + 22u) - 22u;
    size_t total = 16384u + second;
    assert_int_equal(atoll_tls_write(&srv.c, data, 16384), 16384);
    assert_int_equal(atoll_tls_write(&srv.c, data + 16384, second), (int)second);
    const uint8_t *p;
    assert_int_equal(atoll_tls_output(&srv.c, &p), sizeof srv.out - 10u);
    atoll_tls_close(&srv.c);
    assert_false(atoll_tls_buffers_idle(&srv.c));
    size_t n = 0;
    for (int guard = 0; guard < 100; guard++) {
        move(&srv, &cli, 1000);
        n += atoll_tls_read(&cli.c, got + n, sizeof got - n);
    }
    assert_int_equal(n, total);
    assert_memory_equal(got, data, total);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_CLOSED); /* the close_notify came after */
    assert_true(atoll_tls_buffers_idle(&srv.c));
}

static void close_notify(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 10, 1000);
    run(1000);
    atoll_tls_close(&cli.c);
    run(1000);
    assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_CLOSED);
    assert_int_equal(atoll_tls_alert_received(&srv.c), TLS_ALERT_CLOSE_NOTIFY);
    assert_int_equal(atoll_tls_write(&cli.c, (const uint8_t *)"x", 1), 0); /* nothing after our close */
}

static void resumption(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    memset(&saved, 0, sizeof saved);
    start(&cc, 11, 1000);
    run(1000);
    expect_open();
    assert_int_equal(saved.n, 2);
    assert_false(srv.c.resumed);

    /* Resume with that first ticket every time (later connections get new
     * tickets, under later keys, which must not replace it). */
    static uint8_t first_ticket[512], first_psk[48];
    memcpy(first_ticket, saved.ticket, saved.ticket_len);
    memcpy(first_psk, saved.psk, saved.psk_len);
    struct atoll_tls_client_config rc = base_client();
    rc.on_ticket = NULL;
    rc.resume_ticket = first_ticket;
    rc.resume_ticket_len = saved.ticket_len;
    rc.resume_psk = first_psk;
    rc.resume_psk_len = saved.psk_len;
    rc.resume_suite = saved.suite;
    rc.resume_age_add = saved.age_add;
    rc.resume_age_ms = 500;
    start(&rc, 12, 1500);
    run(1500);
    expect_open();
    assert_true(srv.c.resumed);
    assert_true(cli.c.resumed);
    transfer(&cli, &srv, 3000);

    /* After two key rotations the ticket is no longer ours: full handshake. */
    struct atoll_tls_ticket_key k;
    memset(&k, 0x33, sizeof k);
    atoll_tls_ticket_keys_rotate(&scfg, &k);
    start(&rc, 13, 1500);
    run(1500);
    expect_open();
    assert_true(srv.c.resumed); /* previous key still accepted */
    memset(&k, 0x44, sizeof k);
    atoll_tls_ticket_keys_rotate(&scfg, &k);
    start(&rc, 14, 1500);
    run(1500);
    expect_open();
    assert_false(srv.c.resumed);

    /* An expired ticket does not resume either. */
    server_config(1, 0);
    start(&rc, 15, 1000 + 3601u * 1000u);
    run(1000 + 3601u * 1000u);
    expect_open();
    assert_false(srv.c.resumed);
}

static void wrong_binder_is_decrypt_error(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    memset(&saved, 0, sizeof saved);
    start(&cc, 16, 1000);
    run(1000);
    assert_true(saved.n > 0);
    struct atoll_tls_client_config rc = base_client();
    saved.psk[0] ^= 1; /* the client's PSK differs from the ticket's */
    rc.resume_ticket = saved.ticket;
    rc.resume_ticket_len = saved.ticket_len;
    rc.resume_psk = saved.psk;
    rc.resume_psk_len = saved.psk_len;
    rc.resume_suite = saved.suite;
    start(&rc, 17, 1000);
    run(1000);
    assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_FAILED);
    assert_int_equal(atoll_tls_alert_sent(&srv.c), TLS_ALERT_DECRYPT_ERROR);
    assert_int_equal(atoll_tls_alert_received(&cli.c), TLS_ALERT_DECRYPT_ERROR);
}

static void tampered_flight_is_bad_record_mac(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 18, 1000);
    /* The client's hello, then deep into the server's protected flight. */
    move(&cli, &srv, 1000);
    moved_total = 0;
    tamper_at = 400;
    move(&srv, &cli, 1000);
    tamper_at = -1;
    run(1000);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_FAILED);
    assert_int_equal(atoll_tls_alert_sent(&cli.c), TLS_ALERT_BAD_RECORD_MAC);
    assert_int_equal(atoll_tls_alert_received(&srv.c), TLS_ALERT_BAD_RECORD_MAC);
}

static void alpn_mismatch(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    cc.alpn = "h2";
    start(&cc, 19, 1000);
    run(1000);
    assert_int_equal(atoll_tls_alert_sent(&srv.c), TLS_ALERT_NO_APPLICATION_PROTOCOL);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_FAILED);
}

/* A second protocol the server also speaks is chosen when the client
 * offers only that one (curl --http1.0); h2 alone still is refused. */
static void alpn_also_chosen(void **state)
{
    (void)state;
    server_config(1, 0);
    scfg.alpn_also = "http/1.0";
    struct atoll_tls_client_config cc = base_client();
    cc.alpn = "http/1.0";
    start(&cc, 23, 1000);
    run(1000);
    expect_open();
    assert_true(srv.c.alpn_selected && cli.c.alpn_selected);
    cc.alpn = "h2";
    start(&cc, 24, 1000);
    run(1000);
    assert_int_equal(atoll_tls_alert_sent(&srv.c), TLS_ALERT_NO_APPLICATION_PROTOCOL);
}

/* A Finished that does not verify is decrypt_error (§4.4.4), either way. */
static void bad_finished_is_decrypt_error(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 22, 1000);
    move(&cli, &srv, 1000);            /* ClientHello; the server's flight is queued */
    srv.c.c_hs[0] ^= 1;                /* the server now expects another Finished */
    run(1000);
    assert_int_equal(atoll_tls_alert_sent(&srv.c), TLS_ALERT_DECRYPT_ERROR);
    assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_FAILED);

    /* Client side: deliver the ServerHello record alone, then spoil the
     * key the server's Finished is checked with. */
    start(&cc, 24, 1000);
    move(&cli, &srv, 1000);
    const uint8_t *p;
    size_t n = atoll_tls_output(&srv.c, &p);
    size_t sh = 5u + (size_t)p[3] * 256u + p[4];
    assert_true(n > sh && p[0] == 22);
    assert_int_equal(atoll_tls_feed(&cli.c, p, sh, 1000), (int)sh);
    atoll_tls_output_done(&srv.c, sh);
    assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_HANDSHAKE);
    cli.c.s_hs[0] ^= 1;
    move(&srv, &cli, 1000);
    assert_int_equal(atoll_tls_alert_sent(&cli.c), TLS_ALERT_DECRYPT_ERROR);
}

/* The client's checks on ServerHello / HelloRetryRequest (§4.1.3-4). */
static int client_answer(const struct tls_server_hello *sh)
{
    struct atoll_tls_client_config cc = base_client();
    cc.only_suite = TLS_AES_128_GCM_SHA256;
    start(&cc, 25, 1000);
    const uint8_t *p;
    atoll_tls_output_done(&cli.c, atoll_tls_output(&cli.c, &p));
    struct tls_server_hello m = *sh;
    if (m.session_id == NULL) {
        m.session_id = cli.c.session_id;
        m.session_id_len = 32;
    }
    uint8_t rec[512];
    int n = tls_server_hello_write(rec + 5, sizeof rec - 5, &m);
    assert_true(n > 0);
    rec[0] = 22;
    rec[1] = 3;
    rec[2] = 3;
    rec[3] = (uint8_t)(n / 256);
    rec[4] = (uint8_t)(n % 256);
    (void)atoll_tls_feed(&cli.c, rec, (size_t)n + 5, 1000);
    return atoll_tls_alert_sent(&cli.c);
}

static void client_checks_server_hello(void **state)
{
    (void)state;
    server_config(1, 0);
    uint8_t share[32], other_sid[32];
    memset(share, 9, sizeof share);
    memset(other_sid, 7, sizeof other_sid);
    struct tls_server_hello sh = {.suite = TLS_AES_128_GCM_SHA256, .group = ATOLL_TLS_GROUP_X25519, .key_share = share,
                                  .key_share_len = 32, .psk_index = -1};
    sh.random[0] = 1;
    struct tls_server_hello t = sh;
    t.session_id = other_sid;
    t.session_id_len = 32;
    assert_int_equal(client_answer(&t), TLS_ALERT_ILLEGAL_PARAMETER); /* session id not echoed */
    t = sh;
    t.suite = TLS_AES_256_GCM_SHA384;
    assert_int_equal(client_answer(&t), TLS_ALERT_ILLEGAL_PARAMETER); /* suite not offered */
    t = sh;
    t.group = ATOLL_TLS_GROUP_SECP256R1;
    assert_int_equal(client_answer(&t), TLS_ALERT_ILLEGAL_PARAMETER); /* share for another group */
    t = sh;
    t.psk_index = 0;
    assert_int_equal(client_answer(&t), TLS_ALERT_ILLEGAL_PARAMETER); /* PSK never offered */
    t = sh;
    t.hrr = 1;
    assert_int_equal(client_answer(&t), TLS_ALERT_ILLEGAL_PARAMETER); /* HRR changing nothing */
    t.group = 0x001e;
    assert_int_equal(client_answer(&t), TLS_ALERT_ILLEGAL_PARAMETER); /* HRR to a group not offered */
    t = sh;
    memset(share, 0, sizeof share);
    assert_int_equal(client_answer(&t), TLS_ALERT_ILLEGAL_PARAMETER); /* all-zero x25519 result */
}

/* RFC 8449: a client announcing a small record_size_limit gets records no
 * larger from the server, and the data still arrives whole. */
static void record_size_limit_respected(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    cc.record_size_limit = 512;
    start(&cc, 26, 1000);
    run(1000);
    expect_open();
    assert_int_equal(srv.c.peer_record_limit, 512);
    static uint8_t data[5000];
    memset(data, 'r', sizeof data);
    assert_int_equal(atoll_tls_write(&srv.c, data, sizeof data), (int)sizeof data);
    const uint8_t *p;
    size_t n = atoll_tls_output(&srv.c, &p), records = 0;
    for (size_t off = 0; off < n; records++) {
        size_t len = (size_t)p[off + 3] * 256u + p[off + 4];
        assert_true(len <= 512u + ATOLL_TLS_AEAD_TAG_LEN);
        off += 5 + len;
    }
    assert_true(records >= sizeof data / 511u);
    move(&srv, &cli, 1000);
    uint8_t got[sizeof data];
    size_t have = 0;
    while (have < sizeof got) {
        size_t k = atoll_tls_read(&cli.c, got + have, sizeof got - have);
        if (k == 0)
            break;
        have += k;
    }
    assert_int_equal(have, sizeof data);
    assert_memory_equal(got, data, sizeof data);
}

/* §5.5: near the key-usage limit the sender updates its keys by itself
 * (KeyUpdate) and the data keeps flowing. */
static void key_usage_limit_triggers_update(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 21, 1000);
    run(1000);
    expect_open();
    uint64_t limit = srv.c.tx.seq + tls_traffic_budget(&srv.c.tx);
    srv.c.tx.seq = limit - 2; /* as if almost every allowed record had gone */
    cli.c.rx.seq = limit - 2;
    uint8_t before[ATOLL_TLS_HASH_MAX], key_before[ATOLL_TLS_AEAD_CTX_SIZE];
    memcpy(before, srv.c.tx.secret, sizeof before);
    memcpy(key_before, srv.c.tx.key.opaque, sizeof key_before);
    transfer(&srv, &cli, 60000); /* several records */
    assert_memory_not_equal(before, srv.c.tx.secret, sizeof before);
    assert_memory_not_equal(key_before, srv.c.tx.key.opaque, sizeof key_before);
    assert_true(srv.c.tx.seq < 10);
    expect_open();
}

static void errors_are_sticky(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 20, 1000);
    static const uint8_t junk[] = {0x17, 0x03, 0x03, 0x00, 0x01, 0x00};
    /* application data before any hello: unexpected_message */
    assert_int_equal(atoll_tls_feed(&srv.c, junk, sizeof junk, 1000), -TLS_ALERT_UNEXPECTED_MESSAGE);
    assert_int_equal(atoll_tls_feed(&srv.c, junk, sizeof junk, 1000), -TLS_ALERT_UNEXPECTED_MESSAGE);
    assert_int_equal(atoll_tls_write(&srv.c, junk, 1), -TLS_ALERT_UNEXPECTED_MESSAGE);
    const uint8_t *p;
    size_t n = atoll_tls_output(&srv.c, &p);
    assert_int_equal(n, 7);
    assert_int_equal(p[0], 21);
    assert_int_equal(p[5], 2);
    assert_int_equal(p[6], TLS_ALERT_UNEXPECTED_MESSAGE);
}

/* §5.1: handshake messages may not span a key change. The ClientHello's
 * record carrying the first bytes of the next message as well: the server
 * changes its receive keys right after the hello, so those bytes would
 * straddle the change. */
static void message_straddling_a_key_change(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 21, 1000);
    const uint8_t *p;
    size_t n = atoll_tls_output(&cli.c, &p);
    assert_true(n > 5 && n + 4 < 4096);
    static uint8_t rec[4096];
    memcpy(rec, p, n);
    static const uint8_t next[] = {20, 0, 0, 32}; /* a Finished header */
    memcpy(rec + n, next, sizeof next);
    size_t body = n - 5 + sizeof next;
    rec[3] = (uint8_t)(body >> 8);
    rec[4] = (uint8_t)body;
    assert_int_equal(atoll_tls_feed(&srv.c, rec, n + sizeof next, 1000), -TLS_ALERT_UNEXPECTED_MESSAGE);
    assert_int_equal(atoll_tls_alert_sent(&srv.c), TLS_ALERT_UNEXPECTED_MESSAGE);
}

/* ---- ClientHellos at the limits (issue 13 items 9-11) ---- */

/* A lender of two ClientHello-sized buffers, counting what it lends. */
static uint8_t lend_pool[2][ATOLL_TLS_CH_BODY_MAX + 4];
static int lend_used[2], lend_free_count = 2, lent, given_back;
static uint8_t *lend_borrow(void *ctx, size_t need, size_t *cap)
{
    (void)ctx;
    for (int i = 0; i < 2 && i < lend_free_count; i++)
        if (!lend_used[i] && need <= sizeof lend_pool[i]) {
            lend_used[i] = 1;
            lent++;
            *cap = sizeof lend_pool[i];
            return lend_pool[i];
        }
    return NULL;
}
static void lend_give_back(void *ctx, uint8_t *b)
{
    (void)ctx;
    for (int i = 0; i < 2; i++)
        if (b == lend_pool[i]) {
            assert_true(lend_used[i]);
            lend_used[i] = 0;
            given_back++;
        }
}
static const struct atoll_tls_hs_lender lender = {lend_borrow, lend_give_back, NULL};

/* One extension of the client's hello replaced (or, type 0xffff, extra
 * ones put first). */
struct ch_edit {
    uint16_t type;
    const uint8_t *ext; /* whole extension(s), header included; NULL: drop it */
    size_t len;
};

/* The client's ClientHello message rebuilt with edits; returns its length. */
static size_t edited_hello(uint8_t *out, size_t cap, const struct ch_edit *ed, size_t ned)
{
    const uint8_t *p;
    size_t n = atoll_tls_output(&cli.c, &p);
    assert_true(n > 9 && p[0] == 22 && p[5] == 1);
    const uint8_t *b = p + 9;
    size_t blen = n - 9;
    size_t off = 2 + 32;
    off += 1 + b[off];
    off += 2 + (size_t)(b[off] << 8 | b[off + 1]);
    off += 1 + b[off];
    size_t q = 4;
    memcpy(out + q, b, off);
    q += off + 2;
    for (size_t i = 0; i < ned; i++)
        if (ed[i].type == 0xffff) {
            assert_true(q + ed[i].len <= cap);
            memcpy(out + q, ed[i].ext, ed[i].len);
            q += ed[i].len;
        }
    for (size_t e = off + 2; e + 4 <= blen;) {
        uint16_t t = (uint16_t)(b[e] << 8 | b[e + 1]);
        size_t el = 4 + (size_t)(b[e + 2] << 8 | b[e + 3]);
        const uint8_t *src = b + e;
        size_t sl = el;
        for (size_t i = 0; i < ned; i++)
            if (ed[i].type == t) {
                src = ed[i].ext;
                sl = ed[i].ext ? ed[i].len : 0;
            }
        assert_true(q + sl <= cap);
        memcpy(out + q, src, sl);
        q += sl;
        e += el;
    }
    size_t exts = q - 4 - off - 2, body = q - 4;
    assert_true(exts <= 65535);
    out[4 + off] = (uint8_t)(exts >> 8);
    out[4 + off + 1] = (uint8_t)exts;
    out[0] = 1;
    out[1] = (uint8_t)(body >> 16);
    out[2] = (uint8_t)(body >> 8);
    out[3] = (uint8_t)body;
    return q;
}

/* Feeds a handshake message to the server in plaintext records of at most
 * 2^14 bytes; returns the last atoll_tls_feed result. */
static int feed_hs(const uint8_t *m, size_t n)
{
    static uint8_t rec[5 + 16384];
    int r = 0;
    for (size_t done = 0; done < n && r >= 0;) {
        size_t k = n - done < 16384 ? n - done : 16384;
        rec[0] = 22;
        rec[1] = 3;
        rec[2] = 1;
        rec[3] = (uint8_t)(k >> 8);
        rec[4] = (uint8_t)k;
        memcpy(rec + 5, m + done, k);
        r = atoll_tls_feed(&srv.c, rec, 5 + k, 1000);
        assert_true(r < 0 || (size_t)r == 5 + k);
        done += k;
    }
    return r;
}

/* The server answered with a ServerHello (or HRR) and no alert. */
static void expect_server_hello(void)
{
    const uint8_t *p;
    size_t n = atoll_tls_output(&srv.c, &p);
    assert_int_equal(atoll_tls_alert_sent(&srv.c), -1);
    assert_true(n > 10 && p[0] == 22 && p[5] == 2);
}

static uint8_t big_ch[ATOLL_TLS_CH_BODY_MAX + 4];
static uint8_t big_ext[70000];

static size_t put16(uint8_t *b, size_t p, unsigned v)
{
    b[p] = (uint8_t)(v >> 8);
    b[p + 1] = (uint8_t)v;
    return p + 2;
}

/* signature_algorithms with 32,000 schemes, ours last (about 64 KiB). */
static size_t big_sig_algs(uint8_t *e)
{
    size_t q = put16(e, 0, TLS_EXT_SIGNATURE_ALGORITHMS);
    q = put16(e, q, 2 + 32000 * 2);
    q = put16(e, q, 32000 * 2);
    for (unsigned i = 0; i < 31999; i++)
        q = put16(e, q, 0x0a00 + i % 256);
    return put16(e, q, 0x0403);
}

static void start_big(uint8_t seed, int with_lender)
{
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, seed, 1000);
    if (with_lender)
        atoll_tls_server_lender(&srv.c, &lender);
    lent = given_back = 0;
    lend_free_count = 2;
}

static void client_hello_with_long_lists(void **state)
{
    (void)state;
    /* 32,000 signature schemes: the hello borrows a buffer and gets a
     * ServerHello; the buffer goes back at once. */
    start_big(31, 1);
    struct ch_edit sa = {TLS_EXT_SIGNATURE_ALGORITHMS, big_ext, big_sig_algs(big_ext)};
    size_t n = edited_hello(big_ch, sizeof big_ch, &sa, 1);
    assert_true(n > 64000 && n > sizeof srv.hs);
    assert_true(feed_hs(big_ch, n) >= 0);
    expect_server_hello();
    assert_int_equal(lent, 1);
    assert_int_equal(given_back, 1);
    assert_ptr_equal(srv.c.buf.hs, srv.hs);

    /* No lender: more than we accept, decode_error. */
    start_big(31, 0);
    n = edited_hello(big_ch, sizeof big_ch, &sa, 1);
    assert_int_equal(feed_hs(big_ch, n), -TLS_ALERT_DECODE_ERROR);

    /* A lender with nothing free: internal_error (RFC 8446 §6.2). */
    start_big(31, 1);
    lend_free_count = 0;
    n = edited_hello(big_ch, sizeof big_ch, &sa, 1);
    assert_int_equal(feed_hs(big_ch, n), -TLS_ALERT_INTERNAL_ERROR);

    /* A header announcing more than any ClientHello can hold: decode_error
     * at once, nothing borrowed. */
    start_big(31, 1);
    static const uint8_t huge[] = {1, 0x02, 0x10, 0x00};
    assert_int_equal(feed_hs(huge, sizeof huge), -TLS_ALERT_DECODE_ERROR);
    assert_int_equal(lent, 0);

    /* A connection dropped mid-hello gives the buffer back in atoll_tls_release. */
    start_big(31, 1);
    n = edited_hello(big_ch, sizeof big_ch, &sa, 1);
    assert_true(feed_hs(big_ch, 20000) >= 0);
    assert_int_equal(lent, 1);
    assert_int_equal(given_back, 0);
    atoll_tls_release(&srv.c);
    assert_int_equal(given_back, 1);

    /* A bad record header after part of a big hello: the failed connection
     * gives the buffer back at once (found by fuzz_tls_handshake: it kept
     * it until atoll_tls_release). */
    start_big(31, 1);
    n = edited_hello(big_ch, sizeof big_ch, &sa, 1);
    assert_true(feed_hs(big_ch, 20000) >= 0);
    assert_int_equal(lent, 1);
    static const uint8_t bad_record[] = {0x99, 0x03, 0x03, 0x00, 0x01, 0x00};
    assert_true(atoll_tls_feed(&srv.c, bad_record, sizeof bad_record, 1000) < 0);
    assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_FAILED);
    assert_int_equal(given_back, 1);
    assert_ptr_equal(srv.c.buf.hs, srv.hs);
}

static void client_hello_with_thousands_of_unknown_extensions(void **state)
{
    (void)state;
    /* 16,000 distinct unassigned, empty extensions: skipped. */
    start_big(32, 1);
    size_t q = 0;
    for (unsigned i = 0; i < 16000; i++) {
        q = put16(big_ext, q, 0x0100 + 4 * i);
        q = put16(big_ext, q, 0);
    }
    struct ch_edit ex = {0xffff, big_ext, q};
    size_t n = edited_hello(big_ch, sizeof big_ch, &ex, 1);
    assert_true(feed_hs(big_ch, n) >= 0);
    expect_server_hello();
    assert_int_equal(given_back, 1);
    /* one of them twice, at the very end: illegal_parameter */
    start_big(32, 1);
    put16(big_ext, q - 4, 0x0100 + 4 * 7777);
    n = edited_hello(big_ch, sizeof big_ch, &ex, 1);
    assert_int_equal(feed_hs(big_ch, n), -TLS_ALERT_ILLEGAL_PARAMETER);
    assert_int_equal(given_back, 1);
}

/* key_share with `count` shares for unknown groups of sizes 1..97, then
 * (x25519) the client's own; supported_groups lists them all. */
static size_t many_shares(uint8_t *ks, size_t *ks_len, uint8_t *sg, size_t *sg_len, unsigned count, int x25519)
{
    size_t q = put16(ks, 0, TLS_EXT_KEY_SHARE);
    q += 4;
    size_t g = put16(sg, 0, TLS_EXT_SUPPORTED_GROUPS);
    g += 4;
    for (unsigned i = 0; i < count; i++) {
        unsigned kl = 1 + i % 97;
        q = put16(ks, q, 0x0200 + i);
        q = put16(ks, q, kl);
        memset(ks + q, (int)i, kl);
        q += kl;
        g = put16(sg, g, 0x0200 + i);
    }
    if (x25519) {
        q = put16(ks, q, ATOLL_TLS_GROUP_X25519);
        q = put16(ks, q, 32);
        memset(ks + q, 9, 32);
        q += 32;
    }
    g = put16(sg, g, ATOLL_TLS_GROUP_X25519);
    put16(ks, 2, (unsigned)(q - 4));
    put16(ks, 4, (unsigned)(q - 6));
    put16(sg, 2, (unsigned)(g - 4));
    put16(sg, 4, (unsigned)(g - 6));
    *ks_len = q;
    *sg_len = g;
    return count;
}

static void unsupported_key_shares_are_skipped(void **state)
{
    (void)state;
    static uint8_t sg[4000];
    size_t kl, gl;
    for (int x = 1; x >= 0; x--) {
        start_big(33, 1);
        many_shares(big_ext, &kl, sg, &gl, 1000, x);
        struct ch_edit ed[] = {{TLS_EXT_KEY_SHARE, big_ext, kl}, {TLS_EXT_SUPPORTED_GROUPS, sg, gl}};
        size_t n = edited_hello(big_ch, sizeof big_ch, ed, 2);
        assert_true(kl > 50000);
        assert_true(feed_hs(big_ch, n) >= 0);
        expect_server_hello();
        /* with an x25519 share it is used; without, HelloRetryRequest asks for it */
        assert_int_equal(srv.c.hrr_sent, !x);
        assert_int_equal(srv.c.group, ATOLL_TLS_GROUP_X25519);
    }
}

static void key_updates_while_silent_get_one_answer(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    start(&cc, 34, 1000);
    run(1000);
    expect_open();
    transfer(&cli, &srv, 10);
    transfer(&srv, &cli, 10);
    const uint8_t *p;
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 3; i++)
            assert_int_equal(atoll_tls_key_update(&cli.c, 1), 0);
        move(&cli, &srv, 1000);
        /* one protected record: 5 + KeyUpdate(5) + type + tag */
        assert_int_equal(atoll_tls_output(&srv.c, &p), 5 + 5 + 1 + 16);
        move(&srv, &cli, 1000);
        assert_int_equal(atoll_tls_state(&cli.c), ATOLL_TLS_ST_OPEN);
        /* data from the server ends its silence: the next request is answered */
        transfer(&srv, &cli, 100);
        transfer(&cli, &srv, 100);
    }
}

static void empty_alert_records(void **state)
{
    (void)state;
    server_config(1, 0);
    struct atoll_tls_client_config cc = base_client();
    /* plaintext, before the hello */
    start(&cc, 35, 1000);
    static const uint8_t empty[] = {21, 3, 3, 0, 0};
    assert_int_equal(atoll_tls_feed(&srv.c, empty, sizeof empty, 1000), -TLS_ALERT_UNEXPECTED_MESSAGE);
    /* protected, once open */
    start(&cc, 35, 1000);
    run(1000);
    expect_open();
    uint8_t rec[64];
    int n = tls_record_seal(&cli.c.tx, &cli.c.crypto, TLS_CT_ALERT, rec, 0, 0, TLS_PLAINTEXT_MAX + 1, rec, sizeof rec);
    assert_true(n > 0);
    assert_int_equal(atoll_tls_feed(&srv.c, rec, (size_t)n, 1000), -TLS_ALERT_UNEXPECTED_MESSAGE);
    assert_int_equal(atoll_tls_alert_sent(&srv.c), TLS_ALERT_UNEXPECTED_MESSAGE);
}

/* The server's Finished check on length: 33 and 31 bytes for SHA-256,
 * and a header announcing 2^20 bytes (refused before any body arrives):
 * decode_error each, sealed under the client's handshake traffic secret
 * as a client that has seen only the ServerHello knows it. */
static void finished_of_the_wrong_length_is_decode_error(void **state)
{
    (void)state;
    static const size_t lens[] = {33, 31, 1u << 20};
    for (size_t v = 0; v < 3; v++) {
        server_config(1, 0);
        struct atoll_tls_client_config cc = base_client();
        cc.only_suite = TLS_AES_128_GCM_SHA256;
        start(&cc, 36, 1000);
        move(&cli, &srv, 1000);
        const uint8_t *p;
        size_t n = atoll_tls_output(&srv.c, &p);
        assert_true(n > 5 && p[0] == 22);
        size_t first = 5 + (size_t)(p[3] << 8 | p[4]);
        assert_int_equal(atoll_tls_feed(&cli.c, p, first, 1000), (int)first);
        struct tls_traffic t;
        assert_int_equal(tls_traffic_init(&t, &cli.c.crypto, cli.c.aead, cli.c.hash, cli.c.c_hs), 0);
        uint8_t msg[4 + 40], rec[128];
        memset(msg, 0x5a, sizeof msg);
        msg[0] = TLS_HS_FINISHED;
        msg[1] = (uint8_t)(lens[v] >> 16);
        msg[2] = (uint8_t)(lens[v] >> 8);
        msg[3] = (uint8_t)lens[v];
        size_t mlen = lens[v] <= 40 ? 4 + lens[v] : 4;
        int rl = tls_record_seal(&t, &cli.c.crypto, TLS_CT_HANDSHAKE, msg, mlen, 0, TLS_PLAINTEXT_MAX + 1, rec,
                                 sizeof rec);
        assert_true(rl > 0);
        assert_int_equal(atoll_tls_feed(&srv.c, rec, (size_t)rl, 1000), -TLS_ALERT_DECODE_ERROR);
    }
}

/* The client's ClientHello record with an empty early_data extension
 * (§4.2.10) put first among its extensions; lengths fixed up. */
static size_t hello_with_early_data(uint8_t *rec, size_t cap)
{
    const uint8_t *p;
    size_t n = atoll_tls_output(&cli.c, &p);
    assert_true(n + 4 <= cap);
    size_t off = 5 + 4 + 2 + 32;
    off += 1 + p[off];                        /* legacy_session_id */
    off += 2 + (size_t)(p[off] << 8 | p[off + 1]); /* cipher_suites */
    off += 1 + p[off];                        /* legacy_compression_methods */
    memcpy(rec, p, off + 2);
    static const uint8_t ed[] = {0x00, 0x2a, 0x00, 0x00};
    memcpy(rec + off + 2, ed, sizeof ed);
    memcpy(rec + off + 2 + sizeof ed, p + off + 2, n - off - 2);
    size_t ext = (size_t)(p[off] << 8 | p[off + 1]) + 4, msg = n - 9 + 4, body = n - 5 + 4;
    rec[off] = (uint8_t)(ext >> 8);
    rec[off + 1] = (uint8_t)ext;
    rec[6] = (uint8_t)(msg >> 16);
    rec[7] = (uint8_t)(msg >> 8);
    rec[8] = (uint8_t)msg;
    rec[3] = (uint8_t)(body >> 8);
    rec[4] = (uint8_t)body;
    atoll_tls_output_done(&cli.c, n);
    return n + 4;
}

/* 0-RTT is refused safely (§4.2.10): early data the server cannot decrypt
 * is skipped, up to max_early_data_skip bytes, and the handshake waits on
 * for the client's Finished; more than that is unexpected_message (§4.6.1:
 * "more than max_early_data_size bytes of 0-RTT data"). */
static void early_data_is_skipped_up_to_the_bound(void **state)
{
    (void)state;
    static uint8_t rec[4096], junk[5 + 1000];
    junk[0] = 23;
    junk[1] = junk[2] = 3;
    junk[3] = 1000 >> 8;
    junk[4] = 1000 & 255;
    for (size_t i = 5; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 13u);
    for (int over = 0; over <= 1; over++) {
        server_config(1, 0);
        struct atoll_tls_client_config cc = base_client();
        start(&cc, (uint8_t)(22 + over), 1000);
        size_t n = hello_with_early_data(rec, sizeof rec);
        assert_int_equal(atoll_tls_feed(&srv.c, rec, n, 1000), (int)n);
        /* 16 records of 1000 bytes fit the 16384-byte bound; a 17th does not */
        int records = over ? 17 : 16;
        for (int i = 0; i < records; i++) {
            int r = atoll_tls_feed(&srv.c, junk, sizeof junk, 1000);
            if (over && i == 16) {
                assert_int_equal(r, -TLS_ALERT_UNEXPECTED_MESSAGE);
                assert_int_equal(atoll_tls_alert_sent(&srv.c), TLS_ALERT_UNEXPECTED_MESSAGE);
            } else {
                assert_int_equal(r, (int)sizeof junk);
            }
        }
        if (!over) {
            /* (The handshake cannot finish: the client's transcript holds
             * the hello without the extension we slipped in.) */
            assert_int_equal(atoll_tls_state(&srv.c), ATOLL_TLS_ST_HANDSHAKE);
            assert_int_equal(atoll_tls_alert_sent(&srv.c), -1);
            const uint8_t *p;
            assert_true(atoll_tls_output(&srv.c, &p) > 0); /* its flight, no alert */
            assert_int_equal(p[0], 22);
        }
    }
}

/* atoll_tls_release erases the traffic keys, on a connection that never had
 * TLS (a zeroed slot: plain HTTP) as on a live one, and twice. */
static void release_erases_keys(void **state)
{
    (void)state;
    struct atoll_tls_conn z;
    memset(&z, 0, sizeof z);
    atoll_tls_release(&z);
    struct atoll_tls_client_config cc = base_client();
    server_config(1, 0);
    start(&cc, 23, 1000);
    run(1000);
    expect_open();
    assert_int_equal(srv.c.tx.key.live, 1);
    atoll_tls_release(&srv.c);
    atoll_tls_release(&srv.c);
    static const uint8_t zero[sizeof srv.c.tx];
    assert_memory_equal(&srv.c.tx, zero, sizeof zero);
    assert_memory_equal(&srv.c.rx, zero, sizeof zero);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_suite_and_group),
        cmocka_unit_test(rsa_certificate),
        cmocka_unit_test(both_certificates_client_order),
        cmocka_unit_test(sni_chooses_the_credential),
        cmocka_unit_test(key_update_both_ways), cmocka_unit_test(buffers_lent_while_in_flight), cmocka_unit_test(close_after_a_full_output), cmocka_unit_test(release_erases_keys),
        cmocka_unit_test(close_notify),
        cmocka_unit_test(resumption),
        cmocka_unit_test(wrong_binder_is_decrypt_error),
        cmocka_unit_test(tampered_flight_is_bad_record_mac),
        cmocka_unit_test(alpn_mismatch),
        cmocka_unit_test(alpn_also_chosen),
        cmocka_unit_test(key_usage_limit_triggers_update),
        cmocka_unit_test(bad_finished_is_decrypt_error),
        cmocka_unit_test(client_checks_server_hello),
        cmocka_unit_test(record_size_limit_respected),
        cmocka_unit_test(errors_are_sticky),
        cmocka_unit_test(message_straddling_a_key_change),
        cmocka_unit_test(early_data_is_skipped_up_to_the_bound),
        cmocka_unit_test(client_hello_with_long_lists),
        cmocka_unit_test(client_hello_with_thousands_of_unknown_extensions),
        cmocka_unit_test(unsupported_key_shares_are_skipped),
        cmocka_unit_test(key_updates_while_silent_get_one_answer),
        cmocka_unit_test(empty_alert_records),
        cmocka_unit_test(finished_of_the_wrong_length_is_decode_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
