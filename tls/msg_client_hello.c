/* SPDX-License-Identifier: Apache-2.0 */
/* ClientHello (RFC 8446 §4.1.2) and its extensions (§4.2), server side.
 *
 * Order of work, and why: the fixed part, then one walk over the
 * extensions that checks their framing, duplicates and placement and
 * parses the small ones; the three variable-length lists (key_share, ALPN,
 * pre_shared_key) are only located by that walk and validated after it.
 * WP keeps the body and every byte-sized field of *out in one memory, and
 * a list predicate over the body would not survive a later byte write
 * without an induction the provers cannot do: so every byte field is
 * written before the first list predicate is established. */
#include "tls/msg_wire.h"

/* Duplicate tags (extension types, key-share groups) are found with a
 * bitmap of DUP_BITS tags per pass over the list, DUP_PASSES passes for the
 * whole 16-bit space. An extension block holds up to 16383 entries, so a
 * pairwise scan is 10^8 compares and a sort needs 32 KiB of scratch; one
 * 8 KiB bitmap is too much stack for a pure core that also runs in a small
 * unikernel stack. 1 KiB and at most 8 walks of the headers (about 130k
 * steps for the largest legal list, a few dozen for a browser's) bounds both.
 * Words, not bytes, so that setting a bit is an unsigned OR the provers
 * need not bound; the table's values matter to correctness, not to safety. */
#define DUP_BITS 8192u
#define DUP_WORDS (DUP_BITS / 32u)
#define DUP_PASSES (65536u / DUP_BITS)

static const uint32_t dup_bit[32] = {
    0x1u,       0x2u,       0x4u,       0x8u,       0x10u,       0x20u,       0x40u,       0x80u,
    0x100u,     0x200u,     0x400u,     0x800u,     0x1000u,     0x2000u,     0x4000u,     0x8000u,
    0x10000u,   0x20000u,   0x40000u,   0x80000u,   0x100000u,   0x200000u,   0x400000u,   0x800000u,
    0x1000000u, 0x2000000u, 0x4000000u, 0x8000000u, 0x10000000u, 0x20000000u, 0x40000000u, 0x80000000u};

/* A located, not yet validated, extension: the whole extension, header
 * included (len 0: absent). */
#define raw_ok(s, n) (tls_span_in(s, n) && ((s).len == 0 || (s).len >= 4))

/*@ // What the extension walk keeps true of *ch.
    predicate ch_ext_inv{L}(struct tls_client_hello *ch, integer len) =
      tls_span_in(ch->server_name, len) && ch->server_name.len <= 255
      && tls_u16_list(ch->groups, len) && tls_u16_list(ch->sig_algs, len)
      && tls_u16_list(ch->sig_algs_cert, len)
      && raw_ok(ch->key_shares, len) && raw_ok(ch->alpn, len) && raw_ok(ch->psk_identities, len)
      && tls_span_in(ch->cookie, len)
      && (ch->record_size_limit == 0 || ch->record_size_limit >= 64)
      && ch->max_version <= 0x0304 && ch->offers_tls13 <= 1 && ch->early_data <= 1
      && ch->psk_modes <= 3;
*/

/* legacy_version, random, legacy_session_id, cipher_suites. Returns the
 * offset of legacy_compression_methods. A legacy_version of 0x0300 or less
 * is protocol_version (Appendix D.5). */
/*@ requires len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(out);
    requires \separated(b + (0 .. len - 1), out);
    assigns out->legacy_version, out->random[0 .. 31], out->session_id_len, out->session_id[0 .. 31],
            out->suites;
    ensures \result == TLS_E_DECODE || \result == TLS_E_VERSION || 0 < \result <= len;
    ensures \result > 0 ==> out->session_id_len <= 32 && tls_u16_list(out->suites, len)
            && out->suites.len >= 2 && out->suites.off + out->suites.len == \result;
*/
static int ch_head(const uint8_t *b, size_t len, struct tls_client_hello *out)
{
    if (len < 35u)
        return TLS_E_DECODE;
    uint16_t v = wire_rd16(b);
    if (v <= 0x0300u)
        return TLS_E_VERSION;
    size_t sl = b[34];
    if (sl > 32u || sl > len - 35u)
        return TLS_E_DECODE;
    size_t p = 35u + sl;
    if (len - p < 2u)
        return TLS_E_DECODE;
    size_t n = wire_rd16(b + p);
    /* cipher_suites<2..2^16-2>: at least one, whole 2-byte items. */
    if (n < 2u || n % 2u != 0u || n > len - p - 2u)
        return TLS_E_DECODE;
    out->legacy_version = v;
    wire_copy(out->random, b + 2, 32);
    tls_zero(out->session_id, 32);
    wire_copy(out->session_id, b + 35, sl);
    out->session_id_len = (uint8_t)sl;
    out->suites.off = (uint32_t)(p + 2u);
    out->suites.len = (uint32_t)n;
    return (int)(p + 2u + n);
}

