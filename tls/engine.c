/* SPDX-License-Identifier: Apache-2.0 */
/* Record plumbing of the TLS engine: input buffering and record dispatch,
 * handshake message reassembly, alerts, output queuing, application data.
 * What each handshake step accepts comes from tls_hs_step and
 * tls_record_allowed (proved against spec/tls_hs.acsl.h). */
#include <string.h>

#include "tls/engine_internal.h"
#include "tls/hs_fsm.h"
#include "tls/keysched.h"
#include "tls/msg.h"

#define NO_ALERT 0xffu

int tls_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    unsigned d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned)(a[i] ^ b[i]);
    return d == 0;
}

/* Largest TLSInnerPlaintext we may send: 2^14 + 1 or the peer's limit. */
static size_t tx_max_inner(const struct atoll_tls_conn *c)
{
    size_t m = TLS_PLAINTEXT_MAX + 1u;
    if (c->peer_record_limit != 0 && c->peer_record_limit < m)
        m = c->peer_record_limit;
    return m;
}

/* Largest TLSInnerPlaintext we accept: what we advertised, or 2^14 + 1. A
 * server announces its limit only to a client that sent one. */
static size_t rx_max_inner(const struct atoll_tls_conn *c)
{
    size_t m = TLS_PLAINTEXT_MAX + 1u;
    uint16_t ours = 0;
    if (c->is_client && c->ccfg)
        ours = c->ccfg->record_size_limit;
    else if (c->cfg && c->peer_record_limit != 0)
        ours = c->cfg->record_size_limit;
    if (ours != 0 && ours < m)
        m = ours;
    return m;
}

int tls_transcript_add(struct atoll_tls_conn *c, const uint8_t *msg, size_t len)
{
    return c->crypto.ops->hash_update(&c->transcript, msg, len) == 0 ? 0 : -TLS_ALERT_INTERNAL_ERROR;
}

int tls_transcript_hash(const struct atoll_tls_conn *c, uint8_t *out)
{
    return c->crypto.ops->hash_final(&c->transcript, out) == 0 ? 0 : -TLS_ALERT_INTERNAL_ERROR;
}

