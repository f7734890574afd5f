#!/usr/bin/env python3
"""Writes vectors.tsv: CVSS vectors with the scores of the reference implementation.

The reference is Red Hat's `cvss` library (PyPI `cvss`, version 3.6), which follows FIRST's
specifications and, for v4.0, FIRST's calculator. Rerun from the repository root with:

    python3 -m venv /tmp/cvssvenv
    /tmp/cvssvenv/bin/pip install cvss==3.6
    /tmp/cvssvenv/bin/python crates/sca/tests/data/cvss/generate.py

Output is deterministic (fixed seed). crates/sca/tests/cvss.rs checks every line.

Columns, tab-separated; `-` where a score does not apply:
  vector          the vector as given to the parser (metric order sometimes shuffled)
  canonical       the library's clean vector: specification order, Not Defined metrics dropped;
                  `=` when it is the vector itself
  base            base score (v4: CVSS-B, the base metrics alone)
  rating          rating of the base score
  temporal        v2/v3 temporal score, v4 CVSS-BT; only when a temporal/threat metric is set
  environmental   v2/v3 environmental score, v4 CVSS-BE/BTE; only when an environmental metric is set
Lines starting with `#` are comments.
"""

import itertools
import os
import random
import sys

import cvss
from cvss import CVSS2, CVSS3, CVSS4

REFERENCE_VERSION = "3.6"
SEED = 20240601

V2_BASE = [
    ("AV", ["L", "A", "N"]),
    ("AC", ["H", "M", "L"]),
    ("Au", ["M", "S", "N"]),
    ("C", ["N", "P", "C"]),
    ("I", ["N", "P", "C"]),
    ("A", ["N", "P", "C"]),
]
V2_TEMPORAL = [
    ("E", ["U", "POC", "F", "H", "ND"]),
    ("RL", ["OF", "TF", "W", "U", "ND"]),
    ("RC", ["UC", "UR", "C", "ND"]),
]
V2_ENVIRONMENTAL = [
    ("CDP", ["N", "L", "LM", "MH", "H", "ND"]),
    ("TD", ["N", "L", "M", "H", "ND"]),
    ("CR", ["L", "M", "H", "ND"]),
    ("IR", ["L", "M", "H", "ND"]),
    ("AR", ["L", "M", "H", "ND"]),
]

V3_BASE = [
    ("AV", ["N", "A", "L", "P"]),
    ("AC", ["L", "H"]),
    ("PR", ["N", "L", "H"]),
    ("UI", ["N", "R"]),
    ("S", ["U", "C"]),
    ("C", ["H", "L", "N"]),
    ("I", ["H", "L", "N"]),
    ("A", ["H", "L", "N"]),
]
V3_TEMPORAL = [
    ("E", ["X", "U", "P", "F", "H"]),
    ("RL", ["X", "O", "T", "W", "U"]),
    ("RC", ["X", "U", "R", "C"]),
]
V3_ENVIRONMENTAL = [
    ("CR", ["X", "L", "M", "H"]),
    ("IR", ["X", "L", "M", "H"]),
    ("AR", ["X", "L", "M", "H"]),
    ("MAV", ["X", "N", "A", "L", "P"]),
    ("MAC", ["X", "L", "H"]),
    ("MPR", ["X", "N", "L", "H"]),
    ("MUI", ["X", "N", "R"]),
    ("MS", ["X", "U", "C"]),
    ("MC", ["X", "H", "L", "N"]),
    ("MI", ["X", "H", "L", "N"]),
    ("MA", ["X", "H", "L", "N"]),
]

