/* SPDX-License-Identifier: Apache-2.0 */
/* Internals of the image's libc subset shared with its host tests. */
#ifndef ATOLL_XEN_LIBC_H
#define ATOLL_XEN_LIBC_H

#include <stdint.h>
#include <time.h>

/* Seconds since 1970 (UTC) -> broken-down time, any year the int holds. */
void libc_civil(int64_t t, struct tm *out);
/* (year, month 1-12, day 1-31) -> days since 1970-01-01. */
int64_t libc_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
