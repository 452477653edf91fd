/* SPDX-License-Identifier: Apache-2.0 */
/* Case-insensitive comparison of request bytes with a lower-case literal
 * (method-independent names: field names, Connection options, schemes,
 * content codings). One proved static inline function, included by each
 * proof module that uses it (as base/wire.h's readers are). */
#ifndef ATOLL_HTTP_CI_H
#define ATOLL_HTTP_CI_H

#include <stddef.h>
#include <stdint.h>

#include "spec/http.acsl.h"

/* p[0 .. n-1] equals lit[0 .. n-1] with ASCII letters of p lowered; lit is
 * lower case and holds at least n bytes. Bytes are compared as ints: no
 * conversion of a char to uint8_t. */
/*@ requires \valid_read(p + (0 .. n - 1));
  @ requires \valid_read(lit + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 <==> (\forall integer k; 0 <= k < n ==> http_lower(p[k]) == lit[k]);
  @*/
static inline int http_ci_eq(const uint8_t *p, const char *lit, size_t n)
{
    size_t i = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop invariant \forall integer k; 0 <= k < i ==> http_lower(p[k]) == lit[k];
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    while (i < n) {
        int c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = c + 32;
        if (c != (int)lit[i])
            return 0;
        i++;
    }
    return 1;
}

#endif