V4_BASE = [
    ("AV", ["N", "A", "L", "P"]),
    ("AC", ["L", "H"]),
    ("AT", ["N", "P"]),
    ("PR", ["N", "L", "H"]),
    ("UI", ["N", "P", "A"]),
    ("VC", ["H", "L", "N"]),
    ("VI", ["H", "L", "N"]),
    ("VA", ["H", "L", "N"]),
    ("SC", ["H", "L", "N"]),
    ("SI", ["H", "L", "N"]),
    ("SA", ["H", "L", "N"]),
]
V4_THREAT = [("E", ["X", "A", "P", "U"])]
V4_ENVIRONMENTAL = [
    ("CR", ["X", "H", "M", "L"]),
    ("IR", ["X", "H", "M", "L"]),
    ("AR", ["X", "H", "M", "L"]),
    ("MAV", ["X", "N", "A", "L", "P"]),
    ("MAC", ["X", "L", "H"]),
    ("MAT", ["X", "N", "P"]),
    ("MPR", ["X", "N", "L", "H"]),
    ("MUI", ["X", "N", "P", "A"]),
    ("MVC", ["X", "H", "L", "N"]),
    ("MVI", ["X", "H", "L", "N"]),
    ("MVA", ["X", "H", "L", "N"]),
    ("MSC", ["X", "H", "L", "N"]),
    ("MSI", ["X", "S", "H", "L", "N"]),
    ("MSA", ["X", "S", "H", "L", "N"]),
]
V4_SUPPLEMENTAL = [
    ("S", ["X", "N", "P"]),
    ("AU", ["X", "N", "Y"]),
    ("R", ["X", "A", "U", "I"]),
    ("V", ["X", "D", "C"]),
    ("RE", ["X", "L", "M", "H"]),
    ("U", ["X", "Clear", "Green", "Amber", "Red"]),
]

# Vectors from FIRST's specification and example documents (CVSS v2 guide, v3.0/v3.1 examples,
# v4.0 specification and examples) and from the reference library's own tests.
EXAMPLES = [
    # CVSS v2 guide, section 3.3
    "AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C",
    "AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H",
    "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C",
    "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L",
    "AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C",
    "AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M",
    "AV:N/AC:L/Au:N/C:P/I:P/A:P",
    "AV:N/AC:M/Au:N/C:N/I:P/A:N",
    # CVSS v3.0 specification, section 6 (metrics out of order)
    "CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:C/CR:H/IR:H/AR:H/MAV:N/MAC:L/MPR:L/MUI:N/MS:C/MC:H/MI:H/MA:H",
    "CVSS:3.1/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X",
    # CVSS v3.x examples documents
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H",
    "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N",
    "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N",
    "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H",
    "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N",
    "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N",
    "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
    "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N",
    # CVSS v4.0 specification and examples
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:A",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X",
    "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
    "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P",
    # The reference library's tests
    "CVSS:4.0/AV:L/AC:H/AT:P/PR:N/UI:P/VC:H/VI:N/VA:N/SC:N/SI:N/AU:N/SA:N/S:P/R:A/V:D/RE:L/U:Red/MAV:L/MAC:L/MAT:N/MPR:L/MUI:A/MVC:L/MVI:N/MVA:H/MSC:H/MSI:L/MSA:N/CR:H/IR:L/AR:L/E:P",
    "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:P/VC:N/VI:L/VA:L/SC:H/SI:N/AU:Y/SA:N/S:N/R:I/V:C/RE:M/U:Amber/MAV:L/MAC:H/MAT:P/MPR:N/MUI:P/MVC:L/MVI:N/MVA:H/MSC:H/MSI:H/MSA:S/CR:M/IR:M/AR:M/E:A",
    "CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:L/SI:N/AU:Y/SA:L/S:P/R:U/V:D/RE:M/U:Red/MAV:N/MAC:H/MAT:P/MPR:H/MUI:P/MVC:L/MVI:H/MVA:L/MSC:N/MSI:H/MSA:H/CR:L/IR:H/AR:M/E:U",
    "CVSS:4.0/AV:A/AC:H/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:H/AU:N/SA:L/S:P/R:U/V:D/RE:H/U:Clear/MAV:A/MAC:L/MAT:N/MPR:N/MUI:P/MVC:N/MVI:L/MVA:L/MSC:H/MSI:N/MSA:L/CR:M/IR:M/AR:L/E:U",
    "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:A/VC:H/VI:H/VA:N/SC:H/SI:N/AU:Y/SA:N/S:N/R:I/V:C/RE:L/U:Green/MAV:L/MAC:L/MAT:N/MPR:H/MUI:P/MVC:L/MVI:L/MVA:N/MSC:H/MSI:H/MSA:S/CR:H/IR:H/AR:H/E:P",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:H/SC:H/SI:L/AU:Y/SA:H/S:N/R:U/V:C/RE:M/U:Amber/MAV:L/MAC:H/MAT:N/MPR:H/MUI:N/MVC:N/MVI:L/MVA:N/MSC:L/MSI:S/MSA:H/CR:H/IR:M/AR:M/E:A",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L",
    "CVSS:4.0/AV:A/AC:H/AT:P/PR:N/UI:P/VC:N/VI:L/VA:N/SC:H/SI:H/AU:N/SA:N/S:N/R:A/V:C/RE:M/U:Green/MAV:L/MAC:L/MAT:P/MPR:L/MUI:A/MVC:N/MVI:L/MVA:H/MSC:L/MSI:N/MSA:S/CR:L/IR:L/AR:M/E:P",
    "CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:A/VC:H/VI:N/VA:H/SC:L/SI:N/AU:N/SA:H/S:P/R:I/V:D/RE:M/U:Red/MAV:N/MAC:L/MAT:N/MPR:N/MUI:N/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/CR:H/IR:H/AR:H/E:U",
    "CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:P/VC:L/VI:N/VA:H/SC:L/SI:N/AU:Y/SA:H/S:P/R:I/V:D/RE:H/U:Green/MAV:A/MAC:L/MAT:N/MPR:N/MUI:A/MVC:L/MVI:H/MVA:H/MSC:N/MSI:H/MSA:L/CR:L/IR:H/AR:L/E:U",
    "CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:L/VI:N/VA:H/SC:L/SI:H/AU:N/SA:H/S:P/R:U/V:C/RE:H/U:Red/MAV:L/MAC:L/MAT:P/MPR:L/MUI:P/MVC:N/MVI:N/MVA:N/MSC:N/MSI:N/MSA:N/CR:H/IR:H/AR:H/E:P",
    "CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/AR:L",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:H",
]

