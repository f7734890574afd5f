#!/usr/bin/env python3
"""Render a bench/iac.sh results JSON as Markdown into BENCHMARKS.md.

    iac_table.py RESULTS.json BENCHMARKS.md   # replace the section in the file
    iac_table.py --print RESULTS.json         # print the section

The section lives between `<!-- iac:begin -->` and `<!-- iac:end -->`; the rest of the file is left
as it is. Without the markers, the section is appended at the end of the file.
"""
from __future__ import annotations

import json
import os
import sys

BEGIN, END = "<!-- iac:begin -->", "<!-- iac:end -->"
KIND_NAMES = {"dockerfile": "Dockerfiles", "kubernetes": "Kubernetes manifests", "compose": "Compose files",
              "terraform": "Terraform files", "github-actions": "GitHub Actions workflows",
              "gitlab-ci": "GitLab CI files"}
UNMAPPED_ROWS = 15


def fmt_s(s: float | None) -> str:
    if s is None:
        return "–"
    return f"{s:.3f} s" if s < 1 else f"{s:.2f} s"


def mb(kb: int | None) -> str:
    return "–" if not kb else f"{kb / 1024:.0f} MB"


def esc(s: str) -> str:
    return s.replace("|", "\\|")


def ids(xs: list[str]) -> str:
    """Ids for a table cell; a long run (one family) is shortened to its first and last."""
    if not xs:
        return "–"
    if len(xs) > 3:
        return f"{xs[0]} … {xs[-1]} ({len(xs)})"
    return " ".join(xs)


