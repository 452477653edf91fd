/* SPDX-License-Identifier: Apache-2.0 */
/* wolfCrypt's configuration (WOLFSSL_USER_SETTINGS), one for both archives
 * mk/wolfcrypt.sh builds: the backend's objects are linked into build/atoll
 * and the PVH image alike, so every struct must have one layout. Only the
 * primitives a TLS 1.3 server uses; assembly chosen at run time by CPUID. */
#ifndef ATOLL_WOLFCRYPT_USER_SETTINGS_H
#define ATOLL_WOLFCRYPT_USER_SETTINGS_H

/* No TLS layer, no OS: the engine is ours; no threads, files, sockets or
 * clock (certificate validity is checked elsewhere, not by wolfCrypt). */
#define WOLFCRYPT_ONLY
#define SINGLE_THREADED
#define NO_FILESYSTEM
#define NO_WRITEV
#define WOLFSSL_NO_SOCK
#define NO_DEV_RANDOM
#define NO_ASN_TIME
#define NO_SIG_WRAPPER
#define WOLFSSL_IGNORE_FILE_WARN
/* ASCII case folding for asn.c's name matching: glibc's <ctype.h> inlines
 * tolower() through its locale tables (__ctype_tolower_loc), which the PVH
 * image has not. */
#define CTYPE_USER
#ifndef __ASSEMBLER__
static inline int atoll_wc_tolower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }
static inline int atoll_wc_toupper(int c) { return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c; }
#endif
#define XTOLOWER(c) atoll_wc_tolower(c)
#define XTOUPPER(c) atoll_wc_toupper(c)
/* Codes only: the strings would be ~10 KB nobody prints. */
#define NO_ERROR_STRINGS

/* Intel/AMD assembly (.S files and SP asm); each routine is picked at run
 * time from cpuid_get_flags(), so CPUs without AES-NI, AVX or BMI2 run
 * the C code. */
#if defined(__x86_64__)
#ifndef WOLFSSL_X86_64_BUILD /* the .S files get it from mk/wolfcrypt.sh */
#define WOLFSSL_X86_64_BUILD
#endif
#define USE_INTEL_SPEEDUP
#define WOLFSSL_AESNI
#define HAVE_INTEL_AVX1
#define HAVE_INTEL_AVX2
#define WOLFSSL_SP_X86_64_ASM
#endif
/* What configure would find: the compiler's 128-bit integers (SP math's
 * double words). */
#if defined(__SIZEOF_INT128__)
#define HAVE___UINT128_T 1
#endif

/* Alignment the AES-NI and AVX code expects of contexts. */
#define WOLFSSL_USE_ALIGN

/* AES-GCM (128 and 256). With AES-NI the GHASH is PCLMULQDQ, tableless;
 * the C fallback, with no GCM_TABLE* defined, is the 64-bit bitwise
 * multiply: no 4 KiB/512-byte key table in struct Aes (each connection
 * holds two) and no secret-indexed lookups. */
#ifndef HAVE_AESGCM
#define HAVE_AESGCM
#endif
#define WOLFSSL_AES_128
#define WOLFSSL_AES_256
#define NO_AES_192
#define NO_AES_CBC
#define WOLFSSL_AES_DIRECT

#define HAVE_CHACHA
#define HAVE_POLY1305
#define HAVE_CURVE25519

/* ECDHE and ECDSA on P-256 and P-384: SP math, x86-64 asm. */
#define HAVE_ECC
#define ECC_USER_CURVES
#define HAVE_ECC256
#define HAVE_ECC384
#define ECC_SHAMIR
#define WOLFSSL_SP_MATH_ALL
#define WOLFSSL_HAVE_SP_ECC
#define WOLFSSL_SP_384
/* RSA server keys of 2048, 3072 and 4096 bits, signing with PSS. */
#define WOLFSSL_HAVE_SP_RSA
#define WOLFSSL_SP_4096
#define SP_INT_BITS 4096
#define WC_RSA_PSS
#define WOLFSSL_KEY_GEN

/* Side channels: constant-time scalar multiplication and modular
 * exponentiation, blinded RSA private operations. */
#define ECC_TIMING_RESISTANT
#define TFM_TIMING_RESISTANT
#define WC_RSA_BLINDING

#define WOLFSSL_SHA384
#define WOLFSSL_SHA512
#define HAVE_HKDF

#define NO_DH
#define NO_DSA
#define NO_DES3
#define NO_RC4
#define NO_MD4
#define NO_MD5
#define NO_SHA
#define NO_PSK
#define NO_PWDBASED
#define NO_OLD_TLS
#define WOLFSSL_NO_SHAKE256

/* The DRBG (SHA-256 Hash_DRBG) seeds from us: the appliance's platform
 * entropy, never /dev/random or RDSEED behind our back. The backend
 * defines it; the types are spelled out (byte, word32) because this file
 * is read before wolfCrypt's own headers (and by its .S files). */
#define HAVE_HASHDRBG
#ifndef __ASSEMBLER__
struct OS_Seed;
int atoll_wolfcrypt_seed(struct OS_Seed *os, unsigned char *out, unsigned int sz);
#endif
#define CUSTOM_RAND_GENERATE_SEED_OS atoll_wolfcrypt_seed

#endif
