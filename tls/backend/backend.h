/* SPDX-License-Identifier: Apache-2.0 */
/* The backend a program built here links by default: the build names one
 * of <atoll/tls_backend.h>'s descriptors as tls_backend_default (`make
 * CRYPTO=wolfcrypt|mbedtls`, tls/backend/default.c). */
#ifndef ATOLL_TLS_BACKEND_H
#define ATOLL_TLS_BACKEND_H

#include "atoll/tls_backend.h"

extern const struct atoll_tls_backend *const tls_backend_default;

#endif
