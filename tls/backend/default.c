/* SPDX-License-Identifier: Apache-2.0 */
/* The build's backend: compiled once per choice with
 * -DTLS_BACKEND_CHOICE=tls_backend_<name> (Makefile, CRYPTO=). */
#include "tls/backend/backend.h"

#ifndef TLS_BACKEND_CHOICE
#error "TLS_BACKEND_CHOICE names the backend (the Makefile sets it from CRYPTO=)"
#endif

const struct atoll_tls_backend *const tls_backend_default = &TLS_BACKEND_CHOICE;
