/* SPDX-License-Identifier: Apache-2.0 */
/* Byte strings of the RFC 8448 traces, as hex text (decode with unhex()). */
#ifndef ATOLL_TESTS_RFC8448_H
#define ATOLL_TESTS_RFC8448_H

extern const char RFC8448_S3_CLIENT_HELLO[];          /* 196 bytes */
extern const char RFC8448_S3_SERVER_HELLO[];          /* 90 */
extern const char RFC8448_S3_ENCRYPTED_EXTENSIONS[];  /* 40 */
extern const char RFC8448_S3_CERTIFICATE[];           /* 445 */
extern const char RFC8448_S3_CERTIFICATE_VERIFY[];    /* 136 */
extern const char RFC8448_S3_SERVER_FINISHED[];       /* 36 */
extern const char RFC8448_S3_CLIENT_FINISHED[];       /* 36 */
extern const char RFC8448_S3_SERVER_X25519_PRIV[];
extern const char RFC8448_S3_CLIENT_X25519_PUB[];
extern const char RFC8448_S3_SERVER_FLIGHT_RECORD[];  /* 679 */
extern const char RFC8448_S3_CLIENT_FINISHED_RECORD[];/* 58 */
extern const char RFC8448_S3_SERVER_HS_KEY[];
extern const char RFC8448_S3_SERVER_HS_IV[];
extern const char RFC8448_S3_CLIENT_HS_KEY[];
extern const char RFC8448_S3_CLIENT_HS_IV[];
extern const char RFC8448_S3_TICKET_NONCE[];
extern const char RFC8448_S4_CLIENT_HELLO_PREFIX[];   /* 477 */

#endif
