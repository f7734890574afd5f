#!/usr/bin/env python3
"""Render a bench/code.sh results JSON as Markdown into BENCHMARKS.md.

    code_table.py RESULTS.json BENCHMARKS.md   # replace the static-analysis section
    code_table.py --print RESULTS.json         # print the section

The section lives between `<!-- code:begin -->` and `<!-- code:end -->`; the rest of the file is
left as it is. Without the markers, the section is appended at the end of the file.
"""
from __future__ import annotations

import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from code_score import EQUIVALENT_NOTES  # noqa: E402
from deps_table import fmt_s  # noqa: E402  (the same time format as the dependency section)

BEGIN, END = "<!-- code:begin -->", "<!-- code:end -->"
PEERS = {
    "gatehouse": "this repository, `cargo build --release -p gatehouse`",
    "semgrep": "PyPI `semgrep`, in `bench/work/venv-code`",
    "bandit": "PyPI `bandit`, in `bench/work/venv-code`",
}
INPUT_LABEL = {"stdlib": "Python standard library", "testcode": "OWASP Benchmark for Python `testcode/`"}


def pct(x: float, sign: bool = False) -> str:
    return f"{x * 100:+.1f}%" if sign else f"{x * 100:.1f}%"


def cell(c: dict) -> str:
    return f"{c['score'] * 100:+.0f}% ({c['tpr'] * 100:.0f} / {c['fpr'] * 100:.0f})"


def accuracy_lines(res: dict) -> list[str]:
    acc = res.get("accuracy")
    if not acc:
        return ["Not measured in this run (`bench/code.sh --only accuracy` measures it)."]
    L = []
    if acc.get("from_run"):
        L += [f"From the run of {acc['from_run'].get('date', '?')} (`{acc['from_run'].get('command', '?')}`).", ""]
    v = res.get("versions", {})
    cols = []  # (label, score dict or None, note)
    for tool in ("gatehouse", "semgrep", "bandit"):
        e = acc["tools"].get(tool, {})
        label = {"gatehouse": "gatehouse (built-in rules)", "semgrep": "semgrep (same rule files)",
                 "bandit": "bandit (default plugins)"}[tool]
        cols.append((label, e.get("score") if e.get("status") == "ok" else None, e.get("note", "not measured")))
    sb = acc.get("stored_bandit")
    if sb:
        cols.append((f"bandit {sb.get('version', '?')}, stored SARIF", sb["score"], ""))
    L.append("| category | CWE | real / not real | " + " | ".join(c[0] for c in cols) + " |")
    L.append("|---|--:|--:|" + "--:|" * len(cols))
    for cat, cc in acc["categories"].items():
        row = f"| {cat} | {cc['cwe']} | {cc['real']} / {cc['fake']} |"
        for _label, s, _note in cols:
            row += f" {cell(s['categories'][cat])} |" if s and cat in s["categories"] else " — |"
        L.append(row)
    n = sum(c["real"] + c["fake"] for c in acc["categories"].values())
    row = f"| **average** ({len(acc['categories'])} categories) | | {n:,} cases |"
    for _label, s, _note in cols:
        row += f" **{pct(s['average']['score'], True)}** ({pct(s['average']['tpr'])} / {pct(s['average']['fpr'])}) |" if s else " — |"
    L.append(row)
    row = "| average, exact CWE only | | |"
    for _label, s, _note in cols:
        row += f" {pct(s['strict_average']['score'], True)} |" if s else " — |"
    L.append(row)
    row = "| findings (in test cases) | | |"
    for _label, s, _note in cols:
        row += f" {s['findings']:,} ({s['findings_in_test_cases']:,}) |" if s else " — |"
    L.append(row)
    L.append("")
    L.append("Cells: score = TPR − FPR (TPR / FPR, %), per category as the benchmark's scorecards compute them.")
    for label, s, note in cols:
        if not s:
            L.append(f"- {label}: not measured ({note}).")
    for tool in ("gatehouse", "semgrep", "bandit"):
        e = acc["tools"].get(tool, {})
        said = e.get("tool_said") or {}
        if said.get("errors"):
            kinds = said.get("error_kinds") or {}
            L.append(f"- {tool} reported {said['errors']:,} error{'' if said['errors'] == 1 else 's'}" + (
                " (" + ", ".join(f"{k}: {x:,}" for k, x in kinds.items()) + ")" if kinds else "") + ".")
    mine = acc["tools"].get("bandit", {}).get("score")
    if sb:
        L.append(f"- Sanity check: Bandit {v.get('bandit', '?')} run here scores "
                 + (f"{pct(mine['average']['score'], True)}" if mine else "— (not run)")
                 + f"; the benchmark's stored Bandit {sb.get('version', '?')} SARIF (`{sb['file']}`), scored by the "
                 f"same code, {pct(sb['score']['average']['score'], True)}.")
    return L


