/* SPDX-License-Identifier: Apache-2.0 */
/* The image's printf engine: the C99 conversions the appliance and mbedtls
 * use (d i u x X o c s p %, flags -+ #0, width and precision, * for either,
 * hh h l ll z j t), no floating point. Pure: tested on the host. */
#ifndef ATOLL_XEN_FMT_H
#define ATOLL_XEN_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* As vsnprintf: writes at most cap bytes including the NUL and returns
 * the length the whole output would have; -1 on an unknown conversion. */
int fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);

#endif
