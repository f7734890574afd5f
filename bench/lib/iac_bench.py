#!/usr/bin/env python3
"""Time Gatehouse's `scan iac` and Checkov over the same corpus and compare their findings.

Called by bench/iac.sh with its arguments in a file (`@args.txt`, one per line). Each round runs
every tool once, in alternating order (round 0: gatehouse first, round 1: checkov first, ...),
under `/usr/bin/time -v` for wall time and peak RSS; warm-up rounds are run and discarded. The
report of each tool's last timed run is kept and compared through bench/lib/iac_checkov_map.tsv:
for every mapped pair of checks, the files (or Terraform resources) flagged by both tools, by
Checkov only and by Gatehouse only. The top disagreeing examples are printed and written to
<workdir>/iac/disagreements.txt so that a person can classify them (the classification goes
into the map's note column, which the table in BENCHMARKS.md shows).

The results JSON is read by bench/lib/iac_table.py.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

OK_EXIT = {"gatehouse": {0, 1}, "checkov": {0, 1}}

# Checkov reaches the network only for its platform (mapping of check ids, policy metadata,
# update check, GitHub/GitLab configuration); all of it is switched off here so that a run is
# the same with or without a network. Hidden directories are scanned so that
# .github/workflows/*.yml and .gitlab-ci.yml reach the CI frameworks.
CHECKOV_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "CKV_GITHUB_CONFIG_FETCH_DATA": "false",
    "CKV_GITLAB_CONFIG_FETCH_DATA": "false",
    "CKV_IGNORE_HIDDEN_DIRECTORIES": "false",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
    "LOG_LEVEL": "WARNING",
}

# A corpus file's kind is its first directory (crates/iac/tests/corpus/<kind>/<repo>/<path>).
KIND_ORDER = ["dockerfile", "kubernetes", "compose", "terraform", "github-actions", "gitlab-ci"]


def die(msg: str) -> None:
    print(f"iac_bench: error: {msg}", file=sys.stderr)
    sys.exit(1)


def parse_time_v(path: str) -> dict:
    out: dict = {}
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


def command(tool: str, binary: str, corpus: str, report: str, frameworks: list[str],
            gh_extra: list[str]) -> tuple[list[str], str | None]:
    """The argv of one run and the file its stdout goes to (None: discarded)."""
    if tool == "gatehouse":
        return [binary, "scan", "iac", "--format", "json", "--output", report, *gh_extra, corpus], None
    if tool == "checkov":
        argv = [binary, "-d", corpus, "--skip-download", "--quiet", "--compact", "-o", "json"]
        if frameworks and frameworks != ["all"]:
            argv += ["--framework", *frameworks]
        return argv, report
    raise ValueError(tool)


def run_once(tool: str, argv: list[str], stdout_to: str | None, report: str, logdir: str, tag: str,
             env: dict, cwd: str, timeout: float) -> dict:
    if os.path.exists(report):
        os.remove(report)
    timef = os.path.join(logdir, f"{tag}.time")
    errf = os.path.join(logdir, f"{tag}.stderr")
    out = open(stdout_to, "wb") if stdout_to else open(os.devnull, "wb")
    t0 = time.monotonic()
    with out, open(errf, "wb") as err:
        # A session of its own, so that a timeout ends the tool and whatever it forked.
        p = subprocess.Popen(["/usr/bin/time", "-v", "-o", timef, "--", *argv], stdout=out, stderr=err,
                             stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return {"ok": False, "why": f"did not finish within {timeout:.0f} s (stopped)", "stderr": errf}
        wall = time.monotonic() - t0
    r: dict = {"wall_s": round(wall, 4), "exit": p.returncode, "stderr": errf}
    try:
        r.update(parse_time_v(timef))
    except OSError:
        pass
    if "signal" in r:
        r.update(ok=False, why=f"killed by signal {r['signal']}")
    elif p.returncode not in OK_EXIT[tool]:
        r.update(ok=False, why=f"exit code {p.returncode} (expected one of {sorted(OK_EXIT[tool])}); "
                              f"stderr: {tail(errf)}")
    else:
        try:
            r["findings"] = len(load_findings(tool, report, ""))
            r["ok"] = True
        except Exception as e:  # noqa: BLE001 - an unreadable report fails the run
            r.update(ok=False, why=f"exit code {p.returncode} but the report {report} is unreadable: {e}")
    return r


def tail(path: str, n: int = 3) -> str:
    try:
        with open(path, errors="replace") as fh:
            lines = [l.rstrip() for l in fh if l.strip()]
        return " | ".join(lines[-n:])[:400]
    except OSError:
        return ""


# ---- findings ------------------------------------------------------------------------------

def rel(path: str, corpus: str) -> str:
    """A finding's path relative to the corpus root, whatever form the tool printed."""
    p = path.replace("\\", "/")
    if corpus:
        root = os.path.abspath(corpus).rstrip("/") + "/"
        if p.startswith(root):
            return p[len(root):]
        base = os.path.basename(root.rstrip("/")) + "/"
        i = p.find("/" + base)
        if i >= 0:
            return p[i + len(base) + 1:]
    return p.lstrip("./").lstrip("/")


