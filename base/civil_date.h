/* SPDX-License-Identifier: Apache-2.0 */
/* Days since 1970-01-01 <-> proleptic Gregorian year/month/day, after
 * Howard Hinnant's days_from_civil / civil_from_days: exact, no tables,
 * no libc time functions (the appliance has no time zone database, and
 * gmtime is not freestanding). The one conversion of the tree: HTTP dates
 * (appliance/http/date.c), the access log's time and certificate validity
 * times (tls/backend/x509_mbedtls.c) all use it. Static inline with its
 * contracts, proved in every proof module that includes it (proofs/run.sh
 * http_date), as base/wire.h's readers are.
 *
 * The range is 1970-01-01 .. 9999-12-31: what an HTTP date can say, and
 * what the provers were given case hints for. A caller with older dates
 * (certificates from 1950) shifts them by whole 400-year cycles, each
 * exactly CIVIL_DAYS_400Y days. */
#ifndef ATOLL_BASE_CIVIL_DATE_H
#define ATOLL_BASE_CIVIL_DATE_H

#include <stdint.h>

#define CIVIL_DAYS_MAX 2932896 /* 9999-12-31 */
#define CIVIL_DAYS_400Y 146097 /* one Gregorian cycle */

/* Days from 1970-01-01 to y-m-d (the caller checks that month m has a
 * day d). */
/*@ requires 1970 <= y <= 9999;
  @ requires 1 <= m <= 12;
  @ requires 1 <= d <= 31;
  @ assigns \nothing;
  @ ensures 0 <= \result <= CIVIL_DAYS_MAX;
  @*/
static inline int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    //@ assert 4 <= era <= 24 && yoe <= 399 && y == era * 400 + yoe;
    //@ assert m > 2 ==> doy <= 305;
    //@ assert m <= 2 ==> 306 <= doy <= 367;
    //@ assert era == 4 ==> (yoe >= 370 || (yoe == 369 && m <= 2));
    //@ assert era == 24 ==> (m > 2 ==> doe <= 146036) && (m <= 2 ==> yoe <= 398 && doe <= 145733);
    //@ assert era <= 23 ==> doe <= 146098;
    return era * 146097 + (int64_t)doe - 719468;
}

/* The date of day z since 1970-01-01. */
/*@ requires 0 <= z <= CIVIL_DAYS_MAX;
  @ requires \valid(y) && \valid(m) && \valid(d);
  @ requires \separated(y, m, d);
  @ assigns *y, *m, *d;
  @ ensures 0 <= *y <= 10000;
  @ ensures 1 <= *m <= 12;
  @ ensures 1 <= *d <= 31;
  @*/
static inline void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

#endif
