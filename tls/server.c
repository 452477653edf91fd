/* SPDX-License-Identifier: Apache-2.0 */
/* The server side of the TLS 1.3 handshake (RFC 8446 §4): negotiation on
 * ClientHello, HelloRetryRequest, the server flight, PSK resumption with
 * our own tickets, and the client's Finished. The message order itself is
 * enforced by the proved step function before these run. */
#include <string.h>

#include "tls/dns_name.h"
#include "tls/engine_internal.h"
#include "tls/hs_fsm.h"
#include "tls/keysched.h"
#include "tls/msg.h"

struct negotiation {
    uint16_t suite;
    uint16_t group;
    struct tls_span share;     /* the client's key share for group, len 0: HRR */
    int cred;                  /* credential index, -1 with a PSK */
    uint16_t scheme;
    const char *alpn;          /* the protocol we select, or NULL */
    int psk_index;             /* -1: full handshake */
    uint8_t psk[ATOLL_TLS_HASH_MAX];
};

static const uint16_t our_suites[] = {TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384,
                                      TLS_CHACHA20_POLY1305_SHA256};
static const uint16_t our_groups[] = {ATOLL_TLS_GROUP_X25519, ATOLL_TLS_GROUP_SECP256R1, ATOLL_TLS_GROUP_SECP384R1};

static int we_support_suite(uint16_t s)
{
    for (size_t i = 0; i < sizeof our_suites / sizeof our_suites[0]; i++)
        if (our_suites[i] == s)
            return 1;
    return 0;
}

static int we_support_group(uint16_t g)
{
    for (size_t i = 0; i < sizeof our_groups / sizeof our_groups[0]; i++)
        if (our_groups[i] == g)
            return 1;
    return 0;
}

static void suite_params(uint16_t suite, enum atoll_tls_hash_alg *h, enum atoll_tls_aead_alg *a)
{
    *h = suite == TLS_AES_256_GCM_SHA384 ? ATOLL_TLS_HASH_SHA384 : ATOLL_TLS_HASH_SHA256;
    *a = suite == TLS_AES_128_GCM_SHA256   ? ATOLL_TLS_AEAD_AES_128_GCM
         : suite == TLS_AES_256_GCM_SHA384 ? ATOLL_TLS_AEAD_AES_256_GCM
                                           : ATOLL_TLS_AEAD_CHACHA20_POLY1305;
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] * 256u + p[1]);
}

/* The client's order decides among the suites we support: clients put
 * ChaCha20 first exactly when they lack AES hardware. */
static uint16_t choose_suite(const uint8_t *b, const struct tls_client_hello *ch)
{
    for (uint32_t i = 0; i + 1u < ch->suites.len; i += 2u) {
        uint16_t s = rd16(b + ch->suites.off + i);
        if (we_support_suite(s))
            return s;
    }
    return 0;
}

static int cred_serves(const struct atoll_tls_credential *cr, const char *host)
{
    for (size_t i = 0; i < cr->name_count; i++)
        if (cr->names[i] && tls_dns_name_matches(cr->names[i], strlen(cr->names[i]), host, strlen(host)))
            return 1;
    return 0;
}

static int key_can(enum atoll_tls_key_kind k, uint16_t scheme)
{
    if (k == ATOLL_TLS_KEY_ECDSA_P256)
        return scheme == ATOLL_TLS_SIG_ECDSA_SECP256R1_SHA256;
    if (k == ATOLL_TLS_KEY_ECDSA_P384)
        return scheme == ATOLL_TLS_SIG_ECDSA_SECP384R1_SHA384;
    if (k == ATOLL_TLS_KEY_RSA)
        return scheme == ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256 || scheme == ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA384 ||
               scheme == ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA512;
    return 0;
}

/* SNI picks the credentials that serve the name (all of them when none
 * does: a client asking for an unknown name still gets our default); among
 * those, the client's signature_algorithms order picks the key. */
