/* SPDX-License-Identifier: Apache-2.0 */
/* ServerHello / HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4) and
 * EncryptedExtensions (§4.3.1) emitters, server side. Each computes the
 * whole length first (refusing what does not fit in cap or in a length
 * field), then writes front to back, header last. Extension order is the
 * one of the RFC 8448 traces, so those messages come out byte for byte:
 * ServerHello pre_shared_key, key_share, cookie, supported_versions;
 * EncryptedExtensions supported_groups, record_size_limit, server_name,
 * ALPN. */
#include "tls/msg_put.h"

/*@ // The size of the extensions block tls_server_hello_write emits.
    logic integer sh_ext_size{L}(struct tls_server_hello *sh) =
      6 + (sh->hrr == 0 ? (sh->psk_index >= 0 ? 6 : 0) : 0)
        + (sh->group != 0 ? (sh->hrr != 0 ? 6 : 8 + sh->key_share_len) : 0)
        + (sh->hrr != 0 ? (sh->cookie != \null ? (sh->cookie_len > 0 ? 6 + sh->cookie_len : 0) : 0) : 0);

    // The size of the extensions block tls_encrypted_extensions_write emits.
    logic integer ee_ext_size{L}(struct tls_encrypted_extensions *ee) =
      (ee->groups != \null ? 6 + ee->groups_len : 0) + (ee->record_size_limit != 0 ? 6 : 0)
      + (ee->server_name_ack != 0 ? 4 : 0) + (ee->alpn != \null ? 7 + ee->alpn_len : 0);
*/

/* legacy_version, random, legacy_session_id_echo, cipher_suite,
 * legacy_compression_method at out[4 ..]; returns the offset after them.
 * Takes the fields of the ServerHello as values (read before the first
 * write to out): a uint8_t field read after writes to out would need a
 * separation argument for each of them. */
/*@ requires sl <= 32;
    requires 4 + 38 + sl <= cap;
    requires \valid(out + (0 .. cap - 1));
    requires hrr == 0 ==> \valid_read(random + (0 .. 31));
    requires \valid_read(sid + (0 .. sl - 1));
    requires hrr == 0 ==> \separated(out + (0 .. cap - 1), random + (0 .. 31));
    requires \separated(out + (0 .. cap - 1), sid + (0 .. sl - 1));
    assigns out[4 .. 4 + 38 + sl - 1];
    ensures \result == 4 + 38 + sl;
    ensures BE16(out + 4) == 0x0303;
    ensures hrr != 0 ==> tls_is_hrr_random(out + 6);
*/
static size_t sh_fixed(uint8_t *out, size_t cap, int hrr, const uint8_t *random, const uint8_t *sid, size_t sl,
                       uint16_t suite)
{
    size_t p = put16(out, cap, 4, TLS_VERSION_12);
    if (hrr != 0) {
        /*@ loop invariant 0 <= i <= 32;
            loop invariant \forall integer k; 0 <= k < i ==> out[6 + k] == TLS_HRR_RANDOM(k);
            loop assigns i, out[6 .. 37];
            loop variant 32 - i;
        */
        for (size_t i = 0; i < 32u; i++)
            out[6u + i] = tls_hrr_random(i);
    } else {
        wire_copy(out + 6, random, 32);
    }
    p = p + 32u;
    out[p] = (uint8_t)sl;
    p = put_bytes(out, cap, p + 1u, sid, sl);
    p = put16(out, cap, p, suite);
    out[p] = 0; /* legacy_compression_method */
    return p + 1u;
}

/* The length of the extensions block, or 0 when a field does not fit its
 * length field. */
/*@ requires \valid_read(sh);
    assigns \nothing;
    ensures \result == 0 || (\result == sh_ext_size(sh) && 6 <= \result <= 65535);
    ensures \result != 0 ==> (sh->hrr == 0 && sh->psk_index >= 0 ==> sh->psk_index <= 65535)
            && (sh->hrr == 0 && sh->group != 0 ==> 1 <= sh->key_share_len <= 65531)
            && (sh->hrr != 0 && sh->cookie != \null && sh->cookie_len > 0 ==> sh->cookie_len <= 65533);
*/
static size_t sh_ext_len(const struct tls_server_hello *sh)
{
    size_t ext = 6; /* supported_versions */
    if (sh->hrr == 0 && sh->psk_index >= 0) {
        if (sh->psk_index > 65535)
            return 0;
        ext += 6;
    }
    if (sh->group != 0u) {
        if (sh->hrr != 0) {
            ext += 6;
        } else {
            /* key_exchange<1..2^16-1> inside extension_data of at most 2^16-1 */
            if (sh->key_share_len == 0u || sh->key_share_len > 65531u)
                return 0;
            ext += 8u + sh->key_share_len;
        }
    }
    if (sh->hrr != 0 && sh->cookie != NULL && sh->cookie_len > 0u) {
        if (sh->cookie_len > 65533u)
            return 0;
        ext += 6u + sh->cookie_len;
    }
    if (ext > 65535u)
        return 0;
    return ext;
}

