/* SPDX-License-Identifier: Apache-2.0 */
/* The key schedule (tls/keysched.h) against RFC 8448: §3 (a full 1-RTT
 * handshake: every secret, traffic key and Finished from the transcript
 * hashes computed here over the trace's messages, the server's flight
 * decrypted, its CertificateVerify checked) and §4 (resumption PSK from the
 * ticket nonce, binder key and binder). SHA-384 and KeyUpdate values come
 * from openssl's independent TLS13-KDF (`openssl kdf ... TLS13-KDF`). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tls/keysched.h"
#include "tls/record.h"
#include "rfc8448.h"
#include "tls_testutil.h"

static struct atoll_tls_crypto C;
static struct tls_test_state ST;

static int setup(void **state)
{
    (void)state;
    tls_test_crypto(&C, &ST, 0x11);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tls_test_crypto_free(&ST);
    return 0;
}

static void expect_hex(const uint8_t *got, size_t n, const char *hex)
{
    uint8_t want[64];
    assert_int_equal(unhex(hex, want, sizeof want), n);
    assert_memory_equal(got, want, n);
}

/* The §3 transcript, message by message. */
struct trace {
    uint8_t ch[196], sh[90], ee[40], cert[445], cv[136], sf[36], cf[36];
};

/* The traffic state's expanded key is the one the hex names: both seal a
 * block to the same bytes (the expansion itself is the backend's). */
static void expect_key(struct tls_traffic *t, const char *hex)
{
    uint8_t raw[32], nonce[12] = {0}, pt[32] = {1, 2, 3}, a[48], b[48];
    size_t n = unhex(hex, raw, sizeof raw);
    assert_int_equal(n, atoll_tls_aead_key_len(t->aead));
    struct atoll_tls_aead_ctx want;
    memset(&want, 0, sizeof want);
    assert_int_equal(C.ops->aead_init(&want, t->aead, raw), 0);
    assert_int_equal(C.ops->aead_seal(&want, nonce, NULL, 0, pt, sizeof pt, a), 0);
    assert_int_equal(C.ops->aead_seal(&t->key, nonce, NULL, 0, pt, sizeof pt, b), 0);
    assert_memory_equal(a, b, sizeof a);
    C.ops->aead_wipe(&want);
}

static void load_trace(struct trace *t)
{
    assert_int_equal(unhex(RFC8448_S3_CLIENT_HELLO, t->ch, sizeof t->ch), sizeof t->ch);
    assert_int_equal(unhex(RFC8448_S3_SERVER_HELLO, t->sh, sizeof t->sh), sizeof t->sh);
    assert_int_equal(unhex(RFC8448_S3_ENCRYPTED_EXTENSIONS, t->ee, sizeof t->ee), sizeof t->ee);
    assert_int_equal(unhex(RFC8448_S3_CERTIFICATE, t->cert, sizeof t->cert), sizeof t->cert);
    assert_int_equal(unhex(RFC8448_S3_CERTIFICATE_VERIFY, t->cv, sizeof t->cv), sizeof t->cv);
    assert_int_equal(unhex(RFC8448_S3_SERVER_FINISHED, t->sf, sizeof t->sf), sizeof t->sf);
    assert_int_equal(unhex(RFC8448_S3_CLIENT_FINISHED, t->cf, sizeof t->cf), sizeof t->cf);
}

/* Everything the §3 schedule derives, computed through the API. */
struct schedule {
    uint8_t dhe[32], early[32], hs[32], master[32];
    uint8_t h_sh[32], h_cv[32], h_sf[32], h_cf[32]; /* transcript hashes */
    uint8_t c_hs[32], s_hs[32], c_ap[32], s_ap[32], exp[32], res[32];
};

