/* SPDX-License-Identifier: Apache-2.0 */
/* The TCP transition relation of RFC 9293 section 3.10.7 (segment
 * arrival), with the RFC 5961 changes, written once as ACSL logic:
 * state x arriving segment -> next state x action. tcpip/tcp_fsm.c is
 * proved to implement it (make proofs). Include after struct tcp_fsm_in;
 * states and actions take the values of enum tcp_state (tcpip/tcp.h) and
 * enum tcp_act (tcpip/tcp_fsm.h). */
#ifndef ATOLL_SPEC_TCP_FSM_H
#define ATOLL_SPEC_TCP_FSM_H

#include "spec/tcp_seq.acsl.h"

/*@ logic integer S_CLOSED = 0;     logic integer S_LISTEN = 1;     logic integer S_SYN_SENT = 2;
    logic integer S_SYN_RCVD = 3;   logic integer S_ESTAB = 4;      logic integer S_FIN_WAIT_1 = 5;
    logic integer S_FIN_WAIT_2 = 6; logic integer S_CLOSE_WAIT = 7; logic integer S_CLOSING = 8;
    logic integer S_LAST_ACK = 9;   logic integer S_TIME_WAIT = 10;

    logic integer A_DROP = 0;      logic integer A_ACK = 1;     logic integer A_CHALLENGE = 2;
    logic integer A_RST = 3;       logic integer A_RESET = 4;   logic integer A_RELEASE = 5;
    logic integer A_CLOSE = 6;     logic integer A_SYNACK = 7;  logic integer A_ESTABLISH = 8;
    logic integer A_PROCESS = 9;   logic integer A_NEW = 10;

    predicate synchronized(integer s) = S_SYN_RCVD <= s <= S_TIME_WAIT;

    // RFC 9293 3.10.7.4: the four cases of the acceptability test, with one
    // widening: an empty segment exactly at the window's right edge is taken
    // (a peer that filled our window sends its pure ACKs from there; Linux
    // accepts them too), so its ACK information is not lost.
    predicate seg_acceptable(struct tcp_fsm_in i) =
        (i.len == 0 && i.rcv_wnd == 0 && i.seq == i.rcv_nxt)
     || (i.len == 0 && i.rcv_wnd > 0 && seq_in(i.seq, i.rcv_nxt, i.rcv_wnd + 1))
     || (i.len > 0 && i.rcv_wnd > 0
         && (seq_in(i.seq, i.rcv_nxt, i.rcv_wnd) || seq_in((i.seq + i.len - 1) % 4294967296, i.rcv_nxt, i.rcv_wnd)));

    // ... where a zero window still admits the ACK and RST of a segment at RCV.NXT
    predicate zero_window_pass(struct tcp_fsm_in i) = i.rcv_wnd == 0 && i.seq == i.rcv_nxt && i.syn == 0;

    predicate passes_seq_check(struct tcp_fsm_in i) = seg_acceptable(i) || zero_window_pass(i);

    // RFC 5961 5.2: SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT
    logic integer ack_floor(struct tcp_fsm_in i) =
        (i.snd_una - (i.max_snd_wnd == 0 ? 1 : i.max_snd_wnd) + 4294967296) % 4294967296;
    predicate ack_in_range(struct tcp_fsm_in i) = seq_leq(i.ackno, i.snd_max) && !seq_lt(i.ackno, ack_floor(i));

    // LISTEN (3.10.7.2)
    predicate rel_listen(struct tcp_fsm_in i, integer nx, integer act) =
        (i.rst != 0 ==> act == A_DROP && nx == S_LISTEN)
     && (i.rst == 0 && i.ack != 0 ==> act == A_RST && nx == S_LISTEN)
     && (i.rst == 0 && i.ack == 0 && i.syn != 0 ==> act == A_NEW && nx == S_SYN_RCVD)
     && (i.rst == 0 && i.ack == 0 && i.syn == 0 ==> act == A_DROP && nx == S_LISTEN);

    // SYN-SENT (3.10.7.3)
    predicate ack_ok_syn_sent(struct tcp_fsm_in i) = seq_lt(i.iss, i.ackno) && seq_leq(i.ackno, i.snd_max);
    predicate ack_usable_syn_sent(struct tcp_fsm_in i) = i.ack == 0 || ack_ok_syn_sent(i);

    predicate rel_syn_sent(struct tcp_fsm_in i, integer nx, integer act) =
        (!ack_usable_syn_sent(i) ==> nx == S_SYN_SENT && (i.rst != 0 ==> act == A_DROP) && (i.rst == 0 ==> act == A_RST))
     && (ack_usable_syn_sent(i) && i.rst != 0 ==>
            (i.ack != 0 ==> act == A_RESET && nx == S_CLOSED) && (i.ack == 0 ==> act == A_DROP && nx == S_SYN_SENT))
     && (ack_usable_syn_sent(i) && i.rst == 0 && i.syn != 0 ==>
            (i.ack != 0 ==> act == A_ESTABLISH && nx == S_ESTAB) && (i.ack == 0 ==> act == A_SYNACK && nx == S_SYN_RCVD))
     && (ack_usable_syn_sent(i) && i.rst == 0 && i.syn == 0 ==> act == A_DROP && nx == S_SYN_SENT);

    // Synchronized states (3.10.7.4), checks one to five.
    // A passive SYN-RECEIVED seeing its SYN again (the SYN-ACK was lost)
    // answers with the SYN-ACK at once rather than waiting for its timer.
    predicate dup_syn(struct tcp_fsm_in i) =
        i.state == S_SYN_RCVD && i.passive != 0 && i.syn != 0 && i.ack == 0 && i.rst == 0 && i.seq == i.irs;

    predicate rel_sync_dup_syn(struct tcp_fsm_in i, integer nx, integer act) =
        dup_syn(i) ==> act == A_SYNACK && nx == i.state;

    // RFC 5961 4.2: a SYN is answered with a challenge ACK whatever its
    // sequence number, so an out-of-window SYN gets one too (rate-limited
    // by the caller like every challenge ACK).
    predicate rel_sync_seq(struct tcp_fsm_in i, integer nx, integer act) =
        !dup_syn(i) && !passes_seq_check(i) ==>
            nx == i.state && (i.rst != 0 ==> act == A_DROP)
         && (i.rst == 0 && i.syn == 0 ==> act == A_ACK) && (i.rst == 0 && i.syn != 0 ==> act == A_CHALLENGE);

    predicate rel_sync_rst(struct tcp_fsm_in i, integer nx, integer act) =
        !dup_syn(i) && passes_seq_check(i) && i.rst != 0 ==>
            (i.seq != i.rcv_nxt ==> act == A_CHALLENGE && nx == i.state)
         && (i.seq == i.rcv_nxt && i.state == S_SYN_RCVD && i.passive != 0 ==> act == A_RELEASE && nx == S_CLOSED)
         && (i.seq == i.rcv_nxt && (i.state == S_CLOSING || i.state == S_LAST_ACK || i.state == S_TIME_WAIT)
                ==> act == A_CLOSE && nx == S_CLOSED)
         && (i.seq == i.rcv_nxt && !(i.state == S_SYN_RCVD && i.passive != 0)
                && i.state != S_CLOSING && i.state != S_LAST_ACK && i.state != S_TIME_WAIT
                ==> act == A_RESET && nx == S_CLOSED);

    predicate rel_sync_syn(struct tcp_fsm_in i, integer nx, integer act) =
        !dup_syn(i) && passes_seq_check(i) && i.rst == 0 && i.syn != 0 ==> nx == i.state
         && (i.state == S_SYN_RCVD && i.passive != 0 && i.seq == i.irs ==> act == A_SYNACK)
         && (!(i.state == S_SYN_RCVD && i.passive != 0 && i.seq == i.irs) ==> act == A_CHALLENGE);

    predicate rel_sync_ack(struct tcp_fsm_in i, integer nx, integer act) =
        !dup_syn(i) && passes_seq_check(i) && i.rst == 0 && i.syn == 0 ==>
            (i.ack == 0 ==> act == A_DROP && nx == i.state)
         && (i.ack != 0 && i.state == S_SYN_RCVD ==>
                (seq_lt(i.snd_una, i.ackno) && seq_leq(i.ackno, i.snd_max) ==>
                    act == A_ESTABLISH && (i.fin_queued != 0 ==> nx == S_FIN_WAIT_1) && (i.fin_queued == 0 ==> nx == S_ESTAB))
             && (!(seq_lt(i.snd_una, i.ackno) && seq_leq(i.ackno, i.snd_max)) ==> act == A_RST && nx == i.state))
         && (i.ack != 0 && i.state != S_SYN_RCVD ==>
                nx == i.state
             && (ack_in_range(i) ==> act == A_PROCESS)
             && (!ack_in_range(i) && seq_lt(i.snd_max, i.ackno) ==> act == A_ACK)
             && (!ack_in_range(i) && !seq_lt(i.snd_max, i.ackno) ==> act == A_CHALLENGE));

    predicate rel_sync(struct tcp_fsm_in i, integer nx, integer act) =
        rel_sync_dup_syn(i, nx, act) && rel_sync_seq(i, nx, act) && rel_sync_rst(i, nx, act)
     && rel_sync_syn(i, nx, act) && rel_sync_ack(i, nx, act);

    // After the ACK and the text: our FIN acknowledged, the peer's FIN taken (3.10.7.4, checks five and eight).
    predicate rel_after(integer s, integer fin_acked, integer fin_in, integer nx) =
        (s == S_SYN_RCVD || s == S_ESTAB ==> (fin_in != 0 ==> nx == S_CLOSE_WAIT) && (fin_in == 0 ==> nx == s))
     && (s == S_FIN_WAIT_1 ==>
            (fin_acked != 0 && fin_in != 0 ==> nx == S_TIME_WAIT)
         && (fin_acked != 0 && fin_in == 0 ==> nx == S_FIN_WAIT_2)
         && (fin_acked == 0 && fin_in != 0 ==> nx == S_CLOSING)
         && (fin_acked == 0 && fin_in == 0 ==> nx == s))
     && (s == S_FIN_WAIT_2 ==> (fin_in != 0 ==> nx == S_TIME_WAIT) && (fin_in == 0 ==> nx == s))
     && (s == S_CLOSING ==> (fin_acked != 0 ==> nx == S_TIME_WAIT) && (fin_acked == 0 ==> nx == s))
     && (s == S_LAST_ACK ==> (fin_acked != 0 ==> nx == S_CLOSED) && (fin_acked == 0 ==> nx == s))
     && (s == S_CLOSE_WAIT || s == S_TIME_WAIT ==> nx == s);
*/

#endif
