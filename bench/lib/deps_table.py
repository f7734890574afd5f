#!/usr/bin/env python3
"""Render a bench/deps.sh results JSON as Markdown into BENCHMARKS.md.

    deps_table.py RESULTS.json BENCHMARKS.md   # replace the dependency-scanning section
    deps_table.py --print RESULTS.json         # print the section

The section lives between `<!-- deps:begin -->` and `<!-- deps:end -->`; the rest of the
file is left as it is. Without the markers, the section goes right after the secrets section
(`<!-- secrets:end -->`), or at the end of the file.
"""
from __future__ import annotations

import glob
import json
import os
import sys

BEGIN, END = "<!-- deps:begin -->", "<!-- deps:end -->"
AFTER = "<!-- secrets:end -->"
CARGO_TARGET_S = 0.100
PEERS = {
    "gatehouse": "this repository, `cargo build --release -p gatehouse`",
    "cargo-audit": "crates.io `cargo-audit` (`cargo install cargo-audit --locked --root bench/work/cargo`)",
    "pip-audit": "PyPI `pip-audit`, in `bench/work/venv`",
}
ORDER = ["import", "cargo", "requirements", "monorepo"]


def fmt_s(s: float) -> str:
    if s < 1:
        return f"{s * 1000:,.0f} ms" if s >= 0.01 else f"{s * 1000:,.1f} ms"
    return f"{s:,.2f} s" if s < 100 else f"{s:,.0f} s"


def ratio(x, ref) -> str:
    return f"{x / ref:,.2f}×" if x is not None and ref else "—"


def input_label(kind: str, inp: dict, res: dict) -> str:
    s = inp.get("stats", {})
    if kind == "import":
        return "import: every advisory directory (" + ", ".join(res.get("advisory_dirs", [])) + ")"
    if kind == "cargo":
        return (f"Cargo.lock: {s.get('packages', 0):,} packages of {s.get('crates', 0):,} crates, "
                f"{s.get('bytes', 0) / 1e6:,.1f} MB")
    if kind == "requirements":
        return f"requirements.txt: {s.get('packages', 0):,} pinned PyPI projects"
    if kind == "monorepo":
        return (f"monorepo: {s.get('projects', 0):,} projects, {s.get('lockfiles', 0):,} lockfiles, "
                f"{s.get('bytes', 0) / 1e6:,.1f} MB")
    return kind


def notes(kind: str, tool: str, e: dict) -> str:
    s = e.get("tool_scanned") or {}
    out = []
    if kind == "import" and tool == "cargo-audit":
        return ("for context, not a peer: cargo-audit on a Cargo.lock without packages, i.e. loading and parsing "
                "`advisories/rustsec`, which every cargo-audit run does")
    if kind == "import":
        out.append("findings = advisories in the database afterwards (`db status --json`)")
        if s.get("unreadable_files"):
            out.append(f"**exit {e.get('exit_code')}: {s['unreadable_files']:,} files could not be imported**")
        if "withdrawn" in s:
            out.append(f"{s['withdrawn']:,} withdrawn")
        if "packages" in s:
            out.append(f"{s['packages']:,} packages")
        src = s.get("sources") or []
        if src:
            out.append("by source: " + ", ".join(
                f"{x['location']} {x['advisories']:,}" + (f" ({x['errors']} files unreadable)" if x.get("errors") else "")
                for x in src))
        return "; ".join(out)
    if "packages" in s:
        out.append(f"{s['packages']:,} packages")
    if tool == "gatehouse":
        if s.get("matches") is not None:
            out.append(f"{s['matches']:,} (package version, advisory) matches")
        if s.get("informational"):
            out.append(f"{s['informational']:,} informational")
        for k in ("gaps", "errors", "warnings"):
            if s.get(k):
                out.append(f"{k}: {s[k]:,}")
    elif tool == "cargo-audit":
        if "lockfiles" in s:
            out.append(f"{s['lockfiles']} Cargo.lock files, one process each")
        out.append(f"findings = {s.get('vulnerabilities', 0):,} vulnerabilities + {s.get('informational', 0):,} "
                   "informational, one per (package version, advisory)")
    elif tool == "pip-audit":
        if e.get("median_shim_cpu_s") is not None:
            out.append(f"+ {fmt_s(e['median_shim_cpu_s'])} CPU in the OSV shim (not in its CPU column)")
        if s.get("skipped"):
            out.append(f"{s['skipped']} skipped")
    return "; ".join(out) or "—"


