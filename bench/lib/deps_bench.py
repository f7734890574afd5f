#!/usr/bin/env python3
"""Time dependency scanners on the benchmark inputs; write a results JSON.

Called by bench/deps.sh, which installs the tools, generates the inputs
(bench/lib/make-deps-inputs.py) and passes their paths. Inputs, in order:

  import        gatehouse db import of every advisory directory into a fresh data directory
  cargo         the 10,000-package Cargo.lock: gatehouse vs cargo-audit
  requirements  the large requirements.txt: gatehouse vs pip-audit (via the loopback OSV shim)
  monorepo      the tree of 320 projects: gatehouse on the tree vs cargo-audit looped over its
                Cargo.lock files (bench/lib/cargo-audit-tree.sh)

Every run is `/usr/bin/time -v -o FILE -- <command>`; wall time is measured around it with a
monotonic clock, CPU is GNU time's user+sys and peak RSS its "Maximum resident set size" (for
the cargo-audit loop: of the largest single cargo-audit process). Runs go in rounds (one run of
every tool per round, in table order) after `--warmup` untimed rounds, so the noise of a shared
machine spreads over the tools alike. A run counts only if its exit code is one the tool uses
for success/findings and its report parses; findings are counted from the last run's report.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_bench import parse_time_v, tail  # noqa: E402  (same GNU time parsing as the secrets benchmark)

KINDS = ["import", "cargo", "requirements", "monorepo"]
TOOLS = {"import": ["gatehouse", "cargo-audit"], "cargo": ["gatehouse", "cargo-audit"],
         "requirements": ["gatehouse", "pip-audit"], "monorepo": ["gatehouse", "cargo-audit"]}
OK_EXIT = {"gatehouse": {0, 1}, "cargo-audit": {0, 1}, "pip-audit": {0, 1}}
ADVISORY_DIRS = ["rustsec", "rustsec-osv", "pypa", "golang-vulndb", "rubysec", "friendsofphp",
                 "nodejs-security-wg"]


# ---- counting -------------------------------------------------------------------------------------

def count_gatehouse(report: str) -> tuple[int, dict]:
    with open(report) as fh:
        doc = json.load(fh)
    f = doc["findings"]
    extra = {"informational": sum(1 for x in f if x.get("severity") == "info"),
             # A finding covers every affected locked version of a package in one file, and may
             # merge advisories that are aliases: count (version, advisory record) pairs as well.
             "matches": sum(len((x.get("properties") or {}).get("versions") or [None])
                            * max(1, len(set((x.get("properties") or {}).get("advisories") or [])))
                            for x in f)}
    st = doc.get("stats") or {}
    for k in ("packages", "files", "lockfiles", "advisories"):
        if isinstance(st.get(k), int):
            extra[k] = st[k]
    for k in ("gaps", "warnings", "errors"):
        v = doc.get(k)
        if v:
            extra[k] = len(v) if isinstance(v, (list, dict)) else v
    return len(f), extra


def cargo_audit_counts(doc: dict) -> tuple[int, int, int]:
    """(vulnerabilities, informational warnings, packages) of one cargo-audit JSON report."""
    vulns = len(doc["vulnerabilities"]["list"])
    warns = sum(len(v) for k, v in (doc.get("warnings") or {}).items() if k != "yanked")
    return vulns, warns, (doc.get("lockfile") or {}).get("dependency-count", 0)


def count_cargo_audit(report: str) -> tuple[int, dict]:
    if os.path.isdir(report):
        files = sorted(glob.glob(os.path.join(report, "*.json")))
        if not files:
            raise ValueError("no report written")
        v = w = p = 0
        for fn in files:
            with open(fn) as fh:
                a, b, c = cargo_audit_counts(json.load(fh))
            v, w, p = v + a, w + b, p + c
        return v + w, {"vulnerabilities": v, "informational": w, "packages": p, "lockfiles": len(files)}
    with open(report) as fh:
        v, w, p = cargo_audit_counts(json.load(fh))
    return v + w, {"vulnerabilities": v, "informational": w, "packages": p}


def count_pip_audit(report: str) -> tuple[int, dict]:
    with open(report) as fh:
        doc = json.load(fh)
    deps = doc["dependencies"]
    n = sum(len(d.get("vulns") or []) for d in deps)
    extra = {"packages": len(deps)}
    skipped = sum(1 for d in deps if d.get("skip_reason"))
    if skipped:
        extra["skipped"] = skipped
    return n, extra


def count_import(status_json: str) -> tuple[int, dict]:
    """Advisories in a data directory, from `gatehouse db status --json` (run after the import)."""
    with open(status_json) as fh:
        doc = json.load(fh)
    m = doc["metadata"]
    extra = {k: m[k] for k in ("withdrawn", "packages") if isinstance(m.get(k), int)}
    extra["sources"] = [{"location": os.path.basename(str(x.get("location", "")).rstrip("/")),
                         "kind": x.get("kind"), "advisories": x.get("advisories"), "errors": x.get("errors", 0)}
                        for x in m.get("sources", [])]
    extra["ecosystems"] = {e["ecosystem"]: e["advisories"] for e in doc.get("ecosystems", [])}
    return int(m["advisories"]), extra


# ---- agreement between Gatehouse and the peer on the same input ----------------------------------------

def _canon(name: str) -> str:
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


def _pep440(v: str) -> str:
    try:
        from packaging.version import Version
        return str(Version(v))
    except Exception:  # noqa: BLE001 - not PEP 440: compare as written
        return v


def gatehouse_pairs(report: str, ecosystem: str, path_suffix: str | None = None) -> set:
    """(path, package, version, advisory) of every advisory id Gatehouse reports (a finding that
    merged aliases counts once per advisory record), for one ecosystem."""
    out = set()
    with open(report) as fh:
        doc = json.load(fh)
    for f in doc["findings"]:
        p = f.get("properties") or {}
        if p.get("ecosystem") != ecosystem:
            continue
        path = (f.get("location") or {}).get("path", "")
        if path_suffix and not path.endswith(path_suffix):
            continue
        pkg = p.get("package")
        for ver in p.get("versions") or [p.get("version")]:
            if ecosystem == "PyPI":
                pkg, ver = _canon(pkg), _pep440(ver)
            for adv in set(p.get("advisories") or []) | {f["rule_id"]}:
                out.add((path if path_suffix else "", pkg, ver, adv))
    return out


def peer_pairs(kind: str, tool: str, report: str, inputs: str) -> set:
    out = set()
    if tool == "pip-audit":
        with open(report) as fh:
            for d in json.load(fh)["dependencies"]:
                for v in d.get("vulns") or []:
                    out.add(("", _canon(d["name"]), _pep440(d["version"]), v["id"]))
        return out
    docs = []
    if os.path.isdir(report):
        locks = [x.strip() for x in open(os.path.join(inputs, "monorepo-cargo-locks.txt")) if x.strip()]
        for i, lock in enumerate(locks, 1):
            with open(os.path.join(report, f"{i}.json")) as fh:
                docs.append((os.path.abspath(lock), json.load(fh)))
    else:
        with open(report) as fh:
            docs.append(("", json.load(fh)))
    for path, doc in docs:
        for v in doc["vulnerabilities"]["list"]:
            out.add((path, v["package"]["name"], v["package"]["version"], v["advisory"]["id"]))
        for k, ws in (doc.get("warnings") or {}).items():
            for w in ws:
                if k != "yanked" and w.get("advisory"):
                    out.add((path, w["package"]["name"], w["package"]["version"], w["advisory"]["id"]))
    return out


def agreement(kind: str, entries: dict, inputs: str, cwd: str) -> dict | None:
    gh = entries.get("gatehouse", {})
    peer = next((t for t in ("cargo-audit", "pip-audit") if entries.get(t, {}).get("status") == "ok"), None)
    if gh.get("status") != "ok" or not peer:
        return None
    try:
        eco = "PyPI" if peer == "pip-audit" else "crates.io"
        g = gatehouse_pairs(gh["_report"], eco, "Cargo.lock" if kind == "monorepo" else None)
        if kind == "monorepo":  # Gatehouse reports paths as given; make them comparable
            g = {(os.path.abspath(os.path.join(cwd, x[0])) if x[0] else x[0], *x[1:]) for x in g}
        p = peer_pairs(kind, peer, entries[peer]["_report"], inputs)
    except (OSError, ValueError, KeyError) as e:
        return {"peer": peer, "error": str(e)}
    show = lambda xs: [f"{os.path.relpath(a, cwd) + ': ' if a else ''}{b}@{c} {d}" for a, b, c, d in sorted(xs)[:20]]  # noqa: E731
    return {"peer": peer, "gatehouse": len(g), "peer_count": len(p), "common": len(g & p),
            "only_gatehouse": show(g - p), "only_peer": show(p - g),
            "n_only_gatehouse": len(g - p), "n_only_peer": len(p - g)}


# ---- the loopback OSV shim ------------------------------------------------------------------------

class Shim:
    def __init__(self, python: str, data: str, workdir: str, log: str):
        self.port_file = os.path.join(workdir, "osv-shim.port")
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        here = os.path.dirname(os.path.abspath(__file__))
        self.log = open(log, "wb")
        self.p = subprocess.Popen([python, os.path.join(here, "osv_shim.py"), "serve", "--data", data,
                                   "--port-file", self.port_file], stdout=self.log, stderr=self.log,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
        t0 = time.monotonic()
        while not os.path.exists(self.port_file):
            if self.p.poll() is not None:
                raise RuntimeError(f"the OSV shim exited with {self.p.returncode} (see {log})")
            if time.monotonic() - t0 > 300:
                self.stop()
                raise RuntimeError("the OSV shim did not start within 300 s")
            time.sleep(0.1)
        self.port = int(open(self.port_file).read())
        self.url = f"http://127.0.0.1:{self.port}/v1/query"

    def cpu_s(self) -> float | None:
        try:
            fields = open(f"/proc/{self.p.pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def stop(self) -> None:
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGTERM)
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.p.pid, signal.SIGKILL)
                self.p.wait()
        self.log.close()


# ---- running ----------------------------------------------------------------------------------------

def run_once(argv, stdout_to, logdir, tag, env, timeout) -> dict:
    timef = os.path.join(logdir, f"{tag}.time")
    errf = os.path.join(logdir, f"{tag}.stderr")
    out = open(stdout_to, "wb") if stdout_to else open(os.devnull, "wb")
    t0 = time.monotonic()
    with out, open(errf, "wb") as err:
        p = subprocess.Popen(["/usr/bin/time", "-v", "-o", timef, "--", *argv], stdout=out, stderr=err,
                             stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return {"ok": False, "why": f"did not finish within {timeout:.0f} s (stopped)", "stderr": errf}
        wall = time.monotonic() - t0
    r = {"wall_s": round(wall, 4), "exit": p.returncode, "stderr": errf}
    try:
        r.update(parse_time_v(timef))
    except OSError:
        pass
    if "signal" in r:
        r.update(ok=False, why=f"killed by signal {r['signal']}")
    else:
        r["ok"] = True
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 fromfile_prefix_chars="@")
    ap.add_argument("--tool", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--skip", action="append", default=[], metavar="NAME=WHY")
    ap.add_argument("--version", action="append", default=[], metavar="NAME=VERSION")
    ap.add_argument("--only", default="", help="comma-separated subset of " + ",".join(KINDS))
    ap.add_argument("--inputs", required=True, help="bench/work/deps-inputs (make-deps-inputs.py's --out)")
    ap.add_argument("--advisories", required=True, help="the shared advisories directory")
    ap.add_argument("--rustsec-db", help="the RustSec advisory-db directory cargo-audit reads (--db)")
    ap.add_argument("--python", default=sys.executable, help="the Python that runs the OSV shim")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--meta")
    ap.add_argument("--check", help="results JSON of the differential check, embedded as is")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    tools = dict(x.split("=", 1) for x in a.tool)
    skipped = dict(x.split("=", 1) for x in a.skip)
    versions = dict(x.split("=", 1) for x in a.version)
    kinds = [k for k in KINDS if not a.only or k in a.only.split(",")]
    meta = json.load(open(a.meta)) if a.meta else {}
    stats = json.load(open(os.path.join(a.inputs, "inputs.json")))
    check = json.load(open(a.check)) if a.check else None

    work = os.path.join(a.workdir, "deps")
    outdir = os.path.join(work, "out")
    logdir = os.path.join(a.workdir, "logs", "deps-" + time.strftime("%Y%m%dT%H%M%S"))
    os.makedirs(outdir, exist_ok=True)
    os.makedirs(logdir, exist_ok=True)
    env = dict(os.environ, NO_COLOR="1")
    adv_dirs = [os.path.join(a.advisories, d) for d in ADVISORY_DIRS if os.path.isdir(os.path.join(a.advisories, d))]
    cwd = os.getcwd()
    # Paths as shown in the table: relative to the repository root when under it or beside it
    # (the shared data is ../shared/data).
    rel = lambda x: (os.path.relpath(x, cwd) if os.path.isabs(x) and x.startswith(os.path.dirname(cwd) + os.sep)  # noqa: E731
                     else x)
    gh = tools.get("gatehouse")

    results = {"meta": meta, "versions": versions, "runs": a.runs, "warmup": a.warmup,
               "inputs": {}, "check": check, "advisory_dirs": [os.path.basename(d) for d in adv_dirs]}

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

    # The full database every Gatehouse scan matches against: one untimed import, fresh each run.
    full_db = os.path.join(work, "db-full")
    scan_kinds = [k for k in kinds if k != "import"]
    if gh and scan_kinds:
        shutil.rmtree(full_db, ignore_errors=True)
        print(f"==> importing every advisory into {rel(full_db)} (untimed; the scans match against it)", flush=True)
        p = subprocess.run([gh, "--data-dir", full_db, "db", "import", *adv_dirs], env=env,
                           capture_output=True, text=True)
        with open(os.path.join(logdir, "setup-import.log"), "w") as fh:
            fh.write(p.stdout + p.stderr)
        usable = p.returncode in (0, 3) and subprocess.run(
            [gh, "--data-dir", full_db, "db", "status", "--json", "--max-db-age", "100000"],
            capture_output=True, env=env).returncode == 0
        if p.returncode == 3 and usable:
            bad = sum(1 for line in p.stderr.splitlines() if line.startswith("gatehouse: error:"))
            print(f"deps_bench: warning: gatehouse db import exited 3 ({bad} files could not be imported, see "
                  f"{rel(os.path.join(logdir, 'setup-import.log'))}); the scans use what it imported", file=sys.stderr)
            results["setup_import"] = {"exit": 3, "unreadable_files": bad}
        if not usable:
            print(f"deps_bench: gatehouse db import failed (exit {p.returncode}):\n{tail(os.path.join(logdir, 'setup-import.log'))}",
                  file=sys.stderr)
            skipped["gatehouse"] = f"`gatehouse db import` failed (exit {p.returncode})"
            gh = None

    shim = None
    try:
        for kind in kinds:
            entries: dict[str, dict] = {}
            active = []
            for tool in TOOLS[kind]:
                if tool not in tools or (tool == "gatehouse" and not gh):
                    entries[tool] = {"status": "skipped", "note": skipped.get(tool, "not requested")}
                    continue
                spec = command(kind, tool, tools[tool], a, outdir, full_db, adv_dirs, work)
                if spec is None:
                    entries[tool] = {"status": "skipped", "note": "no command for this input"}
                    continue
                if tool == "pip-audit" and shim is None:
                    print("==> starting the OSV shim over advisories/pypa on 127.0.0.1", flush=True)
                    shim = Shim(a.python, os.path.join(a.advisories, "pypa"), work, os.path.join(logdir, "osv-shim.log"))
                    spec = command(kind, tool, tools[tool], a, outdir, full_db, adv_dirs, work, shim.url)
                argv, stdout_to, report = spec
                display = [os.path.basename(argv[0])] + [rel(x) for x in argv[1:]]
                shown = " ".join(shlex.quote(x) for x in display)
                if stdout_to:
                    shown += f" > {shlex.quote(rel(stdout_to))}"
                entries[tool] = {"status": "ok", "command": shown, "binary": rel(tools[tool]), "times": [],
                                 "rss_kb": [], "user_s": [], "sys_s": [], "_argv": argv, "_stdout": stdout_to,
                                 "_report": report}
                active.append(tool)
            results["inputs"][kind] = {"stats": stats_for(kind, stats), "tools": entries, "complete": False}
            for rnd in range(a.warmup + a.runs):
                warm = rnd < a.warmup
                for tool in active:
                    e = entries[tool]
                    if e["status"] != "ok":
                        continue
                    tag = f"{kind}-{tool}-{'warmup' if warm else 'run'}{rnd}"
                    label = "warm-up" if warm else f"run {rnd - a.warmup + 1}/{a.runs}"
                    print(f"  [{kind}] {tool:<12} {label:<10}", end=" ", flush=True)
                    report = e["_report"]
                    if os.path.isdir(report):
                        shutil.rmtree(report)
                    elif os.path.exists(report):
                        os.remove(report)
                    if kind == "import" and tool == "gatehouse":
                        shutil.rmtree(os.path.join(work, "db-import"), ignore_errors=True)
                    shim_cpu0 = shim.cpu_s() if (shim and tool == "pip-audit") else None
                    r = run_once(e["_argv"], e["_stdout"], logdir, tag, env, a.timeout)
                    # The import exits 3 when some files could not be imported; it still counts if the
                    # database it leaves is usable (the row says how many files failed).
                    ok_exit = {0, 3} if (kind == "import" and tool == "gatehouse") else OK_EXIT[tool]
                    if r["ok"] and r["exit"] not in ok_exit:
                        r.update(ok=False, why=f"exit code {r['exit']} (expected one of {sorted(ok_exit)})")
                    if r["ok"]:
                        try:
                            if kind == "import" and tool == "gatehouse":
                                st = subprocess.run([argv0(e), "--data-dir", os.path.join(work, "db-import"), "db",
                                                     "status", "--json", "--max-db-age", "100000"],
                                                    capture_output=True, text=True, env=env)
                                with open(report, "w") as fh:
                                    fh.write(st.stdout)
                                r["findings"], r["scanned"] = count_import(report)
                                with open(r["stderr"], errors="replace") as fh:
                                    bad = sum(1 for line in fh if line.startswith("gatehouse: error:"))
                                if bad:
                                    r["scanned"]["unreadable_files"] = bad
                            elif tool == "gatehouse":
                                r["findings"], r["scanned"] = count_gatehouse(report)
                            elif tool == "cargo-audit":
                                r["findings"], r["scanned"] = count_cargo_audit(report)
                            else:
                                r["findings"], r["scanned"] = count_pip_audit(report)
                        except Exception as ex:  # noqa: BLE001 - an unreadable report fails the run
                            r.update(ok=False, why=f"exit code {r['exit']} but its report {rel(report)} is unreadable: {ex}")
                    if not r["ok"]:
                        e["status"] = "failed"
                        e["note"] = r["why"]
                        print(f"FAILED: {r['why']}\n      command: {e['command']}\n      stderr ({r['stderr']}):\n"
                              + "\n".join("        " + x for x in tail(r["stderr"]).splitlines()), flush=True)
                        save(partial=True)
                        continue
                    shim_cpu1 = shim.cpu_s() if shim_cpu0 is not None else None
                    if shim_cpu1 is not None and not warm:
                        e.setdefault("shim_cpu_s", []).append(round(shim_cpu1 - shim_cpu0, 3))
                    print(f"{r['wall_s']:9.3f} s  {r.get('max_rss_kb', 0) / 1024:7.1f} MiB  exit {r['exit']}  "
                          f"findings {r['findings']}", flush=True)
                    e["findings"] = r["findings"]
                    e["exit_code"] = r["exit"]
                    e["tool_scanned"] = r["scanned"]
                    if not warm:
                        e["times"].append(r["wall_s"])
                        e["rss_kb"].append(r.get("max_rss_kb"))
                        e["user_s"].append(r.get("user_s"))
                        e["sys_s"].append(r.get("sys_s"))
                    save(partial=True)
            results["inputs"][kind]["complete"] = True
            agree = agreement(kind, entries, a.inputs, cwd) if kind != "import" else None
            if agree:
                results["inputs"][kind]["agreement"] = agree
                print(f"  [{kind}] (package, version, advisory) reported: gatehouse {agree.get('gatehouse')}, "
                      f"{agree['peer']} {agree.get('peer_count')}, both {agree.get('common')}", flush=True)
                save(partial=True)
    finally:
        if shim:
            shim.stop()
    save(partial=False)
    print(f"results: {a.out}")
    return 0


def argv0(e: dict) -> str:
    return e["_argv"][0]


def command(kind, tool, binary, a, outdir, full_db, adv_dirs, work, shim_url=None):
    """(argv, stdout file or None, report path) for `tool` on input `kind`; None if it does not apply."""
    inp = a.inputs
    cargo_lock = os.path.join(inp, "cargo-10k", "Cargo.lock")
    req = os.path.join(inp, "pypi", "requirements.txt")
    tree = os.path.join(inp, "monorepo")
    if tool == "gatehouse":
        if kind == "import":
            return ([binary, "--data-dir", os.path.join(work, "db-import"), "db", "import", *adv_dirs], None,
                    os.path.join(outdir, "gatehouse-import-status.json"))
        target = {"cargo": cargo_lock, "requirements": req, "monorepo": tree}[kind]
        report = os.path.join(outdir, f"gatehouse-{kind}.json")
        argv = [binary, "--data-dir", full_db, "scan", "deps", target, "--format", "json", "--output", report,
                "--max-db-age", "100000"]
        if kind == "monorepo":
            argv.append("--allow-incomplete")  # the tree has Maven projects, for which there is no local data
        return argv, None, report
    if tool == "cargo-audit" and a.rustsec_db:
        if kind == "import":
            # Context for the import row: cargo-audit loads and parses the RustSec database in every
            # run; on a lockfile without packages that is all it does.
            empty = os.path.join(work, "empty", "Cargo.lock")
            os.makedirs(os.path.dirname(empty), exist_ok=True)
            with open(empty, "w") as fh:
                fh.write("# This file is automatically @generated by Cargo.\n"
                         "# It is not intended for manual editing.\nversion = 4\n")
            report = os.path.join(outdir, "cargo-audit-import.json")
            return ([binary, "audit", "--db", a.rustsec_db, "--no-fetch", "--no-yanked", "--json", "-f", empty],
                    report, report)
        if kind == "cargo":
            report = os.path.join(outdir, "cargo-audit-cargo.json")
            return ([binary, "audit", "--db", a.rustsec_db, "--no-fetch", "--no-yanked", "--json", "-f", cargo_lock],
                    report, report)
        if kind == "monorepo":
            here = os.path.dirname(os.path.abspath(__file__))
            report = os.path.join(outdir, "cargo-audit-monorepo")
            return (["bash", os.path.join(here, "cargo-audit-tree.sh"), binary, a.rustsec_db,
                     os.path.join(inp, "monorepo-cargo-locks.txt"), report], None, report)
    if tool == "pip-audit" and kind == "requirements":
        report = os.path.join(outdir, "pip-audit-requirements.json")
        return ([binary, "-r", req, "--no-deps", "--disable-pip", "-s", "osv", "--osv-url",
                 shim_url or "http://127.0.0.1:0/v1/query", "--progress-spinner", "off",
                 "--cache-dir", os.path.join(work, "pip-audit-cache"), "-f", "json", "-o", report], None, report)
    return None


def stats_for(kind: str, st: dict) -> dict:
    return {"import": {}, "cargo": st.get("cargo", {}), "requirements": st.get("requirements", {}),
            "monorepo": st.get("monorepo", {})}[kind]


def summarize(entries: dict) -> dict:
    out = {}
    for tool, e in entries.items():
        e = {k: v for k, v in e.items() if not k.startswith("_")}
        if e.get("status") == "ok" and e.get("times"):
            e["median_s"] = statistics.median(e["times"])
            e["peak_rss_kb"] = max(x for x in e["rss_kb"] if x is not None)
            cpu = [u + s for u, s in zip(e["user_s"], e["sys_s"]) if u is not None and s is not None]
            if cpu:
                e["median_cpu_s"] = statistics.median(cpu)
            if e.get("shim_cpu_s"):
                e["median_shim_cpu_s"] = statistics.median(e["shim_cpu_s"])
        out[tool] = e
    return out


if __name__ == "__main__":
    sys.exit(main())
