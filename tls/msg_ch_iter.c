/* SPDX-License-Identifier: Apache-2.0 */
/* Iterators over the validated spans of a parsed ClientHello. Each one
 * requires the list predicate tls_client_hello_parse ensures
 * (spec/tls_msg.acsl.h), which is what makes them safe without checking
 * any length again: one unfolding of the predicate per entry. */
#include "tls/msg_wire.h"

int tls_span_has_u16(const uint8_t *body, struct tls_span s, uint16_t v)
{
    size_t n = s.len / 2u;
    /*@ loop invariant 0 <= k <= n;
        loop invariant \forall integer j; 0 <= j < k ==> BE16(body + s.off + 2 * j) != v;
        loop assigns k;
        loop variant n - k;
    */
    for (size_t k = 0; k < n; k++)
        if (wire_rd16(body + s.off + 2u * k) == v)
            return 1;
    //@ assert n_bound: \forall integer j; 0 <= j && 2 * j + 2 <= s.len ==> j < n;
    return 0;
}

int tls_ch_key_share(const uint8_t *body, const struct tls_client_hello *ch, uint16_t group, struct tls_span *key)
{
    size_t p = ch->key_shares.off, end = (size_t)ch->key_shares.off + ch->key_shares.len;
    /*@ loop invariant ch->key_shares.off <= p <= end;
        loop invariant tls_ks_list(body, p, end);
        loop assigns p;
        loop variant end - p;
    */
    while (p < end) {
        size_t kl = wire_rd16(body + p + 2);
        if (wire_rd16(body + p) == group) {
            key->off = (uint32_t)(p + 4u);
            key->len = (uint32_t)kl;
            return 1;
        }
        p = p + 4u + kl;
    }
    return 0;
}

/* Are the l bytes at a and b equal? */
/*@ requires \valid_read(a + (0 .. l - 1)) && \valid_read(b + (0 .. l - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
*/
static int same_bytes(const uint8_t *a, const uint8_t *b, size_t l)
{
    /*@ loop invariant 0 <= i <= l;
        loop assigns i;
        loop variant l - i;
    */
    for (size_t i = 0; i < l; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

int tls_ch_offers_alpn(const uint8_t *body, const struct tls_client_hello *ch, const uint8_t *name, size_t name_len)
{
    if (name_len == 0u || name_len > 255u)
        return 0;
    size_t p = ch->alpn.off, end = (size_t)ch->alpn.off + ch->alpn.len;
    /*@ loop invariant ch->alpn.off <= p <= end;
        loop invariant tls_name8_list(body, p, end);
        loop assigns p;
        loop variant end - p;
    */
    while (p < end) {
        size_t l = body[p];
        if (l == name_len && same_bytes(body + p + 1, name, l) != 0)
            return 1;
        p = p + 1u + l;
    }
    return 0;
}

/* The offset of identity entry i (< the count the predicate names). */
/*@ requires s <= e <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (s .. e - 1));
    requires tls_psk_ids(b, s, e, n);
    requires i < n;
    assigns \nothing;
    ensures s <= \result && \result + 6 + BE16(b + \result) <= e && BE16(b + \result) >= 1;
*/
static size_t psk_id_at(const uint8_t *b, size_t s, size_t e, size_t n, size_t i)
{
    (void)e; /* the list end and count: named by the contract only */
    (void)n;
    size_t p = s;
    /*@ loop invariant 0 <= k <= i;
        loop invariant s <= p <= e;
        loop invariant tls_psk_ids(b, p, e, n - k);
        loop assigns k, p;
        loop variant i - k;
    */
    for (size_t k = 0; k < i; k++)
        p = p + 6u + wire_rd16(b + p);
    return p;
}

/* The offset of binder entry i (< the count the predicate names). */
/*@ requires s <= e <= TLS_MSG_BODY_MAX;
    requires \valid_read(b + (s .. e - 1));
    requires tls_binders(b, s, e, n);
    requires i < n;
    assigns \nothing;
    ensures s <= \result && \result + 1 + b[\result] <= e && b[\result] >= 32;
*/
static size_t binder_at(const uint8_t *b, size_t s, size_t e, size_t n, size_t i)
{
    (void)e; /* the list end and count: named by the contract only */
    (void)n;
    size_t p = s;
    /*@ loop invariant 0 <= k <= i;
        loop invariant s <= p <= e;
        loop invariant tls_binders(b, p, e, n - k);
        loop assigns k, p;
        loop variant i - k;
    */
    for (size_t k = 0; k < i; k++)
        p = p + 1u + b[p];
    return p;
}

int tls_ch_psk(const uint8_t *body, const struct tls_client_hello *ch, uint16_t i, struct tls_span *identity,
               uint32_t *obfuscated_age, struct tls_span *binder)
{
    size_t n = ch->psk_count;
    if (i >= n)
        return 0;
    size_t is = ch->psk_identities.off, ie = is + ch->psk_identities.len;
    size_t bs = ch->psk_binders.off, be = bs + ch->psk_binders.len;
    size_t p = psk_id_at(body, is, ie, n, i);
    size_t q = binder_at(body, bs, be, n, i);
    size_t il = wire_rd16(body + p);
    identity->off = (uint32_t)(p + 2u);
    identity->len = (uint32_t)il;
    *obfuscated_age = wire_rd32(body + p + 2u + il);
    binder->off = (uint32_t)(q + 1u);
    binder->len = body[q];
    return 1;
}
