/* SPDX-License-Identifier: Apache-2.0 */
/* Formatting over xen/fmt.c, console output, and the file functions
 * libmbedcrypto.a links to for its *_parse_keyfile paths: there are no
 * files in the image, so they fail the way a missing file does. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xen/console.h"
#include "xen/fmt.h"
#include "xen/trap.h"

int vsnprintf(char *restrict buf, size_t cap, const char *restrict fmt, va_list ap)
{
    return fmt_vsnprintf(buf, cap, fmt, ap);
}

int snprintf(char *restrict buf, size_t cap, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

int __snprintf_chk(char *buf, size_t cap, int flag, size_t slen, const char *fmt, ...);
int __snprintf_chk(char *buf, size_t cap, int flag, size_t slen, const char *fmt, ...)
{
    (void)flag;
    if (cap > slen)
        crash("__snprintf_chk: buffer overflow");
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

int __vsnprintf_chk(char *buf, size_t cap, int flag, size_t slen, const char *fmt, va_list ap);
int __vsnprintf_chk(char *buf, size_t cap, int flag, size_t slen, const char *fmt, va_list ap)
{
    (void)flag;
    if (cap > slen)
        crash("__vsnprintf_chk: buffer overflow");
    return fmt_vsnprintf(buf, cap, fmt, ap);
}

static int vprint(const char *fmt, va_list ap)
{
    char buf[512];
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    if (n > 0)
        console_write(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    return n;
}

int __printf_chk(int flag, const char *fmt, ...);
int __printf_chk(int flag, const char *fmt, ...)
{
    (void)flag;
    va_list ap;
    va_start(ap, fmt);
    int n = vprint(fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprint(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    console_puts(s);
    console_write("\n", 1);
    return 1;
}

int putchar(int c)
{
    char ch = (char)c;
    console_write(&ch, 1);
    return (unsigned char)c;
}

FILE *fopen(const char *restrict path, const char *restrict mode)
{
    (void)path;
    (void)mode;
    errno = ENOENT;
    return NULL;
}

size_t fread(void *restrict p, size_t size, size_t n, FILE *restrict f)
{
    (void)p, (void)size, (void)n, (void)f;
    return 0;
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
    (void)p, (void)size, (void)n, (void)f;
    return 0;
}

int fclose(FILE *f)
{
    (void)f;
    return EOF;
}

int ferror(FILE *f)
{
    (void)f;
    return 1;
}

long ftell(FILE *f)
{
    (void)f;
    errno = EBADF;
    return -1;
}

int fseek(FILE *f, long off, int whence)
{
    (void)f, (void)off, (void)whence;
    errno = EBADF;
    return -1;
}

char *fgets(char *restrict s, int n, FILE *restrict f)
{
    (void)s, (void)n, (void)f;
    return NULL;
}