def speed_lines(res: dict) -> list[str]:
    L = ["| input | files | lines | tool | median wall | runs | lines/s | CPU (user+sys) | peak RSS | findings | "
         "speed vs semgrep |", "|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|"]
    for kind in ("stdlib", "testcode"):
        inp = res.get("inputs", {}).get(kind)
        if not inp:
            continue
        both = inp.get("both_scanned") or {}
        label = INPUT_LABEL[kind]
        if inp.get("from_run"):
            label += f" (run of {inp['from_run'].get('date', '?')})"
        sg = inp["tools"].get("semgrep", {})
        ref = sg.get("median_s") if sg.get("status") == "ok" and sg.get("times") else None
        ref_cpu = sg.get("median_cpu_s") if ref else None
        first = True
        for tool in ("gatehouse", "semgrep"):
            e = inp["tools"].get(tool, {})
            lab = f"{label} | {both.get('files', 0):,} | {both.get('lines', 0):,}" if first else " | |"
            first = False
            if e.get("status") != "ok" or not e.get("times"):
                L.append(f"| {lab} | {tool} | — | — | — | — | — | — | {e.get('note', 'not measured')} |")
                continue
            t = e["median_s"]
            lps = f"{both['lines'] / t:,.0f}" if both.get("lines") else "—"
            cpu = fmt_s(e["median_cpu_s"]) if "median_cpu_s" in e else "—"
            speed = f"{ref / t:,.2f}×" if ref else "—"
            if ref_cpu and e.get("median_cpu_s"):
                speed += f" (CPU {ref_cpu / e['median_cpu_s']:,.2f}×)"
            L.append(f"| {lab} | {tool} | {fmt_s(t)} | {len(e['times'])} | {lps} | {cpu} | "
                     f"{e['peak_rss_kb'] / 1024:,.0f} MiB | {e.get('findings', 0):,} | {speed} |")
    notes = []
    for kind in ("stdlib", "testcode"):
        for tool, e in ((res.get("inputs", {}).get(kind) or {}).get("tools") or {}).items():
            said = e.get("tool_scanned") or {}
            bits = []
            if tool == "gatehouse" and said.get("scanned") is not None:
                bits.append(f"analysed {said['scanned']:,} files" + (f", {said['lines']:,} lines" if "lines" in said else ""))
            if tool == "semgrep" and said.get("scanned") is not None:
                bits.append(f"scanned {said['scanned']:,} files")
            if said.get("files_with_syntax_errors"):
                bits.append(f"{said['files_with_syntax_errors']:,} files with syntax errors (analysed around them)")
            if said.get("skipped"):
                bits.append("skipped " + ", ".join(f"{v:,} ({k})" for k, v in said["skipped"].items()))
            if said.get("errors"):
                kinds = said.get("error_kinds") or {}
                bits.append(f"{said['errors']:,} error{'' if said['errors'] == 1 else 's'}" + (" (" + ", ".join(f"{k}: {v:,}" for k, v in kinds.items()) + ")"
                                                         if kinds else ""))
            if bits:
                notes.append(f"- {INPUT_LABEL[kind]}, {tool} (its own report): " + "; ".join(bits) + ".")
    if notes:
        L += [""] + notes
    return L


def compare_lines(res: dict) -> list[str]:
    L = []
    for kind in ("stdlib", "testcode"):
        inp = res.get("inputs", {}).get(kind) or {}
        c = inp.get("compare")
        if not c:
            continue
        if c.get("error"):
            L.append(f"- {INPUT_LABEL[kind]}: not compared ({c['error']})")
            continue
        line = (f"- {INPUT_LABEL[kind]}: Gatehouse {c['gatehouse']:,}, Semgrep {c['semgrep']:,}; in both {c['both']:,}, "
                f"only Gatehouse {c['only_gatehouse']:,}, only Semgrep {c['only_semgrep']:,}")
        if c["only_gatehouse"] or c["only_semgrep"]:
            worst = sorted(c["by_rule"].items(), key=lambda kv: -(kv[1][1] + kv[1][2]))[:6]
            line += (" (`" + c.get("file", "") + "`; most differences: "
                     + ", ".join(f"`{r}` +{og}/−{os_}" for r, (_b, og, os_) in worst) + ")")
        L.append(line + ".")
    if L:
        prefix = res.get("rules", "rules/sast/python").strip("/").replace("/", ".") + "."
        L.insert(0, "Same findings? The last timed run of each tool, as (path relative to the input, start line, "
                    f"rule id, without the `{prefix}` prefix Semgrep puts before it). `+G/−S` = only Gatehouse / "
                    "only Semgrep; differences do not fail the run.")
        L.insert(1, "")
    return L


