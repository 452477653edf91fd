/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTP request parsers of appliance/http/ called by name, each
 * checked against its header contract at run time (fuzz_http drives them
 * only through http_conn, which stops at the first error it answers).
 *
 * Input: selector (1 byte, modulo 8), then the bytes for that parser. Range also
 * takes the representation size from the next 2 bytes. Violations
 * abort(). */
#include "fuzz_common.h"
#include "appliance/http/date.h"
#include "appliance/http/fields.h"
#include "appliance/http/parse.h"
#include "appliance/http/path.h"
#include "appliance/http/range.h"

static void head(const uint8_t *b, size_t len)
{
    size_t end = http_head_end(b, 0, len);
    FUZZ_CHECK(end <= len);
    if (end == 0)
        return;
    struct http_req r;
    int n = http_head_parse(b, end, &r);
    FUZZ_CHECK(n == (int)end || n == HTTP_E_BAD || n == HTTP_E_VERSION || n == HTTP_E_URI_TOO_LONG ||
               n == HTTP_E_FIELDS || n == HTTP_E_NOT_IMPL);
    if (n != (int)end)
        return;
    const struct http_span spans[] = {r.line, r.method, r.target, r.host, r.range, r.if_range,
                                      r.inm,  r.ims,    r.accept_enc, r.referer, r.agent};
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
        FUZZ_CHECK(HTTP_SPAN_IN(spans[i], end));
    FUZZ_CHECK(r.nfields <= HTTP_FIELDS_MAX && r.host_count <= 1 && (r.minor == 0 || r.minor == 1));
    FUZZ_CHECK(r.minor == 0 || r.host_count == 1);
    FUZZ_CHECK(r.content_length <= HTTP_CL_SAT && r.target.len >= 1 && r.target.len <= HTTP_TARGET_MAX);
}

static void path(const uint8_t *b, size_t len)
{
    uint8_t *out = malloc(len + 2);
    if (!out)
        abort();
    int o = http_target_origin(b, len);
    FUZZ_CHECK(o == HTTP_PATH_E_BAD || (o >= 0 && (size_t)o <= len));
    int d = http_path_decode(b, len, out);
    FUZZ_CHECK(d == HTTP_PATH_E_BAD || (d >= 0 && (size_t)d <= len));
    if (d >= 0) {
        FUZZ_CHECK(memchr(out, 0, (size_t)d) == NULL);
        if (d == 0 || out[0] == '/') {
            int k = http_path_remove_dots(out, (size_t)d);
            FUZZ_CHECK(k >= 1 && k <= d + 1 && out[0] == '/');
            /* no "." or ".." segment survives */
            for (int i = 0; i < k; i++) {
                if (out[i] != '/')
                    continue;
                size_t rest = (size_t)(k - i - 1);
                const uint8_t *s = out + i + 1;
                FUZZ_CHECK(!(rest >= 1 && s[0] == '.' && (rest == 1 || s[1] == '/')));
                FUZZ_CHECK(!(rest >= 2 && s[0] == '.' && s[1] == '.' && (rest == 2 || s[2] == '/')));
            }
        }
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0] % 8u;
    size_t len = size - 1;
    uint8_t *b = fuzz_dup(data + 1, len);
    switch (sel) {
    case 0: head(b, len); break;
    case 1: {
        struct http_span name, value;
        int n = http_field_parse(b, len, &name, &value);
        FUZZ_CHECK(n > 0 || n == HTTP_E_BAD);
        if (n > 0)
            FUZZ_CHECK((size_t)n <= len && b[n - 1] == '\n' && name.len >= 1 && b[name.len] == ':' &&
                       value.off + value.len + 2 <= (size_t)n);
        break;
    }
    case 2: {
        uint64_t v = 0;
        int n = http_content_length_parse(b, len, &v);
        FUZZ_CHECK(n == 0 || n == HTTP_E_BAD);
        if (n == 0)
            FUZZ_CHECK(v <= HTTP_CL_SAT);
        break;
    }
    case 3: path(b, len); break;
    case 4: {
        if (len < 2)
            break;
        uint64_t total = (uint64_t)b[0] << 8 | b[1], first = 0, last = 0;
        int r = http_range_parse(b + 2, len - 2, total, &first, &last);
        FUZZ_CHECK(r == HTTP_RANGE_NONE || r == HTTP_RANGE_OK || r == HTTP_RANGE_UNSAT);
        if (r == HTTP_RANGE_OK)
            FUZZ_CHECK(first <= last && last < total);
        break;
    }
    case 5: {
        size_t name_len = 0;
        if (http_host_parse(b, len, &name_len) == 0)
            FUZZ_CHECK(name_len >= 1 && name_len <= len);
        break;
    }
    case 7: {
        struct http_req r;
        int n = http_request_line_parse(b, len, &r);
        FUZZ_CHECK(n >= 0 || n == HTTP_E_BAD || n == HTTP_E_VERSION || n == HTTP_E_URI_TOO_LONG);
        if (n > 0)
            FUZZ_CHECK((size_t)n <= len && b[n - 1] == '\n' && b[n - 2] == '\r' && r.method.len >= 1 &&
                       r.target.len >= 1 && r.target.len <= HTTP_TARGET_MAX &&
                       r.target.off + r.target.len + 11 == (size_t)n && (r.minor == 0 || r.minor == 1));
        if (n == 0)
            FUZZ_CHECK(memchr(b, '\n', len) == NULL);
        break;
    }
    default: {
        int64_t t = 0;
        if (http_date_parse(b, len, &t) == 0 && t >= 0 && t < 253402300800) {
            /* a date we read formats back to one that reads the same */
            uint8_t out[HTTP_DATE_LEN];
            int64_t t2 = -1;
            http_date_format(t, out);
            FUZZ_CHECK(http_date_parse(out, HTTP_DATE_LEN, &t2) == 0 && t2 == t);
        }
        break;
    }
    }
    free(b);
    return 0;
}
