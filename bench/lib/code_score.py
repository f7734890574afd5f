#!/usr/bin/env python3
"""Score static analysers on the OWASP Benchmark for Python the way its scorecards do.

    code_score.py --expected expectedresults-0.1.csv --tool bandit REPORT [--strict]

prints the per-category table for one report (gatehouse, semgrep, bandit JSON, or sarif).
bench/lib/code_bench.py imports the functions.

Scoring (OWASP BenchmarkUtils): every test case is one file, BenchmarkTestNNNNN.py, with one
category and one CWE, and is either a real vulnerability or not. A tool flags a test case when it
reports, in that file, a finding whose CWE is the category's CWE (each finding counts with its
first CWE, as BenchmarkUtils' readers take it). Real and flagged = TP, real and not flagged = FN,
not real and flagged = FP, otherwise TN. Per category TPR = TP/(TP+FN), FPR = FP/(FP+TN) and
score = TPR − FPR; the overall score is the unweighted mean over categories. Findings outside the
test case files are ignored.

CWE equivalences: BenchmarkUtils maps some tools' CWEs to the category's before comparing (in
each tool's reader, and by parent/child relations in its categories.xml). EQUIVALENT below applies
the ones that concern this benchmark's categories to every tool alike; `strict` scores with exact
CWE equality only.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys

# Tool CWE -> the benchmark category CWE it counts as (only the categories of this benchmark).
EQUIVALENT = {
    # hash (CWE-328): a broken or risky algorithm (327) used to hash, as BenchmarkUtils' Bearer
    # reader counts it (this benchmark has no weak-encryption category 327 it could belong to), and
    # a weak password hash (916), as its Snyk reader does.
    327: 328,
    916: 328,
    # weakrand (CWE-330): its children 338 (weak PRNG) and 335 (predictable seed), as BenchmarkUtils
    # counts them (categories.xml; the CodeQL reader maps 335).
    338: 330,
    335: 330,
    # pathtraver (CWE-22): relative path traversal (23, BenchmarkUtils' Snyk reader) and
    # '.../...//' (35, grouped with 22 by its Semgrep reader); 73 (external control of a file
    # name) stays as reported, as it does.
    23: 22,
    35: 22,
}
EQUIVALENT_NOTES = [
    ("CWE-327 → 328 (hash)", "weak algorithm used to hash; BenchmarkUtils' Bearer reader"),
    ("CWE-916 → 328 (hash)", "weak password hash; BenchmarkUtils' Snyk mapping"),
    ("CWE-338, 335 → 330 (weakrand)", "weak PRNG, predictable seed; categories.xml / CodeQL reader"),
    ("CWE-23, 35 → 22 (pathtraver)", "relative path traversal, '.../...//'; BenchmarkUtils' Snyk and Semgrep readers"),
]

TEST_RE = re.compile(r"^(BenchmarkTest\d{5})$")
CWE_RE = re.compile(r"(\d+)")


def load_expected(path: str) -> dict[str, dict]:
    """test name -> {category, real, cwe} from expectedresults-*.csv."""
    out: dict[str, dict] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [x.strip() for x in line.split(",")]
            if len(parts) < 4 or parts[2].lower() not in ("true", "false") or not parts[3].isdigit():
                raise ValueError(f"{path}:{n}: expected 'test, category, true|false, cwe', got {line!r}")
            out[parts[0]] = {"category": parts[1], "real": parts[2].lower() == "true", "cwe": int(parts[3])}
    if not out:
        raise ValueError(f"{path}: no test cases")
    return out


def categories(expected: dict[str, dict]) -> dict[str, dict]:
    """category -> {cwe, real, fake} (counts of test cases)."""
    out: dict[str, dict] = {}
    for t in expected.values():
        c = out.setdefault(t["category"], {"cwe": t["cwe"], "real": 0, "fake": 0})
        c["real" if t["real"] else "fake"] += 1
    return dict(sorted(out.items()))


def cwe_number(value) -> int | None:
    """The number of 'CWE-89', 'CWE-89: SQL…', 'external/cwe/cwe-89', 89."""
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        value = value.get("id")
        return cwe_number(value) if value is not None else None
    if not isinstance(value, str):
        return None
    m = CWE_RE.search(value)
    return int(m.group(1)) if m else None


def test_name(path: str) -> str | None:
    stem = os.path.splitext(os.path.basename(path.replace("\\", "/")))[0]
    return stem if TEST_RE.match(stem) else None


# ---- readers: every finding as (path, line, rule id, first CWE or None) ---------------------------

def read_gatehouse(report: str) -> list[tuple]:
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    out = []
    for f in doc["findings"]:
        loc = f.get("location") or {}
        cwes = f.get("cwe") or []
        out.append((loc.get("path", ""), loc.get("start_line", 0), f.get("rule_id", ""),
                    cwe_number(cwes[0]) if cwes else None))
    return out


def read_semgrep(report: str) -> list[tuple]:
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    out = []
    for r in doc["results"]:
        meta = (r.get("extra") or {}).get("metadata") or {}
        cwe = meta.get("cwe")
        if isinstance(cwe, list):
            cwe = cwe[0] if cwe else None
        out.append((r.get("path", ""), (r.get("start") or {}).get("line", 0), r.get("check_id", ""),
                    cwe_number(cwe) if cwe is not None else None))
    return out


def read_bandit(report: str) -> list[tuple]:
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    return [(r.get("filename", ""), r.get("line_number", 0), r.get("test_id", ""), cwe_number(r.get("issue_cwe")))
            for r in doc["results"]]


def read_sarif(report: str) -> list[tuple]:
    """SARIF 2.1.0; a rule's CWE is its first tag naming one (BenchmarkUtils' SARIF readers)."""
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    out = []
    for run in doc.get("runs", []):
        rules = list(((run.get("tool") or {}).get("driver") or {}).get("rules") or [])
        for ext in (run.get("tool") or {}).get("extensions") or []:
            rules += ext.get("rules") or []
        cwe_of = {}
        for rule in rules:
            for tag in (rule.get("properties") or {}).get("tags") or []:
                if "cwe" in tag.lower() and rule.get("id") not in cwe_of:
                    cwe_of[rule.get("id")] = cwe_number(tag)
        for r in run.get("results", []):
            locs = r.get("locations") or [{}]
            phys = locs[0].get("physicalLocation") or {}
            out.append(((phys.get("artifactLocation") or {}).get("uri", ""), (phys.get("region") or {}).get("startLine", 0),
                        r.get("ruleId", ""), cwe_of.get(r.get("ruleId"))))
    return out


READERS = {"gatehouse": read_gatehouse, "semgrep": read_semgrep, "bandit": read_bandit, "sarif": read_sarif}


# ---- scoring --------------------------------------------------------------------------------------

def score(expected: dict[str, dict], findings: list[tuple], strict: bool = False) -> dict:
    """Per-category counts and rates, the overall average, and what was left out."""
    flagged: set[str] = set()
    in_tests = 0
    no_cwe = 0
    for path, _line, _rule, cwe in findings:
        t = test_name(path)
        if t is None or t not in expected:
            continue
        in_tests += 1
        if cwe is None:
            no_cwe += 1
            continue
        if not strict:
            cwe = EQUIVALENT.get(cwe, cwe)
        if cwe == expected[t]["cwe"]:
            flagged.add(t)
    cats: dict[str, dict] = {}
    for t, e in expected.items():
        c = cats.setdefault(e["category"], {"cwe": e["cwe"], "tp": 0, "fn": 0, "fp": 0, "tn": 0})
        hit = t in flagged
        c["tp" if e["real"] and hit else "fn" if e["real"] else "fp" if hit else "tn"] += 1
    for c in cats.values():
        c["tpr"] = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        c["fpr"] = c["fp"] / (c["fp"] + c["tn"]) if c["fp"] + c["tn"] else 0.0
        c["score"] = c["tpr"] - c["fpr"]
    cats = dict(sorted(cats.items()))
    n = len(cats)
    return {
        "categories": cats,
        "average": {k: sum(c[k] for c in cats.values()) / n for k in ("tpr", "fpr", "score")},
        "findings": len(findings), "findings_in_test_cases": in_tests, "findings_without_cwe": no_cwe,
        "flagged_test_cases": len(flagged),
    }


def score_both(expected: dict[str, dict], findings: list[tuple]) -> dict:
    """The score with the equivalences, and the strict average beside it."""
    s = score(expected, findings)
    st = score(expected, findings, strict=True)
    s["strict_average"] = st["average"]
    s["strict_categories"] = {k: {x: v[x] for x in ("tp", "fn", "fp", "tn", "score")} for k, v in st["categories"].items()}
    return s


def format_table(s: dict) -> str:
    lines = [f"{'category':<16} {'CWE':>5} {'TP':>4} {'FN':>4} {'FP':>4} {'TN':>4} {'TPR':>7} {'FPR':>7} {'score':>7}"]
    for cat, c in s["categories"].items():
        lines.append(f"{cat:<16} {c['cwe']:>5} {c['tp']:>4} {c['fn']:>4} {c['fp']:>4} {c['tn']:>4} "
                     f"{c['tpr']:>7.1%} {c['fpr']:>7.1%} {c['score']:>+7.1%}")
    a = s["average"]
    lines.append(f"{'average':<16} {'':>5} {'':>4} {'':>4} {'':>4} {'':>4} {a['tpr']:>7.1%} {a['fpr']:>7.1%} {a['score']:>+7.1%}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--expected", required=True, help="expectedresults-*.csv")
    ap.add_argument("--tool", required=True, choices=sorted(READERS), help="the report's format")
    ap.add_argument("--strict", action="store_true", help="exact CWE equality, no equivalences")
    ap.add_argument("report")
    a = ap.parse_args()
    try:
        expected = load_expected(a.expected)
        s = score(expected, READERS[a.tool](a.report), strict=a.strict)
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"code_score.py: {e}", file=sys.stderr)
        return 1
    print(format_table(s))
    print(f"findings {s['findings']}, in test cases {s['findings_in_test_cases']}, "
          f"without a CWE {s['findings_without_cwe']}, test cases flagged {s['flagged_test_cases']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
