/* SPDX-License-Identifier: Apache-2.0 */
/* HTTP dates over the calendar arithmetic of base/civil_date.h. Written
 * for the provers: contracts on every helper, index loops, no pointer
 * tables. */
#include "appliance/http/date.h"

#include "base/civil_date.h"

static const char WDAY[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; /* 1970-01-01 was a Thursday */
static const char MON[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char LONG_WDAY[7][10] = {"Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"};

#define T_MAX HTTP_DATE_T_MAX

/* Two characters of v < 780: its decimal digits when v < 100. */
/*@ requires \valid(p + (0 .. 1));
  @ requires v < 780;
  @ assigns p[0 .. 1];
  @ ensures p[0] == '0' + v / 10 && p[1] == '0' + v % 10;
  @*/
static void put2(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)('0' + v / 10);
    p[1] = (uint8_t)('0' + v % 10);
}

/* Header-safe text (VCHAR or SP), byte by byte: a plain conjunction of
 * reads. http_date_format's \forall is proved from it in a goal of its
 * own; proved under the whole computation, the provers had 29 cases to
 * split there and timed out. */
#define TEXT(c) (0x20 <= (c) && (c) <= 0x7e)
#define TEXT29(o)                                                                                             \
    (TEXT(o[0]) && TEXT(o[1]) && TEXT(o[2]) && TEXT(o[3]) && TEXT(o[4]) && TEXT(o[5]) && TEXT(o[6]) &&        \
     TEXT(o[7]) && TEXT(o[8]) && TEXT(o[9]) && TEXT(o[10]) && TEXT(o[11]) && TEXT(o[12]) && TEXT(o[13]) &&    \
     TEXT(o[14]) && TEXT(o[15]) && TEXT(o[16]) && TEXT(o[17]) && TEXT(o[18]) && TEXT(o[19]) && TEXT(o[20]) && \
     TEXT(o[21]) && TEXT(o[22]) && TEXT(o[23]) && TEXT(o[24]) && TEXT(o[25]) && TEXT(o[26]) && TEXT(o[27]) && \
     TEXT(o[28]))

/* The names of the day and the month, each in a helper of its own:
 * inside date_fields, after a dozen writes to out, proving a name's bytes
 * non-negative (a char table into uint8_t) took CVC4 5 s of its 10 s and
 * timed out on a loaded machine. */
/*@ requires w <= 6;
  @ requires \valid(p + (0 .. 2));
  @ assigns p[0 .. 2];
  @ ensures TEXT(p[0]) && TEXT(p[1]) && TEXT(p[2]);
  @*/
static void put_wday(uint8_t *p, unsigned w)
{
    p[0] = (uint8_t)WDAY[w][0];
    p[1] = (uint8_t)WDAY[w][1];
    p[2] = (uint8_t)WDAY[w][2];
}

/*@ requires 1 <= m <= 12;
  @ requires \valid(p + (0 .. 2));
  @ assigns p[0 .. 2];
  @ ensures TEXT(p[0]) && TEXT(p[1]) && TEXT(p[2]);
  @*/
static void put_month(uint8_t *p, unsigned m)
{
    p[0] = (uint8_t)MON[m - 1][0];
    p[1] = (uint8_t)MON[m - 1][1];
    p[2] = (uint8_t)MON[m - 1][2];
}

/*@ requires \valid(out + (0 .. HTTP_DATE_LEN - 1));
  @ assigns out[0 .. HTTP_DATE_LEN - 1];
  @ ensures TEXT29(out);
  @ ensures out[3] == ',' && out[4] == ' ' && out[7] == ' ' && out[11] == ' ' && out[16] == ' ' &&
  @         out[19] == ':' && out[22] == ':' && out[25] == ' ' && out[26] == 'G' && out[27] == 'M' &&
  @         out[28] == 'T';
  @*/
static void date_fields(int64_t t, uint8_t *out)
{
    if (t < 0)
        t = 0;
    if (t > T_MAX)
        t = T_MAX;
    int64_t days = t / 86400;
    unsigned secs = (unsigned)(t % 86400);
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    put_wday(out, (unsigned)(days % 7));
    out[3] = ',';
    out[4] = ' ';
    put2(out + 5, d);
    out[7] = ' ';
    put_month(out + 8, m);
    out[11] = ' ';
    put2(out + 12, (unsigned)(y / 100));
    put2(out + 14, (unsigned)(y % 100));
    out[16] = ' ';
    put2(out + 17, secs / 3600);
    out[19] = ':';
    put2(out + 20, secs / 60 % 60);
    out[22] = ':';
    put2(out + 23, secs % 60);
    out[25] = ' ';
    out[26] = 'G';
    out[27] = 'M';
    out[28] = 'T';
    //@ assert TEXT(out[0]) && TEXT(out[1]) && TEXT(out[2]);
    //@ assert TEXT(out[5]) && TEXT(out[6]);
    //@ assert TEXT(out[8]) && TEXT(out[9]) && TEXT(out[10]);
    //@ assert TEXT(out[12]) && TEXT(out[13]) && TEXT(out[14]) && TEXT(out[15]);
    //@ assert TEXT(out[17]) && TEXT(out[18]) && TEXT(out[20]) && TEXT(out[21]);
    //@ assert TEXT(out[23]) && TEXT(out[24]);
}

void http_date_format(int64_t t, uint8_t out[HTTP_DATE_LEN])
{
    date_fields(t, out);
}

/* n decimal digits at s, or -1. */
/*@ requires n <= 4;
  @ requires \valid_read(s + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures -1 <= \result <= 9999;
  @ ensures n <= 2 ==> \result <= 99;
  @ ensures n <= 1 ==> \result <= 9;
  @*/
static int64_t digits(const uint8_t *s, size_t n)
{
    int64_t v = 0;
    /*@ loop invariant 0 <= i <= n;
      @ loop invariant 0 <= v;
      @ loop invariant i == 0 ==> v == 0;
      @ loop invariant i <= 1 ==> v <= 9;
      @ loop invariant i <= 2 ==> v <= 99;
      @ loop invariant i <= 3 ==> v <= 999;
      @ loop invariant v <= 9999;
      @ loop assigns i, v;
      @ loop variant n - i;
      @*/
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/*@ requires \valid_read(s + (0 .. 2));
  @ assigns \nothing;
  @ ensures \result == -1 || 1 <= \result <= 12;
  @*/
static int month(const uint8_t *s)
{
    /*@ loop invariant 0 <= i <= 12;
      @ loop assigns i;
      @ loop variant 12 - i;
      @*/
    for (int i = 0; i < 12; i++)
        if (s[0] == (uint8_t)MON[i][0] && s[1] == (uint8_t)MON[i][1] && s[2] == (uint8_t)MON[i][2])
            return i + 1;
    return -1;
}

/*@ requires \valid_read(s + (0 .. 2));
  @ assigns \nothing;
  @ ensures -1 <= \result <= 6;
  @*/
static int wday3(const uint8_t *s)
{
    /*@ loop invariant 0 <= i <= 7;
      @ loop assigns i;
      @ loop variant 7 - i;
      @*/
    for (int i = 0; i < 7; i++)
        if (s[0] == (uint8_t)WDAY[i][0] && s[1] == (uint8_t)WDAY[i][1] && s[2] == (uint8_t)WDAY[i][2])
            return i;
    return -1;
}

/* "HH:MM:SS" at s: seconds into the day, or -1. */
/*@ requires \valid_read(s + (0 .. 7));
  @ assigns \nothing;
  @ ensures -1 <= \result <= 86399;
  @*/
static int64_t clock_of(const uint8_t *s)
{
    if (s[2] != ':' || s[5] != ':')
        return -1;
    int64_t h = digits(s, 2), mi = digits(s + 3, 2), se = digits(s + 6, 2);
    if (h < 0 || mi < 0 || se < 0 || h > 23 || mi > 59 || se > 60)
        return -1;
    return h * 3600 + mi * 60 + (se == 60 ? 59 : se); /* a leap second is the second before */
}

/*@ requires \valid(t);
  @ requires -1 <= y <= 9999;
  @ requires m == -1 || 1 <= m <= 12;
  @ requires -1 <= d <= 99;
  @ requires -1 <= secs <= 86399;
  @ assigns *t;
  @ ensures \result == 0 || \result == -1;
  @ ensures \result == 0 ==> 0 <= *t <= T_MAX;
  @ ensures \result != 0 ==> *t == \old(*t);
  @*/
static int to_time(int64_t y, int m, int64_t d, int64_t secs, int64_t *t)
{
    static const unsigned char MDAYS[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || m < 1 || d < 1 || d > MDAYS[m - 1] || secs < 0)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return -1;
    *t = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + secs;
    return 0;
}

/*@ requires \valid_read(s + (0 .. n - 1));
  @ requires \valid(t);
  @ requires \separated(s + (0 .. n - 1), t);
  @ assigns *t;
  @ ensures \result == 0 || \result == -1;
  @ ensures \result == 0 ==> 0 <= *t <= T_MAX;
  @ ensures \result != 0 ==> *t == \old(*t);
  @*/
static int parse_imf(const uint8_t *s, size_t n, int64_t *t)
{
    /* Sun, 06 Nov 1994 08:49:37 GMT */
    if (n != 29 || wday3(s) < 0 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[25] != ' ' || s[26] != 'G' || s[27] != 'M' || s[28] != 'T')
        return -1;
    return to_time(digits(s + 12, 4), month(s + 8), digits(s + 5, 2), clock_of(s + 17), t);
}

/*@ requires \valid_read(s + (0 .. n - 1));
  @ requires \valid(t);
  @ requires \separated(s + (0 .. n - 1), t);
  @ assigns *t;
  @ ensures \result == 0 || \result == -1;
  @ ensures \result == 0 ==> 0 <= *t <= T_MAX;
  @ ensures \result != 0 ==> *t == \old(*t);
  @*/
static int parse_rfc850(const uint8_t *s, size_t n, int64_t *t)
{
    /* Sunday, 06-Nov-94 08:49:37 GMT */
    size_t w = 0;
    /*@ loop invariant 0 <= w <= n;
      @ loop assigns w;
      @ loop variant n - w;
      @*/
    while (w < n && s[w] != ',')
        w++;
    if (w < 6 || w > 9 || n != w + 24)
        return -1;
    int ok = 0;
    /*@ loop invariant 0 <= i <= 7;
      @ loop invariant ok == 0 || ok == 1;
      @ loop assigns i, ok;
      @ loop variant 7 - i;
      @*/
    for (int i = 0; i < 7; i++) {
        size_t l = 0;
        /*@ loop invariant 0 <= l <= 9;
          @ loop assigns l;
          @ loop variant 9 - l;
          @*/
        while (l < 9 && LONG_WDAY[i][l] != 0) /* every name is shorter than its row */
            l++;
        if (l == w) {
            size_t k = 0;
            /*@ loop invariant 0 <= k <= l;
              @ loop assigns k;
              @ loop variant l - k;
              @*/
            while (k < l && s[k] == (uint8_t)LONG_WDAY[i][k])
                k++;
            if (k == l)
                ok = 1;
        }
    }
    const uint8_t *p = s + w;
    if (!ok || p[1] != ' ' || p[4] != '-' || p[8] != '-' || p[11] != ' ' || p[20] != ' ' || p[21] != 'G' ||
        p[22] != 'M' || p[23] != 'T')
        return -1;
    int64_t yy = digits(p + 9, 2);
    if (yy < 0)
        return -1;
    /* RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in
     * the past; without a clock here, 70..99 is 19xx, the rest 20xx. */
    int64_t y = yy >= 70 ? 1900 + yy : 2000 + yy;
    return to_time(y, month(p + 5), digits(p + 2, 2), clock_of(p + 12), t);
}

/*@ requires \valid_read(s + (0 .. n - 1));
  @ requires \valid(t);
  @ requires \separated(s + (0 .. n - 1), t);
  @ assigns *t;
  @ ensures \result == 0 || \result == -1;
  @ ensures \result == 0 ==> 0 <= *t <= T_MAX;
  @ ensures \result != 0 ==> *t == \old(*t);
  @*/
static int parse_asctime(const uint8_t *s, size_t n, int64_t *t)
{
    /* Sun Nov  6 08:49:37 1994 */
    if (n != 24 || wday3(s) < 0 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ')
        return -1;
    int64_t d = s[8] == ' ' ? digits(s + 9, 1) : digits(s + 8, 2);
    return to_time(digits(s + 20, 4), month(s + 4), d, clock_of(s + 11), t);
}

int http_date_parse(const uint8_t *s, size_t n, int64_t *t)
{
    if (parse_imf(s, n, t) == 0 || parse_rfc850(s, n, t) == 0 || parse_asctime(s, n, t) == 0)
        return 0;
    return -1;
}
