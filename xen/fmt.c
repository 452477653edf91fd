/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/fmt.h"

#include <stdint.h>

struct out {
    char *buf;
    size_t cap, n;
};

static void put(struct out *o, char c)
{
    if (o->n + 1 < o->cap)
        o->buf[o->n] = c;
    o->n++;
}

static void pad(struct out *o, char c, int count)
{
    for (int i = 0; i < count; i++)
        put(o, c);
}

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };

/* One integer conversion: digits, then sign/prefix, precision zeros and
 * width padding in C's order. */
static void put_int(struct out *o, uintmax_t v, int neg, unsigned base, int upper, int flags, int width, int prec)
{
    char digits[24];
    int nd = 0;
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    if (!(v == 0 && prec == 0)) {
        do {
            digits[nd++] = set[v % base];
            v /= base;
        } while (v);
    }
    char prefix[3];
    int np = 0;
    if (neg)
        prefix[np++] = '-';
    else if (flags & F_PLUS)
        prefix[np++] = '+';
    else if (flags & F_SPACE)
        prefix[np++] = ' ';
    if ((flags & F_ALT) && base == 16 && nd > 0 && !(nd == 1 && digits[0] == '0')) {
        prefix[np++] = '0';
        prefix[np++] = upper ? 'X' : 'x';
    }
    int zeros = prec > nd ? prec - nd : 0;
    if ((flags & F_ALT) && base == 8 && zeros == 0 && (nd == 0 || digits[nd - 1] != '0'))
        zeros = 1;
    int len = np + zeros + nd;
    int fill = width > len ? width - len : 0;
    if (!(flags & F_LEFT) && (flags & F_ZERO) && prec < 0) {
        zeros += fill;
        fill = 0;
    }
    if (!(flags & F_LEFT))
        pad(o, ' ', fill);
    for (int i = 0; i < np; i++)
        put(o, prefix[i]);
    pad(o, '0', zeros);
    while (nd)
        put(o, digits[--nd]);
    if (flags & F_LEFT)
        pad(o, ' ', fill);
}

int fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct out o = {buf, cap, 0};
    va_list args;
    va_copy(args, ap);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        int flags = 0;
        for (;; p++) {
            if (*p == '-') flags |= F_LEFT;
            else if (*p == '+') flags |= F_PLUS;
            else if (*p == ' ') flags |= F_SPACE;
            else if (*p == '#') flags |= F_ALT;
            else if (*p == '0') flags |= F_ZERO;
            else break;
        }
        int width = 0;
        if (*p == '*') {
            width = va_arg(args, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                width = width * 10 + (*p++ - '0');
        }
        int prec = -1;
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') {
                prec = va_arg(args, int);
                if (prec < 0)
                    prec = -1;
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    prec = prec * 10 + (*p++ - '0');
            }
        }
        int len = 0; /* 0 int, 1 long, 2 long long, 3 size_t, 4 intmax_t, 5 ptrdiff_t, -1 short, -2 char */
        for (;; p++) {
            if (*p == 'l') len = len == 1 ? 2 : 1;
            else if (*p == 'h') len = len == -1 ? -2 : -1;
            else if (*p == 'z') len = 3;
            else if (*p == 'j') len = 4;
            else if (*p == 't') len = 5;
            else break;
        }
        char c = *p;
        switch (c) {
        case 'd':
        case 'i': {
            intmax_t v;
            switch (len) {
            case 1: v = va_arg(args, long); break;
            case 2: v = va_arg(args, long long); break;
            case 3: v = (intmax_t)va_arg(args, size_t); break;
            case 4: v = va_arg(args, intmax_t); break;
            case 5: v = va_arg(args, ptrdiff_t); break;
            case -1: v = (short)va_arg(args, int); break;
            case -2: v = (signed char)va_arg(args, int); break;
            default: v = va_arg(args, int); break;
            }
            uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
            put_int(&o, mag, v < 0, 10, 0, flags, width, prec);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uintmax_t v;
            switch (len) {
            case 1: v = va_arg(args, unsigned long); break;
            case 2: v = va_arg(args, unsigned long long); break;
            case 3: v = va_arg(args, size_t); break;
            case 4: v = va_arg(args, uintmax_t); break;
            case 5: v = (uintmax_t)va_arg(args, ptrdiff_t); break;
            case -1: v = (unsigned short)va_arg(args, unsigned); break;
            case -2: v = (unsigned char)va_arg(args, unsigned); break;
            default: v = va_arg(args, unsigned); break;
            }
            unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
            put_int(&o, v, 0, base, c == 'X', flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(args, void *);
            put_int(&o, v, 0, 16, 0, (flags & F_LEFT) | F_ALT, width, prec);
            break;
        }
        case 'c': {
            int fill = width > 1 ? width - 1 : 0;
            if (!(flags & F_LEFT))
                pad(&o, ' ', fill);
            put(&o, (char)va_arg(args, int));
            if (flags & F_LEFT)
                pad(&o, ' ', fill);
            break;
        }
        case 's': {
            const char *s = va_arg(args, const char *);
            if (!s)
                s = "(null)";
            int n = 0;
            while ((prec < 0 || n < prec) && s[n])
                n++;
            int fill = width > n ? width - n : 0;
            if (!(flags & F_LEFT))
                pad(&o, ' ', fill);
            for (int i = 0; i < n; i++)
                put(&o, s[i]);
            if (flags & F_LEFT)
                pad(&o, ' ', fill);
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default:
            va_end(args);
            if (cap)
                buf[o.n < cap ? o.n : cap - 1] = '\0';
            return -1;
        }
    }
    va_end(args);
    if (cap)
        buf[o.n < cap ? o.n : cap - 1] = '\0';
    return o.n > (size_t)INT32_MAX ? -1 : (int)o.n;
}
