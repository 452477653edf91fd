/* SPDX-License-Identifier: Apache-2.0 */
/* Boot configuration: the strict dotted-quad parser, every key config_set
 * knows, and the whole-config checks. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "appliance/config.h"
#include "appliance/log.h"

static void parse_ipv4_accepts_dotted_quads(void **state)
{
    (void)state;
    static const struct { const char *s; uint32_t v; } ok[] = {
        {"0.0.0.0", 0},
        {"255.255.255.255", 0xffffffffu},
        {"10.0.0.2", 0x0a000002u},
        {"1.2.3.4", 0x01020304u},
        {"192.168.100.254", 0xc0a864feu},
        {"128.0.0.1", 0x80000001u},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint32_t v = 0x5a5a5a5au;
        assert_int_equal(parse_ipv4(ok[i].s, &v), 0);
        assert_int_equal(v, ok[i].v);
    }
}

static void parse_ipv4_rejects_everything_else(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1.999.3.4", "01234.1.1.1", "1.2.3.1234",
        "1.2.3.4x", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\n", "1..2.3", ".1.2.3", "1.2.3.", "a.b.c.d",
        "-1.2.3.4", "+1.2.3.4", "1.2.3.4/24", "0x1.2.3.4", "1.2.3.-4", "1,2,3,4", "4294967295",
        "0001.2.3.4", "1.2.3.0004", /* four digits, even with a small value */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t v = 0x5a5a5a5au;
        if (parse_ipv4(bad[i], &v) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(v, 0x5a5a5a5au);
    }
}

static void format_ipv4_round_trips(void **state)
{
    (void)state;
    static const uint32_t v[] = {0, 0xffffffffu, 0x0a000002u, 0xc0a80101u, 0x01000000u};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char buf[16];
        uint32_t back;
        assert_int_equal(parse_ipv4(format_ipv4(v[i], buf), &back), 0);
        assert_int_equal(back, v[i]);
    }
    char buf[16];
    assert_string_equal(format_ipv4(0xc0a80001u, buf), "192.168.0.1");
}

static int set(struct app_config *c, const char *key, const char *value, char *err)
{
    return config_set(c, key, value, err, 128);
}

static void config_ip_accepts_address_and_prefix(void **state)
{
    (void)state;
    static const struct { const char *s; uint32_t ip, mask; } ok[] = {
        {"10.0.0.2/24", 0x0a000002u, 0xffffff00u},
        {"10.0.0.2/1", 0x0a000002u, 0x80000000u},
        {"10.0.0.5/30", 0x0a000005u, 0xfffffffcu},
        {"172.16.1.1/12", 0xac100101u, 0xfff00000u},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct app_config c;
        char err[128];
        config_defaults(&c);
        assert_int_equal(set(&c, "ip", ok[i].s, err), 0);
        assert_int_equal(c.have_ip, 1);
        assert_int_equal(c.ip, ok[i].ip);
        assert_int_equal(c.netmask, ok[i].mask);
    }
}

static void config_ip_rejects_bad_values(void **state)
{
    (void)state;
    static const char *const bad[] = {
        /* prefix bounds and syntax */
        "10.0.0.2/0", "10.0.0.2/31", "10.0.0.2/32", "10.0.0.2/33", "10.0.0.2/100", "10.0.0.2/-1",
        "10.0.0.2/", "10.0.0.2", "10.0.0.2/24x", "10.0.0.2/ 24", "10.0.0.2/2/4",
        /* network and broadcast addresses */
        "10.0.0.0/24", "10.0.0.255/24", "10.0.0.4/30", "10.0.0.7/30", "10.0.0.0/8", "10.255.255.255/8",
        /* not a usable unicast address */
        "224.0.0.1/24", "239.1.1.1/8", "240.0.0.1/8", "127.0.0.1/8", "0.1.2.3/8",
        /* not an address */
        "10.0.0/24", "10.0.0.256/24", "/24", "1111111111111111111111111111111111111.1.1.1/24",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct app_config c;
        char err[128] = "";
        config_defaults(&c);
        if (set(&c, "ip", bad[i], err) != -1)
            fail_msg("accepted --ip %s", bad[i]);
        assert_int_equal(c.have_ip, 0);
        assert_non_null(strstr(err, "--ip"));
    }
}

