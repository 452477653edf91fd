/* SPDX-License-Identifier: Apache-2.0 */
/* Atoll TLS 1.3 — the public engine API (sans I/O).
 *
 * The engine never reads a socket, a clock or an allocator. The caller:
 *   - hands in the buffers a connection uses (tls_conn_init),
 *   - feeds the bytes received from the peer (tls_feed) with the time,
 *   - sends the bytes the engine queues (tls_output / tls_output_done),
 *   - reads plaintext (tls_read) and writes plaintext (tls_write),
 *   - asks where the connection stands (tls_state, tls_alert_sent, ...).
 * Errors are sticky: once an alert is queued or received, every call
 * reports TLS_ST_FAILED and only the alert record remains to be sent.
 *
 * Server configuration holds the credentials (certificate chains and their
 * private keys, with the DNS names each serves for SNI), the ALPN protocol,
 * session-ticket keys and limits. It is read-only during handshakes and may
 * be shared by every connection.
 */
#ifndef ATOLL_TLS_H
#define ATOLL_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/record.h"

#define TLS_MAX_CREDENTIALS 4u
#define TLS_MAX_CHAIN 4u
#define TLS_MAX_NAMES 16u

struct tls_credential {
    const uint8_t *chain[TLS_MAX_CHAIN];  /* DER, leaf first */
    size_t chain_len[TLS_MAX_CHAIN];
    size_t chain_count;
    const void *key;                       /* a backend private key */
    enum tls_key_kind key_kind;
    const char *names[TLS_MAX_NAMES];      /* DNS names of the leaf ("*.example.org" allowed) */
    size_t name_count;
    int64_t not_before, not_after;         /* the leaf's validity, Unix seconds */
};

/* Session-ticket protection keys (RFC 8446 §4.6.1, RFC 5077-style
 * self-encrypted tickets). Tickets sealed under `current` are accepted
 * while `current` or `previous` carries that name; rotate with
 * tls_ticket_keys_rotate. A zero key_name means "no key". */
#define TLS_TICKET_NAME_LEN 16u
#define TLS_TICKET_KEY_LEN 32u
struct tls_ticket_key {
    uint8_t name[TLS_TICKET_NAME_LEN];
    uint8_t key[TLS_TICKET_KEY_LEN];
    uint64_t created_s;
};

struct tls_server_config {
    struct tls_credential cred[TLS_MAX_CREDENTIALS];
    size_t cred_count;
    const char *alpn;                /* e.g. "http/1.1"; NULL: no ALPN */
    const char *alpn_also;           /* chosen when alpn is not offered (e.g. "http/1.0"); NULL: none */
    uint16_t record_size_limit;      /* what we accept; 0: 2^14 + 1 */
    uint32_t ticket_lifetime_s;      /* 0: no tickets */
    uint8_t tickets_per_handshake;   /* NewSessionTickets after a full handshake */
    struct tls_ticket_key ticket_current;
    struct tls_ticket_key ticket_previous;
    uint32_t max_early_data_skip;    /* early-data bytes we skip when refusing 0-RTT */
};

/* Installs a new current ticket key; the old current becomes previous. */
void tls_ticket_keys_rotate(struct tls_server_config *cfg, const struct tls_ticket_key *fresh);

/* Client configuration. The certificate chain the server sends is checked
 * by verify_chain (an X.509 backend: tls/backend/x509_mbedtls.h), which returns 0
 * or -alert; NULL accepts any chain (tests only). */
struct tls_client_config {
    const char *server_name;          /* SNI and hostname check; NULL: none */
    const char *alpn;                 /* offered protocol or NULL */
    int (*verify_chain)(void *ctx, const uint8_t *const *certs, const size_t *lens, size_t n, const char *host,
                        uint64_t now_s);
    void *verify_ctx;
    /* Called with each NewSessionTicket: the ticket and the PSK it carries. */
    void (*on_ticket)(void *ctx, uint16_t suite, const uint8_t *ticket, size_t ticket_len, const uint8_t *psk,
                      size_t psk_len, uint32_t lifetime_s, uint32_t age_add);
    void *ticket_ctx;
    /* A ticket to resume with (offered with psk_dhe_ke), or NULL. */
    const uint8_t *resume_ticket;
    size_t resume_ticket_len;
    const uint8_t *resume_psk;
    size_t resume_psk_len;
    uint16_t resume_suite;
    uint32_t resume_age_ms;           /* ticket age, for obfuscated_ticket_age */
    uint32_t resume_age_add;
    uint16_t first_group;             /* group of the first key share (default x25519) */
    uint16_t only_suite;              /* offer just this suite (tests, pinning); 0: all three */
    uint16_t record_size_limit;       /* RFC 8449 limit we announce (64..16385), 0: none */
};