def section(res: dict) -> str:
    m = res.get("meta", {})
    v = res.get("versions", {})
    L = [BEGIN, "## Static analysis", ""]
    if res.get("partial"):
        L += ["**Partial results**: this run was stopped before it ended; rows show the runs it completed.", ""]
    L.append(f"Reproduce with `{m.get('command', 'bench/code.sh')}` from the repository root (the full run is "
             "`bench/code.sh`; `--help` lists the options). Everything it installs or copies goes under `bench/work/` "
             "(gitignored); the benchmark is read in place from the shared data.")
    L.append("")
    L.append(f"- Date: {m.get('date', '?')}")
    L.append(f"- Machine: {m.get('nproc', '?')} CPUs (`nproc`), {m.get('cpu', '?')}, {m.get('ram_gib', '?')} GiB RAM; "
             f"{m.get('os', '')}, Linux {m.get('kernel', '')}; 1-minute load average {m.get('load_before', 0):.2f} "
             "when the run started" + (f", {m['load_after']:.2f} when it ended" if "load_after" in m else "")
             + ". A shared, noisy machine: compare the ratios within one run rather than absolute figures across runs.")
    w = res.get("warmup", 1)
    L.append(f"- Runs: {w} untimed warm-up round{'' if w == 1 else 's'}, then {res.get('runs')} timed round(s) per input; a "
             "round runs every tool once, so noise spreads over both. Figures are medians of the timed runs; peak RSS "
             f"is the largest. Both tools run with {res.get('jobs', 2)} jobs (`-j {res.get('jobs', 2)}`). Semgrep "
             "takes minutes on the standard library, so it skips the warm-up (Gatehouse's, earlier in the round, has "
             "read the files into the page cache; Semgrep keeps no cache of its own) and stops once its runs on an "
             f"input add up to more than {res.get('semgrep_budget_s', 300):.0f} s (`--semgrep-budget`), after at "
             "least one timed run: the runs column gives the count.")
    L.append("- Versions: " + "; ".join(f"{k} {v[k]}" for k in ("gatehouse", "semgrep", "bandit", "python") if k in v)
             + ".")
    L.append(f"- Rules: `{res.get('rules', 'rules/sast/python')}` ({res.get('rule_count', 0)} rules), the same files for "
             "both tools. Semgrep's own rule registry (`p/python`, …) is not reachable offline, so Semgrep runs "
             "Gatehouse's rule files: the comparison is of the engines on the same rules, and Semgrep's accuracy "
             "here is not that of its registry rules.")
    L.append("")
    L.append("### Accuracy: OWASP Benchmark for Python v0.1")
    L.append("")
    L += accuracy_lines(res)
    L.append("")
    L.append("### Speed: the same rule files")
    L.append("")
    L += speed_lines(res)
    L.append("")
    L += compare_lines(res) + [""]
    L.append("### Commands")
    L.append("")
    L.append("From the repository root; reports go to `bench/work/code/out/` (writing the report is part of the "
             "timed work for both tools). The binaries:")
    L.append("")
    bins = {}
    for e in (res.get("accuracy") or {}).get("tools", {}).items():
        if e[1].get("binary"):
            bins[e[0]] = e[1]["binary"]
    for inp in res.get("inputs", {}).values():
        for tool, e in inp["tools"].items():
            if e.get("binary"):
                bins[tool] = e["binary"]
    for tool, b in bins.items():
        L.append(f"- `{tool}` = `{b}` — {PEERS.get(tool, '')}")
    L.append("")
    for tool, e in (res.get("accuracy") or {}).get("tools", {}).items():
        if e.get("command"):
            L.append(f"- accuracy, {tool}: `{e['command']}`" + (f" (exit code {e['exit_code']})" if "exit_code" in e else ""))
    for kind in ("stdlib", "testcode"):
        for tool, e in (res.get("inputs", {}).get(kind) or {}).get("tools", {}).items():
            if e.get("command"):
                L.append(f"- {kind}, {tool}: `{e['command']}`" + (f" (exit code {e['exit_code']})" if "exit_code" in e else ""))
    L.append("")
    stdlib = (res.get("inputs", {}).get("stdlib") or {}).get("stats") or {}
    L.append("### Method")
    L.append("")
    L += [
        "- **Scoring** follows OWASP BenchmarkUtils' scorecards: each test case is one file "
        "(`BenchmarkTestNNNNN.py`) with one category, one CWE and a real/not-real flag from "
        "`expectedresults-0.1.csv`. A tool flags a test case when it reports, in that file, a finding whose CWE "
        "(its first, as BenchmarkUtils' readers take it) is the category's; real and flagged = TP, real and not "
        "flagged = FN, not real and flagged = FP, else TN. TPR = TP/(TP+FN), FPR = FP/(FP+TN), score = TPR − FPR "
        "per category; the average is the unweighted mean over the 14 categories. Findings elsewhere (other files, "
        "other CWEs) neither help nor hurt.",
        "- **CWE equivalences** (applied to every tool alike; the \"exact CWE only\" row scores without them): "
        + "; ".join(f"{a} — {b}" for a, b in EQUIVALENT_NOTES)
        + ". BenchmarkUtils maps a tool's CWE in that tool's reader and by parent/child relations of its "
        "categories.xml; these are the mappings it makes that touch this benchmark's categories. Each tool's "
        "CWE is the one it reports: Gatehouse and Semgrep the rule's `metadata.cwe`, Bandit its `issue_cwe`.",
        "- **Bandit** runs on Python ≥ 3.12: about 460 of the test cases use the f-string syntax of "
        "PEP 701, which Bandit (parsing with its interpreter's `ast`) cannot read on older Pythons.",
        "- **Same inputs**: the standard library is copied once into `bench/work/code-inputs/stdlib` "
        + (f"from `{stdlib.get('source', '/usr/lib/python3.11')}` ({stdlib.get('files', 0):,} files, "
           f"{stdlib.get('py_files', 0):,} of them Python) " if stdlib else "")
        + "(regular files only: no `__pycache__`, no symbolic links; nothing else is left out); the "
        "benchmark's `testcode/` is read in place. Semgrep runs with `--no-git-ignore "
        "--x-ignore-semgrepignore-files`, so that it neither skips the copy (it lies in a gitignored directory) "
        "nor applies its default `.semgrepignore` (which drops `test/` directories); Semgrep's "
        "`--disable-version-check` and `--metrics=off` keep it off the network, and it keeps no scan cache between "
        "runs.",
        "- **Files and lines** are those of the files both tools scanned: Semgrep's report lists them "
        "(`paths.scanned`); Gatehouse's set is the list in its report when it has one, else every `*.py` file of "
        "the input. Lines counted as `wc -l` does (plus a last line without a newline). lines/s = lines / median "
        "wall time; \"speed vs semgrep\" = Semgrep's median wall time / the tool's (2.00× = twice Semgrep's speed), "
        "and in brackets the same for CPU time (user+sys), which depends less on what else the machine runs.",
        "- **Timing**: wall time with a monotonic clock around `/usr/bin/time -v`, whose user+sys is the CPU "
        "column and whose \"Maximum resident set size\" is the peak RSS. A run counts when its JSON report parses and it exits 0 or 1 "
        "(no findings / findings), or, for Gatehouse, 3 (some file could not be read or parsed in time; its report "
        "lists them and the notes under the speed table give the count).",
    ]
    L.append(END)
    return "\n".join(L) + "\n"


