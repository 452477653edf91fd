/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ATOLL_XEN_CMDLINE_H
#define ATOLL_XEN_CMDLINE_H

#include <stddef.h>

/* Takes the image's own keys out of a PVH command line (crash=KIND, the
 * crash-report test's fault; the last one counts) and copies the other
 * words, one space apart, to app for config_from_cmdline. 0, or -1 when
 * app or kind is too small for what they must hold. Pure: tested on the
 * host. */
int cmdline_split(const char *in, char *app, size_t cap, char *kind, size_t kcap);

#endif