static void run_schedule(const struct trace *t, struct schedule *s)
{
    const struct atoll_tls_crypto_ops *o = C.ops;
    uint8_t priv[32], pub[32];
    unhex(RFC8448_S3_SERVER_X25519_PRIV, priv, 32);
    unhex(RFC8448_S3_CLIENT_X25519_PUB, pub, 32);
    size_t n;
    assert_int_equal(o->kex_shared(C.state, ATOLL_TLS_GROUP_X25519, priv, 32, pub, 32, s->dhe, &n), 0);
    assert_int_equal(n, 32);

    /* one running transcript, snapshots as the handshake reaches them */
    struct atoll_tls_hash_ctx tr;
    assert_int_equal(o->hash_init(&tr, ATOLL_TLS_HASH_SHA256), 0);
    assert_int_equal(o->hash_update(&tr, t->ch, sizeof t->ch), 0);
    assert_int_equal(o->hash_update(&tr, t->sh, sizeof t->sh), 0);
    assert_int_equal(o->hash_final(&tr, s->h_sh), 0);
    assert_int_equal(o->hash_update(&tr, t->ee, sizeof t->ee), 0);
    assert_int_equal(o->hash_update(&tr, t->cert, sizeof t->cert), 0);
    assert_int_equal(o->hash_update(&tr, t->cv, sizeof t->cv), 0);
    assert_int_equal(o->hash_final(&tr, s->h_cv), 0);
    assert_int_equal(o->hash_update(&tr, t->sf, sizeof t->sf), 0);
    assert_int_equal(o->hash_final(&tr, s->h_sf), 0);
    assert_int_equal(o->hash_update(&tr, t->cf, sizeof t->cf), 0);
    assert_int_equal(o->hash_final(&tr, s->h_cf), 0);

    assert_int_equal(tls_ks_early_secret(&C, ATOLL_TLS_HASH_SHA256, NULL, 0, s->early), 0);
    assert_int_equal(tls_ks_handshake_secret(&C, ATOLL_TLS_HASH_SHA256, s->early, s->dhe, 32, s->hs), 0);
    assert_int_equal(tls_derive_secret(&C, ATOLL_TLS_HASH_SHA256, s->hs, "c hs traffic", s->h_sh, s->c_hs), 0);
    assert_int_equal(tls_derive_secret(&C, ATOLL_TLS_HASH_SHA256, s->hs, "s hs traffic", s->h_sh, s->s_hs), 0);
    assert_int_equal(tls_ks_master_secret(&C, ATOLL_TLS_HASH_SHA256, s->hs, s->master), 0);
    assert_int_equal(tls_derive_secret(&C, ATOLL_TLS_HASH_SHA256, s->master, "c ap traffic", s->h_sf, s->c_ap), 0);
    assert_int_equal(tls_derive_secret(&C, ATOLL_TLS_HASH_SHA256, s->master, "s ap traffic", s->h_sf, s->s_ap), 0);
    assert_int_equal(tls_derive_secret(&C, ATOLL_TLS_HASH_SHA256, s->master, "exp master", s->h_sf, s->exp), 0);
    assert_int_equal(tls_derive_secret(&C, ATOLL_TLS_HASH_SHA256, s->master, "res master", s->h_cf, s->res), 0);
}

