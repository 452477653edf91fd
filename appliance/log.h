/* SPDX-License-Identifier: Apache-2.0 */
/* Console logging with levels, over plat_console. */
#ifndef ATOLL_LOG_H
#define ATOLL_LOG_H

#include "appliance/platform.h"

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_init(struct platform *p, enum log_level level);
int log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One line as it is (the access log), newline added. */
void log_raw(const char *s, size_t len);
/* "error", "warn", "info", "debug" -> level; -1 when unknown. */
int log_level_from_name(const char *s);

#endif
