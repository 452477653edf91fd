/* SPDX-License-Identifier: Apache-2.0 */
/* Range parsing (http_range.h), written for the provers: index loops,
 * saturating numbers, no library calls. */
#include "appliance/http/range.h"

/*@ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 <==> (c == ' ' || c == '\t');
  @*/
static int ows(uint8_t c)
{
    if (c == ' ' || c == '\t')
        return 1;
    return 0;
}

/* Digits from v[from], at most up to n: the index after them, and their
 * value (saturating at HTTP_RANGE_SAT) in *out. */
/*@ requires from <= n;
  @ requires \valid_read(v + (from .. n - 1));
  @ requires \valid(out);
  @ requires \separated(v + (from .. n - 1), out);
  @ assigns *out;
  @ ensures from <= \result <= n;
  @ ensures *out <= HTTP_RANGE_SAT;
  @*/
static size_t number(const uint8_t *v, size_t from, size_t n, uint64_t *out)
{
    size_t i = from;
    uint64_t x = 0;
    /*@ loop invariant from <= i <= n;
      @ loop invariant x <= HTTP_RANGE_SAT;
      @ loop assigns i, x;
      @ loop variant n - i;
      @*/
    while (i < n && v[i] >= '0' && v[i] <= '9') {
        if (x >= HTTP_RANGE_SAT / 10u)
            x = HTTP_RANGE_SAT;
        else
            x = x * 10u + (uint64_t)(v[i] - '0');
        i++;
    }
    *out = x;
    return i;
}

/* "bytes" in any case at v[0 .. 4]. */
/*@ requires \valid_read(v + (0 .. 4));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int unit_bytes(const uint8_t *v)
{
    if ((v[0] == 'b' || v[0] == 'B') && (v[1] == 'y' || v[1] == 'Y') && (v[2] == 't' || v[2] == 'T') &&
        (v[3] == 'e' || v[3] == 'E') && (v[4] == 's' || v[4] == 'S'))
        return 1;
    return 0;
}

int http_range_parse(const uint8_t *v, size_t n, uint64_t size, uint64_t *first, uint64_t *last)
{
    if (n < 6 || !unit_bytes(v) || v[5] != '=')
        return HTTP_RANGE_NONE;
    /* the list: its first non-empty element, and whether there is another */
    size_t s = 6, e = 7, count = 0, i = 6;
    /*@ loop invariant 6 <= i <= n;
      @ loop invariant 0 <= count <= 2;
      @ loop invariant count >= 1 ==> 6 <= s < e <= n;
      @ loop assigns i, s, e, count;
      @ loop variant n - i + (2 - count);
      @*/
    while (i < n && count < 2) {
        /*@ loop invariant \at(i, LoopEntry) <= i <= n;
          @ loop assigns i;
          @ loop variant n - i;
          @*/
        while (i < n && (ows(v[i]) || v[i] == ','))
            i++;
        if (i == n)
            break;
        size_t b = i;
        /*@ loop invariant b <= i <= n;
          @ loop assigns i;
          @ loop variant n - i;
          @*/
        while (i < n && v[i] != ',')
            i++;
        size_t t = i;
        /* v[b] is neither OWS nor a comma: the trimmed element keeps it */
        /*@ loop invariant b + 1 <= t <= i;
          @ loop assigns t;
          @ loop variant t;
          @*/
        while (t > b + 1 && ows(v[t - 1]))
            t--;
        count++;
        if (count == 1) {
            s = b;
            e = t;
        }
    }
    if (count != 1)
        return HTTP_RANGE_NONE;
    uint64_t a = 0, z = 0;
    if (v[s] == '-') {
        /* suffix-range: the last z bytes */
        size_t p = number(v, s + 1, e, &z);
        if (p == s + 1 || p != e)
            return HTTP_RANGE_NONE;
        if (z == 0 || size == 0)
            return HTTP_RANGE_UNSAT;
        if (size > z)
            *first = size - z;
        else
            *first = 0;
        *last = size - 1;
        return HTTP_RANGE_OK;
    }
    size_t p = number(v, s, e, &a);
    if (p == s || p == e || v[p] != '-')
        return HTTP_RANGE_NONE;
    size_t q = number(v, p + 1, e, &z);
    if (q != e)
        return HTTP_RANGE_NONE;
    if (q == p + 1)
        z = HTTP_RANGE_SAT; /* "a-": to the end */
    else if (z < a)
        return HTTP_RANGE_NONE; /* last-pos before first-pos: invalid, ignored */
    if (a >= size)
        return HTTP_RANGE_UNSAT;
    *first = a;
    if (z < size - 1)
        *last = z;
    else
        *last = size - 1;
    return HTTP_RANGE_OK;
}
