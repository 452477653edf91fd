/* SPDX-License-Identifier: Apache-2.0 */
/* The memory model: how a budget of bytes becomes the connection table and
 * the pools, decided once at start.
 *
 * A connection owns only its state: TCP's control block, its slot (TLS
 * keys, sequence numbers and handshake progress, the HTTP parse position,
 * the pump's). Bytes in flight live in pools: a buffer set (TLS record
 * input, handshake reassembly and record output, the HTTP head and
 * response, the pump's staging) is lent to a connection while it has bytes
 * in flight and taken back as soon as every buffer in it is empty; TCP's
 * send and receive buffers come from the stack's own pool the same way;
 * ClientHellos longer than a set's handshake buffer borrow one of a few
 * large buffers. An idle keep-alive connection holds no buffer at all.
 *
 * Sizing: the table holds max_conns connections (plus WEB_SPARE slots
 * that only answer 503), and TCP room for as many again in lingering
 * closes (orphans, at least 512 in all); what the budget has left after
 * them pays for buffer sets, each with two TCP buffers, at most one set
 * per slot; what is still left brings TCP's pool up to 256 buffers (the
 * stack's default, for connections outside the table). With fewer sets than slots, a connection that finds none free
 * waits (its bytes wait in TCP, its timeouts still run) until another
 * gives one back. Pure: no I/O. */
#ifndef ATOLL_MEM_PLAN_H
#define ATOLL_MEM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define MEM_PLAN_TCP_BUFSIZE 32768u
#define MEM_PLAN_MIN_SETS 2u

struct mem_plan {
    uint32_t max_conns;        /* served at once */
    uint32_t sets;             /* buffer sets */
    uint32_t hs_big;           /* large-ClientHello buffers */
    uint32_t tcp_conns;        /* TCP control blocks (connections and orphans) */
    uint32_t tcp_buffers;      /* TCP send/receive buffers, MEM_PLAN_TCP_BUFSIZE each */
    size_t stack_bytes;        /* the TCP/IP stack's arena */
    size_t web_bytes;          /* the web service's arena */
    size_t conn_idle_bytes;    /* what one idle connection costs: its slot and its TCP control block */
    size_t set_bytes;          /* one buffer set with its two TCP buffers */
};

/* Plans for budget bytes. max_conns: the connections wanted; given: the
 * user asked for that number (refused when it does not fit, with the
 * reason in why), otherwise the number is lowered to what fits. 0 with
 * *plan filled, -1 with why set. */
int mem_plan(uint64_t budget, uint32_t max_conns, int given, struct mem_plan *plan, char *why, size_t why_len);

#endif
