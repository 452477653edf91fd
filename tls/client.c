/* SPDX-License-Identifier: Apache-2.0 */
/* The client side of the TLS 1.3 handshake (RFC 8446 §4), for embedders:
 * ClientHello (with a PSK from a ticket when resuming), HelloRetryRequest,
 * the server's flight with certificate-chain and signature checks, our
 * Finished, and NewSessionTickets afterwards. Message order comes from the
 * proved step function; this file checks contents. */
#include <string.h>

#include "tls/engine_internal.h"
#include "tls/hs_fsm.h"
#include "tls/keysched.h"
#include "tls/msg.h"

/* A bounded writer: every put checks room; one error sticks. */
struct wbuf {
    uint8_t *p;
    size_t cap, len;
    int err;
};

static void put(struct wbuf *w, const void *src, size_t n)
{
    if (w->err || w->cap - w->len < n) {
        w->err = 1;
        return;
    }
    memcpy(w->p + w->len, src, n);
    w->len += n;
}

static void put8(struct wbuf *w, unsigned v)
{
    uint8_t b = (uint8_t)v;
    put(w, &b, 1);
}

static void put16(struct wbuf *w, unsigned v)
{
    uint8_t b[2] = {(uint8_t)(v / 256u), (uint8_t)(v % 256u)};
    put(w, b, 2);
}

/* Opens a length-prefixed vector of n length bytes; close_vec fills it. */
static size_t open_vec(struct wbuf *w, int n)
{
    size_t at = w->len;
    for (int i = 0; i < n; i++)
        put8(w, 0);
    return at;
}

static void close_vec(struct wbuf *w, size_t at, int n)
{
    if (w->err)
        return;
    size_t v = w->len - at - (size_t)n;
    for (int i = n - 1; i >= 0; i--) {
        w->p[at + (size_t)i] = (uint8_t)(v % 256u);
        v /= 256u;
    }
}

static const uint16_t offer_suites[] = {TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384,
                                        TLS_CHACHA20_POLY1305_SHA256};
static const uint16_t offer_groups[] = {ATOLL_TLS_GROUP_X25519, ATOLL_TLS_GROUP_SECP256R1, ATOLL_TLS_GROUP_SECP384R1};
static const uint16_t offer_sigs[] = {ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256, ATOLL_TLS_SIG_ECDSA_SECP384R1_SHA384,
                                      ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256, ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA384,
                                      ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA512};

static int offered(const uint16_t *list, size_t n, uint16_t v)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == v)
            return 1;
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void suite_params(uint16_t suite, enum atoll_tls_hash_alg *h, enum atoll_tls_aead_alg *a)
{
    *h = suite == TLS_AES_256_GCM_SHA384 ? ATOLL_TLS_HASH_SHA384 : ATOLL_TLS_HASH_SHA256;
    *a = suite == TLS_AES_128_GCM_SHA256   ? ATOLL_TLS_AEAD_AES_128_GCM
         : suite == TLS_AES_256_GCM_SHA384 ? ATOLL_TLS_AEAD_AES_256_GCM
                                           : ATOLL_TLS_AEAD_CHACHA20_POLY1305;
}

/* Hashes into the running transcript(s): both hashes until the suite is
 * known, then the suite's. */
static int client_transcript_add(struct atoll_tls_conn *c, const uint8_t *m, size_t n)
{
    int r = tls_transcript_add(c, m, n);
    if (r == 0 && c->suite == 0 && c->crypto.ops->hash_update(&c->transcript_384, m, n) != 0)
        r = -TLS_ALERT_INTERNAL_ERROR;
    return r;
}