static void config_gw(void **state)
{
    (void)state;
    struct app_config c;
    char err[128];
    config_defaults(&c);
    assert_int_equal(set(&c, "gw", "10.0.0.1", err), 0);
    assert_int_equal(c.gateway, 0x0a000001u);
    static const char *const bad[] = {"0.0.0.0", "10.0.0", "gateway", "", "10.0.0.1 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (set(&c, "gw", bad[i], err) != -1)
            fail_msg("accepted --gw %s", bad[i]);
        assert_non_null(strstr(err, "--gw"));
    }
    assert_int_equal(set(&c, "gw", NULL, err), -1);
    assert_non_null(strstr(err, "needs a value"));
}

static void config_mac(void **state)
{
    (void)state;
    struct app_config c;
    char err[128];
    config_defaults(&c);
    assert_int_equal(set(&c, "mac", "02:ab:CD:ef:00:01", err), 0);
    assert_int_equal(c.have_mac, 1);
    static const uint8_t want[6] = {0x02, 0xab, 0xcd, 0xef, 0x00, 0x01};
    assert_memory_equal(c.mac, want, 6);
    static const char *const bad[] = {
        "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "03:00:00:00:00:01", /* group addresses */
        "02:00:00:00:00", "02:00:00:00:00:01:02", "02-00-00-00-00-01", "02:00:00:00:00:0g",
        "2:0:0:0:0:1", "02:00:00:00:00:01x", "", "020000000001",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        config_defaults(&c);
        if (set(&c, "mac", bad[i], err) != -1)
            fail_msg("accepted --mac %s", bad[i]);
        assert_int_equal(c.have_mac, 0);
        assert_non_null(strstr(err, "--mac"));
    }
}

/* Exactly two hex digits per byte: sscanf's %x would also take blanks,
 * signs and a bare "0x", turning junk into an address. */
static void config_mac_rejects_non_hex_forms(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "0x:00:00:00:00:01", "+2:00:00:00:00:01", " 2:00:00:00:00:01", "02: 0:00:00:00:01", "02:00:00:00:00:+1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct app_config c;
        char err[128];
        config_defaults(&c);
        if (set(&c, "mac", bad[i], err) != -1)
            fail_msg("accepted --mac \"%s\"", bad[i]);
        assert_int_equal(c.have_mac, 0);
    }
}

static void config_log(void **state)
{
    (void)state;
    static const char *const names[] = {"error", "warn", "info", "debug"};
    static const int levels[] = {LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG};
    struct app_config c;
    char err[128];
    config_defaults(&c);
    assert_int_equal(c.log_level, LOG_INFO);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(set(&c, "log", names[i], err), 0);
        assert_int_equal(c.log_level, levels[i]);
    }
    static const char *const bad[] = {"verbose", "", "INFO", "info ", "4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (set(&c, "log", bad[i], err) != -1)
            fail_msg("accepted --log %s", bad[i]);
        assert_non_null(strstr(err, "--log"));
    }
    assert_int_equal(c.log_level, LOG_DEBUG);
}

static void config_tap_and_flags(void **state)
{
    (void)state;
    struct app_config c;
    char err[128];
    config_defaults(&c);
    assert_int_equal(set(&c, "tap", "atoll0", err), 0);
    assert_string_equal(c.tap, "atoll0");
    assert_int_equal(set(&c, "tap", "123456789012345", err), 0);
    assert_int_equal(set(&c, "tap", "1234567890123456", err), -1);
    assert_int_equal(set(&c, "tap", "", err), -1);
    assert_int_equal(set(&c, "tap", "a/b", err), -1);
    assert_int_equal(set(&c, "tap", "a b", err), -1);
    assert_string_equal(c.tap, "123456789012345");
    assert_true(config_is_flag("dhcp") && config_is_flag("echo"));
    assert_false(config_is_flag("ip") || config_is_flag("tap"));
    assert_int_equal(set(&c, "dhcp", NULL, err), 0);
    assert_int_equal(set(&c, "echo", NULL, err), 0);
    assert_int_equal(c.dhcp, 1);
    assert_int_equal(c.echo, 1);
}

