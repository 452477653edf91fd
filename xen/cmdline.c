/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/cmdline.h"

#include <string.h>

int cmdline_split(const char *in, char *app, size_t cap, char *kind, size_t kcap)
{
    size_t n = 0;
    if (cap == 0 || kcap == 0)
        return -1;
    app[0] = kind[0] = '\0';
    for (const char *p = in;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return 0;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t')
            e++;
        size_t w = (size_t)(e - p);
        if (w >= 6 && strncmp(p, "crash=", 6) == 0) {
            if (w - 6 >= kcap)
                return -1;
            memcpy(kind, p + 6, w - 6);
            kind[w - 6] = '\0';
        } else {
            if (n + (n ? 1 : 0) + w >= cap)
                return -1;
            if (n)
                app[n++] = ' ';
            memcpy(app + n, p, w);
            n += w;
            app[n] = '\0';
        }
        p = e;
    }
}