/* Writes and queues a ClientHello for group (cookie from an HRR or NULL). */
static int send_client_hello(struct atoll_tls_conn *c, uint16_t group, const uint8_t *cookie, size_t cookie_len)
{
    const struct atoll_tls_client_config *cfg = c->ccfg;
    const struct atoll_tls_crypto_ops *ops = c->crypto.ops;
    uint8_t pub[ATOLL_TLS_KEX_PUB_MAX];
    size_t pub_len, priv_len;
    if (ops->kex_keygen(c->crypto.state, group, c->kex_priv, &priv_len, pub, &pub_len) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->kex_priv_len = (uint8_t)priv_len;
    c->group = group;

    size_t cap;
    struct wbuf w = {0};
    w.p = tls_compose_area(c, &cap);
    w.cap = cap;
    uint8_t random[32];
    if (ops->random(c->crypto.state, random, sizeof random) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    put8(&w, TLS_HS_CLIENT_HELLO);
    size_t body = open_vec(&w, 3);
    put16(&w, TLS_VERSION_12);
    put(&w, random, 32);
    put8(&w, 32);
    put(&w, c->session_id, 32); /* middlebox compatibility mode (D.4) */
    size_t v = open_vec(&w, 2);
    for (size_t i = 0; i < COUNT(offer_suites); i++)
        if (cfg->only_suite == 0 || cfg->only_suite == offer_suites[i])
            put16(&w, offer_suites[i]);
    close_vec(&w, v, 2);
    put8(&w, 1);
    put8(&w, 0);
    size_t exts = open_vec(&w, 2);
    if (cfg->server_name) {
        put16(&w, TLS_EXT_SERVER_NAME);
        size_t e = open_vec(&w, 2), l = open_vec(&w, 2);
        put8(&w, 0);
        size_t nlen = strlen(cfg->server_name);
        put16(&w, (unsigned)nlen);
        put(&w, cfg->server_name, nlen);
        close_vec(&w, l, 2);
        close_vec(&w, e, 2);
    }
    put16(&w, TLS_EXT_SUPPORTED_GROUPS);
    size_t e = open_vec(&w, 2), l = open_vec(&w, 2);
    for (size_t i = 0; i < COUNT(offer_groups); i++)
        put16(&w, offer_groups[i]);
    close_vec(&w, l, 2);
    close_vec(&w, e, 2);
    put16(&w, TLS_EXT_SIGNATURE_ALGORITHMS);
    e = open_vec(&w, 2);
    l = open_vec(&w, 2);
    for (size_t i = 0; i < COUNT(offer_sigs); i++)
        put16(&w, offer_sigs[i]);
    close_vec(&w, l, 2);
    close_vec(&w, e, 2);
    put16(&w, TLS_EXT_SUPPORTED_VERSIONS);
    put16(&w, 3);
    put8(&w, 2);
    put16(&w, TLS_VERSION_13);
    put16(&w, TLS_EXT_PSK_KEY_EXCHANGE_MODES);
    put16(&w, 2);
    put8(&w, 1);
    put8(&w, 1); /* psk_dhe_ke */
    put16(&w, TLS_EXT_KEY_SHARE);
    e = open_vec(&w, 2);
    l = open_vec(&w, 2);
    put16(&w, group);
    put16(&w, (unsigned)pub_len);
    put(&w, pub, pub_len);
    close_vec(&w, l, 2);
    close_vec(&w, e, 2);
    if (cfg->alpn) {
        put16(&w, TLS_EXT_ALPN);
        e = open_vec(&w, 2);
        l = open_vec(&w, 2);
        size_t n = strlen(cfg->alpn);
        put8(&w, (unsigned)n);
        put(&w, cfg->alpn, n);
        close_vec(&w, l, 2);
        close_vec(&w, e, 2);
    }
    if (cfg->record_size_limit != 0) {
        put16(&w, TLS_EXT_RECORD_SIZE_LIMIT);
        put16(&w, 2);
        put16(&w, cfg->record_size_limit);
    }
    if (cookie_len != 0) {
        put16(&w, TLS_EXT_COOKIE);
        put16(&w, (unsigned)(cookie_len + 2u));
        put16(&w, (unsigned)cookie_len);
        put(&w, cookie, cookie_len);
    }
    enum atoll_tls_hash_alg ph = ATOLL_TLS_HASH_SHA256;
    enum atoll_tls_aead_alg pa;
    int psk = cfg->resume_ticket != NULL && cfg->resume_psk_len != 0;
    size_t binder_at = 0, hl = 0;
    if (psk) {
        suite_params(cfg->resume_suite, &ph, &pa);
        hl = atoll_tls_hash_len(ph);
        if (cfg->resume_psk_len != hl)
            psk = 0;
    }
    if (psk) {
        /* pre_shared_key goes last (§4.2.11); its binder is computed over
         * the hello up to the binders list, then written in place. */
        put16(&w, TLS_EXT_PRE_SHARED_KEY);
        e = open_vec(&w, 2);
        l = open_vec(&w, 2);
        put16(&w, (unsigned)cfg->resume_ticket_len);
        put(&w, cfg->resume_ticket, cfg->resume_ticket_len);
        uint32_t age = cfg->resume_age_ms + cfg->resume_age_add;
        uint8_t a[4] = {(uint8_t)(age / 16777216u), (uint8_t)(age / 65536u % 256u), (uint8_t)(age / 256u % 256u),
                        (uint8_t)(age % 256u)};
        put(&w, a, 4);
        close_vec(&w, l, 2);
        binder_at = w.len;
        put16(&w, (unsigned)(hl + 1u));
        put8(&w, (unsigned)hl);
        for (size_t i = 0; i < hl; i++)
            put8(&w, 0);
        close_vec(&w, e, 2);
    }
    close_vec(&w, exts, 2);
    close_vec(&w, body, 3);
    if (w.err)
        return -TLS_ALERT_INTERNAL_ERROR;
    if (psk) {
        uint8_t early[ATOLL_TLS_HASH_MAX], bkey[ATOLL_TLS_HASH_MAX], h[ATOLL_TLS_HASH_MAX], binder[ATOLL_TLS_HASH_MAX];
        struct atoll_tls_hash_ctx t = ph == ATOLL_TLS_HASH_SHA384 ? c->transcript_384 : c->transcript;
        if (ops->hash_update(&t, w.p, binder_at) != 0 || ops->hash_final(&t, h) != 0 ||
            tls_ks_early_secret(&c->crypto, ph, cfg->resume_psk, hl, early) != 0 ||
            tls_ks_binder_key(&c->crypto, ph, early, 1, bkey) != 0 ||
            tls_ks_finished(&c->crypto, ph, bkey, h, binder) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        memcpy(w.p + binder_at + 3, binder, hl);
        c->offered_psk = 1;
    }
    int r = client_transcript_add(c, w.p, w.len);
    if (r < 0)
        return r;
    return tls_queue(c, TLS_CT_HANDSHAKE, w.p, w.len);
}

int atoll_tls_client_init(struct atoll_tls_conn *c, const struct atoll_tls_client_config *cfg, const struct atoll_tls_crypto *crypto,
                    const struct atoll_tls_buffers *buf, uint64_t now_ms)
{
    memset(c, 0, sizeof *c);
    c->ccfg = cfg;
    c->is_client = 1;
    c->crypto = *crypto;
    c->buf = *buf;
    c->alert_sent = 0xff;
    c->alert_recv = 0xff;
    c->state = ATOLL_TLS_ST_HANDSHAKE;
    c->hs = HS_WAIT_SH;
    c->now_ms = now_ms;
    if (buf->in_cap < TLS_RECORD_MAX || buf->hs_cap < 4096u || buf->out_cap < 4096u)
        return -TLS_ALERT_INTERNAL_ERROR;
    const struct atoll_tls_crypto_ops *ops = crypto->ops;
    if (ops->hash_init(&c->transcript, ATOLL_TLS_HASH_SHA256) != 0 ||
        ops->hash_init(&c->transcript_384, ATOLL_TLS_HASH_SHA384) != 0 ||
        ops->random(crypto->state, c->session_id, sizeof c->session_id) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    int r = send_client_hello(c, cfg->first_group ? cfg->first_group : ATOLL_TLS_GROUP_X25519, NULL, 0);
    if (r < 0)
        return tls_fail(c, -r);
    return 0;
}

/* The suite is known: keep the transcript of its hash. */
static int settle_suite(struct atoll_tls_conn *c, uint16_t suite)
{
    c->suite = suite;
    suite_params(suite, &c->hash, &c->aead);
    if (c->hash == ATOLL_TLS_HASH_SHA384)
        c->transcript = c->transcript_384;
    return 0;
}

static int on_hello_retry(struct atoll_tls_conn *c, const uint8_t *msg, size_t len, const struct tls_server_hello_in *sh)
{
    const uint8_t *b = msg + TLS_HS_HDR_LEN;
    /* §4.1.4: the HRR must change something, and only to what we offered. */
    if (sh->group == 0 || !offered(offer_groups, COUNT(offer_groups), sh->group) || sh->group == c->group)
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    settle_suite(c, sh->suite);
    uint8_t h[ATOLL_TLS_HASH_MAX], mh[4 + ATOLL_TLS_HASH_MAX];
    size_t hl = atoll_tls_hash_len(c->hash);
    const struct atoll_tls_crypto_ops *ops = c->crypto.ops;
    if (ops->hash_final(&c->transcript, h) != 0 || ops->hash_init(&c->transcript, c->hash) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    int m = tls_message_hash_write(mh, sizeof mh, h, hl);
    if (m < 0 || tls_transcript_add(c, mh, (size_t)m) != 0 || tls_transcript_add(c, msg, len) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->hrr_sent = 1;
    int r = tls_queue_ccs(c); /* compatibility mode: CCS before the second hello */
    if (r < 0)
        return r;
    c->send_ccs = 0;
    return send_client_hello(c, sh->group, sh->cookie.len ? b + sh->cookie.off : NULL, sh->cookie.len);
}

int tls_client_server_hello(struct atoll_tls_conn *c, const uint8_t *msg, size_t len, int *flags)
{
    const uint8_t *b = msg + TLS_HS_HDR_LEN;
    struct tls_server_hello_in sh;
    int r = tls_server_hello_parse(b, len - TLS_HS_HDR_LEN, &sh);
    if (r < 0)
        return r;
    if (sh.selected_version != TLS_VERSION_13)
        return -TLS_ALERT_PROTOCOL_VERSION; /* a TLS 1.2 server: refused */
    /* Downgrade sentinels (§4.1.3) only appear below 1.3, which we refuse
     * above; a 1.3 ServerHello carrying one is still a lie. */
    static const uint8_t down[7] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44};
    if (!sh.hrr && memcmp(sh.random + 24, down, 7) == 0 && (sh.random[31] == 0 || sh.random[31] == 1))
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    if (!offered(offer_suites, COUNT(offer_suites), sh.suite) || (c->suite != 0 && sh.suite != c->suite) ||
        (c->ccfg->only_suite != 0 && sh.suite != c->ccfg->only_suite))
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    if (sh.session_id_len != 32 || memcmp(sh.session_id, c->session_id, 32) != 0)
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    if (sh.hrr) {
        if (c->hrr_sent)
            return -TLS_ALERT_UNEXPECTED_MESSAGE;
        *flags = HS_F_HRR;
        return on_hello_retry(c, msg, len, &sh);
    }
    if (sh.group != c->group)
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    if (sh.psk_index >= 0 && (!c->offered_psk || sh.psk_index != 0))
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    if (c->suite == 0)
        settle_suite(c, sh.suite);
    if (sh.psk_index == 0) {
        enum atoll_tls_hash_alg ph;
        enum atoll_tls_aead_alg pa;
        suite_params(c->ccfg->resume_suite, &ph, &pa);
        if (ph != c->hash)
            return -TLS_ALERT_ILLEGAL_PARAMETER;
        c->resumed = 1;
    }
    if (tls_transcript_add(c, msg, len) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;

    uint8_t dhe[ATOLL_TLS_KEX_SECRET_MAX], early[ATOLL_TLS_HASH_MAX], h[ATOLL_TLS_HASH_MAX];
    size_t dhe_len;
    r = c->crypto.ops->kex_shared(c->crypto.state, c->group, c->kex_priv, c->kex_priv_len, b + sh.key_share.off,
                                  sh.key_share.len, dhe, &dhe_len);
    memset(c->kex_priv, 0, sizeof c->kex_priv);
    if (r == ATOLL_TLS_CRYPTO_E_PEER)
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    if (r != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    const uint8_t *psk = c->resumed ? c->ccfg->resume_psk : NULL;
    if (tls_ks_early_secret(&c->crypto, c->hash, psk, psk ? c->ccfg->resume_psk_len : 0, early) != 0 ||
        tls_ks_handshake_secret(&c->crypto, c->hash, early, dhe, dhe_len, c->secret) != 0 ||
        tls_transcript_hash(c, h) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "c hs traffic", h, c->c_hs) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "s hs traffic", h, c->s_hs) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    memset(dhe, 0, sizeof dhe);
    r = tls_install_rx(c, c->s_hs);
    if (r < 0)
        return r;
    *flags = c->resumed ? HS_F_PSK : 0;
    return 0;
}

int tls_client_encrypted_extensions(struct atoll_tls_conn *c, const uint8_t *msg, size_t len, int *flags)
{
    const uint8_t *b = msg + TLS_HS_HDR_LEN;
    struct tls_encrypted_extensions_in ee;
    int r = tls_encrypted_extensions_parse(b, len - TLS_HS_HDR_LEN, &ee);
    if (r < 0)
        return r;
    if (ee.alpn.len != 0) {
        const char *want = c->ccfg->alpn;
        if (!want || strlen(want) != ee.alpn.len || memcmp(want, b + ee.alpn.off, ee.alpn.len) != 0)
            return -TLS_ALERT_ILLEGAL_PARAMETER; /* a protocol we never offered */
        c->alpn_selected = 1;
        c->alpn_proto = want;
    }
    if (ee.record_size_limit != 0)
        c->peer_record_limit = ee.record_size_limit;
    if (tls_transcript_add(c, msg, len) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    *flags = c->resumed ? HS_F_PSK : 0;
    return 0;
}

/* Certificate: the chain is checked now; the message stays in the
 * reassembly buffer (hs_keep) so CertificateVerify can use the leaf. */
int tls_client_certificate(struct atoll_tls_conn *c, const uint8_t *msg, size_t len)
{
    const uint8_t *b = msg + TLS_HS_HDR_LEN;
    struct tls_certificate_in ci;
    int r = tls_certificate_parse(b, len - TLS_HS_HDR_LEN, &ci);
    if (r < 0)
        return r;
    if (ci.context.len != 0)
        return -TLS_ALERT_ILLEGAL_PARAMETER; /* §4.4.2: empty in the handshake */
    if (ci.count == 0)
        return -TLS_ALERT_DECODE_ERROR; /* §4.4.2.4: a server must send one */
    const uint8_t *certs[8];
    size_t lens[8];
    size_t n = 0;
    for (uint16_t i = 0; i < ci.count && n < 8; i++) {
        struct tls_span d;
        if (tls_certificate_entry(b, &ci, i, &d) != 1)
            return -TLS_ALERT_DECODE_ERROR;
        certs[n] = b + d.off;
        lens[n] = d.len;
        n++;
    }
    if (c->ccfg->verify_chain) {
        r = c->ccfg->verify_chain(c->ccfg->verify_ctx, certs, lens, n, c->ccfg->server_name, c->now_ms / 1000u);
        if (r < 0)
            return r;
    }
    if (tls_transcript_add(c, msg, len) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->hs_keep = len;
    return 0;
}

/* CertificateRequest (§4.3.2): we have no client certificate, so we will
 * answer with an empty Certificate and the server decides (§4.4.2.4). The
 * context is empty during the handshake; the extensions must be framed. */
int tls_client_certificate_request(struct atoll_tls_conn *c, const uint8_t *msg, size_t len)
{
    const uint8_t *b = msg + TLS_HS_HDR_LEN;
    size_t n = len - TLS_HS_HDR_LEN;
    if (n < 3 || (size_t)b[0] + 3u > n)
        return -TLS_ALERT_DECODE_ERROR;
    if (b[0] != 0)
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    if ((size_t)b[1] * 256u + b[2] != n - 3u)
        return -TLS_ALERT_DECODE_ERROR;
    if (tls_transcript_add(c, msg, len) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->cert_requested = 1;
    return 0;
}

int tls_client_certificate_verify(struct atoll_tls_conn *c, const uint8_t *msg, size_t len)
{
    const uint8_t *b = msg + TLS_HS_HDR_LEN;
    struct tls_certificate_verify cv;
    int r = tls_certificate_verify_parse(b, len - TLS_HS_HDR_LEN, &cv);
    if (r < 0)
        return r;
    if (!offered(offer_sigs, COUNT(offer_sigs), cv.scheme))
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    /* The leaf: first entry of the kept Certificate message. */
    const uint8_t *cert_msg = c->buf.hs;
    struct tls_certificate_in ci;
    struct tls_span leaf;
    if (c->hs_keep < TLS_HS_HDR_LEN ||
        tls_certificate_parse(cert_msg + TLS_HS_HDR_LEN, c->hs_keep - TLS_HS_HDR_LEN, &ci) < 0 ||
        tls_certificate_entry(cert_msg + TLS_HS_HDR_LEN, &ci, 0, &leaf) != 1)
        return -TLS_ALERT_INTERNAL_ERROR;
    uint8_t h[ATOLL_TLS_HASH_MAX], content[64 + 34 + 1 + ATOLL_TLS_HASH_MAX];
    if (tls_transcript_hash(c, h) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    size_t cl = tls_cv_content(content, 1, h, atoll_tls_hash_len(c->hash));
    r = c->crypto.ops->verify_with_cert(cert_msg + TLS_HS_HDR_LEN + leaf.off, leaf.len, cv.scheme, content, cl,
                                        b + cv.sig.off, cv.sig.len);
    if (r == ATOLL_TLS_CRYPTO_E_UNSUPP)
        return -TLS_ALERT_ILLEGAL_PARAMETER; /* scheme does not fit the key */
    if (r != 0)
        return -TLS_ALERT_DECRYPT_ERROR;
    if (tls_transcript_add(c, msg, len) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->sig_scheme = cv.scheme;
    return 0;
}

int tls_client_finished(struct atoll_tls_conn *c, const uint8_t *msg, size_t len)
{
    size_t hl = atoll_tls_hash_len(c->hash);
    struct tls_span vd;
    int r = tls_finished_parse(msg + TLS_HS_HDR_LEN, len - TLS_HS_HDR_LEN, hl, &vd);
    if (r < 0)
        return r;
    uint8_t h[ATOLL_TLS_HASH_MAX], want[ATOLL_TLS_HASH_MAX];
    if (tls_transcript_hash(c, h) != 0 || tls_ks_finished(&c->crypto, c->hash, c->s_hs, h, want) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    if (!tls_ct_equal(want, msg + TLS_HS_HDR_LEN + vd.off, hl))
        return -TLS_ALERT_DECRYPT_ERROR;
    uint8_t s_ap[ATOLL_TLS_HASH_MAX];
    if (tls_transcript_add(c, msg, len) != 0 || tls_ks_master_secret(&c->crypto, c->hash, c->secret, c->secret) != 0 ||
        tls_transcript_hash(c, h) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "c ap traffic", h, c->c_ap) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "s ap traffic", h, s_ap) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    /* Compatibility mode: one CCS before our first protected record. */
    if (!c->hrr_sent && (r = tls_queue_ccs(c)) < 0)
        return r;
    if ((r = tls_install_tx(c, c->c_hs)) < 0)
        return r;
    if (c->cert_requested) {
        uint8_t empty[16];
        int w = tls_certificate_write(empty, sizeof empty, NULL, NULL, 0);
        if (w < 0 || tls_transcript_add(c, empty, (size_t)w) != 0 || tls_transcript_hash(c, h) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        if ((r = tls_queue(c, TLS_CT_HANDSHAKE, empty, (size_t)w)) < 0)
            return r;
    }
    uint8_t fin[ATOLL_TLS_HASH_MAX], fmsg[4 + ATOLL_TLS_HASH_MAX];
    if (tls_ks_finished(&c->crypto, c->hash, c->c_hs, h, fin) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    int w = tls_finished_write(fmsg, sizeof fmsg, fin, hl);
    if (w < 0 || tls_transcript_add(c, fmsg, (size_t)w) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    if ((r = tls_queue(c, TLS_CT_HANDSHAKE, fmsg, (size_t)w)) < 0)
        return r;
    if (tls_transcript_hash(c, h) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "res master", h, c->res_master) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    if ((r = tls_install_tx(c, c->c_ap)) < 0 || (r = tls_install_rx(c, s_ap)) < 0)
        return r;
    memset(s_ap, 0, sizeof s_ap);
    memset(c->c_ap, 0, sizeof c->c_ap);
    memset(c->c_hs, 0, sizeof c->c_hs);
    memset(c->s_hs, 0, sizeof c->s_hs);
    memset(c->secret, 0, sizeof c->secret);
    return 0;
}

int tls_client_new_session_ticket(struct atoll_tls_conn *c, const uint8_t *msg, size_t len)
{
    const uint8_t *b = msg + TLS_HS_HDR_LEN;
    struct tls_new_session_ticket_in t;
    int r = tls_new_session_ticket_parse(b, len - TLS_HS_HDR_LEN, &t);
    if (r < 0)
        return r;
    if (c->ccfg->on_ticket == NULL || t.lifetime == 0)
        return 0;
    uint8_t psk[ATOLL_TLS_HASH_MAX];
    if (tls_ks_resumption_psk(&c->crypto, c->hash, c->res_master, b + t.nonce.off, t.nonce.len, psk) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->ccfg->on_ticket(c->ccfg->ticket_ctx, c->suite, b + t.ticket.off, t.ticket.len, psk, atoll_tls_hash_len(c->hash),
                       t.lifetime, t.age_add);
    memset(psk, 0, sizeof psk);
    return 0;
}
