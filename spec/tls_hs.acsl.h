/* SPDX-License-Identifier: Apache-2.0 */
/* The allowed TLS 1.3 handshake message sequences (RFC 8446 §2, §4, A.1,
 * A.2), written once as a transition relation over handshake steps. The
 * language of this automaton is the set of allowed sequences; the engine's
 * step function (tls/hs_fsm.c) is proved to accept exactly the transitions
 * below and to answer every other (step, message) pair with
 * unexpected_message.
 *
 * Server (we never request client certificates and never accept 0-RTT):
 *   WAIT_CH  --ClientHello[hrr]-->   WAIT_CH2   (we sent HelloRetryRequest)
 *   WAIT_CH  --ClientHello-->        WAIT_FIN   (we sent our whole flight)
 *   WAIT_CH2 --ClientHello-->        WAIT_FIN   (no second HelloRetryRequest)
 *   WAIT_FIN --Finished-->           S_OPEN
 *   S_OPEN   --KeyUpdate-->          S_OPEN
 * Client:
 *   WAIT_SH  --ServerHello[hrr]-->   WAIT_SH2
 *   WAIT_SH  --ServerHello-->        WAIT_EE
 *   WAIT_SH2 --ServerHello[!hrr]-->  WAIT_EE
 *   WAIT_EE  --EncryptedExt[psk]-->  C_WAIT_FIN
 *   WAIT_EE  --EncryptedExt[!psk]--> WAIT_CERT_CR
 *   WAIT_CERT_CR --CertificateRequest--> WAIT_CERT
 *   WAIT_CERT_CR --Certificate-->    WAIT_CV
 *   WAIT_CERT --Certificate-->       WAIT_CV
 *   WAIT_CV  --CertificateVerify-->  C_WAIT_FIN
 *   C_WAIT_FIN --Finished-->         C_OPEN
 *   C_OPEN   --NewSessionTicket-->   C_OPEN
 *   C_OPEN   --KeyUpdate-->          C_OPEN
 * Records (content types) per step: a plaintext handshake record only while
 * waiting for the first hello (and the second after HRR); a protected
 * handshake record in every later step; change_cipher_spec only between the
 * first hello and the peer's Finished, and never protected; application data
 * only when open; alerts always.
 */
#ifndef ATOLL_SPEC_TLS_HS_ACSL_H
#define ATOLL_SPEC_TLS_HS_ACSL_H

#define HS_WAIT_CH 0
#define HS_WAIT_CH2 1
#define HS_WAIT_FIN 2
#define HS_S_OPEN 3
#define HS_WAIT_SH 4
#define HS_WAIT_SH2 5
#define HS_WAIT_EE 6
#define HS_WAIT_CERT_CR 7
#define HS_WAIT_CERT 8
#define HS_WAIT_CV 9
#define HS_C_WAIT_FIN 10
#define HS_C_OPEN 11
#define HS_STEPS 12

/* Flags that choose between the branches of a step. */
#define HS_F_HRR 1  /* this hello is (server) / answers with (client) a HelloRetryRequest */
#define HS_F_PSK 2  /* the handshake resumes a PSK: no certificate messages */

/* Message types as in RFC 8446 §4. */
#define HS_MT_CH 1
#define HS_MT_SH 2
#define HS_MT_NST 4
#define HS_MT_EE 8
#define HS_MT_CERT 11
#define HS_MT_CR 13
#define HS_MT_CV 15
#define HS_MT_FIN 20
#define HS_MT_KU 24

/* Content types as in RFC 8446 §5.1. */
#define HS_CT_CCS 20
#define HS_CT_ALERT 21
#define HS_CT_HS 22
#define HS_CT_APP 23

/*@ predicate hs_hrr(integer f) = f % 2 == 1;
    predicate hs_psk(integer f) = (f / 2) % 2 == 1;

    predicate hs_allowed(integer st, integer mt, integer f, integer nx) =
         (st == HS_WAIT_CH  && mt == HS_MT_CH && hs_hrr(f) && nx == HS_WAIT_CH2)
      || (st == HS_WAIT_CH  && mt == HS_MT_CH && !hs_hrr(f) && nx == HS_WAIT_FIN)
      || (st == HS_WAIT_CH2 && mt == HS_MT_CH && !hs_hrr(f) && nx == HS_WAIT_FIN)
      || (st == HS_WAIT_FIN && mt == HS_MT_FIN && nx == HS_S_OPEN)
      || (st == HS_S_OPEN   && mt == HS_MT_KU && nx == HS_S_OPEN)
      || (st == HS_WAIT_SH  && mt == HS_MT_SH && hs_hrr(f) && nx == HS_WAIT_SH2)
      || (st == HS_WAIT_SH  && mt == HS_MT_SH && !hs_hrr(f) && nx == HS_WAIT_EE)
      || (st == HS_WAIT_SH2 && mt == HS_MT_SH && !hs_hrr(f) && nx == HS_WAIT_EE)
      || (st == HS_WAIT_EE  && mt == HS_MT_EE && hs_psk(f) && nx == HS_C_WAIT_FIN)
      || (st == HS_WAIT_EE  && mt == HS_MT_EE && !hs_psk(f) && nx == HS_WAIT_CERT_CR)
      || (st == HS_WAIT_CERT_CR && mt == HS_MT_CR && nx == HS_WAIT_CERT)
      || (st == HS_WAIT_CERT_CR && mt == HS_MT_CERT && nx == HS_WAIT_CV)
      || (st == HS_WAIT_CERT && mt == HS_MT_CERT && nx == HS_WAIT_CV)
      || (st == HS_WAIT_CV  && mt == HS_MT_CV && nx == HS_C_WAIT_FIN)
      || (st == HS_C_WAIT_FIN && mt == HS_MT_FIN && nx == HS_C_OPEN)
      || (st == HS_C_OPEN   && mt == HS_MT_NST && nx == HS_C_OPEN)
      || (st == HS_C_OPEN   && mt == HS_MT_KU && nx == HS_C_OPEN);

    predicate hs_first_hello(integer st) =
      st == HS_WAIT_CH || st == HS_WAIT_CH2 || st == HS_WAIT_SH || st == HS_WAIT_SH2;
    predicate hs_open(integer st) = st == HS_S_OPEN || st == HS_C_OPEN;

    // Which records a step accepts; prot: the record arrived protected.
    predicate rec_allowed(integer st, integer ct, integer prot) =
         (ct == HS_CT_ALERT)
      || (ct == HS_CT_HS && hs_first_hello(st) && prot == 0)
      || (ct == HS_CT_HS && !hs_first_hello(st) && prot != 0)
      || (ct == HS_CT_CCS && prot == 0 && st != HS_WAIT_CH && st != HS_WAIT_SH && !hs_open(st))
      || (ct == HS_CT_APP && hs_open(st) && prot != 0);
*/

#endif
