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

/*@ predicate dhcp_flags_ok(struct dhcp_msg m) =
      m.has_server_id <= 1 && m.has_lease <= 1 && m.has_t1 <= 1 && m.has_t2 <= 1
      && m.has_mask <= 1 && m.has_router <= 1 && m.has_dns <= 1 && m.has_req_ip <= 1;
*/

/*@ requires \valid_read(buf + (0 .. len - 1));
    requires \valid(out);
    requires \separated(buf + (0 .. len - 1), out);
    assigns *out;
    ensures \result == DHCP_E_TRUNC || \result == DHCP_E_COOKIE || \result == DHCP_E_OPTION
         || \result == DHCP_E_HTYPE || (DHCP_OPTIONS_OFF <= \result <= len);
    ensures len < DHCP_OPTIONS_OFF ==> \result == DHCP_E_TRUNC;
    ensures \result > 0 ==> dhcp_flags_ok(*out);
*/
int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *out);

/* Emits a client message: fixed part, cookie, message type, then the
 * options whose has_* flag is set (requested IP, server id), a parameter
 * request list and the end option, padded to 300 bytes. */
/*@ requires \valid(buf + (0 .. cap - 1));
    requires \valid_read(m);
    requires \separated(buf + (0 .. cap - 1), m);
    assigns buf[0 .. cap - 1];
    ensures \result == DHCP_E_SPACE || (DHCP_MIN_EMIT <= \result <= cap);
    ensures cap < 320 ==> \result == DHCP_E_SPACE;
*/
int dhcp_emit(uint8_t *buf, size_t cap, const struct dhcp_msg *m);

#endif