static int choose_credential(const struct atoll_tls_conn *c, const uint8_t *b, const struct tls_client_hello *ch,
                             struct negotiation *n)
{
    const struct atoll_tls_server_config *cfg = c->cfg;
    int any_named = 0;
    if (c->sni[0] != '\0')
        for (size_t i = 0; i < cfg->cred_count; i++)
            if (cred_serves(&cfg->cred[i], c->sni))
                any_named = 1;
    for (uint32_t j = 0; j + 1u < ch->sig_algs.len; j += 2u) {
        uint16_t scheme = rd16(b + ch->sig_algs.off + j);
        for (size_t i = 0; i < cfg->cred_count; i++) {
            const struct atoll_tls_credential *cr = &cfg->cred[i];
            if (any_named && !cred_serves(cr, c->sni))
                continue;
            if (key_can(cr->key_kind, scheme)) {
                n->cred = (int)i;
                n->scheme = scheme;
                return 0;
            }
        }
    }
    return -TLS_ALERT_HANDSHAKE_FAILURE;
}

/* The client's first key share in a group we support; otherwise the first
 * of its supported_groups we support, for a HelloRetryRequest. Each of our
 * groups is looked up among the shares once, however often it is listed:
 * shares for groups we do not know are skipped, however many. */
static int choose_group(const uint8_t *b, const struct tls_client_hello *ch, struct negotiation *n)
{
    int tried[sizeof our_groups / sizeof our_groups[0]] = {0};
    for (uint32_t i = 0; i + 1u < ch->groups.len; i += 2u) {
        uint16_t g = rd16(b + ch->groups.off + i);
        struct tls_span key;
        size_t k = 0;
        while (k < sizeof our_groups / sizeof our_groups[0] && our_groups[k] != g)
            k++;
        if (k == sizeof our_groups / sizeof our_groups[0] || tried[k])
            continue;
        tried[k] = 1;
        if (tls_ch_key_share(b, ch, g, &key)) {
            n->group = g;
            n->share = key;
            return 0;
        }
    }
    for (uint32_t i = 0; i + 1u < ch->groups.len; i += 2u) {
        uint16_t g = rd16(b + ch->groups.off + i);
        if (we_support_group(g)) {
            n->group = g;
            n->share.off = 0;
            n->share.len = 0;
            return 0;
        }
    }
    return -TLS_ALERT_HANDSHAKE_FAILURE;
}

/* Every key share must name a group the client also lists (§4.2.8). Both
 * lists can hold thousands of entries, so instead of a search per share:
 * a bitmap of the listed groups, one eighth of the group space per pass
 * (1 KiB of stack, at most 8 walks of each list). */
#define GROUP_PASS_BITS 8192u
static int shares_listed(const uint8_t *b, const struct tls_client_hello *ch)
{
    uint32_t m[GROUP_PASS_BITS / 32u];
    for (uint32_t r = 0; r < 65536u / GROUP_PASS_BITS; r++) {
        int any = 0;
        for (uint32_t p = 0; p + 4u <= ch->key_shares.len; p += 4u + rd16(b + ch->key_shares.off + p + 2u))
            if (rd16(b + ch->key_shares.off + p) / GROUP_PASS_BITS == r)
                any = 1;
        if (!any)
            continue;
        memset(m, 0, sizeof m);
        for (uint32_t i = 0; i + 1u < ch->groups.len; i += 2u) {
            uint32_t g = rd16(b + ch->groups.off + i);
            if (g / GROUP_PASS_BITS == r)
                m[g % GROUP_PASS_BITS / 32u] |= 1u << (g % 32u);
        }
        for (uint32_t p = 0; p + 4u <= ch->key_shares.len; p += 4u + rd16(b + ch->key_shares.off + p + 2u)) {
            uint32_t g = rd16(b + ch->key_shares.off + p);
            if (g / GROUP_PASS_BITS == r && !(m[g % GROUP_PASS_BITS / 32u] & 1u << (g % 32u)))
                return 0;
        }
    }
    return 1;
}

