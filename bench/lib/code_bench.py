#!/usr/bin/env python3
"""Static-analysis benchmark: accuracy on the OWASP Benchmark for Python, speed against Semgrep.

Called by bench/code.sh, which builds/installs the tools, copies the inputs and passes their
paths. Stages, in order (--only picks some):

  accuracy  each tool once over the benchmark's testcode/: Gatehouse with its built-in rules,
            Semgrep with the rule files, Bandit with its default plugins; scored per category
            (bench/lib/code_score.py), and the stored Bandit SARIF scored the same way
  stdlib    timing: Gatehouse and Semgrep, the same rule files, over the copied standard library
  testcode  timing: the same over the benchmark's testcode/

Every run is `/usr/bin/time -v -o FILE -- <command>` (deps_bench.run_once); runs go in rounds
(one run of every tool per round) after `--warmup` untimed rounds, so a shared machine's noise
spreads over the tools alike. A run counts only if its exit code is one the tool uses for
success/findings and its report parses. After the timed runs, the findings of the last run of each
tool are compared as (path relative to the input, start line, rule id) and the differences written
to bench/work/code/diff-<input>.txt.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from code_inputs import count_lines  # noqa: E402
from code_score import READERS, categories, load_expected, score_both  # noqa: E402
from deps_bench import run_once  # noqa: E402  (the same timed run as the dependency benchmark)
from run_bench import summarize, tail  # noqa: E402

KINDS = ["accuracy", "stdlib", "testcode"]
SPEED_TOOLS = ["gatehouse", "semgrep"]
ACCURACY_TOOLS = ["gatehouse", "semgrep", "bandit"]
# 1 = findings (gatehouse, bandit); gatehouse 3 = some file could not be read or parsed in time, which
# its report lists (the run counts, and the table gives the number).
OK_EXIT = {"gatehouse": {0, 1, 3}, "semgrep": {0, 1}, "bandit": {0, 1}}

# Semgrep's target selection, made to match Gatehouse's: the copied inputs live in a gitignored
# directory of this repository (Semgrep would skip them as untracked and ignored), and without a
# .semgrepignore Semgrep applies a default one that drops test/ and tests/ directories.
SEMGREP_SELECT = ["--no-git-ignore", "--x-ignore-semgrepignore-files"]


def semgrep_argv(binary: str, rules: str, jobs: int, report: str, target: str) -> list[str]:
    return [binary, "scan", "--metrics=off", "--disable-version-check", "--config", rules, "-j", str(jobs),
            "--json", "-o", report, *SEMGREP_SELECT, target]


def speed_argv(tool: str, binary: str, a, report: str, target: str) -> list[str]:
    if tool == "gatehouse":
        return [binary, "scan", "code", "--config", a.rules, "-j", str(a.jobs), "-f", "json", "-o", report,
                *a.gatehouse_arg, target]
    return semgrep_argv(binary, a.rules, a.jobs, report, target)


def accuracy_argv(tool: str, binary: str, a, report: str, target: str) -> list[str]:
    if tool == "gatehouse":  # the built-in rules: no --config
        return [binary, "scan", "code", target, "-f", "json", "-o", report, *a.gatehouse_arg]
    if tool == "semgrep":
        return semgrep_argv(binary, a.rules, a.jobs, report, target)
    return [binary, "-r", target, "-f", "json", "-o", report]


# ---- reports ------------------------------------------------------------------------------------

def tool_errors(tool: str, report: str) -> dict:
    """What the tool itself says it could not do, and what it scanned (when it says)."""
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    out: dict = {}
    if tool == "gatehouse":
        st = doc.get("stats") or {}
        out.update({k: v for k, v in st.items() if isinstance(v, (int, float)) and k != "duration_ms"})
        pe = st.get("parse_errors") or {}
        if pe:
            out["files_with_syntax_errors"] = sum(int((x or {}).get("files", 0)) for x in pe.values())
        if st.get("skipped"):
            out["skipped"] = st["skipped"]
        for k in ("errors", "warnings", "gaps"):
            if doc.get(k):
                out[k] = len(doc[k])
    elif tool == "semgrep":
        out["scanned"] = len((doc.get("paths") or {}).get("scanned") or [])
        if doc.get("errors"):
            out["errors"] = len(doc["errors"])
            kinds: dict[str, int] = {}
            for e in doc["errors"]:
                t = e.get("type")
                t = t[0] if isinstance(t, list) and t else t
                kinds[str(t)] = kinds.get(str(t), 0) + 1
            out["error_kinds"] = kinds
    elif tool == "bandit":
        tot = (doc.get("metrics") or {}).get("_totals") or {}
        if "loc" in tot:
            out["loc"] = tot["loc"]
        if doc.get("errors"):
            out["errors"] = len(doc["errors"])
            reasons: dict[str, int] = {}
            for e in doc["errors"]:
                reasons[e.get("reason", "?")] = reasons.get(e.get("reason", "?"), 0) + 1
            out["error_kinds"] = reasons
    return out


def scanned_files(tool: str, report: str, root: str, cwd: str) -> set[str] | None:
    """The files the tool says it scanned, relative to the input root (None: it does not say)."""
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    if tool == "semgrep":
        paths = (doc.get("paths") or {}).get("scanned")
    else:
        st = doc.get("stats") or {}
        paths = next((st[k] for k in ("scanned_files", "files_scanned", "paths") if isinstance(st.get(k), list)), None)
    if paths is None:
        return None
    return {relative(root, p, cwd) for p in paths if isinstance(p, str)}


def relative(root: str, path: str, cwd: str) -> str:
    """A reported path relative to the input root, whether the tool wrote it relative to the working
    directory, to the scan root, or absolute."""
    cand = path if os.path.isabs(path) else os.path.normpath(os.path.join(cwd, path))
    if cand == root or cand.startswith(root + os.sep):
        return os.path.relpath(cand, root)
    if os.path.exists(os.path.join(root, path)):
        return os.path.normpath(path)
    return path


def rule_ids(rules_dir: str) -> set[str]:
    """The ids of the rules in the rule files (a line `- id: NAME` starts a rule)."""
    ids: set[str] = set()
    pat = re.compile(r"^\s*-\s+id:\s*['\"]?([^'\"#\s]+)")
    for dp, _dns, fns in os.walk(rules_dir):
        for f in fns:
            if f.endswith((".yaml", ".yml")):
                try:
                    with open(os.path.join(dp, f), encoding="utf-8", errors="replace") as fh:
                        for line in fh:
                            m = pat.match(line)
                            if m:
                                ids.add(m.group(1))
                except OSError:
                    pass
    return ids


def normal_rule(rid: str, ids: set[str], prefix: str = "") -> str:
    """Semgrep prefixes a rule id with the rule file's directory (rules.sast.python.ID): strip it."""
    if rid in ids:
        return rid
    ends = [k for k in ids if rid.endswith("." + k)]
    if ends:
        return max(ends, key=len)
    return rid[len(prefix):] if prefix and rid.startswith(prefix) else rid


