#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""proofs/STATUS.md: module digests, the report of a run, the check.

  status.py digest ROOT OPTIONS <rows       one "module digest" line per row
  status.py cold STATUS.md                  "module cold-digest cold-date" lines
  status.py smoke LOG MODULE OUT            classify a smoke run's goals
  status.py check STATUS.md ROOT OPTIONS <rows   PASS/FAIL: proofs-status ...
  status.py report WORKDIR ROOT CACHE SECONDS OLD-STATUS.md   (stdout)

Rows are `mk/parts.sh proofs` lines (module source [frama-c options]);
OPTIONS are the frama-c options every module's proof runs with that shape
its goals (run.sh's PROOF_OPTS).

A module's digest is the sha256 of the Frama-C version, those options, the
module's own options and Frama-C's normalized print of the module (`-print`:
the code and every ACSL annotation of the .c file and of the headers it
includes, after preprocessing). Comments, include spellings, file paths and
licence headers are not in the print, so moving files or adding an SPDX
line keeps the digest; a changed bound in code or contract changes it.
"""
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile


def rows_in():
    rows = []
    for line in sys.stdin:
        f = line.split()
        if f:
            rows.append((f[0], f[1], f[2:]))
    return rows


def fc_version():
    return subprocess.run(["frama-c", "-version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def digest(root, opts, src, extra, version):
    with tempfile.TemporaryDirectory(prefix="atoll-digest.") as tmp:
        out = os.path.join(tmp, "print.c")
        # -cpp-extra-args names the root only for the preprocessor: the
        # print holds no path (checked below).
        r = subprocess.run(["frama-c", "-cpp-extra-args=-I" + root, src, *extra,
                            "-print", "-ocode", out], cwd=root,
                           capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(out):
            sys.exit(f"status.py: frama-c -print {src} failed:\n{r.stdout}{r.stderr}")
        text = open(out, "rb").read()
    if root.encode() in text or os.path.dirname(src).encode() + b"/" in text:
        sys.exit(f"status.py: the print of {src} names a path; the digest would change with it")
    h = hashlib.sha256()
    h.update(f"frama-c {version}\noptions {opts} {' '.join(extra)}\n".encode())
    h.update(text)
    return h.hexdigest()


DIGEST_ROW = re.compile(
    r"^\| (\S+) \| `([0-9a-f]{64}|none)` \| `([0-9a-f]{64}|none)` \| ([0-9-]+|never) \|")


def read_digests(path):
    """{module: (digest, cold digest, cold date)} from a STATUS.md."""
    found = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            m = DIGEST_ROW.match(line)
            if m:
                found[m.group(1)] = (m.group(2), m.group(3), m.group(4))
    return found


def section(path, title):
    """The text of one `## title` section of a STATUS.md ("" if none)."""
    if not os.path.exists(path):
        return ""
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^## " + re.escape(title) + r"\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    return m.group(1).strip() if m else ""


GOAL = re.compile(r"^Goal Wp_smoke_(\w+) in '([^']+)'(.*):$")
RESULT = re.compile(r"^Prover (.+?) returns (\w+)")


def smoke(log, module, out):
    """Sorts the smoke goals of a `-wp-smoke-tests -wp-print` run (every
    other goal deselected). Each smoke goal says "this precondition, loop
    or statement is unreachable"; the printed results are the provers' own
    verdicts:
      proved     some prover returns Valid: a contradictory contract or
                 dead code (FAIL);
      refuted    some prover returns Unknown or Invalid: it stopped without
                 a proof (pass);
      timed out  every prover ran out of time: inconclusive. why3 1.5.1
                 reports z3's and cvc5's timeouts as "Failed" (z3 prints
                 `timeout`, cvc5 aborts), so Failed counts as timed out.
    Prints the run.sh line; writes OUT (json) for the report."""
    goals = []
    cur = None
    for line in open(log, encoding="utf-8", errors="replace"):
        m = GOAL.match(line)
        if m:
            cur = {"kind": m.group(1), "fn": m.group(2), "where": m.group(3).strip(),
                   "results": []}
            goals.append(cur)
            continue
        m = RESULT.match(line)
        if m and cur is not None:
            cur["results"].append(m.group(2))
        elif line.startswith("-----"):
            cur = None
    sched = re.findall(r"^\[wp\] (\d+) goals? scheduled", open(log, errors="replace").read(), re.M)
    proved, refuted, timedout = [], [], []
    for g in goals:
        rs = g["results"]
        if "Valid" in rs:
            proved.append(g)
        elif "Unknown" in rs or "Invalid" in rs:
            refuted.append(g)
        else:
            timedout.append(g)
    by_fn = {}
    for g in timedout:
        by_fn[g["fn"]] = by_fn.get(g["fn"], 0) + 1
    json.dump({"goals": len(goals), "proved": [f"{g['fn']} {g['kind']} {g['where']}" for g in proved],
               "refuted": len(refuted), "timedout": by_fn}, open(out, "w"))
    counts = (f"{len(goals)} smoke goals: {len(proved)} proved, {len(refuted)} refuted, "
              f"{len(timedout)} timed out")
    if not goals or not sched or int(sched[-1]) != len(goals):
        print(f"FAIL: proofs-smoke {module} (scheduled {sched[-1] if sched else '?'} goals, "
              f"printed {len(goals)}; log: {log})")
        return 1
    if proved:
        print(f"FAIL: proofs-smoke {module} ({counts}: contradictory contract or dead code)")
        for g in proved:
            print(f"  proved: {g['fn']} {g['kind']} {g['where']}")
        return 1
    # Timed-out goals are not passes: they get no PASS line of their own.
    if timedout:
        print(f"INCONCLUSIVE: proofs-smoke {module} ({counts}; timed out in: "
              + ", ".join(f"{fn} ({n})" for fn, n in sorted(by_fn.items())) + ")")
    if refuted:
        print(f"PASS: proofs-smoke {module} ({len(refuted)} of {len(goals)} smoke goals refuted, none proved)")
    return 0


def check(status, root, opts, rows):
    recorded = read_digests(status)
    version = fc_version()
    bad = 0
    for name, src, extra in rows:
        d = digest(root, opts, src, extra, version)
        if name not in recorded:
            print(f"FAIL: proofs-status {name}: not in proofs/STATUS.md, tree {d[:16]} "
                  "(run make proofs and commit proofs/STATUS.md)")
            bad = 1
            continue
        now, cold, date = recorded[name]
        if now != d:
            print(f"FAIL: proofs-status {name}: STATUS.md digest {now[:16]}, tree {d[:16]} "
                  "(run make proofs and commit proofs/STATUS.md)")
            bad = 1
        elif cold != d:
            last = f"last cold run {date} proved {cold[:16]}" if cold != "none" else "never proved cold"
            print(f"FAIL: proofs-status {name}: {last}, tree {d[:16]} "
                  "(run make proofs and commit proofs/STATUS.md)")
            bad = 1
    extra = sorted(set(recorded) - {r[0] for r in rows})
    for name in extra:
        print(f"FAIL: proofs-status {name}: in proofs/STATUS.md, not a proof module")
        bad = 1
    if not bad:
        print(f"PASS: proofs-status ({len(rows)} modules: STATUS.md digests match the tree, "
              "each proved cold in its present form)")
    return bad


def goal_counts(entries):
    """(goals, proved) of one function or axiomatic: its "wp:section" summary
    (the other keys are its goals, one by one)."""
    main = entries.get("wp:section", {}).get("wp:main", {})
    return main.get("total", 0), main.get("valid", 0)


def deps(root, src):
    """The files a module's proof reads: its .c and every header it includes
    from the project (gcc -MM), spec/ included."""
    out = subprocess.run(["gcc", "-MM", "-I.", src], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    files = out.split(":", 1)[1].replace("\\\n", " ").split()
    return sorted({os.path.normpath(f) for f in files})


HOLE = re.compile(r"\b(admit|axiom)\b")


def holes(root, files):
    """Every `admit` or `axiom` inside an ACSL annotation, as file:line."""
    found = []
    for f in files:
        text = open(os.path.join(root, f), encoding="utf-8").read()
        for m in re.finditer(r"/\*@.*?\*/|//@[^\n]*", text, re.S):
            for hm in HOLE.finditer(m.group(0)):
                line = text.count("\n", 0, m.start() + hm.start()) + 1
                found.append(f"{f}:{line} ({hm.group(1)})")
    return found


def old_module(path, name):
    """(table row, detail section) of one module in a STATUS.md, or None."""
    if not os.path.exists(path):
        return None
    text = open(path, encoding="utf-8").read()
    row = re.search(r"^\| " + re.escape(name) + r" \| `[^`]+\.c` \| .*$", text, re.M)
    sec = re.search(r"^### " + re.escape(name) + r" \(.*?(?=^### |^## |\Z)", text, re.S | re.M)
    if not row or not sec:
        return None
    return row.group(0), sec.group(0).rstrip("\n") + "\n"


def report(work, root, cache, seconds, old_status, rows):
    """Every module of ROWS: those of this run from WORKDIR, the others as
    the old STATUS.md had them (a run of some modules keeps the rest)."""
    old = read_digests(old_status)
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    ran = {}
    for row in open(os.path.join(work, "summary")):
        name, src, rc, proved, goals, secs, how, dg = row.split()
        ran[name] = (name, src, int(rc), int(proved), int(goals), int(secs), how, dg)
    all_ran = all(r[0] in ran for r in rows)
    all_cold = all_ran and all(m[6] == "cold" for m in ran.values())
    smoked = all_ran and os.path.exists(os.path.join(work, "smoke-all"))

    lines, table, dtable, details, all_holes = [], [], [], [], []
    total_goals = total_proved = 0
    for name, src, _extra in rows:
        files = deps(root, src)
        hs = holes(root, files)
        all_holes.extend(h for h in hs if h not in all_holes)
        if name not in ran:
            kept = old_module(old_status, name)
            dg, cold, date = old.get(name, ("none", "none", "never"))
            dtable.append(f"| {name} | `{dg}` | `{cold}` | {date} |")
            if kept:
                table.append(kept[0])
                cells = [c.strip() for c in kept[0].split("|")]
                if cells[3].isdigit() and cells[4].isdigit():
                    total_goals += int(cells[3])
                    total_proved += int(cells[4])
                details.append(kept[1])
            else:
                table.append(f"| {name} | `{src}` | not run | | | {len(hs)} |")
            continue
        _, src, rc, proved, goals, secs, how, dg = ran[name]
        total_goals += goals
        total_proved += proved
        table.append(f"| {name} | `{src}` | {goals} | {proved} | {goals - proved} | {len(hs)} |")
        ok = rc == 0 and goals > 0 and proved == goals
        if how == "cold" and ok:
            cold, date = dg, today
        else:
            _, cold, date = old.get(name, (None, "none", "never"))
        dtable.append(f"| {name} | `{dg}` | `{cold}` | {date} |")
        report_json = os.path.join(work, name + ".json")
        details.append(f"### {name} (`{src}`)\n")
        details.append("Reads: " + ", ".join(f"`{f}`" for f in files) + "\n")
        details.append("| function | goals | proved |")
        details.append("|---|---|---|")
        if os.path.exists(report_json):
            rep = json.load(open(report_json))
            for fn in sorted(rep.get("wp:functions", {})):
                g, p = goal_counts(rep["wp:functions"][fn])
                details.append(f"| `{fn}` | {g} | {p} |")
            for ax in rep.get("wp:axiomatics", {}).values():
                g, p = goal_counts(ax)
                names = ", ".join(sorted(k.replace("lemma_", "") for k in ax if k != "wp:section"))
                details.append(f"| lemmas of `spec/` ({names}) | {g} | {p} |")
        details.append("")

    if smoked and all_cold:
        cold_all = [f"`make proofs-cold` of {today}: every module proved cold "
                    f"(`PROOFS_CACHE={cache}`) and smoke-tested, {seconds} s in all "
                    f"({int(seconds) // 60} min).\n"]
        tot = {"goals": 0, "refuted": 0, "timedout": 0, "proved": 0}
        srows = []
        for m in rows:
            p = os.path.join(work, m[0] + ".smoke.json")
            if not os.path.exists(p):
                srows.append(f"| {m[0]} | no result | | | |")
                continue
            s = json.load(open(p))
            nt = sum(s["timedout"].values())
            tot["goals"] += s["goals"]
            tot["refuted"] += s["refuted"]
            tot["timedout"] += nt
            tot["proved"] += len(s["proved"])
            fns = ", ".join(f"`{fn}` ({n})" for fn, n in sorted(s["timedout"].items()))
            srows.append(f"| {m[0]} | {s['goals']} | {len(s['proved'])} | {s['refuted']} | "
                         f"{nt} | {fns} |")
            for p in s["proved"]:
                srows.append(f"| | proved: {p} | | | | |")
        cold_all.append("Smoke tests (`-wp-smoke-tests`, each goal \"this is unreachable\"): "
                        "proved = contradictory contract or dead code (a failure); refuted = "
                        "a prover stopped without a proof (a pass); timed out = inconclusive, "
                        "neither.\n")
        cold_all.append("| module | smoke goals | proved | refuted | timed out | timed out in |")
        cold_all.append("|---|---|---|---|---|---|")
        cold_all.extend(srows)
        cold_all.append(f"| **total** | **{tot['goals']}** | **{tot['proved']}** | "
                        f"**{tot['refuted']}** | **{tot['timedout']}** | |")
        cold_text = "\n".join(cold_all)
    else:
        cold_text = section(old_status, "Last make proofs-cold") or \
            "None recorded yet: run `make proofs-cold`."

    lines.append("# Proof status\n")
    lines.append("Generated by `proofs/run.sh` (`make proofs`); do not edit by hand.\n")
    lines.append(f"Frama-C {fc_version()} WP with `-wp-rte -warn-unsigned-overflow "
                 "-warn-unsigned-downcast -warn-signed-downcast`, provers Z3 4.8.12, CVC4 1.8 "
                 "and CVC5 1.0.3 (`proofs/why3.conf`), 20 s per goal by default (`PROOFS_TIMEOUT`; "
                 "the cold runs of 2026-12-06 used 20 to 30 s on a loaded machine: the timeout is "
                 "not part of a verdict's identity). A goal counts as proved "
                 "when Qed or one prover proves it; `-report-classify` fails the run on any "
                 "other status.\n")
    lines.append("| module | file | goals | proved | unproved | admits/axioms |")
    lines.append("|---|---|---|---|---|---|")
    lines.extend(table)
    lines.append(f"| **total** | | **{total_goals}** | **{total_proved}** | "
                 f"**{total_goals - total_proved}** | **{len(all_holes)}** |\n")
    lines.append("## Digests\n")
    lines.append("A module's digest is the sha256 of Frama-C's normalized print of it (code "
                 "and ACSL of the .c and its headers, no comments, no paths), its options and "
                 "the Frama-C version (`proofs/status.py`). *Cold* is the digest of its last "
                 "run that read no cached verdict: `proofs/run.sh` replays a module from "
                 "`proofs/cache` only while its digest equals its cold digest, and proves it "
                 "cold otherwise (`proofs/README.md`).\n")
    lines.append("| module | digest | cold | cold run |")
    lines.append("|---|---|---|---|")
    lines.extend(dtable)
    lines.append("")
    lines.append("## Last make proofs-cold\n")
    lines.append(cold_text + "\n")
    lines.append("## Admits and axioms\n")
    if all_holes:
        lines.append("Each of these is a hole in the proof: a property assumed, not proved.\n")
        lines.extend(f"- `{h}`" for h in all_holes)
    else:
        lines.append("None: no `admit` and no `axiom` in any annotation of the files read "
                     "(every lemma in `spec/` is proved in each module that includes it).")
    lines.append("\n## Per function\n")
    lines.append("Goals include the RTE guards, `assigns` and loop goals. The `wire_*` "
                 "helpers of `base/wire.h` are `static inline`: each module proves its own copy.\n")
    lines.extend(details)
    print("\n".join(lines).rstrip() + "\n")


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "digest":
        root, opts = argv[2], argv[3]
        version = fc_version()
        for name, src, extra in rows_in():
            print(name, digest(root, opts, src, extra, version))
        return 0
    if cmd == "cold":
        for name, (_, cold, date) in sorted(read_digests(argv[2]).items()):
            print(name, cold, date)
        return 0
    if cmd == "smoke":
        return smoke(argv[2], argv[3], argv[4])
    if cmd == "check":
        return check(argv[2], argv[3], argv[4], rows_in())
    if cmd == "report":
        rows = subprocess.run(["mk/parts.sh", "proofs"], cwd=argv[3], capture_output=True,
                              text=True, check=True).stdout.splitlines()
        report(*argv[2:7], [(r.split()[0], r.split()[1], r.split()[2:]) for r in rows if r.strip()])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
