/* SPDX-License-Identifier: Apache-2.0 */
#include "tcpip/tcp_fsm.h"
#include "tcpip/tcp_seq.h"

/* Plain if/else chains and one exit per function: the shape WP proves
 * quickly (see ../shared FRAMA-C notes on switch and nested ?:). */

int tcp_fsm_listen(const struct tcp_fsm_in *i, uint8_t *next)
{
    int act;
    *next = 1; /* LISTEN */
    if (i->rst != 0) {
        act = TA_DROP;
    } else if (i->ack != 0) {
        act = TA_RST;
    } else if (i->syn != 0) {
        act = TA_NEW;
        *next = 3; /* SYN-RECEIVED */
    } else {
        act = TA_DROP;
    }
    return act;
}

int tcp_fsm_syn_sent(const struct tcp_fsm_in *i, uint8_t *next)
{
    int act;
    int ack_ok = 1;
    *next = 2; /* SYN-SENT */
    if (i->ack != 0)
        ack_ok = seq_lt(i->iss, i->ackno) && seq_leq(i->ackno, i->snd_max);
    if (!ack_ok) {
        if (i->rst != 0)
            act = TA_DROP;
        else
            act = TA_RST;
    } else if (i->rst != 0) {
        if (i->ack != 0) {
            act = TA_RESET;
            *next = 0;
        } else {
            act = TA_DROP;
        }
    } else if (i->syn != 0) {
        if (i->ack != 0) {
            act = TA_ESTABLISH;
            *next = 4;
        } else {
            act = TA_SYNACK; /* simultaneous open */
            *next = 3;
        }
    } else {
        act = TA_DROP;
    }
    return act;
}

/*@ requires \valid_read(i);
    assigns \nothing;
    ensures \result == 1 <==> passes_seq_check(*i);
    ensures \result == 0 || \result == 1;
*/
static int seq_check(const struct tcp_fsm_in *i)
{
    int ok;
    if (i->len == 0) {
        if (i->rcv_wnd == 0)
            ok = i->seq == i->rcv_nxt;
        else
            ok = seq_in_window(i->seq, i->rcv_nxt, i->rcv_wnd) || i->seq == seq_add(i->rcv_nxt, i->rcv_wnd);
    } else if (i->rcv_wnd == 0) {
        ok = 0;
    } else {
        uint32_t last = seq_add(i->seq, i->len - 1u);
        ok = seq_in_window(i->seq, i->rcv_nxt, i->rcv_wnd) || seq_in_window(last, i->rcv_nxt, i->rcv_wnd);
    }
    if (!ok && i->rcv_wnd == 0 && i->seq == i->rcv_nxt && i->syn == 0)
        ok = 1;
    return ok;
}

/*@ requires \valid_read(i);
    assigns \nothing;
    ensures \result == 1 <==> ack_in_range(*i);
    ensures \result == 0 || \result == 1;
*/
static int ack_check(const struct tcp_fsm_in *i)
{
    uint32_t span = i->max_snd_wnd == 0 ? 1u : i->max_snd_wnd;
    uint32_t floor = seq_diff(i->snd_una, span);
    return seq_leq(i->ackno, i->snd_max) && !seq_lt(i->ackno, floor);
}

int tcp_fsm_sync(const struct tcp_fsm_in *i, uint8_t *next)
{
    int act;
    uint8_t s = i->state;
    *next = s;
    if (s == 3 && i->passive != 0 && i->syn != 0 && i->ack == 0 && i->rst == 0 && i->seq == i->irs) {
        act = TA_SYNACK; /* our SYN-ACK was lost: resend it now */
    } else if (!seq_check(i)) {
        if (i->rst != 0)
            act = TA_DROP;
        else if (i->syn != 0)
            act = TA_CHALLENGE;
        else
            act = TA_ACK;
    } else if (i->rst != 0) {
        if (i->seq != i->rcv_nxt) {
            act = TA_CHALLENGE;
        } else if (s == 3 && i->passive != 0) {
            act = TA_RELEASE;
            *next = 0;
        } else if (s == 8 || s == 9 || s == 10) {
            act = TA_CLOSE;
            *next = 0;
        } else {
            act = TA_RESET;
            *next = 0;
        }
    } else if (i->syn != 0) {
        if (s == 3 && i->passive != 0 && i->seq == i->irs)
            act = TA_SYNACK;
        else
            act = TA_CHALLENGE;
    } else if (i->ack == 0) {
        act = TA_DROP;
    } else if (s == 3) {
        if (seq_lt(i->snd_una, i->ackno) && seq_leq(i->ackno, i->snd_max)) {
            act = TA_ESTABLISH;
            if (i->fin_queued != 0)
                *next = 5;
            else
                *next = 4;
        } else {
            act = TA_RST;
        }
    } else if (ack_check(i)) {
        act = TA_PROCESS;
    } else if (seq_lt(i->snd_max, i->ackno)) {
        act = TA_ACK;
    } else {
        act = TA_CHALLENGE;
    }
    return act;
}

uint8_t tcp_fsm_after(uint8_t state, uint8_t fin_acked, uint8_t fin_in)
{
    uint8_t nx = state;
    if (state == 3 || state == 4) {
        if (fin_in != 0)
            nx = 7;
    } else if (state == 5) {
        if (fin_acked != 0 && fin_in != 0)
            nx = 10;
        else if (fin_acked != 0)
            nx = 6;
        else if (fin_in != 0)
            nx = 8;
    } else if (state == 6) {
        if (fin_in != 0)
            nx = 10;
    } else if (state == 8) {
        if (fin_acked != 0)
            nx = 10;
    } else if (state == 9) {
        if (fin_acked != 0)
            nx = 0;
    }
    return nx;
}
