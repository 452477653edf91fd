/* SPDX-License-Identifier: Apache-2.0 */
/* TLS 1.3 handshake messages and extensions (RFC 8446 §4): checked-view
 * parsers and exact-length emitters. A parser takes the message body (after
 * the 4-byte handshake header) and fills a struct of fixed fields and spans
 * (offset + length into that same body); every span has been validated, so
 * iterating it cannot leave its bounds. Failures return -(alert), see
 * alert.h; emitters return the bytes written (header included) or
 * TLS_MSG_E_SPACE (the message does not fit in cap, or a field is longer
 * than its length field can carry). Contracts: spec/tls_msg.acsl.h; the
 * check-to-alert table: spec/tls_alerts.md. */
#ifndef ATOLL_TLS_MSG_H
#define ATOLL_TLS_MSG_H

#include <stddef.h>
#include <stdint.h>

#define TLS_MSG_E_SPACE (-2000)      /* emitter: output buffer too small */

/* Handshake message types. */
#define TLS_HS_CLIENT_HELLO 1u
#define TLS_HS_SERVER_HELLO 2u
#define TLS_HS_NEW_SESSION_TICKET 4u
#define TLS_HS_END_OF_EARLY_DATA 5u
#define TLS_HS_ENCRYPTED_EXTENSIONS 8u
#define TLS_HS_CERTIFICATE 11u
#define TLS_HS_CERTIFICATE_REQUEST 13u
#define TLS_HS_CERTIFICATE_VERIFY 15u
#define TLS_HS_FINISHED 20u
#define TLS_HS_KEY_UPDATE 24u
#define TLS_HS_MESSAGE_HASH 254u
#define TLS_HS_HDR_LEN 4u

/* Extension code points. */
#define TLS_EXT_SERVER_NAME 0u
#define TLS_EXT_MAX_FRAGMENT_LENGTH 1u
#define TLS_EXT_STATUS_REQUEST 5u
#define TLS_EXT_SUPPORTED_GROUPS 10u
#define TLS_EXT_SIGNATURE_ALGORITHMS 13u
#define TLS_EXT_USE_SRTP 14u
#define TLS_EXT_HEARTBEAT 15u
#define TLS_EXT_ALPN 16u
#define TLS_EXT_SCT 18u
#define TLS_EXT_CLIENT_CERT_TYPE 19u
#define TLS_EXT_SERVER_CERT_TYPE 20u
#define TLS_EXT_PADDING 21u
#define TLS_EXT_RECORD_SIZE_LIMIT 28u
#define TLS_EXT_PRE_SHARED_KEY 41u
#define TLS_EXT_EARLY_DATA 42u
#define TLS_EXT_SUPPORTED_VERSIONS 43u
#define TLS_EXT_COOKIE 44u
#define TLS_EXT_PSK_KEY_EXCHANGE_MODES 45u
#define TLS_EXT_CERTIFICATE_AUTHORITIES 47u
#define TLS_EXT_OID_FILTERS 48u
#define TLS_EXT_POST_HANDSHAKE_AUTH 49u
#define TLS_EXT_SIGNATURE_ALGORITHMS_CERT 50u
#define TLS_EXT_KEY_SHARE 51u

/* Cipher suites. */
#define TLS_AES_128_GCM_SHA256 0x1301u
#define TLS_AES_256_GCM_SHA384 0x1302u
#define TLS_CHACHA20_POLY1305_SHA256 0x1303u

#define TLS_VERSION_12 0x0303u
#define TLS_VERSION_13 0x0304u

struct tls_span {
    uint32_t off;
    uint32_t len;
};

/* Bits of tls_client_hello.ext_seen. */
#define TLS_SEEN_SERVER_NAME (1u << 0)
#define TLS_SEEN_SUPPORTED_GROUPS (1u << 1)
#define TLS_SEEN_SIGNATURE_ALGORITHMS (1u << 2)
#define TLS_SEEN_ALPN (1u << 3)
#define TLS_SEEN_RECORD_SIZE_LIMIT (1u << 4)
#define TLS_SEEN_PRE_SHARED_KEY (1u << 5)
#define TLS_SEEN_EARLY_DATA (1u << 6)
#define TLS_SEEN_SUPPORTED_VERSIONS (1u << 7)
#define TLS_SEEN_COOKIE (1u << 8)
#define TLS_SEEN_PSK_KEY_EXCHANGE_MODES (1u << 9)
#define TLS_SEEN_KEY_SHARE (1u << 10)
#define TLS_SEEN_SIGNATURE_ALGORITHMS_CERT (1u << 11)
#define TLS_SEEN_POST_HANDSHAKE_AUTH (1u << 12)

