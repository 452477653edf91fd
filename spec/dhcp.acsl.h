/* SPDX-License-Identifier: Apache-2.0 */
/* DHCPv4 (RFC 2131, options RFC 2132) as ACSL logic. Logic only; included
 * by tcpip/wire_dhcp.h after struct dhcp_msg. */
#ifndef ATOLL_SPEC_DHCP_ACSL_H
#define ATOLL_SPEC_DHCP_ACSL_H

#include "spec/wire.acsl.h"

/* htype 1 (Ethernet), hlen 6; the magic cookie 99.130.83.99 at 236. */
#define DHCP_ETHERNET(b) ((b)[1] == 1 && (b)[2] == 6)
#define DHCP_COOKIE_OK(b) (BE32((b) + 236) == 0x63825363)

/* Where the end option of an emitted client message sits: after the message
 * type (3 bytes), the requested IP and server id options (6 each, when
 * present) and the parameter request list (7). */
#define DHCP_EMIT_END(has_req_ip, has_server_id)                              \
    (DHCP_OPTIONS_OFF + 3 + ((has_req_ip) != 0 ? 6 : 0)                       \
     + ((has_server_id) != 0 ? 6 : 0) + 7)

/*@ // Every has_* flag of a parsed message is 0 or 1.
    predicate dhcp_flags_ok{L}(struct dhcp_msg *m) =
      m->has_server_id <= 1 && m->has_lease <= 1 && m->has_t1 <= 1 && m->has_t2 <= 1
      && m->has_mask <= 1 && m->has_router <= 1 && m->has_dns <= 1 && m->has_req_ip <= 1;
*/

#endif