def finding_set(tool: str, report: str, root: str, cwd: str, ids: set[str], prefix: str) -> set[tuple]:
    reader = READERS[tool]
    return {(relative(root, p, cwd), int(line or 0), normal_rule(r, ids, prefix)) for p, line, r, _cwe in reader(report)}


def compare(kind: str, entries: dict, root: str, cwd: str, rules: str, outdir: str) -> dict | None:
    g, s = entries.get("gatehouse", {}), entries.get("semgrep", {})
    if g.get("status") != "ok" or s.get("status") != "ok" or not g.get("times") or not s.get("times"):
        return None
    # The rule files are read now, not at the start: they may have changed during the run.
    ids = rule_ids(rules)
    prefix = os.path.relpath(os.path.abspath(rules), cwd).strip("/").replace("/", ".") + "."
    try:
        gs = finding_set("gatehouse", g["_report"], root, cwd, ids, prefix)
        ss = finding_set("semgrep", s["_report"], root, cwd, ids, prefix)
    except (OSError, ValueError, KeyError, TypeError) as e:
        return {"error": str(e)}
    both, only_g, only_s = gs & ss, gs - ss, ss - gs
    by_rule: dict[str, list[int]] = {}
    for i, group in enumerate((both, only_g, only_s)):
        for _p, _l, r in group:
            by_rule.setdefault(r, [0, 0, 0])[i] += 1
    path = os.path.join(outdir, f"diff-{kind}.txt")
    with open(path, "w") as fh:
        fh.write(f"# {kind}: findings as (path relative to {root}, start line, rule id)\n")
        fh.write(f"# both {len(both)}, only gatehouse {len(only_g)}, only semgrep {len(only_s)}\n")
        for label, group in (("only gatehouse", only_g), ("only semgrep", only_s)):
            fh.write(f"\n## {label} ({len(group)})\n")
            for p, line, r in sorted(group):
                fh.write(f"{p}:{line}\t{r}\n")
    show = lambda xs: [f"{p}:{line} {r}" for p, line, r in sorted(xs)[:10]]  # noqa: E731
    return {"gatehouse": len(gs), "semgrep": len(ss), "both": len(both), "only_gatehouse": len(only_g),
            "only_semgrep": len(only_s), "file": path, "examples_only_gatehouse": show(only_g),
            "examples_only_semgrep": show(only_s),
            "by_rule": {r: v for r, v in sorted(by_rule.items()) if v[1] or v[2]}}