# Edge cases: zero impact, scores that go negative before clamping, the largest and smallest
# scores, Safety, and every metric present but Not Defined.
EDGE_CASES = [
    "AV:L/AC:L/Au:N/C:N/I:N/A:N",
    "AV:L/AC:H/Au:M/C:P/I:N/A:N/CR:L/CDP:N/TD:H",
    "AV:L/AC:H/Au:M/C:P/I:N/A:N/E:U/RL:OF/RC:UC/CDP:H/TD:L/CR:L/IR:L/AR:L",
    "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:H/RL:U/RC:C/CDP:H/TD:H/CR:H/IR:H/AR:H",
    "AV:N/AC:L/Au:N/C:C/I:C/A:C/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N/MC:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/MC:N/MI:N/MA:N",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/CR:H/IR:H/AR:H",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/CR:H/IR:H/AR:H",
    "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N/E:U/RL:O/RC:U",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MPR:X/MUI:X/MS:X/MC:X/MI:X/MA:X",
    "CVSS:3.0/AV:P/AC:H/PR:L/UI:N/S:C/C:L/I:L/A:N/RC:U/IR:L/AR:M/MPR:N/MUI:N/MS:U/MC:H/MI:H",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/E:U",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MSI:S/MSA:S",
    "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:S",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:L/IR:L/AR:L",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MVC:N/MVI:N/MVA:N",
]


def fmt(score):
    return "-" if score is None else "%.1f" % float(score)


def join(prefix, metrics):
    return prefix + "/".join("%s:%s" % kv for kv in metrics)


def defined(metrics, names, not_defined):
    return any(k in names and v != not_defined for k, v in metrics)


def row_v2(vector):
    c = CVSS2(vector)
    base, temporal, environmental = c.scores()
    return [vector, c.clean_vector(), fmt(base), c.severities()[0], fmt(temporal), fmt(environmental)]


def row_v3(vector):
    c = CVSS3(vector)
    metrics = list(c.original_metrics.items())
    base, temporal, environmental = c.scores()
    has_t = defined(metrics, {k for k, _ in V3_TEMPORAL}, "X")
    has_e = defined(metrics, {k for k, _ in V3_ENVIRONMENTAL}, "X")
    return [
        vector,
        c.clean_vector(),
        fmt(base),
        c.severities()[0],
        fmt(temporal if has_t else None),
        fmt(environmental if has_e else None),
    ]


