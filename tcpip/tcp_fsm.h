/* SPDX-License-Identifier: Apache-2.0 */
/* The control decisions of TCP segment arrival (RFC 9293 3.10.7 with
 * RFC 5961), separated from buffers and timers so that they can be proved
 * against the transition relation in spec/tcp_fsm.acsl.h. tcp_input.c asks
 * these functions what to do and then does it. */
#ifndef ATOLL_TCP_FSM_H
#define ATOLL_TCP_FSM_H

#include <stdint.h>

enum tcp_act {
    TA_DROP = 0,     /* discard the segment */
    TA_ACK = 1,      /* send an ACK (our current state), discard */
    TA_CHALLENGE = 2,/* RFC 5961 challenge ACK, discard */
    TA_RST = 3,      /* answer with a RST made from the segment, discard */
    TA_RESET = 4,    /* the peer reset us: tell the owner, release */
    TA_RELEASE = 5,  /* silently forget (passive SYN-RECEIVED back to LISTEN) */
    TA_CLOSE = 6,    /* reset while closing: the connection is simply over */
    TA_SYNACK = 7,   /* send SYN-ACK */
    TA_ESTABLISH = 8,/* the handshake completed; continue with the segment */
    TA_PROCESS = 9,  /* acceptable: continue with ACK, text and FIN */
    TA_NEW = 10      /* LISTEN: create a connection in SYN-RECEIVED */
};

/* What the decision depends on: the segment's control bits and numbers
 * (flags 0 or 1, len = SEG.LEN counting SYN and FIN) and the TCB's
 * variables (snd_max is the highest sequence number sent, the SND.NXT of
 * RFC 5961; rcv_wnd the window last advertised). */
struct tcp_fsm_in {
    uint8_t state, passive, fin_queued;
    uint8_t syn, ack, rst;
    uint32_t seq, ackno, len;
    uint32_t iss, irs, snd_una, snd_max, rcv_nxt, rcv_wnd, max_snd_wnd;
};

#include "spec/tcp_fsm.acsl.h"

/*@ requires \valid_read(i) && \valid(next) && \separated(i, next);
    requires i->state == S_LISTEN;
    assigns *next;
    ensures rel_listen(*i, *next, \result);
*/
int tcp_fsm_listen(const struct tcp_fsm_in *i, uint8_t *next);

/*@ requires \valid_read(i) && \valid(next) && \separated(i, next);
    requires i->state == S_SYN_SENT;
    assigns *next;
    ensures rel_syn_sent(*i, *next, \result);
*/
int tcp_fsm_syn_sent(const struct tcp_fsm_in *i, uint8_t *next);

/*@ requires \valid_read(i) && \valid(next) && \separated(i, next);
    requires synchronized(i->state);
    assigns *next;
    ensures rel_sync(*i, *next, \result);
*/
int tcp_fsm_sync(const struct tcp_fsm_in *i, uint8_t *next);

/*@ requires synchronized(state);
    requires fin_acked <= 1 && fin_in <= 1;
    assigns \nothing;
    ensures rel_after(state, fin_acked, fin_in, \result);
*/
uint8_t tcp_fsm_after(uint8_t state, uint8_t fin_acked, uint8_t fin_in);

#endif
