/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 6125 DNS-ID matching (tls/dns_name.h): the cases of the client's
 * old matcher (x509_mbedtls.c's tls_x509_name_matches, whose table lived
 * in test_tls_x509.c), the behaviour the server's old SNI matcher
 * (tls/server.c's name_matches) had, and the cases where the two
 * disagreed, each with the verdict now chosen. Both callers are also
 * checked end to end: test_tls_x509.c (host_names_are_checked) and
 * test_tls_handshake.c (sni_chooses_the_credential). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tls/dns_name.h"

struct name_case {
    const char *pattern, *host;
    int match;
};

static void check(const struct name_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct name_case *c = &cases[i];
        int got = tls_dns_name_matches(c->pattern, strlen(c->pattern), c->host, strlen(c->host));
        if (got != c->match)
            fail_msg("pattern \"%s\" host \"%s\": got %d, want %d", c->pattern, c->host, got, c->match);
    }
}

/* The client's old table, every verdict kept. */
static void client_cases(void **state)
{
    (void)state;
    static const struct name_case cases[] = {
        {"www.example.com", "www.example.com", 1},
        {"www.example.com", "WWW.EXAMPLE.COM", 1},
        {"www.example.com.", "www.example.com", 1},
        {"www.example.com", "www.example.com.", 1},
        {"www.example.com", "example.com", 0},
        {"www.example.com", "www.example.co", 0},
        {"www.example.com", "ww.example.com", 0},
        {"*.example.com", "foo.example.com", 1},
        {"*.example.com", "FOO.Example.COM", 1},
        {"*.example.com", "example.com", 0},
        {"*.example.com", ".example.com", 0},
        {"*.example.com", "a.b.example.com", 0},
        {"*.example.com", "foo.example.org", 0},
        {"*.com", "example.com", 0}, /* too broad */
        {"*", "localhost", 0},
        {"f*.example.com", "foo.example.com", 0}, /* partial labels not honoured */
        {"*o.example.com", "foo.example.com", 0},
        {"www.*.com", "www.example.com", 0},
        {"*.*.example.com", "a.b.example.com", 0},
        {"*.example.com", "*.example.com", 1}, /* literally the same string */
        {"", "example.com", 0},
        {"example.com", "", 0},
        {".", ".", 0},
        {"a..b", "a..b", 0},
        {"xn--bcher-kva.example", "XN--BCHER-KVA.example", 1},
    };
    check(cases, sizeof cases / sizeof cases[0]);
}

/* What the server's old matcher did and the client's agreed with: exact
 * names without case, "*." standing for one non-empty first label. */
static void server_cases(void **state)
{
    (void)state;
    static const struct name_case cases[] = {
        {"atoll.test", "atoll.test", 1},
        {"Atoll.Test", "ATOLL.test", 1},
        {"atoll.test", "www.atoll.test", 0},
        {"www.atoll.test", "atoll.test", 0},
        {"p384.atoll.test", "p384.atoll.test", 1},
        {"*.atoll.test", "p384.atoll.test", 1},
        {"*.atoll.test", "P384.ATOLL.TEST", 1},
        {"*.atoll.test", "atoll.test", 0},
        {"*.atoll.test", ".atoll.test", 0},
        {"*.atoll.test", "x.atoll.test.evil", 0},
        {"*.atoll.test", "xatoll.test", 0},
        {"*.example.net", "a.example.net", 1},
        {"*.b.example", "a.b.example", 1},
        {"*.b.example", "b.example", 0},
        {"a.example", "A.EXAMPLE", 1},
    };
    check(cases, sizeof cases / sizeof cases[0]);
}

/* Where the two old rules disagreed (server / client verdict in the
 * comment), and the verdict chosen. */
static void decided_differences(void **state)
{
    (void)state;
    static const struct name_case cases[] = {
        /* server 0 / client 1: one trailing dot is ignored on both sides
         * (the absolute spelling of the same name) */
        {"atoll.test", "atoll.test.", 1},
        {"atoll.test.", "atoll.test", 1},
        {"*.atoll.test", "www.atoll.test.", 1},
        {"*.atoll.test.", "www.atoll.test", 1},
        {"atoll.test", "atoll.test..", 0}, /* only one: the next is an empty label */
        /* server 1 / client 0: a wildcard needs two labels after it */
        {"*.test", "atoll.test", 0},
        {"*.com", "example.com", 0},
        /* server 1 / client 0: a '*' that is not the whole left-most
         * label is no wildcard, and the pattern matches nothing (the
         * server compared it as text) */
        {"f*.example.com", "f*.example.com", 0},
        {"www.*.com", "www.*.com", 0},
        {"*.*.example.com", "a.*.example.com", 0},
        {"*", "*", 0},
        /* server 1 / client 0: names with empty labels match nothing */
        {"a..b", "a..b", 0},
        {"*..example.com", "a..example.com", 0},
        {"www..atoll.test", "www..atoll.test", 0},
        /* server 1 / client 1 before, 0 now: IP-address hosts are never
         * wildcard-matched; the same spelling still matches */
        {"*.0.0.1", "10.0.0.1", 0},
        {"*.168.1.1", "192.168.1.1", 0},
        {"*.example.123", "a.example.123", 0},
        {"10.0.0.1", "10.0.0.1", 1},
        {"*.b.c", "fe80::1.b.c", 0},
    };
    check(cases, sizeof cases / sizeof cases[0]);
}

/* Lengths, not NULs, end the names: an embedded NUL never matches (a
 * certificate naming "www.example.com\0.evil.org"), and no terminator is
 * read. */
static void lengths_and_nul(void **state)
{
    (void)state;
    assert_int_equal(tls_dns_name_matches("www.example.com\0.evil.org", 25, "www.example.com", 15), 0);
    assert_int_equal(tls_dns_name_matches("www.example.com", 15, "www.example.com\0.evil.org", 25), 0);
    assert_int_equal(tls_dns_name_matches("*.example.com\0", 14, "a.example.com", 13), 0);
    static const char pattern[] = {'*', '.', 'a', '.', 'b'}; /* no terminator */
    static const char host[] = {'x', '.', 'A', '.', 'B'};
    assert_int_equal(tls_dns_name_matches(pattern, sizeof pattern, host, sizeof host), 1);
    assert_int_equal(tls_dns_name_matches("www.example.com", 3, "www", 3), 1);
    assert_int_equal(tls_dns_name_matches("www.example.com", 15, "www.example.com", 14), 0);
    /* non-ASCII bytes compare exactly: no case folding outside ASCII */
    assert_int_equal(tls_dns_name_matches("\xc3\xa9.test", 7, "\xc3\x89.test", 7), 0);
    assert_int_equal(tls_dns_name_matches("\xc3\xa9.test", 7, "\xc3\xa9.TEST", 7), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(client_cases),
        cmocka_unit_test(server_cases),
        cmocka_unit_test(decided_differences),
        cmocka_unit_test(lengths_and_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