static void config_unknown_keys(void **state)
{
    (void)state;
    static const char *const known[] = {"tap", "ip", "gw", "dhcp", "echo", "log", "mac"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        assert_true(config_is_known(known[i]));
    static const char *const unknown[] = {"", "IP", "ip ", "gateway", "--ip", "netmask"};
    struct app_config c;
    char err[128];
    config_defaults(&c);
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_false(config_is_known(unknown[i]));
        assert_int_equal(set(&c, unknown[i], "1", err), -1);
        assert_non_null(strstr(err, "unknown option"));
    }
    /* a tiny error buffer is respected */
    char small[8];
    memset(small, 'x', sizeof small);
    assert_int_equal(config_set(&c, "gateway", "1", small, 4), -1);
    assert_int_equal(small[3], '\0');
    assert_int_equal(small[4], 'x');
}

static void config_check_combinations(void **state)
{
    (void)state;
    struct app_config c;
    char err[128];

    config_defaults(&c);
    assert_int_equal(config_check(&c, 0, err, sizeof err), -1); /* no address source */
    assert_int_equal(set(&c, "dhcp", NULL, err), 0);
    assert_int_equal(config_check(&c, 0, err, sizeof err), 0);
    assert_int_equal(config_check(&c, 1, err, sizeof err), -1); /* tap required */
    assert_non_null(strstr(err, "--tap"));
    assert_int_equal(set(&c, "tap", "atoll0", err), 0);
    assert_int_equal(config_check(&c, 1, err, sizeof err), 0);
    assert_int_equal(set(&c, "gw", "10.0.0.1", err), 0);
    assert_int_equal(config_check(&c, 1, err, sizeof err), -1); /* gw comes from DHCP */
    assert_int_equal(set(&c, "ip", "10.0.0.2/24", err), 0);
    assert_int_equal(config_check(&c, 1, err, sizeof err), -1); /* both ip and dhcp */

    config_defaults(&c);
    /* order does not matter: --gw may come before --ip */
    assert_int_equal(set(&c, "gw", "10.0.0.1", err), 0);
    assert_int_equal(set(&c, "ip", "10.0.0.2/24", err), 0);
    assert_int_equal(config_check(&c, 0, err, sizeof err), 0);
    assert_int_equal(set(&c, "gw", "10.0.1.1", err), 0);
    assert_int_equal(config_check(&c, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "10.0.1.1"));
    /* a second --ip is refused rather than silently winning */
    assert_int_equal(set(&c, "ip", "10.0.0.2/16", err), -1);
    assert_non_null(strstr(err, "twice"));
    config_defaults(&c);
    assert_int_equal(set(&c, "gw", "10.0.1.1", err), 0);
    assert_int_equal(set(&c, "ip", "10.0.0.2/16", err), 0);
    assert_int_equal(config_check(&c, 0, err, sizeof err), 0);
}