def both_scanned(entries: dict, root: str, cwd: str) -> dict:
    """Files and lines of the Python files both tools scanned (Semgrep lists its files; Gatehouse's
    set is its own list if the report has one, else every *.py file of the input)."""
    sets = {}
    for tool in SPEED_TOOLS:
        e = entries.get(tool, {})
        if e.get("status") == "ok" and e.get("times"):
            try:
                sets[tool] = scanned_files(tool, e["_report"], root, cwd)
            except (OSError, ValueError):
                sets[tool] = None
    py = set()
    for dp, dns, fns in os.walk(root):
        dns[:] = [d for d in dns if d != "__pycache__"]
        py |= {os.path.relpath(os.path.join(dp, f), root) for f in fns if f.endswith(".py")}
    how = []
    files: set[str] | None = None
    for tool, s in sets.items():
        if s is None:
            how.append(f"{tool}: the input's *.py files (its report does not list files)")
            s = py
        else:
            how.append(f"{tool}: the files its report lists")
        files = s if files is None else files & s
    if files is None:
        files = py
    lines = nbytes = 0
    for rel in files:
        p = os.path.join(root, rel)
        try:
            lines += count_lines(p)
            nbytes += os.path.getsize(p)
        except OSError:
            pass
    return {"files": len(files), "lines": lines, "bytes": nbytes, "py_files_in_input": len(py), "how": how}