/* Every extension field of *out: absent. */
/*@ requires \valid(out);
    requires len <= TLS_MSG_BODY_MAX;
    assigns out->ext_seen, out->max_version, out->offers_tls13, out->server_name, out->groups,
            out->key_shares, out->sig_algs, out->sig_algs_cert, out->alpn, out->psk_modes,
            out->psk_identities, out->psk_binders, out->psk_count, out->binders_off, out->early_data,
            out->cookie, out->record_size_limit;
    ensures ch_ext_inv(out, len);
    ensures out->psk_identities.len == 0 && out->key_shares.len == 0 && out->alpn.len == 0;
    ensures out->ext_seen == 0;
*/
static void ch_clear(struct tls_client_hello *out, size_t len)
{
    (void)len; /* the body size: named by the contract only */
    out->ext_seen = 0;
    out->max_version = 0;
    out->offers_tls13 = 0;
    out->server_name.off = 0;
    out->server_name.len = 0;
    out->groups.off = 0;
    out->groups.len = 0;
    out->key_shares.off = 0;
    out->key_shares.len = 0;
    out->sig_algs.off = 0;
    out->sig_algs.len = 0;
    out->sig_algs_cert.off = 0;
    out->sig_algs_cert.len = 0;
    out->alpn.off = 0;
    out->alpn.len = 0;
    out->psk_modes = 0;
    out->psk_identities.off = 0;
    out->psk_identities.len = 0;
    out->psk_binders.off = 0;
    out->psk_binders.len = 0;
    out->psk_count = 0;
    out->binders_off = 0;
    out->early_data = 0;
    out->cookie.off = 0;
    out->cookie.len = 0;
    out->record_size_limit = 0;
}

/* One HostName byte: a letter, a digit or a hyphen (RFC 1123 §2.1). */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
*/
static int ldh(uint8_t c)
{
    if (c >= 'a' && c <= 'z')
        return 1;
    if (c >= 'A' && c <= 'Z')
        return 1;
    if ((c >= '0' && c <= '9') || c == '-')
        return 1;
    return 0;
}

/* A HostName as RFC 6066 §3 describes it: an ASCII DNS name without a
 * trailing dot, here at most 255 bytes of labels of 1..63 LDH bytes
 * separated by single dots. */
/*@ requires \valid_read(h + (0 .. l - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> 1 <= l <= 255;
*/
static int host_ok(const uint8_t *h, size_t l)
{
    if (l == 0u || l > 255u)
        return 0;
    size_t label = 0;
    /*@ loop invariant 0 <= i <= l;
        loop invariant 0 <= label <= 63 && label <= i;
        loop assigns i, label;
        loop variant l - i;
    */
    for (size_t i = 0; i < l; i++) {
        if (h[i] == '.') {
            if (label == 0u)
                return 0; /* leading dot or an empty label */
            label = 0;
        } else {
            if (ldh(h[i]) == 0 || label == 63u)
                return 0;
            label++;
        }
    }
    return label != 0u; /* no trailing dot */
}

/* server_name (RFC 6066 §3): ServerNameList server_name_list<1..2^16-1>,
 * each entry name_type(1) opaque<0..2^16-1> (the framing RFC 4366 gave
 * every type). Only host_name(0) is kept; a name_type repeated is
 * illegal_parameter (RFC 6066: "MUST NOT contain more than one name of the
 * same name_type"), an empty or malformed host name too. */
