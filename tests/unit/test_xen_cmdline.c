/* SPDX-License-Identifier: Apache-2.0 */
/* The PVH image's command-line split (xen/cmdline.c): its own crash= key
 * out, every other word on to config_from_cmdline unchanged, and the
 * result accepted by it. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "appliance/config.h"
#include "xen/cmdline.h"

#include "xen/cmdline.c"

static void test_split(void **state)
{
    (void)state;
    char app[64], kind[8];
    assert_int_equal(cmdline_split("  ip=10.0.2.15/24\tgw=10.0.2.2  crash=page log=debug ", app, sizeof app, kind,
                                   sizeof kind),
                     0);
    assert_string_equal(app, "ip=10.0.2.15/24 gw=10.0.2.2 log=debug");
    assert_string_equal(kind, "page");
    assert_int_equal(cmdline_split("", app, sizeof app, kind, sizeof kind), 0);
    assert_string_equal(app, "");
    assert_string_equal(kind, "");
    assert_int_equal(cmdline_split("crash=ud crash=gp", app, sizeof app, kind, sizeof kind), 0);
    assert_string_equal(app, "");
    assert_string_equal(kind, "gp"); /* the last one counts */
    assert_int_equal(cmdline_split("crash= dhcp", app, sizeof app, kind, sizeof kind), 0);
    assert_string_equal(kind, "");
    assert_string_equal(app, "dhcp");
    /* Not ours: passed on, for config_from_cmdline to refuse. */
    assert_int_equal(cmdline_split("crashx=1 crash", app, sizeof app, kind, sizeof kind), 0);
    assert_string_equal(app, "crashx=1 crash");
}

static void test_limits(void **state)
{
    (void)state;
    char app[8], kind[5];
    assert_int_equal(cmdline_split("abc defg", app, sizeof app, kind, sizeof kind), -1); /* 8 + NUL */
    assert_int_equal(cmdline_split("abc def", app, sizeof app, kind, sizeof kind), 0);
    assert_string_equal(app, "abc def");
    assert_int_equal(cmdline_split("crash=stack", app, sizeof app, kind, sizeof kind), -1);
    assert_int_equal(cmdline_split("crash=null", app, sizeof app, kind, sizeof kind), 0);
    assert_string_equal(kind, "null");
}

static void test_config_accepts(void **state)
{
    (void)state;
    char app[256], kind[16], err[256];
    assert_int_equal(cmdline_split("ip=10.0.2.15/24 gw=10.0.2.2 crash=page hsts=0 header=X-A:b", app, sizeof app,
                                   kind, sizeof kind),
                     0);
    struct app_config c;
    config_defaults(&c);
    assert_int_equal(config_from_cmdline(&c, app, err, sizeof err), 0);
    assert_int_equal(config_check(&c, 0, err, sizeof err), 0);
    assert_int_equal(c.ip, 0x0a00020fu);
    assert_int_equal(c.gateway, 0x0a000202u);
    assert_int_equal(c.hsts_s, 0);
    /* Without the split, crash= is an unknown key to the appliance. */
    config_defaults(&c);
    assert_int_equal(config_from_cmdline(&c, "ip=10.0.2.15/24 crash=page", err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_config_accepts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
