/* SPDX-License-Identifier: Apache-2.0 */
/* Self-encrypted session tickets (RFC 8446 §4.6.1): the ticket carries the
 * resumption PSK and its limits sealed under a server ticket key, so the
 * server keeps no per-session state. Layout:
 *   key_name(16) || nonce(12) || AES-256-GCM(state(68)) || tag(16)
 * with the key name as additional data. state:
 *   version(1)=1 suite(2) issued_ms(8) lifetime_s(4) age_add(4) psk_len(1) psk(48) */
#include <string.h>

#include "tls/engine_internal.h"
#include "tls/keysched.h"
#include "tls/msg.h"

#define STATE_VERSION 1u

static void put_be(uint8_t *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (uint8_t)(v % 256u);
        v /= 256u;
    }
}

static uint64_t get_be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v * 256u + p[i];
    return v;
}

static int key_is_set(const struct atoll_tls_ticket_key *k)
{
    uint8_t z = 0;
    for (size_t i = 0; i < ATOLL_TLS_TICKET_NAME_LEN; i++)
        z |= k->name[i];
    return z != 0;
}

int tls_ticket_seal(const struct atoll_tls_conn *c, const struct tls_ticket_state *st, uint8_t *out)
{
    const struct atoll_tls_ticket_key *k = &c->cfg->ticket_current;
    if (!key_is_set(k))
        return -1;
    uint8_t pt[TLS_TICKET_STATE_LEN];
    memset(pt, 0, sizeof pt);
    pt[0] = STATE_VERSION;
    put_be(pt + 1, st->suite, 2);
    put_be(pt + 3, st->issued_ms, 8);
    put_be(pt + 11, st->lifetime_s, 4);
    put_be(pt + 15, st->age_add, 4);
    pt[19] = st->psk_len;
    memcpy(pt + 20, st->psk, st->psk_len);
    memcpy(out, k->name, ATOLL_TLS_TICKET_NAME_LEN);
    uint8_t *nonce = out + ATOLL_TLS_TICKET_NAME_LEN;
    const struct atoll_tls_crypto_ops *ops = c->crypto.ops;
    int r = ops->random(c->crypto.state, nonce, ATOLL_TLS_AEAD_NONCE_LEN);
    /* A ticket key is expanded per ticket: tickets are one per resumption,
     * and keeping expanded keys would put backend state in the shared
     * server config, which several connections read at once. */
    struct atoll_tls_aead_ctx key;
    memset(&key, 0, sizeof key);
    if (r == 0)
        r = ops->aead_init(&key, ATOLL_TLS_AEAD_AES_256_GCM, k->key);
    if (r == 0)
        r = ops->aead_seal(&key, nonce, k->name, ATOLL_TLS_TICKET_NAME_LEN, pt, sizeof pt, nonce + ATOLL_TLS_AEAD_NONCE_LEN);
    ops->aead_wipe(&key);
    memset(pt, 0, sizeof pt);
    return r == 0 ? 0 : -1;
}

int tls_ticket_open(const struct atoll_tls_conn *c, const uint8_t *ticket, size_t len, struct tls_ticket_state *st)
{
    if (len != TLS_TICKET_LEN)
        return -1;
    const struct atoll_tls_ticket_key *k = NULL;
    if (key_is_set(&c->cfg->ticket_current) &&
        memcmp(ticket, c->cfg->ticket_current.name, ATOLL_TLS_TICKET_NAME_LEN) == 0)
        k = &c->cfg->ticket_current;
    else if (key_is_set(&c->cfg->ticket_previous) &&
             memcmp(ticket, c->cfg->ticket_previous.name, ATOLL_TLS_TICKET_NAME_LEN) == 0)
        k = &c->cfg->ticket_previous;
    if (k == NULL)
        return -1;
    uint8_t pt[TLS_TICKET_STATE_LEN];
    const uint8_t *nonce = ticket + ATOLL_TLS_TICKET_NAME_LEN;
    const struct atoll_tls_crypto_ops *ops = c->crypto.ops;
    struct atoll_tls_aead_ctx key;
    memset(&key, 0, sizeof key);
    int r = ops->aead_init(&key, ATOLL_TLS_AEAD_AES_256_GCM, k->key);
    if (r == 0)
        r = ops->aead_open(&key, nonce, k->name, ATOLL_TLS_TICKET_NAME_LEN, nonce + ATOLL_TLS_AEAD_NONCE_LEN,
                           TLS_TICKET_STATE_LEN + ATOLL_TLS_AEAD_TAG_LEN, pt);
    ops->aead_wipe(&key);
    if (r != 0 || pt[0] != STATE_VERSION || pt[19] > ATOLL_TLS_HASH_MAX) {
        memset(pt, 0, sizeof pt);
        return -1;
    }
    st->suite = (uint16_t)get_be(pt + 1, 2);
    st->issued_ms = get_be(pt + 3, 8);
    st->lifetime_s = (uint32_t)get_be(pt + 11, 4);
    st->age_add = (uint32_t)get_be(pt + 15, 4);
    st->psk_len = pt[19];
    memcpy(st->psk, pt + 20, st->psk_len);
    memset(pt, 0, sizeof pt);
    return 0;
}

int tls_send_tickets(struct atoll_tls_conn *c)
{
    const struct atoll_tls_server_config *cfg = c->cfg;
    if (cfg->ticket_lifetime_s == 0 || !key_is_set(&cfg->ticket_current))
        return 0;
    for (unsigned i = 0; i < cfg->tickets_per_handshake; i++) {
        struct tls_ticket_state st;
        uint8_t nonce = c->ticket_nonce++;
        uint8_t ticket[TLS_TICKET_LEN];
        uint8_t msg[64 + TLS_TICKET_LEN];
        memset(&st, 0, sizeof st);
        st.suite = c->suite;
        st.issued_ms = c->now_ms;
        /* §4.6.1: at most seven days. */
        st.lifetime_s = cfg->ticket_lifetime_s < 604800u ? cfg->ticket_lifetime_s : 604800u;
        st.psk_len = (uint8_t)atoll_tls_hash_len(c->hash);
        uint8_t age_add[4];
        if (c->crypto.ops->random(c->crypto.state, age_add, sizeof age_add) != 0 ||
            tls_ks_resumption_psk(&c->crypto, c->hash, c->res_master, &nonce, 1, st.psk) != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        st.age_add = (uint32_t)get_be(age_add, 4);
        int r = tls_ticket_seal(c, &st, ticket);
        memset(st.psk, 0, sizeof st.psk);
        if (r != 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        int w = tls_new_session_ticket_write(msg, sizeof msg, st.lifetime_s, st.age_add, &nonce, 1, ticket,
                                             sizeof ticket);
        if (w < 0)
            return -TLS_ALERT_INTERNAL_ERROR;
        r = tls_queue(c, TLS_CT_HANDSHAKE, msg, (size_t)w);
        if (r < 0)
            return r;
    }
    return 0;
}
