/* SPDX-License-Identifier: Apache-2.0 */
#include "atoll/tcpip.h"

unsigned long atoll_tcpip_version(void) { return ATOLL_VERSION_NUMBER; }

const char *atoll_tcpip_version_string(void) { return ATOLL_VERSION_STRING; }
