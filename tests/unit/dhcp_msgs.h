/* SPDX-License-Identifier: Apache-2.0 */
/* DHCP messages built and read by hand (no tcpip/ code), for the wire
 * tests and the fake server. */
#ifndef ATOLL_TEST_DHCP_MSGS_H
#define ATOLL_TEST_DHCP_MSGS_H

#include <stddef.h>
#include <stdint.h>

/* BOOTP fixed part and magic cookie; returns 240, the options offset. */
size_t mk_bootp(uint8_t *b, uint8_t op, uint32_t xid, uint32_t yiaddr, const uint8_t *chaddr);
/* Appends one option at b[pos]; returns the new position. */
size_t opt_put(uint8_t *b, size_t pos, uint8_t code, uint8_t len, const uint8_t *v);
size_t opt_put8(uint8_t *b, size_t pos, uint8_t code, uint8_t v);
size_t opt_put32(uint8_t *b, size_t pos, uint8_t code, uint32_t v);

/* The value of option `code` in a message's options, walking pads and
 * lengths; NULL when absent or when the options are malformed. */
const uint8_t *opt_find(const uint8_t *msg, size_t len, uint8_t code, size_t *olen);

#endif