#define TLS_PSK_MODE_KE 1u       /* psk_ke offered */
#define TLS_PSK_MODE_DHE_KE 2u   /* psk_dhe_ke offered */

struct tls_client_hello {
    uint16_t legacy_version;
    uint8_t random[32];
    uint8_t session_id_len;
    uint8_t session_id[32];
    struct tls_span suites;          /* CipherSuite list, 2 bytes each */
    uint32_t ext_seen;               /* TLS_SEEN_* */
    uint16_t max_version;            /* highest of supported_versions we know (0x0304 or lower), 0 if absent */
    uint8_t offers_tls13;            /* 0x0304 listed in supported_versions */
    struct tls_span server_name;     /* the host_name, 1..255 bytes, LDH + '.' only; len 0 if absent */
    struct tls_span groups;          /* NamedGroup list, 2 bytes each */
    struct tls_span key_shares;      /* KeyShareEntry list, each group(2) len(2) key(len>=1), groups unique */
    struct tls_span sig_algs;        /* SignatureScheme list, 2 bytes each */
    struct tls_span sig_algs_cert;
    struct tls_span alpn;            /* ProtocolName list, each len(1) name(len>=1) */
    uint8_t psk_modes;               /* TLS_PSK_MODE_* */
    struct tls_span psk_identities;  /* PskIdentity list: len(2) identity(len>=1) obfuscated_ticket_age(4) */
    struct tls_span psk_binders;     /* PskBinderEntry list: len(1) binder(32..255) */
    uint16_t psk_count;              /* identities == binders (checked) */
    uint32_t binders_off;            /* offset of the binders list (its 2-byte length) in the body */
    uint8_t early_data;              /* early_data extension present */
    struct tls_span cookie;          /* cookie body, len 0 if absent */
    uint16_t record_size_limit;      /* RFC 8449 value, 0 if absent (values < 64 are illegal_parameter) */
};

/* Parses a ClientHello body. decode_error for any framing error;
 * illegal_parameter for compression methods other than exactly {null},
 * a duplicated extension, pre_shared_key not last, a server-only extension,
 * key_share groups repeated, binder/identity counts differing,
 * record_size_limit < 64. Extensions we do not know are skipped. Which
 * extensions must be present is the engine's business (missing_extension). */
int tls_client_hello_parse(const uint8_t *body, size_t len, struct tls_client_hello *out);

/* Iterators over validated spans of a parsed body. */
int tls_span_has_u16(const uint8_t *body, struct tls_span s, uint16_t v);
/* Finds the key_share entry for group: 1 and *key set (a span of body), or 0. */
int tls_ch_key_share(const uint8_t *body, const struct tls_client_hello *ch, uint16_t group, struct tls_span *key);
/* ALPN: 1 if the protocol name (e.g. "http/1.1") is offered. */
int tls_ch_offers_alpn(const uint8_t *body, const struct tls_client_hello *ch, const uint8_t *name, size_t name_len);
/* PSK identity i (< psk_count): identity span, obfuscated age, binder span. */
int tls_ch_psk(const uint8_t *body, const struct tls_client_hello *ch, uint16_t i, struct tls_span *identity,
               uint32_t *obfuscated_age, struct tls_span *binder);

/* ServerHello / HelloRetryRequest, server side emitter. */
struct tls_server_hello {
    int hrr;                        /* 1: HelloRetryRequest (special random, no key share key) */
    uint8_t random[32];             /* ignored when hrr */
    uint8_t session_id_len;
    const uint8_t *session_id;      /* echo of the client's */
    uint16_t suite;
    uint16_t group;                 /* key_share group (HRR: selected_group); 0 = no key_share */
    const uint8_t *key_share;       /* not for HRR */
    size_t key_share_len;
    int psk_index;                  /* -1: no pre_shared_key extension */
    const uint8_t *cookie;          /* HRR only, may be NULL */
    size_t cookie_len;
};
int tls_server_hello_write(uint8_t *out, size_t cap, const struct tls_server_hello *sh);

