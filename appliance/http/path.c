/* SPDX-License-Identifier: Apache-2.0 */
/* Request-target to lookup key (http_path.h). Written for the provers like
 * http_parse.c: index loops, no library calls. */
#include "appliance/http/path.h"

#include "appliance/http/ci.h"
#include "base/hex.h"

int http_target_origin(const uint8_t *t, size_t n)
{
    if (n >= 1 && t[0] == '/')
        return 0;
    size_t a;
    if (n >= 7 && http_ci_eq(t, "http://", 7))
        a = 7;
    else if (n >= 8 && http_ci_eq(t, "https://", 8))
        a = 8;
    else
        return HTTP_PATH_E_BAD;
    size_t j = a;
    /*@ loop invariant a <= j <= n;
      @ loop assigns j;
      @ loop variant n - j;
      @*/
    while (j < n && t[j] != '/' && t[j] != '?')
        j++;
    if (j == a)
        return HTTP_PATH_E_BAD;
    return (int)j;
}

int http_path_decode(const uint8_t *t, size_t n, uint8_t *out)
{
    size_t i = 0, o = 0;
    /*@ loop invariant 0 <= o <= i <= n;
      @ loop invariant \forall integer k; 0 <= k < o ==> out[k] != 0;
      @ loop assigns i, o, out[0 .. n - 1];
      @ loop variant n - i;
      @*/
    while (i < n && t[i] != '?') {
        if (t[i] == 0) {
            return HTTP_PATH_E_BAD; /* the parser lets none through; the key must hold none either */
        } else if (t[i] == '%') {
            if (n - i < 3)
                return HTTP_PATH_E_BAD;
            int h = hex_value(t[i + 1]), l = hex_value(t[i + 2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0))
                return HTTP_PATH_E_BAD;
            out[o] = (uint8_t)(h * 16 + l);
            i += 3;
        } else {
            out[o] = t[i];
            i++;
        }
        o++;
    }
    return (int)o;
}

int http_path_remove_dots(uint8_t *p, size_t n)
{
    if (n == 0) {
        p[0] = '/';
        return 1;
    }
    size_t i = 0, o = 0;
    /* Output never outruns input (o <= i), so one buffer serves both. */
    /*@ loop invariant 0 <= o <= i <= n;
      @ loop invariant i < n ==> p[i] == '/';
      @ loop invariant o > 0 ==> p[0] == '/';
      @ loop assigns i, o, p[0 .. n - 1];
      @ loop variant n - i;
      @*/
    while (i < n) {
        size_t j = i + 1;
        /*@ loop invariant i + 1 <= j <= n;
          @ loop assigns j;
          @ loop variant n - j;
          @*/
        while (j < n && p[j] != '/')
            j++;
        size_t sl = j - i - 1;
        if (sl == 1 && p[i + 1] == '.') {
            if (j == n) {
                p[o] = '/';
                o++;
            }
        } else if (sl == 2 && p[i + 1] == '.' && p[i + 2] == '.') {
            /*@ loop invariant 0 <= o <= \at(o, LoopEntry);
              @ loop assigns o;
              @ loop variant o;
              @*/
            while (o > 0 && p[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            if (j == n) {
                p[o] = '/';
                o++;
            }
        } else {
            size_t k = i;
            /*@ loop invariant i <= k <= j;
              @ loop invariant o + (j - k) <= j;
              @ loop invariant k == i ==> p[i] == '/';
              @ loop invariant k > i ==> o > 0 && p[0] == '/';
              @ loop invariant o > 0 ==> p[0] == '/';
              @ loop invariant j < n ==> p[j] == '/';
              @ loop invariant o <= k;
              @ loop assigns k, o, p[0 .. n - 1];
              @ loop variant j - k;
              @*/
            while (k < j) {
                p[o] = p[k];
                o++;
                k++;
            }
        }
        i = j;
    }
    if (o == 0) {
        p[0] = '/';
        o = 1;
    }
    return (int)o;
}

int http_target_to_path(const uint8_t *t, size_t n, uint8_t *out, size_t *origin)
{
    int o = http_target_origin(t, n);
    if (o < 0)
        return HTTP_PATH_E_BAD;
    *origin = (size_t)o;
    int d = http_path_decode(t + o, n - (size_t)o, out);
    if (d < 0)
        return HTTP_PATH_E_BAD;
    if (d > 0 && out[0] != '/')
        return HTTP_PATH_E_BAD; /* absolute-form path starting '?' decodes to nothing; others start with '/' */
    return http_path_remove_dots(out, (size_t)d);
}