# ---- main ---------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 fromfile_prefix_chars="@")
    ap.add_argument("--tool", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--skip", action="append", default=[], metavar="NAME=WHY")
    ap.add_argument("--version", action="append", default=[], metavar="NAME=VERSION")
    ap.add_argument("--only", default="", help="comma-separated subset of " + ",".join(KINDS))
    ap.add_argument("--rules", required=True, help="the rule files both tools run (rules/sast/python)")
    ap.add_argument("--benchmark", required=True, help="the BenchmarkPython directory")
    ap.add_argument("--input", action="append", default=[], metavar="KIND=DIR", help="stdlib=DIR, testcode=DIR")
    ap.add_argument("--input-stats", action="append", default=[], metavar="KIND=JSON")
    ap.add_argument("--gatehouse-arg", action="append", default=[], help="extra argument for gatehouse scan code")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--semgrep-budget", type=float, default=300,
                    help="no further Semgrep run on an input once its runs there add up to more than this many "
                         "seconds (after at least one timed run)")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--meta")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    tools = dict(x.split("=", 1) for x in a.tool)
    skipped = dict(x.split("=", 1) for x in a.skip)
    versions = dict(x.split("=", 1) for x in a.version)
    inputs = {k: os.path.abspath(v) for k, v in (x.split("=", 1) for x in a.input)}
    input_stats = {}
    for x in a.input_stats:
        k, v = x.split("=", 1)
        with open(v) as fh:
            input_stats[k] = json.load(fh)
    kinds = [k for k in KINDS if not a.only or k in a.only.split(",")]
    meta = json.load(open(a.meta)) if a.meta else {}
    cwd = os.getcwd()
    work = os.path.join(a.workdir, "code")
    outdir = os.path.join(work, "out")
    logdir = os.path.join(a.workdir, "logs", "code-" + time.strftime("%Y%m%dT%H%M%S"))
    os.makedirs(outdir, exist_ok=True)
    os.makedirs(logdir, exist_ok=True)
    env = dict(os.environ, NO_COLOR="1", SEMGREP_SEND_METRICS="off", SEMGREP_ENABLE_VERSION_CHECK="0")
    # Paths as shown in the table: relative to the repository root when under it or beside it.
    rel = lambda x: (os.path.relpath(x, cwd) if os.path.isabs(x) and x.startswith(os.path.dirname(cwd) + os.sep)  # noqa: E731
                     else x)
    ids = rule_ids(a.rules)
    testcode = os.path.join(a.benchmark, "testcode")
    expected_csv = os.path.join(a.benchmark, "expectedresults-0.1.csv")

    results: dict = {"meta": meta, "versions": versions, "runs": a.runs, "warmup": a.warmup, "jobs": a.jobs,
                     "semgrep_budget_s": a.semgrep_budget,
                     "rules": rel(os.path.abspath(a.rules)), "rule_count": len(ids), "inputs": {}}

    def save(partial: bool) -> None:
        doc = dict(results)
        doc["inputs"] = {k: dict(v, tools=summarize(v["tools"])) for k, v in results["inputs"].items()}
        doc["partial"] = partial
        if not partial:
            doc["meta"] = dict(meta, load_after=os.getloadavg()[0])
        tmp = a.out + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(doc, fh, indent=2)
        os.replace(tmp, a.out)

    def shown(argv: list[str]) -> str:
        return " ".join(shlex.quote(x) for x in [os.path.basename(argv[0])] + [rel(x) for x in argv[1:]])

    # ---- accuracy --------------------------------------------------------------------------------
    if "accuracy" in kinds:
        expected = load_expected(expected_csv)
        acc: dict = {"expected": rel(expected_csv), "test_cases": len(expected), "categories": categories(expected),
                     "tools": {}}
        results["accuracy"] = acc
        target = rel(testcode)
        for tool in ACCURACY_TOOLS:
            if tool not in tools:
                acc["tools"][tool] = {"status": "skipped", "note": skipped.get(tool, "not requested")}
                continue
            report = os.path.join(outdir, f"accuracy-{tool}.json")
            if os.path.exists(report):
                os.remove(report)
            argv = accuracy_argv(tool, tools[tool], a, report, target)
            e: dict = {"status": "ok", "command": shown(argv), "binary": rel(tools[tool]), "report": rel(report)}
            acc["tools"][tool] = e
            print(f"  [accuracy] {tool:<10}", end=" ", flush=True)
            r = run_once(argv, None, logdir, f"accuracy-{tool}", env, a.timeout)
            if r["ok"] and r["exit"] not in OK_EXIT[tool]:
                r.update(ok=False, why=f"exit code {r['exit']} (expected one of {sorted(OK_EXIT[tool])})")
            if r["ok"]:
                try:
                    e["score"] = score_both(expected, READERS[tool](report))
                    e["tool_said"] = tool_errors(tool, report)
                except Exception as ex:  # noqa: BLE001 - an unreadable report fails the tool
                    r.update(ok=False, why=f"exit code {r['exit']} but its report {rel(report)} is unreadable: {ex}")
            if not r["ok"]:
                e.update(status="failed", note=r["why"])
                print(f"FAILED: {r['why']}\n      command: {e['command']}\n      stderr ({r['stderr']}):\n"
                      + "\n".join("        " + x for x in tail(r["stderr"]).splitlines()), flush=True)
                save(partial=True)
                continue
            e.update(exit_code=r["exit"], wall_s=r["wall_s"])
            av = e["score"]["average"]
            errs = e["tool_said"].get("errors")
            print(f"{r['wall_s']:8.2f} s  findings {e['score']['findings']:,}  score {av['score']:+.1%} "
                  f"(TPR {av['tpr']:.1%}, FPR {av['fpr']:.1%}; exact CWE only {e['score']['strict_average']['score']:+.1%})"
                  + (f"  [{errs} files it could not analyse]" if errs else ""), flush=True)
            save(partial=True)
        stored = os.path.join(a.benchmark, "results", "BenchmarkPython-Bandit.sarif")
        if os.path.isfile(stored):
            try:
                with open(stored, encoding="utf-8") as fh:
                    driver = json.load(fh)["runs"][0]["tool"]["driver"]
                s = score_both(expected, READERS["sarif"](stored))
                acc["stored_bandit"] = {"file": rel(stored), "version": driver.get("semanticVersion") or driver.get("version"),
                                        "score": s}
                mine = acc["tools"].get("bandit", {}).get("score")
                print(f"  [accuracy] sanity check, Bandit: this run {mine['average']['score']:+.1%}" if mine else
                      "  [accuracy] sanity check, Bandit: not run in this run", end="", flush=True)
                print(f"; stored SARIF (Bandit {acc['stored_bandit']['version']}) {s['average']['score']:+.1%} "
                      f"(exact CWE only: {'%+.1f%%' % (mine['strict_average']['score'] * 100) if mine else '—'} / "
                      f"{s['strict_average']['score']:+.1%})", flush=True)
            except (OSError, ValueError, KeyError, IndexError, TypeError) as ex:
                print(f"code_bench: warning: could not score {rel(stored)}: {ex}", file=sys.stderr)
        save(partial=True)

    # ---- speed -------------------------------------------------------------------------------------
    for kind in (k for k in kinds if k != "accuracy"):
        if kind not in inputs:
            continue
        root = inputs[kind]
        target = rel(root)
        entries: dict[str, dict] = {}
        active = []
        for tool in SPEED_TOOLS:
            if tool not in tools:
                entries[tool] = {"status": "skipped", "note": skipped.get(tool, "not requested")}
                continue
            report = os.path.join(outdir, f"{kind}-{tool}.json")
            argv = speed_argv(tool, tools[tool], a, report, target)
            entries[tool] = {"status": "ok", "command": shown(argv), "binary": rel(tools[tool]), "times": [],
                             "rss_kb": [], "user_s": [], "sys_s": [], "_argv": argv, "_report": report, "_spent": 0.0}
            active.append(tool)
        results["inputs"][kind] = {"path": target, "stats": input_stats.get(kind, {}), "tools": entries,
                                   "complete": False}
        for rnd in range(a.warmup + a.runs):
            warm = rnd < a.warmup
            for tool in active:
                e = entries[tool]
                if e["status"] != "ok":
                    continue
                if tool == "semgrep":
                    # Semgrep takes minutes on the standard library: it skips the warm-up when Gatehouse's,
                    # earlier in the round, has read the same files into the page cache (Semgrep keeps no
                    # cache of its own), and stops once its runs on this input exceed the budget.
                    if warm and "gatehouse" in active:
                        continue
                    if e["times"] and e["_spent"] > a.semgrep_budget:
                        if not e.get("capped"):
                            e["capped"] = True
                            print(f"  [{kind}] {tool:<10} no more runs: {e['_spent']:.0f} s spent, over the "
                                  f"{a.semgrep_budget:.0f} s budget (--semgrep-budget)", flush=True)
                        continue
                label = "warm-up" if warm else f"run {rnd - a.warmup + 1}/{a.runs}"
                print(f"  [{kind}] {tool:<10} {label:<10}", end=" ", flush=True)
                if os.path.exists(e["_report"]):
                    os.remove(e["_report"])
                r = run_once(e["_argv"], None, logdir, f"{kind}-{tool}-{'warmup' if warm else 'run'}{rnd}", env, a.timeout)
                e["_spent"] += r.get("wall_s", 0.0)
                if r["ok"] and r["exit"] not in OK_EXIT[tool]:
                    r.update(ok=False, why=f"exit code {r['exit']} (expected one of {sorted(OK_EXIT[tool])})")
                if r["ok"]:
                    try:
                        r["findings"] = len(READERS[tool](e["_report"]))
                        r["scanned"] = tool_errors(tool, e["_report"])
                    except Exception as ex:  # noqa: BLE001 - an unreadable report fails the run
                        r.update(ok=False, why=f"exit code {r['exit']} but its report {rel(e['_report'])} is unreadable: {ex}")
                if not r["ok"]:
                    e["status"] = "failed"
                    e["note"] = r["why"]
                    print(f"FAILED: {r['why']}\n      command: {e['command']}\n      stderr ({r['stderr']}):\n"
                          + "\n".join("        " + x for x in tail(r["stderr"]).splitlines()), flush=True)
                    save(partial=True)
                    continue
                print(f"{r['wall_s']:8.2f} s  {r.get('max_rss_kb', 0) / 1024:7.1f} MiB  exit {r['exit']}  "
                      f"findings {r['findings']:,}", flush=True)
                e.update(findings=r["findings"], exit_code=r["exit"], tool_scanned=r["scanned"])
                if not warm:
                    e["times"].append(r["wall_s"])
                    e["rss_kb"].append(r.get("max_rss_kb"))
                    e["user_s"].append(r.get("user_s"))
                    e["sys_s"].append(r.get("sys_s"))
                save(partial=True)
        inp = results["inputs"][kind]
        inp["complete"] = True
        inp["both_scanned"] = both_scanned(entries, root, cwd)
        c = compare(kind, entries, root, cwd, a.rules, work)
        if c:
            c["file"] = rel(c["file"]) if "file" in c else None
            inp["compare"] = c
            if "error" in c:
                print(f"  [{kind}] findings not compared: {c['error']}", flush=True)
            else:
                print(f"  [{kind}] findings (path, line, rule): both {c['both']:,}, only gatehouse "
                      f"{c['only_gatehouse']:,}, only semgrep {c['only_semgrep']:,}  ({c['file']})", flush=True)
                for r, (b, og, os_) in list(c["by_rule"].items())[:15]:
                    print(f"      {r}: both {b}, only gatehouse {og}, only semgrep {os_}", flush=True)
                if len(c["by_rule"]) > 15:
                    print(f"      … {len(c['by_rule']) - 15} more rules differ (see {c['file']})", flush=True)
        save(partial=True)
    save(partial=False)
    print(f"results: {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
