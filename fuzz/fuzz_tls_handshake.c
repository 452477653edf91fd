/* SPDX-License-Identifier: Apache-2.0 */
/* The TLS engine end to end, with deterministic randomness.
 * First input byte selects the mode:
 *   0: the rest is the byte stream a client sends to our server,
 *      delivered in chunks whose sizes come from the input itself;
 *   1: the rest is what a server sends to our client (after its hello);
 *   2: our client and our server talk; the rest is a list of
 *      (stream offset 2 bytes, xor byte) edits applied in flight, so the
 *      fuzzer reaches every handshake step with valid cryptography and
 *      then breaks it.
 * Invariants: nothing crashes or leaks; a failed connection has sent
 * exactly one alert and stays failed; a connection that is open on both
 * ends after edits carries application data intact. */
#include "fuzz_common.h"

#include "tls/backend/crypto_mbedtls.h"
#include "tls/tls.h"

struct end {
    struct atoll_tls_conn c;
    uint8_t in[TLS_RECORD_MAX], hs[16384], out[32768];
};

static struct end srv, cli;
static struct atoll_tls_crypto cs, cc;
static struct tls_mbedtls_state ss, sc;
static struct tls_mbedtls_key key;
static uint8_t *leaf;
static size_t leaf_len;
static struct atoll_tls_server_config scfg;
static struct atoll_tls_client_config ccfg;

static uint8_t *slurp(const char *name, size_t *len)
{
    char path[512];
    const char *root = getenv("ATOLL_ROOT");
    snprintf(path, sizeof path, "%s/tests/unit/data/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_tls_handshake: cannot open %s (run from the repository root or set ATOLL_ROOT)\n",
                path);
        abort();
    }
    uint8_t *b = malloc(1 << 16);
    *len = fread(b, 1, 1 << 16, f);
    fclose(f);
    return b;
}

static void init_once(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    size_t kl;
    uint8_t *k = slurp("ec256_key.der", &kl);
    if (tls_crypto_mbedtls_key_load(&key, k, kl) != 0)
        abort();
    free(k);
    leaf = slurp("leaf_ec256.der", &leaf_len);
    scfg.cred[0].chain[0] = leaf;
    scfg.cred[0].chain_len[0] = leaf_len;
    scfg.cred[0].chain_count = 1;
    scfg.cred[0].key = &key;
    scfg.cred[0].key_kind = tls_crypto_mbedtls_ops.key_kind(&key);
    scfg.cred[0].names[0] = "www.atoll.test";
    scfg.cred[0].name_count = 1;
    scfg.cred_count = 1;
    scfg.alpn = "http/1.1";
    scfg.ticket_lifetime_s = 3600;
    scfg.tickets_per_handshake = 1;
    scfg.max_early_data_skip = 4096;
    memset(scfg.ticket_current.name, 1, sizeof scfg.ticket_current.name);
    memset(scfg.ticket_current.key, 2, sizeof scfg.ticket_current.key);
    ccfg.server_name = "www.atoll.test";
    ccfg.alpn = "http/1.1";
}

/* One ClientHello-sized buffer to lend: what is borrowed comes back. */
static uint8_t big_hs[ATOLL_TLS_CH_BODY_MAX + 4];
static int big_out;
static uint8_t *lend(void *ctx, size_t need, size_t *cap)
{
    (void)ctx;
    if (big_out || need > sizeof big_hs)
        return NULL;
    big_out = 1;
    *cap = sizeof big_hs;
    return big_hs;
}
static void give_back(void *ctx, uint8_t *b)
{
    (void)ctx;
    FUZZ_CHECK(b == big_hs && big_out);
    big_out = 0;
}
static const struct atoll_tls_hs_lender lender = {lend, give_back, NULL};

static void reset(void)
{
    uint8_t seed_s[32], seed_c[32];
    memset(seed_s, 0x5a, sizeof seed_s);
    memset(seed_c, 0xa5, sizeof seed_c);
    tls_crypto_mbedtls_free(&ss);
    tls_crypto_mbedtls_free(&sc);
    if (tls_crypto_mbedtls_init(&cs, &ss, seed_s, sizeof seed_s) != 0 ||
        tls_crypto_mbedtls_init(&cc, &sc, seed_c, sizeof seed_c) != 0)
        abort();
    struct atoll_tls_buffers bs = {srv.in, sizeof srv.in, srv.hs, sizeof srv.hs, srv.out, sizeof srv.out};
    struct atoll_tls_buffers bc = {cli.in, sizeof cli.in, cli.hs, sizeof cli.hs, cli.out, sizeof cli.out};
    if (atoll_tls_server_init(&srv.c, &scfg, &cs, &bs) != 0 || atoll_tls_client_init(&cli.c, &ccfg, &cc, &bc, 1000) < 0)
        abort();
    atoll_tls_server_lender(&srv.c, &lender);
}

