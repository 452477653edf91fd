/* SPDX-License-Identifier: Apache-2.0 */
#include "appliance/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* NULL until log_init: plat_console takes that too (messages before the
 * platform is open). */
static struct platform *log_plat;
static enum log_level log_max = LOG_INFO;

void log_init(struct platform *p, enum log_level level)
{
    log_plat = p;
    log_max = level;
}

int log_enabled(enum log_level level)
{
    return level <= log_max;
}

int log_level_from_name(const char *s)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const tags[] = {"error", "warn", "info", "debug"};
    if (!log_enabled(level))
        return;
    char line[512];
    int n = snprintf(line, sizeof line, "atoll: %s: ", tags[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    plat_console(log_plat, line, len);
}

void log_raw(const char *s, size_t len)
{
    char line[2048];
    if (len > sizeof line - 1)
        len = sizeof line - 1;
    memcpy(line, s, len);
    line[len++] = '\n';
    plat_console(log_plat, line, len);
}
