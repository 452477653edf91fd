/* SPDX-License-Identifier: Apache-2.0 */
/* ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4), client side.
 *
 * The version decides which checks apply: a ServerHello without
 * supported_versions is a TLS 1.2-or-older ServerHello, which this TLS
 * 1.3-only client refuses with protocol_version (§4.2.1) whatever else it
 * holds (its extensions, e.g. ec_point_formats, would otherwise look
 * unsolicited). So framing errors end the walk at once, while errors about
 * which extensions appear are kept and reported only once the version is
 * known to be TLS 1.3. */
#include "tls/msg_wire.h"

/* Is the random at r the HelloRetryRequest one? */
/*@ requires \valid_read(r + (0 .. 31));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> tls_is_hrr_random(r);
*/
static int is_hrr(const uint8_t *r)
{
    /*@ loop invariant 0 <= i <= 32;
        loop invariant \forall integer k; 0 <= k < i ==> r[k] == TLS_HRR_RANDOM(k);
        loop assigns i;
        loop variant 32 - i;
    */
    for (size_t i = 0; i < 32u; i++)
        if (r[i] != tls_hrr_random(i))
            return 0;
    return 1;
}

/* Every extension field of *out: absent. */
/*@ requires \valid(out);
    assigns out->selected_version, out->group, out->key_share, out->psk_index, out->cookie, out->ext_seen;
    ensures out->selected_version == 0 && out->group == 0 && out->psk_index == -1 && out->ext_seen == 0;
    ensures out->key_share.off == 0 && out->key_share.len == 0 && out->cookie.off == 0 && out->cookie.len == 0;
*/
static void sh_clear(struct tls_server_hello_in *out)
{
    struct tls_span none = {0, 0};
    out->selected_version = 0;
    out->group = 0;
    out->key_share = none;
    out->psk_index = -1;
    out->cookie = none;
    out->ext_seen = 0;
}

/* What the extension walk keeps true of *sh. A macro rather than a
 * predicate: WP then tracks each field across writes to the others. */
#define sh_inv(sh, len)                                                                   \
    (tls_span_in((sh)->key_share, len) && tls_span_in((sh)->cookie, len)                  \
     && -1 <= (sh)->psk_index <= 65535 && ((sh)->hrr == 0 || (sh)->hrr == 1)              \
     && ((sh)->hrr == 1 ==> (sh)->key_share.len == 0 && (sh)->psk_index == -1)            \
     && ((sh)->hrr == 0 ==> (sh)->cookie.len == 0))

/* key_share: in a ServerHello KeyShareServerHello { KeyShareEntry
 * server_share } (group(2) key_exchange<1..2^16-1>), in a
 * HelloRetryRequest KeyShareHelloRetryRequest { NamedGroup selected_group }
 * (§4.2.8). */
/*@ requires d + n <= len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(out);
    requires \separated(b + (0 .. len - 1), out);
    requires sh_inv(out, len);
    assigns out->group, out->key_share;
    ensures \result == 0 || \result == TLS_E_DECODE;
    ensures \result == 0 ==> sh_inv(out, len);
*/
static int sh_key_share(const uint8_t *b, size_t len, size_t d, size_t n, struct tls_server_hello_in *out)
{
    (void)len; /* the body size: named by the contract only */
    if (out->hrr != 0) {
        int g = tls_ext_u16(b, d, n);
        if (g < 0)
            return g;
        out->group = (uint16_t)g;
        return 0;
    }
    if (n < 4u)
        return TLS_E_DECODE;
    size_t kl = wire_rd16(b + d + 2);
    if (kl == 0u || kl != n - 4u)
        return TLS_E_DECODE;
    out->group = wire_rd16(b + d);
    out->key_share.off = (uint32_t)(d + 4u);
    out->key_share.len = (uint32_t)kl;
    return 0;
}

/* One extension of type t, data b[d .. d+n-1]. Returns 0, TLS_E_DECODE
 * (framing: report at once) or a positive alert to report once the
 * version is known (the type is not allowed here: §4.2 table for
 * recognized types, unsupported_extension for types the client never
 * offers). */
/*@ requires d + n <= len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(out);
    requires \separated(b + (0 .. len - 1), out);
    requires sh_inv(out, len);
    assigns out->selected_version, out->group, out->key_share, out->psk_index, out->cookie;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_ALERT_ILLEGAL_PARAMETER
            || \result == TLS_ALERT_UNSUPPORTED_EXTENSION;
    ensures \result >= 0 ==> sh_inv(out, len);
*/
static int sh_ext(const uint8_t *b, size_t len, uint16_t t, size_t d, size_t n, struct tls_server_hello_in *out)
{
    int r = 0;
    if (t == TLS_EXT_SUPPORTED_VERSIONS) {
        int v = tls_ext_u16(b, d, n);
        if (v < 0)
            r = v;
        else
            out->selected_version = (uint16_t)v;
    } else if (t == TLS_EXT_KEY_SHARE) {
        r = sh_key_share(b, len, d, n, out);
    } else if (t == TLS_EXT_PRE_SHARED_KEY && out->hrr == 0) {
        int v = tls_ext_u16(b, d, n); /* selected_identity */
        if (v < 0)
            r = v;
        else
            out->psk_index = v;
    } else if (t == TLS_EXT_COOKIE && out->hrr != 0) {
        r = tls_vec16(b, d, n, 1, 0, &out->cookie);
    } else if (tls_ext_known(t) != 0) {
        r = TLS_ALERT_ILLEGAL_PARAMETER;
    } else {
        r = TLS_ALERT_UNSUPPORTED_EXTENSION;
    }
    return r;
}

