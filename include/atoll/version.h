/* SPDX-License-Identifier: Apache-2.0 */
/* Atoll's version, the same for every library of one release.
 *
 * The macros say which headers a program was compiled against; each
 * library's run-time function (atoll_tcpip_version, atoll_tls_version)
 * says which library it was linked with. A program that needs a feature
 * of MINOR n checks ATOLL_VERSION_NUMBER >= 0x0000n00 at compile time and
 * the run-time number at start. What is stable across which releases:
 * CHANGELOG.md. */
#ifndef ATOLL_VERSION_H
#define ATOLL_VERSION_H

#define ATOLL_VERSION_MAJOR 0
#define ATOLL_VERSION_MINOR 1
#define ATOLL_VERSION_PATCH 0
/* 0xMMmmpp: MAJOR, MINOR and PATCH, two hex digits each. */
#define ATOLL_VERSION_NUMBER ((ATOLL_VERSION_MAJOR << 16) | (ATOLL_VERSION_MINOR << 8) | ATOLL_VERSION_PATCH)
#define ATOLL_VERSION_STRING "0.1.0"

/* Public structures that must be 16-byte aligned, in C11 and C++11 alike. */
#ifdef __cplusplus
#define ATOLL_ALIGNAS(n) alignas(n)
#else
#define ATOLL_ALIGNAS(n) _Alignas(n)
#endif

#endif