def table(res: dict) -> list[str]:
    L = ["| input | tool | median wall | runs | CPU (user+sys) | peak RSS | findings | time vs gatehouse | notes |",
         "|---|---|--:|--:|--:|--:|--:|--:|---|"]
    for kind in ORDER:
        inp = res.get("inputs", {}).get(kind)
        if not inp:
            continue
        label = input_label(kind, inp, res)
        if inp.get("from_run"):
            label += f" (from the run of {inp['from_run'].get('date', '?')})"
        gh = inp["tools"].get("gatehouse", {})
        ref = gh.get("median_s") if gh.get("status") == "ok" and gh.get("times") else None
        first = True
        for tool, e in inp["tools"].items():
            lab = label if first else ""
            first = False
            if e.get("status") != "ok" or not e.get("times"):
                L.append(f"| {lab} | {tool} | — | — | — | — | — | — | {e.get('note', 'not measured')} |")
                continue
            t = e["median_s"]
            cpu = fmt_s(e["median_cpu_s"]) if "median_cpu_s" in e else "—"
            f = e.get("findings")
            L.append(f"| {lab} | {tool} | {fmt_s(t)} | {len(e['times'])} | {cpu} | {e['peak_rss_kb'] / 1024:,.0f} MiB | "
                     f"{f'{f:,}' if f is not None else '—'} | {ratio(t, ref) if kind != 'import' else '—'} | "
                     f"{notes(kind, tool, e)} |")
    return L


def targets(res: dict) -> list[str]:
    inp = res.get("inputs", {}).get("cargo")
    if not inp:
        return []
    gh = inp["tools"].get("gatehouse", {})
    if gh.get("status") != "ok" or not gh.get("times"):
        return ["Gatehouse against the targets: not measured in this run (" + gh.get("note", "—") + ")."]
    ok = lambda c: "met" if c else "**not met**"  # noqa: E731
    t = gh["median_s"]
    out = ["Gatehouse against the targets (10,000-package Cargo.lock):", "",
           f"- {fmt_s(t)} (target < {CARGO_TARGET_S * 1000:.0f} ms): {ok(t < CARGO_TARGET_S)}"]
    peers = [(tool, e) for tool, e in inp["tools"].items() if tool != "gatehouse"]
    for tool, e in peers:
        if e.get("status") == "ok" and e.get("times"):
            out.append(f"- ahead of {tool}: {ok(t < e['median_s'])} ({tool} takes {e['median_s'] / t:,.2f}× as long)")
        else:
            out.append(f"- ahead of {tool}: not measured ({e.get('note', '—')})")
    return out


def agreement_lines(res: dict) -> list[str]:
    L = []
    for kind in ORDER:
        inp = res.get("inputs", {}).get(kind) or {}
        ag = inp.get("agreement")
        if not ag:
            continue
        what = {"cargo": "the 10,000-package Cargo.lock", "requirements": "the requirements.txt",
                "monorepo": "the monorepo's Cargo.lock files"}.get(kind, kind)
        if ag.get("error"):
            L.append(f"- {what}: not compared ({ag['error']})")
            continue
        line = (f"- {what}: Gatehouse {ag['gatehouse']:,}, {ag['peer']} {ag['peer_count']:,}, both {ag['common']:,}")
        if not ag["n_only_gatehouse"] and not ag["n_only_peer"]:
            line += ": the same."
        else:
            line += (f"; only Gatehouse {ag['n_only_gatehouse']:,}"
                     + (f" ({', '.join(ag['only_gatehouse'][:8])}{', …' if ag['n_only_gatehouse'] > 8 else ''})"
                        if ag["n_only_gatehouse"] else "")
                     + f", only {ag['peer']} {ag['n_only_peer']:,}"
                     + (f" ({', '.join(ag['only_peer'][:8])}{', …' if ag['n_only_peer'] > 8 else ''})"
                        if ag["n_only_peer"] else "") + ".")
        L.append(line)
    if L:
        L.insert(0, "Same findings? (package, version, advisory id) reported on the timed inputs, Gatehouse's "
                    "ids of that ecosystem against the peer's (PyPI versions compared in PEP 440 normal form). "
                    "Gatehouse's database here holds every source, so crates.io advisories come from both "
                    "`advisories/rustsec` and `advisories/rustsec-osv`; cargo-audit reads the first only.")
        L.insert(1, "")
    return L