enum tls_state {
    TLS_ST_HANDSHAKE = 0, /* handshake in progress */
    TLS_ST_OPEN = 1,      /* application data flows both ways */
    TLS_ST_CLOSED = 2,    /* peer sent close_notify: no more plaintext will arrive */
    TLS_ST_FAILED = 3,    /* fatal alert sent or received */
};

/* The largest legal ClientHello body (§4.1.2): version, random, a 32-byte
 * session id, cipher_suites<2..2^16-2>, compression methods<1..2^8-1>,
 * extensions<8..2^16-1>. */
#define TLS_CH_BODY_MAX (2u + 32u + 1u + 32u + 2u + 65534u + 1u + 255u + 2u + 65535u)

/* Lends a server connection a handshake buffer for a ClientHello longer
 * than its own (the engine knows the size from the message header):
 * borrow returns at least need bytes (their number in *cap) or NULL when
 * none is free; the engine gives the buffer back once the message is
 * processed, on failure, or in tls_release. A small shared pool of
 * TLS_CH_BODY_MAX + 4 byte buffers serves all connections (see
 * tls_server_lender). */
struct tls_hs_lender {
    uint8_t *(*borrow)(void *ctx, size_t need, size_t *cap);
    void (*give_back)(void *ctx, uint8_t *buf);
    void *ctx;
};

/* Caller-owned memory of one connection. in: received records (at least
 * TLS_RECORD_MAX bytes so any legal record fits); hs: handshake message
 * reassembly (a browser's ClientHello fits 4 KiB; a longer message is
 * decode_error, unless it is a ClientHello and the server has a lender:
 * then internal_error when the lender has nothing free); out: records
 * waiting to be sent (the whole
 * first server flight must fit: certificate chain + about 1 KiB). */
struct tls_buffers {
    uint8_t *in;
    size_t in_cap;
    uint8_t *hs;
    size_t hs_cap;
    uint8_t *out;
    size_t out_cap;
};

/* Engine-internal handshake state, exposed only for sizing. */
struct tls_hs_state;

struct tls_conn {
    const struct tls_server_config *cfg;
    const struct tls_client_config *ccfg; /* client connections */
    uint8_t is_client;
    struct tls_crypto crypto;
    struct tls_buffers buf;
    size_t in_len;          /* bytes in buf.in */
    size_t app_off, app_len; /* decrypted application data waiting in buf.in */
    size_t app_rec_len;     /* length of the record that plaintext came from */
    size_t hs_len;          /* bytes in buf.hs */
    const struct tls_hs_lender *lender; /* NULL: none */
    uint8_t *hs_own;        /* our own handshake buffer while buf.hs is borrowed */
    size_t hs_own_cap;
    size_t out_len;         /* bytes in buf.out */
    size_t out_off;         /* of which already sent: buf.out[out_off .. out_len) waits */

    uint8_t state;          /* enum tls_state */
    uint8_t hs;             /* handshake step (hs_fsm.h) */
    uint8_t alert_sent;     /* alert description we sent, 0xff none */
    uint8_t alert_recv;     /* alert description we received, 0xff none */
    uint8_t rx_protected, tx_protected;
    uint8_t rx_epoch;       /* counts receive-key changes: messages may not straddle one */
    uint8_t ccs_seen;       /* a middlebox-compatibility CCS arrived */
    uint8_t send_ccs;       /* echo of a non-empty legacy_session_id */
    uint8_t hrr_sent;
    uint8_t resumed;
    uint8_t sent_close;
    uint8_t close_pending;  /* close_notify waits for room in the output */
    uint8_t key_update_answered; /* we answered a KeyUpdate request and sent nothing since */
    uint8_t hs_borrowed;    /* buf.hs is the lender's; hs_own below is ours */
    uint8_t early_data_skipping; /* refusing 0-RTT: skip undecryptable records */
    uint32_t early_skipped;

    uint16_t suite;
    uint16_t group;
    uint16_t sig_scheme;
    uint8_t cred_index;
    uint8_t alpn_selected;
    uint16_t peer_record_limit; /* peer's RFC 8449 limit (inner plaintext), 0 none */
    enum tls_hash_alg hash;
    enum tls_aead_alg aead;

    struct tls_hash_ctx transcript;
    uint8_t secret[TLS_HASH_MAX];       /* handshake secret, then master secret */
    uint8_t c_hs[TLS_HASH_MAX], s_hs[TLS_HASH_MAX]; /* handshake traffic secrets (Finished keys) */
    uint8_t c_ap[TLS_HASH_MAX];         /* client application secret, installed after its Finished */
    uint8_t res_master[TLS_HASH_MAX];
    uint8_t psk[TLS_HASH_MAX];
    uint8_t ticket_nonce;
    struct tls_traffic rx, tx;