static void rfc8448_s3_secrets(void **state)
{
    (void)state;
    struct trace t;
    struct schedule s;
    load_trace(&t);
    run_schedule(&t, &s);
    expect_hex(s.dhe, 32, "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
    expect_hex(s.early, 32, "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
    uint8_t derived[32], empty[32];
    assert_int_equal(C.ops->hash(ATOLL_TLS_HASH_SHA256, (const uint8_t *)"", 0, empty), 0);
    assert_int_equal(tls_derive_secret(&C, ATOLL_TLS_HASH_SHA256, s.early, "derived", empty, derived), 0);
    expect_hex(derived, 32, "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba");
    expect_hex(s.hs, 32, "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac");
    expect_hex(s.h_sh, 32, "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
    expect_hex(s.c_hs, 32, "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21");
    expect_hex(s.s_hs, 32, "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
    assert_int_equal(tls_derive_secret(&C, ATOLL_TLS_HASH_SHA256, s.hs, "derived", empty, derived), 0);
    expect_hex(derived, 32, "43de77e0c77713859a944db9db2590b53190a65b3ee2e4f12dd7a0bb7ce254b4");
    expect_hex(s.master, 32, "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919");
    expect_hex(s.h_sf, 32, "9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13");
    expect_hex(s.c_ap, 32, "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5");
    expect_hex(s.s_ap, 32, "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643");
    expect_hex(s.exp, 32, "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50");
    expect_hex(s.h_cf, 32, "209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d");
    expect_hex(s.res, 32, "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c");
}

static void rfc8448_s3_traffic_keys(void **state)
{
    (void)state;
    struct trace t;
    struct schedule s;
    load_trace(&t);
    run_schedule(&t, &s);
    static const struct {
        size_t off;
        const char *key, *iv;
    } dirs[] = {
        {offsetof(struct schedule, s_hs), "3fce516009c21727d0f2e4e86ee403bc", "5d313eb2671276ee13000b30"},
        {offsetof(struct schedule, c_hs), "dbfaa693d1762c5b666af5d950258d01", "5bd3c71b836e0b76bb73265f"},
        {offsetof(struct schedule, s_ap), "9f02283b6c9c07efc26bb9f2ac92e356", "cf782b88dd83549aadf1e984"},
        {offsetof(struct schedule, c_ap), "17422dda596ed5d9acd890e3c63f5051", "5b78923dee08579033e523d9"},
    };
    for (size_t i = 0; i < 4; i++) {
        const uint8_t *secret = (const uint8_t *)&s + dirs[i].off;
        uint8_t key[32], iv[12];
        assert_int_equal(tls_ks_traffic_keys(&C, ATOLL_TLS_HASH_SHA256, ATOLL_TLS_AEAD_AES_128_GCM, secret, key, iv), 0);
        expect_hex(key, 16, dirs[i].key);
        expect_hex(iv, 12, dirs[i].iv);
        /* the same through the record layer's traffic state */
        struct tls_traffic tt;
        memset(&tt, 0xaa, sizeof tt);
        assert_int_equal(tls_traffic_init(&tt, &C, ATOLL_TLS_AEAD_AES_128_GCM, ATOLL_TLS_HASH_SHA256, secret), 0);
        expect_key(&tt, dirs[i].key);
        expect_hex(tt.iv, 12, dirs[i].iv);
        assert_memory_equal(tt.secret, secret, 32);
        assert_true(tt.seq == 0);
    }
}

static void rfc8448_s3_finished(void **state)
{
    (void)state;
    struct trace t;
    struct schedule s;
    load_trace(&t);
    run_schedule(&t, &s);
    uint8_t vd[32];
    assert_int_equal(tls_ks_finished(&C, ATOLL_TLS_HASH_SHA256, s.s_hs, s.h_cv, vd), 0);
    expect_hex(vd, 32, "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718");
    assert_memory_equal(vd, t.sf + 4, 32); /* the message carries it */
    assert_int_equal(tls_ks_finished(&C, ATOLL_TLS_HASH_SHA256, s.c_hs, s.h_sf, vd), 0);
    expect_hex(vd, 32, "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61");
    assert_memory_equal(vd, t.cf + 4, 32);
    /* the finished keys the RFC prints: HKDF-Expand-Label(base, "finished", "", 32) */
    uint8_t fk[32];
    assert_int_equal(tls_hkdf_expand_label(&C, ATOLL_TLS_HASH_SHA256, s.s_hs, "finished", NULL, 0, fk, 32), 0);
    expect_hex(fk, 32, "008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8");
    assert_int_equal(tls_hkdf_expand_label(&C, ATOLL_TLS_HASH_SHA256, s.c_hs, "finished", NULL, 0, fk, 32), 0);
    expect_hex(fk, 32, "b80ad01015fb2f0bd65ff7d4da5d6bf83f84821d1f87fdc7d3c75b5a7b42d9c4");
}

/* The server's protected flight, and the client's Finished record, open
 * under keys from this key schedule to the messages of the trace. */
static void rfc8448_s3_records_open_under_derived_keys(void **state)
{
    (void)state;
    struct trace t;
    struct schedule s;
    load_trace(&t);
    run_schedule(&t, &s);
    static uint8_t rec[700];
    size_t n = unhex(RFC8448_S3_SERVER_FLIGHT_RECORD, rec, sizeof rec);
    assert_int_equal(n, 679);
    struct tls_traffic rx;
    assert_int_equal(tls_traffic_init(&rx, &C, ATOLL_TLS_AEAD_AES_128_GCM, ATOLL_TLS_HASH_SHA256, s.s_hs), 0);
    uint8_t type = 0, *pt = NULL;
    size_t pt_len = 0;
    assert_int_equal(tls_record_open(&rx, &C, rec, n, TLS_PLAINTEXT_MAX + 1, &type, &pt, &pt_len), 0);
    assert_int_equal(type, TLS_CT_HANDSHAKE);
    assert_int_equal(pt_len, 40 + 445 + 136 + 36);
    assert_memory_equal(pt, t.ee, 40);
    assert_memory_equal(pt + 40, t.cert, 445);
    assert_memory_equal(pt + 485, t.cv, 136);
    assert_memory_equal(pt + 621, t.sf, 36);

    n = unhex(RFC8448_S3_CLIENT_FINISHED_RECORD, rec, sizeof rec);
    assert_int_equal(tls_traffic_init(&rx, &C, ATOLL_TLS_AEAD_AES_128_GCM, ATOLL_TLS_HASH_SHA256, s.c_hs), 0);
    assert_int_equal(tls_record_open(&rx, &C, rec, n, TLS_PLAINTEXT_MAX + 1, &type, &pt, &pt_len), 0);
    assert_int_equal(type, TLS_CT_HANDSHAKE);
    assert_int_equal(pt_len, 36);
    assert_memory_equal(pt, t.cf, 36);
}

/* The RSA-PSS (rsa_pss_rsae_sha256) CertificateVerify of §3 verifies with
 * the certificate it came with, over the §4.4.3 content. */
static void rfc8448_s3_certificate_verify(void **state)
{
    (void)state;
    struct trace t;
    struct schedule s;
    load_trace(&t);
    run_schedule(&t, &s);
    uint8_t h_cert[32];
    struct atoll_tls_hash_ctx tr;
    assert_int_equal(C.ops->hash_init(&tr, ATOLL_TLS_HASH_SHA256), 0);
    C.ops->hash_update(&tr, t.ch, sizeof t.ch);
    C.ops->hash_update(&tr, t.sh, sizeof t.sh);
    C.ops->hash_update(&tr, t.ee, sizeof t.ee);
    C.ops->hash_update(&tr, t.cert, sizeof t.cert);
    assert_int_equal(C.ops->hash_final(&tr, h_cert), 0);
    uint8_t content[64 + 33 + 1 + 32];
    memset(content, 0x20, 64);
    memcpy(content + 64, "TLS 1.3, server CertificateVerify", 33);
    content[97] = 0;
    memcpy(content + 98, h_cert, 32);
    /* Certificate: type, len3, context len 0, list len3, cert len3, DER */
    const uint8_t *der = t.cert + 11;
    size_t der_len = t.cert[8] * 65536u + t.cert[9] * 256u + t.cert[10];
    assert_int_equal(der_len, 432);
    assert_int_equal(t.cv[4] * 256 + t.cv[5], ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256);
    const uint8_t *sig = t.cv + 8;
    size_t sig_len = t.cv[6] * 256u + t.cv[7];
    assert_int_equal(sig_len, 128);
    assert_int_equal(C.ops->verify_with_cert(der, der_len, ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256, content, sizeof content, sig,
                                             sig_len),
                     0);
    /* the client's context string is another message */
    memcpy(content + 64, "TLS 1.3, client CertificateVerify", 33);
    assert_int_equal(C.ops->verify_with_cert(der, der_len, ATOLL_TLS_SIG_RSA_PSS_RSAE_SHA256, content, sizeof content, sig,
                                             sig_len),
                     ATOLL_TLS_CRYPTO_E_AUTH);
}

/* §4: the PSK of the §3 ticket (nonce 00 00), its early secret, the
 * resumption binder key and the binder over the truncated ClientHello. */
static void rfc8448_s4_resumption_binder(void **state)
{
    (void)state;
    struct trace t;
    struct schedule s;
    load_trace(&t);
    run_schedule(&t, &s);
    uint8_t nonce[2], psk[32], early[32], bk[32], bh[32], binder[32];
    assert_int_equal(unhex(RFC8448_S3_TICKET_NONCE, nonce, sizeof nonce), 2);
    assert_int_equal(tls_ks_resumption_psk(&C, ATOLL_TLS_HASH_SHA256, s.res, nonce, 2, psk), 0);
    expect_hex(psk, 32, "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3");
    assert_int_equal(tls_ks_early_secret(&C, ATOLL_TLS_HASH_SHA256, psk, 32, early), 0);
    expect_hex(early, 32, "9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c");
    assert_int_equal(tls_ks_binder_key(&C, ATOLL_TLS_HASH_SHA256, early, 1, bk), 0);
    expect_hex(bk, 32, "69fe131a3bbad5d63c64eebcc30e395b9d8107726a13d074e389dbc8a4e47256");
    static uint8_t prefix[477];
    assert_int_equal(unhex(RFC8448_S4_CLIENT_HELLO_PREFIX, prefix, sizeof prefix), 477);
    assert_int_equal(C.ops->hash(ATOLL_TLS_HASH_SHA256, prefix, sizeof prefix, bh), 0);
    expect_hex(bh, 32, "63224b2e4573f2d3454ca84b9d009a04f6be9e05711a8396473aefa01e924a14");
    assert_int_equal(tls_ks_finished(&C, ATOLL_TLS_HASH_SHA256, bk, bh, binder), 0);
    expect_hex(binder, 32, "3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d");
    /* an external PSK's binder key is another one */
    uint8_t ext[32];
    assert_int_equal(tls_ks_binder_key(&C, ATOLL_TLS_HASH_SHA256, early, 0, ext), 0);
    assert_memory_not_equal(ext, bk, 32);
    /* another nonce, another PSK */
    nonce[1] = 1;
    assert_int_equal(tls_ks_resumption_psk(&C, ATOLL_TLS_HASH_SHA256, s.res, nonce, 2, ext), 0);
    assert_memory_not_equal(ext, psk, 32);
}

/* SHA-384 (TLS_AES_256_GCM_SHA384) and KeyUpdate values from openssl's
 * TLS13-KDF and HKDF, an implementation independent of mbedtls. */
static void sha384_and_key_update_vectors(void **state)
{
    (void)state;
    uint8_t s384[48], out[48], key[32], iv[12], empty[48];
    for (size_t i = 0; i < 48; i++)
        s384[i] = (uint8_t)i;
    assert_int_equal(tls_ks_next_traffic_secret(&C, ATOLL_TLS_HASH_SHA384, s384, out), 0);
    expect_hex(out, 48,
               "401331b63e9d59f202e8f041042d9516f4cd7fa2e2ee14631d3b49fc340d7af3"
               "7fc2c0c9f252d8036f81ec5b85cbe5db");
    assert_int_equal(tls_ks_traffic_keys(&C, ATOLL_TLS_HASH_SHA384, ATOLL_TLS_AEAD_AES_256_GCM, s384, key, iv), 0);
    expect_hex(key, 32, "6877d022f1c61d24ebb7487c16752d9a4798e40431c75b39320e537c90e23225");
    expect_hex(iv, 12, "42822531a0fe88648fc09e9f");
    assert_int_equal(C.ops->hash(ATOLL_TLS_HASH_SHA384, (const uint8_t *)"", 0, empty), 0);
    assert_int_equal(tls_derive_secret(&C, ATOLL_TLS_HASH_SHA384, s384, "derived", empty, out), 0);
    expect_hex(out, 48,
               "85672c80162b3076b4a14618cbbf66e53d55d61cdb683aba9f7c48d5b65a6a3b"
               "1c9d6c2638eed961d9f80878eca9fb56");
    assert_int_equal(tls_ks_early_secret(&C, ATOLL_TLS_HASH_SHA384, NULL, 0, out), 0);
    expect_hex(out, 48,
               "7ee8206f5570023e6dc7519eb1073bc4e791ad37b5c382aa10ba18e2357e7169"
               "71f9362f2c2fe2a76bfd78dfec4ea9b5");

    /* KeyUpdate of the §3 server application secret, and its keys */
    uint8_t sap[32], next[32];
    unhex("a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643", sap, 32);
    assert_int_equal(tls_ks_next_traffic_secret(&C, ATOLL_TLS_HASH_SHA256, sap, next), 0);
    expect_hex(next, 32, "51921b8aa3001976eb401d0a4319a8516416a6c56001a357e5d162031e84f916");
    struct tls_traffic tt;
    assert_int_equal(tls_traffic_init(&tt, &C, ATOLL_TLS_AEAD_AES_128_GCM, ATOLL_TLS_HASH_SHA256, sap), 0);
    tt.seq = 77;
    assert_int_equal(tls_traffic_update(&tt, &C), 0);
    assert_memory_equal(tt.secret, next, 32);
    expect_key(&tt, "2e63be99d67b39097feb9786cf7a15a0");
    expect_hex(tt.iv, 12, "628a0a8298ac953baef4255a");
    assert_true(tt.seq == 0);
    assert_int_equal(tls_traffic_init(&tt, &C, ATOLL_TLS_AEAD_CHACHA20_POLY1305, ATOLL_TLS_HASH_SHA256, next), 0);
    expect_key(&tt, "9991193bcdd7d62dd68bc8529ba751e7b5180a6c4c99e3ccd690aa9aafebc43c");
}

/* psk_ke: no (EC)DHE input is Hash.length zeros. */
static void handshake_secret_without_dhe(void **state)
{
    (void)state;
    uint8_t early[48], a[48], b[48], zeros[48] = {0};
    for (int h = 0; h <= ATOLL_TLS_HASH_SHA384; h++) {
        enum atoll_tls_hash_alg alg = (enum atoll_tls_hash_alg)h;
        size_t hl = atoll_tls_hash_len(alg);
        assert_int_equal(tls_ks_early_secret(&C, alg, NULL, 0, early), 0);
        assert_int_equal(tls_ks_handshake_secret(&C, alg, early, NULL, 0, a), 0);
        assert_int_equal(tls_ks_handshake_secret(&C, alg, early, zeros, hl, b), 0);
        assert_memory_equal(a, b, hl);
        zeros[0] = 1;
        assert_int_equal(tls_ks_handshake_secret(&C, alg, early, zeros, hl, b), 0);
        assert_memory_not_equal(a, b, hl);
        zeros[0] = 0;
    }
}

static void expand_label_limits(void **state)
{
    (void)state;
    uint8_t secret[32] = {7}, out[64], ctx[256] = {0};
    char label[251];
    memset(label, 'a', sizeof label);
    label[249] = 0; /* "tls13 " + 249 = 255 bytes: the most label<7..255> holds */
    assert_int_equal(tls_hkdf_expand_label(&C, ATOLL_TLS_HASH_SHA256, secret, label, NULL, 0, out, 32), 0);
    label[249] = 'a';
    label[250] = 0;
    assert_int_equal(tls_hkdf_expand_label(&C, ATOLL_TLS_HASH_SHA256, secret, label, NULL, 0, out, 32), ATOLL_TLS_CRYPTO_E_FAIL);
    assert_int_equal(tls_hkdf_expand_label(&C, ATOLL_TLS_HASH_SHA256, secret, "x", ctx, 255, out, 32), 0);
    assert_int_equal(tls_hkdf_expand_label(&C, ATOLL_TLS_HASH_SHA256, secret, "x", ctx, 256, out, 32), ATOLL_TLS_CRYPTO_E_FAIL);
    /* the context is part of the info: another byte, another output */
    uint8_t other[32];
    ctx[254] = 1;
    assert_int_equal(tls_hkdf_expand_label(&C, ATOLL_TLS_HASH_SHA256, secret, "x", ctx, 255, other, 32), 0);
    assert_memory_not_equal(out, other, 32);
    /* the length is part of the info: a shorter output is no prefix */
    uint8_t l16[16];
    assert_int_equal(tls_hkdf_expand_label(&C, ATOLL_TLS_HASH_SHA256, secret, "x", ctx, 255, l16, 16), 0);
    assert_memory_not_equal(l16, other, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc8448_s3_secrets),
        cmocka_unit_test(rfc8448_s3_traffic_keys),
        cmocka_unit_test(rfc8448_s3_finished),
        cmocka_unit_test(rfc8448_s3_records_open_under_derived_keys),
        cmocka_unit_test(rfc8448_s3_certificate_verify),
        cmocka_unit_test(rfc8448_s4_resumption_binder),
        cmocka_unit_test(sha384_and_key_update_vectors),
        cmocka_unit_test(handshake_secret_without_dhe),
        cmocka_unit_test(expand_label_limits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