/* The site appliance's keys: ports, the cap, timeouts, HSTS, headers. */
static void config_site_keys(void **state)
{
    (void)state;
    struct app_config c;
    char err[200];
    config_defaults(&c);
    assert_int_equal(c.https_port, 443);
    assert_int_equal(c.http_port, 80);
    assert_int_equal(c.max_conns, 64);
    assert_int_equal(c.header_timeout_s, 10);
    assert_int_equal(c.idle_timeout_s, 60);
    assert_int_equal(c.hsts_s, 31536000);
    assert_int_equal(set(&c, "site", "/srv/blog.img", err), 0);
    assert_string_equal(c.site, "/srv/blog.img");
    assert_int_equal(set(&c, "https-port", "8443", err), 0);
    assert_int_equal(c.https_port, 8443);
    assert_int_equal(set(&c, "http-port", "0", err), 0); /* no plain port */
    assert_int_equal(c.http_port, 0);
    static const char *const bad_ports[] = {"", "65536", "-1", "+80", "8o", "99999999999999999999", " 80"};
    for (size_t i = 0; i < sizeof bad_ports / sizeof bad_ports[0]; i++) {
        assert_int_equal(set(&c, "https-port", bad_ports[i], err), -1);
        assert_int_equal(set(&c, "http-port", bad_ports[i], err), -1);
    }
    assert_int_equal(set(&c, "https-port", "0", err), -1); /* HTTPS cannot be off */
    assert_int_equal(c.max_conns_given, 0);
    assert_int_equal(set(&c, "max-conns", "32768", err), 0);
    assert_int_equal(c.max_conns, 32768);
    assert_int_equal(c.max_conns_given, 1);
    assert_int_equal(set(&c, "max-conns", "32769", err), -1);
    assert_non_null(strstr(err, "32768"));
    assert_int_equal(set(&c, "max-conns", "0", err), -1);
    /* memory: bytes or K/M/G (1024-based), at least 1 MiB */
    assert_int_equal(c.memory, 0);
    assert_int_equal(set(&c, "memory", "48M", err), 0);
    assert_true(c.memory == 48ull << 20);
    assert_int_equal(set(&c, "memory", "2g", err), 0);
    assert_true(c.memory == 2ull << 30);
    assert_int_equal(set(&c, "memory", "1048576", err), 0);
    assert_true(c.memory == 1048576u);
    assert_int_equal(set(&c, "memory", "4096k", err), 0);
    assert_true(c.memory == 4096u << 10);
    static const char *const bad_sizes[] = {"", "M", "1023K", "1048575", "12MB", "-1M", "1.5G", " 8M", "8M ",
                                            "99999999999999999999", "70000G", "0"};
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        if (set(&c, "memory", bad_sizes[i], err) != -1)
            fail_msg("accepted memory \"%s\"", bad_sizes[i]);
        assert_non_null(strstr(err, "memory"));
    }
    assert_true(c.memory == 4096u << 10);
    assert_int_equal(set(&c, "header-timeout", "3", err), 0);
    assert_int_equal(set(&c, "idle-timeout", "3600", err), 0);
    assert_int_equal(set(&c, "idle-timeout", "3601", err), -1);
    assert_int_equal(set(&c, "header-timeout", "0", err), -1);
    assert_int_equal(c.header_timeout_s, 3);
    assert_int_equal(c.idle_timeout_s, 3600);
    assert_int_equal(set(&c, "hsts", "0", err), 0);
    assert_int_equal(c.hsts_s, 0);
    assert_int_equal(c.orphan_retries, 0); /* the stack's default */
    assert_int_equal(set(&c, "orphan-retries", "2", err), 0);
    assert_int_equal(c.orphan_retries, 2);
    assert_int_equal(set(&c, "orphan-retries", "12", err), 0);
    assert_int_equal(set(&c, "orphan-retries", "0", err), -1);
    assert_int_equal(set(&c, "orphan-retries", "13", err), -1);
    assert_non_null(strstr(err, "orphan-retries"));
    assert_int_equal(c.orphan_retries, 12);
    assert_true(config_is_flag("no-security-headers"));
    /* offloads are on unless turned off */
    assert_int_equal(c.no_offload, 0);
    assert_true(config_is_known("no-offload") && config_is_flag("no-offload"));
    assert_int_equal(set(&c, "no-offload", NULL, err), 0);
    assert_int_equal(c.no_offload, 1);
    assert_int_equal(c.no_security_headers, 0);
    /* the ports may not collide */
    config_defaults(&c);
    assert_int_equal(set(&c, "ip", "10.0.0.2/24", err), 0);
    assert_int_equal(set(&c, "site", "x.img", err), 0);
    assert_int_equal(set(&c, "http-port", "443", err), 0);
    assert_int_equal(config_check(&c, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "443"));
}

