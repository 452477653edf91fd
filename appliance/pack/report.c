/* SPDX-License-Identifier: Apache-2.0 */
#include "appliance/pack/report.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "appliance/pack/names.h"

static void say(struct pack_log *l, const char *tag, const char *name, const char *fmt, va_list ap)
{
    char q[PATH_MAX + 64];
    pack_quote((const uint8_t *)name, strlen(name), q, sizeof q);
    fprintf(l->f, "atoll-pack: %s%s: ", tag, q);
    vfprintf(l->f, fmt, ap);
    fputc('\n', l->f);
}

void pack_problem(struct pack_log *l, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(l, "", name, fmt, ap);
    va_end(ap);
    l->errors++;
}

void pack_warning(struct pack_log *l, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(l, "warning: ", name, fmt, ap);
    va_end(ap);
    l->warnings++;
}

const char *pack_size_text(unsigned long long bytes, char *buf, size_t cap)
{
    if (bytes >= 1000000ull)
        snprintf(buf, cap, "%.1f MB", (double)bytes / 1e6);
    else
        snprintf(buf, cap, "%.1f KB", (double)bytes / 1e3);
    return buf;
}