/*@ requires d + n <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (d .. d + n - 1));
    requires \valid(s);
    requires \separated(b + (d .. d + n - 1), s);
    assigns *s;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL;
    ensures \result == 0 ==> d <= s->off && s->off + s->len <= d + n && s->len <= 255;
*/
static int ch_sni(const uint8_t *b, size_t d, size_t n, struct tls_span *s)
{
    if (n < 2u || wire_rd16(b + d) != n - 2u || n == 2u)
        return TLS_E_DECODE;
    uint8_t types[256];
    tls_zero(types, 256);
    size_t p = d + 2u, e = d + n;
    /* No host_name: an empty span at the list (the contract's bounds hold). */
    uint32_t off = (uint32_t)d, hl = 0;
    /*@ loop invariant d + 2 <= p <= e;
        loop invariant d <= off && off + hl <= e && hl <= 255;
        loop invariant off <= e;
        loop assigns p, off, hl, types[0 .. 255];
        loop variant e - p;
    */
    while (p < e) {
        if (e - p < 3u)
            return TLS_E_DECODE;
        uint8_t ty = b[p];
        size_t l = wire_rd16(b + p + 1);
        if (l > e - p - 3u)
            return TLS_E_DECODE;
        if (types[ty] != 0u)
            return TLS_E_ILLEGAL;
        types[ty] = 1;
        if (ty == 0u) {
            if (l == 0u)
                return TLS_E_DECODE; /* HostName<1..2^16-1> */
            if (host_ok(b + p + 3, l) == 0)
                return TLS_E_ILLEGAL;
            off = (uint32_t)(p + 3u);
            hl = (uint32_t)l;
        }
        p = p + 3u + l;
    }
    s->off = off;
    s->len = hl;
    return 0;
}

/* supported_versions (§4.2.1): ProtocolVersion versions<2..254>. Keeps the
 * highest of SSL 3.0 .. TLS 1.3 listed (0 if none) and whether TLS 1.3 is;
 * other values (GREASE, drafts, future versions) are skipped. */
/*@ requires d + n <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (d .. d + n - 1));
    requires \valid(out);
    requires \separated(b + (d .. d + n - 1), out);
    assigns out->max_version, out->offers_tls13;
    ensures \result == 0 || \result == TLS_E_DECODE;
    ensures \result == 0 ==> out->max_version <= 0x0304 && out->offers_tls13 <= 1;
*/
static int ch_versions(const uint8_t *b, size_t d, size_t n, struct tls_client_hello *out)
{
    if (n < 1u)
        return TLS_E_DECODE;
    size_t l = b[d];
    if (l != n - 1u || l < 2u || l % 2u != 0u)
        return TLS_E_DECODE;
    uint16_t max = 0;
    uint8_t has13 = 0;
    /*@ loop invariant 0 <= i <= l && i % 2 == 0;
        loop invariant max <= 0x0304 && has13 <= 1;
        loop assigns i, max, has13;
        loop variant l - i;
    */
    for (size_t i = 0; i < l; i += 2u) {
        uint16_t v = wire_rd16(b + d + 1u + i);
        if (v == TLS_VERSION_13)
            has13 = 1;
        if (v >= 0x0300u && v <= TLS_VERSION_13 && v > max)
            max = v;
    }
    out->max_version = max;
    out->offers_tls13 = has13;
    return 0;
}

/* psk_key_exchange_modes (§4.2.9): PskKeyExchangeMode ke_modes<1..255>;
 * returns the TLS_PSK_MODE_* bits of the modes we know. */
/*@ requires d + n <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (d .. d + n - 1));
    assigns \nothing;
    ensures \result == TLS_E_DECODE || 0 <= \result <= 3;
*/
static int ch_psk_modes(const uint8_t *b, size_t d, size_t n)
{
    if (n < 2u || b[d] != n - 1u)
        return TLS_E_DECODE;
    int ke = 0, dhe = 0;
    /*@ loop invariant 1 <= i <= n;
        loop invariant 0 <= ke <= 1 && 0 <= dhe <= 1;
        loop assigns i, ke, dhe;
        loop variant n - i;
    */
    for (size_t i = 1; i < n; i++) {
        if (b[d + i] == 0u)
            ke = 1;
        else if (b[d + i] == 1u)
            dhe = 1;
    }
    return ke * (int)TLS_PSK_MODE_KE + dhe * (int)TLS_PSK_MODE_DHE_KE;
}

/* record_size_limit (RFC 8449 §4): a uint16 of at least 64. */
/*@ requires d + n <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (d .. d + n - 1));
    requires \valid(out);
    requires \separated(b + (d .. d + n - 1), out);
    assigns out->record_size_limit;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL;
    ensures \result == 0 ==> out->record_size_limit >= 64;
*/
static int ch_rsl(const uint8_t *b, size_t d, size_t n, struct tls_client_hello *out)
{
    int v = tls_ext_u16(b, d, n);
    if (v < 0)
        return v;
    if (v < 64)
        return TLS_E_ILLEGAL;
    out->record_size_limit = (uint16_t)v;
    return 0;
}