def row_v4(vector):
    c = CVSS4(vector)
    metrics = list(c.original_metrics.items())
    base_names = {k for k, _ in V4_BASE}
    env_names = {k for k, _ in V4_ENVIRONMENTAL}
    base_metrics = [(k, v) for k, v in metrics if k in base_names]
    threat_metrics = [(k, v) for k, v in metrics if k == "E"]
    has_t = defined(metrics, {"E"}, "X")
    has_e = defined(metrics, env_names, "X")
    base = CVSS4(join("CVSS:4.0/", base_metrics))
    temporal = CVSS4(join("CVSS:4.0/", base_metrics + threat_metrics)).base_score if has_t else None
    environmental = c.base_score if has_e else None
    return [
        vector,
        c.clean_vector(),
        fmt(base.base_score),
        base.severity,
        fmt(temporal),
        fmt(environmental),
    ]


def row(vector):
    if vector.startswith("CVSS:4."):
        return row_v4(vector)
    if vector.startswith("CVSS:3."):
        return row_v3(vector)
    return row_v2(vector)


def random_metrics(rng, base, optional, p_optional):
    metrics = [(k, rng.choice(values)) for k, values in base]
    metrics += [(k, rng.choice(values)) for k, values in optional if rng.random() < p_optional]
    if rng.random() < 0.25:
        rng.shuffle(metrics)
    return metrics


def main():
    if cvss.__version__ != REFERENCE_VERSION:
        sys.exit("expected cvss %s, found %s" % (REFERENCE_VERSION, cvss.__version__))
    rng = random.Random(SEED)
    sections = []

    sections.append(("examples from FIRST documents and the reference library's tests", EXAMPLES))
    sections.append(("edge cases", EDGE_CASES))

    sections.append(
        (
            "v2: every base vector",
            [join("", zip([k for k, _ in V2_BASE], values)) for values in itertools.product(*[v for _, v in V2_BASE])],
        )
    )
    sections.append(
        (
            "v2: random vectors with temporal and environmental metrics",
            [join("", random_metrics(rng, V2_BASE, V2_TEMPORAL + V2_ENVIRONMENTAL, 0.5)) for _ in range(700)],
        )
    )

    v3_base_all = list(itertools.product(*[v for _, v in V3_BASE]))
    sections.append(
        (
            "v3.1: every base vector",
            [join("CVSS:3.1/", zip([k for k, _ in V3_BASE], values)) for values in v3_base_all],
        )
    )
    sections.append(
        (
            "v3.0: random base vectors",
            [join("CVSS:3.0/", random_metrics(rng, V3_BASE, [], 0)) for _ in range(600)],
        )
    )
    for minor in ("3.0", "3.1"):
        sections.append(
            (
                "v%s: random vectors with temporal and environmental metrics" % minor,
                [
                    join("CVSS:%s/" % minor, random_metrics(rng, V3_BASE, V3_TEMPORAL + V3_ENVIRONMENTAL, 0.6))
                    for _ in range(1000)
                ],
            )
        )

    sections.append(
        (
            "v4.0: random base vectors",
            [join("CVSS:4.0/", random_metrics(rng, V4_BASE, [], 0)) for _ in range(1500)],
        )
    )
    optional4 = V4_THREAT + V4_ENVIRONMENTAL + V4_SUPPLEMENTAL
    sections.append(
        (
            "v4.0: random vectors with threat, environmental and supplemental metrics",
            [join("CVSS:4.0/", random_metrics(rng, V4_BASE, optional4, 0.4)) for _ in range(1500)],
        )
    )
    sections.append(
        (
            "v4.0: random vectors with every threat and environmental metric defined",
            [
                join(
                    "CVSS:4.0/",
                    [(k, rng.choice(v)) for k, v in V4_BASE]
                    + [(k, rng.choice(v[1:])) for k, v in V4_THREAT + V4_ENVIRONMENTAL],
                )
                for _ in range(700)
            ],
        )
    )

    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.tsv")
    seen = set()
    count = 0
    with open(out_path, "w", newline="\n") as out:
        out.write("# Generated by generate.py with the cvss library %s; do not edit.\n" % cvss.__version__)
        out.write("# vector\tcanonical\tbase\trating\ttemporal\tenvironmental\n")
        for title, vectors in sections:
            out.write("# %s\n" % title)
            for vector in vectors:
                if vector in seen:
                    continue
                seen.add(vector)
                fields = row(vector)
                if fields[1] == fields[0]:
                    fields[1] = "="
                out.write("\t".join(fields) + "\n")
                count += 1
    print("wrote %d vectors to %s" % (count, out_path))


if __name__ == "__main__":
    main()
