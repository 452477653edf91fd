/* SPDX-License-Identifier: Apache-2.0 */
/* Clearing secrets from memory: the writes go through a volatile pointer so
 * the compiler cannot drop them as dead stores. */
#ifndef ATOLL_TLS_WIPE_H
#define ATOLL_TLS_WIPE_H

#include <stddef.h>
#include <stdint.h>

static inline void tls_wipe(void *p, size_t n)
{
    volatile uint8_t *v = (volatile uint8_t *)p;
    while (n--)
        *v++ = 0;
}

#endif
