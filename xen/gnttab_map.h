/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ATOLL_XEN_GNTTAB_MAP_H
#define ATOLL_XEN_GNTTAB_MAP_H

#include <stddef.h>

/* Maps up to 4 grant-table frames and initialises the bookkeeping over
 * them. The number of frames mapped, or -1 with the reason in err. */
int gnttab_map(char *err, size_t errlen);

#endif