/* Extensions a second ClientHello may change, drop or add (§4.1.2). */
static int may_change_after_hrr(uint16_t t)
{
    return t == TLS_EXT_KEY_SHARE || t == TLS_EXT_EARLY_DATA || t == TLS_EXT_COOKIE ||
           t == TLS_EXT_PRE_SHARED_KEY || t == TLS_EXT_PADDING;
}

/* What a second ClientHello must repeat of the first (§4.1.2): everything
 * but the extensions above, the others in the same order and with the same
 * bytes. A SHA-256 of that stands in for the first hello, gone by then.
 * b/len: a parsed ClientHello body. */
static int hrr_digest(const struct atoll_tls_conn *c, const uint8_t *b, size_t len, const struct tls_client_hello *ch,
                      uint8_t *out)
{
    const struct atoll_tls_crypto_ops *ops = c->crypto.ops;
    struct atoll_tls_hash_ctx h;
    size_t e = ch->suites.off + ch->suites.len;
    e += 1u + b[e];
    if (ops->hash_init(&h, ATOLL_TLS_HASH_SHA256) != 0 || ops->hash_update(&h, b, e) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    for (size_t p = e + 2u; p + 4u <= len; p += 4u + rd16(b + p + 2u)) {
        uint16_t t = rd16(b + p);
        if (!may_change_after_hrr(t) && ops->hash_update(&h, b + p, 4u + rd16(b + p + 2u)) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
    }
    return ops->hash_final(&h, out) == 0 ? 0 : -TLS_ALERT_INTERNAL_ERROR;
}

static uint32_t share_count(const uint8_t *b, const struct tls_client_hello *ch)
{
    uint32_t p = 0, n = 0;
    while (p + 4u <= ch->key_shares.len) {
        uint32_t kl = rd16(b + ch->key_shares.off + p + 2u);
        p += 4u + kl;
        n++;
    }
    return n;
}

/* Tries the offered PSK identities against our tickets; the first that
 * opens, matches the suite's hash and is still within its lifetime is
 * taken, and its binder must then verify (decrypt_error otherwise).
 * msg/len: the whole ClientHello message. */
static int choose_psk(struct atoll_tls_conn *c, const uint8_t *msg, const struct tls_client_hello *ch,
                      struct negotiation *n)
{
    const uint8_t *b = msg + TLS_HS_HDR_LEN;
    n->psk_index = -1;
    if (!(ch->ext_seen & TLS_SEEN_PRE_SHARED_KEY))
        return 0;
    if (!(ch->ext_seen & TLS_SEEN_PSK_KEY_EXCHANGE_MODES))
        return -TLS_ALERT_MISSING_EXTENSION;
    if (!(ch->psk_modes & TLS_PSK_MODE_DHE_KE) || c->cfg->ticket_lifetime_s == 0)
        return 0; /* psk_ke alone gives no forward secrecy: full handshake */
    for (uint16_t i = 0; i < ch->psk_count; i++) {
        struct tls_span id, binder;
        uint32_t age;
        struct tls_ticket_state st;
        if (tls_ch_psk(b, ch, i, &id, &age, &binder) != 1)
            continue;
        if (tls_ticket_open(c, b + id.off, id.len, &st) != 0)
            continue;
        enum atoll_tls_hash_alg th, nh;
        enum atoll_tls_aead_alg ta;
        suite_params(st.suite, &th, &ta);
        suite_params(n->suite, &nh, &ta);
        if (th != nh)
            continue;
        if (c->now_ms < st.issued_ms || c->now_ms - st.issued_ms > (uint64_t)st.lifetime_s * 1000u)
            continue;
        /* Binder: HMAC over the transcript up to the binders list. */
        uint8_t early[ATOLL_TLS_HASH_MAX], bkey[ATOLL_TLS_HASH_MAX], h[ATOLL_TLS_HASH_MAX], want[ATOLL_TLS_HASH_MAX];
        size_t hl = atoll_tls_hash_len(nh);
        struct atoll_tls_hash_ctx t = c->transcript;
        if (c->crypto.ops->hash_update(&t, msg, TLS_HS_HDR_LEN + ch->binders_off) != 0 ||
            c->crypto.ops->hash_final(&t, h) != 0 ||
            tls_ks_early_secret(&c->crypto, nh, st.psk, st.psk_len, early) != 0 ||
            tls_ks_binder_key(&c->crypto, nh, early, 1, bkey) != 0 ||
            tls_ks_finished(&c->crypto, nh, bkey, h, want) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        if (binder.len != hl || !tls_ct_equal(want, b + binder.off, hl))
            return -TLS_ALERT_DECRYPT_ERROR;
        n->psk_index = i;
        memcpy(n->psk, st.psk, hl);
        return 0;
    }
    return 0;
}

/* The HelloRetryRequest: transcript becomes message_hash(CH1) || HRR. */
static int send_hrr(struct atoll_tls_conn *c, const uint8_t *msg, size_t len, const struct tls_client_hello *ch,
                    const struct negotiation *n)
{
    uint8_t h[ATOLL_TLS_HASH_MAX];
    size_t hl = atoll_tls_hash_len(c->hash);
    const struct atoll_tls_crypto_ops *ops = c->crypto.ops;
    if (ops->hash_update(&c->transcript, msg, len) != 0 || ops->hash_final(&c->transcript, h) != 0 ||
        ops->hash_init(&c->transcript, c->hash) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    uint8_t mh[4 + ATOLL_TLS_HASH_MAX];
    int mlen = tls_message_hash_write(mh, sizeof mh, h, hl);
    if (mlen < 0 || tls_transcript_add(c, mh, (size_t)mlen) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    struct tls_server_hello sh = {0};
    sh.hrr = 1;
    sh.session_id_len = ch->session_id_len;
    sh.session_id = ch->session_id;
    sh.suite = n->suite;
    sh.group = n->group;
    sh.psk_index = -1;
    size_t cap;
    uint8_t *out = tls_compose_area(c, &cap);
    int w = tls_server_hello_write(out, cap, &sh);
    if (w < 0 || tls_transcript_add(c, out, (size_t)w) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    int r = tls_queue(c, TLS_CT_HANDSHAKE, out, (size_t)w);
    if (r < 0)
        return r;
    if (ch->session_id_len != 0) {
        r = tls_queue_ccs(c);
        if (r < 0)
            return r;
        c->send_ccs = 0; /* the one CCS has gone out */
    }
    c->hrr_sent = 1;
    return 0;
}

/* EncryptedExtensions, Certificate, CertificateVerify, Finished: composed
 * back to back, each added to the transcript, queued as protected records. */
static int send_flight(struct atoll_tls_conn *c, const struct tls_client_hello *ch, const struct negotiation *n)
{
    const struct atoll_tls_crypto_ops *ops = c->crypto.ops;
    size_t cap, pos = 0;
    uint8_t *out = tls_compose_area(c, &cap);
    uint8_t h[ATOLL_TLS_HASH_MAX];
    size_t hl = atoll_tls_hash_len(c->hash);
    int w;

    struct tls_encrypted_extensions ee = {0};
    ee.server_name_ack = c->sni[0] != '\0' && n->psk_index < 0;
    if (n->alpn) {
        ee.alpn = (const uint8_t *)n->alpn;
        ee.alpn_len = strlen(n->alpn);
    }
    if (ch->record_size_limit != 0)
        ee.record_size_limit = c->cfg->record_size_limit ? c->cfg->record_size_limit : TLS_PLAINTEXT_MAX + 1u;
    w = tls_encrypted_extensions_write(out, cap, &ee);
    if (w < 0 || tls_transcript_add(c, out, (size_t)w) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    pos += (size_t)w;

    if (n->psk_index < 0) {
        const struct atoll_tls_credential *cr = &c->cfg->cred[n->cred];
        w = tls_certificate_write(out + pos, cap - pos, cr->chain, cr->chain_len, cr->chain_count);
        if (w < 0 || tls_transcript_add(c, out + pos, (size_t)w) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        pos += (size_t)w;

        uint8_t content[64 + 34 + 1 + ATOLL_TLS_HASH_MAX];
        uint8_t sig[ATOLL_TLS_SIG_MAX];
        size_t sig_len;
        if (tls_transcript_hash(c, h) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        size_t cl = tls_cv_content(content, 1, h, hl);
        if (ops->sign(c->crypto.state, cr->key, n->scheme, content, cl, sig, sizeof sig, &sig_len) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        w = tls_certificate_verify_write(out + pos, cap - pos, n->scheme, sig, sig_len);
        if (w < 0 || tls_transcript_add(c, out + pos, (size_t)w) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        pos += (size_t)w;
    }

    uint8_t fin[ATOLL_TLS_HASH_MAX];
    if (tls_transcript_hash(c, h) != 0 || tls_ks_finished(&c->crypto, c->hash, c->s_hs, h, fin) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    w = tls_finished_write(out + pos, cap - pos, fin, hl);
    if (w < 0 || tls_transcript_add(c, out + pos, (size_t)w) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    pos += (size_t)w;
    return tls_queue(c, TLS_CT_HANDSHAKE, out, pos);
}

/* ServerHello, the key schedule up to the application secrets, the flight. */
static int send_server_hello(struct atoll_tls_conn *c, const uint8_t *b, const struct tls_client_hello *ch,
                             struct negotiation *n)
{
    const struct atoll_tls_crypto_ops *ops = c->crypto.ops;
    size_t hl = atoll_tls_hash_len(c->hash);
    uint8_t priv[ATOLL_TLS_KEX_PRIV_MAX], pub[ATOLL_TLS_KEX_PUB_MAX], dhe[ATOLL_TLS_KEX_SECRET_MAX];
    size_t priv_len, pub_len, dhe_len;
    if (ops->kex_keygen(c->crypto.state, n->group, priv, &priv_len, pub, &pub_len) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    int r = ops->kex_shared(c->crypto.state, n->group, priv, priv_len, b + n->share.off, n->share.len, dhe,
                            &dhe_len);
    memset(priv, 0, sizeof priv);
    if (r == ATOLL_TLS_CRYPTO_E_PEER)
        return -TLS_ALERT_ILLEGAL_PARAMETER;
    if (r != 0)
        return -TLS_ALERT_INTERNAL_ERROR;

    struct tls_server_hello sh = {0};
    if (ops->random(c->crypto.state, sh.random, sizeof sh.random) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    sh.session_id_len = ch->session_id_len;
    sh.session_id = ch->session_id;
    sh.suite = n->suite;
    sh.group = n->group;
    sh.key_share = pub;
    sh.key_share_len = pub_len;
    sh.psk_index = n->psk_index;
    size_t cap;
    uint8_t *out = tls_compose_area(c, &cap);
    int w = tls_server_hello_write(out, cap, &sh);
    if (w < 0 || tls_transcript_add(c, out, (size_t)w) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    r = tls_queue(c, TLS_CT_HANDSHAKE, out, (size_t)w);
    if (r < 0)
        return r;
    if (c->send_ccs) {
        r = tls_queue_ccs(c);
        if (r < 0)
            return r;
        c->send_ccs = 0;
    }

    uint8_t early[ATOLL_TLS_HASH_MAX], h[ATOLL_TLS_HASH_MAX];
    const uint8_t *psk = n->psk_index >= 0 ? n->psk : NULL;
    if (tls_ks_early_secret(&c->crypto, c->hash, psk, psk ? hl : 0, early) != 0 ||
        tls_ks_handshake_secret(&c->crypto, c->hash, early, dhe, dhe_len, c->secret) != 0 ||
        tls_transcript_hash(c, h) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "c hs traffic", h, c->c_hs) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "s hs traffic", h, c->s_hs) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    memset(dhe, 0, sizeof dhe);
    memset(early, 0, sizeof early);
    if ((r = tls_install_tx(c, c->s_hs)) != 0 || (r = tls_install_rx(c, c->c_hs)) != 0)
        return r;

    r = send_flight(c, ch, n);
    if (r < 0)
        return r;

    /* Master secret and application secrets over CH..server Finished. */
    uint8_t s_ap[ATOLL_TLS_HASH_MAX];
    if (tls_ks_master_secret(&c->crypto, c->hash, c->secret, c->secret) != 0 || tls_transcript_hash(c, h) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "c ap traffic", h, c->c_ap) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "s ap traffic", h, s_ap) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    r = tls_install_tx(c, s_ap);
    memset(s_ap, 0, sizeof s_ap);
    return r;
}

/* Copies the host_name for SNI matching and logging. */
static void keep_sni(struct atoll_tls_conn *c, const uint8_t *b, const struct tls_client_hello *ch)
{
    size_t n = ch->server_name.len < sizeof c->sni - 1u ? ch->server_name.len : sizeof c->sni - 1u;
    memcpy(c->sni, b + ch->server_name.off, n);
    c->sni[n] = '\0';
}

int tls_server_client_hello(struct atoll_tls_conn *c, const uint8_t *msg, size_t len, int *flags)
{
    const uint8_t *b = msg + TLS_HS_HDR_LEN;
    struct tls_client_hello ch;
    int second = c->hs == HS_WAIT_CH2;
    int r = tls_client_hello_parse(b, len - TLS_HS_HDR_LEN, &ch);
    if (r < 0)
        return r;
    /* Legacy versions are refused (§4.2.1, D.2): no supported_versions, or
     * one without TLS 1.3. */
    if (!(ch.ext_seen & TLS_SEEN_SUPPORTED_VERSIONS) || !ch.offers_tls13)
        return -TLS_ALERT_PROTOCOL_VERSION;

    struct negotiation n;
    memset(&n, 0, sizeof n);
    n.cred = -1;
    n.psk_index = -1;
    n.suite = choose_suite(b, &ch);
    if (n.suite == 0)
        return -TLS_ALERT_HANDSHAKE_FAILURE;
    if (second && n.suite != c->suite)
        return -TLS_ALERT_ILLEGAL_PARAMETER; /* §4.1.4: same suite as the HRR */

    /* We only do (EC)DHE, with or without a PSK: both extensions needed. */
    int has_groups = (ch.ext_seen & TLS_SEEN_SUPPORTED_GROUPS) != 0;
    int has_shares = (ch.ext_seen & TLS_SEEN_KEY_SHARE) != 0;
    if (!has_groups || !has_shares)
        return -TLS_ALERT_MISSING_EXTENSION;
    if (!shares_listed(b, &ch))
        return -TLS_ALERT_ILLEGAL_PARAMETER;

    if (!second) {
        c->suite = n.suite;
        suite_params(n.suite, &c->hash, &c->aead);
        if (c->crypto.ops->hash_init(&c->transcript, c->hash) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        keep_sni(c, b, &ch);
        c->send_ccs = ch.session_id_len != 0;
    }

    /* c->secret is free until the handshake secret: it holds the first
     * hello's digest from our HelloRetryRequest to the second hello. */
    uint8_t dg[32];
    if (second) {
        r = hrr_digest(c, b, len - TLS_HS_HDR_LEN, &ch, dg);
        if (r < 0)
            return r;
        if (!tls_ct_equal(dg, c->secret, sizeof dg) || ch.early_data)
            return -TLS_ALERT_ILLEGAL_PARAMETER; /* §4.1.2: the same hello but for what HRR changes */
    }

    if (second) {
        /* §4.1.2: the second hello carries exactly one share, for the group
         * we asked for. */
        struct tls_span key;
        if (share_count(b, &ch) != 1 || !tls_ch_key_share(b, &ch, c->group, &key))
            return -TLS_ALERT_ILLEGAL_PARAMETER;
        n.group = c->group;
        n.share = key;
    } else {
        r = choose_group(b, &ch, &n);
        if (r < 0)
            return r;
    }

    r = choose_psk(c, msg, &ch, &n);
    if (r < 0)
        return r;
    if (n.psk_index < 0) {
        if (!(ch.ext_seen & TLS_SEEN_SIGNATURE_ALGORITHMS))
            return -TLS_ALERT_MISSING_EXTENSION;
        r = choose_credential(c, b, &ch, &n);
        if (r < 0)
            return r;
    }

    if (c->cfg->alpn != NULL && (ch.ext_seen & TLS_SEEN_ALPN)) {
        /* Our preference first (RFC 7301 §3.2: the server chooses). */
        const char *also = c->cfg->alpn_also;
        if (tls_ch_offers_alpn(b, &ch, (const uint8_t *)c->cfg->alpn, strlen(c->cfg->alpn)))
            n.alpn = c->cfg->alpn;
        else if (also != NULL && tls_ch_offers_alpn(b, &ch, (const uint8_t *)also, strlen(also)))
            n.alpn = also;
        else
            return -TLS_ALERT_NO_APPLICATION_PROTOCOL; /* RFC 7301 §3.2 */
    }
    if (ch.record_size_limit != 0)
        c->peer_record_limit = ch.record_size_limit;

    if (n.share.len == 0) {
        c->group = n.group;
        r = hrr_digest(c, b, len - TLS_HS_HDR_LEN, &ch, c->secret);
        if (r < 0)
            return r;
        r = send_hrr(c, msg, len, &ch, &n);
        if (r < 0)
            return r;
        c->early_data_skipping = ch.early_data;
        *flags = HS_F_HRR;
        return 0;
    }

    if (tls_transcript_add(c, msg, len) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->group = n.group;
    c->sig_scheme = n.scheme;
    c->cred_index = (uint8_t)(n.cred < 0 ? 0 : n.cred);
    c->resumed = n.psk_index >= 0;
    c->alpn_selected = (uint8_t)(n.alpn != NULL);
    c->alpn_proto = n.alpn;
    r = send_server_hello(c, b, &ch, &n);
    memset(n.psk, 0, sizeof n.psk);
    if (r < 0)
        return r;
    /* 0-RTT is never accepted; the client's early data is skipped. */
    c->early_data_skipping = ch.early_data && !second;
    *flags = c->resumed ? HS_F_PSK : 0;
    return 0;
}

int tls_server_finished(struct atoll_tls_conn *c, const uint8_t *msg, size_t len)
{
    size_t hl = atoll_tls_hash_len(c->hash);
    struct tls_span vd;
    int r = tls_finished_parse(msg + TLS_HS_HDR_LEN, len - TLS_HS_HDR_LEN, hl, &vd);
    if (r < 0)
        return r;
    uint8_t h[ATOLL_TLS_HASH_MAX], want[ATOLL_TLS_HASH_MAX];
    if (tls_transcript_hash(c, h) != 0 || tls_ks_finished(&c->crypto, c->hash, c->c_hs, h, want) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    if (!tls_ct_equal(want, msg + TLS_HS_HDR_LEN + vd.off, hl))
        return -TLS_ALERT_DECRYPT_ERROR;
    if (tls_transcript_add(c, msg, len) != 0 || tls_transcript_hash(c, h) != 0 ||
        tls_derive_secret(&c->crypto, c->hash, c->secret, "res master", h, c->res_master) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    r = tls_install_rx(c, c->c_ap);
    if (r < 0)
        return r;
    c->early_data_skipping = 0;
    memset(c->c_ap, 0, sizeof c->c_ap);
    memset(c->c_hs, 0, sizeof c->c_hs);
    memset(c->s_hs, 0, sizeof c->s_hs);
    memset(c->secret, 0, sizeof c->secret);
    return tls_send_tickets(c);
}