/* One extension: type t, header at p, data b[p+4 .. p+4+n-1]. Extensions
 * not allowed in a ClientHello (§4.2 table: oid_filters) are
 * illegal_parameter; unknown ones are skipped. key_share, ALPN and
 * pre_shared_key are only located here (see the top of this file). */
/*@ requires p + 4 + n <= len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(out);
    requires \separated(b + (0 .. len - 1), out);
    requires ch_ext_inv(out, len);
    assigns out->server_name, out->groups, out->sig_algs, out->sig_algs_cert, out->key_shares, out->alpn,
            out->psk_identities, out->record_size_limit, out->early_data, out->max_version,
            out->offers_tls13, out->cookie, out->psk_modes;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL;
    ensures \result == 0 ==> ch_ext_inv(out, len);
    ensures \result == 0 && t == TLS_EXT_PRE_SHARED_KEY ==>
            out->psk_identities.off == p && out->psk_identities.len == n + 4;
    ensures t != TLS_EXT_PRE_SHARED_KEY ==> out->psk_identities.off == \old(out->psk_identities.off)
            && out->psk_identities.len == \old(out->psk_identities.len);
*/
static int ch_ext(const uint8_t *b, size_t len, uint16_t t, size_t p, size_t n, struct tls_client_hello *out)
{
    (void)len; /* the body size: named by the contract only */
    size_t d = p + 4u;
    int r = 0;
    if (t == TLS_EXT_SERVER_NAME) {
        r = ch_sni(b, d, n, &out->server_name);
    } else if (t == TLS_EXT_SUPPORTED_GROUPS) {
        r = tls_vec16(b, d, n, 2, 1, &out->groups);
    } else if (t == TLS_EXT_SIGNATURE_ALGORITHMS) {
        r = tls_vec16(b, d, n, 2, 1, &out->sig_algs);
    } else if (t == TLS_EXT_SIGNATURE_ALGORITHMS_CERT) {
        r = tls_vec16(b, d, n, 2, 1, &out->sig_algs_cert);
    } else if (t == TLS_EXT_KEY_SHARE) {
        out->key_shares.off = (uint32_t)p;
        out->key_shares.len = (uint32_t)(n + 4u);
    } else if (t == TLS_EXT_ALPN) {
        out->alpn.off = (uint32_t)p;
        out->alpn.len = (uint32_t)(n + 4u);
    } else if (t == TLS_EXT_PRE_SHARED_KEY) {
        out->psk_identities.off = (uint32_t)p;
        out->psk_identities.len = (uint32_t)(n + 4u);
    } else if (t == TLS_EXT_RECORD_SIZE_LIMIT) {
        r = ch_rsl(b, d, n, out);
    } else if (t == TLS_EXT_EARLY_DATA) {
        if (n != 0u)
            r = TLS_E_DECODE; /* empty in a ClientHello (§4.2.10) */
        else
            out->early_data = 1;
    } else if (t == TLS_EXT_SUPPORTED_VERSIONS) {
        r = ch_versions(b, d, n, out);
    } else if (t == TLS_EXT_COOKIE) {
        r = tls_vec16(b, d, n, 1, 0, &out->cookie); /* opaque cookie<1..2^16-1> */
    } else if (t == TLS_EXT_PSK_KEY_EXCHANGE_MODES) {
        int m = ch_psk_modes(b, d, n);
        if (m < 0)
            r = m;
        else
            out->psk_modes = (uint8_t)m;
    } else if (t == TLS_EXT_POST_HANDSHAKE_AUTH) {
        if (n != 0u)
            r = TLS_E_DECODE; /* empty (§4.2.6) */
    } else if (t == TLS_EXT_OID_FILTERS) {
        r = TLS_E_ILLEGAL; /* CertificateRequest only */
    }
    return r;
}

/* Is any tag repeated among the items b[s .. e-1], each tag(2) len(2)
 * body(len)? The walk stops at the first item that does not fit (the
 * caller has checked the framing or reports it). */