/* The seen bit of a ServerHello extension type (TLS_SEEN_* of msg.h). */
/*@ assigns \nothing;
    ensures t == TLS_EXT_PRE_SHARED_KEY ==> \result == 32;
    ensures t == TLS_EXT_SUPPORTED_VERSIONS ==> \result == 128;
    ensures t == TLS_EXT_COOKIE ==> \result == 256;
    ensures t == TLS_EXT_KEY_SHARE ==> \result == 1024;
    ensures t != TLS_EXT_PRE_SHARED_KEY && t != TLS_EXT_SUPPORTED_VERSIONS && t != TLS_EXT_COOKIE
            && t != TLS_EXT_KEY_SHARE ==> \result == 0;
*/
static uint32_t sh_bit(uint16_t t)
{
    if (t == TLS_EXT_PRE_SHARED_KEY)
        return 32u;
    if (t == TLS_EXT_SUPPORTED_VERSIONS)
        return 128u;
    if (t == TLS_EXT_COOKIE)
        return 256u;
    if (t == TLS_EXT_KEY_SHARE)
        return 1024u;
    return 0;
}

/* The extensions b[start .. len-1]. Returns 0, TLS_E_DECODE, or a
 * positive alert for the first extension that may not appear. */
/*@ requires start <= len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(out);
    requires \separated(b + (0 .. len - 1), out);
    requires sh_inv(out, len) && out->ext_seen == 0;
    assigns out->selected_version, out->group, out->key_share, out->psk_index, out->cookie, out->ext_seen;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_ALERT_ILLEGAL_PARAMETER
            || \result == TLS_ALERT_UNSUPPORTED_EXTENSION;
    ensures \result >= 0 ==> sh_inv(out, len);
*/
static int sh_extensions(const uint8_t *b, size_t len, size_t start, struct tls_server_hello_in *out)
{
    uint8_t seen[TLS_EXT_TRACK];
    tls_zero(seen, TLS_EXT_TRACK);
    size_t p = start;
    int late = 0;
    uint32_t bits = 0;
    /*@ loop invariant start <= p <= len;
        loop invariant sh_inv(out, len);
        loop invariant late == 0 || late == TLS_ALERT_ILLEGAL_PARAMETER || late == TLS_ALERT_UNSUPPORTED_EXTENSION;
        loop invariant \forall integer k; 0 <= k < TLS_EXT_TRACK ==> seen[k] <= 1;
        loop invariant bits == seen[TLS_EXT_PRE_SHARED_KEY] * 32 + seen[TLS_EXT_SUPPORTED_VERSIONS] * 128
                               + seen[TLS_EXT_COOKIE] * 256 + seen[TLS_EXT_KEY_SHARE] * 1024;
        loop assigns p, late, bits, seen[0 .. TLS_EXT_TRACK - 1], out->selected_version, out->group,
                out->key_share, out->psk_index, out->cookie;
        loop variant len - p;
    */
    while (p < len) {
        if (len - p < 4u)
            return TLS_E_DECODE;
        uint16_t t = wire_rd16(b + p);
        size_t n = wire_rd16(b + p + 2);
        if (n > len - p - 4u)
            return TLS_E_DECODE;
        int r;
        if (t < TLS_EXT_TRACK && seen[t] != 0u) {
            r = TLS_ALERT_ILLEGAL_PARAMETER; /* duplicate (§4.2) */
        } else {
            r = sh_ext(b, len, t, p + 4u, n, out);
            if (r < 0)
                return r;
            if (r == 0 && t < TLS_EXT_TRACK) {
                seen[t] = 1;
                bits = bits + sh_bit(t);
            }
        }
        if (late == 0)
            late = r;
        p = p + 4u + n;
    }
    out->ext_seen = bits;
    return late;
}

int tls_server_hello_parse(const uint8_t *body, size_t len, struct tls_server_hello_in *out)
{
    if (len > TLS_MSG_BODY_MAX || len < 35u)
        return TLS_E_DECODE;
    uint16_t legacy = wire_rd16(body);
    if (legacy <= 0x0300u)
        return TLS_E_VERSION; /* Appendix D.5 */
    size_t sl = body[34];
    /* legacy_session_id_echo<0..32>, cipher_suite(2), compression(1) */
    if (sl > 32u || len - 35u < sl + 3u)
        return TLS_E_DECODE;
    wire_copy(out->random, body + 2, 32);
    tls_zero(out->session_id, 32);
    wire_copy(out->session_id, body + 35, sl);
    out->session_id_len = (uint8_t)sl;
    /* After the byte fields of *out: a fact about the body's bytes (its
     * random) then holds in the final memory as it stands. */
    out->hrr = is_hrr(body + 2);
    size_t p = 35u + sl;
    out->suite = wire_rd16(body + p);
    uint8_t compression = body[p + 2u];
    p = p + 3u;
    sh_clear(out);
    int late = 0;
    /* No extensions at all: a TLS 1.2-or-older ServerHello. */
    if (p < len) {
        if (len - p < 2u || wire_rd16(body + p) != len - p - 2u)
            return TLS_E_DECODE;
        late = sh_extensions(body, len, p + 2u, out);
        if (late < 0)
            return late;
    }
    if (out->selected_version == 0u)
        return TLS_E_VERSION; /* TLS 1.2 or older negotiated (§4.2.1) */
    if (out->selected_version != TLS_VERSION_13)
        return TLS_E_ILLEGAL; /* §4.2.1: a version not offered, or prior to TLS 1.3 */
    if (legacy != TLS_VERSION_12 || compression != 0u)
        return TLS_E_ILLEGAL; /* §4.1.3: legacy_version 0x0303, legacy_compression_method 0 */
    if (late > 0)
        return -late;
    return (int)len;
}