_INDEX = re.compile(r"\[[^\]]*\]")


def norm_resource(r: str | None) -> str | None:
    """Terraform addresses without count/for_each keys: aws_instance.web[0] -> aws_instance.web."""
    if not r:
        return None
    r = _INDEX.sub("", str(r).strip())
    return r or None


def load_findings(tool: str, report: str, corpus: str) -> list[dict]:
    """Findings as {check, file, line, resource}, one per reported failure."""
    with open(report, errors="replace") as fh:
        text = fh.read()
    out: list[dict] = []
    if tool == "gatehouse":
        doc = json.loads(text)
        for f in doc.get("findings", []):
            loc = f.get("location") or {}
            props = f.get("properties") or {}
            res = None
            for key in ("resource", "address", "resource_address"):
                if props.get(key):
                    res = props[key]
                    break
            out.append({"check": f.get("rule_id", "?"), "file": rel(loc.get("path") or "", corpus),
                        "line": loc.get("start_line") or 0, "resource": norm_resource(res),
                        "framework": props.get("input") or props.get("kind") or ""})
        return out
    if tool == "checkov":
        if not text.strip():
            return out
        doc = json.loads(text)
        # One framework gives an object, several a list; a run with nothing to scan gives a bare
        # summary object without "results".
        for part in doc if isinstance(doc, list) else [doc]:
            results = part.get("results") or {}
            for f in results.get("failed_checks", []):
                lines = f.get("file_line_range") or [0, 0]
                out.append({"check": f.get("check_id", "?"),
                            "file": rel(f.get("file_path") or f.get("repo_file_path") or "", corpus),
                            "line": lines[0] if lines else 0,
                            "resource": norm_resource(f.get("resource")) if part.get("check_type") == "terraform" else None,
                            "framework": part.get("check_type", "")})
        return out
    raise ValueError(tool)


def load_map(path: str) -> list[dict]:
    """Rows of checkov \\t gatehouse \\t unit \\t concept \\t note; '|' joins several ids, '-' is none."""
    rows = []
    with open(path) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if cells[0] == "checkov":
                continue
            cells += [""] * (5 - len(cells))
            ck = [c for c in cells[0].split("|") if c and c != "-"]
            gh = [c for c in cells[1].split("|") if c and c != "-"]
            unit = cells[2].strip() or "file"
            if unit not in ("file", "resource"):
                die(f"{path}:{n}: unit must be file or resource, not {unit!r}")
            rows.append({"checkov": ck, "gatehouse": gh, "unit": unit, "concept": cells[3].strip(),
                         "note": cells[4].strip(), "line": n})
    return rows