/*@ requires s <= e <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (s .. e - 1));
    assigns \nothing;
    ensures \result == 0 || \result == TLS_E_ILLEGAL;
*/
static int tag_dups(const uint8_t *b, size_t s, size_t e)
{
    uint32_t m[DUP_WORDS];
    /*@ loop invariant 0 <= r <= DUP_PASSES;
        loop assigns r, m[0 .. DUP_WORDS - 1];
        loop variant DUP_PASSES - r;
    */
    for (size_t r = 0; r < DUP_PASSES; r++) {
        int used = 0;
        size_t p = s;
        /*@ loop invariant s <= p <= e;
            loop assigns p, used, m[0 .. DUP_WORDS - 1];
            loop variant e - p;
        */
        while (e - p >= 4u) {
            size_t t = wire_rd16(b + p);
            size_t n = wire_rd16(b + p + 2);
            if (t / DUP_BITS == r) {
                size_t k = t % DUP_BITS;
                if (used == 0) {
                    /*@ loop invariant 0 <= w <= DUP_WORDS;
                        loop assigns w, m[0 .. DUP_WORDS - 1];
                        loop variant DUP_WORDS - w;
                    */
                    for (size_t w = 0; w < DUP_WORDS; w++)
                        m[w] = 0;
                    used = 1;
                }
                if ((m[k / 32u] & dup_bit[k % 32u]) != 0u)
                    return TLS_E_ILLEGAL;
                m[k / 32u] = m[k / 32u] | dup_bit[k % 32u];
            }
            if (n > e - p - 4u)
                break;
            p = p + 4u + n;
        }
    }
    return 0;
}

/* ext_seen from the table of extension types seen. */
/*@ requires \valid_read(seen + (0 .. TLS_EXT_TRACK - 1));
    requires \forall integer k; 0 <= k < TLS_EXT_TRACK ==> seen[k] <= 1;
    assigns \nothing;
    ensures \result <= 8191;
*/
static uint32_t ch_seen_bits(const uint8_t *seen)
{
    /* The TLS_SEEN_* values of msg.h, as arithmetic. */
    return seen[TLS_EXT_SERVER_NAME] * 1u + seen[TLS_EXT_SUPPORTED_GROUPS] * 2u
           + seen[TLS_EXT_SIGNATURE_ALGORITHMS] * 4u + seen[TLS_EXT_ALPN] * 8u
           + seen[TLS_EXT_RECORD_SIZE_LIMIT] * 16u + seen[TLS_EXT_PRE_SHARED_KEY] * 32u
           + seen[TLS_EXT_EARLY_DATA] * 64u + seen[TLS_EXT_SUPPORTED_VERSIONS] * 128u
           + seen[TLS_EXT_COOKIE] * 256u + seen[TLS_EXT_PSK_KEY_EXCHANGE_MODES] * 512u
           + seen[TLS_EXT_KEY_SHARE] * 1024u + seen[TLS_EXT_SIGNATURE_ALGORITHMS_CERT] * 2048u
           + seen[TLS_EXT_POST_HANDSHAKE_AUTH] * 4096u;
}

/* The extension list b[start .. len-1] (its 2-byte length already checked
 * to match): framing, duplicates (§4.2: "MUST NOT be more than one
 * extension of the same type"), pre_shared_key last (§4.2.11), then each
 * extension. */
/*@ requires 0 < start <= len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(out);
    requires \separated(b + (0 .. len - 1), out);
    requires ch_ext_inv(out, len);
    requires out->psk_identities.len == 0;
    assigns out->ext_seen, out->server_name, out->groups, out->sig_algs, out->sig_algs_cert,
            out->key_shares, out->alpn, out->psk_identities, out->record_size_limit, out->early_data,
            out->max_version, out->offers_tls13, out->cookie, out->psk_modes;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL;
    ensures \result == 0 ==> ch_ext_inv(out, len);
    ensures \result == 0 && out->psk_identities.len != 0 ==>
            out->psk_identities.off + out->psk_identities.len == len;
*/
static int ch_extensions(const uint8_t *b, size_t len, size_t start, struct tls_client_hello *out)
{
    uint8_t seen[TLS_EXT_TRACK];
    tls_zero(seen, TLS_EXT_TRACK);
    size_t p = start;
    int psk_seen = 0;
    /*@ loop invariant start <= p <= len;
        loop invariant ch_ext_inv(out, len);
        loop invariant \forall integer k; 0 <= k < TLS_EXT_TRACK ==> seen[k] <= 1;
        loop invariant psk_seen == 0 || psk_seen == 1;
        loop invariant psk_seen == 0 ==> out->psk_identities.len == 0;
        loop invariant psk_seen == 1 ==> out->psk_identities.off + out->psk_identities.len == p;
        loop assigns p, psk_seen, seen[0 .. TLS_EXT_TRACK - 1], out->server_name, out->groups,
                out->sig_algs, out->sig_algs_cert, out->key_shares, out->alpn, out->psk_identities,
                out->record_size_limit, out->early_data, out->max_version, out->offers_tls13,
                out->cookie, out->psk_modes;
        loop variant len - p;
    */
    while (p < len) {
        if (len - p < 4u)
            return TLS_E_DECODE;
        uint16_t t = wire_rd16(b + p);
        size_t n = wire_rd16(b + p + 2);
        if (n > len - p - 4u)
            return TLS_E_DECODE;
        if (psk_seen != 0)
            return TLS_E_ILLEGAL; /* a well-framed extension after pre_shared_key */
        if (t < TLS_EXT_TRACK) {
            if (seen[t] != 0u)
                return TLS_E_ILLEGAL;
            seen[t] = 1;
        }
        int r = ch_ext(b, len, t, p, n, out);
        if (r < 0)
            return r;
        if (t == TLS_EXT_PRE_SHARED_KEY)
            psk_seen = 1;
        p = p + 4u + n;
    }
    /* seen[] covers the types we act on; this covers every type. */
    int d = tag_dups(b, start, len);
    if (d < 0)
        return d;
    out->ext_seen = ch_seen_bits(seen);
    return 0;
}