int tls_server_hello_write(uint8_t *out, size_t cap, const struct tls_server_hello *sh)
{
    size_t sl = sh->session_id_len;
    int hrr = sh->hrr;
    const uint8_t *sid = sh->session_id;
    uint16_t suite = sh->suite;
    if (sl > 32u)
        return TLS_MSG_E_SPACE;
    size_t ext = sh_ext_len(sh);
    if (ext == 0u)
        return TLS_MSG_E_SPACE;
    size_t total = 4u + 38u + sl + 2u + ext;
    if (total > cap)
        return TLS_MSG_E_SPACE;
    /* The extensions first, then the fixed part and the header: what the
     * contract says of out[0 .. 37] then only has to survive the header
     * write (the regions are disjoint, so the bytes are the same). */
    size_t p = put16(out, cap, 4u + 38u + sl, (uint16_t)ext);
    if (sh->hrr == 0 && sh->psk_index >= 0)
        p = put_ext_u16(out, cap, p, TLS_EXT_PRE_SHARED_KEY, (uint16_t)sh->psk_index);
    if (sh->group != 0u) {
        if (sh->hrr != 0) {
            p = put_ext_u16(out, cap, p, TLS_EXT_KEY_SHARE, sh->group);
        } else {
            size_t kl = sh->key_share_len;
            p = put16(out, cap, p, TLS_EXT_KEY_SHARE);
            p = put16(out, cap, p, (uint16_t)(kl + 4u));
            p = put16(out, cap, p, sh->group);
            p = put16(out, cap, p, (uint16_t)kl);
            p = put_bytes(out, cap, p, sh->key_share, kl);
        }
    }
    if (sh->hrr != 0 && sh->cookie != NULL && sh->cookie_len > 0u) {
        size_t cl = sh->cookie_len;
        p = put16(out, cap, p, TLS_EXT_COOKIE);
        p = put16(out, cap, p, (uint16_t)(cl + 2u));
        p = put16(out, cap, p, (uint16_t)cl);
        p = put_bytes(out, cap, p, sh->cookie, cl);
    }
    p = put_ext_u16(out, cap, p, TLS_EXT_SUPPORTED_VERSIONS, TLS_VERSION_13);
    //@ assert p == total;
    p = sh_fixed(out, cap, hrr, sh->random, sid, sl, suite);
    tls_put_hs_header(out, TLS_HS_SERVER_HELLO, total - 4u);
    return (int)total;
}

/* The length of the EncryptedExtensions extensions block, or -1 when a
 * field does not fit its length field. */
/*@ requires \valid_read(ee);
    assigns \nothing;
    ensures \result == -1 || (\result == ee_ext_size(ee) && 0 <= \result <= 65535);
    ensures \result != -1 ==> (ee->groups != \null ==> 2 <= ee->groups_len <= 65529)
            && (ee->alpn != \null ==> 1 <= ee->alpn_len <= 255);
*/
static long ee_ext_len(const struct tls_encrypted_extensions *ee)
{
    size_t ext = 0;
    if (ee->groups != NULL) {
        /* NamedGroup named_group_list<2..2^16-1>, whole items */
        if (ee->groups_len < 2u || ee->groups_len % 2u != 0u || ee->groups_len > 65529u)
            return -1;
        ext += 6u + ee->groups_len;
    }
    if (ee->record_size_limit != 0u)
        ext += 6u;
    if (ee->server_name_ack != 0)
        ext += 4u;
    if (ee->alpn != NULL) {
        /* one ProtocolName<1..2^8-1> */
        if (ee->alpn_len == 0u || ee->alpn_len > 255u)
            return -1;
        ext += 7u + ee->alpn_len;
    }
    if (ext > 65535u)
        return -1;
    return (long)ext;
}

int tls_encrypted_extensions_write(uint8_t *out, size_t cap, const struct tls_encrypted_extensions *ee)
{
    long el = ee_ext_len(ee);
    if (el < 0)
        return TLS_MSG_E_SPACE;
    size_t ext = (size_t)el;
    if (cap < 6u || ext > cap - 6u)
        return TLS_MSG_E_SPACE;
    size_t p = 6; /* the block's length field (out[4 .. 5]) is written last */
    if (ee->groups != NULL) {
        size_t gl = ee->groups_len;
        p = put16(out, cap, p, TLS_EXT_SUPPORTED_GROUPS);
        p = put16(out, cap, p, (uint16_t)(gl + 2u));
        p = put16(out, cap, p, (uint16_t)gl);
        p = put_bytes(out, cap, p, ee->groups, gl);
    }
    if (ee->record_size_limit != 0u)
        p = put_ext_u16(out, cap, p, TLS_EXT_RECORD_SIZE_LIMIT, ee->record_size_limit);
    if (ee->server_name_ack != 0) {
        p = put16(out, cap, p, TLS_EXT_SERVER_NAME);
        p = put16(out, cap, p, 0);
    }
    if (ee->alpn != NULL) {
        size_t al = ee->alpn_len;
        p = put16(out, cap, p, TLS_EXT_ALPN);
        p = put16(out, cap, p, (uint16_t)(al + 3u));
        p = put16(out, cap, p, (uint16_t)(al + 1u));
        out[p] = (uint8_t)al;
        p = put_bytes(out, cap, p + 1u, ee->alpn, al);
    }
    //@ assert p == 6 + ext;
    (void)put16(out, cap, 4, (uint16_t)ext);
    tls_put_hs_header(out, TLS_HS_ENCRYPTED_EXTENSIONS, ext + 2u);
    return (int)(ext + 6u);
}
