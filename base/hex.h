/* SPDX-License-Identifier: Apache-2.0 */
/* The value of a hexadecimal digit: the one helper of the tree (the
 * config's MAC address, percent-decoding, IP-literal hosts, test vectors).
 * Static inline with its contract, proved in every proof module that
 * includes it (http_path, http_fields), as base/wire.h's readers are. */
#ifndef ATOLL_BASE_HEX_H
#define ATOLL_BASE_HEX_H

/* 0 .. 15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for any other c (a char
 * above 0x7f, negative where char is signed, included). */
/*@ assigns \nothing;
  @ ensures -1 <= \result <= 15;
  @ ensures \result >= 0 <==> (('0' <= c <= '9') || ('a' <= c <= 'f') || ('A' <= c <= 'F'));
  @ ensures '0' <= c <= '9' ==> \result == c - '0';
  @ ensures 'a' <= c <= 'f' ==> \result == c - 'a' + 10;
  @ ensures 'A' <= c <= 'F' ==> \result == c - 'A' + 10;
  @*/
static inline int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
