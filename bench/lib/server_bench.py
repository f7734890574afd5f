#!/usr/bin/env python3
"""The platform server benchmark's client side (bench/server.sh starts the servers).

    server_bench.py run --url URL --admin-token T --security-token T --dev-token T \
        --backend NAME --out RESULTS.json [options]

Against one running `gatehouse serve`, in order:

  a) ingest: for each run a fresh project gets one upload of --findings findings (Gatehouse scan
     JSON with code, dependency and secret findings: one scan per kind), then the same body again
     (a duplicate: answered from the stored upload) and the same findings from another pipeline
     (every finding unchanged); wall time of each request.
  b) seed the database to --stored findings (projects spread over teams, each with a first
     upload and a later complete one that fixes part of the first and adds new findings, so
     about half the stored findings are fixed), then mitigate, false-positive and risk-accept
     some tickets through the API; then the latency of listing requests (first pages and deep
     cursor pages, an administrator and a developer who sees two teams' projects).
  c) sustained mixed load with wrk at each --connections count (listings, ticket and project
     detail, small uploads), requests/s and latency percentiles.

Everything is deterministic (a fixed pseudo-random sequence), so both backends get the same data.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse

TEAMS = 10
SEVERITIES = [("critical", 4), ("high", 16), ("medium", 40), ("low", 30), ("info", 10)]
KINDS = [("code", 60), ("dependencies", 30), ("secrets", 10)]
RULES_PER_KIND = {"code": 160, "dependencies": 240, "secrets": 40}


def weighted(table, u: float) -> str:
    total = sum(w for _, w in table)
    acc = 0.0
    for name, w in table:
        acc += w / total
        if u < acc:
            return name
    return table[-1][0]


def h(*parts) -> int:
    return int.from_bytes(hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest(), "big")


def unit(*parts) -> float:
    return h(*parts) / 2**64


def rule_of(kind: str, i: int) -> str:
    # A skewed distribution: a few rules account for most findings, as in real scans.
    n = RULES_PER_KIND[kind]
    r = int(n * unit("rule", kind, i) ** 2.5)
    if kind == "code":
        return f"py.rule-{r:03d}"
    if kind == "dependencies":
        return f"GHSA-bench-{r:04d}"
    return f"secret-rule-{r:02d}"


def severity_of(rule: str) -> str:
    return weighted(SEVERITIES, unit("severity", rule))


def finding(project: str, i: int) -> dict:
    kind = weighted(KINDS, unit("kind", project, i))
    rule = rule_of(kind, i)
    mod, line = h("path", project, i) % 211, 1 + h("line", project, i) % 900
    f = {
        "rule_id": rule,
        "scanner": kind,
        "severity": severity_of(rule),
        "confidence": "high" if kind != "code" else "medium",
        "title": f"{rule}: a finding of the benchmark",
        "message": f"{rule} reported in module {mod} at line {line}; see the rule's description",
        "location": {"path": f"src/pkg{mod % 17}/module_{mod}.py", "start_line": line, "end_line": line},
        "evidence": {"snippet": f"value = call_{i % 1000}(argument, other)  # {project}"},
        "fingerprint": hashlib.md5(f"{project}\x1f{i}".encode()).hexdigest(),
    }
    if kind == "dependencies":
        f["location"]["path"] = f"services/s{mod % 23}/requirements.txt"
        f["fix"] = f"{1 + i % 7}.{i % 13}.1"
    if kind == "code":
        f["cwe"] = [f"CWE-{79 + h('cwe', rule) % 700}"]
    return f


def report(project: str, ids: range) -> bytes:
    findings = [finding(project, i) for i in ids]
    rules = {}
    for f in findings:
        rules.setdefault(f["rule_id"], {
            "id": f["rule_id"], "title": f["title"], "severity": f["severity"],
            "confidence": f["confidence"], "scanner": f["scanner"]})
    body = {"schema_version": "1", "tool": "gatehouse", "version": "0.1.0", "findings": findings,
            "rules": rules, "stats": {"scanned": len(findings), "bytes": 0, "suppressed": 0, "duration_ms": 0}}
    return json.dumps(body, separators=(",", ":")).encode()


CACHE = None  # a directory for generated reports, shared by the backends of one run


def cached_report(project: str, ids: range) -> bytes:
    if CACHE is None:
        return report(project, ids)
    path = os.path.join(CACHE, f"{project}-{ids.start}-{ids.stop}.json")
    if os.path.exists(path):
        return open(path, "rb").read()
    body = report(project, ids)
    os.makedirs(CACHE, exist_ok=True)
    open(path + ".tmp", "wb").write(body)
    os.replace(path + ".tmp", path)
    return body


class Client:
    def __init__(self, url: str, token: str):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.token = token
        self.conn = None

    def request(self, method: str, path: str, body: bytes | dict | None = None, ok=(200, 201)):
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
            try:
                t = time.perf_counter()
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - t
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        if resp.status not in ok:
            raise SystemExit(f"server_bench: {method} {path}: {resp.status} {data[:500]!r}")
        return json.loads(data) if data else None, elapsed

    def get(self, path: str):
        return self.request("GET", path)


def q(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def log(msg: str):
    print(f"  {msg}", file=sys.stderr, flush=True)


# ---- a) ingest ----------------------------------------------------------------------------------

def ensure_project(admin: Client, name: str, team: str | None):
    body = {"name": name}
    if team:
        body["team"] = team
    admin.request("POST", "/api/v1/projects", body, ok=(200, 201, 409))


def ingest(admin: Client, a) -> dict:
    body = cached_report("ingest", range(a.findings))
    log(f"ingest: a report of {a.findings:,} findings, {len(body) / 1e6:.1f} MB")
    runs = []
    for r in range(a.runs):
        name = f"ingest-{r + 1}"
        ensure_project(admin, name, f"team-{r % TEAMS + 1:02d}")
        path = f"/api/v1/projects/{name}/scans"
        first, t1 = admin.request("POST", path, body)
        assert first["findings"]["new"] == a.findings and not first["duplicate"], first["findings"]
        dup, t2 = admin.request("POST", path, body)
        assert dup["duplicate"], "the second upload of the same body was not a duplicate"
        same, t3 = admin.request("POST", path + "?pipeline=2", body)
        assert same["findings"]["unchanged"] == a.findings, same["findings"]
        runs.append({"first_s": t1, "duplicate_s": t2, "unchanged_s": t3})
        log(f"ingest run {r + 1}: first {t1:.2f} s, duplicate {t2:.3f} s, unchanged {t3:.2f} s")
    return {"findings": a.findings, "body_bytes": len(body), "runs": runs,
            "median_first_s": statistics.median(x["first_s"] for x in runs),
            "median_duplicate_s": statistics.median(x["duplicate_s"] for x in runs),
            "median_unchanged_s": statistics.median(x["unchanged_s"] for x in runs)}


# ---- b) seeding and listing latency -------------------------------------------------------------

def seed(admin: Client, security: Client, a, already: int) -> dict:
    t0 = time.perf_counter()
    per = max(1, (a.stored - already) // a.projects)
    fixed_part, first_part = int(per * 0.45), int(per * 0.8)
    for p in range(a.projects):
        name = f"svc-{p + 1:03d}"
        ensure_project(admin, name, f"team-{p % TEAMS + 1:02d}")
        path = f"/api/v1/projects/{name}/scans"
        r1, _ = admin.request("POST", path + "?pipeline=1", cached_report(name, range(0, first_part)))
        r2, _ = admin.request("POST", path + "?pipeline=2", cached_report(name, range(fixed_part, per)))
        assert r2["findings"]["fixed"] == fixed_part, (r1["findings"], r2["findings"])
        if (p + 1) % 10 == 0:
            log(f"seeded {p + 1}/{a.projects} projects ({time.perf_counter() - t0:.0f} s)")
    seeded_s = time.perf_counter() - t0
    # Triage through the API: mitigations, approved false positives and accepted risks.
    t1 = time.perf_counter()
    counts = {"mitigated": 0, "false_positive": 0, "risk_accepted": 0}
    for p in range(a.projects):
        name = f"svc-{p + 1:03d}"
        page, _ = admin.get(f"/api/v1/tickets?project={q(name)}&state=open&limit={a.triage_per_project * 3}")
        ids = [t["id"] for t in page["items"]]
        k = a.triage_per_project
        for tid in ids[:k]:
            admin.request("POST", f"/api/v1/tickets/{tid}/mitigate", {"note": "WAF rule deployed"})
            counts["mitigated"] += 1
        for kind, chunk in (("false_positive", ids[k:2 * k]), ("risk_accepted", ids[2 * k:3 * k])):
            for tid in chunk:
                req = {"kind": kind, "reason": "benchmark triage"}
                if kind == "risk_accepted":
                    req["expires"] = "2099-12-31"
                r, _ = admin.request("POST", f"/api/v1/tickets/{tid}/requests", req)
                security.request("POST", f"/api/v1/requests/{r['id']}/approve", {"note": "ok"})
                counts[kind] += 1
    triage_s = time.perf_counter() - t1
    log(f"seeded in {seeded_s:.0f} s, triage in {triage_s:.0f} s: {counts}")
    return {"projects": a.projects, "per_project": per, "seed_s": seeded_s, "triage_s": triage_s,
            "triaged": counts}


def shapes(a) -> list[tuple[str, str, str]]:
    """(who, label, path) of the measured listing requests."""
    p, t = "svc-007", "team-03"
    hot_rule = rule_of("code", 0)  # the most frequent rule
    rare_rule = "GHSA-bench-0200"
    out = [
        ("admin", "findings, no filter", "/api/v1/findings"),
        ("admin", "findings state=open", "/api/v1/findings?state=open"),
        ("admin", "findings severity=critical state=open", "/api/v1/findings?severity=critical&state=open"),
        ("admin", "findings severity=critical,high state=open,mitigated",
         "/api/v1/findings?severity=critical,high&state=open,mitigated"),
        ("admin", "findings state=false_positive", "/api/v1/findings?state=false_positive"),
        ("admin", f"findings rule={hot_rule}", f"/api/v1/findings?rule={hot_rule}"),
        ("admin", f"findings rule={rare_rule} (rare)", f"/api/v1/findings?rule={rare_rule}"),
        ("admin", "findings kind=secrets state=open", "/api/v1/findings?kind=secrets&state=open"),
        ("admin", f"findings project={p} state=open", f"/api/v1/findings?project={p}&state=open"),
        ("admin", f"project {p} findings severity=high", f"/api/v1/projects/{p}/findings?severity=high"),
        ("admin", f"findings team={t} state=open", f"/api/v1/findings?team={t}&state=open"),
        ("admin", "findings level=1 state=open", "/api/v1/findings?level=1&state=open"),
        ("admin", "findings breached=true", "/api/v1/findings?breached=true"),
        ("admin", "findings created_from (last day)", "/api/v1/findings?created_from=TODAY"),
        ("admin", "tickets, no filter", "/api/v1/tickets"),
        ("admin", "tickets state=open level=1", "/api/v1/tickets?state=open&level=1"),
        ("admin", f"tickets project={p} level=2", f"/api/v1/tickets?project={p}&level=2"),
        ("admin", f"tickets team={t} breached=true", f"/api/v1/tickets?team={t}&breached=true"),
        ("admin", "tickets breached=false", "/api/v1/tickets?breached=false"),
        ("admin", "tickets severity=critical", "/api/v1/tickets?severity=critical"),
        ("admin", f"tickets rule={rare_rule} (rare)", f"/api/v1/tickets?rule={rare_rule}"),
        ("admin", "tickets state=risk_accepted", "/api/v1/tickets?state=risk_accepted"),
        ("dev", "developer: findings, no filter", "/api/v1/findings"),
        ("dev", "developer: findings severity=high state=open", "/api/v1/findings?severity=high&state=open"),
        ("dev", "developer: findings rule (rare)", f"/api/v1/findings?rule={rare_rule}"),
        ("dev", "developer: tickets state=open level=1", "/api/v1/tickets?state=open&level=1"),
        ("dev", "developer: tickets breached=true", "/api/v1/tickets?breached=true"),
    ]
    return out


def latency(clients: dict, a) -> list[dict]:
    today = time.strftime("%Y-%m-%d", time.gmtime())
    rows = []
    for who, label, path in shapes(a):
        c = clients[who]
        path = path.replace("TODAY", today)
        sep = "&" if "?" in path else "?"
        first = f"{path}{sep}limit={a.limit}"
        # The deep page: the cursor after --depth pages (or the last page there is).
        cur, pages, items = first, 1, 0
        page, _ = c.get(first)
        items = len(page["items"])
        while pages < a.depth and page["next_cursor"]:
            cur = f"{first}&cursor={page['next_cursor']}"
            page, _ = c.get(cur)
            pages += 1
        for kind, url in (("first", first), ("deep", cur)):
            if kind == "deep" and pages == 1:
                continue
            for _ in range(a.warmup):
                c.get(url)
            times = []
            for _ in range(a.requests):
                ans, dt = c.get(url)
                times.append(dt * 1000)
            rows.append({"who": who, "shape": label, "page": kind if kind == "first" else pages,
                         "path": url, "items": len(ans["items"]), "first_page_items": items,
                         "n": len(times), "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
                         "p99_ms": pct(times, 99), "max_ms": max(times)})
            r = rows[-1]
            log(f"{label} [{'first' if kind == 'first' else f'page {pages}'}]: "
                f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms ({r['items']} items)")
    return rows


# ---- c) sustained load --------------------------------------------------------------------------

WRK_LUA = r"""
-- Generated by bench/lib/server_bench.py: a fixed mix of reads and small uploads.
local token = os.getenv("BENCH_TOKEN")
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local upload = io.open(os.getenv("BENCH_UPLOAD"), "rb"):read("*a")
local every = tonumber(os.getenv("BENCH_UPLOAD_EVERY"))
local counter = 0
local threads = {}
local tid = 0