def check_lines(res: dict) -> list[str]:
    c = res.get("check")
    if not c:
        return ["Not run in this run (`bench/deps.sh --check-only` runs it)."]
    L = []
    if c.get("from_run"):
        L += [f"From the run of {c['from_run'].get('date', '?')} (`{c['from_run'].get('command', '?')}`).", ""]
    nd = len(c.get("differences", []))
    probs = c.get("problems", [])
    shim = c.get("pip_shim")
    L.append(f"**{c.get('lockfiles', 0)} lockfiles, {c.get('advisories', 0)} advisories, {nd} differences** "
             f"({c.get('distinct_advisories', 0)} distinct advisories; every (advisory, package, version) "
             "Gatehouse reports against every one cargo-audit reports, run now and as stored in "
             "`expected/cargo-audit/`)" + (": **FAILED**" if nd or probs else "."))
    L.append("")
    for d in c.get("differences", [])[:50]:
        L.append(f"- {d['lockfile']}: {d['advisory']} {d['package']} ({d.get('kind')}): only {d['only_in']}")
    for p in probs:
        L.append(f"- problem: {p}")
    if nd > 50:
        L.append(f"- … and {nd - 50} more (see the check's results JSON)")
    rows = c.get("files", [])
    if rows:
        L.append("| lockfile | packages (cargo-audit / gatehouse) | matches: cargo-audit | matches: gatehouse |")
        L.append("|---|--:|--:|--:|")
        for e in rows:
            L.append(f"| {e['lockfile']} | {e.get('cargo_audit_packages', '—')} / {e.get('gatehouse_packages', '—')} | "
                     f"{e.get('matches', '—')} | {e.get('gatehouse_matches', '—')} |")
        L.append("")
    for e in c.get("rejected", []):
        L.append(f"- not compared: `{e['lockfile']}`, {e['note']}"
                 + (f"; Gatehouse reads it ({len(e['gatehouse_matches'])} matches)" if "gatehouse_matches" in e
                    else ""))
    kinds = c.get("informational_kinds")
    if kinds:
        L.append(f"- cargo-audit's side: `vulnerabilities.list` plus the warnings of the kinds it lists by default "
                 f"(`settings.informational_warnings`: {', '.join(kinds)}); `yanked` is off (`--no-yanked`).")
    if shim:
        same = sum(1 for f in shim["files"] if f["same"])
        L.append(f"- OSV shim: pip-audit through it reproduces {same} of {len(shim['files'])} stored outputs "
                 "(`expected/pip-audit/`: " + ", ".join(f"{f['file']} {f['vulns']} vulns" for f in shim["files"])
                 + ")" + (f"; {len(shim['differences'])} differences" if shim["differences"] else "") + ".")
    return L


