/* SPDX-License-Identifier: Apache-2.0 */
/* Atoll TLS 1.3 engine: the public API (libatoll-tls, pkg-config atoll-tls).
 *
 * A sans-I/O TLS 1.3 server and client (RFC 8446). The engine never reads a
 * socket, a clock or an allocator; the caller:
 *   - gives each connection its memory: atoll_tls_conn_size() bytes for the
 *     state (or ATOLL_TLS_CONN_SIZE, 16-byte aligned, for static storage)
 *     and the buffers of struct atoll_tls_buffers;
 *   - gives a crypto backend (struct atoll_tls_crypto, <atoll/tls_crypto.h>:
 *     one of <atoll/tls_backend.h> or the caller's own table);
 *   - feeds the bytes received from the peer (atoll_tls_feed) with the time,
 *   - sends the bytes the engine queues (atoll_tls_output / _output_done),
 *   - reads plaintext (atoll_tls_read) and writes plaintext (atoll_tls_write),
 *   - asks where the connection stands (atoll_tls_state, _alert_sent, ...).
 *
 * Errors: functions returning int give 0 (or a count) on success and
 * -alert on a fatal error, where alert is the RFC 8446 §6 AlertDescription
 * the engine queued for the peer (ATOLL_TLS_ALERT_*; atoll_tls_alert_name
 * names it). Errors are sticky: once an alert is queued or received, every
 * call reports ATOLL_TLS_ST_FAILED and only the alert record remains to be
 * sent; send it (atoll_tls_output), then drop the transport.
 *
 * Ownership: the engine keeps pointers to the configuration, the crypto
 * state and the buffers it is given, and owns none of them: they must
 * outlive the connection (until atoll_tls_release). A configuration is
 * read-only during handshakes and may be shared by every connection. No
 * function keeps a pointer to any other argument after it returns.
 *
 * Threads: the engine has no global state; one connection is used by one
 * thread at a time, and connections sharing a crypto state (its DRBG) are
 * used from one thread.
 */
#ifndef ATOLL_TLS_PUBLIC_H
#define ATOLL_TLS_PUBLIC_H

#include <stddef.h>
#include <stdint.h>

#include <atoll/tls_crypto.h>
#include <atoll/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Run-time version of the linked library (ATOLL_VERSION_NUMBER of its
 * build) and its string ("0.1.0"). */
unsigned long atoll_tls_version(void);
const char *atoll_tls_version_string(void);

/* The largest TLS record on the wire (header + 2^14 + 256): the smallest
 * input buffer a connection accepts. */
#define ATOLL_TLS_RECORD_MAX 16645u

/* Alert descriptions (RFC 8446 §6), the values behind -alert results. */
#define ATOLL_TLS_ALERT_CLOSE_NOTIFY 0
#define ATOLL_TLS_ALERT_UNEXPECTED_MESSAGE 10
#define ATOLL_TLS_ALERT_BAD_RECORD_MAC 20
#define ATOLL_TLS_ALERT_RECORD_OVERFLOW 22
#define ATOLL_TLS_ALERT_HANDSHAKE_FAILURE 40
#define ATOLL_TLS_ALERT_BAD_CERTIFICATE 42
#define ATOLL_TLS_ALERT_UNSUPPORTED_CERTIFICATE 43
#define ATOLL_TLS_ALERT_CERTIFICATE_REVOKED 44
#define ATOLL_TLS_ALERT_CERTIFICATE_EXPIRED 45
#define ATOLL_TLS_ALERT_CERTIFICATE_UNKNOWN 46
#define ATOLL_TLS_ALERT_ILLEGAL_PARAMETER 47
#define ATOLL_TLS_ALERT_UNKNOWN_CA 48
#define ATOLL_TLS_ALERT_ACCESS_DENIED 49
#define ATOLL_TLS_ALERT_DECODE_ERROR 50
#define ATOLL_TLS_ALERT_DECRYPT_ERROR 51
#define ATOLL_TLS_ALERT_PROTOCOL_VERSION 70
#define ATOLL_TLS_ALERT_INSUFFICIENT_SECURITY 71
#define ATOLL_TLS_ALERT_INTERNAL_ERROR 80
#define ATOLL_TLS_ALERT_INAPPROPRIATE_FALLBACK 86
#define ATOLL_TLS_ALERT_USER_CANCELED 90
#define ATOLL_TLS_ALERT_MISSING_EXTENSION 109
#define ATOLL_TLS_ALERT_UNSUPPORTED_EXTENSION 110
#define ATOLL_TLS_ALERT_UNRECOGNIZED_NAME 112
#define ATOLL_TLS_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE 113
#define ATOLL_TLS_ALERT_UNKNOWN_PSK_IDENTITY 115
#define ATOLL_TLS_ALERT_CERTIFICATE_REQUIRED 116
#define ATOLL_TLS_ALERT_NO_APPLICATION_PROTOCOL 120
/* "handshake_failure", ... for an alert description (the positive value);
 * "unknown" for any other number. Never NULL; a static string. */
