#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the `make bench` report (bench/RESULTS.md) from the key=value
lines the benchmark scripts appended to one file (mk/bench_run.sh), with
the machine and the versions it ran on, and issue 16's targets marked met
or missed.

    bench_results.py --results FILE --out REPORT [--smoke] [--seconds N]

Exits 1 when a figure the run should have produced is missing, not a
number, or (a rate, CPU time or instruction count) not positive (the report is still written, the gaps marked), so a benchmark that
silently stopped producing a figure fails `make bench-smoke`.
Environment: BENCH_CALLGRIND, BENCH_BOOT, BOOT_BISECT, BENCH_XEN (0: that
part was skipped, its figures are not expected), BOOT_MEM_MAX, and
ATOLL_CRYPTO: the crypto backend build/atoll was built with, when the
binary alone cannot tell (see crypto_backend).
"""
import argparse
import math
import os
import platform
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Where the lead writes, by hand, what remains for each missed target; the
# report quotes it whole, so a regenerated report keeps it.
NOTES = os.path.join(REPO, "bench", "NOTES.md")
REMAINS = "(see the closing note)"


def expected(env):
    keys = []
    for w in ("bulk", "conns"):
        for s in ("atoll", "lo", "veth"):
            keys += [f"echo_{w}_{s}_rate", f"echo_{w}_{s}_cpu"]
    for s in ("atoll", "veth"):
        keys += [f"echo_loss_{s}_rate", f"echo_loss_{s}_cpu"]
    keys += ["echo_bulk_mb", "echo_conns_count", "echo_loss_mb", "echo_loss_pct", "echo_loss_dropped", "echo_reps"]
    for w in ("small", "hs", "bulk"):
        for s in ("atoll", "nginx"):
            keys += [f"https_{w}_{s}_rate", f"https_{w}_{s}_cpu_us"]
    keys += ["https_reps", "https_reqs", "https_hs", "https_bulk_mb", "https_idle_conns",
             "https_idle_atoll_plan_b", "https_idle_atoll_rss_kb", "https_idle_nginx_rss_kb"]
    for s in ("atoll", "nginx"):
        keys += [f"https_records_{s}_per_small", f"https_records_{s}_bulk_bytes"]
    if env.get("BENCH_CALLGRIND", "1") != "0":
        keys += ["cg_echo_instr_per_mib", "cg_echo_instr_per_conn", "cg_echo_mb", "cg_echo_conns",
                 "cg_https_instr_per_request", "cg_https_instr_per_handshake", "cg_https_instr_per_mib",
                 "cg_https_reqs", "cg_https_hs", "cg_https_bulk_mb"]
    if env.get("BENCH_BOOT", "1") != "0":
        keys += ["boot_image_kib", "boot_entry_to_serving_ms", "boot_image_mem_kib", "boot_heap_kib"]
        if env.get("BOOT_BISECT", "1") != "0":
            keys.append("boot_min_mem_mib")
        if env.get("BENCH_XEN", "1") != "0":
            keys += ["xen_entry_to_serving_ms", "xen_heap_kib", "xen_min_mem_mib"]
    return keys


def read_results(path):
    vals, bad = {}, {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or "=" not in line:
                continue
            k, v = line.split("=", 1)
            try:
                x = float(v)
                if not math.isfinite(x):
                    raise ValueError
                vals[k] = x
            except ValueError:
                bad[k] = v
                continue
            # A rate, a CPU time or an instruction count of zero or less is
            # a workload that did not run, whatever its speed.
            if x <= 0 and re.search(r"_(rate|cpu|cpu_us)$|^cg_", k):
                del vals[k]
                bad[k] = v
    return vals, bad


def run(*cmd):
    """First line of a command's output (stdout, else stderr), or None."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20, cwd=REPO)
    except (OSError, subprocess.SubprocessError):
        return None
    out = (p.stdout.strip() or p.stderr.strip())
    return out.splitlines()[0] if out else None


def first_match(path, pattern):
    try:
        with open(path) as f:
            for line in f:
                m = re.match(pattern, line)
                if m:
                    return m.group(1).strip()
    except OSError:
        pass
    return None