/* key_share (§4.2.8): KeyShareEntry client_shares<0..2^16-1>, each
 * group(2) key_exchange<1..2^16-1>; a group twice is illegal_parameter
 * ("Clients MUST NOT offer multiple KeyShareEntry values for the same
 * group"). Shares for groups we do not know are kept like the others:
 * the engine skips them, however many there are. */
/*@ requires tls_span_in(raw, len) && (raw.len == 0 || raw.len >= 4);
    requires len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(ks);
    requires \separated(b + (0 .. len - 1), ks);
    assigns *ks;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL;
    ensures \result == 0 ==> tls_span_in(*ks, len) && tls_ks_list(b, ks->off, ks->off + ks->len);
*/
static int ch_key_shares(const uint8_t *b, size_t len, struct tls_span raw, struct tls_span *ks)
{
    (void)len; /* the body size: named by the contract only */
    if (raw.len == 0u) {
        ks->off = 0;
        ks->len = 0;
        return 0;
    }
    size_t d = (size_t)raw.off + 4u, n = raw.len - 4u;
    if (n < 2u || wire_rd16(b + d) != n - 2u)
        return TLS_E_DECODE;
    size_t start = d + 2u, end = d + n, p = start;
    /*@ loop invariant start <= p <= end;
        loop invariant tls_ks_list(b, p, end) ==> tls_ks_list(b, start, end);
        loop assigns p;
        loop variant end - p;
    */
    while (p < end) {
        if (end - p < 4u)
            return TLS_E_DECODE;
        size_t kl = wire_rd16(b + p + 2);
        if (kl == 0u || kl > end - p - 4u)
            return TLS_E_DECODE;
        p = p + 4u + kl;
    }
    if (tag_dups(b, start, end) != 0)
        return TLS_E_ILLEGAL;
    ks->off = (uint32_t)start;
    ks->len = (uint32_t)(n - 2u);
    return 0;
}

/* application_layer_protocol_negotiation (RFC 7301 §3.1): ProtocolNameList
 * protocol_name_list<2..2^16-1>, ProtocolName opaque<1..2^8-1> ("Empty
 * strings MUST NOT be included"). */
/*@ requires tls_span_in(raw, len) && (raw.len == 0 || raw.len >= 4);
    requires len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(s);
    requires \separated(b + (0 .. len - 1), s);
    assigns *s;
    ensures \result == 0 || \result == TLS_E_DECODE;
    ensures \result == 0 ==> tls_span_in(*s, len) && tls_name8_list(b, s->off, s->off + s->len);
*/
static int ch_alpn(const uint8_t *b, size_t len, struct tls_span raw, struct tls_span *s)
{
    (void)len; /* the body size: named by the contract only */
    if (raw.len == 0u) {
        s->off = 0;
        s->len = 0;
        return 0;
    }
    size_t d = (size_t)raw.off + 4u, n = raw.len - 4u;
    if (n < 4u || wire_rd16(b + d) != n - 2u)
        return TLS_E_DECODE; /* at least one name of at least one byte */
    size_t start = d + 2u, end = d + n, p = start;
    /*@ loop invariant start <= p <= end;
        loop invariant tls_name8_list(b, p, end) ==> tls_name8_list(b, start, end);
        loop assigns p;
        loop variant end - p;
    */
    while (p < end) {
        size_t l = b[p];
        if (l == 0u || l > end - p - 1u)
            return TLS_E_DECODE;
        p = p + 1u + l;
    }
    s->off = (uint32_t)start;
    s->len = (uint32_t)(n - 2u);
    return 0;
}

