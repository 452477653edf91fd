/* SPDX-License-Identifier: Apache-2.0 */
/* DHCPv4 message view (RFC 2131 / RFC 2132): the BOOTP fixed part, the
 * magic cookie and the options a client needs. Every option length is
 * checked against the buffer and against the size its type requires. */
#ifndef ATOLL_WIRE_DHCP_H
#define ATOLL_WIRE_DHCP_H

#include <stddef.h>
#include <stdint.h>

#define DHCP_FIXED_LEN 236
#define DHCP_OPTIONS_OFF 240 /* fixed part + magic cookie */
#define DHCP_MIN_EMIT 300    /* BOOTP minimum that old relays expect */
#define DHCP_SERVER_PORT 67u
#define DHCP_CLIENT_PORT 68u

#define DHCP_DISCOVER 1u
#define DHCP_OFFER 2u
#define DHCP_REQUEST 3u
#define DHCP_DECLINE 4u
#define DHCP_ACK 5u
#define DHCP_NAK 6u
#define DHCP_RELEASE 7u

#define DHCP_OPT_PAD 0u
#define DHCP_OPT_SUBNET 1u
#define DHCP_OPT_ROUTER 3u
#define DHCP_OPT_DNS 6u
#define DHCP_OPT_REQ_IP 50u
#define DHCP_OPT_LEASE 51u
#define DHCP_OPT_MSGTYPE 53u
#define DHCP_OPT_SERVER_ID 54u
#define DHCP_OPT_PARAMS 55u
#define DHCP_OPT_MAXSIZE 57u
#define DHCP_OPT_T1 58u
#define DHCP_OPT_T2 59u
#define DHCP_OPT_CLIENT_ID 61u
#define DHCP_OPT_END 255u

enum dhcp_err {
    DHCP_E_TRUNC = -1,   /* shorter than the fixed part and cookie */
    DHCP_E_COOKIE = -2,  /* magic cookie missing */
    DHCP_E_OPTION = -3,  /* an option runs past the buffer or has a bad size */
    DHCP_E_HTYPE = -4,   /* not Ethernet */
    DHCP_E_SPACE = -5    /* emitter: output buffer too small */
};

struct dhcp_msg {
    uint8_t op;
    uint32_t xid;
    uint16_t secs;
    uint16_t flags;
    uint32_t ciaddr, yiaddr, siaddr, giaddr;
    uint8_t chaddr[6];
    /* options; a has_* flag is 0 or 1 */
    uint8_t msg_type;    /* 0 when absent */
    uint8_t has_server_id, has_lease, has_t1, has_t2, has_mask, has_router, has_dns, has_req_ip;
    uint32_t server_id, lease, t1, t2, mask, router, dns, req_ip;
};

#include "spec/dhcp.acsl.h" /* dhcp_flags_ok: needs struct dhcp_msg */

/* Reads a BOOTP/DHCP message of len bytes (a UDP payload): the fixed part,
 * then the options up to the end option. Returns the bytes used (the end
 * option included), or len when the options fill the buffer without one.
 * (\old(buf[..]): buf as on entry; WP keeps buf and the byte fields of *out
 * in one memory, and naming the entry state keeps the proof short.) */