def crypto_backend(env):
    """ATOLL_CRYPTO when set; else the backend tables (tls_crypto_NAME_ops,
    README "TLS crypto backends") build/atoll links, when there is one."""
    if env.get("ATOLL_CRYPTO"):
        return env["ATOLL_CRYPTO"] + " (ATOLL_CRYPTO)"
    syms = run("sh", "-c", "nm build/atoll 2>/dev/null | sed -nE 's/.* tls_crypto_([a-z0-9]+)_ops$/\\1/p' | sort -u | tr '\\n' ' '")
    names = (syms or "").split()
    if len(names) == 1:
        return f"{names[0]} (its ops table is the only one build/atoll links)"
    if names:
        return f"one of {', '.join(names)} (build/atoll links each; set ATOLL_CRYPTO to say which serves)"
    return "mbedtls (nothing in build/atoll tells; set ATOLL_CRYPTO)"


def machine(env):
    model = first_match("/proc/cpuinfo", r"model name\s*:\s*(.*)") or platform.processor() or "?"
    mem = first_match("/proc/meminfo", r"MemTotal:\s*(\d+) kB")
    debian = None
    try:
        with open("/etc/debian_version") as f:
            debian = f.read().strip()
    except OSError:
        pass
    pretty = first_match("/etc/os-release", r'PRETTY_NAME="?([^"]*)"?')
    load = None
    try:
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
    except OSError:
        pass
    commit = run("git", "rev-parse", "HEAD") or "?"
    # The report itself is rewritten by this run: not a change to the code.
    dirty = run("sh", "-c", "git status --porcelain --untracked-files=no -- . ':!bench/' | head -n 1")
    subject = run("git", "log", "-1", "--format=%s") or ""
    pkg = lambda p: run("dpkg-query", "-W", "-f=${Version}", p) or "not installed"
    return [
        ("CPU", model),
        ("cores", f"{os.cpu_count()} (online: {run('nproc') or '?'})"),
        ("memory", f"{int(mem) // 1024} MiB" if mem else "?"),
        ("kernel", platform.release()),
        ("Debian", f"{debian} ({pretty})" if debian else (pretty or "?")),
        ("load average at the end of the run", load or "?"),
        ("gcc", run("gcc", "-dumpfullversion") or "?"),
        ("nginx", (run("nginx", "-v") or "?").replace("nginx version: ", "") + f" (Debian nginx-light {pkg('nginx-light')})"),
        ("OpenSSL", run("openssl", "version") or "?"),
        ("mbedtls", f"Debian libmbedtls-dev {pkg('libmbedtls-dev')}"),
        ("valgrind", run("valgrind", "--version") or "?"),
        ("QEMU", run("qemu-system-x86_64", "--version") or "?"),
        ("Atoll commit", f"{commit[:12]}{' plus uncommitted changes' if dirty else ''} ({subject})"),
        ("Atoll crypto backend", crypto_backend(env)),
    ]


class Report:
    def __init__(self, vals):
        self.v = vals
        self.lines = []

    def get(self, k):
        return self.v.get(k)

    def out(self, s=""):
        self.lines.append(s)


def fmt(x, nd=2):
    if x is None:
        return "missing"
    if abs(x) >= 1e5:
        return f"{x:,.0f}"
    return f"{x:,.{nd}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def targets(r):
    """Issue 16's table: (workload, measure, atoll, reference, unit, ratio, op, target)."""
    g = r.get
    ms = lambda k: None if g(k) is None else 1000 * g(k)
    rows = [
        ("keep-alive HTTPS GET, 1 KiB file", "server CPU per request, Atoll / nginx",
         g("https_small_atoll_cpu_us"), g("https_small_nginx_cpu_us"), "µs", "<=", 0.67),
        ("new TLS 1.3 connection, X25519 + ECDSA P-256", "server CPU per handshake, Atoll / nginx",
         g("https_hs_atoll_cpu_us"), g("https_hs_nginx_cpu_us"), "µs", "<=", 0.5),
        ("bulk HTTPS, per MiB of a 4 MiB file", "server CPU per MiB, Atoll / nginx",
         g("https_bulk_atoll_cpu_us"), g("https_bulk_nginx_cpu_us"), "µs", "<=", 1.0),
        ("one TCP flow through the tap vs Linux↔Linux over veth", "echo rate, Atoll / Linux",
         g("echo_bulk_atoll_rate"), g("echo_bulk_veth_rate"), "MiB/s", ">=", 0.8),
        ("the same flow with %s %% loss each way (nftables), vs Linux↔Linux under the same loss"
         % fmt(g("echo_loss_pct"), 0), "echo rate, Atoll / Linux",
         g("echo_loss_atoll_rate"), g("echo_loss_veth_rate"), "MiB/s", ">=", 1.0),
    ]
    out = []
    for w, m, a, b, unit, op, t in rows:
        q = ratio(a, b)
        if q is None:
            verdict = "not measured"
        elif (q <= t) if op == "<=" else (q >= t):
            verdict = "met"
        else:
            verdict = "missed"
        out.append((w, m, a, b, unit, q, op, t, verdict))
    # the tap flow's CPU per MiB, both sides, is printed with its row
    return out, (ms("echo_bulk_atoll_cpu"), ms("echo_bulk_veth_cpu"))