struct tls_encrypted_extensions {
    int server_name_ack;            /* empty server_name extension */
    const uint8_t *alpn;            /* selected protocol or NULL */
    size_t alpn_len;
    uint16_t record_size_limit;     /* 0: omit */
    const uint8_t *groups;          /* supported_groups to announce (NamedGroup list, 2 bytes each) or NULL */
    size_t groups_len;
};
int tls_encrypted_extensions_write(uint8_t *out, size_t cap, const struct tls_encrypted_extensions *ee);

/* Certificate with an empty request context and no per-entry extensions. */
int tls_certificate_write(uint8_t *out, size_t cap, const uint8_t *const *certs, const size_t *cert_lens, size_t n);
int tls_certificate_verify_write(uint8_t *out, size_t cap, uint16_t scheme, const uint8_t *sig, size_t sig_len);
int tls_finished_write(uint8_t *out, size_t cap, const uint8_t *verify_data, size_t len);
int tls_new_session_ticket_write(uint8_t *out, size_t cap, uint32_t lifetime, uint32_t age_add, const uint8_t *nonce,
                                 size_t nonce_len, const uint8_t *ticket, size_t ticket_len);
int tls_key_update_write(uint8_t *out, size_t cap, int request_update);
/* The message_hash synthetic message that replaces ClientHello1 after HRR (§4.4.1). */
int tls_message_hash_write(uint8_t *out, size_t cap, const uint8_t *hash, size_t hash_len);

/* The content signed in CertificateVerify (§4.4.3): 64 spaces, the context
 * string for server or client, a zero byte, the transcript hash. */
size_t tls_cv_content(uint8_t *out, int server, const uint8_t *transcript_hash, size_t hash_len);

/* Parsers for what a server receives after ClientHello and what a client
 * receives; bodies as above. */
int tls_finished_parse(const uint8_t *body, size_t len, size_t hash_len, struct tls_span *verify_data);
int tls_key_update_parse(const uint8_t *body, size_t len, int *request_update);
struct tls_certificate_verify {
    uint16_t scheme;
    struct tls_span sig;
};
int tls_certificate_verify_parse(const uint8_t *body, size_t len, struct tls_certificate_verify *out);

struct tls_server_hello_in {
    int hrr;
    uint8_t random[32];
    uint8_t session_id_len;
    uint8_t session_id[32];
    uint16_t suite;
    uint16_t selected_version;       /* from supported_versions */
    uint16_t group;                  /* key_share group or HRR selected_group, 0 if absent */
    struct tls_span key_share;       /* not in HRR */
    int psk_index;                   /* -1 if absent */
    struct tls_span cookie;          /* HRR */
    uint32_t ext_seen;               /* TLS_SEEN_* */
};
int tls_server_hello_parse(const uint8_t *body, size_t len, struct tls_server_hello_in *out);

struct tls_encrypted_extensions_in {
    uint32_t ext_seen;
    struct tls_span alpn;            /* the one selected protocol name */
    uint16_t record_size_limit;
};
int tls_encrypted_extensions_parse(const uint8_t *body, size_t len, struct tls_encrypted_extensions_in *out);

/* Certificate: request context and the certificate_list span; entries
 * validated (cert_data len >= 1, extensions framed). */
struct tls_certificate_in {
    struct tls_span context;
    struct tls_span list;
    uint16_t count;
};
int tls_certificate_parse(const uint8_t *body, size_t len, struct tls_certificate_in *out);
int tls_certificate_entry(const uint8_t *body, const struct tls_certificate_in *c, uint16_t i, struct tls_span *der);

struct tls_new_session_ticket_in {
    uint32_t lifetime;
    uint32_t age_add;
    struct tls_span nonce;
    struct tls_span ticket;
    uint32_t max_early_data;         /* 0 if absent */
};
int tls_new_session_ticket_parse(const uint8_t *body, size_t len, struct tls_new_session_ticket_in *out);

/* Alert record body: level, description. decode_error unless exactly 2 bytes. */
int tls_alert_parse(const uint8_t *body, size_t len, uint8_t *level, uint8_t *desc);

#endif
