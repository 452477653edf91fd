/* SPDX-License-Identifier: Apache-2.0 */
/* Every TLS handshake message parser of tls/msg.h, called by name on
 * arbitrary bodies (the handshake harness reaches them only through the
 * engine's state machine, which stops at the first message it refuses).
 *
 * Input: selector (1 byte), then the message body. Oracles: a refusal is
 * one alert description (1..255, never 0); on success every span the
 * parser hands back lies inside the body, and every iterator over a
 * parsed ClientHello or Certificate stays inside it too. Violations
 * abort(). */
#include "fuzz_common.h"
#include "tls/msg.h"

static void span_in(struct tls_span s, size_t len)
{
    FUZZ_CHECK((uint64_t)s.off + s.len <= len);
}

static void refusal(int r)
{
    if (r < 0)
        FUZZ_CHECK(r >= -255);
}

static void client_hello(const uint8_t *b, size_t len)
{
    struct tls_client_hello ch;
    int r = tls_client_hello_parse(b, len, &ch);
    refusal(r);
    if (r < 0)
        return;
    span_in(ch.sig_algs, len);
    span_in(ch.sig_algs_cert, len);
    span_in(ch.alpn, len);
    span_in(ch.psk_identities, len);
    span_in(ch.psk_binders, len);
    span_in(ch.cookie, len);
    static const uint16_t groups[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        struct tls_span key;
        if (tls_ch_key_share(b, &ch, groups[i], &key))
            span_in(key, len);
    }
    for (uint16_t i = 0; i < ch.psk_count; i++) {
        struct tls_span id, binder;
        uint32_t age;
        if (tls_ch_psk(b, &ch, i, &id, &age, &binder) >= 0) {
            span_in(id, len);
            span_in(binder, len);
        }
    }
    (void)tls_ch_offers_alpn(b, &ch, (const uint8_t *)"http/1.1", 8);
    (void)tls_span_has_u16(b, ch.sig_algs, 0x0403);
}

static void certificate(const uint8_t *b, size_t len)
{
    struct tls_certificate_in c;
    int r = tls_certificate_parse(b, len, &c);
    refusal(r);
    if (r < 0)
        return;
    span_in(c.context, len);
    span_in(c.list, len);
    for (uint16_t i = 0; i < c.count; i++) {
        struct tls_span der;
        if (tls_certificate_entry(b, &c, i, &der) >= 0) {
            span_in(der, len);
            FUZZ_CHECK(der.len >= 1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0] % 9u;
    size_t len = size - 1;
    uint8_t *b = fuzz_dup(data + 1, len);
    int r;
    switch (sel) {
    case 0: client_hello(b, len); break;
    case 1: {
        struct tls_server_hello_in sh;
        r = tls_server_hello_parse(b, len, &sh);
        refusal(r);
        if (r >= 0) {
            span_in(sh.key_share, len);
            span_in(sh.cookie, len);
            FUZZ_CHECK(sh.session_id_len <= 32);
        }
        break;
    }
    case 2: {
        struct tls_encrypted_extensions_in ee;
        r = tls_encrypted_extensions_parse(b, len, &ee);
        refusal(r);
        if (r >= 0)
            span_in(ee.alpn, len);
        break;
    }
    case 3: certificate(b, len); break;
    case 4: {
        struct tls_certificate_verify cv;
        r = tls_certificate_verify_parse(b, len, &cv);
        refusal(r);
        if (r >= 0)
            span_in(cv.sig, len);
        break;
    }
    case 5: {
        struct tls_span vd;
        size_t hash_len = (len & 1u) ? 48 : 32;
        r = tls_finished_parse(b, len, hash_len, &vd);
        refusal(r);
        if (r >= 0) {
            span_in(vd, len);
            FUZZ_CHECK(vd.len == hash_len);
        }
        break;
    }
    case 6: {
        struct tls_new_session_ticket_in nst;
        r = tls_new_session_ticket_parse(b, len, &nst);
        refusal(r);
        if (r >= 0) {
            span_in(nst.nonce, len);
            span_in(nst.ticket, len);
            FUZZ_CHECK(nst.ticket.len >= 1);
        }
        break;
    }
    case 7: {
        int req = -1;
        r = tls_key_update_parse(b, len, &req);
        refusal(r);
        if (r >= 0)
            FUZZ_CHECK(len == 1 && (req == 0 || req == 1));
        break;
    }
    default: {
        uint8_t level = 0, desc = 0;
        r = tls_alert_parse(b, len, &level, &desc);
        refusal(r);
        if (r >= 0)
            FUZZ_CHECK(len == 2 && level == b[0] && desc == b[1]);
        break;
    }
    }
    free(b);
    return 0;
}
