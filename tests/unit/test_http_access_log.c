/* SPDX-License-Identifier: Apache-2.0 */
/* The access log's text (appliance/http/access_log.c): the one escaper of
 * request bytes and the Combined Log Format line the appliance writes.
 * test_http_conn.c checks that the connection escapes its entries with
 * it; tests/system/test_https_site.sh checks the line in the real log. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "appliance/http/http.h"

static size_t esc(char *out, size_t cap, const char *s, size_t n)
{
    size_t k = http_log_escape((uint8_t *)out, cap, (const uint8_t *)s, n);
    assert_true(k <= cap);
    out[k] = '\0';
    return k;
}

static void escaping(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(esc(out, sizeof out - 1, "GET / HTTP/1.1", 14), 14);
    assert_string_equal(out, "GET / HTTP/1.1");
    esc(out, sizeof out - 1, "x\" 200 0 \"forged\\z", 18);
    assert_string_equal(out, "x\\\" 200 0 \\\"forged\\\\z");
    esc(out, sizeof out - 1, "\x00\x01\x1f \x7e\x7f\x80\xff", 8);
    assert_string_equal(out, "\\x00\\x01\\x1f ~\\x7f\\x80\\xff");
    esc(out, sizeof out - 1, "a\r\nb", 4);
    assert_string_equal(out, "a\\x0d\\x0ab");
    assert_int_equal(esc(out, sizeof out - 1, "", 0), 0);
}

static void truncation(void **state)
{
    (void)state;
    char out[64];
    /* room for 10: seven bytes, then "..." */
    assert_int_equal(esc(out, 10, "abcdefghijklmnop", 16), 10);
    assert_string_equal(out, "abcdefg...");
    /* exactly cap - 3 bytes of text fit with no "..." */
    assert_int_equal(esc(out, 10, "abcdefg", 7), 7);
    assert_string_equal(out, "abcdefg");
    /* an escape is never cut in half */
    esc(out, 10, "abcde\x01xyz", 9);
    assert_string_equal(out, "abcde...");
    esc(out, 10, "abc\x01xyz", 7);
    assert_string_equal(out, "abc\\x01...");
    assert_int_equal(esc(out, 3, "abc", 3), 3);
    assert_string_equal(out, "...");
    assert_int_equal(esc(out, 2, "abc", 3), 0);
}

static struct http_log entry(const char *line, const char *ref, const char *ua)
{
    struct http_log e;
    memset(&e, 0, sizeof e);
    e.unix_s = 1796417287; /* 2026-12-04T20:48:07Z */
    e.line = (const uint8_t *)line;
    e.line_len = strlen(line);
    e.status = 200;
    e.bytes = 13;
    e.referer = (const uint8_t *)ref;
    e.referer_len = strlen(ref);
    e.agent = (const uint8_t *)ua;
    e.agent_len = strlen(ua);
    return e;
}

static void combined_log_format(void **state)
{
    (void)state;
    char out[HTTP_ACCESS_LINE_MAX];
    struct http_log e = entry("GET /blog/x?y=1 HTTP/1.1", "", "curl/8.5.0");
    size_t n = http_access_line(out, sizeof out, &e, 0x0a000001u, "-", "-");
    assert_string_equal(out, "10.0.0.1 - - [04/Dec/2026:20:48:07 +0000] \"GET /blog/x?y=1 HTTP/1.1\" 200 13 \"-\" "
                             "\"curl/8.5.0\" - -");
    assert_int_equal(n, strlen(out));
    e = entry("", "https://atoll.test/", "x\\\" 200 0 \\\"forged\\\\z");
    e.status = 408;
    e.bytes = 0;
    e.unix_s = 1709251199; /* a leap day's last second */
    http_access_line(out, sizeof out, &e, 0xc0a80102u, "TLSv1.3", "TLS_AES_128_GCM_SHA256");
    assert_string_equal(out, "192.168.1.2 - - [29/Feb/2024:23:59:59 +0000] \"-\" 408 0 \"https://atoll.test/\" "
                             "\"x\\\" 200 0 \\\"forged\\\\z\" TLSv1.3 TLS_AES_128_GCM_SHA256");
}

/* base/civil_date.h counts 1970..9999: a clock outside is clamped. */
static void times(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *s;
    } cases[] = {
        {0, "[01/Jan/1970:00:00:00 +0000]"},
        {-1, "[01/Jan/1970:00:00:00 +0000]"},
        {INT64_MIN, "[01/Jan/1970:00:00:00 +0000]"},
        {951868800, "[01/Mar/2000:00:00:00 +0000]"},
        {253402300799, "[31/Dec/9999:23:59:59 +0000]"},
        {253402300800, "[31/Dec/9999:23:59:59 +0000]"},
        {INT64_MAX, "[31/Dec/9999:23:59:59 +0000]"},
    };
    char out[HTTP_ACCESS_LINE_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct http_log e = entry("GET / HTTP/1.1", "", "");
        e.unix_s = cases[i].t;
        http_access_line(out, sizeof out, &e, 0, "-", "-");
        if (strncmp(out + strlen("0.0.0.0 - - "), cases[i].s, strlen(cases[i].s)) != 0)
            fail_msg("%lld: %s", (long long)cases[i].t, out);
    }
}

/* The longest entry fits whole; a short buffer cuts the line, never
 * overruns it, and still ends it with a NUL. */
static void sizes(void **state)
{
    (void)state;
    static char line[HTTP_LOG_LINE_MAX + 1], ref[HTTP_LOG_FIELD_MAX + 1], ua[HTTP_LOG_FIELD_MAX + 1];
    memset(line, 'l', HTTP_LOG_LINE_MAX);
    memset(ref, 'r', HTTP_LOG_FIELD_MAX);
    memset(ua, 'u', HTTP_LOG_FIELD_MAX);
    struct http_log e = entry(line, ref, ua);
    e.status = -2147483647 - 1;
    e.bytes = UINT64_MAX;
    char out[HTTP_ACCESS_LINE_MAX + 8];
    memset(out, '#', sizeof out);
    size_t n = http_access_line(out, HTTP_ACCESS_LINE_MAX, &e, 0xffffffffu, "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256");
    assert_true(n < HTTP_ACCESS_LINE_MAX);
    assert_int_equal(strlen(out), n);
    static const char tail[] = "uuu\" TLSv1.3 TLS_CHACHA20_POLY1305_SHA256";
    assert_true(n > sizeof tail && strcmp(out + n - (sizeof tail - 1), tail) == 0);
    assert_true(strncmp(out, "255.255.255.255 - - [", 21) == 0);
    memset(out, '#', sizeof out);
    assert_int_equal(http_access_line(out, 20, &e, 0x0a000001u, "-", "-"), 19);
    assert_string_equal(out, "10.0.0.1 - - [04/De");
    assert_int_equal(out[20], '#');
    assert_int_equal(http_access_line(out, 1, &e, 0x0a000001u, "-", "-"), 0);
    assert_int_equal(out[0], '\0');
    assert_int_equal(http_access_line(out, 0, &e, 0x0a000001u, "-", "-"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escaping),
        cmocka_unit_test(truncation),
        cmocka_unit_test(combined_log_format),
        cmocka_unit_test(times),
        cmocka_unit_test(sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