static void config_response_headers_compose(void **state)
{
    (void)state;
    struct app_config c;
    char err[200], out[2048];
    config_defaults(&c);
    assert_int_equal(config_response_headers(&c, 1, out, sizeof out), 0);
    assert_string_equal(out, "Strict-Transport-Security: max-age=31536000\r\n"
                             "X-Content-Type-Options: nosniff\r\n"
                             "X-Frame-Options: SAMEORIGIN\r\n"
                             "Referrer-Policy: strict-origin-when-cross-origin\r\n");
    /* no HSTS over plain HTTP (RFC 6797 §7.2) */
    assert_int_equal(config_response_headers(&c, 0, out, sizeof out), 0);
    assert_null(strstr(out, "Strict-Transport-Security"));
    /* --header adds; a name matching a default (any case) replaces it; the
     * PVH form without a space is normalised */
    assert_int_equal(set(&c, "header", "Content-Security-Policy: default-src 'self'", err), 0);
    assert_int_equal(set(&c, "header", "x-frame-options:DENY", err), 0);
    assert_int_equal(set(&c, "hsts", "600", err), 0);
    assert_int_equal(config_response_headers(&c, 1, out, sizeof out), 0);
    assert_string_equal(out, "Strict-Transport-Security: max-age=600\r\n"
                             "X-Content-Type-Options: nosniff\r\n"
                             "Referrer-Policy: strict-origin-when-cross-origin\r\n"
                             "Content-Security-Policy: default-src 'self'\r\n"
                             "x-frame-options: DENY\r\n");
    assert_int_equal(set(&c, "no-security-headers", NULL, err), 0);
    assert_int_equal(set(&c, "hsts", "0", err), 0);
    assert_int_equal(config_response_headers(&c, 1, out, sizeof out), 0);
    assert_string_equal(out, "Content-Security-Policy: default-src 'self'\r\n"
                             "x-frame-options: DENY\r\n");
    /* what cannot be a header, or is the server's own, is refused */
    static const char *const bad[] = {"NoColon", ": v", "Bad Name: v", "X-A:", "X-A:   ", "X-A: a\rb",
                                      "X-A: a\nb", "Content-Length: 5", "connection: close", "Date: x",
                                      "X(y): z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (set(&c, "header", bad[i], err) != -1)
            fail_msg("accepted --header \"%s\"", bad[i]);
    /* the total is bounded, and a too-small output is reported */
    config_defaults(&c);
    char big[200];
    memset(big, 'v', sizeof big);
    memcpy(big, "X-Big: ", 7);
    big[sizeof big - 1] = '\0';
    int added = 0;
    while (set(&c, "header", big, err) == 0)
        added++;
    assert_int_equal(added, 7); /* 7 x 201 bytes fit in 1535, an 8th does not */
    assert_true(c.headers_len < CONFIG_HEADERS_MAX);
    char longerr[600];
    assert_int_equal(config_set(&c, "header", big, longerr, sizeof longerr), -1);
    assert_non_null(strstr(longerr, "too many"));
    assert_int_equal(config_response_headers(&c, 1, out, 100), -1);
}

/* The PVH command line speaks the same keys as the tap's flags. */
static void config_cmdline(void **state)
{
    (void)state;
    struct app_config a, b;
    char err[200];
    config_defaults(&a);
    assert_int_equal(config_from_cmdline(&a, "  ip=10.0.0.2/24 gw=10.0.0.1  https-port=8443 http-port=0 "
                                             "max-conns=32 header-timeout=5 idle-timeout=30 hsts=0 "
                                             "header=X-A:b no-security-headers log=debug echo",
                                         err, sizeof err),
                     0);
    config_defaults(&b);
    static const char *const kv[][2] = {{"ip", "10.0.0.2/24"}, {"gw", "10.0.0.1"}, {"https-port", "8443"},
                                        {"http-port", "0"}, {"max-conns", "32"}, {"header-timeout", "5"},
                                        {"idle-timeout", "30"}, {"hsts", "0"}, {"header", "X-A:b"},
                                        {"no-security-headers", NULL}, {"log", "debug"}, {"echo", NULL}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        assert_int_equal(set(&b, kv[i][0], kv[i][1], err), 0);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(config_check(&a, 0, err, sizeof err), 0);
    assert_int_equal(config_from_cmdline(&a, "", err, sizeof err), 0);
    static const char *const bad[] = {"nosuch=1", "ip", "echo=1", "ip=10.0.0.0/24", "=5", "console=hvc0",
                                      "max-conns=40000", "memory=12", "memory=lots"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        config_defaults(&a);
        if (config_from_cmdline(&a, bad[i], err, sizeof err) != -1)
            fail_msg("accepted command line \"%s\"", bad[i]);
    }
    config_defaults(&a);
    assert_int_equal(config_from_cmdline(&a, "dhcp nosuch=1", err, sizeof err), -1);
    assert_non_null(strstr(err, "nosuch"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_ipv4_accepts_dotted_quads),
        cmocka_unit_test(parse_ipv4_rejects_everything_else),
        cmocka_unit_test(format_ipv4_round_trips),
        cmocka_unit_test(config_ip_accepts_address_and_prefix),
        cmocka_unit_test(config_ip_rejects_bad_values),
        cmocka_unit_test(config_gw),
        cmocka_unit_test(config_mac),
        cmocka_unit_test(config_mac_rejects_non_hex_forms),
        cmocka_unit_test(config_log),
        cmocka_unit_test(config_tap_and_flags),
        cmocka_unit_test(config_unknown_keys),
        cmocka_unit_test(config_check_combinations),
        cmocka_unit_test(config_site_keys),
        cmocka_unit_test(config_response_headers_compose),
        cmocka_unit_test(config_cmdline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
