#!/usr/bin/env python3
"""Time secret scanners on the benchmark inputs; write a results JSON.

Called by bench/secrets.sh, which builds/installs the tools and the inputs and
passes their paths. Every run is `/usr/bin/time -v -o FILE -- <tool command>`;
wall time is measured around it with a monotonic clock, peak RSS is GNU time's
"Maximum resident set size". Runs go in rounds (one run of every tool per
round, tools in a fixed order), after `--warmup` untimed rounds, so that the
noise of a shared machine spreads over all tools alike.

Each run writes the tool's report to a file (deleted before the run), and the
run only counts if the exit code is one the tool uses for success/findings and
the report parses; findings are counted from the last timed run's report.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time

# Exit codes each tool uses for "ran fine" (with or without findings).
OK_EXIT = {
    "gatehouse": {0, 1},       # 1 = findings
    "gitleaks": {0, 1},        # 1 = leaks (also used for errors: the report must parse)
    "kingfisher": {0, 200, 205},  # 200 = findings, 205 = validated findings
    "detect-secrets": {0},
    "ripsecrets": {0, 1},      # 1 = secrets found, 2 = error
}

TREE_TOOLS = ["gatehouse", "gitleaks", "kingfisher", "detect-secrets", "ripsecrets"]
HISTORY_TOOLS = ["gatehouse", "gitleaks", "kingfisher"]


def command(tool: str, binary: str, kind: str, target: str, report: str) -> tuple[list[str], str | None]:
    """The command line for `tool` on input `kind`, and the file its stdout goes to (None: /dev/null)."""
    if kind == "tree":
        if tool == "gatehouse":
            return [binary, "scan", "secrets", "--no-ignore", "--format", "json", "--output", report, target], None
        if tool == "gitleaks":
            return [binary, "dir", "--no-banner", "--redact", "--max-target-megabytes", "16",
                    "--report-format", "json", "--report-path", report, target], None
        if tool == "kingfisher":
            return [binary, "scan", target, "--no-update-check", "--no-validate", "--git-history", "none",
                    "--format", "json", "--output", report], None
        if tool == "detect-secrets":
            return [binary, "scan", "--all-files", "--no-verify", target], report
        if tool == "ripsecrets":
            return [binary, target], report
    else:
        if tool == "gatehouse":
            return [binary, "scan", "secrets", "--git", "--format", "json", "--output", report, target], None
        if tool == "gitleaks":
            return [binary, "git", "--no-banner", "--redact", "--report-format", "json",
                    "--report-path", report, target], None
        if tool == "kingfisher":
            return [binary, "scan", target, "--no-update-check", "--no-validate", "--git-history", "full",
                    "--format", "json", "--output", report], None
    raise ValueError(f"no {kind} command for {tool}")


def count_findings(tool: str, report: str) -> tuple[int, dict]:
    """Findings in a report, plus what the tool itself says it scanned (if it says)."""
    extra: dict = {}
    if tool == "ripsecrets":
        with open(report, "rb") as fh:
            return sum(1 for line in fh if line.strip()), extra
    with open(report, "rb") as fh:
        doc = json.load(fh)
    if tool == "gitleaks":
        return len(doc), extra
    if tool == "detect-secrets":
        return sum(len(v) for v in doc.get("results", {}).values()), extra
    if tool == "kingfisher":
        summary = doc.get("metadata", {}).get("summary", {})
        for k in ("blobs_scanned", "bytes_scanned"):
            if k in summary:
                extra[k] = summary[k]
        return len(doc["findings"]), extra
    if tool == "gatehouse":
        stats = doc.get("stats", {})
        extra = {k: stats[k] for k in ("scanned", "bytes", "skipped", "commits") if k in stats}
        if doc.get("errors"):
            extra["errors"] = len(doc["errors"])
        return len(doc["findings"]), extra
    raise ValueError(tool)


def parse_time_v(path: str) -> dict:
    out = {}
    with open(path, errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if line.startswith("Maximum resident set size (kbytes):"):
                out["max_rss_kb"] = int(line.rsplit(":", 1)[1])
            elif line.startswith("Exit status:"):
                out["exit"] = int(line.rsplit(":", 1)[1])
            elif line.startswith("Command terminated by signal"):
                out["signal"] = int(line.rsplit(" ", 1)[1])
            elif line.startswith("User time (seconds):"):
                out["user_s"] = float(line.rsplit(":", 1)[1])
            elif line.startswith("System time (seconds):"):
                out["sys_s"] = float(line.rsplit(":", 1)[1])
    return out


def run_once(tool: str, argv: list[str], stdout_to: str | None, report: str, logdir: str, tag: str,
             env: dict, timeout: float) -> dict:
    if os.path.exists(report):
        os.remove(report)
    timef = os.path.join(logdir, f"{tag}.time")
    errf = os.path.join(logdir, f"{tag}.stderr")
    out = open(stdout_to, "wb") if stdout_to else open(os.devnull, "wb")
    t0 = time.monotonic()
    with out, open(errf, "wb") as err:
        # A session of its own, so that a timeout ends the tool and any workers it forked.
        p = subprocess.Popen(["/usr/bin/time", "-v", "-o", timef, "--", *argv], stdout=out, stderr=err,
                             stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return {"ok": False, "why": f"did not finish within {timeout:.0f} s (stopped)",
                    "timed_out_s": timeout, "stderr": errf}
        wall = time.monotonic() - t0
    r = {"wall_s": round(wall, 4), "exit": p.returncode, "stderr": errf}
    try:
        r.update(parse_time_v(timef))
    except OSError:
        pass
    if "signal" in r:
        r.update(ok=False, why=f"killed by signal {r['signal']}")
    elif p.returncode not in OK_EXIT[tool]:
        r.update(ok=False, why=f"exit code {p.returncode} (expected one of {sorted(OK_EXIT[tool])})")
    else:
        try:
            r["findings"], r["scanned"] = count_findings(tool, report)
            r["ok"] = True
        except Exception as e:  # noqa: BLE001 - any unreadable report fails the run
            r.update(ok=False, why=f"exit code {p.returncode} but its report {report} is unreadable: {e}")
    return r


def tail(path: str, n: int = 6) -> str:
    try:
        with open(path, errors="replace") as fh:
            return "".join(fh.readlines()[-n:]).strip()
    except OSError:
        return ""


def gitleaks_scanned(stderr_path: str) -> int | None:
    m = None
    try:
        with open(stderr_path, errors="replace") as fh:
            for line in fh:
                mm = re.search(r"scanned ~\d+ bytes \((.+?)\)", line)
                if mm:
                    m = mm.group(1)
    except OSError:
        return None
    if not m:
        return None
    units = {"bytes": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9}
    num, unit = m.split()
    return int(float(num) * units.get(unit, 1))


def main() -> int:
    # `@FILE` reads further arguments from FILE, one per line (bench/secrets.sh passes them so).
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 fromfile_prefix_chars="@")
    ap.add_argument("--tool", action="append", default=[], metavar="NAME=PATH",
                    help="a tool to time and its binary (repeatable)")
    ap.add_argument("--skip", action="append", default=[], metavar="NAME=WHY",
                    help="a tool that is not measured, and why (repeatable)")
    ap.add_argument("--version", action="append", default=[], metavar="NAME=VERSION")
    ap.add_argument("--input", action="append", default=[], metavar="KIND=PATH", help="tree=DIR and/or history=REPO")
    ap.add_argument("--input-stats", action="append", default=[], metavar="KIND=JSON")
    ap.add_argument("--runs", type=int, default=3, help="timed runs on the tree")
    ap.add_argument("--history-runs", type=int, default=None, help="timed runs on the history (default: --runs)")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--slow-runs", action="append", default=[], metavar="NAME=N",
                    help="cap the timed runs of a slow tool (its median is then of fewer runs)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before one run is killed")
    ap.add_argument("--slow-timeout", type=float, default=None,
                    help="seconds before one run of a --slow-runs tool is killed (default: --timeout)")
    ap.add_argument("--workdir", required=True, help="where reports and logs go")
    ap.add_argument("--meta", default=None, help="JSON file with machine/command metadata to embed")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    tools = dict(x.split("=", 1) for x in a.tool)
    skipped = dict(x.split("=", 1) for x in a.skip)
    versions = dict(x.split("=", 1) for x in a.version)
    inputs = dict(x.split("=", 1) for x in a.input)
    slow = {k: int(v) for k, v in (x.split("=", 1) for x in a.slow_runs)}
    input_stats = {}
    for x in a.input_stats:
        k, v = x.split("=", 1)
        with open(v) as fh:
            input_stats[k] = json.load(fh)
    meta = {}
    if a.meta:
        with open(a.meta) as fh:
            meta = json.load(fh)

    env = dict(os.environ)
    env.setdefault("KF_RULE_CACHE_DIR", os.path.join(a.workdir, "kf-cache"))
    env["NO_COLOR"] = "1"
    outdir = os.path.join(a.workdir, "out")
    logdir = os.path.join(a.workdir, "logs", time.strftime("%Y%m%dT%H%M%S"))
    os.makedirs(outdir, exist_ok=True)
    os.makedirs(logdir, exist_ok=True)

    def save(partial: bool) -> None:
        """Write the results so far (after every run: a stopped benchmark still leaves its figures)."""
        doc = dict(results)
        doc["inputs"] = {k: dict(v, tools=summarize(v["tools"])) for k, v in results["inputs"].items()}
        doc["partial"] = partial
        if not partial:
            doc["meta"] = dict(meta, load_after=os.getloadavg()[0])
        tmp = a.out + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(doc, fh, indent=2)
        os.replace(tmp, a.out)

    results = {"meta": meta, "versions": versions, "runs": a.runs, "warmup": a.warmup,
               "history_runs": a.history_runs if a.history_runs is not None else a.runs,
               "slow_runs": slow, "inputs": {}}
    for kind in ("tree", "history"):
        if kind not in inputs:
            continue
        target = inputs[kind]
        n_runs = a.runs if kind == "tree" else results["history_runs"]
        order = TREE_TOOLS if kind == "tree" else HISTORY_TOOLS
        entries: dict[str, dict] = {}
        active = []
        for tool in order:
            if tool in tools:
                report = os.path.join(outdir, f"{tool}-{kind}.{'txt' if tool == 'ripsecrets' else 'json'}")
                argv, stdout_to = command(tool, tools[tool], kind, target, report)
                cwd = os.getcwd()
                rel = lambda x: os.path.relpath(x, cwd) if os.path.isabs(x) and x.startswith(cwd + os.sep) else x  # noqa: E731
                display = [os.path.basename(argv[0])] + [rel(x) for x in argv[1:]]
                shown = " ".join(shlex.quote(x) for x in display)
                if stdout_to:
                    shown += f" > {shlex.quote(rel(stdout_to))}"
                entries[tool] = {"status": "ok", "command": shown, "binary": rel(tools[tool]),
                                 "times": [], "rss_kb": [], "user_s": [], "sys_s": [], "report": report,
                                 "_argv": argv, "_stdout": stdout_to,
                                 "runs_wanted": min(n_runs, slow.get(tool, n_runs))}
                active.append(tool)
            else:
                entries[tool] = {"status": "skipped", "note": skipped.get(tool, "not requested")}
        results["inputs"][kind] = {"path": target, "stats": input_stats.get(kind, {}), "tools": entries,
                                   "complete": False}
        total_rounds = a.warmup + n_runs
        for rnd in range(total_rounds):
            warm = rnd < a.warmup
            for tool in active:
                e = entries[tool]
                if e["status"] != "ok":
                    continue
                if not warm and len(e["times"]) >= e["runs_wanted"]:
                    continue
                if warm and tool in slow and len(active) > 1:
                    # A capped slow tool skips the warm-up: the other tools' warm-ups, earlier in
                    # the same round, have already read the same bytes into the page cache.
                    continue
                tag = f"{kind}-{tool}-{'warmup' if warm else 'run'}{rnd}"
                label = "warm-up" if warm else f"run {rnd - a.warmup + 1}/{e['runs_wanted']}"
                print(f"  [{kind}] {tool:<15} {label:<10}", end=" ", flush=True)
                limit = a.slow_timeout if (tool in slow and a.slow_timeout) else a.timeout
                r = run_once(tool, e["_argv"], e["_stdout"], e["report"], logdir, tag, env, limit)
                if not r["ok"]:
                    e["status"] = "failed"
                    e["note"] = r["why"]
                    if "timed_out_s" in r:
                        e["timed_out_s"] = r["timed_out_s"]
                    print(f"FAILED: {r['why']}\n      command: {e['command']}\n      stderr ({r['stderr']}):\n"
                          + "\n".join("        " + x for x in tail(r["stderr"]).splitlines()), flush=True)
                    save(partial=True)
                    continue
                print(f"{r['wall_s']:8.2f} s  {r.get('max_rss_kb', 0) / 1024:8.1f} MiB  exit {r['exit']}  "
                      f"findings {r['findings']}", flush=True)
                e["findings"] = r["findings"]
                e["exit_code"] = r["exit"]
                e["tool_scanned"] = r["scanned"]
                if tool == "gitleaks":
                    b = gitleaks_scanned(r["stderr"])
                    if b is not None:
                        e["tool_scanned"] = {"bytes": b}
                if not warm:
                    e["times"].append(r["wall_s"])
                    e["rss_kb"].append(r.get("max_rss_kb"))
                    e["user_s"].append(r.get("user_s"))
                    e["sys_s"].append(r.get("sys_s"))
                save(partial=True)
        results["inputs"][kind]["complete"] = True
    save(partial=False)
    print(f"results: {a.out}")
    return 0


def summarize(entries: dict) -> dict:
    """A copy of the per-tool entries with medians and peaks filled in."""
    out = {}
    for tool, e in entries.items():
        e = {k: v for k, v in e.items() if not k.startswith("_")}
        if e.get("status") == "ok" and e.get("times"):
            e["median_s"] = statistics.median(e["times"])
            e["peak_rss_kb"] = max(x for x in e["rss_kb"] if x is not None)
            cpu = [u + s for u, s in zip(e["user_s"], e["sys_s"]) if u is not None and s is not None]
            if cpu:
                e["median_cpu_s"] = statistics.median(cpu)
        out[tool] = e
    return out



if __name__ == "__main__":
    sys.exit(main())