const char *atoll_tls_alert_name(int alert);

/* Server configuration: the credentials (certificate chains and their
 * private keys, with the DNS names each serves for SNI), the ALPN protocol,
 * session-ticket keys and limits. Zero-initialise it and fill in what is
 * needed; <atoll/tls_x509.h> fills credentials from PEM or DER files. Every
 * pointer in it must stay valid while a connection uses the configuration. */
#define ATOLL_TLS_MAX_CREDENTIALS 4u
#define ATOLL_TLS_MAX_CHAIN 4u
#define ATOLL_TLS_MAX_NAMES 16u

struct atoll_tls_credential {
    const uint8_t *chain[ATOLL_TLS_MAX_CHAIN];  /* DER, leaf first */
    size_t chain_len[ATOLL_TLS_MAX_CHAIN];
    size_t chain_count;
    const void *key;                       /* a backend private key */
    enum atoll_tls_key_kind key_kind;
    const char *names[ATOLL_TLS_MAX_NAMES];      /* DNS names of the leaf ("*.example.org" allowed) */
    size_t name_count;
    int64_t not_before, not_after;         /* the leaf's validity, Unix seconds */
};

/* Session-ticket protection keys (RFC 8446 §4.6.1, RFC 5077-style
 * self-encrypted tickets). Tickets sealed under `current` are accepted
 * while `current` or `previous` carries that name; rotate with
 * atoll_tls_ticket_keys_rotate. A zero key_name means "no key". */
#define ATOLL_TLS_TICKET_NAME_LEN 16u
#define ATOLL_TLS_TICKET_KEY_LEN 32u
struct atoll_tls_ticket_key {
    uint8_t name[ATOLL_TLS_TICKET_NAME_LEN];
    uint8_t key[ATOLL_TLS_TICKET_KEY_LEN];
    uint64_t created_s;
};

struct atoll_tls_server_config {
    struct atoll_tls_credential cred[ATOLL_TLS_MAX_CREDENTIALS];
    size_t cred_count;
    const char *alpn;                /* e.g. "http/1.1"; NULL: no ALPN */
    const char *alpn_also;           /* chosen when alpn is not offered (e.g. "http/1.0"); NULL: none */
    uint16_t record_size_limit;      /* what we accept; 0: 2^14 + 1 */
    uint32_t ticket_lifetime_s;      /* 0: no tickets */
    uint8_t tickets_per_handshake;   /* NewSessionTickets after a full handshake */
    struct atoll_tls_ticket_key ticket_current;
    struct atoll_tls_ticket_key ticket_previous;
    uint32_t max_early_data_skip;    /* early-data bytes we skip when refusing 0-RTT */
};

/* Installs a new current ticket key; the old current becomes previous. */
void atoll_tls_ticket_keys_rotate(struct atoll_tls_server_config *cfg, const struct atoll_tls_ticket_key *fresh);

/* Client configuration. The certificate chain the server sends is checked
 * by verify_chain (an X.509 backend: tls/backend/x509_mbedtls.h), which returns 0
 * or -alert; NULL accepts any chain (tests only). */