/* PskIdentity identities<7..2^16-1> (§4.2.11) at b[s .. e-1]: their
 * number, each identity<1..2^16-1> then a 4-byte obfuscated_ticket_age. */
/*@ requires s <= e <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (s .. e - 1));
    assigns \nothing;
    ensures \result == TLS_E_DECODE || 0 <= \result <= (e - s) / 7;
    ensures \result >= 0 ==> tls_psk_ids(b, s, e, \result);
*/
static int psk_identities(const uint8_t *b, size_t s, size_t e)
{
    size_t p = s;
    int k = 0;
    /*@ loop invariant s <= p <= e;
        loop invariant 0 <= 7 * k <= p - s;
        loop invariant \forall integer m; m >= 0 && tls_psk_ids(b, p, e, m) ==> tls_psk_ids(b, s, e, m + k);
        loop assigns p, k;
        loop variant e - p;
    */
    while (p < e) {
        if (e - p < 2u)
            return TLS_E_DECODE;
        size_t l = wire_rd16(b + p);
        if (l == 0u || e - p - 2u < 4u || l > e - p - 6u)
            return TLS_E_DECODE;
        /* One unfolding of the list predicate, stated (see ct_list in msg_cert.c). */
        /*@ assert psk_step: \forall integer m;
                m >= 0 && tls_psk_ids(b, p + 6 + l, e, m) ==> tls_psk_ids(b, p, e, m + 1); */
        p = p + 6u + l;
        k++;
    }
    //@ assert psk_end: tls_psk_ids(b, p, e, 0);
    return k;
}

/* PskBinderEntry binders<33..2^16-1> at b[s .. e-1]: their number, each
 * opaque<32..255>. */
/*@ requires s <= e <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (s .. e - 1));
    assigns \nothing;
    ensures \result == TLS_E_DECODE || 0 <= \result <= (e - s) / 33;
    ensures \result >= 0 ==> tls_binders(b, s, e, \result);
*/
static int psk_binders(const uint8_t *b, size_t s, size_t e)
{
    size_t p = s;
    int k = 0;
    /*@ loop invariant s <= p <= e;
        loop invariant 0 <= 33 * k <= p - s;
        loop invariant \forall integer m; m >= 0 && tls_binders(b, p, e, m) ==> tls_binders(b, s, e, m + k);
        loop assigns p, k;
        loop variant e - p;
    */
    while (p < e) {
        size_t l = b[p];
        if (l < 32u || l > e - p - 1u)
            return TLS_E_DECODE;
        /*@ assert binder_step: \forall integer m;
                m >= 0 && tls_binders(b, p + 1 + l, e, m) ==> tls_binders(b, p, e, m + 1); */
        p = p + 1u + l;
        k++;
    }
    //@ assert binder_end: tls_binders(b, p, e, 0);
    return k;
}

/* pre_shared_key (§4.2.11): OfferedPsks { identities<7..2^16-1>;
 * binders<33..2^16-1> }, as many binders as identities (illegal_parameter
 * otherwise). raw is the whole extension, the last of the ClientHello. */