    char sni[256];                      /* server_name the client asked for, "" none */
    /* client side only */
    struct tls_hash_ctx transcript_384; /* until the suite is known */
    uint8_t kex_priv[TLS_KEX_PRIV_MAX];
    uint8_t kex_priv_len;
    uint8_t session_id[32];
    size_t hs_keep;                     /* Certificate kept in buf.hs until CertificateVerify */
    uint8_t offered_psk;                /* 1: a PSK was offered */
    uint8_t cert_requested;             /* the server sent CertificateRequest */
    uint64_t now_ms;
};

/* Server connection with the given buffers; the crypto table and state are
 * shared by all connections (single-threaded use). Returns 0, or
 * -TLS_ALERT_INTERNAL_ERROR when a buffer is too small. */
int tls_server_init(struct tls_conn *c, const struct tls_server_config *cfg, const struct tls_crypto *crypto,
                    const struct tls_buffers *buf);

/* Client connection: queues the ClientHello at once (send tls_output).
 * now_ms stamps the ticket age. */
int tls_client_init(struct tls_conn *c, const struct tls_client_config *cfg, const struct tls_crypto *crypto,
                    const struct tls_buffers *buf, uint64_t now_ms);

/* Takes up to len received bytes; returns how many were taken (fewer when
 * the input buffer is full: read plaintext, send output, then feed the rest)
 * or -alert after a fatal error (the alert is queued in the output). */
int tls_feed(struct tls_conn *c, const uint8_t *data, size_t len, uint64_t now_ms);

/* Zero-copy input: room for received bytes directly in the input buffer
 * (0 when it is full: read plaintext first), then tls_input_commit(n) once
 * n bytes are written there. Same results as tls_feed. */
uint8_t *tls_input_buffer(struct tls_conn *c, size_t *room);
int tls_input_commit(struct tls_conn *c, size_t n, uint64_t now_ms);

/* Bytes waiting to be sent: *p points into the output buffer. */
size_t tls_output(const struct tls_conn *c, const uint8_t **p);
/* n of those bytes have been sent. */
void tls_output_done(struct tls_conn *c, size_t n);

/* Copies up to cap bytes of received plaintext; 0 when none is ready. */
size_t tls_read(struct tls_conn *c, uint8_t *dst, size_t cap);
/* Plaintext waiting to be read (in the current record). */
size_t tls_readable(const struct tls_conn *c);
/* Seals up to len bytes of plaintext into the output; returns how many were
 * taken (0 when the output is full or the connection is not open), or
 * -alert when the connection failed. */
int tls_write(struct tls_conn *c, const uint8_t *src, size_t len);
/* Free room in the output, in plaintext bytes one tls_write could take. */
size_t tls_writable(const struct tls_conn *c);
/* Asks the peer to update its keys and updates ours (KeyUpdate). */
int tls_key_update(struct tls_conn *c, int request_peer);
/* Queues close_notify; nothing more can be written. */
void tls_close(struct tls_conn *c);
/* Server: where a ClientHello longer than buf.hs may borrow room (after
 * tls_server_init; NULL: nowhere). */
void tls_server_lender(struct tls_conn *c, const struct tls_hs_lender *lender);
/* Gives back a borrowed handshake buffer and erases the traffic keys; call
 * before discarding c. Idempotent. */
void tls_release(struct tls_conn *c);

/* Buffers on loan. A server holding thousands of idle connections keeps
 * their buffers in a shared pool: tls_buffers_idle is 1 when c keeps no
 * byte in them (nothing received unread, no partial record or handshake
 * message, nothing waiting to be sent, no borrowed ClientHello buffer),
 * and then tls_detach_buffers may take them away. A detached connection
 * accepts no input and offers no output or room (its state, keys and
 * sequence numbers stay); tls_attach_buffers gives it buffers again, of
 * at least the sizes tls_server_init or tls_client_init accepted, before
 * it is fed, read or written. tls_server_init may be given buffers with
 * NULL pointers and those sizes, attached later (a client's init writes
 * its ClientHello at once). */
int tls_buffers_idle(const struct tls_conn *c);
void tls_detach_buffers(struct tls_conn *c);
void tls_attach_buffers(struct tls_conn *c, const struct tls_buffers *b);

enum tls_state tls_state(const struct tls_conn *c);
/* Alert descriptions sent/received, -1 when none. */
int tls_alert_sent(const struct tls_conn *c);
int tls_alert_received(const struct tls_conn *c);
/* Negotiated parameters (valid once open): "TLS_AES_128_GCM_SHA256"... */
const char *tls_suite_name(uint16_t suite);
const char *tls_group_name(uint16_t group);

#endif