function setup(thread)
  tid = tid + 1
  thread:set("tid", tid)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(tid * 7919)
  tag = tostring(os.time()) .. "-" .. tostring(tid)
end

function request()
  counter = counter + 1
  if every > 0 and counter % every == 0 then
    return wrk.format("POST", "/api/v1/projects/load-uploads/scans?pipeline=" .. tag .. "-" .. counter,
      {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, upload)
  end
  return wrk.format("GET", paths[math.random(#paths)], {["Authorization"] = "Bearer " .. token})
end

function done(summary, latency, requests)
  local e = summary.errors
  io.stderr:write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"p999_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
"""


def load(admin: Client, a, work: str) -> dict:
    ensure_project(admin, "load-uploads", "team-01")
    upload = report("load-uploads", range(a.upload_findings))
    admin.request("POST", "/api/v1/projects/load-uploads/scans?pipeline=0", upload)
    # Ticket ids to read: a spread over the stored tickets.
    page, _ = admin.get("/api/v1/tickets?limit=500")
    tickets = [t["id"] for t in page["items"]]
    page, _ = admin.get("/api/v1/tickets?state=fixed&limit=500")
    tickets += [t["id"] for t in page["items"]]
    paths = []
    for i in range(40):
        p = f"svc-{(i * 7) % a.projects + 1:03d}"
        paths += [
            "/api/v1/findings?state=open&limit=50",
            f"/api/v1/findings?project={p}&state=open&limit=50",
            f"/api/v1/findings?severity=critical,high&state=open&limit=50",
            f"/api/v1/tickets?state=open&level={1 + i % 3}&limit=50",
            f"/api/v1/tickets?team=team-{i % TEAMS + 1:02d}&breached=true&limit=50",
            f"/api/v1/tickets/{tickets[(i * 37) % len(tickets)]}",
            f"/api/v1/tickets/{tickets[(i * 53 + 11) % len(tickets)]}",
            f"/api/v1/projects/{p}",
            "/api/v1/projects",
        ]
    os.makedirs(work, exist_ok=True)
    paths_file = os.path.join(work, "wrk-paths.txt")
    lua_file = os.path.join(work, "wrk-mix.lua")
    upload_file = os.path.join(work, "wrk-upload.json")
    open(paths_file, "w").write("\n".join(paths) + "\n")
    open(lua_file, "w").write(WRK_LUA)
    open(upload_file, "wb").write(upload)
    env = dict(os.environ, BENCH_TOKEN=admin.token, BENCH_PATHS=paths_file, BENCH_UPLOAD=upload_file,
               BENCH_UPLOAD_EVERY=str(a.upload_every))
    version = subprocess.run([a.wrk, "-v"], capture_output=True, text=True).stdout.splitlines()[0:1]
    out = {"wrk": version[0].split(" Copyright")[0] if version else "wrk", "duration_s": a.duration,
           "threads": a.wrk_threads, "upload_every": a.upload_every, "upload_findings": a.upload_findings,
           "read_paths": len(paths), "levels": []}
    for conns in a.connections:
        cmd = [a.wrk, "-t", str(min(a.wrk_threads, conns)), "-c", str(conns), "-d", f"{a.duration}s",
               "--timeout", "30s", "-s", lua_file, a.url]
        res = subprocess.run(cmd, capture_output=True, text=True, env=env)
        line = next((l for l in res.stderr.splitlines() if l.startswith("WRK_JSON ")), None)
        if res.returncode != 0 or line is None:
            raise SystemExit(f"server_bench: wrk failed ({res.returncode}): {res.stdout}\n{res.stderr}")
        s = json.loads(line[len("WRK_JSON "):])
        s["connections"] = conns
        s["rps"] = s["requests"] / (s["duration_us"] / 1e6)
        out["levels"].append(s)
        log(f"wrk {conns} connections: {s['rps']:.0f} requests/s, p50 {s['p50_us'] / 1000:.1f} ms, "
            f"p99 {s['p99_us'] / 1000:.1f} ms, errors {s['status_errors'] + s['timeouts'] + s['read_errors']}")
    return out


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--url", required=True)
    r.add_argument("--admin-token", required=True)
    r.add_argument("--security-token", required=True)
    r.add_argument("--dev-token", required=True)
    r.add_argument("--backend", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--work", required=True)
    r.add_argument("--runs", type=int, default=3)
    r.add_argument("--findings", type=int, default=100_000)
    r.add_argument("--stored", type=int, default=1_000_000)
    r.add_argument("--projects", type=int, default=100)
    r.add_argument("--triage-per-project", type=int, default=10)
    r.add_argument("--requests", type=int, default=100, help="timed requests per listing shape")
    r.add_argument("--warmup", type=int, default=5)
    r.add_argument("--limit", type=int, default=100)
    r.add_argument("--depth", type=int, default=50, help="the deep page's number")
    r.add_argument("--duration", type=int, default=30)
    r.add_argument("--connections", type=lambda s: [int(x) for x in s.split(",")], default=[4, 16, 64])
    r.add_argument("--wrk", default="wrk")
    r.add_argument("--wrk-threads", type=int, default=2)
    r.add_argument("--upload-every", type=int, default=50, help="one small upload per N requests (0: none)")
    r.add_argument("--upload-findings", type=int, default=20)
    r.add_argument("--phases", default="ingest,seed,latency,load")
    r.add_argument("--after-seed", help="a shell command run after seeding, before the listings")
    r.add_argument("--cache", help="keep generated reports here, for the next backend or run")
    g = sub.add_parser("report", help="write one generated report (for trying the server by hand)")
    g.add_argument("--project", default="demo")
    g.add_argument("--findings", type=int, default=1000)
    g.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.cmd == "report":
        open(a.out, "wb").write(report(a.project, range(a.findings)))
        return
    phases = set(a.phases.split(","))
    global CACHE
    CACHE = a.cache
    admin, security, dev = Client(a.url, a.admin_token), Client(a.url, a.security_token), Client(a.url, a.dev_token)
    res = {"backend": a.backend, "settings": {k: v for k, v in vars(a).items()
                                               if k not in ("admin_token", "security_token", "dev_token", "cmd")}}
    done = 0
    if "ingest" in phases:
        res["ingest"] = ingest(admin, a)
        done = a.runs * a.findings
    if "seed" in phases:
        res["seed"] = seed(admin, security, a, done)
        if a.after_seed:
            # What a database's maintenance does after a bulk load (PostgreSQL's autovacuum
            # analyzes within minutes); measuring before it would time plans made from the
            # statistics of an almost empty database.
            t0 = time.perf_counter()
            subprocess.run(a.after_seed, shell=True, check=True)
            res["seed"]["after_seed"] = {"command": a.after_seed, "s": time.perf_counter() - t0}
            log(f"after seeding: {a.after_seed} ({time.perf_counter() - t0:.1f} s)")
    if "latency" in phases:
        res["latency"] = latency({"admin": admin, "dev": dev}, a)
    if "load" in phases:
        res["load"] = load(admin, a, a.work)
    json.dump(res, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
