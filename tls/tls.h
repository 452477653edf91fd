/* SPDX-License-Identifier: Apache-2.0 */
/* The TLS engine's inside: the layout of a connection, for the engine, the
 * appliance (which holds connections by value) and the tests. Embedders
 * include <atoll/tls.h> only. */
#ifndef ATOLL_TLS_INTERNAL_H
#define ATOLL_TLS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/tls.h"
#include "tls/alert.h"
#include "tls/record.h"

/* Engine-internal handshake state. */
struct tls_hs_state;

struct atoll_tls_conn {
    const struct atoll_tls_server_config *cfg;
    const struct atoll_tls_client_config *ccfg; /* client connections */
    uint8_t is_client;
    struct atoll_tls_crypto crypto;
    struct atoll_tls_buffers buf;
    size_t in_len;          /* bytes in buf.in */
    size_t app_off, app_len; /* decrypted application data waiting in buf.in */
    size_t app_rec_len;     /* length of the record that plaintext came from */
    size_t hs_len;          /* bytes in buf.hs */
    const struct atoll_tls_hs_lender *lender; /* NULL: none */
    uint8_t *hs_own;        /* our own handshake buffer while buf.hs is borrowed */
    size_t hs_own_cap;
    size_t out_len;         /* bytes in buf.out */
    size_t out_off;         /* of which already sent: buf.out[out_off .. out_len) waits */

    uint8_t state;          /* enum atoll_tls_state */
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
    const char *alpn_proto;             /* the protocol alpn_selected names */
    uint16_t peer_record_limit; /* peer's RFC 8449 limit (inner plaintext), 0 none */
    enum atoll_tls_hash_alg hash;
    enum atoll_tls_aead_alg aead;

    struct atoll_tls_hash_ctx transcript;
    uint8_t secret[ATOLL_TLS_HASH_MAX];       /* handshake secret, then master secret */
    uint8_t c_hs[ATOLL_TLS_HASH_MAX], s_hs[ATOLL_TLS_HASH_MAX]; /* handshake traffic secrets (Finished keys) */
    uint8_t c_ap[ATOLL_TLS_HASH_MAX];         /* client application secret, installed after its Finished */
    uint8_t res_master[ATOLL_TLS_HASH_MAX];
    uint8_t psk[ATOLL_TLS_HASH_MAX];
    uint8_t ticket_nonce;
    struct tls_traffic rx, tx;

    char sni[256];                      /* server_name the client asked for, "" none */
    /* client side only */
    struct atoll_tls_hash_ctx transcript_384; /* until the suite is known */
    uint8_t kex_priv[ATOLL_TLS_KEX_PRIV_MAX];
    uint8_t kex_priv_len;
    uint8_t session_id[32];
    size_t hs_keep;                     /* Certificate kept in buf.hs until CertificateVerify */
    uint8_t offered_psk;                /* 1: a PSK was offered */
    uint8_t cert_requested;             /* the server sent CertificateRequest */
    uint64_t now_ms;
};

#endif