/*@ requires \valid_read(buf + (0 .. len - 1));
  @ requires \valid(out);
  @ requires \separated(buf + (0 .. len - 1), out);
  @ requires len <= 65535;
  @ assigns *out;
  @ behavior trunc:
  @   assumes len < DHCP_OPTIONS_OFF;
  @   assigns \nothing;
  @   ensures \result == DHCP_E_TRUNC;
  @ behavior htype:
  @   assumes len >= DHCP_OPTIONS_OFF && !DHCP_ETHERNET(buf);
  @   assigns \nothing;
  @   ensures \result == DHCP_E_HTYPE;
  @ behavior cookie:
  @   assumes len >= DHCP_OPTIONS_OFF && DHCP_ETHERNET(buf) && !DHCP_COOKIE_OK(buf);
  @   assigns \nothing;
  @   ensures \result == DHCP_E_COOKIE;
  @ behavior message:
  @   assumes len >= DHCP_OPTIONS_OFF && DHCP_ETHERNET(buf) && DHCP_COOKIE_OK(buf);
  @   ensures \result == DHCP_E_OPTION || DHCP_OPTIONS_OFF <= \result <= len;
  @   ensures \result > 0 ==> \result == len || buf[\result - 1] == DHCP_OPT_END;
  @   ensures \result > 0 ==> dhcp_flags_ok(out);
  @   ensures out->op == \old(buf[0]) && out->xid == \old(BE32(buf + 4));
  @   ensures out->secs == \old(BE16(buf + 8)) && out->flags == \old(BE16(buf + 10));
  @   ensures out->ciaddr == \old(BE32(buf + 12)) && out->yiaddr == \old(BE32(buf + 16));
  @   ensures out->siaddr == \old(BE32(buf + 20)) && out->giaddr == \old(BE32(buf + 24));
  @   ensures \forall integer i; 0 <= i < 6 ==> out->chaddr[i] == \old(buf[28 + i]);
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *out);

/* Emits a client message of exactly 300 bytes (the BOOTP minimum): fixed
 * part, cookie, message type, then the options whose has_* flag is set
 * (requested IP, then server id), a parameter request list and the end
 * option; every other byte is zero. (\old(m->f) for the byte-sized fields:
 * WP keeps all bytes in one memory, so the contract names their value on
 * entry.) */
/*@ requires \valid(buf + (0 .. cap - 1));
  @ requires \valid_read(m);
  @ requires \separated(buf + (0 .. cap - 1), m);
  @ assigns buf[0 .. DHCP_MIN_EMIT - 1];
  @ behavior space:
  @   assumes cap < 320;
  @   assigns \nothing;
  @   ensures \result == DHCP_E_SPACE;
  @ behavior ok:
  @   assumes cap >= 320;
  @   ensures \result == DHCP_MIN_EMIT && 0 < \result <= cap;
  @   ensures buf[0] == 1 && DHCP_ETHERNET(buf) && buf[3] == 0;
  @   ensures BE32(buf + 4) == m->xid && BE16(buf + 8) == m->secs && BE16(buf + 10) == m->flags;
  @   ensures BE32(buf + 12) == m->ciaddr;
  @   ensures \forall integer i; 16 <= i < 28 ==> buf[i] == 0;
  @   ensures \forall integer i; 0 <= i < 6 ==> buf[28 + i] == m->chaddr[i];
  @   ensures \forall integer i; 34 <= i < 236 ==> buf[i] == 0;
  @   ensures DHCP_COOKIE_OK(buf);
  @   ensures buf[240] == DHCP_OPT_MSGTYPE && buf[241] == 1 && buf[242] == \old(m->msg_type);
  @   ensures \old(m->has_req_ip) != 0 ==>
  @           buf[243] == DHCP_OPT_REQ_IP && buf[244] == 4 && BE32(buf + 245) == m->req_ip;
  @   ensures \let q = 243 + (\old(m->has_req_ip) != 0 ? 6 : 0); \old(m->has_server_id) != 0 ==>
  @           buf[q] == DHCP_OPT_SERVER_ID && buf[q + 1] == 4 && BE32(buf + q + 2) == m->server_id;
  @   ensures \let e = DHCP_EMIT_END(\old(m->has_req_ip), \old(m->has_server_id));
  @           buf[e - 7] == DHCP_OPT_PARAMS && buf[e - 6] == 5 && buf[e - 5] == DHCP_OPT_SUBNET
  @           && buf[e - 4] == DHCP_OPT_ROUTER && buf[e - 3] == DHCP_OPT_LEASE
  @           && buf[e - 2] == DHCP_OPT_T1 && buf[e - 1] == DHCP_OPT_T2 && buf[e] == DHCP_OPT_END;
  @   ensures \forall integer i;
  @           DHCP_EMIT_END(\old(m->has_req_ip), \old(m->has_server_id)) < i < DHCP_MIN_EMIT ==> buf[i] == 0;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
int dhcp_emit(uint8_t *buf, size_t cap, const struct dhcp_msg *m);

#endif