def fill_missing(res: dict, path: str) -> None:
    """A run of some stages (--only) keeps the other stages' tables from the newest complete run that had
    them (results/code-*.json beside this one), marked as such."""
    here = os.path.dirname(os.path.abspath(path))
    others = []
    for other in sorted(glob.glob(os.path.join(here, "code-2*.json")), reverse=True):
        if os.path.abspath(other) == os.path.abspath(path):
            continue
        try:
            with open(other) as fh:
                others.append(json.load(fh))
        except (OSError, ValueError):
            continue
    origin = lambda o: {"date": o.get("meta", {}).get("date"), "command": o.get("meta", {}).get("command")}  # noqa: E731
    if not res.get("accuracy"):
        for o in others:
            acc = o.get("accuracy")
            if acc and not o.get("partial") and not acc.get("from_run"):
                res["accuracy"] = dict(acc, from_run=origin(o))
                break
    for kind in ("stdlib", "testcode"):
        if kind in res.get("inputs", {}):
            continue
        for o in others:
            inp = o.get("inputs", {}).get(kind)
            if o.get("partial") or not inp or not inp.get("complete", True) or inp.get("from_run"):
                continue
            res.setdefault("inputs", {})[kind] = dict(inp, from_run=origin(o))
            break


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--print":
        with open(argv[1]) as fh:
            sys.stdout.write(section(json.load(fh)))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0]) as fh:
        res = json.load(fh)
    fill_missing(res, argv[0])
    text = section(res).rstrip("\n")
    try:
        with open(argv[1]) as fh:
            doc = fh.read()
    except FileNotFoundError:
        doc = "# Benchmarks\n\nMeasured on the project's own machines; each section says how to reproduce it.\n"
    if BEGIN in doc and END in doc:
        a, rest = doc.split(BEGIN, 1)
        _, b = rest.split(END, 1)
        doc = a + text + b
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    with open(argv[1], "w") as fh:
        fh.write(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