def render(res: dict) -> str:
    meta, corpus, tools = res["meta"], res["corpus"], res["tools"]
    out = [BEGIN, "## Infrastructure as code: Gatehouse `scan iac` and Checkov", ""]
    kinds = ", ".join(f"{n} {KIND_NAMES.get(k, k)}" for k, n in corpus["kinds"].items())
    lic = ", ".join(f"{k} {n}" for k, n in corpus["licences"].items())
    out.append(f"Input: `{res.get('corpus_path', 'crates/iac/tests/corpus')}`, {corpus['files']} real files "
               f"({corpus['bytes'] / 1024:.0f} KiB) from {corpus['repos']} public repositories: {kinds}. "
               f"Licences: {lic}; every file's source is in its PROVENANCE.tsv.")
    out.append("")
    out.append(f"Measured {meta['date']} on {meta['nproc']} cores ({meta['cpu']}), {meta['ram_gib']} GiB, "
               f"{meta['os']}; `{meta['command']}`. Wall time and peak RSS from `/usr/bin/time -v`, "
               f"median of the timed runs, the tools alternating round by round after the warm-up; "
               f"load average before the run {meta.get('load_before', 0):.1f}.")
    fws = res.get("checkov_frameworks") or ["all"]
    fw = "" if fws == ["all"] else " --framework " + " ".join(fws)
    out.append(f"Checkov runs offline: `checkov -d CORPUS --skip-download --quiet --compact -o json{fw}` "
               f"with {', '.join(f'`{k}={v}`' for k, v in res['checkov_env'].items())}.")
    out.append("")
    out.append("| tool | version | median wall | min – max | CPU (user+sys) | peak RSS | findings | files flagged | runs |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in ("gatehouse", "checkov"):
        e = tools[name]
        label = "Gatehouse" if name == "gatehouse" else "Checkov"
        if "skipped" in e:
            out.append(f"| {label} | {e.get('version') or '–'} | {esc(e['skipped'])} | | | | | | |")
            continue
        if "median_wall_s" not in e:
            out.append(f"| {label} | {e.get('version') or '–'} | failed: {esc(e.get('failed', '?'))} | | | | | | |")
            continue
        out.append(f"| {label} | {e.get('version') or '–'} | {fmt_s(e['median_wall_s'])} | "
                   f"{fmt_s(e['min_wall_s'])} – {fmt_s(e['max_wall_s'])} | {fmt_s(e.get('median_cpu_s'))} | "
                   f"{mb(e['median_rss_kb'])} | "
                   f"{e.get('findings', '–')} | {e.get('files_flagged', '–')} | {e['timed_runs']} |")
    out.append("")
    if res.get("speedup"):
        verdict = "meets" if res["speedup"] >= res["target_speedup"] else "misses"
        out.append(f"Gatehouse is **{res['speedup']:.1f}×** faster than Checkov on this corpus "
                   f"({verdict} the target of ≥ {res['target_speedup']}×).")
    else:
        missing = "Gatehouse" if "median_wall_s" not in tools["gatehouse"] else "Checkov"
        out.append(f"No speed ratio: {missing} was not measured (target: Gatehouse ≥ {res['target_speedup']}× "
                   f"faster than Checkov).")
    ck = tools["checkov"]
    if ck.get("by_framework"):
        out.append("Checkov's failed checks by framework: "
                   + ", ".join(f"{k} {v}" for k, v in ck["by_framework"].items()) + ".")
    out.append("")

    agree = res.get("agreement")
    if agree:
        have_gh = "median_wall_s" in tools["gatehouse"]
        out.append("### Per-check agreement")
        out.append("")
        out.append("Pairs from `bench/lib/iac_checkov_map.tsv`; a unit is a file, or a Terraform resource "
                   "(`type.name`) where both tools name it. Examples of each disagreement are in "
                   "`bench/work/iac/disagreements.txt` after a run.")
        out.append("")
        out.append("| concept | Checkov | Gatehouse | unit | both | only Checkov | only Gatehouse |")
        out.append("| --- | --- | --- | --- | ---: | ---: | ---: |")
        quiet = 0
        for p in agree["pairs"]:
            if not p["checkov_units"] and not p.get("gatehouse_units"):
                quiet += 1
                continue
            ckid = ids(p["checkov"])
            ghid = ids(p["gatehouse"])
            concept = esc(p.get("concept") or "")
            if have_gh:
                out.append(f"| {concept} | {ckid} | {ghid} | {p['unit']} | {p['both']} | {p['only_checkov']} | {p['only_gatehouse']} |")
            else:
                out.append(f"| {concept} | {ckid} | {ghid} | {p['unit']} | – | {p['checkov_units']} | – |")
        if quiet:
            out.append(f"| {quiet} more mapped pairs: no finding from either tool on this corpus | | | | | | |")
        out.append("")
        out.append("### Disagreement classes")
        out.append("")
        notes = [p for p in agree["pairs"] if p["note"]]
        if notes:
            for p in notes:
                ck = ids(p["checkov"]) if p["checkov"] else "no Checkov check"
                gh = ids(p["gatehouse"]) if p["gatehouse"] else "no Gatehouse check"
                out.append(f"- **{ck} ~ {gh}**: {p['note']}")
        else:
            out.append("- _Not classified yet: run `bench/iac.sh`, read `bench/work/iac/disagreements.txt` "
                       "and write each class into the note column of `bench/lib/iac_checkov_map.tsv`._")
        um = agree["unmapped_checkov"]
        if um:
            out.append("")
            out.append(f"Checkov checks that fired with no row in the map ({len(um)}; the {min(len(um), UNMAPPED_ROWS)} "
                       "with most findings). This class of disagreement is coverage: Gatehouse has no check "
                       "for these (for Kubernetes mostly pod-hardening details such as image digests, high "
                       "user ids, a pod-level securityContext and the image pull policy; for the clouds, "
                       "service settings beyond the ones the issue's checks cover), so all of them are "
                       "Checkov-only:")
            out.append("")
            out.append("| Checkov check | framework | findings | files |")
            out.append("| --- | --- | ---: | ---: |")
            for u in um[:UNMAPPED_ROWS]:
                out.append(f"| {u['check']} | {u['framework']} | {u['findings']} | {u['files']} |")
        ug = agree["unmapped_gatehouse"]
        if ug:
            out.append("")
            out.append(f"Gatehouse checks that fired with no row in the map: "
                       + ", ".join(f"{u['check']} ({u['findings']})" for u in ug[:UNMAPPED_ROWS])
                       + (" …" if len(ug) > UNMAPPED_ROWS else "") + ".")
        out.append("")
    out.append(f"Reproduce: `{meta['command']}` (`--peers-only` times Checkov alone).")
    out.append(END)
    return "\n".join(out) + "\n"


def replace_section(path: str, section: str) -> None:
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    b, e = text.find(BEGIN), text.find(END)
    if b >= 0 and e > b:
        text = text[:b] + section.rstrip("\n") + text[e + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as fh:
        fh.write(text)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--print":
        with open(argv[1]) as fh:
            sys.stdout.write(render(json.load(fh)))
        return 0
    if len(argv) == 2:
        with open(argv[0]) as fh:
            replace_section(argv[1], render(json.load(fh)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