def unit_key(f: dict, unit: str) -> tuple:
    if unit == "resource" and f.get("resource"):
        return (f["file"], f["resource"])
    return (f["file"],)


def agreement(ck: list[dict], gh: list[dict] | None, rows: list[dict], examples: int) -> dict:
    by_ck = collections.defaultdict(list)
    for f in ck:
        by_ck[f["check"]].append(f)
    by_gh = collections.defaultdict(list)
    for f in gh or []:
        by_gh[f["check"]].append(f)
    pairs = []
    mapped_ck, mapped_gh = set(), set()
    for row in rows:
        mapped_ck.update(row["checkov"])
        mapped_gh.update(row["gatehouse"])
        cf = [f for c in row["checkov"] for f in by_ck.get(c, [])]
        gf = [f for g in row["gatehouse"] for f in by_gh.get(g, [])]
        unit = row["unit"]
        # Resource granularity only where both sides name the resource; else whole files.
        if unit == "resource" and (any(not f.get("resource") for f in cf) or any(not f.get("resource") for f in gf)):
            unit = "file"
        cu = {unit_key(f, unit): f for f in cf}
        gu = {unit_key(f, unit): f for f in gf}
        both = sorted(set(cu) & set(gu))
        only_c = sorted(set(cu) - set(gu))
        only_g = sorted(set(gu) - set(cu))
        pairs.append({
            "checkov": row["checkov"], "gatehouse": row["gatehouse"], "unit": unit,
            "concept": row["concept"], "note": row["note"],
            "checkov_units": len(cu), "gatehouse_units": len(gu) if gh is not None else None,
            "both": len(both) if gh is not None else None,
            "only_checkov": len(only_c) if gh is not None else None,
            "only_gatehouse": len(only_g) if gh is not None else None,
            "examples_only_checkov": [ex(cu[k]) for k in only_c[:examples]] if gh is not None else [],
            "examples_only_gatehouse": [ex(gu[k]) for k in only_g[:examples]],
        })
    unmapped_ck = sorted(((c, len(fs), len({f["file"] for f in fs}), fs[0]["framework"])
                          for c, fs in by_ck.items() if c not in mapped_ck), key=lambda t: (-t[1], t[0]))
    unmapped_gh = sorted(((c, len(fs), len({f["file"] for f in fs}), "")
                          for c, fs in by_gh.items() if c not in mapped_gh), key=lambda t: (-t[1], t[0]))
    return {
        "pairs": pairs,
        "unmapped_checkov": [{"check": c, "findings": n, "files": nf, "framework": fw} for c, n, nf, fw in unmapped_ck],
        "unmapped_gatehouse": [{"check": c, "findings": n, "files": nf} for c, n, nf, _ in unmapped_gh],
    }


def ex(f: dict) -> str:
    s = f"{f['file']}:{f['line']}"
    return s + (f" {f['resource']}" if f.get("resource") else "")


def corpus_stats(corpus: str) -> dict:
    kinds: dict = collections.Counter()
    size = 0
    files = 0
    for dirpath, _dirs, names in os.walk(corpus):
        relp = os.path.relpath(dirpath, corpus)
        kind = relp.split(os.sep)[0] if relp != "." else ""
        for n in names:
            if not kind:  # README.md, PROVENANCE.tsv at the root are not part of the input
                continue
            files += 1
            kinds[kind] += 1
            size += os.path.getsize(os.path.join(dirpath, n))
    repos = set()
    licences: dict = collections.Counter()
    prov = os.path.join(corpus, "PROVENANCE.tsv")
    if os.path.exists(prov):
        with open(prov) as fh:
            for line in fh:
                cells = line.rstrip("\n").split("\t")
                if len(cells) >= 5 and cells[0] != "local_path":
                    repos.add(cells[1])
                    licences[cells[4]] += 1
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    return {"files": files, "bytes": size, "repos": len(repos),
            "kinds": dict(sorted(kinds.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))),
            "licences": dict(sorted(licences.items(), key=lambda kv: (-kv[1], kv[0])))}