struct atoll_tls_client_config {
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

enum atoll_tls_state {
    ATOLL_TLS_ST_HANDSHAKE = 0, /* handshake in progress */
    ATOLL_TLS_ST_OPEN = 1,      /* application data flows both ways */
    ATOLL_TLS_ST_CLOSED = 2,    /* peer sent close_notify: no more plaintext will arrive */
    ATOLL_TLS_ST_FAILED = 3,    /* fatal alert sent or received */
};

/* The largest legal ClientHello body (§4.1.2): version, random, a 32-byte
 * session id, cipher_suites<2..2^16-2>, compression methods<1..2^8-1>,
 * extensions<8..2^16-1>. */
#define ATOLL_TLS_CH_BODY_MAX (2u + 32u + 1u + 32u + 2u + 65534u + 1u + 255u + 2u + 65535u)

/* Lends a server connection a handshake buffer for a ClientHello longer
 * than its own (the engine knows the size from the message header):
 * borrow returns at least need bytes (their number in *cap) or NULL when
 * none is free; the engine gives the buffer back once the message is
 * processed, on failure, or in atoll_tls_release. A small shared pool of
 * ATOLL_TLS_CH_BODY_MAX + 4 byte buffers serves all connections (see
 * atoll_tls_server_lender). */
struct atoll_tls_hs_lender {
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
struct atoll_tls_buffers {
    uint8_t *in;
    size_t in_cap;
    uint8_t *hs;
    size_t hs_cap;
    uint8_t *out;
    size_t out_cap;
};

/* A connection. Its layout is private: allocate atoll_tls_conn_size()
 * bytes, 16-byte aligned (malloc's alignment on x86-64 and AArch64), or
 * use ATOLL_TLS_CONN_SIZE for static storage:
 *     static ATOLL_ALIGNAS(16) unsigned char mem[ATOLL_TLS_CONN_SIZE];
 *     struct atoll_tls_conn *c = (struct atoll_tls_conn *)(void *)mem;
 * then atoll_tls_server_init or atoll_tls_client_init; the memory may be
 * reused once atoll_tls_release returns. Never copy or move a connection. */
struct atoll_tls_conn;
#define ATOLL_TLS_CONN_SIZE 6144u
#define ATOLL_TLS_CONN_ALIGN 16u
size_t atoll_tls_conn_size(void);

/* Time: every now_ms is wall-clock time, milliseconds since 1970-01-01 UTC
 * (CLOCK_REALTIME), not a monotonic clock: it stamps session tickets, ages
 * them, and (divided by 1000) is the time certificates are checked at.
 * Zero-length inputs are allowed everywhere. c is never NULL. */

/* ---- Setting a connection up ---- */

/* A server connection in c (atoll_tls_conn_size() bytes; whatever c held
 * is overwritten). cfg, crypto->state and the buffers are kept by
 * pointer and must outlive the connection; *crypto is copied. buf may hold
 * NULL pointers with the sizes below, attached before the first feed
 * (atoll_tls_attach_buffers). Returns 0, or -ATOLL_TLS_ALERT_INTERNAL_ERROR
 * when a buffer is too small: in_cap < ATOLL_TLS_RECORD_MAX, hs_cap < 512,
 * out_cap < 4096 (the whole first flight must fit in out: certificate
 * chain + about 1 KiB). Nothing is sent until the ClientHello arrives. */
int atoll_tls_server_init(struct atoll_tls_conn *c, const struct atoll_tls_server_config *cfg,
                          const struct atoll_tls_crypto *crypto, const struct atoll_tls_buffers *buf);

/* A client connection: queues the ClientHello at once (send it with
 * atoll_tls_output). cfg (server_name, alpn, verify_chain, a ticket to
 * resume with), crypto->state and the buffers are kept as for the server.
 * Returns 0; -ATOLL_TLS_ALERT_INTERNAL_ERROR when a buffer is too small
 * (in_cap < ATOLL_TLS_RECORD_MAX, hs_cap < 4096, out_cap < 4096; hs must
 * hold the server's whole Certificate message, so 16 KiB or more is
 * wise) or the backend fails. Without verify_chain any certificate is
 * accepted: only for tests. */
int atoll_tls_client_init(struct atoll_tls_conn *c, const struct atoll_tls_client_config *cfg,
                          const struct atoll_tls_crypto *crypto, const struct atoll_tls_buffers *buf,
                          uint64_t now_ms);

/* Server: where a ClientHello longer than buf.hs may borrow room (after
 * atoll_tls_server_init; NULL: nowhere, such a ClientHello gets
 * decode_error). The lender is kept by pointer. */
void atoll_tls_server_lender(struct atoll_tls_conn *c, const struct atoll_tls_hs_lender *lender);

/* Ends the connection's use of memory and keys: gives back a borrowed
 * handshake buffer and wipes the traffic keys. Call it before the memory
 * of c is reused or freed, whatever state c is in (also after a failed
 * init). Idempotent. It sends nothing: call atoll_tls_close first for an
 * orderly close. */
void atoll_tls_release(struct atoll_tls_conn *c);

/* ---- Bytes from the peer ---- */

/* Takes up to len bytes received from the peer and runs the handshake and
 * record layer over them. Returns how many were taken: fewer than len when
 * the input buffer is full (read the plaintext waiting, send the output,
 * then feed the rest again); or -alert after a fatal error (the alert is
 * queued in the output: send it). data is not kept. */
int atoll_tls_feed(struct atoll_tls_conn *c, const uint8_t *data, size_t len, uint64_t now_ms);

/* Zero-copy input: room for received bytes directly in the input buffer
 * (*room bytes at the pointer returned; *room 0 and NULL when it is full,
 * or when the buffers are detached: read plaintext first). Receive into
 * it, then atoll_tls_input_commit(c, n) for the n bytes written there, with
 * the same results as atoll_tls_feed. */
uint8_t *atoll_tls_input_buffer(struct atoll_tls_conn *c, size_t *room);
int atoll_tls_input_commit(struct atoll_tls_conn *c, size_t n, uint64_t now_ms);

/* ---- Bytes for the peer ---- */

/* Bytes waiting to be sent: their number, with *p pointing at them inside
 * the output buffer (valid until the next call on c). 0 when none. */
size_t atoll_tls_output(const struct atoll_tls_conn *c, const uint8_t **p);
/* n (<= what atoll_tls_output returned) of those bytes have been sent. */
void atoll_tls_output_done(struct atoll_tls_conn *c, size_t n);

/* ---- Plaintext ---- */

/* Copies up to cap bytes of received plaintext into dst; returns how
 * many, 0 when none is ready (more input needed, or the peer closed:
 * see atoll_tls_state). */
size_t atoll_tls_read(struct atoll_tls_conn *c, uint8_t *dst, size_t cap);
/* Plaintext waiting to be read (in the current record). */
size_t atoll_tls_readable(const struct atoll_tls_conn *c);
/* Seals up to len bytes of plaintext into records in the output buffer
 * (src is not kept). Returns how many were taken: fewer than len, or 0,
 * when the output is full (send it, then write the rest) or the connection
 * is not open yet or any more; -alert when the connection failed. Records
 * needing a KeyUpdate (2^24.5 AES-GCM records) get one on the way. */
int atoll_tls_write(struct atoll_tls_conn *c, const uint8_t *src, size_t len);
/* Plaintext bytes one atoll_tls_write could take now. */
size_t atoll_tls_writable(const struct atoll_tls_conn *c);
/* Sends a KeyUpdate and moves to new sending keys; request_peer 1 asks the
 * peer to update its own (RFC 8446 §4.6.3). 0; -ATOLL_TLS_ALERT_INTERNAL_ERROR
 * before the handshake is done, or -alert on failure. */
int atoll_tls_key_update(struct atoll_tls_conn *c, int request_peer);
/* Queues close_notify after whatever is queued; nothing more can be
 * written. Reading goes on until the peer's close_notify
 * (ATOLL_TLS_ST_CLOSED). Harmless when repeated or after a failure. */
void atoll_tls_close(struct atoll_tls_conn *c);

/* ---- Buffers on loan ----
 * A server holding thousands of idle connections keeps their buffers in a
 * shared pool: atoll_tls_buffers_idle is 1 when c keeps no byte in them
 * (nothing received unread, no partial record or handshake message,
 * nothing waiting to be sent, no borrowed ClientHello buffer), and then
 * atoll_tls_detach_buffers may take them away. A detached connection
 * accepts no input and offers no output or room (its state, keys and
 * sequence numbers stay); atoll_tls_attach_buffers gives it buffers again,
 * of at least the sizes its init accepted, before it is fed, read or
 * written (they are kept by pointer). atoll_tls_server_init may be given
 * buffers with NULL pointers and those sizes, attached later (a client's
 * init writes its ClientHello at once). */
int atoll_tls_buffers_idle(const struct atoll_tls_conn *c);
void atoll_tls_detach_buffers(struct atoll_tls_conn *c);
void atoll_tls_attach_buffers(struct atoll_tls_conn *c, const struct atoll_tls_buffers *b);

/* ---- Where the connection stands ---- */

enum atoll_tls_state atoll_tls_state(const struct atoll_tls_conn *c);
/* The alert description we sent / received, -1 when none (a received
 * close_notify is 0). */
int atoll_tls_alert_sent(const struct atoll_tls_conn *c);
int atoll_tls_alert_received(const struct atoll_tls_conn *c);
/* Names of negotiated parameters, for logs: "TLS_AES_128_GCM_SHA256" for a
 * cipher suite code point, "x25519" for a named group; "-" for any other
 * number. Static strings, never NULL. */
/* What was negotiated (valid once ATOLL_TLS_ST_OPEN). */
struct atoll_tls_info {
    uint16_t suite;          /* cipher suite code point (atoll_tls_suite_name) */
    uint16_t group;          /* key-exchange group (atoll_tls_group_name) */
    uint16_t sig_scheme;     /* the server's CertificateVerify scheme; 0 when resumed */
    uint8_t resumed;         /* 1: a session ticket was accepted (psk_dhe_ke) */
    const char *alpn;        /* the ALPN protocol agreed, NULL: none (points into the config) */
    const char *server_name; /* server: the SNI name the client asked for, "" none (valid
                              * while c is); client: the configured server_name */
};
void atoll_tls_info(const struct atoll_tls_conn *c, struct atoll_tls_info *out);
const char *atoll_tls_suite_name(uint16_t suite);
const char *atoll_tls_group_name(uint16_t group);

#ifdef __cplusplus
}
#endif

#endif