/*@ requires tls_span_in(raw, len) && (raw.len == 0 || raw.len >= 4);
    requires raw.len != 0 ==> raw.off + raw.len == len;
    requires len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(out);
    requires \separated(b + (0 .. len - 1), out);
    assigns out->psk_identities, out->psk_binders, out->psk_count, out->binders_off;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL;
    ensures \result == 0 ==> tls_span_in(out->psk_identities, len) && tls_span_in(out->psk_binders, len)
            && tls_psk_ids(b, out->psk_identities.off, out->psk_identities.off + out->psk_identities.len,
                           out->psk_count)
            && tls_binders(b, out->psk_binders.off, out->psk_binders.off + out->psk_binders.len, out->psk_count)
            && (out->psk_count > 0 ==> out->binders_off + 2 == out->psk_binders.off
                                       && out->psk_binders.off + out->psk_binders.len == len);
*/
static int ch_psk(const uint8_t *b, size_t len, struct tls_span raw, struct tls_client_hello *out)
{
    (void)len; /* the body size: named by the contract only */
    if (raw.len == 0u) {
        out->psk_identities.off = 0;
        out->psk_identities.len = 0;
        out->psk_binders.off = 0;
        out->psk_binders.len = 0;
        out->psk_count = 0;
        out->binders_off = 0;
        return 0;
    }
    size_t d = (size_t)raw.off + 4u, n = raw.len - 4u;
    if (n < 2u)
        return TLS_E_DECODE;
    size_t l1 = wire_rd16(b + d);
    if (l1 < 7u || l1 > n - 2u || n - 2u - l1 < 2u)
        return TLS_E_DECODE;
    size_t bo = d + 2u + l1;
    size_t l2 = wire_rd16(b + bo);
    if (l2 < 33u || l2 != n - 4u - l1)
        return TLS_E_DECODE;
    int ki = psk_identities(b, d + 2u, bo);
    if (ki < 0)
        return ki;
    int kb = psk_binders(b, bo + 2u, bo + 2u + l2);
    if (kb < 0)
        return kb;
    if (ki != kb)
        return TLS_E_ILLEGAL;
    out->psk_identities.off = (uint32_t)(d + 2u);
    out->psk_identities.len = (uint32_t)l1;
    out->psk_binders.off = (uint32_t)(bo + 2u);
    out->psk_binders.len = (uint32_t)l2;
    out->psk_count = (uint16_t)ki;
    out->binders_off = (uint32_t)bo;
    return 0;
}

/* Everything but the three lists: the fixed part, the compression methods
 * and the extension walk. */
/*@ requires len <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (0 .. len - 1));
    requires \valid(out);
    requires \separated(b + (0 .. len - 1), out);
    assigns *out;
    ensures \result == 0 || \result == TLS_E_DECODE || \result == TLS_E_ILLEGAL || \result == TLS_E_VERSION;
    ensures \result == 0 ==> ch_ext_inv(out, len) && out->session_id_len <= 32
            && tls_u16_list(out->suites, len) && out->suites.len >= 2;
    ensures \result == 0 ==> out->psk_modes <= 3 && (out->record_size_limit == 0 || out->record_size_limit >= 64);
    ensures \result == 0 && out->psk_identities.len != 0 ==>
            out->psk_identities.off + out->psk_identities.len == len;
*/
static int ch_walk(const uint8_t *b, size_t len, struct tls_client_hello *out)
{
    int h = ch_head(b, len, out);
    if (h < 0)
        return h;
    /* legacy_compression_methods<1..2^8-1> */
    size_t c = (size_t)h;
    if (c >= len)
        return TLS_E_DECODE;
    size_t nc = b[c];
    if (nc == 0u || nc > len - c - 1u)
        return TLS_E_DECODE;
    int null_only = nc == 1u && b[c + 1u] == 0u;
    size_t e = c + 1u + nc;
    ch_clear(out, len);
    /* No bytes after the compression methods: no extensions (§4.1.2). */
    if (e < len) {
        if (len - e < 2u || wire_rd16(b + e) != len - e - 2u)
            return TLS_E_DECODE;
        int r = ch_extensions(b, len, e + 2u, out);
        if (r < 0)
            return r;
    }
    /* §4.1.2: a TLS 1.3 ClientHello has exactly the null method; for an
     * older one the engine answers protocol_version instead. */
    if (out->offers_tls13 != 0u && null_only == 0)
        return TLS_E_ILLEGAL;
    return 0;
}

int tls_client_hello_parse(const uint8_t *body, size_t len, struct tls_client_hello *out)
{
    if (len > TLS_MSG_BODY_MAX)
        return TLS_E_DECODE;
    int r = ch_walk(body, len, out);
    if (r < 0)
        return r;
    /* ch_ext_inv's scalar fields, field by field: the calls below write
     * other fields, which WP tracks for fields but not through the predicate. */
    /*@ assert out->max_version <= 0x0304 && out->offers_tls13 <= 1 && out->early_data <= 1
            && out->psk_modes <= 3 && (out->record_size_limit == 0 || out->record_size_limit >= 64)
            && tls_span_in(out->server_name, len) && out->server_name.len <= 255
            && tls_span_in(out->cookie, len); */
    r = ch_key_shares(body, len, out->key_shares, &out->key_shares);
    if (r < 0)
        return r;
    r = ch_alpn(body, len, out->alpn, &out->alpn);
    if (r < 0)
        return r;
    r = ch_psk(body, len, out->psk_identities, out);
    if (r < 0)
        return r;
    return (int)len;
}