def summarize(runs: list[dict]) -> dict:
    ok = [r for r in runs if r.get("ok")]
    if not ok:
        return {}
    walls = [r["wall_s"] for r in ok]
    rss = [r.get("max_rss_kb", 0) for r in ok]
    cpu = [r.get("user_s", 0) + r.get("sys_s", 0) for r in ok]
    return {"median_wall_s": round(statistics.median(walls), 4), "min_wall_s": min(walls),
            "median_cpu_s": round(statistics.median(cpu), 3),
            "max_wall_s": max(walls), "median_rss_kb": int(statistics.median(rss)), "timed_runs": len(ok)}


def main() -> int:
    ap = argparse.ArgumentParser(fromfile_prefix_chars="@")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--map", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--checkov-framework", default="")
    ap.add_argument("--gatehouse-arg", action="append", default=[], metavar="ARG",
                    help="an extra argument for `gatehouse scan iac` (repeatable)")
    ap.add_argument("--tool", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--skip", action="append", default=[], metavar="NAME=WHY")
    ap.add_argument("--version", action="append", default=[], metavar="NAME=VERSION")
    a = ap.parse_args()

    corpus = os.path.abspath(a.corpus)
    # Absolute paths: the tools run with the work directory as their current directory.
    tools = {k: os.path.abspath(v) if os.sep in v else v for k, v in (t.split("=", 1) for t in a.tool)}
    skips = dict(s.split("=", 1) for s in a.skip)
    versions = dict(v.split("=", 1) for v in a.version)
    frameworks = [f for f in re.split(r"[,\s]+", a.checkov_framework) if f]
    rows = load_map(a.map)
    work = os.path.join(os.path.abspath(a.workdir), "iac")
    logdir = os.path.join(work, "logs")
    os.makedirs(logdir, exist_ok=True)

    base_env = dict(os.environ)
    envs = {"gatehouse": base_env, "checkov": {**base_env, **CHECKOV_ENV}}
    entries: dict = {}
    for name in ("gatehouse", "checkov"):
        if name in tools:
            entries[name] = {"version": versions.get(name, ""), "runs": [], "warmup": []}
        else:
            entries[name] = {"version": versions.get(name, ""), "skipped": skips.get(name, "not measured")}

    order = [t for t in ("gatehouse", "checkov") if t in tools]
    failed: set = set()
    total = a.warmup + a.runs
    for rnd in range(total):
        seq = order if rnd % 2 == 0 else list(reversed(order))
        warm = rnd < a.warmup
        for name in seq:
            if name in failed:
                continue
            report = os.path.join(work, f"{name}-report.json")
            argv, stdout_to = command(name, tools[name], corpus, report, frameworks, a.gatehouse_arg)
            tag = f"{name}-{'warmup' if warm else 'run'}{rnd}"
            r = run_once(name, argv, stdout_to, report, logdir, tag, envs[name], work, a.timeout)
            (entries[name]["warmup"] if warm else entries[name]["runs"]).append(r)
            state = f"{r['wall_s']:.2f} s, {r.get('max_rss_kb', 0) / 1024:.0f} MB, {r.get('findings', '?')} findings" \
                if r.get("ok") else f"FAILED: {r['why']}"
            print(f"  {'warm-up' if warm else 'round'} {rnd + 1 - (0 if warm else a.warmup)}: {name}: {state}", flush=True)
            if not r.get("ok"):
                failed.add(name)
                entries[name]["failed"] = r["why"]
            if r.get("ok"):
                entries[name]["argv"] = argv
                entries[name]["report"] = report

    findings: dict = {}
    for name in order:
        entries[name].update(summarize(entries[name]["runs"]))
        if name not in failed and entries[name].get("report"):
            fs = load_findings(name, entries[name]["report"], corpus)
            findings[name] = fs
            entries[name]["findings"] = len(fs)
            entries[name]["files_flagged"] = len({f["file"] for f in fs})
            entries[name]["checks_fired"] = len({f["check"] for f in fs})
            per_fw = collections.Counter(f["framework"] for f in fs if f["framework"])
            entries[name]["by_framework"] = dict(sorted(per_fw.items()))

    agree = None
    if "checkov" in findings:
        agree = agreement(findings["checkov"], findings.get("gatehouse"), rows, a.examples)
        write_disagreements(os.path.join(work, "disagreements.txt"), agree, "gatehouse" in findings)

    speedup = None
    g, c = entries["gatehouse"].get("median_wall_s"), entries["checkov"].get("median_wall_s")
    if g and c:
        speedup = round(c / g, 2)
    with open(a.meta) as fh:
        meta = json.load(fh)
    res = {"meta": meta, "corpus": corpus_stats(corpus), "corpus_path": os.path.relpath(corpus),
           "checkov_frameworks": frameworks or ["all"], "checkov_env": CHECKOV_ENV,
           "tools": entries, "speedup": speedup, "target_speedup": 20, "agreement": agree}
    with open(a.out, "w") as fh:
        json.dump(res, fh, indent=2)
    print(f"results: {a.out}")
    if agree:
        print(f"disagreements: {os.path.join(work, 'disagreements.txt')}")
        print_top(agree, "gatehouse" in findings)
    return 0 if not failed or "checkov" not in failed else 1


def write_disagreements(path: str, agree: dict, have_gh: bool) -> None:
    with open(path, "w") as fh:
        fh.write("# Disagreements between Checkov and Gatehouse, per mapped pair (bench/lib/iac_checkov_map.tsv).\n")
        fh.write("# Classify each and write the class into the pair's note column.\n\n")
        for p in agree["pairs"]:
            head = f"{'|'.join(p['checkov']) or '-'} ~ {'|'.join(p['gatehouse']) or '-'} ({p['unit']})"
            if have_gh:
                fh.write(f"{head}: both {p['both']}, only Checkov {p['only_checkov']}, only Gatehouse {p['only_gatehouse']}\n")
            else:
                fh.write(f"{head}: Checkov {p['checkov_units']} (Gatehouse not measured)\n")
            if p["note"]:
                fh.write(f"  note: {p['note']}\n")
            for e in p["examples_only_checkov"]:
                fh.write(f"  only Checkov:   {e}\n")
            for e in p["examples_only_gatehouse"]:
                fh.write(f"  only Gatehouse: {e}\n")
        fh.write("\n# Checkov checks without a mapping row (findings, files, framework)\n")
        for u in agree["unmapped_checkov"]:
            fh.write(f"{u['check']}\t{u['findings']}\t{u['files']}\t{u['framework']}\n")
        fh.write("\n# Gatehouse checks without a mapping row (findings, files)\n")
        for u in agree["unmapped_gatehouse"]:
            fh.write(f"{u['check']}\t{u['findings']}\t{u['files']}\n")


def print_top(agree: dict, have_gh: bool, n: int = 10) -> None:
    if have_gh:
        worst = sorted(agree["pairs"], key=lambda p: -((p["only_checkov"] or 0) + (p["only_gatehouse"] or 0)))[:n]
        print("top disagreeing pairs (only Checkov / only Gatehouse):")
        for p in worst:
            if not (p["only_checkov"] or p["only_gatehouse"]):
                break
            print(f"  {'|'.join(p['checkov']) or '-'} ~ {'|'.join(p['gatehouse']) or '-'}: "
                  f"{p['only_checkov']} / {p['only_gatehouse']}")
            for e in (p["examples_only_checkov"][:2] + p["examples_only_gatehouse"][:2]):
                print(f"      {e}")
    print("Checkov checks with most findings and no mapping row:")
    for u in agree["unmapped_checkov"][:n]:
        print(f"  {u['check']}: {u['findings']} findings in {u['files']} files ({u['framework']})")


if __name__ == "__main__":
    sys.exit(main())