/* A failed connection: one alert sent or one received, nothing readable. */
static void check_end(struct atoll_tls_conn *c)
{
    if (atoll_tls_state(c) == ATOLL_TLS_ST_FAILED) {
        FUZZ_CHECK(atoll_tls_alert_sent(c) >= 0 || atoll_tls_alert_received(c) >= 0);
        FUZZ_CHECK(atoll_tls_readable(c) == 0);
        FUZZ_CHECK(atoll_tls_write(c, (const uint8_t *)"x", 1) < 0);
    }
}

static void drain_plaintext(struct atoll_tls_conn *c)
{
    uint8_t buf[4096];
    while (atoll_tls_read(c, buf, sizeof buf) != 0)
        ;
}

static void feed_stream(struct end *e, const uint8_t *p, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        size_t chunk = 1 + p[pos] % 64u * 16u;
        pos++;
        if (chunk > n - pos)
            chunk = n - pos;
        int r = atoll_tls_feed(&e->c, p + pos, chunk, 1000);
        FUZZ_CHECK(r < 0 || (size_t)r <= chunk);
        if (r < 0)
            break;
        pos += (size_t)r;
        drain_plaintext(&e->c);
        const uint8_t *o;
        atoll_tls_output_done(&e->c, atoll_tls_output(&e->c, &o));
        if (r == 0 && atoll_tls_readable(&e->c) == 0)
            break;
    }
    check_end(&e->c);
}

/* Moves bytes from a to b applying the edits whose offsets fall inside. */
static size_t moved;
static void move(struct end *a, struct end *b, const uint8_t *edits, size_t nedits)
{
    const uint8_t *p;
    size_t n = atoll_tls_output(&a->c, &p);
    size_t room;
    uint8_t *dst = atoll_tls_input_buffer(&b->c, &room);
    if (n > room)
        n = room;
    memcpy(dst, p, n);
    for (size_t i = 0; i < nedits; i++) {
        size_t off = (size_t)edits[3 * i] * 256u + edits[3 * i + 1];
        if (off >= moved && off < moved + n)
            dst[off - moved] ^= edits[3 * i + 2];
    }
    moved += n;
    atoll_tls_output_done(&a->c, n);
    (void)atoll_tls_input_commit(&b->c, n, 1000);
}

static void talk(const uint8_t *edits, size_t nedits)
{
    moved = 0;
    for (int i = 0; i < 64; i++) {
        move(&cli, &srv, edits, nedits);
        move(&srv, &cli, edits, nedits);
        drain_plaintext(&srv.c);
        drain_plaintext(&cli.c);
    }
    check_end(&srv.c);
    check_end(&cli.c);
    if (atoll_tls_state(&srv.c) == ATOLL_TLS_ST_OPEN && atoll_tls_state(&cli.c) == ATOLL_TLS_ST_OPEN) {
        static const uint8_t msg[] = "application data survives";
        uint8_t got[sizeof msg];
        FUZZ_CHECK(atoll_tls_write(&cli.c, msg, sizeof msg) == (int)sizeof msg);
        move(&cli, &srv, NULL, 0);
        size_t n = atoll_tls_read(&srv.c, got, sizeof got);
        /* edits may have hit this record too: then the server failed */
        if (atoll_tls_state(&srv.c) == ATOLL_TLS_ST_OPEN)
            FUZZ_CHECK(n == sizeof msg && memcmp(got, msg, n) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init_once();
    if (size < 1)
        return 0;
    uint8_t *buf = fuzz_dup(data, size);
    reset();
    const uint8_t *rest = buf + 1;
    size_t n = size - 1;
    if (buf[0] % 3u == 0) {
        feed_stream(&srv, rest, n);
    } else if (buf[0] % 3u == 1) {
        const uint8_t *o;
        atoll_tls_output_done(&cli.c, atoll_tls_output(&cli.c, &o)); /* the hello went out */
        feed_stream(&cli, rest, n);
    } else {
        talk(rest, n / 3u > 32u ? 32u : n / 3u);
    }
    /* a failed server holds nothing; atoll_tls_release returns the rest */
    FUZZ_CHECK(!(big_out && atoll_tls_state(&srv.c) == ATOLL_TLS_ST_FAILED));
    atoll_tls_release(&srv.c);
    FUZZ_CHECK(!big_out);
    free(buf);
    return 0;
}