def section(res: dict) -> str:
    m = res.get("meta", {})
    v = res.get("versions", {})
    L = [BEGIN, "## Dependency scanning", ""]
    if res.get("partial"):
        L += ["**Partial results**: this run was stopped before it ended; rows show the runs it completed.", ""]
    L.append(f"Reproduce with `{m.get('command', 'bench/deps.sh')}` from the repository root (the full run is "
             "`bench/deps.sh`, the differential check alone `bench/deps.sh --check-only`; `--help` lists the "
             "options). Everything it installs, builds or generates goes under `bench/work/` (gitignored).")
    L.append("")
    L.append(f"- Date: {m.get('date', '?')}")
    L.append(f"- Machine: {m.get('nproc', '?')} CPUs (`nproc`), {m.get('cpu', '?')}, {m.get('ram_gib', '?')} GiB RAM; "
             f"{m.get('os', '')}, Linux {m.get('kernel', '')}; 1-minute load average {m.get('load_before', 0):.2f} "
             "when the run started" + (f", {m['load_after']:.2f} when it ended" if "load_after" in m else "")
             + ". A shared, noisy machine (other work may run alongside, see the load figures): compare the "
             "ratios within one run rather than absolute figures across runs.")
    L.append(f"- Runs: {res.get('warmup', 1)} untimed warm-up round, then {res.get('runs')} timed round(s) per "
             "input; a round runs every tool once, in table order, so noise spreads over all of them. Figures are "
             "medians of the timed runs; peak RSS is the largest over them.")
    L.append("- Versions: " + "; ".join(f"{k} {v[k]}" for k in ["gatehouse", "cargo-audit", "pip-audit"] if k in v)
             + ".")
    L.append("")
    L.append("### Differential check against cargo-audit")
    L.append("")
    L += check_lines(res)
    L.append("")
    L.append("### Timings")
    L.append("")
    L += table(res)
    L.append("")
    L += targets(res)
    L.append("")
    ag = agreement_lines(res)
    if ag:
        L += ag + [""]
    L.append("### Commands")
    L.append("")
    L.append("From the repository root. Reports go to `bench/work/deps/out/` (findings are counted from them; "
             "writing the report is part of the timed work for every tool alike). The binaries:")
    L.append("")
    bins = {}
    for inp in res.get("inputs", {}).values():
        for tool, e in inp["tools"].items():
            if e.get("binary"):
                bins[tool] = e["binary"]
    for tool, b in bins.items():
        L.append(f"- `{tool}` = `{b}` — {PEERS.get(tool, '')}")
    L.append("")
    for kind in ORDER:
        inp = res.get("inputs", {}).get(kind)
        if not inp:
            continue
        for tool, e in inp["tools"].items():
            if e.get("command"):
                ex = e.get("exit_code")
                L.append(f"- {kind}, {tool}: `{e['command']}`" + (f" (exit code {ex})" if ex is not None else ""))
    L.append("")
    L.append("### Method")
    L.append("")
    L += [
        "- **Timing**: wall time with a monotonic clock around `/usr/bin/time -v`, whose user+sys is the CPU "
        "column and whose \"Maximum resident set size\" is the peak RSS (for the cargo-audit loop over the "
        "monorepo: of its largest single process). \"time vs gatehouse\" divides a tool's median by Gatehouse's "
        "on the same input in the same run.",
        "- **Data**: all from the shared data directory, offline. Gatehouse's scans match against one data "
        "directory (`bench/work/deps/db-full`) into which every advisory directory was imported (untimed) at the "
        "start of the run; the import row times the same import into a fresh directory. cargo-audit reads "
        "`advisories/rustsec` in place (`--db … --no-fetch`; a plain directory in advisory-db's layout), and loads and parses that database in each of its runs, so its times include that; "
        "Gatehouse's include opening its own database. pip-audit asks a loopback OSV `/v1/query` shim "
        "(`bench/lib/osv_shim.py`, over `advisories/pypa`, matching as OSV does with `packaging`) once per "
        "package over HTTP; the shim's CPU is not in pip-audit's CPU column and is given in the notes.",
        "- **Exit codes**: a run counts when it exits with a code the tool uses for success or findings "
        "(gatehouse 0/1, cargo-audit 0/1, pip-audit 0/1; the import 0, or 3 when some files could not be "
        "imported, which its row then says) *and* its report parses. Gatehouse scans the monorepo with "
        "`--allow-incomplete`: packages of ecosystems without local advisory data are reported as gaps.",
        "- **Findings** are each tool's own count: Gatehouse = entries in `findings` (vulnerabilities and "
        "informational advisories, over every imported source), one per package and advisory in a file, covering "
        "every affected locked version of the package (the notes give the (package version, advisory) matches, "
        "the unit cargo-audit counts in); cargo-audit = `vulnerabilities.list` plus its "
        "default informational warnings (unmaintained, unsound, notice); pip-audit = vulnerabilities over all "
        "dependencies (it merges aliases).",
        "- **Inputs** (`bench/lib/make-deps-inputs.py`, deterministic; counts and digests in "
        "`bench/work/deps-inputs/inputs.json`): a version-4 Cargo.lock of 10,000 registry packages — every crate "
        "with a RustSec advisory plus every registry crate of the real Cargo.lock fixtures, with the versions "
        "those lockfiles pin (real checksums), the versions their advisories name and the release below them, "
        "then neighbouring releases, and an acyclic dependency graph without dangling references; a "
        "requirements.txt with one pin per PyPI project of the PyPA advisory database and of the real "
        "requirements fixtures (their pins kept, advisory projects at a version their advisories name); a "
        "monorepo of 320 project directories, each with copies of one or two real lockfiles under their "
        "canonical names, every format recurring.",
        "- **Peers not installed** (registry down, build failure) are skipped with a note in their row rather "
        "than failing the run; a difference in the differential check fails the run.",
    ]
    L.append(END)
    return "\n".join(L) + "\n"


def fill_missing(res: dict, path: str) -> None:
    """A run of some inputs (--only) keeps the other inputs' rows, and the check, from the newest complete run
    that had them (results/deps-*.json beside this one), marked as such."""
    here = os.path.dirname(os.path.abspath(path))
    others = []
    for other in sorted(glob.glob(os.path.join(here, "deps-2*.json")), reverse=True):
        if os.path.abspath(other) == os.path.abspath(path):
            continue
        try:
            with open(other) as fh:
                others.append(json.load(fh))
        except (OSError, ValueError):
            continue
    for kind in ORDER:
        if kind in res.get("inputs", {}):
            continue
        for o in others:
            inp = o.get("inputs", {}).get(kind)
            if o.get("partial") or not inp or not inp.get("complete", True) or inp.get("from_run"):
                continue
            inp["from_run"] = {"date": o.get("meta", {}).get("date"), "command": o.get("meta", {}).get("command")}
            res.setdefault("inputs", {})[kind] = inp
            break
    if not res.get("check"):
        for o in others:
            c = o.get("check")
            if c and not c.get("from_run"):
                c["from_run"] = {"date": o.get("meta", {}).get("date"), "command": o.get("meta", {}).get("command")}
                res["check"] = c
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
    elif AFTER in doc:
        a, b = doc.split(AFTER, 1)
        doc = a + AFTER + "\n\n" + text + b
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    with open(argv[1], "w") as fh:
        fh.write(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