int tls_install_rx(struct atoll_tls_conn *c, const uint8_t *secret)
{
    if (tls_traffic_init(&c->rx, &c->crypto, c->aead, c->hash, secret) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->rx_protected = 1;
    c->rx_epoch++;
    return 0;
}

int tls_install_tx(struct atoll_tls_conn *c, const uint8_t *secret)
{
    if (tls_traffic_init(&c->tx, &c->crypto, c->aead, c->hash, secret) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->tx_protected = 1;
    return 0;
}

/* Sent bytes leave the front of the output only when the room is needed
 * (or they are at least as many as the unsent ones): TCP taking a record a
 * segment at a time must not cost a move of the rest each time. */
static void compact_out(struct atoll_tls_conn *c)
{
    if (c->out_off == 0)
        return;
    memmove(c->buf.out, c->buf.out + c->out_off, c->out_len - c->out_off);
    c->out_len -= c->out_off;
    c->out_off = 0;
}

uint8_t *tls_compose_area(struct atoll_tls_conn *c, size_t *cap)
{
    compact_out(c);
    size_t free_ = c->buf.out_cap - c->out_len;
    size_t half = free_ / 2u;
    *cap = half;
    return c->buf.out + c->buf.out_cap - half;
}

/* Bytes a record adds around its content. */
static size_t record_overhead(const struct atoll_tls_conn *c)
{
    return c->tx_protected ? TLS_RECORD_HDR_LEN + 1u + ATOLL_TLS_AEAD_TAG_LEN : TLS_RECORD_HDR_LEN;
}

int tls_queue(struct atoll_tls_conn *c, uint8_t type, const uint8_t *data, size_t len)
{
    c->key_update_answered = 0; /* we are no longer silent (§4.6.3) */
    size_t frag_max = c->tx_protected ? tx_max_inner(c) - 1u : TLS_PLAINTEXT_MAX;
    size_t done = 0;
    do {
        size_t n = len - done < frag_max ? len - done : frag_max;
        size_t need = n + record_overhead(c);
        if (c->buf.out_cap - c->out_len < need)
            compact_out(c);
        if (c->buf.out_cap - c->out_len < need)
            return -TLS_ALERT_INTERNAL_ERROR;
        uint8_t *rec = c->buf.out + c->out_len;
        /* memmove: the source may be the compose area above us. */
        memmove(rec + TLS_RECORD_HDR_LEN, data + done, n);
        if (c->tx_protected) {
            if (tls_traffic_budget(&c->tx) == 0)
                return -TLS_ALERT_INTERNAL_ERROR;
            int r = tls_record_seal_inplace(&c->tx, &c->crypto, type, rec, n, 0, tx_max_inner(c),
                                            c->buf.out_cap - c->out_len);
            if (r < 0)
                return -TLS_ALERT_INTERNAL_ERROR;
            c->out_len += (size_t)r;
        } else {
            tls_record_hdr_write(rec, type, (uint16_t)n);
            c->out_len += TLS_RECORD_HDR_LEN + n;
        }
        done += n;
    } while (done < len);
    return 0;
}

int tls_queue_ccs(struct atoll_tls_conn *c)
{
    static const uint8_t one = 1;
    if (c->buf.out_cap - c->out_len < TLS_RECORD_HDR_LEN + 1u)
        compact_out(c);
    if (c->buf.out_cap - c->out_len < TLS_RECORD_HDR_LEN + 1u)
        return -TLS_ALERT_INTERNAL_ERROR;
    tls_record_hdr_write(c->buf.out + c->out_len, TLS_CT_CHANGE_CIPHER_SPEC, 1);
    c->buf.out[c->out_len + TLS_RECORD_HDR_LEN] = one;
    c->out_len += TLS_RECORD_HDR_LEN + 1u;
    return 0;
}

/* A protected alert record: header, two bytes, the type byte, the tag. */
#define CLOSE_NOTIFY_ROOM (TLS_RECORD_HDR_LEN + 2u + 1u + ATOLL_TLS_AEAD_TAG_LEN)

static int send_alert(struct atoll_tls_conn *c, uint8_t level, uint8_t desc)
{
    uint8_t a[2] = {level, desc};
    /* An alert must go out even when the output is full of unsent data:
     * drop a partial flight rather than the alert. Alerts are sent under
     * the current sending keys, as §6 requires. */
    compact_out(c);
    if (c->buf.out_cap - c->out_len < TLS_RECORD_HDR_LEN + 2u + 1u + ATOLL_TLS_AEAD_TAG_LEN)
        c->out_len = 0;
    return tls_queue(c, TLS_CT_ALERT, a, 2);
}

int tls_fail(struct atoll_tls_conn *c, int alert)
{
    if (c->state == ATOLL_TLS_ST_FAILED)
        return -(int)(c->alert_sent != NO_ALERT ? c->alert_sent : c->alert_recv);
    c->state = ATOLL_TLS_ST_FAILED;
    c->alert_sent = (uint8_t)alert;
    (void)send_alert(c, TLS_ALERT_LEVEL_FATAL, (uint8_t)alert);
    /* Nothing decrypted after a failure may reach the application. */
    c->app_len = 0;
    return -alert;
}

int atoll_tls_server_init(struct atoll_tls_conn *c, const struct atoll_tls_server_config *cfg, const struct atoll_tls_crypto *crypto,
                    const struct atoll_tls_buffers *buf)
{
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->crypto = *crypto;
    c->buf = *buf;
    c->alert_sent = NO_ALERT;
    c->alert_recv = NO_ALERT;
    c->state = ATOLL_TLS_ST_HANDSHAKE;
    c->hs = HS_WAIT_CH;
    if (buf->in_cap < TLS_RECORD_MAX || buf->hs_cap < 512u || buf->out_cap < 4096u)
        return -TLS_ALERT_INTERNAL_ERROR;
    return 0;
}

/* Whether step st accepts message type mt under some flags: unexpected
 * messages are refused before they are parsed. */
static int hs_expects(int st, int mt)
{
    for (int f = 0; f <= 3; f++)
        if (tls_hs_step(st, mt, f) >= 0)
            return 1;
    return 0;
}

static int on_handshake_message(struct atoll_tls_conn *c, const uint8_t *msg, size_t len)
{
    int mt = msg[0];
    int st = c->hs;
    int flags = 0;
    int r;
    if (!hs_expects(st, mt))
        return -TLS_ALERT_UNEXPECTED_MESSAGE;
    if (mt == TLS_HS_KEY_UPDATE)
        r = tls_on_key_update(c, msg, len);
    else if (!c->is_client && mt == TLS_HS_CLIENT_HELLO)
        r = tls_server_client_hello(c, msg, len, &flags);
    else if (!c->is_client && mt == TLS_HS_FINISHED)
        r = tls_server_finished(c, msg, len);
    else if (c->is_client && mt == TLS_HS_SERVER_HELLO)
        r = tls_client_server_hello(c, msg, len, &flags);
    else if (c->is_client && mt == TLS_HS_ENCRYPTED_EXTENSIONS)
        r = tls_client_encrypted_extensions(c, msg, len, &flags);
    else if (c->is_client && mt == TLS_HS_CERTIFICATE)
        r = tls_client_certificate(c, msg, len);
    else if (c->is_client && mt == TLS_HS_CERTIFICATE_VERIFY)
        r = tls_client_certificate_verify(c, msg, len);
    else if (c->is_client && mt == TLS_HS_FINISHED)
        r = tls_client_finished(c, msg, len);
    else if (c->is_client && mt == TLS_HS_NEW_SESSION_TICKET)
        r = tls_client_new_session_ticket(c, msg, len);
    else if (c->is_client && mt == TLS_HS_CERTIFICATE_REQUEST)
        r = tls_client_certificate_request(c, msg, len);
    else
        r = -TLS_ALERT_UNEXPECTED_MESSAGE; /* not reached: the step function allows no other */
    if (r < 0)
        return r;
    int nx = tls_hs_step(st, mt, flags);
    if (nx < 0)
        return nx;
    c->hs = (uint8_t)nx;
    if ((nx == HS_S_OPEN || nx == HS_C_OPEN) && c->state == ATOLL_TLS_ST_HANDSHAKE)
        c->state = ATOLL_TLS_ST_OPEN;
    return 0;
}

static size_t hs_body_len(const uint8_t *m)
{
    return ((size_t)m[1] * 256u + m[2]) * 256u + m[3];
}

/* Back to our own buffer, keeping what is reassembled if it fits there. */
static void hs_give_back(struct atoll_tls_conn *c)
{
    if (!c->hs_borrowed)
        return;
    uint8_t *big = c->buf.hs;
    if (c->hs_len > c->hs_own_cap)
        c->hs_len = 0; /* only after a failure: nothing more is reassembled */
    memcpy(c->hs_own, big, c->hs_len);
    c->buf.hs = c->hs_own;
    c->buf.hs_cap = c->hs_own_cap;
    c->hs_borrowed = 0;
    c->lender->give_back(c->lender->ctx, big);
}

/* The header of the message at buf.hs + base is complete: refuse a type
 * this step does not take before its body arrives, and a length beyond
 * what we accept (decode_error: no legal message of that type is that
 * long, or none we could hold); a ClientHello longer than our buffer
 * moves to a borrowed one. */
static int hs_header(struct atoll_tls_conn *c, size_t base)
{
    const uint8_t *m = c->buf.hs + base;
    int mt = m[0];
    if (!hs_expects(c->hs, mt))
        return -TLS_ALERT_UNEXPECTED_MESSAGE;
    size_t body = hs_body_len(m);
    int lend = !c->is_client && mt == TLS_HS_CLIENT_HELLO && c->lender != NULL;
    size_t max = lend ? ATOLL_TLS_CH_BODY_MAX : c->buf.hs_cap - base - TLS_HS_HDR_LEN;
    if (mt == TLS_HS_CLIENT_HELLO && max > ATOLL_TLS_CH_BODY_MAX)
        max = ATOLL_TLS_CH_BODY_MAX;
    if (body > max)
        return -TLS_ALERT_DECODE_ERROR;
    size_t need = base + TLS_HS_HDR_LEN + body;
    if (need <= c->buf.hs_cap)
        return 0;
    if (c->hs_borrowed)
        return -TLS_ALERT_INTERNAL_ERROR; /* not reached: one message is held at a time */
    size_t cap = 0;
    uint8_t *big = c->lender->borrow(c->lender->ctx, need, &cap);
    if (big == NULL)
        return -TLS_ALERT_INTERNAL_ERROR; /* no room now: RFC 8446 §6.2 names memory for this alert */
    if (cap < need) {
        c->lender->give_back(c->lender->ctx, big);
        return -TLS_ALERT_INTERNAL_ERROR;
    }
    memcpy(big, c->buf.hs, c->hs_len);
    c->hs_own = c->buf.hs;
    c->hs_own_cap = c->buf.hs_cap;
    c->buf.hs = big;
    c->buf.hs_cap = cap;
    c->hs_borrowed = 1;
    return 0;
}

/* Takes handshake bytes one message at a time and dispatches each as it
 * completes, so a message's header is judged before its body is held. A
 * message may not straddle a key change (§5.1): keys change only inside a
 * dispatch, so bytes after one are refused. */
static int on_handshake_bytes(struct atoll_tls_conn *c, const uint8_t *p, size_t n)
{
    if (n == 0)
        return -TLS_ALERT_UNEXPECTED_MESSAGE; /* zero-length handshake fragment, §5.1 */
    while (n > 0) {
        /* A kept Certificate message (client side) sits before the rest. */
        size_t base = c->hs_keep;
        size_t have = c->hs_len - base;
        size_t want = have < TLS_HS_HDR_LEN ? TLS_HS_HDR_LEN - have
                                            : TLS_HS_HDR_LEN + hs_body_len(c->buf.hs + base) - have;
        size_t take = n < want ? n : want;
        if (c->buf.hs_cap - c->hs_len < take)
            return -TLS_ALERT_DECODE_ERROR; /* a header beyond a kept message: more than we hold */
        memcpy(c->buf.hs + c->hs_len, p, take);
        c->hs_len += take;
        p += take;
        n -= take;
        have += take;
        if (have < TLS_HS_HDR_LEN)
            break;
        if (have - take < TLS_HS_HDR_LEN) {
            int r = hs_header(c, base);
            if (r < 0)
                return r;
        }
        uint8_t *m = c->buf.hs + base;
        size_t total = TLS_HS_HDR_LEN + hs_body_len(m);
        if (have < total)
            continue;
        uint8_t epoch = c->rx_epoch;
        int kept = c->hs_keep != 0;
        int r = on_handshake_message(c, m, total);
        if (r < 0)
            return r;
        if (kept || c->hs_keep == 0) {
            /* drop this message, and a kept one once it has been used */
            size_t drop = kept ? base + total : total;
            memmove(c->buf.hs, c->buf.hs + drop, c->hs_len - drop);
            c->hs_len -= drop;
            c->hs_keep = 0;
        }
        if (c->hs_borrowed && c->hs_len <= c->hs_own_cap)
            hs_give_back(c);
        int key_changed = epoch != c->rx_epoch;
        if (key_changed && (c->hs_len != 0 || n != 0))
            return -TLS_ALERT_UNEXPECTED_MESSAGE;
        if (c->state == ATOLL_TLS_ST_FAILED)
            break;
    }
    return 0;
}

static int on_alert(struct atoll_tls_conn *c, const uint8_t *p, size_t n)
{
    uint8_t level, desc;
    if (n == 0)
        return -TLS_ALERT_UNEXPECTED_MESSAGE; /* a protected alert record with no alert (§5.1, as R4) */
    int r = tls_alert_parse(p, n, &level, &desc);
    if (r < 0)
        return r;
    if (desc == TLS_ALERT_CLOSE_NOTIFY) {
        if (c->state != ATOLL_TLS_ST_FAILED)
            c->state = ATOLL_TLS_ST_CLOSED;
        c->alert_recv = desc;
        return 0;
    }
    if (desc == TLS_ALERT_USER_CANCELED)
        return 0; /* a warning; close_notify follows (§6.1) */
    c->alert_recv = desc;
    c->state = ATOLL_TLS_ST_FAILED;
    c->app_len = 0;
    return 0;
}

/* One complete record at buf.in[0 .. rec_len). Returns 0, or -alert. */
static int on_record(struct atoll_tls_conn *c, const struct tls_record_hdr *h, size_t rec_len)
{
    uint8_t *rec = c->buf.in;
    uint8_t *body = rec + TLS_RECORD_HDR_LEN;
    size_t n = h->length;
    uint8_t type = h->type;
    int prot = 0;

    if (type == TLS_CT_CHANGE_CIPHER_SPEC) {
        if (!tls_record_allowed(c->hs, HS_CT_CCS, 0) || n != 1 || body[0] != 1 || c->ccs_seen)
            return -TLS_ALERT_UNEXPECTED_MESSAGE;
        c->ccs_seen = 1;
        return 0;
    }
    if (type == TLS_CT_APPLICATION_DATA && c->rx_protected) {
        uint8_t *pt;
        size_t pt_len;
        uint8_t inner;
        int r = tls_record_open(&c->rx, &c->crypto, rec, rec_len, rx_max_inner(c), &inner, &pt, &pt_len);
        if (r == -TLS_ALERT_BAD_RECORD_MAC && c->early_data_skipping) {
            /* Refused 0-RTT data under keys we never derived (§4.2.10). */
            c->early_skipped += (uint32_t)n;
            if (c->early_skipped > c->cfg->max_early_data_skip)
                return -TLS_ALERT_UNEXPECTED_MESSAGE;
            return 0;
        }
        if (r < 0)
            return r;
        c->early_data_skipping = 0;
        type = inner;
        body = pt;
        n = pt_len;
        prot = 1;
    } else if (type == TLS_CT_APPLICATION_DATA && c->early_data_skipping) {
        /* After HelloRetryRequest early data is skipped by its outer type. */
        c->early_skipped += (uint32_t)n;
        if (c->early_skipped > c->cfg->max_early_data_skip)
            return -TLS_ALERT_UNEXPECTED_MESSAGE;
        return 0;
    }
    int ct = type;
    if (!tls_record_allowed(c->hs, ct, prot))
        return -TLS_ALERT_UNEXPECTED_MESSAGE;
    if (type == TLS_CT_ALERT)
        return on_alert(c, body, n);
    if (type == TLS_CT_HANDSHAKE)
        return on_handshake_bytes(c, body, n);
    /* Application data: left in place until the application reads it. */
    if (c->state == ATOLL_TLS_ST_CLOSED)
        return -TLS_ALERT_UNEXPECTED_MESSAGE; /* data after close_notify */
    c->app_off = (size_t)(body - c->buf.in);
    c->app_len = n;
    c->app_rec_len = rec_len;
    return 0;
}

static void drop_front(struct atoll_tls_conn *c, size_t n)
{
    memmove(c->buf.in, c->buf.in + n, c->in_len - n);
    c->in_len -= n;
}

/* Works through buffered records until one leaves plaintext for the
 * application, input runs out, or the connection fails. */
static int process(struct atoll_tls_conn *c)
{
    for (;;) {
        if (c->state == ATOLL_TLS_ST_FAILED) {
            hs_give_back(c);
            return -(int)(c->alert_sent != NO_ALERT ? c->alert_sent : c->alert_recv);
        }
        if (c->app_len != 0)
            return 0;
        if (c->app_rec_len != 0) {
            drop_front(c, c->app_rec_len);
            c->app_rec_len = 0;
        }
        if (c->state == ATOLL_TLS_ST_CLOSED)
            return 0;
        struct tls_record_hdr h;
        int r = tls_record_hdr_parse(c->buf.in, c->in_len, c->rx_protected, &h);
        if (r == TLS_RECORD_E_NEED_MORE)
            return 0;
        if (r < 0) {
            /* A bad header after a record that borrowed a big handshake
             * buffer: a failed connection keeps nothing it borrowed. */
            r = tls_fail(c, -r);
            hs_give_back(c);
            return r;
        }
        size_t rec_len = TLS_RECORD_HDR_LEN + (size_t)h.length;
        if (c->in_len < rec_len)
            return 0;
        r = on_record(c, &h, rec_len);
        if (r < 0) {
            r = tls_fail(c, -r);
            hs_give_back(c);
            return r;
        }
        if (c->app_len == 0 && c->app_rec_len == 0)
            drop_front(c, rec_len);
        else if (c->app_len == 0)
            continue; /* empty application record: dropped at the loop top */
    }
}

int atoll_tls_feed(struct atoll_tls_conn *c, const uint8_t *data, size_t len, uint64_t now_ms)
{
    c->now_ms = now_ms;
    if (c->state == ATOLL_TLS_ST_FAILED)
        return process(c);
    size_t room = c->buf.in_cap - c->in_len;
    size_t take = len < room ? len : room;
    memcpy(c->buf.in + c->in_len, data, take);
    c->in_len += take;
    int r = process(c);
    if (r < 0)
        return r;
    return (int)take;
}

uint8_t *atoll_tls_input_buffer(struct atoll_tls_conn *c, size_t *room)
{
    *room = c->state == ATOLL_TLS_ST_FAILED ? 0 : c->buf.in_cap - c->in_len;
    return c->buf.in + c->in_len;
}

int atoll_tls_input_commit(struct atoll_tls_conn *c, size_t n, uint64_t now_ms)
{
    c->now_ms = now_ms;
    if (n > c->buf.in_cap - c->in_len)
        n = c->buf.in_cap - c->in_len;
    c->in_len += n;
    return process(c);
}

size_t atoll_tls_output(const struct atoll_tls_conn *c, const uint8_t **p)
{
    *p = c->buf.out + c->out_off;
    return c->out_len - c->out_off;
}

void atoll_tls_output_done(struct atoll_tls_conn *c, size_t n)
{
    if (n > c->out_len - c->out_off)
        n = c->out_len - c->out_off;
    c->out_off += n;
    if (c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
    else if (c->out_off >= c->out_len - c->out_off)
        compact_out(c); /* moves no more than was sent: linear in all */
    if (c->close_pending && c->buf.out_cap - (c->out_len - c->out_off) >= CLOSE_NOTIFY_ROOM) {
        c->close_pending = 0;
        (void)send_alert(c, TLS_ALERT_LEVEL_WARNING, TLS_ALERT_CLOSE_NOTIFY);
    }
}

size_t atoll_tls_readable(const struct atoll_tls_conn *c)
{
    return c->state == ATOLL_TLS_ST_FAILED ? 0 : c->app_len;
}

size_t atoll_tls_read(struct atoll_tls_conn *c, uint8_t *dst, size_t cap)
{
    if (c->state == ATOLL_TLS_ST_FAILED || c->app_len == 0)
        return 0;
    size_t n = c->app_len < cap ? c->app_len : cap;
    memcpy(dst, c->buf.in + c->app_off, n);
    c->app_off += n;
    c->app_len -= n;
    if (c->app_len == 0)
        (void)process(c); /* the next buffered record may be ready */
    return n;
}

size_t atoll_tls_writable(const struct atoll_tls_conn *c)
{
    if (c->state != ATOLL_TLS_ST_OPEN && c->state != ATOLL_TLS_ST_CLOSED)
        return 0;
    if (c->sent_close)
        return 0;
    size_t free_ = c->buf.out_cap - (c->out_len - c->out_off); /* tls_queue makes the room */
    size_t over = TLS_RECORD_HDR_LEN + 1u + ATOLL_TLS_AEAD_TAG_LEN;
    if (free_ <= over)
        return 0;
    size_t frag = tx_max_inner(c) - 1u;
    size_t n = free_ - over;
    return n < frag ? n : frag;
}

int atoll_tls_write(struct atoll_tls_conn *c, const uint8_t *src, size_t len)
{
    if (c->state == ATOLL_TLS_ST_FAILED)
        return -(int)(c->alert_sent != NO_ALERT ? c->alert_sent : c->alert_recv);
    size_t done = 0;
    while (done < len) {
        size_t w = atoll_tls_writable(c);
        if (w == 0)
            break;
        size_t n = len - done < w ? len - done : w;
        if (tls_traffic_budget(&c->tx) <= 1u) {
            /* §5.5: the last record these keys may protect carries the
             * KeyUpdate; data goes on under the next keys. */
            int r = atoll_tls_key_update(c, 0);
            if (r < 0)
                return r;
            continue;
        }
        int r = tls_queue(c, TLS_CT_APPLICATION_DATA, src + done, n);
        if (r < 0)
            return tls_fail(c, -r);
        done += n;
    }
    return (int)done;
}

int atoll_tls_key_update(struct atoll_tls_conn *c, int request_peer)
{
    uint8_t m[8];
    if (c->state != ATOLL_TLS_ST_OPEN && c->state != ATOLL_TLS_ST_CLOSED)
        return -TLS_ALERT_INTERNAL_ERROR;
    int n = tls_key_update_write(m, sizeof m, request_peer);
    if (n < 0)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR);
    int r = tls_queue(c, TLS_CT_HANDSHAKE, m, (size_t)n);
    if (r < 0)
        return tls_fail(c, -r);
    if (tls_traffic_update(&c->tx, &c->crypto) != 0)
        return tls_fail(c, TLS_ALERT_INTERNAL_ERROR);
    return 0;
}

int tls_on_key_update(struct atoll_tls_conn *c, const uint8_t *msg, size_t len)
{
    int request;
    int r = tls_key_update_parse(msg + TLS_HS_HDR_LEN, len - TLS_HS_HDR_LEN, &request);
    if (r < 0)
        return r;
    if (tls_traffic_update(&c->rx, &c->crypto) != 0)
        return -TLS_ALERT_INTERNAL_ERROR;
    c->rx_epoch++;
    /* §4.6.3: answer a request with our own update (not requesting one);
     * several requests while we send nothing get one answer. */
    if (request && !c->sent_close && !c->key_update_answered) {
        r = atoll_tls_key_update(c, 0);
        if (r < 0)
            return r;
        c->key_update_answered = 1;
    }
    return 0;
}

void atoll_tls_close(struct atoll_tls_conn *c)
{
    if (c->sent_close || c->state == ATOLL_TLS_ST_FAILED)
        return;
    c->sent_close = 1;
    /* close_notify follows the data: with the output too full for it, it
     * waits for room (atoll_tls_output_done) instead of displacing what is
     * queued, which send_alert does only for a fatal alert. */
    compact_out(c);
    if (c->buf.out_cap - c->out_len < CLOSE_NOTIFY_ROOM) {
        c->close_pending = 1;
        return;
    }
    (void)send_alert(c, TLS_ALERT_LEVEL_WARNING, TLS_ALERT_CLOSE_NOTIFY);
}

void atoll_tls_server_lender(struct atoll_tls_conn *c, const struct atoll_tls_hs_lender *lender)
{
    c->lender = lender;
}

void atoll_tls_release(struct atoll_tls_conn *c)
{
    hs_give_back(c);
    /* nothing of the traffic keys outlives the connection (a zeroed
     * struct, never initialised, has no backend to wipe with) */
    if (c->crypto.ops != NULL) {
        tls_traffic_wipe(&c->rx, &c->crypto);
        tls_traffic_wipe(&c->tx, &c->crypto);
    }
}

int atoll_tls_buffers_idle(const struct atoll_tls_conn *c)
{
    return c->in_len == 0 && c->app_len == 0 && c->hs_len == 0 && c->out_len == 0 && !c->hs_borrowed &&
           !c->close_pending;
}

void atoll_tls_detach_buffers(struct atoll_tls_conn *c)
{
    memset(&c->buf, 0, sizeof c->buf);
    c->app_off = 0;
}

void atoll_tls_attach_buffers(struct atoll_tls_conn *c, const struct atoll_tls_buffers *b)
{
    c->buf = *b;
}

enum atoll_tls_state atoll_tls_state(const struct atoll_tls_conn *c)
{
    return (enum atoll_tls_state)c->state;
}

int atoll_tls_alert_sent(const struct atoll_tls_conn *c)
{
    return c->alert_sent == NO_ALERT ? -1 : c->alert_sent;
}

int atoll_tls_alert_received(const struct atoll_tls_conn *c)
{
    return c->alert_recv == NO_ALERT ? -1 : c->alert_recv;
}

const char *atoll_tls_suite_name(uint16_t suite)
{
    if (suite == TLS_AES_128_GCM_SHA256)
        return "TLS_AES_128_GCM_SHA256";
    if (suite == TLS_AES_256_GCM_SHA384)
        return "TLS_AES_256_GCM_SHA384";
    if (suite == TLS_CHACHA20_POLY1305_SHA256)
        return "TLS_CHACHA20_POLY1305_SHA256";
    return "-";
}

const char *atoll_tls_group_name(uint16_t group)
{
    if (group == ATOLL_TLS_GROUP_X25519)
        return "x25519";
    if (group == ATOLL_TLS_GROUP_SECP256R1)
        return "secp256r1";
    if (group == ATOLL_TLS_GROUP_SECP384R1)
        return "secp384r1";
    return "-";
}

void atoll_tls_ticket_keys_rotate(struct atoll_tls_server_config *cfg, const struct atoll_tls_ticket_key *fresh)
{
    cfg->ticket_previous = cfg->ticket_current;
    cfg->ticket_current = *fresh;
}
