#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every row of spec/tls_alerts.md names at least one test, and every test
it names exists: `unit FILE:TEST` a cmocka_unit_test(TEST) in
tests/unit/FILE.c, `alerts "CASE"` a case in tests/system/tls_alerts.py,
`system SCRIPT` an executable tests/system/SCRIPT. Prints PASS/FAIL lines."""
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
table = open(os.path.join(root, "spec/tls_alerts.md"), encoding="utf-8").read()
alerts_py = open(os.path.join(root, "tests/system/tls_alerts.py"), encoding="utf-8").read()
units = {}
bad = []
rows = 0
for line in table.splitlines():
    m = re.match(r"^\| ([A-Z]\d+) \|.*\| ([^|]*) \|$", line)
    if not m:
        continue
    rows += 1
    row, tests = m.group(1), m.group(2)
    refs = re.findall(r'unit (\w+):(\w+)|alerts "([^"]+)"|system ([\w.]+)', tests)
    if not refs:
        bad.append("%s: names no test" % row)
    for f, t, case, script in refs:
        if f:
            if f not in units:
                p = os.path.join(root, "tests/unit", f + ".c")
                units[f] = open(p, encoding="utf-8").read() if os.path.exists(p) else ""
            if "cmocka_unit_test(%s)" % t not in units[f]:
                bad.append("%s: no unit test %s in tests/unit/%s.c" % (row, t, f))
        elif case:
            if '("%s",' % case not in alerts_py and '("%s"' % case not in alerts_py:
                bad.append('%s: no case "%s" in tests/system/tls_alerts.py' % (row, case))
        elif not os.access(os.path.join(root, "tests/system", script), os.X_OK):
            bad.append("%s: no system test %s" % (row, script))
for b in bad:
    print("FAIL: alert-table %s" % b)
if rows < 50:
    print("FAIL: alert-table: only %d rows parsed" % rows)
    sys.exit(1)
if not bad:
    print("PASS: alert-table (%d rows, every named test exists)" % rows)
sys.exit(1 if bad else 0)
