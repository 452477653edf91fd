/* SPDX-License-Identifier: Apache-2.0 */
/* The packer's one way of telling the user what is wrong, shared by the
 * walk, the credential loader and the writer, so every run can list every
 * problem in the same form, one line each:
 *   atoll-pack: NAME: reason            a problem: no image is written
 *   atoll-pack: warning: NAME: reason   packed all the same
 * NAME (the file, directory or credential at fault) is quoted with
 * pack_quote (names.h): a file name holding a newline cannot forge a line. */
#ifndef ATOLL_PACK_REPORT_H
#define ATOLL_PACK_REPORT_H

#include <stdio.h>

struct pack_log {
    FILE *f;
    unsigned errors, warnings;
};

void pack_problem(struct pack_log *l, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void pack_warning(struct pack_log *l, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "12.3 MB" from a megabyte up, "4.5 KB" below: a summary that says "0.0 MB"
 * for the kilobytes a small site saves tells the user nothing. */
const char *pack_size_text(unsigned long long bytes, char *buf, size_t cap);

#endif
