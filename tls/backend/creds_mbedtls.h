/* SPDX-License-Identifier: Apache-2.0 */
/* Server credentials over mbedtls: the functions of <atoll/tls_x509.h>'s
 * server half (creds_mbedtls.c). */
#ifndef ATOLL_TLS_CREDS_MBEDTLS_H
#define ATOLL_TLS_CREDS_MBEDTLS_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/tls_x509.h"
#include "tls/tls.h"

#endif