def build(vals, bad, missing, env, smoke, seconds):
    r = Report(vals)
    g = r.get
    o = r.out
    o("# Atoll benchmark results")
    o()
    if smoke:
        o("**Smoke run (`make bench-smoke`): tiny counts, the figures mean nothing.**")
        o()
    o(f"Written by `make {'bench-smoke' if smoke else 'bench'}` (mk/bench_run.sh, mk/bench_results.py) on "
      f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} from one run of mk/bench.sh, "
      f"mk/bench_https.sh and mk/bench_boot.sh ({seconds} s). Every ratio compares figures "
      "measured side by side in this run; nothing here is asserted by a test.")
    o()
    o("## Targets (issue 16)")
    o()
    o("| workload | measure | Atoll | reference | ratio | target | |")
    o("|---|---|---|---|---|---|---|")
    rows, (tap_a, tap_l) = targets(r)
    for w, m, a, b, unit, q, op, t, verdict in rows:
        extra = ""
        if "through the tap" in w:
            extra = f"; CPU per MiB: Atoll {fmt(tap_a)} ms, Linux {fmt(tap_l)} ms"
        withunit = lambda x: "missing" if x is None else f"{fmt(x)} {unit}"
        o(f"| {w} | {m}{extra} | {withunit(a)} | {withunit(b)} | "
          f"{'-' if q is None else f'{q:.2f}×'} | {'≤' if op == '<=' else '≥'} {t}× | **{verdict}** |")
    o()
    missed = [x for x in rows if x[8] != "met"]
    if missed:
        o("What remains, per target not met:")
        o()
        for x in missed:
            o(f"- {x[0]}: {REMAINS}")
        o()
    o("CPU is the server process's own on-CPU time (/proc/PID/schedstat). The references:")
    o("nginx (one worker, TLS 1.3, the same certificate and files) behind a veth pair, and")
    o("the Linux echo server (Python, epoll) in a second namespace behind a veth pair; Atoll on")
    o("a tap device, its TCP/IP stack in its own process, so its CPU includes what Linux's")
    o("kernel does for nginx in softirq time outside nginx's account (the ratios flatter")
    o("Linux). The loss rows: a third namespace's client routed through one whose nftables")
    o("forward hook drops that share of packets each way, on both paths alike.")
    o()

    o("## Parameters")
    o()
    par = [
        ("echo rounds (interleaved, medians)", g("echo_reps")),
        ("echo bulk MiB per run (BENCH_MB)", g("echo_bulk_mb")),
        ("echo sequential connections per run (BENCH_CONNS)", g("echo_conns_count")),
        ("lossy echo MiB per run (BENCH_LOSS_MB)", g("echo_loss_mb")),
        ("loss each way, % (BENCH_LOSS_PCT)", g("echo_loss_pct")),
        ("HTTPS rounds (BENCH_REPS for mk/bench_https.sh)", g("https_reps")),
        ("keep-alive GETs per run, 8 concurrent (BENCH_REQS)", g("https_reqs")),
        ("handshakes per run, 4 concurrent (BENCH_HS)", g("https_hs")),
        ("bulk MiB per run, 4 MiB files (BENCH_BULK_MB)", g("https_bulk_mb")),
        ("idle TLS connections held (BENCH_IDLE)", g("https_idle_conns")),
    ]
    if env.get("BENCH_CALLGRIND", "1") != "0":
        par += [("callgrind: echo MiB / connections (BENCH_CG_MB, BENCH_CG_CONNS)",
                 f"{fmt(g('cg_echo_mb'), 0)} / {fmt(g('cg_echo_conns'), 0)}"),
                ("callgrind: handshakes / keep-alive GETs / MiB (BENCH_CG_HS, BENCH_CG_REQS, BENCH_CG_BULK_MB)",
                 f"{fmt(g('cg_https_hs'), 0)} / {fmt(g('cg_https_reqs'), 0)} / {fmt(g('cg_https_bulk_mb'), 0)}")]
    else:
        par.append(("callgrind", "skipped (BENCH_CALLGRIND=0)"))
    if env.get("BENCH_BOOT", "1") == "0":
        par.append(("boot figures", "skipped (BENCH_BOOT=0)"))
    else:
        par.append(("boot: top of the memory search, MiB (BOOT_MEM_MAX)", env.get("BOOT_MEM_MAX", "256")))
        par.append(("boot: memory search (BOOT_BISECT)", "off" if env.get("BOOT_BISECT", "1") == "0" else "on"))
        par.append(("boot on real Xen (BENCH_XEN)", "off" if env.get("BENCH_XEN", "1") == "0" else "on"))
    o("| parameter | value |")
    o("|---|---|")
    for k, v in par:
        o(f"| {k} | {fmt(v, 0) if isinstance(v, float) or v is None else v} |")
    o()

    o("## Machine and versions")
    o()
    o("| | |")
    o("|---|---|")
    for k, v in machine(env):
        o(f"| {k} | {v} |")
    o()

    o("## TCP echo (mk/bench.sh)")
    o()
    o("| | Atoll (tap) | Linux (lo) | Linux (veth) |")
    o("|---|---|---|---|")
    ms = lambda k: None if g(k) is None else 1000 * g(k)
    us = lambda k: None if g(k) is None else 1e6 * g(k)
    o(f"| bulk echo, MiB/s (median) | {fmt(g('echo_bulk_atoll_rate'))} | {fmt(g('echo_bulk_lo_rate'))} | {fmt(g('echo_bulk_veth_rate'))} |")
    o(f"| bulk, server CPU ms per MiB | {fmt(ms('echo_bulk_atoll_cpu'))} | {fmt(ms('echo_bulk_lo_cpu'))} | {fmt(ms('echo_bulk_veth_cpu'))} |")
    o(f"| {fmt(g('echo_loss_pct'), 0)} % loss each way: MiB/s (median) | {fmt(g('echo_loss_atoll_rate'))} | - | {fmt(g('echo_loss_veth_rate'))} |")
    o(f"| {fmt(g('echo_loss_pct'), 0)} % loss each way: server CPU ms per MiB | {fmt(ms('echo_loss_atoll_cpu'))} | - | {fmt(ms('echo_loss_veth_cpu'))} |")
    o(f"| connections/s (sequential) | {fmt(g('echo_conns_atoll_rate'), 0)} | {fmt(g('echo_conns_lo_rate'), 0)} | {fmt(g('echo_conns_veth_rate'), 0)} |")
    o(f"| server CPU µs per connection | {fmt(us('echo_conns_atoll_cpu'), 1)} | {fmt(us('echo_conns_lo_cpu'), 1)} | {fmt(us('echo_conns_veth_cpu'), 1)} |")
    o()
    o(f"Packets the loss rule dropped over all lossy runs: {fmt(g('echo_loss_dropped'), 0)}.")
    o()

    o("## HTTPS (mk/bench_https.sh)")
    o()
    o("| | Atoll | nginx + OpenSSL | ratio |")
    o("|---|---|---|---|")
    for w, label, unit in (("small", "keep-alive 1 KiB GETs", "requests/s"), ("hs", "new TLS 1.3 connections", "handshakes/s"),
                           ("bulk", "bulk, 4 MiB files", "MB/s")):
        a, b = g(f"https_{w}_atoll_rate"), g(f"https_{w}_nginx_rate")
        q = ratio(a, b)
        o(f"| {label}: {unit} (median) | {fmt(a, 1)} | {fmt(b, 1)} | {'-' if q is None else f'{q:.2f}×'} |")
        a, b = g(f"https_{w}_atoll_cpu_us"), g(f"https_{w}_nginx_cpu_us")
        q = ratio(a, b)
        per = {"small": "request", "hs": "handshake", "bulk": "MiB"}[w]
        o(f"| {label}: server CPU µs per {per} | {fmt(a, 1)} | {fmt(b, 1)} | {'-' if q is None else f'{q:.2f}×'} |")
    plan = g("https_idle_atoll_plan_b")
    plan_kb = None if plan is None else plan / 1024
    q = ratio(plan_kb, g("https_idle_nginx_rss_kb"))
    o(f"| memory per idle TLS connection, KB: Atoll's plan / nginx's resident growth | "
      f"{fmt(plan_kb)} | {fmt(g('https_idle_nginx_rss_kb'))} | {'-' if q is None else f'{q:.2f}×'} |")
    o(f"| resident growth per idle TLS connection, KB | {fmt(g('https_idle_atoll_rss_kb'))} | {fmt(g('https_idle_nginx_rss_kb'))} | |")
    o(f"| TLS records per 1 KiB response | {fmt(g('https_records_atoll_per_small'))} | {fmt(g('https_records_nginx_per_small'))} | |")
    o(f"| bulk: bytes per TLS record | {fmt(g('https_records_atoll_bulk_bytes'), 0)} | {fmt(g('https_records_nginx_bulk_bytes'), 0)} | |")
    o()

    o("## Atoll's instructions (callgrind)")
    o()
    if env.get("BENCH_CALLGRIND", "1") == "0":
        o("Skipped (BENCH_CALLGRIND=0).")
    else:
        o("User-space instructions of the appliance alone, which repeat closely from run to run")
        o("on the same commit: they show our own progress commit to commit.")
        o()
        o("| workload | instructions |")
        o("|---|---|")
        o(f"| keep-alive HTTPS GET, 1 KiB file: per request | {fmt(g('cg_https_instr_per_request'), 0)} |")
        o(f"| new TLS 1.3 connection (with one GET): per handshake | {fmt(g('cg_https_instr_per_handshake'), 0)} |")
        o(f"| bulk HTTPS, 4 MiB files: per MiB | {fmt(g('cg_https_instr_per_mib'), 0)} |")
        o(f"| TCP echo through the tap: per MiB echoed | {fmt(g('cg_echo_instr_per_mib'), 0)} |")
        o(f"| TCP echo: per connection | {fmt(g('cg_echo_instr_per_conn'), 0)} |")
    o()

    o("## PVH image: memory and boot (mk/bench_boot.sh)")
    o()
    if env.get("BENCH_BOOT", "1") == "0":
        o("Skipped (BENCH_BOOT=0).")
    else:
        o("| | QEMU | Xen (nested in QEMU) |")
        o("|---|---|---|")
        xen = env.get("BENCH_XEN", "1") != "0"
        bis = env.get("BOOT_BISECT", "1") != "0"
        nx = "not run (BENCH_XEN=0)"
        o(f"| image size (text, rodata, data, bss), KiB | {fmt(g('boot_image_kib'), 0)} | |")
        o(f"| PVH entry to serving, ms (emulated: not a real host's) | {fmt(g('boot_entry_to_serving_ms'), 0)} | "
          f"{fmt(g('xen_entry_to_serving_ms'), 0) if xen else nx} |")
        o(f"| in use once serving: image + heap, KiB | {fmt(g('boot_image_mem_kib'), 0)} + {fmt(g('boot_heap_kib'), 0)} | "
          f"{fmt(g('xen_heap_kib'), 0) + ' (heap)' if xen else nx} |")
        o(f"| smallest guest memory that serves, MiB | {fmt(g('boot_min_mem_mib'), 0) if bis else 'not searched (BOOT_BISECT=0)'} | "
          f"{fmt(g('xen_min_mem_mib'), 0) if xen else nx} |")
    o()

    if missing or bad:
        o("## Missing figures")
        o()
        for k in missing:
            o(f"- `{k}`: not produced")
        for k, v in sorted(bad.items()):
            o(f"- `{k}`: not a positive number ({v!r})")
        o()

    o("## Closing note")
    o()
    try:
        with open(NOTES) as f:
            o(f.read().rstrip())
    except OSError:
        o("(to be written: what remains for each target missed, and why; kept in bench/NOTES.md,")
        o("which this report quotes whole.)")
    o()
    return "\n".join(r.lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--seconds", default="?")
    a = ap.parse_args()
    env = dict(os.environ)
    vals, bad = read_results(a.results)
    missing = [k for k in expected(env) if k not in vals and k not in bad]
    text = build(vals, bad, missing, env, a.smoke, a.seconds)
    with open(a.out, "w") as f:
        f.write(text)
    for k in missing:
        print(f"bench report: figure {k} missing", file=sys.stderr)
    for k, v in sorted(bad.items()):
        print(f"bench report: figure {k} is not a positive number: {v!r}", file=sys.stderr)
    return 1 if missing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
