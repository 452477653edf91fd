/* SPDX-License-Identifier: Apache-2.0 */
/* Field values (http_fields.h). Lists follow RFC 9110 §5.6.1: elements
 * separated by commas with optional whitespace, empty elements allowed.
 * Written for the provers like http_parse.c: index loops with
 * invariants, no library calls, plain if/else. */
#include "appliance/http/fields.h"

#include "appliance/http/ci.h"
#include "appliance/http/parse.h"
#include "base/hex.h"

/*@ assigns \nothing;
  @ ensures \result == 1 <==> (c == ' ' || c == '\t');
  @ ensures \result == 0 || \result == 1;
  @*/
static int ows(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* A qvalue (§12.4.2) is zero: "0", "0.", "0.0", ... up to three zeros. */
/*@ requires \valid_read(q + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @*/
static int q_zero(const uint8_t *q, size_t n)
{
    if (n == 0 || q[0] != '0')
        return 0;
    if (n == 1)
        return 1;
    if (q[1] != '.' || n > 5)
        return 0;
    /*@ loop invariant 2 <= i <= n;
      @ loop assigns i;
      @ loop variant n - i;
      @*/
    for (size_t i = 2; i < n; i++)
        if (q[i] != '0')
            return 0;
    return 1;
}

int http_accepts_gzip(const uint8_t *v, size_t n)
{
    int gzip = -1, star = -1; /* -1: not named; else 1 when q > 0 */
    size_t i = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop invariant -1 <= gzip <= 1 && -1 <= star <= 1;
      @ loop assigns i, gzip, star;
      @ loop variant n - i;
      @*/
    while (i < n) {
        /*@ loop invariant \at(i, LoopEntry) <= i <= n;
          @ loop assigns i;
          @ loop variant n - i;
          @*/
        while (i < n && (ows(v[i]) || v[i] == ','))
            i++;
        if (i == n)
            break;
        size_t cs = i;
        //@ assert v[cs] != ',';
        /*@ loop invariant cs <= i <= n;
          @ loop assigns i;
          @ loop variant n - i;
          @*/
        while (i < n && http_is_tchar(v[i]))
            i++;
        size_t ce = i;
        int positive = 1;
        /* parameters: ;q=... (others ignored) */
        /*@ loop invariant ce <= i <= n;
          @ loop invariant positive == 0 || positive == 1;
          @ loop assigns i, positive;
          @ loop variant n - i;
          @*/
        while (i < n && v[i] != ',') {
            /*@ loop invariant \at(i, LoopEntry) <= i <= n;
              @ loop assigns i;
              @ loop variant n - i;
              @*/
            while (i < n && ows(v[i]))
                i++;
            if (i < n && v[i] == ';') {
                i++;
                /*@ loop invariant \at(i, LoopEntry) <= i <= n;
                  @ loop assigns i;
                  @ loop variant n - i;
                  @*/
                while (i < n && ows(v[i]))
                    i++;
                size_t ps = i;
                /*@ loop invariant ps <= i <= n;
                  @ loop assigns i;
                  @ loop variant n - i;
                  @*/
                while (i < n && http_is_tchar(v[i]))
                    i++;
                size_t pe = i;
                if (i < n && v[i] == '=') {
                    i++;
                    size_t vs = i;
                    /*@ loop invariant vs <= i <= n;
                      @ loop assigns i;
                      @ loop variant n - i;
                      @*/
                    while (i < n && v[i] != ',' && v[i] != ';' && !ows(v[i]))
                        i++;
                    if (pe - ps == 1 && (v[ps] == 'q' || v[ps] == 'Q') && q_zero(v + vs, i - vs))
                        positive = 0;
                }
            } else if (i < n && v[i] != ',') {
                i++; /* junk: skip it rather than loop */
            }
        }
        //@ assert cs < i;
        if ((ce - cs == 4 && http_ci_eq(v + cs, "gzip", 4)) || (ce - cs == 6 && http_ci_eq(v + cs, "x-gzip", 6)))
            gzip = gzip == 1 ? 1 : positive;
        else if (ce - cs == 1 && v[cs] == '*')
            star = star == 1 ? 1 : positive;
    }
    if (gzip >= 0)
        return gzip;
    return star == 1;
}

/* Where the opaque-tag of the entity-tag at v[i ..] starts: after its
 * "W/" when it is weak. */
/*@ requires i <= n;
  @ requires \valid_read(v + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == i || (\result == i + 2 && \result <= n);
  @*/
static size_t tag_start(const uint8_t *v, size_t n, size_t i)
{
    if (n - i > 1 && v[i] == 'W' && v[i + 1] == '/')
        return i + 2;
    return i;
}

/* The opaque-tag at v[s ..] (quotes included): the index after its
 * closing quote, or 0 when malformed. */
/*@ requires s <= n;
  @ requires \valid_read(v + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || (s + 2 <= \result <= n && v[s] == '"' && v[\result - 1] == '"');
  @*/
static size_t opaque_end(const uint8_t *v, size_t n, size_t s)
{
    if (s >= n || v[s] != '"')
        return 0;
    size_t j = s + 1;
    /*@ loop invariant s + 1 <= j <= n;
      @ loop assigns j;
      @ loop variant n - j;
      @*/
    while (j < n && v[j] != '"') {
        uint8_t c = v[j];
        if (c < 0x21 || c == 0x7f) /* etagc = %x21 / %x23-7E / obs-text */
            return 0;
        j++;
    }
    if (j >= n)
        return 0;
    return j + 1;
}

/* The opaque-tag v[s .. e-1] equals t[0 .. tl-1]. */
/*@ requires s <= e <= n;
  @ requires \valid_read(v + (0 .. n - 1));
  @ requires \valid_read(t + (0 .. tl - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> e - s == tl && http_bytes_at(v, n, s, t, tl);
  @ ensures \result == 1 ==> \forall integer k; 0 <= k < tl ==> v[s + k] == t[k];
  @*/
static int tag_eq(const uint8_t *v, size_t n, size_t s, size_t e, const uint8_t *t, size_t tl)
{
    (void)n; /* the contract's bound */
    if (e - s != tl)
        return 0;
    /*@ loop invariant 0 <= i <= tl;
      @ loop invariant \forall integer k; 0 <= k < i ==> v[s + k] == t[k];
      @ loop assigns i;
      @ loop variant tl - i;
      @*/
    for (size_t i = 0; i < tl; i++)
        if (v[s + i] != t[i])
            return 0;
    return 1;
}

/* The list of entity-tags v[0 .. n-1] holds one whose opaque-tag is
 * t[0 .. tl-1]: 1, else 0 (also for a malformed list). */
/*@ requires \valid_read(v + (0 .. n - 1));
  @ requires \valid_read(t + (0 .. tl - 1));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 ==> \exists integer s; http_bytes_at(v, n, s, t, tl);
  @*/
static int list_match(const uint8_t *v, size_t n, const uint8_t *t, size_t tl)
{
    size_t i = 0;
    int match = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop invariant match == 0 || match == 1;
      @ loop invariant match == 1 ==> \exists integer s; http_bytes_at(v, n, s, t, tl);
      @ loop assigns i, match;
      @ loop variant n - i;
      @*/
    while (i < n) {
        /*@ loop invariant \at(i, LoopEntry) <= i <= n;
          @ loop assigns i;
          @ loop variant n - i;
          @*/
        while (i < n && (ows(v[i]) || v[i] == ','))
            i++;
        if (i == n)
            break;
        size_t s = tag_start(v, n, i);
        size_t e = opaque_end(v, n, s);
        if (e == 0)
            return 0;
        if (tag_eq(v, n, s, e, t, tl))
            match = 1;
        i = e;
        /*@ loop invariant e <= i <= n;
          @ loop assigns i;
          @ loop variant n - i;
          @*/
        while (i < n && ows(v[i]))
            i++;
        if (i < n && v[i] != ',')
            return 0;
    }
    return match;
}

int http_inm_match(const uint8_t *v, size_t n, const uint8_t *etag, size_t elen)
{
    if (n == 1 && v[0] == '*')
        return 1;
    if (elen >= 2 && etag[0] == 'W' && etag[1] == '/') /* weak comparison: without W/ */
        return list_match(v, n, etag + 2, elen - 2);
    return list_match(v, n, etag, elen);
}

int http_if_range_etag_match(const uint8_t *v, size_t n, const uint8_t *etag, size_t elen)
{
    size_t s = tag_start(v, n, 0);
    size_t e = opaque_end(v, n, s);
    if (e == 0 || e != n || s != 0) /* malformed, more than one tag, or weak */
        return 0;
    if (elen >= 2 && etag[0] == 'W' && etag[1] == '/')
        return 0;
    return tag_eq(v, n, s, e, etag, elen);
}

int http_host_parse(const uint8_t *v, size_t n, size_t *name_len)
{
    size_t i = 0;
    if (n == 0)
        return -1;
    if (v[0] == '[') {
        i = 1;
        /*@ loop invariant 1 <= i <= n;
          @ loop invariant \forall integer k; 1 <= k < i ==> http_iplit_char(v[k]);
          @ loop assigns i;
          @ loop variant n - i;
          @*/
        while (i < n && (hex_value(v[i]) >= 0 || v[i] == ':' || v[i] == '.'))
            i++;
        if (i == 1 || i >= n || v[i] != ']')
            return -1;
        i++;
    } else {
        /*@ loop invariant 0 <= i <= n;
          @ loop invariant \forall integer k; 0 <= k < i ==> http_regname_char(v[k]);
          @ loop assigns i;
          @ loop variant n - i;
          @*/
        while (i < n) {
            uint8_t c = v[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '.' || c == '_' || c == '~'))
                break;
            i++;
        }
        if (i == 0)
            return -1;
    }
    //@ assert http_host_name(v, i);
    size_t hl = i; /* *name_len on success */
    if (i < n) {
        if (v[i] != ':')
            return -1;
        i++;
        if (n - i > 5)
            return -1;
        uint32_t port = 0;
        /*@ loop invariant hl + 1 <= i <= n;
          @ loop invariant http_digits(v, hl + 1, i);
          @ loop invariant i - hl - 1 == 0 ==> port == 0;
          @ loop invariant i - hl - 1 <= 1 ==> port <= 9;
          @ loop invariant i - hl - 1 <= 2 ==> port <= 99;
          @ loop invariant i - hl - 1 <= 3 ==> port <= 999;
          @ loop invariant i - hl - 1 <= 4 ==> port <= 9999;
          @ loop invariant port <= 99999;
          @ loop assigns i, port;
          @ loop variant n - i;
          @*/
        for (; i < n; i++) {
            if (v[i] < '0' || v[i] > '9')
                return -1;
            port = port * 10 + (uint32_t)(v[i] - '0');
        }
        if (port > 65535)
            return -1;
    }
    *name_len = hl;
    return 0;
}

size_t http_etag_gz(const uint8_t *etag, size_t elen, uint8_t *out)
{
    size_t k = elen; /* where "-gz" goes: before the closing quote */
    if (elen > 0 && etag[elen - 1] == '"')
        k = elen - 1;
    size_t o = 0;
    /*@ loop invariant 0 <= i <= k && o == i;
      @ loop invariant \forall integer j; 0 <= j < i ==> out[j] == etag[j];
      @ loop assigns i, o, out[0 .. k - 1];
      @ loop variant k - i;
      @*/
    for (size_t i = 0; i < k; i++)
        out[o++] = etag[i];
    out[o++] = '-';
    out[o++] = 'g';
    out[o++] = 'z';
    /*@ loop invariant k <= i <= elen && o == i + 3;
      @ loop invariant \forall integer j; 0 <= j < k ==> out[j] == etag[j];
      @ loop invariant out[k] == '-' && out[k + 1] == 'g' && out[k + 2] == 'z';
      @ loop invariant \forall integer j; k <= j < i ==> out[j + 3] == etag[j];
      @ loop assigns i, o, out[k + 3 .. elen + 2];
      @ loop variant elen - i;
      @*/
    for (size_t i = k; i < elen; i++)
        out[o++] = etag[i];
    return o;
}
