/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the engine's record plumbing (engine.c) and the
 * handshake logic (server.c, ticket.c). Not part of the public API. */
#ifndef ATOLL_TLS_ENGINE_INTERNAL_H
#define ATOLL_TLS_ENGINE_INTERNAL_H

#include "tls/tls.h"

/* Queues a fatal alert (sticky failure); returns -alert. */
int tls_fail(struct atoll_tls_conn *c, int alert);

/* Scratch space for composing outgoing handshake messages: the upper half
 * of the free output space, so queuing them as records below never writes
 * over bytes not yet copied. */
uint8_t *tls_compose_area(struct atoll_tls_conn *c, size_t *cap);
/* Queues len bytes of content type `type` as records: plaintext while no
 * sending keys are installed, protected afterwards. 0 or -alert. */
int tls_queue(struct atoll_tls_conn *c, uint8_t type, const uint8_t *data, size_t len);
/* The middlebox-compatibility change_cipher_spec record. */
int tls_queue_ccs(struct atoll_tls_conn *c);

/* Transcript helpers. */
int tls_transcript_add(struct atoll_tls_conn *c, const uint8_t *msg, size_t len);
int tls_transcript_hash(const struct atoll_tls_conn *c, uint8_t *out);

/* Installs traffic keys for one direction from a secret. */
int tls_install_rx(struct atoll_tls_conn *c, const uint8_t *secret);
int tls_install_tx(struct atoll_tls_conn *c, const uint8_t *secret);

/* Constant-time equality. */
int tls_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);

/* Seals the TLSInnerPlaintext content already placed at rec + 5 in place:
 * appends the type byte and pad zeros, encrypts, appends the tag and writes
 * the header at rec. cap bounds rec. Returns the record length or a
 * negative TLS_CRYPTO_E_*. */
int tls_record_seal_inplace(struct tls_traffic *t, const struct atoll_tls_crypto *c, uint8_t type, uint8_t *rec,
                            size_t len, size_t pad, size_t max_inner, size_t cap);

/* Server handshake messages (server.c). msg includes the 4-byte header.
 * Return 0 with the step's flags in *flags, or -alert. */
int tls_server_client_hello(struct atoll_tls_conn *c, const uint8_t *msg, size_t len, int *flags);
int tls_server_finished(struct atoll_tls_conn *c, const uint8_t *msg, size_t len);
/* Client handshake messages (client.c), same conventions. */
int tls_client_server_hello(struct atoll_tls_conn *c, const uint8_t *msg, size_t len, int *flags);
int tls_client_encrypted_extensions(struct atoll_tls_conn *c, const uint8_t *msg, size_t len, int *flags);
int tls_client_certificate(struct atoll_tls_conn *c, const uint8_t *msg, size_t len);
int tls_client_certificate_request(struct atoll_tls_conn *c, const uint8_t *msg, size_t len);
int tls_client_certificate_verify(struct atoll_tls_conn *c, const uint8_t *msg, size_t len);
int tls_client_finished(struct atoll_tls_conn *c, const uint8_t *msg, size_t len);
int tls_client_new_session_ticket(struct atoll_tls_conn *c, const uint8_t *msg, size_t len);
/* KeyUpdate from the peer, either role. */
int tls_on_key_update(struct atoll_tls_conn *c, const uint8_t *msg, size_t len);

/* Session tickets (ticket.c). */
#define TLS_TICKET_STATE_LEN 68u
#define TLS_TICKET_LEN (ATOLL_TLS_TICKET_NAME_LEN + ATOLL_TLS_AEAD_NONCE_LEN + TLS_TICKET_STATE_LEN + ATOLL_TLS_AEAD_TAG_LEN)
struct tls_ticket_state {
    uint16_t suite;
    uint64_t issued_ms;
    uint32_t lifetime_s;
    uint32_t age_add;
    uint8_t psk_len;
    uint8_t psk[ATOLL_TLS_HASH_MAX];
};
/* Seals st under the current ticket key into out (TLS_TICKET_LEN bytes). */
int tls_ticket_seal(const struct atoll_tls_conn *c, const struct tls_ticket_state *st, uint8_t *out);
/* Opens a ticket sealed under the current or previous key: 0 and *st, or
 * -1 when the ticket is not ours, tampered, or from an expired key. */
int tls_ticket_open(const struct atoll_tls_conn *c, const uint8_t *ticket, size_t len, struct tls_ticket_state *st);
/* Sends the configured NewSessionTickets (after the client's Finished). */
int tls_send_tickets(struct atoll_tls_conn *c);

#endif
